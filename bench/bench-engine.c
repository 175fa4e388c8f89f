/* bench-engine.c: measures a matching round at one scale and prints one block of
 * figures: network size, build and solve time, end-to-end time, peak memory, fill,
 * travel and continuity, for the optimiser with and without its continuity charge,
 * for travel alone (a lower bound on travel at maximum fill), for the greedy
 * baseline, and for a fair round with the spread of lending across organisations;
 * the quality targets against greedy; optionally the same flow network solved by an
 * external reference solver (LEMON's NetworkSimplex, see lemon-solve.cc), whose
 * optimum must equal ours.  The round's time includes its what-ifs (the cheapest
 * relaxation that fills each unfilled staff-slot); their own time and counts are
 * printed apart.  Then a sweep over the continuity charge (--sweep, by default
 * 0,0.25,0.5,1,2,4,8,16 km below national scale): per charge, travel and employees per
 * request against greedy and against the travel-only bound, the trade-off's front.
 *
 * Weighted fill counts a high-priority staff-slot (vulnerable children) twice.
 *
 * Childcare locations limit what they lend (H7) at every scale; --no-locations leaves
 * them out (the generated datasets are otherwise the same, and Almere's employees work
 * nowhere), for the figures without the limit.
 *
 * Usage: bench-engine --scale city|region|scarce|national|national-scarce [--fixtures DIR]
 *        [--lemon PATH] [--whatif-ms MS] [--sweep KM,KM,...] [--no-locations]
 *        bench-engine --schools N --employees M --weeks W [--seed S]
 * Run one scale per process so that the peak RSS belongs to that scale.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dataset-json.h"
#include "gen.h"
#include "match.h"

static double now_s(void) {
  return (double)g_get_monotonic_time() / 1e6;
}

static double peak_rss_mib(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_maxrss / 1024.0;
}

static void print_quality(const char *label, const EngineResult *r) {
  const EngineStats *s = &r->stats;
  gint64 nh = s->needed_by_priority[MODEL_PRIORITY_HIGH];
  gint64 nn = s->needed_by_priority[MODEL_PRIORITY_NORMAL];
  gint64 fh = s->filled_by_priority[MODEL_PRIORITY_HIGH];
  gint64 fn = s->filled_by_priority[MODEL_PRIORITY_NORMAL];
  gint64 weighted_needed = 2 * nh + nn;
  printf("  %-22s weighted fill %6.2f%% (high %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT
         ", normal %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "), travel %.0f km (mean %.2f), "
         "employees/request %.3f\n",
         label, weighted_needed ? 100.0 * (double)(2 * fh + fn) / (double)weighted_needed : 100.0,
         fh, nh, fn, nn, (double)s->total_travel_m / 1000.0, s->mean_travel_km,
         s->employees_per_request);
}

static double weighted_fill(const EngineStats *s) {
  gint64 needed =
      2 * s->needed_by_priority[MODEL_PRIORITY_HIGH] + s->needed_by_priority[MODEL_PRIORITY_NORMAL];
  gint64 filled =
      2 * s->filled_by_priority[MODEL_PRIORITY_HIGH] + s->filled_by_priority[MODEL_PRIORITY_NORMAL];
  return needed > 0 ? (double)filled / (double)needed : 1.0;
}

/* Whether two exact rounds fill alike: the same weighted fill, or, where weekly and
 * location limits crossed and a search was cut, within the staff-slots each round says
 * it may miss (a high one counts twice). */
static gboolean fills_alike(const EngineStats *a, const EngineStats *b) {
  gint64 slack = 2 * (a->uncertified_gap_filled + b->uncertified_gap_filled);
  gint64 diff = 2 * (a->filled_by_priority[MODEL_PRIORITY_HIGH] -
                     b->filled_by_priority[MODEL_PRIORITY_HIGH]) +
                a->filled_by_priority[MODEL_PRIORITY_NORMAL] -
                b->filled_by_priority[MODEL_PRIORITY_NORMAL];
  return a->needed == b->needed && (diff < 0 ? -diff : diff) <= slack;
}

/* The quality targets: travel at least 20% and employees per request at least 30%
 * below greedy, at a weighted fill at least greedy's; travel also per filled staff-slot
 * (fair where the fills differ) and against the lower bound. */
static void print_targets(const EngineResult *opt, const EngineResult *greedy,
                          const EngineResult *bound) {
  const EngineStats *o = &opt->stats, *g = &greedy->stats, *b = &bound->stats;
  double travel = 100.0 * ((double)o->total_travel_m / (double)MAX(g->total_travel_m, 1) - 1.0);
  double per_slot = 100.0 * (o->mean_travel_km / MAX(g->mean_travel_km, 1e-9) - 1.0);
  double bound_vs_greedy =
      100.0 * ((double)b->total_travel_m / (double)MAX(g->total_travel_m, 1) - 1.0);
  double faces = 100.0 * (o->employees_per_request / MAX(g->employees_per_request, 1e-9) - 1.0);
  printf("  targets                travel %+.1f%% vs greedy (per filled slot %+.1f%%; target "
         "<= -20%%: %s; the lower bound is %+.1f%%), employees/request %+.1f%% (target <= "
         "-30%%: %s), weighted fill %s greedy's\n",
         travel, per_slot, travel <= -20.0 ? "met" : "NOT met", bound_vs_greedy, faces,
         faces <= -30.0 ? "met" : "NOT met", weighted_fill(o) >= weighted_fill(g) ? ">=" : "BELOW");
  printf("  objective              cost %.0f km, lower bound %.0f km (gap %.2f%%)\n",
         (double)o->cost_m / 1000.0, (double)o->cost_bound_m / 1000.0,
         o->cost_m > 0 ? 100.0 * (double)(o->cost_m - o->cost_bound_m) / (double)o->cost_m : 0.0);
}

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* How evenly organisations lend: per organisation day parts proposed / free day parts
 * its active employees with vog offer; the Gini coefficient of those rates and their
 * range. */
static void print_spread(const char *label, const ModelDataset *ds, const EngineResult *r) {
  guint n = ds->organisations->len;
  g_autofree double *offered = g_new0(double, n + 1), *lent = g_new0(double, n + 1);
  for (guint e = 0; e < ds->employees->len; e++) {
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    gint o = emp->organisation_id ? model_dataset_find_organisation(ds, emp->organisation_id) : -1;
    if (o < 0 || !emp->active || !(emp->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG)))
      continue;
    g_autoptr(GArray) slots = model_slot_rules_expand(emp->availability);
    offered[o] += slots->len;
  }
  for (guint i = 0; i < r->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(r->proposals, EngineProposal, i);
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, p->employee);
    lent[model_dataset_find_organisation(ds, emp->organisation_id)]++;
  }
  g_autofree double *rate = g_new(double, n + 1);
  guint m = 0;
  for (guint o = 0; o < n; o++)
    if (offered[o] > 0)
      rate[m++] = lent[o] / offered[o];
  qsort(rate, m, sizeof(double), compare_double);
  double sum = 0, weighted = 0;
  for (guint i = 0; i < m; i++) {
    sum += rate[i];
    weighted += (2.0 * (i + 1) - m - 1) * rate[i];
  }
  double gini = m > 0 && sum > 0 ? weighted / (m * sum) : 0.0;
  printf("  %-22s %u organisations: share of offered day parts lent %.1f%%..%.1f%%, Gini %.3f\n",
         label, m, m ? 100.0 * rate[0] : 0.0, m ? 100.0 * rate[m - 1] : 0.0, gini);
}

static double percent_above(double x, double base) {
  return 100.0 * (x / MAX(base, 1e-9) - 1.0);
}

/* The sweep over the continuity charge: one row per charge in `list` (km, separated
 * by commas): total travel against greedy and the travel-only bound, travel per filled
 * staff-slot against greedy (the fair comparison where greedy fills less), employees
 * per request against greedy and the travel-only round.  "both" marks a charge whose
 * round, at a weighted fill at least greedy's, travels no more than greedy per filled
 * staff-slot (in total, where the fills are equal) and has fewer employees per request.
 * FALSE when a charge is refused or a round fails or fills differently from `bound`. */
static gboolean print_sweep(const ModelDataset *dataset, const char *list,
                            const EngineResult *greedy, const EngineResult *bound) {
  const EngineStats *g = &greedy->stats, *b = &bound->stats;
  printf("  sweep of the continuity charge (travel and employees/request; vs greedy, vs the "
         "travel-only bound)\n");
  printf("    %8s %10s %8s %8s %8s %8s %8s %8s %7s  %s\n", "km", "travel", "greedy", "bound",
         "per slot", "emp/req", "greedy", "t-only", "gap", "both");
  g_auto(GStrv) items = g_strsplit(list, ",", -1);
  gboolean ok = TRUE;
  for (gsize i = 0; items[i] != NULL && ok; i++) {
    EngineOptions options;
    engine_options_init(&options);
    char *end = NULL;
    double km = g_ascii_strtod(items[i], &end);
    if (end == items[i] || *end != '\0' ||
        !engine_continuity_m_from_km(km, &options.continuity_m)) {
      fprintf(stderr, "bench-engine: --sweep: expected kilometres from 0 to %d, got \"%s\"\n",
              ENGINE_MAX_CONTINUITY_M / 1000, items[i]);
      return FALSE;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(EngineResult) r = engine_match_run(dataset, &options, &error);
    if (r == NULL) {
      fprintf(stderr, "bench-engine: %s\n", error->message);
      return FALSE;
    }
    const EngineStats *s = &r->stats;
    ok = fills_alike(s, b);
    gboolean both = s->mean_travel_km <= g->mean_travel_km &&
                    s->employees_per_request < g->employees_per_request &&
                    weighted_fill(s) >= weighted_fill(g);
    printf("    %8.3g %7.0f km %+7.1f%% %+7.1f%% %+7.1f%% %8.3f %+7.1f%% %+7.1f%% %6.2f%%  %s\n",
           km, (double)s->total_travel_m / 1000.0,
           percent_above((double)s->total_travel_m, (double)g->total_travel_m),
           percent_above((double)s->total_travel_m, (double)b->total_travel_m),
           percent_above(s->mean_travel_km, g->mean_travel_km), s->employees_per_request,
           percent_above(s->employees_per_request, g->employees_per_request),
           percent_above(s->employees_per_request, b->employees_per_request),
           s->cost_m > 0 ? 100.0 * (double)(s->cost_m - s->cost_bound_m) / (double)s->cost_m : 0.0,
           both ? "yes" : "no");
  }
  if (!ok)
    fprintf(stderr, "bench-engine: a round of the sweep filled differently\n");
  return ok;
}

/* Solves the round's whole network with our solver and, given a path, with the
 * reference program; prints both times and checks the optima agree.  Returns FALSE
 * on a disagreement. */
static gboolean compare_reference(const ModelDataset *dataset, const EngineOptions *options,
                                  const char *lemon) {
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) network = engine_match_network(dataset, options, &error);
  if (!network) {
    fprintf(stderr, "bench: %s\n", error->message);
    return FALSE;
  }
  double t0 = now_s();
  EngineMcfStatus status = engine_mcf_solve(network);
  double ours = now_s() - t0;
  if (status != ENGINE_MCF_OPTIMAL) {
    fprintf(stderr, "bench: the round's network is not optimal (%d)\n", status);
    return FALSE;
  }
  gint64 cost = engine_mcf_total_cost(network);
  printf("  whole network          %u nodes, %u arcs: handen %.3f s, cost %" G_GINT64_FORMAT "\n",
         engine_mcf_n_nodes(network), engine_mcf_n_arcs(network), ours, cost);
  if (!lemon)
    return TRUE;
  g_autofree char *text = engine_dimacs_format(network, NULL);
  g_autofree char *path = g_build_filename(g_get_tmp_dir(), "handen-bench-XXXXXX.min", NULL);
  int fd = g_mkstemp(path);
  if (fd < 0 || !g_file_set_contents(path, text, -1, &error)) {
    fprintf(stderr, "bench: cannot write %s\n", path);
    return FALSE;
  }
  close(fd);
  const char *argv[] = {lemon, path, NULL};
  g_autofree char *out = NULL;
  int wait_status = 0;
  gboolean ran = g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                              &wait_status, &error);
  g_unlink(path);
  gint64 lemon_cost = 0;
  double lemon_s = 0;
  if (!ran || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0 ||
      sscanf(out, "%" G_GINT64_FORMAT " %lf", &lemon_cost, &lemon_s) != 2) {
    fprintf(stderr, "bench: the reference solver failed\n");
    return FALSE;
  }
  printf("  LEMON NetworkSimplex   %.3f s, cost %" G_GINT64_FORMAT "  -> handen/LEMON %.2fx%s\n",
         lemon_s, lemon_cost, lemon_s > 0 ? ours / lemon_s : 0.0,
         lemon_cost == cost ? ", optima equal" : "  OPTIMA DIFFER");
  return lemon_cost == cost;
}

int main(int argc, char **argv) {
  g_autofree char *scale = NULL, *fixtures = NULL, *lemon = NULL, *sweep = NULL;
  gint schools = 0, employees = 0, weeks = 2;
  gint64 seed = 1;
  gboolean reference = FALSE, no_locations = FALSE;
  gint64 whatif_ms = ENGINE_WHATIF_DEFAULT_MS;
  GOptionEntry entries[] = {
      {"scale", 0, 0, G_OPTION_ARG_STRING, &scale,
       "city, region, scarce, national or national-scarce", "NAME"},
      {"fixtures", 0, 0, G_OPTION_ARG_FILENAME, &fixtures, "Folder of almere.json", "DIR"},
      {"schools", 0, 0, G_OPTION_ARG_INT, &schools, "Synthetic: schools", "N"},
      {"employees", 0, 0, G_OPTION_ARG_INT, &employees, "Synthetic: employees", "M"},
      {"weeks", 0, 0, G_OPTION_ARG_INT, &weeks, "Synthetic: weeks (default 2)", "W"},
      {"seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Synthetic: seed (default 1)", "S"},
      {"whatif-ms", 0, 0, G_OPTION_ARG_INT64, &whatif_ms,
       "Time budget of the what-ifs (default 5000)", "MS"},
      {"reference", 0, 0, G_OPTION_ARG_NONE, &reference,
       "Also solve the whole network in one piece with our solver", NULL},
      {"lemon", 0, 0, G_OPTION_ARG_FILENAME, &lemon,
       "Also solve it with this LEMON program (implies --reference)", "PATH"},
      {"sweep", 0, 0, G_OPTION_ARG_STRING, &sweep,
       "Continuity charges to sweep, km separated by commas (default 0,0.25,0.5,1,2,4,8,16 below "
       "national scale; \"\" for none)",
       "LIST"},
      {"no-locations", 0, 0, G_OPTION_ARG_NONE, &no_locations,
       "Without childcare locations (no H7 limits)", NULL},
      G_OPTION_ENTRY_NULL};
  g_autoptr(GOptionContext) context = g_option_context_new("");
  g_option_context_add_main_entries(context, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(context, &argc, &argv, &error)) {
    fprintf(stderr, "bench-engine: %s\n", error->message);
    return 2;
  }
  if (scale && g_str_equal(scale, "region")) {
    schools = 500, employees = 10000, weeks = 2;
  } else if (scale && g_str_equal(scale, "scarce")) {
    /* The region with too few staff: where the optimiser earns its keep. */
    schools = 500, employees = 600, weeks = 2;
  } else if (scale && g_str_equal(scale, "national")) {
    schools = 7000, employees = 100000, weeks = 2;
  } else if (scale && g_str_equal(scale, "national-scarce")) {
    /* The country with the scarce region's staff per school: what-ifs everywhere. */
    schools = 7000, employees = 8400, weeks = 2;
  } else if (scale && !g_str_equal(scale, "city")) {
    fprintf(stderr, "bench-engine: --scale: expected city, region, scarce, national or "
                    "national-scarce\n");
    return 2;
  }
  double t_start = now_s();
  g_autoptr(ModelDataset) dataset = NULL;
  g_autofree char *label = NULL;
  if (scale && g_str_equal(scale, "city")) {
    g_autofree char *path = g_build_filename(fixtures ? fixtures : "fixtures", "almere.json", NULL);
    g_autoptr(GPtrArray) problems = model_problems_new();
    dataset = model_json_load_dataset(path, problems);
    if (!dataset) {
      g_autofree char *text = model_problems_to_string(problems);
      fprintf(stderr, "bench-engine: %s: %s\n", path, text);
      return 1;
    }
    label = g_strdup("city (Almere fixtures)");
    for (guint i = 0; no_locations && i < dataset->employees->len; i++)
      g_clear_pointer(&g_array_index(dataset->employees, ModelEmployee, i).location_id, g_free);
    if (no_locations) {
      g_array_set_size(dataset->locations, 0);
      model_dataset_index(dataset);
    }
  } else {
    if (schools < 1 || employees < 0 || weeks < 1) {
      fprintf(stderr, "bench-engine: give --scale or --schools, --employees, --weeks\n");
      return 2;
    }
    FixturesParams params;
    fixtures_params_init(&params);
    params.schools = (guint)schools;
    params.employees = (guint)employees;
    params.weeks = (guint)weeks;
    params.seed = (guint64)seed;
    params.locations = !no_locations;
    dataset = fixtures_generate(&params);
    label = g_strdup_printf("%s (%d schools, %d employees, %d weeks)", scale ? scale : "custom",
                            schools, employees, weeks);
  }
  double t_data = now_s();

  EngineOptions options;
  engine_options_init(&options);
  options.whatif_ms = whatif_ms;
  g_autoptr(EngineResult) result = engine_match_run(dataset, &options, &error);
  double t_round = now_s();
  if (!result) {
    fprintf(stderr, "bench-engine: %s\n", error->message);
    return 1;
  }
  g_autoptr(GPtrArray) violations = engine_check(dataset, &options, result->proposals);
  double rss = peak_rss_mib();

  const EngineStats *s = &result->stats;
  printf("%s\n", label);
  printf("  requests %u, employees %u, staff-slots needed %" G_GINT64_FORMAT "\n",
         dataset->requests->len, dataset->employees->len, s->needed);
  printf("  network                %u nodes, %u arcs\n", s->nodes, s->arcs);
  printf("  time                   data %.3f s, build %.3f s, solve %.3f s, what-if %.3f s, "
         "round %.3f s\n",
         t_data - t_start, (double)s->build_us / 1e6, (double)s->solve_us / 1e6,
         (double)s->whatif.us / 1e6, t_round - t_data);
  printf("  end to end             %.3f s (data + round), peak RSS %.0f MiB\n", t_round - t_start,
         rss);
  print_quality("optimiser", result);
  const EngineWhatifStats *w = &s->whatif;
  printf("  what-if                %u unfilled entries: %u found (%u on whole components), %u "
         "none, %u skipped%s; %u re-solves in %.3f s (%.2f ms each)\n",
         w->found + w->none + w->skipped, w->found, w->found_whole, w->none, w->skipped,
         w->out_of_solves ? " (count budget)"
         : w->out_of_time ? " (time budget)"
                          : "",
         w->solves, (double)w->us / 1e6, w->solves ? (double)w->us / 1e3 / w->solves : 0.0);
  printf("  locations (H7)         %u, %u components where weekly and location limits cross,"
         " %u branch and bound solves, %u uncertified (at most %" G_GINT64_FORMAT
         " staff-slots, %" G_GINT64_FORMAT " m short of their bound)\n",
         dataset->locations->len, s->crossing_components, s->crossing_nodes,
         s->uncertified_components, s->uncertified_gap_filled, s->uncertified_gap_m);

  options.continuity = FALSE;
  g_autoptr(EngineResult) plain = engine_match_run(dataset, &options, &error);
  print_quality("without continuity", plain);
  options.continuity = TRUE;
  options.travel_only = TRUE;
  g_autoptr(EngineResult) bound = engine_match_run(dataset, &options, &error);
  print_quality("travel only (bound)", bound);
  options.travel_only = FALSE;
  g_autoptr(EngineResult) greedy = engine_greedy_run(dataset, &options);
  print_quality("greedy baseline", greedy);
  options.fair = TRUE;
  g_autoptr(EngineResult) fair = engine_match_run(dataset, &options, &error);
  print_quality("fair", fair);
  options.fair = FALSE;
  g_autoptr(GPtrArray) greedy_violations = engine_check(dataset, &options, greedy->proposals);
  g_autoptr(GPtrArray) fair_violations = engine_check(dataset, &options, fair->proposals);
  printf("  checker                %u violations (optimiser), %u (greedy), %u (fair)\n",
         violations->len, greedy_violations->len, fair_violations->len);
  print_targets(result, greedy, bound);
  print_spread("lending, optimiser", dataset, result);
  print_spread("lending, fair", dataset, fair);
  print_spread("lending, greedy", dataset, greedy);
  gboolean same = TRUE;
  if (reference || lemon)
    same = compare_reference(dataset, &options, lemon);
  gboolean national = scale && g_str_equal(scale, "national");
  const char *sweep_list = sweep != NULL ? sweep : national ? "" : "0,0.25,0.5,1,2,4,8,16";
  if (*sweep_list != '\0')
    same = print_sweep(dataset, sweep_list, greedy, bound) && same;
  gboolean fill_same =
      fills_alike(&fair->stats, &result->stats) && fills_alike(&bound->stats, &result->stats);
  if (!fill_same)
    fprintf(stderr, "bench-engine: the fair or travel-only round filled differently\n");
  return violations->len == 0 && greedy_violations->len == 0 && fair_violations->len == 0 &&
                 fill_same && same
             ? 0
             : 1;
}
