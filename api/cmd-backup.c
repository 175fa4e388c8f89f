/* cmd-backup.c: the `backup` command of the `handen` command line: a consistent copy
 * of the store to a new file, safe to run while `handen serve` writes to the store
 * (model_store_backup(): SQLite's online backup API; the store is copied as it is,
 * never migrated).  An existing file is never replaced without --force, and a failed
 * backup leaves no file behind.  A PostgreSQL store is the server's to back up: the
 * command says so (pg_dump, replication) and exits 1 without writing anything.
 */
#include <glib/gstdio.h>

#include "cli.h"
#include "commands.h"

int cmd_backup(int argc, char **argv) {
  g_autofree char *db = NULL;
  gboolean force = FALSE;
  GOptionEntry entries[] = {
      CLI_OPTION_DB(&db),
      {"force", 'f', 0, G_OPTION_ARG_NONE, &force, "Replace OUT when it exists", NULL},
      G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("backup", "OUT",
                         "Copy the store to the new database file OUT, consistently, even while "
                         "'handen serve'\nwrites to it.  The copy is readable by its owner only.",
                         entries, 1, "one OUT file", &argc, &argv))
    return CLI_EXIT_USAGE;
  const char *target = argv[1];
  if (target[0] == '\0')
    return cli_usage_error("backup", "OUT must not be empty");

  const char *path = db != NULL ? db : MODEL_STORE_DEFAULT_PATH;
  if (!model_store_is_postgresql(path) && !g_file_test(path, G_FILE_TEST_EXISTS)) {
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
