/* ops-audit.c: the audit trail of decisions and token changes: who did what to which
 * object, when, and in which district.  Invariant: rows are only ever appended (the
 * schema refuses updates); a decision writes its row in its own transaction, so the
 * trail never misses a stored decision nor records one that was rolled back.
 */
#include <string.h>

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

/* `text` as a LIKE pattern that matches it anywhere, with the wildcards in it taken
 * literally (escaped with '!'), in lower case (transfer full). */
static char *contains_pattern(const char *text) {
  GString *pattern = g_string_new("%");
  for (const char *c = text; *c != '\0'; c++) {
    if (*c == '%' || *c == '_' || *c == '!')
      g_string_append_c(pattern, '!');
    g_string_append_c(pattern, g_ascii_tolower(*c));
  }
  g_string_append_c(pattern, '%');
  return g_string_free(pattern, FALSE);
}

GPtrArray *model_store_audit_list(ModelStore *store, const ModelAuditQuery *query, GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  /* One text per combination of filters, every value bound. */
  g_autofree char *sql = g_strdup_printf(
      "SELECT id, at, actor, action, object, detail, district FROM audit_log WHERE %s%s%s"
      " ORDER BY id%s",
      query->newest ? (query->cursor > 0 ? "id < ?" : "id > ?") : "id > ?",
      query->actor != NULL ? " AND lower(actor) LIKE ? ESCAPE '!'" : "",
      query->action != NULL ? " AND (action = ? OR action LIKE ? ESCAPE '!')" : "",
      query->newest ? " DESC" : "");
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, query->cursor);
  g_autofree char *actor = query->actor != NULL ? contains_pattern(query->actor) : NULL;
  if (actor != NULL)
    store_bind_text(&b, actor);
  g_autofree char *family = NULL;
  if (query->action != NULL) {
    g_autofree char *prefix = contains_pattern(query->action);
    /* "%proposal%" to "proposal.%": the family is a prefix, the wildcards escaped. */
    prefix[strlen(prefix) - 1] = '\0';
    family = g_strconcat(prefix + 1, ".%", NULL);
    store_bind_text(&b, query->action);
    store_bind_text(&b, family);
  }
  if (!store_binder_ok(&b, store, error))
    return NULL;
  const char *const *districts = query->districts;
  guint limit = query->limit;
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
