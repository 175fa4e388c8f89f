/* whatif.c: for every request slot a round leaves open, the cheapest single relaxation
 * of the rules that would fill it (see EngineWhatif in match.h), checked by re-solving.
 * A relaxation only changes the candidates of the slot's ISO week, so only the slot's
 * component and those its new candidates reach are rebuilt, as a small snapshot of
 * their own with the relaxation applied, split into components again and solved as a
 * round solves them.  Invariants: the round's snapshot and choice are never changed;
 * slots are taken high priority first, then in the order of `unfilled`, and the
 * relaxations of a slot in their cheapest-first order, so the count budget cuts the
 * same way every run (the time budget is a safety net and may not).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define UNSET G_MAXUINT
#define TRAVEL_MIN_EXTRA_KM 5
#define TRAVEL_MAX_KM 300 /* the largest limit model_dataset_check() accepts */
#define PARTS_MAX 14      /* ... and the largest weekly maximum */

const char *engine_whatif_kind_name(EngineWhatifKind kind) {
  static const char *const names[] = {
      [ENGINE_WHATIF_TRAVEL] = "travel",
      [ENGINE_WHATIF_PREFERRED] = "preferred",
      [ENGINE_WHATIF_EXTRA_PART] = "extra_day_part",
      [ENGINE_WHATIF_YIELD] = "yield",
  };
  g_return_val_if_fail((guint)kind < G_N_ELEMENTS(names), NULL);
  return names[kind];
}

const char *engine_whatif_outcome_name(EngineWhatifOutcome outcome) {
  static const char *const names[] = {
      [ENGINE_WHATIF_SKIPPED] = "skipped",
      [ENGINE_WHATIF_NONE] = "none",
      [ENGINE_WHATIF_FOUND] = "found",
  };
  g_return_val_if_fail((guint)outcome < G_N_ELEMENTS(names), NULL);
  return names[outcome];
}

/* The relaxation a travel limit of `km` may get: at most doubled, or 5 km more. */
static gint32 travel_cap(gint32 km) {
  return MIN(MAX(2 * km, km + TRAVEL_MIN_EXTRA_KM), TRAVEL_MAX_KM);
}

/* One relaxation to try. */
typedef struct {
  EngineWhatif what; /* outcome FOUND, kind and values */
  guint eweek;       /* EXTRA_PART: the employee-week with one more day part */
  guint drop;        /* YIELD: the request slot given up */
  gint32 change;     /* km added, staff given up, 1 otherwise: the smaller the cheaper */
  const char *id;    /* the employee, request or qualification named: ties */
} Relax;

/* A candidate the relaxation adds, with its pair. */
typedef struct {
  guint eslot, rslot;
  EnginePair pair;
} NewCand;

/* An approved assignment of a request in the round. */
typedef struct {
  gint64 slot; /* model_slot_key() */
  guint request, employee;
} Approved;

/* An employee a yielding request releases: a free slot (eslot index n_eslots + k for
 * the k-th) in a week that may be new to the snapshot (eweek n_eweeks + k). */
typedef struct {
  guint employee;
  ModelSlot slot;
  guint eweek;      /* the snapshot's employee-week, or UNSET */
  gint32 remaining; /* the week's room with the release */
  guint mini_es, mini_ew;
} Released;

/* The round's state the what-ifs read, and the scratch they reuse. */
typedef struct {
  const EngineSnapshot *snap;
  const gboolean *chosen;
  guint *ew_adj_start, *ew_adj;               /* per eweek: its candidates (CSR) */
  guint *rs_adj_start, *rs_adj;               /* per rslot: its candidates (CSR) */
  guint *es_taken;                            /* per eslot: the rslot it fills, or UNSET */
  gint32 *ew_used, *filled;                   /* per eweek: slots filled; per rslot: staff */
  guint *rs_by_slot;                          /* rslot indices by slot, then index */
  EngineGrid grid;                            /* located employees */
  guint *es_map, *ew_map, *rs_map, *pair_map; /* UNSET between uses */
  guint *ew_in, *rs_in;                       /* in the neighbourhood: UNSET between uses */
  gint32 *ew_fixed, *rs_fixed;                /* chosen across its edge: 0 between uses */
  gboolean *es_blocked;                       /* taken across its edge: FALSE between uses */
  guint *rs_parent;                           /* the augmenting search: UNSET between uses */
  GArray *approved; /* Approved of requests in the round, by slot, request id, employee id */
  GArray *released; /* Released by the YIELD being tried, else empty */
  gint64 deadline;
  guint solves_left;
  EngineWhatifStats *stats;
} Whatif;

/* ---- the round's state ---------------------------------------------------- */

static int compare_rs_by_slot(const void *a, const void *b, void *user) {
  const EngineRslot *rs = user;
  guint x = *(const guint *)a, y = *(const guint *)b;
  gint64 kx = model_slot_key(rs[x].slot), ky = model_slot_key(rs[y].slot);
  if (kx != ky)
    return kx < ky ? -1 : 1;
  return (x > y) - (x < y);
}

static int compare_approved(const void *a, const void *b, void *user) {
  const EngineSnapshot *snap = user;
  const Approved *x = a, *y = b;
  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  guint rx = snap->request_rank[x->request], ry = snap->request_rank[y->request];
  if (rx != ry)
    return rx < ry ? -1 : 1;
  guint ex = snap->employee_rank[x->employee], ey = snap->employee_rank[y->employee];
  return (ex > ey) - (ex < ey);
}

static guint *unset_array(guint n) {
  guint *a = g_new(guint, n + 1);
  for (guint i = 0; i <= n; i++)
    a[i] = UNSET;
  return a;
}

static void whatif_init(Whatif *w, const EngineSnapshot *snap, const gboolean *chosen) {
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  guint n_es = snap->eslots->len, n_ew = snap->eweeks->len, n_rs = snap->rslots->len;
  w->snap = snap;
  w->chosen = chosen;
  w->es_taken = unset_array(n_es);
  w->ew_used = g_new0(gint32, n_ew + 1);
  w->filled = g_new0(gint32, n_rs + 1);
  w->ew_adj_start = g_new0(guint, n_ew + 2);
  w->rs_adj_start = g_new0(guint, n_rs + 2);
  guint n_cands = snap->cands->len;
  for (guint i = 0; i < n_cands; i++) {
    w->ew_adj_start[es[cands[i].eslot].eweek + 2]++;
    w->rs_adj_start[cands[i].rslot + 2]++;
    if (chosen[i]) {
      w->es_taken[cands[i].eslot] = cands[i].rslot;
      w->ew_used[es[cands[i].eslot].eweek]++;
      w->filled[cands[i].rslot]++;
    }
  }
  for (guint k = 0; k < n_ew; k++)
    w->ew_adj_start[k + 2] += w->ew_adj_start[k + 1];
  for (guint k = 0; k < n_rs; k++)
    w->rs_adj_start[k + 2] += w->rs_adj_start[k + 1];
  w->ew_adj = g_new(guint, n_cands + 1);
  w->rs_adj = g_new(guint, n_cands + 1);
  for (guint i = 0; i < n_cands; i++) {
    w->ew_adj[w->ew_adj_start[es[cands[i].eslot].eweek + 1]++] = i;
    w->rs_adj[w->rs_adj_start[cands[i].rslot + 1]++] = i;
  }
  w->rs_by_slot = g_new(guint, n_rs + 1);
  for (guint i = 0; i < n_rs; i++)
    w->rs_by_slot[i] = i;
  g_qsort_with_data(w->rs_by_slot, (gint)n_rs, sizeof(guint), compare_rs_by_slot,
                    snap->rslots->data);
  engine_grid_init(&w->grid, snap->emp_lat, snap->emp_lon, snap->located, snap->n_employees);
  w->es_map = unset_array(n_es);
  w->ew_map = unset_array(n_ew);
  w->rs_map = unset_array(n_rs);
  w->pair_map = unset_array(snap->pairs->len);
  w->ew_in = unset_array(n_ew);
  w->rs_in = unset_array(n_rs);
  w->ew_fixed = g_new0(gint32, n_ew + 1);
  w->rs_fixed = g_new0(gint32, n_rs + 1);
  w->es_blocked = g_new0(gboolean, n_es + 1);
  w->rs_parent = unset_array(n_rs);
  w->approved = g_array_new(FALSE, FALSE, sizeof(Approved));
  w->released = g_array_new(FALSE, FALSE, sizeof(Released));
  const ModelDataset *ds = snap->dataset;
  for (guint i = 0; i < ds->assignments->len; i++) {
    const ModelAssignment *as = &g_array_index(ds->assignments, ModelAssignment, i);
    gint r = model_dataset_find_request(ds, as->request_id);
    gint e = model_dataset_find_employee(ds, as->employee_id);
    if (as->status == MODEL_ASSIGNMENT_APPROVED && r >= 0 && e >= 0) {
      Approved a = {model_slot_key(as->slot), (guint)r, (guint)e};
      g_array_append_val(w->approved, a);
    }
  }
  g_array_sort_with_data(w->approved, compare_approved, (gpointer)snap);
}

static void whatif_clear(Whatif *w) {
  g_free(w->ew_adj_start);
  g_free(w->ew_adj);
  g_free(w->rs_adj_start);
  g_free(w->rs_adj);
  g_free(w->es_taken);
  g_free(w->ew_used);
  g_free(w->filled);
  g_free(w->rs_by_slot);
  engine_grid_clear(&w->grid);
  g_free(w->es_map);
  g_free(w->ew_map);
  g_free(w->rs_map);
  g_free(w->pair_map);
  g_free(w->ew_in);
  g_free(w->rs_in);
  g_free(w->ew_fixed);
  g_free(w->rs_fixed);
  g_free(w->es_blocked);
  g_free(w->rs_parent);
  g_array_unref(w->approved);
  g_array_unref(w->released);
}

/* The approved assignments at `slot`: approved[*lo..*hi). */
static void approved_at(const Whatif *w, ModelSlot slot, guint *lo, guint *hi) {
  const Approved *a = (const Approved *)w->approved->data;
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
static void rslots_at(const Whatif *w, ModelSlot slot, guint *lo, guint *hi) {
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
static guint find_rslot(const Whatif *w, guint request, ModelSlot slot) {
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
static void relaxed_facts(const Whatif *w, const Relax *x, guint r, guint e, gint64 d,
                          ModelPairFacts *facts) {
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

static gint32 room(const Whatif *w, const Relax *x, guint eweek) {
  gint32 r = g_array_index(w->snap->eweeks, EngineEweek, eweek).remaining;
  if (x != NULL && x->what.kind == ENGINE_WHATIF_YIELD)
    for (guint k = 0; k < w->released->len; k++)
      if (g_array_index(w->released, Released, k).eweek == eweek)
        return g_array_index(w->released, Released, k).remaining;
  return x != NULL && x->what.kind == ENGINE_WHATIF_EXTRA_PART && x->eweek == eweek ? r + 1 : r;
}

/* Whether eslot `at` is a candidate of request slot `rslot` at distance d, without
 * (x NULL) or with the relaxation: the rule snapshot.c's merge_slots() applies. */
static gboolean is_cand(const Whatif *w, const Relax *x, guint at, guint rslot, gint64 d) {
  const EngineEslot *es = &g_array_index(w->snap->eslots, EngineEslot, at);
  guint r = g_array_index(w->snap->rslots, EngineRslot, rslot).request;
  ModelPairFacts facts;
  relaxed_facts(w, x, r, es->employee, d, &facts);
  ModelSlotFacts slot = engine_snapshot_slot_facts(w->snap, r, es->employee, es->slot);
  return room(w, x, es->eweek) > 0 && model_feasible(&facts, &slot) == MODEL_FEASIBLE;
}

static const ModelRequest *request_as(const Whatif *w, const Relax *x, guint r,
                                      ModelRequest *copy) {
  const ModelRequest *req = &g_array_index(w->snap->dataset->requests, ModelRequest, r);
  if (x->what.kind != ENGINE_WHATIF_PREFERRED || x->what.request != (gint)r)
    return req;
  *copy = *req;
  copy->required &= ~MODEL_QUAL_BIT(x->what.qual);
  copy->preferred |= MODEL_QUAL_BIT(x->what.qual);
  return copy;
}

static gint64 distance_to(const Whatif *w, guint e, guint r) {
  const ModelSchool *sch =
      &g_array_index(w->snap->dataset->schools, ModelSchool, w->snap->school_of_request[r]);
  return model_distance_m(w->snap->emp_lat[e], w->snap->emp_lon[e], sch->lat, sch->lon);
}

/* Whether request `r`'s school may lie within employee `e`'s travel limit with `x`
 * applied: a cheap bound on latitude alone before the exact distance. */
static gboolean may_reach(const Whatif *w, const Relax *x, guint e, guint r) {
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

static void add_new_cand(const Whatif *w, const Relax *x, guint at, guint rslot, gint64 d,
                         GArray *out) {
  if (!is_cand(w, x, at, rslot, d) || is_cand(w, NULL, at, rslot, d))
    return;
  guint e = g_array_index(w->snap->eslots, EngineEslot, at).employee;
  guint r = g_array_index(w->snap->rslots, EngineRslot, rslot).request;
  ModelRequest copy;
  NewCand c = {at, rslot, engine_snapshot_make_pair(w->snap, e, r, request_as(w, x, r, &copy), d)};
  g_array_append_val(out, c);
}

/* The candidates `x` adds in ISO week `week` to employee `e`'s free slots. */
static void new_cands_of_employee(const Whatif *w, const Relax *x, guint e, gint32 week,
                                  GArray *out) {
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
        add_new_cand(w, x, at, j, distance_to(w, e, rs[j].request), out);
    }
  }
}

/* The candidates `x` adds in ISO week `week` to request `r`'s slots, from employees
 * within `radius_m` of its school. */
static void new_cands_of_request(const Whatif *w, const Relax *x, guint r, gint32 week,
                                 gint64 radius_m, GArray *out) {
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
        add_new_cand(w, x, (guint)at, j, distance_to(w, e, r), out);
    }
  }
}

/* ---- the relaxed components ------------------------------------------------ */

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
  GArray *rs_orig, *es_orig, *ew_orig, *pair_orig;
  GArray *nodes;  /* the neighbourhood: eweeks, and n_eweeks + rslots */
  gboolean whole; /* ... which is the whole of the components it touches */
} Mini;

static void mini_clear(Whatif *w, Mini *m) {
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
static guint mini_released(Whatif *w, const Relax *x, Mini *m, guint k) {
  Released *rel = &g_array_index(w->released, Released, k);
  if (rel->mini_es != UNSET)
    return rel->mini_es;
  EngineEslot es = {rel->employee, rel->slot, 0};
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

static guint mini_eslot(Whatif *w, const Relax *x, Mini *m, guint at) {
  if (at >= w->snap->eslots->len)
    return mini_released(w, x, m, at - w->snap->eslots->len);
  if (w->es_map[at] != UNSET)
    return w->es_map[at];
  EngineEslot es = g_array_index(w->snap->eslots, EngineEslot, at);
  EngineEweek ew = g_array_index(w->snap->eweeks, EngineEweek, es.eweek);
  ew.remaining = room(w, x, es.eweek) - w->ew_fixed[es.eweek];
  es.eweek = map_index(w->ew_map, es.eweek, m->ew_orig, m->snap.eweeks, &ew);
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
static guint eweek_of(const Whatif *w, guint at) {
  if (at < w->snap->eslots->len)
    return g_array_index(w->snap->eslots, EngineEslot, at).eweek;
  return g_array_index(w->released, Released, at - w->snap->eslots->len).eweek;
}

/* Node `node` (an eweek, or n_eweeks + an rslot) into the neighbourhood `queue`. */
static void visit(Whatif *w, guint node, GArray *queue) {
  guint n_ew = w->snap->eweeks->len;
  guint *in = node < n_ew ? &w->ew_in[node] : &w->rs_in[node - n_ew];
  if (node != UNSET && *in == UNSET) {
    *in = 0;
    g_array_append_val(queue, node);
  }
}

/* The neighbourhood of request slot `t`, the request slots on its augmenting path and
 * the new candidates: their nodes, then
 * breadth first over the candidate graph until the candidates seen pass the option
 * whatif_neighbourhood; the whole component when it is smaller.  Returns the
 * nodes (transfer full), marked in ew_in and rs_in. */
static GArray *neighbourhood(Whatif *w, const Relax *x, guint t, const GArray *added,
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
    const NewCand *c = &g_array_index(added, NewCand, k);
    guint ew = eweek_of(w, c->eslot);
    if (ew != UNSET)
      visit(w, ew, queue);
    visit(w, n_ew + c->rslot, queue);
  }
  if (x->what.kind == ENGINE_WHATIF_EXTRA_PART)
    visit(w, x->eweek, queue);
  guint seen = 0, head = 0;
  for (; head < queue->len && seen <= snap->options.whatif_neighbourhood; head++) {
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
static void fix_edge(Whatif *w, const Relax *x, const GArray *nodes) {
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
static gboolean usable(const Whatif *w, const Relax *x, guint at, guint rslot) {
  guint ew = eweek_of(w, at);
  if (rslot == x->drop || (at < w->snap->eslots->len && w->es_blocked[at]))
    return FALSE;
  if (g_array_index(w->snap->rslots, EngineRslot, rslot).need - w->rs_fixed[rslot] <= 0)
    return FALSE;
  gint32 r = ew != UNSET
                 ? room(w, x, ew) - w->ew_fixed[ew]
                 : g_array_index(w->released, Released, at - w->snap->eslots->len).remaining;
  return r > 0;
}

/* Builds the neighbourhood of request slot `t` and the new candidates `added` with `x`
 * applied and its edge fixed, split into components again. */
static void mini_build(Whatif *w, const Relax *x, guint t, const GArray *added, const GArray *path,
                       Mini *m) {
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
    const NewCand *c = &g_array_index(added, NewCand, k);
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
      cand = (EngineCand){c->eslot, c->rslot,
                          map_index(w->pair_map, c->pair, m->pair_orig, m->snap.pairs, &pair)};
    } else {
      const NewCand *c = &g_array_index(added, NewCand, src - n_cands);
      cand = (EngineCand){c->eslot, c->rslot, mini_new_pair(m, &c->pair)};
    }
    cand.eslot = mini_eslot(w, x, m, cand.eslot);
    EngineRslot r = rs[cand.rslot];
    r.need -= w->rs_fixed[cand.rslot];
    cand.rslot = map_index(w->rs_map, cand.rslot, m->rs_orig, m->snap.rslots, &r);
    g_array_append_val(m->snap.cands, cand);
  }
  engine_snapshot_split(&m->snap);
}

/* Re-solves the relaxed components; TRUE in *fills when request slot `t` gets more
 * staff than in the round and no other request slot fewer. */
static gboolean mini_fills(Whatif *w, Mini *m, guint t, gboolean *fills, GError **error) {
  *fills = FALSE;
  guint n = m->snap.cands->len, mt = w->rs_map[t];
  if (mt == UNSET)
    return TRUE; /* no candidate for the slot even so */
  g_autofree gboolean *chosen = g_new0(gboolean, n + 1);
  const EngineCand *cands = (const EngineCand *)m->snap.cands->data;
  const guint *start = (const guint *)m->snap.comp_start->data;
  for (guint c = 0; c + 1 < m->snap.comp_start->len; c++)
    if (!engine_solve_candidates(&m->snap, cands + start[c], start[c + 1] - start[c],
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

/* ---- the relaxations of one slot ------------------------------------------- */

static int compare_relax(const void *a, const void *b) {
  const Relax *x = a, *y = b;
  if (x->what.kind != y->what.kind)
    return x->what.kind < y->what.kind ? -1 : 1;
  if (x->change != y->change)
    return x->change < y->change ? -1 : 1;
  return strcmp(x->id, y->id);
}

static void add_relax(GArray *out, EngineWhatifKind kind, gint employee, gint request, gint32 from,
                      gint32 to, gint32 change, const char *id) {
  Relax x = {.what = {.outcome = ENGINE_WHATIF_FOUND,
                      .kind = kind,
                      .employee = employee,
                      .request = request,
                      .from = from,
                      .to = to},
             .eweek = UNSET,
             .drop = UNSET,
             .change = change,
             .id = id};
  g_array_append_val(out, x);
}

/* What the funnel of employee `e`, free at the open slot `u` of request slot `t` at
 * distance d, says a relaxation could do. */
static void relaxations_of(const Whatif *w, const EngineUnfilled *u, guint e, guint at, gint64 d,
                           GArray *out, GArray *request_km, gboolean *qual_helps) {
  const EngineSnapshot *snap = w->snap;
  const ModelEmployee *emp = &g_array_index(snap->dataset->employees, ModelEmployee, e);
  const EngineEslot *es = &g_array_index(snap->eslots, EngineEslot, at);
  gint32 rem = g_array_index(snap->eweeks, EngineEweek, es->eweek).remaining;
  ModelPairFacts f;
  relaxed_facts(w, NULL, u->request, e, d, &f);
  ModelSlotFacts sf = engine_snapshot_slot_facts(snap, u->request, e, u->slot);
  ModelFeasibility before = model_feasible(&f, &sf);
  if (before == MODEL_FEASIBLE) {
    /* Free in the slot, but the week is full. */
    if (w->es_taken[at] == UNSET && rem >= 0 && w->ew_used[es->eweek] >= rem &&
        emp->max_parts_per_week < PARTS_MAX) {
      add_relax(out, ENGINE_WHATIF_EXTRA_PART, (gint)e, -1, emp->max_parts_per_week,
                emp->max_parts_per_week + 1, 1, emp->id);
      Relax *x = &g_array_index(out, Relax, out->len - 1);
      x->eweek = es->eweek;
      x->what.week = model_date_iso_week(u->slot.date);
    }
    return;
  }
  if (rem <= 0)
    return;
  ModelPairFacts g = f;
  if (before == MODEL_INFEASIBLE_TOO_FAR && d >= 0) {
    gint32 km = (gint32)((d + 999) / 1000);
    gboolean emp_blocks = d > (gint64)f.employee_km * 1000;
    gboolean req_blocks = d > (gint64)f.request_km * 1000;
    if (emp_blocks && !req_blocks && km <= travel_cap(f.employee_km)) {
      g.employee_km = km;
      if (model_feasible(&g, &sf) == MODEL_FEASIBLE)
        add_relax(out, ENGINE_WHATIF_TRAVEL, (gint)e, -1, f.employee_km, km, km - f.employee_km,
                  emp->id);
    } else if (req_blocks && !emp_blocks && km <= travel_cap(f.request_km)) {
      g.request_km = km;
      if (model_feasible(&g, &sf) == MODEL_FEASIBLE)
        g_array_append_val(request_km, km);
    }
  } else if (before == MODEL_INFEASIBLE_UNQUALIFIED) {
    for (int q = 0; q < MODEL_N_QUALS; q++) {
      if (q == MODEL_QUAL_VOG || !(f.required & MODEL_QUAL_BIT(q)))
        continue;
      g.required = f.required & ~MODEL_QUAL_BIT(q);
      qual_helps[q] |= model_feasible(&g, &sf) == MODEL_FEASIBLE;
    }
  }
}

static gboolean available_at(const ModelEmployee *emp, ModelSlot slot) {
  g_autoptr(GArray) slots = model_slot_rules_expand(emp->availability);
  return bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL;
}

/* Whether employee `e`, approved elsewhere at open slot `u`, could fill it if released. */
static gboolean released_could_fill(const Whatif *w, const EngineUnfilled *u, guint e) {
  const EngineSnapshot *snap = w->snap;
  if (!snap->located[e])
    return FALSE;
  ModelPairFacts f;
  relaxed_facts(w, NULL, u->request, e, distance_to(w, e, u->request), &f);
  ModelSlotFacts sf = engine_snapshot_slot_facts(snap, u->request, e, u->slot);
  return model_feasible(&f, &sf) == MODEL_FEASIBLE &&
         available_at(&g_array_index(snap->dataset->employees, ModelEmployee, e), u->slot);
}

/* YIELD: each lower-priority request in the round with an approved employee at the
 * slot who could fill it gives up that day part: its approved staff there and what it
 * still needs. */
static void yields(const Whatif *w, const EngineUnfilled *u, GArray *out) {
  const EngineSnapshot *snap = w->snap;
  const ModelDataset *ds = snap->dataset;
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
  const Approved *a = (const Approved *)w->approved->data;
  guint lo, hi;
  approved_at(w, u->slot, &lo, &hi);
  for (guint k = lo; k < hi;) {
    guint r = a[k].request, end = k;
    gboolean helps = FALSE;
    for (; end < hi && a[end].request == r; end++)
      helps = helps || released_could_fill(w, u, a[end].employee);
    const ModelRequest *other = &g_array_index(ds->requests, ModelRequest, r);
    if (helps && other->priority < req->priority && snap->request_matched[r]) {
      guint drop = find_rslot(w, r, u->slot);
      gint32 staff = (gint32)(end - k);
      staff += drop != UNSET ? g_array_index(snap->rslots, EngineRslot, drop).need : 0;
      add_relax(out, ENGINE_WHATIF_YIELD, -1, (gint)r, staff, 0, staff, other->id);
      g_array_index(out, Relax, out->len - 1).drop = drop;
    }
    k = end;
  }
}

static int compare_i32(const void *a, const void *b) {
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;
  return (x > y) - (x < y);
}

/* The relaxations worth a re-solve for open slot `u`, cheapest first, at most
 * ENGINE_WHATIF_TRIES_PER_KIND of each kind (transfer full). */
static GArray *relaxations(const Whatif *w, const EngineUnfilled *u) {
  const EngineSnapshot *snap = w->snap;
  const ModelDataset *ds = snap->dataset;
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
  GArray *all = g_array_new(FALSE, FALSE, sizeof(Relax));
  gint school = snap->school_of_request[u->request];
  if (school < 0)
    return all;
  const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, school);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  engine_grid_query(&w->grid, sch->lat, sch->lon, (gint64)travel_cap(req->max_travel_km) * 1000,
                    near);
  g_autoptr(GArray) request_km = g_array_new(FALSE, FALSE, sizeof(gint32));
  gboolean qual_helps[MODEL_N_QUALS] = {FALSE};
  for (guint k = 0; k < near->len; k++) {
    guint e = g_array_index(near, guint, k);
    gint at = engine_snapshot_find_eslot(snap, e, u->slot);
    if (at >= 0)
      relaxations_of(w, u, e, (guint)at, distance_to(w, e, u->request), all, request_km,
                     qual_helps);
  }
  g_array_sort(request_km, compare_i32);
  for (guint k = 0; k < request_km->len; k++) {
    gint32 km = g_array_index(request_km, gint32, k);
    if (k == 0 || km != g_array_index(request_km, gint32, k - 1))
      add_relax(all, ENGINE_WHATIF_TRAVEL, -1, (gint)u->request, req->max_travel_km, km,
                km - req->max_travel_km, req->id);
  }
  for (int q = 0; q < MODEL_N_QUALS; q++)
    if (qual_helps[q]) {
      add_relax(all, ENGINE_WHATIF_PREFERRED, -1, (gint)u->request, 0, 0, 1,
                model_qual_name((ModelQual)q));
      g_array_index(all, Relax, all->len - 1).what.qual = (ModelQual)q;
    }
  if (req->priority == MODEL_PRIORITY_HIGH)
    yields(w, u, all);
  if (all->len > 1)
    qsort(all->data, all->len, sizeof(Relax), compare_relax);
  guint m = 0, per_kind = 0;
  for (guint k = 0; k < all->len; k++) {
    const Relax *x = &g_array_index(all, Relax, k);
    per_kind =
        m > 0 && g_array_index(all, Relax, m - 1).what.kind == x->what.kind ? per_kind + 1 : 0;
    if (per_kind < ENGINE_WHATIF_TRIES_PER_KIND)
      g_array_index(all, Relax, m++) = *x;
  }
  g_array_set_size(all, m);
  return all;
}

/* ---- the augmenting search ------------------------------------------------- */

/* Staff-slots employee-week `ew` (or released employee `at`'s week) could still give
 * with `x` applied, the day parts that the yielding request slot frees included. */
static gint32 spare(const Whatif *w, const Relax *x, guint at, guint ew) {
  if (ew == UNSET)
    return g_array_index(w->released, Released, at - w->snap->eslots->len).remaining;
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
static void need(Whatif *w, guint k, guint j, GArray *queue) {
  if (w->rs_parent[k] == UNSET) {
    w->rs_parent[k] = j;
    g_array_append_val(queue, k);
  }
}

/* Looks at one candidate (eslot `at` for request slot `j`, not chosen): TRUE when its
 * employee is free with room; else queues the request slots that would have to give
 * way. */
static gboolean reach(Whatif *w, const Relax *x, guint at, guint j, GArray *queue) {
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
static gboolean augmenting(Whatif *w, const Relax *x, guint t, const GArray *added, guint limit,
                           GArray *path) {
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
      const NewCand *c = &g_array_index(added, NewCand, k);
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

/* ---- the round's what-ifs -------------------------------------------------- */

/* The employee-week of employee `e` in ISO week `week`, or UNSET. */
static guint find_eweek(const Whatif *w, guint e, gint32 week) {
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
static void release(Whatif *w, const Relax *x, guint t, gint32 week, GArray *added) {
  const EngineSnapshot *snap = w->snap;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  ModelSlot slot = rs[t].slot;
  const Approved *a = (const Approved *)w->approved->data;
  guint lo, hi;
  approved_at(w, slot, &lo, &hi);
  for (guint k = lo; k < hi; k++) {
    guint e = a[k].employee;
    if (a[k].request != (guint)x->what.request || !snap->located[e] ||
        !available_at(&g_array_index(snap->dataset->employees, ModelEmployee, e), slot))
      continue;
    Released rel = {e, slot, find_eweek(w, e, week), 0, UNSET, UNSET};
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
    const Released *rel = &g_array_index(w->released, Released, k);
    if (rel->remaining <= 0)
      continue;
    guint jlo, jhi;
    rslots_at(w, slot, &jlo, &jhi);
    for (guint q = jlo; q < jhi; q++) {
      guint j = w->rs_by_slot[q], r = rs[j].request;
      if (j == x->drop || !may_reach(w, x, rel->employee, r))
        continue;
      gint64 d = distance_to(w, rel->employee, r);
      ModelPairFacts f;
      relaxed_facts(w, x, r, rel->employee, d, &f);
      ModelSlotFacts sf = engine_snapshot_slot_facts(snap, r, rel->employee, slot);
      if (model_feasible(&f, &sf) != MODEL_FEASIBLE)
        continue;
      NewCand c = {
          snap->eslots->len + k, j,
          engine_snapshot_make_pair(snap, rel->employee, r,
                                    &g_array_index(snap->dataset->requests, ModelRequest, r), d)};
      g_array_append_val(added, c);
    }
    new_cands_of_employee(w, x, rel->employee, week, added);
  }
}

/* Re-solves with relaxation `x` applied; TRUE in *fills when it fills `t`. */
static gboolean try_relax(Whatif *w, const Relax *x, guint t, gint32 week, gboolean *solved,
                          gboolean *fills, gboolean *whole, GError **error) {
  g_autoptr(GArray) added = g_array_new(FALSE, FALSE, sizeof(NewCand));
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
    ok = mini_fills(w, &m, t, fills, error);
    *solved = TRUE;
    *whole = m.whole;
    mini_clear(w, &m);
  }
  g_array_set_size(w->released, 0);
  return ok;
}

/* The what-if of one open slot; sets *stop when the budget runs out first. */
static gboolean whatif_slot(Whatif *w, EngineUnfilled *u, gboolean *stop, GError **error) {
  guint t = find_rslot(w, u->request, u->slot);
  g_assert(t != UNSET);
  g_autoptr(GArray) relaxes = relaxations(w, u);
  gint32 week = model_date_iso_week(u->slot.date);
  EngineWhatif *out = &u->whatif;
  out->outcome = ENGINE_WHATIF_NONE;
  for (guint k = 0; k < relaxes->len; k++) {
    if (w->solves_left == 0 || g_get_monotonic_time() >= w->deadline) {
      w->stats->out_of_solves = w->solves_left == 0;
      w->stats->out_of_time = !w->stats->out_of_solves;
      out->outcome = ENGINE_WHATIF_SKIPPED;
      *stop = TRUE;
      return TRUE;
    }
    const Relax *x = &g_array_index(relaxes, Relax, k);
    gboolean solved = FALSE, fills = FALSE, whole = FALSE;
    if (!try_relax(w, x, t, week, &solved, &fills, &whole, error))
      return FALSE;
    w->solves_left -= solved;
    w->stats->solves += solved;
    out->tried += solved;
    if (fills) {
      guint32 tried = out->tried;
      *out = x->what;
      out->tried = tried;
      out->whole = whole;
      return TRUE;
    }
  }
  return TRUE;
}

static int compare_priority(const void *a, const void *b, void *user) {
  const GArray *unfilled = ((const gpointer *)user)[0];
  const ModelDataset *ds = ((const gpointer *)user)[1];
  guint x = *(const guint *)a, y = *(const guint *)b;
  ModelPriority px =
      g_array_index(ds->requests, ModelRequest, g_array_index(unfilled, EngineUnfilled, x).request)
          .priority;
  ModelPriority py =
      g_array_index(ds->requests, ModelRequest, g_array_index(unfilled, EngineUnfilled, y).request)
          .priority;
  if (px != py)
    return px > py ? -1 : 1;
  return (x > y) - (x < y);
}

gboolean engine_whatif(const EngineSnapshot *snapshot, const gboolean *chosen, GArray *unfilled,
                       EngineWhatifStats *stats, GError **error) {
  gint64 t0 = g_get_monotonic_time();
  memset(stats, 0, sizeof *stats);
  guint n = unfilled->len;
  for (guint i = 0; i < n; i++) {
    EngineWhatif *x = &g_array_index(unfilled, EngineUnfilled, i).whatif;
    *x = (EngineWhatif){.outcome = ENGINE_WHATIF_SKIPPED, .employee = -1, .request = -1};
  }
  const EngineOptions *options = &snapshot->options;
  gboolean stop = options->whatif_ms <= 0 || options->whatif_solves == 0;
  stats->out_of_time = n > 0 && options->whatif_ms <= 0;
  stats->out_of_solves = n > 0 && options->whatif_solves == 0;
  Whatif w = {0};
  if (!stop && n > 0) {
    whatif_init(&w, snapshot, chosen);
    w.deadline = t0 + MIN(options->whatif_ms, G_MAXINT64 / 2000) * 1000;
    w.solves_left = options->whatif_solves;
    w.stats = stats;
  }
  g_autofree guint *order = g_new(guint, n + 1);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  gconstpointer user[2] = {unfilled, snapshot->dataset};
  g_qsort_with_data(order, (gint)n, sizeof(guint), compare_priority, user);
  gboolean ok = TRUE;
  for (guint k = 0; ok && k < n; k++) {
    EngineUnfilled *u = &g_array_index(unfilled, EngineUnfilled, order[k]);
    if (!stop)
      ok = whatif_slot(&w, u, &stop, error);
    stats->found += u->whatif.outcome == ENGINE_WHATIF_FOUND;
    stats->found_whole += u->whatif.outcome == ENGINE_WHATIF_FOUND && u->whatif.whole;
    stats->none += u->whatif.outcome == ENGINE_WHATIF_NONE;
    stats->skipped += u->whatif.outcome == ENGINE_WHATIF_SKIPPED;
  }
  if (w.snap != NULL)
    whatif_clear(&w);
  stats->us = g_get_monotonic_time() - t0;
  return ok;
}
