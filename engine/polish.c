/* polish.c: a local improvement pass after slope scaling.  Slope scaling prices the
 * once-per-pair continuity charge by a slope and can end with an employee working a
 * single day part of a request that another employee already on the request, or one
 * a little further away, could take for less than the charge saved.  The pass moves
 * day parts between candidates of the same request slot while the true cost (travel,
 * surcharges, stability bonus, the charge once per pair) strictly drops:
 *   - one day part to another free candidate of its request slot;
 *   - a chain: a day part to an employee busy elsewhere in that day part, who moves
 *     to another candidate of that other request slot (a swap when it is the first
 *     employee);
 *   - every day part of a pair at once, so that its charge is saved.
 * engine_polish_kept, which every round that is not fair runs (polish or not), puts
 * back the undecided proposals when they still form a plan that fills more than the
 * round's, or as much at no higher cost: a round with nothing new then keeps its
 * proposals unless it finds a better plan.
 * Invariants: a move keeps the request slot filled, so the fill never changes; the
 * target's employee-slot is free (or freed by the chain) and its week has room, so H1
 * and H4 hold; a new employee-slot under a location's lending limit is never taken, so
 * H7 holds (every candidate already satisfies the other hard constraints; the kept plan
 * is checked against every limit, H7 included); moves
 * are tried in candidate order and only strict improvements are kept, so the pass is
 * deterministic and ends.  Not for fair rounds, whose organisation costs a move would
 * change.
 */
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define UNSET G_MAXUINT
#define MAX_TARGETS 64 /* candidates per request slot a move may go to */
#define MAX_PASSES 2   /* more found nothing at region scale and cost minutes at national */

typedef struct {
  const EngineSnapshot *snap;
  const EngineCand *cands;
  guint8 *chosen;
  const gint64 *charge; /* per pair: the charge it owes when used */
  gint32 *count;        /* per pair: chosen day parts in the component */
  guint *es_taken;      /* per eslot: the chosen candidate on it, or UNSET */
  guint *ew_used;       /* per eweek: chosen day parts */
  guint *rs_local;      /* per rslot: its index among the component's request slots */
  guint *rs_start;      /* per local request slot: first entry of `by_rs` */
  guint *rs_end;        /* ... and the end of its targets (at most MAX_TARGETS) */
  guint *by_rs;         /* candidates grouped by request slot, in candidate order */
  GArray *moves;        /* guint pairs (from, to) of the moves being tried */
} Polish;

/* A candidate's cost per day part: its pair's cost, less the stability bonus. */
static gint64 unit_cost(const Polish *ps, guint i) {
  const EnginePair *pairs = (const EnginePair *)ps->snap->pairs->data;
  return pairs[ps->cands[i].pair].cost - (ps->cands[i].proposed ? ENGINE_KEEP_M : 0);
}

/* A pair with a negative charge must stay used or unused (see engine_polish()): a
 * move that would change that costs this much, so it is never kept. */
#define FROZEN ((gint64)1 << 50)

/* What removing chosen candidate `i` saves, and what adding candidate `j` costs, in
 * the current plan: its cost per day part, and the pair's charge when `i` is its last
 * day part or `j` its first. */
static gint64 remove_cost(const Polish *ps, guint i) {
  guint p = ps->cands[i].pair;
  gint64 charge = ps->charge[p] < 0 ? -FROZEN : ps->charge[p];
  return unit_cost(ps, i) + (ps->count[p] == 1 ? charge : 0);
}

static gint64 add_cost(const Polish *ps, guint j) {
  guint p = ps->cands[j].pair;
  gint64 charge = ps->charge[p] < 0 ? FROZEN : ps->charge[p];
  return unit_cost(ps, j) + (ps->count[p] == 0 ? charge : 0);
}

static void take(Polish *ps, guint i) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  ps->chosen[i] = FALSE;
  ps->es_taken[ps->cands[i].eslot] = UNSET;
  ps->ew_used[es[ps->cands[i].eslot].eweek]--;
  ps->count[ps->cands[i].pair]--;
}

static void put(Polish *ps, guint j) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  ps->chosen[j] = TRUE;
  ps->es_taken[ps->cands[j].eslot] = j;
  ps->ew_used[es[ps->cands[j].eslot].eweek]++;
  ps->count[ps->cands[j].pair]++;
}

/* Whether candidate `j` (not chosen) could be added: its employee-slot is free, its
 * week has room, and its location sets no lending limit (H7) then: the polish never
 * adds lending a limit counts, so it only ever frees a location's room. */
static gboolean can_add(const Polish *ps, guint j) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)ps->snap->eweeks->data;
  guint w = es[ps->cands[j].eslot].eweek;
  return ps->es_taken[ps->cands[j].eslot] == UNSET &&
         es[ps->cands[j].eslot].lslot == ENGINE_NO_LSLOT &&
         (gint64)ps->ew_used[w] < (gint64)ew[w].remaining;
}

/* The cheapest candidate of request slot `rslot` (a chosen candidate's) that could be
 * added, other than of pair `not_pair`, with its cost in *out_add; G_MAXUINT when none. */
static guint best_target(const Polish *ps, guint rslot, guint not_pair, gint64 *out_add) {
  guint k = ps->rs_local[rslot], best = G_MAXUINT;
  gint64 best_add = 0;
  for (guint q = ps->rs_start[k]; q < ps->rs_end[k]; q++) {
    guint j = ps->by_rs[q];
    if (ps->chosen[j] || ps->cands[j].pair == not_pair || !can_add(ps, j))
      continue;
    gint64 add = add_cost(ps, j);
    if (best == G_MAXUINT || add < best_add) {
      best = j;
      best_add = add;
    }
  }
  *out_add = best_add;
  return best;
}

/* Moves every candidate of `group` (chosen, in order) to its best target in turn and
 * keeps the moves when together they lower the cost; else undoes them.  Returns the
 * change kept (< 0) or 0. */
static gint64 try_group(Polish *ps, const guint *group, guint n) {
  g_array_set_size(ps->moves, 0);
  gint64 total = 0;
  gboolean all = TRUE;
  for (guint k = 0; k < n && all; k++) {
    guint i = group[k];
    gint64 add = 0, save = remove_cost(ps, i);
    take(ps, i);
    guint to = best_target(ps, ps->cands[i].rslot, ps->cands[i].pair, &add);
    all = to != G_MAXUINT;
    if (!all) {
      put(ps, i);
      break;
    }
    put(ps, to);
    guint move[2] = {i, to};
    g_array_append_vals(ps->moves, move, 2);
    total += add - save;
  }
  if (all && total < 0)
    return total;
  for (guint k = ps->moves->len; k > 0; k -= 2) {
    take(ps, g_array_index(ps->moves, guint, k - 1));
    put(ps, g_array_index(ps->moves, guint, k - 2));
  }
  return 0;
}

/* A chain of two moves: chosen `i` to a candidate `j` of its request slot whose
 * employee already works for the request on other day parts but this one elsewhere
 * (candidate k), and k to the best target of
 * its own request slot (which may be i's employee: a swap).  Keeps the best chain that
 * lowers the cost; returns the change kept (< 0) or 0. */
static gint64 try_chain(Polish *ps, guint i) {
  const EngineCand *c = ps->cands;
  guint rk = ps->rs_local[c[i].rslot];
  gint64 save_i = remove_cost(ps, i), best = 0;
  guint best_j = G_MAXUINT, best_k = 0, best_m = 0;
  take(ps, i);
  for (guint q = ps->rs_start[rk]; q < ps->rs_end[rk]; q++) {
    guint j = ps->by_rs[q], k = ps->es_taken[c[j].eslot];
    if (ps->chosen[j] || c[j].pair == c[i].pair || k == UNSET || ps->count[c[j].pair] == 0)
      continue; /* only towards an employee already on the request: cheap and to the point */
    gint64 save_k = remove_cost(ps, k), add_m = 0;
    take(ps, k);
    gint64 add_j = add_cost(ps, j);
    put(ps, j);
    guint m = best_target(ps, c[k].rslot, c[k].pair, &add_m);
    gint64 delta = add_j + add_m - save_i - save_k;
    if (m != G_MAXUINT && delta < best) {
      best = delta;
      best_j = j, best_k = k, best_m = m;
    }
    take(ps, j);
    put(ps, k);
  }
  if (best_j == G_MAXUINT) {
    put(ps, i);
    return 0;
  }
  take(ps, best_k);
  put(ps, best_j);
  put(ps, best_m);
  return best;
}

static int compare_keys(const void *a, const void *b) {
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return (x > y) - (x < y);
}

/* One pass: every chosen day part alone, then by a chain of two moves, then every
 * pair with several day parts as a whole.  Returns the change in cost (<= 0). */
static gint64 polish_pass(Polish *ps, guint n) {
  gint64 total = 0;
  for (guint i = 0; i < n; i++)
    if (ps->chosen[i])
      total += try_group(ps, &i, 1);
  for (guint i = 0; i < n; i++)
    if (ps->chosen[i])
      total += try_chain(ps, i);
  /* The chosen candidates by pair, then candidate order. */
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint i = 0; i < n; i++)
    if (ps->chosen[i] && ps->count[ps->cands[i].pair] > 1) {
      guint64 key = (guint64)ps->cands[i].pair << 32 | i;
      g_array_append_val(keys, key);
    }
  g_array_sort(keys, compare_keys);
  g_autofree guint *group = g_new(guint, keys->len + 1);
  for (guint a = 0; a < keys->len;) {
    guint p = (guint)(g_array_index(keys, guint64, a) >> 32), b = a, m = 0;
    for (; b < keys->len && (guint)(g_array_index(keys, guint64, b) >> 32) == p; b++) {
      guint i = (guint)g_array_index(keys, guint64, b);
      if (ps->chosen[i]) /* still: an earlier group may have moved it */
        group[m++] = i;
    }
    if (m > 1)
      total += try_group(ps, group, m);
    a = b;
  }
  return total;
}

/* Orders each request slot's candidates by cost per day part (then candidate order)
 * and keeps its MAX_TARGETS cheapest as targets: a slot in a city can have thousands,
 * and a move to the far end of that list rarely pays. */
static void sort_targets(Polish *ps, guint n_rs) {
  ps->rs_end = g_new(guint, n_rs + 1);
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint k = 0; k < n_rs; k++) {
    guint lo = ps->rs_start[k], hi = ps->rs_start[k + 1];
    g_array_set_size(keys, 0);
    for (guint q = lo; q < hi; q++) {
      guint64 key = (guint64)(unit_cost(ps, ps->by_rs[q]) + ENGINE_KEEP_M) << 32 | ps->by_rs[q];
      g_array_append_val(keys, key);
    }
    g_array_sort(keys, compare_keys);
    for (guint q = lo; q < hi; q++)
      ps->by_rs[q] = (guint)g_array_index(keys, guint64, q - lo);
    ps->rs_end[k] = lo + MIN(hi - lo, MAX_TARGETS);
  }
}

/* The state over the caller's arrays; `scratch` holds the employee-slot, week and
 * request-slot maps, as engine_net_build_nodes() lays them out. */
static Polish polish_init(const EngineSnapshot *snapshot, const EngineCand *cands, guint8 *chosen,
                          const gint64 *charge, gint32 *count, guint *scratch) {
  Polish ps = {.snap = snapshot,
               .cands = cands,
               .chosen = chosen,
               .charge = charge,
               .count = count,
               .es_taken = scratch,
               .ew_used = scratch + snapshot->eslots->len};
  ps.rs_local = ps.ew_used + snapshot->eweeks->len;
  return ps;
}

gint64 engine_polish(const EngineSnapshot *snapshot, const EngineCand *cands, guint n_cands,
                     guint8 *chosen, const gint64 *charge, gint32 *count, guint *scratch) {
  g_return_val_if_fail(!snapshot->options.fair, 0);
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  Polish ps = polish_init(snapshot, cands, chosen, charge, count, scratch);
  ps.moves = g_array_new(FALSE, FALSE, sizeof(guint));
  guint n_rs = 0;
  for (guint i = 0; i < n_cands; i++) {
    if (ps.rs_local[cands[i].rslot] == UNSET)
      ps.rs_local[cands[i].rslot] = n_rs++;
    ps.ew_used[es[cands[i].eslot].eweek] = 0;
  }
  ps.rs_start = g_new0(guint, n_rs + 2);
  ps.by_rs = g_new(guint, n_cands + 1);
  for (guint i = 0; i < n_cands; i++)
    ps.rs_start[ps.rs_local[cands[i].rslot] + 2]++;
  for (guint k = 0; k < n_rs; k++)
    ps.rs_start[k + 2] += ps.rs_start[k + 1];
  for (guint i = 0; i < n_cands; i++)
    ps.by_rs[ps.rs_start[ps.rs_local[cands[i].rslot] + 1]++] = i;
  sort_targets(&ps, n_rs);
  for (guint i = 0; i < n_cands; i++)
    if (chosen[i]) {
      ps.es_taken[cands[i].eslot] = i;
      ps.ew_used[es[cands[i].eslot].eweek]++;
      count[cands[i].pair]++;
    }
  gint64 total = 0, delta = -1;
  for (guint pass = 0; pass < MAX_PASSES && delta < 0; pass++) {
    delta = polish_pass(&ps, n_cands);
    total += delta;
  }
  for (guint i = 0; i < n_cands; i++) {
    ps.es_taken[cands[i].eslot] = UNSET;
    ps.ew_used[es[cands[i].eslot].eweek] = UNSET;
    ps.rs_local[cands[i].rslot] = UNSET;
    count[cands[i].pair] = 0;
  }
  g_free(ps.rs_start);
  g_free(ps.rs_end);
  g_free(ps.by_rs);
  g_array_unref(ps.moves);
  return total;
}

/* The true cost of plan `plan` (non-fair): cost per day part plus each used pair's
 * charge once; adds its fill per priority to fill[].  Leaves `count` at 0. */
static gint64 plan_cost(const Polish *ps, guint n, const guint8 *plan, gint64 fill[2]) {
  const EngineRslot *rs = (const EngineRslot *)ps->snap->rslots->data;
  gint64 cost = 0;
  for (guint i = 0; i < n; i++) {
    if (!plan[i])
      continue;
    const ModelRequest *req =
        &g_array_index(ps->snap->dataset->requests, ModelRequest, rs[ps->cands[i].rslot].request);
    fill[req->priority == MODEL_PRIORITY_HIGH ? 0 : 1]++;
    cost += unit_cost(ps, i) +
            (ps->count[ps->cands[i].pair]++ == 0 ? ps->charge[ps->cands[i].pair] : 0);
  }
  for (guint i = 0; i < n; i++)
    ps->count[ps->cands[i].pair] = 0;
  return cost;
}

static int compare_guint(const void *a, const void *b) {
  guint x = *(const guint *)a, y = *(const guint *)b;
  return (x > y) - (x < y);
}

/* Whether the kept day parts under location limits stay within each location's room
 * (H7).  A location's day part lies in one component (engine_snapshot_split), so the
 * component's plan is all that uses it. */
static gboolean kept_within_locations(const Polish *ps, guint n, const guint8 *kept) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  const EngineLslot *ls = (const EngineLslot *)ps->snap->lslots->data;
  g_autoptr(GArray) used = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < n; i++)
    if (kept[i] && es[ps->cands[i].eslot].lslot != ENGINE_NO_LSLOT)
      g_array_append_val(used, es[ps->cands[i].eslot].lslot);
  if (used->len > 1)
    qsort(used->data, used->len, sizeof(guint), compare_guint);
  const guint *u = (const guint *)used->data;
  for (guint a = 0, b; a < used->len; a = b) {
    for (b = a; b < used->len && u[b] == u[a];)
      b++;
    if ((gint64)(b - a) > (gint64)ls[u[a]].room)
      return FALSE;
  }
  return TRUE;
}

/* Whether the undecided proposals among the candidates form a plan: each employee-slot
 * once, each week within its room, each request slot within its need, and each
 * location's day part within its lending room (H7). */
static gboolean kept_is_plan(Polish *ps, guint n, const guint8 *kept) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)ps->snap->eweeks->data;
  const EngineRslot *rs = (const EngineRslot *)ps->snap->rslots->data;
  guint *rs_used = ps->rs_local;
  gboolean ok = TRUE;
  for (guint i = 0; i < n; i++) {
    ps->ew_used[es[ps->cands[i].eslot].eweek] = 0;
    rs_used[ps->cands[i].rslot] = 0;
  }
  for (guint i = 0; i < n && ok; i++) {
    if (!kept[i])
      continue;
    guint e = ps->cands[i].eslot, w = es[e].eweek, r = ps->cands[i].rslot;
    ok = ps->es_taken[e] == UNSET && (gint64)++ps->ew_used[w] <= (gint64)ew[w].remaining &&
         (gint64)++rs_used[r] <= (gint64)rs[r].need;
    ps->es_taken[e] = i;
  }
  for (guint i = 0; i < n; i++) {
    ps->es_taken[ps->cands[i].eslot] = UNSET;
    ps->ew_used[es[ps->cands[i].eslot].eweek] = UNSET;
    rs_used[ps->cands[i].rslot] = UNSET;
  }
  return ok && kept_within_locations(ps, n, kept);
}

gint64 engine_polish_kept(const EngineSnapshot *snapshot, const EngineCand *cands, guint n_cands,
                          guint8 *chosen, const gint64 *charge, gint32 *count, guint *scratch) {
  g_return_val_if_fail(!snapshot->options.fair, 0);
  Polish ps = polish_init(snapshot, cands, chosen, charge, count, scratch);
  g_autofree guint8 *kept = g_new0(guint8, n_cands + 1);
  gboolean any = FALSE;
  for (guint i = 0; i < n_cands; i++)
    any = (kept[i] = cands[i].proposed) || any;
  if (!any || !kept_is_plan(&ps, n_cands, kept))
    return 0;
  gint64 fill_now[2] = {0, 0}, fill_kept[2] = {0, 0};
  gint64 now = plan_cost(&ps, n_cands, chosen, fill_now);
  gint64 then = plan_cost(&ps, n_cands, kept, fill_kept);
  /* As the fill weights of network.c order plans: high fill, normal fill, cost. */
  int better = fill_kept[0] != fill_now[0]   ? (fill_kept[0] > fill_now[0] ? 1 : -1)
               : fill_kept[1] != fill_now[1] ? (fill_kept[1] > fill_now[1] ? 1 : -1)
                                             : (then <= now ? 1 : -1);
  if (better < 0)
    return 0;
  memcpy(chosen, kept, sizeof(guint8) * n_cands);
  return then - now;
}
