/* test-match-scope.c: what a round may look at and what it must leave alone.  A
 * district limit matches, explains and counts only the requests of the listed
 * districts, while approvals elsewhere keep their employees busy; a cancelled
 * assignment keeps its employee from that request slot in every later round, and a
 * re-match of freed slots takes only the slots cancellations freed.  Each
 * test fails when the network builder, the funnel or the statistics ignore the rule it
 * names.
 */
#include <string.h>

#include "builder.h"
#include "match-private.h"

static const ModelPart AM = MODEL_PART_MORNING;

static const char *const ONLY_D1[] = {"d1", NULL};

static EngineResult *run_with(const ModelDataset *ds, const char *const *districts) {
  EngineOptions options;
  engine_options_init(&options);
  options.districts = districts;
  g_autoptr(GError) error = NULL;
  EngineResult *result = engine_match_run(ds, &options, &error);
  g_assert_no_error(error);
  g_assert_nonnull(result);
  return result;
}

/* s1 in d1 and s2 8 km north in d3.  r1 (s1) needs two on Monday morning, r2 (s2) one,
 * r3 (s2) has e2's approval on Tuesday, which is e2's one day part of the week.  e1 is
 * at s1, e2 4 km north, e3 at s2 but travels only 5 km. */
static ModelDataset *two_districts(void) {
  ModelDataset *ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "school s2 d3 8km\n"
              "request r1 s1 2 normal - - 10 2020-04-13/morning\n"
              "request r2 s2 1 high - - 10 2020-04-13/morning\n"
              "request r3 s2 1 normal - - 10 2020-04-14/morning\n"
              "employee e1 d1 0km vog 10 10 2020-04-13/morning\n"
              "employee e2 d1 4km vog 1 10 2020-04-13/morning 2020-04-14/morning\n"
              "employee e3 d3 8km vog 10 5 2020-04-13/morning");
  tb_assignments(ds, "approved r3/e2/2020-04-14/morning");
  tb_finish(ds);
  return ds;
}

static void test_districts_all(void) {
  g_autoptr(ModelDataset) ds = two_districts();
  g_autoptr(EngineResult) result = run_with(ds, NULL);
  tb_assert_proposals(ds, result->proposals, FALSE,
                      "r1/e1/2020-04-13/morning r2/e3/2020-04-13/morning");
  g_assert_cmpint(result->stats.needed, ==, 3);
  g_assert_cmpint(result->stats.approved, ==, 1);
}

/* Only d1: r2 gets nothing and is not explained; r3's approval in d3 is not counted
 * but still holds e2's week, so r1 stays one short. */
static void test_districts_limit(void) {
  g_autoptr(ModelDataset) ds = two_districts();
  g_autoptr(EngineResult) result = run_with(ds, ONLY_D1);
  tb_assert_proposals(ds, result->proposals, FALSE, "r1/e1/2020-04-13/morning");
  g_assert_cmpuint(result->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpstr(tb_request_id(ds, u->request), ==, "r1");
  g_assert_cmpint(u->missing, ==, 1);
  g_assert_cmpuint(u->available, ==, 3);
  g_assert_cmpuint(u->in_range, ==, 2);
  g_assert_cmpuint(u->left, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 2);
  g_assert_cmpint(result->stats.needed_by_priority[MODEL_PRIORITY_HIGH], ==, 0);
  g_assert_cmpint(result->stats.filled, ==, 1);
  g_assert_cmpint(result->stats.approved, ==, 0);
  g_autoptr(GPtrArray) violations = engine_check(ds, NULL, result->proposals);
  g_assert_cmpuint(violations->len, ==, 0);
}

/* A district without requests: nothing to match, the snapshot is untouched. */
static void test_districts_empty(void) {
  g_autoptr(ModelDataset) ds = two_districts();
  static const char *const d2[] = {"d2", NULL};
  g_autoptr(EngineResult) result = run_with(ds, d2);
  tb_assert_proposals(ds, result->proposals, FALSE, "");
  g_assert_cmpuint(result->unfilled->len, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 0);
  g_assert_cmpuint(result->stats.nodes, ==, 0);
  for (guint i = 0; i < ds->requests->len; i++)
    g_assert_cmpint(g_array_index(ds->requests, ModelRequest, i).status, ==, MODEL_REQUEST_OPEN);
}

/* The exported network leaves the other districts' requests out. */
static void test_districts_network(void) {
  g_autoptr(ModelDataset) ds = two_districts();
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) all = engine_match_network(ds, &options, &error);
  g_assert_no_error(error);
  options.districts = ONLY_D1;
  g_autoptr(EngineMcf) d1 = engine_match_network(ds, &options, &error);
  g_assert_no_error(error);
  /* Everything: source, sink, e1 and e3 Monday, r1 and r2 Monday (e2's week is full).
   * d1: source, sink, e1 Monday, r1 Monday. */
  g_assert_cmpuint(engine_mcf_n_nodes(all), ==, 6);
  g_assert_cmpuint(engine_mcf_n_nodes(d1), ==, 4);
}

/* s1 with r1 on Monday and Tuesday morning and r2 (`r2_staff`, `r2_priority`) on
 * Monday afternoon; e1 at s1, available for all three, whose approval for r1 on Monday
 * morning was cancelled (illness), and e2 3 km north, available that morning only. */
static ModelDataset *cancelled_city(gint32 r2_staff, ModelPriority r2_priority) {
  ModelDataset *ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 1 normal - - 10 2020-04-13/morning 2020-04-14/morning\n"
              "request r2 s1 1 normal - - 10 2020-04-13/afternoon\n"
              "employee e1 d1 0km vog 10 10 2020-04-13/morning 2020-04-13/afternoon "
              "2020-04-14/morning\n"
              "employee e2 d1 3km vog 10 10 2020-04-13/morning");
  ModelRequest *r2 = tb_find_request(ds, "r2");
  r2->staff_needed = r2_staff;
  r2->priority = r2_priority;
  tb_assignments(ds, "cancelled r1/e1/2020-04-13/morning");
  tb_finish(ds);
  return ds;
}

/* e1 at s1 was approved for r1 on Monday morning and fell ill: the approval was
 * cancelled.  The next round sends e2 (3 km) that morning, and may still send e1 on
 * Tuesday and to other requests on Monday. */
static void test_cancelled_slot(void) {
  g_autoptr(ModelDataset) ds = cancelled_city(1, MODEL_PRIORITY_NORMAL);
  g_autoptr(EngineResult) result = run_with(ds, NULL);
  tb_assert_proposals(
      ds, result->proposals, FALSE,
      "r1/e2/2020-04-13/morning r1/e1/2020-04-14/morning r2/e1/2020-04-13/afternoon");
  g_assert_cmpuint(result->unfilled->len, ==, 0);
  g_autoptr(GPtrArray) violations = engine_check(ds, NULL, result->proposals);
  g_assert_cmpuint(violations->len, ==, 0);
}

/* When the cancelled employee was the only one, the slot stays open and the funnel
 * says why: in range, not rejected, but cancelled there. */
static void test_cancelled_funnel(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 1 high - - 10 2020-04-15/morning\n"
              "employee e1 d1 0km vog 10 10 2020-04-15/morning");
  tb_assignments(ds, "cancelled r1/e1/2020-04-15/morning");
  tb_finish(ds);
  g_autoptr(EngineResult) result = run_with(ds, NULL);
  tb_assert_proposals(ds, result->proposals, FALSE, "");
  g_assert_cmpuint(result->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpint(u->missing, ==, 1);
  g_assert_cmpuint(u->available, ==, 1);
  g_assert_cmpuint(u->qualified, ==, 1);
  g_assert_cmpuint(u->in_range, ==, 1);
  g_assert_cmpuint(u->not_rejected, ==, 1);
  g_assert_cmpuint(u->not_cancelled, ==, 0);
  g_assert_cmpuint(u->left, ==, 0);
  g_assert_cmpuint(u->taken_by->len, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 1);
  g_assert_cmpint(result->stats.approved, ==, 0);
}

/* The re-match of freed slots: of r1's Monday and Tuesday mornings and r2's Monday
 * afternoon, only Monday morning was freed by e1's cancellation.  The round matches and
 * counts that slot alone, with e2; the others are neither proposed nor explained. */
static void test_freed_only(void) {
  g_autoptr(ModelDataset) ds = cancelled_city(2, MODEL_PRIORITY_HIGH);
  EngineOptions options;
  engine_options_init(&options);
  options.freed_only = TRUE;
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineResult) result = engine_match_run(ds, &options, &error);
  g_assert_no_error(error);
  tb_assert_proposals(ds, result->proposals, FALSE, "r1/e2/2020-04-13/morning");
  g_assert_cmpuint(result->unfilled->len, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 1);
  g_assert_cmpint(result->stats.needed_by_priority[MODEL_PRIORITY_HIGH], ==, 0);
  /* With e2 gone too, the freed slot is the only one explained. */
  tb_find_employee(ds, "e2")->active = FALSE;
  g_autoptr(EngineResult) open = engine_match_run(ds, &options, &error);
  g_assert_no_error(error);
  tb_assert_proposals(ds, open->proposals, FALSE, "");
  g_assert_cmpuint(open->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(open->unfilled, EngineUnfilled, 0);
  g_assert_cmpstr(tb_request_id(ds, u->request), ==, "r1");
  g_assert_cmpint(u->slot.part, ==, AM);
  g_assert_cmpint(u->not_cancelled, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/match/districts/all", test_districts_all);
  g_test_add_func("/match/districts/limit", test_districts_limit);
  g_test_add_func("/match/districts/empty", test_districts_empty);
  g_test_add_func("/match/districts/network", test_districts_network);
  g_test_add_func("/match/cancelled/slot", test_cancelled_slot);
  g_test_add_func("/match/cancelled/funnel", test_cancelled_funnel);
  g_test_add_func("/match/cancelled/freed-only", test_freed_only);
  return g_test_run();
}
