/* cmd-serve.c: the `serve` and `token` commands of the `handen` command line.
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
#include "server.h"
#include "store-tokens.h"

/* ---- serve -------------------------------------------------------------- */

static int usage_error(const char *command, const char *message) {
  cli_error(command, "%s", message);
  fprintf(stderr, "Try 'handen %s --help'.\n", command);
  return CLI_EXIT_USAGE;
}

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
  g_autofree char *message = g_strdup_printf("%s must be from %d to %d", option, min, max);
  usage_error("serve", message);
  return FALSE;
}

int cmd_serve(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *today_text = NULL;
  int port = API_SERVER_DEFAULT_PORT;
  int timeout = API_SERVER_DEFAULT_TIMEOUT;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      {"bind", 0, 0, G_OPTION_ARG_STRING, &bind,
       "The numeric address to listen on (default 127.0.0.1)", "ADDRESS"},
      {"port", 0, 0, G_OPTION_ARG_INT, &port, "The port (default 8080; 0 picks a free one)",
       "PORT"},
      {"timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
       "Close a connection idle for SECONDS (default 30)", "SECONDS"},
      {"today", 0, 0, G_OPTION_ARG_STRING, &today_text,
       "Take DATE as today, before which no new slot is accepted (default: the system date)",
       "DATE"},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
       "Log every request (method, path, status, time) to stderr", NULL},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(context, "Serve the store through the HTTP JSON API until SIGINT or "
                                        "SIGTERM.\nPrints the address it serves on to stdout.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "serve", &argc, &argv) ||
      !cli_expect_args("serve", argc, argv, 0, "no arguments") ||
      !check_range("--port", port, 0, 65535) || !check_range("--timeout", timeout, 1, 3600))
    return CLI_EXIT_USAGE;
  ModelDate today = MODEL_DATE_NONE;
  if (today_text != NULL && !model_date_parse(today_text, &today)) {
    g_autofree char *message =
        g_strdup_printf("--today: \"%s\" is not a valid date (expected YYYY-MM-DD)", today_text);
    return usage_error("serve", message);
  }
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
    api_services_free(services);
    if (g_error_matches(error, API_ERROR, API_ERROR_INVALID))
      return usage_error("serve", error->message);
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
  api_services_free(services);
  /* The signals stay blocked: the process ends right after, and unblocking now would
   * let a second signal sent while stopping kill it with a failure status. */
  return CLI_EXIT_OK;
}

/* ---- token -------------------------------------------------------------- */

/* Who is acting, for the audit log: the command line and the local user. */
static char *cli_actor(void) {
  return g_strdup_printf("cli:%s", g_get_user_name());
}

/* Splits "a,b" into district ids; NULL (usage error printed) on an empty entry. */
static GStrv split_districts(const char *text) {
  g_auto(GStrv) ids = g_strsplit(text, ",", -1);
  if (ids[0] == NULL) {
    usage_error("token create", "--districts needs at least one district id");
    return NULL;
  }
  for (gsize i = 0; ids[i] != NULL; i++)
    if (ids[i][0] == '\0') {
      usage_error("token create", "--districts has an empty district id");
      return NULL;
    }
  return g_steal_pointer(&ids);
}

static int token_create(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *school = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *districts_text = NULL;
  GOptionEntry entries[] = {
      {"role", 0, 0, G_OPTION_ARG_STRING, &role_text,
       "coordinator, school or organisation (required)", "ROLE"},
      {"school", 0, 0, G_OPTION_ARG_STRING, &school, "The school of a school token", "ID"},
      {"organisation", 0, 0, G_OPTION_ARG_STRING, &organisation,
       "The organisation of an organisation token", "ID"},
      {"districts", 0, 0, G_OPTION_ARG_STRING, &districts_text,
       "Limit a coordinator token to these districts (default: every district)", "A,B"},
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(context,
                               "Create an access token for the API and print it once on "
                               "stdout (its id on stderr).\nThe store keeps only a hash of it.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "token create", &argc, &argv) ||
      !cli_expect_args("token create", argc, argv, 0, "no arguments"))
    return CLI_EXIT_USAGE;
  ModelTokenRole role = MODEL_TOKEN_COORDINATOR;
  if (role_text == NULL)
    return usage_error("token create", "missing --role (coordinator, school or organisation)");
  if (!model_token_role_parse(role_text, &role))
    return usage_error("token create", "--role must be coordinator, school or organisation");
  if (role == MODEL_TOKEN_SCHOOL && school == NULL)
    return usage_error("token create", "--role school needs --school ID");
  if (role == MODEL_TOKEN_ORGANISATION && organisation == NULL)
    return usage_error("token create", "--role organisation needs --organisation ID");
  if (role != MODEL_TOKEN_SCHOOL && school != NULL)
    return usage_error("token create", "--school is only for --role school");
  if (role != MODEL_TOKEN_ORGANISATION && organisation != NULL)
    return usage_error("token create", "--organisation is only for --role organisation");
  if (role != MODEL_TOKEN_COORDINATOR && districts_text != NULL)
    return usage_error("token create", "--districts is only for --role coordinator");
  g_auto(GStrv) districts = NULL;
  if (districts_text != NULL && (districts = split_districts(districts_text)) == NULL)
    return CLI_EXIT_USAGE;

  g_autoptr(ModelStore) store = cli_open_store("token create", db, FALSE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *actor = cli_actor();
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  g_autofree char *secret = NULL;
  if (!model_store_token_create(store, actor, role, school, organisation,
                                (const char *const *)districts, &id, &secret, &error)) {
    cli_error("token create", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  printf("%s\n", secret);
  fflush(stdout);
  fprintf(stderr,
          "handen token create: created token %" G_GINT64_FORMAT
          " (keep the secret above: it is not shown again)\n",
          id);
  explicit_bzero(secret, strlen(secret));
  return CLI_EXIT_OK;
}

static int token_revoke(int argc, char **argv) {
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("ID");
  g_option_context_set_summary(context, "Revoke an access token: it is refused from now on.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "token revoke", &argc, &argv) ||
      !cli_expect_args("token revoke", argc, argv, 1, "one token ID"))
    return CLI_EXIT_USAGE;
  guint64 id = 0;
  if (!g_ascii_string_to_unsigned(argv[1], 10, 1, G_MAXINT64, &id, NULL)) {
    cli_error("token revoke", "'%s' is not a token id (a positive number)", argv[1]);
    return CLI_EXIT_USAGE;
  }
  g_autoptr(ModelStore) store = cli_open_store("token revoke", db, TRUE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *actor = cli_actor();
  g_autoptr(GError) error = NULL;
  if (!model_store_token_revoke(store, actor, (gint64)id, &error)) {
    cli_error("token revoke", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  printf("revoked token %" G_GUINT64_FORMAT "\n", id);
  return CLI_EXIT_OK;
}

static char *describe_scope(const ModelTokenInfo *info) {
  switch (info->role) {
  case MODEL_TOKEN_SCHOOL:
    return g_strdup_printf("school:%s", info->school_id);
  case MODEL_TOKEN_ORGANISATION:
    return g_strdup_printf("organisation:%s", info->organisation_id);
  case MODEL_TOKEN_COORDINATOR:
  default:
    if (info->districts == NULL)
      return g_strdup("districts:*");
    g_autofree char *joined = g_strjoinv(",", info->districts);
    return g_strdup_printf("districts:%s", joined);
  }
}

static int token_list(int argc, char **argv) {
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(context,
                               "List the access tokens, one a line, tab-separated: id, role, "
                               "scope, created, revoked (\"-\" when valid).\nSecrets are "
                               "never stored, so never listed.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "token list", &argc, &argv) ||
      !cli_expect_args("token list", argc, argv, 0, "no arguments"))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelStore) store = cli_open_store("token list", db, TRUE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = model_store_token_list(store, &error);
  if (tokens == NULL) {
    cli_error("token list", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  GString *out = g_string_new("id\trole\tscope\tcreated\trevoked\n");
  for (guint i = 0; i < tokens->len; i++) {
    const ModelTokenInfo *info = g_ptr_array_index(tokens, i);
    g_autofree char *scope = describe_scope(info);
    g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", info->id,
                           model_token_role_name(info->role), scope, info->created_at,
                           info->revoked_at != NULL ? info->revoked_at : "-");
  }
  g_autofree char *text = g_string_free(out, FALSE);
  return cli_write_output("token list", NULL, text) ? CLI_EXIT_OK : CLI_EXIT_INVALID;
}

int cmd_token(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
  } subcommands[] = {
      {"create", token_create},
      {"revoke", token_revoke},
      {"list", token_list},
  };
  if (argc >= 2 && (g_str_equal(argv[1], "--help") || g_str_equal(argv[1], "-h"))) {
    printf("Usage: handen token create|revoke|list [OPTION...]\n\n"
           "Create, revoke or list the access tokens of the API.\n"
           "Run 'handen token SUBCOMMAND --help' for its options.\n");
    return CLI_EXIT_OK;
  }
  if (argc < 2)
    return usage_error("token", "missing subcommand (create, revoke or list)");
  for (gsize i = 0; i < G_N_ELEMENTS(subcommands); i++)
    if (g_str_equal(argv[1], subcommands[i].name)) {
      g_autofree char *prgname = g_strdup_printf("handen token %s", subcommands[i].name);
      g_set_prgname(prgname);
      return subcommands[i].run(argc - 1, argv + 1);
    }
  cli_error("token", "unknown subcommand '%s' (expected create, revoke or list)", argv[1]);
  fprintf(stderr, "Try 'handen token --help'.\n");
  return CLI_EXIT_USAGE;
}
