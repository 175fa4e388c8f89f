/* cmd-backup.c: the `backup` command of the `handen` command line: a consistent copy
 * of the store to a new file, safe to run while `handen serve` writes to the store
 * (model_store_backup(): SQLite's online backup API; the store is copied as it is,
 * never migrated).  An existing file is never replaced without --force, and a failed
 * backup leaves no file behind.
 */
#include <glib/gstdio.h>

#include "cli.h"
#include "commands.h"

int cmd_backup(int argc, char **argv) {
  g_autofree char *db = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      {"force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace OUT when it exists", NULL},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("OUT");
  g_option_context_set_summary(
      context, "Copy the store to the new database file OUT, consistently, even while "
               "'handen serve'\nwrites to it.  The copy is readable by its owner only.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "backup", &argc, &argv) ||
      !cli_expect_args("backup", argc, argv, 1, "one OUT file"))
    return CLI_EXIT_USAGE;
  const char *target = argv[1];
  if (target[0] == '\0') {
    cli_error("backup", "OUT must not be empty");
    fprintf(stderr, "Try 'handen backup --help'.\n");
    return CLI_EXIT_USAGE;
  }

  const char *path = db != NULL ? db : MODEL_STORE_DEFAULT_PATH;
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    cli_error("backup", "%s: no such store (create it with 'handen import')", path);
    return CLI_EXIT_INVALID;
  }
  g_autoptr(GError) error = NULL;
  if (!model_store_backup(path, target, force, &error)) {
    if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_CONFLICT) && !force)
      cli_error("backup", "%s (use --force to replace it)", error->message);
    else
      cli_error("backup", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  GStatBuf copy;
  gint64 bytes = g_stat(target, &copy) == 0 ? (gint64)copy.st_size : 0;
  printf("backed up %s to %s (%" G_GINT64_FORMAT " bytes)\n", path, target, bytes);
  return CLI_EXIT_OK;
}
