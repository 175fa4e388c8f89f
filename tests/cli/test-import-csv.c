/* test-import-csv.c: `handen import-csv` end to end: the real binary on spreadsheets a
 * planner would write.  A file with errors in three rows prints each problem as
 * FILE:ROW: COLUMN: message, exits 1 and stores nothing; --dry-run checks without
 * storing; a clean file adds and replaces employees, audited one row per employee;
 * usage errors exit 2.
 */
#include <glib.h>
#include <string.h>

#include "cli-run.h"

/* A store with the Almere fixtures in it (transfer full). */
static char *almere_store(void) {
  char *db = tmp_store("handen.db");
  g_autofree char *almere = fixture("almere.json");
  g_auto(Run) run = {0};
  run_handen(&run, "import", "--db", db, almere, NULL);
  g_assert_cmpint(run.status, ==, 0);
  return db;
}

/* How many employees the store `db` holds. */
static gint64 employee_count(const char *db) {
  return store_target_int(db, "SELECT count(*) FROM employees");
}

/* The spreadsheet `text` as the file staff.csv of this test case (transfer full). */
static char *staff_csv(const char *text) {
  char *csv = tmp_path("staff.csv");
  write_file(csv, text);
  return csv;
}

static void test_problems(void) {
  g_autofree char *db = almere_store();
  gint64 before = employee_count(db);
  g_autofree char *csv = staff_csv("\xEF\xBB\xBFid;Naam;Wijk;vog;beschikbaar\r\n"
                                   "x-1;Anna;stad;ja;14-04-2020 ochtend\r\n"
                                   "x-2;Bram;nergens;ja;\r\n"
                                   "x-3;Cor;stad;misschien;\r\n"
                                   "x-4;Dirk;stad;nee;14-04-2020 avond\r\n");
  g_auto(Run) run = {0};
  run_handen(&run, "import-csv", "--db", db, "--organisation", "org-01", csv, NULL);
  g_assert_cmpint(run.status, ==, 1);
  g_autofree char *expected = g_strdup_printf(
      "%s:3: Wijk: no district with id \"nergens\"\n"
      "%s:4: vog: \"misschien\" is not ja or nee (expected ja, nee, yes, no, 1 or 0)\n"
      "%s:5: beschikbaar: \"14-04-2020 avond\" is not a day part (expected a date and ochtend or "
      "middag, e.g. \"14-04-2020 ochtend\", separated by |)\n"
      "handen import-csv: %s: 3 problems found (nothing was stored)\n",
      csv, csv, csv, csv);
  g_assert_cmpstr(run.err, ==, expected);
  g_assert_cmpstr(run.out, ==, "");
  g_assert_cmpint(employee_count(db), ==, before);
}

static void test_store(void) {
  g_autofree char *db = almere_store();
  gint64 before = employee_count(db);
  g_autofree char *csv = staff_csv("id,name,district,qualifications,max_travel_km\n"
                                   "x-1,Anna,stad,vog|pm,12\n"
                                   "e-001,Naima van der Meer,poort,vog bso,6\n");
  g_auto(Run) dry = {0};
  run_handen(&dry, "import-csv", "--db", db, "--organisation", "org-01", "--dry-run", csv, NULL);
  g_assert_cmpint(dry.status, ==, 0);
  g_autofree char *checked =
      g_strdup_printf("checked %s for org-01: 1 employees created, 1 updated\n", csv);
  g_assert_cmpstr(dry.out, ==, checked);
  g_assert_cmpint(employee_count(db), ==, before);
  static const char audited[] = "SELECT count(*) FROM audit_log WHERE detail = 'import'";
  g_assert_cmpint(store_target_int(db, audited), ==, 0);

  g_auto(Run) run = {0};
  run_handen(&run, "import-csv", "--db", db, "--organisation", "org-01", csv, NULL);
  g_assert_cmpint(run.status, ==, 0);
  g_autofree char *imported =
      g_strdup_printf("imported %s for org-01: 1 employees created, 1 updated\n", csv);
  g_assert_cmpstr(run.out, ==, imported);
  g_assert_cmpint(employee_count(db), ==, before + 1);
  g_assert_cmpint(store_target_int(db, "SELECT max_travel_km FROM employees WHERE id = 'x-1'"), ==,
                  12);
  /* One audit row per employee, by the local user on the command line. */
  g_autofree char *actor = g_strdup_printf("command line (user %s)", g_get_user_name());
  g_autofree char *by_actor =
      g_strdup_printf("SELECT count(*) FROM audit_log WHERE detail = 'import' AND actor = '%s' AND"
                      " ((action = 'employee.create' AND object = 'employees/x-1') OR"
                      " (action = 'employee.update' AND object = 'employees/e-001'))",
                      actor);
  g_assert_cmpint(store_target_int(db, audited), ==, 2);
  g_assert_cmpint(store_target_int(db, by_actor), ==, 2);
  /* Another organisation cannot take these employees over. */
  g_auto(Run) other = {0};
  run_handen(&other, "import-csv", "--db", db, "--organisation", "org-17", csv, NULL);
  g_assert_cmpint(other.status, ==, 1);
  g_assert_nonnull(strstr(other.err, ":2: id: \"x-1\" is already taken"));
  g_assert_cmpint(
      store_target_int(db, "SELECT count(*) FROM employees WHERE organisation_id = 'org-01' AND id "
                           "IN ('x-1', 'e-001')"),
      ==, 2);
}

static void test_usage(void) {
  g_autofree char *db = almere_store();
  g_autofree char *csv = staff_csv("id;naam;wijk\n");
  g_auto(Run) missing = {0};
  run_handen(&missing, "import-csv", "--db", db, csv, NULL);
  g_assert_cmpint(missing.status, ==, 2);
  g_assert_nonnull(strstr(missing.err, "--organisation ID is required"));
  g_auto(Run) nofile = {0};
  run_handen(&nofile, "import-csv", "--db", db, "--organisation", "org-01", NULL);
  g_assert_cmpint(nofile.status, ==, 2);
  g_auto(Run) unknown = {0};
  run_handen(&unknown, "import-csv", "--db", db, "--organisation", "org-99", csv, NULL);
  g_assert_cmpint(unknown.status, ==, 1);
  g_assert_nonnull(strstr(unknown.err, "no organisation with id \"org-99\""));
  g_auto(Run) absent = {0};
  run_handen(&absent, "import-csv", "--db", db, "--organisation", "org-01", "nope.csv", NULL);
  g_assert_cmpint(absent.status, ==, 1);
  g_auto(Run) help = {0};
  run_handen(&help, "import-csv", "--help", NULL);
  g_assert_cmpint(help.status, ==, 0);
  g_assert_nonnull(strstr(help.out, "--dry-run"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/cli/import-csv/problems", test_problems);
  g_test_add_func("/cli/import-csv/store", test_store);
  g_test_add_func("/cli/import-csv/usage", test_usage);
  return g_test_run();
}
