/* network.c: from a run of candidates to its flow network: source and sink, the
 * employee-week nodes whose weekly room binds (H4), the location-slot nodes whose
 * lending binds (H7), employee-slot and request-slot nodes, and a bypass for what stays
 * unfilled.  Invariants: every node of the run exists from the start and candidate arcs
 * may be added later; the tier-1 weights make the min-cost flow lexicographically
 * optimal (see fill_weights); every employee-slot node has exactly one feeding node, so
 * a network is exact for H4 and H7 only where they nest (see feed_of).
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
  g_clear_pointer(&net->rs_nodes, g_array_unref);
  g_clear_pointer(&net->rs_arcs, g_array_unref);
}

/* Tier-1 weights.  A simple cycle of the residual network passes the sink at most
 * once, so it changes the filled staff-slots by at most +1 of one priority and -1 of
 * another, while its tier-2 cost changes by at most L = nodes * max tier2 (at most
 * `nodes` arcs, each |cost| <= max tier2).  With W_normal = L + 1 and W_high =
 * 2 W_normal every cycle that fills more high staff-slots, or as many high and more
 * normal ones, has negative cost whatever its travel, and no cycle trades a high
 * staff-slot for normal ones.  Since the difference of two flows is a sum of such
 * cycles, the min-cost flow is lexicographically optimal in (high fill, normal fill,
 * tier 2). */
static gboolean fill_weights(EngineNet *net, guint n_nodes, gint64 max_tier2, GError **error) {
  gint64 l, w;
  if (__builtin_mul_overflow((gint64)n_nodes, max_tier2, &l) || __builtin_add_overflow(l, 1, &w) ||
      w > ENGINE_MCF_MAX_COST / 2) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the flow network (%u nodes) is too large for exact integer costs", n_nodes);
    return FALSE;
  }
  net->weight[MODEL_PRIORITY_NORMAL] = w;
  net->weight[MODEL_PRIORITY_HIGH] = 2 * w;
  return TRUE;
}

/* Where an employee-slot's flow comes from.  The weekly limit (H4) groups an
 * employee's day parts, the location's lending (H7) groups its employees in one day
 * part; a flow network can give each employee-slot one feeding node, so where both bind
 * for the same employee-slot (it "crosses") the two cannot both be arcs of one tree.
 * `es_mode` (per eslot; NULL: all relaxed) says how a crossing employee-slot is built:
 * ENGINE_ES_RELAXED hangs it under its location-slot, its weekly limit not modelled;
 * ENGINE_ES_KEEP hangs it under its employee-week with one unit of its location-slot's
 * room kept for it; ENGINE_ES_CLOSED hangs it under its employee-week with capacity 0.
 * A network without relaxed crossing employee-slots keeps H4 and H7 exactly; match.c
 * says how it chooses the modes and when the result is certified optimal. */
typedef struct {
  guint node;        /* the feeding node */
  gboolean cap;      /* 1, or 0 for a closed employee-slot */
  gboolean crossing; /* H4 and H7 both bind on it */
  gboolean relaxed;  /* ... and it hangs under its location-slot */
} Feed;

gboolean engine_net_build_nodes(EngineNet *net, const EngineSnapshot *snapshot,
                                const EngineCand *cands, guint n_cands, guint *scratch,
                                const guint8 *es_mode, GError **error) {
  memset(net, 0, sizeof *net);
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)snapshot->eweeks->data;
  const EngineRslot *rs = (const EngineRslot *)snapshot->rslots->data;
  const EngineLslot *ls = (const EngineLslot *)snapshot->lslots->data;
  const EnginePair *pairs = (const EnginePair *)snapshot->pairs->data;
  guint *es_node = scratch;
  guint *ew_node = scratch + snapshot->eslots->len;
  guint *rs_node = ew_node + snapshot->eweeks->len;
  guint *ls_node = rs_node + snapshot->rslots->len;
  g_autoptr(GArray) es_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_slots = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ls_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ls_slots = g_array_new(FALSE, FALSE, sizeof(guint));
  net->rs_nodes = g_array_new(FALSE, FALSE, sizeof(guint));
  net->rs_arcs = g_array_new(FALSE, FALSE, sizeof(guint));
  gint64 max_tier2 = 0, demand = 0;
  guint zero = 0;
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
    max_tier2 = MAX(max_tier2, pairs[cands[i].pair].tier2);
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
  /* Crossing employee-slots, and what the restricted network reserves for them. */
  g_autofree Feed *feed = g_new0(Feed, es_list->len + 1);
  for (guint k = 0; k < es_list->len; k++) {
    guint e = g_array_index(es_list, guint, k);
    gboolean wb = ew_binds[ew_node[es[e].eweek]];
    gboolean lb = es[e].lslot != ENGINE_NO_LSLOT && ls_binds[ls_node[es[e].lslot]];
    feed[k].cap = TRUE;
    feed[k].crossing = wb && lb;
    if (feed[k].crossing) {
      net->n_crossing++;
      guint8 mode = es_mode != NULL ? es_mode[e] : ENGINE_ES_RELAXED;
      feed[k].relaxed = mode == ENGINE_ES_RELAXED;
      feed[k].cap = mode != ENGINE_ES_CLOSED;
      ls_cap[ls_node[es[e].lslot]] -= mode == ENGINE_ES_KEEP ? 1 : 0;
    }
  }
  /* Node numbering: source, sink, weekly limits that bind, location-slots that bind,
   * slots, request slots. */
  guint node = 2;
  for (guint k = 0; k < ew_list->len; k++)
    ew_node[g_array_index(ew_list, guint, k)] = ew_binds[k] ? node++ : NO_NODE;
  g_autofree guint *ls_number = g_new(guint, ls_list->len + 1);
  for (guint k = 0; k < ls_list->len; k++)
    ls_number[k] = ls_binds[k] ? node++ : NO_NODE;
  for (guint k = 0; k < es_list->len; k++) {
    guint e = g_array_index(es_list, guint, k);
    guint wn = ew_node[es[e].eweek];
    guint ln = es[e].lslot != ENGINE_NO_LSLOT ? ls_number[ls_node[es[e].lslot]] : NO_NODE;
    if (ln != NO_NODE && (!feed[k].crossing || feed[k].relaxed))
      feed[k].node = ln;
    else
      feed[k].node = wn != NO_NODE ? wn : 0;
  }
  net->es_first = node;
  for (guint k = 0; k < es_list->len; k++)
    es_node[g_array_index(es_list, guint, k)] = node++;
  for (guint k = 0; k < net->rs_nodes->len; k++)
    rs_node[g_array_index(net->rs_nodes, guint, k)] = node++;
  gboolean ok = fill_weights(net, node, max_tier2, error);
  if (ok) {
    guint n_arcs = ew_list->len + ls_list->len + es_list->len + n_cands + net->rs_nodes->len + 1;
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
    for (guint k = 0; k < es_list->len; k++) {
      net->es_feed[k] = feed[k].node;
      net->es_cap[k] = feed[k].cap ? 1 : 0;
      net->es_crossing[k] = feed[k].crossing;
      net->es_arc[k] = ENGINE_NO_ARC;
    }
    for (guint k = 0; k < ew_list->len; k++) {
      guint w = g_array_index(ew_list, guint, k);
      if (ew_node[w] != NO_NODE)
        engine_mcf_add_arc(net->mcf, 0, ew_node[w], 0, ew[w].remaining, 0);
    }
    for (guint k = 0; k < ls_list->len; k++) {
      g_assert(ls_cap[k] >= 0 || ls_number[k] == NO_NODE);
      if (ls_number[k] != NO_NODE)
        engine_mcf_add_arc(net->mcf, 0, ls_number[k], 0, ls_cap[k], 0);
    }
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

guint engine_net_add_cand(EngineNet *net, const EngineSnapshot *snapshot, guint i) {
  g_assert(i < net->n_cands && net->cand_arc[i] == ENGINE_NO_ARC);
  const EnginePair *pairs = (const EnginePair *)snapshot->pairs->data;
  guint k = net->cand_es[i] - net->es_first;
  if (net->es_arc[k] == ENGINE_NO_ARC)
    net->es_arc[k] =
        engine_mcf_add_arc(net->mcf, net->es_feed[k], net->cand_es[i], 0, net->es_cap[k], 0);
  net->cand_arc[i] = engine_mcf_add_arc(net->mcf, net->cand_es[i], net->cand_rs[i], 0, 1,
                                        pairs[net->cands[i].pair].tier2);
  net->n_in++;
  return net->cand_arc[i];
}

gboolean engine_net_build(EngineNet *net, const EngineSnapshot *snapshot, const EngineCand *cands,
                          guint n_cands, guint *scratch, const guint8 *es_mode, GError **error) {
  if (!engine_net_build_nodes(net, snapshot, cands, n_cands, scratch, es_mode, error))
    return FALSE;
  for (guint i = 0; i < n_cands; i++)
    engine_net_add_cand(net, snapshot, i);
  return TRUE;
}
