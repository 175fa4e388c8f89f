/* test-greedy.c: the greedy baseline.  Exact proposals on small datasets (nearest
 * wins, ties by id, posting order beats priority, approvals and rejections, limits,
 * the funnel of what stays open), the band index against brute force anywhere on
 * the globe, and on random datasets: the checker finds nothing, the output is
 * deterministic and sorted, its statistics add up, and no open slot could have taken
 * one more employee.
 */
#include "builder.h"

#include <math.h>
#include <string.h>
#include "../test-table.h"

/* School s-1 at (52.37, 5.22) in d1 with e-1 there, e-2 1112 m north (d1), e-3
 * 3336 m north (d-2, neighbour) and e-4 2037 m east (d1); r-1 is added by each test. */
static ModelDataset *base_dataset(void) {
  ModelDataset *dataset = tb_school_staff();
  tb_worker(dataset, "e-4", "d1", 52.37, 5.25);
  return dataset;
}

/* Checks `dataset`, runs the greedy round on it and asserts its proposals as
 * tb_proposals_text() with detail gives them, unless `expected` is NULL. */
static EngineResult *run(ModelDataset *dataset, const char *expected) {
  tb_finish(dataset);
  EngineResult *result = engine_greedy_run(dataset, NULL);
  g_assert_nonnull(result);
  g_assert_nonnull(result->proposals);
  g_assert_nonnull(result->unfilled);
  if (expected != NULL)
    tb_assert_proposals(dataset, result->proposals, TRUE, expected);
  return result;
}

/* Asserts the travel figures of `result`: metres in all, kilometres per proposal and
 * employees per request. */
static void assert_travel(const EngineResult *result, gint64 total_m, double mean_km,
                          double per_request) {
  g_assert_cmpint(result->stats.total_travel_m, ==, total_m);
  g_assert_cmpfloat_with_epsilon(result->stats.mean_travel_km, mean_km, 1e-9);
  g_assert_cmpfloat_with_epsilon(result->stats.employees_per_request, per_request, 1e-9);
}

/* Asserts how many staff-slots stay open and how many staff `result` needed and filled. */
static void assert_totals(const EngineResult *result, guint open, gint32 needed, gint32 filled) {
  g_assert_cmpuint(result->unfilled->len, ==, open);
  g_assert_cmpint(result->stats.needed, ==, needed);
  g_assert_cmpint(result->stats.filled, ==, filled);
}

static void test_nearest(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_city(dataset, "request r-1 s-1 1 normal - - 10 2020-04-13/morning");
  /* The nearest one is not first in the dataset. */
  tb_find_employee(dataset, "e-1")->active = FALSE;
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-2 2020-04-13 morning 1112 1");
  assert_totals(result, 0, 1, 1);
  assert_travel(result, 1112, 1.112, 1.0);
}

static void test_tie_by_id(void) {
  g_autoptr(ModelDataset) dataset = tb_new();
  tb_city(dataset, "school s-1 d1 52.37,5.22\n"
                   "worker e-b d1 52.38,5.22\n"
                   "worker e-c d1 52.38,5.22\n"
                   "worker e-a d1 52.38,5.22\n"
                   "request r-1 s-1 2 normal - - 10 2020-04-13/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-a 2020-04-13 morning 1112 1\n"
                                                "r-1 e-b 2020-04-13 morning 1112 1");
}

/* The coordinator works down the list as posted: r-1 takes the only employee in
 * reach although r-2, posted later, is urgent. */
static void test_posting_order(void) {
  g_autoptr(ModelDataset) dataset = tb_new();
  tb_city(dataset, "school s-1 d1 52.37,5.22\n"
                   "school s-2 d2 52.40,5.22\n"
                   "worker e-1 d1 52.38,5.22\n"
                   "worker e-2 d3 53.20,6.56\n"
                   "request r-b s-1 1 normal - - 10 2020-04-16/morning\n"
                   "request r-a s-2 1 high - - 10 2020-04-16/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-b e-1 2020-04-16 morning 1112 1");
  assert_totals(result, 1, 2, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpuint(u->request, ==, 1);
  g_assert_cmpint(u->slot.date, ==, TB_THU);
  g_assert_cmpint(u->slot.part, ==, MODEL_PART_MORNING);
  g_assert_cmpint(u->needed, ==, 1);
  tb_assert_funnel(u, 1, 2, 2, 1, 1, 0);
  tb_assert_taken_by(dataset, u, "r-b");
  g_assert_cmpint(result->stats.needed_by_priority[MODEL_PRIORITY_NORMAL], ==, 1);
  g_assert_cmpint(result->stats.needed_by_priority[MODEL_PRIORITY_HIGH], ==, 1);
  g_assert_cmpint(result->stats.filled_by_priority[MODEL_PRIORITY_NORMAL], ==, 1);
  g_assert_cmpint(result->stats.filled_by_priority[MODEL_PRIORITY_HIGH], ==, 0);
}

/* Two staff per slot, e-1 at most one part a week: the weekly limit passes Tuesday
 * on to the next nearest; e-2 works both days (continuity). */
static void test_week_limit_and_continuity(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_find_employee(dataset, "e-1")->max_parts_per_week = 1;
  tb_find_employee(dataset, "e-4")->max_travel_km = 2; /* 2037 m: out of its own reach */
  tb_city(dataset, "request r-1 s-1 2 normal - - 10 2020-04-14/morning 2020-04-13/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-1 2020-04-13 morning 0 1\n"
                                                "r-1 e-2 2020-04-13 morning 1112 17\n"
                                                "r-1 e-2 2020-04-14 morning 1112 17\n"
                                                "r-1 e-3 2020-04-14 morning 3336 2");
  assert_travel(result, 5560, 1.39, 3.0);
}

/* Approved assignments lower the need and occupy their employee; a rejected pair
 * never returns; an approval at the same school marks familiarity. */
static void test_decisions(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  /* A proposed assignment is not a decision; a cancelled one keeps e-2 from that request
   * slot, so e-4 goes. */
  tb_city(dataset, "request r-1 s-1 2 normal - - 10 2020-04-13/morning\n"
                   "request r-2 s-1 2 normal - - 10 2020-04-13/morning 2020-04-14/morning\n"
                   "approved r-1/e-3/2020-04-13/morning rejected r-1/e-1/2020-04-13/morning\n"
                   "approved r-2/e-2/2020-04-13/morning\n"
                   "proposed r-2/e-1/2020-04-14/morning cancelled r-2/e-2/2020-04-14/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-4 2020-04-13 morning 2037 1\n"
                                                "r-2 e-1 2020-04-13 morning 0 17\n"
                                                "r-2 e-1 2020-04-14 morning 0 17\n"
                                                "r-2 e-4 2020-04-14 morning 2037 1");
  g_assert_cmpint(result->stats.approved, ==, 2);
  assert_totals(result, 0, 4, 4);
  g_assert_cmpfloat_with_epsilon(result->stats.employees_per_request, 1.5, 1e-9);
}

/* Required qualifications, vog, activity and both travel limits; preferred ones are
 * reported. */
static void test_qualifications_and_limits(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  ModelQualSet first_aid = MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID);
  ModelQualSet bso = MODEL_QUAL_BIT(MODEL_QUAL_BSO);
  tb_find_employee(dataset, "e-2")->quals |= first_aid;
  tb_find_employee(dataset, "e-2")->max_travel_km = 1;
  tb_find_employee(dataset, "e-3")->quals |= first_aid | bso;
  tb_find_employee(dataset, "e-4")->quals |= first_aid;
  tb_worker(dataset, "e-5", "d1", 52.37, 5.22);
  tb_find_employee(dataset, "e-5")->quals = first_aid; /* no vog */
  tb_worker(dataset, "e-6", "d1", 52.37, 5.22);
  tb_find_employee(dataset, "e-6")->quals |= first_aid;
  tb_find_employee(dataset, "e-6")->active = FALSE;
  tb_worker(dataset, "e-7", "d3", 52.37, 5.22);
  tb_find_employee(dataset, "e-7")->quals |= first_aid | bso;
  tb_set_rules(tb_find_employee(dataset, "e-7")->availability,
               tb_pattern(TB_MON, TB_FRI, MODEL_WEEKDAYS_WORK, 1u << MODEL_PART_AFTERNOON));
  tb_city(dataset, "request r-1 s-1 1 normal first-aid bso 4 2020-04-13/morning "
                   "2020-04-13/afternoon 2020-04-14/morning");
  tb_find_employee(dataset, "e-4")->max_parts_per_week = 1;
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-4 2020-04-13 morning 2037 1\n"
                                                "r-1 e-7 2020-04-13 afternoon 0 4\n"
                                                "r-1 e-3 2020-04-14 morning 3336 6");
  const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, 2);
  g_assert_cmpuint(p->preferred_met, ==, bso);
  p = &g_array_index(result->proposals, EngineProposal, 0);
  g_assert_cmpuint(p->preferred_met, ==, 0);
}

static void test_cancelled(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_city(dataset, "request r-1 s-1 1 normal - - 10 2020-04-13/morning");
  tb_find_request(dataset, "r-1")->status = MODEL_REQUEST_CANCELLED;
  g_autoptr(EngineResult) result = run(dataset, NULL);
  g_assert_cmpuint(result->proposals->len, ==, 0);
  g_assert_cmpuint(result->unfilled->len, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 0);
  g_assert_cmpfloat(result->stats.mean_travel_km, ==, 0.0);
  g_assert_cmpfloat(result->stats.employees_per_request, ==, 0.0);
}

/* A district limit: r-2 (d-3) is neither filled nor explained nor counted, while the
 * approval of r-3 (also d-3) still keeps e-1 from r-1's morning. */
static void test_districts(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_city(dataset, "school s-2 d3 53.20,6.56\n"
                   "worker e-5 d3 53.20,6.56\n"
                   "request r-1 s-1 1 normal - - 10 2020-04-13/morning\n"
                   "request r-2 s-2 1 normal - - 10 2020-04-13/morning\n"
                   "request r-3 s-2 1 normal - - 10 2020-04-13/morning");
  tb_assignments(dataset, "approved r-3/e-1/2020-04-13/morning");
  tb_finish(dataset);
  static const char *const d1[] = {"d1", NULL};
  EngineOptions options;
  engine_options_init(&options);
  options.districts = d1;
  g_autoptr(EngineResult) result = engine_greedy_run(dataset, &options);
  tb_assert_proposals(dataset, result->proposals, TRUE, "r-1 e-2 2020-04-13 morning 1112 1");
  g_assert_cmpuint(result->unfilled->len, ==, 0);
  g_assert_cmpint(result->stats.needed, ==, 1);
  g_assert_cmpint(result->stats.approved, ==, 0);
  g_autoptr(EngineResult) all = engine_greedy_run(dataset, NULL);
  tb_assert_proposals(dataset, all->proposals, TRUE,
                      "r-1 e-2 2020-04-13 morning 1112 1\n"
                      "r-2 e-5 2020-04-13 morning 0 1");
  g_assert_cmpint(all->stats.approved, ==, 1);
}

/* A cancelled approval keeps e-1 from r-1's Monday morning only; the funnel of r-2,
 * whose only candidate e-1 was cancelled there, says so. */
static void test_cancelled_assignment(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_city(dataset, "request r-1 s-1 1 normal - - 10 2020-04-13/morning 2020-04-14/morning\n"
                   "request r-2 s-1 1 normal - - 1 2020-04-15/morning\n"
                   "cancelled r-1/e-1/2020-04-13/morning cancelled r-2/e-1/2020-04-15/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-2 2020-04-13 morning 1112 1\n"
                                                "r-1 e-1 2020-04-14 morning 0 1");
  g_assert_cmpuint(result->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpuint(u->in_range, ==, 1);
  g_assert_cmpuint(u->not_rejected, ==, 1);
  g_assert_cmpuint(u->not_cancelled, ==, 0);
  g_assert_cmpuint(u->left, ==, 0);
}

/* Staff derived from children: 25 children at 10 per staff member, minus 1 own. */
static void test_children(void) {
  g_autoptr(ModelDataset) dataset = base_dataset();
  tb_city(dataset, "request r-1 s-1 -1 normal - - 10 2020-04-13/morning");
  ModelRequest *r = tb_find_request(dataset, "r-1");
  r->children_expected = 25;
  r->own_staff = 1;
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-1 2020-04-13 morning 0 1\n"
                                                "r-1 e-2 2020-04-13 morning 1112 1");
  EngineOptions options = {.children_per_staff = 5, .continuity = TRUE};
  g_autoptr(EngineResult) more = engine_greedy_run(dataset, &options);
  tb_assert_proposals(dataset, more->proposals, TRUE,
                      "r-1 e-1 2020-04-13 morning 0 1\n"
                      "r-1 e-2 2020-04-13 morning 1112 1\n"
                      "r-1 e-3 2020-04-13 morning 3336 2\n"
                      "r-1 e-4 2020-04-13 morning 2037 1");
}

/* Every step of the funnel loses someone for a different reason. */
static void test_funnel(void) {
  g_autoptr(ModelDataset) dataset = tb_new();
  ModelQualSet first_aid = MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID);
  tb_school(dataset, "s-1", "d1", 52.37, 5.22);
  const char *ids[] = {"e-1", "e-2", "e-3", "e-4", "e-5", "e-6", "e-7"};
  for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
    tb_worker(dataset, ids[i], "d1", 52.37, 5.22);
    tb_find_employee(dataset, ids[i])->quals |= first_aid;
  }
  tb_find_employee(dataset, "e-2")->quals &= ~first_aid; /* not qualified */
  tb_find_employee(dataset, "e-3")->lat = 52.40;         /* 3336 m ... */
  tb_find_employee(dataset, "e-3")->max_travel_km = 3;   /* ... beyond its limit */
  tb_set_rules(tb_find_employee(dataset, "e-6")->availability,
               tb_pattern(TB_MON, TB_FRI, MODEL_WEEKDAYS_WORK,
                          1u << MODEL_PART_AFTERNOON)); /* not available */
  tb_find_employee(dataset, "e-7")->active = FALSE;     /* not counted at all */
  tb_city(dataset, "request r-1 s-1 3 normal first-aid - 10 2020-04-13/morning\n"
                   "request r-2 s-1 1 normal - - 10 2020-04-13/morning");
  tb_assignments(dataset,
                 "rejected r-1/e-4/2020-04-13/morning approved r-2/e-5/2020-04-13/morning");
  g_autoptr(EngineResult) result = run(dataset, "r-1 e-1 2020-04-13 morning 0 1");
  g_assert_cmpuint(result->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpuint(u->request, ==, 0);
  g_assert_cmpint(u->needed, ==, 3);
  tb_assert_funnel(u, 2, 5, 4, 3, 2, 1);
  tb_assert_taken_by(dataset, u, "r-2");
  g_assert_cmpint(result->stats.approved, ==, 1);
  g_assert_cmpint(result->stats.needed, ==, 3);
}

/* ---- the band index against brute force --------------------------------- */

typedef struct {
  const char *path;
  double lat, lon; /* the school */
} Place;

static const Place places[] = {
    {"/engine/greedy/index/almere", 52.37, 5.22},
    {"/engine/greedy/index/equator", 0.0, 0.0},
    {"/engine/greedy/index/north-cape", 71.17, 25.78},
    {"/engine/greedy/index/antimeridian", -17.0, 179.99},
    {"/engine/greedy/index/near-pole", 89.95, 10.0},
};

/* 400 employees scattered within about 40 km, limits 1..30 km: for every slot of a
 * one-staff request the greedy pick must be the brute-force nearest (by distance,
 * then id) of those not yet used that week. */
static void test_index(gconstpointer data) {
  const Place *place = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed(7);
  g_autoptr(ModelDataset) dataset = tb_new();
  tb_school(dataset, "s-1", "d1", place->lat, place->lon);
  double spread = 0.4;
  for (guint i = 0; i < 400; i++) {
    g_autofree char *id = g_strdup_printf("e-%03u", i);
    double lat = place->lat + g_rand_double_range(rand, -spread, spread);
    lat = CLAMP(lat, -90.0, 90.0);
    double lon = place->lon + g_rand_double_range(rand, -spread, spread) /
                                  MAX(cos(place->lat * G_PI / 180.0), 0.05);
    if (lon > 180.0)
      lon -= 360.0;
    if (lon < -180.0)
      lon += 360.0;
    tb_worker(dataset, id, "d1", lat, lon);
    ModelEmployee *e = tb_find_employee(dataset, id);
    e->max_travel_km = g_rand_int_range(rand, 1, 31);
    e->max_parts_per_week = 1;
  }
  tb_request(dataset, "r-1", "s-1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_find_request(dataset, "r-1")->max_travel_km = 25;
  tb_add_rule(tb_find_request(dataset, "r-1")->slots,
              tb_pattern(TB_MON, TB_FRI, MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL));
  g_autoptr(EngineResult) result = run(dataset, NULL);
  /* Brute force: rank every employee within both limits. */
  g_autoptr(GArray) ranked = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < dataset->employees->len; i++) {
    const ModelEmployee *e = &g_array_index(dataset->employees, ModelEmployee, i);
    gint64 d = model_distance_m(e->lat, e->lon, place->lat, place->lon);
    if (d <= 1000 * (gint64)MIN(e->max_travel_km, 25))
      g_array_append_val(ranked, i);
  }
  for (guint a = 1; a < ranked->len; a++) /* insertion sort by (distance, id) */
    for (guint b = a; b > 0; b--) {
      const ModelEmployee *x =
          &g_array_index(dataset->employees, ModelEmployee, g_array_index(ranked, guint, b - 1));
      const ModelEmployee *y =
          &g_array_index(dataset->employees, ModelEmployee, g_array_index(ranked, guint, b));
      gint64 dx = model_distance_m(x->lat, x->lon, place->lat, place->lon);
      gint64 dy = model_distance_m(y->lat, y->lon, place->lat, place->lon);
      if (dx < dy || (dx == dy && strcmp(x->id, y->id) < 0))
        break;
      guint t = g_array_index(ranked, guint, b - 1);
      g_array_index(ranked, guint, b - 1) = g_array_index(ranked, guint, b);
      g_array_index(ranked, guint, b) = t;
    }
  /* One part a week each and ten slots a week: slot k of the week takes rank k. */
  guint expected = MIN(ranked->len, 10);
  g_assert_cmpuint(ranked->len, >=, 3);
  g_assert_cmpuint(result->proposals->len, ==, expected);
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    g_assert_cmpuint(p->employee, ==, g_array_index(ranked, guint, i));
  }
}

/* ---- random datasets ---------------------------------------------------- */

static const guint32 seeds[] = {1, 2, 3, 7, 42, 99, 1312, 2020, 31337, 65536, 4000000007u};

static void assert_consistent(const ModelDataset *dataset, const EngineResult *result) {
  const EngineStats *s = &result->stats;
  g_assert_cmpint(s->filled, ==, (gint64)result->proposals->len);
  gint64 travel = 0, missing = 0;
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    const ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, p->request);
    const ModelEmployee *e = &g_array_index(dataset->employees, ModelEmployee, p->employee);
    const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool,
                                               model_dataset_find_school(dataset, r->school_id));
    double lat, lon;
    g_assert_true(model_employee_location(dataset, e, &lat, &lon));
    g_assert_cmpint(p->travel_m, ==, model_distance_m(lat, lon, school->lat, school->lon));
    g_assert_cmpuint(p->preferred_met, ==, e->quals & r->preferred);
    travel += p->travel_m;
    if (i > 0) { /* sorted by request id, slot, employee id */
      const EngineProposal *q = &g_array_index(result->proposals, EngineProposal, i - 1);
      const ModelRequest *rq = &g_array_index(dataset->requests, ModelRequest, q->request);
      const ModelEmployee *eq = &g_array_index(dataset->employees, ModelEmployee, q->employee);
      int c = strcmp(rq->id, r->id);
      if (c == 0)
        c = model_slot_compare(&q->slot, &p->slot);
      if (c == 0)
        c = strcmp(eq->id, e->id);
      g_assert_cmpint(c, <, 0);
    }
  }
  g_assert_cmpint(s->total_travel_m, ==, travel);
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    g_assert_cmpint(u->missing, >, 0);
    g_assert_cmpint(u->missing, <=, u->needed);
    g_assert_cmpuint(u->available, >=, u->qualified);
    g_assert_cmpuint(u->qualified, >=, u->in_range);
    g_assert_cmpuint(u->in_range, >=, u->not_rejected);
    g_assert_cmpuint(u->not_rejected, >=, u->left);
    g_assert_cmpint((gint64)u->left, ==, (gint64)u->needed - u->missing);
    for (guint k = 1; k < u->taken_by->len; k++)
      g_assert_cmpuint(g_array_index(u->taken_by, guint, k - 1), <,
                       g_array_index(u->taken_by, guint, k));
    missing += u->missing;
  }
  g_assert_cmpint(s->needed - s->filled, ==, missing);
  g_assert_cmpint(s->needed, ==,
                  s->needed_by_priority[MODEL_PRIORITY_NORMAL] +
                      s->needed_by_priority[MODEL_PRIORITY_HIGH]);
  g_assert_cmpint(s->filled, ==,
                  s->filled_by_priority[MODEL_PRIORITY_NORMAL] +
                      s->filled_by_priority[MODEL_PRIORITY_HIGH]);
}

/* No open staff-slot could have taken any employee without breaking a rule.  Only
 * proposals of the same employee or the same request slot can interact with the extra
 * one, and dropping proposals from a valid list keeps it valid, so the checker runs on
 * those alone.  At most eight open slots, spread over the list, keep the test quick
 * under the sanitizers. */
static void assert_maximal(const ModelDataset *dataset, const EngineResult *result) {
  guint step = result->unfilled->len / 8 + 1;
  for (guint i = 0; i < result->unfilled->len; i += step) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    for (guint e = 0; e < dataset->employees->len; e++) {
      g_autoptr(GArray) more = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
      for (guint k = 0; k < result->proposals->len; k++) {
        const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, k);
        if (p->employee == e ||
            (p->request == u->request && model_slot_compare(&p->slot, &u->slot) == 0))
          g_array_append_val(more, *p);
      }
      EngineProposal extra = {.request = u->request, .employee = e, .slot = u->slot};
      g_array_append_val(more, extra);
      g_autoptr(GPtrArray) violations = engine_check(dataset, NULL, more);
      g_assert_cmpuint(violations->len, >, 0);
    }
  }
}

static void test_random(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(ModelDataset) dataset = tb_random_dataset(seed);
  g_autoptr(EngineResult) result = engine_greedy_run(dataset, NULL);
  g_test_message("%u employees, %u requests: %u proposals, %u staff-slots open",
                 dataset->employees->len, dataset->requests->len, result->proposals->len,
                 result->unfilled->len);
  g_autoptr(GPtrArray) violations = engine_check(dataset, NULL, result->proposals);
  g_autofree char *text = tb_violations_text(violations);
  g_assert_cmpstr(text, ==, "");
  assert_consistent(dataset, result);
  assert_maximal(dataset, result);
  g_autoptr(EngineResult) again = engine_greedy_run(dataset, NULL);
  g_autofree char *first = tb_proposals_text(dataset, result->proposals, TRUE);
  g_autofree char *second = tb_proposals_text(dataset, again->proposals, TRUE);
  g_assert_cmpstr(first, ==, second);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/engine/greedy/nearest", test_nearest);
  g_test_add_func("/engine/greedy/tie-by-id", test_tie_by_id);
  g_test_add_func("/engine/greedy/posting-order", test_posting_order);
  g_test_add_func("/engine/greedy/week-limit-continuity", test_week_limit_and_continuity);
  g_test_add_func("/engine/greedy/decisions", test_decisions);
  g_test_add_func("/engine/greedy/qualifications-limits", test_qualifications_and_limits);
  g_test_add_func("/engine/greedy/cancelled", test_cancelled);
  g_test_add_func("/engine/greedy/districts", test_districts);
  g_test_add_func("/engine/greedy/cancelled-assignment", test_cancelled_assignment);
  g_test_add_func("/engine/greedy/children", test_children);
  g_test_add_func("/engine/greedy/funnel", test_funnel);
  for (guint i = 0; i < G_N_ELEMENTS(places); i++)
    g_test_add_data_func(places[i].path, &places[i], test_index);
  TEST_ADD_SEEDS("/engine/greedy/random/seed-", seeds, test_random);
  return g_test_run();
}
