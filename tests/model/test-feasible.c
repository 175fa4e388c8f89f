/* test-feasible.c: the pair-feasibility predicate.  Each rule failing alone gives its
 * reason; where two fail, the earlier one in the fixed order wins (a table of pairs of
 * rules, so a reordering fails here); and the dataset form reads rejected and
 * cancelled decisions, availability and locations from the dataset itself.
 */
#include "builder.h"

/* Everything holds: 3 km, both limits 10 km, vog and pm held and pm required. */
static void good(ModelPairFacts *pair, ModelSlotFacts *slot) {
  *pair = (ModelPairFacts){.active = TRUE,
                           .quals = VOG | PM,
                           .required = PM,
                           .employee_km = 10,
                           .request_km = 10,
                           .distance_m = 3000};
  *slot = (ModelSlotFacts){.available = TRUE, .cancelled = FALSE};
}

/* Breaks rule `reason` in the facts. */
static void spoil(ModelFeasibility reason, int variant, ModelPairFacts *pair,
                  ModelSlotFacts *slot) {
  switch (reason) {
  case MODEL_INFEASIBLE_UNAVAILABLE:
    if (variant == 0)
      pair->active = FALSE;
    else
      slot->available = FALSE;
    break;
  case MODEL_INFEASIBLE_UNQUALIFIED:
    pair->quals &= variant == 0 ? ~VOG : ~PM;
    break;
  case MODEL_INFEASIBLE_TOO_FAR:
    if (variant == 0)
      pair->employee_km = 2;
    else if (variant == 1)
      pair->request_km = 2;
    else
      pair->distance_m = -1;
    break;
  case MODEL_INFEASIBLE_REJECTED:
    pair->rejected = TRUE;
    break;
  case MODEL_INFEASIBLE_CANCELLED:
    slot->cancelled = TRUE;
    break;
  case MODEL_INFEASIBLE_REQUEST_CANCELLED:
    pair->request_cancelled = TRUE;
    break;
  default:
    g_assert_not_reached();
  }
}

static const int n_variants[] = {
    [MODEL_INFEASIBLE_UNAVAILABLE] = 2, [MODEL_INFEASIBLE_UNQUALIFIED] = 2,
    [MODEL_INFEASIBLE_TOO_FAR] = 3,     [MODEL_INFEASIBLE_REJECTED] = 1,
    [MODEL_INFEASIBLE_CANCELLED] = 1,   [MODEL_INFEASIBLE_REQUEST_CANCELLED] = 1,
};

static void test_each_rule(void) {
  ModelPairFacts pair;
  ModelSlotFacts slot;
  good(&pair, &slot);
  g_assert_cmpint(model_feasible(&pair, &slot), ==, MODEL_FEASIBLE);
  /* The limits are inclusive. */
  pair.distance_m = 10000;
  g_assert_cmpint(model_feasible(&pair, &slot), ==, MODEL_FEASIBLE);
  pair.distance_m = 10001;
  g_assert_cmpint(model_feasible(&pair, &slot), ==, MODEL_INFEASIBLE_TOO_FAR);
  for (int r = MODEL_INFEASIBLE_UNAVAILABLE; r <= MODEL_INFEASIBLE_REQUEST_CANCELLED; r++)
    for (int v = 0; v < n_variants[r]; v++) {
      good(&pair, &slot);
      spoil((ModelFeasibility)r, v, &pair, &slot);
      g_assert_cmpstr(model_feasibility_name(model_feasible(&pair, &slot)), ==,
                      model_feasibility_name((ModelFeasibility)r));
    }
}

/* Two rules broken at once: the earlier one is reported, whichever variant. */
static void test_order(void) {
  for (int a = MODEL_INFEASIBLE_UNAVAILABLE; a <= MODEL_INFEASIBLE_REQUEST_CANCELLED; a++)
    for (int b = a + 1; b <= MODEL_INFEASIBLE_REQUEST_CANCELLED; b++)
      for (int va = 0; va < n_variants[a]; va++)
        for (int vb = 0; vb < n_variants[b]; vb++) {
          ModelPairFacts pair;
          ModelSlotFacts slot;
          good(&pair, &slot);
          spoil((ModelFeasibility)b, vb, &pair, &slot);
          spoil((ModelFeasibility)a, va, &pair, &slot);
          g_assert_cmpint(model_feasible(&pair, &slot), ==, a);
        }
}

static void test_names(void) {
  g_assert_cmpstr(model_feasibility_name(MODEL_FEASIBLE), ==, "feasible");
  g_assert_cmpstr(model_feasibility_name(MODEL_INFEASIBLE_CANCELLED), ==, "cancelled");
  g_assert_cmpstr(model_feasibility_name(MODEL_INFEASIBLE_REQUEST_CANCELLED), ==,
                  "request_cancelled");
}

/* e1 at the school, available on Tuesday 14 April both parts; e2 without a location in
 * a district without a centroid match (too far); decisions on r1. */
static ModelDataset *dataset(void) {
  ModelDataset *ds = model_dataset_new();
  tb_district(ds, "d1", NULL, 52.3638, 5.2070);
  tb_school(ds, "s1", "d1", 52.3638, 5.2070);
  tb_organisation(ds, "o1");
  guint e1 = tb_employee(ds, "e1", "d1", 52.3638 + 5.0 / 111.195, 5.2070, VOG | PM, 10,
                         10); /* 5 km north */
  guint r1 = tb_request(ds, "r1", "s1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  guint r2 = tb_request(ds, "r2", "s1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 4);
  for (ModelPart part = MODEL_PART_MORNING; part <= MODEL_PART_AFTERNOON; part++) {
    tb_available(ds, e1, TB_TUE, part);
    tb_slot(ds, r1, TB_TUE, part);
  }
  tb_slot(ds, r2, TB_TUE, MODEL_PART_AFTERNOON);
  model_dataset_index(ds);
  return ds;
}

static ModelSlot at(const char *date, ModelPart part) {
  return (ModelSlot){tb_date(date), part};
}

static void test_dataset(void) {
  g_autoptr(ModelDataset) ds = dataset();
  ModelSlot am = at("2020-04-14", MODEL_PART_MORNING);
  ModelSlot pm = at("2020-04-14", MODEL_PART_AFTERNOON);
  ModelSlot wed = at("2020-04-15", MODEL_PART_MORNING);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, am), ==, MODEL_FEASIBLE);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, wed), ==, MODEL_INFEASIBLE_UNAVAILABLE);
  g_assert_cmpint(model_dataset_feasible(ds, 1, 0, am), ==, MODEL_INFEASIBLE_TOO_FAR);
  ModelPairFacts pair;
  model_pair_facts_init(&pair, ds, 0, 0);
  g_assert_cmpint(pair.distance_m, ==, 5000);
  g_assert_false(pair.rejected);
  /* A cancellation excludes that request slot only. */
  tb_assignment(ds->assignments, "a1", "r1", "e1", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_CANCELLED, NULL);
  model_dataset_index(ds);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, am), ==, MODEL_INFEASIBLE_CANCELLED);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, pm), ==, MODEL_FEASIBLE);
  /* A rejection excludes the pair, and comes before the cancellation. */
  tb_assignment(ds->assignments, "a2", "r1", "e1", tb_date("2020-04-14"), MODEL_PART_AFTERNOON,
                MODEL_ASSIGNMENT_REJECTED, NULL);
  model_dataset_index(ds);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, am), ==, MODEL_INFEASIBLE_REJECTED);
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, pm), ==, MODEL_INFEASIBLE_REJECTED);
  g_array_index(ds->requests, ModelRequest, 0).status = MODEL_REQUEST_CANCELLED;
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, pm), ==, MODEL_INFEASIBLE_REJECTED);
  /* An employee without a location is too far from everywhere. */
  ModelEmployee *e1 = &g_array_index(ds->employees, ModelEmployee, 0);
  e1->has_location = FALSE;
  g_free(e1->district_id);
  e1->district_id = g_strdup("nowhere");
  g_assert_cmpint(model_dataset_feasible(ds, 0, 0, am), ==, MODEL_INFEASIBLE_TOO_FAR);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/model/feasible/each-rule", test_each_rule);
  g_test_add_func("/model/feasible/order", test_order);
  g_test_add_func("/model/feasible/names", test_names);
  g_test_add_func("/model/feasible/dataset", test_dataset);
  return g_test_run();
}
