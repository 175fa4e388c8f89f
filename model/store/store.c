/* store.c: the life of a store connection (open, free) and the helpers every store
 * file shares: transactions, the statement cache, parameter binding and the wording of
 * a driver's failures as GErrors.  Invariants: a ModelStore always holds an open,
 * migrated connection; no transaction stays open between calls of the public API;
 * every cached statement is reset and unbound while no one borrows it; every message
 * names the database or the object it is about.
 */
#include <string.h>

#include "store-private.h"

/* Finalises a cached statement; it must not be lent (a borrower outliving its store). */
static void cache_entry_free(gpointer data) {
  StoreCacheEntry *entry = data;
  g_assert(!entry->lent);
  store_finalize(entry->stmt);
  g_free(entry);
}

ModelStore *model_store_open(const char *path, GError **error) {
  g_return_val_if_fail(path != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  ModelStore *store = g_new0(ModelStore, 1);
  store->driver = store_driver_for(path);
  store->path = store_target_display(path);
  store->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, cache_entry_free);
  if (!store->driver->open(store, path, error)) {
    g_hash_table_destroy(store->cache);
    g_free(store->path);
    g_free(store);
    return NULL;
  }
  return store;
}

void model_store_free(ModelStore *store) {
  if (store == NULL)
    return;
  /* The cached statements are finalised here and every other one by its function; the
   * driver asserts that none is left. */
  g_hash_table_destroy(store->cache);
  store->driver->close(store);
  g_free(store->path);
  g_free(store->coordinator_mail);
  g_free(store);
}

gboolean model_store_is_postgresql(const char *target) {
  return store_driver_for(target) == &store_driver_pg;
}

/* ---- errors ------------------------------------------------------------- */

void store_set_io_error(GError **error, ModelStore *store, const char *what) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s: %s", store->path, what,
              store_errmsg(store));
}

/* The human message for a failed constraint.  CHECK constraints are named by their
 * message (schema.c, schema-pg.c), so that name is passed on; the other kinds are
 * worded here, the same for every backend. */
static char *constraint_message(const StoreFailure *failure, const char *missing_reference) {
  switch (failure->kind) {
  case STORE_FAILURE_CHECK:
    return g_strdup(failure->rule);
  case STORE_FAILURE_FOREIGN_KEY:
    return g_strdup(missing_reference != NULL ? missing_reference
                                              : "refers to an object that does not exist");
  case STORE_FAILURE_PRIMARY_KEY:
    return g_strdup("the id is already taken");
  case STORE_FAILURE_UNIQUE:
    if (strstr(failure->rule, "assignments.employee_id") != NULL ||
        strstr(failure->rule, "assignments_one_approved_per_slot") != NULL)
      return g_strdup("an employee can have only one approved assignment per day part");
    if (strstr(failure->rule, "district_neighbours.neighbour_id") != NULL ||
        strstr(failure->rule, "neighbour only once") != NULL)
      return g_strdup("a district is listed as a neighbour only once");
    return g_strdup_printf("breaks a uniqueness rule (%s)", failure->message);
  case STORE_FAILURE_NOT_NULL:
    return g_strdup_printf("%s is missing", failure->rule);
  case STORE_FAILURE_RAISED:
    return g_strdup(failure->message);
  case STORE_FAILURE_OTHER_RULE:
  case STORE_FAILURE_IO:
  default:
    return g_strdup_printf("breaks a database rule (%s)", failure->message);
  }
}

/* Sets the error of a write step that answered `rc` and resets the statement. */
static gboolean write_failed(ModelStore *store, StoreStmt *stmt, StoreStepResult rc,
                             const char *kind, const char *id, const char *missing_reference,
                             GError **error) {
  /* The failure belongs to this step; read it before reset can replace it. */
  StoreFailure failure = {0};
  store->driver->failure(store, &failure);
  if (rc == STORE_ROW) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s/%s: a write answered a row",
                store->path, kind, id);
  } else if (failure.kind != STORE_FAILURE_IO) {
    g_autofree char *message = constraint_message(&failure, missing_reference);
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "%s/%s: %s", kind, id, message);
  } else {
    g_autofree char *what = g_strdup_printf("cannot store %s/%s", kind, id);
    store_set_io_error(error, store, what);
  }
  store_reset(stmt);
  return FALSE;
}

gboolean store_step_write(ModelStore *store, StoreStmt *stmt, const char *kind, const char *id,
                          const char *missing_reference, GError **error) {
  StoreStepResult rc = store_step(stmt);
  if (rc != STORE_DONE)
    return write_failed(store, stmt, rc, kind, id, missing_reference, error);
  store_reset(stmt);
  return TRUE;
}

gboolean store_step_returning_id(ModelStore *store, StoreStmt *stmt, const char *kind,
                                 gint64 *out_id, GError **error) {
  StoreStepResult rc = store_step(stmt);
  if (rc != STORE_ROW)
    return write_failed(store, stmt, rc == STORE_DONE ? STORE_ERROR : rc, kind, "new", NULL, error);
  gint64 id = store_column_int64(stmt, 0);
  if ((rc = store_step(stmt)) != STORE_DONE)
    return write_failed(store, stmt, rc, kind, "new", NULL, error);
  store_reset(stmt);
  *out_id = id;
  return TRUE;
}

/* ---- statements and transactions --------------------------------------- */

StoreStmt *store_prepare(ModelStore *store, const char *sql, GError **error) {
  StoreStmt *stmt = store->driver->prepare(store, sql, FALSE);
  if (stmt == NULL)
    store_set_io_error(error, store, "cannot prepare a statement");
  return stmt;
}

StoreStmt *store_cached(ModelStore *store, const char *sql, StoreCached *out, GError **error) {
  g_assert(out->entry == NULL);
  StoreCacheEntry *entry = g_hash_table_lookup(store->cache, sql);
  if (entry == NULL) {
    StoreStmt *stmt = store->driver->prepare(store, sql, TRUE);
    if (stmt == NULL) {
      store_set_io_error(error, store, "cannot prepare a statement");
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
  store_reset(cached->entry->stmt);
  cached->entry->lent = FALSE;
  cached->entry = NULL;
}

gboolean store_exec(ModelStore *store, const char *sql, GError **error) {
  if (!store->driver->exec(store, sql)) {
    store_set_io_error(error, store, sql);
    return FALSE;
  }
  return TRUE;
}

gboolean store_begin_write(ModelStore *store, GError **error) {
  g_assert(!store->driver->in_transaction(store));
  if (!store->driver->begin_write(store)) {
    store_set_io_error(error, store, "cannot begin a write transaction");
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean store_begin_read(ModelStore *store, GError **error) {
  if (!store->driver->begin_read(store)) {
    store_set_io_error(error, store, "cannot begin a read transaction");
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean store_commit(ModelStore *store, GError **error) {
  if (!store->driver->commit(store)) {
    store_set_io_error(error, store, "COMMIT");
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

void store_rollback(ModelStore *store) {
  if (store->driver->in_transaction(store))
    store->driver->rollback(store);
  g_assert(!store->driver->in_transaction(store));
}

/* ---- binding ------------------------------------------------------------ */

StoreBinder store_binder(StoreStmt *stmt) {
  return (StoreBinder){.stmt = stmt, .column = 0, .ok = TRUE};
}

/* Advances to the next column unless a bind already failed, so that `column` names
 * the failing one.  Returns FALSE when binding has stopped. */
static gboolean next_column(StoreBinder *binder) {
  if (!binder->ok)
    return FALSE;
  binder->column++;
  return TRUE;
}

void store_bind_text(StoreBinder *binder, const char *text) {
  if (next_column(binder))
    binder->ok = store_bind_text_at(binder->stmt, binder->column, text);
}

void store_bind_int(StoreBinder *binder, gint64 value) {
  if (next_column(binder))
    binder->ok = store_bind_int_at(binder->stmt, binder->column, value);
}

void store_bind_optional_int(StoreBinder *binder, gint64 value) {
  if (value < 0)
    store_bind_null(binder);
  else
    store_bind_int(binder, value);
}

void store_bind_double(StoreBinder *binder, double value) {
  if (next_column(binder))
    binder->ok = binder->stmt->driver->bind_double(binder->stmt, binder->column, value);
}

void store_bind_null(StoreBinder *binder) {
  if (next_column(binder))
    binder->ok = binder->stmt->driver->bind_null(binder->stmt, binder->column);
}

void store_bind_date(StoreBinder *binder, ModelDate date) {
  char text[11];
  model_date_format(date, text);
  store_bind_text(binder, text);
}

gboolean store_binder_ok(const StoreBinder *binder, ModelStore *store, GError **error) {
  if (binder->ok)
    return TRUE;
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot bind parameter %d: %s", store->path,
              binder->column, store_errmsg(store));
  return FALSE;
}

/* ---- the driver's statements ----------------------------------------------- */

StoreStmt *store_prepare_quiet(ModelStore *store, const char *sql, gboolean persistent) {
  return store->driver->prepare(store, sql, persistent);
}

void store_finalize(StoreStmt *stmt) {
  if (stmt != NULL)
    stmt->driver->finalize(stmt);
}

void store_reset(StoreStmt *stmt) {
  stmt->driver->reset(stmt);
}

int store_parameter_index(StoreStmt *stmt, const char *name) {
  return stmt->driver->parameter_index(stmt, name);
}

gboolean store_bind_text_at(StoreStmt *stmt, int index, const char *text) {
  return stmt->driver->bind_text(stmt, index, text); /* NULL binds a NULL text */
}

gboolean store_bind_int_at(StoreStmt *stmt, int index, gint64 value) {
  return stmt->driver->bind_int(stmt, index, value);
}

gboolean store_bind_blob_at(StoreStmt *stmt, int index, const void *data, gsize size) {
  return stmt->driver->bind_blob(stmt, index, data, size);
}

StoreStepResult store_step(StoreStmt *stmt) {
  return stmt->driver->step(stmt);
}

int store_column_count(StoreStmt *stmt) {
  return stmt->driver->column_count(stmt);
}

const char *store_column_name(StoreStmt *stmt, int column) {
  return stmt->driver->column_name(stmt, column);
}

gboolean store_column_is_null(StoreStmt *stmt, int column) {
  return stmt->driver->column_is_null(stmt, column);
}

gint64 store_column_int64(StoreStmt *stmt, int column) {
  return stmt->driver->column_int64(stmt, column);
}

int store_column_int(StoreStmt *stmt, int column) {
  return (int)stmt->driver->column_int64(stmt, column);
}

double store_column_double(StoreStmt *stmt, int column) {
  return stmt->driver->column_double(stmt, column);
}

const char *store_column_text(StoreStmt *stmt, int column) {
  return stmt->driver->column_text(stmt, column);
}

guint8 *store_column_blob(StoreStmt *stmt, int column, gsize *out_size) {
  return stmt->driver->column_blob(stmt, column, out_size);
}

gint64 store_changes(ModelStore *store) {
  return store->driver->changes(store);
}

const char *store_errmsg(ModelStore *store) {
  StoreFailure failure = {0};
  store->driver->failure(store, &failure);
  return failure.message != NULL ? failure.message : "unknown error";
}

const StoreDriver *store_driver_for(const char *target) {
  if (g_str_has_prefix(target, "postgresql://") || g_str_has_prefix(target, "postgres://") ||
      strcmp(target, "postgresql:") == 0)
    return &store_driver_pg;
  return &store_driver_sqlite;
}

char *store_target_display(const char *target) {
  if (store_driver_for(target) != &store_driver_pg)
    return g_strdup(target);
  /* postgresql://user:secret@host/db?password=secret: drop both secrets. */
  GString *shown = g_string_new(NULL);
  const char *scheme_end = strstr(target, "://");
  const char *rest = target;
  if (scheme_end != NULL) {
    const char *authority = scheme_end + 3;
    const char *authority_end = authority + strcspn(authority, "/?");
    const char *at = memchr(authority, '@', (gsize)(authority_end - authority));
    const char *colon = at != NULL ? memchr(authority, ':', (gsize)(at - authority)) : NULL;
    if (colon != NULL) {
      g_string_append_len(shown, target, colon - target);
      rest = at;
    }
  }
  for (const char *c = rest; *c != '\0';) {
    if (g_str_has_prefix(c, "password=")) {
      g_string_append(shown, "password=***");
      c += strcspn(c, "&");
    } else {
      g_string_append_c(shown, *c++);
    }
  }
  return g_string_free(shown, FALSE);
}
