/* cli.h: what the commands of the `handen` command line share: exit statuses, option
 * parsing with uniform usage errors, loading a dataset or a store with the problems
 * printed to stderr, and writing output files atomically.
 *
 * Exit statuses are part of the interface: 0 success, 1 invalid input (the problems
 * on stderr), 2 usage error, 3 an infeasible DIMACS problem.  Nothing below main()
 * calls exit(); commands return their status.
 */
#pragma once

#include <stdio.h>

#include "dataset-json.h"
#include "store.h"

G_BEGIN_DECLS

enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_INVALID = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_INFEASIBLE = 3,
};

/* A command: its name, one line of help, and its entry point (argv[0] is the
 * command name). */
typedef struct {
  const char *name;
  const char *summary;
  int (*run)(int argc, char **argv);
} CliCommand;

/* The table of every command, terminated by a zeroed entry. */
const CliCommand *cli_commands(void);

/* The --db option every command on the store takes, into a `char *` at `target`. */
#define CLI_OPTION_DB(target)                                                                      \
  {                                                                                                \
    "db", 0, 0, G_OPTION_ARG_FILENAME, (target),                                                   \
        "The store: an SQLite file (default handen.db) or a postgresql:// URI", "DB"               \
  }

/* The --children-per-staff option of the commands that count staff from children, into
 * a `gint` at `target`; cli_check_children_per_staff() checks its range. */
#define CLI_OPTION_CHILDREN_PER_STAFF(target)                                                      \
  {                                                                                                \
    "children-per-staff", 0, 0, G_OPTION_ARG_INT, (target),                                        \
        "Children per staff member when need is given in children (default 10)", "N"               \
  }

/* Whether --children-per-staff `value` is from 1 to 100; else prints an error naming
 * the option and returns FALSE. */
gboolean cli_check_children_per_staff(const char *command, gint value);

/* The --stale-after-days option of the commands that run rounds, into a `gint` at
 * `target`; cli_check_stale_after_days() checks its range. */
#define CLI_OPTION_STALE_AFTER_DAYS(target)                                                        \
  {                                                                                                \
    "stale-after-days", 0, 0, G_OPTION_ARG_INT, (target),                                          \
        "Leave availability not confirmed for DAYS before today out of rounds (default 0: never)", \
        "DAYS"                                                                                     \
  }

/* Whether --stale-after-days `value` is from 0 to 365; else prints an error naming the
 * option and returns FALSE. */
gboolean cli_check_stale_after_days(const char *command, gint value);

/* Parses the options of `command`: `entries` (G_OPTION_ENTRY_NULL-terminated),
 * `summary` for --help, `parameters` the positional part of the usage line ("" for
 * none), then expects exactly `n_args` positional arguments (`what` names them in a
 * usage error).  FALSE after printing a usage error; --help prints and exits as GLib
 * does. */
gboolean cli_parse_options(const char *command, const char *parameters, const char *summary,
                           const GOptionEntry *entries, int n_args, const char *what, int *argc,
                           char ***argv);

/* Prints "handen COMMAND: message" to stderr. */
void cli_error(const char *command, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Prints "handen COMMAND: message" and the --help hint to stderr; returns
 * CLI_EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Loads and checks a dataset file; on problems prints each as "FILE: POINTER: MESSAGE"
 * and returns NULL. */
ModelDataset *cli_load_dataset(const char *command, const char *path);

/* Who is acting from the command line, for the audit log: "command line (user NAME)"
 * with the local user (transfer full). */
char *cli_actor(void);

/* Opens the store at `path` (NULL: handen.db), creating it unless `must_exist`;
 * prints the error and returns NULL on failure. */
ModelStore *cli_open_store(const char *command, const char *path, gboolean must_exist);

/* Opens an existing store and loads it whole; prints the error and returns NULL on
 * failure.  `out_store` (may be NULL) receives the open store. */
ModelDataset *cli_load_store(const char *command, const char *path, ModelStore **out_store);

/* Writes `text` to `path` atomically (g_file_set_contents), or to stdout when path
 * is NULL or "-".  Prints the error and returns FALSE on failure. */
gboolean cli_write_output(const char *command, const char *path, const char *text);

G_END_DECLS
