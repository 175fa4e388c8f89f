/* test-backup.c: end-to-end tests of `handen backup`: the real binary copying a store
 * while another connection writes to it.  A copy must be the store at one moment:
 * it opens, passes PRAGMA integrity_check, and exports byte for byte as the store
 * did at that moment; an existing file is never replaced without --force, and a
 * failed backup leaves nothing behind.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "cli-run.h"
#include "../test-table.h"

/* How many backups run while the writer writes. */
#define BACKUPS_UNDER_WRITES 4

/* A store at `name` holding the Almere fixtures, every request's note set to "v0". */
static char *almere_store(const char *name) {
  g_autofree char *almere = fixture("almere.json");
  char *db = tmp_path(name);
  g_auto(Run) import = {0};
  run_handen(&import, "import", "--replace", "--db", db, almere, NULL);
  g_assert_cmpstr(import.err, ==, "");
  g_assert_cmpint(import.status, ==, 0);
  sqlite3 *conn = NULL;
  g_assert_cmpint(sqlite3_open(db, &conn), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(conn, "UPDATE requests SET note = 'v0'", NULL, NULL, NULL), ==,
                  SQLITE_OK);
  g_assert_cmpint(sqlite3_close(conn), ==, SQLITE_OK);
  return db;
}

/* `handen export` of a store (asserted to succeed), as text (transfer full). */
static char *export_store(const char *db) {
  g_auto(Run) run = {0};
  run_handen(&run, "export", "--db", db, NULL);
  g_assert_cmpstr(run.err, ==, "");
  g_assert_cmpint(run.status, ==, 0);
  return g_steal_pointer(&run.out);
}

/* Asserts that the file at `db` is a sound SQLite database. */
static void assert_integrity(const char *db) {
  sqlite3 *conn = NULL;
  g_assert_cmpint(sqlite3_open_v2(db, &conn, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(conn, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                  SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  g_assert_cmpstr((const char *)sqlite3_column_text(stmt, 0), ==, "ok");
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_DONE);
  sqlite3_finalize(stmt);
  g_assert_cmpint(sqlite3_close(conn), ==, SQLITE_OK);
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in `dir`, sorted and joined by spaces (transfer full). */
static char *list_dir(const char *dir) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open(dir, 0, &error);
  g_assert_no_error(error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *name = g_dir_read_name(handle); name != NULL; name = g_dir_read_name(handle))
    g_ptr_array_add(names, g_strdup(name));
  g_ptr_array_sort(names, compare_names);
  g_ptr_array_add(names, NULL);
  return g_strjoinv(" ", (char **)names->pdata);
}

/* ---- a writer on its own connection ---------------------------------------- */

/* Sets every request's note to "v<version>" in one transaction per version, until
 * told to stop; every committed version is one consistent state of the store. */
typedef struct {
  const char *db;
  gint stop;
  gint committed; /* the last version known committed */
  gint started;   /* the last version begun: never behind what a reader may see */
} Writer;

static gpointer write_versions(gpointer data) {
  Writer *writer = data;
  sqlite3 *conn = NULL;
  g_assert_cmpint(sqlite3_open(writer->db, &conn), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_busy_timeout(conn, 10000), ==, SQLITE_OK);
  sqlite3_stmt *update = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(conn, "UPDATE requests SET note = ?", -1, &update, NULL), ==,
                  SQLITE_OK);
  for (gint version = 1; !g_atomic_int_get(&writer->stop); version++) {
    char note[32];
    g_snprintf(note, sizeof note, "v%d", version);
    g_atomic_int_set(&writer->started, version);
    g_assert_cmpint(sqlite3_exec(conn, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_bind_text(update, 1, note, -1, SQLITE_TRANSIENT), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_step(update), ==, SQLITE_DONE);
    g_assert_cmpint(sqlite3_reset(update), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
    g_atomic_int_set(&writer->committed, version);
    g_usleep(500);
  }
  sqlite3_finalize(update);
  g_assert_cmpint(sqlite3_close(conn), ==, SQLITE_OK);
  return NULL;
}

/* The version every request of an export carries; fails unless all carry the same. */
static gint export_version(const char *text) {
  gint version = -1;
  guint notes = 0;
  for (const char *at = strstr(text, "\"note\": \"v"); at != NULL;
       at = strstr(at + 1, "\"note\": \"v")) {
    gint64 found = g_ascii_strtoll(at + strlen("\"note\": \"v"), NULL, 10);
    if (version < 0)
      version = (gint)found;
    g_assert_cmpint(found, ==, version);
    notes++;
  }
  g_assert_cmpuint(notes, ==, 32); /* every request of the Almere fixtures */
  return version;
}

/* The export with version `version` written as version 0. */
static char *as_version_zero(const char *text, gint version) {
  g_autofree char *from = g_strdup_printf("\"note\": \"v%d\"", version);
  g_auto(GStrv) parts = g_strsplit(text, from, -1);
  return g_strjoinv("\"note\": \"v0\"", parts);
}

/* Backups taken while a writer commits version after version: each is one committed
 * version of the store, complete, and otherwise equal to the store. */
static void test_backup_under_writes(void) {
  g_autofree char *db = almere_store("live.db");
  g_autofree char *before = export_store(db);
  g_assert_cmpint(export_version(before), ==, 0);

  Writer writer = {.db = db, .stop = 0, .committed = 0, .started = 0};
  GThread *thread = g_thread_new("writer", write_versions, &writer);
  gint last_version = -1;
  for (int i = 0; i < BACKUPS_UNDER_WRITES; i++) {
    g_autofree char *name = g_strdup_printf("copy-%d.db", i);
    g_autofree char *copy = tmp_path(name);
    gint committed_before = g_atomic_int_get(&writer.committed);
    g_auto(Run) backup = {0};
    run_handen(&backup, "backup", "--db", db, copy, NULL);
    g_assert_cmpstr(backup.err, ==, "");
    g_assert_cmpint(backup.status, ==, 0);
    g_autofree char *expected = g_strdup_printf("backed up %s to %s (", db, copy);
    g_assert_true(g_str_has_prefix(backup.out, expected));
    gint started_after = g_atomic_int_get(&writer.started);

    assert_integrity(copy);
    g_autofree char *exported = export_store(copy);
    gint version = export_version(exported);
    g_test_message("backup %d: version %d (committed before %d, begun after %d)", i, version,
                   committed_before, started_after);
    /* The copy is a version committed while the backup ran, never an older one. */
    g_assert_cmpint(version, >=, committed_before);
    g_assert_cmpint(version, <=, started_after);
    g_assert_cmpint(version, >=, last_version);
    last_version = version;
    g_autofree char *normalised = as_version_zero(exported, version);
    g_assert_cmpstr(normalised, ==, before);
  }
  g_atomic_int_set(&writer.stop, 1);
  g_thread_join(thread);
}

/* A write transaction open while the backup runs neither blocks it nor shows in it;
 * once committed, the next backup has it. */
static void test_backup_uncommitted(void) {
  g_autofree char *db = almere_store("live.db");
  g_autofree char *before = export_store(db);
  g_autofree char *first = tmp_path("first.db");
  g_autofree char *second = tmp_path("second.db");

  sqlite3 *conn = NULL;
  g_assert_cmpint(sqlite3_open(db, &conn), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(conn,
                               "BEGIN IMMEDIATE; UPDATE requests SET note = 'v7';"
                               "DELETE FROM assignments WHERE status = 'proposed'",
                               NULL, NULL, NULL),
                  ==, SQLITE_OK);
  g_auto(Run) during = {0};
  run_handen(&during, "backup", "--db", db, first, NULL);
  g_assert_cmpstr(during.err, ==, "");
  g_assert_cmpint(during.status, ==, 0);
  g_assert_cmpint(sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_close(conn), ==, SQLITE_OK);

  g_auto(Run) after = {0};
  run_handen(&after, "backup", "--db", db, second, NULL);
  g_assert_cmpint(after.status, ==, 0);

  assert_integrity(first);
  assert_integrity(second);
  g_autofree char *first_export = export_store(first);
  g_assert_cmpstr(first_export, ==, before);
  g_autofree char *now = export_store(db);
  g_assert_cmpint(export_version(now), ==, 7);
  g_assert_cmpstr(now, !=, before);
  g_autofree char *second_export = export_store(second);
  g_assert_cmpstr(second_export, ==, now);

  /* Owner only: the store holds personal data and token hashes. */
  GStatBuf status;
  g_assert_cmpint(g_stat(first, &status), ==, 0);
  g_assert_cmpint(status.st_mode & 0777, ==, 0600);
}

/* An existing file is replaced only with --force, and never by the store itself. */
static void test_backup_overwrite(void) {
  g_autofree char *db = almere_store("live.db");
  g_autofree char *copy = tmp_path("copy.db");
  write_file(copy, "precious");

  g_auto(Run) refused = {0};
  run_handen(&refused, "backup", "--db", db, copy, NULL);
  g_assert_cmpint(refused.status, ==, 1);
  g_assert_cmpstr(refused.out, ==, "");
  g_autofree char *message =
      g_strdup_printf("handen backup: %s: already exists (use --force to replace it)\n", copy);
  g_assert_cmpstr(refused.err, ==, message);
  g_autofree char *kept = read_file(copy);
  g_assert_cmpstr(kept, ==, "precious");

  g_auto(Run) forced = {0};
  run_handen(&forced, "backup", "--force", "--db", db, copy, NULL);
  g_assert_cmpstr(forced.err, ==, "");
  g_assert_cmpint(forced.status, ==, 0);
  assert_integrity(copy);
  g_autofree char *source = export_store(db);
  g_autofree char *copied = export_store(copy);
  g_assert_cmpstr(copied, ==, source);

  g_auto(Run) itself = {0};
  run_handen(&itself, "backup", "--force", "--db", db, db, NULL);
  g_assert_cmpint(itself.status, ==, 1);
  g_autofree char *self_message = g_strdup_printf("handen backup: %s: is the store itself\n", db);
  g_assert_cmpstr(itself.err, ==, self_message);
  g_autofree char *unchanged = export_store(db);
  g_assert_cmpstr(unchanged, ==, source);
}

/* ---- failures ------------------------------------------------------------ */

/* A backup that must fail: the store it names, OUT and the options, and what it
 * answers.  In `message`, {store} and {out} stand for the paths given. */
typedef struct {
  const char *name;
  const char *store; /* "live.db" (the Almere store), "garbage.db" (not a database), other */
  const char *out;   /* NULL: no OUT at all */
  const char *extra; /* a further argument, or NULL */
  int status;
  const char *message;
} Failure;

static const Failure failures[] = {
    {"no-store", "missing.db", "copy.db", NULL, 1,
     "handen backup: {store}: no such store (create it with 'handen import')\n"},
    {"not-a-database", "garbage.db", "copy.db", NULL, 1,
     "handen backup: {out}: cannot copy {store}: file is not a database\n"},
    {"no-folder", "live.db", "no-such-folder/copy.db", NULL, 1,
     "handen backup: {out}: cannot create a file there: No such file or directory\n"},
    {"out-is-folder", "live.db", "folder", NULL, 1,
     "handen backup: {out}: already exists (use --force to replace it)\n"},
    {"out-is-folder-forced", "live.db", "folder", "--force", 1,
     "handen backup: {out}: is a folder\n"},
    {"no-out", "live.db", NULL, NULL, 2,
     "handen backup: missing one OUT file\nTry 'handen backup --help'.\n"},
    {"two-outs", "live.db", "copy.db", "other.db", 2,
     "handen backup: unexpected argument 'other.db' (expected one OUT file)\n"
     "Try 'handen backup --help'.\n"},
    {"empty-out", "live.db", "", NULL, 2,
     "handen backup: OUT must not be empty\nTry 'handen backup --help'.\n"},
};

/* `template` with {store} and {out} replaced (transfer full). */
static char *expand(const char *template, const char *store, const char *out) {
  g_auto(GStrv) by_store = g_strsplit(template, "{store}", -1);
  g_autofree char *with_store = g_strjoinv(store, by_store);
  g_auto(GStrv) by_out = g_strsplit(with_store, "{out}", -1);
  return g_strjoinv(out != NULL ? out : "", by_out);
}

/* Each failure exits with its status and message, prints nothing on stdout, and
 * leaves the folder as it was: no copy, no temporary file. */
static void test_backup_failure(gconstpointer data) {
  const Failure *c = data;
  g_autofree char *store = NULL;
  if (g_str_equal(c->store, "live.db")) {
    store = almere_store(c->store);
  } else {
    store = tmp_path(c->store);
    if (g_str_equal(c->store, "garbage.db"))
      write_file(store, "not a database, not at all, not even close");
  }
  g_autofree char *folder = tmp_path("folder");
  g_assert_cmpint(g_mkdir_with_parents(folder, 0700), ==, 0);
  g_autofree char *out = c->out == NULL || c->out[0] == '\0' ? g_strdup(c->out) : tmp_path(c->out);
  g_autofree char *dir = g_path_get_dirname(folder);
  g_autofree char *before = list_dir(dir);

  g_auto(Run) run = {0};
  if (c->extra != NULL && g_str_has_prefix(c->extra, "--"))
    run_handen(&run, "backup", c->extra, "--db", store, out, NULL);
  else
    run_handen(&run, "backup", "--db", store, out, c->extra, NULL);
  g_assert_cmpint(run.status, ==, c->status);
  g_assert_cmpstr(run.out, ==, "");
  g_autofree char *message = expand(c->message, store, out);
  g_assert_cmpstr(run.err, ==, message);
  g_autofree char *after = list_dir(dir);
  g_assert_cmpstr(after, ==, before);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/cli/backup/under-writes", test_backup_under_writes);
  g_test_add_func("/cli/backup/uncommitted", test_backup_uncommitted);
  g_test_add_func("/cli/backup/overwrite", test_backup_overwrite);
  TEST_ADD_TABLE("/cli/backup/failure", failures, name, test_backup_failure);
  return g_test_run();
}
