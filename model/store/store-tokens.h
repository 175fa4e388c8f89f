/* store-tokens.h: the access tokens of the HTTP API, kept in the store.  A token's
 * secret is "hnd_" followed by 32 random bytes in unpadded base64url (47 characters,
 * 256 bits); it is shown once, when created, and the store keeps only its SHA-256.
 * Every creation and revocation is written to the audit log in the same transaction.
 *
 * This layer knows nothing of HTTP: a token is described by plain fields
 * (ModelTokenInfo), which the API turns into its principal.  Ownership: functions
 * marked (transfer full) hand their result to the caller.
 */
#pragma once

#include "store.h"

G_BEGIN_DECLS

#define MODEL_TOKEN_PREFIX "hnd_"
#define MODEL_TOKEN_SECRET_BYTES 32
/* strlen(MODEL_TOKEN_PREFIX) + unpadded base64 of 32 bytes */
#define MODEL_TOKEN_LENGTH (4 + 43)
#define MODEL_TOKEN_HASH_BYTES 32

typedef struct {
  gint64 id;
  ModelRole role;
  char *school_id;       /* role school, else NULL */
  char *organisation_id; /* role organisation, else NULL */
  GStrv districts;       /* role coordinator: sorted ids, or NULL for every district */
  char *created_at;      /* "YYYY-MM-DDTHH:MM:SSZ" */
  char *revoked_at;      /* NULL while the token is valid */
  char *label;           /* what it is for; may be NULL */
  char *expires_at;      /* "YYYY-MM-DDTHH:MM:SSZ", or NULL: never */
  gint64 expires;        /* the same in Unix seconds, or -1 */
  char *last_used_at;    /* the last request made with it (to the minute), or NULL */
  gint64 last_used;      /* the same in Unix seconds, or -1 */
  /* Lookup only: FALSE when the token's school or organisation no longer exists
   * (a token whose scope is gone grants nothing).  Always TRUE for coordinators. */
  gboolean scope_exists;
} ModelTokenInfo;

void model_token_info_free(ModelTokenInfo *info); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelTokenInfo, model_token_info_free)

/* Creates a token and writes "token.create" to the audit log, both in one
 * transaction.  `actor` (1 to 200 characters) is who asks, for the audit log.  A
 * school token names `school_id` only, an organisation token `organisation_id` only;
 * a coordinator token names neither and may be limited to `districts` (NULL for
 * every district; duplicates are merged).  Fails with MODEL_ERROR_INVALID when the
 * scope does not fit the role, MODEL_ERROR_NOT_FOUND naming a school, organisation
 * or district that does not exist ("schools/s-9: no such school"), MODEL_ERROR_IO
 * otherwise; nothing is stored on failure.  On success writes the new id and the
 * secret (transfer full; the only copy there will ever be). */
gboolean model_store_token_create(ModelStore *store, const char *actor, ModelRole role,
                                  const char *school_id, const char *organisation_id,
                                  const char *const *districts, gint64 *out_id, char **out_secret,
                                  GError **error);

/* What a token may carry beyond its scope. */
typedef struct {
  const char *label; /* 1 to 200 characters, or NULL */
  gint64 expires_at; /* Unix seconds after which it is refused, or -1: never */
} ModelTokenOptions;

/* model_store_token_create() with a label and an expiry (`options` NULL: neither). */
gboolean model_store_token_create_full(ModelStore *store, const char *actor, ModelRole role,
                                       const char *school_id, const char *organisation_id,
                                       const char *const *districts,
                                       const ModelTokenOptions *options, gint64 *out_id,
                                       char **out_secret, GError **error);

/* Records that tokens `ids[i]` were last used at `times[i]` (Unix seconds; an
 * earlier time than the one stored changes nothing), all in one transaction; no audit
 * row (use is not a change of who may do what). */
gboolean model_store_tokens_touch(ModelStore *store, const gint64 *ids, const gint64 *times,
                                  guint n, GError **error);

/* Finds the token whose secret is `secret` (transfer full), revoked or not: the
 * caller decides what a revoked token means.  Fails with MODEL_ERROR_NOT_FOUND when
 * no token matches (a malformed secret included; the database is then not asked),
 * MODEL_ERROR_IO when the database fails.  The time taken does not depend on how
 * much of a wrong secret is right: the lookup is by hash. */
ModelTokenInfo *model_store_token_lookup(ModelStore *store, const char *secret, GError **error);

/* Revokes token `id` and writes "token.revoke" to the audit log, in one
 * transaction.  Fails with MODEL_ERROR_NOT_FOUND ("tokens/7: no such token") or
 * MODEL_ERROR_CONFLICT when it is already revoked; nothing is changed then. */
gboolean model_store_token_revoke(ModelStore *store, const char *actor, gint64 id, GError **error);

/* Every token, sorted by id (transfer full: GPtrArray of ModelTokenInfo*, freeing
 * its elements).  Secrets are not stored, so none can be listed. */
GPtrArray *model_store_token_list(ModelStore *store, GError **error);

/* The SHA-256 of a secret, as stored in the tokens table. */
void model_token_hash(const char *secret, guint8 out[MODEL_TOKEN_HASH_BYTES]);

G_END_DECLS
