/* test-entities.c: entity defaults, staff-need derivation, distances, employee
 * locations, the id indexes, canonical sorting and the per-district summary, each on
 * small datasets built in C with exact expected numbers.
 */
#include "builder.h"

#include <math.h>

static void test_defaults(void) {
  ModelEmployee e;
  model_employee_init(&e);
  g_assert_null(e.id);
  g_assert_nonnull(e.availability);
  g_assert_cmpuint(e.availability->len, ==, 0);
  g_assert_cmpint(e.max_parts_per_week, ==, 10);
  g_assert_cmpint(e.max_travel_km, ==, 10);
  g_assert_true(e.active);
  g_assert_false(e.has_location);
  g_assert_cmpint(e.confirmed, ==, MODEL_DATE_NONE);
  g_assert_cmpuint(e.quals, ==, 0);
  model_employee_clear(&e);
  g_assert_null(e.availability);
  model_employee_clear(&e); /* twice is harmless */

  ModelRequest r;
  model_request_init(&r);
  g_assert_nonnull(r.slots);
  g_assert_cmpint(r.staff_needed, ==, -1);
  g_assert_cmpint(r.children_expected, ==, -1);
  g_assert_cmpint(r.own_staff, ==, -1);
  g_assert_cmpint(r.priority, ==, MODEL_PRIORITY_NORMAL);
  g_assert_cmpint(r.status, ==, MODEL_REQUEST_OPEN);
  g_assert_cmpint(r.max_travel_km, ==, MODEL_DEFAULT_MAX_TRAVEL_KM);
  g_assert_null(r.note);
  model_request_clear(&r);

  ModelSchool s;
  model_school_init(&s);
  g_assert_cmpint(s.type, ==, MODEL_SCHOOL_PO);
  g_assert_cmpint(s.pupils, ==, -1);
  g_assert_null(s.postcode);
  model_school_clear(&s);

  ModelAssignment a;
  model_assignment_init(&a);
  g_assert_cmpint(a.status, ==, MODEL_ASSIGNMENT_PROPOSED);
  g_assert_cmpint(a.decided_at, ==, -1);
  g_assert_null(a.decided_by);
  model_assignment_clear(&a);

  model_dataset_free(NULL);
  g_autoptr(ModelDataset) ds = model_dataset_new();
  g_assert_cmpuint(ds->districts->len + ds->schools->len + ds->organisations->len +
                       ds->employees->len + ds->requests->len + ds->assignments->len,
                   ==, 0);
}

typedef struct {
  gint32 staff_needed, children_expected, own_staff, children_per_staff, expected;
} NeedCase;

static const NeedCase need_cases[] = {
    {3, -1, -1, 10, 3},  /* given directly */
    {3, -1, -1, 1, 3},   /* the ratio does not touch a given need */
    {-1, 20, -1, 10, 2}, /* exact division */
    {-1, 21, -1, 10, 3}, /* rounds up */
    {-1, 24, 1, 10, 2},  /* ceil(2.4) - 1 */
    {-1, 24, 0, 12, 2},  /* another ratio */
    {-1, 1, -1, 10, 1},  /* one child still needs someone */
    {-1, 24, 3, 10, 0},  /* own staff covers the need */
    {-1, 24, 7, 10, 0},  /* own staff larger than the need: never negative */
    {-1, 10000, 0, 1, 10000}, {-1, -1, -1, 10, 0}, /* nothing given */
};

static void test_staff_needed(gconstpointer data) {
  const NeedCase *c = data;
  ModelRequest r;
  model_request_init(&r);
  r.staff_needed = c->staff_needed;
  r.children_expected = c->children_expected;
  r.own_staff = c->own_staff;
  g_assert_cmpint(model_request_staff_needed(&r, c->children_per_staff), ==, c->expected);
  model_request_clear(&r);
}

static void test_distance(void) {
  /* Almere Stad to Almere Haven (district centroids of the format example). */
  gint64 d = model_distance_m(52.3796, 5.2167, 52.3336, 5.2469);
  g_assert_cmpint(d, ==, 5511);
  g_assert_cmpint(model_distance_m(52.3336, 5.2469, 52.3796, 5.2167), ==, d);
  g_assert_cmpint(model_distance_m(52.3796, 5.2167, 52.3796, 5.2167), ==, 0);
  /* Half the circumference. */
  g_assert_cmpint(llround(G_PI * MODEL_EARTH_RADIUS_M), ==, 20015114);
  g_assert_cmpint(model_distance_m(0, 0, 0, 180), ==, 20015114);
  g_assert_cmpint(model_distance_m(90, 0, -90, 0), ==, 20015114);
  /* One degree of latitude. */
  g_assert_cmpint(model_distance_m(52, 5, 53, 5), ==, 111195);
}

static void test_location(void) {
  g_autoptr(ModelDataset) ds = model_dataset_new();
  tb_district(ds, "stad", NULL, 52.3796, 5.2167);
  ModelEmployee *e = (ModelEmployee *)tb_element(
      ds->employees, tb_employee(ds, "e-1", "stad", TB_NO_LOCATION, 0, VOG, 10, 10));
  tb_employee(ds, "e-2", "nowhere", TB_NO_LOCATION, 0, VOG, 10, 10);
  model_dataset_index(ds);
  double lat = 0, lon = 0;
  e = &g_array_index(ds->employees, ModelEmployee, 0);
  g_assert_true(model_employee_location(ds, e, &lat, &lon));
  g_assert_cmpfloat(lat, ==, 52.3796);
  g_assert_cmpfloat(lon, ==, 5.2167);
  e->has_location = TRUE;
  e->lat = 52.37;
  e->lon = 5.22;
  g_assert_true(model_employee_location(ds, e, &lat, &lon));
  g_assert_cmpfloat(lat, ==, 52.37);
  g_assert_cmpfloat(lon, ==, 5.22);
  lat = lon = -1;
  g_assert_false(
      model_employee_location(ds, &g_array_index(ds->employees, ModelEmployee, 1), &lat, &lon));
  g_assert_cmpfloat(lat, ==, -1);
  g_assert_cmpfloat(lon, ==, -1);
}

static void test_index_find(void) {
  g_autoptr(ModelDataset) ds = model_dataset_new();
  tb_district(ds, "b", NULL, 1, 1);
  tb_district(ds, "a", NULL, 2, 2);
  tb_district(ds, "c", NULL, 3, 3);
  tb_district(ds, "a", NULL, 4, 4);
  tb_request(ds, "r-1", "s", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_assignment(ds->assignments, "x", "r-1", "e", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  g_assert_cmpint(model_dataset_find_district(ds, "a"), ==, -1); /* not indexed yet */
  model_dataset_index(ds);
  g_assert_cmpint(model_dataset_find_district(ds, "b"), ==, 0);
  g_assert_cmpint(model_dataset_find_district(ds, "a"), ==, 1); /* the first one wins */
  g_assert_cmpint(model_dataset_find_district(ds, "c"), ==, 2);
  g_assert_cmpint(model_dataset_find_district(ds, "d"), ==, -1);
  g_assert_cmpint(model_dataset_find_district(ds, NULL), ==, -1);
  g_assert_cmpint(model_dataset_find_school(ds, "a"), ==, -1);
  g_assert_cmpint(model_dataset_find_request(ds, "r-1"), ==, 0);
  g_assert_cmpint(model_dataset_find_assignment(ds, "x"), ==, 0);
  g_assert_cmpint(model_dataset_find_employee(ds, "x"), ==, -1);
  g_assert_cmpint(model_dataset_find_organisation(ds, "x"), ==, -1);

  model_dataset_sort(ds);
  static const char *const order[] = {"a", "a", "b", "c"};
  static const double lats[] = {2, 4, 1, 3}; /* stable: the two "a" keep their order */
  for (guint i = 0; i < 4; i++) {
    const ModelDistrict *d = &g_array_index(ds->districts, ModelDistrict, i);
    g_assert_cmpstr(d->id, ==, order[i]);
    g_assert_cmpfloat(d->lat, ==, lats[i]);
  }
  g_assert_cmpint(model_dataset_find_district(ds, "a"), ==, 0);
  g_assert_cmpint(model_dataset_find_district(ds, "b"), ==, 2);
  g_assert_cmpint(model_dataset_find_district(ds, "c"), ==, 3);
}

static void test_sort_all(void) {
  g_autoptr(ModelDataset) ds = model_dataset_new();
  tb_school(ds, "s-2", "d", 52.3638, 5.2070);
  tb_school(ds, "s-10", "d", 52.3638, 5.2070);
  tb_school(ds, "s-1", "d", 52.3638, 5.2070);
  tb_organisation(ds, "o-b");
  tb_organisation(ds, "o-a");
  tb_employee(ds, "e-2", "d", TB_NO_LOCATION, 0, 0, 10, 10);
  tb_employee(ds, "e-1", "d", TB_NO_LOCATION, 0, 0, 10, 10);
  tb_request(ds, "r-b", "s", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_request(ds, "r-a", "s", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  model_dataset_sort(ds);
  g_assert_cmpstr(g_array_index(ds->schools, ModelSchool, 0).id, ==, "s-1");
  g_assert_cmpstr(g_array_index(ds->schools, ModelSchool, 1).id, ==, "s-10");
  g_assert_cmpstr(g_array_index(ds->schools, ModelSchool, 2).id, ==, "s-2");
  g_assert_cmpstr(g_array_index(ds->organisations, ModelOrganisation, 0).id, ==, "o-a");
  g_assert_cmpstr(g_array_index(ds->employees, ModelEmployee, 0).id, ==, "e-1");
  g_assert_cmpstr(g_array_index(ds->requests, ModelRequest, 0).id, ==, "r-a");
  g_assert_cmpint(model_dataset_find_school(ds, "s-2"), ==, 2);
  g_assert_cmpint(model_dataset_find_employee(ds, "e-2"), ==, 1);
}

/* Two districts: stad (two schools) and haven (one school). */
static ModelDataset *summary_dataset(void) {
  ModelDataset *ds = model_dataset_new();
  tb_district(ds, "stad", NULL, 52.3796, 5.2167);
  tb_district(ds, "haven", NULL, 52.3336, 5.2469);
  tb_school(ds, "s1", "stad", 52.3638, 5.2070);
  tb_school(ds, "s2", "stad", 52.3638, 5.2070);
  tb_school(ds, "s3", "haven", 52.3638, 5.2070);
  tb_organisation(ds, "o1");

  /* r1: 2 staff on Tue 14 and Wed 15 April mornings, one approved on the 14th, one
   * proposed on the 15th and one rejected (counts nowhere). */
  ModelRequest *r = (ModelRequest *)tb_element(
      ds->requests, tb_request(ds, "r1", "s1", 2, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  ModelSlotRule rule =
      tb_pattern(tb_date("2020-04-14"), tb_date("2020-04-15"), MODEL_WEEKDAYS_ALL, 1u);
  g_array_append_val(r->slots, rule);
  /* r2: 24 children, 1 own staff: 2 needed (ratio 10), 2 approved: covered. */
  r = (ModelRequest *)tb_element(ds->requests,
                                 tb_request(ds, "r2", "s3", -1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  r->children_expected = 24;
  r->own_staff = 1;
  rule = tb_one(tb_date("2020-04-14"), MODEL_PART_AFTERNOON);
  g_array_append_val(r->slots, rule);
  /* r3: cancelled, ignored. */
  r = (ModelRequest *)tb_element(ds->requests,
                                 tb_request(ds, "r3", "s2", 5, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  r->status = MODEL_REQUEST_CANCELLED;
  g_array_append_val(r->slots, rule);
  /* r4: own staff covers everything: open but needs nobody. */
  r = (ModelRequest *)tb_element(ds->requests,
                                 tb_request(ds, "r4", "s2", -1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  r->children_expected = 5;
  r->own_staff = 3;
  g_array_append_val(r->slots, rule);

  tb_assignments(ds, "approved r1/e1/2020-04-14/morning proposed r1/e2/2020-04-15/morning "
                     "approved r2/e4/2020-04-14/afternoon approved r2/e1/2020-04-14/afternoon "
                     "approved r3/e3/2020-04-14/afternoon rejected r1/e2/2020-04-15/morning");

  /* e1: ISO weeks 16 and 17 fully available (10 parts each), capped at 3 per week,
   * plus one part in week 18: 3 + 3 + 1. */
  ModelEmployee *e = (ModelEmployee *)tb_element(
      ds->employees, tb_employee(ds, "e1", "stad", TB_NO_LOCATION, 0, VOG, 10, 10));
  e->max_parts_per_week = 3;
  rule = tb_pattern(tb_date("2020-04-13"), tb_date("2020-04-26"), MODEL_WEEKDAYS_WORK,
                    MODEL_PARTS_ALL);
  g_array_append_val(e->availability, rule);
  rule = tb_one(tb_date("2020-04-27"), MODEL_PART_MORNING);
  g_array_append_val(e->availability, rule);
  /* e2: active without VOG: counted, offers nothing. */
  e = (ModelEmployee *)tb_element(
      ds->employees,
      tb_employee(ds, "e2", "stad", TB_NO_LOCATION, 0, MODEL_QUAL_BIT(MODEL_QUAL_PM), 10, 10));
  g_array_append_val(e->availability, rule);
  /* e3: inactive: not counted at all. */
  e = (ModelEmployee *)tb_element(ds->employees,
                                  tb_employee(ds, "e3", "stad", TB_NO_LOCATION, 0, VOG, 10, 10));
  e->active = FALSE;
  g_array_append_val(e->availability, rule);
  /* e4: the same part written twice counts once; Sunday/Monday across a week border. */
  e = (ModelEmployee *)tb_element(ds->employees,
                                  tb_employee(ds, "e4", "haven", TB_NO_LOCATION, 0, VOG, 10, 10));
  e->max_parts_per_week = 1;
  g_array_append_val(e->availability, rule);
  g_array_append_val(e->availability, rule);
  rule = tb_one(tb_date("2020-04-26"), MODEL_PART_AFTERNOON);
  g_array_append_val(e->availability, rule);
  model_dataset_index(ds);
  return ds;
}

static void test_summary(void) {
  g_autoptr(ModelDataset) ds = summary_dataset();
  g_autoptr(GPtrArray) problems = model_problems_new();
  model_dataset_check(ds, problems);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, "");
  g_autoptr(GArray) rows = model_summary(ds, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  g_assert_cmpuint(rows->len, ==, 2);
  const ModelDistrictSummary *stad = &g_array_index(rows, ModelDistrictSummary, 0);
  g_assert_cmpuint(stad->district, ==, 0);
  g_assert_cmpuint(stad->schools, ==, 2);
  g_assert_cmpuint(stad->open_requests, ==, 2); /* r1, and r4 that needs nobody */
  g_assert_cmpint(stad->staff_slots_needed, ==, 4);
  g_assert_cmpint(stad->staff_slots_proposed, ==, 1);
  g_assert_cmpint(stad->staff_slots_approved, ==, 1);
  g_assert_cmpint(stad->staff_slots_open, ==, 2);
  g_assert_cmpuint(stad->employees, ==, 2);
  g_assert_cmpint(stad->available_staff_slots, ==, 7);
  const ModelDistrictSummary *haven = &g_array_index(rows, ModelDistrictSummary, 1);
  g_assert_cmpuint(haven->district, ==, 1);
  g_assert_cmpuint(haven->schools, ==, 1);
  g_assert_cmpuint(haven->open_requests, ==, 1);
  g_assert_cmpint(haven->staff_slots_needed, ==, 2);
  g_assert_cmpint(haven->staff_slots_proposed, ==, 0);
  g_assert_cmpint(haven->staff_slots_approved, ==, 2);
  g_assert_cmpint(haven->staff_slots_open, ==, 0);
  g_assert_cmpuint(haven->employees, ==, 1);
  g_assert_cmpint(haven->available_staff_slots, ==, 2);

  ModelDistrictSummary total = model_summary_total(rows, NULL);
  g_assert_cmpuint(total.schools, ==, 3);
  g_assert_cmpuint(total.open_requests, ==, 3);
  g_assert_cmpint(total.staff_slots_needed, ==, 6);
  g_assert_cmpint(total.staff_slots_proposed, ==, 1);
  g_assert_cmpint(total.staff_slots_approved, ==, 3);
  g_assert_cmpint(total.staff_slots_open, ==, 2);
  g_assert_cmpint(total.available_staff_slots, ==, 9);
  gboolean only_haven[] = {FALSE, TRUE};
  total = model_summary_total(rows, only_haven);
  g_assert_cmpint(total.staff_slots_needed, ==, 2);
  g_assert_cmpint(total.staff_slots_open, ==, 0);

  /* One child per staff member: r2 needs 23 in its slot, r4 needs 2. */
  g_autoptr(GArray) strict = model_summary(ds, 1);
  stad = &g_array_index(strict, ModelDistrictSummary, 0);
  haven = &g_array_index(strict, ModelDistrictSummary, 1);
  g_assert_cmpuint(stad->open_requests, ==, 2);
  g_assert_cmpint(stad->staff_slots_needed, ==, 6);
  g_assert_cmpint(stad->staff_slots_open, ==, 4);
  g_assert_cmpuint(haven->open_requests, ==, 1);
  g_assert_cmpint(haven->staff_slots_needed, ==, 23);
  g_assert_cmpint(haven->staff_slots_open, ==, 21);

  /* Open is never below 0: more approved than needed. */
  g_array_index(ds->requests, ModelRequest, 1).own_staff = 3; /* r2 needs nobody now */
  g_autoptr(GArray) covered = model_summary(ds, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  haven = &g_array_index(covered, ModelDistrictSummary, 1);
  g_assert_cmpint(haven->staff_slots_needed, ==, 0);
  g_assert_cmpint(haven->staff_slots_approved, ==, 2);
  g_assert_cmpint(haven->staff_slots_open, ==, 0);
}

static void test_summary_empty(void) {
  g_autoptr(ModelDataset) ds = model_dataset_new();
  model_dataset_index(ds);
  g_autoptr(GArray) rows = model_summary(ds, 10);
  g_assert_cmpuint(rows->len, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/model/entities/defaults", test_defaults);
  for (guint i = 0; i < G_N_ELEMENTS(need_cases); i++) {
    g_autofree char *path = g_strdup_printf("/model/entities/staff-needed/%u", i);
    g_test_add_data_func(path, &need_cases[i], test_staff_needed);
  }
  g_test_add_func("/model/entities/distance", test_distance);
  g_test_add_func("/model/entities/location", test_location);
  g_test_add_func("/model/entities/index-find", test_index_find);
  g_test_add_func("/model/entities/sort", test_sort_all);
  g_test_add_func("/model/summary/districts", test_summary);
  g_test_add_func("/model/summary/empty", test_summary_empty);
  return g_test_run();
}
