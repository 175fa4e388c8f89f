/* cmd-token.c: the `token` command of the `handen` command line: create, list and
 * revoke the access tokens of the HTTP API.  The store keeps only a hash of each
 * secret (store-tokens.h), so `create` prints the secret once, on stdout, and wipes
 * its copy; nothing else ever shows it.  Every change names the local user as its
 * actor in the audit log.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "store-tokens.h"

/* Splits "a,b" into district ids; NULL (usage error printed) on an empty entry. */
static GStrv split_districts(const char *text) {
  g_auto(GStrv) ids = g_strsplit(text, ",", -1);
  if (ids[0] == NULL) {
    cli_usage_error("token create", "--districts needs at least one district id");
    return NULL;
  }
  for (gsize i = 0; ids[i] != NULL; i++)
    if (ids[i][0] == '\0') {
      cli_usage_error("token create", "--districts has an empty district id");
      return NULL;
    }
  return g_steal_pointer(&ids);
}

/* "30d", "12h" or "2w" from now, as Unix seconds; FALSE (usage error printed) for
 * anything else or more than ten years. */
static gboolean parse_expiry(const char *text, gint64 now, gint64 *out) {
  char *end = NULL;
  guint64 n = g_ascii_strtoull(text, &end, 10);
  gint64 unit = end == NULL || end == text || end[0] == '\0' || end[1] != '\0' ? 0
                : end[0] == 'h'                                                ? 3600
                : end[0] == 'd'                                                ? 86400
                : end[0] == 'w'                                                ? 7 * 86400
                                                                               : 0;
  if (unit == 0 || !g_ascii_isdigit(text[0]) || n < 1 || n * (guint64)unit > 3650 * 86400ull) {
    cli_usage_error("token create",
                    "--expires: \"%s\" is not a lifetime (expected a number and h, d or w, "
                    "e.g. 30d, at most ten years)",
                    text);
    return FALSE;
  }
  *out = now + (gint64)n * unit;
  return TRUE;
}

/* Reports a token write the store refused; returns the exit status. */
static int token_failed(const char *command, const GError *error) {
  cli_error(command, "%s", error->message);
  return CLI_EXIT_INVALID;
}

static int token_create(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *role_text = NULL;
  g_autofree char *school = NULL;
  g_autofree char *organisation = NULL;
  g_autofree char *districts_text = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expires_text = NULL;
  GOptionEntry entries[] = {
      {"role", 0, 0, G_OPTION_ARG_STRING, &role_text,
       "coordinator, school or organisation (required)", "ROLE"},
      {"school", 0, 0, G_OPTION_ARG_STRING, &school, "The school of a school token", "ID"},
      {"organisation", 0, 0, G_OPTION_ARG_STRING, &organisation,
       "The organisation of an organisation token", "ID"},
      {"districts", 0, 0, G_OPTION_ARG_STRING, &districts_text,
       "Limit a coordinator token to these districts (default: every district)", "A,B"},
      {"label", 0, 0, G_OPTION_ARG_STRING, &label,
       "What the token is for, shown by token list (1 to 200 characters)", "TEXT"},
      {"expires", 0, 0, G_OPTION_ARG_STRING, &expires_text,
       "Refuse the token after this long: 12h, 30d, 2w (default: never)", "TIME"},
      CLI_OPTION_DB(&db),
      G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("token create", "",
                         "Create an access token for the API and print it once on "
                         "stdout (its id on stderr).\nThe store keeps only a hash of it.",
                         entries, 0, "no arguments", &argc, &argv))
    return CLI_EXIT_USAGE;
  ModelRole role = MODEL_ROLE_COORDINATOR;
  if (role_text == NULL)
    return cli_usage_error("token create", "missing --role (coordinator, school or organisation)");
  if (!model_role_parse(role_text, &role))
    return cli_usage_error("token create", "--role must be coordinator, school or organisation");
  if (role == MODEL_ROLE_SCHOOL && school == NULL)
    return cli_usage_error("token create", "--role school needs --school ID");
  if (role == MODEL_ROLE_ORGANISATION && organisation == NULL)
    return cli_usage_error("token create", "--role organisation needs --organisation ID");
  if (role != MODEL_ROLE_SCHOOL && school != NULL)
    return cli_usage_error("token create", "--school is only for --role school");
  if (role != MODEL_ROLE_ORGANISATION && organisation != NULL)
    return cli_usage_error("token create", "--organisation is only for --role organisation");
  if (role != MODEL_ROLE_COORDINATOR && districts_text != NULL)
    return cli_usage_error("token create", "--districts is only for --role coordinator");
  g_auto(GStrv) districts = NULL;
  if (districts_text != NULL && (districts = split_districts(districts_text)) == NULL)
    return CLI_EXIT_USAGE;
  ModelTokenOptions options = {label, -1};
  if (label != NULL &&
      (label[0] == '\0' || g_utf8_strlen(label, -1) > 200 || !g_utf8_validate(label, -1, NULL)))
    return cli_usage_error("token create", "--label must be 1 to 200 characters of UTF-8");
  if (expires_text != NULL &&
      !parse_expiry(expires_text, g_get_real_time() / G_USEC_PER_SEC, &options.expires_at))
    return CLI_EXIT_USAGE;

  gint64 id = 0;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelStore) store = cli_open_store("token create", db, FALSE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  g_autofree char *actor = cli_actor();
  if (!model_store_token_create_full(store, actor, role, school, organisation,
                                     (const char *const *)districts, &options, &id, &secret,
                                     &error))
    return token_failed("token create", error);
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
  GOptionEntry entries[] = {CLI_OPTION_DB(&db), G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("token revoke", "ID", "Revoke an access token: it is refused from now on.",
                         entries, 1, "one token ID", &argc, &argv))
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
  if (!model_store_token_revoke(store, actor, (gint64)id, &error))
    return token_failed("token revoke", error);
  printf("revoked token %" G_GUINT64_FORMAT "\n", id);
  return CLI_EXIT_OK;
}

static char *describe_scope(const ModelTokenInfo *info) {
  switch (info->role) {
  case MODEL_ROLE_SCHOOL:
    return g_strdup_printf("school:%s", info->school_id);
  case MODEL_ROLE_ORGANISATION:
    return g_strdup_printf("organisation:%s", info->organisation_id);
  case MODEL_ROLE_COORDINATOR:
  default:
    if (info->districts == NULL)
      return g_strdup("districts:*");
    g_autofree char *joined = g_strjoinv(",", info->districts);
    return g_strdup_printf("districts:%s", joined);
  }
}

static int token_list(int argc, char **argv) {
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {CLI_OPTION_DB(&db), G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("token list", "",
                         "List the access tokens, one a line, tab-separated: id, role, "
                         "scope, label, created, expires, last used, revoked (\"-\" when "
                         "none).\nSecrets are "
                         "never stored, so never listed.",
                         entries, 0, "no arguments", &argc, &argv))
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
  GString *out = g_string_new("id\trole\tscope\tlabel\tcreated\texpires\tlast_used\trevoked\n");
  for (guint i = 0; i < tokens->len; i++) {
    const ModelTokenInfo *info = g_ptr_array_index(tokens, i);
    g_autofree char *scope = describe_scope(info);
    /* A label is free text: tabs and line breaks would break the columns. */
    g_autofree char *label = g_strdup(info->label != NULL ? info->label : "-");
    g_strdelimit(label, "\t\r\n", ' ');
    g_string_append_printf(out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", info->id,
                           model_role_name(info->role), scope, label, info->created_at,
                           info->expires_at != NULL ? info->expires_at : "-",
                           info->last_used_at != NULL ? info->last_used_at : "-",
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
    return cli_usage_error("token", "missing subcommand (create, revoke or list)");
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
