/* test-mcf-tree.c: the debug check of the network simplex spanning tree.  On random
 * problems, and on a round-shaped warm start whose block searches stay on a block, the
 * check runs after every pivot and never fires (so the solver keeps its invariants, not
 * only its answers); on a solved tree broken on purpose, one field at
 * a time, it names what broke; and a broken tree met by a later solve stops the
 * program, seen from a subprocess.
 */
#include <glib.h>
#include <string.h>

#include "mcf-private.h"
#include "mcf.h"
#include "../test-table.h"

/* Three plants of 5, three towns of -5, a depot in between; every plant reaches every
 * town directly (capacity 3) and through the depot. */
static EngineMcf *transport(void) {
  EngineMcf *mcf = engine_mcf_new(7, 16);
  for (guint p = 0; p < 3; p++) {
    engine_mcf_set_supply(mcf, p, 5);
    engine_mcf_set_supply(mcf, 3 + p, -5);
    engine_mcf_add_arc(mcf, p, 6, 0, 10, 2 + p);
    engine_mcf_add_arc(mcf, 6, 3 + p, 0, 10, 3 - p);
    for (guint t = 0; t < 3; t++)
      engine_mcf_add_arc(mcf, p, 3 + t, 0, 3, (gint64)((p * 7 + t * 5) % 9));
  }
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  return mcf;
}

/* A random problem of up to 40 nodes, checked after every pivot while solved, then
 * again after cost and capacity changes and new arcs (the warm starts). */
static void test_every_pivot(gconstpointer data) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(GPOINTER_TO_UINT(data));
  guint n = (guint)g_rand_int_range(rand, 2, 41);
  guint m = (guint)g_rand_int_range(rand, 1, 6 * (gint)n);
  g_autoptr(EngineMcf) mcf = engine_mcf_new(n, m);
  engine_mcf_set_check_tree(mcf, TRUE);
  gint64 total = 0;
  for (guint u = 0; u + 1 < n; u++) {
    gint64 b = g_rand_int_range(rand, -6, 7);
    engine_mcf_set_supply(mcf, u, b);
    total += b;
  }
  engine_mcf_set_supply(mcf, n - 1, -total);
  for (guint a = 0; a < m; a++) {
    guint s = (guint)g_rand_int_range(rand, 0, (gint)n),
          t = (guint)g_rand_int_range(rand, 0, (gint)n);
    gint64 cap =
        g_rand_int_range(rand, 0, 100) < 5 ? ENGINE_MCF_INF : g_rand_int_range(rand, 0, 15);
    gint64 lower = g_rand_int_range(rand, 0, 100) < 10 && cap > 0 ? 1 : 0;
    engine_mcf_add_arc(mcf, s, t, lower, cap, g_rand_int_range(rand, -5, 40));
  }
  EngineMcfStatus status = engine_mcf_solve(mcf);
  g_autofree char *problem = NULL;
  g_assert_true(engine_mcf_check_tree(mcf, &problem));
  g_assert_null(problem);
  if (status != ENGINE_MCF_OPTIMAL)
    return;
  for (guint round = 0; round < 3; round++) {
    for (guint k = 0; k < 4; k++)
      engine_mcf_set_cost(mcf, (guint)g_rand_int_range(rand, 0, (gint)m),
                          g_rand_int_range(rand, -5, 40));
    for (guint k = 0; k < 3; k++) {
      guint a = (guint)g_rand_int_range(rand, 0, (gint)m);
      engine_mcf_set_capacity(mcf, a, engine_mcf_arc_lower(mcf, a) + g_rand_int_range(rand, 0, 12));
    }
    engine_mcf_add_arc(mcf, (guint)g_rand_int_range(rand, 0, (gint)n),
                       (guint)g_rand_int_range(rand, 0, (gint)n), 0, g_rand_int_range(rand, 1, 9),
                       g_rand_int_range(rand, -5, 40));
    status = engine_mcf_solve(mcf);
    g_assert_true(engine_mcf_check_tree(mcf, NULL));
    if (status != ENGINE_MCF_OPTIMAL)
      return;
  }
}

/* A round-shaped network: `workers` units of supply, each through its own arc (the
 * first `workers` arcs, capacity 1) to a worker node with unit arcs to some jobs, each
 * job paying a reward into the sink, and a bypass for what stays unmatched. */
static EngineMcf *staffing(GRand *rand, guint workers, guint jobs, guint per_worker) {
  guint source = 0, sink = 1, first_worker = 2, first_job = 2 + workers;
  EngineMcf *mcf = engine_mcf_new(2 + workers + jobs, workers * (per_worker + 1) + jobs + 1);
  engine_mcf_set_supply(mcf, source, workers);
  engine_mcf_set_supply(mcf, sink, -(gint64)workers);
  for (guint w = 0; w < workers; w++)
    engine_mcf_add_arc(mcf, source, first_worker + w, 0, 1, 0);
  for (guint w = 0; w < workers; w++)
    for (guint k = 0; k < per_worker; k++)
      engine_mcf_add_arc(mcf, first_worker + w,
                         first_job + (guint)g_rand_int_range(rand, 0, (gint)jobs), 0, 1,
                         g_rand_int_range(rand, 0, 1000));
  for (guint j = 0; j < jobs; j++)
    engine_mcf_add_arc(mcf, first_job + j, sink, 0, 1, -5000);
  engine_mcf_add_arc(mcf, source, sink, 0, workers, 0);
  return mcf;
}

/* A warm start that hangs many nodes from the root (every third worker closed) leaves
 * few negative arcs, often together, so block searches stay on the block where they
 * found one (mcf.c): the tree keeps every invariant after every pivot, and the optimum
 * equals that of the same network solved afresh. */
static void test_stay_on_block(void) {
  const guint workers = 600, jobs = 500, per_worker = 12;
  g_autoptr(GRand) rand = g_rand_new_with_seed(20200316);
  g_autoptr(EngineMcf) mcf = staffing(rand, workers, jobs, per_worker);
  g_autoptr(GRand) again = g_rand_new_with_seed(20200316);
  g_autoptr(EngineMcf) fresh = staffing(again, workers, jobs, per_worker);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  guint64 before = engine_mcf_stays(mcf);
  engine_mcf_set_check_tree(mcf, TRUE);
  for (guint w = 0; w < workers; w += 3) {
    engine_mcf_set_capacity(mcf, w, 0);
    engine_mcf_set_capacity(fresh, w, 0);
  }
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_solve(fresh), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, engine_mcf_total_cost(fresh));
  g_assert_cmpuint(engine_mcf_stays(mcf), >, before);
  g_assert_true(engine_mcf_check_tree(mcf, NULL));
}

/* ---- broken on purpose --------------------------------------------------- */

typedef struct {
  const char *path;
  void (*spoil)(EngineMcfTree *tree);
  const char *expected; /* a part of the problem reported */
} Broken;

/* The first node after the root in the thread. */
static gint first(const EngineMcfTree *t) {
  return t->thread[t->n_nodes - 1];
}

static void spoil_potential(EngineMcfTree *t) {
  t->pi[first(t)] += 1;
}

static void spoil_thread(EngineMcfTree *t) {
  gint root = (gint)t->n_nodes - 1, a = first(t);
  t->thread[root] = t->thread[a]; /* skips a */
}

static void spoil_root(EngineMcfTree *t) {
  t->parent[t->n_nodes - 1] = first(t);
}

static void spoil_parent(EngineMcfTree *t) {
  gint a = first(t), b = t->thread[a];
  t->parent[a] = b; /* a's parent now comes after it */
}

static void spoil_pred_dir(EngineMcfTree *t) {
  t->pred_dir[first(t)] = (gint8)-t->pred_dir[first(t)];
}

static void spoil_succ_num(EngineMcfTree *t) {
  t->succ_num[first(t)] += 1;
}

static void spoil_last_succ(EngineMcfTree *t) {
  gint a = first(t);
  t->last_succ[a] = a == t->last_succ[a] ? t->thread[a] : a;
}

static void spoil_flow(EngineMcfTree *t) {
  t->flow[t->pred[first(t)]] = -1;
}

static const Broken broken[] = {
    {"/engine/mcf/tree/broken/potential", spoil_potential, "has reduced cost"},
    {"/engine/mcf/tree/broken/thread-skips", spoil_thread, "rev_thread does not invert"},
    {"/engine/mcf/tree/broken/root", spoil_root, "has a parent or pred"},
    {"/engine/mcf/tree/broken/parent", spoil_parent, "before its parent"},
    {"/engine/mcf/tree/broken/pred-dir", spoil_pred_dir, "as pred_dir says"},
    {"/engine/mcf/tree/broken/succ-num", spoil_succ_num, "succ_num of node"},
    {"/engine/mcf/tree/broken/last-succ", spoil_last_succ, "last_succ of node"},
    {"/engine/mcf/tree/broken/flow", spoil_flow, "outside 0.."},
};

static void test_broken(gconstpointer data) {
  const Broken *b = data;
  g_autoptr(EngineMcf) mcf = transport();
  g_assert_true(engine_mcf_check_tree(mcf, NULL));
  EngineMcfTree tree;
  engine_mcf_tree(mcf, &tree);
  b->spoil(&tree);
  g_autofree char *problem = NULL;
  g_assert_false(engine_mcf_check_tree(mcf, &problem));
  g_assert_nonnull(problem);
  g_test_message("%s", problem);
  g_assert_nonnull(strstr(problem, b->expected));
}

/* No tree before the first solve. */
static void test_unsolved(void) {
  g_autoptr(EngineMcf) mcf = engine_mcf_new(2, 1);
  g_autofree char *problem = NULL;
  g_assert_false(engine_mcf_check_tree(mcf, &problem));
  g_assert_cmpstr(problem, ==, "no tree has been built");
}

/* A later solve that starts from a broken tree stops the program and says why. */
static void test_stops(void) {
  if (g_test_subprocess()) {
    g_autoptr(EngineMcf) mcf = transport();
    EngineMcfTree tree;
    engine_mcf_tree(mcf, &tree);
    spoil_succ_num(&tree);
    engine_mcf_set_check_tree(mcf, TRUE);
    engine_mcf_set_cost(mcf, 0, 1); /* a warm start: the tree is kept */
    engine_mcf_solve(mcf);
    return;
  }
  g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed();
  g_test_trap_assert_stderr("*network simplex tree broken after the warm start*succ_num of node*");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  static const guint32 seeds[] = {1, 2, 3, 4, 5, 6, 7, 8, 42, 1234, 20200316};
  TEST_ADD_SEEDS("/engine/mcf/tree/every-pivot/seed-", seeds, test_every_pivot);
  for (guint i = 0; i < G_N_ELEMENTS(broken); i++)
    g_test_add_data_func(broken[i].path, &broken[i], test_broken);
  g_test_add_func("/engine/mcf/tree/stay-on-block", test_stay_on_block);
  g_test_add_func("/engine/mcf/tree/unsolved", test_unsolved);
  g_test_add_func("/engine/mcf/tree/stops", test_stops);
  return g_test_run();
}
