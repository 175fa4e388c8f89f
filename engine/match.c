/* match.c: a matching round.  Each independent component of the candidate graph is
 * solved as a min-cost flow whose fill weights (network.c, fill_weights) put the
 * maximum weighted fill first and the cost in metres second (objective in match.h):
 *   solve 1: the LP relaxation of the once-per-pair charge (spread over the pair's
 *            day parts), on a network restricted to each request slot's cheapest
 *            candidates, with the others priced in until none could improve or tie
 *            (exact, see solve_restricted); its cost is the round's lower bound;
 *   solves 2..: slope scaling: each pair's charge re-spread over the day parts the
 *            last solution gave it (the whole charge for a pair it left unused), and
 *            solved again, warm; the solution of least true cost is kept;
 *   then the undecided proposals of the last round replace the plan when they still
 *   form one that fills more (a cut search), or as much at no higher true cost
 *   (polish.c, engine_polish_kept): slope scaling is a heuristic for the charge, so a
 *   re-plan with nothing new could otherwise wander off a plan it cannot price as well;
 *   then, when the options ask for it (polish), polish.c moves day parts within
 *   request slots while the true cost drops.
 * Where a weekly limit and a location's lending bind on the same employee-slot, solve 1
 * is followed by a search for the plan that keeps both (solve_crossing), and the later
 * solves run on the network it leaves, where every plan keeps both.
 * Every solve is exact for its linear costs, so every one has the maximum fill.
 * Output is sorted by id; only build_us and solve_us vary between runs.
 */
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define SLOPE_ROUNDS 3 /* re-linearisations after the LP relaxation, at most */
#define INITIAL_PER_NEED 2
#define INITIAL_EXTRA 2
#define CROSSING_NODES 64
#define CROSSING_SCALE 4096
#define CROSSING_MIN_NODES 4

void engine_options_init(EngineOptions *options) {
  g_return_if_fail(options != NULL);
  options->children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  options->continuity = TRUE;
  options->continuity_m = ENGINE_DEFAULT_CONTINUITY_M;
  options->fair = FALSE;
  options->polish = FALSE;
  options->travel_only = FALSE;
  options->districts = NULL;
  options->freed_only = FALSE;
  options->confirmed_since = MODEL_DATE_NONE;
  options->whatif_ms = ENGINE_WHATIF_DEFAULT_MS;
  options->whatif_solves = ENGINE_WHATIF_DEFAULT_SOLVES;
  options->whatif_whole = ENGINE_WHATIF_WHOLE;
  options->whatif_neighbourhood = ENGINE_WHATIF_NEIGHBOURHOOD;
  options->stop = NULL;
}

gboolean engine_options_stale(const EngineOptions *options, const ModelEmployee *employee) {
  return options->confirmed_since > 0 &&
         (employee->confirmed == MODEL_DATE_NONE || employee->confirmed < options->confirmed_since);
}

gint32 engine_options_continuity_m(const EngineOptions *options) {
  g_return_val_if_fail(options != NULL, 0);
  return options->continuity && !options->travel_only ? options->continuity_m : 0;
}

gboolean engine_continuity_m_from_km(double km, gint32 *out_m) {
  g_return_val_if_fail(out_m != NULL, FALSE);
  /* NaN fails both comparisons. */
  if (!(km >= 0.0 && km <= ENGINE_MAX_CONTINUITY_M / 1000.0))
    return FALSE;
  *out_m = (gint32)(km * 1000.0 + 0.5);
  return TRUE;
}

gboolean engine_options_cover_request(const EngineOptions *options, const ModelDataset *dataset,
                                      guint request) {
  g_return_val_if_fail(options != NULL && dataset != NULL, FALSE);
  g_return_val_if_fail(request < dataset->requests->len, FALSE);
  if (options->districts == NULL)
    return TRUE;
  const ModelRequest *req = &g_array_index(dataset->requests, ModelRequest, request);
  gint s = req->school_id != NULL ? model_dataset_find_school(dataset, req->school_id) : -1;
  if (s < 0)
    return FALSE;
  const char *district = g_array_index(dataset->schools, ModelSchool, s).district_id;
  return district != NULL && g_strv_contains((const char *const *)options->districts, district);
}

void engine_result_free(EngineResult *result) {
  if (result == NULL)
    return;
  g_clear_pointer(&result->proposals, g_array_unref);
  /* Each taken_by is freed here, whoever filled the array (the round or the greedy
   * baseline), so the arrays carry no clear function. */
  for (guint i = 0; result->unfilled != NULL && i < result->unfilled->len; i++)
    g_clear_pointer(&g_array_index(result->unfilled, EngineUnfilled, i).taken_by, g_array_unref);
  g_clear_pointer(&result->unfilled, g_array_unref);
  g_free(result);
}

/* Per-round working state shared by the components. */
typedef struct {
  const EngineSnapshot *snap;
  EngineTuning tuning;
  guint *scratch;     /* engine_net_build's node maps, all UNSET between calls */
  gint32 *pair_count; /* per pair scratch, 0 between calls */
  gint32 *pair_done;  /* per pair: slots chosen in components solved before */
  gint64 *slope;      /* per pair: cost per unit in the current solve */
  gint32 *units;      /* per pair scratch, 0 between calls */
  gint32 *pair_cands; /* per pair: the most day parts it can take in the round */
  guint8 *es_mode;    /* per eslot EngineEsMode, ENGINE_ES_RELAXED between calls */
  gint32 *week_used;  /* per eweek scratch */
  guint nodes, arcs;
  guint crossing, uncertified, crossing_nodes; /* where H4 and H7 cross (solve_crossing) */
  gint64 gap_filled, gap_high, gap_m;
  gint64 cost_m, bound_m; /* term 3 of the chosen solution, and its lower bound */
  gint64 solve_us;
} Round;

/* One component being solved: its network and the candidates in it, ascending. */
typedef struct {
  EngineNet net;
  guint *in;
  guint n_in;
} Comp;

static gboolean solve(Round *round, EngineNet *net, GError **error) {
  gint64 t0 = g_get_monotonic_time();
  EngineMcfStatus status = engine_mcf_solve(net->mcf);
  round->solve_us += g_get_monotonic_time() - t0;
  if (status != ENGINE_MCF_OPTIMAL) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the flow network of a component has no optimal flow (status %d)", status);
    return FALSE;
  }
  return TRUE;
}

/* ---- the restricted network and its pricing ------------------------------ */

/* Moves the `k` smallest of keys[0..n) to keys[0..k) (k < n), in order: a sorted
 * window of the best so far, which most keys leave untouched after one comparison. */
static void select_smallest(guint64 *keys, guint n, guint k) {
  for (guint i = 1; i < n; i++) {
    guint64 x = keys[i];
    if (i >= k && x >= keys[k - 1])
      continue;
    /* Insert x into the window, which grows to k keys and then drops its largest. */
    guint j = MIN(i, k - 1);
    for (; j > 0 && keys[j - 1] > x; j--)
      keys[j] = keys[j - 1];
    keys[j] = x;
  }
}

/* The first candidates: per request-slot node its `k` cheapest (k from the tuning and
 * the slot's need), ties by candidate order, added in candidate order. */
static void add_initial(Round *round, EngineNet *net) {
  const EngineSnapshot *snap = round->snap;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  guint n = net->n_cands, n_rs = net->rs_nodes->len;
  guint rs_first = engine_mcf_n_nodes(net->mcf) - n_rs;
  g_autofree guint *start = g_new0(guint, n_rs + 2);
  for (guint i = 0; i < n; i++)
    start[net->cand_rs[i] - rs_first + 2]++;
  for (guint r = 0; r < n_rs; r++)
    start[r + 2] += start[r + 1];
  /* key: cost (offset to be >= 0) << 32 | position in the component, sorted per
   * request-slot node */
  g_autofree guint64 *key = g_new(guint64, n + 1);
  for (guint i = 0; i < n; i++)
    key[start[net->cand_rs[i] - rs_first + 1]++] =
        ((guint64)(engine_net_cand_cost(net, snap, i) + ENGINE_KEEP_M) << 32) | i;
  g_autofree gboolean *pick = g_new0(gboolean, n + 1);
  for (guint r = 0; r < n_rs; r++) {
    guint lo = start[r], hi = start[r + 1];
    guint64 need = (guint64)rs[g_array_index(net->rs_nodes, guint, r)].need;
    guint64 k = need * round->tuning.initial_per_need + round->tuning.initial_extra;
    if (round->tuning.initial_per_need == 0 && round->tuning.initial_extra == 0)
      k = G_MAXUINT;
    if (hi - lo > k) {
      select_smallest(key + lo, hi - lo, (guint)k);
      hi = lo + (guint)k;
    }
    for (guint q = lo; q < hi; q++)
      pick[(guint32)key[q]] = TRUE;
  }
  for (guint i = 0; i < n; i++)
    if (pick[i])
      engine_net_add_cand(net, snap, i);
}

/* Reduced cost of candidate `i` (in or out) under the last solve's potentials.  An
 * employee-slot node without arcs yet takes the potential of the node feeding it, as
 * it would with its in-arc in the tree at zero cost. */
static gint64 cand_reduced_cost(const EngineSnapshot *snap, const EngineNet *net, guint i) {
  guint k = net->cand_es[i] - net->es_first;
  guint from = net->es_arc[k] != ENGINE_NO_ARC ? net->cand_es[i] : net->es_feed[k];
  return engine_net_cand_cost(net, snap, i) + engine_mcf_potential(net->mcf, from) -
         engine_mcf_potential(net->mcf, net->cand_rs[i]);
}

/* Solves the component's network restricted to some candidates, then prices the
 * others and adds them until none is left out with a reduced cost <= 0.
 *
 * Why this is exact.  Give every left-out employee-slot node the potential of the
 * node feeding it (its in-arc then has reduced cost 0 and no flow).  The potentials
 * then satisfy complementary slackness with the restricted optimum on every arc of
 * the whole network once every left-out candidate arc (no flow) has a reduced cost
 * >= 0, so the restricted optimum is optimal for the whole network.  With > 0 on
 * every left-out arc, complementary slackness also says that every optimal flow of
 * the whole network leaves those arcs empty (any optimal flow satisfies it with any
 * optimal dual), so the optimal face of the restricted network is that of the whole
 * one.  Slope scaling changes the costs of the arcs in the network and prices the
 * rest again, so every solve is exact for its costs. */
static gboolean solve_restricted(Round *round, Comp *comp, GError **error) {
  const EngineSnapshot *snap = round->snap;
  EngineNet *net = &comp->net;
  g_autoptr(GArray) add = g_array_new(FALSE, FALSE, sizeof(guint));
  while (TRUE) {
    if (!solve(round, net, error))
      return FALSE;
    g_array_set_size(add, 0);
    gboolean zero = FALSE;
    for (guint i = 0; i < net->n_cands; i++) {
      if (net->cand_arc[i] != ENGINE_NO_ARC)
        continue;
      gint64 rc = cand_reduced_cost(snap, net, i);
      if (rc < 0 && zero) {
        g_array_set_size(add, 0);
        zero = FALSE;
      }
      if (rc < 0 || (rc == 0 && (zero || add->len == 0))) {
        zero = rc == 0;
        g_array_append_val(add, i);
      }
    }
    if (add->len == 0)
      break;
    for (guint k = 0; k < add->len; k++)
      engine_net_add_cand(net, snap, g_array_index(add, guint, k));
  }
  g_free(comp->in);
  comp->in = g_new(guint, net->n_in + 1);
  comp->n_in = 0;
  for (guint i = 0; i < net->n_cands; i++)
    if (net->cand_arc[i] != ENGINE_NO_ARC)
      comp->in[comp->n_in++] = i;
  return TRUE;
}

/* ---- slope scaling ------------------------------------------------------- */

/* chosen[i] for every candidate of the component (those left out are never chosen). */
static void read_flow(const Comp *comp, gboolean *chosen) {
  const EngineNet *net = &comp->net;
  memset(chosen, 0, sizeof(gboolean) * net->n_cands);
  for (guint k = 0; k < comp->n_in; k++)
    chosen[comp->in[k]] = engine_mcf_flow(net->mcf, net->cand_arc[comp->in[k]]) > 0;
}

/* The once-per-pair charge pair `p` owes: none when the round has none or the employee
 * already works for the request (approved, or, unless `relaxed`, chosen in a component
 * solved before). */
static gint64 pair_charge(const Round *round, guint p, gboolean relaxed) {
  const EnginePair *pairs = (const EnginePair *)round->snap->pairs->data;
  gboolean known = pairs[p].approved_here + (relaxed ? 0 : round->pair_done[p]) > 0;
  return known ? 0 : round->snap->options.continuity_m;
}

/* The last solve's cost without the fill rewards: term 3 under the current slopes. */
static gint64 linear_cost(const EngineSnapshot *snap, const EngineNet *net) {
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  gint64 cost = engine_mcf_total_cost(net->mcf);
  for (guint k = 0; k < net->rs_nodes->len; k++) {
    const ModelRequest *req = &g_array_index(snap->dataset->requests, ModelRequest,
                                             rs[g_array_index(net->rs_nodes, guint, k)].request);
    cost += net->weight[req->priority] *
            engine_mcf_flow(net->mcf, g_array_index(net->rs_arcs, guint, k));
  }
  return cost;
}

/* Term 3 of the last solve's flow (`chosen`, read from it): its linear cost with each
 * pair's spread charge replaced by the charge itself, once per pair used.  Leaves
 * round->pair_count counting the chosen day parts per pair. */
static gint64 true_cost(Round *round, const Comp *comp, const gboolean *chosen) {
  const EngineSnapshot *snap = round->snap;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineCand *cands = comp->net.cands;
  gint64 cost = linear_cost(snap, &comp->net);
  for (guint k = 0; k < comp->n_in; k++) {
    guint i = comp->in[k], p = cands[i].pair;
    if (!chosen[i])
      continue;
    cost -= round->slope[p] - pairs[p].cost;
    if (round->pair_count[p]++ == 0)
      cost += pair_charge(round, p, FALSE);
  }
  return cost;
}

/* Sets every pair's slope: its cost plus its charge spread over `units[p]` day parts
 * (the whole charge when units[p] is 0).  The LP relaxation (`relaxed`) spreads the
 * whole charge over the most day parts the pair can take in the round (pair_cands),
 * whichever component they lie in: a pair with x day parts then pays F x / u <= F, so
 * the sum of the components' relaxed optima bounds the round's. */
static void set_slopes(Round *round, const Comp *comp, const gint32 *units, gboolean relaxed) {
  const EnginePair *pairs = (const EnginePair *)round->snap->pairs->data;
  const EngineCand *cands = comp->net.cands;
  for (guint i = 0; i < comp->net.n_cands; i++) {
    guint p = cands[i].pair;
    round->slope[p] = pairs[p].cost + pair_charge(round, p, relaxed) / MAX(units[p], 1);
  }
}

/* Gives the arcs in the network the current slopes and solves again, pricing in. */
static gboolean resolve(Round *round, Comp *comp, GError **error) {
  EngineNet *net = &comp->net;
  for (guint k = 0; k < comp->n_in; k++)
    engine_mcf_set_cost(net->mcf, net->cand_arc[comp->in[k]],
                        engine_net_cand_cost(net, round->snap, comp->in[k]));
  return solve_restricted(round, comp, error);
}

static void clear_counts(Round *round, const Comp *comp) {
  for (guint i = 0; i < comp->net.n_cands; i++)
    round->pair_count[comp->net.cands[i].pair] = 0;
}

/* ---- where the weekly and the location limits cross ---------------------- */

/* Rebuilds the component's network with the modes of round->es_mode (same slopes),
 * solves it and reads its plan into `chosen`. */
static gboolean rebuild(Round *round, Comp *comp, gboolean *chosen, GError **error) {
  const EngineCand *cands = comp->net.cands;
  guint n_cands = comp->net.n_cands;
  g_clear_pointer(&comp->in, g_free);
  engine_net_clear(&comp->net);
  if (!engine_net_build_nodes(&comp->net, round->snap, cands, n_cands, round->slope, round->scratch,
                              round->es_mode, error))
    return FALSE;
  add_initial(round, &comp->net);
  if (!solve_restricted(round, comp, error))
    return FALSE;
  read_flow(comp, chosen);
  return TRUE;
}

static gboolean cand_crossing(const EngineNet *net, guint i) {
  return net->es_crossing[net->cand_es[i] - net->es_first];
}

/* A candidate of `chosen` on a relaxed crossing employee-slot whose week the plan
 * breaks (one always exists when a week is broken: the slots under the week node keep
 * its room), or -1 when the plan keeps every weekly limit. */
static gint broken_cand(Round *round, const Comp *comp, const gboolean *chosen) {
  const EngineEslot *es = (const EngineEslot *)round->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)round->snap->eweeks->data;
  const EngineCand *cands = comp->net.cands;
  guint n_cands = comp->net.n_cands;
  for (guint i = 0; i < n_cands; i++)
    round->week_used[es[cands[i].eslot].eweek] = 0;
  for (guint i = 0; i < n_cands; i++)
    round->week_used[es[cands[i].eslot].eweek] += chosen[i] ? 1 : 0;
  for (guint i = 0; i < n_cands; i++) {
    guint e = cands[i].eslot, w = es[e].eweek;
    if (chosen[i] && round->week_used[w] > ew[w].remaining && cand_crossing(&comp->net, i) &&
        round->es_mode[e] == ENGINE_ES_RELAXED)
      return (gint)i;
  }
  return -1;
}

/* Fixes the relaxed crossing employee-slots of the component (with `broken`, only
 * those of the weeks the plan breaks, by the counts broken_cand() left) as `chosen`
 * uses them: kept where a chosen candidate uses the slot (an employee-slot may have
 * several candidates), closed elsewhere. */
static void fix_crossing(Round *round, const Comp *comp, const gboolean *chosen, gboolean broken) {
  const EngineEslot *es = (const EngineEslot *)round->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)round->snap->eweeks->data;
  const EngineCand *cands = comp->net.cands;
  guint8 *mode = round->es_mode;
  const guint8 pending = ENGINE_ES_CLOSED + 1;
  for (guint i = 0; i < comp->net.n_cands; i++) {
    guint e = cands[i].eslot;
    if (cand_crossing(&comp->net, i) && mode[e] == ENGINE_ES_RELAXED &&
        (!broken || round->week_used[es[e].eweek] > ew[es[e].eweek].remaining))
      mode[e] = pending;
  }
  for (guint i = 0; i < comp->net.n_cands; i++)
    if (chosen[i] && mode[cands[i].eslot] == pending)
      mode[cands[i].eslot] = ENGINE_ES_KEEP;
  for (guint i = 0; i < comp->net.n_cands; i++)
    if (mode[cands[i].eslot] == pending)
      mode[cands[i].eslot] = ENGINE_ES_CLOSED;
}

/* A plan's value: the network's total cost, the staff-slots it fills, the
 * high-priority ones among them, and its cost in metres.  Within one network the fill
 * weights make the total cost lexicographic in high fill, normal fill and metres (a
 * residual cycle trades at most one staff-slot, see network.c, fill_weights), so a
 * node's optimum is the lexicographic best of the plans below it; across the networks
 * of different nodes the total cost only weighs a high staff-slot as two normal ones,
 * so plans of different nodes are compared by plan_compare(). */
typedef struct {
  gint64 cost, filled, high, metres;
} PlanValue;

/* < 0 when `a` is the better plan: more high-priority staff-slots, then more in all,
 * then (at equal fill, where the total cost differs by the metres alone) the lower
 * cost. */
static int plan_compare(const PlanValue *a, const PlanValue *b) {
  if (a->high != b->high)
    return a->high > b->high ? -1 : 1;
  if (a->filled != b->filled)
    return a->filled > b->filled ? -1 : 1;
  return (a->cost > b->cost) - (a->cost < b->cost);
}

static PlanValue plan_value(const Round *round, const Comp *comp) {
  const EngineNet *net = &comp->net;
  const EngineRslot *rs = (const EngineRslot *)round->snap->rslots->data;
  gint64 filled = 0, high = 0;
  for (guint k = 0; k < net->rs_arcs->len; k++) {
    gint64 flow = engine_mcf_flow(net->mcf, g_array_index(net->rs_arcs, guint, k));
    const ModelRequest *req = &g_array_index(round->snap->dataset->requests, ModelRequest,
                                             rs[g_array_index(net->rs_nodes, guint, k)].request);
    filled += flow;
    high += req->priority == MODEL_PRIORITY_HIGH ? flow : 0;
  }
  return (PlanValue){engine_mcf_total_cost(net->mcf), filled, high, linear_cost(round->snap, net)};
}

/* A best-first branch and bound over the crossing employee-slots.  A node fixes some
 * of them (ENGINE_ES_KEEP: used, with its unit of week and location room;
 * ENGINE_ES_CLOSED: unused) and relaxes the rest; every plan keeping H4 and H7 lies in
 * one child of each node (a used slot in the first, an unused one in the second), and
 * a node's relaxed optimum bounds every plan below it.  A node whose plan keeps every
 * week is a plan of the whole problem (the incumbent when it is better).  Open nodes
 * are taken best bound first; the search ends when none could beat the incumbent
 * (certified) or the solves of its budget are spent. */
typedef struct {
  PlanValue bound;
  GArray *fixes; /* guint: eslot << 2 | mode */
  guint branch;  /* the eslot to branch on */
} Open;

static void open_free(gpointer data) {
  Open *node = data;
  g_array_unref(node->fixes);
  g_free(node);
}

typedef struct {
  Round *round;
  Comp *comp;
  gboolean *chosen;
  PlanValue best;
  guint8 *best_mode;     /* per candidate: its employee-slot's mode in the incumbent */
  gboolean *best_chosen; /* the incumbent plan */
  GPtrArray *open;       /* Open* */
  guint nodes, budget;
} Search;

static void keep_incumbent(Search *s, PlanValue value) {
  const EngineCand *cands = s->comp->net.cands;
  s->best = value;
  for (guint i = 0; i < s->comp->net.n_cands; i++) {
    s->best_mode[i] = s->round->es_mode[cands[i].eslot];
    s->best_chosen[i] = s->chosen[i];
  }
}

/* Solves the node with `fixes` (taken; the other crossing slots relaxed): a plan
 * keeping every week becomes the incumbent if better, one that could still beat it is
 * opened. */
static gboolean search_node(Search *s, GArray *fixes, GError **error) {
  const EngineCand *cands = s->comp->net.cands;
  guint8 *mode = s->round->es_mode;
  for (guint i = 0; i < s->comp->net.n_cands; i++)
    mode[cands[i].eslot] = ENGINE_ES_RELAXED;
  for (guint k = 0; k < fixes->len; k++) {
    guint fix = g_array_index(fixes, guint, k);
    mode[fix >> 2] = (guint8)(fix & 3u);
  }
  s->nodes++;
  if (!rebuild(s->round, s->comp, s->chosen, error)) {
    g_array_unref(fixes);
    return FALSE;
  }
  PlanValue value = plan_value(s->round, s->comp);
  gboolean better = plan_compare(&value, &s->best) < 0;
  gint x = better ? broken_cand(s->round, s->comp, s->chosen) : -1;
  if (better && x >= 0) {
    Open *node = g_new0(Open, 1);
    node->bound = value;
    node->fixes = fixes;
    node->branch = cands[x].eslot;
    g_ptr_array_add(s->open, node);
    return TRUE;
  }
  if (better)
    keep_incumbent(s, value);
  g_array_unref(fixes);
  return TRUE;
}

/* Runs the search from the open root; TRUE with *out_complete when it ended because no
 * open node could beat the incumbent. */
static gboolean search(Search *s, gboolean *out_complete, GError **error) {
  *out_complete = TRUE;
  while (s->open->len > 0) {
    guint top = 0;
    for (guint k = 1; k < s->open->len; k++)
      if (plan_compare(&((Open *)g_ptr_array_index(s->open, k))->bound,
                       &((Open *)g_ptr_array_index(s->open, top))->bound) < 0)
        top = k;
    Open *node = g_ptr_array_index(s->open, top);
    if (plan_compare(&node->bound, &s->best) >= 0) {
      g_ptr_array_set_size(s->open, 0);
      break;
    }
    if (s->nodes + 2 > s->budget) {
      *out_complete = FALSE;
      return TRUE;
    }
    node = g_ptr_array_steal_index_fast(s->open, top);
    static const guint8 modes[] = {ENGINE_ES_KEEP, ENGINE_ES_CLOSED};
    gboolean ok = TRUE;
    for (guint c = 0; ok && c < G_N_ELEMENTS(modes); c++) {
      GArray *fixes = g_array_copy(node->fixes);
      guint fix = node->branch << 2 | modes[c];
      g_array_append_val(fixes, fix);
      ok = search_node(s, fixes, error);
    }
    open_free(node);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

/* Where the weekly and the location limits cross (network.c), with the relaxed
 * network just solved.  First the plan is repaired: while it breaks weeks, their
 * crossing employee-slots are fixed as the plan uses them and the network solved again
 * (each pass fixes at least a week, so this ends).  That plan is the incumbent of the
 * search above, which runs unless the repair met the relaxed bound, within a budget of
 * the tuning's solves for CROSSING_SCALE candidates (proportionally fewer for a larger
 * component, at least CROSSING_MIN_NODES).  The component is then solved once more
 * with every crossing employee-slot fixed as the best plan uses it (same cost), so that
 * the later solves cannot break a week.  A search that completed is certified optimal;
 * otherwise the component is counted, with how far its plan may be from the best open
 * bound.  Only the `first` search of a component (solve 1) branches; the later ones
 * (slope scaling) repair only.  For the first the round counts the component and
 * `out_bound_m` receives a lower bound on the cost in metres. */
static gboolean solve_crossing(Round *round, Comp *comp, gboolean *chosen, gboolean first,
                               gint64 *out_bound_m, GError **error) {
  const EngineCand *cands = comp->net.cands;
  guint n_cands = comp->net.n_cands;
  guint8 *mode = round->es_mode;
  read_flow(comp, chosen);
  PlanValue root = plan_value(round, comp);
  gint root_branch = broken_cand(round, comp, chosen);
  g_autofree guint8 *best_mode = g_new(guint8, n_cands + 1);
  g_autofree gboolean *best_chosen = g_new(gboolean, n_cands + 1);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func(open_free);
  guint64 scaled =
      (guint64)round->tuning.crossing_nodes * CROSSING_SCALE / MAX(n_cands, (guint)CROSSING_SCALE);
  guint budget =
      first ? (guint)MAX(scaled, MIN((guint)CROSSING_MIN_NODES, round->tuning.crossing_nodes)) : 0;
  Search s = {round, comp, chosen, {0}, best_mode, best_chosen, open, 0, budget};
  gboolean ok = TRUE, complete = TRUE;
  for (gint x = root_branch; ok && x >= 0; x = broken_cand(round, comp, chosen)) {
    fix_crossing(round, comp, chosen, TRUE);
    ok = rebuild(round, comp, chosen, error);
  }
  if (ok) {
    keep_incumbent(&s, plan_value(round, comp));
    if (root_branch >= 0 && plan_compare(&root, &s.best) < 0) {
      Open *node = g_new0(Open, 1);
      node->bound = root;
      node->fixes = g_array_new(FALSE, FALSE, sizeof(guint));
      node->branch = cands[root_branch].eslot;
      g_ptr_array_add(open, node);
      ok = search(&s, &complete, error);
    }
  }
  /* What the plan may miss: the best open bound (lexicographic, so its high fill bounds
   * the optimum's), and the most staff-slots of any open node (each node's relaxed
   * optimum fills the most of any plan below it: a residual cycle that filled one
   * more would cost less than nothing, see network.c, fill_weights). */
  PlanValue bound = root;
  gint64 most_filled = root.filled;
  for (guint k = 0; k < open->len; k++) {
    const PlanValue *b = &((Open *)g_ptr_array_index(open, k))->bound;
    if (k == 0 || plan_compare(b, &bound) < 0)
      bound = *b;
    most_filled = k == 0 ? b->filled : MAX(most_filled, b->filled);
  }
  if (ok) {
    for (guint i = 0; i < n_cands; i++) {
      mode[cands[i].eslot] = best_mode[i];
      chosen[i] = best_chosen[i];
    }
    fix_crossing(round, comp, chosen, FALSE);
    ok = rebuild(round, comp, chosen, error);
  }
  for (guint i = 0; i < n_cands; i++)
    mode[cands[i].eslot] = ENGINE_ES_RELAXED;
  if (!ok)
    return FALSE;
  PlanValue got = plan_value(round, comp);
  round->crossing_nodes += s.nodes;
  if (!first)
    return TRUE;
  round->crossing++;
  *out_bound_m = got.metres;
  if (!complete) {
    round->uncertified++;
    round->gap_filled += MAX(most_filled - got.filled, 0);
    round->gap_high += MAX(bound.high - got.high, 0);
    if (bound.high == got.high && bound.filled == got.filled) {
      round->gap_m += got.metres - bound.metres;
      *out_bound_m = bound.metres;
    }
  }
  return TRUE;
}

/* The staff-slots `chosen` fills per priority. */
static void fill_of(const EngineSnapshot *snap, const Comp *comp, const gboolean *chosen,
                    gint64 out[MODEL_N_PRIORITIES]) {
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  memset(out, 0, sizeof(gint64) * MODEL_N_PRIORITIES);
  for (guint i = 0; i < comp->net.n_cands; i++)
    if (chosen[i])
      out[g_array_index(snap->dataset->requests, ModelRequest, rs[comp->net.cands[i].rslot].request)
              .priority]++;
}

/* Solves one component and writes its chosen candidates. */
static gboolean solve_component(Round *round, const EngineCand *cands, guint n_cands,
                                gboolean *chosen, GError **error) {
  const EngineSnapshot *snap = round->snap;
  gint32 *count = round->pair_count;
  Comp comp = {0};
  /* The LP relaxation: each pair's charge spread over every day part it could take. */
  comp.net.cands = cands;
  comp.net.n_cands = n_cands;
  set_slopes(round, &comp, round->pair_cands, TRUE);
  if (!engine_net_build_nodes(&comp.net, snap, cands, n_cands, round->slope, round->scratch, NULL,
                              error))
    return FALSE;
  EngineNet *net = &comp.net;
  /* The size of the whole network: every employee-slot node gets its in-arc. */
  round->nodes += engine_mcf_n_nodes(net->mcf);
  round->arcs += engine_mcf_n_arcs(net->mcf) +
                 (engine_mcf_n_nodes(net->mcf) - net->es_first - net->rs_nodes->len) + n_cands;
  add_initial(round, net);
  gboolean ok = solve_restricted(round, &comp, error);
  gint64 bound_m = 0;
  gboolean crossing = ok && net->n_crossing > 0;
  if (crossing)
    ok = solve_crossing(round, &comp, chosen, TRUE, &bound_m, error);
  else if (ok)
    bound_m = linear_cost(snap, net);
  gint64 best = 0;
  if (ok) {
    round->bound_m += bound_m;
    read_flow(&comp, chosen);
    best = true_cost(round, &comp, chosen);
  }
  g_autofree gboolean *next = g_new(gboolean, n_cands + 1);
  gint32 *units = round->units;
  gboolean charged = FALSE;
  for (guint i = 0; i < n_cands && !charged; i++)
    charged = pair_charge(round, cands[i].pair, FALSE) > 0;
  for (guint it = 0; ok && charged && it < SLOPE_ROUNDS; it++) {
    /* Re-linearise around the last solution: its day parts per pair. */
    for (guint i = 0; i < n_cands; i++)
      units[cands[i].pair] = count[cands[i].pair];
    clear_counts(round, &comp);
    set_slopes(round, &comp, units, FALSE);
    /* Where the limits cross, each linearisation searches its own plan that keeps both,
     * from the relaxed network at its slopes. */
    if (crossing)
      ok = rebuild(round, &comp, next, error) &&
           solve_crossing(round, &comp, next, FALSE, NULL, error);
    else
      ok = resolve(round, &comp, error);
    if (!ok)
      break;
    read_flow(&comp, next);
    gint64 cost = true_cost(round, &comp, next);
    if (crossing) {
      /* A repaired plan may fill less than the searched one: only equal fill competes. */
      gint64 a[MODEL_N_PRIORITIES], b[MODEL_N_PRIORITIES];
      fill_of(snap, &comp, chosen, a);
      fill_of(snap, &comp, next, b);
      if (memcmp(a, b, sizeof a) != 0)
        continue;
    }
    if (memcmp(chosen, next, sizeof(gboolean) * n_cands) == 0)
      break; /* a fixed point: re-linearising again gives the same flow */
    if (cost < best) {
      best = cost;
      memcpy(chosen, next, sizeof(gboolean) * n_cands);
    }
  }
  for (guint i = 0; i < n_cands; i++)
    units[cands[i].pair] = 0;
  clear_counts(round, &comp);
  if (ok && charged && !snap->options.fair) {
    for (guint i = 0; i < n_cands; i++)
      round->slope[cands[i].pair] = pair_charge(round, cands[i].pair, FALSE);
    best += engine_polish_kept(snap, cands, n_cands, chosen, round->slope, count, round->scratch);
    if (snap->options.polish)
      best += engine_polish(snap, cands, n_cands, chosen, round->slope, count, round->scratch);
  }
  round->cost_m += best;
  for (guint i = 0; ok && i < n_cands; i++)
    round->pair_done[cands[i].pair] += chosen[i];
  g_free(comp.in);
  engine_net_clear(net);
  return ok;
}

static int compare_proposals(const void *a, const void *b, void *user) {
  const EngineSnapshot *snap = user;
  const EngineProposal *x = a, *y = b;
  guint rx = snap->request_rank[x->request], ry = snap->request_rank[y->request];
  if (rx != ry)
    return rx < ry ? -1 : 1;
  int c = model_slot_compare(&x->slot, &y->slot);
  if (c != 0)
    return c;
  guint ex = snap->employee_rank[x->employee], ey = snap->employee_rank[y->employee];
  return (ex > ey) - (ex < ey);
}

/* Proposals from the chosen candidates, sorted by request id, slot, employee id. */
static GArray *collect_proposals(const EngineSnapshot *snap, const gboolean *chosen,
                                 gint32 *pair_count) {
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  GArray *out = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  for (guint i = 0; i < snap->cands->len; i++)
    if (chosen[i])
      pair_count[cands[i].pair]++;
  for (guint i = 0; i < snap->cands->len; i++) {
    if (!chosen[i])
      continue;
    const EnginePair *p = &pairs[cands[i].pair];
    EngineProposal prop = {
        .request = p->request,
        .employee = p->employee,
        .slot = rs[cands[i].rslot].slot,
        .travel_m = p->travel_m,
        .preferred_met = p->preferred_met,
        .why = p->why | (pair_count[cands[i].pair] > 1 ? ENGINE_WHY_CONTINUITY : 0u),
    };
    g_array_append_val(out, prop);
  }
  for (guint i = 0; i < snap->cands->len; i++)
    pair_count[cands[i].pair] = 0;
  g_array_sort_with_data(out, compare_proposals, (gpointer)snap);
  return out;
}

static void fill_stats(const EngineSnapshot *snap, const gboolean *chosen, EngineStats *st) {
  const ModelDataset *ds = snap->dataset;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  st->approved = snap->approved;
  for (guint i = 0; i < snap->rslots->len; i++) {
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, rs[i].request);
    st->needed += rs[i].need;
    st->needed_by_priority[req->priority] += rs[i].need;
  }
  g_autofree gboolean *pair_seen = g_new0(gboolean, snap->pairs->len + 1);
  g_autofree gboolean *request_seen = g_new0(gboolean, snap->n_requests + 1);
  guint n_pairs = 0, n_requests = 0;
  for (guint i = 0; i < snap->cands->len; i++) {
    if (!chosen[i])
      continue;
    const EnginePair *p = &pairs[cands[i].pair];
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, p->request);
    st->filled++;
    st->filled_by_priority[req->priority]++;
    st->total_travel_m += p->travel_m;
    st->kept += cands[i].proposed;
    if (!pair_seen[cands[i].pair]) {
      pair_seen[cands[i].pair] = TRUE;
      n_pairs++;
    }
    if (!request_seen[p->request]) {
      request_seen[p->request] = TRUE;
      n_requests++;
    }
  }
  st->added = st->filled - st->kept;
  st->dropped = (gint64)snap->proposed->len - st->kept;
  st->mean_travel_km =
      st->filled > 0 ? (double)st->total_travel_m / 1000.0 / (double)st->filled : 0.0;
  st->employees_per_request = n_requests > 0 ? (double)n_pairs / (double)n_requests : 0.0;
}

/* Per pair, the most day parts it can take in the round: in each of the employee's
 * weeks, its candidates there or the week's room, whichever is less.  A pair's
 * candidates of one week are consecutive (built together, regrouped stably, and in one
 * component), so one pass over runs of (pair, week) counts them. */
static void count_pair_room(const EngineSnapshot *snap, gint32 *room) {
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)snap->eweeks->data;
  guint n = snap->cands->len;
  for (guint i = 0; i < n;) {
    guint p = cands[i].pair, w = es[cands[i].eslot].eweek, end = i;
    while (end < n && cands[end].pair == p && es[cands[end].eslot].eweek == w)
      end++;
    room[p] += MIN((gint32)(end - i), MAX(ew[w].remaining, 1));
    i = end;
  }
}

/* A round's working state over `snap`, all scratch at rest; round_clear frees it. */
static void round_init(Round *round, const EngineSnapshot *snap, const EngineTuning *tuning) {
  guint scratch_size = engine_net_scratch_size(snap), n_pairs = snap->pairs->len;
  *round = (Round){.snap = snap, .tuning = *tuning, .scratch = g_new(guint, scratch_size)};
  for (guint i = 0; i < scratch_size; i++)
    round->scratch[i] = G_MAXUINT;
  round->pair_count = g_new0(gint32, n_pairs + 1);
  round->pair_done = g_new0(gint32, n_pairs + 1);
  round->slope = g_new0(gint64, n_pairs + 1);
  round->units = g_new0(gint32, n_pairs + 1);
  round->pair_cands = g_new0(gint32, n_pairs + 1);
  round->es_mode = g_new0(guint8, snap->eslots->len + 1);
  round->week_used = g_new0(gint32, snap->eweeks->len + 1);
  count_pair_room(snap, round->pair_cands);
}

static void round_clear(Round *round) {
  g_clear_pointer(&round->scratch, g_free);
  g_clear_pointer(&round->pair_count, g_free);
  g_clear_pointer(&round->pair_done, g_free);
  g_clear_pointer(&round->slope, g_free);
  g_clear_pointer(&round->units, g_free);
  g_clear_pointer(&round->pair_cands, g_free);
  g_clear_pointer(&round->es_mode, g_free);
  g_clear_pointer(&round->week_used, g_free);
}

gboolean engine_solve_candidates(const EngineSnapshot *snapshot, const EngineCand *cands,
                                 guint n_cands, gint32 *pair_done, gboolean *chosen,
                                 GError **error) {
  EngineTuning tuning;
  engine_tuning_init(&tuning);
  Round round;
  round_init(&round, snapshot, &tuning);
  memcpy(round.pair_done, pair_done, sizeof(gint32) * snapshot->pairs->len);
  gboolean ok = solve_component(&round, cands, n_cands, chosen, error);
  memcpy(pair_done, round.pair_done, sizeof(gint32) * snapshot->pairs->len);
  round_clear(&round);
  return ok;
}

void engine_tuning_init(EngineTuning *tuning) {
  g_return_if_fail(tuning != NULL);
  tuning->initial_per_need = INITIAL_PER_NEED;
  tuning->initial_extra = INITIAL_EXTRA;
  tuning->crossing_nodes = CROSSING_NODES;
}

EngineResult *engine_match_run(const ModelDataset *dataset, const EngineOptions *options,
                               GError **error) {
  EngineTuning tuning;
  engine_tuning_init(&tuning);
  return engine_match_run_tuned(dataset, options, &tuning, error);
}

EngineResult *engine_match_run_tuned(const ModelDataset *dataset, const EngineOptions *options,
                                     const EngineTuning *tuning, GError **error) {
  g_return_val_if_fail(dataset != NULL && options != NULL && tuning != NULL, NULL);
  g_return_val_if_fail(options->children_per_staff >= 1, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  gint64 t0 = g_get_monotonic_time();
  g_autoptr(EngineSnapshot) snap = engine_snapshot_new(dataset, options, error);
  if (snap == NULL)
    return NULL;
  guint n_cands = snap->cands->len;
  g_autofree gboolean *chosen = g_new0(gboolean, n_cands + 1);
  Round round;
  round_init(&round, snap, tuning);
  const guint *start = (const guint *)snap->comp_start->data;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  for (guint c = 0; c + 1 < snap->comp_start->len; c++)
    if (!solve_component(&round, cands + start[c], start[c + 1] - start[c], chosen + start[c],
                         error)) {
      round_clear(&round);
      return NULL;
    }
  g_autoptr(EngineResult) result = g_new0(EngineResult, 1);
  result->proposals = collect_proposals(snap, chosen, round.pair_count);
  round_clear(&round);
  result->unfilled = engine_explain(snap, chosen);
  fill_stats(snap, chosen, &result->stats);
  result->stats.fair = snap->options.fair;
  result->stats.continuity_m = snap->options.continuity_m;
  result->stats.confirmed_since = snap->options.confirmed_since;
  result->stats.cost_m = round.cost_m;
  result->stats.cost_bound_m = round.bound_m;
  gint64 t_whatif = g_get_monotonic_time();
  if (!engine_whatif(snap, chosen, result->unfilled, &result->stats.whatif, error))
    return NULL;
  t0 += g_get_monotonic_time() - t_whatif; /* build_us leaves the what-ifs out */
  result->stats.nodes = round.nodes;
  result->stats.arcs = round.arcs;
  result->stats.crossing_components = round.crossing;
  result->stats.uncertified_components = round.uncertified;
  result->stats.uncertified_gap_filled = round.gap_filled;
  result->stats.uncertified_gap_high = round.gap_high;
  result->stats.uncertified_gap_m = round.gap_m;
  result->stats.crossing_nodes = round.crossing_nodes;
  result->stats.solve_us = round.solve_us;
  result->stats.build_us = g_get_monotonic_time() - t0 - round.solve_us;
  return g_steal_pointer(&result);
}

EngineMcf *engine_match_network(const ModelDataset *dataset, const EngineOptions *options,
                                GError **error) {
  g_return_val_if_fail(dataset != NULL && options != NULL, NULL);
  g_return_val_if_fail(options->children_per_staff >= 1, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  g_autoptr(EngineSnapshot) snap = engine_snapshot_new(dataset, options, error);
  if (snap == NULL)
    return NULL;
  guint scratch_size = engine_net_scratch_size(snap);
  g_autofree guint *scratch = g_new(guint, scratch_size);
  for (guint i = 0; i < scratch_size; i++)
    scratch[i] = G_MAXUINT;
  EngineNet net;
  if (!engine_net_build(&net, snap, (const EngineCand *)snap->cands->data, snap->cands->len, NULL,
                        scratch, NULL, error))
    return NULL;
  EngineMcf *mcf = g_steal_pointer(&net.mcf);
  engine_net_clear(&net);
  return mcf;
}
