/* test-import.c: employees from a spreadsheet over the API, in memory through the
 * router: the preview names every problem by row and column and stores nothing; an
 * import with any problem is refused whole (422) and stores nothing; a clean one adds
 * and replaces employees (keeping their assignments) in one go; an organisation never
 * takes another's employee, a coordinator names the organisation and stays within
 * their districts; the template; and the Dutch Excel dialect of the assignments export.
 */
#include <string.h>

#include "resources-fixture.h"

/* Posts `csv` to /v1/employees/import?QUERY as `token`; the JSON answer in *out_json. */
static guint import(Fixture *f, const char *token, const char *query, const char *csv,
                    json_object **out_json) {
  g_autofree char *authorization = fixture_bearer(token);
  ApiResponse response = {0};
  api_router_dispatch(f->services, "POST", "/v1/employees/import", query, authorization,
                      "text/csv; charset=utf-8", csv, strlen(csv), &response);
  guint status = response.status;
  *out_json = response.body != NULL ? json_tokener_parse(response.body) : NULL;
  api_response_clear(&response);
  return status;
}

static gint64 employees_stored(Fixture *f) {
  return fixture_sql_int(f, "SELECT count(*) FROM employees");
}

/* "ROW/COLUMN" of every problem in `problems`, joined by spaces. */
static char *problem_places(json_object *problems) {
  GString *out = g_string_new(NULL);
  for (size_t i = 0; i < json_object_array_length(problems); i++) {
    json_object *p = json_object_array_get_idx(problems, i);
    json_object *column = json_object_object_get(p, "column");
    g_string_append_printf(out, "%s%d/%s", i > 0 ? " " : "",
                           json_object_get_int(json_object_object_get(p, "row")),
                           column != NULL ? json_object_get_string(column) : "");
  }
  return g_string_free(out, FALSE);
}

#define THREE_BAD                                                                                  \
  "\xEF\xBB\xBFid;naam;wijk;kwalificaties;beschikbaar\r\n"                                         \
  "x-1;Anna;stad;vog pm;14-04-2020 ochtend\r\n"                                                    \
  "x-2;Bram;nergens;vog;\r\n"                                                                      \
  "x-3;Cor;stad;vog;\r\n"                                                                          \
  "x-4;;stad;vog;\r\n"                                                                             \
  "x-5;Eva;stad;rijbewijs;\r\n"

static void test_preview(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 before = employees_stored(f);
  json_object *body = NULL;
  g_assert_cmpuint(import(f, f->org, "preview=true", THREE_BAD, &body), ==, 200);
  g_assert_cmpint(json_object_array_length(json_object_object_get(body, "employees")), ==, 5);
  g_autofree char *places = problem_places(json_object_object_get(body, "problems"));
  g_assert_cmpstr(places, ==, "3/wijk 5/naam 6/kwalificaties");
  g_assert_cmpint(json_object_get_int(json_object_object_get(body, "created")), ==, 5);
  g_assert_cmpint(json_object_get_int(json_object_object_get(body, "updated")), ==, 0);
  json_object_put(body);
  g_assert_cmpint(employees_stored(f), ==, before);
  /* Without preview the same file is refused whole. */
  g_assert_cmpuint(import(f, f->org, NULL, THREE_BAD, &body), ==, 422);
  g_assert_cmpstr(fixture_string(body, "error", "code", NULL), ==, "invalid_field");
  g_assert_cmpstr(fixture_string(body, "error", "pointer", NULL), ==, "/3/wijk");
  g_autofree char *refused =
      problem_places(json_object_object_get(json_object_object_get(body, "error"), "problems"));
  g_assert_cmpstr(refused, ==, "3/wijk 5/naam 6/kwalificaties");
  json_object_put(body);
  g_assert_cmpint(employees_stored(f), ==, before);
}

static void test_store(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 before = employees_stored(f);
  gint64 assignments = fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE employee_id = "
                                          "'e-002' AND status = 'approved'");
  g_assert_cmpint(assignments, >, 0);
  json_object *body = NULL;
  g_assert_cmpuint(import(f, f->org, NULL,
                          "id,name,district,location,qualifications,vog,availability,"
                          "max_day_parts_per_week\n"
                          "x-1,Anna de Wit,stad,loc-01,pm,yes,2020-04-14 morning,6\n"
                          "x-2,\"Jansen, Bram\",poort,,,no,,\n"
                          "e-002,Esther Dijkstra-Smit,poort,loc-01,pm bso kdv,1,"
                          "14-04-2020|15-04-2020 ochtend,5\n",
                          &body),
                   ==, 201);
  g_assert_cmpint(json_object_get_int(json_object_object_get(body, "created")), ==, 2);
  g_assert_cmpint(json_object_get_int(json_object_object_get(body, "updated")), ==, 1);
  json_object_put(body);
  g_assert_cmpint(employees_stored(f), ==, before + 2);
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees/x-2", NULL, NULL, &body), ==, 200);
  g_assert_cmpstr(fixture_string(body, "name", NULL), ==, "Jansen, Bram");
  g_assert_cmpstr(fixture_string(body, "organisation", NULL), ==, "org-01");
  json_object_put(body);
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees/e-002", NULL, NULL, &body), ==,
                   200);
  g_assert_cmpstr(fixture_string(body, "name", NULL), ==, "Esther Dijkstra-Smit");
  g_assert_cmpint(json_object_get_int(json_object_object_get(body, "max_parts_per_week")), ==, 5);
  json_object_put(body);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE employee_id = "
                                     "'e-002' AND status = 'approved'"),
                  ==, assignments);
}

/* The audit rows of imports (detail "import"), "ACTION OBJECT DISTRICT" one a line,
 * as the coordinator reads them; each asserted to name the organisation as actor
 * (transfer full). */
static char *import_audit(Fixture *f) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/audit", "limit=500", NULL, &json),
                   ==, 200);
  json_object *items = json_object_object_get(json, "items");
  GString *out = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++) {
    json_object *item = json_object_array_get_idx(items, i);
    if (g_strcmp0(fixture_string(item, "detail", NULL), "import") != 0)
      continue;
    g_assert_true(g_str_has_prefix(fixture_string(item, "actor", NULL), "organisation org-01 "));
    g_string_append_printf(out, "%s %s %s\n", fixture_string(item, "action", NULL),
                           fixture_string(item, "object", NULL),
                           fixture_string(item, "district", NULL));
  }
  json_object_put(json);
  return g_string_free(out, FALSE);
}

static void test_audit(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-1", "2020-05-04", 10);
  fixture_employee(f, "t-2", "2020-05-04", 10);
  fixture_request(f, "q-1", "2020-05-04", 2);
  fixture_proposal(f, "p-1", "q-1", "t-1", "2020-05-04");
  fixture_proposal(f, "p-2", "q-1", "t-2", "2020-05-04");
  static const char csv[] = "id;naam;wijk;kwalificaties;vog;actief\n"
                            "x-1;Anna;stad;pm;ja;ja\n"
                            "t-1;Test t-1;duin;pm;ja;nee\n"
                            "t-2;Test t-2;duin;pm;ja;ja\n";
  json_object *body = NULL;
  /* A preview stores and audits nothing. */
  g_assert_cmpuint(import(f, f->org, "preview=true", csv, &body), ==, 200);
  json_object_put(body);
  g_autofree char *previewed = import_audit(f);
  g_assert_cmpstr(previewed, ==, "");
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id IN ('p-1', 'p-2')"),
                  ==, 2);
  /* A refused import neither. */
  g_assert_cmpuint(import(f, f->org, NULL, THREE_BAD, &body), ==, 422);
  json_object_put(body);
  g_autofree char *refused = import_audit(f);
  g_assert_cmpstr(refused, ==, "");
  /* An import audits each employee as the change it is, and the deactivated one's
   * proposal is withdrawn, as POST /v1/employees/{id}/deactivate does. */
  g_assert_cmpuint(import(f, f->org, NULL, csv, &body), ==, 201);
  json_object_put(body);
  g_autofree char *stored = import_audit(f);
  g_assert_cmpstr(stored, ==,
                  "employee.create employees/x-1 stad\n"
                  "employee.deactivate employees/t-1 duin\n"
                  "employee.update employees/t-2 duin\n");
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-1'"), ==, 0);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-2'"), ==, 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT active FROM employees WHERE id = 't-1'"), ==, 0);
  /* Importing an inactive employee again is an update, not a second deactivation. */
  g_assert_cmpuint(import(f, f->org, NULL,
                          "id;naam;wijk;kwalificaties;vog;actief\n"
                          "t-1;Test t-1;duin;pm;ja;nee\n",
                          &body),
                   ==, 201);
  json_object_put(body);
  g_autofree char *again = import_audit(f);
  g_assert_true(g_str_has_suffix(again, "employee.update employees/t-1 duin\n"));
}

static void test_scope(Fixture *f, gconstpointer data) {
  (void)data;
  json_object *body = NULL;
  /* Another organisation's employee is never taken over. */
  g_assert_cmpuint(import(f, f->org, NULL, "id;naam;wijk\ne-194;Iemand;stad\n", &body), ==, 422);
  g_assert_cmpstr(fixture_string(body, "error", "message", NULL), ==,
                  "\"e-194\" is already taken (expected an id of your own employees or a new one)");
  json_object_put(body);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM employees WHERE id = 'e-194' AND "
                                     "organisation_id = 'org-17'"),
                  ==, 1);
  /* An organisation imports for itself only. */
  g_assert_cmpuint(import(f, f->org, "organisation=org-17", "id;naam;wijk\n", &body), ==, 400);
  json_object_put(body);
  g_assert_cmpuint(import(f, f->org, NULL, "id;naam;wijk;organisatie\nx-9;A;stad;org-17\n", &body),
                   ==, 422);
  g_assert_cmpstr(fixture_string(body, "error", "pointer", NULL), ==, "/2/organisatie");
  json_object_put(body);
  /* A coordinator names the organisation, and stays within their districts. */
  g_assert_cmpuint(import(f, f->coordinator, NULL, "id;naam;wijk\n", &body), ==, 400);
  json_object_put(body);
  g_assert_cmpuint(import(f, f->coordinator, "organisation=nope", "id;naam;wijk\n", &body), ==,
                   404);
  json_object_put(body);
  g_assert_cmpuint(import(f, f->haven, "organisation=org-01", "id;naam;wijk\nx-7;A;stad\n", &body),
                   ==, 422);
  g_assert_cmpstr(fixture_string(body, "error", "message", NULL), ==,
                  "\"stad\" is outside your districts (expected one of haven)");
  json_object_put(body);
  g_assert_cmpuint(
      import(f, f->coordinator, "organisation=org-17", "id;naam;wijk\nx-8;A;stad\n", &body), ==,
      201);
  json_object_put(body);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM employees WHERE id = 'x-8' AND "
                                     "organisation_id = 'org-17'"),
                  ==, 1);
  /* A school may not; a body that is not CSV is refused. */
  g_assert_cmpuint(import(f, f->school, NULL, "id;naam;wijk\n", &body), ==, 403);
  json_object_put(body);
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees/import", NULL, "{}", &body), ==,
                   415);
  json_object_put(body);
  g_assert_cmpuint(import(f, f->org, "preview=yes", "id;naam;wijk\n", &body), ==, 400);
  json_object_put(body);
  /* GET on the import path is not a read of employee "import". */
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/employees/import", NULL, NULL, &body), ==,
                   405);
  json_object_put(body);
}

static void test_template(Fixture *f, gconstpointer data) {
  (void)data;
  ApiResponse response = {0};
  fixture_call_raw(f, f->org, "GET", "/v1/employees/import/template", NULL, NULL, &response);
  g_assert_cmpuint(response.status, ==, 200);
  g_assert_cmpstr(response.content_type, ==, "text/csv; charset=utf-8");
  g_assert_true(g_str_has_prefix(response.body, "\xEF\xBB\xBFid;naam;organisatie;wijk;"));
  g_assert_true(g_str_has_suffix(response.body, "\r\n"));
  /* The template as it comes, filled in with one row, imports. */
  g_autofree char *filled =
      g_strconcat(response.body, "x-1;Anna;org-01;stad;;;;vog;;;;;;;;\r\n", NULL);
  api_response_clear(&response);
  json_object *body = NULL;
  g_assert_cmpuint(import(f, f->org, NULL, filled, &body), ==, 201);
  json_object_put(body);
  g_assert_cmpuint(
      fixture_call(f, f->school, "GET", "/v1/employees/import/template", NULL, NULL, &body), ==,
      403);
  json_object_put(body);
}

static void test_export_dialect(Fixture *f, gconstpointer data) {
  (void)data;
  ApiResponse plain = {0};
  fixture_call_raw(f, f->coordinator, "GET", "/v1/assignments.csv", "employee=e-002", NULL, &plain);
  g_assert_cmpuint(plain.status, ==, 200);
  g_assert_true(g_str_has_prefix(plain.body, "id,date,part,start,end,school,"));
  g_assert_nonnull(strstr(plain.body, "\r\na-01,2020-04-14,morning,07:30,12:45,"));
  ApiResponse dutch = {0};
  fixture_call_raw(f, f->coordinator, "GET", "/v1/assignments.csv",
                   "employee=e-002&dialect=excel-nl", NULL, &dutch);
  g_assert_cmpuint(dutch.status, ==, 200);
  g_assert_true(g_str_has_prefix(dutch.body, "\xEF\xBB\xBFid;datum;dagdeel;begin;einde;school;"));
  g_assert_nonnull(strstr(dutch.body, "\r\na-01;14-04-2020;ochtend;07:30;12:45;"));
  g_assert_cmpstr(dutch.disposition, ==, "attachment; filename=\"toewijzingen.csv\"");
  /* The same rows, line for line. */
  g_auto(GStrv) plain_lines = g_strsplit(plain.body, "\r\n", -1);
  g_auto(GStrv) dutch_lines = g_strsplit(dutch.body, "\r\n", -1);
  g_assert_cmpuint(g_strv_length(plain_lines), ==, g_strv_length(dutch_lines));
  api_response_clear(&plain);
  api_response_clear(&dutch);
  json_object *body = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/assignments.csv", "dialect=lotus", NULL, &body),
      ==, 400);
  json_object_put(body);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/import/preview", test_preview);
  FIXTURE_ADD("/resources/import/store", test_store);
  FIXTURE_ADD("/resources/import/audit", test_audit);
  FIXTURE_ADD("/resources/import/scope", test_scope);
  FIXTURE_ADD("/resources/import/template", test_template);
  FIXTURE_ADD("/resources/import/export-dialect", test_export_dialect);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
