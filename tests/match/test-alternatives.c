/* test-alternatives.c: the alternatives to one waiting proposal (engine/alternatives.c).
 * Every rule leaves out the one employee who breaks it and nobody else; the ones left
 * are ranked by the round's own cost of the pair (checked against
 * engine_snapshot_make_pair() and the continuity charge), then by id; waiting
 * proposals count as commitments, the replaced one does not.
 */
#include "builder.h"
#include "match-private.h"
#include "../locations.h"

static const ModelPart AM = MODEL_PART_MORNING;

/* School s1; request r1 for one on Monday and Tuesday morning, r2 for three on Monday
 * morning and afternoon; e-old proposed for r1 on Monday morning (the proposal to
 * replace, "p-old"), and one employee for each rule that must leave them out. */
static ModelDataset *city(void) {
  ModelDataset *ds = tb_new();
  tb_city(ds, "school s1 d1 0km\n"
              "request r1 s1 1 normal - - 10 2020-04-13/morning 2020-04-14/morning\n"
              "request r2 s1 3 normal - - 10 2020-04-13/morning 2020-04-13/afternoon\n"
              "employee e-old d1 0.5km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-a d1 3km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-b d1 2km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-b2 d1 2km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-c d2 1km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-cont d1 6km vog+pm 10 10 2020-04-13/morning 2020-04-14/morning\n"
              "employee e-novog d1 1km pm 10 10 2020-04-13/morning\n"
              "employee e-far d1 12km vog+pm 10 20 2020-04-13/morning\n"
              "employee e-unavail d1 1km vog+pm 10 10 2020-04-14/morning\n"
              "employee e-booked d1 1km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-waiting d1 1km vog+pm 10 10 2020-04-13/morning\n"
              "employee e-week d1 1km vog+pm 1 10 2020-04-13/morning 2020-04-13/afternoon\n"
              "employee e-rej d1 1km vog+pm 10 10 2020-04-13/morning 2020-04-14/morning\n"
              "employee e-inactive d1 1km vog+pm 10 10 2020-04-13/morning\n");
  tb_find_employee(ds, "e-inactive")->active = FALSE;
  tb_assignment(ds->assignments, "p-old", "r1", "e-old", TB_MON, AM, MODEL_ASSIGNMENT_PROPOSED,
                NULL);
  tb_assignment(ds->assignments, "p-cont", "r1", "e-cont", TB_TUE, AM, MODEL_ASSIGNMENT_PROPOSED,
                NULL);
  tb_assignments(ds, "approved r2/e-booked/2020-04-13/morning"
                     " proposed r2/e-waiting/2020-04-13/morning"
                     " proposed r2/e-week/2020-04-13/afternoon"
                     " rejected r1/e-rej/2020-04-14/morning");
  return ds;
}

/* The alternatives to p-old (limit `limit`) as "ID ID ...". */
static char *alternatives_text(const ModelDataset *ds, guint limit, GArray **out) {
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(GError) error = NULL;
  gint old = model_dataset_find_assignment(ds, "p-old");
  g_assert_cmpint(old, >=, 0);
  GArray *found = engine_alternatives(ds, &options, (guint)model_dataset_find_request(ds, "r1"),
                                      tb_at(TB_MON, AM), old, limit, &error);
  g_assert_no_error(error);
  g_assert_nonnull(found);
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < found->len; i++)
    g_string_append_printf(text, "%s%s", i > 0 ? " " : "",
                           tb_employee_id(ds, g_array_index(found, EngineAlternative, i).employee));
  if (out != NULL)
    *out = found;
  else
    g_array_unref(found);
  return g_string_free(text, FALSE);
}

/* Only the feasible, free employees, cheapest first: e-cont already works for r1 (no
 * continuity charge), e-c is nearest but in the neighbouring district, e-b and e-b2
 * tie on cost and go by id. */
static void test_ranking(void) {
  g_autoptr(ModelDataset) ds = city();
  tb_finish(ds);
  g_autoptr(GArray) found = NULL;
  g_autofree char *text = alternatives_text(ds, 20, &found);
  g_assert_cmpstr(text, ==, "e-cont e-c e-b e-b2 e-a");
  /* The cost is the round's: the snapshot's pair cost plus the charge for a new face. */
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(EngineSnapshot) snap = engine_snapshot_new(ds, &options, NULL);
  guint r = (guint)model_dataset_find_request(ds, "r1");
  const ModelSchool *school = tb_find_school(ds, "s1");
  for (guint i = 0; i < found->len; i++) {
    const EngineAlternative *alt = &g_array_index(found, EngineAlternative, i);
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, alt->employee);
    double lat, lon;
    g_assert_true(model_employee_location(ds, emp, &lat, &lon));
    gint64 d = model_distance_m(lat, lon, school->lat, school->lon);
    EnginePair pair = engine_snapshot_make_pair(snap, alt->employee, r,
                                                &g_array_index(ds->requests, ModelRequest, r), d);
    gboolean known = g_str_equal(emp->id, "e-cont");
    g_assert_cmpint(alt->travel_m, ==, d);
    g_assert_cmpint(alt->cost_m, ==, pair.cost + (known ? 0 : ENGINE_DEFAULT_CONTINUITY_M));
    g_assert_cmpuint(!!(alt->why & ENGINE_WHY_CONTINUITY), ==, known);
    if (i > 0)
      g_assert_cmpint(alt->cost_m, >=, g_array_index(found, EngineAlternative, i - 1).cost_m);
  }
  /* The stated exchange rates: 1 km + 200 m (neighbour) against 2 km in the district. */
  g_assert_cmpint(g_array_index(found, EngineAlternative, 1).cost_m, <,
                  g_array_index(found, EngineAlternative, 2).cost_m);
  g_assert_true(g_array_index(found, EngineAlternative, 1).why & ENGINE_WHY_NEIGHBOUR);
}

/* The limit keeps the first ones. */
static void test_limit(void) {
  g_autoptr(ModelDataset) ds = city();
  tb_finish(ds);
  g_autofree char *two = alternatives_text(ds, 2, NULL);
  g_assert_cmpstr(two, ==, "e-cont e-c");
}

/* Without the commitments that kept them out, the employees come back: each exclusion
 * above was that rule's doing. */
static void test_each_rule(void) {
  g_autoptr(ModelDataset) ds = city();
  tb_find_employee(ds, "e-novog")->quals |= VOG;
  tb_find_employee(ds, "e-far")->lat = TB_LAT + 9 * TB_KM_LAT;
  tb_find_employee(ds, "e-week")->max_parts_per_week = 2;
  tb_find_employee(ds, "e-inactive")->active = TRUE;
  tb_find_assignment(ds, "a2")->status = MODEL_ASSIGNMENT_CANCELLED; /* e-booked */
  tb_find_assignment(ds, "a3")->slot.part = MODEL_PART_AFTERNOON;    /* e-waiting */
  tb_set(&tb_find_assignment(ds, "a5")->request_id, "r2");           /* e-rej */
  tb_finish(ds);
  g_autofree char *text = alternatives_text(ds, 20, NULL);
  g_assert_cmpstr(text, ==,
                  "e-cont e-booked e-inactive e-novog e-rej e-waiting e-week e-c e-b e-b2 e-a "
                  "e-far");
}

/* city() with location l1 3 km north, lending one on Monday morning, where e-a and
 * `colleague` work. */
static ModelDataset *located_city(const char *colleague) {
  ModelDataset *ds = city();
  guint l = tl_location(ds, "l1", "o1", TB_LAT + 3 * TB_KM_LAT, TB_LON);
  tl_load(ds, l, tb_at(TB_MON, AM), -1, -1, 1);
  tl_works_at(ds, tb_index(ds->employees, "e-a"), "l1");
  tl_works_at(ds, tb_index(ds->employees, colleague), "l1");
  tb_finish(ds);
  return ds;
}

/* H7 with waiting proposals: a location that can lend one, whose other employee waits
 * for r2 that morning, cannot lend e-a as well; the replaced proposal counts for
 * nothing, so e-old's colleague at the same location can take over. */
static void test_location(void) {
  g_autoptr(ModelDataset) waiting = located_city("e-waiting");
  g_autofree char *blocked = alternatives_text(waiting, 20, NULL);
  g_assert_cmpstr(blocked, ==, "e-cont e-c e-b e-b2");
  g_autoptr(ModelDataset) own = located_city("e-old");
  g_autofree char *freed = alternatives_text(own, 20, NULL);
  g_assert_cmpstr(freed, ==, "e-cont e-c e-b e-b2 e-a");
}

/* A cancelled request has no alternatives. */
static void test_cancelled_request(void) {
  g_autoptr(ModelDataset) ds = city();
  tb_find_request(ds, "r1")->status = MODEL_REQUEST_CANCELLED;
  tb_finish(ds);
  g_autofree char *text = alternatives_text(ds, 20, NULL);
  g_assert_cmpstr(text, ==, "");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/engine/alternatives/ranking", test_ranking);
  g_test_add_func("/engine/alternatives/limit", test_limit);
  g_test_add_func("/engine/alternatives/each-rule", test_each_rule);
  g_test_add_func("/engine/alternatives/location", test_location);
  g_test_add_func("/engine/alternatives/cancelled-request", test_cancelled_request);
  return g_test_run();
}
