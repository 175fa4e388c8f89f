/* match.c: a matching round.  Each independent component of the candidate graph is
 * solved as a min-cost flow, one objective tier after another; a later tier never
 * leaves the optimal face of the earlier ones (see fix_face), so the result is
 * exactly lexicographic:
 *   solve 1: fill (high before normal) and tier 2 (district, travel), by weights whose
 *            bound is argued at fill_weights in network.c; on a network restricted to
 *            each request slot's cheapest candidates, with the others priced in until
 *            none could improve or tie (exact, see solve_restricted);
 *   solve 2: tier 3 (preferred tags, familiarity), only where it differs;
 *   solves 3..5: continuity, a heuristic for fewer distinct employees per request
 *            within the tier-3 optimum, kept only while it lowers that count.
 * Output is sorted by id; only build_us and solve_us vary between runs.
 */
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define CONTINUITY_ROUNDS 3
#define INITIAL_PER_NEED 2
#define INITIAL_EXTRA 2

void engine_options_init(EngineOptions *options) {
  g_return_if_fail(options != NULL);
  options->children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  options->continuity = TRUE;
  options->districts = NULL;
  options->freed_only = FALSE;
  options->whatif_ms = ENGINE_WHATIF_DEFAULT_MS;
  options->whatif_solves = ENGINE_WHATIF_DEFAULT_SOLVES;
  options->whatif_whole = ENGINE_WHATIF_WHOLE;
  options->whatif_neighbourhood = ENGINE_WHATIF_NEIGHBOURHOOD;
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
  guint nodes, arcs;
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
  for (guint i = 1; i < k; i++) {
    guint64 x = keys[i];
    guint j = i;
    for (; j > 0 && keys[j - 1] > x; j--)
      keys[j] = keys[j - 1];
    keys[j] = x;
  }
  for (guint i = k; i < n; i++) {
    guint64 x = keys[i];
    if (x >= keys[k - 1])
      continue;
    guint j = k - 1;
    for (; j > 0 && keys[j - 1] > x; j--)
      keys[j] = keys[j - 1];
    keys[j] = x;
  }
}

/* The first candidates: per request-slot node its `k` cheapest (k from the tuning and
 * the slot's need), ties by candidate order, added in candidate order. */
static void add_initial(Round *round, EngineNet *net) {
  const EngineSnapshot *snap = round->snap;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  guint n = net->n_cands, n_rs = net->rs_nodes->len;
  guint rs_first = engine_mcf_n_nodes(net->mcf) - n_rs;
  g_autofree guint *start = g_new0(guint, n_rs + 2);
  for (guint i = 0; i < n; i++)
    start[net->cand_rs[i] - rs_first + 2]++;
  for (guint r = 0; r < n_rs; r++)
    start[r + 2] += start[r + 1];
  /* key: tier2 << 32 | position in the component, sorted per request-slot node */
  g_autofree guint64 *key = g_new(guint64, n + 1);
  for (guint i = 0; i < n; i++)
    key[start[net->cand_rs[i] - rs_first + 1]++] =
        ((guint64)(guint32)pairs[net->cands[i].pair].tier2 << 32) | i;
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
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  guint k = net->cand_es[i] - net->es_first;
  guint from = net->es_arc[k] != ENGINE_NO_ARC ? net->cand_es[i] : net->es_feed[k];
  return pairs[net->cands[i].pair].tier2 + engine_mcf_potential(net->mcf, from) -
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
 * one and the later tiers (fix_face) lose nothing either. */
static gboolean solve_restricted(Round *round, Comp *comp, GError **error) {
  const EngineSnapshot *snap = round->snap;
  EngineNet *net = &comp->net;
  add_initial(round, net);
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
  comp->in = g_new(guint, net->n_in + 1);
  comp->n_in = 0;
  for (guint i = 0; i < net->n_cands; i++)
    if (net->cand_arc[i] != ENGINE_NO_ARC)
      comp->in[comp->n_in++] = i;
  return TRUE;
}

/* ---- later tiers --------------------------------------------------------- */

/* Records the optimal face of the last solve as the sign of every arc's reduced cost.
 * By complementary slackness the optimal flows are exactly the feasible flows with
 * zero flow where the sign is +1 and full capacity where it is -1, that is the
 * minimisers of sum(sign * flow).  A later tier then minimises
 * M * sign + tier with M greater than the tier cost of any simple cycle
 * (nodes * max |tier|), which keeps every earlier tier at its optimum. */
static void fix_face(const EngineNet *net, gint8 *sign) {
  guint n_arcs = engine_mcf_n_arcs(net->mcf);
  for (guint a = 0; a < n_arcs; a++) {
    gint64 pu = engine_mcf_potential(net->mcf, engine_mcf_arc_source(net->mcf, a));
    gint64 pv = engine_mcf_potential(net->mcf, engine_mcf_arc_target(net->mcf, a));
    gint64 rc;
    gboolean overflow = __builtin_add_overflow(engine_mcf_arc_cost(net->mcf, a), pu, &rc) ||
                        __builtin_sub_overflow(rc, pv, &rc);
    g_assert(!overflow);
    sign[a] = (gint8)((rc > 0) - (rc < 0));
    gint64 flow = engine_mcf_flow(net->mcf, a);
    g_assert(rc <= 0 || flow == engine_mcf_arc_lower(net->mcf, a));
    g_assert(rc >= 0 || flow == engine_mcf_arc_capacity(net->mcf, a));
  }
}

/* Sets every arc's cost to M * sign + tier (tier[k] for candidate in[k], 0 elsewhere). */
static gboolean set_tier_costs(Comp *comp, const gint8 *sign, const gint64 *tier, GError **error) {
  EngineNet *net = &comp->net;
  guint n_nodes = engine_mcf_n_nodes(net->mcf);
  gint64 max_tier = 0;
  for (guint k = 0; k < comp->n_in; k++)
    max_tier = MAX(max_tier, tier[k] < 0 ? -tier[k] : tier[k]);
  gint64 m;
  if (__builtin_mul_overflow((gint64)n_nodes, max_tier, &m) || __builtin_add_overflow(m, 1, &m) ||
      m > ENGINE_MCF_MAX_COST - max_tier) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the flow network (%u nodes) is too large for exact integer costs", n_nodes);
    return FALSE;
  }
  guint n_arcs = engine_mcf_n_arcs(net->mcf);
  for (guint a = 0; a < n_arcs; a++)
    engine_mcf_set_cost(net->mcf, a, m * sign[a]);
  for (guint k = 0; k < comp->n_in; k++) {
    guint a = net->cand_arc[comp->in[k]];
    engine_mcf_set_cost(net->mcf, a, m * sign[a] + tier[k]);
  }
  return TRUE;
}

/* chosen[i] for every candidate of the component (those left out are never chosen). */
static void read_flow(const Comp *comp, gboolean *chosen) {
  const EngineNet *net = &comp->net;
  memset(chosen, 0, sizeof(gboolean) * net->n_cands);
  for (guint k = 0; k < comp->n_in; k++)
    chosen[comp->in[k]] = engine_mcf_flow(net->mcf, net->cand_arc[comp->in[k]]) > 0;
}

/* What this component adds to the sum over requests of distinct employees proposed:
 * the pairs chosen here and in no component solved before. */
static guint count_pairs(Round *round, const Comp *comp, const gboolean *chosen) {
  const EngineCand *cands = comp->net.cands;
  guint n = 0;
  for (guint k = 0; k < comp->n_in; k++) {
    guint i = comp->in[k], p = cands[i].pair;
    if (chosen[i] && round->pair_done[p] == 0 && round->pair_count[p]++ == 0)
      n++;
  }
  for (guint k = 0; k < comp->n_in; k++)
    round->pair_count[cands[comp->in[k]].pair] = 0;
  return n;
}

typedef struct {
  guint pair, request_rank, employee_rank;
  gint32 count;
} Used;

static int compare_used(const void *a, const void *b) {
  const Used *x = a, *y = b;
  if (x->request_rank != y->request_rank)
    return x->request_rank < y->request_rank ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return (x->employee_rank > y->employee_rank) - (x->employee_rank < y->employee_rank);
}

/* Notes pair `p` in `used` once (count[p] marks it seen). */
static void note_pair(const EngineSnapshot *snap, Round *round, guint p, GArray *used) {
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  if (round->pair_count[p] != 0)
    return;
  round->pair_count[p] = -1;
  Used u = {p, snap->request_rank[pairs[p].request], snap->employee_rank[pairs[p].employee],
            pairs[p].approved_here + round->pair_done[p]};
  g_array_append_val(used, u);
}

/* Continuity discounts from a solution: per request, the employees it already has
 * (slots chosen here or in earlier components, e.g. other weeks, or approved) ranked
 * by slots held, then id; the k-th of n gets
 * count * (n + 1) + (n - k), so ties between equal employees are broken the same way
 * for every slot and the request's slots gather on its first-ranked employees.
 * Pairs whose candidates were all left out of the network and that hold nothing yet
 * would get 0 and rank after every pair holding something, so they are not listed. */
static void continuity_tier(Round *round, const Comp *comp, const gboolean *chosen, gint64 *tier) {
  const EngineSnapshot *snap = round->snap;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineNet *net = &comp->net;
  const EngineCand *cands = net->cands;
  gint32 *count = round->pair_count;
  g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(Used));
  for (guint k = 0; k < comp->n_in; k++)
    note_pair(snap, round, cands[comp->in[k]].pair, used);
  for (guint i = 0; i < net->n_cands; i++) {
    guint p = cands[i].pair;
    if (net->cand_arc[i] == ENGINE_NO_ARC && pairs[p].approved_here + round->pair_done[p] > 0)
      note_pair(snap, round, p, used);
  }
  Used *u = (Used *)used->data;
  for (guint k = 0; k < used->len; k++)
    count[u[k].pair] = (gint32)k + 1; /* position + 1 while counting */
  for (guint k = 0; k < comp->n_in; k++)
    if (chosen[comp->in[k]])
      u[count[cands[comp->in[k]].pair] - 1].count++;
  if (used->len > 1)
    qsort(u, used->len, sizeof(Used), compare_used);
  for (guint k = 0; k < used->len;) {
    guint end = k, n = 0;
    while (end < used->len && u[end].request_rank == u[k].request_rank) {
      n += u[end].count > 0;
      end++;
    }
    for (guint j = k; j < end; j++) {
      gint64 d = u[j].count > 0 ? (gint64)u[j].count * (n + 1) + (n - (j - k)) : 0;
      count[u[j].pair] = (gint32)MIN(d, G_MAXINT32);
    }
    k = end;
  }
  for (guint k = 0; k < comp->n_in; k++)
    tier[k] = -(gint64)count[cands[comp->in[k]].pair];
  for (guint k = 0; k < used->len; k++)
    count[u[k].pair] = 0;
}

/* The earlier tiers of a choice: fill per priority, tier 2, tier 3. */
static void tier_totals(const EngineSnapshot *snap, const Comp *comp, const gboolean *chosen,
                        gint64 out[4]) {
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineCand *cands = comp->net.cands;
  memset(out, 0, 4 * sizeof(gint64));
  for (guint k = 0; k < comp->n_in; k++) {
    guint i = comp->in[k];
    if (!chosen[i])
      continue;
    const EnginePair *p = &pairs[cands[i].pair];
    const ModelRequest *req =
        &g_array_index(snap->dataset->requests, ModelRequest, rs[cands[i].rslot].request);
    out[req->priority]++;
    out[2] += p->tier2;
    out[3] += p->tier3;
  }
}

/* Solves one component and writes its chosen candidates. */
static gboolean solve_component(Round *round, const EngineCand *cands, guint n_cands,
                                gboolean *chosen, GError **error) {
  const EngineSnapshot *snap = round->snap;
  const EnginePair *pairs = (const EnginePair *)snap->pairs->data;
  Comp comp = {0};
  if (!engine_net_build_nodes(&comp.net, snap, cands, n_cands, round->scratch, error))
    return FALSE;
  EngineNet *net = &comp.net;
  /* The size of the whole network: every employee-slot node gets its in-arc. */
  round->nodes += engine_mcf_n_nodes(net->mcf);
  round->arcs += engine_mcf_n_arcs(net->mcf) +
                 (engine_mcf_n_nodes(net->mcf) - net->es_first - net->rs_nodes->len) + n_cands;
  gboolean ok = solve_restricted(round, &comp, error);
  g_autofree gint8 *sign = g_new(gint8, engine_mcf_n_arcs(net->mcf) + 1);
  g_autofree gint64 *tier = g_new(gint64, comp.n_in + 1);
  /* Tier 3 only matters when it differs between candidates: the number of chosen
   * candidates is fixed on the optimal face. */
  gint32 lo = G_MAXINT32, hi = G_MININT32;
  for (guint k = 0; ok && k < comp.n_in; k++) {
    lo = MIN(lo, pairs[cands[comp.in[k]].pair].tier3);
    hi = MAX(hi, pairs[cands[comp.in[k]].pair].tier3);
  }
  if (ok && lo < hi) {
    fix_face(net, sign);
    for (guint k = 0; k < comp.n_in; k++)
      tier[k] = pairs[cands[comp.in[k]].pair].tier3;
    ok = set_tier_costs(&comp, sign, tier, error) && solve(round, net, error);
  }
  if (ok)
    read_flow(&comp, chosen);
  if (ok && snap->options.continuity) {
    fix_face(net, sign);
    g_autofree gboolean *next = g_new(gboolean, n_cands + 1);
    guint best = count_pairs(round, &comp, chosen);
    for (guint it = 0; ok && it < CONTINUITY_ROUNDS && best > 0; it++) {
      continuity_tier(round, &comp, chosen, tier);
      ok = set_tier_costs(&comp, sign, tier, error) && solve(round, net, error);
      if (!ok)
        break;
      read_flow(&comp, next);
      gint64 before[4], after[4];
      tier_totals(snap, &comp, chosen, before);
      tier_totals(snap, &comp, next, after);
      g_assert(memcmp(before, after, sizeof before) == 0);
      guint got = count_pairs(round, &comp, next);
      if (got >= best)
        break;
      best = got;
      memcpy(chosen, next, sizeof(gboolean) * n_cands);
    }
  }
  for (guint k = 0; ok && k < comp.n_in; k++)
    round->pair_done[cands[comp.in[k]].pair] += chosen[comp.in[k]];
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
    if (!pair_seen[cands[i].pair]) {
      pair_seen[cands[i].pair] = TRUE;
      n_pairs++;
    }
    if (!request_seen[p->request]) {
      request_seen[p->request] = TRUE;
      n_requests++;
    }
  }
  st->mean_travel_km =
      st->filled > 0 ? (double)st->total_travel_m / 1000.0 / (double)st->filled : 0.0;
  st->employees_per_request = n_requests > 0 ? (double)n_pairs / (double)n_requests : 0.0;
}

/* A round's working state over `snap`, all scratch at rest; round_clear frees it. */
static void round_init(Round *round, const EngineSnapshot *snap, const EngineTuning *tuning) {
  guint scratch_size = engine_net_scratch_size(snap);
  *round = (Round){.snap = snap, .tuning = *tuning, .scratch = g_new(guint, scratch_size)};
  for (guint i = 0; i < scratch_size; i++)
    round->scratch[i] = G_MAXUINT;
  round->pair_count = g_new0(gint32, snap->pairs->len + 1);
  round->pair_done = g_new0(gint32, snap->pairs->len + 1);
}

static void round_clear(Round *round) {
  g_clear_pointer(&round->scratch, g_free);
  g_clear_pointer(&round->pair_count, g_free);
  g_clear_pointer(&round->pair_done, g_free);
}

gboolean engine_solve_candidates(const EngineSnapshot *snapshot, const EngineCand *cands,
                                 guint n_cands, gboolean *chosen, GError **error) {
  EngineTuning tuning;
  engine_tuning_init(&tuning);
  Round round;
  round_init(&round, snapshot, &tuning);
  gboolean ok = solve_component(&round, cands, n_cands, chosen, error);
  round_clear(&round);
  return ok;
}

void engine_tuning_init(EngineTuning *tuning) {
  g_return_if_fail(tuning != NULL);
  tuning->initial_per_need = INITIAL_PER_NEED;
  tuning->initial_extra = INITIAL_EXTRA;
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
  gint64 t_whatif = g_get_monotonic_time();
  if (!engine_whatif(snap, chosen, result->unfilled, &result->stats.whatif, error))
    return NULL;
  t0 += g_get_monotonic_time() - t_whatif; /* build_us leaves the what-ifs out */
  result->stats.nodes = round.nodes;
  result->stats.arcs = round.arcs;
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
  if (!engine_net_build(&net, snap, (const EngineCand *)snap->cands->data, snap->cands->len,
                        scratch, error))
    return NULL;
  EngineMcf *mcf = g_steal_pointer(&net.mcf);
  engine_net_clear(&net);
  return mcf;
}
