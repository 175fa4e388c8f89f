/* driver.h: the small interface every store file talks to instead of a database
 * library: statements (prepare, bind, step, column), transactions, the store's version
 * and the failure of the last call, with one implementation per backend (SQLite in
 * driver-sqlite.c, PostgreSQL through libpq in driver-pg.c).  SQL is written once in
 * the common dialect, with '?', '?NNN' or ':name' parameters; the PostgreSQL driver
 * numbers them $N.  Invariant: a statement belongs to the connection of the store that
 * prepared it and is used by one thread at a time; a failed call leaves the failure
 * readable through store_failure() until the next call on that store.
 */
#pragma once

#include "store.h"

G_BEGIN_DECLS

typedef struct StoreStmt StoreStmt;
typedef struct StoreDriver StoreDriver;

/* What a step answers. */
typedef enum {
  STORE_ERROR = 1, /* see store_failure() */
  STORE_ROW = 100, /* a row is ready to read */
  STORE_DONE = 101 /* no more rows; a write statement has run */
} StoreStepResult;

/* The kind of the last failure, so the shared code words a broken rule the same way on
 * every backend (store.c). */
typedef enum {
  STORE_FAILURE_IO,          /* not a rule of the schema: connection, syntax, disk */
  STORE_FAILURE_CHECK,       /* `rule` is the CHECK constraint's name, its message */
  STORE_FAILURE_PRIMARY_KEY, /* an id is taken */
  STORE_FAILURE_UNIQUE,      /* `rule` names the index or the columns */
  STORE_FAILURE_FOREIGN_KEY, /* a reference to a missing row */
  STORE_FAILURE_NOT_NULL,    /* `rule` is "table.column" */
  STORE_FAILURE_RAISED,      /* a trigger refused; `message` is its reason */
  STORE_FAILURE_OTHER_RULE,  /* some other constraint */
} StoreFailureKind;

typedef struct {
  StoreFailureKind kind;
  const char *rule;    /* the constraint, index or column named by the database, or "" */
  const char *message; /* the database's message */
} StoreFailure;

/* The common head of every driver's statement. */
struct StoreStmt {
  const StoreDriver *driver;
  ModelStore *store;
};

struct StoreDriver {
  const char *name; /* "sqlite" or "postgresql" */
  /* Connects store->conn to `target` and migrates its schema; sets MODEL_ERROR_IO
   * naming store->path on failure (the connection is then closed). */
  gboolean (*open)(ModelStore *store, const char *target, GError **error);
  void (*close)(ModelStore *store);
  StoreStmt *(*prepare)(ModelStore *store, const char *sql, gboolean persistent);
  void (*finalize)(StoreStmt *stmt);
  void (*reset)(StoreStmt *stmt); /* back to before the first step, bindings cleared */
  int (*parameter_index)(StoreStmt *stmt, const char *name); /* 0 when absent */
  gboolean (*bind_text)(StoreStmt *stmt, int index, const char *text);
  gboolean (*bind_int)(StoreStmt *stmt, int index, gint64 value);
  gboolean (*bind_double)(StoreStmt *stmt, int index, double value);
  gboolean (*bind_blob)(StoreStmt *stmt, int index, const void *data, gsize size);
  gboolean (*bind_null)(StoreStmt *stmt, int index);
  StoreStepResult (*step)(StoreStmt *stmt);
  int (*column_count)(StoreStmt *stmt);
  const char *(*column_name)(StoreStmt *stmt, int column);
  gboolean (*column_is_null)(StoreStmt *stmt, int column);
  gint64 (*column_int64)(StoreStmt *stmt, int column);
  double (*column_double)(StoreStmt *stmt, int column);
  const char *(*column_text)(StoreStmt *stmt, int column);
  /* Copies the blob of a column (NULL and 0 bytes for NULL); transfer full. */
  guint8 *(*column_blob)(StoreStmt *stmt, int column, gsize *out_size);
  /* Runs fixed SQL (perhaps several statements) without results. */
  gboolean (*exec)(ModelStore *store, const char *sql);
  /* A write transaction: the one writer of the database until commit or rollback. */
  gboolean (*begin_write)(ModelStore *store);
  /* A read transaction: one consistent snapshot for every statement until commit. */
  gboolean (*begin_read)(ModelStore *store);
  gboolean (*commit)(ModelStore *store);
  void (*rollback)(ModelStore *store);
  gboolean (*in_transaction)(ModelStore *store);
  gint64 (*changes)(ModelStore *store); /* rows the last write statement changed */
  void (*failure)(ModelStore *store, StoreFailure *out);
  /* The store's version (see model_store_version()). */
  gboolean (*version)(ModelStore *store, gint64 *out_data_version, gint64 *out_changes);
  /* The schema version of the database (0 for an empty one). */
  gboolean (*schema_version)(ModelStore *store, int *out_version);
  /* Makes reading large parts of the store faster; may do nothing. */
  gboolean (*tune_for_reads)(ModelStore *store);
  /* Bulk writing, NULL where the backend has none: a statement (an INSERT ... VALUES
   * or a DELETE ... WHERE, else NULL) whose steps only collect the rows bound, and
   * the flush that runs it once over all of them (driver-pg-copy.c). */
  StoreStmt *(*prepare_bulk)(ModelStore *store, const char *sql);
  gboolean (*flush_bulk)(StoreStmt *stmt, GError **error);
  /* SQL naming the session of this connection, as long as it lives and never again (a
   * running round's owner), or NULL when sessions are not shared across processes. */
  const char *session_sql;
  /* A condition on the column `owner` (a session_sql value): that session still lives. */
  const char *session_alive_sql;
};

/* The members of a driver whose functions are named PREFIX_open, PREFIX_close and so
 * on after the members: the binds, and every function (all but name, the bulk pair
 * and the session SQL). */
#define STORE_DRIVER_BINDS(p)                                                                      \
  .bind_text = p##_bind_text, .bind_int = p##_bind_int, .bind_double = p##_bind_double,            \
  .bind_blob = p##_bind_blob, .bind_null = p##_bind_null
#define STORE_DRIVER_FUNCTIONS(p)                                                                  \
  .open = p##_open, .close = p##_close, .prepare = p##_prepare, .finalize = p##_finalize,          \
  .reset = p##_reset, .parameter_index = p##_parameter_index, STORE_DRIVER_BINDS(p),               \
  .step = p##_step, .column_count = p##_column_count, .column_name = p##_column_name,              \
  .column_is_null = p##_column_is_null, .column_int64 = p##_column_int64,                          \
  .column_double = p##_column_double, .column_text = p##_column_text,                              \
  .column_blob = p##_column_blob, .exec = p##_exec, .begin_write = p##_begin_write,                \
  .begin_read = p##_begin_read, .commit = p##_commit, .rollback = p##_rollback,                    \
  .in_transaction = p##_in_transaction, .changes = p##_changes, .failure = p##_failure,            \
  .version = p##_version, .schema_version = p##_schema_version,                                    \
  .tune_for_reads = p##_tune_for_reads

extern const StoreDriver store_driver_sqlite;
extern const StoreDriver store_driver_pg;

/* The driver `target` of --db names: PostgreSQL for "postgresql://", "postgres://" or
 * "postgresql:" (the PG* environment variables), SQLite for any other text (a path). */
const StoreDriver *store_driver_for(const char *target);

/* `target` as it may be shown: a connection URI without its password (transfer full). */
char *store_target_display(const char *target);

/* ---- statements, through the store's driver -------------------------------- */

StoreStmt *store_prepare_quiet(ModelStore *store, const char *sql, gboolean persistent);
void store_finalize(StoreStmt *stmt); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreStmt, store_finalize)
void store_reset(StoreStmt *stmt);
int store_parameter_index(StoreStmt *stmt, const char *name);
gboolean store_bind_text_at(StoreStmt *stmt, int index, const char *text); /* NULL binds NULL */
gboolean store_bind_int_at(StoreStmt *stmt, int index, gint64 value);
gboolean store_bind_blob_at(StoreStmt *stmt, int index, const void *data, gsize size);
StoreStepResult store_step(StoreStmt *stmt);
int store_column_count(StoreStmt *stmt);
const char *store_column_name(StoreStmt *stmt, int column);
gboolean store_column_is_null(StoreStmt *stmt, int column);
gint64 store_column_int64(StoreStmt *stmt, int column);
int store_column_int(StoreStmt *stmt, int column);
double store_column_double(StoreStmt *stmt, int column);
const char *store_column_text(StoreStmt *stmt, int column); /* NULL for NULL */
guint8 *store_column_blob(StoreStmt *stmt, int column, gsize *out_size);
gint64 store_changes(ModelStore *store);
/* The message of the last failure on `store`. */
const char *store_errmsg(ModelStore *store);

G_END_DECLS
