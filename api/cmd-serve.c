/* cmd-serve.c: the `serve` command of the `handen` command line (the tokens it
 * accepts are made by `token`, cmd-token.c).
 *
 * Signals: `serve` blocks SIGINT and SIGTERM in every thread (before any thread is
 * started, so all inherit the mask) and waits for them with sigwait() in the main
 * thread, which then stops the server cleanly.  No signal handler runs, so there is
 * no global state at all: everything lives on cmd_serve()'s stack.  SIGPIPE is
 * ignored as well: libmicrohttpd guards its own threads, and a client that hangs up
 * must never end the process from any other thread either.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "mail.h"
#include "server.h"

/* Blocks until SIGINT or SIGTERM arrives; returns its number. */
static int wait_for_stop(const sigset_t *signals) {
  for (;;) {
    int number = 0;
    int rc = sigwait(signals, &number);
    if (rc == 0)
      return number;
    if (rc != EINTR)
      return SIGTERM;
  }
}

static gboolean check_range(const char *option, int value, int min, int max) {
  if (value >= min && value <= max)
    return TRUE;
  cli_usage_error("serve", "%s must be from %d to %d", option, min, max);
  return FALSE;
}

int cmd_serve(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *today_text = NULL;
  int port = API_SERVER_DEFAULT_PORT;
  int timeout = API_SERVER_DEFAULT_TIMEOUT;
  gboolean verbose = FALSE;
  g_autofree char *smtp_url = NULL;
  g_autofree char *mail_from = NULL;
  g_autofree char *public_url = NULL;
  g_autofree char *coordinator_mail = NULL;
  int mail_limit = API_MAIL_DEFAULT_LIMIT;
  int retry_max = API_MAIL_DEFAULT_RETRY_MAX;
  int remind_days = 0;
  int stale_days = 0;
  GOptionEntry entries[] = {CLI_OPTION_DB(&db),
                            {"bind", 0, 0, G_OPTION_ARG_STRING, &bind,
                             "The numeric address to listen on (default 127.0.0.1)", "ADDRESS"},
                            {"port", 0, 0, G_OPTION_ARG_INT, &port,
                             "The port (default 8080; 0 picks a free one)", "PORT"},
                            {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
                             "Close a connection idle for SECONDS (default 30)", "SECONDS"},
                            {"today", 0, 0, G_OPTION_ARG_STRING, &today_text,
                             "Take DATE as today, before which no new slot is accepted "
                             "(default: the system date)",
                             "DATE"},
                            {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
                             "Log every request (method, path, status, time) to stderr", NULL},
                            {"smtp-url", 0, 0, G_OPTION_ARG_STRING, &smtp_url,
                             "Send the outbox's mail through this server: "
                             "smtp://[user:password@]host[:port] (STARTTLS) or smtps://...",
                             "URL"},
                            {"mail-from", 0, 0, G_OPTION_ARG_STRING, &mail_from,
                             "The sender of the mail (required with --smtp-url)", "ADDRESS"},
                            {"public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
                             "Where people open the pages, for the links in the mail", "URL"},
                            {"coordinator-mail", 0, 0, G_OPTION_ARG_STRING, &coordinator_mail,
                             "Where the coordinator's mail goes (new requests, cancellations, "
                             "one digest per round)",
                             "ADDRESS"},
                            {"mail-limit", 0, 0, G_OPTION_ARG_INT, &mail_limit,
                             "Messages to one recipient per hour at most (default 30)", "N"},
                            {"mail-retry-max", 0, 0, G_OPTION_ARG_INT, &retry_max,
                             "The longest wait between tries while the mail server is down "
                             "(default 300)",
                             "SECONDS"},
                            {"remind-after-days", 0, 0, G_OPTION_ARG_INT, &remind_days,
                             "Remind organisations by mail of availability not confirmed for "
                             "DAYS (default 0: never)",
                             "DAYS"},
                            CLI_OPTION_STALE_AFTER_DAYS(&stale_days),
                            G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("serve", "",
                         "Serve the store through the HTTP JSON API until SIGINT or SIGTERM.\n"
                         "Prints the address it serves on to stdout.",
                         entries, 0, "no arguments", &argc, &argv) ||
      !check_range("--port", port, 0, 65535) || !check_range("--timeout", timeout, 1, 3600) ||
      !check_range("--mail-limit", mail_limit, 1, 100000) ||
      !check_range("--mail-retry-max", retry_max, 1, 86400) ||
      !check_range("--remind-after-days", remind_days, 0, 365) ||
      !cli_check_stale_after_days("serve", stale_days))
    return CLI_EXIT_USAGE;
  if (coordinator_mail != NULL && !model_email_is_valid(coordinator_mail))
    return cli_usage_error("serve",
                           "--coordinator-mail: \"%s\" is not an e-mail address (expected "
                           "name@domain.nl)",
                           coordinator_mail);
  ApiMailerOptions mail = {
      .smtp_url = smtp_url,
      .mail = {.from = mail_from, .public_url = public_url},
      .limit_per_hour = (guint)mail_limit,
      .retry_max_seconds = (guint)retry_max,
      .remind_after_days = (guint)remind_days,
      .today = MODEL_DATE_NONE,
  };
  g_autoptr(GError) mail_error = NULL;
  if ((smtp_url != NULL && !api_mailer_check(&mail, &mail_error)) ||
      !api_mail_check_public_url(public_url, &mail_error))
    return cli_usage_error("serve", "%s", mail_error->message);
  ModelDate today = MODEL_DATE_NONE;
  if (today_text != NULL && !model_date_parse(today_text, &today)) {
    cli_usage_error("serve", "--today: \"%s\" is not a valid date (expected YYYY-MM-DD)",
                    today_text);
    return CLI_EXIT_USAGE;
  }
  mail.today = today;
  const char *address = bind != NULL ? bind : "127.0.0.1";
  const char *path = db != NULL ? db : MODEL_STORE_DEFAULT_PATH;

  /* Before any thread exists: the round worker and the server's threads inherit it. */
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  if (pthread_sigmask(SIG_BLOCK, &signals, NULL) != 0) {
    cli_error("serve", "cannot block signals");
    return CLI_EXIT_INVALID;
  }
  signal(SIGPIPE, SIG_IGN);

  g_autoptr(GError) error = NULL;
  ApiServices *services = api_services_new(path, &error);
  if (services == NULL) {
    cli_error("serve", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  if (today_text != NULL)
    api_services_set_today(services, today);
  api_services_set_stale_after_days(services, (guint)stale_days);
  api_services_set_public_url(services, public_url);
  api_services_set_mail(services, coordinator_mail, smtp_url != NULL ? (guint)mail_limit : 0);
  /* The mail worker has its own connection; it sends what the outbox holds, also what
   * was written while no server was configured or running. */
  ApiMailer *mailer = smtp_url != NULL ? api_mailer_start(path, &mail, &error) : NULL;
  if (smtp_url != NULL && mailer == NULL) {
    api_services_free(services);
    cli_error("serve", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  ApiServerOptions options = {
      .bind_address = address,
      .port = (guint16)port,
      .timeout_seconds = (guint)timeout,
      .threads = API_SERVER_DEFAULT_THREADS,
      .connection_limit = API_SERVER_DEFAULT_CONNECTIONS,
      .per_address_limit = API_SERVER_DEFAULT_PER_ADDRESS,
      .verbose = verbose,
  };
  ApiServer *server = api_server_start(services, &options, &error);
  if (server == NULL) {
    api_mailer_stop(mailer);
    api_services_free(services);
    if (g_error_matches(error, API_ERROR, API_ERROR_INVALID))
      return cli_usage_error("serve", "%s", error->message);
    cli_error("serve", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  gboolean ipv6 = strchr(address, ':') != NULL;
  printf("handen: serving http://%s%s%s:%u/ (store %s)\n", ipv6 ? "[" : "", address,
         ipv6 ? "]" : "", api_server_port(server), path);
  fflush(stdout);

  int number = wait_for_stop(&signals);
  fprintf(stderr, "handen serve: %s received, stopping\n", number == SIGINT ? "SIGINT" : "SIGTERM");
  api_server_stop(server);
  api_mailer_stop(mailer);
  api_services_free(services);
  /* The signals stay blocked: the process ends right after, and unblocking now would
   * let a second signal sent while stopping kill it with a failure status. */
  return CLI_EXIT_OK;
}
