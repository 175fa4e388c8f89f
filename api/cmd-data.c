/* cmd-data.c: the data commands of the `handen` command line: validate, import,
 * export and summary.  They move datasets between files and the store; every write
 * is one store transaction, so a failed import leaves the store as it was. */
#include "cli.h"
#include "commands.h"

static void print_counts(FILE *out, const ModelDataset *dataset) {
  fprintf(out, "%u districts, %u schools, %u organisations, ", dataset->districts->len,
          dataset->schools->len, dataset->organisations->len);
  if (dataset->locations->len > 0) /* a dataset without locations reads as before */
    fprintf(out, "%u locations, ", dataset->locations->len);
  fprintf(out, "%u employees, %u requests, %u assignments\n", dataset->employees->len,
          dataset->requests->len, dataset->assignments->len);
}

/* Parses the options of a command that takes one dataset FILE and loads that file;
 * NULL after printing the usage error or the file's problems, with the exit status in
 * *out_status.  argv[1] is the file afterwards. */
static ModelDataset *parse_and_load(const char *command, const char *summary,
                                    const GOptionEntry *entries, int *argc, char ***argv,
                                    int *out_status) {
  if (!cli_parse_options(command, "FILE", summary, entries, 1, "one dataset FILE", argc, argv)) {
    *out_status = CLI_EXIT_USAGE;
    return NULL;
  }
  *out_status = CLI_EXIT_INVALID;
  return cli_load_dataset(command, (*argv)[1]);
}

int cmd_validate(int argc, char **argv) {
  GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
  int status;
  g_autoptr(ModelDataset) dataset =
      parse_and_load("validate",
                     "Check a dataset file against every rule of the format and report all "
                     "problems, each with its\nJSON Pointer. Exit status 1 when there are any.",
                     entries, &argc, &argv, &status);
  if (!dataset)
    return status;
  printf("%s: valid: ", argv[1]);
  print_counts(stdout, dataset);
  return CLI_EXIT_OK;
}

int cmd_import(int argc, char **argv) {
  g_autofree char *db = NULL;
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
      CLI_OPTION_DB(&db),
      {"replace", 0, 0, G_OPTION_ARG_NONE, &replace,
       "Empty the store first (default: add new objects, replace those with the same id)", NULL},
      G_OPTION_ENTRY_NULL};
  int status;
  g_autoptr(ModelDataset) dataset =
      parse_and_load("import",
                     "Load a dataset file into the store, all or "
                     "nothing: a file with any problem stores nothing.",
                     entries, &argc, &argv, &status);
  if (!dataset)
    return status;
  g_autoptr(ModelStore) store = cli_open_store("import", db, FALSE);
  if (!store)
    return CLI_EXIT_INVALID;
  g_autoptr(GError) error = NULL;
  if (!model_store_import(store, dataset,
                          replace ? MODEL_STORE_IMPORT_REPLACE : MODEL_STORE_IMPORT_MERGE,
                          &error)) {
    cli_error("import", "%s: %s (nothing was stored)", argv[1], error->message);
    return CLI_EXIT_INVALID;
  }
  printf("imported %s into %s: ", argv[1], db ? db : MODEL_STORE_DEFAULT_PATH);
  print_counts(stdout, dataset);
  return CLI_EXIT_OK;
}

int cmd_export(int argc, char **argv) {
  g_autofree char *db = NULL;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
      CLI_OPTION_DB(&db),
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (default stdout)", "FILE"},
      G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("export", "",
                         "Write the whole store as a dataset file, every array "
                         "sorted by id.",
                         entries, 0, "no arguments", &argc, &argv))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelDataset) dataset = cli_load_store("export", db, NULL);
  if (!dataset)
    return CLI_EXIT_INVALID;
  g_autofree char *text = model_json_encode_dataset(dataset);
  return cli_write_output("export", output, text) ? CLI_EXIT_OK : CLI_EXIT_INVALID;
}

int cmd_summary(int argc, char **argv) {
  g_autofree char *db = NULL;
  gint children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  GOptionEntry entries[] = {CLI_OPTION_DB(&db), CLI_OPTION_CHILDREN_PER_STAFF(&children_per_staff),
                            G_OPTION_ENTRY_NULL};
  if (!cli_parse_options("summary", "",
                         "Per district: schools, open requests, and staff-slots needed (asked by "
                         "open\nrequests), proposed (undecided), approved and open (needed - "
                         "approved -\nproposed, not below 0); employees and the staff-slots they "
                         "offer.",
                         entries, 0, "no arguments", &argc, &argv) ||
      !cli_check_children_per_staff("summary", children_per_staff))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelDataset) dataset = cli_load_store("summary", db, NULL);
  if (!dataset)
    return CLI_EXIT_INVALID;
  g_autoptr(GArray) rows = model_summary(dataset, children_per_staff);
  printf("%-22s %7s %9s %9s %9s %9s %9s %9s %10s\n", "district", "schools", "requests", "needed",
         "proposed", "approved", "open", "employees", "available");
  ModelDistrictSummary total = model_summary_total(rows, NULL);
  for (guint i = 0; i <= rows->len; i++) { /* the districts, then the total */
    const ModelDistrictSummary *row =
        i < rows->len ? &g_array_index(rows, ModelDistrictSummary, i) : &total;
    const char *name = i < rows->len
                           ? g_array_index(dataset->districts, ModelDistrict, row->district).name
                           : "total";
    printf("%-22s %7u %9u %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT
           " %9" G_GINT64_FORMAT " %9u %10" G_GINT64_FORMAT "\n",
           name, row->schools, row->open_requests, row->staff_slots_needed,
           row->staff_slots_proposed, row->staff_slots_approved, row->staff_slots_open,
           row->employees, row->available_staff_slots);
  }
  return CLI_EXIT_OK;
}
