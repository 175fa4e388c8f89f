/* test-access.c: every route of the HTTP API as every role, through
 * api_router_dispatch() in memory: allowed (200), forbidden to the role (403), hidden
 * outside the caller's scope (404, like a missing object), no token (401); and the
 * privacy of employees' names (a school sees who comes only after approval, an
 * organisation only its own people, a coordinator only their districts).
 */
#include <string.h>

#include "resources-fixture.h"
#include "../test-table.h"

/* ---- every route as every role ------------------------------------------ */

/* Each case a line: "NAME ROLE METHOD PATH STATUS [| BODY]", ROLE as
 * fixture_role_token() takes it. */
static const char ACCESS_CASES[] =
    "districts/coordinator coordinator GET /v1/districts 200\n"
    "districts/school school GET /v1/districts 200\n"
    "districts/organisation organisation GET /v1/districts 200\n"
    "schools/school school GET /v1/schools 200\n"
    "school/organisation organisation GET /v1/schools/31DJ00 200\n"
    "school/missing organisation GET /v1/schools/99XX00 404\n"
    "organisations/school school GET /v1/organisations 200\n"
    "requests/coordinator coordinator GET /v1/requests 200\n"
    "requests/school school GET /v1/requests 200\n"
    "requests/organisation organisation GET /v1/requests 403\n"
    "request/own-school school GET /v1/requests/r-002 200\n"
    "request/other-school other-school GET /v1/requests/r-002 404\n"
    "request/coordinator-in-scope haven GET /v1/requests/r-008 200\n"
    "request/coordinator-out-of-scope haven GET /v1/requests/r-002 404\n"
    "request/organisation organisation GET /v1/requests/r-002 403\n"
    "request-create/organisation organisation POST /v1/requests 403 | {}\n"
    "request-patch/other-school other-school PATCH /v1/requests/r-002 404 | {\"note\": \"x\"}\n"
    "request-cancel/other-school other-school POST /v1/requests/r-002/cancel 404\n"
    "request-cancel/organisation organisation POST /v1/requests/r-002/cancel 403\n"
    "employees/organisation organisation GET /v1/employees 200\n"
    "employees/coordinator coordinator GET /v1/employees 200\n"
    "employees/school school GET /v1/employees 403\n"
    "employee/own organisation GET /v1/employees/e-002 200\n"
    "employee/other-organisation other-organisation GET /v1/employees/e-002 404\n"
    "employee/school school GET /v1/employees/e-002 403\n"
    "employee-create/coordinator coordinator POST /v1/employees 403 | {}\n"
    "employee-patch/other-organisation other-organisation PATCH /v1/employees/e-002 404 "
    "| {\"max_travel_km\": 5}\n"
    "employee-deactivate/other-organisation other-organisation POST /v1/employees/e-002/deactivate "
    "404\n"
    "employee-deactivate/school school POST /v1/employees/e-002/deactivate 403\n"
    "availability/other-organisation other-organisation PUT /v1/employees/e-002/availability 404 "
    "| []\n"
    "rounds/school school POST /v1/rounds 403\n"
    "rounds/organisation organisation POST /v1/rounds 403\n"
    "round/missing coordinator GET /v1/rounds/999 404\n"
    "round/school school GET /v1/rounds/1 403\n"
    "proposals/coordinator coordinator GET /v1/proposals 200\n"
    "proposals/school school GET /v1/proposals 403\n"
    "proposals/organisation organisation GET /v1/proposals 200\n"
    "approve/school school POST /v1/proposals/a-14/approve 403\n"
    "approve/organisation organisation POST /v1/proposals/a-14/approve 403\n"
    "approve/out-of-scope haven POST /v1/proposals/a-15/approve 404\n"
    "approve/missing coordinator POST /v1/proposals/nope/approve 404\n"
    "reject/school school POST /v1/proposals/a-14/reject 403 | {\"reason\": \"x\"}\n"
    "reject/out-of-scope haven POST /v1/proposals/a-15/reject 404 | {\"reason\": \"x\"}\n"
    "assignments/coordinator coordinator GET /v1/assignments 200\n"
    "assignments/school school GET /v1/assignments 200\n"
    "assignments/organisation organisation GET /v1/assignments 200\n"
    "assignment-cancel/other-school other-school POST /v1/assignments/a-01/cancel 404\n"
    "assignment-cancel/other-organisation other-organisation POST /v1/assignments/a-01/cancel 404\n"
    "assignment-cancel/school-proposal school POST /v1/assignments/a-14/cancel 404\n"
    "assignment-cancel/out-of-scope haven POST /v1/assignments/a-01/cancel 404\n"
    "csv/school school GET /v1/assignments.csv 200\n"
    "employee-calendar/own organisation GET /v1/employees/e-002/calendar.ics 200\n"
    "employee-calendar/other-organisation other-organisation GET /v1/employees/e-002/calendar.ics "
    "404\n"
    "employee-calendar/school school GET /v1/employees/e-002/calendar.ics 403\n"
    "school-calendar/own school GET /v1/schools/31DJ00/calendar.ics 200\n"
    "school-calendar/other other-school GET /v1/schools/31DJ00/calendar.ics 404\n"
    "school-calendar/organisation organisation GET /v1/schools/31DJ00/calendar.ics 403\n"
    "school-calendar/coordinator-out-of-scope haven GET /v1/schools/31DJ00/calendar.ics 404\n"
    "audit/coordinator coordinator GET /v1/audit 200\n"
    "audit/school school GET /v1/audit 403\n"
    "audit/organisation organisation GET /v1/audit 403\n"
    "summary/coordinator coordinator GET /v1/summary 200\n"
    "summary/haven haven GET /v1/summary 200\n"
    "summary/school school GET /v1/summary 403\n"
    "summary/organisation organisation GET /v1/summary 403\n";

static void test_access(Fixture *f, gconstpointer data) {
  g_auto(GStrv) words = fixture_case_words(data, 5);
  const char *token = fixture_role_token(f, words[1]);
  json_object *json = NULL;
  guint status = fixture_call(f, token, words[2], words[3], NULL, ((char *const *)data)[1], &json);
  g_assert_cmpuint(status, ==, (guint)g_ascii_strtoull(words[4], NULL, 10));
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
    /* An invitation's code and a feed's secret are their own credentials: a wrong
     * one is refused (tests/mail, test-subscriptions.c). */
    if (routes[i].public && g_str_equal(routes[i].pattern, "/v1/invitations/accept")) {
      g_assert_cmpuint(fixture_call(f, NULL, routes[i].method, routes[i].pattern, NULL,
                                    "{\"code\": \"hnd_wrong\"}", NULL),
                       ==, 401);
      continue;
    }
    if (routes[i].public) {
      g_assert_cmpstr(routes[i].pattern, ==, "/v1/feeds/{secret}/calendar.ics");
      g_assert_cmpuint(
          fixture_call(f, NULL, "GET", "/v1/feeds/hnd_wrong/calendar.ics", NULL, NULL, NULL), ==,
          404);
      continue;
    }
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
  /* Lists in one page; the exports and single objects are not paged and take no limit. */
  gboolean unpaged = g_str_has_suffix(path, ".ics") || g_str_has_suffix(path, ".csv") ||
                     g_str_has_prefix(path, "/v1/schools/") ||
                     g_str_has_prefix(path, "/v1/employees/");
  const char *query = unpaged ? NULL : "limit=500";
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

/* The ids of a list's items, comma-separated (transfer full). */
static char *item_ids(json_object *json) {
  json_object *items = json_object_object_get(json, "items");
  g_autoptr(GString) ids = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++)
    g_string_append_printf(ids, "%s%s", i > 0 ? "," : "",
                           fixture_string(json_object_array_get_idx(items, i), "id", NULL));
  return g_string_free(g_steal_pointer(&ids), FALSE);
}

/* An organisation lists the proposals waiting on its own employees (with the school's
 * name), never another organisation's, never a decided one; a school none. */
static void test_privacy_organisation_proposals(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_proposal(f, "p-own", "r-002", "e-002", "2020-04-15");   /* org-01 */
  fixture_proposal(f, "p-other", "r-002", "e-198", "2020-04-16"); /* org-17 */
  fixture_sql(f, "UPDATE assignments SET status = 'rejected' WHERE id = 'a-01'");
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/proposals", "limit=500", NULL, &json), ==,
                   200);
  g_autofree char *own = item_ids(json);
  g_assert_cmpstr(own, ==, "p-own"); /* not a-14 (org-21), a-15 (org-08), nor p-other */
  json_object *item = json_object_array_get_idx(json_object_object_get(json, "items"), 0);
  g_assert_cmpstr(fixture_string(item, "status", NULL), ==, "proposed");
  g_assert_cmpstr(fixture_string(item, "organisation", NULL), ==, "org-01");
  g_assert_cmpstr(fixture_string(item, "school_name", NULL), ==,
                  "Openbare Basisschool De Zeeraket");
  g_assert_false(json_object_object_get_ex(item, "why", NULL)); /* the coordinator's */
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->other_org, "GET", "/v1/proposals", "status=proposed", NULL, &json), ==,
      200);
  g_autofree char *other = item_ids(json);
  g_assert_cmpstr(other, ==, "p-other");
  json_object_put(json);
  g_assert_false(text_contains(f, f->other_org, "/v1/proposals", "e-002"));
  /* Decided proposals (a-01 rejected, org-01's) stay the coordinator's. */
  static const char *const refused[] = {"status=any", "status=rejected", "status=approved"};
  for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
    g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/proposals", refused[i], NULL, &json), ==,
                     400);
    g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "bad_request");
    json_object_put(json);
  }
  /* A school still sees no pending proposal, not even on its own request. */
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/proposals", NULL, NULL, NULL), ==, 403);
  g_assert_false(text_contains(f, f->school, "/v1/assignments", "p-own"));
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

/* Contacts, as every role: an employee's e-mail address and telephone number are
 * their organisation's; the school reaches who comes by phone once approved (e-002 on
 * a-01, a-02), never someone only proposed (e-241 on a-14); a school's or an
 * organisation's contact is the coordinator's and its own. */
static void test_privacy_contacts(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_sql(f, "UPDATE employees SET email = 'e002@boerderij.nl', phone = '06-11112222'"
                 " WHERE id = 'e-002'");
  fixture_sql(f, "UPDATE employees SET email = 'e241@elders.nl', phone = '06-33334444'"
                 " WHERE id = 'e-241'");
  fixture_sql(f, "UPDATE schools SET contact_name = 'Ineke Zeeraket',"
                 " contact_email = 'directie@zeeraket.nl', contact_phone = '036-1112222'"
                 " WHERE id = '31DJ00'");
  fixture_sql(f, "UPDATE organisations SET contact_email = 'planning@boerderij.nl'"
                 " WHERE id = 'org-01'");
  /* The organisation sees its own employee's contact, the coordinator does not. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees/e-002", NULL, NULL, &json), ==,
                   200);
  g_assert_cmpstr(fixture_string(json, "email", NULL), ==, "e002@boerderij.nl");
  g_assert_cmpstr(fixture_string(json, "phone", NULL), ==, "06-11112222");
  json_object_put(json);
  g_assert_true(text_contains(f, f->org, "/v1/employees", "06-11112222"));
  g_assert_false(text_contains(f, f->coordinator, "/v1/employees/e-002", "06-11112222"));
  g_assert_false(text_contains(f, f->coordinator, "/v1/employees", "e002@boerderij.nl"));
  g_assert_false(text_contains(f, f->coordinator, "/v1/assignments", "06-11112222"));
  g_assert_false(text_contains(f, f->coordinator, "/v1/proposals", "06-33334444"));
  /* The school has the phone of who comes, in the assignment, and nothing more. */
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/assignments", NULL, NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2);
  for (gsize i = 0; i < 2; i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, i), "employee_phone", NULL), ==,
                    "06-11112222");
  json_object_put(json);
  g_assert_false(text_contains(f, f->school, "/v1/assignments", "e002@boerderij.nl"));
  g_assert_false(text_contains(f, f->other_school, "/v1/assignments", "06-11112222"));
  static const char *const school_paths[] = {
      "/v1/requests", "/v1/assignments", "/v1/assignments.csv", "/v1/schools/31DJ00/calendar.ics"};
  for (gsize i = 0; i < G_N_ELEMENTS(school_paths); i++)
    g_assert_false(text_contains(f, f->school, school_paths[i], "06-33334444"));
  /* The directory: the contact for the coordinator and the owner only. */
  g_assert_true(text_contains(f, f->coordinator, "/v1/schools/31DJ00", "directie@zeeraket.nl"));
  g_assert_true(text_contains(f, f->school, "/v1/schools/31DJ00", "directie@zeeraket.nl"));
  g_assert_false(text_contains(f, f->other_school, "/v1/schools/31DJ00", "Ineke"));
  g_assert_false(text_contains(f, f->org, "/v1/schools", "directie@zeeraket.nl"));
  g_assert_true(text_contains(f, f->coordinator, "/v1/organisations", "planning@boerderij.nl"));
  g_assert_true(text_contains(f, f->org, "/v1/organisations", "planning@boerderij.nl"));
  g_assert_false(text_contains(f, f->school, "/v1/organisations", "planning@boerderij.nl"));
  g_assert_false(text_contains(f, f->other_org, "/v1/organisations", "planning@boerderij.nl"));
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
  api_services_set_stale_after_days(f->services, 28);
  g_autofree char *school = me(f, f->school);
  g_assert_cmpstr(school, ==,
                  "{\"role\":\"school\",\"school\":{\"id\":\"31DJ00\",\"name\":"
                  "\"Openbare Basisschool De Zeeraket\",\"district\":\"duin\"},"
                  "\"today\":\"2020-04-13\",\"stale_after_days\":28}");
  g_autofree char *org = me(f, f->org);
  g_assert_cmpstr(org, ==,
                  "{\"role\":\"organisation\",\"organisation\":{\"id\":\"org-01\",\"name\":"
                  "\"Kinderopvang De Boerderij\"},\"today\":\"2020-04-13\","
                  "\"stale_after_days\":28}");
  g_autofree char *haven = me(f, f->haven);
  g_assert_cmpstr(haven, ==,
                  "{\"role\":\"coordinator\",\"all_districts\":false,\"districts\":"
                  "[{\"id\":\"haven\",\"name\":\"Almere Haven\"}],"
                  "\"today\":\"2020-04-13\",\"stale_after_days\":28}");
  /* Every district, sorted by id, for a coordinator of all of them. */
  g_autofree char *all = me(f, f->coordinator);
  g_assert_true(g_str_has_prefix(all, "{\"role\":\"coordinator\",\"all_districts\":true,"
                                      "\"districts\":[{\"id\":\"buiten\",\"name\":"
                                      "\"Almere Buiten\"},{\"id\":\"duin\","));
  g_assert_true(g_str_has_suffix(all, "{\"id\":\"stad\",\"name\":\"Almere Stad\"}],"
                                      "\"today\":\"2020-04-13\",\"stale_after_days\":28}"));
  /* Only with a token. */
  g_assert_cmpuint(fixture_call(f, NULL, "GET", "/v1/me", NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/me", NULL, "{}", NULL), ==, 405);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_autoptr(GPtrArray) cases =
      fixture_add_text_cases("/resources/access", ACCESS_CASES, test_access);
  FIXTURE_ADD("/resources/access/unauthenticated", test_unauthenticated);
  FIXTURE_ADD("/resources/privacy/calendar-scope", test_calendar_scope);
  FIXTURE_ADD("/resources/privacy/school", test_privacy_school);
  FIXTURE_ADD("/resources/privacy/organisation", test_privacy_organisation);
  FIXTURE_ADD("/resources/access/me", test_me);
  FIXTURE_ADD("/resources/privacy/contacts", test_privacy_contacts);
  FIXTURE_ADD("/resources/privacy/coordinator-scope", test_privacy_coordinator_scope);
  FIXTURE_ADD("/resources/privacy/organisation-proposals", test_privacy_organisation_proposals);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
