/* mcf-check.c: the checks of the network simplex tree of an EngineMcf: every invariant
 * listed at the top of mcf.c, tested together (engine_mcf_check_tree()), stopping the
 * program when a solve breaks one (engine_mcf_assert_tree()), and the tree as tests see
 * it (engine_mcf_tree()).  Reads the solver's state only.
 */
#include "mcf-private.h"
#include "mcf-simplex-private.h"

#include <stdarg.h>

static gboolean tree_fail(GString *problem, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static gboolean tree_fail(GString *problem, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  if (problem != NULL)
    g_string_append_vprintf(problem, fmt, args);
  va_end(args);
  return FALSE;
}

/* The shape of the tree: parent, pred and pred_dir agree; the thread (with its
 * reverse) visits all n + 1 nodes once, each after its parent, so depth[u] =
 * depth[parent] + 1 is defined; succ_num counts the subtree and last_succ ends its
 * stretch of the thread.  `pos` and `depth` are scratch of n + 1 entries. */
static gboolean mcf_check_shape(const EngineMcf *mcf, gint *pos, gint *depth, GString *problem) {
  gint n = mcf->n_nodes, root = mcf->root, m_end = mcf->art + n;
  if (mcf->parent[root] != -1 || mcf->pred[root] != -1)
    return tree_fail(problem, "the root %d has a parent or pred", root);
  for (gint u = 0; u <= n; u++)
    pos[u] = -1;
  gint u = root;
  for (gint k = 0; k <= n; k++) {
    if (u < 0 || u > n || pos[u] >= 0)
      return tree_fail(problem, "the thread visits node %d twice or leaves the graph", u);
    pos[u] = k;
    if (u == root) {
      depth[u] = 0;
    } else {
      gint p = mcf->parent[u], e = mcf->pred[u];
      if (p < 0 || p > n || pos[p] < 0)
        return tree_fail(problem, "node %d comes before its parent %d in the thread", u, p);
      depth[u] = depth[p] + 1;
      if (e < 0 || e >= m_end || (e >= mcf->n_arcs && e < mcf->art))
        return tree_fail(problem, "node %d has no arc to its parent (pred %d)", u, e);
      if (mcf->state[e] != STATE_TREE)
        return tree_fail(problem, "pred arc %d of node %d is not a tree arc", e, u);
      gboolean up = mcf->source[e] == u && mcf->target[e] == p;
      gboolean down = mcf->source[e] == p && mcf->target[e] == u;
      if (!(mcf->pred_dir[u] == DIR_UP ? up : mcf->pred_dir[u] == DIR_DOWN && down))
        return tree_fail(problem,
                         "pred arc %d does not join node %d to its parent %d as pred_dir"
                         " says",
                         e, u, p);
    }
    gint next = mcf->thread[u];
    if (next < 0 || next > n || mcf->rev_thread[next] != u)
      return tree_fail(problem, "rev_thread does not invert the thread at node %d", u);
    u = next;
  }
  if (u != root)
    return tree_fail(problem, "the thread does not return to the root after %d nodes", n + 1);
  /* Subtree sizes from the children up (reverse preorder), then each subtree's stretch. */
  g_autofree gint *size = g_new(gint, (gsize)(guint)n + 1);
  g_autofree gint *order = g_new(gint, (gsize)(guint)n + 1);
  for (gint v = 0; v <= n; v++) {
    size[v] = 1;
    order[pos[v]] = v;
  }
  for (gint k = n; k > 0; k--)
    size[mcf->parent[order[k]]] += size[order[k]];
  for (gint v = 0; v <= n; v++) {
    if (mcf->succ_num[v] != size[v])
      return tree_fail(problem, "succ_num of node %d is %d, its subtree has %d nodes", v,
                       mcf->succ_num[v], size[v]);
    gint last = pos[v] + size[v] - 1;
    if (order[last] != mcf->last_succ[v])
      return tree_fail(problem, "last_succ of node %d is %d, not %d", v, mcf->last_succ[v],
                       order[last]);
    if (last < n && depth[order[last + 1]] > depth[v])
      return tree_fail(problem, "the subtree of node %d does not end at its last_succ", v);
  }
  return TRUE;
}

/* Every invariant of the tree between pivots (see the header comment).  Returns FALSE
 * with the first broken one appended to `problem` (may be NULL). */
static gboolean mcf_check_tree(const EngineMcf *mcf, GString *problem) {
  gint n = mcf->n_nodes;
  if (!mcf->has_tree)
    return tree_fail(problem, "no tree has been built");
  g_autofree gint *pos = g_new(gint, (gsize)(guint)n + 1);
  g_autofree gint *depth = g_new(gint, (gsize)(guint)n + 1);
  if (!mcf_check_shape(mcf, pos, depth, problem))
    return FALSE;
  for (gint u = 0; u < n; u++) {
    gint e = mcf->pred[u];
    gint64 rc = mcf->cost[e] + mcf->pi[mcf->source[e]] - mcf->pi[mcf->target[e]];
    if (rc != 0)
      return tree_fail(problem, "tree arc %d has reduced cost %" G_GINT64_FORMAT, e, rc);
    gboolean towards_root = mcf->pred_dir[u] == DIR_UP
                                ? mcf->cap[e] >= MCF_INF || mcf->flow[e] < mcf->cap[e]
                                : mcf->flow[e] > 0;
    if (!towards_root)
      return tree_fail(problem, "tree arc %d of node %d can send nothing towards the root", e, u);
  }
  for (gint e = 0; e < mcf->art + n; e++) {
    if (e == mcf->n_arcs)
      e = mcf->art;
    gint64 f = mcf->flow[e];
    if (f < 0 || f > mcf->cap[e])
      return tree_fail(problem, "arc %d carries %" G_GINT64_FORMAT " outside 0..%" G_GINT64_FORMAT,
                       e, f, mcf->cap[e]);
    if ((mcf->state[e] == STATE_LOWER && f != 0) ||
        (mcf->state[e] == STATE_UPPER && f != mcf->cap[e]))
      return tree_fail(problem,
                       "non-tree arc %d carries %" G_GINT64_FORMAT " but is at its %s bound", e, f,
                       mcf->state[e] == STATE_LOWER ? "lower" : "upper");
  }
  return TRUE;
}

void engine_mcf_assert_tree(const EngineMcf *mcf, const char *where) {
  g_autoptr(GString) problem = g_string_new(NULL);
  if (!mcf_check_tree(mcf, problem))
    g_error("network simplex tree broken %s: %s", where, problem->str);
}

gboolean engine_mcf_check_tree(const EngineMcf *mcf, char **out_problem) {
  g_return_val_if_fail(mcf != NULL, FALSE);
  g_autoptr(GString) problem = g_string_new(NULL);
  gboolean ok = mcf_check_tree(mcf, problem);
  if (!ok && out_problem != NULL)
    *out_problem = g_strdup(problem->str);
  return ok;
}

void engine_mcf_set_check_tree(EngineMcf *mcf, gboolean every_pivot) {
  g_return_if_fail(mcf != NULL);
  mcf->check_pivots = every_pivot;
}

void engine_mcf_tree(EngineMcf *mcf, EngineMcfTree *out) {
  g_return_if_fail(mcf != NULL && out != NULL);
  *out = (EngineMcfTree){
      .n_nodes = (guint)mcf->n_nodes + 1,
      .parent = mcf->parent,
      .pred = mcf->pred,
      .thread = mcf->thread,
      .rev_thread = mcf->rev_thread,
      .succ_num = mcf->succ_num,
      .last_succ = mcf->last_succ,
      .pred_dir = mcf->pred_dir,
      .pi = mcf->pi,
      .flow = mcf->flow,
  };
}
