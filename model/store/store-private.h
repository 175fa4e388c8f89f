/* store-private.h: what the files of the SQLite store share: the ModelStore struct,
 * automatic finalisation of statements, the per-connection cache of prepared
 * statements, and the helpers that turn SQLite result codes into GErrors.  Invariant:
 * every function here either succeeds or sets exactly one GError and leaves no
 * statement unfinalised, except the cached ones, which the store owns until it is freed.
 */
/* store-private.h: what the files of the store share: the ModelStore struct, the
 * per-connection cache of prepared statements, parameter binding, and the helpers that
 * turn a driver's failures into GErrors.  Every database call goes through the driver
 * interface (driver.h), so these files hold SQL but no backend's API.  Invariant: every
 * function here either succeeds or sets exactly one GError and leaves no statement
 * unfinalised, except the cached ones, which the store owns until it is freed.
 */
#pragma once

#include "driver.h"
#include "store.h"

G_BEGIN_DECLS

struct ModelStore {
  const StoreDriver *driver; /* the backend --db named */
  gpointer conn;             /* the driver's connection; open and migrated for the store's life */
  gpointer state;            /* the driver's own per-connection state, or NULL */
  char *path;                /* as given to model_store_open() (a URI without password) */
  GHashTable *cache;         /* SQL text (owned) -> StoreCacheEntry (owned); see store_cached() */
  char *coordinator_mail;    /* owned; where coordinator messages go, NULL: none */
};

/* One cached statement: prepared once per connection, lent to one user at a time. */
typedef struct {
  StoreStmt *stmt; /* owned; finalised by model_store_free() */
  gboolean lent;   /* a StoreCached holds it now */
} StoreCacheEntry;

/* A statement borrowed from the store's cache.  Clearing it (g_auto(StoreCached) does
 * so on every path) resets the statement and clears its bindings, so the next
 * borrower finds it as freshly prepared:
 *   g_auto(StoreCached) cached = {0};
 *   StoreStmt *stmt = store_cached(store, "SELECT ...", &cached, error);
 * The statement belongs to the store's connection and thus to the one thread using
 * that store; it must not be finalised by the borrower. */
typedef struct {
  StoreCacheEntry *entry; /* NULL when nothing is borrowed */
} StoreCached;

/* Resets and clears the borrowed statement and gives it back; NULL-safe, idempotent. */
void store_cached_clear(StoreCached *cached);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(StoreCached, store_cached_clear)

/* ---- schema.c (SQLite) ------------------------------------------------- */

struct sqlite3;

/* Sets up a freshly opened SQLite connection (foreign keys, WAL, synchronous, busy
 * timeout) and migrates its schema to model_store_schema_version().  Fails with
 * MODEL_ERROR_IO "PATH: ..." when a pragma or a migration fails, or when the file's
 * schema is newer than this program. */
gboolean store_schema_setup(struct sqlite3 *db, const char *path, GError **error);

/* Sets MODEL_ERROR_IO "PATH: WHAT: <sqlite3_errmsg>" for a failed call on `db`. */
void store_sqlite_io_error(GError **error, struct sqlite3 *db, const char *path, const char *what);

/* Reads PRAGMA user_version into *out_version (written only on success). */
gboolean store_schema_read_version(struct sqlite3 *db, const char *path, int *out_version,
                                   GError **error);

/* ---- schema-pg.c (PostgreSQL) --------------------------------------------- */

/* The PostgreSQL migrations, numbered as the SQLite ones: entry i takes a database from
 * schema version i to i + 1. */
extern const char *const store_pg_migrations[];
extern const int store_pg_n_migrations;

/* The full message of a CHECK constraint whose name PostgreSQL reports (cut to 63
 * bytes), or `name` itself when none is longer (transfer full). */
char *store_pg_rule_message(const char *name);

/* ---- driver-pg-copy.c (PostgreSQL) ---------------------------------------- */

/* The bulk statements of the PostgreSQL driver (StoreDriver.prepare_bulk, flush_bulk):
 * rows collected by steps, sent with COPY when flushed.  prepare answers NULL for a
 * statement that is neither an INSERT ... VALUES nor a DELETE ... WHERE; flush fails
 * with MODEL_ERROR_IO and the server's message, and the transaction is then failed. */
StoreStmt *store_pg_copy_prepare(ModelStore *store, const char *sql);
gboolean store_pg_copy_flush(StoreStmt *stmt, GError **error);

/* ---- store.c ------------------------------------------------------------ */

/* Sets MODEL_ERROR_IO "PATH: WHAT: <the database's message>" for a failed call. */
void store_set_io_error(GError **error, ModelStore *store, const char *what);

/* Prepares one statement of fixed SQL.  On failure sets MODEL_ERROR_IO and returns
 * NULL. */
StoreStmt *store_prepare(ModelStore *store, const char *sql, GError **error);

/* Borrows the cached statement of `sql` into `out` (which must hold nothing), preparing
 * it on first use as a long-lived statement; returns it, reset and without
 * bindings.  For the statements run on every request (approvals, token lookups,
 * transactions): their SQL must come from a small fixed set, as each distinct text
 * stays prepared for the store's life.  A statement is lent to one borrower at a time
 * (asserted).  On failure sets MODEL_ERROR_IO, caches nothing and returns NULL. */
StoreStmt *store_cached(ModelStore *store, const char *sql, StoreCached *out, GError **error);

/* Runs fixed SQL without results (BEGIN, COMMIT, DELETE ...).  MODEL_ERROR_IO on
 * failure. */
gboolean store_exec(ModelStore *store, const char *sql, GError **error);

/* Starts a write transaction: the write lock is taken up front (SQLite's BEGIN
 * IMMEDIATE, PostgreSQL's row lock on the version row), so a busy database is waited
 * for, not discovered half-way, and writers of every process take turns. */
gboolean store_begin_write(ModelStore *store, GError **error);

/* Starts a read transaction: every statement until commit sees one snapshot. */
gboolean store_begin_read(ModelStore *store, GError **error);

/* Commits; on failure rolls back and sets MODEL_ERROR_IO. */
gboolean store_commit(ModelStore *store, GError **error);

/* model_store_import() inside the write transaction the caller opened (and commits or
 * rolls back), so another write can join it (ops-employees.c). */
gboolean store_import_in_transaction(ModelStore *store, const ModelDataset *dataset,
                                     ModelStoreImportMode mode, GError **error);

/* Rolls back the open transaction, if any; never fails (a failed rollback leaves
 * the database to roll back when the connection closes). */
void store_rollback(ModelStore *store);

/* Steps a write statement of one object (`kind` is the dataset array, "employees",
 * `id` the object's id) and resets it for the next row.  On failure sets an error
 * naming the object: a constraint failure becomes MODEL_ERROR_CONFLICT with a human
 * message ("assignments/a-7: an employee can have only one approved assignment per
 * day part"), `missing_reference` being the message used for a foreign key failure;
 * anything else is MODEL_ERROR_IO. */
gboolean store_step_write(ModelStore *store, StoreStmt *stmt, const char *kind, const char *id,
                          const char *missing_reference, GError **error);

/* store_step_write() for an INSERT ... RETURNING id of a new `kind` row: *out_id gets
 * the id the database chose (written only on success). */
gboolean store_step_returning_id(ModelStore *store, StoreStmt *stmt, const char *kind,
                                 gint64 *out_id, GError **error);

/* Binds the parameters of one statement in order, remembering the first failure, so
 * a writer binds a whole row and checks once:
 *   StoreBinder b = store_binder(stmt);
 *   store_bind_text(&b, id); store_bind_int(&b, n);
 *   if (!store_binder_ok(&b, store, error)) ...
 * Texts are copied, so local buffers may be bound. */
typedef struct {
  StoreStmt *stmt;
  int column;  /* the last column bound (or the failing one), 1-based */
  gboolean ok; /* TRUE until a bind fails */
} StoreBinder;

StoreBinder store_binder(StoreStmt *stmt);
void store_bind_text(StoreBinder *binder, const char *text); /* NULL binds NULL */
void store_bind_int(StoreBinder *binder, gint64 value);
void store_bind_optional_int(StoreBinder *binder, gint64 value); /* < 0 binds NULL */
void store_bind_double(StoreBinder *binder, double value);
void store_bind_null(StoreBinder *binder);
void store_bind_date(StoreBinder *binder, ModelDate date); /* 'YYYY-MM-DD' */
/* Sets MODEL_ERROR_IO and returns FALSE when a bind failed. */
gboolean store_binder_ok(const StoreBinder *binder, ModelStore *store, GError **error);

/* Bind whole rows in the column order every writer of the table uses (store-write.c):
 * employees (id, organisation_id, name, district_id, lat, lon, qualifications,
 * max_parts_per_week, max_travel_km, active, confirmed, location_id); requests (id, school_id,
 * staff_needed, children_expected, own_staff, required, preferred, priority,
 * max_travel_km, note, status); slot rules (owner id, position, kind, from_date,
 * to_date, weekdays, parts), a rule of one day part storing no weekdays. */
void store_bind_employee(StoreBinder *binder, const ModelEmployee *employee);
void store_bind_request(StoreBinder *binder, const ModelRequest *request);
void store_bind_rule(StoreBinder *binder, const char *owner, guint position,
                     const ModelSlotRule *rule);
/* A location's load entry: its rule as store_bind_rule(), then children_expected,
 * staff_present and max_lend (NULL when not given), as STORE_LOAD_INSERT_SQL takes. */
#define STORE_LOAD_INSERT_SQL                                                                      \
  "INSERT INTO location_load (location_id, position, kind, from_date, to_date, weekdays,"          \
  " parts, children_expected, staff_present, max_lend) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
void store_bind_load(StoreBinder *binder, const char *location, guint position,
                     const ModelLocationLoad *load);
/* Replaces the stored load of location `l` by its load, with the statements
 * "DELETE FROM location_load WHERE location_id = ?" and STORE_LOAD_INSERT_SQL. */
gboolean store_write_load(ModelStore *store, StoreStmt *clear, StoreStmt *insert,
                          const ModelLocation *l, GError **error);

/* ---- store-write.c / store-load.c: see store.h ---------------------------- */

/* ---- store-write.c -------------------------------------------------------- */

/* Inserting one assignment, in the column order store_write_assignment() binds;
 * decided_at arrives as Unix seconds and is stored as RFC 3339 text. */
#define STORE_ASSIGNMENT_INSERT_SQL                                                                \
  "INSERT INTO assignments (id, request_id, employee_id, date, part, status, decided_by,"          \
  " decided_at, reason)"                                                                           \
  " VALUES (?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch'), ?)"

/* Writes assignment `a` with `stmt` (STORE_ASSIGNMENT_INSERT_SQL, perhaps with an
 * upsert clause).  decided_by and decided_at are bound as given (NULL, -1 meaning
 * absent), so an inconsistent assignment meets the CHECK instead of being silently
 * repaired.  A taken id or a missing request or employee is MODEL_ERROR_CONFLICT
 * naming the assignment. */
gboolean store_write_assignment(ModelStore *store, StoreStmt *stmt, const ModelAssignment *a,
                                GError **error);

G_END_DECLS
