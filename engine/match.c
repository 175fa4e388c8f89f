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
 * is followed by a search for the plan that keeps both (crossing.c), and the later
 * solves run on the network it leaves, where every plan keeps both.
 * Every solve is exact for its linear costs, so every one has the maximum fill.
 * Output is sorted by id; only the times (build_us, solve_us, exact_us) vary between runs.
 */
#include <stdlib.h>
#include <string.h>

#include "mcf-private.h"
#include "round-private.h"

#define SLOPE_ROUNDS 3 /* re-linearisations after the LP relaxation, at most */
#define INITIAL_PER_NEED 2
#define INITIAL_EXTRA 2
#define CROSSING_NODES 64
#define CROSSING_SCALE 4096
#define CROSSING_WARM 8192

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

static gboolean solve(EngineRound *round, EngineNet *net, GError **error) {
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
void engine_round_add_initial(EngineRound *round, EngineNet *net) {
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
gboolean engine_round_solve_restricted(EngineRound *round, EngineComp *comp, GError **error) {
  const EngineSnapshot *snap = round->snap;
  EngineNet *net = &comp->net;
  g_autoptr(GArray) add = g_array_new(FALSE, FALSE, sizeof(guint));
  while (TRUE) {
    if (!solve(round, net, error))
      return FALSE;
    g_array_set_size(add, 0);
    gboolean zero = FALSE;
    /* The reduced cost of every candidate left out under the solve's potentials, with
     * the arrays at hand (this pass follows every solve, over all the component's
     * candidates).  An employee-slot node without arcs yet takes the potential of the
     * node feeding it, as it would with its in-arc in the tree at zero cost. */
    const gint64 *pi = engine_mcf_potentials(net->mcf);
    for (guint i = 0; i < net->n_cands; i++) {
      if (net->cand_arc[i] != ENGINE_NO_ARC)
        continue;
      guint k = net->cand_es[i] - net->es_first;
      guint from = net->es_arc[k] != ENGINE_NO_ARC ? net->cand_es[i] : net->es_feed[k];
      gint64 rc = engine_net_cand_cost(net, snap, i) + pi[from] - pi[net->cand_rs[i]];
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
void engine_round_read_flow(const EngineComp *comp, guint8 *chosen) {
  const EngineNet *net = &comp->net;
  memset(chosen, 0, sizeof(guint8) * net->n_cands);
  for (guint k = 0; k < comp->n_in; k++)
    chosen[comp->in[k]] = engine_mcf_flow(net->mcf, net->cand_arc[comp->in[k]]) > 0;
}

/* The once-per-pair charge pair `p` owes: none when the round has none or the employee
 * already works for the request (approved, or, unless `relaxed`, chosen in a component
 * solved before). */
static gint64 pair_charge(const EngineRound *round, guint p, gboolean relaxed) {
  const EnginePair *pairs = (const EnginePair *)round->snap->pairs->data;
  gboolean known = pairs[p].approved_here + (relaxed ? 0 : round->pair_done[p]) > 0;
  return known ? 0 : round->snap->options.continuity_m;
}

/* The last solve's cost without the fill rewards: term 3 under the current slopes. */
gint64 engine_round_linear_cost(const EngineSnapshot *snap, const EngineNet *net) {
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
static gint64 true_cost(EngineRound *round, const EngineComp *comp, const guint8 *chosen) {
  const EngineSnapshot *snap = round->snap;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineCand *cands = comp->net.cands;
  gint64 cost = engine_round_linear_cost(snap, &comp->net);
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
static void set_slopes(EngineRound *round, const EngineComp *comp, const gint32 *units,
                       gboolean relaxed) {
  const EnginePair *pairs = (const EnginePair *)round->snap->pairs->data;
  const EngineCand *cands = comp->net.cands;
  for (guint i = 0; i < comp->net.n_cands; i++) {
    guint p = cands[i].pair;
    round->slope[p] = pairs[p].cost + pair_charge(round, p, relaxed) / MAX(units[p], 1);
  }
}

/* Gives the arcs in the network the current slopes and solves again, pricing in. */
gboolean engine_round_resolve(EngineRound *round, EngineComp *comp, GError **error) {
  EngineNet *net = &comp->net;
  for (guint k = 0; k < comp->n_in; k++)
    engine_mcf_set_cost(net->mcf, net->cand_arc[comp->in[k]],
                        engine_net_cand_cost(net, round->snap, comp->in[k]));
  return engine_round_solve_restricted(round, comp, error);
}

static void clear_counts(EngineRound *round, const EngineComp *comp) {
  for (guint i = 0; i < comp->net.n_cands; i++)
    round->pair_count[comp->net.cands[i].pair] = 0;
}

/* The staff-slots `chosen` fills per priority. */
static void fill_of(const EngineSnapshot *snap, const EngineComp *comp, const guint8 *chosen,
                    gint64 out[MODEL_N_PRIORITIES]) {
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  memset(out, 0, sizeof(gint64) * MODEL_N_PRIORITIES);
  for (guint i = 0; i < comp->net.n_cands; i++)
    if (chosen[i])
      out[g_array_index(snap->dataset->requests, ModelRequest, rs[comp->net.cands[i].rslot].request)
              .priority]++;
}

/* Marks (negative slope, see engine_polish) every charged pair of the component that
 * has candidates outside it as well: whether such a pair is used here decides what it
 * owes in a later component, so the polish leaves that as slope scaling chose it. */
static void freeze_spanning_pairs(EngineRound *round, const EngineCand *cands, guint n_cands) {
  gint32 *here = round->units;
  for (guint i = 0; i < n_cands; i++)
    here[cands[i].pair]++;
  for (guint i = 0; i < n_cands; i++) {
    guint p = cands[i].pair;
    if (round->slope[p] > 0 && here[p] < round->pair_total[p])
      round->slope[p] = -1;
  }
  for (guint i = 0; i < n_cands; i++)
    here[cands[i].pair] = 0;
}

/* Solves one component and writes its chosen candidates. */
static gboolean solve_component(EngineRound *round, const EngineCand *cands, guint n_cands,
                                guint8 *chosen, GError **error) {
  const EngineSnapshot *snap = round->snap;
  gint32 *count = round->pair_count;
  EngineComp comp = {0};
  /* The LP relaxation: each pair's charge spread over every day part it could take. */
  gint64 t0 = g_get_monotonic_time();
  comp.net.cands = cands;
  comp.net.n_cands = n_cands;
  set_slopes(round, &comp, round->pair_cands, TRUE);
  if (!engine_net_build_nodes(&comp.net, snap, cands, n_cands, round->slope, round->scratch, error))
    return FALSE;
  EngineNet *net = &comp.net;
  /* The size of the whole network: every employee-slot node gets its in-arc. */
  round->nodes += engine_mcf_n_nodes(net->mcf);
  round->arcs += engine_mcf_n_arcs(net->mcf) +
                 (engine_mcf_n_nodes(net->mcf) - net->es_first - net->rs_nodes->len) + n_cands;
  engine_round_add_initial(round, net);
  gboolean ok = engine_round_solve_restricted(round, &comp, error);
  round->exact_us += g_get_monotonic_time() - t0;
  gint64 bound_m = 0;
  gboolean crossing = ok && net->n_crossing > 0;
  if (crossing)
    ok = engine_crossing_solve(round, &comp, chosen, TRUE, &bound_m, error);
  else if (ok)
    bound_m = engine_round_linear_cost(snap, net);
  gint64 best = 0;
  if (ok) {
    round->bound_m += bound_m;
    engine_round_read_flow(&comp, chosen);
    best = true_cost(round, &comp, chosen);
  }
  g_autofree guint8 *next = g_new(guint8, n_cands + 1);
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
      ok = engine_crossing_resolve(round, &comp, TRUE, next, NULL, error) &&
           engine_crossing_solve(round, &comp, next, FALSE, NULL, error);
    else
      ok = engine_round_resolve(round, &comp, error);
    if (!ok)
      break;
    engine_round_read_flow(&comp, next);
    gint64 cost = true_cost(round, &comp, next);
    if (crossing) {
      /* A repaired plan may fill less than the searched one: only equal fill competes. */
      gint64 a[MODEL_N_PRIORITIES], b[MODEL_N_PRIORITIES];
      fill_of(snap, &comp, chosen, a);
      fill_of(snap, &comp, next, b);
      if (memcmp(a, b, sizeof a) != 0)
        continue;
    }
    if (memcmp(chosen, next, sizeof(guint8) * n_cands) == 0)
      break; /* a fixed point: re-linearising again gives the same flow */
    if (cost < best) {
      best = cost;
      memcpy(chosen, next, sizeof(guint8) * n_cands);
    }
  }
  for (guint i = 0; i < n_cands; i++)
    units[cands[i].pair] = 0;
  clear_counts(round, &comp);
  if (ok && charged && !snap->options.fair) {
    for (guint i = 0; i < n_cands; i++)
      round->slope[cands[i].pair] = pair_charge(round, cands[i].pair, FALSE);
    best += engine_polish_kept(snap, cands, n_cands, chosen, round->slope, count, round->scratch);
    if (snap->options.polish) {
      freeze_spanning_pairs(round, cands, n_cands);
      best += engine_polish(snap, cands, n_cands, chosen, round->slope, count, round->scratch);
    }
  }
  round->cost_m += best;
  for (guint i = 0; ok && i < n_cands; i++)
    round->pair_done[cands[i].pair] += chosen[i];
  g_free(comp.in);
  g_free(comp.cross);
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
static GArray *collect_proposals(const EngineSnapshot *snap, const guint8 *chosen,
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

static void fill_stats(const EngineSnapshot *snap, const guint8 *chosen, EngineStats *st) {
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
static void round_init(EngineRound *round, const EngineSnapshot *snap, const EngineTuning *tuning) {
  guint scratch_size = engine_net_scratch_size(snap), n_pairs = snap->pairs->len;
  *round = (EngineRound){.snap = snap, .tuning = *tuning, .scratch = g_new(guint, scratch_size)};
  for (guint i = 0; i < scratch_size; i++)
    round->scratch[i] = G_MAXUINT;
  round->pair_count = g_new0(gint32, n_pairs + 1);
  round->pair_done = g_new0(gint32, n_pairs + 1);
  round->slope = g_new0(gint64, n_pairs + 1);
  round->units = g_new0(gint32, n_pairs + 1);
  round->pair_cands = g_new0(gint32, n_pairs + 1);
  if (snap->options.polish) { /* only the polish asks (freeze_spanning_pairs) */
    round->pair_total = g_new0(gint32, n_pairs + 1);
    for (guint i = 0; i < snap->cands->len; i++)
      round->pair_total[g_array_index(snap->cands, EngineCand, i).pair]++;
  }
  round->es_mode = g_new0(guint8, snap->eslots->len + 1);
  round->week_used = g_new0(gint32, snap->eweeks->len + 1);
  count_pair_room(snap, round->pair_cands);
}

static void round_clear(EngineRound *round) {
  g_clear_pointer(&round->scratch, g_free);
  g_clear_pointer(&round->pair_count, g_free);
  g_clear_pointer(&round->pair_done, g_free);
  g_clear_pointer(&round->slope, g_free);
  g_clear_pointer(&round->units, g_free);
  g_clear_pointer(&round->pair_cands, g_free);
  g_clear_pointer(&round->pair_total, g_free);
  g_clear_pointer(&round->es_mode, g_free);
  g_clear_pointer(&round->week_used, g_free);
}

gboolean engine_solve_candidates(const EngineSnapshot *snapshot, const EngineCand *cands,
                                 guint n_cands, gint32 *pair_done, guint8 *chosen, GError **error) {
  EngineTuning tuning;
  engine_tuning_init(&tuning);
  EngineRound round;
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
  tuning->crossing_scale = CROSSING_SCALE;
  tuning->crossing_warm = CROSSING_WARM;
  tuning->crossing_fix = FALSE;
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
  g_autofree guint8 *chosen = g_new0(guint8, n_cands + 1);
  EngineRound round;
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
  result->stats.exact_us = round.exact_us;
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
                        scratch, error))
    return NULL;
  EngineMcf *mcf = g_steal_pointer(&net.mcf);
  engine_net_clear(&net);
  return mcf;
}
