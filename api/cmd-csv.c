/* cmd-csv.c: `handen import-csv`: employees of one organisation from a spreadsheet
 * (CSV as Excel writes it) into the store, with the checks and the all-or-nothing
 * write of POST /v1/employees/import (csv-import.c).  Every problem is printed as
 * "FILE:ROW: COLUMN: message", in row order; with any problem nothing is stored.
 */
#include "cli.h"
#include "commands.h"
#include "csv-import.h"

/* Prints each problem as FILE:ROW: COLUMN: MESSAGE (FILE:ROW: MESSAGE for a row). */
static void print_problems(const char *path, const GPtrArray *problems) {
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *p = g_ptr_array_index((GPtrArray *)problems, i);
    g_auto(GStrv) parts = g_strsplit(p->pointer, "/", 2);
    if (parts[0] != NULL && parts[1] != NULL)
      fprintf(stderr, "%s:%s: %s: %s\n", path, parts[0], parts[1], p->message);
    else
      fprintf(stderr, "%s:%s: %s\n", path, p->pointer, p->message);
  }
}

int cmd_import_csv(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *organisation = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {CLI_OPTION_DB(&db),
                            {"organisation", 0, 0, G_OPTION_ARG_STRING, &organisation,
                             "The organisation whose employees the file lists (required)", "ID"},
                            {"dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
                             "Check the file and report what would be stored, storing nothing",
                             NULL},
                            G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("import-csv", "FILE",
                         "Load the employees of one organisation from a spreadsheet (CSV with ; "
                         "or , as Excel writes it,\nDutch or English headers), all or nothing: a "
                         "file with any problem stores nothing.",
                         entries, 1, "one CSV FILE", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (organisation == NULL)
    return cli_usage_error("import-csv", "--organisation ID is required");
  const char *path = argv[1];
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, &length, &error)) {
    cli_error("import-csv", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  if (length > MODEL_CSV_MAX_BYTES) {
    cli_error("import-csv",
              "%s: %" G_GSIZE_FORMAT " bytes is too large (expected at most %" G_GSIZE_FORMAT
              " bytes)",
              path, length, MODEL_CSV_MAX_BYTES);
    return CLI_EXIT_INVALID;
  }
  g_autoptr(ModelStore) store = cli_open_store("import-csv", db, TRUE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  g_autoptr(ApiCsvImport) import =
      api_csv_import_check(store, organisation, NULL, text, length, &error);
  if (import == NULL) {
    cli_error("import-csv", "%s", error->message);
    return CLI_EXIT_INVALID;
  }
  if (import->problems->len > 0) {
    print_problems(path, import->problems);
    cli_error("import-csv", "%s: %u problems found (nothing was stored)", path,
              import->problems->len);
    return CLI_EXIT_INVALID;
  }
  g_autofree char *actor = cli_actor();
  if (!dry_run &&
      !api_csv_import_store(store, import, actor, g_get_real_time() / G_USEC_PER_SEC, &error)) {
    cli_error("import-csv", "%s: %s (nothing was stored)", path, error->message);
    return CLI_EXIT_INVALID;
  }
  printf("%s %s for %s: %u employees created, %u updated\n", dry_run ? "checked" : "imported", path,
         organisation, import->created, import->updated);
  return CLI_EXIT_OK;
}
