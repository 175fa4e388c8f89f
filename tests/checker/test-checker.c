/* test-checker.c: the independent checker of hard constraints.  For every rule H1..H6
 * a small dataset and a proposal list that breaks exactly that rule, with the exact
 * messages expected; a valid list gives no violation; broken output made from a
 * valid one (a duplicated proposal) is always caught.
 */
#include "builder.h"

#include <string.h>
#include "../test-table.h"

/* The base of every case: school s-1 in d1; e-1 at the school, e-2 1112 m north,
 * e-3 3336 m north in d2; r-1 needs 2 staff on every work day part of week 16,
 * r-2 needs 1 on Thursday 16 April morning. */
static ModelDataset *base_dataset(void) {
  ModelDataset *dataset = tb_school_staff();
  tb_request(dataset, "r-1", "s-1", 2, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_add_rule(tb_find_request(dataset, "r-1")->slots,
              tb_pattern(TB_MON, TB_FRI, MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL));
  guint r2 = tb_request(dataset, "r-2", "s-1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_slot(dataset, r2, TB_THU, MODEL_PART_MORNING);
  model_dataset_index(dataset);
  return dataset;
}

/* Runs the checker and returns its messages joined by '\n'. */
static char *check_text(const ModelDataset *dataset, const EngineOptions *options,
                        const GArray *proposals) {
  g_autoptr(GPtrArray) violations = engine_check(dataset, options, proposals);
  g_assert_nonnull(violations);
  return tb_violations_text(violations);
}

/* ---- one case per rule -------------------------------------------------- */

typedef struct {
  const char *path;
  /* Changes the base dataset and fills the proposals (and the options). */
  void (*setup)(ModelDataset *dataset, GArray *proposals, EngineOptions *options);
  gboolean valid_dataset; /* the changed dataset still passes model_dataset_check */
  const char *expected;   /* messages joined by '\n' */
} RuleCase;

static void h1_unavailable(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_set_rules(tb_find_employee(d, "e-1")->availability,
               tb_pattern(TB_MON, TB_NEXT_FRI, MODEL_WEEKDAYS_WORK, 1u << MODEL_PART_MORNING));
  tb_propose(p, d, "r-1/e-1/2020-04-14/morning r-1/e-1/2020-04-14/afternoon");
}

static void h1_twice(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_propose(p, d,
             "r-2/e-1/2020-04-16/morning r-1/e-1/2020-04-16/morning r-1/e-2/2020-04-16/morning");
}

static void h1_approved(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_assignments(d, "approved r-2/e-1/2020-04-16/morning");
  tb_propose(p, d, "r-1/e-1/2020-04-16/morning");
}

static void h2_inactive(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_employee(d, "e-1")->active = FALSE;
  tb_propose(p, d, "r-1/e-1/2020-04-14/morning");
}

static void h2_no_vog(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_employee(d, "e-2")->quals =
      MODEL_QUAL_BIT(MODEL_QUAL_PM) | MODEL_QUAL_BIT(MODEL_QUAL_BSO);
  tb_propose(p, d, "r-1/e-2/2020-04-14/morning");
}

static void h2_required(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_request(d, "r-1")->required =
      MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM) |
      MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID) | MODEL_QUAL_BIT(MODEL_QUAL_SPECIAL_NEEDS);
  tb_find_employee(d, "e-2")->quals |= MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID);
  tb_propose(p, d, "r-1/e-1/2020-04-14/morning r-1/e-2/2020-04-14/morning");
}

static void h3_employee_limit(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_employee(d, "e-3")->max_travel_km = 3;
  tb_find_employee(d, "e-2")->max_travel_km = 1;
  tb_propose(p, d, "r-1/e-3/2020-04-13/morning r-1/e-2/2020-04-13/morning");
}

static void h3_request_limit(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_request(d, "r-1")->max_travel_km = 2; /* e-2 at 1112 m is fine */
  tb_propose(p, d, "r-1/e-2/2020-04-13/morning r-1/e-3/2020-04-13/morning");
}

static void h3_district_centroid(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  /* Without a location of its own e-1 starts from d2's centroid (52.33, 5.25). */
  ModelEmployee *e = tb_find_employee(d, "e-1");
  e->has_location = FALSE;
  tb_set(&e->district_id, "d2");
  tb_find_request(d, "r-1")->max_travel_km = 3;
  tb_propose(p, d, "r-1/e-1/2020-04-13/morning");
}

static void h3_no_location(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  ModelEmployee *e = tb_find_employee(d, "e-1");
  e->has_location = FALSE;
  tb_set(&e->district_id, "d-9");
  tb_propose(p, d, "r-1/e-1/2020-04-13/morning");
}

static void h4_week(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_employee(d, "e-1")->max_parts_per_week = 3;
  tb_assignments(d, "approved r-2/e-1/2020-04-16/morning");
  tb_propose(p, d,
             "r-1/e-1/2020-04-13/morning r-1/e-1/2020-04-14/afternoon r-1/e-1/2020-04-15/morning");
  /* e-2 at its maximum exactly: fine. */
  tb_find_employee(d, "e-2")->max_parts_per_week = 2;
  tb_propose(p, d, "r-1/e-2/2020-04-13/morning r-1/e-2/2020-04-13/afternoon");
}

static void h4_weeks_apart(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  /* One part in week 16 and one in week 17 stay within a maximum of 1 per week; two
   * in week 17 do not. */
  tb_find_employee(d, "e-1")->max_parts_per_week = 1;
  tb_add_rule(tb_find_request(d, "r-2")->slots,
              tb_pattern(TB_NEXT_MON, TB_NEXT_FRI, MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL));
  tb_propose(p, d,
             "r-2/e-1/2020-04-16/morning r-2/e-1/2020-04-20/morning r-2/e-1/2020-04-24/afternoon");
}

static void h5_over(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_assignments(d, "approved r-2/e-2/2020-04-16/morning");
  tb_propose(p, d, "r-2/e-1/2020-04-16/morning");
}

static void h5_over_proposed(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_propose(
      p, d,
      "r-1/e-1/2020-04-17/afternoon r-1/e-2/2020-04-17/afternoon r-1/e-3/2020-04-17/afternoon");
}

static void h5_children(ModelDataset *d, GArray *p, EngineOptions *o) {
  /* 25 children at 13 per staff member is 2 staff, minus 1 of the school's own. */
  ModelRequest *r = tb_find_request(d, "r-1");
  r->staff_needed = -1;
  r->children_expected = 25;
  r->own_staff = 1;
  o->children_per_staff = 13;
  tb_propose(p, d, "r-1/e-1/2020-04-13/morning r-1/e-2/2020-04-13/morning");
}

static void h5_slot(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_propose(p, d, "r-2/e-1/2020-04-17/morning r-2/e-2/2020-04-16/afternoon");
}

static void h5_cancelled(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_request(d, "r-2")->status = MODEL_REQUEST_CANCELLED;
  tb_propose(p, d, "r-2/e-1/2020-04-16/morning");
}

static void h6_rejected(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_assignments(d, "rejected r-1/e-1/2020-04-13/morning");
  /* The pair is excluded on every slot, not only the rejected one. */
  tb_propose(p, d, "r-1/e-1/2020-04-14/afternoon");
  /* The same employee for another request is fine. */
  tb_propose(p, d, "r-2/e-1/2020-04-16/morning");
}

static void h6_approved_again(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_assignments(d, "approved r-1/e-1/2020-04-13/morning");
  tb_propose(p, d, "r-1/e-1/2020-04-13/morning");
}

static void h6_cancelled(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_assignments(d, "cancelled r-1/e-1/2020-04-13/morning");
  tb_propose(p, d, "r-1/e-1/2020-04-13/morning");
  /* Another slot of the request, or the slot for another employee, is fine. */
  tb_propose(p, d, "r-1/e-1/2020-04-14/afternoon r-1/e-2/2020-04-13/morning");
}

static void bad_indices(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  EngineProposal bad_request = tb_proposal(d, "r-1", "e-1", TB_MON, MODEL_PART_MORNING);
  bad_request.request = 99;
  g_array_append_val(p, bad_request);
  EngineProposal bad_employee = tb_proposal(d, "r-1", "e-1", TB_MON, MODEL_PART_MORNING);
  bad_employee.employee = 77;
  g_array_append_val(p, bad_employee);
}

static void mixed(ModelDataset *d, GArray *p, EngineOptions *o) {
  (void)o;
  tb_find_employee(d, "e-3")->active = FALSE;
  tb_find_request(d, "r-2")->status = MODEL_REQUEST_CANCELLED;
  tb_propose(p, d,
             "r-2/e-2/2020-04-16/morning r-1/e-3/2020-04-13/morning r-1/e-1/2020-04-14/morning "
             "r-1/e-1/2020-04-14/morning");
}

static const RuleCase rule_cases[] = {
    {"/engine/checker/h1/unavailable", h1_unavailable, TRUE,
     "H1: employee e-1 is not available: request r-1 2020-04-14 afternoon"},
    {"/engine/checker/h1/twice", h1_twice, TRUE,
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-1 2020-04-16 morning\n"
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-2 2020-04-16 morning"},
    {"/engine/checker/h1/approved", h1_approved, TRUE,
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-1 2020-04-16 morning"},
    {"/engine/checker/h2/inactive", h2_inactive, TRUE,
     "H2: employee e-1 is not active: request r-1 2020-04-14 morning"},
    {"/engine/checker/h2/no-vog", h2_no_vog, TRUE,
     "H2: employee e-2 has no vog: request r-1 2020-04-14 morning"},
    {"/engine/checker/h2/required", h2_required, TRUE,
     "H2: employee e-1 lacks required qualification first-aid: request r-1 2020-04-14 morning\n"
     "H2: employee e-1 lacks required qualification special-needs: request r-1 2020-04-14 "
     "morning\n"
     "H2: employee e-2 lacks required qualification special-needs: request r-1 2020-04-14 "
     "morning"},
    {"/engine/checker/h3/employee-limit", h3_employee_limit, TRUE,
     "H3: employee e-2 would travel 1112 m to school s-1 (limit 1000 m): request r-1 2020-04-13 "
     "morning\n"
     "H3: employee e-3 would travel 3336 m to school s-1 (limit 3000 m): request r-1 2020-04-13 "
     "morning"},
    {"/engine/checker/h3/request-limit", h3_request_limit, TRUE,
     "H3: employee e-3 would travel 3336 m to school s-1 (limit 2000 m): request r-1 2020-04-13 "
     "morning"},
    {"/engine/checker/h3/district-centroid", h3_district_centroid, TRUE,
     "H3: employee e-1 would travel 4892 m to school s-1 (limit 3000 m): request r-1 2020-04-13 "
     "morning"},
    {"/engine/checker/h3/no-location", h3_no_location, FALSE,
     "H3: employee e-1 has no known location: request r-1 2020-04-13 morning"},
    {"/engine/checker/h4/week", h4_week, TRUE,
     "H4: employee e-1 would work 4 day parts in week 2020-W16 (max 3): request r-1 2020-04-13 "
     "morning\n"
     "H4: employee e-1 would work 4 day parts in week 2020-W16 (max 3): request r-1 2020-04-14 "
     "afternoon\n"
     "H4: employee e-1 would work 4 day parts in week 2020-W16 (max 3): request r-1 2020-04-15 "
     "morning"},
    {"/engine/checker/h4/weeks-apart", h4_weeks_apart, TRUE,
     "H4: employee e-1 would work 2 day parts in week 2020-W17 (max 1): request r-2 2020-04-20 "
     "morning\n"
     "H4: employee e-1 would work 2 day parts in week 2020-W17 (max 1): request r-2 2020-04-24 "
     "afternoon"},
    {"/engine/checker/h5/over-approved", h5_over, TRUE,
     "H5: employee e-1 would make 2 staff in a slot that needs 1: request r-2 2020-04-16 "
     "morning"},
    {"/engine/checker/h5/over-proposed", h5_over_proposed, TRUE,
     "H5: employee e-1 would make 3 staff in a slot that needs 2: request r-1 2020-04-17 "
     "afternoon\n"
     "H5: employee e-2 would make 3 staff in a slot that needs 2: request r-1 2020-04-17 "
     "afternoon\n"
     "H5: employee e-3 would make 3 staff in a slot that needs 2: request r-1 2020-04-17 "
     "afternoon"},
    {"/engine/checker/h5/children", h5_children, TRUE,
     "H5: employee e-1 would make 2 staff in a slot that needs 1: request r-1 2020-04-13 "
     "morning\n"
     "H5: employee e-2 would make 2 staff in a slot that needs 1: request r-1 2020-04-13 "
     "morning"},
    {"/engine/checker/h5/slot", h5_slot, TRUE,
     "H5: employee e-1 is proposed for a slot the request does not have: request r-2 2020-04-17 "
     "morning\n"
     "H5: employee e-2 is proposed for a slot the request does not have: request r-2 2020-04-16 "
     "afternoon"},
    {"/engine/checker/h5/cancelled", h5_cancelled, TRUE,
     "H5: employee e-1 is proposed for a cancelled request: request r-2 2020-04-16 morning"},
    {"/engine/checker/h6/rejected", h6_rejected, TRUE,
     "H6: employee e-1 was rejected for this request: request r-1 2020-04-14 afternoon"},
    {"/engine/checker/h6/approved-again", h6_approved_again, TRUE,
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-1 2020-04-13 morning\n"
     "H6: employee e-1 is already approved for this slot: request r-1 2020-04-13 morning"},
    {"/engine/checker/h6/cancelled", h6_cancelled, TRUE,
     "H6: employee e-1's assignment to this slot was cancelled: request r-1 2020-04-13 morning"},
    {"/engine/checker/bad-indices", bad_indices, TRUE,
     "H2: proposal names employee index 77, which does not exist: request r-1 2020-04-13 "
     "morning\n"
     "H5: proposal names request index 99, which does not exist: 2020-04-13 morning"},
    {"/engine/checker/sorted", mixed, TRUE,
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-1 2020-04-14 morning\n"
     "H1: employee e-1 would work 2 times in this slot (max 1): request r-1 2020-04-14 morning\n"
     "H2: employee e-3 is not active: request r-1 2020-04-13 morning\n"
     "H5: employee e-2 is proposed for a cancelled request: request r-2 2020-04-16 morning"},
};

static void test_rule(gconstpointer data) {
  const RuleCase *c = data;
  g_autoptr(ModelDataset) dataset = base_dataset();
  g_autoptr(GArray) proposals = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  EngineOptions options = {.children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF,
                           .continuity = TRUE};
  c->setup(dataset, proposals, &options);
  model_dataset_index(dataset);
  if (c->valid_dataset)
    tb_finish(dataset);
  g_autofree char *text = check_text(dataset, &options, proposals);
  g_assert_cmpstr(text, ==, c->expected);
}

/* ---- valid lists -------------------------------------------------------- */

static void test_valid(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_find_employee(dataset, "e-1")->max_parts_per_week = 3;
  tb_assignments(dataset,
                 "approved r-1/e-1/2020-04-13/morning rejected r-2/e-3/2020-04-16/morning");
  /* Proposed assignments in the dataset do not count; a cancelled one keeps e-2 from
   * that slot of r-1 only, not from the day part. */
  tb_assignments(dataset,
                 "proposed r-2/e-2/2020-04-16/morning cancelled r-1/e-2/2020-04-14/morning");
  tb_add_rule(tb_find_request(dataset, "r-2")->slots, tb_one(TB_TUE, MODEL_PART_MORNING));
  tb_finish(dataset);
  g_autoptr(GArray) proposals = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  tb_propose(proposals, dataset,
             "r-1/e-2/2020-04-13/morning r-1/e-1/2020-04-13/afternoon r-2/e-2/2020-04-14/morning "
             "r-1/e-3/2020-04-14/morning r-2/e-1/2020-04-16/morning r-1/e-2/2020-04-16/morning");
  g_autofree char *text = check_text(dataset, NULL, proposals);
  g_assert_cmpstr(text, ==, "");
}

static void test_empty(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_assignments(dataset, "approved r-2/e-1/2020-04-16/morning");
  tb_finish(dataset);
  g_autoptr(GArray) proposals = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  g_autoptr(GPtrArray) none = engine_check(dataset, NULL, proposals);
  g_assert_cmpuint(none->len, ==, 0);
  g_autoptr(GPtrArray) null_list = engine_check(dataset, NULL, NULL);
  g_assert_cmpuint(null_list->len, ==, 0);
  engine_violation_free(NULL);
}

/* The default ratio (10) derives 2 staff from 25 children minus 1 own: two fit. */
static void test_options_default(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  ModelRequest *r = tb_find_request(dataset, "r-1");
  r->staff_needed = -1;
  r->children_expected = 25;
  r->own_staff = 1;
  tb_finish(dataset);
  g_autoptr(GArray) proposals = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  tb_propose(proposals, dataset, "r-1/e-1/2020-04-13/morning r-1/e-2/2020-04-13/morning");
  g_autofree char *text = check_text(dataset, NULL, proposals);
  g_assert_cmpstr(text, ==, "");
  tb_propose(proposals, dataset, "r-1/e-3/2020-04-13/morning");
  g_autofree char *over = check_text(dataset, NULL, proposals);
  g_assert_cmpstr(over, ==,
                  "H5: employee e-1 would make 3 staff in a slot that needs 2: request r-1 "
                  "2020-04-13 morning\n"
                  "H5: employee e-2 would make 3 staff in a slot that needs 2: request r-1 "
                  "2020-04-13 morning\n"
                  "H5: employee e-3 would make 3 staff in a slot that needs 2: request r-1 "
                  "2020-04-13 morning");
}

/* ---- attacks on valid output -------------------------------------------- */

static const guint32 seeds[] = {1, 2, 3, 7, 42, 1312, 2020, 31337, 65536, 4000000007u};

/* Greedy's output is valid; duplicating any one of its proposals must be reported
 * (twice in the slot: H1), and pointing one at an unavailable slot likewise. */
static void test_duplicate(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(ModelDataset) dataset = tb_random_dataset(seed);
  g_autoptr(EngineResult) result = engine_greedy_run(dataset, NULL);
  g_autoptr(GPtrArray) clean = engine_check(dataset, NULL, result->proposals);
  g_autofree char *clean_text = tb_violations_text(clean);
  g_assert_cmpstr(clean_text, ==, "");
  for (guint i = 0; i < result->proposals->len; i++) {
    g_autoptr(GArray) broken = g_array_copy(result->proposals);
    EngineProposal p = g_array_index(broken, EngineProposal, i);
    g_array_append_val(broken, p);
    g_autoptr(GPtrArray) found = engine_check(dataset, NULL, broken);
    guint h1 = 0;
    for (guint k = 0; k < found->len; k++)
      if (strcmp(((EngineViolation *)g_ptr_array_index(found, k))->rule, "H1") == 0)
        h1++;
    g_assert_cmpuint(h1, ==, 2);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(rule_cases); i++)
    g_test_add_data_func(rule_cases[i].path, &rule_cases[i], test_rule);
  g_test_add_func("/engine/checker/valid", test_valid);
  g_test_add_func("/engine/checker/empty", test_empty);
  g_test_add_func("/engine/checker/options-default", test_options_default);
  TEST_ADD_SEEDS("/engine/checker/duplicate/seed-", seeds, test_duplicate);
  return g_test_run();
}
