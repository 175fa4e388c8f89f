/* test-locations.c: childcare locations through the router in memory, as every role:
 * who reads them (the organisation its own, a coordinator those of their districts,
 * a school none), who sets their figures (only the organisation, with the codec's
 * errors at the body's pointers, nothing stored on failure), employees naming the
 * location they work at, and the approval re-check refusing a proposal that would
 * take a location below its own need (409 location_needed).
 */
#include <string.h>

#include "resources-fixture.h"

/* A location of org-01 in district duin and one of org-17 without a district, made
 * behind the API's back (locations come with an import). */
static void add_locations(Fixture *f) {
  fixture_sql(f, "INSERT INTO locations (id, organisation_id, name, lrk, district_id, lat, lon)"
                 " VALUES ('loc-t1', 'org-01', 'BSO De Test', '123456789', 'duin', 52.35, 5.15),"
                 " ('loc-t2', 'org-17', 'KDV Elders', NULL, NULL, 52.37, 5.22)");
}

static guint put_load(Fixture *f, const char *token, const char *id, const char *body,
                      json_object **out_json) {
  g_autofree char *path = g_strdup_printf("/v1/locations/%s/load", id);
  return fixture_call(f, token, "PUT", path, NULL, body, out_json);
}

static gboolean lists(Fixture *f, const char *token, const char *id) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "GET", "/v1/locations", "limit=500", NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  gboolean found = FALSE;
  for (size_t i = 0; i < json_object_array_length(items); i++)
    found |= g_strcmp0(fixture_string(json_object_array_get_idx(items, i), "id", NULL), id) == 0;
  json_object_put(json);
  return found;
}

static void test_read(Fixture *f, gconstpointer data) {
  (void)data;
  add_locations(f);
  /* The organisation reads its own, a coordinator of every district all of them. */
  g_assert_true(lists(f, f->org, "loc-t1"));
  g_assert_false(lists(f, f->org, "loc-t2"));
  g_assert_true(lists(f, f->coordinator, "loc-t1"));
  g_assert_true(lists(f, f->coordinator, "loc-t2"));
  /* A coordinator of haven sees neither (duin, and no district). */
  g_assert_false(lists(f, f->haven, "loc-t1"));
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/locations/loc-t1", NULL, NULL, NULL), ==,
                   404);
  g_assert_cmpuint(fixture_call(f, f->other_org, "GET", "/v1/locations/loc-t1", NULL, NULL, NULL),
                   ==, 404);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/locations/loc-t1", NULL, NULL, &json), ==,
                   200);
  g_assert_cmpstr(fixture_string(json, "lrk", NULL), ==, "123456789");
  json_object_put(json);
  /* A school reads no locations; a filter must be known. */
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/locations", NULL, NULL, &json), ==, 403);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "forbidden");
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/locations/loc-t1", NULL, NULL, NULL), ==,
                   403);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/locations", "district=duin", NULL, NULL), ==,
      400);
  g_assert_cmpuint(fixture_call(f, NULL, "GET", "/v1/locations", NULL, NULL, NULL), ==, 401);
}

static void test_load(Fixture *f, gconstpointer data) {
  (void)data;
  add_locations(f);
  json_object *json = NULL;
  const char *load = "[{\"date\": \"2020-04-15\", \"part\": \"morning\", \"children_expected\":"
                     " 34, \"staff_present\": 5},"
                     " {\"from\": \"2020-04-16\", \"to\": \"2020-04-30\", \"weekdays\": [\"mon\","
                     " \"wed\"], \"parts\": [\"afternoon\"], \"max_lend\": 1}]";
  g_assert_cmpuint(put_load(f, f->org, "loc-t1", load, &json), ==, 200);
  json_object *stored = json_object_object_get(json, "load");
  g_assert_cmpuint(json_object_array_length(stored), ==, 2);
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM location_load"
                                     " WHERE location_id = 'loc-t1'"),
                  ==, 2);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action ="
                                     " 'location.load' AND object = 'locations/loc-t1'"),
                  ==, 1);

  /* Bad figures: 422 at the entry's pointer, nothing stored. */
  const struct {
    const char *body, *pointer;
    guint status;
  } bad[] = {
      {"[{\"date\": \"2020-04-15\", \"part\": \"morning\", \"children_expected\": 30}]",
       "/0/staff_present", 422},
      {"[{\"date\": \"2020-04-15\", \"part\": \"morning\"}]", "/0", 422},
      {"[{\"date\": \"2020-04-15\", \"part\": \"morning\", \"max_lend\": -2}]", "/0/max_lend", 422},
      {"[{\"date\": \"2020-04-31\", \"part\": \"morning\", \"max_lend\": 1}]", "/0/date", 422},
      {"[{\"date\": \"2020-04-15\", \"part\": \"morning\", \"max_lend\": 1},"
       " {\"date\": \"2020-04-15\", \"part\": \"morning\", \"max_lend\": 2}]",
       "/1", 422},
      {"{\"load\": []}", NULL, 422},
      {"[", NULL, 400},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_assert_cmpuint(put_load(f, f->org, "loc-t1", bad[i].body, &json), ==, bad[i].status);
    if (bad[i].pointer != NULL)
      g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, bad[i].pointer);
    json_object_put(json);
  }
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM location_load"
                                     " WHERE location_id = 'loc-t1'"),
                  ==, 2);

  /* Only the owning organisation sets figures. */
  g_assert_cmpuint(put_load(f, f->coordinator, "loc-t1", "[]", NULL), ==, 403);
  g_assert_cmpuint(put_load(f, f->school, "loc-t1", "[]", NULL), ==, 403);
  g_assert_cmpuint(put_load(f, f->other_org, "loc-t1", "[]", NULL), ==, 404);
  g_assert_cmpuint(put_load(f, f->org, "loc-none", "[]", NULL), ==, 404);
  g_assert_cmpuint(put_load(f, f->org, "loc-t1", "[]", NULL), ==, 200);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM location_load"
                                     " WHERE location_id = 'loc-t1'"),
                  ==, 0);
}

/* An employee names the location they work at: one of their own organisation's. */
static void test_employee_location(Fixture *f, gconstpointer data) {
  (void)data;
  add_locations(f);
#define EMPLOYEE_AT(location)                                                                      \
  "{\"id\": \"e-loc\", \"name\": \"Sanne\", \"district\": \"duin\", \"location\": \"" location "\"}"
  const char *own = EMPLOYEE_AT("loc-t1");
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees", NULL, own, &json), ==, 201);
  g_assert_cmpstr(fixture_string(json, "location", NULL), ==, "loc-t1");
  json_object_put(json);
  const char *other = EMPLOYEE_AT("loc-t2");
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees", NULL, other, &json), ==, 422);
  g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, "/location");
  json_object_put(json);
  /* Leaving the location out again (a merge patch with null) frees them from H7. */
  g_assert_cmpuint(
      fixture_call(f, f->org, "PATCH", "/v1/employees/e-loc", NULL, "{\"location\": null}", &json),
      ==, 200);
  g_assert_null(json_object_object_get(json, "location"));
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT location_id IS NULL FROM employees"
                                     " WHERE id = 'e-loc'"),
                  ==, 1);
}

/* Two proposals of one location's employees in a day part where it can lend one:
 * the first is approved, the second refused with the location's reason. */
static void test_approval(Fixture *f, gconstpointer data) {
  (void)data;
  add_locations(f);
  fixture_employee(f, "t-1", "2020-06-03", 10);
  fixture_employee(f, "t-2", "2020-06-03", 10);
  fixture_sql(f, "UPDATE employees SET location_id = 'loc-t1' WHERE id IN ('t-1', 't-2')");
  fixture_request(f, "q-1", "2020-06-03", 2);
  fixture_proposal(f, "p-1", "q-1", "t-1", "2020-06-03");
  fixture_proposal(f, "p-2", "q-1", "t-2", "2020-06-03");
  /* 24 children at 1:10 need 3 of the 4 present. */
  g_assert_cmpuint(put_load(f, f->org, "loc-t1",
                            "[{\"date\": \"2020-06-03\", \"part\": \"morning\","
                            " \"children_expected\": 24, \"staff_present\": 4}]",
                            NULL),
                   ==, 200);
  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-1/approve", NULL, NULL, NULL), ==,
      200);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-2/approve", NULL, NULL, &json), ==,
      409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "location_needed");
  g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==,
                  "location loc-t1 needs employee t-2 for its own children on 2020-06-03 morning "
                  "(it can lend 1 and lends 1 already)");
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-2'"
                                     " AND status = 'proposed'"),
                  ==, 1);
  /* With one more staff member present the location can spare the second. */
  g_assert_cmpuint(put_load(f, f->org, "loc-t1",
                            "[{\"date\": \"2020-06-03\", \"part\": \"morning\","
                            " \"children_expected\": 24, \"staff_present\": 5}]",
                            NULL),
                   ==, 200);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-2/approve", NULL, NULL, NULL), ==,
      200);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD("/resources/locations/read", test_read);
  ADD("/resources/locations/load", test_load);
  ADD("/resources/locations/employee", test_employee_location);
  ADD("/resources/locations/approval", test_approval);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
