/* snapshot.c: from a dataset to a round's snapshot: request slots still needing staff,
 * employees' free slots and weekly room, feasible pairs found through the spatial grid,
 * and candidate arcs grouped into independent components.  Invariants: every candidate
 * is feasible by model_feasible() in its slot (H1-H3, H6, cancellations) and leaves
 * room for H4/H5 in the network; entities are visited in id order, so nothing depends
 * on the order of the dataset's arrays.  Candidates are found by as many threads as
 * there are processors (at most CAND_THREADS_MAX), each taking a block of employees;
 * the blocks are joined in employee order, so the snapshot is the same whatever the
 * number of threads.
 */
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define UNSET G_MAXUINT

/* The slot facts at their best: a pair infeasible with them is infeasible in every slot. */
static const ModelSlotFacts BEST_SLOT = {.available = TRUE, .cancelled = FALSE};

/* ---- sorted guint64 key sets ------------------------------------------- */

static int compare_u64(const void *a, const void *b) {
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return (x > y) - (x < y);
}

static guint64 make_key(guint high, guint32 low) {
  return ((guint64)high << 32) | low;
}

/* A slot as an unsigned 32-bit number preserving order. */
static guint32 slot_key32(gint64 slot_key) {
  return (guint32)(slot_key + ((gint64)1 << 30));
}

static guint32 slot32(ModelSlot slot) {
  return slot_key32(model_slot_key(slot));
}

/* Number of occurrences of `key` in the sorted array. */
static guint count_key(const GArray *keys, guint64 key) {
  const guint64 *k = (const guint64 *)keys->data;
  guint lo = 0, hi = keys->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (k[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  guint n = 0;
  while (lo + n < keys->len && k[lo + n] == key)
    n++;
  return n;
}

static void sort_keys(GArray *keys) {
  if (keys->len > 1)
    qsort(keys->data, keys->len, sizeof(guint64), compare_u64);
}

/* ---- id order ------------------------------------------------------------ */

typedef struct {
  const GArray *array;
  gsize element_size;
} IdOrder;

/* Every entity struct starts with `char *id`. */
static int compare_by_id(const void *a, const void *b, void *user) {
  const IdOrder *order = user;
  guint x = *(const guint *)a, y = *(const guint *)b;
  const char *ix = *(char *const *)(order->array->data + (gsize)x * order->element_size);
  const char *iy = *(char *const *)(order->array->data + (gsize)y * order->element_size);
  int c = strcmp(ix, iy);
  return c != 0 ? c : (x > y) - (x < y);
}

static void rank_by_id(const GArray *array, gsize element_size, guint **out_order,
                       guint **out_rank) {
  guint n = array->len;
  guint *order = g_new(guint, n + 1);
  guint *rank = g_new(guint, n + 1);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  IdOrder by = {array, element_size};
  g_qsort_with_data(order, (gint)n, sizeof(guint), compare_by_id, &by);
  for (guint i = 0; i < n; i++)
    rank[order[i]] = i;
  *out_order = order;
  *out_rank = rank;
}

void engine_snapshot_free(EngineSnapshot *snapshot) {
  if (snapshot == NULL)
    return;
  g_free(snapshot->employee_order);
  g_free(snapshot->request_order);
  g_free(snapshot->employee_rank);
  g_free(snapshot->request_rank);
  g_clear_pointer(&snapshot->rslots, g_array_unref);
  g_free(snapshot->request_rs);
  g_clear_pointer(&snapshot->eslots, g_array_unref);
  g_free(snapshot->employee_es);
  g_clear_pointer(&snapshot->eweeks, g_array_unref);
  g_clear_pointer(&snapshot->lslots, g_array_unref);
  g_free(snapshot->location_of_employee);
  g_free(snapshot->located);
  g_free(snapshot->emp_lat);
  g_free(snapshot->emp_lon);
  g_free(snapshot->district_of_employee);
  g_free(snapshot->org_of_employee);
  g_free(snapshot->school_of_request);
  g_free(snapshot->request_matched);
  g_clear_pointer(&snapshot->rejected, g_array_unref);
  g_clear_pointer(&snapshot->cancelled, g_array_unref);
  g_clear_pointer(&snapshot->proposed, g_array_unref);
  g_clear_pointer(&snapshot->knows, g_array_unref);
  g_clear_pointer(&snapshot->approved_pairs, g_array_unref);
  g_free(snapshot->district_of_school);
  g_clear_pointer(&snapshot->adjacent, g_array_unref);
  g_clear_pointer(&snapshot->pairs, g_array_unref);
  g_clear_pointer(&snapshot->cands, g_array_unref);
  g_clear_pointer(&snapshot->comp_start, g_array_unref);
  g_free(snapshot);
}

gint engine_snapshot_find_eslot(const EngineSnapshot *snapshot, guint employee, ModelSlot slot) {
  guint rank = snapshot->employee_rank[employee];
  guint lo = snapshot->employee_es[rank], hi = snapshot->employee_es[rank + 1];
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (model_slot_compare(&es[mid].slot, &slot) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < snapshot->employee_es[rank + 1] && model_slot_compare(&es[lo].slot, &slot) == 0)
    return (gint)lo;
  return -1;
}

gboolean engine_snapshot_is_rejected(const EngineSnapshot *snapshot, guint request,
                                     guint employee) {
  return count_key(snapshot->rejected, make_key(request, employee)) > 0;
}

void engine_snapshot_pair_facts(const EngineSnapshot *snapshot, guint request, guint employee,
                                gint64 distance_m, ModelPairFacts *out) {
  const ModelDataset *ds = snapshot->dataset;
  const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, employee);
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, request);
  *out = (ModelPairFacts){
      .active = emp->active,
      .quals = emp->quals,
      .required = req->required,
      .employee_km = emp->max_travel_km,
      .request_km = req->max_travel_km,
      .distance_m = snapshot->located[employee] ? distance_m : -1,
      .rejected = engine_snapshot_is_rejected(snapshot, request, employee),
      .request_cancelled = req->status == MODEL_REQUEST_CANCELLED,
  };
}

static int compare_cancelled(const void *a, const void *b) {
  const EngineCancelled *x = a, *y = b;
  if (x->pair != y->pair)
    return x->pair < y->pair ? -1 : 1;
  return (x->slot > y->slot) - (x->slot < y->slot);
}

/* Whether the sorted EngineCancelled set `set` holds (request, employee, slot). */
static gboolean holds(const GArray *set, guint request, guint employee, ModelSlot slot) {
  EngineCancelled key = {make_key(request, employee), model_slot_key(slot)};
  return set->len > 0 &&
         bsearch(&key, set->data, set->len, sizeof(EngineCancelled), compare_cancelled) != NULL;
}

ModelSlotFacts engine_snapshot_slot_facts(const EngineSnapshot *snapshot, guint request,
                                          guint employee, ModelSlot slot) {
  return (ModelSlotFacts){.available = TRUE,
                          .cancelled = holds(snapshot->cancelled, request, employee, slot)};
}

gboolean engine_snapshot_proposed(const EngineSnapshot *snapshot, guint request, guint employee,
                                  ModelSlot slot) {
  return !snapshot->options.travel_only && holds(snapshot->proposed, request, employee, slot);
}

/* Approved assignments as sorted key sets. */
typedef struct {
  GArray *by_request_slot;  /* request << 32 | slot */
  GArray *by_employee_slot; /* employee << 32 | slot */
  GArray *by_employee_week; /* employee << 32 | week */
  GArray *by_pair;          /* request << 32 | employee */
  GArray *by_location_slot; /* location << 32 | slot (H7) */
} Approvals;

static void approvals_clear(Approvals *a) {
  g_clear_pointer(&a->by_request_slot, g_array_unref);
  g_clear_pointer(&a->by_employee_slot, g_array_unref);
  g_clear_pointer(&a->by_employee_week, g_array_unref);
  g_clear_pointer(&a->by_pair, g_array_unref);
  g_clear_pointer(&a->by_location_slot, g_array_unref);
}

static void collect_decisions(EngineSnapshot *snap, Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  a->by_request_slot = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_employee_slot = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_employee_week = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_pair = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_location_slot = g_array_new(FALSE, FALSE, sizeof(guint64));
  snap->rejected = g_array_new(FALSE, FALSE, sizeof(guint64));
  snap->cancelled = g_array_new(FALSE, FALSE, sizeof(EngineCancelled));
  snap->proposed = g_array_new(FALSE, FALSE, sizeof(EngineCancelled));
  snap->knows = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint i = 0; i < ds->assignments->len; i++) {
    const ModelAssignment *as = &g_array_index(ds->assignments, ModelAssignment, i);
    gint r = model_dataset_find_request(ds, as->request_id);
    gint e = model_dataset_find_employee(ds, as->employee_id);
    if (r < 0 || e < 0)
      continue;
    guint64 pair = make_key((guint)r, (guint)e);
    if (as->status == MODEL_ASSIGNMENT_REJECTED) {
      g_array_append_val(snap->rejected, pair);
      continue;
    }
    if (as->status == MODEL_ASSIGNMENT_CANCELLED) {
      EngineCancelled c = {pair, model_slot_key(as->slot)};
      g_array_append_val(snap->cancelled, c);
      continue;
    }
    if (as->status == MODEL_ASSIGNMENT_PROPOSED) {
      if (snap->request_matched[r]) {
        EngineCancelled p = {pair, model_slot_key(as->slot)};
        g_array_append_val(snap->proposed, p);
      }
      continue;
    }
    if (as->status != MODEL_ASSIGNMENT_APPROVED)
      continue;
    if (snap->request_matched[r])
      snap->approved++;
    guint64 k = make_key((guint)r, slot32(as->slot));
    g_array_append_val(a->by_request_slot, k);
    k = make_key((guint)e, slot32(as->slot));
    g_array_append_val(a->by_employee_slot, k);
    k = make_key((guint)e, (guint32)model_date_iso_week(as->slot.date));
    g_array_append_val(a->by_employee_week, k);
    g_array_append_val(a->by_pair, pair);
    if (snap->location_of_employee[e] >= 0) {
      k = make_key((guint)snap->location_of_employee[e], slot32(as->slot));
      g_array_append_val(a->by_location_slot, k);
    }
    gint school = snap->school_of_request[r];
    if (school >= 0) {
      k = make_key((guint)school, (guint)e);
      g_array_append_val(snap->knows, k);
    }
  }
  sort_keys(snap->rejected);
  if (snap->cancelled->len > 1)
    qsort(snap->cancelled->data, snap->cancelled->len, sizeof(EngineCancelled), compare_cancelled);
  if (snap->proposed->len > 1)
    qsort(snap->proposed->data, snap->proposed->len, sizeof(EngineCancelled), compare_cancelled);
  sort_keys(snap->knows);
  sort_keys(a->by_request_slot);
  sort_keys(a->by_employee_slot);
  sort_keys(a->by_employee_week);
  sort_keys(a->by_pair);
  sort_keys(a->by_location_slot);
}

/* Each employee's location, and every day part of a location with figures with the
 * room left after approvals (H7). */
static void locate_employees(EngineSnapshot *snap) {
  const ModelDataset *ds = snap->dataset;
  snap->location_of_employee = g_new(gint, snap->n_employees + 1);
  for (guint e = 0; e < snap->n_employees; e++) {
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    snap->location_of_employee[e] =
        emp->location_id != NULL ? model_dataset_find_location(ds, emp->location_id) : -1;
  }
}

/* Sorted by location index, then slot: only lookups depend on this order. */
static void build_lslots(EngineSnapshot *snap, const Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  snap->lslots = g_array_new(FALSE, FALSE, sizeof(EngineLslot));
  for (guint l = 0; l < ds->locations->len; l++) {
    const ModelLocation *loc = &g_array_index(ds->locations, ModelLocation, l);
    g_autoptr(GArray) slots = model_location_slots(loc, snap->options.children_per_staff);
    for (guint i = 0; i < slots->len; i++) {
      const ModelLocationSlot *ls = &g_array_index(slots, ModelLocationSlot, i);
      gint64 approved = count_key(a->by_location_slot, make_key(l, slot32(ls->slot)));
      EngineLslot lslot = {l, ls->slot, (gint32)MAX((gint64)ls->lendable - approved, -1)};
      g_array_append_val(snap->lslots, lslot);
    }
  }
}

static int compare_lslot(const void *a, const void *b) {
  const EngineLslot *x = a, *y = b;
  if (x->location != y->location)
    return x->location < y->location ? -1 : 1;
  return model_slot_compare(&x->slot, &y->slot);
}

gint engine_snapshot_find_lslot(const EngineSnapshot *snapshot, guint employee, ModelSlot slot) {
  gint l = snapshot->location_of_employee[employee];
  if (l < 0 || snapshot->lslots->len == 0)
    return -1;
  EngineLslot key = {(guint)l, slot, 0};
  const EngineLslot *ls = (const EngineLslot *)snapshot->lslots->data;
  const EngineLslot *at =
      bsearch(&key, ls, snapshot->lslots->len, sizeof(EngineLslot), compare_lslot);
  return at != NULL ? (gint)(at - ls) : -1;
}

/* Request slots of open requests in the round's districts still needing staff (H5,
 * H6). */
static void build_rslots(EngineSnapshot *snap, const Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  snap->rslots = g_array_new(FALSE, FALSE, sizeof(EngineRslot));
  snap->request_rs = g_new(guint, snap->n_requests + 1);
  /* A re-match of freed slots takes only the request slots a cancellation freed. */
  g_autoptr(GArray) freed = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint i = 0; snap->options.freed_only && i < snap->cancelled->len; i++) {
    const EngineCancelled *c = &g_array_index(snap->cancelled, EngineCancelled, i);
    guint64 k = make_key((guint)(c->pair >> 32), slot_key32(c->slot));
    g_array_append_val(freed, k);
  }
  sort_keys(freed);
  /* The undecided proposals this round replaces: those of the slots it matches. */
  guint kept = 0;
  for (guint i = 0; i < snap->proposed->len; i++) {
    const EngineCancelled *p = &g_array_index(snap->proposed, EngineCancelled, i);
    if (!snap->options.freed_only ||
        count_key(freed, make_key((guint)(p->pair >> 32), slot_key32(p->slot))) > 0)
      g_array_index(snap->proposed, EngineCancelled, kept++) = *p;
  }
  g_array_set_size(snap->proposed, kept);
  for (guint rank = 0; rank < snap->n_requests; rank++) {
    guint r = snap->request_order[rank];
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
    snap->request_rs[rank] = snap->rslots->len;
    if (!snap->request_matched[r])
      continue;
    gint32 staff = model_request_staff_needed(req, snap->options.children_per_staff);
    g_autoptr(GArray) slots = model_slot_rules_expand(req->slots);
    for (guint i = 0; i < slots->len; i++) {
      ModelSlot slot = g_array_index(slots, ModelSlot, i);
      if (snap->options.freed_only && count_key(freed, make_key(r, slot32(slot))) == 0)
        continue;
      gint64 need = (gint64)staff - count_key(a->by_request_slot, make_key(r, slot32(slot)));
      if (need <= 0)
        continue;
      EngineRslot rs = {r, slot, (gint32)need};
      g_array_append_val(snap->rslots, rs);
    }
  }
  snap->request_rs[snap->n_requests] = snap->rslots->len;
}

/* Free slots of active employees with vog, and their weekly room (H1, H2, H4). */
static void build_eslots(EngineSnapshot *snap, const Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  guint n = snap->n_employees;
  snap->eslots = g_array_new(FALSE, FALSE, sizeof(EngineEslot));
  snap->eweeks = g_array_new(FALSE, FALSE, sizeof(EngineEweek));
  snap->employee_es = g_new(guint, n + 1);
  snap->located = g_new0(gboolean, n + 1);
  snap->emp_lat = g_new0(double, n + 1);
  snap->emp_lon = g_new0(double, n + 1);
  snap->district_of_employee = g_new(gint, n + 1);
  snap->org_of_employee = g_new(gint, n + 1);
  for (guint rank = 0; rank < n; rank++) {
    guint e = snap->employee_order[rank];
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    snap->employee_es[rank] = snap->eslots->len;
    snap->district_of_employee[e] =
        emp->district_id != NULL ? model_dataset_find_district(ds, emp->district_id) : -1;
    snap->org_of_employee[e] = emp->organisation_id != NULL
                                   ? model_dataset_find_organisation(ds, emp->organisation_id)
                                   : -1;
    if (!emp->active || !(emp->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG)))
      continue;
    snap->located[e] = model_employee_location(ds, emp, &snap->emp_lat[e], &snap->emp_lon[e]);
    g_autoptr(GArray) slots = model_slot_rules_expand(emp->availability);
    for (guint i = 0; i < slots->len; i++) {
      ModelSlot slot = g_array_index(slots, ModelSlot, i);
      if (count_key(a->by_employee_slot, make_key(e, slot32(slot))) > 0)
        continue;
      gint32 week = model_date_iso_week(slot.date);
      EngineEweek *last = snap->eweeks->len > 0
                              ? &g_array_index(snap->eweeks, EngineEweek, snap->eweeks->len - 1)
                              : NULL;
      if (last == NULL || last->employee != e || last->week != week) {
        gint64 used = count_key(a->by_employee_week, make_key(e, (guint32)week));
        EngineEweek ew = {
            e, week, (gint32)MAX((gint64)emp->max_parts_per_week - used, (gint64)G_MININT32 / 2)};
        g_array_append_val(snap->eweeks, ew);
      }
      gint ls = engine_snapshot_find_lslot(snap, e, slot);
      EngineEslot es = {e, slot, snap->eweeks->len - 1, ls >= 0 ? (guint)ls : ENGINE_NO_LSLOT};
      g_array_append_val(snap->eslots, es);
    }
  }
  snap->employee_es[n] = snap->eslots->len;
}

/* Districts and their neighbourhood, looked up once per round instead of by string
 * for every pair. */
static void districts_init(EngineSnapshot *snap) {
  const ModelDataset *ds = snap->dataset;
  snap->district_of_school = g_new(gint, ds->schools->len + 1);
  for (guint s = 0; s < ds->schools->len; s++) {
    const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, s);
    snap->district_of_school[s] =
        sch->district_id != NULL ? model_dataset_find_district(ds, sch->district_id) : -1;
  }
  snap->adjacent = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint a = 0; a < ds->districts->len; a++) {
    const ModelDistrict *dist = &g_array_index(ds->districts, ModelDistrict, a);
    for (guint i = 0; dist->neighbours != NULL && i < dist->neighbours->len; i++) {
      gint b = model_dataset_find_district(ds, g_ptr_array_index(dist->neighbours, i));
      if (b < 0)
        continue;
      guint64 k = make_key(a, (guint32)b);
      g_array_append_val(snap->adjacent, k);
      k = make_key((guint)b, a);
      g_array_append_val(snap->adjacent, k);
    }
  }
  sort_keys(snap->adjacent);
}

static gboolean districts_adjacent(const EngineSnapshot *snap, gint a, gint b) {
  return a >= 0 && b >= 0 && count_key(snap->adjacent, make_key((guint)a, (guint32)b)) > 0;
}

EnginePair engine_snapshot_make_pair(const EngineSnapshot *snap, guint e, guint r,
                                     const ModelRequest *req, gint64 distance_m) {
  const ModelDataset *ds = snap->dataset;
  const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
  gint school = snap->school_of_request[r];
  EnginePair p = {.employee = e, .request = r, .travel_m = (gint32)distance_m};
  gint sd = snap->district_of_school[school];
  gint ed = snap->district_of_employee[e];
  gint64 cost = distance_m + ENGINE_OTHER_DISTRICT_M;
  if (ed >= 0 && ed == sd) {
    cost = distance_m;
    p.why |= ENGINE_WHY_SAME_DISTRICT;
  } else if (districts_adjacent(snap, ed, sd)) {
    cost = distance_m + ENGINE_NEIGHBOUR_M;
    p.why |= ENGINE_WHY_NEIGHBOUR;
  }
  p.preferred_met = req->preferred & emp->quals;
  ModelQualSet missing = req->preferred & ~emp->quals;
  cost += (gint64)ENGINE_PREFERRED_MISS_M * __builtin_popcountll(missing);
  if (req->preferred != 0 && missing == 0)
    p.why |= ENGINE_WHY_PREFERRED;
  if (count_key(snap->knows, make_key((guint)school, e)) > 0)
    p.why |= ENGINE_WHY_KNOWS_SCHOOL;
  else
    cost += ENGINE_UNKNOWN_SCHOOL_M;
  g_assert(cost < ENGINE_MAX_PAIR_COST_M);
  p.cost = snap->options.travel_only ? (gint32)distance_m : (gint32)cost;
  p.approved_here = (gint32)count_key(snap->approved_pairs, make_key(r, e));
  return p;
}

/* Sorts keys in place: quicksort (median of three) down to runs of 16, then insertion
 * sort; the recursion takes the smaller side, so the depth stays logarithmic. */
static void sort_u64(guint64 *k, guint n) {
  while (n > 16) {
    guint64 a = k[0], b = k[n / 2], c = k[n - 1];
    guint64 pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    guint i = 0, j = n - 1;
    while (TRUE) {
      while (k[i] < pivot)
        i++;
      while (k[j] > pivot)
        j--;
      if (i >= j)
        break;
      guint64 t = k[i];
      k[i++] = k[j];
      k[j--] = t;
    }
    /* k[0..j] <= pivot <= k[j+1..n) */
    guint left = j + 1;
    if (left < n - left) {
      sort_u64(k, left);
      k += left;
      n -= left;
    } else {
      sort_u64(k + left, n - left);
      n = left;
    }
  }
  for (guint i = 1; i < n; i++) {
    guint64 x = k[i];
    guint j = i;
    for (; j > 0 && k[j - 1] > x; j--)
      k[j] = k[j - 1];
    k[j] = x;
  }
}

static inline int slot_cmp(const ModelSlot *x, const ModelSlot *y) {
  if (x->date != y->date)
    return x->date < y->date ? -1 : 1;
  return (x->part > y->part) - (x->part < y->part);
}

/* What every thread reads: the snapshot, the schools with open requests on a grid, and
 * those requests per school. */
typedef struct {
  const EngineSnapshot *snap;
  EngineGrid grid;
  double *slat, *slon;
  guint *school_start, *school_reqs; /* school s: school_reqs[school_start[s]..[s + 1]) */
  guint8 *has_proposal;              /* per employee: in an undecided proposal */
} CandWork;

/* One thread's share: the employees of ranks [from, to), their pairs and candidates
 * (pair indices counted from the share's first pair). */
typedef struct {
  const CandWork *work;
  guint from, to;
  GArray *pairs; /* EnginePair */
  GArray *cands; /* EngineCand */
  gboolean too_large;
} CandShare;

/* Appends the candidates of pair (e, r), the share's `pair_index`th: slots both have
 * where the pair is feasible, with weekly room left.  Every slot here is one of the
 * employee's free ones.  `proposals`: the employee is in an undecided proposal (only
 * then is each candidate looked up among them). */
static gboolean merge_slots(const EngineSnapshot *snap, guint e_rank, guint r_rank,
                            guint pair_index, const ModelPairFacts *facts, gboolean proposals,
                            GArray *out) {
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineEweek *ew = (const EngineEweek *)snap->eweeks->data;
  gboolean any = FALSE;
  guint i = snap->employee_es[e_rank], iend = snap->employee_es[e_rank + 1];
  guint j = snap->request_rs[r_rank], jend = snap->request_rs[r_rank + 1];
  while (i < iend && j < jend) {
    int c = slot_cmp(&es[i].slot, &rs[j].slot);
    if (c < 0) {
      i++;
    } else if (c > 0) {
      j++;
    } else {
      ModelSlotFacts at =
          engine_snapshot_slot_facts(snap, rs[j].request, es[i].employee, es[i].slot);
      if (ew[es[i].eweek].remaining > 0 && engine_snapshot_lslot_room(snap, i) > 0 &&
          model_feasible(facts, &at) == MODEL_FEASIBLE) {
        EngineCand cand = {
            i, j, pair_index,
            proposals && engine_snapshot_proposed(snap, rs[j].request, es[i].employee, es[i].slot)};
        g_array_append_val(out, cand);
        any = TRUE;
      }
      i++;
      j++;
    }
  }
  return any;
}

/* The pairs and candidates of the employee of rank `e_rank`, appended to `share`, in
 * request id order; FALSE when the share's pairs reached ENGINE_MAX_PAIRS. */
static gboolean employee_candidates(const CandWork *w, guint e_rank, CandShare *share, GArray *near,
                                    GArray *reach) {
  const EngineSnapshot *snap = w->snap;
  const ModelDataset *ds = snap->dataset;
  guint e = snap->employee_order[e_rank];
  const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
  if (!snap->located[e] || snap->employee_es[e_rank] == snap->employee_es[e_rank + 1] ||
      engine_options_stale(&snap->options, emp))
    return TRUE; /* a stale employee keeps free slots, counted in the funnel only */
  gint64 limit = (gint64)emp->max_travel_km * 1000;
  g_array_set_size(near, 0);
  g_array_set_size(reach, 0);
  engine_grid_query(&w->grid, snap->emp_lat[e], snap->emp_lon[e], limit, near);
  for (guint k = 0; k < near->len; k++) {
    guint s = g_array_index(near, guint, k);
    gint64 d = model_distance_m(snap->emp_lat[e], snap->emp_lon[e], w->slat[s], w->slon[s]);
    if (d > limit || d > G_MAXINT32)
      continue;
    for (guint q = w->school_start[s]; q < w->school_start[s + 1]; q++) {
      guint64 rr = make_key(w->school_reqs[q], (guint32)d);
      g_array_append_val(reach, rr);
    }
  }
  /* (request rank << 32 | distance in metres): distances within a travel limit fit. */
  sort_u64((guint64 *)reach->data, reach->len);
  for (guint k = 0; k < reach->len; k++) {
    guint64 key = g_array_index(reach, guint64, k);
    guint rank = (guint)(key >> 32);
    gint64 distance_m = (gint64)(guint32)key;
    guint r = snap->request_order[rank];
    ModelPairFacts facts;
    engine_snapshot_pair_facts(snap, r, e, distance_m, &facts);
    if (model_feasible(&facts, &BEST_SLOT) != MODEL_FEASIBLE)
      continue; /* infeasible in every slot */
    if (!merge_slots(snap, e_rank, rank, share->pairs->len, &facts, w->has_proposal[e],
                     share->cands))
      continue;
    if (share->pairs->len == ENGINE_MAX_PAIRS)
      return FALSE;
    EnginePair p = engine_snapshot_make_pair(
        snap, e, r, &g_array_index(ds->requests, ModelRequest, r), distance_m);
    g_array_append_val(share->pairs, p);
  }
  return TRUE;
}

/* Builds one share; every thread runs this. */
static gpointer build_share(gpointer data) {
  CandShare *share = data;
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) reach = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint e_rank = share->from; e_rank < share->to && !share->too_large; e_rank++)
    share->too_large = !employee_candidates(share->work, e_rank, share, near, reach);
  return NULL;
}

/* The threads that find candidates, at most, and the fewest employees worth a thread of
 * their own.  Each thread takes a block of employees in rank order; the first writes
 * straight into the snapshot and the others' blocks are appended in order, so the
 * snapshot never depends on the number of threads, and while they are joined no more
 * than the other threads' blocks is held twice. */
#define CAND_THREADS_MAX 8
#define CAND_THREAD_EMPLOYEES 512

/* Appends shares[1..n) to the snapshot's pairs and candidates (shares[0]'s arrays), each
 * share's pair indices moved past the pairs before it, and frees them; FALSE when the
 * pairs are too many. */
static gboolean join_shares(EngineSnapshot *snap, CandShare *shares, guint n) {
  for (guint c = 1; c < n; c++) {
    CandShare *share = &shares[c];
    guint pair_base = snap->pairs->len, cand_base = snap->cands->len;
    if ((guint64)pair_base + share->pairs->len > ENGINE_MAX_PAIRS)
      return FALSE;
    g_array_append_vals(snap->pairs, share->pairs->data, share->pairs->len);
    g_clear_pointer(&share->pairs, g_array_unref);
    g_array_append_vals(snap->cands, share->cands->data, share->cands->len);
    g_clear_pointer(&share->cands, g_array_unref);
    EngineCand *moved = &g_array_index(snap->cands, EngineCand, cand_base);
    for (guint i = 0; i < snap->cands->len - cand_base; i++)
      moved[i].pair += pair_base;
  }
  return TRUE;
}

static gboolean build_candidates(EngineSnapshot *snap, GError **error) {
  const ModelDataset *ds = snap->dataset;
  guint n_schools = ds->schools->len;
  CandWork w = {.snap = snap};
  /* Requests with open slots per school, in request id order. */
  w.school_start = g_new0(guint, n_schools + 2);
  for (guint rank = 0; rank < snap->n_requests; rank++) {
    gint s = snap->school_of_request[snap->request_order[rank]];
    if (s >= 0 && snap->request_rs[rank + 1] > snap->request_rs[rank])
      w.school_start[s + 1]++;
  }
  for (guint s = 0; s < n_schools; s++)
    w.school_start[s + 1] += w.school_start[s];
  w.school_reqs = g_new(guint, w.school_start[n_schools] + 1);
  guint *fill = g_memdup2(w.school_start, sizeof(guint) * (n_schools + 1));
  for (guint rank = 0; rank < snap->n_requests; rank++) {
    gint s = snap->school_of_request[snap->request_order[rank]];
    if (s >= 0 && snap->request_rs[rank + 1] > snap->request_rs[rank])
      w.school_reqs[fill[s]++] = rank;
  }
  g_free(fill);
  w.slat = g_new(double, n_schools + 1);
  w.slon = g_new(double, n_schools + 1);
  gboolean *has = g_new0(gboolean, n_schools + 1);
  for (guint s = 0; s < n_schools; s++) {
    const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, s);
    w.slat[s] = sch->lat;
    w.slon[s] = sch->lon;
    has[s] = w.school_start[s + 1] > w.school_start[s];
  }
  engine_grid_init(&w.grid, w.slat, w.slon, has, n_schools);
  w.has_proposal = g_new0(guint8, snap->n_employees + 1);
  for (guint i = 0; i < snap->proposed->len; i++)
    w.has_proposal[(guint32)g_array_index(snap->proposed, EngineCancelled, i).pair] = 1;
  guint n_threads = MIN((guint)g_get_num_processors(), CAND_THREADS_MAX);
  n_threads = MAX(MIN(n_threads, snap->n_employees / CAND_THREAD_EMPLOYEES), 1);
  CandShare shares[CAND_THREADS_MAX];
  GThread *threads[CAND_THREADS_MAX];
  for (guint t = 0; t < n_threads; t++) {
    shares[t] = (CandShare){
        .work = &w,
        .from = (guint)((guint64)snap->n_employees * t / n_threads),
        .to = (guint)((guint64)snap->n_employees * (t + 1) / n_threads),
        .pairs = t == 0 ? snap->pairs : g_array_new(FALSE, FALSE, sizeof(EnginePair)),
        .cands = t == 0 ? snap->cands : g_array_new(FALSE, FALSE, sizeof(EngineCand)),
    };
    /* A thread that cannot be made (a limit on processes) leaves its share to this one. */
    if (t > 0)
      threads[t] = g_thread_try_new("candidates", build_share, &shares[t], NULL);
  }
  build_share(&shares[0]);
  gboolean ok = !shares[0].too_large;
  for (guint t = 1; t < n_threads; t++) {
    if (threads[t] != NULL)
      g_thread_join(threads[t]);
    else
      build_share(&shares[t]);
    ok = ok && !shares[t].too_large;
  }
  ok = ok && join_shares(snap, shares, n_threads);
  if (!ok)
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the dataset is too large: more than %u employee-request pairs", ENGINE_MAX_PAIRS);
  for (guint t = 1; t < n_threads; t++) {
    if (shares[t].pairs != NULL)
      g_array_unref(shares[t].pairs);
    if (shares[t].cands != NULL)
      g_array_unref(shares[t].cands);
  }
  engine_grid_clear(&w.grid);
  g_free(w.has_proposal);
  g_free(w.slat);
  g_free(w.slon);
  g_free(has);
  g_free(w.school_start);
  g_free(w.school_reqs);
  return ok;
}

gint32 engine_snapshot_lslot_room(const EngineSnapshot *snapshot, guint eslot) {
  guint ls = g_array_index(snapshot->eslots, EngineEslot, eslot).lslot;
  return ls == ENGINE_NO_LSLOT ? G_MAXINT32 : g_array_index(snapshot->lslots, EngineLslot, ls).room;
}

static guint uf_find(guint *parent, guint x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

void engine_snapshot_split(EngineSnapshot *snap) {
  guint n_ew = snap->eweeks->len, n_rs = snap->rslots->len, n_ls = snap->lslots->len;
  guint n = n_ew + n_rs + n_ls;
  guint n_cands = snap->cands->len;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  guint *parent = g_new(guint, n + 1);
  for (guint i = 0; i < n; i++)
    parent[i] = i;
  for (guint i = 0; i < n_cands; i++) {
    guint x = uf_find(parent, es[cands[i].eslot].eweek);
    guint y = uf_find(parent, n_ew + cands[i].rslot);
    if (x != y)
      parent[MAX(x, y)] = MIN(x, y);
    guint ls = es[cands[i].eslot].lslot;
    if (ls != ENGINE_NO_LSLOT) { /* H7 ties the employees of a location's day part */
      x = uf_find(parent, es[cands[i].eslot].eweek);
      y = uf_find(parent, n_ew + n_rs + ls);
      if (x != y)
        parent[MAX(x, y)] = MIN(x, y);
    }
  }
  guint *comp_of_root = g_new(guint, n + 1);
  for (guint i = 0; i < n; i++)
    comp_of_root[i] = UNSET;
  guint *comp = g_new(guint, n_cands + 1);
  guint n_comp = 0;
  for (guint i = 0; i < n_cands; i++) {
    guint root = uf_find(parent, n_ew + cands[i].rslot);
    if (comp_of_root[root] == UNSET)
      comp_of_root[root] = n_comp++;
    comp[i] = comp_of_root[root];
  }
  if (snap->comp_start != NULL)
    g_array_unref(snap->comp_start);
  snap->comp_start = g_array_sized_new(FALSE, TRUE, sizeof(guint), n_comp + 1);
  g_array_set_size(snap->comp_start, n_comp + 1);
  guint *start = (guint *)snap->comp_start->data;
  for (guint i = 0; i < n_cands; i++)
    start[comp[i] + 1]++;
  for (guint c = 0; c < n_comp; c++)
    start[c + 1] += start[c];
  GArray *sorted = g_array_sized_new(FALSE, FALSE, sizeof(EngineCand), n_cands);
  g_array_set_size(sorted, n_cands);
  guint *next = g_memdup2(start, sizeof(guint) * (n_comp + 1));
  for (guint i = 0; i < n_cands; i++)
    g_array_index(sorted, EngineCand, next[comp[i]]++) = cands[i];
  g_array_unref(snap->cands);
  snap->cands = sorted;
  g_free(next);
  g_free(comp);
  g_free(comp_of_root);
  g_free(parent);
}

/* The snapshot, with its candidates and components only when `candidates`. */
static EngineSnapshot *snapshot_build(const ModelDataset *dataset, const EngineOptions *options,
                                      gboolean candidates, GError **error) {
  g_return_val_if_fail(dataset != NULL && options != NULL, NULL);
  g_return_val_if_fail(options->children_per_staff >= 1, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  g_autoptr(EngineSnapshot) snap = g_new0(EngineSnapshot, 1);
  snap->dataset = dataset;
  snap->options = *options;
  g_return_val_if_fail(
      options->continuity_m >= 0 && options->continuity_m <= ENGINE_MAX_CONTINUITY_M, NULL);
  /* From here on the charge alone says whether there is one. */
  snap->options.continuity_m = engine_options_continuity_m(options);
  snap->options.continuity = snap->options.continuity_m > 0;
  if (options->travel_only)
    snap->options.fair = FALSE;
  snap->n_employees = dataset->employees->len;
  snap->n_requests = dataset->requests->len;
  if (snap->n_employees >= G_MAXUINT32 / 2 || snap->n_requests >= G_MAXUINT32 / 2) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID, "the dataset is too large");
    return NULL;
  }
  rank_by_id(dataset->employees, sizeof(ModelEmployee), &snap->employee_order,
             &snap->employee_rank);
  rank_by_id(dataset->requests, sizeof(ModelRequest), &snap->request_order, &snap->request_rank);
  snap->school_of_request = g_new(gint, snap->n_requests + 1);
  snap->request_matched = g_new(gboolean, snap->n_requests + 1);
  for (guint r = 0; r < snap->n_requests; r++) {
    const ModelRequest *req = &g_array_index(dataset->requests, ModelRequest, r);
    snap->school_of_request[r] =
        req->school_id != NULL ? model_dataset_find_school(dataset, req->school_id) : -1;
    snap->request_matched[r] =
        req->status == MODEL_REQUEST_OPEN && engine_options_cover_request(options, dataset, r);
  }
  Approvals a = {0};
  locate_employees(snap);
  collect_decisions(snap, &a);
  build_lslots(snap, &a);
  build_rslots(snap, &a);
  build_eslots(snap, &a);
  snap->pairs = g_array_new(FALSE, FALSE, sizeof(EnginePair));
  snap->cands = g_array_new(FALSE, FALSE, sizeof(EngineCand));
  districts_init(snap);
  snap->approved_pairs = g_steal_pointer(&a.by_pair);
  gboolean ok = !candidates || build_candidates(snap, error);
  approvals_clear(&a);
  if (!ok)
    return NULL;
  if (candidates)
    engine_snapshot_split(snap);
  return g_steal_pointer(&snap);
}

EngineSnapshot *engine_snapshot_new(const ModelDataset *dataset, const EngineOptions *options,
                                    GError **error) {
  return snapshot_build(dataset, options, TRUE, error);
}

EngineSnapshot *engine_snapshot_new_facts(const ModelDataset *dataset, const EngineOptions *options,
                                          GError **error) {
  return snapshot_build(dataset, options, FALSE, error);
}
