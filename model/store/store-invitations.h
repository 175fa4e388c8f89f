/* store-invitations.h: invitations by e-mail.  The coordinator invites a school or an
 * organisation; the invitation's mail (an outbox row written in the same transaction)
 * carries a one-time code, which the invited exchange once, before it expires, for an
 * access token of their own.  Only the code's SHA-256 is stored, and the outbox
 * forgets the code once the mail server accepted the message.  Ownership: (transfer
 * full) results belong to the caller.
 */
#pragma once

#include "store-tokens.h"

G_BEGIN_DECLS

typedef struct {
  gint64 id;
  ModelRole role;        /* school or organisation */
  char *school_id;       /* role school, else NULL */
  char *organisation_id; /* role organisation, else NULL */
  char *email;
  char *created_by;
  char *created_at;  /* "YYYY-MM-DDTHH:MM:SSZ" */
  char *expires_at;  /* the same */
  char *accepted_at; /* NULL until accepted */
  gint64 token_id;   /* the token it was exchanged for, or -1 */
} ModelInvitation;

void model_invitation_free(ModelInvitation *invitation); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelInvitation, model_invitation_free)

/* Invites school or organisation `id` (by `role`) at `email`, or, when NULL, at its
 * contact's address, until `expires_at` (Unix seconds); writes the invitation, its
 * mail and an audit row in one transaction.  Fails with MODEL_ERROR_NOT_FOUND for an
 * unknown school or organisation, MODEL_ERROR_INVALID when no address is known or
 * `role` is not school or organisation; nothing is stored then.  The code exists only
 * in the mail. */
gboolean model_store_invitation_create(ModelStore *store, const char *actor, ModelRole role,
                                       const char *id, const char *email, gint64 now,
                                       gint64 expires_at, gint64 *out_id, GError **error);

typedef enum {
  MODEL_INVITATION_ACCEPTED, /* exchanged now: the token is in the out-parameters */
  MODEL_INVITATION_UNKNOWN,  /* no invitation has this code */
  MODEL_INVITATION_USED,     /* exchanged before */
  MODEL_INVITATION_EXPIRED,  /* past its expiry */
} ModelInvitationOutcome;

/* Exchanges `code` for a new token of the invitation's role and scope, labelled with
 * the invitation, in one transaction (at most once, whoever asks at the same time).
 * The outcome is data (FALSE only when the store fails); the invitation (transfer
 * full) and the token's secret (transfer full) are written only when accepted. */
gboolean model_store_invitation_accept(ModelStore *store, const char *code, gint64 now,
                                       ModelInvitationOutcome *out_outcome,
                                       ModelInvitation **out_invitation, char **out_secret,
                                       GError **error);

/* Up to `limit` invitations with id > `after`, by id, of schools and organisations in
 * `districts` (NULL: all) (GPtrArray of ModelInvitation*, transfer full). */
GPtrArray *model_store_invitation_list(ModelStore *store, gint64 after, guint limit,
                                       const char *const *districts, GError **error);

G_END_DECLS
