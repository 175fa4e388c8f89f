/* mail.h: the mail notifications.  mail-compose.c turns one outbox row (store-outbox.h)
 * into a complete Internet message in Dutch: RFC 5322 headers with RFC 2047
 * encoded-words for anything not plain ASCII, a Message-ID derived from the outbox
 * id, and a text/plain body, or for an employee's shift multipart/mixed with the
 * shift as a text/calendar attachment.  The same row always gives the same bytes, so
 * a retry after a crash is the same message.  mail-send.c is the delivery worker of
 * `handen serve`: SMTP through libcurl, retries with backoff, a limit per recipient
 * per hour.  Ownership: (transfer full) results belong to the caller.
 */
#pragma once

#include "store-outbox.h"

G_BEGIN_DECLS

typedef struct {
  const char *from;       /* the sender: envelope and From: address */
  const char *public_url; /* where the pages are ("https://handen.example.nl"), or NULL */
} ApiMailSettings;

/* The Message-ID of outbox message `message`, with its angle brackets, in the
 * domain of `from` (transfer full): "<handen.42.1586856600@example.nl>". */
char *api_mail_message_id(const ModelOutboxMessage *message, const char *from);

/* The whole message with CRLF line ends (transfer full), or NULL with
 * API_ERROR_INVALID when its facts cannot be read or its kind is unknown. */
char *api_mail_compose(const ModelOutboxMessage *message, const ApiMailSettings *settings,
                       GError **error);

/* ---- mail-send.c -------------------------------------------------------- */

#define API_MAIL_DEFAULT_LIMIT 30      /* messages per recipient per hour */
#define API_MAIL_DEFAULT_RETRY_MAX 300 /* seconds: the longest wait between tries */

typedef struct {
  const char *smtp_url;    /* smtp://[user:password@]host[:port] or smtps://... */
  ApiMailSettings mail;    /* from and the pages' address */
  guint limit_per_hour;    /* messages to one recipient in any hour, at least 1 */
  guint retry_max_seconds; /* the backoff doubles from 1 second up to this */
  guint remind_after_days; /* remind organisations of availability older than this; 0: never */
  ModelDate today;         /* the day taken as today, or MODEL_DATE_NONE: the system's */
} ApiMailerOptions;

typedef struct ApiMailer ApiMailer;

/* Checks the options (the URL's scheme, the sender's address): FALSE with
 * API_ERROR_INVALID naming the option. */
gboolean api_mailer_check(const ApiMailerOptions *options, GError **error);
/* Checks `--public-url` (NULL passes): FALSE with API_ERROR_INVALID unless it is an
 * http:// or https:// address. */
gboolean api_mail_check_public_url(const char *public_url, GError **error);

/* Starts the delivery worker on the store at `db_path` (its own connection);
 * the options are copied.  NULL with an error when the options are bad. */
ApiMailer *api_mailer_start(const char *db_path, const ApiMailerOptions *options, GError **error);
/* Stops the worker after the message it is sending, if any, and frees it; NULL-safe. */
void api_mailer_stop(ApiMailer *mailer);

G_END_DECLS
