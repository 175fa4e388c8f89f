/* bench-mcf.c: times engine_mcf_solve() on DIMACS min-cost-flow files and on a
 * synthetic staff-matching network.
 *
 * Usage: bench-mcf [-r REPEATS] FILE.min...  For every file it parses a fresh copy
 * REPEATS times and solves it (parsing is not timed), then prints the optimum and the
 * best and median wall-clock solve time.  Exit status 1 if a file cannot be read.
 *        bench-mcf --staff EMPLOYEES SLOTS DEGREE [OUT.min]  builds a seeded network
 * shaped like a matching round (source -> employee -> slot -> sink, unit arcs with
 * negative "fill" costs, an uncapacitated bypass), solves it once, and optionally
 * writes it as DIMACS so other solvers can be timed on the same instance.
 */
#include "mcf.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

static int compare_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Solves one file `repeats` times; FALSE when it cannot be read or parsed. */
static gboolean bench_file(const char *path, int repeats) {
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  if (!g_file_get_contents(path, &text, &length, &error)) {
    fprintf(stderr, "%s\n", error->message);
    return FALSE;
  }
  g_autofree double *times = g_new(double, repeats);
  gint64 cost = 0;
  EngineMcfStatus status = ENGINE_MCF_INFEASIBLE;
  guint n = 0, m = 0;
  for (int r = 0; r < repeats; r++) {
    g_autoptr(EngineMcf) mcf = engine_dimacs_parse(text, length, &error);
    if (mcf == NULL) {
      fprintf(stderr, "%s: %s\n", path, error->message);
      return FALSE;
    }
    n = engine_mcf_n_nodes(mcf);
    m = engine_mcf_n_arcs(mcf);
    gint64 start = g_get_monotonic_time();
    status = engine_mcf_solve(mcf);
    times[r] = (double)(g_get_monotonic_time() - start) / 1000.0;
    cost = status == ENGINE_MCF_OPTIMAL ? engine_mcf_total_cost(mcf) : 0;
  }
  qsort(times, (size_t)repeats, sizeof(double), compare_double);
  const char *base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
  printf("%-24s n=%-7u m=%-8u status=%d cost=%-12" G_GINT64_FORMAT " best=%.2f ms median=%.2f ms\n",
         base, n, m, (int)status, cost, times[0], times[repeats / 2]);
  return TRUE;
}

/* Source 0, employees 1..E, slots E+1..E+S, sink E+S+1. */
static int bench_staff(guint employees, guint slots, guint degree, const char *out) {
  guint n = employees + slots + 2, source = 0, sink = n - 1;
  g_autoptr(GRand) rand = g_rand_new_with_seed(20200316);
  gint64 start = g_get_monotonic_time();
  g_autoptr(EngineMcf) mcf = engine_mcf_new(n, employees * (degree + 1) + slots + 1);
  gint64 total = 0;
  for (guint e = 0; e < employees; e++) {
    gint64 week = g_rand_int_range(rand, 1, 6);
    engine_mcf_add_arc(mcf, source, 1 + e, 0, week, 0);
    total += week;
    for (guint d = 0; d < degree; d++) {
      guint slot = (guint)g_rand_int_range(rand, 0, (gint)slots);
      gint64 fill = g_rand_int_range(rand, 0, 4) == 0 ? -2000000 : -1000000;
      engine_mcf_add_arc(mcf, 1 + e, 1 + employees + slot, 0, 1,
                         fill + g_rand_int_range(rand, 0, 30000));
    }
  }
  for (guint s = 0; s < slots; s++)
    engine_mcf_add_arc(mcf, 1 + employees + s, sink, 0, g_rand_int_range(rand, 1, 4), 0);
  engine_mcf_add_arc(mcf, source, sink, 0, ENGINE_MCF_INF, 0);
  engine_mcf_set_supply(mcf, source, total);
  engine_mcf_set_supply(mcf, sink, -total);
  double build_ms = (double)(g_get_monotonic_time() - start) / 1000.0;
  if (out != NULL) {
    g_autofree char *text = engine_dimacs_format(mcf, "bench-mcf --staff");
    g_autoptr(GError) error = NULL;
    if (!g_file_set_contents(out, text, -1, &error)) {
      fprintf(stderr, "%s\n", error->message);
      return 1;
    }
  }
  start = g_get_monotonic_time();
  EngineMcfStatus status = engine_mcf_solve(mcf);
  double solve_ms = (double)(g_get_monotonic_time() - start) / 1000.0;
  printf("staff %ux%ux%u n=%u m=%u status=%d cost=%" G_GINT64_FORMAT
         " build=%.0f ms solve=%.0f ms\n",
         employees, slots, degree, engine_mcf_n_nodes(mcf), engine_mcf_n_arcs(mcf), (int)status,
         status == ENGINE_MCF_OPTIMAL ? engine_mcf_total_cost(mcf) : 0, build_ms, solve_ms);
  return status == ENGINE_MCF_OPTIMAL ? 0 : 1;
}

int main(int argc, char **argv) {
  if (argc >= 5 && g_strcmp0(argv[1], "--staff") == 0)
    return bench_staff((guint)atoi(argv[2]), (guint)atoi(argv[3]), (guint)atoi(argv[4]),
                       argc > 5 ? argv[5] : NULL);

  int repeats = 5, first = 1;
  if (argc > 2 && g_strcmp0(argv[1], "-r") == 0) {
    repeats = MAX(1, atoi(argv[2]));
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: %s [-r REPEATS] FILE.min...\n", argv[0]);
    return 2;
  }
  gboolean ok = TRUE;
  for (int i = first; i < argc; i++)
    ok &= bench_file(argv[i], repeats);
  return ok ? 0 : 1;
}
