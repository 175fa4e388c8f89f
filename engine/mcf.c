/* mcf.c: an exact min-cost-flow solver, the primal network simplex method.
 *
 * The design follows LEMON's NetworkSimplex.  All state lives in flat arrays indexed by
 * node or arc.  At solve time an artificial root node (index n) is added together with
 * one artificial arc per node, so that the initial spanning tree (every node hangs
 * from the root) carries a feasible flow: a node u with supply >= 0 sends it over
 * u -> root at cost 0, a node with demand receives it over root -> u at cost ART_COST.
 * The tree is stored as parent/pred/pred_dir plus a preorder "thread" list with its
 * reverse, subtree sizes (succ_num) and the last node of every subtree in preorder
 * (last_succ); a pivot updates them in time proportional to the changed part.
 * Entering arcs are chosen by block search (blocks of about sqrt(arcs) arcs, at most
 * MCF_MAX_BLOCK, starting where the previous search stopped or, in a sparse stretch, on
 * the block where it found its arc while that block holds others); the leaving arc is
 * the last blocking arc of the cycle, which keeps the tree strongly feasible and rules
 * out cycling.  Before the first solve the arcs are stored in a mixed order (every k-th
 * arc, as LEMON's arc mixing does), so that a block samples the whole graph instead of
 * one corner of it: on a network built node by node this took 2.5 times fewer pivots.
 * arc_pos maps a caller's arc index to its position.
 *
 * Invariants between pivots: a tree arc e = (s, t) has cost[e] + pi[s] - pi[t] == 0;
 * a non-tree arc has flow 0 (STATE_LOWER) or flow == cap (STATE_UPPER); 0 <= flow <=
 * cap.  Lower bounds are removed before solving (flow and cap are stored minus the
 * lower bound, supplies are shifted) and added back by the accessors.  mcf-check.c
 * checks all of them together with the tree's own shape (parent and pred agree, the
 * thread visits every node once with parents first, so a depth is the parent's plus
 * one, subtree sizes and last successors match the thread): at the end of every solve
 * of a network up to MCF_CHECKED_NODES unless NDEBUG is defined, and after every pivot
 * when a test asks for it (engine_mcf_set_check_tree() in mcf-private.h).
 *
 * Numeric limits.  |cost| <= ENGINE_MCF_MAX_COST = 2^40.  Let B = min(sum |cost|,
 * n_nodes * max |cost|), an upper bound on the cost of any simple path.  ART_COST is
 * B + 1, so a unit of flow over an artificial arc always costs more than any detour
 * through the graph, and every potential is a tree-path cost with |pi| <= 2B + 1.  A
 * reduced cost is then below 2^40 + 2 (2B + 1), which fits in 64 bits when B <= 2^60;
 * this always holds for up to 2^20 nodes, and otherwise whenever sum |cost| <= 2^60.
 * Flows are bounded by the total positive supply, which must stay below
 * ENGINE_MCF_INF; capacities of ENGINE_MCF_INF are infinite.  Violating these limits
 * is a programmer error (a critical warning, and the solve reports INFEASIBLE).
 *
 * Outcomes, in this order: supplies that do not sum to zero are INFEASIBLE; a
 * negative-cost cycle of infinite capacity is UNBOUNDED (whether or not the supplies
 * can be routed); flow left on an artificial arc at the optimum is INFEASIBLE.
 *
 * A solve after engine_mcf_set_cost() or engine_mcf_add_arc() with a zero lower bound
 * starts from the previous optimal tree (its flow stays feasible: a new arc enters as a
 * non-tree arc without flow; only the potentials are recomputed); so does one after
 * engine_mcf_set_capacity(), with the flows the new capacities force and, where the
 * tree cannot carry them, nodes hung from the root by artificial arcs as in the cold
 * start; any other change starts over.  Those warm starts are in mcf-warm.c, and the
 * state it shares with this file in mcf-simplex-private.h.  So that arcs can be added
 * to a solved graph without disturbing the tree, the artificial arcs live at positions
 * art .. art + n_nodes - 1 with art >= n_arcs; user arcs fill 0 .. n_arcs - 1 and
 * the gap between them is room for new arcs (mcf_make_room() moves the artificial
 * block up when it is full).
 */
#include "mcf.h"
#include "mcf-private.h"
#include "mcf-simplex-private.h"

#include <string.h>

#define MCF_MAX_PATH_COST ((gint64)1 << 60)
#define MCF_MIN_BLOCK 10
/* Blocks stop growing with sqrt(arcs) here.  Past a few hundred arcs a larger sample
 * finds hardly better entering arcs but costs its scan on every pivot: on a national
 * round's whole network (4.2 million arcs, blocks of 2,046) blocks of 256 solve it in
 * 3.6 s instead of 13.0 s, on a regional one (660,000 arcs) in 343 ms instead of
 * 707 ms.  Every public DIMACS instance of tests/data has blocks below this. */
#define MCF_MAX_BLOCK 256
/* Networks up to this many nodes have their tree checked at the end of every solve
 * unless NDEBUG: every test's network, where the check costs little.  A national
 * round solves networks of 300,000 nodes some 300 times, and the check would take a
 * twelfth of it. */
#define MCF_CHECKED_NODES 65536

/* Moves every per-arc array so that arc a sits at position pos[a]. */
static void mcf_permute_arcs(EngineMcf *mcf, const gint *pos) {
  gint m = mcf->n_arcs;
  g_autofree gint64 *tmp = g_new(gint64, (gsize)m);
  gint64 *wide[] = {mcf->cap, mcf->cost, mcf->lower};
  for (gsize k = 0; k < G_N_ELEMENTS(wide); k++) {
    if (wide[k] == NULL)
      continue;
    for (gint a = 0; a < m; a++)
      tmp[pos[a]] = wide[k][a];
    memcpy(wide[k], tmp, sizeof(gint64) * (gsize)m);
  }
  gint *narrow = (gint *)tmp;
  gint *ends[] = {mcf->source, mcf->target};
  for (gsize k = 0; k < G_N_ELEMENTS(ends); k++) {
    for (gint a = 0; a < m; a++)
      narrow[pos[a]] = ends[k][a];
    memcpy(ends[k], narrow, sizeof(gint) * (gsize)m);
  }
}

/* Stores the arcs in LEMON's mixed order: with skip k = max(arcs / nodes, 3), arcs
 * 0, 1, 2, ... go to positions 0, k, 2k, ..., then 1, k + 1, ... */
static void mcf_mix_arcs(EngineMcf *mcf) {
  gint m = mcf->n_arcs, n = mcf->n_nodes;
  if (mcf->arc_pos != NULL || n <= 1 || m <= 1)
    return;
  gint skip = MAX(m / n, 3), i = 0, j = 0;
  mcf->arc_pos = g_new(gint, (gsize)m);
  mcf->pos_alloc = m;
  for (gint a = 0; a < m; a++) {
    mcf->arc_pos[a] = i;
    i += skip;
    if (i >= m)
      i = ++j;
  }
  mcf_permute_arcs(mcf, mcf->arc_pos);
}

/* Back to the caller's order (before the arc set changes). */
static void mcf_unmix_arcs(EngineMcf *mcf) {
  if (mcf->arc_pos == NULL)
    return;
  g_autofree gint *back = g_new(gint, (gsize)mcf->n_arcs);
  for (gint a = 0; a < mcf->n_arcs; a++)
    back[mcf->arc_pos[a]] = a;
  mcf_permute_arcs(mcf, back);
  g_clear_pointer(&mcf->arc_pos, g_free);
  mcf->pos_alloc = 0;
}

EngineMcf *engine_mcf_new(guint n_nodes, guint arc_hint) {
  g_return_val_if_fail(n_nodes < (guint)G_MAXINT / 2, NULL);
  g_return_val_if_fail(arc_hint < (guint)G_MAXINT / 2, NULL);

  EngineMcf *mcf = g_new0(EngineMcf, 1);
  gsize nn = (gsize)n_nodes + 1;
  mcf->n_nodes = (gint)n_nodes;
  mcf->arc_alloc = (gint)(arc_hint + n_nodes);
  if (mcf->arc_alloc < 16)
    mcf->arc_alloc = 16;
  mcf->source = g_new(gint, mcf->arc_alloc);
  mcf->target = g_new(gint, mcf->arc_alloc);
  mcf->cap = g_new(gint64, mcf->arc_alloc);
  mcf->cost = g_new(gint64, mcf->arc_alloc);
  mcf->flow = g_new(gint64, mcf->arc_alloc);
  mcf->state = g_new(gint8, mcf->arc_alloc);
  mcf->supply = g_new0(gint64, nn);
  mcf->pi = g_new0(gint64, nn);
  mcf->parent = g_new(gint, nn);
  mcf->pred = g_new(gint, nn);
  mcf->thread = g_new(gint, nn);
  mcf->rev_thread = g_new(gint, nn);
  mcf->succ_num = g_new(gint, nn);
  mcf->last_succ = g_new(gint, nn);
  mcf->dirty_revs = g_new(gint, nn);
  mcf->pred_dir = g_new(gint8, nn);
  mcf->root = (gint)n_nodes;
  return mcf;
}

void engine_mcf_free(EngineMcf *mcf) {
  if (mcf == NULL)
    return;
  g_free(mcf->source);
  g_free(mcf->target);
  g_free(mcf->cap);
  g_free(mcf->cost);
  g_free(mcf->flow);
  g_free(mcf->state);
  g_free(mcf->lower);
  g_free(mcf->arc_pos);
  g_free(mcf->supply);
  g_free(mcf->pi);
  g_free(mcf->parent);
  g_free(mcf->pred);
  g_free(mcf->thread);
  g_free(mcf->rev_thread);
  g_free(mcf->succ_num);
  g_free(mcf->last_succ);
  g_free(mcf->dirty_revs);
  g_free(mcf->pred_dir);
  g_free(mcf);
}

guint engine_mcf_n_nodes(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, 0);
  return (guint)mcf->n_nodes;
}

guint engine_mcf_n_arcs(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, 0);
  return (guint)mcf->n_arcs;
}

static void mcf_unmix_arcs(EngineMcf *mcf);

/* Resizes the arc arrays to `alloc` arcs. */
static void mcf_resize_arcs(EngineMcf *mcf, gint alloc) {
  mcf->source = g_renew(gint, mcf->source, alloc);
  mcf->target = g_renew(gint, mcf->target, alloc);
  mcf->cap = g_renew(gint64, mcf->cap, alloc);
  mcf->cost = g_renew(gint64, mcf->cost, alloc);
  mcf->flow = g_renew(gint64, mcf->flow, alloc);
  mcf->state = g_renew(gint8, mcf->state, alloc);
  if (mcf->lower != NULL)
    mcf->lower = g_renew(gint64, mcf->lower, alloc);
  mcf->arc_alloc = alloc;
}

/* Grows the arc arrays so that one more user arc and the artificial arcs fit. */
static void mcf_reserve_arc(EngineMcf *mcf) {
  if (mcf->n_arcs + mcf->n_nodes + 1 > mcf->arc_alloc)
    mcf_resize_arcs(mcf, mcf->arc_alloc <= G_MAXINT / 2 ? mcf->arc_alloc * 2 : G_MAXINT);
}

/* Makes room for one more user arc at position n_arcs of a warm graph: when the
 * artificial block starts there, it moves up by half the arcs (amortised O(1) per arc)
 * and the tree's references to it follow. */
static void mcf_make_room(EngineMcf *mcf) {
  gint n = mcf->n_nodes, m = mcf->n_arcs;
  if (m < mcf->art)
    return;
  gint shift = MAX(m / 2, 64);
  gint need = mcf->art + shift + n + 1;
  if (need > mcf->arc_alloc)
    mcf_resize_arcs(mcf, need);
  gint from = mcf->art, to = mcf->art + shift;
  memmove(mcf->source + to, mcf->source + from, sizeof(gint) * (gsize)n);
  memmove(mcf->target + to, mcf->target + from, sizeof(gint) * (gsize)n);
  memmove(mcf->cap + to, mcf->cap + from, sizeof(gint64) * (gsize)n);
  memmove(mcf->cost + to, mcf->cost + from, sizeof(gint64) * (gsize)n);
  memmove(mcf->flow + to, mcf->flow + from, sizeof(gint64) * (gsize)n);
  memmove(mcf->state + to, mcf->state + from, sizeof(gint8) * (gsize)n);
  for (gint u = 0; u < n; u++)
    if (mcf->pred[u] >= from)
      mcf->pred[u] += shift;
  mcf->art = to;
}

/* Adds an arc with a zero lower bound to a graph whose tree is optimal, keeping the
 * tree: the arc sits at position n_arcs, outside the tree, without flow. */
static guint mcf_add_arc_warm(EngineMcf *mcf, guint source, guint target, gint64 capacity,
                              gint64 cost) {
  mcf_make_room(mcf);
  gint a = mcf->n_arcs++;
  if (mcf->arc_pos != NULL) {
    if (a >= mcf->pos_alloc) {
      mcf->pos_alloc = MAX(2 * mcf->pos_alloc, 16);
      mcf->arc_pos = g_renew(gint, mcf->arc_pos, mcf->pos_alloc);
    }
    mcf->arc_pos[a] = a;
  }
  if (mcf->lower != NULL)
    mcf->lower[a] = 0;
  mcf->source[a] = (gint)source;
  mcf->target[a] = (gint)target;
  mcf->cap[a] = capacity;
  mcf->cost[a] = cost;
  mcf->flow[a] = 0;
  mcf->state[a] = STATE_LOWER;
  mcf->solved = FALSE;
  return (guint)a;
}

guint engine_mcf_add_arc(EngineMcf *mcf, guint source, guint target, gint64 lower, gint64 capacity,
                         gint64 cost) {
  g_return_val_if_fail(mcf != NULL, 0);
  g_return_val_if_fail(source < (guint)mcf->n_nodes && target < (guint)mcf->n_nodes, 0);
  g_return_val_if_fail(0 <= lower && lower <= capacity && capacity <= MCF_INF, 0);
  g_return_val_if_fail(cost >= -ENGINE_MCF_MAX_COST && cost <= ENGINE_MCF_MAX_COST, 0);
  g_return_val_if_fail(mcf->n_arcs < G_MAXINT / 2 - mcf->n_nodes - 1, 0);

  if (mcf->warm && lower == 0)
    return mcf_add_arc_warm(mcf, source, target, capacity, cost);
  mcf_unmix_arcs(mcf);
  mcf_reserve_arc(mcf);
  gint a = mcf->n_arcs++;
  if (lower != 0 && mcf->lower == NULL)
    mcf->lower = g_new0(gint64, mcf->arc_alloc);
  if (mcf->lower != NULL)
    mcf->lower[a] = lower;
  mcf->source[a] = (gint)source;
  mcf->target[a] = (gint)target;
  mcf->cap[a] = capacity >= MCF_INF ? MCF_INF : capacity - lower;
  mcf->cost[a] = cost;
  mcf->flow[a] = 0;
  mcf->state[a] = STATE_LOWER;
  mcf->warm = FALSE;
  mcf->solved = FALSE;
  return (guint)a;
}

void engine_mcf_set_supply(EngineMcf *mcf, guint node, gint64 supply) {
  g_return_if_fail(mcf != NULL);
  g_return_if_fail(node < (guint)mcf->n_nodes);
  mcf->supply[node] = supply;
  mcf->warm = FALSE;
  mcf->solved = FALSE;
}

void engine_mcf_set_cost(EngineMcf *mcf, guint arc, gint64 cost) {
  g_return_if_fail(mcf != NULL);
  g_return_if_fail(arc < (guint)mcf->n_arcs);
  g_return_if_fail(cost >= -ENGINE_MCF_MAX_COST && cost <= ENGINE_MCF_MAX_COST);
  mcf->cost[arc_index(mcf, arc)] = cost;
  mcf->solved = FALSE;
}

/* ---- setting up ---------------------------------------------------------- */

/* The artificial arc cost B + 1 (see the header comment), or -1 when B exceeds
 * MCF_MAX_PATH_COST. */
static gint64 mcf_art_cost(const EngineMcf *mcf) {
  gint64 sum = 0, max = 0;
  for (gint a = 0; a < mcf->n_arcs; a++) {
    gint64 c = mcf->cost[a] < 0 ? -mcf->cost[a] : mcf->cost[a];
    if (c > max)
      max = c;
    if (sum <= MCF_MAX_PATH_COST)
      sum += c; /* cannot overflow: sum <= 2^60 and c <= 2^40 before the add */
  }
  gint64 by_nodes;
  if (__builtin_mul_overflow(max, (gint64)mcf->n_nodes, &by_nodes))
    by_nodes = G_MAXINT64;
  gint64 bound = MIN(sum, by_nodes);
  return bound <= MCF_MAX_PATH_COST ? bound + 1 : -1;
}

/* Removes lower bounds into `b` (n_nodes entries) and checks the supply limits.
 * Returns FALSE when the supplies do not sum to zero. */
static gboolean mcf_reduced_supplies(const EngineMcf *mcf, gint64 *b, gboolean *out_ok) {
  gint n = mcf->n_nodes;
  gboolean ok = TRUE;
  memcpy(b, mcf->supply, sizeof(gint64) * (gsize)n);
  if (mcf->lower != NULL) {
    for (gint a = 0; a < mcf->n_arcs; a++) {
      gint64 l = mcf->lower[a];
      ok &= !__builtin_sub_overflow(b[mcf->source[a]], l, &b[mcf->source[a]]);
      ok &= !__builtin_add_overflow(b[mcf->target[a]], l, &b[mcf->target[a]]);
    }
  }
  gint64 sum = 0, positive = 0;
  for (gint u = 0; u < n; u++) {
    ok &= !__builtin_add_overflow(sum, b[u], &sum);
    if (b[u] > 0)
      ok &= !__builtin_add_overflow(positive, b[u], &positive);
  }
  ok &= positive < MCF_INF;
  *out_ok = ok;
  return sum == 0;
}

/* Builds the initial tree: every node hangs from the root by its artificial arc. */
static void mcf_init_tree(EngineMcf *mcf, const gint64 *b, gint64 art_cost) {
  gint n = mcf->n_nodes, m = mcf->n_arcs, root = mcf->root;
  for (gint a = 0; a < m; a++) {
    mcf->flow[a] = 0;
    mcf->state[a] = STATE_LOWER;
  }
  mcf->parent[root] = -1;
  mcf->pred[root] = -1;
  mcf->thread[root] = 0;
  mcf->rev_thread[0] = root;
  mcf->succ_num[root] = n + 1;
  mcf->last_succ[root] = root - 1;
  mcf->pi[root] = 0;
  mcf->art = m;
  for (gint u = 0, e = m; u < n; u++, e++) {
    mcf->parent[u] = root;
    mcf->pred[u] = e;
    mcf->thread[u] = u + 1;
    mcf->rev_thread[u + 1] = u;
    mcf->succ_num[u] = 1;
    mcf->last_succ[u] = u;
    mcf->cap[e] = MCF_INF;
    mcf->state[e] = STATE_TREE;
    if (b[u] >= 0) {
      mcf->pred_dir[u] = DIR_UP;
      mcf->pi[u] = 0;
      mcf->source[e] = u;
      mcf->target[e] = root;
      mcf->flow[e] = b[u];
      mcf->cost[e] = 0;
    } else {
      mcf->pred_dir[u] = DIR_DOWN;
      mcf->pi[u] = art_cost;
      mcf->source[e] = root;
      mcf->target[e] = u;
      mcf->flow[e] = -b[u];
      mcf->cost[e] = art_cost;
    }
  }
  mcf->next_arc = 0;
  mcf->has_tree = TRUE;
}

/* ---- one pivot ----------------------------------------------------------- */

/* The block search's progress over one or two stretches of the arcs: the most negative
 * reduced cost so far and its arc, the arcs left in the current block, where that block
 * began and how many negative arcs it holds so far. */
typedef struct {
  gint64 min;
  gint in_arc, left, start, negative;
} McfScan;

/* One stretch [from, to) of the block search below.  TRUE, with the arc it stopped at
 * in *stop, when a block ends holding a negative arc. */
static inline gboolean mcf_scan_arcs(const EngineMcf *mcf, gint from, gint to, McfScan *scan,
                                     gint *stop) {
  const gint *restrict source = mcf->source;
  const gint *restrict target = mcf->target;
  const gint64 *restrict cost = mcf->cost;
  const gint8 *restrict state = mcf->state;
  const gint64 *restrict pi = mcf->pi;
  const gint block = mcf->block_size;
  gint64 best = scan->min;
  gint arc = scan->in_arc, left = scan->left, start = scan->start, negative = scan->negative;
  gboolean found = FALSE;
  gint e;
  for (e = from; e < to; e++) {
    gint64 c = state[e] * (cost[e] + pi[source[e]] - pi[target[e]]);
    negative += c < 0;
    if (c < best) {
      best = c;
      arc = e;
    }
    if (--left == 0) {
      if (best < 0) {
        found = TRUE;
        break;
      }
      left = block;
      start = e + 1;
      negative = 0;
    }
  }
  *scan = (McfScan){best, arc, left, start, negative};
  if (found)
    *stop = e;
  return found;
}

/* Block search: the most negative reduced cost within the first block (scanning
 * cyclically from next_arc) that contains a negative one.  FALSE when optimal.
 *
 * The next search starts after that block, except in a sparse stretch: when this
 * search had to pass a block without a negative arc (or the last one stayed on its
 * block) and the block holds other negative arcs, the next search starts at the same
 * block.  Near an optimum the few negative arcs often lie together (the arcs of one
 * node, say), and a pivot rarely makes them positive; moving on would cost a scan of
 * the whole graph per pivot to come back to them. */
static gboolean mcf_find_entering_arc(EngineMcf *mcf) {
  const gint m = mcf->n_arcs, next = mcf->next_arc;
  McfScan scan = {0, -1, mcf->block_size, next, 0};
  gint e = next; /* after a whole cycle the search stops where it began */
  if (!mcf_scan_arcs(mcf, next, m, &scan, &e) && !mcf_scan_arcs(mcf, 0, next, &scan, &e) &&
      scan.min >= 0)
    return FALSE;
  gboolean passed = scan.start != next;
  if ((passed || mcf->stay) && scan.negative >= 2) {
    mcf->next_arc = scan.start < m ? scan.start : 0;
    mcf->stay = TRUE;
    mcf->stays++;
  } else {
    mcf->next_arc = e < m ? e : 0;
    mcf->stay = FALSE;
  }
  mcf->in_arc = scan.in_arc;
  return TRUE;
}

/* The lowest common ancestor of the entering arc's ends. */
static inline void mcf_find_join_node(EngineMcf *mcf) {
  gint u = mcf->source[mcf->in_arc], v = mcf->target[mcf->in_arc];
  while (u != v) {
    if (mcf->succ_num[u] < mcf->succ_num[v])
      u = mcf->parent[u];
    else
      v = mcf->parent[v];
  }
  mcf->join = u;
}

/* Finds the blocking arc of the cycle (delta: how much flow it admits, MCF_INF when
 * unbounded).  Returns FALSE when the entering arc itself blocks. */
static inline gboolean mcf_find_leaving_arc(EngineMcf *mcf) {
  gint in_arc = mcf->in_arc, join = mcf->join, first, second, result = 0;
  if (mcf->state[in_arc] == STATE_LOWER) {
    first = mcf->source[in_arc];
    second = mcf->target[in_arc];
  } else {
    first = mcf->target[in_arc];
    second = mcf->source[in_arc];
  }
  gint64 delta = mcf->cap[in_arc];
  for (gint u = first; u != join; u = mcf->parent[u]) {
    gint e = mcf->pred[u];
    gint64 d = mcf->flow[e];
    if (mcf->pred_dir[u] == DIR_DOWN)
      d = mcf->cap[e] >= MCF_INF ? MCF_INF : mcf->cap[e] - d;
    if (d < delta) {
      delta = d;
      mcf->u_out = u;
      result = 1;
    }
  }
  for (gint u = second; u != join; u = mcf->parent[u]) {
    gint e = mcf->pred[u];
    gint64 d = mcf->flow[e];
    if (mcf->pred_dir[u] == DIR_UP)
      d = mcf->cap[e] >= MCF_INF ? MCF_INF : mcf->cap[e] - d;
    if (d <= delta) {
      delta = d;
      mcf->u_out = u;
      result = 2;
    }
  }
  if (result == 1) {
    mcf->u_in = first;
    mcf->v_in = second;
  } else {
    mcf->u_in = second;
    mcf->v_in = first;
  }
  mcf->delta = delta;
  return result != 0;
}

/* Pushes delta around the cycle and updates the states of entering/leaving arcs. */
static inline void mcf_change_flow(EngineMcf *mcf, gboolean change) {
  gint in_arc = mcf->in_arc, join = mcf->join;
  if (mcf->delta > 0) {
    gint64 val = mcf->state[in_arc] * mcf->delta;
    mcf->flow[in_arc] += val;
    for (gint u = mcf->source[in_arc]; u != join; u = mcf->parent[u])
      mcf->flow[mcf->pred[u]] -= mcf->pred_dir[u] * val;
    for (gint u = mcf->target[in_arc]; u != join; u = mcf->parent[u])
      mcf->flow[mcf->pred[u]] += mcf->pred_dir[u] * val;
  }
  if (change) {
    gint out = mcf->pred[mcf->u_out];
    mcf->state[in_arc] = STATE_TREE;
    mcf->state[out] = mcf->flow[out] == 0 ? STATE_LOWER : STATE_UPPER;
  } else {
    mcf->state[in_arc] = (gint8)-mcf->state[in_arc];
  }
}

/* Replaces the leaving arc by the entering arc in the tree: the subtree below u_out
 * is re-hung from v_in through u_in, reversing the stem u_in .. u_out. */
static void mcf_update_tree(EngineMcf *mcf) {
  gint *restrict parent = mcf->parent, *restrict thread = mcf->thread;
  gint *restrict rev_thread = mcf->rev_thread, *restrict last_succ = mcf->last_succ;
  gint *restrict succ_num = mcf->succ_num, *restrict pred = mcf->pred;
  gint8 *restrict pred_dir = mcf->pred_dir;
  gint u_in = mcf->u_in, v_in = mcf->v_in, u_out = mcf->u_out, join = mcf->join;
  gint in_arc = mcf->in_arc;
  gint old_rev_thread = rev_thread[u_out];
  gint old_succ_num = succ_num[u_out];
  gint old_last_succ = last_succ[u_out];
  gint v_out = parent[u_out];

  if (u_in == u_out) {
    parent[u_in] = v_in;
    pred[u_in] = in_arc;
    pred_dir[u_in] = u_in == mcf->source[in_arc] ? DIR_UP : DIR_DOWN;
    if (thread[v_in] != u_out) {
      gint after = thread[old_last_succ];
      thread[old_rev_thread] = after;
      rev_thread[after] = old_rev_thread;
      after = thread[v_in];
      thread[v_in] = u_out;
      rev_thread[u_out] = v_in;
      thread[old_last_succ] = after;
      rev_thread[after] = old_last_succ;
    }
  } else {
    /* When old_rev_thread == v_in, join and v_out coincide. */
    gint thread_continue = old_rev_thread == v_in ? thread[old_last_succ] : thread[v_in];
    gint stem = u_in, par_stem = v_in, next_stem;
    gint last = last_succ[u_in], before, after = thread[last];
    gint n_dirty = 0;
    thread[v_in] = u_in;
    mcf->dirty_revs[n_dirty++] = v_in;
    while (stem != u_out) {
      next_stem = parent[stem];
      thread[last] = next_stem;
      mcf->dirty_revs[n_dirty++] = last;
      before = rev_thread[stem];
      thread[before] = after;
      rev_thread[after] = before;
      parent[stem] = par_stem;
      par_stem = stem;
      stem = next_stem;
      last = last_succ[stem] == last_succ[par_stem] ? rev_thread[par_stem] : last_succ[stem];
      after = thread[last];
    }
    parent[u_out] = par_stem;
    thread[last] = thread_continue;
    rev_thread[thread_continue] = last;
    last_succ[u_out] = last;
    if (old_rev_thread != v_in) {
      thread[old_rev_thread] = after;
      rev_thread[after] = old_rev_thread;
    }
    for (gint i = 0; i < n_dirty; i++) {
      gint u = mcf->dirty_revs[i];
      rev_thread[thread[u]] = u;
    }
    gint tmp_sc = 0, tmp_ls = last_succ[u_out];
    for (gint u = u_out, p = parent[u]; u != u_in; u = p, p = parent[u]) {
      pred[u] = pred[p];
      pred_dir[u] = (gint8)-pred_dir[p];
      tmp_sc += succ_num[u] - succ_num[p];
      succ_num[u] = tmp_sc;
      last_succ[p] = tmp_ls;
    }
    pred[u_in] = in_arc;
    pred_dir[u_in] = u_in == mcf->source[in_arc] ? DIR_UP : DIR_DOWN;
    succ_num[u_in] = old_succ_num;
  }

  gint up_limit_out = last_succ[join] == v_in ? join : -1;
  gint last_succ_out = last_succ[u_out];
  for (gint u = v_in; u != -1 && last_succ[u] == v_in; u = parent[u])
    last_succ[u] = last_succ_out;
  if (join != old_rev_thread && v_in != old_rev_thread) {
    for (gint u = v_out; u != up_limit_out && last_succ[u] == old_last_succ; u = parent[u])
      last_succ[u] = old_rev_thread;
  } else if (last_succ_out != old_last_succ) {
    for (gint u = v_out; u != up_limit_out && last_succ[u] == old_last_succ; u = parent[u])
      last_succ[u] = last_succ_out;
  }
  for (gint u = v_in; u != join; u = parent[u])
    succ_num[u] += old_succ_num;
  for (gint u = v_out; u != join; u = parent[u])
    succ_num[u] -= old_succ_num;
}

/* Shifts the potentials of the re-hung subtree so the entering arc's reduced cost
 * becomes zero. */
static inline void mcf_update_potential(EngineMcf *mcf) {
  gint u_in = mcf->u_in;
  gint64 sigma = mcf->pi[mcf->v_in] - mcf->pi[u_in] - mcf->pred_dir[u_in] * mcf->cost[mcf->in_arc];
  gint end = mcf->thread[mcf->last_succ[u_in]];
  for (gint u = u_in; u != end; u = mcf->thread[u])
    mcf->pi[u] += sigma;
}

/* One pivot on mcf->in_arc.  Returns FALSE when its cycle is unbounded. */
static gboolean mcf_pivot(EngineMcf *mcf) {
  mcf->pivots++;
  mcf_find_join_node(mcf);
  gboolean change = mcf_find_leaving_arc(mcf);
  if (mcf->delta >= MCF_INF)
    return FALSE;
  mcf_change_flow(mcf, change);
  if (change) {
    mcf_update_tree(mcf);
    mcf_update_potential(mcf);
  }
  if (mcf->check_pivots)
    engine_mcf_assert_tree(mcf, "after a pivot");
  return TRUE;
}

/* ---- the algorithm ------------------------------------------------------- */

/* Heuristic first pivots (as LEMON does): with one source and one sink, arcs of a
 * reverse search from the sink over arcs wide enough for all the flow; otherwise the
 * cheapest arc into every demand node.  Returns FALSE when unbounded. */
static gboolean mcf_initial_pivots(EngineMcf *mcf, const gint64 *b) {
  gint n = mcf->n_nodes, m = mcf->n_arcs, n_supply = 0, n_demand = 0, s = -1, t = -1;
  gint64 total = 0;
  for (gint u = 0; u < n; u++) {
    if (b[u] > 0) {
      total += b[u];
      n_supply++;
      s = u;
    } else if (b[u] < 0) {
      n_demand++;
      t = u;
    }
  }
  if (total == 0 || m == 0)
    return TRUE;

  g_autofree gint *arcs = g_new(gint, n);
  gint n_arcs = 0;
  if (n_supply == 1 && n_demand == 1) {
    /* In-arcs of the wide arcs as a compressed list, then a depth-first search. */
    g_autofree gint *first = g_new0(gint, (gsize)n + 1);
    g_autofree gint *in = g_new(gint, m);
    g_autofree gint *stack = g_new(gint, n);
    g_autofree gboolean *reached = g_new0(gboolean, n);
    for (gint a = 0; a < m; a++)
      if (mcf->cap[a] >= total)
        first[mcf->target[a]]++;
    for (gint u = 1; u <= n; u++)
      first[u] += first[u - 1]; /* first[v]: end of v's in-arcs; first[n]: all */
    for (gint a = m - 1; a >= 0; a--)
      if (mcf->cap[a] >= total)
        in[--first[mcf->target[a]]] = a; /* first[v]: start of v's in-arcs */
    gint top = 0;
    reached[t] = TRUE;
    stack[top++] = t;
    while (top > 0) {
      gint v = stack[--top];
      if (v == s)
        break;
      for (gint i = first[v]; i < first[v + 1]; i++) {
        gint a = in[i], u = mcf->source[a];
        if (reached[u])
          continue;
        arcs[n_arcs++] = a;
        reached[u] = TRUE;
        stack[top++] = u;
      }
    }
  } else {
    gint *best = mcf->dirty_revs; /* free until the first tree update */
    for (gint u = 0; u < n; u++)
      best[u] = -1;
    for (gint a = 0; a < m; a++) {
      gint v = mcf->target[a];
      if (b[v] < 0 && (best[v] < 0 || mcf->cost[a] < mcf->cost[best[v]]))
        best[v] = a;
    }
    for (gint v = 0; v < n; v++)
      if (best[v] >= 0)
        arcs[n_arcs++] = best[v];
  }

  for (gint i = 0; i < n_arcs; i++) {
    gint a = arcs[i];
    mcf->in_arc = a;
    if (mcf->state[a] * (mcf->cost[a] + mcf->pi[mcf->source[a]] - mcf->pi[mcf->target[a]]) >= 0)
      continue;
    if (!mcf_pivot(mcf))
      return FALSE;
  }
  return TRUE;
}

gboolean engine_mcf_in_range(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, FALSE);
  if (mcf_art_cost(mcf) <= 0)
    return FALSE;
  g_autofree gint64 *b = g_new(gint64, (gsize)mcf->n_nodes + 1);
  gboolean ok;
  mcf_reduced_supplies(mcf, b, &ok);
  return ok;
}

EngineMcfStatus engine_mcf_solve(EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, ENGINE_MCF_INFEASIBLE);
  gint n = mcf->n_nodes, m = mcf->n_arcs;
  gboolean warm = mcf->warm, repair = mcf->repair;
  mcf->warm = FALSE;
  mcf->repair = FALSE;
  mcf->solved = FALSE;

  gint64 art_cost = mcf_art_cost(mcf);
  g_return_val_if_fail(art_cost > 0, ENGINE_MCF_INFEASIBLE);

  if (warm && repair) {
    g_autofree gint64 *b = g_new(gint64, (gsize)n + 1);
    gboolean ok;
    mcf_reduced_supplies(mcf, b, &ok);
    engine_mcf_repair_tree(mcf, b, art_cost);
    if (mcf->check_pivots)
      engine_mcf_assert_tree(mcf, "after the repair of a warm start");
  } else if (warm) {
    engine_mcf_rewarm_tree(mcf);
    if (mcf->check_pivots)
      engine_mcf_assert_tree(mcf, "after the warm start");
  } else {
    g_autofree gint64 *b = g_new(gint64, (gsize)n + 1);
    gboolean ok;
    gboolean balanced = mcf_reduced_supplies(mcf, b, &ok);
    g_return_val_if_fail(ok, ENGINE_MCF_INFEASIBLE);
    if (!balanced)
      return ENGINE_MCF_INFEASIBLE;
    if (n == 0) {
      mcf->solved = TRUE;
      return ENGINE_MCF_OPTIMAL;
    }
    mcf_mix_arcs(mcf);
    mcf_init_tree(mcf, b, art_cost);
    if (!mcf_initial_pivots(mcf, b))
      return ENGINE_MCF_UNBOUNDED;
  }

  gint block = 1; /* floor(sqrt(m)) */
  while ((gint64)(block + 1) * (block + 1) <= m)
    block++;
  mcf->block_size = CLAMP(block, MCF_MIN_BLOCK, MCF_MAX_BLOCK);
  if (mcf->next_arc >= m)
    mcf->next_arc = 0;
  mcf->stay = FALSE;
  while (mcf_find_entering_arc(mcf))
    if (!mcf_pivot(mcf))
      return ENGINE_MCF_UNBOUNDED;
#ifndef NDEBUG
  if (n <= MCF_CHECKED_NODES)
    engine_mcf_assert_tree(mcf, "at the end of a solve");
#endif

  for (gint e = mcf->art; e < mcf->art + n; e++)
    if (mcf->flow[e] != 0)
      return ENGINE_MCF_INFEASIBLE;
  mcf->warm = TRUE;
  mcf->solved = TRUE;
  return ENGINE_MCF_OPTIMAL;
}

const gint64 *engine_mcf_potentials(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL && mcf->solved, NULL);
  return mcf->pi;
}

guint64 engine_mcf_stays(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, 0);
  return mcf->stays;
}

guint64 engine_mcf_pivots(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL, 0);
  return mcf->pivots;
}

gboolean engine_mcf_has_solution(const EngineMcf *mcf) {
  return mcf != NULL && mcf->solved;
}

/* ---- results and accessors ----------------------------------------------- */

gint64 engine_mcf_flow(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && mcf->solved, 0);
  g_return_val_if_fail(arc < (guint)mcf->n_arcs, 0);
  gint a = arc_index(mcf, arc);
  return mcf->flow[a] + arc_lower(mcf, a);
}

gint64 engine_mcf_potential(const EngineMcf *mcf, guint node) {
  g_return_val_if_fail(mcf != NULL && mcf->solved, 0);
  g_return_val_if_fail(node < (guint)mcf->n_nodes, 0);
  return mcf->pi[node];
}

gint64 engine_mcf_total_cost(const EngineMcf *mcf) {
  g_return_val_if_fail(mcf != NULL && mcf->solved, 0);
  gint64 total = 0;
  gboolean ok = TRUE;
  for (gint a = 0; a < mcf->n_arcs; a++) {
    gint64 term;
    ok &= !__builtin_mul_overflow(mcf->flow[a] + arc_lower(mcf, a), mcf->cost[a], &term);
    ok &= !__builtin_add_overflow(total, term, &total);
  }
  g_return_val_if_fail(ok, G_MAXINT64);
  return total;
}

guint engine_mcf_arc_source(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && arc < (guint)mcf->n_arcs, 0);
  return (guint)mcf->source[arc_index(mcf, arc)];
}

guint engine_mcf_arc_target(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && arc < (guint)mcf->n_arcs, 0);
  return (guint)mcf->target[arc_index(mcf, arc)];
}

gint64 engine_mcf_arc_lower(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && arc < (guint)mcf->n_arcs, 0);
  return arc_lower(mcf, arc_index(mcf, arc));
}

gint64 engine_mcf_arc_capacity(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && arc < (guint)mcf->n_arcs, 0);
  gint a = arc_index(mcf, arc);
  return mcf->cap[a] >= MCF_INF ? MCF_INF : mcf->cap[a] + arc_lower(mcf, a);
}

gint64 engine_mcf_arc_cost(const EngineMcf *mcf, guint arc) {
  g_return_val_if_fail(mcf != NULL && arc < (guint)mcf->n_arcs, 0);
  return mcf->cost[arc_index(mcf, arc)];
}

gint64 engine_mcf_supply(const EngineMcf *mcf, guint node) {
  g_return_val_if_fail(mcf != NULL && node < (guint)mcf->n_nodes, 0);
  return mcf->supply[node];
}
