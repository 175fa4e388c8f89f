/* test-access.c: every route of the HTTP API as every role, through
 * api_router_dispatch() in memory: allowed (200), forbidden to the role (403), hidden
 * outside the caller's scope (404, like a missing object), no token (401); and the
 * privacy of employees' names (a school sees who comes only after approval, an
 * organisation only its own people, a coordinator only their districts).
 */
#include <stddef.h>
#include <string.h>

#include "resources-fixture.h"
#include "../test-table.h"

/* ---- every route as every role ------------------------------------------ */

typedef struct {
  const char *name;
  gsize token; /* offset of the secret in Fixture */
  const char *method;
  const char *path;
  const char *body;
  guint status;
} Access;

#define COORD offsetof(Fixture, coordinator)
#define HAVEN offsetof(Fixture, haven)
#define SCHOOL offsetof(Fixture, school)
#define OSCHOOL offsetof(Fixture, other_school)
#define ORG offsetof(Fixture, org)
#define OORG offsetof(Fixture, other_org)

static const Access access_cases[] = {
    {"districts/coordinator", COORD, "GET", "/v1/districts", NULL, 200},
    {"districts/school", SCHOOL, "GET", "/v1/districts", NULL, 200},
    {"districts/organisation", ORG, "GET", "/v1/districts", NULL, 200},
    {"schools/school", SCHOOL, "GET", "/v1/schools", NULL, 200},
    {"school/organisation", ORG, "GET", "/v1/schools/31DJ00", NULL, 200},
    {"school/missing", ORG, "GET", "/v1/schools/99XX00", NULL, 404},
    {"organisations/school", SCHOOL, "GET", "/v1/organisations", NULL, 200},
    {"requests/coordinator", COORD, "GET", "/v1/requests", NULL, 200},
    {"requests/school", SCHOOL, "GET", "/v1/requests", NULL, 200},
    {"requests/organisation", ORG, "GET", "/v1/requests", NULL, 403},
    {"request/own-school", SCHOOL, "GET", "/v1/requests/r-002", NULL, 200},
    {"request/other-school", OSCHOOL, "GET", "/v1/requests/r-002", NULL, 404},
    {"request/coordinator-in-scope", HAVEN, "GET", "/v1/requests/r-008", NULL, 200},
    {"request/coordinator-out-of-scope", HAVEN, "GET", "/v1/requests/r-002", NULL, 404},
    {"request/organisation", ORG, "GET", "/v1/requests/r-002", NULL, 403},
    {"request-create/organisation", ORG, "POST", "/v1/requests", "{}", 403},
    {"request-patch/other-school", OSCHOOL, "PATCH", "/v1/requests/r-002", "{\"note\": \"x\"}",
     404},
    {"request-cancel/other-school", OSCHOOL, "POST", "/v1/requests/r-002/cancel", NULL, 404},
    {"request-cancel/organisation", ORG, "POST", "/v1/requests/r-002/cancel", NULL, 403},
    {"employees/organisation", ORG, "GET", "/v1/employees", NULL, 200},
    {"employees/coordinator", COORD, "GET", "/v1/employees", NULL, 200},
    {"employees/school", SCHOOL, "GET", "/v1/employees", NULL, 403},
    {"employee/own", ORG, "GET", "/v1/employees/e-002", NULL, 200},
    {"employee/other-organisation", OORG, "GET", "/v1/employees/e-002", NULL, 404},
    {"employee/school", SCHOOL, "GET", "/v1/employees/e-002", NULL, 403},
    {"employee-create/coordinator", COORD, "POST", "/v1/employees", "{}", 403},
    {"employee-patch/other-organisation", OORG, "PATCH", "/v1/employees/e-002",
     "{\"max_travel_km\": 5}", 404},
    {"employee-deactivate/other-organisation", OORG, "POST", "/v1/employees/e-002/deactivate", NULL,
     404},
    {"employee-deactivate/school", SCHOOL, "POST", "/v1/employees/e-002/deactivate", NULL, 403},
    {"availability/other-organisation", OORG, "PUT", "/v1/employees/e-002/availability", "[]", 404},
    {"rounds/school", SCHOOL, "POST", "/v1/rounds", NULL, 403},
    {"rounds/organisation", ORG, "POST", "/v1/rounds", NULL, 403},
    {"round/missing", COORD, "GET", "/v1/rounds/999", NULL, 404},
    {"round/school", SCHOOL, "GET", "/v1/rounds/1", NULL, 403},
    {"proposals/coordinator", COORD, "GET", "/v1/proposals", NULL, 200},
    {"proposals/school", SCHOOL, "GET", "/v1/proposals", NULL, 403},
    {"proposals/organisation", ORG, "GET", "/v1/proposals", NULL, 403},
    {"approve/school", SCHOOL, "POST", "/v1/proposals/a-14/approve", NULL, 403},
    {"approve/organisation", ORG, "POST", "/v1/proposals/a-14/approve", NULL, 403},
    {"approve/out-of-scope", HAVEN, "POST", "/v1/proposals/a-15/approve", NULL, 404},
    {"approve/missing", COORD, "POST", "/v1/proposals/nope/approve", NULL, 404},
    {"reject/school", SCHOOL, "POST", "/v1/proposals/a-14/reject", "{\"reason\": \"x\"}", 403},
    {"reject/out-of-scope", HAVEN, "POST", "/v1/proposals/a-15/reject", "{\"reason\": \"x\"}", 404},
    {"assignments/coordinator", COORD, "GET", "/v1/assignments", NULL, 200},
    {"assignments/school", SCHOOL, "GET", "/v1/assignments", NULL, 200},
    {"assignments/organisation", ORG, "GET", "/v1/assignments", NULL, 200},
    {"assignment-cancel/other-school", OSCHOOL, "POST", "/v1/assignments/a-01/cancel", NULL, 404},
    {"assignment-cancel/other-organisation", OORG, "POST", "/v1/assignments/a-01/cancel", NULL,
     404},
    {"assignment-cancel/school-proposal", SCHOOL, "POST", "/v1/assignments/a-14/cancel", NULL, 404},
    {"assignment-cancel/out-of-scope", HAVEN, "POST", "/v1/assignments/a-01/cancel", NULL, 404},
    {"csv/school", SCHOOL, "GET", "/v1/assignments.csv", NULL, 200},
    {"employee-calendar/own", ORG, "GET", "/v1/employees/e-002/calendar.ics", NULL, 200},
    {"employee-calendar/other-organisation", OORG, "GET", "/v1/employees/e-002/calendar.ics", NULL,
     404},
    {"employee-calendar/school", SCHOOL, "GET", "/v1/employees/e-002/calendar.ics", NULL, 403},
    {"school-calendar/own", SCHOOL, "GET", "/v1/schools/31DJ00/calendar.ics", NULL, 200},
    {"school-calendar/other", OSCHOOL, "GET", "/v1/schools/31DJ00/calendar.ics", NULL, 404},
    {"school-calendar/organisation", ORG, "GET", "/v1/schools/31DJ00/calendar.ics", NULL, 403},
    {"school-calendar/coordinator-out-of-scope", HAVEN, "GET", "/v1/schools/31DJ00/calendar.ics",
     NULL, 404},
    {"audit/coordinator", COORD, "GET", "/v1/audit", NULL, 200},
    {"audit/school", SCHOOL, "GET", "/v1/audit", NULL, 403},
    {"audit/organisation", ORG, "GET", "/v1/audit", NULL, 403},
    {"summary/coordinator", COORD, "GET", "/v1/summary", NULL, 200},
    {"summary/haven", HAVEN, "GET", "/v1/summary", NULL, 200},
    {"summary/school", SCHOOL, "GET", "/v1/summary", NULL, 403},
    {"summary/organisation", ORG, "GET", "/v1/summary", NULL, 403},
};

static void test_access(Fixture *f, gconstpointer data) {
  const Access *c = data;
  const char *token = *(char **)((char *)f + c->token);
  json_object *json = NULL;
  guint status = fixture_call(f, token, c->method, c->path, NULL, c->body, &json);
  g_assert_cmpuint(status, ==, c->status);
  if (status >= 400) {
    g_assert_nonnull(fixture_string(json, "error", "code", NULL));
    /* A hidden object reads exactly like a missing one: its id, nothing else. */
    if (status == 404)
      g_assert_nonnull(strstr(fixture_string(json, "error", "message", NULL), "no "));
  }
  json_object_put(json);
}

static void test_unauthenticated(Fixture *f, gconstpointer data) {
  (void)data;
  const ApiRoute *routes = api_routes();
  for (gsize i = 0; routes[i].method != NULL; i++) {
    g_autofree char *path = g_strdup(routes[i].pattern);
    char *brace;
    while ((brace = strchr(path, '{')) != NULL) { /* {id} -> x */
      char *close = strchr(brace, '}');
      memmove(brace + 1, close + 1, strlen(close + 1) + 1);
      *brace = 'x';
    }
    g_assert_cmpuint(fixture_call(f, NULL, routes[i].method, path, NULL, NULL, NULL), ==, 401);
    g_assert_cmpuint(fixture_call(f, "hnd_wrong", routes[i].method, path, NULL, NULL, NULL), ==,
                     401);
  }
}

/* ---- privacy -------------------------------------------------------------- */

static gboolean text_contains(Fixture *f, const char *token, const char *path, const char *needle) {
  ApiResponse response = {0};
  /* Lists in one page; the exports are not paged and take no limit. */
  gboolean export = g_str_has_suffix(path, ".ics") || g_str_has_suffix(path, ".csv");
  const char *query = export ? NULL : "limit=500";
  fixture_call_raw(f, token, "GET", path, query, NULL, &response);
  g_assert_cmpuint(response.status, ==, 200);
  gboolean found = strstr(response.body, needle) != NULL;
  api_response_clear(&response);
  return found;
}

/* An employee's calendar shows a district coordinator only the shifts at schools in
 * its districts, as GET /v1/assignments does: e-008, moved to Haven, is approved at
 * De Driemaster in Stad (a-05, a-06). */
static void test_calendar_scope(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_sql(f, "UPDATE employees SET district_id = 'haven' WHERE id = 'e-008'");
  const char *path = "/v1/employees/e-008/calendar.ics";
  g_assert_true(text_contains(f, f->coordinator, path, "Driemaster"));
  g_assert_false(text_contains(f, f->haven, path, "Driemaster"));
  g_assert_true(text_contains(f, f->haven, path, "BEGIN:VCALENDAR"));
}

static void test_privacy_school(Fixture *f, gconstpointer data) {
  (void)data;
  /* a-14 proposes e-241 ("proposed"): no school sees the name of a proposed person. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/employees/e-241", NULL, NULL, &json),
                   ==, 200);
  g_autofree char *proposed_name = g_strdup(fixture_string(json, "name", NULL));
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/employees/e-002", NULL, NULL, &json),
                   ==, 200);
  g_autofree char *approved_name = g_strdup(fixture_string(json, "name", NULL));
  json_object_put(json);
  static const char *const paths[] = {"/v1/requests", "/v1/assignments", "/v1/assignments.csv",
                                      "/v1/schools/31DJ00/calendar.ics"};
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++)
    g_assert_false(text_contains(f, f->school, paths[i], proposed_name));
  /* After approval (a-01, a-02 for school 31DJ00) the school sees who comes. */
  g_assert_true(text_contains(f, f->school, "/v1/assignments", approved_name));
  g_assert_true(text_contains(f, f->school, "/v1/schools/31DJ00/calendar.ics", approved_name));
  /* ... and another school does not. */
  g_assert_false(text_contains(f, f->other_school, "/v1/assignments", approved_name));
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/assignments", "limit=500", NULL, &json),
                   ==, 200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2);
  for (gsize i = 0; i < 2; i++) {
    json_object *item = json_object_array_get_idx(items, i);
    g_assert_cmpstr(fixture_string(item, "school", NULL), ==, "31DJ00");
    g_assert_cmpstr(fixture_string(item, "status", NULL), ==, "approved");
    g_assert_cmpstr(fixture_string(item, "employee_name", NULL), ==, approved_name);
    g_assert_cmpstr(fixture_string(item, "organisation", NULL), ==, "org-01");
    g_assert_false(json_object_object_get_ex(item, "round", NULL));
  }
  json_object_put(json);
}

static void test_privacy_organisation(Fixture *f, gconstpointer data) {
  (void)data;
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees", "limit=500", NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), >, 0);
  for (gsize i = 0; i < json_object_array_length(items); i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, i), "organisation", NULL), ==,
                    "org-01");
  json_object_put(json);
  /* Assignments: only those of its own employees (a-01, a-02, a-05..a-11 are org-01's). */
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/assignments", "limit=500", NULL, &json), ==,
                   200);
  items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 9);
  for (gsize i = 0; i < json_object_array_length(items); i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, i), "organisation", NULL), ==,
                    "org-01");
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->other_org, "GET", "/v1/assignments", "limit=500", NULL, &json), ==, 200);
  items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2); /* a-03, a-04 (e-198) */
  json_object_put(json);
}

static void test_privacy_coordinator_scope(Fixture *f, gconstpointer data) {
  (void)data;
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/requests", "limit=500", NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2);
  for (gsize i = 0; i < 2; i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, i), "district", NULL), ==,
                    "haven");
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/employees", "limit=500", NULL, &json), ==,
                   200);
  items = json_object_object_get(json, "items");
  for (gsize i = 0; i < json_object_array_length(items); i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, i), "district", NULL), ==,
                    "haven");
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/proposals", "status=any", NULL, &json), ==,
                   200);
  items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2); /* a-07 approved, a-14 proposed */
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 0), "id", NULL), ==, "a-07");
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 1), "id", NULL), ==, "a-14");
  json_object_put(json);
  /* By default only what still waits for a decision. */
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/proposals", NULL, NULL, &json), ==, 200);
  items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 1);
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 0), "id", NULL), ==, "a-14");
  json_object_put(json);
}

/* ---- GET /v1/me ----------------------------------------------------------- */

/* The body of GET /v1/me for `token` as compact JSON text (transfer full). */
static char *me(Fixture *f, const char *token) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "GET", "/v1/me", NULL, NULL, &json), ==, 200);
  char *text = g_strdup(json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN |
                                                                 JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(json);
  return text;
}

static void test_me(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *school = me(f, f->school);
  g_assert_cmpstr(school, ==,
                  "{\"role\":\"school\",\"school\":{\"id\":\"31DJ00\",\"name\":"
                  "\"Openbare Basisschool De Zeeraket\",\"district\":\"duin\"}}");
  g_autofree char *org = me(f, f->org);
  g_assert_cmpstr(org, ==,
                  "{\"role\":\"organisation\",\"organisation\":{\"id\":\"org-01\",\"name\":"
                  "\"Kinderopvang De Boerderij\"}}");
  g_autofree char *haven = me(f, f->haven);
  g_assert_cmpstr(haven, ==,
                  "{\"role\":\"coordinator\",\"all_districts\":false,\"districts\":"
                  "[{\"id\":\"haven\",\"name\":\"Almere Haven\"}]}");
  /* Every district, sorted by id, for a coordinator of all of them. */
  g_autofree char *all = me(f, f->coordinator);
  g_assert_true(g_str_has_prefix(all, "{\"role\":\"coordinator\",\"all_districts\":true,"
                                      "\"districts\":[{\"id\":\"buiten\",\"name\":"
                                      "\"Almere Buiten\"},{\"id\":\"duin\","));
  g_assert_true(g_str_has_suffix(all, "{\"id\":\"stad\",\"name\":\"Almere Stad\"}]}"));
  /* Only with a token. */
  g_assert_cmpuint(fixture_call(f, NULL, "GET", "/v1/me", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/me", NULL, "{}", NULL), ==, 405);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_FIXTURE_TABLE("/resources/access", access_cases, name, Fixture, fixture_setup,
                         test_access, fixture_teardown);
  FIXTURE_ADD("/resources/access/unauthenticated", test_unauthenticated);
  FIXTURE_ADD("/resources/privacy/calendar-scope", test_calendar_scope);
  FIXTURE_ADD("/resources/privacy/school", test_privacy_school);
  FIXTURE_ADD("/resources/privacy/organisation", test_privacy_organisation);
  FIXTURE_ADD("/resources/access/me", test_me);
  FIXTURE_ADD("/resources/privacy/coordinator-scope", test_privacy_coordinator_scope);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
