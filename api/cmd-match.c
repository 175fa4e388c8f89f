/* cmd-match.c: the engine commands of the `handen` command line: match (a round on a
 * dataset file or on the store), check (the independent verifier of a result) and
 * mcf (the min-cost-flow solver on DIMACS files).  A round on the store replaces the
 * undecided proposals in one transaction; approved and rejected ones stay. */
#include "cli.h"
#include "commands.h"
#include "match.h"
#include "result-json.h"
#include "round.h"

/* Per district: staff-slots needed and proposed, then every unfilled staff-slot with
 * its reason and, unless for the greedy baseline, which has none, its what-if. */
static void print_round(FILE *out, const ModelDataset *dataset, const EngineResult *result,
                        gboolean whatifs) {
  guint n = dataset->districts->len;
  g_autofree gint64 *needed = g_new0(gint64, n);
  g_autofree gint64 *filled = g_new0(gint64, n);
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    const ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, p->request);
    gint s = model_dataset_find_school(dataset, r->school_id);
    gint d = model_dataset_find_district(
        dataset, g_array_index(dataset->schools, ModelSchool, s).district_id);
    filled[d]++;
    needed[d]++;
  }
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    const ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, u->request);
    gint s = model_dataset_find_school(dataset, r->school_id);
    gint d = model_dataset_find_district(
        dataset, g_array_index(dataset->schools, ModelSchool, s).district_id);
    needed[d] += u->missing;
  }
  const EngineStats *st = &result->stats;
  fprintf(out,
          "Matching round: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
          " staff-slots proposed (%.1f%%), %" G_GINT64_FORMAT " already approved\n",
          st->filled, st->needed, st->needed ? 100.0 * st->filled / st->needed : 100.0,
          st->approved);
  fprintf(out,
          "  high priority: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", normal: %" G_GINT64_FORMAT
          " of %" G_GINT64_FORMAT "\n",
          st->filled_by_priority[MODEL_PRIORITY_HIGH], st->needed_by_priority[MODEL_PRIORITY_HIGH],
          st->filled_by_priority[MODEL_PRIORITY_NORMAL],
          st->needed_by_priority[MODEL_PRIORITY_NORMAL]);
  fprintf(out, "  mean travel %.2f km, %.2f employees per request%s\n", st->mean_travel_km,
          st->employees_per_request, st->fair ? ", lending spread across organisations" : "");
  fprintf(out, "  continuity: each employee new to a request weighs like %.3g km of travel\n",
          st->continuity_m / 1000.0);
  fprintf(out,
          "  proposals: %" G_GINT64_FORMAT " kept, %" G_GINT64_FORMAT " new, %" G_GINT64_FORMAT
          " dropped of the undecided ones\n\n",
          st->kept, st->added, st->dropped);
  fprintf(out, "%-22s %9s %9s\n", "district", "proposed", "needed");
  for (guint d = 0; d < n; d++) {
    if (needed[d] == 0)
      continue;
    fprintf(out, "%-22s %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT "\n",
            g_array_index(dataset->districts, ModelDistrict, d).name, filled[d], needed[d]);
  }
  if (result->unfilled->len == 0)
    return;
  fprintf(out, "\nUnfilled staff-slots:\n");
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    const ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, u->request);
    char date[11];
    model_date_format(u->slot.date, date);
    g_autofree char *reason = api_result_explain(dataset, &result->stats, u);
    fprintf(out, "  %s %s %s %-9s %d of %d open%s: %s\n", r->id, r->school_id, date,
            model_part_name(u->slot.part), u->missing, u->needed,
            r->priority == MODEL_PRIORITY_HIGH ? " (high)" : "", reason);
    g_autofree char *whatif = whatifs ? api_result_whatif_text(dataset, u, FALSE) : NULL;
    if (whatif != NULL)
      fprintf(out, "    what if: %s\n", whatif);
  }
  if (!whatifs)
    return;
  const EngineWhatifStats *w = &st->whatif;
  fprintf(out, "\nWhat-ifs: %u found, %u with no single relaxation, %u skipped%s (%u re-solves)\n",
          w->found, w->none, w->skipped,
          w->stopped         ? " as the program was stopping"
          : w->out_of_solves ? " for the count budget"
          : w->out_of_time   ? " for the time budget"
                             : "",
          w->solves);
}

/* Reads the file at `path` whole, or standard input when `dash_is_stdin` and `path` is
 * "-"; FALSE after printing the error. */
static gboolean read_input(const char *command, const char *path, gboolean dash_is_stdin,
                           char **out_text, gsize *out_length) {
  g_autoptr(GError) error = NULL;
  if (dash_is_stdin && g_str_equal(path, "-")) {
    g_autoptr(GIOChannel) channel = g_io_channel_unix_new(0);
    g_io_channel_set_encoding(channel, NULL, NULL);
    if (g_io_channel_read_to_end(channel, out_text, out_length, &error) == G_IO_STATUS_NORMAL)
      return TRUE;
    cli_error(command, "standard input: %s", error->message);
    return FALSE;
  }
  if (g_file_get_contents(path, out_text, out_length, &error))
    return TRUE;
  cli_error(command, "%s", error->message);
  return FALSE;
}

static gint compare_ids(gconstpointer a, gconstpointer b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The districts of --districts "a,b" checked against the store, sorted and without
 * repeats (NULL for every district); NULL with *ok FALSE after printing an error. */
static GStrv store_districts(ModelStore *store, const char *list, gboolean *ok) {
  *ok = TRUE;
  if (list == NULL)
    return NULL;
  ModelQuery query;
  model_query_init(&query);
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelDataset) known = model_store_query_districts(store, &query, &error);
  if (known == NULL) {
    cli_error("match", "%s", error->message);
    *ok = FALSE;
    return NULL;
  }
  g_auto(GStrv) parts = g_strsplit(list, ",", -1);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
  for (gsize i = 0; parts[i] != NULL; i++) {
    const char *id = g_strstrip(parts[i]);
    if (model_dataset_find_district(known, id) < 0) {
      cli_error("match",
                "--districts: no district with id \"%s\" in the store (expected "
                "district ids separated by commas, as `handen summary` lists them)",
                id);
      *ok = FALSE;
      return NULL;
    }
    if (!g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL))
      g_ptr_array_add(ids, g_strdup(id));
  }
  g_ptr_array_sort(ids, compare_ids);
  g_ptr_array_add(ids, NULL);
  return (GStrv)g_ptr_array_free(g_steal_pointer(&ids), FALSE);
}

/* Sets options->continuity_m from the text of --continuity-km; FALSE after printing
 * the error. */
static gboolean parse_continuity_km(const char *text, gboolean no_continuity,
                                    EngineOptions *options) {
  if (no_continuity) {
    cli_error("match", "--no-continuity and --continuity-km exclude each other (expected one; "
                       "--continuity-km 0 is travel first)");
    return FALSE;
  }
  char *end = NULL;
  double km = g_ascii_strtod(text, &end);
  if (*text == '\0' || g_ascii_isspace(*text) || *end != '\0' ||
      !engine_continuity_m_from_km(km, &options->continuity_m)) {
    cli_error("match",
              "--continuity-km: expected a number of kilometres from 0 to %d (the charge per "
              "employee new to a request; 0: travel first), got \"%s\"",
              ENGINE_MAX_CONTINUITY_M / 1000, text);
    return FALSE;
  }
  return TRUE;
}

/* Registers and runs a round on the store at `db`, as POST /v1/rounds does; on success
 * `out` holds the snapshot and the result and *out_id the round. */
static int match_store(const char *db, const char *districts_list, EngineOptions *options,
                       ApiRoundOutcome *out, gint64 *out_id) {
  g_autoptr(ModelStore) store = cli_open_store("match", db, TRUE);
  if (store == NULL)
    return CLI_EXIT_INVALID;
  gboolean ok = TRUE;
  g_auto(GStrv) districts = store_districts(store, districts_list, &ok);
  if (!ok)
    return CLI_EXIT_INVALID;
  options->districts = (const char *const *)districts;
  g_autofree char *actor = cli_actor();
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  if (!api_round_begin(store, options, actor, now, out_id, &error)) {
    cli_error("match", "%s (no round was started)", error->message);
    return CLI_EXIT_INVALID;
  }
  if (!api_round_run(store, *out_id, options, now, out, &error)) {
    cli_error("match", "round %" G_GINT64_FORMAT ": %s (no proposal was saved)", *out_id,
              error->message);
    return CLI_EXIT_INVALID;
  }
  options->districts = NULL;
  return CLI_EXIT_OK;
}

int cmd_match(int argc, char **argv) {
  g_autofree char *db = NULL, *input = NULL, *output = NULL, *dimacs = NULL, *districts = NULL,
                  *continuity_km = NULL;
  gboolean timings = FALSE, no_continuity = FALSE, greedy = FALSE, quiet = FALSE, freed = FALSE,
           fair = FALSE, polish = FALSE;
  gint children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  gint stale_days = 0;
  gint whatif_ms = ENGINE_WHATIF_DEFAULT_MS, whatif_solves = ENGINE_WHATIF_DEFAULT_SOLVES;
  GOptionEntry entries[] = {
      {"db", 0, 0, G_OPTION_ARG_FILENAME, &db,
       "Run a round on the store and save it (default handen.db)", "PATH"},
      {"districts", 0, 0, G_OPTION_ARG_STRING, &districts,
       "With the store: only these districts (ids separated by commas)", "IDS"},
      {"freed", 0, 0, G_OPTION_ARG_NONE, &freed,
       "With the store: only the day parts a cancellation freed (re-match after illness)", NULL},
      {"input", 'i', 0, G_OPTION_ARG_FILENAME, &input,
       "Run offline on a dataset file; nothing is saved", "FILE"},
      {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
       "Write the result JSON to FILE (offline default: stdout)", "FILE"},
      {"dump-dimacs", 0, 0, G_OPTION_ARG_FILENAME, &dimacs,
       "Write the round's flow network as a DIMACS file", "FILE"},
      {"timings", 0, 0, G_OPTION_ARG_NONE, &timings,
       "Add build and solve times to the result (not deterministic)", NULL},
      CLI_OPTION_CHILDREN_PER_STAFF(&children_per_staff),
      {"no-continuity", 0, 0, G_OPTION_ARG_NONE, &no_continuity,
       "No charge for each new employee on a request: travel first, more faces", NULL},
      {"continuity-km", 0, 0, G_OPTION_ARG_STRING, &continuity_km,
       "Charge each new employee on a request like KM of travel (default 8; decimals allowed; "
       "0: travel first)",
       "KM"},
      {"fair", 0, 0, G_OPTION_ARG_NONE, &fair,
       "Spread lending across organisations in proportion to the day parts they offer", NULL},
      {"polish", 0, 0, G_OPTION_ARG_NONE, &polish,
       "Polish the plan by moving day parts within request slots while the cost drops (fewer "
       "faces or less travel; a large round takes several times longer)",
       NULL},
      {"greedy", 0, 0, G_OPTION_ARG_NONE, &greedy,
       "Offline only: the greedy baseline (first come, nearest first) instead of the optimiser",
       NULL},
      CLI_OPTION_STALE_AFTER_DAYS(&stale_days),
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Do not print the round's summary", NULL},
      {"whatif-ms", 0, 0, G_OPTION_ARG_INT, &whatif_ms,
       "Time budget of the what-ifs in milliseconds (default 5000; 0: none)", "MS"},
      {"whatif-solves", 0, 0, G_OPTION_ARG_INT, &whatif_solves,
       "Count budget of the what-ifs: relaxed re-solves (default 5000; 0: none)", "N"},
      G_OPTION_ENTRY_NULL};
  if (!cli_parse_options(
          "match", "",
          "Propose the best set of matches under the hard constraints and explain every\n"
          "staff-slot left open, with the cheapest single relaxation that would fill it\n"
          "(checked by re-solving, within the what-if budgets). With --input, run on a dataset "
          "file and write the\n"
          "result JSON; otherwise run a round on the store, exactly as POST /v1/rounds\n"
          "does: it is refused while a round for the same districts runs, and its\n"
          "proposals replace the undecided ones of its districts (approved assignments\n"
          "stay, rejected pairs never return). The round is listed by GET /v1/rounds.",
          entries, 0, "options only", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (input && db) {
    cli_error("match", "--input and --db exclude each other (expected one source)");
    return CLI_EXIT_USAGE;
  }
  if (input && (districts || freed)) {
    cli_error("match", "%s goes with the store, not with --input",
              districts ? "--districts" : "--freed");
    return CLI_EXIT_USAGE;
  }
  if (greedy && !input) {
    cli_error("match", "--greedy runs offline only (expected --input FILE): a round on the "
                       "store is always the optimiser's");
    return CLI_EXIT_USAGE;
  }
  if (!cli_check_children_per_staff("match", children_per_staff) ||
      !cli_check_stale_after_days("match", stale_days))
    return CLI_EXIT_USAGE;
  if (whatif_ms < 0 || whatif_solves < 0) {
    cli_error("match", "--%s: %d is negative (expected 0 or more)",
              whatif_ms < 0 ? "whatif-ms" : "whatif-solves",
              whatif_ms < 0 ? whatif_ms : whatif_solves);
    return CLI_EXIT_USAGE;
  }
  EngineOptions options;
  engine_options_init(&options);
  if (continuity_km != NULL && !parse_continuity_km(continuity_km, no_continuity, &options))
    return CLI_EXIT_USAGE;
  options.children_per_staff = children_per_staff;
  options.continuity = !no_continuity;
  options.freed_only = freed;
  options.whatif_ms = whatif_ms;
  options.whatif_solves = (guint)whatif_solves;
  options.fair = fair;
  options.polish = polish;
  options.confirmed_since = api_round_confirmed_since(MODEL_DATE_NONE, (guint)stale_days);
  g_autoptr(GError) error = NULL;
  g_auto(ApiRoundOutcome) outcome = {NULL, NULL};
  gint64 round = 0;
  if (input) {
    outcome.dataset = cli_load_dataset("match", input);
    if (!outcome.dataset)
      return CLI_EXIT_INVALID;
    outcome.result = greedy ? engine_greedy_run(outcome.dataset, &options)
                            : engine_match_run(outcome.dataset, &options, &error);
    if (!outcome.result) {
      cli_error("match", "%s", error->message);
      return CLI_EXIT_INVALID;
    }
  } else {
    int status = match_store(db, districts, &options, &outcome, &round);
    if (status != CLI_EXIT_OK)
      return status;
  }
  if (dimacs) {
    g_autoptr(EngineMcf) network = engine_match_network(outcome.dataset, &options, &error);
    if (!network) {
      cli_error("match", "%s", error->message);
      return CLI_EXIT_INVALID;
    }
    g_autofree char *text = engine_dimacs_format(network, "handen matching round");
    if (!cli_write_output("match", dimacs, text))
      return CLI_EXIT_INVALID;
  }
  if (output || input) {
    g_autofree char *text = api_result_encode(outcome.dataset, outcome.result, timings);
    if (!cli_write_output("match", output, text))
      return CLI_EXIT_INVALID;
  }
  if (!quiet && (!input || output)) {
    print_round(stdout, outcome.dataset, outcome.result, !greedy);
    if (!input)
      printf("\nRound %" G_GINT64_FORMAT ": saved %u proposals in %s.\n", round,
             outcome.result->proposals->len, db ? db : MODEL_STORE_DEFAULT_PATH);
  }
  return CLI_EXIT_OK;
}

int cmd_check(int argc, char **argv) {
  g_autofree char *input = NULL, *result_path = NULL;
  gint children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  GOptionEntry entries[] = {
      {"input", 'i', 0, G_OPTION_ARG_FILENAME, &input, "The dataset the round ran on", "FILE"},
      {"result", 'r', 0, G_OPTION_ARG_FILENAME, &result_path, "The round's result JSON", "FILE"},
      {"children-per-staff", 0, 0, G_OPTION_ARG_INT, &children_per_staff,
       "Children per staff member, as in the round (default 10)", "N"},
      G_OPTION_ENTRY_NULL};
  if (!cli_parse_options(
          "check", "",
          "Check every proposal of a result, together with the dataset's approved\n"
          "assignments, against every hard constraint (H1-H6). Exit status 1 names each\n"
          "violated rule and assignment.",
          entries, 0, "options only", &argc, &argv))
    return CLI_EXIT_USAGE;
  if (!input || !result_path) {
    cli_error("check", "missing %s (expected --input DATASET.json --result RESULT.json)",
              input ? "--result" : "--input");
    return CLI_EXIT_USAGE;
  }
  if (!cli_check_children_per_staff("check", children_per_staff))
    return CLI_EXIT_USAGE;
  g_autoptr(ModelDataset) dataset = cli_load_dataset("check", input);
  if (!dataset)
    return CLI_EXIT_INVALID;
  g_autofree char *text = NULL;
  gsize length = 0;
  if (!read_input("check", result_path, FALSE, &text, &length))
    return CLI_EXIT_INVALID;
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(GArray) proposals = api_result_decode_proposals(dataset, text, length, problems);
  if (!proposals) {
    for (guint i = 0; i < problems->len; i++) {
      const ModelProblem *p = g_ptr_array_index(problems, i);
      fprintf(stderr, "%s: %s%s%s\n", result_path, p->pointer, p->pointer[0] ? ": " : "",
              p->message);
    }
    return CLI_EXIT_INVALID;
  }
  EngineOptions options;
  engine_options_init(&options);
  options.children_per_staff = children_per_staff;
  g_autoptr(GPtrArray) violations = engine_check(dataset, &options, proposals);
  for (guint i = 0; i < violations->len; i++) {
    const EngineViolation *v = g_ptr_array_index(violations, i);
    fprintf(stderr, "%s: %s\n", v->rule, v->message);
  }
  if (violations->len) {
    cli_error("check", "%u violation%s of the hard constraints", violations->len,
              violations->len == 1 ? "" : "s");
    return CLI_EXIT_INVALID;
  }
  printf("%s: %u proposals satisfy every hard constraint\n", result_path, proposals->len);
  return CLI_EXIT_OK;
}

int cmd_mcf(int argc, char **argv) {
  gboolean flows = FALSE;
  GOptionEntry entries[] = {{"flows", 0, 0, G_OPTION_ARG_NONE, &flows,
                             "Also print an 'f SRC DST FLOW' line per arc "
                             "with flow",
                             NULL},
                            G_OPTION_ENTRY_NULL};
  if (!cli_parse_options(
          "mcf", "FILE",
          "Solve a DIMACS min-cost-flow problem ('p min', 'n' and 'a' lines; '-' reads\n"
          "standard input) and print 's COST'. An infeasible problem prints\n"
          "'s infeasible', an unbounded one 's unbounded'; both exit with status 3.",
          entries, 1, "one DIMACS FILE", &argc, &argv))
    return CLI_EXIT_USAGE;
  g_autofree char *text = NULL;
  gsize length = 0;
  if (!read_input("mcf", argv[1], TRUE, &text, &length))
    return CLI_EXIT_INVALID;
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(text, length, &error);
  if (!mcf) {
    cli_error("mcf", "%s: %s", argv[1], error->message);
    return CLI_EXIT_INVALID;
  }
  switch (engine_mcf_solve(mcf)) {
  case ENGINE_MCF_OPTIMAL: {
    g_autofree char *solution = engine_dimacs_format_solution(mcf, flows);
    return cli_write_output("mcf", NULL, solution) ? CLI_EXIT_OK : CLI_EXIT_INVALID;
  }
  case ENGINE_MCF_INFEASIBLE:
    printf("s infeasible\n");
    return CLI_EXIT_INFEASIBLE;
  case ENGINE_MCF_UNBOUNDED:
    printf("s unbounded\n");
    return CLI_EXIT_INFEASIBLE;
  }
  g_assert_not_reached();
}
