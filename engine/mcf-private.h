/* mcf-private.h: what the engine's own files and its tests may ask of an EngineMcf
 * beyond mcf.h.
 *
 * Only for files inside engine/ (the DIMACS writer checks that results exist before
 * it prints them) and for tests/mcf (the debug checks of the spanning tree); nothing
 * here is part of the public contract.
 */
#pragma once

#include "mcf.h"

G_BEGIN_DECLS

/* TRUE when the last engine_mcf_solve() returned ENGINE_MCF_OPTIMAL and nothing was
 * changed since, i.e. when engine_mcf_flow() and friends may be called. */
gboolean engine_mcf_has_solution(const EngineMcf *mcf);

/* Pivots of every solve so far: a measure of the work done, for budgets. */
guint64 engine_mcf_pivots(const EngineMcf *mcf);
/* ... of them, those after which the next block search stayed on the same block (see
 * mcf.c, mcf_find_entering_arc): for the tests of that rule. */
guint64 engine_mcf_stays(const EngineMcf *mcf);

/* Every node's potential (engine_mcf_potential() of each), for a pass that prices many
 * arcs: valid while engine_mcf_has_solution() is TRUE. */
const gint64 *engine_mcf_potentials(const EngineMcf *mcf);

/* ---- debug checks of the spanning tree (for tests) ----------------------- */

/* TRUE when every invariant of the network simplex tree holds (see mcf.c); FALSE with
 * the first broken one described in *out_problem (transfer full; may be NULL), also
 * when no tree has been built yet.  Linear in nodes and arcs. */
gboolean engine_mcf_check_tree(const EngineMcf *mcf, char **out_problem);

/* Checks the tree after every pivot of later solves, and stops the program with the
 * broken invariant (g_error) if one fails.  Off by default: it makes a pivot linear. */
void engine_mcf_set_check_tree(EngineMcf *mcf, gboolean every_pivot);

/* The solver's own tree arrays (borrowed, writable, valid until the graph next
 * changes), so that a test can break the tree on purpose.  Nodes 0..n_nodes - 1, the
 * last being the artificial root; pred[] indexes the per-arc `flow` array. */
typedef struct {
  guint n_nodes; /* including the root */
  gint *parent, *pred, *thread, *rev_thread, *succ_num, *last_succ;
  gint8 *pred_dir;
  gint64 *pi;
  gint64 *flow;
} EngineMcfTree;
void engine_mcf_tree(EngineMcf *mcf, EngineMcfTree *out);

G_END_DECLS
