/* test-mcf.c: tests of the network simplex solver (engine/mcf.c).
 *
 * Every OPTIMAL answer is certified (bounds, conservation, complementary slackness,
 * dual objective == primal cost).  Random small graphs are compared with a separate,
 * deliberately simple reference solver (successive shortest paths with Bellman-Ford);
 * public DIMACS instances are compared with their published optima.
 */
#include "mcf-private.h"
#include "mcf.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define INF ENGINE_MCF_INF

/* ---- certificates --------------------------------------------------------- */

static gint64 add64(gint64 a, gint64 b) {
  gint64 r;
  g_assert_false(__builtin_add_overflow(a, b, &r));
  return r;
}

static gint64 mul64(gint64 a, gint64 b) {
  gint64 r;
  g_assert_false(__builtin_mul_overflow(a, b, &r));
  return r;
}

/* Asserts that the solution held by `mcf` is optimal, from first principles. */
static void assert_certificate(const EngineMcf *mcf) {
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  g_autofree gint64 *balance = g_new0(gint64, n + 1);
  gint64 primal = 0, dual = 0;
  for (guint a = 0; a < m; a++) {
    guint s = engine_mcf_arc_source(mcf, a), t = engine_mcf_arc_target(mcf, a);
    gint64 f = engine_mcf_flow(mcf, a), l = engine_mcf_arc_lower(mcf, a);
    gint64 u = engine_mcf_arc_capacity(mcf, a), c = engine_mcf_arc_cost(mcf, a);
    g_assert_cmpint(f, >=, l);
    g_assert_cmpint(f, <=, u);
    g_assert_cmpint(f, <, INF);
    balance[s] = add64(balance[s], f);
    balance[t] = add64(balance[t], -f);
    gint64 rc = add64(add64(c, engine_mcf_potential(mcf, s)), -engine_mcf_potential(mcf, t));
    if (f < u)
      g_assert_cmpint(rc, >=, 0);
    if (f > l)
      g_assert_cmpint(rc, <=, 0);
    primal = add64(primal, mul64(f, c));
    if (rc > 0)
      dual = add64(dual, mul64(rc, l));
    else if (rc < 0)
      dual = add64(dual, mul64(rc, u));
  }
  for (guint v = 0; v < n; v++) {
    g_assert_cmpint(balance[v], ==, engine_mcf_supply(mcf, v));
    dual = add64(dual, -mul64(engine_mcf_supply(mcf, v), engine_mcf_potential(mcf, v)));
  }
  g_assert_cmpint(primal, ==, engine_mcf_total_cost(mcf));
  g_assert_cmpint(dual, ==, primal);
}

/* ---- a plain problem and the reference solver ----------------------------- */

typedef struct {
  guint n, m;
  guint src[256], dst[256];
  gint64 low[256], cap[256], cost[256];
  gint64 supply[64];
} Problem;

static EngineMcf *problem_build(const Problem *p) {
  EngineMcf *mcf = engine_mcf_new(p->n, p->m / 2);
  for (guint a = 0; a < p->m; a++)
    g_assert_cmpuint(
        engine_mcf_add_arc(mcf, p->src[a], p->dst[a], p->low[a], p->cap[a], p->cost[a]), ==, a);
  for (guint v = 0; v < p->n; v++)
    engine_mcf_set_supply(mcf, v, p->supply[v]);
  return mcf;
}

typedef struct {
  guint to;
  gint64 res, cost;
} RefEdge;

/* Solves `p` by successive shortest paths; *out_cost is set when OPTIMAL.  The order
 * of outcomes is the one mcf.h documents: unbalanced supplies, then negative cycles of
 * infinite capacity, then routing. */
static EngineMcfStatus reference_solve(const Problem *p, gint64 *out_cost) {
  guint n = p->n, s = n, t = n + 1;
  gint64 sum = 0;
  for (guint v = 0; v < n; v++)
    sum += p->supply[v];
  if (sum != 0)
    return ENGINE_MCF_INFEASIBLE;

  /* Bellman-Ford over the infinite arcs from a virtual source: still improving after
   * n rounds means a negative cycle. */
  gint64 dist[66];
  memset(dist, 0, sizeof dist);
  for (guint round = 0; round <= n; round++) {
    gboolean changed = FALSE;
    for (guint a = 0; a < p->m; a++)
      if (p->cap[a] == INF && dist[p->src[a]] + p->cost[a] < dist[p->dst[a]]) {
        dist[p->dst[a]] = dist[p->src[a]] + p->cost[a];
        changed = TRUE;
      }
    if (!changed)
      break;
    if (round == n)
      return ENGINE_MCF_UNBOUNDED;
  }

  /* Lower bounds into supplies; infinite capacities become a bound no optimum needs;
   * negative arcs start saturated so the residual graph has no negative cycle. */
  gint64 b[64], cost = 0, big = 1;
  memcpy(b, p->supply, sizeof(gint64) * n);
  for (guint a = 0; a < p->m; a++) {
    b[p->src[a]] -= p->low[a];
    b[p->dst[a]] += p->low[a];
    cost += p->low[a] * p->cost[a];
    if (p->cap[a] != INF)
      big += p->cap[a] - p->low[a];
  }
  for (guint v = 0; v < n; v++)
    big += ABS(b[v]);
  g_autoptr(GArray) edges = g_array_new(FALSE, FALSE, sizeof(RefEdge));
  for (guint a = 0; a < p->m; a++) {
    gint64 cap = p->cap[a] == INF ? big : p->cap[a] - p->low[a];
    gint64 flow = p->cost[a] < 0 ? cap : 0;
    b[p->src[a]] -= flow;
    b[p->dst[a]] += flow;
    cost += flow * p->cost[a];
    RefEdge fwd = {p->dst[a], cap - flow, p->cost[a]}, bwd = {p->src[a], flow, -p->cost[a]};
    g_array_append_val(edges, fwd);
    g_array_append_val(edges, bwd);
  }
  gint64 need = 0;
  for (guint v = 0; v < n; v++) {
    RefEdge fwd = {b[v] > 0 ? v : t, ABS(b[v]), 0}, bwd = {b[v] > 0 ? s : v, 0, 0};
    if (b[v] > 0)
      need += b[v];
    g_array_append_val(edges, fwd);
    g_array_append_val(edges, bwd);
  }
  /* Edge 2k and 2k+1 are a pair; the tail of a pair is the head of its partner. */
  RefEdge *e = (RefEdge *)(void *)edges->data;
  guint n_edges = edges->len;
  while (need > 0) {
    gint64 d[66];
    gint via[66];
    for (guint v = 0; v < n + 2; v++) {
      d[v] = G_MAXINT64;
      via[v] = -1;
    }
    d[s] = 0;
    for (guint round = 0; round < n + 2; round++) {
      gboolean changed = FALSE;
      for (guint k = 0; k < n_edges; k++) {
        guint from = e[k ^ 1].to;
        if (e[k].res > 0 && d[from] != G_MAXINT64 && d[from] + e[k].cost < d[e[k].to]) {
          d[e[k].to] = d[from] + e[k].cost;
          via[e[k].to] = (gint)k;
          changed = TRUE;
        }
      }
      if (!changed)
        break;
    }
    if (d[t] == G_MAXINT64)
      return ENGINE_MCF_INFEASIBLE;
    gint64 push = need;
    for (guint v = t; v != s; v = e[via[v] ^ 1].to)
      push = MIN(push, e[via[v]].res);
    for (guint v = t; v != s; v = e[via[v] ^ 1].to) {
      e[via[v]].res -= push;
      e[via[v] ^ 1].res += push;
    }
    cost += push * d[t];
    need -= push;
  }
  *out_cost = cost;
  return ENGINE_MCF_OPTIMAL;
}

/* A random small problem: negative costs, lower bounds, parallel arcs, self-loops,
 * zero and infinite capacities, and sometimes unbalanced supplies. */
static void problem_random(Problem *p, GRand *rand, gboolean with_inf) {
  gboolean medium = g_rand_int_range(rand, 0, 5) == 0;
  p->n = medium ? (guint)g_rand_int_range(rand, 8, 41) : (guint)g_rand_int_range(rand, 1, 8);
  p->m = (guint)g_rand_int_range(rand, 0, (gint)MIN(3 * p->n + 1, 256));
  for (guint a = 0; a < p->m; a++) {
    p->src[a] = (guint)g_rand_int_range(rand, 0, (gint)p->n);
    p->dst[a] = (guint)g_rand_int_range(rand, 0, (gint)p->n);
    p->cost[a] = g_rand_int_range(rand, -8, 13);
    gint kind = g_rand_int_range(rand, 0, 12);
    p->cap[a] = kind == 0 ? 0 : kind == 1 && with_inf ? INF : g_rand_int_range(rand, 1, 13);
    p->low[a] = g_rand_int_range(rand, 0, 4) == 0 ? g_rand_int_range(rand, 0, 5) : 0;
    p->low[a] = MIN(p->low[a], p->cap[a]);
  }
  gint64 sum = 0;
  for (guint v = 0; v + 1 < p->n; v++) {
    p->supply[v] = g_rand_int_range(rand, 0, 3) == 0 ? 0 : g_rand_int_range(rand, -10, 11);
    sum += p->supply[v];
  }
  p->supply[p->n - 1] = -sum;
  if (g_rand_int_range(rand, 0, 15) == 0)
    p->supply[g_rand_int_range(rand, 0, (gint)p->n)] += 1;
}

/* Solves with the engine and the reference and compares (with a certificate). */
static void assert_same_answer(EngineMcf *mcf, const Problem *p, guint *counts) {
  gint64 ref_cost = 0;
  EngineMcfStatus want = reference_solve(p, &ref_cost);
  EngineMcfStatus got = engine_mcf_solve(mcf);
  g_assert_cmpint(got, ==, want);
  counts[got]++;
  if (got == ENGINE_MCF_OPTIMAL) {
    g_assert_cmpint(engine_mcf_total_cost(mcf), ==, ref_cost);
    assert_certificate(mcf);
  }
}

/* The answer of `mcf`, solved, equals that of the same problem built and solved
 * afresh: status, and cost when optimal. */
static void assert_same_as_fresh(const EngineMcf *mcf, const Problem *p) {
  g_autoptr(EngineMcf) fresh = problem_build(p);
  EngineMcfStatus status = engine_mcf_solve(fresh);
  g_assert_cmpint(status, ==, engine_mcf_has_solution(mcf) ? ENGINE_MCF_OPTIMAL : status);
  if (status == ENGINE_MCF_OPTIMAL) {
    g_assert_true(engine_mcf_has_solution(mcf));
    g_assert_cmpint(engine_mcf_total_cost(fresh), ==, engine_mcf_total_cost(mcf));
  }
}

/* One seed: many instances, each also re-solved after cost, capacity and supply
 * changes. */
/* Sets `units` of supply at `from` and as much demand at `to`, and asserts that the
 * solver finds an optimal flow. */
static void send_optimally(EngineMcf *mcf, guint from, guint to, gint64 units) {
  engine_mcf_set_supply(mcf, from, units);
  engine_mcf_set_supply(mcf, to, -units);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
}

static void test_random(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  guint counts[3] = {0, 0, 0};
  for (guint round = 0; round < 250; round++) {
    Problem p;
    problem_random(&p, rand, seed % 3 != 0);
    g_autoptr(EngineMcf) mcf = problem_build(&p);
    assert_same_answer(mcf, &p, counts);

    /* New costs on the same topology (the solver may start from its last tree),
     * every other round on a much larger scale. */
    gint64 scale = round % 2 == 0 ? 1 : 1000;
    for (guint a = 0; a < p.m; a++)
      if (g_rand_boolean(rand)) {
        p.cost[a] = g_rand_int_range(rand, -8, 13) * scale;
        engine_mcf_set_cost(mcf, a, p.cost[a]);
      }
    assert_same_answer(mcf, &p, counts);
    assert_same_answer(mcf, &p, counts); /* unchanged: the same answer again */

    /* New arcs on a solved graph (the solver keeps its tree when their lower bound is
     * 0), sometimes enough of them to move the artificial arcs more than once. */
    guint extra = round % 10 == 0 ? 256 - p.m : (guint)g_rand_int_range(rand, 0, 6);
    for (guint k = 0; k < extra && p.m < 256 && p.n > 0; k++) {
      guint a = p.m++;
      p.src[a] = (guint)g_rand_int_range(rand, 0, (gint)p.n);
      p.dst[a] = (guint)g_rand_int_range(rand, 0, (gint)p.n);
      p.cost[a] = g_rand_int_range(rand, -8, 13) * scale;
      p.cap[a] = g_rand_int_range(rand, 0, 13);
      p.low[a] = g_rand_int_range(rand, 0, 8) == 0 ? MIN(p.cap[a], 2) : 0;
      g_assert_cmpuint(engine_mcf_add_arc(mcf, p.src[a], p.dst[a], p.low[a], p.cap[a], p.cost[a]),
                       ==, a);
    }
    assert_same_answer(mcf, &p, counts);

    /* New capacities, below or above the flow the arcs carry (the solver starts from
     * its last tree when that was optimal), then the same network built afresh. */
    guint changed = (guint)g_rand_int_range(rand, 1, 5);
    for (guint k = 0; k < changed && p.m > 0; k++) {
      guint a = (guint)g_rand_int_range(rand, 0, (gint)p.m);
      gint kind = g_rand_int_range(rand, 0, 8);
      p.cap[a] = kind == 0   ? p.low[a]
                 : kind == 1 ? (seed % 3 != 0 ? INF : p.low[a] + 20)
                             : p.low[a] + g_rand_int_range(rand, 0, 13);
      engine_mcf_set_capacity(mcf, a, p.cap[a]);
    }
    assert_same_answer(mcf, &p, counts);
    assert_same_as_fresh(mcf, &p);

    /* New supplies. */
    guint v = (guint)g_rand_int_range(rand, 0, (gint)p.n),
          w = (guint)g_rand_int_range(rand, 0, (gint)p.n);
    gint64 delta = g_rand_int_range(rand, 1, 6);
    p.supply[v] += delta;
    p.supply[w] -= delta;
    engine_mcf_set_supply(mcf, v, p.supply[v]);
    engine_mcf_set_supply(mcf, w, p.supply[w]);
    assert_same_answer(mcf, &p, counts);
  }
  /* Every seed must reach each outcome, or the comparison proves little. */
  g_assert_cmpuint(counts[ENGINE_MCF_OPTIMAL], >, 100);
  g_assert_cmpuint(counts[ENGINE_MCF_INFEASIBLE], >, 10);
  if (seed % 3 != 0)
    g_assert_cmpuint(counts[ENGINE_MCF_UNBOUNDED], >, 0);
  else
    g_assert_cmpuint(counts[ENGINE_MCF_UNBOUNDED], ==, 0);
}

/* ---- public DIMACS instances ---------------------------------------------- */

/* The published optimum of `file` from optima.txt, or -1 when it is not listed. */
static gint64 known_optimum(const char *dir, const char *file) {
  g_autofree char *path = g_build_filename(dir, "optima.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, NULL, &error));
  g_assert_no_error(error);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++) {
    char name[128];
    gint64 value;
    if (lines[i][0] != '#' &&
        sscanf(lines[i], "%127s %" G_GINT64_MODIFIER "d", name, &value) == 2 &&
        strcmp(name, file) == 0)
      return value;
  }
  return -1;
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_dimacs_file(gconstpointer data) {
  const char *path = data;
  g_autofree char *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
  gint64 optimum = known_optimum(dir, base);
  g_assert_cmpint(optimum, >, 0);

  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, &length, &error));
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(text, length, &error);
  g_assert_no_error(error);
  g_assert_nonnull(mcf);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, optimum);
  assert_certificate(mcf);
  g_autofree char *solution = engine_dimacs_format_solution(mcf, FALSE);
  g_autofree char *want = g_strdup_printf("s %" G_GINT64_FORMAT "\n", optimum);
  g_assert_cmpstr(solution, ==, want);

  /* Changed costs: the warm re-solve must match a cold solve of the same problem. */
  guint m = engine_mcf_n_arcs(mcf);
  for (guint a = 0; a < m; a += 7)
    engine_mcf_set_cost(mcf, a, engine_mcf_arc_cost(mcf, a) / 2 - 3);
  g_autofree char *changed = engine_dimacs_format(mcf, NULL);
  g_autoptr(EngineMcf) cold = engine_dimacs_parse(changed, strlen(changed), &error);
  g_assert_no_error(error);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_solve(cold), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, engine_mcf_total_cost(cold));
  assert_certificate(mcf);
  assert_certificate(cold);
}

/* ---- hand cases ------------------------------------------------------------ */

static void test_infeasible(void) {
  g_autoptr(EngineMcf) mcf = engine_mcf_new(3, 2);
  engine_mcf_add_arc(mcf, 0, 1, 0, 3, 1);
  engine_mcf_add_arc(mcf, 1, 2, 0, 10, 1);
  engine_mcf_set_supply(mcf, 0, 5);
  engine_mcf_set_supply(mcf, 2, -5);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);
  /* Supplies that do not sum to zero. */
  engine_mcf_set_supply(mcf, 0, 3);
  engine_mcf_set_supply(mcf, 2, -2);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);
  /* A lower bound nobody can absorb. */
  engine_mcf_set_supply(mcf, 0, 0);
  engine_mcf_set_supply(mcf, 2, 0);
  engine_mcf_add_arc(mcf, 2, 0, 1, 1, 0);
  engine_mcf_add_arc(mcf, 0, 2, 4, 9, 0);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);
  /* Fixed: exactly routable now. */
  engine_mcf_set_supply(mcf, 2, -3);
  engine_mcf_set_supply(mcf, 0, 3);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  assert_certificate(mcf);
  g_assert_cmpint(engine_mcf_flow(mcf, 3), ==, 4);
  g_assert_cmpint(engine_mcf_flow(mcf, 2), ==, 1);
}

static void test_unbounded(void) {
  g_autoptr(EngineMcf) mcf = engine_mcf_new(3, 3);
  engine_mcf_add_arc(mcf, 0, 1, 0, INF, 2);
  engine_mcf_add_arc(mcf, 1, 2, 0, INF, -5);
  guint back = engine_mcf_add_arc(mcf, 2, 0, 0, INF, 2);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_UNBOUNDED);
  /* The same cycle with a finite arc is saturated instead. */
  g_autoptr(EngineMcf) finite = engine_mcf_new(3, 3);
  engine_mcf_add_arc(finite, 0, 1, 0, INF, 2);
  engine_mcf_add_arc(finite, 1, 2, 0, INF, -5);
  engine_mcf_add_arc(finite, 2, 0, 0, 7, 2);
  g_assert_cmpint(engine_mcf_solve(finite), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(finite), ==, -7);
  g_assert_cmpint(engine_mcf_flow(finite, 1), ==, 7);
  assert_certificate(finite);
  /* Making the cycle non-negative bounds the original problem. */
  engine_mcf_set_cost(mcf, back, 3);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 0);
  assert_certificate(mcf);
  /* A negative self-loop without capacity limit. */
  g_autoptr(EngineMcf) loop = engine_mcf_new(1, 1);
  engine_mcf_add_arc(loop, 0, 0, 0, INF, -1);
  g_assert_cmpint(engine_mcf_solve(loop), ==, ENGINE_MCF_UNBOUNDED);
}

static void test_lower_bounds(void) {
  /* 5 units from 0 to 1; the expensive arc must carry at least 3. */
  g_autoptr(EngineMcf) mcf = engine_mcf_new(2, 2);
  guint cheap = engine_mcf_add_arc(mcf, 0, 1, 0, 10, 1);
  guint dear = engine_mcf_add_arc(mcf, 0, 1, 3, 5, 100);
  send_optimally(mcf, 0, 1, 5);
  g_assert_cmpint(engine_mcf_flow(mcf, cheap), ==, 2);
  g_assert_cmpint(engine_mcf_flow(mcf, dear), ==, 3);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 302);
  g_assert_cmpint(engine_mcf_arc_lower(mcf, dear), ==, 3);
  g_assert_cmpint(engine_mcf_arc_capacity(mcf, dear), ==, 5);
  assert_certificate(mcf);
  /* A lower bound on an arc without upper bound, against its direction of use. */
  g_autoptr(EngineMcf) back = engine_mcf_new(2, 2);
  engine_mcf_add_arc(back, 0, 1, 0, 10, 1);
  guint up = engine_mcf_add_arc(back, 1, 0, 4, INF, 2);
  g_assert_cmpint(engine_mcf_arc_capacity(back, up), ==, INF);
  g_assert_cmpint(engine_mcf_solve(back), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_flow(back, 0), ==, 4);
  g_assert_cmpint(engine_mcf_flow(back, up), ==, 4);
  g_assert_cmpint(engine_mcf_total_cost(back), ==, 12);
  assert_certificate(back);
}

static void test_empty(void) {
  g_autoptr(EngineMcf) none = engine_mcf_new(0, 0);
  g_assert_cmpuint(engine_mcf_n_nodes(none), ==, 0);
  g_assert_cmpuint(engine_mcf_n_arcs(none), ==, 0);
  g_assert_cmpint(engine_mcf_solve(none), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(none), ==, 0);
  g_autofree char *solution = engine_dimacs_format_solution(none, TRUE);
  g_assert_cmpstr(solution, ==, "s 0\n");

  g_autoptr(EngineMcf) isolated = engine_mcf_new(3, 0);
  g_assert_cmpint(engine_mcf_solve(isolated), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(isolated), ==, 0);
  engine_mcf_set_supply(isolated, 0, 1);
  engine_mcf_set_supply(isolated, 2, -1);
  g_assert_cmpint(engine_mcf_solve(isolated), ==, ENGINE_MCF_INFEASIBLE);
}

/* Two routes from 0 to 3: via 1 (arcs 0 and 1, cost 2 + 2) and via 2 (arcs 2 and 3, cost
 * 3 + 3), 4 units each; 3 units sent, all via 1. */
enum { A01, A13, A02, A23 };
static EngineMcf *two_routes(void) {
  EngineMcf *mcf = engine_mcf_new(4, 4);
  g_assert_cmpuint(engine_mcf_add_arc(mcf, 0, 1, 0, 4, 2), ==, A01);
  g_assert_cmpuint(engine_mcf_add_arc(mcf, 1, 3, 0, 4, 2), ==, A13);
  g_assert_cmpuint(engine_mcf_add_arc(mcf, 0, 2, 0, 4, 3), ==, A02);
  g_assert_cmpuint(engine_mcf_add_arc(mcf, 2, 3, 0, 4, 3), ==, A23);
  send_optimally(mcf, 0, 3, 3);
  g_assert_cmpint(engine_mcf_flow(mcf, A01), ==, 3);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 12);
  return mcf;
}

static void test_resolve(void) {
  g_autoptr(EngineMcf) mcf = two_routes();
  guint a01 = A01, a13 = A13, a02 = A02, a23 = A23;

  engine_mcf_set_cost(mcf, a13, 9);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_flow(mcf, a01), ==, 0);
  g_assert_cmpint(engine_mcf_flow(mcf, a02), ==, 3);
  g_assert_cmpint(engine_mcf_flow(mcf, a23), ==, 3);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 18);
  assert_certificate(mcf);
  g_autofree char *solution = engine_dimacs_format_solution(mcf, TRUE);
  g_assert_cmpstr(solution, ==, "s 18\nf 1 3 3\nf 3 4 3\n");

  /* More supply than one route holds: both are used. */
  send_optimally(mcf, 0, 3, 6);
  g_assert_cmpint(engine_mcf_flow(mcf, a02), ==, 4);
  g_assert_cmpint(engine_mcf_flow(mcf, a13), ==, 2);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 24 + 22);
  assert_certificate(mcf);
}

/* Capacities changed on a solved graph: below the flow of a tree arc, of an arc at
 * its upper bound, to zero, below what the supplies need, and back. */
static void test_capacity(void) {
  g_autoptr(EngineMcf) mcf = two_routes();
  guint a01 = A01, a13 = A13, a02 = A02, a23 = A23;

  engine_mcf_set_capacity(mcf, a13, 1);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_flow(mcf, a13), ==, 1);
  g_assert_cmpint(engine_mcf_flow(mcf, a23), ==, 2);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 4 + 12);
  assert_certificate(mcf);

  engine_mcf_set_capacity(mcf, a01, 0);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_flow(mcf, a02), ==, 3);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 18);
  assert_certificate(mcf);

  engine_mcf_set_capacity(mcf, a02, 2);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);

  engine_mcf_set_capacity(mcf, a01, 4);
  engine_mcf_set_capacity(mcf, a13, 4);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_flow(mcf, a01), ==, 3);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 12);
  assert_certificate(mcf);

  /* From an optimum straight to an infeasible problem, then back. */
  engine_mcf_set_capacity(mcf, a01, 1);
  engine_mcf_set_capacity(mcf, a02, 1);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);
  engine_mcf_set_capacity(mcf, a02, 4);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 4 + 12);
  assert_certificate(mcf);
}

/* Costs at the limit of the contract: the objective still fits in 64 bits. */
static void test_extreme_costs(void) {
  g_autoptr(EngineMcf) mcf = engine_mcf_new(3, 3);
  engine_mcf_add_arc(mcf, 0, 1, 0, 1000, ENGINE_MCF_MAX_COST);
  engine_mcf_add_arc(mcf, 1, 2, 0, 1000, -ENGINE_MCF_MAX_COST);
  engine_mcf_add_arc(mcf, 0, 2, 0, 1000, ENGINE_MCF_MAX_COST - 1);
  engine_mcf_add_arc(mcf, 2, 1, 0, INF, ENGINE_MCF_MAX_COST);
  send_optimally(mcf, 0, 2, 1000);
  g_assert_cmpint(engine_mcf_total_cost(mcf), ==, 0);
  assert_certificate(mcf);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func("/engine/mcf/infeasible", test_infeasible);
  g_test_add_func("/engine/mcf/unbounded", test_unbounded);
  g_test_add_func("/engine/mcf/lower-bounds", test_lower_bounds);
  g_test_add_func("/engine/mcf/empty", test_empty);
  g_test_add_func("/engine/mcf/resolve", test_resolve);
  g_test_add_func("/engine/mcf/capacity", test_capacity);
  g_test_add_func("/engine/mcf/extreme-costs", test_extreme_costs);

  static const guint32 seeds[] = {1,        2,        3,     42,        1234,        20200316,
                                  20200511, 20200608, 77777, 987654321, 3141592653u, 2718281828u};
  for (gsize i = 0; i < G_N_ELEMENTS(seeds) + 1; i++) {
    guint32 seed = i < G_N_ELEMENTS(seeds) ? seeds[i] : (guint32)g_test_rand_int();
    g_autofree char *path = g_strdup_printf("/engine/mcf/random/%u", seed);
    g_test_add_data_func(path, GUINT_TO_POINTER(seed), test_random);
  }

  const char *data = g_getenv("HANDEN_TEST_DATA");
  g_assert_nonnull(data);
  g_autofree char *dir = g_build_filename(data, "dimacs", NULL);
  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(listing);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(listing)) != NULL;)
    if (g_str_has_suffix(name, ".min"))
      g_ptr_array_add(files, g_strdup(name));
  g_ptr_array_sort(files, compare_names);
  g_assert_cmpuint(files->len, >=, 7);
  for (guint i = 0; i < files->len; i++) {
    const char *name = g_ptr_array_index(files, i);
    g_autofree char *path = g_strdup_printf("/engine/mcf/dimacs/%s", name);
    g_test_add_data_func_full(path, g_build_filename(dir, name, NULL), test_dimacs_file, g_free);
  }
  return g_test_run();
}
