/* cmd-data.c: the data commands of the `handen` command line: validate, import,
 * export and summary.  They move datasets between files and the store; every write
 * is one store transaction, so a failed import leaves the store as it was. */
#include "cli.h"
#include "commands.h"

static void print_counts(FILE *out, const ModelDataset *dataset) {
  fprintf(out,
          "%u districts, %u schools, %u organisations, %u employees, %u requests, "
          "%u assignments\n",
          dataset->districts->len, dataset->schools->len, dataset->organisations->len,
          dataset->employees->len, dataset->requests->len, dataset->assignments->len);
}

int cmd_validate(int argc, char **argv) {
  GOptionEntry entries[] = {G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("FILE");
  g_option_context_set_summary(context, "Check a dataset file against every rule of the "
                                        "format and report all problems, each with its\n"
                                        "JSON Pointer. Exit status 1 when there are any.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "validate", &argc, &argv) ||
      !cli_expect_args("validate", argc, argv, 1, "one dataset FILE"))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelDataset) dataset = cli_load_dataset("validate", argv[1]);
  if (!dataset)
    return CLI_EXIT_INVALID;
  printf("%s: valid: ", argv[1]);
  print_counts(stdout, dataset);
  return CLI_EXIT_OK;
}

int cmd_import(int argc, char **argv) {
  g_autofree char *db = NULL;
  gboolean replace = FALSE;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      {"replace", 0, 0, G_OPTION_ARG_NONE, &replace,
       "Empty the store first (default: add new objects, replace those with the same id)", NULL},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("FILE");
  g_option_context_set_summary(context, "Load a dataset file into the store, all or nothing: "
                                        "a file with any problem stores nothing.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "import", &argc, &argv) ||
      !cli_expect_args("import", argc, argv, 1, "one dataset FILE"))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelDataset) dataset = cli_load_dataset("import", argv[1]);
  if (!dataset)
    return CLI_EXIT_INVALID;
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
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE (default stdout)", "FILE"},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(context, "Write the whole store as a dataset file, every "
                                        "array sorted by id.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "export", &argc, &argv) ||
      !cli_expect_args("export", argc, argv, 0, "no arguments"))
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
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db, "The store (default handen.db)", "PATH"},
      {"children-per-staff", 0, 0, G_OPTION_ARG_INT, &children_per_staff,
       "Children per staff member when need is given in children (default 10)", "N"},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_set_summary(
      context, "Per district: schools, open requests, and staff-slots needed (asked by open\n"
               "requests), proposed (undecided), approved and open (needed - approved -\n"
               "proposed, not below 0); employees and the staff-slots they offer.");
  g_option_context_add_main_entries(context, entries, NULL);
  if (!cli_parse(context, "summary", &argc, &argv) ||
      !cli_expect_args("summary", argc, argv, 0, "no arguments"))
    return CLI_EXIT_USAGE;
  if (children_per_staff < 1 || children_per_staff > 100) {
    cli_error("summary", "--children-per-staff: %d is out of range (expected 1 to 100)",
              children_per_staff);
    return CLI_EXIT_USAGE;
  }
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
