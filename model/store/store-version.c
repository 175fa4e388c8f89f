/* store-version.c: a cheap fingerprint of "has anything been committed since?" for one
 * connection, so a reader can keep what it computed from the store for exactly as
 * long as the store stays as it was (the HTTP API's response cache, api/cache.h).
 *
 * Each driver reads its own fingerprint.  SQLite: PRAGMA data_version (commits of every
 * other connection) with the connection's own change count.  PostgreSQL: the counter
 * of the version row, which every write transaction bumps as its first statement and
 * so commits together with everything it changed (driver-pg.c); a reader of any
 * instance sees the new counter exactly when it can see the new data.
 *
 * A probe belongs to one store: versions read through different stores mean nothing
 * to each other.
 */
#include "store-private.h"

struct ModelStoreVersionProbe {
  ModelStore *store; /* borrowed; outlives the probe */
};

ModelStoreVersionProbe *model_store_version_probe_new(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  ModelStoreVersionProbe *probe = g_new0(ModelStoreVersionProbe, 1);
  probe->store = store;
  return probe;
}

void model_store_version_probe_free(ModelStoreVersionProbe *probe) {
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
  gint64 data_version = 0, changes = 0;
  if (!store->driver->version(store, &data_version, &changes)) {
    store_set_io_error(error, store, "cannot read the data version");
    return FALSE;
  }
  *out_data_version = data_version;
  *out_changes = changes;
  return TRUE;
}

gboolean model_store_version(ModelStore *store, gint64 *out_data_version, gint64 *out_changes,
                             GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  g_autoptr(ModelStoreVersionProbe) probe = model_store_version_probe_new(store, error);
  return probe != NULL &&
         model_store_version_probe_read(probe, out_data_version, out_changes, error);
}
