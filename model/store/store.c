/* store.c: the life of a store connection (open, free) and the helpers every store
 * file shares: transactions, the statement cache, parameter binding and the mapping
 * of SQLite result codes to GErrors.  Invariants: a ModelStore always holds an open,
 * migrated connection; no transaction stays open between calls of the public API;
 * every cached statement is reset and unbound while no one borrows it; every message
 * names the file or the object it is about.
 */
#include <string.h>

#include "store-private.h"

/* Finalises a cached statement; it must not be lent (a borrower outliving its store). */
static void cache_entry_free(gpointer data) {
  StoreCacheEntry *entry = data;
  g_assert(!entry->lent);
  sqlite3_finalize(entry->stmt);
  g_free(entry);
}

ModelStore *model_store_open(const char *path, GError **error) {
  g_return_val_if_fail(path != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  sqlite3 *db = NULL;
  /* NOMUTEX: a store is used from one thread at a time (store.h).  EXRESCODE gives
   * extended result codes, which tell a UNIQUE from a FOREIGN KEY failure. */
  int rc = sqlite3_open_v2(path, &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
                               SQLITE_OPEN_EXRESCODE,
                           NULL);
  if (rc != SQLITE_OK) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot open the database: %s", path,
                db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return NULL;
  }
  if (!store_schema_setup(db, path, error)) {
    sqlite3_close(db);
    return NULL;
  }
  ModelStore *store = g_new0(ModelStore, 1);
  store->db = db;
  store->path = g_strdup(path);
  store->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cache_entry_free);
  return store;
}

void model_store_free(ModelStore *store) {
  if (store == NULL)
    return;
  /* The cached statements are finalised here and every other one by its function, so
   * close cannot be refused with SQLITE_BUSY; close_v2 would hide such a leak, close
   * reports it. */
  g_hash_table_destroy(store->cache);
  int rc = sqlite3_close(store->db);
  g_assert(rc == SQLITE_OK);
  g_free(store->path);
  g_free(store->coordinator_mail);
  g_free(store);
}

/* ---- errors ------------------------------------------------------------- */

void store_set_io_error(GError **error, sqlite3 *db, const char *path, const char *what) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s: %s", path, what, sqlite3_errmsg(db));
}

/* The human message for a failed constraint.  CHECK constraints are named by their
 * message (schema.c), so that name is passed on; the other kinds are recognised by
 * their extended result code. */
static char *constraint_message(sqlite3 *db, int extended, const char *missing_reference) {
  const char *msg = sqlite3_errmsg(db);
  switch (extended) {
  case SQLITE_CONSTRAINT_CHECK: {
    static const char prefix[] = "CHECK constraint failed: ";
    if (g_str_has_prefix(msg, prefix))
      return g_strdup(msg + strlen(prefix));
    return g_strdup(msg);
  }
  case SQLITE_CONSTRAINT_FOREIGNKEY:
    return g_strdup(missing_reference != NULL ? missing_reference
                                              : "refers to an object that does not exist");
  case SQLITE_CONSTRAINT_PRIMARYKEY:
    return g_strdup("the id is already taken");
  case SQLITE_CONSTRAINT_UNIQUE:
    if (strstr(msg, "assignments.employee_id") != NULL)
      return g_strdup("an employee can have only one approved assignment per day part");
    if (strstr(msg, "district_neighbours.neighbour_id") != NULL)
      return g_strdup("a district is listed as a neighbour only once");
    return g_strdup_printf("breaks a uniqueness rule (%s)", msg);
  case SQLITE_CONSTRAINT_NOTNULL: {
    static const char prefix[] = "NOT NULL constraint failed: ";
    if (g_str_has_prefix(msg, prefix))
      return g_strdup_printf("%s is missing", msg + strlen(prefix));
    return g_strdup(msg);
  }
  case SQLITE_CONSTRAINT_TRIGGER:
    return g_strdup(msg);
  default:
    return g_strdup_printf("breaks a database rule (%s)", msg);
  }
}

gboolean store_step_write(ModelStore *store, sqlite3_stmt *stmt, const char *kind, const char *id,
                          const char *missing_reference, GError **error) {
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_DONE) {
    if (sqlite3_reset(stmt) != SQLITE_OK || sqlite3_clear_bindings(stmt) != SQLITE_OK) {
      g_autofree char *what = g_strdup_printf("%s/%s", kind, id);
      store_set_io_error(error, store->db, store->path, what);
      return FALSE;
    }
    return TRUE;
  }
  /* The message belongs to this step; read it before reset can replace it. */
  int extended = sqlite3_extended_errcode(store->db);
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    g_autofree char *message = constraint_message(store->db, extended, missing_reference);
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "%s/%s: %s", kind, id, message);
  } else {
    g_autofree char *what = g_strdup_printf("cannot store %s/%s", kind, id);
    store_set_io_error(error, store->db, store->path, what);
  }
  (void)sqlite3_reset(stmt); /* returns the same error again */
  return FALSE;
}

/* ---- statements and transactions --------------------------------------- */

sqlite3_stmt *store_prepare(ModelStore *store, const char *sql, GError **error) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    store_set_io_error(error, store->db, store->path, "cannot prepare a statement");
    sqlite3_finalize(stmt);
    return NULL;
  }
  return stmt;
}

sqlite3_stmt *store_cached(ModelStore *store, const char *sql, StoreCached *out, GError **error) {
  g_assert(out->entry == NULL);
  StoreCacheEntry *entry = g_hash_table_lookup(store->cache, sql);
  if (entry == NULL) {
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
        SQLITE_OK) {
      store_set_io_error(error, store->db, store->path, "cannot prepare a statement");
      sqlite3_finalize(stmt);
      return NULL;
    }
    entry = g_new0(StoreCacheEntry, 1);
    entry->stmt = stmt;
    g_hash_table_insert(store->cache, g_strdup(sql), entry);
  }
  g_assert(!entry->lent); /* one borrower at a time: nested users need distinct SQL */
  entry->lent = TRUE;
  out->entry = entry;
  return entry->stmt;
}

void store_cached_clear(StoreCached *cached) {
  if (cached == NULL || cached->entry == NULL)
    return;
  /* reset returns the error of the last step, already reported where it happened. */
  (void)sqlite3_reset(cached->entry->stmt);
  (void)sqlite3_clear_bindings(cached->entry->stmt);
  cached->entry->lent = FALSE;
  cached->entry = NULL;
}

/* Runs cached SQL without results; on failure sets MODEL_ERROR_IO "PATH: SQL: ...". */
static gboolean exec_cached(ModelStore *store, const char *sql, GError **error) {
  g_auto(StoreCached) cached = {0};
  sqlite3_stmt *stmt = store_cached(store, sql, &cached, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    store_set_io_error(error, store->db, store->path, sql);
    return FALSE;
  }
  return TRUE;
}

gboolean store_exec(ModelStore *store, const char *sql, GError **error) {
  if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    store_set_io_error(error, store->db, store->path, sql);
    return FALSE;
  }
  return TRUE;
}

gboolean store_begin_write(ModelStore *store, GError **error) {
  g_assert(sqlite3_get_autocommit(store->db));
  return exec_cached(store, "BEGIN IMMEDIATE", error);
}

gboolean store_commit(ModelStore *store, GError **error) {
  if (!exec_cached(store, "COMMIT", error)) {
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

void store_rollback(ModelStore *store) {
  if (!sqlite3_get_autocommit(store->db))
    (void)sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
  g_assert(sqlite3_get_autocommit(store->db));
}

/* ---- binding ------------------------------------------------------------ */

StoreBinder store_binder(sqlite3_stmt *stmt) {
  return (StoreBinder){.stmt = stmt, .column = 0, .rc = SQLITE_OK};
}

/* Advances to the next column unless a bind already failed, so that `column` names
 * the failing one.  Returns FALSE when binding has stopped. */
static gboolean next_column(StoreBinder *binder) {
  if (binder->rc != SQLITE_OK)
    return FALSE;
  binder->column++;
  return TRUE;
}

void store_bind_text(StoreBinder *binder, const char *text) {
  if (!next_column(binder))
    return;
  binder->rc = text != NULL
                   ? sqlite3_bind_text(binder->stmt, binder->column, text, -1, SQLITE_TRANSIENT)
                   : sqlite3_bind_null(binder->stmt, binder->column);
}

void store_bind_int(StoreBinder *binder, gint64 value) {
  if (next_column(binder))
    binder->rc = sqlite3_bind_int64(binder->stmt, binder->column, value);
}

void store_bind_optional_int(StoreBinder *binder, gint64 value) {
  if (value < 0)
    store_bind_null(binder);
  else
    store_bind_int(binder, value);
}

void store_bind_double(StoreBinder *binder, double value) {
  if (next_column(binder))
    binder->rc = sqlite3_bind_double(binder->stmt, binder->column, value);
}

void store_bind_null(StoreBinder *binder) {
  if (next_column(binder))
    binder->rc = sqlite3_bind_null(binder->stmt, binder->column);
}

void store_bind_date(StoreBinder *binder, ModelDate date) {
  char text[11];
  model_date_format(date, text);
  store_bind_text(binder, text);
}

gboolean store_binder_ok(const StoreBinder *binder, ModelStore *store, GError **error) {
  if (binder->rc == SQLITE_OK)
    return TRUE;
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot bind parameter %d: %s", store->path,
              binder->column, sqlite3_errstr(binder->rc));
  return FALSE;
}
