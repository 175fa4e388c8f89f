/* mail-send.c: the delivery worker of `handen serve` (mail.h).  One thread with its own
 * store connection reads the outbox rows that are due, oldest first, and hands each
 * to the mail server over SMTP with libcurl.  Invariants: a row is marked sent only
 * after the server answered the end of the data with success, so a crash between the
 * two sends it again (the same Message-ID lets the receiver see the duplicate) but
 * never loses it; a failed try puts the row off by a backoff that doubles from one
 * second up to retry_max_seconds; a recipient never gets more than limit_per_hour
 * messages in any hour (the rest wait, in order, for the hour to free up).
 * Credentials come only in the URL and are never sent in the clear: smtp:// with a
 * user name requires STARTTLS; without one STARTTLS is used when the server offers it.
 */
#include <string.h>

#include <curl/curl.h>

#include "http.h"
#include "mail.h"

struct ApiMailer {
  char *db_path;
  char *smtp_url;
  char *from;
  char *public_url;
  guint limit_per_hour;
  guint retry_max_seconds;
  gboolean credentials; /* the URL names a user: STARTTLS required */
  guint remind_after_days;
  ModelDate today;
  gint64 reminded_at; /* when reminders were last looked for (monotonic seconds), or -1 */
  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean stop; /* guarded by lock */
};

#define MAIL_BATCH 50
#define MAIL_IDLE_MS 500

gboolean api_mail_check_public_url(const char *public_url, GError **error) {
  if (public_url != NULL && !g_str_has_prefix(public_url, "http://") &&
      !g_str_has_prefix(public_url, "https://")) {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "--public-url: \"%s\" is not a web address (expected https://...)", public_url);
    return FALSE;
  }
  return TRUE;
}

gboolean api_mailer_check(const ApiMailerOptions *options, GError **error) {
  g_return_val_if_fail(options != NULL, FALSE);
  g_autoptr(GUri) uri = options->smtp_url != NULL
                            ? g_uri_parse(options->smtp_url, G_URI_FLAGS_HAS_PASSWORD, NULL)
                            : NULL;
  const char *scheme = uri != NULL ? g_uri_get_scheme(uri) : NULL;
  if (uri == NULL || (g_strcmp0(scheme, "smtp") != 0 && g_strcmp0(scheme, "smtps") != 0) ||
      g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0') {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "--smtp-url: \"%s\" is not an SMTP URL (expected "
                "smtp://[user:password@]host[:port] or smtps://...)",
                options->smtp_url != NULL ? options->smtp_url : "");
    return FALSE;
  }
  if (options->mail.from == NULL || !model_email_is_valid(options->mail.from)) {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "--mail-from: \"%s\" is not an e-mail address (expected name@domain.nl)",
                options->mail.from != NULL ? options->mail.from : "");
    return FALSE;
  }
  if (!api_mail_check_public_url(options->mail.public_url, error))
    return FALSE;
  if (options->limit_per_hour < 1 || options->retry_max_seconds < 1) {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "the mail limit and the longest retry wait must be at least 1");
    return FALSE;
  }
  return TRUE;
}

/* ---- one message over SMTP ------------------------------------------------ */

typedef struct {
  const char *data;
  gsize left;
} Upload;

static size_t read_upload(char *buffer, size_t size, size_t count, void *data) {
  Upload *upload = data;
  gsize n = MIN(size * count, upload->left);
  memcpy(buffer, upload->data, n);
  upload->data += n;
  upload->left -= n;
  return n;
}

/* Hands `message` for `recipient` to the server; FALSE with the reason in
 * *out_error (transfer full). */
static gboolean smtp_send(const ApiMailer *mailer, const char *recipient, const char *message,
                          char **out_error) {
  CURL *curl = curl_easy_init();
  if (curl == NULL) {
    *out_error = g_strdup("cannot start libcurl");
    return FALSE;
  }
  char reason[CURL_ERROR_SIZE] = "";
  g_autofree char *from = g_strdup_printf("<%s>", mailer->from);
  g_autofree char *to = g_strdup_printf("<%s>", recipient);
  struct curl_slist *rcpt = curl_slist_append(NULL, to);
  Upload upload = {message, strlen(message)};
  curl_easy_setopt(curl, CURLOPT_URL, mailer->smtp_url);
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   mailer->credentials ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, reason);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc == CURLE_OK)
    return TRUE;
  *out_error = g_strdup(reason[0] != '\0' ? reason : curl_easy_strerror(rc));
  return FALSE;
}

/* ---- the worker ----------------------------------------------------------- */

static gboolean stopping(ApiMailer *mailer) {
  g_mutex_lock(&mailer->lock);
  gboolean stop = mailer->stop;
  g_mutex_unlock(&mailer->lock);
  return stop;
}

/* Waits `ms` milliseconds or until stopped; returns whether to stop. */
static gboolean pause_for(ApiMailer *mailer, gint64 ms) {
  gint64 until = g_get_monotonic_time() + ms * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock(&mailer->lock);
  while (!mailer->stop && g_cond_wait_until(&mailer->wake, &mailer->lock, until))
    ;
  gboolean stop = mailer->stop;
  g_mutex_unlock(&mailer->lock);
  return stop;
}

static gint64 backoff(const ApiMailer *mailer, gint64 attempts) {
  gint64 wait = (gint64)1 << MIN(attempts, 30);
  return MIN(wait, (gint64)mailer->retry_max_seconds);
}

/* Delivers one due message, or puts it off; FALSE only when the store fails. */
static gboolean deliver(ApiMailer *mailer, ModelStore *store, const ModelOutboxMessage *message,
                        GError **error) {
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  gint64 sent = 0, earliest = -1;
  if (!model_store_outbox_sent_since(store, message->recipient, now - 3600, &sent, &earliest,
                                     error))
    return FALSE;
  if (sent >= mailer->limit_per_hour) {
    g_autofree char *why = g_strdup_printf("waiting: at most %u messages per hour to one recipient",
                                           mailer->limit_per_hour);
    return model_store_outbox_defer(store, message->id, earliest + 3600 + 1, why, FALSE, error);
  }
  ApiMailSettings settings = {mailer->from, mailer->public_url};
  g_autoptr(GError) local = NULL;
  g_autofree char *text = api_mail_compose(message, &settings, &local);
  g_autofree char *reason = NULL;
  if (text == NULL)
    reason = g_strdup(local->message);
  else if (smtp_send(mailer, message->recipient, text, &reason))
    return model_store_outbox_mark_sent(store, message->id, g_get_real_time() / G_USEC_PER_SEC,
                                        error);
  g_message("mail %" G_GINT64_FORMAT " not sent: %s", message->id, reason);
  return model_store_outbox_defer(store, message->id, now + backoff(mailer, message->attempts),
                                  reason, TRUE, error);
}

/* Looks for organisations to remind at most once an hour (the store keeps that each
 * is reminded at most once per period). */
static void remind(ApiMailer *mailer, ModelStore *store) {
  gint64 clock = g_get_monotonic_time() / G_USEC_PER_SEC;
  if (mailer->remind_after_days == 0 ||
      (mailer->reminded_at >= 0 && clock - mailer->reminded_at < 3600))
    return;
  mailer->reminded_at = clock;
  ModelDate today = mailer->today;
  if (today == MODEL_DATE_NONE) {
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    today = model_date_from_ymd(g_date_time_get_year(now), g_date_time_get_month(now),
                                g_date_time_get_day_of_month(now));
  }
  g_autoptr(GError) error = NULL;
  guint count = 0;
  if (!model_store_outbox_remind(store, today - (ModelDate)mailer->remind_after_days,
                                 g_get_real_time() / G_USEC_PER_SEC, &count, &error))
    g_message("mail: cannot look for reminders: %s", error->message);
  else if (count > 0)
    g_message("mail: %u organisations reminded to confirm availability", count);
}

static gpointer mailer_worker(gpointer data) {
  ApiMailer *mailer = data;
  ModelStore *store = NULL;
  while (!stopping(mailer)) {
    g_autoptr(GError) error = NULL;
    if (store == NULL && (store = model_store_open(mailer->db_path, &error)) == NULL) {
      g_message("mail: %s", error->message);
      pause_for(mailer, 1000);
      continue;
    }
    remind(mailer, store);
    g_autoptr(GPtrArray) due =
        model_store_outbox_due(store, g_get_real_time() / G_USEC_PER_SEC, MAIL_BATCH, &error);
    for (guint i = 0; due != NULL && i < due->len && error == NULL && !stopping(mailer); i++)
      deliver(mailer, store, g_ptr_array_index(due, i), &error);
    if (error != NULL) {
      g_message("mail: %s", error->message);
      pause_for(mailer, 1000);
    } else if (due->len == 0) {
      pause_for(mailer, MAIL_IDLE_MS);
    }
  }
  model_store_free(store);
  return NULL;
}

ApiMailer *api_mailer_start(const char *db_path, const ApiMailerOptions *options, GError **error) {
  g_return_val_if_fail(db_path != NULL && options != NULL, NULL);
  if (!api_mailer_check(options, error))
    return NULL;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    g_set_error(error, API_ERROR, API_ERROR_INTERNAL, "cannot start libcurl");
    return NULL;
  }
  g_autoptr(GUri) uri = g_uri_parse(options->smtp_url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  ApiMailer *mailer = g_new0(ApiMailer, 1);
  mailer->db_path = g_strdup(db_path);
  mailer->smtp_url = g_strdup(options->smtp_url);
  mailer->from = g_strdup(options->mail.from);
  mailer->public_url = g_strdup(options->mail.public_url);
  mailer->limit_per_hour = options->limit_per_hour;
  mailer->retry_max_seconds = options->retry_max_seconds;
  mailer->remind_after_days = options->remind_after_days;
  mailer->today = options->today;
  mailer->reminded_at = -1;
  mailer->credentials = g_uri_get_user(uri) != NULL && g_uri_get_user(uri)[0] != '\0';
  g_mutex_init(&mailer->lock);
  g_cond_init(&mailer->wake);
  mailer->thread = g_thread_new("mail", mailer_worker, mailer);
  return mailer;
}

void api_mailer_stop(ApiMailer *mailer) {
  if (mailer == NULL)
    return;
  g_mutex_lock(&mailer->lock);
  mailer->stop = TRUE;
  g_cond_broadcast(&mailer->wake);
  g_mutex_unlock(&mailer->lock);
  g_thread_join(mailer->thread);
  g_cond_clear(&mailer->wake);
  g_mutex_clear(&mailer->lock);
  g_free(mailer->db_path);
  g_free(mailer->smtp_url);
  g_free(mailer->from);
  g_free(mailer->public_url);
  g_free(mailer);
  curl_global_cleanup();
}
