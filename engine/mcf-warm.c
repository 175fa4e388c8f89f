/* mcf-warm.c: the warm starts of the min-cost-flow solver (mcf.c), so that a solve
 * after a small change starts from the previous optimal tree instead of from scratch.
 * After engine_mcf_set_cost() or a new arc the tree stays and only the potentials are
 * recomputed; after engine_mcf_set_capacity() the tree is repaired to carry the flows
 * the new capacities force, hanging nodes from the root where it cannot.  Either way
 * the tree leaves here with every invariant listed in mcf.c.
 */
#include "mcf-simplex-private.h"

#include <string.h>

void engine_mcf_set_capacity(EngineMcf *mcf, guint arc, gint64 capacity) {
  g_return_if_fail(mcf != NULL);
  g_return_if_fail(arc < (guint)mcf->n_arcs);
  gint a = arc_index(mcf, arc);
  g_return_if_fail(arc_lower(mcf, a) <= capacity && capacity <= MCF_INF);
  mcf->cap[a] = capacity >= MCF_INF ? MCF_INF : capacity - arc_lower(mcf, a);
  mcf->repair |= mcf->warm;
  mcf->solved = FALSE;
}

/* Keeps the tree of the previous optimum and recomputes the potentials for the
 * current costs (walking the thread, parents come before their children).  The
 * artificial arcs left in an optimal tree carry no flow; turning each into a free arc
 * towards the root means no cycle can route flow through the root any more, so the
 * pivots that follow optimise the real arcs alone and ART_COST plays no part. */
void engine_mcf_rewarm_tree(EngineMcf *mcf) {
  gint n = mcf->n_nodes, root = mcf->root;
  for (gint u = 0, e = mcf->art; u < n; u++, e++) {
    g_assert(mcf->flow[e] == 0);
    if (mcf->state[e] == STATE_TREE && mcf->source[e] == root) {
      mcf->source[e] = u;
      mcf->target[e] = root;
      mcf->cost[e] = 0;
      mcf->pred_dir[u] = DIR_UP;
    }
  }
  mcf->pi[root] = 0;
  for (gint u = mcf->thread[root]; u != root; u = mcf->thread[u]) {
    gint e = mcf->pred[u];
    mcf->pi[u] = mcf->pred_dir[u] == DIR_UP ? mcf->pi[mcf->parent[u]] - mcf->cost[e]
                                            : mcf->pi[mcf->parent[u]] + mcf->cost[e];
  }
}

/* Rebuilds the thread, its reverse, the subtree sizes and last successors from
 * parent[] alone (children in ascending order), then the potentials.  Linear. */
static void mcf_rethread(EngineMcf *mcf) {
  gint n = mcf->n_nodes, root = mcf->root;
  /* Children of each node as a compressed list: first[v] .. first[v + 1]. */
  g_autofree gint *first = g_new0(gint, (gsize)n + 2);
  g_autofree gint *child = g_new(gint, (gsize)n + 1);
  g_autofree gint *next = g_new(gint, (gsize)n + 1);
  for (gint u = 0; u < n; u++)
    first[mcf->parent[u] + 1]++;
  for (gint v = 0; v <= n; v++)
    first[v + 1] += first[v];
  memcpy(next, first, sizeof(gint) * ((gsize)n + 1));
  for (gint u = 0; u < n; u++)
    child[next[mcf->parent[u]]++] = u;
  /* Preorder by an explicit stack of (node, next child); next[] is reused as the cursor. */
  gint *stack = mcf->dirty_revs, top = 0, prev = root;
  memcpy(next, first, sizeof(gint) * ((gsize)n + 1));
  stack[top++] = root;
  mcf->pi[root] = 0;
  while (top > 0) {
    gint v = stack[top - 1];
    if (next[v] == first[v + 1]) {
      top--;
      mcf->last_succ[v] = prev;
      continue;
    }
    gint u = child[next[v]++], e = mcf->pred[u];
    mcf->thread[prev] = u;
    mcf->rev_thread[u] = prev;
    prev = u;
    mcf->pi[u] = mcf->pred_dir[u] == DIR_UP ? mcf->pi[v] - mcf->cost[e] : mcf->pi[v] + mcf->cost[e];
    stack[top++] = u;
  }
  mcf->thread[prev] = root;
  mcf->rev_thread[root] = prev;
  /* Subtree sizes, children before parents: the reverse thread. */
  for (gint u = 0; u <= n; u++)
    mcf->succ_num[u] = 1;
  for (gint u = mcf->rev_thread[root]; u != root; u = mcf->rev_thread[u])
    mcf->succ_num[mcf->parent[u]] += mcf->succ_num[u];
}

/* Hangs `u` from the root by its artificial arc, carrying the `excess` its subtree
 * must send out: towards the root at cost 0, or from it at `art_cost` (as the cold
 * start does for a node with supply or demand). */
static void mcf_hang_from_root(EngineMcf *mcf, gint u, gint64 excess, gint64 art_cost) {
  gint e = mcf->art + u, root = mcf->root;
  gboolean up = excess >= 0;
  mcf->parent[u] = root;
  mcf->pred[u] = e;
  mcf->pred_dir[u] = up ? DIR_UP : DIR_DOWN;
  mcf->source[e] = up ? u : root;
  mcf->target[e] = up ? root : u;
  mcf->cost[e] = up ? 0 : art_cost;
  mcf->cap[e] = MCF_INF;
  mcf->flow[e] = up ? excess : -excess;
  mcf->state[e] = STATE_TREE;
}

/* A warm start after capacities changed: the previous tree, with the flow each arc
 * must now carry.  Every non-tree arc stays at its bound (the new capacity for one at
 * its upper bound); the tree arcs then carry what the subtrees below them must send,
 * computed from the leaves up.  Where a tree arc cannot carry that within its bounds,
 * or would be degenerate against the root (so the tree would no longer be strongly
 * feasible), it leaves the tree at its nearest bound and the node below it hangs
 * from the root by its artificial arc, carrying the difference at ART_COST as in the
 * cold start.  The pivots that follow drive that flow out when the problem is
 * feasible (any flow through the root costs more than any path), and the solve
 * reports INFEASIBLE when some remains.  Linear in nodes and arcs. */
void engine_mcf_repair_tree(EngineMcf *mcf, const gint64 *b, gint64 art_cost) {
  gint n = mcf->n_nodes, m = mcf->n_arcs, root = mcf->root;
  g_autofree gint64 *excess = g_new(gint64, (gsize)n + 1);
  memcpy(excess, b, sizeof(gint64) * (gsize)n);
  excess[root] = 0;
  for (gint a = 0; a < m; a++) {
    if (mcf->state[a] == STATE_TREE)
      continue;
    if (mcf->state[a] == STATE_UPPER && mcf->cap[a] < MCF_INF)
      mcf->flow[a] = mcf->cap[a];
    else
      mcf->flow[a] = 0; /* at its lower bound, or an upper bound now infinite */
    mcf->state[a] = mcf->flow[a] > 0 ? STATE_UPPER : STATE_LOWER;
    excess[mcf->source[a]] -= mcf->flow[a];
    excess[mcf->target[a]] += mcf->flow[a];
  }
  /* Children before parents: the old reverse thread (parent[] changes as we go, the
   * thread is rebuilt after). */
  for (gint u = mcf->rev_thread[root]; u != root; u = mcf->rev_thread[u]) {
    gint e = mcf->pred[u], p = mcf->parent[u];
    if (e >= mcf->art) {
      mcf_hang_from_root(mcf, u, excess[u], art_cost);
      continue;
    }
    gboolean up = mcf->pred_dir[u] == DIR_UP;
    gint64 f = up ? excess[u] : -excess[u];
    gint64 c = f < 0 ? 0 : mcf->cap[e] < MCF_INF && f > mcf->cap[e] ? mcf->cap[e] : f;
    /* Strongly feasible: a unit can still move towards the root over pred[u]. */
    gboolean strong = up ? mcf->cap[e] >= MCF_INF || c < mcf->cap[e] : c > 0;
    mcf->flow[e] = c;
    if (c == f && strong) {
      excess[p] += excess[u];
      continue;
    }
    mcf->state[e] = c > 0 ? STATE_UPPER : STATE_LOWER;
    gint64 shipped = up ? c : -c;
    excess[p] += shipped;
    mcf_hang_from_root(mcf, u, excess[u] - shipped, art_cost);
  }
  mcf_rethread(mcf);
}
