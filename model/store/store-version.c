/* store-version.c: a cheap fingerprint of "has anything been committed since?" for one
 * connection, so a reader can keep what it computed from the store for exactly as
 * long as the store stays as it was (the HTTP API's response cache, api/cache.h).
 *
 * Two counters together cover every commit.  PRAGMA data_version changes when any
 * OTHER connection commits (another thread, a round worker, `handen import` or any
 * other process on the same file); it begins a read transaction to find out, so in
 * WAL mode it sees a commit as soon as this connection's next read would.
 * sqlite3_total_changes() counts the rows this connection changed itself, which
 * data_version deliberately leaves out.  A rolled-back write still counts: that is
 * only a false "changed", never a missed one.
 *
 * A probe keeps the pragma prepared for a caller that asks on every request: preparing
 * it is most of the cost of asking (the parser, an allocation, a finalise), the step
 * itself only reads the WAL index.  The probe's statement belongs to the store's
 * connection, so the probe must be freed before the store (model_store_free() asserts
 * that no statement is left).
 */
#include "store-private.h"

struct ModelStoreVersionProbe {
  ModelStore *store;  /* borrowed; outlives the probe */
  sqlite3_stmt *stmt; /* "PRAGMA data_version", reset after every read */
};

ModelStoreVersionProbe *model_store_version_probe_new(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  sqlite3_stmt *stmt = store_prepare(store, "PRAGMA data_version", error);
  if (stmt == NULL)
    return NULL;
  ModelStoreVersionProbe *probe = g_new0(ModelStoreVersionProbe, 1);
  probe->store = store;
  probe->stmt = stmt;
  return probe;
}

void model_store_version_probe_free(ModelStoreVersionProbe *probe) {
  if (probe == NULL)
    return;
  sqlite3_finalize(probe->stmt);
  g_free(probe);
}

ModelStore *model_store_version_probe_store(const ModelStoreVersionProbe *probe) {
  g_return_val_if_fail(probe != NULL, NULL);
  return probe->store;
}

gboolean model_store_version_probe_read(ModelStoreVersionProbe *probe, gint64 *out_data_version,
                                        gint64 *out_changes, GError **error) {
  g_return_val_if_fail(probe != NULL, FALSE);
  g_return_val_if_fail(out_data_version != NULL && out_changes != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
  ModelStore *store = probe->store;
  int rc = sqlite3_step(probe->stmt);
  gint64 data_version = rc == SQLITE_ROW ? sqlite3_column_int64(probe->stmt, 0) : 0;
  if (rc != SQLITE_ROW) {
    store_set_io_error(error, store->db, store->path, "cannot read the data version");
    (void)sqlite3_reset(probe->stmt);
    return FALSE;
  }
  /* Resetting ends the read transaction the step began (outside a transaction). */
  if (sqlite3_reset(probe->stmt) != SQLITE_OK) {
    store_set_io_error(error, store->db, store->path, "cannot read the data version");
    return FALSE;
  }
  *out_data_version = data_version;
  *out_changes = sqlite3_total_changes64(store->db);
  return TRUE;
}

gboolean model_store_version(ModelStore *store, gint64 *out_data_version, gint64 *out_changes,
                             GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  g_autoptr(ModelStoreVersionProbe) probe = model_store_version_probe_new(store, error);
  return probe != NULL &&
         model_store_version_probe_read(probe, out_data_version, out_changes, error);
}
