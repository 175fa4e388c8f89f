/* cli.c: the command table and the helpers every `handen` command shares (see
 * cli.h).  Messages go to stderr, results to stdout, so output can be piped. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

static const CliCommand commands[] = {
    {"validate", "Check a dataset file and report every problem", cmd_validate},
    {"import", "Load a dataset file into the store, all or nothing", cmd_import},
    {"import-csv", "Load an organisation's employees from a spreadsheet, all or nothing",
     cmd_import_csv},
    {"export", "Write the store as a dataset file", cmd_export},
    {"summary", "Per district: schools, requests, staff-slots needed and available", cmd_summary},
    {"match", "Run a matching round on a dataset file or on the store", cmd_match},
    {"check", "Check a round's result against every hard constraint", cmd_check},
    {"mcf", "Solve a DIMACS min-cost-flow problem", cmd_mcf},
    {"serve", "Serve the store through the HTTP JSON API and the web pages", cmd_serve},
    {"token", "Create or revoke an access token for the API", cmd_token},
    {"backup", "Copy the store to a new file, consistently, even while it is served", cmd_backup},
    {NULL, NULL, NULL},
};

const CliCommand *cli_commands(void) {
  return commands;
}

void cli_error(const char *command, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  va_end(args);
  fprintf(stderr, "handen %s: %s\n", command, message);
}

int cli_usage_error(const char *command, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  va_end(args);
  cli_error(command, "%s", message);
  fprintf(stderr, "Try 'handen %s --help'.\n", command);
  return CLI_EXIT_USAGE;
}

/* Parses options with `context`; on a usage error prints "handen COMMAND: message" and
 * the usage hint, and returns FALSE. */
static gboolean parse(GOptionContext *context, const char *command, int *argc, char ***argv) {
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(context, argc, argv, &error)) {
    cli_error(command, "%s", error->message);
    fprintf(stderr, "Try 'handen %s --help'.\n", command);
    return FALSE;
  }
  return TRUE;
}

/* Expects exactly `n` positional arguments left after parsing (argv[0] is the
 * command); else prints a usage error naming what was expected. */
static gboolean expect_args(const char *command, int argc, char **argv, int n, const char *what) {
  if (argc - 1 == n)
    return TRUE;
  if (argc - 1 < n)
    cli_error(command, "missing %s", what);
  else
    cli_error(command, "unexpected argument '%s' (expected %s)", argv[n + 1], what);
  fprintf(stderr, "Try 'handen %s --help'.\n", command);
  return FALSE;
}

gboolean cli_parse_options(const char *command, const char *parameters, const char *summary,
                           const GOptionEntry *entries, int n_args, const char *what, int *argc,
                           char ***argv) {
  g_autoptr(GOptionContext) context = g_option_context_new(parameters);
  g_option_context_set_summary(context, summary);
  g_option_context_add_main_entries(context, entries, NULL);
  return parse(context, command, argc, argv) && expect_args(command, *argc, *argv, n_args, what);
}

/* Whether `value` of `option` is from `min` to `max`; else prints an error naming the
 * option and returns FALSE. */
static gboolean check_option_range(const char *command, const char *option, gint value, gint min,
                                   gint max) {
  if (value >= min && value <= max)
    return TRUE;
  cli_error(command, "%s: %d is out of range (expected %d to %d)", option, value, min, max);
  return FALSE;
}

gboolean cli_check_children_per_staff(const char *command, gint value) {
  return check_option_range(command, "--children-per-staff", value, 1, 100);
}

gboolean cli_check_stale_after_days(const char *command, gint value) {
  return check_option_range(command, "--stale-after-days", value, 0, 365);
}

ModelDataset *cli_load_dataset(const char *command, const char *path) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelDataset *dataset = model_json_load_dataset(path, problems);
  if (dataset)
    return dataset;
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    if (problem->pointer[0] != '\0')
      fprintf(stderr, "%s: %s: %s\n", path, problem->pointer, problem->message);
    else
      fprintf(stderr, "%s: %s\n", path, problem->message);
  }
  cli_error(command, "%s: %u problem%s found", path, problems->len, problems->len == 1 ? "" : "s");
  return NULL;
}

char *cli_actor(void) {
  return g_strdup_printf("command line (user %s)", g_get_user_name());
}

ModelStore *cli_open_store(const char *command, const char *path, gboolean must_exist) {
  if (!path)
    path = MODEL_STORE_DEFAULT_PATH;
  /* A PostgreSQL database exists or the connection says why not. */
  if (must_exist && !model_store_is_postgresql(path) && !g_file_test(path, G_FILE_TEST_EXISTS)) {
    cli_error(command, "%s: no such store (create it with 'handen import')", path);
    return NULL;
  }
  g_autoptr(GError) error = NULL;
  ModelStore *store = model_store_open(path, &error);
  if (!store)
    cli_error(command, "%s", error->message);
  return store;
}

ModelDataset *cli_load_store(const char *command, const char *path, ModelStore **out_store) {
  g_autoptr(ModelStore) store = cli_open_store(command, path, TRUE);
  if (!store)
    return NULL;
  g_autoptr(GError) error = NULL;
  ModelDataset *dataset = model_store_load(store, &error);
  if (!dataset) {
    cli_error(command, "%s", error->message);
    return NULL;
  }
  if (out_store)
    *out_store = g_steal_pointer(&store);
  return dataset;
}

/* Writes `text` to `path`.  A regular file, or a new one, is replaced atomically
 * (a new file renamed over it), so a reader never sees half of it; a symbolic link
 * is followed, so the link stays a link; anything else that exists (a device such as
 * /dev/null, a FIFO, a terminal) is written in place, since a rename would replace
 * it by a plain file. */
static gboolean write_path(const char *path, const char *text, GError **error) {
  g_autofree char *resolved = realpath(path, NULL);
  const char *target = resolved != NULL ? resolved : path;
  struct stat st;
  if (stat(target, &st) != 0 || S_ISREG(st.st_mode))
    return g_file_set_contents(target, text, -1, error);
  FILE *out = fopen(target, "w");
  if (out == NULL) {
    int saved = errno;
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot open %s: %s", path,
                g_strerror(saved));
    return FALSE;
  }
  size_t length = strlen(text);
  gboolean written = fwrite(text, 1, length, out) == length;
  int saved = errno;
  if (fclose(out) != 0 && written) {
    written = FALSE;
    saved = errno;
  }
  if (!written) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "cannot write to %s: %s", path,
                g_strerror(saved));
    return FALSE;
  }
  return TRUE;
}

gboolean cli_write_output(const char *command, const char *path, const char *text) {
  if (!path || g_str_equal(path, "-")) {
    if (fputs(text, stdout) == EOF || fflush(stdout) != 0) {
      cli_error(command, "cannot write to standard output: %s", g_strerror(errno));
      return FALSE;
    }
    return TRUE;
  }
  g_autoptr(GError) error = NULL;
  if (!write_path(path, text, &error)) {
    cli_error(command, "%s", error->message);
    return FALSE;
  }
  return TRUE;
}
