/* store-outbox.h: the outbox of the mail notifications, kept in the store.  The store
 * operations that change something someone must hear of (store-ops.h) write one row
 * per recipient in the same transaction as the change; the delivery worker of
 * `handen serve` reads the rows that are due, sends them and marks them sent.  This
 * layer knows nothing of mail: a message is a kind, an audience, an address and the
 * facts (a JSON object) its text is made from.  Ownership: (transfer full) results
 * belong to the caller.
 */
#pragma once

#include "store.h"

G_BEGIN_DECLS

/* Who a message is for; a store operation enqueues for a set of them. */
typedef enum {
  MODEL_AUDIENCE_SCHOOL = 1u << 0,       /* the school's contact */
  MODEL_AUDIENCE_ORGANISATION = 1u << 1, /* the organisation's contact: its planner */
  MODEL_AUDIENCE_EMPLOYEE = 1u << 2,     /* the employee, where an address is known */
  MODEL_AUDIENCE_COORDINATOR = 1u << 3,  /* model_store_set_coordinator_mail() */
} ModelAudience;

/* The kinds of message, as stored. */
#define MODEL_OUTBOX_APPROVED "approved"
#define MODEL_OUTBOX_REJECTED "rejected"
#define MODEL_OUTBOX_CANCELLED "cancelled"
#define MODEL_OUTBOX_REQUEST_POSTED "request-posted"
#define MODEL_OUTBOX_REQUEST_CHANGED "request-changed"
#define MODEL_OUTBOX_ROUND_FINISHED "round-finished"
#define MODEL_OUTBOX_INVITATION "invitation"
#define MODEL_OUTBOX_REMINDER "reminder"

typedef struct {
  gint64 id;
  gint64 created_at; /* Unix seconds */
  char *kind;
  char *audience; /* "school", "organisation", "employee", "coordinator" */
  char *recipient;
  char *recipient_name; /* may be NULL */
  char *facts;          /* a JSON object */
  gint64 attempts;      /* failed tries so far */
  gint64 next_at;       /* Unix seconds: not tried before */
  gint64 sent_at;       /* Unix seconds, or -1 while not sent */
  char *last_error;     /* may be NULL */
} ModelOutboxMessage;

void model_outbox_message_free(ModelOutboxMessage *message); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelOutboxMessage, model_outbox_message_free)

/* Where this connection's operations address the coordinator's messages (a request
 * posted or changed, a cancellation, a round's digest); NULL (the default) enqueues
 * none.  The address is not checked here: the outbox's CHECK refuses a bad one. */
void model_store_set_coordinator_mail(ModelStore *store, const char *address);

/* Enqueues, in one transaction, a reminder for every organisation with a contact
 * address whose active employees include some whose availability was last confirmed
 * before `stale` (or never), listing them, unless it was reminded on or after
 * `stale`; writes how many were enqueued. */
gboolean model_store_outbox_remind(ModelStore *store, ModelDate stale, gint64 now, guint *out_count,
                                   GError **error);

/* The messages not yet sent whose next_at is at or before `now`, oldest first, at
 * most `limit` (a GPtrArray of ModelOutboxMessage*, transfer full), or NULL with
 * MODEL_ERROR_IO. */
GPtrArray *model_store_outbox_due(ModelStore *store, gint64 now, guint limit, GError **error);

/* Marks message `id` sent at `now`: only after the mail server accepted it. */
gboolean model_store_outbox_mark_sent(ModelStore *store, gint64 id, gint64 now, GError **error);

/* Puts message `id` off until `at` with `why`; a failed try (`failed`) also counts an
 * attempt, a deferral for the rate limit does not. */
gboolean model_store_outbox_defer(ModelStore *store, gint64 id, gint64 at, const char *why,
                                  gboolean failed, GError **error);

/* How many messages to `recipient` were sent after `since` (Unix seconds), and the
 * time the earliest of them was sent (-1 when none). */
gboolean model_store_outbox_sent_since(ModelStore *store, const char *recipient, gint64 since,
                                       gint64 *out_count, gint64 *out_earliest, GError **error);

/* Up to `limit` messages with id > `after`, by id, about `districts` (NULL: all)
 * (transfer full), or NULL with MODEL_ERROR_IO. */
GPtrArray *model_store_outbox_list(ModelStore *store, gint64 after, guint limit,
                                   const char *const *districts, GError **error);

/* How many messages wait to be sent and how many were sent. */
gboolean model_store_outbox_counts(ModelStore *store, gint64 *out_pending, gint64 *out_sent,
                                   GError **error);

G_END_DECLS
