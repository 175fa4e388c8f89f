/* fuzz-dimacs.c: the DIMACS min-cost-flow reader, and the solver on what it reads.
 * A rejected input must fail with ENGINE_ERROR_PARSE and a "line N: " message (or
 * ENGINE_ERROR_INVALID: input the engine cannot work with); an accepted one must
 * write back as DIMACS text that reads again into the same text.  Small problems
 * (at most MAX_NODES nodes and MAX_ARCS arcs) are solved and the outcome certified
 * independently: an OPTIMAL flow respects every bound and every supply and satisfies
 * complementary slackness with the solver's potentials (which proves it optimal); on
 * tiny problems an INFEASIBLE answer is confirmed by a max flow and an UNBOUNDED one
 * by a negative cycle of uncapacitated arcs.  Sums are taken in 128 bits, so no check
 * can overflow.
 */
#include <string.h>

#include "fuzz.h"
#include "mcf.h"

#define MAX_NODES 200
#define MAX_ARCS 2000
/* Limits for the independent feasibility and unboundedness checks. */
#define TINY_NODES 60
#define TINY_ARCS 300

typedef __int128 Wide;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_log_set_writer_func(fuzz_log_writer, NULL, NULL);
  return 0;
}

static void check_parse_error(const GError *error) {
  if (error == NULL)
    fuzz_fail("the reader failed without an error");
  if (g_error_matches(error, ENGINE_ERROR, ENGINE_ERROR_INVALID) && error->message[0] != '\0')
    return; /* well-formed, but more than the engine can work with */
  if (!g_error_matches(error, ENGINE_ERROR, ENGINE_ERROR_PARSE))
    fuzz_fail("the reader failed with an unexpected error: %s", error->message);
  const char *p = error->message;
  if (!g_str_has_prefix(p, "line ") || !g_ascii_isdigit(p[5]))
    fuzz_fail("the message does not start with \"line N: \": %s", p);
  p += 5;
  while (g_ascii_isdigit(*p))
    p++;
  if (!g_str_has_prefix(p, ": "))
    fuzz_fail("the message does not start with \"line N: \": %s", error->message);
}

/* format(parse(format(mcf))) == format(mcf). */
static void check_round_trip(const EngineMcf *mcf) {
  g_autofree char *text = engine_dimacs_format(mcf, "fuzz\nround trip");
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) again = engine_dimacs_parse(text, strlen(text), &error);
  if (again == NULL)
    fuzz_fail("written DIMACS does not read back: %s\n%s", error->message, text);
  g_autofree char *text_again = engine_dimacs_format(again, "fuzz\nround trip");
  if (strcmp(text, text_again) != 0)
    fuzz_fail("written DIMACS reads back differently:\n%s\n---\n%s", text, text_again);
}

/* Certifies an optimal answer: bounds, conservation, complementary slackness, and the
 * total cost when it fits in 64 bits (engine_mcf_total_cost's precondition). */
static void check_optimal(const EngineMcf *mcf) {
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  g_autofree Wide *balance = g_new0(Wide, n);
  Wide total = 0;
  for (guint a = 0; a < m; a++) {
    guint u = engine_mcf_arc_source(mcf, a), v = engine_mcf_arc_target(mcf, a);
    gint64 flow = engine_mcf_flow(mcf, a), lower = engine_mcf_arc_lower(mcf, a);
    gint64 capacity = engine_mcf_arc_capacity(mcf, a), cost = engine_mcf_arc_cost(mcf, a);
    if (flow < lower || flow > capacity)
      fuzz_fail("arc %u: flow %" G_GINT64_FORMAT " outside [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                "]",
                a, flow, lower, capacity);
    balance[u] += flow;
    balance[v] -= flow;
    Wide reduced = (Wide)cost + engine_mcf_potential(mcf, u) - engine_mcf_potential(mcf, v);
    if ((flow < capacity && reduced < 0) || (flow > lower && reduced > 0))
      fuzz_fail("arc %u: flow %" G_GINT64_FORMAT " breaks complementary slackness "
                "(reduced cost %s0)",
                a, flow, reduced < 0 ? "<" : ">");
    total += (Wide)flow * cost;
  }
  for (guint v = 0; v < n; v++)
    if (balance[v] != engine_mcf_supply(mcf, v))
      fuzz_fail("node %u: outflow minus inflow differs from its supply %" G_GINT64_FORMAT, v,
                engine_mcf_supply(mcf, v));
  if (total >= G_MININT64 && total <= G_MAXINT64 && engine_mcf_total_cost(mcf) != (gint64)total)
    fuzz_fail("total cost %" G_GINT64_FORMAT " differs from the sum over the arcs",
              engine_mcf_total_cost(mcf));
}

/* ---- an independent max flow (Dinic) for feasibility --------------------- */

typedef struct {
  guint n;
  GArray *to, *next; /* residual arcs in pairs: arc ^ 1 is its reverse */
  GArray *residual;  /* Wide per residual arc */
  gint *head, *level, *cursor;
} MaxFlow;

static void max_flow_add(MaxFlow *g, guint u, guint v, Wide capacity) {
  for (guint side = 0; side < 2; side++) {
    guint from = side == 0 ? u : v, to = side == 0 ? v : u;
    gint index = (gint)g->to->len;
    Wide room = side == 0 ? capacity : 0;
    g_array_append_val(g->to, to);
    g_array_append_val(g->next, g->head[from]);
    g_array_append_val(g->residual, room);
    g->head[from] = index;
  }
}

static gboolean max_flow_levels(MaxFlow *g, guint s, guint t) {
  g_autofree guint *queue = g_new(guint, g->n);
  for (guint v = 0; v < g->n; v++)
    g->level[v] = -1;
  guint begin = 0, end = 0;
  g->level[s] = 0;
  queue[end++] = s;
  while (begin < end) {
    guint u = queue[begin++];
    for (gint e = g->head[u]; e >= 0; e = g_array_index(g->next, gint, e)) {
      guint v = g_array_index(g->to, guint, e);
      if (g->level[v] < 0 && g_array_index(g->residual, Wide, e) > 0) {
        g->level[v] = g->level[u] + 1;
        queue[end++] = v;
      }
    }
  }
  return g->level[t] >= 0;
}

static Wide max_flow_push(MaxFlow *g, guint u, guint t, Wide limit) {
  if (u == t)
    return limit;
  for (; g->cursor[u] >= 0; g->cursor[u] = g_array_index(g->next, gint, g->cursor[u])) {
    gint e = g->cursor[u];
    guint v = g_array_index(g->to, guint, e);
    Wide *room = &g_array_index(g->residual, Wide, e);
    if (*room <= 0 || g->level[v] != g->level[u] + 1)
      continue;
    Wide pushed = max_flow_push(g, v, t, MIN(limit, *room));
    if (pushed > 0) {
      *room -= pushed;
      g_array_index(g->residual, Wide, e ^ 1) += pushed;
      return pushed;
    }
  }
  return 0;
}

/* Whether the supplies can be routed within the bounds, decided without the solver:
 * lower bounds are taken out of the capacities and moved into the supplies, then a
 * max flow from a super source to a super sink must saturate every supply. */
static gboolean is_feasible(const EngineMcf *mcf) {
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  MaxFlow g = {n + 2,
               g_array_new(FALSE, FALSE, sizeof(guint)),
               g_array_new(FALSE, FALSE, sizeof(gint)),
               g_array_new(FALSE, FALSE, sizeof(Wide)),
               g_new(gint, n + 2),
               g_new(gint, n + 2),
               g_new(gint, n + 2)};
  for (guint v = 0; v < g.n; v++)
    g.head[v] = -1;
  g_autofree Wide *excess = g_new0(Wide, n);
  Wide sum = 0, needed = 0;
  for (guint v = 0; v < n; v++) {
    excess[v] = engine_mcf_supply(mcf, v);
    sum += excess[v];
  }
  for (guint a = 0; a < m; a++) {
    guint u = engine_mcf_arc_source(mcf, a), v = engine_mcf_arc_target(mcf, a);
    gint64 lower = engine_mcf_arc_lower(mcf, a);
    excess[u] -= lower;
    excess[v] += lower;
    max_flow_add(&g, u, v, (Wide)engine_mcf_arc_capacity(mcf, a) - lower);
  }
  guint s = n, t = n + 1;
  for (guint v = 0; v < n; v++) {
    if (excess[v] > 0) {
      max_flow_add(&g, s, v, excess[v]);
      needed += excess[v];
    } else if (excess[v] < 0) {
      max_flow_add(&g, v, t, -excess[v]);
    }
  }
  Wide flow = 0;
  while (sum == 0 && flow < needed && max_flow_levels(&g, s, t)) {
    memcpy(g.cursor, g.head, sizeof(gint) * g.n);
    for (Wide pushed; (pushed = max_flow_push(&g, s, t, needed - flow)) > 0;)
      flow += pushed;
  }
  g_array_unref(g.to);
  g_array_unref(g.next);
  g_array_unref(g.residual);
  g_free(g.head);
  g_free(g.level);
  g_free(g.cursor);
  return sum == 0 && flow == needed;
}

/* Whether some cycle of arcs without an upper bound has negative cost (Bellman-Ford
 * from a virtual root at distance 0 to every node). */
static gboolean has_negative_free_cycle(const EngineMcf *mcf) {
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  g_autofree Wide *distance = g_new0(Wide, n);
  for (guint round = 0; round <= n; round++) {
    gboolean changed = FALSE;
    for (guint a = 0; a < m; a++) {
      if (engine_mcf_arc_capacity(mcf, a) < ENGINE_MCF_INF)
        continue;
      guint u = engine_mcf_arc_source(mcf, a), v = engine_mcf_arc_target(mcf, a);
      Wide through = distance[u] + engine_mcf_arc_cost(mcf, a);
      if (through < distance[v]) {
        distance[v] = through;
        changed = TRUE;
      }
    }
    if (!changed)
      return FALSE;
  }
  return TRUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse((const char *)data, size, &error);
  if (mcf == NULL) {
    check_parse_error(error);
    return 0;
  }
  if (error != NULL)
    fuzz_fail("the reader succeeded and set an error: %s", error->message);
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  if (n > MAX_NODES || m > MAX_ARCS)
    return 0;
  check_round_trip(mcf);
  EngineMcfStatus status = engine_mcf_solve(mcf);
  gboolean tiny = n <= TINY_NODES && m <= TINY_ARCS;
  switch (status) {
  case ENGINE_MCF_OPTIMAL:
    check_optimal(mcf);
    break;
  case ENGINE_MCF_INFEASIBLE:
    if (tiny && is_feasible(mcf))
      fuzz_fail("the solver says infeasible, but a max flow routes every supply");
    break;
  case ENGINE_MCF_UNBOUNDED:
    if (tiny && !has_negative_free_cycle(mcf))
      fuzz_fail("the solver says unbounded, but no uncapacitated cycle has negative cost");
    break;
  default:
    fuzz_fail("the solver returned status %d", (int)status);
  }
  return 0;
}
