/* test-input.c: what the API asks of a request or an employee beyond the dataset
 * rules, in memory through the router: day parts before the server's today are
 * refused at the slot's pointer (a change keeps the past it had), and weekend day
 * parts and employees without a VOG are stored with warnings.
 */
#include <string.h>

#include "resources-fixture.h"

/* A request body for school 31DJ00 with one slot rule (a JSON object). */
static char *request_body(const char *slot) {
  return g_strdup_printf("{\"staff_needed\": 1, \"slots\": [%s]}", slot);
}

/* Asserts a 422 at `pointer` whose message holds `part`; nothing stored. */
static void assert_refused(Fixture *f, const char *method, const char *path, const char *body,
                           const char *pointer, const char *part) {
  gint64 requests = fixture_sql_int(f, "SELECT count(*) FROM requests");
  gint64 audit = fixture_sql_int(f, "SELECT count(*) FROM audit_log");
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->school, method, path, NULL, body, &json), ==, 422);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "invalid_field");
  g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, pointer);
  const char *message = fixture_string(json, "error", "message", NULL);
  if (strstr(message, part) == NULL)
    g_test_message("message: %s", message);
  g_assert_nonnull(strstr(message, part));
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM requests"), ==, requests);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log"), ==, audit);
}

static void test_past_refused(Fixture *f, gconstpointer data) {
  (void)data;
  /* The fixture's today is Monday 2020-04-13. */
  g_autofree char *one = request_body("{\"date\": \"2020-04-10\", \"part\": \"afternoon\"}");
  assert_refused(f, "POST", "/v1/requests", one, "/slots/0/date",
                 "2020-04-10 afternoon is in the past (expected a day part on or after today, "
                 "2020-04-13)");
  g_autofree char *pattern =
      request_body("{\"date\": \"2020-04-14\", \"part\": \"morning\"}, {\"from\": \"2020-04-06\","
                   " \"to\": \"2020-04-17\", \"weekdays\": [\"fri\"], \"parts\": [\"morning\"]}");
  assert_refused(f, "POST", "/v1/requests", pattern, "/slots/1/from", "2020-04-10 morning");
  /* Today itself is not in the past. */
  g_autofree char *today = request_body("{\"date\": \"2020-04-13\", \"part\": \"morning\"}");
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL, today, NULL), ==, 201);
  /* A change may not add a day part before today either. */
  assert_refused(f, "PATCH", "/v1/requests/r-003",
                 "{\"slots\": [{\"date\": \"2020-04-28\", \"part\": \"morning\"},"
                 " {\"date\": \"2020-04-09\", \"part\": \"morning\"}]}",
                 "/slots/1/date", "2020-04-09 morning is in the past");
}

static void test_past_kept(Fixture *f, gconstpointer data) {
  (void)data;
  /* Later in the spring r-002 (2020-04-14 to 04-24) lies in the past, but it can still
   * change: only day parts it did not have are held to today. */
  api_services_set_today(f->services, model_date_from_ymd(2020, 4, 21));
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", "/v1/requests/r-002", NULL,
                                "{\"note\": \"Nog steeds nodig\"}", &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "note", NULL), ==, "Nog steeds nodig");
  json_object_put(json);
  assert_refused(f, "PATCH", "/v1/requests/r-002",
                 "{\"slots\": [{\"from\": \"2020-04-14\", \"to\": \"2020-04-24\", \"weekdays\":"
                 " [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"], \"parts\": [\"morning\","
                 " \"afternoon\"]}]}",
                 "/slots/0/from", "2020-04-14 afternoon is in the past");
  g_autofree char *old = request_body("{\"date\": \"2020-04-20\", \"part\": \"morning\"}");
  assert_refused(f, "POST", "/v1/requests", old, "/slots/0/date", "2020-04-21)");
}

/* The warnings array of `json`, asserted present. */
static json_object *warnings_of(json_object *json) {
  json_object *warnings = NULL;
  g_assert_true(json_object_object_get_ex(json, "warnings", &warnings));
  g_assert_true(json_object_is_type(warnings, json_type_array));
  return warnings;
}

static void assert_warning(json_object *warnings, gsize i, const char *pointer, const char *code,
                           const char *message) {
  json_object *w = json_object_array_get_idx(warnings, i);
  g_assert_nonnull(w);
  g_assert_cmpstr(fixture_string(w, "pointer", NULL), ==, pointer);
  g_assert_cmpstr(fixture_string(w, "code", NULL), ==, code);
  g_assert_cmpstr(fixture_string(w, "message", NULL), ==, message);
}

static void test_weekend_warning(Fixture *f, gconstpointer data) {
  (void)data;
  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                   "{\"staff_needed\": 1, \"slots\": [{\"date\": \"2020-05-08\", \"part\":"
                   " \"morning\"}, {\"date\": \"2020-05-09\", \"part\": \"afternoon\"},"
                   " {\"from\": \"2020-05-04\", \"to\": \"2020-05-17\", \"weekdays\": [\"mon\","
                   " \"sun\"], \"parts\": [\"morning\"]}]}",
                   &json),
      ==, 201);
  const char *id = fixture_string(json, "id", NULL);
  g_assert_nonnull(id);
  json_object *warnings = warnings_of(json);
  g_assert_cmpuint(json_object_array_length(warnings), ==, 2);
  assert_warning(warnings, 0, "/slots/1/date", "weekend",
                 "2020-05-09 afternoon is on a Saturday: stored, but schools are closed at the "
                 "weekend");
  assert_warning(warnings, 1, "/slots/2/weekdays", "weekend",
                 "2020-05-10 morning is on a Sunday: stored, but schools are closed at the "
                 "weekend");
  g_autofree char *path = g_strdup_printf("/v1/requests/%s", id);
  json_object_put(json);
  /* Stored as asked, weekend included. */
  g_assert_cmpuint(fixture_call(f, f->school, "GET", path, NULL, NULL, &json), ==, 200);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(json, "staffing")), ==, 6);
  g_assert_false(json_object_object_get_ex(json, "warnings", NULL)); /* only on a change */
  json_object_put(json);
  /* A change answers the warnings of the request as changed: none left. */
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", path, NULL,
                                "{\"slots\": [{\"date\": \"2020-05-08\", \"part\": \"morning\"}]}",
                                &json),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(warnings_of(json)), ==, 0);
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", path, NULL,
                                "{\"slots\": [{\"date\": \"2020-05-17\", \"part\": \"morning\"}]}",
                                &json),
                   ==, 200);
  warnings = warnings_of(json);
  g_assert_cmpuint(json_object_array_length(warnings), ==, 1);
  assert_warning(warnings, 0, "/slots/0/date", "weekend",
                 "2020-05-17 morning is on a Sunday: stored, but schools are closed at the "
                 "weekend");
  json_object_put(json);
}

#define NO_VOG "no VOG: stored, but never proposed until a valid VOG is recorded"

static void test_no_vog_warning(Fixture *f, gconstpointer data) {
  (void)data;
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees", NULL,
                                "{\"id\": \"e-new\", \"name\": \"Anna Jansen\", \"district\":"
                                " \"stad\", \"qualifications\": [\"pm\"]}",
                                &json),
                   ==, 201);
  json_object *warnings = warnings_of(json);
  g_assert_cmpuint(json_object_array_length(warnings), ==, 1);
  assert_warning(warnings, 0, "/qualifications", "no_vog", NO_VOG);
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM employees WHERE id = 'e-new'"), ==, 1);
  /* Still without: the warning again on every change. */
  g_assert_cmpuint(fixture_call(f, f->org, "PUT", "/v1/employees/e-new/availability", NULL,
                                "[{\"date\": \"2020-05-06\", \"part\": \"morning\"}]", &json),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(warnings_of(json)), ==, 1);
  /* Replacing availability confirms it as of the server's today. */
  g_assert_cmpstr(fixture_string(json, "confirmed", NULL), ==, "2020-04-13");
  json_object_put(json);
  /* With a VOG recorded, no warning. */
  g_assert_cmpuint(fixture_call(f, f->org, "PATCH", "/v1/employees/e-new", NULL,
                                "{\"qualifications\": [\"vog\", \"pm\"]}", &json),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(warnings_of(json)), ==, 0);
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->org, "PATCH", "/v1/employees/e-002", NULL,
                                "{\"qualifications\": [\"pm\"]}", &json),
                   ==, 200);
  warnings = warnings_of(json);
  g_assert_cmpuint(json_object_array_length(warnings), ==, 1);
  assert_warning(warnings, 0, "/qualifications", "no_vog", NO_VOG);
  json_object_put(json);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/input/past-refused", test_past_refused);
  FIXTURE_ADD("/resources/input/past-kept", test_past_kept);
  FIXTURE_ADD("/resources/input/weekend-warning", test_weekend_warning);
  FIXTURE_ADD("/resources/input/no-vog-warning", test_no_vog_warning);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
