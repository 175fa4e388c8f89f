/* polish.c: a local improvement pass after slope scaling.  Slope scaling prices the
 * once-per-pair continuity charge by a slope and can end with an employee working a
 * single day part of a request that another employee already on the request, or one
 * a little further away, could take for less than the charge saved.  The pass moves
 * day parts between candidates of the same request slot while the true cost (travel,
 * surcharges, stability bonus, the charge once per pair) strictly drops:
 *   - one day part to another free candidate of its request slot;
 *   - every day part of a pair at once, so that its charge is saved.
 * Invariants: a move keeps the request slot filled, so the fill never changes; the
 * target's employee-slot is free and its week has room, so H1 and H4 hold (every
 * candidate already satisfies the other hard constraints); moves are tried in
 * candidate order and only strict improvements are kept, so the pass is deterministic
 * and ends.  Not for fair rounds, whose organisation costs a move would change.
 */
#include <stdlib.h>

#include "match-private.h"

#define UNSET G_MAXUINT
#define MAX_PASSES 8

typedef struct {
  const EngineSnapshot *snap;
  const EngineCand *cands;
  gboolean *chosen;
  const gint64 *charge; /* per pair: the charge it owes when used */
  gint32 *count;        /* per pair: chosen day parts in the component */
  guint *es_taken;      /* per eslot: the chosen candidate on it, or UNSET */
  guint *ew_used;       /* per eweek: chosen day parts */
  guint *rs_local;      /* per rslot: its index among the component's request slots */
  guint *rs_start;      /* per local request slot: first entry of `by_rs` */
  guint *by_rs;         /* candidates grouped by request slot, in candidate order */
  GArray *moves;        /* guint pairs (from, to) of the moves being tried */
} Polish;

/* A candidate's cost per day part: its pair's cost, less the stability bonus. */
static gint64 unit_cost(const Polish *ps, guint i) {
  const EnginePair *pairs = (const EnginePair *)ps->snap->pairs->data;
  return pairs[ps->cands[i].pair].cost - (ps->cands[i].proposed ? ENGINE_KEEP_M : 0);
}

static void apply(Polish *ps, guint from, guint to) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  const EngineCand *c = ps->cands;
  ps->chosen[from] = FALSE;
  ps->chosen[to] = TRUE;
  ps->es_taken[c[from].eslot] = UNSET;
  ps->es_taken[c[to].eslot] = to;
  ps->ew_used[es[c[from].eslot].eweek]--;
  ps->ew_used[es[c[to].eslot].eweek]++;
  ps->count[c[from].pair]--;
  ps->count[c[to].pair]++;
}

/* The cheapest move of chosen candidate `i` to another candidate of its request slot
 * whose employee-slot is free and whose week has room, as the change in true cost
 * (*out_delta); G_MAXUINT when there is none. */
static guint best_move(const Polish *ps, guint i, gint64 *out_delta) {
  const EngineEslot *es = (const EngineEslot *)ps->snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)ps->snap->eweeks->data;
  const EngineCand *c = ps->cands;
  guint p = c[i].pair, k = ps->rs_local[c[i].rslot], best = G_MAXUINT;
  gint64 save = unit_cost(ps, i) + (ps->count[p] == 1 ? ps->charge[p] : 0), best_delta = 0;
  for (guint q = ps->rs_start[k]; q < ps->rs_start[k + 1]; q++) {
    guint j = ps->by_rs[q], w = es[c[j].eslot].eweek;
    if (ps->chosen[j] || c[j].pair == p || ps->es_taken[c[j].eslot] != UNSET ||
        (gint64)ps->ew_used[w] >= (gint64)ew[w].remaining)
      continue;
    gint64 delta =
        unit_cost(ps, j) + (ps->count[c[j].pair] == 0 ? ps->charge[c[j].pair] : 0) - save;
    if (best == G_MAXUINT || delta < best_delta) {
      best = j;
      best_delta = delta;
    }
  }
  *out_delta = best_delta;
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
    gint64 delta = 0;
    guint to = best_move(ps, group[k], &delta);
    all = to != G_MAXUINT;
    if (all) {
      apply(ps, group[k], to);
      guint move[2] = {group[k], to};
      g_array_append_vals(ps->moves, move, 2);
      total += delta;
    }
  }
  if (all && total < 0)
    return total;
  for (guint k = ps->moves->len; k > 0; k -= 2)
    apply(ps, g_array_index(ps->moves, guint, k - 1), g_array_index(ps->moves, guint, k - 2));
  return 0;
}

static int compare_keys(const void *a, const void *b) {
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return (x > y) - (x < y);
}

/* One pass: every chosen day part alone, then every pair with several day parts as a
 * whole.  Returns the change in cost (<= 0). */
static gint64 polish_pass(Polish *ps, guint n) {
  gint64 total = 0;
  for (guint i = 0; i < n; i++)
    if (ps->chosen[i])
      total += try_group(ps, &i, 1);
  /* The chosen candidates by pair, then candidate order. */
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint i = 0; i < n; i++)
    if (ps->chosen[i] && ps->count[ps->cands[i].pair] > 1) {
      guint64 key = (guint64)ps->cands[i].pair << 32 | i;
      g_array_append_val(keys, key);
    }
  qsort(keys->data, keys->len, sizeof(guint64), compare_keys);
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

gint64 engine_polish(const EngineSnapshot *snapshot, const EngineCand *cands, guint n_cands,
                     gboolean *chosen, const gint64 *charge, gint32 *count, guint *scratch) {
  g_return_val_if_fail(!snapshot->options.fair, 0);
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  Polish ps = {.snap = snapshot,
               .cands = cands,
               .chosen = chosen,
               .charge = charge,
               .count = count,
               .es_taken = scratch,
               .ew_used = scratch + snapshot->eslots->len,
               .moves = g_array_new(FALSE, FALSE, sizeof(guint))};
  ps.rs_local = ps.ew_used + snapshot->eweeks->len;
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
  g_free(ps.by_rs);
  g_array_unref(ps.moves);
  return total;
}
