/* network.c: from a run of candidates to its flow network: source and sink, in a fair
 * round one node per lending organisation, the employee-week nodes whose weekly room
 * binds (H4), the location-slot nodes whose lending binds (H7), employee-slot and
 * request-slot nodes, and a bypass for what stays unfilled.  Invariants: every node of
 * the run exists from the start and candidate arcs may be added later; the fill weights
 * put the maximum weighted fill above every cost in metres (see fill_weights); every
 * employee-slot node has exactly one feeding node, so a network is exact for H4 and H7
 * only where they nest (see Feed).
 */
#include <string.h>

#include "match-private.h"

#define UNSET G_MAXUINT
#define NO_NODE (G_MAXUINT - 1)

guint engine_net_scratch_size(const EngineSnapshot *snapshot) {
  return snapshot->eslots->len + snapshot->eweeks->len + snapshot->rslots->len +
         snapshot->lslots->len + 1;
}

void engine_net_clear(EngineNet *net) {
  g_clear_pointer(&net->mcf, engine_mcf_free);
  g_clear_pointer(&net->cand_arc, g_free);
  g_clear_pointer(&net->cand_es, g_free);
  g_clear_pointer(&net->cand_rs, g_free);
  g_clear_pointer(&net->es_feed, g_free);
  g_clear_pointer(&net->es_arc, g_free);
  g_clear_pointer(&net->es_cap, g_free);
  g_clear_pointer(&net->es_crossing, g_free);
  g_clear_pointer(&net->es_mode, g_free);
  g_clear_pointer(&net->es_fixed_feed, g_free);
  g_clear_pointer(&net->es_fixed_arc, g_free);
  g_clear_pointer(&net->es_ls_arc, g_free);
  g_clear_pointer(&net->rs_nodes, g_array_unref);
  g_clear_pointer(&net->rs_arcs, g_array_unref);
}

/* Fill weights.  A simple cycle of the residual network passes the sink at most once,
 * so it changes the filled staff-slots by at most +1 of one priority and -1 of
 * another, while its cost in metres changes by at most L = nodes * C, where C bounds
 * |cost| on every other arc: candidate arcs (pair cost + the round's continuity charge at most,
 * -ENGINE_KEEP_M at least, whatever per-unit charge a round sets within that) and
 * organisation arcs (2 * ENGINE_FAIR_M at most).  With W_normal = L + 1 and W_high =
 * 2 W_normal every cycle that fills more high staff-slots, or as many high and more
 * normal ones, has negative cost whatever its metres, and no cycle trades a high
 * staff-slot for normal ones.  Since the difference of two flows is a sum of such
 * cycles, every min-cost flow has the maximum (high fill, normal fill), and among those
 * the least cost in metres.  2 W must stay within the solver's 2^40: nodes * C < 2^39,
 * some 16 million nodes at a 30 km pair cost (a national round has 0.7 million). */
static gboolean fill_weights(EngineNet *net, guint n_nodes, gint64 max_cost, GError **error) {
  gint64 l, w;
  if (__builtin_mul_overflow((gint64)n_nodes, max_cost, &l) || __builtin_add_overflow(l, 1, &w) ||
      w > ENGINE_MCF_MAX_COST / 2) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the flow network (%u nodes) is too large for exact integer costs", n_nodes);
    return FALSE;
  }
  net->weight[MODEL_PRIORITY_NORMAL] = w;
  net->weight[MODEL_PRIORITY_HIGH] = 2 * w;
  return TRUE;
}

/* Organisation nodes of a fair round: each organisation's share of the component's
 * fill, in proportion to the free day parts its employees offer in it, as a target
 * t = ceil(min(demand, offered) * own / offered); units up to t cost nothing, the next
 * t cost ENGINE_FAIR_M each and the rest 2 * ENGINE_FAIR_M (convex, so exact).  Node
 * numbers from `node` on; org_node[o] for every organisation offering, UNSET else. */
static guint add_org_nodes(EngineNet *net, const EngineSnapshot *snapshot, const GArray *es_list,
                           guint node, guint *org_node, GArray *org_offered) {
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  for (guint k = 0; k < es_list->len; k++) {
    gint o = snapshot->org_of_employee[es[g_array_index(es_list, guint, k)].employee];
    if (o < 0)
      continue;
    if (org_node[o] == UNSET) {
      org_node[o] = org_offered->len;
      gint64 zero = 0;
      g_array_append_val(org_offered, zero);
    }
    g_array_index(org_offered, gint64, org_node[o])++;
  }
  net->n_orgs = org_offered->len;
  for (guint o = 0; o < snapshot->dataset->organisations->len; o++)
    if (org_node[o] != UNSET)
      org_node[o] += node;
  return node + net->n_orgs;
}

static void add_org_arcs(EngineNet *net, guint org_first, const GArray *org_offered,
                         gint64 demand) {
  gint64 offered = 0;
  for (guint k = 0; k < org_offered->len; k++)
    offered += g_array_index(org_offered, gint64, k);
  gint64 fill = MIN(demand, offered);
  for (guint k = 0; k < org_offered->len; k++) {
    gint64 own = g_array_index(org_offered, gint64, k);
    gint64 t = offered > 0 ? (fill * own + offered - 1) / offered : 0;
    engine_mcf_add_arc(net->mcf, 0, org_first + k, 0, t, 0);
    engine_mcf_add_arc(net->mcf, 0, org_first + k, 0, t, ENGINE_FAIR_M);
    engine_mcf_add_arc(net->mcf, 0, org_first + k, 0, MAX(own - 2 * t, 0), 2 * ENGINE_FAIR_M);
  }
}

/* The node that feeds employee `e`'s weeks and slots: its organisation's in a fair
 * round, else the source. */
static guint feed_of(const EngineSnapshot *snapshot, const guint *org_node, guint e) {
  gint o = snapshot->org_of_employee[e];
  return org_node != NULL && o >= 0 ? org_node[o] : 0;
}

/* Where an employee-slot's flow comes from.  The weekly limit (H4) groups an
 * employee's day parts, the location's lending (H7) groups its employees in one day
 * part; a flow network can give each employee-slot one feeding node, so where both bind
 * for the same employee-slot (it "crosses") the two cannot both be arcs of one tree.
 * A crossing employee-slot is built relaxed, and engine_net_set_mode() changes its mode:
 * ENGINE_ES_RELAXED hangs it under its location-slot, its weekly limit not modelled;
 * ENGINE_ES_KEEP hangs it under its employee-week with one unit of its location-slot's
 * room kept for it; ENGINE_ES_CLOSED hangs it under its employee-week with capacity 0.
 * A network without relaxed crossing employee-slots keeps H4 and H7 exactly; crossing.c
 * says how a round chooses the modes and when the result is certified optimal.  A location
 * belongs to one organisation, so in a fair round its node hangs under that
 * organisation's, as its employees' weeks do. */
typedef struct {
  guint node;        /* the feeding node */
  gboolean cap;      /* 1, or 0 for a closed employee-slot */
  gboolean crossing; /* H4 and H7 both bind on it */
  gboolean relaxed;  /* ... and it hangs under its location-slot */
} Feed;

gboolean engine_net_build_nodes(EngineNet *net, const EngineSnapshot *snapshot,
                                const EngineCand *cands, guint n_cands, const gint64 *pair_cost,
                                guint *scratch, GError **error) {
  memset(net, 0, sizeof *net);
  net->pair_cost = pair_cost;
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)snapshot->eweeks->data;
  const EngineRslot *rs = (const EngineRslot *)snapshot->rslots->data;
  const EnginePair *pairs = (const EnginePair *)snapshot->pairs->data;
  guint *es_node = scratch;
  guint *ew_node = scratch + snapshot->eslots->len;
  guint *rs_node = ew_node + snapshot->eweeks->len;
  guint *ls_node = rs_node + snapshot->rslots->len;
  const EngineLslot *ls = (const EngineLslot *)snapshot->lslots->data;
  gboolean fair = snapshot->options.fair;
  guint n_org = snapshot->dataset->organisations->len;
  g_autofree guint *org_node = fair ? g_new(guint, n_org + 1) : NULL;
  for (guint o = 0; fair && o < n_org; o++)
    org_node[o] = UNSET;
  g_autoptr(GArray) org_offered = g_array_new(FALSE, FALSE, sizeof(gint64));
  g_autoptr(GArray) es_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_slots = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ls_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ls_slots = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ls_member = g_array_new(FALSE, FALSE, sizeof(guint)); /* an employee */
  guint zero = 0;
  net->rs_nodes = g_array_new(FALSE, FALSE, sizeof(guint));
  net->rs_arcs = g_array_new(FALSE, FALSE, sizeof(guint));
  gint64 max_pair = 0, demand = 0;
  /* Pass 1: the distinct nodes, in order of first appearance. */
  for (guint i = 0; i < n_cands; i++) {
    guint e = cands[i].eslot, w = es[e].eweek, r = cands[i].rslot, l = es[e].lslot;
    if (ew_node[w] == UNSET) {
      ew_node[w] = ew_list->len;
      g_array_append_val(ew_list, w);
      g_array_append_val(ew_slots, zero);
    }
    if (l != ENGINE_NO_LSLOT && ls_node[l] == UNSET) {
      ls_node[l] = ls_list->len;
      g_array_append_val(ls_list, l);
      g_array_append_val(ls_slots, zero);
      g_array_append_val(ls_member, es[e].employee);
    }
    if (es_node[e] == UNSET) {
      es_node[e] = 0;
      g_array_append_val(es_list, e);
      g_array_index(ew_slots, guint, ew_node[w])++;
      if (l != ENGINE_NO_LSLOT)
        g_array_index(ls_slots, guint, ls_node[l])++;
    }
    if (rs_node[r] == UNSET) {
      rs_node[r] = 0;
      g_array_append_val(net->rs_nodes, r);
      demand += rs[r].need;
    }
    max_pair = MAX(max_pair, pairs[cands[i].pair].cost);
  }
  /* Which limits bind: a week whose room is smaller than the slots offered, a
   * location-slot whose room is smaller than its employees offered. */
  g_autofree gboolean *ew_binds = g_new0(gboolean, ew_list->len + 1);
  for (guint k = 0; k < ew_list->len; k++) {
    guint w = g_array_index(ew_list, guint, k);
    ew_binds[k] = (gint64)ew[w].remaining < (gint64)g_array_index(ew_slots, guint, k);
  }
  g_autofree gboolean *ls_binds = g_new0(gboolean, ls_list->len + 1);
  g_autofree gint32 *ls_cap = g_new0(gint32, ls_list->len + 1);
  for (guint k = 0; k < ls_list->len; k++) {
    guint l = g_array_index(ls_list, guint, k);
    ls_binds[k] = (gint64)ls[l].room < (gint64)g_array_index(ls_slots, guint, k);
    ls_cap[k] = ls[l].room;
  }
  /* Crossing employee-slots, and what a fixed one keeps of its location's room. */
  g_autofree Feed *feed = g_new0(Feed, es_list->len + 1);
  for (guint k = 0; k < es_list->len; k++) {
    guint e = g_array_index(es_list, guint, k);
    gboolean wb = ew_binds[ew_node[es[e].eweek]];
    gboolean lb = es[e].lslot != ENGINE_NO_LSLOT && ls_binds[ls_node[es[e].lslot]];
    feed[k].cap = TRUE;
    feed[k].crossing = wb && lb;
    feed[k].relaxed = feed[k].crossing; /* every crossing slot starts relaxed */
    net->n_crossing += feed[k].crossing;
  }
  /* Node numbering: source, sink, organisations, weekly limits that bind,
   * location-slots that bind, slots, request slots. */
  guint node = 2, org_first = 2;
  if (fair)
    node = add_org_nodes(net, snapshot, es_list, node, org_node, org_offered);
  for (guint k = 0; k < ew_list->len; k++)
    ew_node[g_array_index(ew_list, guint, k)] = ew_binds[k] ? node++ : NO_NODE;
  g_autofree guint *ls_number = g_new(guint, ls_list->len + 1);
  for (guint k = 0; k < ls_list->len; k++)
    ls_number[k] = ls_binds[k] ? node++ : NO_NODE;
  for (guint k = 0; k < es_list->len; k++) {
    const EngineEslot *slot = &es[g_array_index(es_list, guint, k)];
    guint wn = ew_node[slot->eweek];
    guint ln = slot->lslot != ENGINE_NO_LSLOT ? ls_number[ls_node[slot->lslot]] : NO_NODE;
    if (ln != NO_NODE && (!feed[k].crossing || feed[k].relaxed))
      feed[k].node = ln;
    else
      feed[k].node = wn != NO_NODE ? wn : feed_of(snapshot, org_node, slot->employee);
  }
  net->es_first = node;
  for (guint k = 0; k < es_list->len; k++)
    es_node[g_array_index(es_list, guint, k)] = node++;
  for (guint k = 0; k < net->rs_nodes->len; k++)
    rs_node[g_array_index(net->rs_nodes, guint, k)] = node++;
  gint64 max_cost =
      MAX(max_pair + snapshot->options.continuity_m, MAX(ENGINE_KEEP_M, 2 * ENGINE_FAIR_M));
  gboolean ok = fill_weights(net, node, max_cost, error);
  if (ok) {
    guint n_arcs = 3 * net->n_orgs + ew_list->len + ls_list->len + es_list->len + n_cands +
                   net->rs_nodes->len + 1;
    net->mcf = engine_mcf_new(node, n_arcs);
    net->cands = cands;
    net->n_cands = n_cands;
    net->cand_arc = g_new(guint, n_cands + 1);
    net->cand_es = g_new(guint, n_cands + 1);
    net->cand_rs = g_new(guint, n_cands + 1);
    for (guint i = 0; i < n_cands; i++) {
      net->cand_arc[i] = ENGINE_NO_ARC;
      net->cand_es[i] = es_node[cands[i].eslot];
      net->cand_rs[i] = rs_node[cands[i].rslot];
    }
    net->es_feed = g_new(guint, es_list->len + 1);
    net->es_arc = g_new(guint, es_list->len + 1);
    net->es_cap = g_new(guint8, es_list->len + 1);
    net->es_crossing = g_new(gboolean, es_list->len + 1);
    net->es_mode = g_new(guint8, es_list->len + 1);
    net->es_fixed_feed = g_new(guint, es_list->len + 1);
    net->es_fixed_arc = g_new(guint, es_list->len + 1);
    net->es_ls_arc = g_new(guint, es_list->len + 1);
    for (guint k = 0; k < es_list->len; k++) {
      guint e = g_array_index(es_list, guint, k);
      net->es_feed[k] = feed[k].node;
      net->es_cap[k] = feed[k].cap ? 1 : 0;
      net->es_crossing[k] = feed[k].crossing;
      net->es_arc[k] = ENGINE_NO_ARC;
      net->es_mode[k] = ENGINE_ES_RELAXED;
      net->es_fixed_feed[k] = feed[k].crossing ? ew_node[es[e].eweek] : NO_NODE;
      net->es_fixed_arc[k] = ENGINE_NO_ARC;
      net->es_ls_arc[k] = ENGINE_NO_ARC;
    }
    if (fair)
      add_org_arcs(net, org_first, org_offered, demand);
    for (guint k = 0; k < ew_list->len; k++) {
      guint w = g_array_index(ew_list, guint, k);
      if (ew_node[w] != NO_NODE)
        engine_mcf_add_arc(net->mcf, feed_of(snapshot, org_node, ew[w].employee), ew_node[w], 0,
                           ew[w].remaining, 0);
    }
    g_autofree guint *ls_arc = g_new(guint, ls_list->len + 1);
    for (guint k = 0; k < ls_list->len; k++) {
      g_assert(ls_cap[k] >= 0 || ls_number[k] == NO_NODE);
      if (ls_number[k] != NO_NODE)
        ls_arc[k] = engine_mcf_add_arc(
            net->mcf, feed_of(snapshot, org_node, g_array_index(ls_member, guint, k)), ls_number[k],
            0, ls_cap[k], 0);
    }
    for (guint k = 0; k < es_list->len; k++)
      if (feed[k].crossing)
        net->es_ls_arc[k] = ls_arc[ls_node[es[g_array_index(es_list, guint, k)].lslot]];
    for (guint k = 0; k < net->rs_nodes->len; k++) {
      guint r = g_array_index(net->rs_nodes, guint, k);
      const ModelRequest *req =
          &g_array_index(snapshot->dataset->requests, ModelRequest, rs[r].request);
      guint arc =
          engine_mcf_add_arc(net->mcf, rs_node[r], 1, 0, rs[r].need, -net->weight[req->priority]);
      g_array_append_val(net->rs_arcs, arc);
    }
    net->bypass = engine_mcf_add_arc(net->mcf, 0, 1, 0, demand, 0);
    engine_mcf_set_supply(net->mcf, 0, demand);
    engine_mcf_set_supply(net->mcf, 1, -demand);
  }
  for (guint k = 0; k < es_list->len; k++)
    es_node[g_array_index(es_list, guint, k)] = UNSET;
  for (guint k = 0; k < ew_list->len; k++)
    ew_node[g_array_index(ew_list, guint, k)] = UNSET;
  for (guint k = 0; k < ls_list->len; k++)
    ls_node[g_array_index(ls_list, guint, k)] = UNSET;
  for (guint k = 0; k < net->rs_nodes->len; k++)
    rs_node[g_array_index(net->rs_nodes, guint, k)] = UNSET;
  if (!ok)
    engine_net_clear(net);
  return ok;
}

void engine_net_set_mode(EngineNet *net, guint node, EngineEsMode mode) {
  guint k = node - net->es_first;
  g_assert(net->es_crossing[k]);
  EngineEsMode old = net->es_mode[k];
  if (old == mode)
    return;
  /* A network built all relaxed feeds the slot from its location-slot (es_feed). */
  g_assert(net->es_feed[k] != net->es_fixed_feed[k]);
  if (net->es_arc[k] == ENGINE_NO_ARC)
    net->es_arc[k] = engine_mcf_add_arc(net->mcf, net->es_feed[k], node, 0, net->es_cap[k], 0);
  if (net->es_fixed_arc[k] == ENGINE_NO_ARC)
    net->es_fixed_arc[k] = engine_mcf_add_arc(net->mcf, net->es_fixed_feed[k], node, 0, 0, 0);
  net->es_cap[k] = mode == ENGINE_ES_RELAXED ? 1 : 0;
  engine_mcf_set_capacity(net->mcf, net->es_arc[k], net->es_cap[k]);
  engine_mcf_set_capacity(net->mcf, net->es_fixed_arc[k], mode == ENGINE_ES_KEEP ? 1 : 0);
  gint64 room = engine_mcf_arc_capacity(net->mcf, net->es_ls_arc[k]) +
                (old == ENGINE_ES_KEEP ? 1 : 0) - (mode == ENGINE_ES_KEEP ? 1 : 0);
  g_assert(room >= 0);
  engine_mcf_set_capacity(net->mcf, net->es_ls_arc[k], room);
  net->es_mode[k] = (guint8)mode;
}

guint engine_net_add_cand(EngineNet *net, const EngineSnapshot *snapshot, guint i) {
  g_assert(i < net->n_cands && net->cand_arc[i] == ENGINE_NO_ARC);
  guint k = net->cand_es[i] - net->es_first;
  if (net->es_arc[k] == ENGINE_NO_ARC)
    net->es_arc[k] =
        engine_mcf_add_arc(net->mcf, net->es_feed[k], net->cand_es[i], 0, net->es_cap[k], 0);
  net->cand_arc[i] = engine_mcf_add_arc(net->mcf, net->cand_es[i], net->cand_rs[i], 0, 1,
                                        engine_net_cand_cost(net, snapshot, i));
  net->n_in++;
  return net->cand_arc[i];
}

gboolean engine_net_build(EngineNet *net, const EngineSnapshot *snapshot, const EngineCand *cands,
                          guint n_cands, const gint64 *pair_cost, guint *scratch, GError **error) {
  if (!engine_net_build_nodes(net, snapshot, cands, n_cands, pair_cost, scratch, error))
    return FALSE;
  for (guint i = 0; i < n_cands; i++)
    engine_net_add_cand(net, snapshot, i);
  return TRUE;
}
