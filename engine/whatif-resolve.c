/* whatif-resolve.c: trying one what-if relaxation (see whatif.c).  The candidates it
 * adds are generated in the slot's ISO week only (a component never spans two), an
 * augmenting search rules out a relaxation that no plan can use, and the slot's
 * neighbourhood in the candidate graph is rebuilt as a small snapshot of its own with
 * the relaxation applied and every choice across its edge kept, split into components
 * and solved as a round solves them.  Invariants: the round's snapshot is never
 * changed, and every scratch array is back to its resting value between tries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "whatif-private.h"

#define UNSET ENGINE_WHATIF_UNSET

/* ---- looking up the round's state ------------------------------------------ */

/* The approved assignments at `slot`: approved[*lo..*hi). */
void engine_whatif_approved_at(const EngineWhatifRun *w, ModelSlot slot, guint *lo, guint *hi) {
  const EngineApproved *a = (const EngineApproved *)w->approved->data;
  gint64 key = model_slot_key(slot);
  guint n = w->approved->len, i = 0, j = n;
  while (i < j) {
    guint mid = i + (j - i) / 2;
    if (a[mid].slot < key)
      i = mid + 1;
    else
      j = mid;
  }
  *lo = i;
  while (i < n && a[i].slot == key)
    i++;
  *hi = i;
}

/* The request slots at `slot`: rs_by_slot[*lo..*hi). */
static void rslots_at(const EngineWhatifRun *w, ModelSlot slot, guint *lo, guint *hi) {
  const EngineRslot *rs = (const EngineRslot *)w->snap->rslots->data;
  gint64 key = model_slot_key(slot);
  guint n = w->snap->rslots->len, a = 0, b = n;
  while (a < b) {
    guint mid = a + (b - a) / 2;
    if (model_slot_key(rs[w->rs_by_slot[mid]].slot) < key)
      a = mid + 1;
    else
      b = mid;
  }
  *lo = a;
  while (a < n && model_slot_key(rs[w->rs_by_slot[a]].slot) == key)
    a++;
  *hi = a;
}

/* The request slot of request `request` (dataset index) at `slot`, or UNSET. */
guint engine_whatif_find_rslot(const EngineWhatifRun *w, guint request, ModelSlot slot) {
  const EngineRslot *rs = (const EngineRslot *)w->snap->rslots->data;
  guint lo, hi;
  rslots_at(w, slot, &lo, &hi);
  for (guint k = lo; k < hi; k++)
    if (rs[w->rs_by_slot[k]].request == request)
      return w->rs_by_slot[k];
  return UNSET;
}

/* ---- a relaxation's facts -------------------------------------------------- */

/* The pair facts of (request r, employee e) at distance d with `x` applied. */
void engine_whatif_relaxed_facts(const EngineWhatifRun *w, const EngineRelax *x, guint r, guint e,
                                 gint64 d, ModelPairFacts *facts) {
  engine_snapshot_pair_facts(w->snap, r, e, d, facts);
  if (x == NULL || x->what.kind == ENGINE_WHATIF_EXTRA_PART || x->what.kind == ENGINE_WHATIF_YIELD)
    return;
  if (x->what.kind == ENGINE_WHATIF_TRAVEL && x->what.employee == (gint)e)
    facts->employee_km = x->what.to;
  if (x->what.kind == ENGINE_WHATIF_TRAVEL && x->what.request == (gint)r)
    facts->request_km = x->what.to;
  if (x->what.kind == ENGINE_WHATIF_PREFERRED && x->what.request == (gint)r)
    facts->required &= ~MODEL_QUAL_BIT(x->what.qual);
}

static gint32 room(const EngineWhatifRun *w, const EngineRelax *x, guint eweek) {
  gint32 r = g_array_index(w->snap->eweeks, EngineEweek, eweek).remaining;
  if (x != NULL && x->what.kind == ENGINE_WHATIF_YIELD)
    for (guint k = 0; k < w->released->len; k++)
      if (g_array_index(w->released, EngineReleased, k).eweek == eweek)
        return g_array_index(w->released, EngineReleased, k).remaining;
  return x != NULL && x->what.kind == ENGINE_WHATIF_EXTRA_PART && x->eweek == eweek ? r + 1 : r;
}

/* Whether eslot `at` is a candidate of request slot `rslot` at distance d, without
 * (x NULL) or with the relaxation: the rule snapshot.c's merge_slots() applies. */
static gboolean is_cand(const EngineWhatifRun *w, const EngineRelax *x, guint at, guint rslot,
                        gint64 d) {
  const EngineEslot *es = &g_array_index(w->snap->eslots, EngineEslot, at);
  guint r = g_array_index(w->snap->rslots, EngineRslot, rslot).request;
  ModelPairFacts facts;
  engine_whatif_relaxed_facts(w, x, r, es->employee, d, &facts);
  ModelSlotFacts slot = engine_snapshot_slot_facts(w->snap, r, es->employee, es->slot);
  return room(w, x, es->eweek) > 0 && engine_snapshot_lslot_room(w->snap, at) > 0 &&
         model_feasible(&facts, &slot) == MODEL_FEASIBLE;
}

static const ModelRequest *request_as(const EngineWhatifRun *w, const EngineRelax *x, guint r,
                                      ModelRequest *copy) {
  const ModelRequest *req = &g_array_index(w->snap->dataset->requests, ModelRequest, r);
  if (x->what.kind != ENGINE_WHATIF_PREFERRED || x->what.request != (gint)r)
    return req;
  *copy = *req;
  copy->required &= ~MODEL_QUAL_BIT(x->what.qual);
  copy->preferred |= MODEL_QUAL_BIT(x->what.qual);
  return copy;
}

gint64 engine_whatif_distance(const EngineWhatifRun *w, guint e, guint r) {
  const ModelSchool *sch =
      &g_array_index(w->snap->dataset->schools, ModelSchool, w->snap->school_of_request[r]);
  return model_distance_m(w->snap->emp_lat[e], w->snap->emp_lon[e], sch->lat, sch->lon);
}

/* Whether request `r`'s school may lie within employee `e`'s travel limit with `x`
 * applied: a cheap bound on latitude alone before the exact distance. */
static gboolean may_reach(const EngineWhatifRun *w, const EngineRelax *x, guint e, guint r) {
  gint school = w->snap->school_of_request[r];
  if (school < 0)
    return FALSE;
  const ModelEmployee *emp = &g_array_index(w->snap->dataset->employees, ModelEmployee, e);
  gint32 km = x != NULL && x->what.kind == ENGINE_WHATIF_TRAVEL && x->what.employee == (gint)e
                  ? x->what.to
                  : emp->max_travel_km;
  double lat = g_array_index(w->snap->dataset->schools, ModelSchool, school).lat;
  return fabs(lat - w->snap->emp_lat[e]) * G_PI / 180.0 * MODEL_EARTH_RADIUS_M <= km * 1000.0 + 1.0;
}

static void add_new_cand(const EngineWhatifRun *w, const EngineRelax *x, guint at, guint rslot,
                         gint64 d, GArray *out) {
  if (!is_cand(w, x, at, rslot, d) || is_cand(w, NULL, at, rslot, d))
    return;
  guint e = g_array_index(w->snap->eslots, EngineEslot, at).employee;
  guint r = g_array_index(w->snap->rslots, EngineRslot, rslot).request;
  ModelRequest copy;
  EngineNewCand c = {at, rslot,
                     engine_snapshot_make_pair(w->snap, e, r, request_as(w, x, r, &copy), d)};
  g_array_append_val(out, c);
}

/* The candidates `x` adds in ISO week `week` to employee `e`'s free slots. */
static void new_cands_of_employee(const EngineWhatifRun *w, const EngineRelax *x, guint e,
                                  gint32 week, GArray *out) {
  const EngineSnapshot *snap = w->snap;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  guint rank = snap->employee_rank[e];
  for (guint at = snap->employee_es[rank]; at < snap->employee_es[rank + 1]; at++) {
    if (g_array_index(snap->eweeks, EngineEweek, es[at].eweek).week != week)
      continue;
    guint lo, hi;
    rslots_at(w, es[at].slot, &lo, &hi);
    for (guint k = lo; k < hi; k++) {
      guint j = w->rs_by_slot[k];
      if (may_reach(w, x, e, rs[j].request))
        add_new_cand(w, x, at, j, engine_whatif_distance(w, e, rs[j].request), out);
    }
  }
}

/* The candidates `x` adds in ISO week `week` to request `r`'s slots, from employees
 * within `radius_m` of its school. */
static void new_cands_of_request(const EngineWhatifRun *w, const EngineRelax *x, guint r,
                                 gint32 week, gint64 radius_m, GArray *out) {
  const EngineSnapshot *snap = w->snap;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  gint school = snap->school_of_request[r];
  if (school < 0)
    return;
  const ModelSchool *sch = &g_array_index(snap->dataset->schools, ModelSchool, school);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  engine_grid_query(&w->grid, sch->lat, sch->lon, radius_m, near);
  guint rank = snap->request_rank[r];
  for (guint j = snap->request_rs[rank]; j < snap->request_rs[rank + 1]; j++) {
    if (model_date_iso_week(rs[j].slot.date) != week)
      continue;
    for (guint k = 0; k < near->len; k++) {
      guint e = g_array_index(near, guint, k);
      gint at = engine_snapshot_find_eslot(snap, e, rs[j].slot);
      if (at >= 0)
        add_new_cand(w, x, (guint)at, j, engine_whatif_distance(w, e, r), out);
    }
  }
}

/* ---- the relaxed components ------------------------------------------------ */

static int compare_uint(const void *a, const void *b) {
  guint x = *(const guint *)a, y = *(const guint *)b;
  return (x > y) - (x < y);
}

/* A candidate of the relaxed components in the order snapshot.c builds them:
 * employee id, request id, slot. */
typedef struct {
  guint64 ranks; /* employee rank << 32 | request rank */
  gint64 slot;
  guint src; /* a candidate of the round, or n_cands + index into the new ones */
} Key;

static int compare_keys(const void *a, const void *b) {
  const Key *x = a, *y = b;
  if (x->ranks != y->ranks)
    return x->ranks < y->ranks ? -1 : 1;
  return (x->slot > y->slot) - (x->slot < y->slot);
}

/* The relaxed components as a snapshot of their own: the round's, with its own
 * eslots, eweeks, rslots, pairs and candidates; `rs_orig` names the round's rslot of
 * each of its rslots. */
typedef struct {
  EngineSnapshot snap;
  GArray *rs_orig, *es_orig, *ew_orig, *pair_orig, *ls_orig;
  GArray *nodes;  /* the neighbourhood: eweeks, and n_eweeks + rslots */
  gboolean whole; /* ... which is the whole of the components it touches */
} Mini;

static void mini_clear(EngineWhatifRun *w, Mini *m) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  guint n_ew = w->snap->eweeks->len;
  for (guint k = 0; k < m->nodes->len; k++) {
    guint node = g_array_index(m->nodes, guint, k);
    if (node < n_ew) {
      for (guint q = w->ew_adj_start[node]; q < w->ew_adj_start[node + 1]; q++)
        w->es_blocked[cands[w->ew_adj[q]].eslot] = FALSE;
      w->ew_in[node] = UNSET;
      w->ew_fixed[node] = 0;
    } else {
      w->rs_in[node - n_ew] = UNSET;
      w->rs_fixed[node - n_ew] = 0;
    }
  }
  g_array_unref(m->nodes);
  for (guint i = 0; i < m->es_orig->len; i++)
    if (g_array_index(m->es_orig, guint, i) != UNSET)
      w->es_map[g_array_index(m->es_orig, guint, i)] = UNSET;
  for (guint i = 0; i < m->ew_orig->len; i++)
    if (g_array_index(m->ew_orig, guint, i) != UNSET)
      w->ew_map[g_array_index(m->ew_orig, guint, i)] = UNSET;
  for (guint i = 0; i < m->rs_orig->len; i++)
    w->rs_map[g_array_index(m->rs_orig, guint, i)] = UNSET;
  for (guint i = 0; i < m->pair_orig->len; i++)
    if (g_array_index(m->pair_orig, guint, i) != UNSET)
      w->pair_map[g_array_index(m->pair_orig, guint, i)] = UNSET;
  for (guint i = 0; i < m->ls_orig->len; i++)
    w->ls_map[g_array_index(m->ls_orig, guint, i)] = UNSET;
  g_array_unref(m->ls_orig);
  g_array_unref(m->snap.lslots);
  g_array_unref(m->rs_orig);
  g_array_unref(m->es_orig);
  g_array_unref(m->ew_orig);
  g_array_unref(m->pair_orig);
  g_array_unref(m->snap.eslots);
  g_array_unref(m->snap.eweeks);
  g_array_unref(m->snap.rslots);
  g_array_unref(m->snap.pairs);
  g_array_unref(m->snap.cands);
  g_clear_pointer(&m->snap.comp_start, g_array_unref);
}

/* Index in `m` of the round's element `orig`, added on first use. */
static guint map_index(guint *map, guint orig, GArray *origs, GArray *items, gconstpointer item) {
  if (map[orig] == UNSET) {
    map[orig] = items->len;
    g_array_append_vals(items, item, 1);
    g_array_append_val(origs, orig);
  }
  return map[orig];
}

/* The eslot and eweek in `m` of released employee `k`. */
static guint mini_released(EngineWhatifRun *w, const EngineRelax *x, Mini *m, guint k) {
  EngineReleased *rel = &g_array_index(w->released, EngineReleased, k);
  if (rel->mini_es != UNSET)
    return rel->mini_es;
  /* The employee's location already lends them in this day part through the approval
   * given up, so lending them elsewhere instead keeps its count: no H7 limit here. */
  EngineEslot es = {rel->employee, rel->slot, 0, ENGINE_NO_LSLOT};
  if (rel->eweek != UNSET) {
    EngineEweek ew = g_array_index(w->snap->eweeks, EngineEweek, rel->eweek);
    ew.remaining = room(w, x, rel->eweek) - w->ew_fixed[rel->eweek];
    es.eweek = map_index(w->ew_map, rel->eweek, m->ew_orig, m->snap.eweeks, &ew);
  } else {
    EngineEweek ew = {rel->employee, model_date_iso_week(rel->slot.date), rel->remaining};
    guint none = UNSET;
    g_array_append_val(m->ew_orig, none);
    g_array_append_val(m->snap.eweeks, ew);
    es.eweek = m->snap.eweeks->len - 1;
  }
  guint none = UNSET;
  g_array_append_val(m->es_orig, none);
  g_array_append_val(m->snap.eslots, es);
  rel->mini_es = m->snap.eslots->len - 1;
  return rel->mini_es;
}

static guint mini_eslot(EngineWhatifRun *w, const EngineRelax *x, Mini *m, guint at) {
  if (at >= w->snap->eslots->len)
    return mini_released(w, x, m, at - w->snap->eslots->len);
  if (w->es_map[at] != UNSET)
    return w->es_map[at];
  EngineEslot es = g_array_index(w->snap->eslots, EngineEslot, at);
  EngineEweek ew = g_array_index(w->snap->eweeks, EngineEweek, es.eweek);
  ew.remaining = room(w, x, es.eweek) - w->ew_fixed[es.eweek];
  es.eweek = map_index(w->ew_map, es.eweek, m->ew_orig, m->snap.eweeks, &ew);
  if (es.lslot != ENGINE_NO_LSLOT) {
    /* The room the round leaves; mini_give_back() returns what m decides again. */
    EngineLslot ls = g_array_index(w->snap->lslots, EngineLslot, es.lslot);
    ls.room -= w->ls_used[es.lslot];
    es.lslot = map_index(w->ls_map, es.lslot, m->ls_orig, m->snap.lslots, &ls);
  }
  return map_index(w->es_map, at, m->es_orig, m->snap.eslots, &es);
}

/* The pair of a new candidate: one per (employee, request) among the new ones. */
static guint mini_new_pair(Mini *m, const EnginePair *pair) {
  for (guint i = 0; i < m->snap.pairs->len; i++) {
    const EnginePair *p = &g_array_index(m->snap.pairs, EnginePair, i);
    if (g_array_index(m->pair_orig, guint, i) == UNSET && p->employee == pair->employee &&
        p->request == pair->request)
      return i;
  }
  guint none = UNSET;
  g_array_append_val(m->pair_orig, none);
  g_array_append_vals(m->snap.pairs, pair, 1);
  return m->snap.pairs->len - 1;
}

/* The employee-week of candidate eslot `at` (a released one's may be UNSET). */
static guint eweek_of(const EngineWhatifRun *w, guint at) {
  if (at < w->snap->eslots->len)
    return g_array_index(w->snap->eslots, EngineEslot, at).eweek;
  return g_array_index(w->released, EngineReleased, at - w->snap->eslots->len).eweek;
}

/* Node `node` (an eweek, or n_eweeks + an rslot) into the neighbourhood `queue`. */
static void visit(EngineWhatifRun *w, guint node, GArray *queue) {
  guint n_ew = w->snap->eweeks->len;
  guint *in = node < n_ew ? &w->ew_in[node] : &w->rs_in[node - n_ew];
  if (node != UNSET && *in == UNSET) {
    *in = 0;
    g_array_append_val(queue, node);
  }
}

/* How many candidates the breadth-first search may take in from the nodes of `seeds`:
 * all when the components they lie in hold at most the option whatif_whole together,
 * else the option whatif_neighbourhood. */
static guint whole_limit(const EngineWhatifRun *w, const GArray *seeds) {
  guint n_ew = w->snap->eweeks->len;
  const guint *start = (const guint *)w->snap->comp_start->data;
  g_autoptr(GArray) comps = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint k = 0; k < seeds->len; k++) {
    guint node = g_array_index(seeds, guint, k);
    guint c = node < n_ew ? w->ew_comp[node] : w->rs_comp[node - n_ew];
    if (c != UNSET)
      g_array_append_val(comps, c);
  }
  g_array_sort(comps, compare_uint);
  guint64 total = 0;
  for (guint k = 0; k < comps->len; k++) {
    guint c = g_array_index(comps, guint, k);
    if (k == 0 || c != g_array_index(comps, guint, k - 1))
      total += start[c + 1] - start[c];
  }
  const EngineOptions *options = &w->snap->options;
  return total <= options->whatif_whole ? G_MAXUINT : options->whatif_neighbourhood;
}

/* The neighbourhood of request slot `t`, the request slots on its augmenting path and
 * the new candidates: their nodes, then
 * breadth first over the candidate graph until the candidates seen pass the option
 * whatif_neighbourhood; the whole component when it is smaller.  Returns the
 * nodes (transfer full), marked in ew_in and rs_in. */
static GArray *neighbourhood(EngineWhatifRun *w, const EngineRelax *x, guint t, const GArray *added,
                             const GArray *path, gboolean *whole) {
  const EngineSnapshot *snap = w->snap;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  guint n_ew = snap->eweeks->len;
  GArray *queue = g_array_new(FALSE, FALSE, sizeof(guint));
  visit(w, n_ew + t, queue);
  for (guint k = 0; k < path->len; k++)
    visit(w, n_ew + g_array_index(path, guint, k), queue);
  for (guint k = 0; k < added->len; k++) {
    const EngineNewCand *c = &g_array_index(added, EngineNewCand, k);
    guint ew = eweek_of(w, c->eslot);
    if (ew != UNSET)
      visit(w, ew, queue);
    visit(w, n_ew + c->rslot, queue);
  }
  if (x->what.kind == ENGINE_WHATIF_EXTRA_PART)
    visit(w, x->eweek, queue);
  guint seen = 0, head = 0, limit = whole_limit(w, queue);
  for (; head < queue->len && seen <= limit; head++) {
    guint node = g_array_index(queue, guint, head);
    const guint *adj = node < n_ew ? w->ew_adj : w->rs_adj;
    const guint *start = node < n_ew ? w->ew_adj_start + node : w->rs_adj_start + node - n_ew;
    seen += start[1] - start[0];
    for (guint q = start[0]; q < start[1]; q++) {
      const EngineCand *c = &cands[adj[q]];
      visit(w, node < n_ew ? n_ew + c->rslot : es[c->eslot].eweek, queue);
    }
  }
  *whole = head == queue->len;
  return queue;
}

/* Fixes what crosses the neighbourhood's edge: a chosen candidate with one end outside
 * keeps its employee's day part and week room and its request slot's staff. */
static void fix_edge(EngineWhatifRun *w, const EngineRelax *x, const GArray *nodes) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)w->snap->eslots->data;
  guint n_ew = w->snap->eweeks->len;
  for (guint k = 0; k < nodes->len; k++) {
    guint node = g_array_index(nodes, guint, k);
    const guint *adj = node < n_ew ? w->ew_adj : w->rs_adj;
    const guint *start = node < n_ew ? w->ew_adj_start + node : w->rs_adj_start + node - n_ew;
    for (guint q = start[0]; q < start[1]; q++) {
      const EngineCand *c = &cands[adj[q]];
      if (!w->chosen[adj[q]] || c->rslot == x->drop)
        continue;
      if (node < n_ew && w->rs_in[c->rslot] == UNSET) {
        w->ew_fixed[node]++;
        w->es_blocked[c->eslot] = TRUE;
      } else if (node >= n_ew && w->ew_in[es[c->eslot].eweek] == UNSET) {
        w->rs_fixed[c->rslot]++;
      }
    }
  }
}

/* Whether a candidate inside the neighbourhood stays usable once its edge is fixed. */
static gboolean usable(const EngineWhatifRun *w, const EngineRelax *x, guint at, guint rslot) {
  guint ew = eweek_of(w, at);
  if (rslot == x->drop || (at < w->snap->eslots->len && w->es_blocked[at]))
    return FALSE;
  if (g_array_index(w->snap->rslots, EngineRslot, rslot).need - w->rs_fixed[rslot] <= 0)
    return FALSE;
  gint32 r = ew != UNSET
                 ? room(w, x, ew) - w->ew_fixed[ew]
                 : g_array_index(w->released, EngineReleased, at - w->snap->eslots->len).remaining;
  return r > 0;
}

/* Gives the location-slots of m back the room of the round's choices at request slot
 * `rslot` that m decides again (both ends inside) or that `x` frees (the yielding
 * request slot's): H7 then counts exactly the lending outside m. */
static void mini_give_back(EngineWhatifRun *w, const EngineRelax *x, Mini *m, guint rslot) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)w->snap->eslots->data;
  for (guint q = w->rs_adj_start[rslot]; q < w->rs_adj_start[rslot + 1]; q++) {
    const EngineEslot *at = &es[cands[w->rs_adj[q]].eslot];
    if (!w->chosen[w->rs_adj[q]] || at->lslot == ENGINE_NO_LSLOT || w->ls_map[at->lslot] == UNSET ||
        (rslot != x->drop && w->ew_in[at->eweek] == UNSET))
      continue;
    g_array_index(m->snap.lslots, EngineLslot, w->ls_map[at->lslot]).room++;
  }
}

/* Builds the neighbourhood of request slot `t` and the new candidates `added` with `x`
 * applied and its edge fixed, split into components again. */
static void mini_build(EngineWhatifRun *w, const EngineRelax *x, guint t, const GArray *added,
                       const GArray *path, Mini *m) {
  const EngineSnapshot *snap = w->snap;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  guint n_cands = snap->cands->len, n_ew = snap->eweeks->len;
  m->nodes = neighbourhood(w, x, t, added, path, &m->whole);
  fix_edge(w, x, m->nodes);
  g_autoptr(GArray) keys = g_array_new(FALSE, FALSE, sizeof(Key));
  for (guint k = 0; k < m->nodes->len; k++) {
    guint node = g_array_index(m->nodes, guint, k);
    if (node < n_ew)
      continue;
    for (guint q = w->rs_adj_start[node - n_ew]; q < w->rs_adj_start[node - n_ew + 1]; q++) {
      guint i = w->rs_adj[q];
      if (w->ew_in[es[cands[i].eslot].eweek] == UNSET ||
          !usable(w, x, cands[i].eslot, cands[i].rslot))
        continue;
      Key key = {((guint64)snap->employee_rank[es[cands[i].eslot].employee] << 32) |
                     snap->request_rank[rs[cands[i].rslot].request],
                 model_slot_key(rs[cands[i].rslot].slot), i};
      g_array_append_val(keys, key);
    }
  }
  for (guint k = 0; k < added->len; k++) {
    const EngineNewCand *c = &g_array_index(added, EngineNewCand, k);
    if (!usable(w, x, c->eslot, c->rslot))
      continue;
    Key key = {((guint64)snap->employee_rank[c->pair.employee] << 32) |
                   snap->request_rank[c->pair.request],
               model_slot_key(rs[c->rslot].slot), n_cands + k};
    g_array_append_val(keys, key);
  }
  if (keys->len > 1)
    qsort(keys->data, keys->len, sizeof(Key), compare_keys);
  m->snap = *snap;
  m->snap.eslots = g_array_new(FALSE, FALSE, sizeof(EngineEslot));
  m->snap.eweeks = g_array_new(FALSE, FALSE, sizeof(EngineEweek));
  m->snap.rslots = g_array_new(FALSE, FALSE, sizeof(EngineRslot));
  m->snap.pairs = g_array_new(FALSE, FALSE, sizeof(EnginePair));
  m->snap.cands = g_array_sized_new(FALSE, FALSE, sizeof(EngineCand), keys->len);
  m->snap.comp_start = NULL;
  m->rs_orig = g_array_new(FALSE, FALSE, sizeof(guint));
  m->es_orig = g_array_new(FALSE, FALSE, sizeof(guint));
  m->ew_orig = g_array_new(FALSE, FALSE, sizeof(guint));
  m->pair_orig = g_array_new(FALSE, FALSE, sizeof(guint));
  m->snap.lslots = g_array_new(FALSE, FALSE, sizeof(EngineLslot));
  m->ls_orig = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint k = 0; k < keys->len; k++) {
    guint src = g_array_index(keys, Key, k).src;
    EngineCand cand;
    if (src < n_cands) {
      const EngineCand *c = &cands[src];
      EnginePair pair = g_array_index(snap->pairs, EnginePair, c->pair);
      ModelRequest copy;
      const ModelRequest *req = request_as(w, x, pair.request, &copy);
      if (req == &copy)
        pair = engine_snapshot_make_pair(snap, pair.employee, pair.request, req, pair.travel_m);
      cand = *c;
      cand.pair = map_index(w->pair_map, c->pair, m->pair_orig, m->snap.pairs, &pair);
    } else {
      const EngineNewCand *c = &g_array_index(added, EngineNewCand, src - n_cands);
      cand = (EngineCand){
          c->eslot, c->rslot, mini_new_pair(m, &c->pair),
          engine_snapshot_proposed(snap, c->pair.request, c->pair.employee, rs[c->rslot].slot)};
    }
    cand.eslot = mini_eslot(w, x, m, cand.eslot);
    EngineRslot r = rs[cand.rslot];
    r.need -= w->rs_fixed[cand.rslot];
    cand.rslot = map_index(w->rs_map, cand.rslot, m->rs_orig, m->snap.rslots, &r);
    g_array_append_val(m->snap.cands, cand);
  }
  for (guint k = 0; k < m->nodes->len; k++) {
    guint node = g_array_index(m->nodes, guint, k);
    if (node >= n_ew && node - n_ew != x->drop)
      mini_give_back(w, x, m, node - n_ew);
  }
  if (x->drop != UNSET)
    mini_give_back(w, x, m, x->drop);
  engine_snapshot_split(&m->snap);
}

/* What the round chose of each of m's pairs before m: in the components solved before
 * the first of m's, and across m's edge within its own components (kept as chosen), so
 * that a pair already in use is not charged again, as in the round. */
static gint32 *mini_pair_done(const EngineWhatifRun *w, const EngineRelax *x, const Mini *m) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)w->snap->eslots->data;
  const guint *start = (const guint *)w->snap->comp_start->data;
  guint n = m->snap.pairs->len;
  gint32 *done = g_new0(gint32, n + 1);
  g_autoptr(GArray) comps = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint j = 0; j < m->rs_orig->len; j++)
    if (w->rs_comp[g_array_index(m->rs_orig, guint, j)] != UNSET)
      g_array_append_val(comps, w->rs_comp[g_array_index(m->rs_orig, guint, j)]);
  g_array_sort(comps, compare_uint);
  guint first = comps->len > 0 ? start[g_array_index(comps, guint, 0)] : 0;
  for (guint i = 0; i < n; i++) {
    guint p = g_array_index(m->pair_orig, guint, i);
    for (guint q = p != UNSET ? w->pair_start[p] : 0; p != UNSET && q < w->pair_start[p + 1]; q++) {
      const EngineCand *c = &cands[w->pair_chosen[q]];
      gboolean inside = w->rs_in[c->rslot] != UNSET && w->ew_in[es[c->eslot].eweek] != UNSET;
      gboolean own = bsearch(&w->rs_comp[c->rslot], comps->data, comps->len, sizeof(guint),
                             compare_uint) != NULL;
      done[i] += c->rslot != x->drop && (w->pair_chosen[q] < first || (own && !inside));
    }
  }
  return done;
}

/* Re-solves the relaxed components; TRUE in *fills when request slot `t` gets more
 * staff than in the round and no other request slot fewer. */
static gboolean mini_fills(EngineWhatifRun *w, const EngineRelax *x, Mini *m, guint t,
                           gboolean *fills, GError **error) {
  *fills = FALSE;
  guint n = m->snap.cands->len, mt = w->rs_map[t];
  if (mt == UNSET)
    return TRUE; /* no candidate for the slot even so */
  g_autofree guint8 *chosen = g_new0(guint8, n + 1);
  const EngineCand *cands = (const EngineCand *)m->snap.cands->data;
  const guint *start = (const guint *)m->snap.comp_start->data;
  g_autofree gint32 *done = mini_pair_done(w, x, m);
  for (guint c = 0; c + 1 < m->snap.comp_start->len; c++)
    if (!engine_solve_candidates(&m->snap, cands + start[c], start[c + 1] - start[c], done,
                                 chosen + start[c], error))
      return FALSE;
  g_autofree gint32 *got = g_new0(gint32, m->rs_orig->len + 1);
  for (guint i = 0; i < n; i++)
    got[cands[i].rslot] += chosen[i];
  gboolean ok = got[mt] + w->rs_fixed[t] > w->filled[t];
  for (guint j = 0; ok && j < m->rs_orig->len; j++) {
    guint orig = g_array_index(m->rs_orig, guint, j);
    ok = got[j] + w->rs_fixed[orig] >= w->filled[orig];
  }
  *fills = ok;
  return TRUE;
}

/* ---- the augmenting search ------------------------------------------------- */

/* Staff-slots employee-week `ew` (or released employee `at`'s week) could still give
 * with `x` applied, the day parts that the yielding request slot frees included. */
static gint32 spare(const EngineWhatifRun *w, const EngineRelax *x, guint at, guint ew) {
  if (ew == UNSET)
    return g_array_index(w->released, EngineReleased, at - w->snap->eslots->len).remaining;
  gint32 r = room(w, x, ew) - w->ew_used[ew];
  if (x->drop != UNSET) {
    const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
    const EngineEslot *es = (const EngineEslot *)w->snap->eslots->data;
    for (guint q = w->rs_adj_start[x->drop]; q < w->rs_adj_start[x->drop + 1]; q++)
      r += w->chosen[w->rs_adj[q]] && es[cands[w->rs_adj[q]].eslot].eweek == ew;
  }
  return r;
}

/* Request slot `k` must find one more, reached from `j`. */
static void need(EngineWhatifRun *w, guint k, guint j, GArray *queue) {
  if (w->rs_parent[k] == UNSET) {
    w->rs_parent[k] = j;
    g_array_append_val(queue, k);
  }
}

/* Looks at one candidate (eslot `at` for request slot `j`, not chosen): TRUE when its
 * employee is free with room; else queues the request slots that would have to give
 * way. */
static gboolean reach(EngineWhatifRun *w, const EngineRelax *x, guint at, guint j, GArray *queue) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  guint n_es = w->snap->eslots->len;
  guint taken = at < n_es ? w->es_taken[at] : UNSET;
  if (taken != UNSET && taken != x->drop) {
    need(w, taken, j, queue);
    return FALSE;
  }
  guint ew = eweek_of(w, at);
  if (spare(w, x, at, ew) > 0)
    return TRUE;
  for (guint q = ew != UNSET ? w->ew_adj_start[ew] : 0; ew != UNSET && q < w->ew_adj_start[ew + 1];
       q++) {
    const EngineCand *c = &cands[w->ew_adj[q]];
    if (w->chosen[w->ew_adj[q]] && c->rslot != x->drop)
      need(w, c->rslot, j, queue);
  }
  return FALSE;
}

/* Whether, with `x` applied, some plan gives request slot `t` one more staff-slot and
 * every other request slot as many as the round: a path that frees an employee for
 * `t` through request slots that each take another one in turn, ending at an employee
 * free with room (an augmenting path of the flow network that avoids the sink).  A
 * relaxation without one cannot fill `t`, so it is not re-solved.  The request slots
 * on the path are appended to `path`.  A search that passes `limit` request slots
 * gives up and answers TRUE. */
static gboolean augmenting(EngineWhatifRun *w, const EngineRelax *x, guint t, const GArray *added,
                           guint limit, GArray *path) {
  const EngineCand *cands = (const EngineCand *)w->snap->cands->data;
  g_autoptr(GArray) queue = g_array_new(FALSE, FALSE, sizeof(guint));
  need(w, t, t, queue);
  guint end = UNSET;
  for (guint head = 0; head < queue->len && end == UNSET; head++) {
    guint j = g_array_index(queue, guint, head);
    if (head >= limit) {
      end = j;
      break;
    }
    for (guint q = w->rs_adj_start[j]; q < w->rs_adj_start[j + 1] && end == UNSET; q++) {
      guint i = w->rs_adj[q];
      if (!w->chosen[i] && reach(w, x, cands[i].eslot, j, queue))
        end = j;
    }
    for (guint k = 0; k < added->len && end == UNSET; k++) {
      const EngineNewCand *c = &g_array_index(added, EngineNewCand, k);
      if (c->rslot == j && reach(w, x, c->eslot, j, queue))
        end = j;
    }
  }
  for (guint j = end; j != UNSET; j = j == t ? UNSET : w->rs_parent[j])
    g_array_append_val(path, j);
  for (guint k = 0; k < queue->len; k++)
    w->rs_parent[g_array_index(queue, guint, k)] = UNSET;
  return end != UNSET;
}

/* The employee-week of employee `e` in ISO week `week`, or UNSET. */
static guint find_eweek(const EngineWhatifRun *w, guint e, gint32 week) {
  const EngineSnapshot *snap = w->snap;
  guint rank = snap->employee_rank[e];
  for (guint at = snap->employee_es[rank]; at < snap->employee_es[rank + 1]; at++) {
    guint ew = g_array_index(snap->eslots, EngineEslot, at).eweek;
    if (g_array_index(snap->eweeks, EngineEweek, ew).week == week)
      return ew;
  }
  return UNSET;
}

/* YIELD: fills w->released with the employees request x->what.request releases at the
 * slot of `t`, and `added` with their candidates: at the released slot, and at their
 * other free slots that week when the release gives the week room again. */
static void release(EngineWhatifRun *w, const EngineRelax *x, guint t, gint32 week, GArray *added) {
  const EngineSnapshot *snap = w->snap;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  ModelSlot slot = rs[t].slot;
  const EngineApproved *a = (const EngineApproved *)w->approved->data;
  guint lo, hi;
  engine_whatif_approved_at(w, slot, &lo, &hi);
  for (guint k = lo; k < hi; k++) {
    guint e = a[k].employee;
    if (a[k].request != (guint)x->what.request || !snap->located[e] ||
        !engine_whatif_available(&g_array_index(snap->dataset->employees, ModelEmployee, e), slot))
      continue;
    EngineReleased rel = {e, slot, find_eweek(w, e, week), 0, UNSET, UNSET};
    if (rel.eweek != UNSET) {
      rel.remaining = g_array_index(snap->eweeks, EngineEweek, rel.eweek).remaining + 1;
    } else {
      gint32 used = 0;
      for (guint i = 0; i < w->approved->len; i++) {
        ModelSlot at = {(ModelDate)(a[i].slot / MODEL_N_PARTS),
                        (ModelPart)(a[i].slot % MODEL_N_PARTS)};
        used += a[i].employee == e && model_date_iso_week(at.date) == week;
      }
      rel.remaining =
          g_array_index(snap->dataset->employees, ModelEmployee, e).max_parts_per_week - used + 1;
    }
    g_array_append_val(w->released, rel);
  }
  for (guint k = 0; k < w->released->len; k++) {
    const EngineReleased *rel = &g_array_index(w->released, EngineReleased, k);
    if (rel->remaining <= 0)
      continue;
    guint jlo, jhi;
    rslots_at(w, slot, &jlo, &jhi);
    for (guint q = jlo; q < jhi; q++) {
      guint j = w->rs_by_slot[q], r = rs[j].request;
      if (j == x->drop || !may_reach(w, x, rel->employee, r))
        continue;
      gint64 d = engine_whatif_distance(w, rel->employee, r);
      ModelPairFacts f;
      engine_whatif_relaxed_facts(w, x, r, rel->employee, d, &f);
      ModelSlotFacts sf = engine_snapshot_slot_facts(snap, r, rel->employee, slot);
      if (model_feasible(&f, &sf) != MODEL_FEASIBLE)
        continue;
      EngineNewCand c = {
          snap->eslots->len + k, j,
          engine_snapshot_make_pair(snap, rel->employee, r,
                                    &g_array_index(snap->dataset->requests, ModelRequest, r), d)};
      g_array_append_val(added, c);
    }
    new_cands_of_employee(w, x, rel->employee, week, added);
  }
}

/* Re-solves with relaxation `x` applied; TRUE in *fills when it fills `t`. */
gboolean engine_whatif_try(EngineWhatifRun *w, const EngineRelax *x, guint t, gint32 week,
                           gboolean *solved, gboolean *fills, gboolean *whole, GError **error) {
  g_autoptr(GArray) added = g_array_new(FALSE, FALSE, sizeof(EngineNewCand));
  const ModelRequest *req = &g_array_index(w->snap->dataset->requests, ModelRequest,
                                           g_array_index(w->snap->rslots, EngineRslot, t).request);
  switch (x->what.kind) {
  case ENGINE_WHATIF_TRAVEL:
    if (x->what.employee >= 0)
      new_cands_of_employee(w, x, (guint)x->what.employee, week, added);
    else
      new_cands_of_request(w, x, (guint)x->what.request, week, (gint64)x->what.to * 1000, added);
    break;
  case ENGINE_WHATIF_PREFERRED:
    new_cands_of_request(w, x, (guint)x->what.request, week, (gint64)req->max_travel_km * 1000,
                         added);
    break;
  case ENGINE_WHATIF_EXTRA_PART:
    new_cands_of_employee(w, x, (guint)x->what.employee, week, added);
    break;
  case ENGINE_WHATIF_YIELD:
    release(w, x, t, week, added);
    break;
  }
  g_autoptr(GArray) path = g_array_new(FALSE, FALSE, sizeof(guint));
  *solved = *fills = FALSE;
  gboolean ok = TRUE;
  if (augmenting(w, x, t, added, w->snap->options.whatif_neighbourhood, path)) {
    Mini m;
    mini_build(w, x, t, added, path, &m);
    ok = mini_fills(w, x, &m, t, fills, error);
    *solved = TRUE;
    *whole = m.whole;
    mini_clear(w, &m);
  }
  g_array_set_size(w->released, 0);
  return ok;
}
