/* subscriptions.c: calendar subscriptions (store-subscriptions.h).  Invariants: the
 * secret is stored only as its SHA-256 and has the shape of a token's, so a lookup
 * of anything else never reaches the database; a revoked subscription stays listed
 * and never finds its feed again.
 */
#include <string.h>

#include "ops-private.h"
#include "store-subscriptions.h"

void model_subscription_free(ModelSubscription *subscription) {
  if (subscription == NULL)
    return;
  g_free(subscription->feed);
  g_free(subscription->target);
  g_free(subscription->owner);
  g_free(subscription->created_at);
  g_free(subscription->revoked_at);
  g_free(subscription);
}

#define SUBSCRIPTION_COLUMNS "id, feed, target, owner, created_at, revoked_at"

static ModelSubscription *read_subscription(StoreStmt *stmt) {
  ModelSubscription *s = g_new0(ModelSubscription, 1);
  s->id = store_column_int64(stmt, 0);
  s->feed = g_strdup(store_column_text(stmt, 1));
  s->target = g_strdup(store_column_text(stmt, 2));
  s->owner = g_strdup(store_column_text(stmt, 3));
  s->created_at = g_strdup(store_column_text(stmt, 4));
  s->revoked_at = g_strdup(store_column_text(stmt, 5));
  return s;
}

/* Steps `stmt` to its end, one subscription a row (transfer full). */
static GPtrArray *read_all(ModelStore *store, StoreStmt *stmt, GError **error) {
  return ops_read_list(store, stmt, (OpsReadFunc)read_subscription,
                       (GDestroyNotify)model_subscription_free, "cannot read the subscriptions",
                       error);
}

static gboolean create_in_transaction(ModelStore *store, const char *actor, const char *owner,
                                      const char *feed, const char *target, const guint8 *hash,
                                      gint64 *out_id, GError **error) {
  g_autoptr(StoreStmt) stmt =
      store_prepare(store,
                    "INSERT INTO subscriptions (secret_hash, feed, target, owner, created_at)"
                    " VALUES (?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
                    " RETURNING id",
                    error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  b.column = 1;
  b.ok = store_bind_blob_at(stmt, 1, hash, MODEL_TOKEN_HASH_BYTES);
  gint64 id = 0;
  store_bind_text(&b, feed);
  store_bind_text(&b, target);
  store_bind_text(&b, owner);
  if (!store_binder_ok(&b, store, error) ||
      !store_step_returning_id(store, stmt, "subscriptions", &id, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("subscriptions/%" G_GINT64_FORMAT, id);
  g_autofree char *detail = g_strdup_printf("%s feed %s, for %s", feed, target, owner);
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  if (!ops_audit_write(store, actor, "subscription.create", object, detail, NULL, now, error))
    return FALSE;
  *out_id = id;
  return TRUE;
}

gboolean model_store_subscription_create(ModelStore *store, const char *actor, const char *owner,
                                         const char *feed, const char *target, gint64 *out_id,
                                         char **out_secret, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL && owner != NULL, FALSE);
  g_return_val_if_fail(feed != NULL && target != NULL && out_id != NULL && out_secret != NULL,
                       FALSE);
  char *secret = ops_token_secret(error);
  if (secret == NULL)
    return FALSE;
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(secret, hash);
  if (!store_begin_write(store, error)) {
    g_free(secret);
    return FALSE;
  }
  gint64 id = 0;
  gboolean ok = create_in_transaction(store, actor, owner, feed, target, hash, &id, error);
  if (!ops_finish(store, ok, error)) {
    explicit_bzero(secret, strlen(secret));
    g_free(secret);
    return FALSE;
  }
  *out_id = id;
  *out_secret = secret;
  return TRUE;
}

GPtrArray *model_store_subscription_list(ModelStore *store, const char *owner, GError **error) {
  g_return_val_if_fail(store != NULL && owner != NULL, NULL);
  g_autoptr(StoreStmt) stmt = ops_prepare_text(
      store, "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions WHERE owner = ? ORDER BY id",
      owner, error);
  return stmt != NULL ? read_all(store, stmt, error) : NULL;
}

static gboolean revoke_in_transaction(ModelStore *store, const char *actor, const char *owner,
                                      gint64 id, GError **error) {
  g_autoptr(StoreStmt) stmt = ops_prepare_text(
      store, "SELECT revoked_at IS NOT NULL FROM subscriptions WHERE owner = ?1 AND id = ?2", owner,
      error);
  if (stmt == NULL)
    return FALSE;
  if (!store_bind_int_at(stmt, 2, id)) {
    store_set_io_error(error, store, "cannot read the subscription");
    return FALSE;
  }
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND,
                "no subscription with id %" G_GINT64_FORMAT, id);
    return FALSE;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read the subscription");
    return FALSE;
  }
  if (store_column_int(stmt, 0) != 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                "subscription %" G_GINT64_FORMAT " is already revoked", id);
    return FALSE;
  }
  g_autofree char *object = g_strdup_printf("subscriptions/%" G_GINT64_FORMAT, id);
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  g_autofree char *sql = g_strdup_printf(
      "UPDATE subscriptions SET revoked_at = strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')"
      " WHERE id = %" G_GINT64_FORMAT,
      id);
  return store_exec(store, sql, error) &&
         ops_audit_write(store, actor, "subscription.revoke", object, NULL, NULL, now, error);
}

gboolean model_store_subscription_revoke(ModelStore *store, const char *actor, const char *owner,
                                         gint64 id, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL && owner != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = revoke_in_transaction(store, actor, owner, id, error);
  return ops_finish(store, ok, error);
}

ModelSubscription *model_store_subscription_lookup(ModelStore *store, const char *secret,
                                                   GError **error) {
  g_return_val_if_fail(store != NULL && secret != NULL, NULL);
  if (!ops_token_secret_well_formed(secret)) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no such subscription");
    return NULL;
  }
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(secret, hash);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store,
                                 "SELECT " SUBSCRIPTION_COLUMNS " FROM subscriptions"
                                 " WHERE secret_hash = ?1 AND revoked_at IS NULL",
                                 &cached, error);
  if (stmt == NULL)
    return NULL;
  if (!store_bind_blob_at(stmt, 1, hash, sizeof hash)) {
    store_set_io_error(error, store, "cannot look up a subscription");
    return NULL;
  }
  int rc = store_step(stmt);
  if (rc == STORE_ROW)
    return read_subscription(stmt);
  if (rc == STORE_DONE)
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no such subscription");
  else
    store_set_io_error(error, store, "cannot look up a subscription");
  return NULL;
}
