/* ops-common.c: what the store operations of the HTTP API share: fresh ids, slot
 * rules, one-parameter statements, pages of a list and the end of a transaction.  Table and column
 * names passed here are fixed strings of this layer, never input; values are always
 * bound parameters.
 */
#include "ops-private.h"

StoreStmt *ops_prepare_text(ModelStore *store, const char *sql, const char *value, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, value);
  if (!store_binder_ok(&b, store, error))
    return NULL;
  return g_steal_pointer(&stmt);
}

gboolean ops_lookup_text(ModelStore *store, const char *sql, const char *key, const char *failure,
                         gboolean *out_found, char **out_text, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, sql, &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, key);
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  int rc = store_step(stmt);
  if (rc != STORE_ROW && rc != STORE_DONE) {
    store_set_io_error(error, store, failure);
    return FALSE;
  }
  *out_found = rc == STORE_ROW;
  if (out_text != NULL)
    *out_text = rc == STORE_ROW ? g_strdup(store_column_text(stmt, 0)) : NULL;
  return TRUE;
}

gboolean ops_exists(ModelStore *store, const char *table, const char *id, gboolean *out_exists,
                    GError **error) {
  g_autofree char *sql = g_strdup_printf("SELECT 1 FROM %s WHERE id = ?", table);
  return ops_lookup_text(store, sql, id, "cannot read the store", out_exists, NULL, error);
}

char *ops_next_id(ModelStore *store, const char *table, const char *prefix, GError **error) {
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM %s", table);
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (store_step(stmt) != STORE_ROW) {
    store_set_io_error(error, store, "cannot count rows");
    return NULL;
  }
  gint64 n = store_column_int64(stmt, 0) + 1;
  /* At most count + 1 tries: the ids "PREFIX-1" .. "PREFIX-(count+1)" cannot all be
   * taken by count rows. */
  for (;; n++) {
    g_autofree char *id = g_strdup_printf("%s-%" G_GINT64_FORMAT, prefix, n);
    gboolean taken = FALSE;
    if (!ops_exists(store, table, id, &taken, error))
      return NULL;
    if (!taken)
      return g_steal_pointer(&id);
  }
}

gboolean ops_step_done(ModelStore *store, StoreStmt *stmt, const char *failure, GError **error) {
  if (store_step(stmt) != STORE_DONE) {
    store_set_io_error(error, store, failure);
    return FALSE;
  }
  return TRUE;
}

gboolean ops_exec_text(ModelStore *store, const char *sql, const char *value, GError **error) {
  g_autoptr(StoreStmt) stmt = ops_prepare_text(store, sql, value, error);
  return stmt != NULL && ops_step_done(store, stmt, "cannot write the store", error);
}

gboolean ops_write_rules(ModelStore *store, const char *table, const char *owner_column,
                         const char *kind, const char *id, const GArray *rules, GError **error) {
  g_autofree char *clear = g_strdup_printf("DELETE FROM %s WHERE %s = ?", table, owner_column);
  if (!ops_exec_text(store, clear, id, error))
    return FALSE;
  g_autofree char *sql = g_strdup_printf("INSERT INTO %s (%s, position, kind, from_date, to_date,"
                                         " weekdays, parts) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                         table, owner_column);
  g_autoptr(StoreStmt) insert = store_prepare(store, sql, error);
  if (insert == NULL)
    return FALSE;
  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    StoreBinder b = store_binder(insert);
    store_bind_rule(&b, id, i, &g_array_index(rules, ModelSlotRule, i));
    if (!store_binder_ok(&b, store, error) ||
        !store_step_write(store, insert, kind, id, NULL, error))
      return FALSE;
  }
  return TRUE;
}

char *ops_districts_json(const char *const *districts) {
  if (districts == NULL)
    return NULL;
  GString *text = g_string_new("[");
  for (gsize i = 0; districts[i] != NULL; i++) {
    g_string_append(text, i > 0 ? ",\"" : "\"");
    for (const char *c = districts[i]; *c != '\0'; c++) {
      if (*c == '"' || *c == '\\')
        g_string_append_c(text, '\\');
      if ((guchar)*c < 0x20)
        g_string_append_printf(text, "\\u%04x", (guchar)*c);
      else
        g_string_append_c(text, *c);
    }
    g_string_append_c(text, '"');
  }
  g_string_append_c(text, ']');
  return g_string_free(text, FALSE);
}

StoreStmt *ops_prepare_page(ModelStore *store, const char *sql, gint64 from, guint limit,
                            const char *const *districts, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return NULL;
  g_autofree char *scope = ops_districts_json(districts);
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, from);
  store_bind_int(&b, limit);
  store_bind_text(&b, scope);
  if (!store_binder_ok(&b, store, error))
    return NULL;
  return g_steal_pointer(&stmt);
}

GPtrArray *ops_read_list(ModelStore *store, StoreStmt *stmt, OpsReadFunc read,
                         GDestroyNotify free_func, const char *failure, GError **error) {
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(free_func);
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW)
    g_ptr_array_add(list, read(stmt));
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, failure);
    return NULL;
  }
  return g_steal_pointer(&list);
}

gboolean ops_finish(ModelStore *store, gboolean ok, GError **error) {
  if (!ok) {
    store_rollback(store);
    return FALSE;
  }
  return store_commit(store, error);
}
