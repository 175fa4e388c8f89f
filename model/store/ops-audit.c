/* ops-audit.c: the audit trail of decisions and token changes: who did what to which
 * object, when, and in which district.  Invariant: rows are only ever appended (the
 * schema refuses updates); a decision writes its row in its own transaction, so the
 * trail never misses a stored decision nor records one that was rolled back.
 */
#include "ops-private.h"

void model_audit_entry_free(ModelAuditEntry *entry) {
  if (entry == NULL)
    return;
  g_free(entry->at);
  g_free(entry->actor);
  g_free(entry->action);
  g_free(entry->object);
  g_free(entry->detail);
  g_free(entry->district);
  g_free(entry);
}

gboolean ops_audit_write(ModelStore *store, const char *actor, const char *action,
                         const char *object, const char *detail, const char *district, gint64 now,
                         GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt =
      store_cached(store,
                   "INSERT INTO audit_log (at, actor, action, object, detail, district)"
                   " VALUES (" OPS_TIME_SQL ", ?, ?, ?, ?, ?)",
                   &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_text(&b, actor);
  store_bind_text(&b, action);
  store_bind_text(&b, object);
  store_bind_text(&b, detail);
  store_bind_text(&b, district);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "audit_log", action, NULL, error);
}

gboolean model_store_audit_append(ModelStore *store, const char *actor, const char *action,
                                  const char *object, const char *detail, const char *district,
                                  gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL && action != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = ops_audit_write(store, actor, action, object, detail, district, now, error);
  return ops_finish(store, ok, error);
}

/* Whether `district` is one of `districts` (NULL-terminated). */
static gboolean listed(const char *const *districts, const char *district) {
  for (gsize i = 0; district != NULL && districts[i] != NULL; i++)
    if (g_strcmp0(districts[i], district) == 0)
      return TRUE;
  return FALSE;
}

GPtrArray *model_store_audit_list(ModelStore *store, gint64 after, guint limit,
                                  const char *const *districts, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_autoptr(StoreStmt) stmt =
      store_prepare(store,
                    "SELECT id, at, actor, action, object, detail, district FROM audit_log"
                    " WHERE id > ? ORDER BY id",
                    error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, after);
  if (!store_binder_ok(&b, store, error))
    return NULL;
  g_autoptr(GPtrArray) entries =
      g_ptr_array_new_with_free_func((GDestroyNotify)model_audit_entry_free);
  int rc = STORE_DONE;
  while (entries->len < limit && (rc = store_step(stmt)) == STORE_ROW) {
    const char *district = store_column_text(stmt, 6);
    if (districts != NULL && !listed(districts, district))
      continue;
    ModelAuditEntry *entry = g_new0(ModelAuditEntry, 1);
    entry->id = store_column_int64(stmt, 0);
    entry->at = g_strdup(store_column_text(stmt, 1));
    entry->actor = g_strdup(store_column_text(stmt, 2));
    entry->action = g_strdup(store_column_text(stmt, 3));
    entry->object = g_strdup(store_column_text(stmt, 4));
    entry->detail = g_strdup(store_column_text(stmt, 5));
    entry->district = g_strdup(district);
    g_ptr_array_add(entries, entry);
  }
  if (entries->len < limit && rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read the audit log");
    return NULL;
  }
  return g_steal_pointer(&entries);
}
