/* test-match-objective.c: each term of the round's cost in metres (engine/match.h),
 * with a case that fails when the term is dropped or ranked differently: travel in
 * metres rather than whole kilometres, the district as a small surcharge below
 * travel, the stability bonus for an undecided proposal (and the kept / new / dropped
 * counts), the fair round's spread of lending across organisations, and the
 * continuity charge as a round option trading faces for travel.  The brute-force test
 * checks the sum.
 */
#include <math.h>
#include <string.h>

#include "builder.h"
#include "../engine-assert.h"

#define AM MODEL_PART_MORNING

static void assert_proposals(const ModelDataset *ds, const EngineResult *result, const char *want) {
  g_autofree char *got = tb_proposals_text(ds, result->proposals, FALSE);
  g_assert_cmpstr(got, ==, want);
  assert_no_violation(ds, result->proposals);
}

static EngineResult *run(ModelDataset *ds, gboolean fair) {
  EngineOptions options;
  engine_options_init(&options);
  options.fair = fair;
  return tb_run_options(ds, &options, NULL);
}

/* e1 is 0.55 km away at a school it does not know, e2 0.95 km away at a school where
 * it has an approval: in whole kilometres both are 1 km and familiarity would pick
 * e2; in metres e1 is 300 m nearer, more than the 100 m surcharge. */
static void test_metres(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r0 s1 1 normal - - 10 2020-04-13/morning\n"
              "request r1 s1 1 normal - - 10 2020-04-14/morning\n"
              "employee e1 d1 0.55km vog 10 10 2020-04-14/morning\n"
              "employee e2 d1 0.95km vog 10 10 2020-04-13/morning 2020-04-14/morning");
  tb_assignment(ds->assignments, NULL, "r0", "e2", TB_MON, AM, MODEL_ASSIGNMENT_APPROVED, NULL);
  tb_finish(ds);
  g_autoptr(EngineResult) result = run(ds, FALSE);
  assert_proposals(ds, result, "r1/e1/2020-04-14/morning");
  g_assert_cmpint(result->stats.total_travel_m, ==,
                  model_distance_m(TB_LAT + 0.55 * TB_KM_LAT, TB_LON, TB_LAT, TB_LON));
}

/* e1 lives in another district 0.2 km from the school, e2 in the school's district
 * 1.5 km away: the district is worth 400 m, not a tier above travel, so e1 goes. */
static void test_district_below_travel(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 1 normal - - 10 2020-04-13/morning\n"
              "employee e1 d3 0.2km vog 10 10 2020-04-13/morning\n"
              "employee e2 d1 1.5km vog 10 10 2020-04-13/morning");
  tb_finish(ds);
  g_autoptr(EngineResult) result = run(ds, FALSE);
  assert_proposals(ds, result, "r1/e1/2020-04-13/morning");
  g_assert_cmpuint(
      g_array_index(result->proposals, EngineProposal, 0).why & ENGINE_WHY_SAME_DISTRICT, ==, 0);
}

/* Two employees at the same spot, one day part: the round picks one of them.  With
 * an undecided proposal of the other on record, a re-plan keeps that proposal
 * (kept 1); once that employee is inactive it is dropped for the first (new 1). */
static void test_stability(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 1 normal - - 10 2020-04-13/morning\n"
              "employee e1 d1 1km vog 10 10 2020-04-13/morning\n"
              "employee e2 d1 1km vog 10 10 2020-04-13/morning");
  tb_finish(ds);
  g_autoptr(EngineResult) first = run(ds, FALSE);
  g_assert_cmpuint(first->proposals->len, ==, 1);
  g_assert_cmpint(first->stats.kept + first->stats.dropped, ==, 0);
  g_assert_cmpint(first->stats.added, ==, 1);
  guint chosen = g_array_index(first->proposals, EngineProposal, 0).employee;
  const char *other = tb_employee_id(ds, 1 - chosen);
  tb_assignment(ds->assignments, NULL, "r1", other, TB_MON, AM, MODEL_ASSIGNMENT_PROPOSED, NULL);
  tb_finish(ds);
  g_autoptr(EngineResult) again = run(ds, FALSE);
  g_autofree char *want = g_strdup_printf("r1/%s/2020-04-13/morning", other);
  assert_proposals(ds, again, want);
  g_assert_cmpint(again->stats.kept, ==, 1);
  g_assert_cmpint(again->stats.added, ==, 0);
  g_assert_cmpint(again->stats.dropped, ==, 0);
  g_array_index(ds->employees, ModelEmployee, 1 - chosen).active = FALSE;
  g_autoptr(EngineResult) third = run(ds, FALSE);
  g_assert_cmpuint(g_array_index(third->proposals, EngineProposal, 0).employee, ==, chosen);
  g_assert_cmpint(third->stats.kept, ==, 0);
  g_assert_cmpint(third->stats.added, ==, 1);
  g_assert_cmpint(third->stats.dropped, ==, 1);
}

/* Day parts lent per organisation. */
static void lent(const ModelDataset *ds, const EngineResult *result, gint64 *o1, gint64 *o2) {
  *o1 = *o2 = 0;
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    const char *org = g_array_index(ds->employees, ModelEmployee, p->employee).organisation_id;
    (*(strcmp(org, "o1") == 0 ? o1 : o2))++;
  }
}

/* o1 and o2 each offer two employees for two day parts; o1's live at the school, o2's
 * 1 km away.  The plain round takes all four staff-slots from o1; the fair one lends
 * each its share of two, at 2 km more travel against 4 km of fairness cost saved, with
 * the same fill. */
static void test_fair(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  ModelOrganisation o = {0};
  o.id = g_strdup("o2");
  o.name = g_strdup("Kinderopvang Haven");
  g_array_append_val(ds->organisations, o);
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 2 normal - - 10 2020-04-13/morning 2020-04-14/morning");
  for (int i = 0; i < 4; i++) {
    g_autofree char *id = g_strdup_printf("e%d", i);
    guint e = tb_employee(ds, id, "d1", TB_LAT + (i < 2 ? 0 : 1) * TB_KM_LAT, TB_LON, VOG, 10, 10);
    tb_available(ds, e, TB_MON, AM);
    tb_available(ds, e, TB_TUE, AM);
    if (i >= 2) {
      ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
      g_free(emp->organisation_id);
      emp->organisation_id = g_strdup("o2");
    }
  }
  tb_finish(ds);
  g_autoptr(EngineResult) plain = run(ds, FALSE);
  g_autoptr(EngineResult) fair = run(ds, TRUE);
  gint64 a1, a2, b1, b2;
  lent(ds, plain, &a1, &a2);
  lent(ds, fair, &b1, &b2);
  g_assert_cmpint(a1, ==, 4);
  g_assert_cmpint(a2, ==, 0);
  g_assert_cmpint(b1, ==, 2);
  g_assert_cmpint(b2, ==, 2);
  g_assert_cmpint(fair->stats.filled, ==, plain->stats.filled);
  g_assert_false(plain->stats.fair);
  g_assert_true(fair->stats.fair);
  assert_no_violation(ds, fair->proposals);
}

/* r1 needs one person on three mornings.  e1, e2 and e3 live 1 km away and can each
 * come one morning; e4 lives 3 km away and can come all three.  Three faces cost 3 km
 * of travel and three charges, one face 9 km and one charge: e4 wins exactly when the
 * charge is above 3 km.  At 0 the round is travel first. */
static void test_continuity_rate(void) {
  g_autoptr(ModelDataset) ds = tb_new();
  tb_school(ds, "s1", "d1", TB_LAT, TB_LON);
  guint r1 = tb_request(ds, "r1", "s1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  const int days[] = {TB_MON, TB_TUE, TB_WED};
  guint e4 = tb_employee(ds, "e4", "d1", TB_LAT + 3.0 * TB_KM_LAT, TB_LON, VOG, 10, 10);
  for (int d = 0; d < 3; d++) {
    tb_slot(ds, r1, days[d], AM);
    g_autofree char *id = g_strdup_printf("e%d", d + 1);
    guint e = tb_employee(ds, id, "d1", TB_LAT + 1.0 * TB_KM_LAT, TB_LON, VOG, 10, 10);
    tb_available(ds, e, days[d], AM);
    tb_available(ds, e4, days[d], AM);
  }
  tb_finish(ds);
  static const struct {
    double km;
    const char *want;
  } cases[] = {
      {0, "r1/e1/2020-04-13/morning r1/e2/2020-04-14/morning r1/e3/2020-04-15/morning"},
      {2.5, "r1/e1/2020-04-13/morning r1/e2/2020-04-14/morning r1/e3/2020-04-15/morning"},
      {3.5, "r1/e4/2020-04-13/morning r1/e4/2020-04-14/morning r1/e4/2020-04-15/morning"},
      {8, "r1/e4/2020-04-13/morning r1/e4/2020-04-14/morning r1/e4/2020-04-15/morning"},
  };
  gint64 travel[G_N_ELEMENTS(cases)];
  double faces[G_N_ELEMENTS(cases)];
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    EngineOptions options;
    engine_options_init(&options);
    g_assert_true(engine_continuity_m_from_km(cases[c].km, &options.continuity_m));
    g_autoptr(EngineResult) result = tb_run_options(ds, &options, NULL);
    assert_proposals(ds, result, cases[c].want);
    g_assert_cmpint(result->stats.continuity_m, ==, options.continuity_m);
    g_assert_cmpint(result->stats.filled, ==, 3);
    travel[c] = result->stats.total_travel_m;
    faces[c] = result->stats.employees_per_request;
  }
  /* Charge 0 against 8 km: less travel, more faces. */
  g_assert_cmpint(travel[0], <, travel[3]);
  g_assert_cmpfloat(faces[0], ==, 3.0);
  g_assert_cmpfloat(faces[3], ==, 1.0);
  /* continuity FALSE is the same as a charge of 0. */
  EngineOptions off;
  engine_options_init(&off);
  off.continuity = FALSE;
  off.continuity_m = 8000;
  g_autoptr(EngineResult) plain = tb_run_options(ds, &off, NULL);
  assert_proposals(ds, plain, cases[0].want);
  g_assert_cmpint(plain->stats.continuity_m, ==, 0);
}

/* Kilometres to metres: decimals rounded to the metre, 0 to 100 km, nothing else. */
static void test_continuity_km(void) {
  gint32 m = -1;
  g_assert_true(engine_continuity_m_from_km(0, &m));
  g_assert_cmpint(m, ==, 0);
  g_assert_true(engine_continuity_m_from_km(2.5, &m));
  g_assert_cmpint(m, ==, 2500);
  g_assert_true(engine_continuity_m_from_km(0.0004, &m));
  g_assert_cmpint(m, ==, 0);
  g_assert_true(engine_continuity_m_from_km(100, &m));
  g_assert_cmpint(m, ==, ENGINE_MAX_CONTINUITY_M);
  static const double bad[] = {-0.001, 100.001, 1e300};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    m = 7;
    g_assert_false(engine_continuity_m_from_km(bad[i], &m));
    g_assert_cmpint(m, ==, 7);
  }
  g_assert_false(engine_continuity_m_from_km(NAN, &m));
  g_assert_false(engine_continuity_m_from_km(INFINITY, &m));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/match/objective/metres", test_metres);
  g_test_add_func("/match/objective/district-below-travel", test_district_below_travel);
  g_test_add_func("/match/objective/stability", test_stability);
  g_test_add_func("/match/objective/fair", test_fair);
  g_test_add_func("/match/objective/continuity-rate", test_continuity_rate);
  g_test_add_func("/match/objective/continuity-km", test_continuity_km);
  return g_test_run();
}
