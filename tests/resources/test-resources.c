/* test-resources.c: the resources of the HTTP API in memory, through
 * api_router_dispatch(): validation with JSON Pointers and nothing stored, creating
 * and changing requests and employees, cursor pagination, the districts with their
 * outlines, and the CSV and iCalendar exports.
 */
#include <string.h>

#include "resources-fixture.h"
#include "../test-table.h"

/* ---- validation ----------------------------------------------------------- */

/* A valid slot list of one day part, for bodies that are wrong elsewhere. */
#define ONE_SLOT "\"slots\": [{\"date\": \"2020-06-01\", \"part\": \"morning\"}]"

/* Each case a line: "NAME ROLE METHOD PATH STATUS POINTER | MESSAGE [| BODY]", ROLE as
 * fixture_role_token() takes it, POINTER "-" for none, MESSAGE a part of the message. */
static const char INVALID_CASES[] =
    "request/bad-date school POST /v1/requests 422 /slots/0/date | \"2020-02-30\" is not a valid "
    "date | {\"staff_needed\": 1, \"slots\": [{\"date\": \"2020-02-30\", \"part\": \"morning\"}]}\n"
    "request/bad-part school POST /v1/requests 422 /slots/0/part | evening | {\"staff_needed\": 1, "
    "\"slots\": [{\"date\": \"2020-06-01\", \"part\": \"evening\"}]}\n"
    "request/no-slots school POST /v1/requests 422 /slots | missing | {\"staff_needed\": 1}\n"
    "request/both-needs school POST /v1/requests 422 /children_expected | staff_needed | "
    "{\"staff_needed\": 1, \"children_expected\": 20, " ONE_SLOT "}\n"
    "request/unknown-key school POST /v1/requests 422 /colour | unknown key | {\"staff_needed\": "
    "1, \"colour\": 1, " ONE_SLOT "}\n"
    "request/bad-qualification school POST /v1/requests 422 /required/0 | \"ehbo\" is not a "
    "qualification | {\"staff_needed\": 1, \"required\": [\"ehbo\"], " ONE_SLOT "}\n"
    "request/pattern-empty school POST /v1/requests 422 /slots/0 | expands to no day part | "
    "{\"staff_needed\": 1, \"slots\": [{\"from\": \"2020-06-06\", \"to\": \"2020-06-07\", "
    "\"weekdays\": [\"mon\"], \"parts\": [\"morning\"]}]}\n"
    "request/other-school school POST /v1/requests 422 /school | your own school | {\"school\": "
    "\"12XA00\", \"staff_needed\": 1, " ONE_SLOT "}\n"
    "request/status school POST /v1/requests 422 /status | set by the server | {\"status\": "
    "\"cancelled\", \"staff_needed\": 1, " ONE_SLOT "}\n"
    "request/school-out-of-scope haven POST /v1/requests 422 /school | no school with id "
    "\"31DJ00\" | {\"school\": \"31DJ00\", \"staff_needed\": 1, " ONE_SLOT "}\n"
    "request/not-object school POST /v1/requests 422 - | an object | [1]\n"
    "request/bad-json school POST /v1/requests 400 - | not valid JSON | {\"staff_needed\": \n"
    "request/lone-surrogate school POST /v1/requests 400 /note | lone surrogate \\ud800 | "
    "{\"staff_needed\": 1, \"note\": \"Groep \\ud800\", " ONE_SLOT "}\n"
    "request/patch-lone-low-surrogate school PATCH /v1/requests/r-002 400 /note | lone surrogate "
    "\\uDC00 | {\"note\": \"\\uDC00\"}\n"
    "request/raw-control-character school PATCH /v1/requests/r-002 400 - | control character in a "
    "string | {\"note\": \"a\tb\"}\n"
    "request/repeated-key school PATCH /v1/requests/r-002 400 /children_expected | repeated key | "
    "{\"children_expected\": 9, \"children_expected\": 90}\n"
    "request/patch-bad-need school PATCH /v1/requests/r-002 422 /children_expected | 1 | "
    "{\"children_expected\": 0}\n"
    "request/patch-school school PATCH /v1/requests/r-002 422 /school | cannot change | "
    "{\"school\": \"12XA00\"}\n"
    "employee/bad-qualification organisation POST /v1/employees 422 /qualifications/1 | \"ehbo\" "
    "is not a qualification | {\"name\": \"A\", \"district\": \"stad\", \"qualifications\": "
    "[\"vog\", \"ehbo\"]}\n"
    "employee/blank-name organisation POST /v1/employees 422 /name | only white space | {\"name\": "
    "\"   \", \"district\": \"stad\"}\n"
    "employee/patch-blank-name organisation PATCH /v1/employees/e-002 422 /name | control "
    "character | {\"name\": \" \\t \"}\n"
    "employee/patch-space-name organisation PATCH /v1/employees/e-002 422 /name | expected a name "
    "with at least one character that is not white space | {\"name\": \"  \"}\n"
    "employee/unknown-district organisation POST /v1/employees 422 /district | no district with id "
    "| {\"name\": \"A\", \"district\": \"mars\"}\n"
    "employee/other-organisation organisation POST /v1/employees 422 /organisation | your own "
    "organisation | {\"organisation\": \"org-17\", \"name\": \"A\", \"district\": \"stad\"}\n"
    "employee/lone-surrogate organisation POST /v1/employees 400 /name | lone surrogate \\ud83d | "
    "{\"name\": \"A\\ud83d\\u0041\", \"district\": \"stad\"}\n"
    "availability/lone-surrogate-key organisation PUT /v1/employees/e-002/availability 400 /0 | "
    "lone surrogate | [{\"date\": \"2020-06-01\", \"part\": \"morning\", \"\\udc00\": 1}]\n"
    "employee/bad-weekly organisation PATCH /v1/employees/e-002 422 /max_parts_per_week | 14 | "
    "{\"max_parts_per_week\": 15}\n"
    "availability/bad-date organisation PUT /v1/employees/e-002/availability 422 /1/date | not a "
    "valid date | [{\"date\": \"2020-06-01\", \"part\": \"morning\"}, {\"date\": \"2020-13-01\", "
    "\"part\": \"morning\"}]\n"
    "availability/not-array organisation PUT /v1/employees/e-002/availability 422 - | an array | "
    "{}\n"
    "reject/no-reason coordinator POST /v1/proposals/a-14/reject 422 /reason | missing | {}\n"
    "reject/lone-surrogate coordinator POST /v1/proposals/a-14/reject 400 /reason | lone surrogate "
    "| {\"reason\": \"\\ud800\\ud800\"}\n"
    "reject/empty-reason coordinator POST /v1/proposals/a-14/reject 422 /reason | 1 to 2000 | "
    "{\"reason\": \"\"}\n"
    "rounds/foreign-district haven POST /v1/rounds 422 /districts/0 | your district | "
    "{\"districts\": [\"stad\"]}\n"
    "list/bad-limit coordinator GET /v1/requests?limit=0 400 - | limit\n"
    "list/bad-cursor coordinator GET /v1/requests?cursor=%%% 400 - | cursor\n"
    "assignments/bad-from coordinator GET /v1/assignments?from=2020-02-30 400 - | from\n"
    "assignments/bad-to coordinator GET /v1/assignments?to=20200414 400 - | query parameter to\n"
    "assignments/bad-from-paged coordinator GET /v1/assignments?limit=5&from=2020-4-14 400 - | "
    "query parameter from\n";

static void test_invalid(Fixture *f, gconstpointer data) {
  char *const *parts = data;
  g_auto(GStrv) words = fixture_case_words(data, 6);
  const char *token = fixture_role_token(f, words[1]);
  const char *pointer = g_str_equal(words[5], "-") ? NULL : words[5];
  const char *expected = parts[1], *body = parts[2];
  g_assert_nonnull(expected);
  gint64 before = fixture_sql_int(f, "SELECT (SELECT count(*) FROM requests) * 1000000 +"
                                     " (SELECT count(*) FROM employees) * 1000 +"
                                     " (SELECT count(*) FROM rounds)");
  gint64 changes_before = fixture_sql_int(f, "SELECT count(*) FROM audit_log");
  g_auto(GStrv) path = g_strsplit(words[3], "?", 2);
  json_object *json = NULL;
  guint status = fixture_call(f, token, words[2], path[0], path[1], body, &json);
  g_assert_cmpuint(status, ==, (guint)g_ascii_strtoull(words[4], NULL, 10));
  json_object *error = json_object_object_get(json, "error");
  g_assert_nonnull(error);
  g_assert_cmpint(json_object_get_int(json_object_object_get(error, "status")), ==, (int)status);
  g_assert_cmpstr(fixture_string(error, "pointer", NULL), ==, pointer);
  const char *message = fixture_string(error, "message", NULL);
  if (strstr(message, expected) == NULL)
    g_test_message("message: %s", message);
  g_assert_nonnull(strstr(message, expected));
  json_object_put(json);
  /* Nothing stored. */
  g_assert_cmpint(fixture_sql_int(f, "SELECT (SELECT count(*) FROM requests) * 1000000 +"
                                     " (SELECT count(*) FROM employees) * 1000 +"
                                     " (SELECT count(*) FROM rounds)"),
                  ==, before);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log"), ==, changes_before);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM requests WHERE id = 'r-002' AND"
                                     " children_expected = 9 AND school_id = '31DJ00'"),
                  ==, 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT max_parts_per_week FROM employees WHERE id = 'e-002'"),
                  !=, 15);
}

/* ---- creating and changing ------------------------------------------------ */

static void test_request_lifecycle(Fixture *f, gconstpointer data) {
  (void)data;
  ApiResponse response = {0};
  fixture_call_raw(f, f->school, "POST", "/v1/requests", NULL,
                   "{\"children_expected\": 25, \"own_staff\": 1, \"priority\": \"high\","
                   " \"slots\": [{\"from\": \"2020-06-01\", \"to\": \"2020-06-05\", \"weekdays\":"
                   " [\"mon\", \"wed\"], \"parts\": [\"morning\"]}, {\"date\": \"2020-06-02\","
                   " \"part\": \"afternoon\"}]}",
                   &response);
  g_assert_cmpuint(response.status, ==, 201);
  json_object *json = json_tokener_parse(response.body);
  const char *id = fixture_string(json, "id", NULL);
  g_assert_cmpstr(id, ==, "r-33"); /* 32 requests in the fixture */
  g_assert_cmpstr(response.location, ==, "/v1/requests/r-33");
  g_assert_cmpstr(fixture_string(json, "school", NULL), ==, "31DJ00");
  g_assert_cmpstr(fixture_string(json, "district", NULL), ==, "duin");
  json_object *staffing = json_object_object_get(json, "staffing");
  g_assert_cmpuint(json_object_array_length(staffing), ==, 3);
  json_object *first = json_object_array_get_idx(staffing, 0);
  g_assert_cmpstr(fixture_string(first, "date", NULL), ==, "2020-06-01");
  g_assert_cmpint(json_object_get_int(json_object_object_get(first, "needed")), ==, 2);
  json_object_put(json);
  api_response_clear(&response);

  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", "/v1/requests/r-33", NULL,
                                "{\"own_staff\": null, \"note\": \"Groep 3 \\ud83d\\ude00\"}",
                                &json),
                   ==, 200);
  /* An escaped surrogate pair is one character (a lone half is refused). */
  g_assert_cmpstr(fixture_string(json, "note", NULL), ==, "Groep 3 \xf0\x9f\x98\x80");
  g_assert_false(json_object_object_get_ex(json, "own_staff", NULL));
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests/r-33/cancel", NULL,
                                "{\"reason\": \"school closed\"}", &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "cancelled");
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->school, "POST", "/v1/requests/r-33/cancel", NULL, NULL, &json), ==, 409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "already_cancelled");
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->school, "PATCH", "/v1/requests/r-33", NULL, "{\"note\": \"again\"}", NULL),
      ==, 409);
  /* A taken id. */
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                                "{\"id\": \"r-001\", \"staff_needed\": 1, \"slots\": [{\"date\":"
                                " \"2020-06-01\", \"part\": \"morning\"}]}",
                                &json),
                   ==, 409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "id_taken");
  json_object_put(json);
  /* Dropping a day part that has an approved assignment is refused. */
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", "/v1/requests/r-002", NULL,
                                "{\"slots\": [{\"date\": \"2020-04-20\", \"part\": \"morning\"}]}",
                                &json),
                   ==, 409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "slot_in_use");
  g_assert_null(strstr(fixture_string(json, "error", "message", NULL), "a-"));
  json_object_put(json);
  /* A day part with only a rejected assignment (a-12 on r-003) can be dropped: the
   * rejection stays on record, and the school learns nothing about it. */
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", "/v1/requests/r-003", NULL,
                                "{\"slots\": [{\"date\": \"2020-04-27\", \"part\": \"morning\"}]}",
                                NULL),
                   ==, 200);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'a-12'"
                                     " AND status = 'rejected'"),
                  ==, 1);
}

static void test_employee_lifecycle(Fixture *f, gconstpointer data) {
  (void)data;
  ApiResponse response = {0};
  fixture_call_raw(f, f->org, "POST", "/v1/employees", NULL,
                   "{\"name\": \"Anna Jansen\", \"district\": \"stad\", \"qualifications\":"
                   " [\"vog\", \"bso\"]}",
                   &response);
  g_assert_cmpuint(response.status, ==, 201);
  json_object *json = json_tokener_parse(response.body);
  g_autofree char *id = g_strdup(fixture_string(json, "id", NULL));
  g_assert_cmpstr(fixture_string(json, "organisation", NULL), ==, "org-01");
  g_autofree char *location = g_strdup_printf("/v1/employees/%s", id);
  g_assert_cmpstr(response.location, ==, location);
  json_object_put(json);
  api_response_clear(&response);

  g_autofree char *availability = g_strdup_printf("%s/availability", location);
  g_assert_cmpuint(fixture_call(f, f->org, "PUT", availability, NULL,
                                "[{\"date\": \"2020-06-01\", \"part\": \"morning\"}]", &json),
                   ==, 200);
  json_object *rules = json_object_object_get(json, "availability");
  g_assert_cmpuint(json_object_array_length(rules), ==, 1);
  g_assert_nonnull(fixture_string(json, "confirmed", NULL));
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->org, "PATCH", location, NULL, "{\"max_travel_km\": 4}", &json), ==, 200);
  g_assert_cmpint(json_object_get_int(json_object_object_get(json, "max_travel_km")), ==, 4);
  json_object_put(json);
  g_autofree char *deactivate = g_strdup_printf("%s/deactivate", location);
  g_assert_cmpuint(fixture_call(f, f->org, "POST", deactivate, NULL, NULL, &json), ==, 200);
  g_assert_false(json_object_get_boolean(json_object_object_get(json, "active")));
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees", "active=false", NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 1);
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 0), "id", NULL), ==, id);
  json_object_put(json);
  /* Deactivating drops the employee's proposals. */
  fixture_sql(f, "UPDATE employees SET active = 1 WHERE id = 'e-241'");
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'a-14'"), ==, 1);
  fixture_sql(f, "UPDATE employees SET organisation_id = 'org-01', location_id = NULL"
                 " WHERE id = 'e-241'");
  g_assert_cmpuint(
      fixture_call(f, f->org, "POST", "/v1/employees/e-241/deactivate", NULL, NULL, NULL), ==, 200);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'a-14'"), ==, 0);
}

/* ---- pagination ----------------------------------------------------------- */

static void test_pagination(Fixture *f, gconstpointer data) {
  (void)data;
  static const char *const lists[] = {"/v1/employees", "/v1/schools", "/v1/requests",
                                      "/v1/proposals", "/v1/assignments"};
  static const char *const limits[] = {"1", "7", "500"};
  for (gsize l = 0; l < G_N_ELEMENTS(lists); l++) {
    json_object *all = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", lists[l], "limit=500", NULL, &all), ==,
                     200);
    gsize total = json_object_array_length(json_object_object_get(all, "items"));
    g_assert_cmpuint(total, >, 0);
    json_object_put(all);
    for (gsize k = 0; k < G_N_ELEMENTS(limits); k++) {
      if (total > 100 && k == 0)
        continue; /* one item a page only where the walk stays short */
      g_autofree char *cursor = NULL;
      g_autofree char *last = NULL;
      gsize seen = 0;
      for (;;) {
        g_autofree char *query = cursor != NULL
                                     ? g_strdup_printf("limit=%s&cursor=%s", limits[k], cursor)
                                     : g_strdup_printf("limit=%s", limits[k]);
        json_object *page = NULL;
        g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", lists[l], query, NULL, &page), ==,
                         200);
        json_object *items = json_object_object_get(page, "items");
        g_assert_cmpuint(json_object_array_length(items), <=, (gsize)atoi(limits[k]));
        for (gsize i = 0; i < json_object_array_length(items); i++) {
          const char *id = fixture_string(json_object_array_get_idx(items, i), "id", NULL);
          g_assert_true(last == NULL || strcmp(last, id) < 0); /* sorted, each once */
          g_free(last);
          last = g_strdup(id);
          seen++;
        }
        g_clear_pointer(&cursor, g_free);
        cursor = g_strdup(fixture_string(page, "next_cursor", NULL));
        json_object_put(page);
        if (cursor == NULL)
          break;
      }
      g_assert_cmpuint(seen, ==, total);
    }
  }
}

/* GET /v1/districts: every district carries its outline exactly as the dataset file
 * gives it, point by point, to every role, and null where the file has none (duin:
 * CBS 2020 has no polygon of its own for it). */
static void test_districts(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *file = g_build_filename(g_getenv("HANDEN_FIXTURES"), "almere.json", NULL);
  json_object *dataset = json_object_from_file(file);
  g_assert_nonnull(dataset);
  json_object *expected = json_object_object_get(dataset, "districts");
  static const char *const roles[] = {"coordinator", "school", "organisation"};
  for (gsize r = 0; r < G_N_ELEMENTS(roles); r++) {
    json_object *page = NULL;
    g_assert_cmpuint(fixture_call(f, fixture_role_token(f, roles[r]), "GET", "/v1/districts",
                                  "limit=100", NULL, &page),
                     ==, 200);
    json_object *items = json_object_object_get(page, "items");
    g_assert_cmpuint(json_object_array_length(items), ==, json_object_array_length(expected));
    guint with_outline = 0;
    for (gsize i = 0; i < json_object_array_length(expected); i++) {
      json_object *want = json_object_array_get_idx(expected, i);
      const char *id = fixture_string(want, "id", NULL);
      json_object *got = NULL;
      for (gsize j = 0; j < json_object_array_length(items) && got == NULL; j++)
        if (g_strcmp0(fixture_string(json_object_array_get_idx(items, j), "id", NULL), id) == 0)
          got = json_object_array_get_idx(items, j);
      g_assert_nonnull(got);
      json_object *outline = NULL;
      g_assert_true(json_object_object_get_ex(got, "outline", &outline));
      json_object *want_outline = NULL;
      if (json_object_object_get_ex(want, "outline", &want_outline)) {
        g_assert_true(json_object_is_type(outline, json_type_array));
        g_assert_cmpuint(json_object_array_length(outline), >=, 3);
        g_assert_true(json_object_equal(outline, want_outline));
        with_outline++;
      } else {
        g_assert_cmpstr(id, ==, "duin");
        g_assert_null(outline); /* present, and JSON null */
      }
    }
    g_assert_cmpuint(with_outline, ==, 6);
    json_object_put(page);
  }
  json_object_put(dataset);
}

/* from and to bound an assignment's date, both inclusively, alone or together; the
 * fixture's approved assignments fall on 14 (3), 15 (2), 16 (2), 17 (3) and 21 (1)
 * April 2020. */
static void test_assignments_dates(Fixture *f, gconstpointer data) {
  (void)data;
  static const struct {
    const char *query;
    const char *from, *to; /* the range every item must fall in */
    gsize count;
  } cases[] = {
      {"limit=500", "2020-04-14", "2020-04-21", 11},
      {"limit=500&from=2020-04-15&to=2020-04-16", "2020-04-15", "2020-04-16", 4},
      {"limit=500&from=2020-04-17", "2020-04-17", "9999-12-31", 4},
      {"limit=500&to=2020-04-14", "0000-01-01", "2020-04-14", 3},
      {"limit=500&from=2020-04-21&to=2020-04-21", "2020-04-21", "2020-04-21", 1},
      {"limit=500&from=2020-04-18&to=2020-04-20", NULL, NULL, 0},
      {"limit=500&from=2020-04-17&to=2020-04-14", NULL, NULL, 0},
  };
  for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
    json_object *json = NULL;
    g_assert_cmpuint(
        fixture_call(f, f->coordinator, "GET", "/v1/assignments", cases[c].query, NULL, &json), ==,
        200);
    json_object *items = json_object_object_get(json, "items");
    g_test_message("%s", cases[c].query);
    g_assert_cmpuint(json_object_array_length(items), ==, cases[c].count);
    for (gsize i = 0; i < json_object_array_length(items); i++) {
      const char *date = fixture_string(json_object_array_get_idx(items, i), "date", NULL);
      g_assert_cmpstr(date, >=, cases[c].from);
      g_assert_cmpstr(date, <=, cases[c].to);
    }
    json_object_put(json);
  }
  /* The same page of one day, walked one item at a time. */
  json_object *page = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/assignments",
                                "limit=1&from=2020-04-21", NULL, &page),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(page, "items")), ==, 1);
  g_assert_null(fixture_string(page, "next_cursor", NULL));
  json_object_put(page);
}

/* ---- exports -------------------------------------------------------------- */

static void test_csv_injection(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_sql(f, "UPDATE employees SET name = '=HYPERLINK(\"http://x\",\"y\")' WHERE id = 'e-002'");
  fixture_sql(f, "UPDATE schools SET name = '@SUM(A1)' WHERE id = '31DJ00'");
  fixture_sql(f, "UPDATE organisations SET name = '-2+3, quoted' WHERE id = 'org-01'");
  ApiResponse response = {0};
  fixture_call_raw(f, f->school, "GET", "/v1/assignments.csv", NULL, NULL, &response);
  g_assert_cmpuint(response.status, ==, 200);
  g_assert_true(g_str_has_prefix(response.content_type, "text/csv"));
  g_assert_nonnull(strstr(response.disposition, "assignments.csv"));
  g_assert_true(g_str_has_prefix(response.body,
                                 "id,date,part,start,end,school,school_name,request,employee,"
                                 "employee_name,organisation,organisation_name\r\n"));
  g_assert_nonnull(strstr(
      response.body, "a-01,2020-04-14,morning,07:30,12:45,31DJ00,'@SUM(A1),r-002,e-002,"
                     "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",org-01,\"'-2+3, quoted\"\r\n"));
  g_assert_null(strstr(response.body, ",=")); /* no cell starts with a formula */
  g_assert_null(strstr(response.body, ",@"));
  g_assert_null(strstr(response.body, ",\"="));
  api_response_clear(&response);
}

static void test_ics(Fixture *f, gconstpointer data) {
  (void)data;
  ApiResponse response = {0};
  fixture_call_raw(f, f->org, "GET", "/v1/employees/e-002/calendar.ics", NULL, NULL, &response);
  g_assert_cmpuint(response.status, ==, 200);
  g_assert_true(g_str_has_prefix(response.content_type, "text/calendar"));
  const char *body = response.body;
  g_assert_true(g_str_has_prefix(body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  g_assert_true(g_str_has_suffix(body, "END:VCALENDAR\r\n"));
  /* Every line ends in CRLF and is at most 75 octets. */
  for (const char *line = body; *line != '\0';) {
    const char *end = strstr(line, "\r\n");
    g_assert_nonnull(end);
    g_assert_cmpuint((gsize)(end - line), <=, 75);
    g_assert_null(memchr(line, '\n', (gsize)(end - line)));
    line = end + 2;
  }
  /* e-002 is approved for a-01, a-02, a-10, a-11: one event each. */
  gsize events = 0;
  for (const char *p = body; (p = strstr(p, "BEGIN:VEVENT")) != NULL; p++)
    events++;
  g_assert_cmpuint(events, ==, 4);
  g_assert_nonnull(strstr(body, "UID:a-01@handen\r\n"));
  g_assert_nonnull(strstr(body, "DTSTART;TZID=Europe/Amsterdam:20200414T073000\r\n"
                                "DTEND;TZID=Europe/Amsterdam:20200414T124500\r\n"));
  g_assert_nonnull(strstr(body, "TZID:Europe/Amsterdam\r\n"));
  g_assert_nonnull(strstr(body, "DTSTAMP:20200413T090000Z\r\n"));
  /* Stable: the same bytes on every fetch. */
  ApiResponse again = {0};
  fixture_call_raw(f, f->coordinator, "GET", "/v1/employees/e-002/calendar.ics", NULL, NULL,
                   &again);
  g_assert_cmpstr(again.body, ==, response.body);
  api_response_clear(&again);
  api_response_clear(&response);

  /* An afternoon shift and folding of a long name. */
  fixture_sql(f, "UPDATE assignments SET part = 1 WHERE id = 'a-02'");
  g_autoptr(GString) long_name = g_string_new("UPDATE employees SET name = 'Émilie ");
  for (int i = 0; i < 40; i++)
    g_string_append(long_name, "ë");
  g_string_append(long_name, "' WHERE id = 'e-002'");
  fixture_sql(f, long_name->str);
  fixture_call_raw(f, f->school, "GET", "/v1/schools/31DJ00/calendar.ics", NULL, NULL, &response);
  g_assert_cmpuint(response.status, ==, 200);
  g_assert_nonnull(strstr(response.body, "DTSTART;TZID=Europe/Amsterdam:20200415T124500\r\n"
                                         "DTEND;TZID=Europe/Amsterdam:20200415T180000\r\n"));
  g_assert_nonnull(strstr(response.body, "\r\n "));
  for (const char *line = response.body; *line != '\0';) {
    const char *end = strstr(line, "\r\n");
    g_assert_cmpuint((gsize)(end - line), <=, 75);
    g_assert_true(g_utf8_validate(line, end - line, NULL)); /* folded between characters */
    line = end + 2;
  }
  api_response_clear(&response);
}

/* ---- summary -------------------------------------------------------------- */

/* The figures of `handen summary` on the same store (tests/cli checks the command on
 * the same changes): the fixtures plus a-14 approved and two more proposals. */
#define SUMMARY_CHANGES                                                                            \
  "UPDATE assignments SET status = 'approved', decided_by = 'test',"                               \
  " decided_at = '2020-05-01T00:00:00Z' WHERE id = 'a-14';"                                        \
  "INSERT INTO assignments (id, request_id, employee_id, date, part, status) VALUES"               \
  " ('p-1', 'r-008', 'e-241', '2020-04-15', 0, 'proposed'),"                                       \
  " ('p-2', 'r-002', 'e-001', '2020-04-17', 0, 'proposed')"

static gint64 figure(json_object *object, const char *key) {
  json_object *value = NULL;
  g_assert_true(json_object_object_get_ex(object, key, &value));
  g_assert_true(json_object_is_type(value, json_type_int));
  return json_object_get_int64(value);
}

static void test_summary(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_sql(f, SUMMARY_CHANGES);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/summary", NULL, NULL, &json), ==,
                   200);
  json_object *total = json_object_object_get(json, "total");
  g_assert_cmpint(figure(total, "requests"), ==, 31);
  g_assert_cmpint(figure(total, "needed"), ==, 335);
  g_assert_cmpint(figure(total, "proposed"), ==, 3);
  g_assert_cmpint(figure(total, "approved"), ==, 12);
  g_assert_cmpint(figure(total, "open"), ==, 320);
  /* The districts add up to the total. */
  json_object *districts = json_object_object_get(json, "districts");
  g_assert_cmpuint(json_object_array_length(districts), ==, 7);
  static const char *const keys[] = {"schools",  "requests", "needed",    "proposed",
                                     "approved", "open",     "employees", "available"};
  for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
    gint64 sum = 0;
    for (gsize i = 0; i < json_object_array_length(districts); i++)
      sum += figure(json_object_array_get_idx(districts, i), keys[k]);
    g_assert_cmpint(sum, ==, figure(total, keys[k]));
  }
  json_object *stad = json_object_array_get_idx(districts, 6);
  g_assert_cmpstr(fixture_string(stad, "district", NULL), ==, "stad");
  g_assert_cmpstr(fixture_string(stad, "name", NULL), ==, "Almere Stad");
  json_object_put(json);

  /* One district, as the dashboard asks when one is picked; a coordinator of haven sees
   * only haven, and the total is that district's. */
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/summary", NULL, NULL, &json), ==, 200);
  districts = json_object_object_get(json, "districts");
  g_assert_cmpuint(json_object_array_length(districts), ==, 1);
  json_object *haven = json_object_array_get_idx(districts, 0);
  g_assert_cmpstr(fixture_string(haven, "district", NULL), ==, "haven");
  total = json_object_object_get(json, "total");
  g_assert_cmpint(figure(total, "needed"), ==, figure(haven, "needed"));
  g_assert_cmpint(figure(total, "open"), ==, figure(haven, "open"));
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/summary", "district=haven", NULL, &json), ==,
      200);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(json, "districts")), ==, 1);
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/summary", "district=duin", NULL, &json),
                   ==, 404);
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/summary", "district=mars", NULL, &json), ==, 404);
  json_object_put(json);

  /* A cancelled request asks for nothing, and its proposals count nowhere. */
  fixture_sql(f, "UPDATE requests SET status = 'cancelled' WHERE id = 'r-008'");
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/summary", NULL, NULL, &json), ==,
                   200);
  total = json_object_object_get(json, "total");
  g_assert_cmpint(figure(total, "requests"), ==, 30);
  g_assert_cmpint(
      figure(total, "open"), ==,
      MAX(0, figure(total, "needed") - figure(total, "approved") - figure(total, "proposed")));
  g_assert_cmpint(figure(total, "needed"), <, 335);
  json_object_put(json);
}

/* ---- cancelling one day part of a request ------------------------------------ */

/* Posts a cancellation `body` for request q-1 as the school; answers the status, the
 * error's pointer in *out_pointer when asked (transfer full). */
static guint cancel_q1(Fixture *f, const char *body, char **out_pointer) {
  json_object *json = NULL;
  guint status = fixture_call(f, f->school, "POST", "/v1/requests/q-1/cancel", NULL, body, &json);
  if (out_pointer != NULL)
    *out_pointer = g_strdup(fixture_string(json, "error", "pointer", NULL));
  json_object_put(json);
  return status;
}

static void test_cancel_part(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-1", "2020-05-04", 10);
  fixture_employee(f, "t-2", "2020-05-04", 10);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                                "{\"id\": \"q-1\", \"staff_needed\": 2, \"slots\": [{\"from\":"
                                " \"2020-05-04\", \"to\": \"2020-05-08\", \"weekdays\": [\"mon\","
                                " \"tue\", \"wed\", \"thu\", \"fri\"], \"parts\": [\"morning\","
                                " \"afternoon\"]}]}",
                                NULL),
                   ==, 201);
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status,"
                 " decided_by, decided_at) VALUES"
                 " ('k-1', 'q-1', 't-1', '2020-05-06', 0, 'approved', 'x', '2020-04-13T10:00:00Z'),"
                 " ('k-2', 'q-1', 't-1', '2020-05-05', 0, 'approved', 'x', '2020-04-13T10:00:00Z');"
                 "INSERT INTO assignments (id, request_id, employee_id, date, part, status) VALUES"
                 " ('k-3', 'q-1', 't-2', '2020-05-06', 0, 'proposed'),"
                 " ('k-4', 'q-1', 't-2', '2020-05-06', 1, 'proposed')");
  fixture_sql(f, "UPDATE employees SET email = 't1@example.org' WHERE id = 't-1'");
  gint64 told = fixture_sql_int(f, "SELECT count(*) FROM outbox WHERE kind = 'cancelled'");
  /* Bad bodies name the field and change nothing. */
  static const struct {
    const char *body, *pointer;
  } bad[] = {
      {"{\"date\": \"2020-05-06\"}", "/part"},
      {"{\"part\": \"morning\"}", "/date"},
      {"{\"date\": \"6-5-2020\", \"part\": \"morning\"}", "/date"},
      {"{\"date\": \"2020-05-06\", \"part\": \"evening\"}", "/part"},
      {"{\"date\": \"2020-05-06\", \"part\": \"morning\", \"reason\": \"\"}", "/reason"},
      {"{\"date\": \"2020-05-06\", \"part\": \"morning\", \"staff\": 1}", "/staff"},
      {"{\"date\": \"2020-05-09\", \"part\": \"morning\"}", "/date"}, /* a Saturday */
      {"{\"date\": \"2020-05-11\", \"part\": \"morning\"}", "/date"}, /* after the request */
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *pointer = NULL;
    g_assert_cmpuint(cancel_q1(f, bad[i].body, &pointer), ==, 422);
    g_assert_cmpstr(pointer, ==, bad[i].pointer);
  }
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE request_id = 'q-1'"
                                     " AND status IN ('approved', 'proposed')"),
                  ==, 4);
  /* Wednesday morning goes: its approval is cancelled (and told), its proposal
   * withdrawn; the afternoon, the other days and their assignments stay. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests/q-1/cancel", NULL,
                                "{\"date\": \"2020-05-06\", \"part\": \"morning\","
                                " \"reason\": \"studiedag\"}",
                                &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "open");
  g_assert_cmpstr(
      json_object_to_json_string_ext(json_object_object_get(json, "slots"), JSON_C_TO_STRING_PLAIN),
      ==,
      "[{\"from\":\"2020-05-04\",\"to\":\"2020-05-05\",\"weekdays\":[\"mon\",\"tue\",\"wed\","
      "\"thu\",\"fri\"],\"parts\":[\"morning\",\"afternoon\"]},{\"date\":\"2020-05-06\","
      "\"part\":\"afternoon\"},{\"from\":\"2020-05-07\",\"to\":\"2020-05-08\",\"weekdays\":"
      "[\"mon\",\"tue\",\"wed\",\"thu\",\"fri\"],\"parts\":[\"morning\",\"afternoon\"]}]");
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'k-1' AND"
                                     " status = 'cancelled' AND reason = 'studiedag'"),
                  ==, 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'k-3'"), ==, 0);
  g_assert_cmpint(fixture_sql_int(f,
                                  "SELECT count(*) FROM assignments WHERE (id = 'k-2' AND"
                                  " status = 'approved') OR (id = 'k-4' AND status = 'proposed')"),
                  ==, 2);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM outbox WHERE kind = 'cancelled' AND"
                                     " recipient = 't1@example.org'"),
                  ==, told + 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action ="
                                     " 'request.cancel_part' AND object = 'requests/q-1' AND"
                                     " detail = '2020-05-06 morning: studiedag'"),
                  ==, 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action ="
                                     " 'assignment.cancel' AND object = 'assignments/k-1'"),
                  ==, 1);
  /* Cancelled already: the day part is no longer asked for. */
  g_autofree char *again = NULL;
  g_assert_cmpuint(cancel_q1(f, "{\"date\": \"2020-05-06\", \"part\": \"morning\"}", &again), ==,
                   422);
  g_assert_cmpstr(again, ==, "/date");
  /* Another school's request is not there; a cancelled request has no day parts to
   * cancel. */
  g_assert_cmpuint(fixture_call(f, f->other_school, "POST", "/v1/requests/q-1/cancel", NULL,
                                "{\"date\": \"2020-05-07\", \"part\": \"morning\"}", NULL),
                   ==, 404);
  g_assert_cmpuint(cancel_q1(f, NULL, NULL), ==, 200);
  g_assert_cmpuint(cancel_q1(f, "{\"date\": \"2020-05-07\", \"part\": \"morning\"}", NULL), ==,
                   409);
}

/* The last day part of a request is cancelled with the request. */
static void test_cancel_last_part(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_request(f, "q-1", "2020-05-04", 1);
  g_autofree char *pointer = NULL;
  g_assert_cmpuint(cancel_q1(f, "{\"date\": \"2020-05-04\", \"part\": \"morning\"}", &pointer), ==,
                   422);
  g_assert_cmpstr(pointer, ==, "/date");
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM request_slots WHERE request_id = 'q-1'"),
                  ==, 1);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_autoptr(GPtrArray) cases =
      fixture_add_text_cases("/resources/invalid", INVALID_CASES, test_invalid);
  FIXTURE_ADD("/resources/requests/lifecycle", test_request_lifecycle);
  FIXTURE_ADD("/resources/requests/cancel-part", test_cancel_part);
  FIXTURE_ADD("/resources/requests/cancel-last-part", test_cancel_last_part);
  FIXTURE_ADD("/resources/employees/lifecycle", test_employee_lifecycle);
  FIXTURE_ADD("/resources/summary/figures", test_summary);
  FIXTURE_ADD("/resources/pagination/cursor-walk", test_pagination);
  FIXTURE_ADD("/resources/directory/districts", test_districts);
  FIXTURE_ADD("/resources/assignments/dates", test_assignments_dates);
  FIXTURE_ADD("/resources/exports/csv-injection", test_csv_injection);
  FIXTURE_ADD("/resources/exports/ics", test_ics);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
