/* invitations.c: invitations by e-mail (store-invitations.h).  Invariants: the code
 * is stored only as its SHA-256, and travels only in the invitation's mail; an
 * invitation is exchanged at most once: the token is made and accepted_at set in one
 * write transaction, after reading the invitation under the write lock, so two
 * exchanges at once cannot both succeed.
 */
#include <string.h>

#include "ops-private.h"
#include "store-invitations.h"

void model_invitation_free(ModelInvitation *invitation) {
  if (invitation == NULL)
    return;
  g_free(invitation->school_id);
  g_free(invitation->organisation_id);
  g_free(invitation->email);
  g_free(invitation->created_by);
  g_free(invitation->created_at);
  g_free(invitation->expires_at);
  g_free(invitation->accepted_at);
  g_free(invitation);
}

#define INVITATION_COLUMNS                                                                         \
  "id, role, school_id, organisation_id, email, created_by, created_at, expires_at,"               \
  " accepted_at, token_id, CAST(strftime('%s', expires_at) AS INTEGER)"

static char *text_at(StoreStmt *stmt, int c) {
  return g_strdup(store_column_text(stmt, c));
}

static ModelInvitation *read_invitation(StoreStmt *stmt) {
  ModelInvitation *i = g_new0(ModelInvitation, 1);
  i->id = store_column_int64(stmt, 0);
  i->role = g_strcmp0(store_column_text(stmt, 1), "school") == 0 ? MODEL_ROLE_SCHOOL
                                                                 : MODEL_ROLE_ORGANISATION;
  i->school_id = text_at(stmt, 2);
  i->organisation_id = text_at(stmt, 3);
  i->email = text_at(stmt, 4);
  i->created_by = text_at(stmt, 5);
  i->created_at = text_at(stmt, 6);
  i->expires_at = text_at(stmt, 7);
  i->accepted_at = text_at(stmt, 8);
  i->token_id = store_column_is_null(stmt, 9) ? -1 : store_column_int64(stmt, 9);
  return i;
}

/* The body of model_store_invitation_create, in its transaction. */
static gboolean create_in_transaction(ModelStore *store, const char *actor, ModelRole role,
                                      const char *id, const char *email, gint64 now,
                                      gint64 expires_at, gint64 *out_id, GError **error) {
  gboolean school = role == MODEL_ROLE_SCHOOL;
  g_autofree char *contact = NULL;
  gboolean found = FALSE;
  if (!ops_lookup_text(store,
                       school ? "SELECT contact_email FROM schools WHERE id = ?"
                              : "SELECT contact_email FROM organisations WHERE id = ?",
                       id, "cannot read the contact", &found, &contact, error))
    return FALSE;
  if (!found) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no %s with id \"%s\"",
                school ? "school" : "organisation", id);
    return FALSE;
  }
  const char *to = email != NULL ? email : contact;
  if (to == NULL || !model_email_is_valid(to)) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                to == NULL ? "%s %s has no contact e-mail address (expected one in email)"
                           : "%s %s: \"%s\" is not an e-mail address (expected name@domain.nl)",
                school ? "school" : "organisation", id, to);
    return FALSE;
  }
  g_autofree char *code = ops_token_secret(error);
  if (code == NULL)
    return FALSE;
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(code, hash);
  g_autoptr(StoreStmt) stmt = store_prepare(
      store,
      "INSERT INTO invitations (code_hash, role, school_id, organisation_id, email, created_by,"
      " created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
      " strftime('%Y-%m-%dT%H:%M:%SZ', ?7, 'unixepoch'),"
      " strftime('%Y-%m-%dT%H:%M:%SZ', ?8, 'unixepoch')) RETURNING id",
      error);
  gboolean ok = stmt != NULL;
  gint64 new_id = -1;
  if (ok) {
    StoreBinder b = store_binder(stmt);
    b.column = 1;
    b.ok = store_bind_blob_at(stmt, 1, hash, sizeof hash);
    store_bind_text(&b, school ? "school" : "organisation");
    store_bind_text(&b, school ? id : NULL);
    store_bind_text(&b, school ? NULL : id);
    store_bind_text(&b, to);
    store_bind_text(&b, actor);
    store_bind_int(&b, now);
    store_bind_int(&b, expires_at);
    ok = store_binder_ok(&b, store, error) &&
         store_step_returning_id(store, stmt, "invitations", &new_id, error);
  }
  g_autofree char *object = g_strdup_printf("invitations/%" G_GINT64_FORMAT, new_id);
  g_autofree char *detail = g_strdup_printf("%s %s", school ? "school" : "organisation", id);
  ok = ok && ops_outbox_invitation(store, new_id, code, now, error) &&
       ops_audit_write(store, actor, "invitation.create", object, detail, NULL, now, error);
  explicit_bzero(code, strlen(code));
  if (ok)
    *out_id = new_id;
  return ok;
}

gboolean model_store_invitation_create(ModelStore *store, const char *actor, ModelRole role,
                                       const char *id, const char *email, gint64 now,
                                       gint64 expires_at, gint64 *out_id, GError **error) {
  g_return_val_if_fail(store != NULL && actor != NULL && id != NULL && out_id != NULL, FALSE);
  if (role != MODEL_ROLE_SCHOOL && role != MODEL_ROLE_ORGANISATION) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                "only a school or an organisation can be invited");
    return FALSE;
  }
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok =
      create_in_transaction(store, actor, role, id, email, now, expires_at, out_id, error);
  return ops_finish(store, ok, error);
}

/* The body of model_store_invitation_accept, in its transaction. */
static gboolean accept_in_transaction(ModelStore *store, const guint8 *hash, gint64 now,
                                      ModelInvitationOutcome *out_outcome,
                                      ModelInvitation **out_invitation, char **out_secret,
                                      GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(
      store, "SELECT " INVITATION_COLUMNS " FROM invitations WHERE code_hash = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (!store_bind_blob_at(stmt, 1, hash, MODEL_TOKEN_HASH_BYTES)) {
    store_set_io_error(error, store, "cannot look up an invitation");
    return FALSE;
  }
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    *out_outcome = MODEL_INVITATION_UNKNOWN;
    return TRUE;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot look up an invitation");
    return FALSE;
  }
  g_autoptr(ModelInvitation) invitation = read_invitation(stmt);
  gint64 expires = store_column_int64(stmt, 10);
  if (invitation->accepted_at != NULL) {
    *out_outcome = MODEL_INVITATION_USED;
    return TRUE;
  }
  if (expires <= now) {
    *out_outcome = MODEL_INVITATION_EXPIRED;
    return TRUE;
  }
  g_autofree char *label =
      g_strdup_printf("invitation %" G_GINT64_FORMAT " (%s)", invitation->id, invitation->email);
  ModelTokenOptions options = {label, -1};
  g_autofree char *actor = g_strdup_printf("invitation %" G_GINT64_FORMAT, invitation->id);
  gint64 token_id = 0;
  char *secret = NULL;
  if (!ops_token_create(store, actor, invitation->role, invitation->school_id,
                        invitation->organisation_id, NULL, &options, &token_id, &secret, error))
    return FALSE;
  g_autoptr(StoreStmt) update =
      store_prepare(store,
                    "UPDATE invitations SET accepted_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?2,"
                    " 'unixepoch'), token_id = ?3 WHERE id = ?1 AND accepted_at IS NULL",
                    error);
  gboolean ok = update != NULL;
  if (ok) {
    StoreBinder b = store_binder(update);
    store_bind_int(&b, invitation->id);
    store_bind_int(&b, now);
    store_bind_int(&b, token_id);
    ok = store_binder_ok(&b, store, error) &&
         store_step_write(store, update, "invitations", actor, NULL, error);
  }
  if (!ok) {
    explicit_bzero(secret, strlen(secret));
    g_free(secret);
    return FALSE;
  }
  invitation->token_id = token_id;
  g_autoptr(GDateTime) accepted = g_date_time_new_from_unix_utc(now);
  invitation->accepted_at = g_date_time_format(accepted, "%Y-%m-%dT%H:%M:%SZ");
  *out_outcome = MODEL_INVITATION_ACCEPTED;
  *out_invitation = g_steal_pointer(&invitation);
  *out_secret = secret;
  return TRUE;
}

gboolean model_store_invitation_accept(ModelStore *store, const char *code, gint64 now,
                                       ModelInvitationOutcome *out_outcome,
                                       ModelInvitation **out_invitation, char **out_secret,
                                       GError **error) {
  g_return_val_if_fail(store != NULL && code != NULL && out_outcome != NULL, FALSE);
  g_return_val_if_fail(out_invitation != NULL && out_secret != NULL, FALSE);
  if (!ops_token_secret_well_formed(code)) {
    *out_outcome = MODEL_INVITATION_UNKNOWN;
    return TRUE;
  }
  guint8 hash[MODEL_TOKEN_HASH_BYTES];
  model_token_hash(code, hash);
  if (!store_begin_write(store, error))
    return FALSE;
  ModelInvitationOutcome outcome = MODEL_INVITATION_UNKNOWN;
  gboolean ok =
      accept_in_transaction(store, hash, now, &outcome, out_invitation, out_secret, error);
  if (!ops_finish(store, ok, error)) {
    if (ok && outcome == MODEL_INVITATION_ACCEPTED) {
      /* The commit failed: the token does not exist, so neither does its secret. */
      g_clear_pointer(out_invitation, model_invitation_free);
      explicit_bzero(*out_secret, strlen(*out_secret));
      g_clear_pointer(out_secret, g_free);
    }
    return FALSE;
  }
  *out_outcome = outcome;
  return TRUE;
}

GPtrArray *model_store_invitation_list(ModelStore *store, gint64 after, guint limit,
                                       const char *const *districts, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_autoptr(StoreStmt) stmt = ops_prepare_page(
      store,
      "SELECT " INVITATION_COLUMNS " FROM invitations i"
      " WHERE i.id > ?1 AND (?3 IS NULL OR (SELECT coalesce(s.district_id, o.district_id)"
      "   FROM (SELECT 1) AS one LEFT JOIN schools s ON s.id = i.school_id"
      "   LEFT JOIN organisations o ON o.id = i.organisation_id)"
      "   IN (SELECT value FROM json_each(?3)))"
      " ORDER BY i.id LIMIT ?2",
      after, limit, districts, error);
  if (stmt == NULL)
    return NULL;
  return ops_read_list(store, stmt, (OpsReadFunc)read_invitation,
                       (GDestroyNotify)model_invitation_free, "cannot list the invitations", error);
}
