/* store-subscriptions.h: calendar subscriptions.  A school, an organisation (for one
 * of its employees) or a coordinator makes a secret URL for one feed, which calendar
 * apps fetch without a token; the secret is shown once and only its SHA-256 is kept,
 * as for tokens.  A subscription is listed and revoked by the scope that made it (its
 * owner); a revoked or unknown secret finds nothing.  Ownership: (transfer full)
 * results belong to the caller.
 */
#pragma once

#include "store-tokens.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;
  char *feed;   /* "school" or "employee" */
  char *target; /* the school's or the employee's id */
  char *owner;  /* "school:ID", "organisation:ID" or "coordinator" */
  char *created_at;
  char *revoked_at; /* NULL while valid */
} ModelSubscription;

void model_subscription_free(ModelSubscription *subscription); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelSubscription, model_subscription_free)

/* Makes a subscription to `feed` ("school" or "employee") `target` for `owner`, with
 * an audit row by `actor`, in one transaction; writes its id and secret (transfer
 * full; the only copy).  The caller has checked that `owner` may read the feed.
 * MODEL_ERROR_IO when the store fails; nothing is stored then. */
gboolean model_store_subscription_create(ModelStore *store, const char *actor, const char *owner,
                                         const char *feed, const char *target, gint64 *out_id,
                                         char **out_secret, GError **error);

/* The subscriptions of `owner`, revoked ones included, by id (transfer full). */
GPtrArray *model_store_subscription_list(ModelStore *store, const char *owner, GError **error);

/* Revokes subscription `id` of `owner`, with an audit row.  MODEL_ERROR_NOT_FOUND
 * when `owner` has no such subscription, MODEL_ERROR_CONFLICT when it is revoked. */
gboolean model_store_subscription_revoke(ModelStore *store, const char *actor, const char *owner,
                                         gint64 id, GError **error);

/* The valid subscription whose secret is `secret` (transfer full), or NULL with
 * MODEL_ERROR_NOT_FOUND (also for a revoked one) or MODEL_ERROR_IO. */
ModelSubscription *model_store_subscription_lookup(ModelStore *store, const char *secret,
                                                   GError **error);

G_END_DECLS
