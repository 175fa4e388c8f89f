/* driver-sqlite.c: the store's driver for an embedded SQLite file (driver.h): a thin
 * layer over sqlite3 statements, transactions as BEGIN IMMEDIATE (the file's one write
 * lock) and BEGIN (a WAL snapshot), and the store's version as PRAGMA data_version and
 * the connection's own change count; the process running a round as its owner
 * (handen_session(), below).  Invariant: store->conn is an open sqlite3 handle
 * migrated to model_store_schema_version() (schema.c), and close finds no statement
 * left but the driver's own.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store-private.h"

typedef struct {
  StoreStmt head;
  sqlite3_stmt *stmt;
} SqliteStmt;

/* The connection's own state: the version statement, prepared on first use. */
typedef struct {
  sqlite3_stmt *data_version;
} SqliteState;

static sqlite3 *db_of(ModelStore *store) {
  return store->conn;
}

static sqlite3_stmt *raw(StoreStmt *stmt) {
  return ((SqliteStmt *)stmt)->stmt;
}

/* ---- sessions: who runs a round ----------------------------------------------------
 *
 * A round's owner (rounds.owner) names the process running it, so that a round whose
 * process was killed can be failed instead of holding its districts for good: its
 * host, the kernel's boot id, its PID namespace, its process id and its start time in
 * clock ticks since boot (/proc/PID/stat), which no later process of that boot
 * repeats.  handen_session() names the calling process (NULL where /proc tells
 * nothing: such rounds are failed only when a server starts, as before owners were
 * recorded).  handen_session_alive(owner) is FALSE when that process is gone.  A
 * SQLite store is one file on one machine, served by the processes of one host and
 * PID namespace: a round of another host, boot or namespace (a container replaced,
 * the file moved) is taken as gone, as is one whose process id no longer exists or
 * now names a process that started at another time.  A process that exists but whose
 * start time cannot be read (/proc mounted with hidepid) is taken as alive, as is an
 * owner that does not parse. */

/* The start time (field 22) of /proc/PID/stat (PID 0: self); NULL when unreadable. */
static char *start_time(int pid) {
  g_autofree char *path =
      pid > 0 ? g_strdup_printf("/proc/%d/stat", pid) : g_strdup("/proc/self/stat");
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  const char *after_name = strrchr(text, ')'); /* the name may hold spaces and parentheses */
  if (after_name == NULL || after_name[1] != ' ')
    return NULL;
  g_auto(GStrv) fields = g_strsplit(after_name + 2, " ", 21);
  /* After the name: field 3 (state) is fields[0], so field 22 is fields[19]. */
  return g_strv_length(fields) > 19 ? g_strdup(fields[19]) : NULL;
}

/* This machine's boot id, this process's PID namespace ("pid:[N]"): NULL when unknown. */
static char *boot_id(void) {
  char *text = NULL;
  if (!g_file_get_contents("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return NULL;
  return g_strstrip(text);
}

static char *pid_namespace(void) {
  return g_file_read_link("/proc/self/ns/pid", NULL);
}

static void session_function(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  g_autofree char *boot = boot_id();
  g_autofree char *space = pid_namespace();
  g_autofree char *start = start_time(0);
  if (boot == NULL || space == NULL || start == NULL || strchr(space, ' ') != NULL) {
    sqlite3_result_null(context);
    return;
  }
  g_autofree char *owner =
      g_strdup_printf("%s %s %s %d %s", g_get_host_name(), boot, space, (int)getpid(), start);
  sqlite3_result_text(context, owner, -1, SQLITE_TRANSIENT);
}

static gboolean session_alive(const char *owner) {
  g_auto(GStrv) parts = g_strsplit(owner, " ", -1);
  gint64 pid = 0;
  if (g_strv_length(parts) != 5 || !g_ascii_string_to_signed(parts[3], 10, 1, G_MAXINT, &pid, NULL))
    return TRUE;
  g_autofree char *boot = boot_id();
  g_autofree char *space = pid_namespace();
  if (boot == NULL || space == NULL)
    return TRUE;
  if (!g_str_equal(parts[0], g_get_host_name()) || !g_str_equal(parts[1], boot) ||
      !g_str_equal(parts[2], space))
    return FALSE;
  if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
    return FALSE;
  g_autofree char *start = start_time((int)pid);
  return start == NULL || g_str_equal(start, parts[4]);
}

static void session_alive_function(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  const unsigned char *owner = sqlite3_value_text(argv[0]);
  sqlite3_result_int(context, owner == NULL || session_alive((const char *)owner));
}

static gboolean sqlite_open(ModelStore *store, const char *target, GError **error) {
  sqlite3 *db = NULL;
  /* NOMUTEX: a store is used from one thread at a time (store.h).  EXRESCODE gives
   * extended result codes, which tell a UNIQUE from a FOREIGN KEY failure. */
  int rc = sqlite3_open_v2(target, &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                               SQLITE_OPEN_EXRESCODE,
                           NULL);
  if (rc != SQLITE_OK) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot open the database: %s", store->path,
                db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return FALSE;
  }
  if (!store_schema_setup(db, store->path, error)) {
    sqlite3_close(db);
    return FALSE;
  }
  if (sqlite3_create_function_v2(db, "handen_session", 0, SQLITE_UTF8, NULL, session_function, NULL,
                                 NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function_v2(db, "handen_session_alive", 1, SQLITE_UTF8, NULL,
                                 session_alive_function, NULL, NULL, NULL) != SQLITE_OK) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot add functions: %s", store->path,
                sqlite3_errmsg(db));
    sqlite3_close(db);
    return FALSE;
  }
  store->conn = db;
  store->state = g_new0(SqliteState, 1);
  return TRUE;
}

static void sqlite_close(ModelStore *store) {
  SqliteState *state = store->state;
  sqlite3_finalize(state->data_version);
  g_free(state);
  /* Every statement is finalised by now, so close cannot be refused with SQLITE_BUSY;
   * close_v2 would hide such a leak, close reports it. */
  int rc = sqlite3_close(db_of(store));
  g_assert(rc == SQLITE_OK);
}

static StoreStmt *sqlite_prepare(ModelStore *store, const char *sql, gboolean persistent) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v3(db_of(store), sql, -1, persistent ? SQLITE_PREPARE_PERSISTENT : 0, &stmt,
                         NULL) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return NULL;
  }
  SqliteStmt *s = g_new0(SqliteStmt, 1);
  s->head = (StoreStmt){.driver = &store_driver_sqlite, .store = store};
  s->stmt = stmt;
  return &s->head;
}

static void sqlite_finalize(StoreStmt *stmt) {
  /* What finalize returns is the error of the statement's last step, already
   * reported where it happened. */
  sqlite3_finalize(raw(stmt));
  g_free(stmt);
}

static void sqlite_reset(StoreStmt *stmt) {
  /* reset returns the error of the last step, already reported where it happened. */
  (void)sqlite3_reset(raw(stmt));
  (void)sqlite3_clear_bindings(raw(stmt));
}

static int sqlite_parameter_index(StoreStmt *stmt, const char *name) {
  return sqlite3_bind_parameter_index(raw(stmt), name);
}

static gboolean sqlite_bind_text(StoreStmt *stmt, int index, const char *text) {
  return sqlite3_bind_text(raw(stmt), index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

static gboolean sqlite_bind_int(StoreStmt *stmt, int index, gint64 value) {
  return sqlite3_bind_int64(raw(stmt), index, value) == SQLITE_OK;
}

static gboolean sqlite_bind_double(StoreStmt *stmt, int index, double value) {
  return sqlite3_bind_double(raw(stmt), index, value) == SQLITE_OK;
}

static gboolean sqlite_bind_blob(StoreStmt *stmt, int index, const void *data, gsize size) {
  return sqlite3_bind_blob(raw(stmt), index, data, (int)size, SQLITE_TRANSIENT) == SQLITE_OK;
}

static gboolean sqlite_bind_null(StoreStmt *stmt, int index) {
  return sqlite3_bind_null(raw(stmt), index) == SQLITE_OK;
}

static StoreStepResult sqlite_step(StoreStmt *stmt) {
  int rc = sqlite3_step(raw(stmt));
  return rc == SQLITE_ROW ? STORE_ROW : rc == SQLITE_DONE ? STORE_DONE : STORE_ERROR;
}

static int sqlite_column_count(StoreStmt *stmt) {
  return sqlite3_column_count(raw(stmt));
}

static const char *sqlite_column_name(StoreStmt *stmt, int column) {
  return sqlite3_column_name(raw(stmt), column);
}

static gboolean sqlite_column_is_null(StoreStmt *stmt, int column) {
  return sqlite3_column_type(raw(stmt), column) == SQLITE_NULL;
}

static gint64 sqlite_column_int64(StoreStmt *stmt, int column) {
  return sqlite3_column_int64(raw(stmt), column);
}

static double sqlite_column_double(StoreStmt *stmt, int column) {
  return sqlite3_column_double(raw(stmt), column);
}

static const char *sqlite_column_text(StoreStmt *stmt, int column) {
  return (const char *)sqlite3_column_text(raw(stmt), column);
}

static guint8 *sqlite_column_blob(StoreStmt *stmt, int column, gsize *out_size) {
  const void *data = sqlite3_column_blob(raw(stmt), column);
  *out_size = data != NULL ? (gsize)sqlite3_column_bytes(raw(stmt), column) : 0;
  return data != NULL ? g_memdup2(data, *out_size) : NULL;
}

static gboolean sqlite_exec(ModelStore *store, const char *sql) {
  return sqlite3_exec(db_of(store), sql, NULL, NULL, NULL) == SQLITE_OK;
}

/* Runs `sql` through the store's statement cache: the transaction statements run on
 * every request and are worth keeping prepared. */
static gboolean exec_cached(ModelStore *store, const char *sql) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, sql, &cached, NULL);
  return stmt != NULL && store_step(stmt) == STORE_DONE;
}

static gboolean sqlite_begin_write(ModelStore *store) {
  return exec_cached(store, "BEGIN IMMEDIATE");
}

static gboolean sqlite_begin_read(ModelStore *store) {
  return sqlite_exec(store, "BEGIN");
}

static gboolean sqlite_commit(ModelStore *store) {
  return exec_cached(store, "COMMIT");
}

static void sqlite_rollback(ModelStore *store) {
  (void)sqlite_exec(store, "ROLLBACK");
}

static gboolean sqlite_in_transaction(ModelStore *store) {
  return !sqlite3_get_autocommit(db_of(store));
}

static gint64 sqlite_changes(ModelStore *store) {
  return sqlite3_changes64(db_of(store));
}

/* The rule a message names after `prefix` ("CHECK constraint failed: <name>"). */
static const char *after_prefix(const char *message, const char *prefix) {
  return g_str_has_prefix(message, prefix) ? message + strlen(prefix) : message;
}

static void sqlite_failure(ModelStore *store, StoreFailure *out) {
  sqlite3 *db = db_of(store);
  const char *message = sqlite3_errmsg(db);
  int extended = sqlite3_extended_errcode(db);
  *out = (StoreFailure){.kind = STORE_FAILURE_IO, .rule = "", .message = message};
  if ((extended & 0xff) != SQLITE_CONSTRAINT)
    return;
  switch (extended) {
  case SQLITE_CONSTRAINT_CHECK:
    out->kind = STORE_FAILURE_CHECK;
    out->rule = after_prefix(message, "CHECK constraint failed: ");
    break;
  case SQLITE_CONSTRAINT_FOREIGNKEY:
    out->kind = STORE_FAILURE_FOREIGN_KEY;
    break;
  case SQLITE_CONSTRAINT_PRIMARYKEY:
    out->kind = STORE_FAILURE_PRIMARY_KEY;
    break;
  case SQLITE_CONSTRAINT_UNIQUE:
    out->kind = STORE_FAILURE_UNIQUE;
    out->rule = after_prefix(message, "UNIQUE constraint failed: ");
    break;
  case SQLITE_CONSTRAINT_NOTNULL:
    out->kind = STORE_FAILURE_NOT_NULL;
    out->rule = after_prefix(message, "NOT NULL constraint failed: ");
    break;
  case SQLITE_CONSTRAINT_TRIGGER:
    out->kind = STORE_FAILURE_RAISED;
    break;
  default:
    out->kind = STORE_FAILURE_OTHER_RULE;
    break;
  }
}

/* PRAGMA data_version changes when any OTHER connection commits (another thread, a
 * round worker, `handen import` or any other process on the same file); it begins a
 * read transaction to find out, so in WAL mode it sees a commit as soon as this
 * connection's next read would.  sqlite3_total_changes() counts the rows this
 * connection changed itself, which data_version deliberately leaves out.  A
 * rolled-back write still counts: that is only a false "changed", never a missed one. */
static gboolean sqlite_version(ModelStore *store, gint64 *out_data_version, gint64 *out_changes) {
  SqliteState *state = store->state;
  if (state->data_version == NULL &&
      sqlite3_prepare_v3(db_of(store), "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                         &state->data_version, NULL) != SQLITE_OK)
    return FALSE;
  if (sqlite3_step(state->data_version) != SQLITE_ROW) {
    (void)sqlite3_reset(state->data_version);
    return FALSE;
  }
  *out_data_version = sqlite3_column_int64(state->data_version, 0);
  /* Resetting ends the read transaction the step began (outside a transaction). */
  if (sqlite3_reset(state->data_version) != SQLITE_OK)
    return FALSE;
  *out_changes = sqlite3_total_changes64(db_of(store));
  return TRUE;
}

static gboolean sqlite_schema_version(ModelStore *store, int *out_version) {
  return store_schema_read_version(db_of(store), store->path, out_version, NULL);
}

static gboolean sqlite_tune_for_reads(ModelStore *store) {
  return sqlite_exec(store, "PRAGMA mmap_size = 1073741824") &&
         sqlite_exec(store, "PRAGMA cache_size = -65536");
}

const StoreDriver store_driver_sqlite = {
    .name = "sqlite",
    STORE_DRIVER_FUNCTIONS(sqlite),
    /* A file is served by one process: whatever runs at its start is left over. */
    .session_sql = "handen_session()",
    .session_alive_sql = "handen_session_alive(owner)",
};
