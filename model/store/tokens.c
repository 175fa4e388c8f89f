/* tokens.c: access tokens of the HTTP API (see store-tokens.h).  Invariants: a
 * secret never reaches the database or a log, only its SHA-256 does; a token row and
 * its audit entry are written in one transaction; a revoked token stays revoked.
 *
 * A coordinator token limited to several districts keeps them in the one district_id
 * column as a sorted, comma-separated list.  Ids cannot contain a comma (schema.c's
 * id rule), so the list is unambiguous, and the common cases (every district, one
 * district) read exactly as the column's name says.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "ops-private.h"
#include "store-tokens.h"

void model_token_info_free(ModelTokenInfo *info) {
  if (info == NULL)
    return;
  g_free(info->school_id);
  g_free(info->organisation_id);
  g_strfreev(info->districts);
  g_free(info->created_at);
  g_free(info->revoked_at);
  g_free(info->label);
  g_free(info->expires_at);
  g_free(info->last_used_at);
  g_free(info);
}

void model_token_hash(const char *secret, guint8 out[MODEL_TOKEN_HASH_BYTES]) {
  g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(checksum, (const guchar *)secret, (gssize)strlen(secret));
  gsize length = MODEL_TOKEN_HASH_BYTES;
  g_checksum_get_digest(checksum, out, &length);
  g_assert(length == MODEL_TOKEN_HASH_BYTES);
}

/* Fills `buf` from the kernel's random source (getrandom(2) blocks only until the
 * pool is first initialised).  MODEL_ERROR_IO when it cannot. */
static gboolean random_bytes(guint8 *buf, gsize length, GError **error) {
  gsize done = 0;
  while (done < length) {
    ssize_t n = getrandom(buf + done, length - done, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "cannot read random bytes: %s",
                  g_strerror(errno));
      return FALSE;
    }
    done += (gsize)n;
  }
  return TRUE;
}

/* A fresh secret: the prefix and 32 random bytes in unpadded base64url. */
static char *new_secret(GError **error) {
  guint8 raw[MODEL_TOKEN_SECRET_BYTES];
  if (!random_bytes(raw, sizeof raw, error))
    return NULL;
  g_autofree char *b64 = g_base64_encode(raw, sizeof raw);
  explicit_bzero(raw, sizeof raw);
  for (char *p = b64; *p != '\0'; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  }
  char *secret = g_strconcat(MODEL_TOKEN_PREFIX, b64, NULL);
  explicit_bzero(b64, strlen(b64));
  g_assert(strlen(secret) == MODEL_TOKEN_LENGTH);
  return secret;
}

/* TRUE when `secret` has the shape of a token, so nothing else reaches the database. */
static gboolean secret_well_formed(const char *secret) {
  if (strlen(secret) != MODEL_TOKEN_LENGTH || !g_str_has_prefix(secret, MODEL_TOKEN_PREFIX))
    return FALSE;
  for (const char *p = secret + strlen(MODEL_TOKEN_PREFIX); *p != '\0'; p++)
    if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean require_row(ModelStore *store, const char *table, const char *noun, const char *id,
                            GError **error) {
  gboolean exists = FALSE;
  if (!ops_exists(store, table, id, &exists, error))
    return FALSE;
  if (!exists) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "%s/%s: no such %s", table, id, noun);
    return FALSE;
  }
  return TRUE;
}

/* Checks that the scope fits the role; MODEL_ERROR_INVALID naming the option. */
static gboolean check_scope_shape(ModelRole role, const char *school_id,
                                  const char *organisation_id, const char *const *districts,
                                  GError **error) {
  const char *role_name = model_role_name(role);
  if ((role == MODEL_ROLE_SCHOOL) != (school_id != NULL)) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                role == MODEL_ROLE_SCHOOL ? "a school token needs a school"
                                          : "a %s token cannot name a school",
                role_name);
    return FALSE;
  }
  if ((role == MODEL_ROLE_ORGANISATION) != (organisation_id != NULL)) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                role == MODEL_ROLE_ORGANISATION ? "an organisation token needs an organisation"
                                                : "a %s token cannot name an organisation",
                role_name);
    return FALSE;
  }
  if (districts != NULL && role != MODEL_ROLE_COORDINATOR) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                "only a coordinator token can be limited to districts");
    return FALSE;
  }
  if (districts != NULL && districts[0] == NULL) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID, "the list of districts is empty");
    return FALSE;
  }
  for (gsize i = 0; districts != NULL && districts[i] != NULL; i++)
    if (!model_id_is_valid(districts[i])) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID, "\"%s\" is not a valid district id",
                  districts[i]);
      return FALSE;
    }
  return TRUE;
}

static int compare_strings(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The districts sorted, without duplicates, joined by commas (transfer full). */
static char *join_districts(const char *const *districts) {
  g_autoptr(GPtrArray) sorted = g_ptr_array_new();
  for (gsize i = 0; districts[i] != NULL; i++)
    g_ptr_array_add(sorted, (gpointer)districts[i]);
  g_ptr_array_sort(sorted, compare_strings);
  GString *joined = g_string_new(NULL);
  for (guint i = 0; i < sorted->len; i++) {
    const char *id = g_ptr_array_index(sorted, i);
    if (i > 0 && g_str_equal(id, g_ptr_array_index(sorted, i - 1)))
      continue;
    if (joined->len > 0)
      g_string_append_c(joined, ',');
    g_string_append(joined, id);
  }
  return g_string_free(joined, FALSE);
}

/* Appends one row to the audit log, inside the caller's transaction. */
static gboolean audit(ModelStore *store, const char *actor, const char *action, const char *object,
                      const char *detail, GError **error) {
  g_autoptr(StoreStmt) stmt =
      store_prepare(store,
                    "INSERT INTO audit_log (at, actor, action, object, detail)"
                    " VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4)",
                    error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder binder = store_binder(stmt);
  store_bind_text(&binder, actor);
  store_bind_text(&binder, action);
  store_bind_text(&binder, object);
  store_bind_text(&binder, detail);
  return store_binder_ok(&binder, store, error) &&
         store_step_write(store, stmt, "audit_log", action, NULL, error);
}

static char *describe_scope(ModelRole role, const char *school_id, const char *organisation_id,
                            const char *districts) {
  switch (role) {
  case MODEL_ROLE_SCHOOL:
    return g_strdup_printf("role school, school %s", school_id);
  case MODEL_ROLE_ORGANISATION:
    return g_strdup_printf("role organisation, organisation %s", organisation_id);
  case MODEL_ROLE_COORDINATOR:
  default:
    return districts != NULL ? g_strdup_printf("role coordinator, districts %s", districts)
                             : g_strdup("role coordinator, every district");
  }
}

/* The body of model_store_token_create, inside its transaction. */
static gboolean insert_token(ModelStore *store, const char *actor, ModelRole role,
                             const char *school_id, const char *organisation_id,
                             const char *district_list, const char *const *districts,
                             const ModelTokenOptions *options, const guint8 *hash, gint64 *out_id,
                             GError **error) {
  if (school_id != NULL && !require_row(store, "schools", "school", school_id, error))
    return FALSE;
  if (organisation_id != NULL &&
      !require_row(store, "organisations", "organisation", organisation_id, error))
    return FALSE;
  for (gsize i = 0; districts != NULL && districts[i] != NULL; i++)
    if (!require_row(store, "districts", "district", districts[i], error))
      return FALSE;

  g_autoptr(StoreStmt) stmt =
      store_prepare(store,
                    "INSERT INTO tokens (hash, role, district_id, school_id, organisation_id,"
                    " label, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                    " strftime('%Y-%m-%dT%H:%M:%SZ', ?7, 'unixepoch'),"
                    " strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) RETURNING id",
                    error);
  if (stmt == NULL)
    return FALSE;
  /* The binder has no blob helper: bind column 1 by hand and let it go on from there. */
  StoreBinder binder = store_binder(stmt);
  binder.column = 1;
  binder.ok = store_bind_blob_at(stmt, 1, hash, MODEL_TOKEN_HASH_BYTES);
  store_bind_text(&binder, model_role_name(role));
  store_bind_text(&binder, district_list);
  store_bind_text(&binder, school_id);
  store_bind_text(&binder, organisation_id);
  store_bind_text(&binder, options != NULL ? options->label : NULL);
  if (options != NULL && options->expires_at >= 0)
    store_bind_int(&binder, options->expires_at);
  else
    store_bind_null(&binder);
  gint64 id = 0;
  if (!store_binder_ok(&binder, store, error) ||
      !store_step_returning_id(store, stmt, "tokens", &id, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("tokens/%" G_GINT64_FORMAT, id);
  g_autofree char *detail = describe_scope(role, school_id, organisation_id, district_list);
  if (!audit(store, actor, "token.create", object, detail, error))
    return FALSE;
  *out_id = id;
  return TRUE;
}

gboolean model_store_token_create(ModelStore *store, const char *actor, ModelRole role,
                                  const char *school_id, const char *organisation_id,
                                  const char *const *districts, gint64 *out_id, char **out_secret,
                                  GError **error) {
  return model_store_token_create_full(store, actor, role, school_id, organisation_id, districts,
                                       NULL, out_id, out_secret, error);
}

gboolean model_store_token_create_full(ModelStore *store, const char *actor, ModelRole role,
                                       const char *school_id, const char *organisation_id,
                                       const char *const *districts,
                                       const ModelTokenOptions *options, gint64 *out_id,
                                       char **out_secret, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL, FALSE);
  g_return_val_if_fail(out_id != NULL && out_secret != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
  if (!check_scope_shape(role, school_id, organisation_id, districts, error))
    return FALSE;
  if (!store_begin_write(store, error) ||
      !ops_token_create(store, actor, role, school_id, organisation_id, districts, options, out_id,
                        out_secret, error) ||
      !store_commit(store, error)) {
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

gboolean ops_token_create(ModelStore *store, const char *actor, ModelRole role,
                          const char *school_id, const char *organisation_id,
                          const char *const *districts, const ModelTokenOptions *options,
                          gint64 *out_id, char **out_secret, GError **error) {
  if (!check_scope_shape(role, school_id, organisation_id, districts, error))
    return FALSE;
  g_autofree char *district_list = districts != NULL ? join_districts(districts) : NULL;
  char *secret = new_secret(error);
  if (secret == NULL)
    return FALSE;
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(secret, hash);
  gint64 id = 0;
  if (!insert_token(store, actor, role, school_id, organisation_id, district_list, districts,
                    options, hash, &id, error)) {
    explicit_bzero(secret, strlen(secret));
    g_free(secret);
    return FALSE;
  }
  *out_id = id;
  *out_secret = secret;
  return TRUE;
}

char *ops_token_secret(GError **error) {
  return new_secret(error);
}

gboolean ops_token_secret_well_formed(const char *secret) {
  return secret != NULL && secret_well_formed(secret);
}

/* Columns read by read_info(), in order. */
#define INFO_COLUMNS                                                                               \
  "id, role, district_id, school_id, organisation_id, created_at, revoked_at, label,"              \
  " expires_at, CAST(strftime('%s', expires_at) AS INTEGER), last_used_at,"                        \
  " CAST(strftime('%s', last_used_at) AS INTEGER)"
#define INFO_NCOLUMNS 12

static char *column_text(StoreStmt *stmt, int column) {
  return g_strdup(store_column_text(stmt, column));
}

/* Reads the INFO_COLUMNS of the current row (transfer full). */
static ModelTokenInfo *read_info(StoreStmt *stmt) {
  ModelTokenInfo *info = g_new0(ModelTokenInfo, 1);
  info->id = store_column_int64(stmt, 0);
  ModelRole role = MODEL_ROLE_COORDINATOR;
  /* The schema also allows 'admin', which this program never creates: read as a
   * coordinator limited to nothing would be wrong, so it grants nothing (scope). */
  gboolean known = model_role_parse(store_column_text(stmt, 1), &role);
  info->role = role;
  const char *districts = store_column_text(stmt, 2);
  info->districts = districts != NULL ? g_strsplit(districts, ",", -1) : NULL;
  info->school_id = column_text(stmt, 3);
  info->organisation_id = column_text(stmt, 4);
  info->created_at = column_text(stmt, 5);
  info->revoked_at = column_text(stmt, 6);
  info->label = column_text(stmt, 7);
  info->expires_at = column_text(stmt, 8);
  info->expires = store_column_is_null(stmt, 9) ? -1 : store_column_int64(stmt, 9);
  info->last_used_at = column_text(stmt, 10);
  info->last_used = store_column_is_null(stmt, 11) ? -1 : store_column_int64(stmt, 11);
  info->scope_exists = known;
  return info;
}

/* Constant-time comparison of two digests. */
static gboolean digest_equal(const guint8 *a, const guint8 *b, gsize length) {
  guint8 diff = 0;
  for (gsize i = 0; i < length; i++)
    diff |= (guint8)(a[i] ^ b[i]);
  return diff == 0;
}

static void set_no_token(GError **error) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no such token");
}

ModelTokenInfo *model_store_token_lookup(ModelStore *store, const char *secret, GError **error) {
  g_return_val_if_fail(store != NULL && secret != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  if (!secret_well_formed(secret)) {
    set_no_token(error);
    return NULL;
  }
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(secret, hash);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, "SELECT " INFO_COLUMNS ", hash FROM tokens WHERE hash = ?1",
                                 &cached, error);
  if (stmt == NULL)
    return NULL;
  if (!store_bind_blob_at(stmt, 1, hash, sizeof hash)) {
    store_set_io_error(error, store, "cannot look up a token");
    return NULL;
  }
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    set_no_token(error);
    return NULL;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot look up a token");
    return NULL;
  }
  gsize stored_size = 0;
  g_autofree guint8 *stored = store_column_blob(stmt, INFO_NCOLUMNS, &stored_size);
  if (stored == NULL || stored_size != MODEL_TOKEN_HASH_BYTES ||
      !digest_equal(stored, hash, sizeof hash)) {
    set_no_token(error);
    return NULL;
  }
  g_autoptr(ModelTokenInfo) info = read_info(stmt);
  store_cached_clear(&cached);
  if (info->scope_exists && info->school_id != NULL &&
      !ops_exists(store, "schools", info->school_id, &info->scope_exists, error))
    return NULL;
  if (info->scope_exists && info->organisation_id != NULL &&
      !ops_exists(store, "organisations", info->organisation_id, &info->scope_exists, error))
    return NULL;
  return g_steal_pointer(&info);
}

/* The body of model_store_token_revoke, inside its transaction. */
static gboolean revoke_in_transaction(ModelStore *store, const char *actor, gint64 id,
                                      GError **error) {
  g_autoptr(StoreStmt) find =
      store_prepare(store, "SELECT revoked_at IS NOT NULL FROM tokens WHERE id = ?1", error);
  if (find == NULL)
    return FALSE;
  StoreBinder binder = store_binder(find);
  store_bind_int(&binder, id);
  if (!store_binder_ok(&binder, store, error))
    return FALSE;
  int rc = store_step(find);
  if (rc == STORE_DONE) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND,
                "tokens/%" G_GINT64_FORMAT ": no such token", id);
    return FALSE;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read the tokens");
    return FALSE;
  }
  if (store_column_int(find, 0) != 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                "tokens/%" G_GINT64_FORMAT ": the token is already revoked", id);
    return FALSE;
  }
  g_autoptr(StoreStmt) update = store_prepare(
      store, "UPDATE tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
      error);
  if (update == NULL)
    return FALSE;
  g_autofree char *object = g_strdup_printf("tokens/%" G_GINT64_FORMAT, id);
  binder = store_binder(update);
  store_bind_int(&binder, id);
  return store_binder_ok(&binder, store, error) &&
         store_step_write(store, update, "tokens", object + strlen("tokens/"), NULL, error) &&
         audit(store, actor, "token.revoke", object, NULL, error);
}

gboolean model_store_token_revoke(ModelStore *store, const char *actor, gint64 id, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  if (!revoke_in_transaction(store, actor, id, error) || !store_commit(store, error)) {
    store_rollback(store);
    return FALSE;
  }
  return TRUE;
}

GPtrArray *model_store_token_list(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  g_autoptr(StoreStmt) stmt =
      store_prepare(store, "SELECT " INFO_COLUMNS " FROM tokens ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  return ops_read_list(store, stmt, (OpsReadFunc)read_info, (GDestroyNotify)model_token_info_free,
                       "cannot list the tokens", error);
}

gboolean model_store_tokens_touch(ModelStore *store, const gint64 *ids, const gint64 *times,
                                  guint n, GError **error) {
  g_return_val_if_fail(store != NULL && (n == 0 || (ids != NULL && times != NULL)), FALSE);
  if (n == 0)
    return TRUE;
  if (!store_begin_write(store, error))
    return FALSE;
  g_autoptr(StoreStmt) stmt = store_prepare(
      store,
      "UPDATE tokens SET last_used_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch')"
      " WHERE id = ?1 AND (last_used_at IS NULL"
      " OR last_used_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch'))",
      error);
  gboolean ok = stmt != NULL;
  for (guint i = 0; ok && i < n; i++) {
    StoreBinder b = store_binder(stmt);
    store_bind_int(&b, ids[i]);
    store_bind_int(&b, times[i]);
    ok = store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "tokens", "last_used_at", NULL, error);
  }
  if (!ok) {
    store_rollback(store);
    return FALSE;
  }
  return store_commit(store, error);
}
