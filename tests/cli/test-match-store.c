/* test-match-store.c: end-to-end tests of `handen match --db`, the real binary on a
 * store: each run is a round in the rounds table, as POST /v1/rounds makes one, with
 * proposal ids "p<round>-NNNNN"; a later round replaces the undecided proposals of its
 * districts only; a round overlapping a running one is refused and changes nothing,
 * unless the process running that one is gone.
 */
#include <glib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-run.h"
#include "store-target.h"

/* The SQL of one number of a round's stats_json ("filled", "changes.kept"), in the
 * dialect of the tests' store. */
static const char *round_stat(const char *path) {
  static char sql[128];
  if (store_target_is_pg()) {
    g_autofree char *keys = g_strdelimit(g_strdup(path), ".", ',');
    g_snprintf(sql, sizeof sql, "CAST(stats_json::json#>>'{%s}' AS integer)", keys);
  } else {
    g_snprintf(sql, sizeof sql, "json_extract(stats_json, '$.%s')", path);
  }
  return sql;
}

static char *almere_store(void) {
  g_autofree char *almere = fixture("almere.json");
  char *db = tmp_store("match.db");
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpint(import.status, ==, 0);
  return db;
}

/* Proposed assignments in the store whose id starts with `prefix`. */
static gint64 proposed_like(const char *db, const char *prefix) {
  g_autofree char *sql = g_strdup_printf(
      "SELECT count(*) FROM assignments WHERE status = 'proposed' AND id LIKE '%s%%'", prefix);
  return store_target_int(db, sql);
}

/* Each run is a finished round with its statistics and unfilled staff-slots; the
 * second replaces the first's proposals by the same pairs under its own ids. */
static void test_rounds_recorded(void) {
  g_autofree char *db = almere_store();
  g_auto(Run) first = {0};
  run_handen(&first, "match", "--db", db, NULL);
  g_assert_cmpstr(first.err, ==, "");
  g_assert_cmpint(first.status, ==, 0);
  g_assert_nonnull(strstr(first.out, "Round 1: saved "));
  gint64 proposed = proposed_like(db, "p1-");
  g_assert_cmpint(proposed, >, 0);
  g_assert_cmpint(proposed_like(db, ""), ==, proposed);
  g_autofree char *recorded = g_strdup_printf(
      "SELECT count(*) FROM rounds WHERE id = 1 AND status = 'finished' AND districts = '[]'"
      " AND started_by LIKE 'command line%%' AND %s > 0 AND %s = 'array'",
      round_stat("filled"),
      store_target_is_pg() ? "json_typeof(unfilled_json::json)" : "json_type(unfilled_json)");
  g_assert_cmpint(store_target_int(db, recorded), ==, 1);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM assignment_rounds WHERE round_id = 1"),
                  ==, proposed);
  g_assert_cmpint(
      store_target_int(
          db,
          "SELECT count(*) FROM audit_log WHERE action = 'round.start' AND object = 'rounds/1'"),
      ==, 1);

  g_auto(Run) second = {0};
  run_handen(&second, "match", "--db", db, "--quiet", NULL);
  g_assert_cmpint(second.status, ==, 0);
  g_assert_cmpstr(second.out, ==, "");
  g_assert_cmpint(proposed_like(db, "p1-"), ==, 0);
  g_assert_cmpint(proposed_like(db, "p2-"), ==, proposed);
  /* Nothing changed in between: the re-plan keeps every undecided proposal. */
  g_autofree char *kept_sql =
      g_strdup_printf("SELECT count(*) FROM rounds WHERE id = 2 AND %s = %" G_GINT64_FORMAT,
                      round_stat("changes.kept"), proposed);
  g_assert_cmpint(store_target_int(db, kept_sql), ==, 1);
  g_autofree char *dropped_sql = g_strdup_printf(
      "SELECT count(*) FROM rounds WHERE id = 2 AND %s = 0", round_stat("changes.dropped"));
  g_assert_cmpint(store_target_int(db, dropped_sql), ==, 1);
  g_autofree char *new_sql = g_strdup_printf("SELECT count(*) FROM rounds WHERE id = 2 AND %s = 0",
                                             round_stat("changes.new"));
  g_assert_cmpint(store_target_int(db, new_sql), ==, 1);
  g_assert_nonnull(strstr(first.out, " kept, "));
  g_auto(Run) fair = {0};
  run_handen(&fair, "match", "--db", db, "--fair", NULL);
  g_assert_cmpint(fair.status, ==, 0);
  g_assert_nonnull(strstr(fair.out, "lending spread across organisations"));
  g_assert_cmpint(store_target_int(db, store_target_is_pg()
                                           ? "SELECT count(*) FROM rounds WHERE id = 3"
                                             " AND stats_json::json->>'fair' = 'true'"
                                           : "SELECT count(*) FROM rounds WHERE id = 3"
                                             " AND json_extract(stats_json, '$.fair') = 1"),
                  ==, 1);
  g_assert_cmpint(
      store_target_int(db, "SELECT count(*) FROM superseded_proposals WHERE superseded_by = 2"), ==,
      proposed);
  /* The continuity charge is stored with each round: 8 km unless asked otherwise. */
  g_auto(Run) rate = {0};
  run_handen(&rate, "match", "--db", db, "--continuity-km", "2.5", NULL);
  g_assert_cmpint(rate.status, ==, 0);
  g_assert_nonnull(strstr(rate.out, "weighs like 2.5 km of travel"));
  g_assert_cmpint(
      store_target_int(db, "SELECT count(*) FROM rounds WHERE id = 4 AND continuity_m = 2500"
                           " AND CAST(json_extract(stats_json, '$.continuity_km') AS REAL) = 2.5"),
      ==, 1);
  g_assert_cmpint(
      store_target_int(db, "SELECT count(*) FROM rounds WHERE id < 4 AND continuity_m = 8000"), ==,
      3);
  /* A polished round fills what the plain one fills. */
  g_auto(Run) polished = {0};
  run_handen(&polished, "match", "--db", db, "--polish", NULL);
  g_assert_cmpint(polished.status, ==, 0);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds WHERE id = 5 AND json_extract("
                                       "stats_json, '$.filled') = (SELECT json_extract(stats_json, "
                                       "'$.filled') FROM rounds WHERE id = 3)"),
                  ==, 1);
}

/* Proposed assignments of haven's schools whose id starts with the argument. */
#define IN_HAVEN                                                                                   \
  "SELECT count(*) FROM assignments a JOIN requests r ON r.id = a.request_id"                      \
  " JOIN schools s ON s.id = r.school_id WHERE a.status = 'proposed'"                              \
  " AND s.district_id = 'haven' AND a.id LIKE '%s%%'"

/* --districts limits the round: only that district's proposals are replaced, and the
 * statistics count only its requests. */
static void test_districts(void) {
  g_autofree char *db = almere_store();
  g_auto(Run) all = {0};
  run_handen(&all, "match", "--db", db, "--quiet", NULL);
  g_assert_cmpint(all.status, ==, 0);
  g_autofree char *haven1 = g_strdup_printf(IN_HAVEN, "p1-");
  gint64 haven = store_target_int(db, haven1);
  g_assert_cmpint(haven, >, 0);
  gint64 total = proposed_like(db, "p1-");
  g_assert_cmpint(total, >, haven);

  g_auto(Run) some = {0};
  run_handen(&some, "match", "--db", db, "--districts", "haven,haven", NULL);
  g_assert_cmpstr(some.err, ==, "");
  g_assert_cmpint(some.status, ==, 0);
  g_autofree char *haven2 = g_strdup_printf(IN_HAVEN, "p2-");
  g_assert_cmpint(store_target_int(db, haven2), ==, haven);
  g_assert_cmpint(proposed_like(db, "p2-"), ==, haven);
  g_assert_cmpint(proposed_like(db, "p1-"), ==, total - haven);
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds WHERE id = 2 AND districts = "
                                       "'[\"haven\"]'"),
                  ==, 1);
  g_autofree char *filled =
      g_strdup_printf("SELECT %s FROM rounds WHERE id = 2", round_stat("filled"));
  g_assert_cmpint(store_target_int(db, filled), ==, haven);
}

/* A round overlapping a running one (here left by another process) is refused and
 * changes nothing; one for another district runs. */
static void test_overlap_refused(void) {
  g_autofree char *db = almere_store();
  gint64 before = proposed_like(db, "");
  store_target_exec(db, "INSERT INTO rounds (started_at, status, districts)"
                        " VALUES ('2020-05-01T08:00:00Z', 'running', '[\"duin\"]')");
  const char *const overlapping[][4] = {{"--districts", "duin", NULL}, {NULL}};
  for (gsize i = 0; i < G_N_ELEMENTS(overlapping); i++) {
    g_auto(Run) refused = {0};
    if (overlapping[i][0] != NULL)
      run_handen(&refused, "match", "--db", db, overlapping[i][0], overlapping[i][1], NULL);
    else
      run_handen(&refused, "match", "--db", db, NULL);
    g_assert_cmpint(refused.status, ==, 1);
    g_assert_nonnull(strstr(refused.err, "round 1 is still running"));
    g_assert_nonnull(strstr(refused.err, "no round was started"));
    g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds"), ==, 1);
    g_assert_cmpint(proposed_like(db, ""), ==, before);
    g_assert_cmpint(proposed_like(db, "p"), ==, 0);
  }
  g_auto(Run) beside = {0};
  run_handen(&beside, "match", "--db", db, "--districts", "haven", "--quiet", NULL);
  g_assert_cmpint(beside.status, ==, 0);
  g_assert_cmpint(proposed_like(db, "p2-"), >, 0);
}

/* Field 22 of /proc/PID/stat (PID 0: this process), the start time a SQLite store's
 * round owner names (driver-sqlite.c). */
static char *start_time(int pid) {
  g_autofree char *path =
      pid > 0 ? g_strdup_printf("/proc/%d/stat", pid) : g_strdup("/proc/self/stat");
  g_autofree char *text = read_file(path);
  g_auto(GStrv) fields = g_strsplit(strrchr(text, ')') + 2, " ", 21);
  return g_strdup(fields[19]);
}

/* A round owner naming this process, one that has exited, or (`host`) one of another
 * host, as the tests' backend writes owners; NULL where the backend cannot be given
 * one (a live session of PostgreSQL's is one of its own server processes). */
typedef enum { OWNER_ALIVE, OWNER_EXITED, OWNER_OTHER_HOST } OwnerKind;

static char *owner_of(OwnerKind kind) {
  if (store_target_is_pg())
    return kind == OWNER_EXITED ? g_strdup("0@0") : NULL; /* no server process has pid 0 */
  g_autofree char *boot = read_file("/proc/sys/kernel/random/boot_id");
  g_autofree char *space = g_file_read_link("/proc/self/ns/pid", NULL);
  int pid = getpid();
  g_autofree char *start = start_time(0);
  if (kind == OWNER_EXITED) {
    const char *argv[] = {"true", NULL};
    GPid child = 0;
    g_autoptr(GError) error = NULL;
    g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &child,
                                &error));
    g_assert_no_error(error);
    g_assert_cmpint(waitpid(child, NULL, 0), ==, child);
    pid = child;
  }
  const char *host = kind == OWNER_OTHER_HOST ? "another-host" : g_get_host_name();
  return g_strdup_printf("%s %s %s %d %s", host, g_strstrip(boot), space, pid, start);
}

/* Adds a running round of every district owned by `owner`. */
static void insert_running(const char *db, const char *owner) {
  g_autofree char *insert =
      g_strdup_printf("INSERT INTO rounds (started_at, status, districts, owner)"
                      " VALUES ('2020-05-01T08:00:00Z', 'running', '[]', '%s')",
                      owner);
  store_target_exec(db, insert);
}

/* A round whose process is gone (killed with SIGKILL or Ctrl-C, or on a host that
 * replaced this one) no longer holds its districts: the next round fails it, as
 * interrupted, and runs.  A round whose process runs, or that names no process (a
 * store of an older version), still refuses. */
static void test_orphan(void) {
  g_autofree char *db = almere_store();
  gint64 round = 0;
  for (OwnerKind kind = OWNER_EXITED; kind <= OWNER_OTHER_HOST; kind++) {
    g_autofree char *gone = owner_of(kind);
    if (gone == NULL)
      continue;
    insert_running(db, gone);
    g_auto(Run) after = {0};
    run_handen(&after, "match", "--db", db, "--quiet", NULL);
    g_assert_cmpstr(after.err, ==, "");
    g_assert_cmpint(after.status, ==, 0);
    round += 2;
    g_autofree char *sql = g_strdup_printf(
        "SELECT status || ': ' || error FROM rounds WHERE id = %" G_GINT64_FORMAT, round - 1);
    g_autofree char *failed = store_target_text(db, sql);
    g_assert_cmpstr(failed, ==, "failed: interrupted: the process running the round stopped");
    g_autofree char *done =
        g_strdup_printf("SELECT count(*) FROM rounds WHERE id = %" G_GINT64_FORMAT
                        " AND status = 'finished' AND owner IS NOT NULL",
                        round);
    g_assert_cmpint(store_target_int(db, done), ==, 1);
  }
  g_assert_cmpint(round, >, 0);

  g_autofree char *alive = owner_of(OWNER_ALIVE);
  if (alive == NULL)
    return; /* PostgreSQL: a live owner is a server process of its own */
  insert_running(db, alive);
  g_auto(Run) refused = {0};
  run_handen(&refused, "match", "--db", db, "--quiet", NULL);
  g_assert_cmpint(refused.status, ==, 1);
  g_autofree char *expected =
      g_strdup_printf("round %" G_GINT64_FORMAT " is still running", round + 1);
  g_assert_nonnull(strstr(refused.err, expected));
}

/* --freed re-matches only the request slots a cancellation freed (the fixtures have
 * one: e-222 on r-005, 16 April morning); every other proposal stays as it was. */
static void test_freed(void) {
  g_autofree char *db = almere_store();
  g_auto(Run) all = {0};
  run_handen(&all, "match", "--db", db, "--quiet", NULL);
  g_assert_cmpint(all.status, ==, 0);
  const char *in_freed = "SELECT count(*) FROM assignments a WHERE a.status = 'proposed'"
                         " AND EXISTS (SELECT 1 FROM assignments c WHERE c.request_id ="
                         " a.request_id AND c.date = a.date AND c.part = a.part"
                         " AND c.status = 'cancelled')";
  gint64 freed_before = store_target_int(db, in_freed);
  gint64 total = proposed_like(db, "p1-");
  g_auto(Run) freed = {0};
  run_handen(&freed, "match", "--db", db, "--freed", NULL);
  g_assert_cmpstr(freed.err, ==, "");
  g_assert_cmpint(freed.status, ==, 0);
  g_assert_cmpint(
      store_target_int(db, "SELECT count(*) FROM rounds WHERE id = 2 AND slots = 'freed'"), ==, 1);
  /* Round 2 proposed in freed slots only, and left round 1's other proposals alone. */
  g_assert_cmpint(proposed_like(db, "p2-"), ==, store_target_int(db, in_freed));
  g_assert_cmpint(proposed_like(db, "p1-"), ==, total - freed_before);
  g_assert_cmpint(store_target_int(db,
                                   "SELECT count(*) FROM assignments a JOIN assignments c ON"
                                   " c.request_id = a.request_id AND c.employee_id = a.employee_id"
                                   " AND c.date = a.date AND c.part = a.part WHERE a.status ="
                                   " 'proposed' AND c.status = 'cancelled'"),
                  ==, 0);
  g_autofree char *needed =
      g_strdup_printf("SELECT count(*) FROM rounds WHERE id = 2 AND %s >= 1", round_stat("needed"));
  g_assert_cmpint(store_target_int(db, needed), ==, 1);
}

/* Wrong uses: an unknown district, the greedy baseline on the store, --districts
 * offline.  None starts a round. */
/* With --stale-after-days the employees whose availability was not confirmed for that
 * long (here: never) get no proposal, and the unfilled staff-slots count them as
 * available but not confirmed since the cut-off, in the summary and in the round. */
static void test_stale(void) {
  g_autofree char *db = almere_store();
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  g_autofree char *today = g_date_time_format(now, "%Y-%m-%d");
  /* Every other employee by id confirmed today, the rest never. */
  g_autofree char *halve =
      g_strdup_printf("UPDATE employees SET confirmed = CASE WHEN (SELECT count(*) FROM employees o"
                      " WHERE o.id <= employees.id) %% 2 = 0 THEN '%s' ELSE NULL END",
                      today);
  store_target_exec(db, halve);
  static const char stale_proposed[] =
      "SELECT count(*) FROM assignments a JOIN employees e ON e.id = a.employee_id"
      " WHERE a.status = 'proposed' AND e.confirmed IS NULL";
  g_auto(Run) every = {0};
  run_handen(&every, "match", "--db", db, "--quiet", NULL);
  g_assert_cmpint(every.status, ==, 0);
  g_assert_cmpint(store_target_int(db, stale_proposed), >, 0);

  g_auto(Run) fresh = {0};
  run_handen(&fresh, "match", "--db", db, "--stale-after-days", "30", NULL);
  g_assert_cmpstr(fresh.err, ==, "");
  g_assert_cmpint(fresh.status, ==, 0);
  g_assert_cmpint(store_target_int(db, stale_proposed), ==, 0);
  g_assert_cmpint(proposed_like(db, "p2-"), >, 0);
  g_autoptr(GDateTime) cut = g_date_time_add_days(now, -30);
  g_autofree char *since = g_date_time_format(cut, "confirmed since %Y-%m-%d");
  g_assert_nonnull(strstr(fresh.out, since));
  /* The rounds keep their figures as JSON text, read in each backend's dialect. */
  const char *unconfirmed =
      store_target_is_pg()
          ? "SELECT count(*) FROM rounds r, json_array_elements(r.unfilled_json::json) u"
            " WHERE r.id = 2 AND (u -> 'funnel' ->> 'confirmed')::int"
            " < (u -> 'funnel' ->> 'available')::int"
          : "SELECT count(*) FROM rounds r, json_each(r.unfilled_json) u"
            " WHERE r.id = 2 AND json_extract(u.value, '$.funnel.confirmed')"
            " < json_extract(u.value, '$.funnel.available')";
  g_assert_cmpint(store_target_int(db, unconfirmed), >, 0);
  g_autofree char *cut_day = g_date_time_format(cut, "%Y-%m-%d");
  g_autofree char *recorded = g_strdup_printf(
      store_target_is_pg() ? "SELECT count(*) FROM rounds WHERE id = 2 AND"
                             " stats_json::json ->> 'confirmed_since' = '%s'"
                           : "SELECT count(*) FROM rounds WHERE id = 2 AND"
                             " json_extract(stats_json, '$.confirmed_since') = '%s'",
      cut_day);
  g_assert_cmpint(store_target_int(db, recorded), ==, 1);

  g_auto(Run) negative = {0};
  run_handen(&negative, "match", "--db", db, "--stale-after-days", "-1", NULL);
  g_assert_cmpint(negative.status, ==, 2);
  g_assert_nonnull(strstr(negative.err, "--stale-after-days"));
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds"), ==, 2);
}

static void test_refusals(void) {
  g_autofree char *db = almere_store();
  g_autofree char *almere = fixture("almere.json");
  g_auto(Run) unknown = {0};
  run_handen(&unknown, "match", "--db", db, "--districts", "haven,nowhere", NULL);
  g_assert_cmpint(unknown.status, ==, 1);
  g_assert_nonnull(strstr(unknown.err, "--districts: no district with id \"nowhere\""));
  g_auto(Run) greedy = {0};
  run_handen(&greedy, "match", "--db", db, "--greedy", NULL);
  g_assert_cmpint(greedy.status, ==, 2);
  g_assert_nonnull(strstr(greedy.err, "--greedy runs offline only"));
  g_auto(Run) offline = {0};
  run_handen(&offline, "match", "--input", almere, "--districts", "haven", NULL);
  g_assert_cmpint(offline.status, ==, 2);
  g_auto(Run) freed_offline = {0};
  run_handen(&freed_offline, "match", "--input", almere, "--freed", NULL);
  g_assert_cmpint(freed_offline.status, ==, 2);
  g_assert_nonnull(strstr(freed_offline.err, "--freed goes with the store"));
  static const char *const bad_km[] = {"-1", "100.5", "abc", "", "2km", "nan", " 3"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad_km); i++) {
    g_auto(Run) km = {0};
    run_handen(&km, "match", "--db", db, "--continuity-km", bad_km[i], NULL);
    g_assert_cmpint(km.status, ==, 2);
    g_assert_nonnull(strstr(km.err, "--continuity-km: expected a number of kilometres from 0"));
  }
  g_auto(Run) both = {0};
  run_handen(&both, "match", "--db", db, "--continuity-km", "3", "--no-continuity", NULL);
  g_assert_cmpint(both.status, ==, 2);
  g_assert_nonnull(strstr(both.err, "--no-continuity and --continuity-km exclude each other"));
  g_assert_cmpint(store_target_int(db, "SELECT count(*) FROM rounds"), ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/cli/match-store/rounds", test_rounds_recorded);
  g_test_add_func("/cli/match-store/districts", test_districts);
  g_test_add_func("/cli/match-store/overlap", test_overlap_refused);
  g_test_add_func("/cli/match-store/orphan", test_orphan);
  g_test_add_func("/cli/match-store/freed", test_freed);
  g_test_add_func("/cli/match-store/stale", test_stale);
  g_test_add_func("/cli/match-store/refusals", test_refusals);
  return g_test_run();
}
