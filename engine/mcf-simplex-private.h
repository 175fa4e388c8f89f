/* mcf-simplex-private.h: the network simplex state of an EngineMcf, shared by mcf.c
 * (building the graph, the cold start, the pivots, the answers), mcf-warm.c (the
 * warm starts after a solve) and mcf-check.c (the tree's invariants).  The invariants
 * of the tree and the layout of the arc arrays are described at the top of mcf.c; only
 * those three files include this.
 */
#pragma once

#include "mcf.h"

G_BEGIN_DECLS

enum { STATE_UPPER = -1, STATE_TREE = 0, STATE_LOWER = 1 };
enum { DIR_DOWN = -1, DIR_UP = 1 };

#define MCF_INF ENGINE_MCF_INF

struct EngineMcf {
  gint n_nodes, n_arcs;
  gint arc_alloc; /* room in the arc arrays: always >= n_arcs + n_nodes */

  /* Per arc: n_arcs user arcs, then (while solving) n_nodes artificial arcs. */
  gint *source, *target;
  gint64 *cap; /* capacity - lower, or MCF_INF when unbounded */
  gint64 *cost;
  gint64 *flow;   /* flow - lower */
  gint8 *state;   /* STATE_* */
  gint64 *lower;  /* user arcs only; NULL while every lower bound is zero */
  gint *arc_pos;  /* user arc -> position in the arrays above; NULL: the identity */
  gint pos_alloc; /* room in arc_pos */
  gint art;       /* position of the first artificial arc (valid while warm) */

  /* Per node, n_nodes + 1 entries (the last is the artificial root). */
  gint64 *supply; /* as set by the caller (n_nodes entries) */
  gint64 *pi;
  gint *parent, *pred, *thread, *rev_thread, *succ_num, *last_succ;
  gint8 *pred_dir;  /* DIR_UP: pred[u] points from u to its parent */
  gint *dirty_revs; /* scratch of the tree update */

  /* Pivot state. */
  gint root, block_size, next_arc;
  gboolean stay; /* the next block search starts at the last one's block (mcf.c) */
  guint64 stays; /* of every solve so far, block searches that stayed so */
  gint in_arc, join, u_in, v_in, u_out;
  gint64 delta;
  guint64 pivots; /* of every solve so far */

  gboolean warm;         /* the tree is optimal for the current supplies and topology */
  gboolean repair;       /* ... but capacities changed since (see mcf-warm.c) */
  gboolean solved;       /* the last solve was optimal and nothing changed since */
  gboolean check_pivots; /* run mcf_check_tree() after every pivot (tests) */
  gboolean has_tree;     /* a spanning tree has been built */
};

/* The position of a caller's arc in the arc arrays. */
static inline gint arc_index(const EngineMcf *mcf, guint arc) {
  return mcf->arc_pos != NULL ? mcf->arc_pos[arc] : (gint)arc;
}

/* The lower bound of the arc at position `a` (0 while there are none). */
static inline gint64 arc_lower(const EngineMcf *mcf, gint a) {
  return mcf->lower != NULL ? mcf->lower[a] : 0;
}

/* Keeps the tree of the previous optimum for a solve after costs changed or arcs were
 * added (mcf-warm.c). */
void engine_mcf_rewarm_tree(EngineMcf *mcf);

/* Keeps the tree of the previous optimum for a solve after capacities changed, with
 * the flows they force; `b` holds the supplies without lower bounds (mcf-warm.c). */
void engine_mcf_repair_tree(EngineMcf *mcf, const gint64 *b, gint64 art_cost);

/* Stops the program (g_error) naming `where` when an invariant of the tree is broken:
 * a bug in the solver, never bad input (mcf-check.c). */
void engine_mcf_assert_tree(const EngineMcf *mcf, const char *where);

G_END_DECLS
