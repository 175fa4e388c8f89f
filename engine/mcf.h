/* mcf.h: an exact min-cost-flow solver for integer capacities and costs.
 *
 * The graph lives in flat arrays owned by one EngineMcf (as LEMON's NetworkSimplex
 * does): nodes and arcs are dense indices in the order they were added.  Costs may be
 * negative; lower bounds are allowed.  The outcome of a solve (optimal, infeasible,
 * unbounded) is data, not an error.  After an optimal solve both the primal flow
 * and dual node potentials are available, so callers and tests can certify the
 * answer: every arc's reduced cost c(u,v) + pi(u) - pi(v) is >= 0 where flow is
 * below capacity and <= 0 where flow is above the lower bound.
 *
 * Ownership: EngineMcf owns its arrays; engine_mcf_free() is NULL-safe.  Nothing
 * here allocates per solve beyond the solver's working arrays.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct EngineMcf EngineMcf;

typedef enum {
  ENGINE_MCF_OPTIMAL,
  ENGINE_MCF_INFEASIBLE, /* supplies cannot be routed within the capacities */
  ENGINE_MCF_UNBOUNDED,  /* a negative-cost cycle of unbounded capacity */
} EngineMcfStatus;

/* Capacity that stands for "no upper bound" (a DIMACS capacity above this is
 * clamped to it). */
#define ENGINE_MCF_INF ((gint64)G_MAXINT64 / 4)

/* A graph of `n_nodes` nodes (0..n_nodes-1) with room for `arc_hint` arcs
 * (transfer full). */
EngineMcf *engine_mcf_new(guint n_nodes, guint arc_hint);
void engine_mcf_free(EngineMcf *mcf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineMcf, engine_mcf_free)

guint engine_mcf_n_nodes(const EngineMcf *mcf);
guint engine_mcf_n_arcs(const EngineMcf *mcf);

/* Adds an arc and returns its index.  0 <= lower <= capacity <= ENGINE_MCF_INF;
 * |cost| <= ENGINE_MCF_MAX_COST. */
#define ENGINE_MCF_MAX_COST ((gint64)1 << 40)
guint engine_mcf_add_arc(EngineMcf *mcf, guint source, guint target, gint64 lower, gint64 capacity,
                         gint64 cost);

/* Supply of a node (positive: produces flow; negative: consumes it).  Supplies must
 * sum to zero for a feasible problem. */
void engine_mcf_set_supply(EngineMcf *mcf, guint node, gint64 supply);

/* TRUE when the problem is within the solver's numeric range: after the lower bounds
 * are moved into the supplies, the positive supplies sum to less than ENGINE_MCF_INF
 * without overflow, and the costs leave room for the big-M start (always so up to
 * 2^20 nodes).  engine_mcf_solve() requires it (a programmer error otherwise); code
 * that builds a problem from user input checks it first. */
gboolean engine_mcf_in_range(const EngineMcf *mcf);

/* Solves to optimality.  May be called again after changing costs, capacities or
 * supplies via engine_mcf_set_cost / engine_mcf_set_capacity / engine_mcf_set_supply,
 * or after adding arcs.  After an optimal solve, new costs, new capacities and new arcs
 * (lower bound 0) continue from the previous optimal tree; any other change starts
 * afresh.  The answer never depends on which start was taken. */
EngineMcfStatus engine_mcf_solve(EngineMcf *mcf);
void engine_mcf_set_cost(EngineMcf *mcf, guint arc, gint64 cost);
/* New capacity of `arc`: lower <= capacity <= ENGINE_MCF_INF.  The next solve starts
 * from the previous tree with the flows the new capacity forces (see mcf.c,
 * engine_mcf_repair_tree in mcf-warm.c), however much flow the arc carried. */
void engine_mcf_set_capacity(EngineMcf *mcf, guint arc, gint64 capacity);

/* Results, valid after ENGINE_MCF_OPTIMAL. */
gint64 engine_mcf_flow(const EngineMcf *mcf, guint arc);
gint64 engine_mcf_potential(const EngineMcf *mcf, guint node);
/* Sum of flow * cost over all arcs (64-bit; overflow is a programmer error). */
gint64 engine_mcf_total_cost(const EngineMcf *mcf);

/* Arc accessors (for certificates and dumps). */
guint engine_mcf_arc_source(const EngineMcf *mcf, guint arc);
guint engine_mcf_arc_target(const EngineMcf *mcf, guint arc);
gint64 engine_mcf_arc_lower(const EngineMcf *mcf, guint arc);
gint64 engine_mcf_arc_capacity(const EngineMcf *mcf, guint arc);
gint64 engine_mcf_arc_cost(const EngineMcf *mcf, guint arc);
gint64 engine_mcf_supply(const EngineMcf *mcf, guint node);

/* ---- DIMACS min-cost-flow format --------------------------------------- */

#define ENGINE_ERROR (engine_error_quark())
GQuark engine_error_quark(void);
typedef enum {
  ENGINE_ERROR_PARSE,   /* a malformed DIMACS file: message starts "line N: " */
  ENGINE_ERROR_INVALID, /* input the engine cannot work with */
} EngineError;

/* Parses a DIMACS "p min" problem from a buffer (lines "c ...", "p min N M",
 * "n ID SUPPLY", "a SRC DST LOW CAP COST"; node ids are 1-based in the file and
 * 0-based in the graph).  On error returns NULL and sets ENGINE_ERROR_PARSE with
 * "line N: what is wrong", or ENGINE_ERROR_INVALID for a well-formed problem outside
 * the solver's range (engine_mcf_in_range()). */
EngineMcf *engine_dimacs_parse(const char *text, gsize length, GError **error);

/* Writes the problem as DIMACS text (transfer full); `comment` (may be NULL) is
 * written as leading "c" lines. */
char *engine_dimacs_format(const EngineMcf *mcf, const char *comment);

/* Writes "s COST" and, with `flows`, one "f SRC DST FLOW" line per arc with
 * non-zero flow (1-based ids) after an optimal solve (transfer full). */
char *engine_dimacs_format_solution(const EngineMcf *mcf, gboolean flows);

G_END_DECLS
