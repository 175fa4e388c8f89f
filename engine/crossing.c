/* crossing.c: where a weekly limit (H4) and a location's lending (H7) bind on the same
 * employee-slot, no flow network keeps both (network.c, Feed).  The round's relaxed
 * optimum is repaired into a plan that keeps both, then a best-first branch and bound
 * over the crossing employee-slots searches for a better one within a budget; a search
 * that ends certifies its plan optimal, else the round counts the gap to the best open
 * bound.  Plans compare lexicographically: high fill, then fill, then cost.  Every node
 * of the search changes the component's one network in place (engine_net_set_mode())
 * and solves it from the last node's tree.
 */
#include <string.h>

#include "mcf-private.h"
#include "round-private.h"

/* The search's budget: at most the tuning's solves, and once CROSSING_MIN_NODES are
 * spent, at most CROSSING_WORK pivots or arcs per candidate of a component of the
 * tuning's crossing_scale per solve of the tuning (a solve on such a component costs about that: a
 * warm start walks every arc once, and then pivots).  A larger component so gets
 * fewer solves, a cheap solve costs the budget less, and a component on which one
 * solve would pass the budget is not searched (engine_crossing_solve()). */
#define CROSSING_WORK 4
#define CROSSING_MIN_NODES 4

/* The component's candidates on crossing employee-slots (comp->cross), listed once: the
 * passes below visit those alone, a quarter of a national component's candidates. */
static void list_crossing(EngineComp *comp) {
  const EngineNet *net = &comp->net;
  if (comp->cross != NULL)
    return;
  guint n = 0;
  for (guint i = 0; i < net->n_cands; i++)
    n += net->es_crossing[net->cand_es[i] - net->es_first] ? 1 : 0;
  comp->cross = g_new(guint, n + 1);
  comp->n_cross = 0;
  for (guint i = 0; i < net->n_cands; i++)
    if (net->es_crossing[net->cand_es[i] - net->es_first])
      comp->cross[comp->n_cross++] = i;
}

/* Gives the component's network the modes of round->es_mode and the current slopes,
 * solves it, reads its plan into `chosen` and adds the pivots and arcs it took to
 * `*work` (if not NULL).  Changed modes up to the tuning's crossing_warm (a node of the
 * search, a repair pass: a few thousand on a national component) are made in place and
 * solved from the last solve's tree, which takes about one pivot per change.  More (the
 * relaxed network again after a whole plan was fixed), or a `fresh` solve (new slopes:
 * the network then holds only what they price in, not every arc earlier slopes priced
 * in), rebuild the network and solve it afresh from each request slot's cheapest
 * candidates, some 90,000 pivots on a national component: faster only when most slots
 * changed, since every changed slot that carried flow hangs from the root of the old
 * tree (see mcf-warm.c, engine_mcf_repair_tree). */
gboolean engine_crossing_resolve(EngineRound *round, EngineComp *comp, gboolean fresh,
                                 guint8 *chosen, guint64 *work, GError **error) {
  EngineNet *net = &comp->net;
  const EngineCand *cands = net->cands;
  list_crossing(comp);
  const guint *cross = comp->cross;
  guint changes = 0;
  for (guint k = 0; k < comp->n_cross; k++) {
    guint i = cross[k];
    changes += net->es_mode[net->cand_es[i] - net->es_first] != round->es_mode[cands[i].eslot];
  }
  gboolean rebuild = fresh || changes > round->tuning.crossing_warm;
  if (rebuild) {
    guint n_cands = net->n_cands;
    g_clear_pointer(&comp->in, g_free);
    comp->n_in = 0;
    engine_net_clear(net);
    if (!engine_net_build_nodes(net, round->snap, cands, n_cands, round->slope, round->scratch,
                                error))
      return FALSE;
  }
  /* Out of KEEP first, so that no location-slot's room drops below 0 on the way. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint k = 0; k < comp->n_cross; k++) {
      guint i = cross[k];
      EngineEsMode mode = round->es_mode[cands[i].eslot];
      if ((mode == ENGINE_ES_KEEP) == (pass == 1))
        engine_net_set_mode(net, net->cand_es[i], mode);
    }
  if (rebuild)
    engine_round_add_initial(round, net);
  guint64 pivots = engine_mcf_pivots(net->mcf);
  if (!(rebuild ? engine_round_solve_restricted(round, comp, error)
                : engine_round_resolve(round, comp, error)))
    return FALSE;
  engine_round_read_flow(comp, chosen);
  /* The network may have grown by pricing, so its arcs are counted after the solve. */
  if (work != NULL)
    *work += engine_mcf_pivots(net->mcf) - pivots + engine_mcf_n_arcs(net->mcf);
  return TRUE;
}

/* A candidate of `chosen` on a relaxed crossing employee-slot whose week the plan
 * breaks (one always exists when a week is broken: the slots under the week node keep
 * its room), or -1 when the plan keeps every weekly limit.  Leaves round->week_used
 * counting the chosen day parts of every week of the component's crossing candidates
 * and of the candidates in the network (`chosen` holds no others). */
static gint broken_cand(EngineRound *round, const EngineComp *comp, const guint8 *chosen) {
  const EngineEslot *es = (const EngineEslot *)round->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)round->snap->eweeks->data;
  const EngineCand *cands = comp->net.cands;
  for (guint k = 0; k < comp->n_cross; k++)
    round->week_used[es[cands[comp->cross[k]].eslot].eweek] = 0;
  for (guint k = 0; k < comp->n_in; k++)
    round->week_used[es[cands[comp->in[k]].eslot].eweek] = 0;
  for (guint k = 0; k < comp->n_in; k++)
    round->week_used[es[cands[comp->in[k]].eslot].eweek] += chosen[comp->in[k]] ? 1 : 0;
  for (guint k = 0; k < comp->n_in; k++) {
    guint i = comp->in[k], e = cands[i].eslot, w = es[e].eweek;
    if (chosen[i] && round->week_used[w] > ew[w].remaining &&
        comp->net.es_crossing[comp->net.cand_es[i] - comp->net.es_first] &&
        round->es_mode[e] == ENGINE_ES_RELAXED)
      return (gint)i;
  }
  return -1;
}

/* Fixes the relaxed crossing employee-slots of the component (with `broken`, only
 * those of the weeks the plan breaks, by the counts broken_cand() left) as `chosen`
 * uses them: kept where a chosen candidate uses the slot (an employee-slot may have
 * several candidates), closed elsewhere. */
static void fix_crossing(EngineRound *round, const EngineComp *comp, const guint8 *chosen,
                         gboolean broken) {
  const EngineEslot *es = (const EngineEslot *)round->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)round->snap->eweeks->data;
  const EngineCand *cands = comp->net.cands;
  const guint *cross = comp->cross;
  guint8 *mode = round->es_mode;
  const guint8 pending = ENGINE_ES_CLOSED + 1;
  for (guint k = 0; k < comp->n_cross; k++) {
    guint e = cands[cross[k]].eslot;
    if (mode[e] == ENGINE_ES_RELAXED &&
        (!broken || round->week_used[es[e].eweek] > ew[es[e].eweek].remaining))
      mode[e] = pending;
  }
  for (guint k = 0; k < comp->n_cross; k++)
    if (chosen[cross[k]] && mode[cands[cross[k]].eslot] == pending)
      mode[cands[cross[k]].eslot] = ENGINE_ES_KEEP;
  for (guint k = 0; k < comp->n_cross; k++)
    if (mode[cands[cross[k]].eslot] == pending)
      mode[cands[cross[k]].eslot] = ENGINE_ES_CLOSED;
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

static PlanValue plan_value(const EngineRound *round, const EngineComp *comp) {
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
  return (PlanValue){engine_mcf_total_cost(net->mcf), filled, high,
                     engine_round_linear_cost(round->snap, net)};
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
  EngineRound *round;
  EngineComp *comp;
  guint8 *chosen;
  PlanValue best;
  guint8 *best_mode;         /* per crossing candidate (comp->cross): its employee-slot's
                                mode in the incumbent */
  guint8 *best_chosen;       /* the incumbent plan */
  GPtrArray *open;           /* Open* */
  gboolean current;          /* the network's last solve is the incumbent */
  guint nodes, budget;       /* solves so far, and at most */
  guint64 work, work_budget; /* their pivots and arcs so far, and at most (see search()) */
} Search;

static void keep_incumbent(Search *s, PlanValue value) {
  const EngineCand *cands = s->comp->net.cands;
  s->best = value;
  s->current = TRUE;
  for (guint k = 0; k < s->comp->n_cross; k++)
    s->best_mode[k] = s->round->es_mode[cands[s->comp->cross[k]].eslot];
  memcpy(s->best_chosen, s->chosen, sizeof(guint8) * s->comp->net.n_cands);
}

/* Solves the node with `fixes` (taken; the other crossing slots relaxed): a plan
 * keeping every week becomes the incumbent if better, one that could still beat it is
 * opened. */
static gboolean search_node(Search *s, GArray *fixes, GError **error) {
  const EngineCand *cands = s->comp->net.cands;
  guint8 *mode = s->round->es_mode;
  for (guint k = 0; k < s->comp->n_cross; k++)
    mode[cands[s->comp->cross[k]].eslot] = ENGINE_ES_RELAXED;
  for (guint k = 0; k < fixes->len; k++) {
    guint fix = g_array_index(fixes, guint, k);
    mode[fix >> 2] = (guint8)(fix & 3u);
  }
  s->nodes++;
  s->current = FALSE;
  if (!engine_crossing_resolve(s->round, s->comp, FALSE, s->chosen, &s->work, error)) {
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
    if (s->nodes + 2 > s->budget || (s->nodes >= CROSSING_MIN_NODES && s->work > s->work_budget)) {
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
 * search above, which runs unless the repair met the relaxed bound, within its budget
 * (solves, and work; see CROSSING_WORK).  The network's flow must end as a best plan:
 * when the last solve found it, it already is; otherwise the component is solved once
 * more in the best plan's modes (warm: they differ from the last node's in the slots
 * the repair fixed), whose optimum has the best plan's value, and, only when that
 * optimum breaks a week (another optimum of the same cost), once more with every
 * crossing employee-slot fixed as the best plan uses it (any optimum of that network
 * keeps every week).  A search that completed is certified optimal; otherwise the
 * component is counted, with how far its plan may be from the best open bound.  Only
 * the `first` search of a component (solve 1) branches; the later ones
 * (slope scaling) repair only.  For the first the round counts the component and
 * `out_bound_m` receives a lower bound on the cost in metres. */
gboolean engine_crossing_solve(EngineRound *round, EngineComp *comp, guint8 *chosen, gboolean first,
                               gint64 *out_bound_m, GError **error) {
  const EngineCand *cands = comp->net.cands;
  guint n_cands = comp->net.n_cands;
  guint8 *mode = round->es_mode;
  list_crossing(comp);
  engine_round_read_flow(comp, chosen);
  PlanValue root = plan_value(round, comp);
  gint root_branch = broken_cand(round, comp, chosen);
  g_autofree guint8 *best_mode = g_new(guint8, comp->n_cross + 1);
  g_autofree guint8 *best_chosen = g_new(guint8, n_cands + 1);
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func(open_free);
  guint64 work_budget =
      (guint64)round->tuning.crossing_nodes * round->tuning.crossing_scale * CROSSING_WORK;
  /* A component on which one solve of the search would take more than the whole work
   * budget (CROSSING_WORK per candidate, see above) is not searched: the search could
   * not go deep enough there to close the gap, and its solves would only move the
   * bound (on the national set's two such components, by 3% of the gap, for a fifth of
   * the round's time, the plan the same). */
  gboolean searchable = (guint64)n_cands * CROSSING_WORK <= work_budget;
  guint budget = first && searchable ? round->tuning.crossing_nodes : 0;
  Search s = {.round = round,
              .comp = comp,
              .chosen = chosen,
              .best_mode = best_mode,
              .best_chosen = best_chosen,
              .open = open,
              .budget = budget,
              .work_budget = work_budget};
  gboolean ok = TRUE, complete = TRUE;
  for (gint x = root_branch; ok && x >= 0; x = broken_cand(round, comp, chosen)) {
    fix_crossing(round, comp, chosen, TRUE);
    ok = engine_crossing_resolve(round, comp, FALSE, chosen, NULL, error);
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
  if (ok && !s.current) {
    for (guint k = 0; k < comp->n_cross; k++)
      mode[cands[comp->cross[k]].eslot] = best_mode[k];
    ok = engine_crossing_resolve(round, comp, FALSE, chosen, NULL, error);
    if (ok && (round->tuning.crossing_fix || broken_cand(round, comp, chosen) >= 0)) {
      memcpy(chosen, best_chosen, sizeof(guint8) * n_cands);
      fix_crossing(round, comp, chosen, FALSE);
      ok = engine_crossing_resolve(round, comp, FALSE, chosen, NULL, error);
    }
  }
  for (guint k = 0; k < comp->n_cross; k++)
    mode[cands[comp->cross[k]].eslot] = ENGINE_ES_RELAXED;
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
