/* test-cli.c: end-to-end tests of the `handen` command line: the real binary run as
 * a user would, on the Almere fixtures and on small broken files, checking exit
 * statuses, output and that a failed write leaves the store unchanged. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"
#include "store-target.h"
#include "dataset-json.h"
#include "../test-table.h"

/* Arguments handen refuses before doing anything: the usage error it prints, exit 2. */
typedef struct {
  const char *name;
  const char *args; /* shell syntax, test_table_argv() */
  const char *message;
} UsageCase;

static const UsageCase usage_cases[] = {
    {"none", "", "Usage: handen COMMAND"},
    {"unknown-command", "frobnicate", "unknown command 'frobnicate'"},
    {"unknown-option", "validate --colour x.json", "Unknown option --colour"},
    {"missing-file", "validate", "handen validate: missing one dataset FILE"},
    {"extra-argument", "export surplus", "unexpected argument 'surplus'"},
    {"out-of-range", "match --children-per-staff 0", "--children-per-staff: 0 is out of range"},
    /* Checked before the store is opened or anything is served. */
    {"serve-today", "serve --db never.db --today 2020-02-30",
     "handen serve: --today: \"2020-02-30\" is not a valid date (expected YYYY-MM-DD)"},
    {"serve-stale-after-days", "serve --db never.db --stale-after-days 400", "--stale-after-days"},
    {"serve-public-url", "serve --db never.db --public-url handen.example.nl",
     "--public-url: \"handen.example.nl\" is not a web address"},
};

static void test_usage(gconstpointer data) {
  const UsageCase *c = data;
  g_auto(GStrv) args = test_table_argv(c->args);
  g_auto(Run) run = {0};
  run_handen_argv(&run, (const char *const *)args);
  g_assert_cmpint(run.status, ==, 2);
  g_assert_nonnull(strstr(run.err, c->message));
  g_assert_false(g_file_test("never.db", G_FILE_TEST_EXISTS));
}

static void test_help(void) {
  static const char *const commands[] = {"validate", "import", "export", "summary",
                                         "match",    "check",  "mcf",    "backup"};
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
    g_auto(Run) run = {0};
    run_handen(&run, commands[i], "--help", NULL);
    g_assert_cmpint(run.status, ==, 0);
    g_autofree char *usage = g_strdup_printf("Usage:\n  handen %s [OPTION", commands[i]);
    g_assert_nonnull(strstr(run.out, usage));
  }
  g_auto(Run) top = {0};
  run_handen(&top, "--help", NULL);
  g_assert_cmpint(top.status, ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
    g_assert_nonnull(strstr(top.out, commands[i]));
}

static void test_validate(void) {
  g_autofree char *almere = fixture("almere.json");
  g_auto(Run) ok = {0};
  run_handen(&ok, "validate", almere, NULL);
  g_assert_cmpstr(ok.err, ==, "");
  g_assert_cmpint(ok.status, ==, 0);
  g_assert_nonnull(strstr(ok.out, "valid: 7 districts, 75 schools"));

  g_autofree char *bad = tmp_path("bad.json");
  write_file(bad,
             "{\"districts\": [{\"id\": \"d\", \"name\": \"D\", \"lat\": 52.0, \"lon\": 5.0}],\n"
             " \"schools\": [{\"id\": \"s\", \"brin\": \"7NU\", \"name\": \"S\", "
             "\"district\": \"x\", \"lat\": 52.0, \"lon\": 5.0}]}");
  g_auto(Run) invalid = {0};
  run_handen(&invalid, "validate", bad, NULL);
  g_assert_cmpint(invalid.status, ==, 1);
  g_assert_cmpstr(invalid.out, ==, "");
  g_autofree char *brin = g_strdup_printf("%s: schools/0/brin: \"7NU\" is not a BRIN code", bad);
  g_autofree char *district =
      g_strdup_printf("%s: schools/0/district: no district with id \"x\"", bad);
  g_assert_nonnull(strstr(invalid.err, brin));
  g_assert_nonnull(strstr(invalid.err, district));
  g_assert_nonnull(strstr(invalid.err, "2 problems found"));

  /* json-c alone would store U+FFFD for the lone surrogate and call the file valid. */
  g_autofree char *lone = tmp_path("lone.json");
  write_file(lone, "{\"districts\": [{\"id\": \"d\", \"name\": \"D\\ud800\", \"lat\": 52.0, "
                   "\"lon\": 5.0}]}");
  g_auto(Run) surrogate = {0};
  run_handen(&surrogate, "validate", lone, NULL);
  g_assert_cmpint(surrogate.status, ==, 1);
  g_autofree char *at = g_strdup_printf("%s: districts/0/name: lone surrogate \\ud800", lone);
  g_assert_nonnull(strstr(surrogate.err, at));

  g_autofree char *absent = tmp_path("absent.json");
  g_auto(Run) unreadable = {0};
  run_handen(&unreadable, "validate", absent, NULL);
  g_assert_cmpint(unreadable.status, ==, 1);
  g_assert_nonnull(strstr(unreadable.err, "absent.json"));
}

/* import, export: the export of an imported file is that file in canonical order, and
 * importing it again changes nothing. */
static void test_import_export(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *db = tmp_store("roundtrip.db");
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpstr(import.err, ==, "");
  g_assert_cmpint(import.status, ==, 0);

  g_auto(Run) export = {0};
  run_handen(&export, "export", "--db", db, NULL);
  g_assert_cmpint(export.status, ==, 0);

  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) original = model_json_load_dataset(almere, problems);
  g_assert_nonnull(original);
  model_dataset_sort(original);
  g_autofree char *expected = model_json_encode_dataset(original);
  g_assert_cmpstr(export.out, ==, expected);

  g_autofree char *exported = tmp_path("exported.json");
  g_auto(Run) to_file = {0};
  run_handen(&to_file, "export", "--db", db, "--output", exported, NULL);
  g_assert_cmpint(to_file.status, ==, 0);
  g_assert_cmpstr(to_file.out, ==, "");
  g_autofree char *file_text = read_file(exported);
  g_assert_cmpstr(file_text, ==, export.out);
  g_auto(Run) again = {0};
  run_handen(&again, "import", "--db", db, exported, NULL);
  g_assert_cmpint(again.status, ==, 0);
  g_auto(Run) export2 = {0};
  run_handen(&export2, "export", "--db", db, NULL);
  g_assert_cmpstr(export2.out, ==, export.out);

  g_auto(Run) no_store = {0};
  g_autofree char *absent = tmp_path("absent.db");
  run_handen(&no_store, "export", "--db", absent, NULL);
  g_assert_cmpint(no_store.status, ==, 1);
  g_assert_nonnull(strstr(no_store.err, "no such store"));
  g_assert_false(g_file_test(absent, G_FILE_TEST_EXISTS));
}

/* A file with one error stores nothing: the store's export is unchanged. */
static void test_import_atomic(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *db = tmp_store("atomic.db");
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpint(import.status, ==, 0);
  g_auto(Run) before = {0};
  run_handen(&before, "export", "--db", db, NULL);

  g_autofree char *bad = tmp_path("one-error.json");
  write_file(bad, "{\"districts\": [{\"id\": \"new\", \"name\": \"New\", \"lat\": 52.0, "
                  "\"lon\": 5.0}], \"schools\": [{\"id\": \"s-new\", \"brin\": \"99ZZ00\", "
                  "\"name\": \"S\", \"district\": \"new\", \"lat\": 52.0, \"lon\": 5.0, "
                  "\"pupils\": -4}]}");
  g_auto(Run) failed = {0};
  run_handen(&failed, "import", "--replace", "--db", db, bad, NULL);
  g_assert_cmpint(failed.status, ==, 1);
  g_assert_nonnull(strstr(failed.err, "schools/0/pupils"));
  g_auto(Run) after = {0};
  run_handen(&after, "export", "--db", db, NULL);
  g_assert_cmpstr(after.out, ==, before.out);
}

static void test_summary(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *db = tmp_store("summary.db");
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpint(import.status, ==, 0);
  g_auto(Run) summary = {0};
  run_handen(&summary, "summary", "--db", db, NULL);
  g_assert_cmpint(summary.status, ==, 0);
  g_assert_true(g_str_has_prefix(summary.out, "district "));
  g_assert_nonnull(strstr(summary.out, "\nAlmere Stad "));
  g_assert_nonnull(strstr(summary.out, "\nAlmere Duin "));
  g_assert_nonnull(strstr(summary.out, "\ntotal "));

  /* The figures GET /v1/summary answers on the same changes (tests/resources): a-14
   * approved and two more proposals.  needed counts what open requests ask, approvals
   * not subtracted; open = needed - approved - proposed. */
  store_target_exec(db, "UPDATE assignments SET status = 'approved', decided_by = 'test',"
                        " decided_at = '2020-05-01T00:00:00Z' WHERE id = 'a-14';"
                        "INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
                        " VALUES ('p-1', 'r-008', 'e-241', '2020-04-15', 0, 'proposed'),"
                        " ('p-2', 'r-002', 'e-001', '2020-04-17', 0, 'proposed')");
  g_auto(Run) changed = {0};
  run_handen(&changed, "summary", "--db", db, NULL);
  g_assert_cmpint(changed.status, ==, 0);
  g_assert_true(g_str_has_prefix(changed.out,
                                 "district               schools  requests    needed "
                                 " proposed  approved      open employees  available\n"));
  g_assert_nonnull(strstr(changed.out, "\ntotal                       75        31       335"
                                       "         3        12       320       281       3209\n"));
}

/* An offline round is deterministic, passes the independent checker, and a tampered
 * result fails it. */
static void test_match_offline(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *result1 = tmp_path("result1.json");
  g_autofree char *result2 = tmp_path("result2.json");
  g_auto(Run) first = {0};
  run_handen(&first, "match", "--input", almere, "--output", result1, NULL);
  g_assert_cmpstr(first.err, ==, "");
  g_assert_cmpint(first.status, ==, 0);
  g_assert_nonnull(strstr(first.out, "Matching round: "));
  /* The Almere scenario's planned cases, explained in plain words: r-001 needs rare
   * qualifications within 1 km; r-005's candidates went to the urgent r-004, and one of
   * them may not return there after a cancellation. */
  g_assert_nonnull(strstr(first.out, "r-001 32CJ00 2020-04-14 morning   1 of 1 open (high): "));
  g_assert_nonnull(strstr(first.out, "with pm, first-aid and special-needs, none within 1 km\n"));
  g_assert_nonnull(strstr(first.out, "2 not rejected for this request, 1 without a cancelled "
                                     "assignment here, none still free: taken by r-004\n"));
  /* ... each with the cheapest relaxation that fills it. */
  g_assert_nonnull(strstr(first.out, "none within 1 km\n    what if: Filled if the request's "
                                     "travel limit were "));
  g_assert_nonnull(strstr(first.out, "\nWhat-ifs: 7 found, 0 with no single relaxation, 0 "
                                     "skipped (7 re-solves)\n"));
  g_auto(Run) second = {0};
  run_handen(&second, "match", "--input", almere, "--output", result2, "--quiet", NULL);
  g_assert_cmpint(second.status, ==, 0);
  g_assert_cmpstr(second.out, ==, "");
  g_autofree char *text1 = read_file(result1);
  g_autofree char *text2 = read_file(result2);
  g_assert_cmpstr(text1, ==, text2);
  g_assert_nonnull(strstr(text1, "\"proposals\""));
  g_assert_nonnull(strstr(text1, "\"unfilled\""));
  g_assert_nonnull(strstr(text1, "\"funnel\""));
  g_assert_nonnull(strstr(text1, "\"reason\": \"123 available that morning, 7 with pm, "
                                 "first-aid and special-needs, none within 1 km\""));
  g_assert_nonnull(strstr(text1, "\"kind\": \"travel\""));
  g_assert_nonnull(strstr(text1, "\"text_nl\": \"Gevuld als de reisafstand van de hulpvraag "));

  g_auto(Run) check = {0};
  run_handen(&check, "check", "--input", almere, "--result", result1, NULL);
  g_assert_cmpstr(check.err, ==, "");
  g_assert_cmpint(check.status, ==, 0);
  g_assert_nonnull(strstr(check.out, "proposals satisfy every hard constraint"));

  /* Duplicate the first proposal: the same employee twice in one slot breaks H1. */
  const char *start = strstr(text1, "\"proposals\": [");
  g_assert_nonnull(start);
  const char *open = strchr(start, '{');
  const char *close = strchr(open, '}');
  g_autofree char *item = g_strndup(open, (gsize)(close - open + 1));
  g_autofree char *head = g_strndup(text1, (gsize)(open - text1));
  g_autofree char *tampered = g_strconcat(head, item, ", ", open, NULL);
  g_autofree char *bad = tmp_path("tampered.json");
  write_file(bad, tampered);
  g_auto(Run) caught = {0};
  run_handen(&caught, "check", "--input", almere, "--result", bad, NULL);
  g_assert_cmpint(caught.status, ==, 1);
  g_assert_nonnull(strstr(caught.err, "H1: "));

  g_auto(Run) missing = {0};
  run_handen(&missing, "check", "--input", almere, NULL);
  g_assert_cmpint(missing.status, ==, 2);
  g_assert_nonnull(strstr(missing.err, "missing --result"));
}

/* The what-if budgets: a count budget of 0 looks into none and says so; a negative
 * budget is a usage error. */
static void test_match_whatif_budget(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *result = tmp_path("result.json");
  g_auto(Run) none = {0};
  run_handen(&none, "match", "--input", almere, "--output", result, "--whatif-solves", "0", NULL);
  g_assert_cmpint(none.status, ==, 0);
  g_assert_nonnull(strstr(none.out, "\nWhat-ifs: 0 found, 0 with no single relaxation, 7 skipped "
                                    "for the count budget (0 re-solves)\n"));
  g_assert_nonnull(strstr(none.out, "what if: Not looked into: the round's what-if budget ran "
                                    "out.\n"));
  g_autofree char *text = read_file(result);
  g_assert_nonnull(strstr(text, "\"stopped_by\": \"solves\""));
  g_assert_null(strstr(text, "\"outcome\": \"found\""));
  g_auto(Run) negative = {0};
  run_handen(&negative, "match", "--input", almere, "--whatif-ms", "-1", NULL);
  g_assert_cmpint(negative.status, ==, 2);
  g_assert_nonnull(strstr(negative.err, "--whatif-ms: -1 is negative (expected 0 or more)"));
}

/* An output path that is not a plain file stays what it is: a symbolic link is
 * followed (the link stays, its target gets the result), and a FIFO (as /dev/null or
 * a terminal would be) is written in place, not replaced by a plain file. */
static gpointer drain_fifo(gpointer path) {
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, &error));
  g_assert_no_error(error);
  return text;
}

static void test_output_special(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *target = tmp_path("target.json");
  g_autofree char *link = tmp_path("link.json");
  write_file(target, "old");
  g_assert_cmpint(symlink(target, link), ==, 0);
  g_auto(Run) linked = {0};
  run_handen(&linked, "match", "--input", almere, "--output", link, "--quiet", NULL);
  g_assert_cmpint(linked.status, ==, 0);
  g_assert_true(g_file_test(link, G_FILE_TEST_IS_SYMLINK));
  g_autofree char *through_link = read_file(target);
  g_assert_nonnull(strstr(through_link, "\"proposals\""));

  g_autofree char *fifo = tmp_path("out.fifo");
  g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
  GThread *reader = g_thread_new("fifo", drain_fifo, fifo);
  g_auto(Run) piped = {0};
  run_handen(&piped, "match", "--input", almere, "--output", fifo, "--quiet", NULL);
  g_autofree char *through_fifo = g_thread_join(reader);
  g_assert_cmpint(piped.status, ==, 0);
  g_assert_cmpstr(through_fifo, ==, through_link);
  struct stat st;
  g_assert_cmpint(lstat(fifo, &st), ==, 0);
  g_assert_true(S_ISFIFO(st.st_mode));
}

/* The round's flow network as DIMACS, solved by `handen mcf`: an optimum with
 * negative cost, since filling staff-slots is rewarded. */
static void test_dump_dimacs(void) {
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *network = tmp_path("round.min");
  g_autofree char *result = tmp_path("round.json");
  g_auto(Run) match = {0};
  run_handen(&match, "match", "--input", almere, "--dump-dimacs", network, "--output", result,
             "--quiet", NULL);
  g_assert_cmpint(match.status, ==, 0);
  g_autofree char *text = read_file(network);
  g_assert_true(g_str_has_prefix(text, "c handen matching round\n"));
  g_assert_nonnull(strstr(text, "\np min "));
  g_auto(Run) solved = {0};
  run_handen(&solved, "mcf", network, NULL);
  g_assert_cmpint(solved.status, ==, 0);
  g_assert_true(g_str_has_prefix(solved.out, "s -"));
}

static void test_mcf(void) {
  g_autofree char *file =
      g_build_filename(g_getenv("HANDEN_TEST_DATA"), "dimacs", "transport_40x30.min", NULL);
  g_auto(Run) ok = {0};
  run_handen(&ok, "mcf", file, NULL);
  g_assert_cmpint(ok.status, ==, 0);
  g_assert_cmpstr(ok.out, ==, "s 42667\n");

  g_autofree char *small = tmp_path("small.min");
  write_file(small, "p min 3 2\nn 1 2\nn 3 -2\na 1 2 0 5 3\na 2 3 1 5 4\n");
  g_auto(Run) flows = {0};
  run_handen(&flows, "mcf", "--flows", small, NULL);
  g_assert_cmpint(flows.status, ==, 0);
  g_assert_cmpstr(flows.out, ==, "s 14\nf 1 2 2\nf 2 3 2\n");

  g_autofree char *infeasible = tmp_path("infeasible.min");
  write_file(infeasible, "p min 2 1\nn 1 5\nn 2 -5\na 1 2 0 3 1\n");
  g_auto(Run) inf = {0};
  run_handen(&inf, "mcf", infeasible, NULL);
  g_assert_cmpint(inf.status, ==, 3);
  g_assert_cmpstr(inf.out, ==, "s infeasible\n");

  g_autofree char *broken = tmp_path("broken.min");
  write_file(broken, "p min 2 1\nn 1 5\na 1 x 0 3 1\n");
  g_auto(Run) bad = {0};
  run_handen(&bad, "mcf", broken, NULL);
  g_assert_cmpint(bad.status, ==, 1);
  g_assert_nonnull(strstr(bad.err, "line 3: "));
}

/* ---- PostgreSQL: what cannot be reached, entered or understood ----------------- */

/* Every command taking --db says which server it cannot reach, exits 1, and leaves no
 * file where the URI would have been a path. */
static void test_pg_unreachable(void) {
  g_autofree char *almere = fixture("almere.json");
  const char *uri = "postgresql://handen@/handen?host=/nonexistent-handen-socket";
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--db", uri, almere, NULL);
  g_auto(Run) summary = {0};
  run_handen(&summary, "summary", "--db", uri, NULL);
  g_auto(Run) serve = {0};
  run_handen(&serve, "serve", "--db", uri, "--port", "0", NULL);
  const Run *runs[] = {&import, &summary, &serve};
  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
    g_assert_cmpint(runs[i]->status, ==, 1);
    g_assert_nonnull(strstr(runs[i]->err, "postgresql://handen@/handen?host=/nonexistent-handen-"
                                          "socket: cannot connect to the database: "));
    g_assert_nonnull(strstr(runs[i]->err, "/nonexistent-handen-socket/.s.PGSQL.5432"));
  }
  g_assert_false(g_file_test("postgresql:", G_FILE_TEST_EXISTS));
}

/* A password is never shown, also not when it is wrong; the server's reason is. */
static void test_pg_wrong_password(void) {
  const char *base = g_getenv("HANDEN_TEST_PG_PASSWORD_USER");
  if (base == NULL) {
    g_test_skip("needs the password role of tests/pg/with-pg.sh");
    return;
  }
  /* postgresql://handen_pw@/... becomes postgresql://handen_pw:wrong-secret@/... */
  g_autofree char *user = g_strndup(base, strchr(base, '@') - base);
  g_autofree char *uri = g_strdup_printf("%s:wrong-secret%s", user, strchr(base, '@'));
  g_auto(Run) summary = {0};
  run_handen(&summary, "summary", "--db", uri, NULL);
  g_assert_cmpint(summary.status, ==, 1);
  g_assert_nonnull(strstr(summary.err, "cannot connect to the database: "));
  g_assert_nonnull(strstr(summary.err, "password authentication failed for user \"handen_pw\""));
  g_assert_null(strstr(summary.err, "wrong-secret"));
}

/* A database migrated by a newer handen is refused by every command before anything
 * in it changes. */
static void test_pg_newer_schema(void) {
  if (!store_target_is_pg()) {
    g_test_skip("a PostgreSQL database (tests/pg)");
    return;
  }
  g_autofree char *almere = fixture("almere.json");
  g_autofree char *db = tmp_store("newer");
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpint(import.status, ==, 0);
  store_target_exec(db, "UPDATE handen_schema SET version = version + 1");
  gint64 newer = store_target_int(db, "SELECT version FROM handen_schema");
  gint64 schools = store_target_int(db, "SELECT count(*) FROM schools");

  g_auto(Run) again = {0};
  run_handen(&again, "import", "--replace", "--db", db, almere, NULL);
  g_auto(Run) token = {0};
  run_handen(&token, "token", "create", "--role", "coordinator", "--db", db, NULL);
  g_auto(Run) match = {0};
  run_handen(&match, "match", "--db", db, NULL);
  g_autofree char *expected = g_strdup_printf("schema version %" G_GINT64_FORMAT
                                              " is newer than this program (%" G_GINT64_FORMAT ")",
                                              newer, newer - 1);
  const Run *runs[] = {&again, &token, &match};
  for (gsize i = 0; i < G_N_ELEMENTS(runs); i++) {
    g_assert_cmpint(runs[i]->status, ==, 1);
    g_assert_nonnull(strstr(runs[i]->err, expected));
  }
  g_assert_cmpint(store_target_int(db, "SELECT version FROM handen_schema"), ==, newer);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM schools"), ==, schools);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM tokens"), ==, 0);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds"), ==, 0);
}

/* `handen backup` of a PostgreSQL store names the tools that do it and writes nothing. */
static void test_pg_backup(void) {
  g_autofree char *out = tmp_path("copy.db");
  g_auto(Run) backup = {0};
  run_handen(&backup, "backup", "--db", "postgresql://handen@/handen?host=/nonexistent", out, NULL);
  g_assert_cmpint(backup.status, ==, 1);
  g_assert_nonnull(strstr(backup.err, "pg_dump --format=custom"));
  g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_TABLE("/cli/usage", usage_cases, name, test_usage);
  g_test_add_func("/cli/help", test_help);
  g_test_add_func("/cli/validate", test_validate);
  g_test_add_func("/cli/import-export", test_import_export);
  g_test_add_func("/cli/import-atomic", test_import_atomic);
  g_test_add_func("/cli/summary", test_summary);
  g_test_add_func("/cli/match-offline", test_match_offline);
  g_test_add_func("/cli/match-whatif-budget", test_match_whatif_budget);
  g_test_add_func("/cli/output-special", test_output_special);
  g_test_add_func("/cli/dump-dimacs", test_dump_dimacs);
  g_test_add_func("/cli/mcf", test_mcf);
  g_test_add_func("/cli/pg/unreachable", test_pg_unreachable);
  g_test_add_func("/cli/pg/wrong-password", test_pg_wrong_password);
  g_test_add_func("/cli/pg/newer-schema", test_pg_newer_schema);
  g_test_add_func("/cli/pg/backup", test_pg_backup);
  return g_test_run();
}
