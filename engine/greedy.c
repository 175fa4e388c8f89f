/* greedy.c: the greedy baseline, what a coordinator does by hand: requests in dataset
 * order (as posted), cancelled ones and those outside the round's districts skipped;
 * each request's slots in order; for each staff-slot still needed after approvals, the
 * nearest feasible employee (ties by id) whose location can still lend them (H7).
 *
 * Invariant: a placement is made only when every hard constraint holds, counting the
 * dataset's approved assignments (of every district) and the placements made so far.
 * Candidates come from a latitude-band index (employees sorted by band, then
 * longitude), so a request looks only at employees inside a box that provably contains
 * its travel circle.  Statistics count only the requests filled: `approved` is the
 * approved assignments in their slots, `needed` what those slots still need after them.
 */
#include "match.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BAND_DEG 0.05                           /* about 5.6 km of latitude per band */
#define N_QUAL_SETS (1u << (MODEL_N_QUALS - 1)) /* qualification sets without vog */
G_STATIC_ASSERT(MODEL_QUAL_VOG == 0);

/* One day part an employee already works: approved before the round or placed here. */
typedef struct {
  gint64 slot;   /* model_slot_key() */
  gint32 week;   /* model_date_iso_week() */
  guint request; /* index, or G_MAXUINT when the assignment names no known request */
  gboolean approved;
} Taken;

/* An employee within reach of a request: qualified and within both travel limits. */
/* A cancelled assignment of a request: its employee never returns to that slot. */
typedef struct {
  gint64 slot; /* model_slot_key() */
  guint employee;
} Cancelled;

typedef struct {
  guint employee;
  gint64 distance_m;
  ModelPairFacts facts; /* of the pair, for model_feasible() */
} Candidate;

typedef struct {
  const ModelDataset *dataset;
  const EngineOptions *options;
  gint32 children_per_staff;
  guint n_employees;
  /* per employee */
  guint8 *eligible; /* active, vog, not stale and a known location */
  double *lat, *lon;
  GArray **avail;   /* ModelSlot, sorted; expanded on first use */
  GArray **taken;   /* Taken */
  guint8 *excluded; /* rejected for the request being filled */
  /* latitude bands: order[band_start[b] .. band_start[b+1]) sorted by longitude */
  double lat0;
  guint n_bands;
  guint *band_start;
  guint *order;
  /* per request */
  GArray **approved_slots; /* ModelSlot of approved assignments */
  GArray **rejected;       /* guint employee indices of rejected pairs */
  GArray **cancelled;      /* Cancelled of cancelled assignments */
  GHashTable *slot_counts; /* gint64* slot key -> guint32[2 * N_QUAL_SETS]; on demand */
  /* H7 */
  gint *location_of; /* per employee: location index, or -1 */
  GHashTable *room;  /* gint64* location-slot key -> gint32* staff the location can still lend */
} Greedy;

static gboolean has_vog(const ModelEmployee *employee) {
  return (employee->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG)) != 0;
}

static const ModelEmployee *employee_at(const Greedy *g, guint e) {
  return &g_array_index(g->dataset->employees, ModelEmployee, e);
}

static gint64 location_slot_key(guint location, ModelSlot slot) {
  return ((gint64)location << 32) | (gint64)(guint32)(model_slot_key(slot) + ((gint64)1 << 30));
}

/* Hash of a location_slot_key().  g_int64_hash() folds the two halves together by XOR,
 * so location l at slot s and location l ^ x at slot s ^ x collide: at national scale
 * (ten thousand locations, a few dozen day parts each) most keys share a few thousand
 * hashes and building the table took minutes.  A multiplicative hash spreads them. */
static guint location_slot_hash(gconstpointer key) {
  return (guint)((*(const guint64 *)key * G_GUINT64_CONSTANT(0x9E3779B97F4A7C15)) >> 32);
}

/* Every day part of a location with figures, with its lending; approvals subtract. */
static void build_locations(Greedy *g) {
  const ModelDataset *d = g->dataset;
  g->location_of = g_new(gint, g->n_employees + 1);
  for (guint e = 0; e < g->n_employees; e++) {
    const char *id = employee_at(g, e)->location_id;
    g->location_of[e] = id != NULL ? model_dataset_find_location(d, id) : -1;
  }
  g->room = g_hash_table_new_full(location_slot_hash, g_int64_equal, g_free, g_free);
  for (guint l = 0; l < d->locations->len; l++) {
    const ModelLocation *location = &g_array_index(d->locations, ModelLocation, l);
    g_autoptr(GArray) slots = model_location_slots(location, g->children_per_staff);
    for (guint i = 0; i < slots->len; i++) {
      const ModelLocationSlot *ls = &g_array_index(slots, ModelLocationSlot, i);
      gint64 key = location_slot_key(l, ls->slot);
      g_hash_table_insert(g->room, g_memdup2(&key, sizeof key),
                          g_memdup2(&ls->lendable, sizeof ls->lendable));
    }
  }
}

/* The room of employee `e`'s location in `slot`, or NULL when H7 does not limit it. */
static gint32 *location_room(const Greedy *g, guint e, ModelSlot slot) {
  if (g->location_of[e] < 0)
    return NULL;
  gint64 key = location_slot_key((guint)g->location_of[e], slot);
  return g_hash_table_lookup(g->room, &key);
}

static gboolean location_can_lend(const Greedy *g, guint e, ModelSlot slot) {
  const gint32 *room = location_room(g, e, slot);
  return room == NULL || *room > 0;
}

static guint band_of(const Greedy *g, double lat) {
  double b = floor((lat - g->lat0) / BAND_DEG);
  if (b < 0)
    return 0;
  return b >= g->n_bands ? g->n_bands - 1 : (guint)b;
}

static int order_compare(const void *a, const void *b, void *data) {
  const Greedy *g = data;
  guint ea = *(const guint *)a, eb = *(const guint *)b;
  guint ba = band_of(g, g->lat[ea]), bb = band_of(g, g->lat[eb]);
  if (ba != bb)
    return ba < bb ? -1 : 1;
  if (g->lon[ea] != g->lon[eb])
    return g->lon[ea] < g->lon[eb] ? -1 : 1;
  return ea < eb ? -1 : ea > eb;
}

/* Per-employee state and the band index over eligible employees. */
static void build_employees(Greedy *g) {
  guint n = g->n_employees;
  g->eligible = g_new0(guint8, n);
  g->lat = g_new0(double, n);
  g->lon = g_new0(double, n);
  g->avail = g_new0(GArray *, n);
  g->taken = g_new0(GArray *, n);
  g->excluded = g_new0(guint8, n);
  guint n_eligible = 0;
  double lat_min = 0, lat_max = 0;
  for (guint e = 0; e < n; e++) {
    const ModelEmployee *employee = employee_at(g, e);
    double lat, lon;
    if (!employee->active || !has_vog(employee) || engine_options_stale(g->options, employee) ||
        !model_employee_location(g->dataset, employee, &lat, &lon) || !isfinite(lat) ||
        !isfinite(lon))
      continue;
    g->eligible[e] = 1;
    g->lat[e] = lat;
    g->lon[e] = lon;
    lat_min = n_eligible == 0 ? lat : MIN(lat_min, lat);
    lat_max = n_eligible == 0 ? lat : MAX(lat_max, lat);
    n_eligible++;
  }
  g->lat0 = lat_min;
  g->n_bands = (guint)floor((lat_max - lat_min) / BAND_DEG) + 1;
  g->order = g_new(guint, MAX(n_eligible, 1));
  guint k = 0;
  for (guint e = 0; e < n; e++)
    if (g->eligible[e])
      g->order[k++] = e;
  g_qsort_with_data(g->order, (gint)n_eligible, sizeof(guint), order_compare, g);
  g->band_start = g_new0(guint, g->n_bands + 1);
  for (guint i = 0; i < n_eligible; i++)
    g->band_start[band_of(g, g->lat[g->order[i]]) + 1]++;
  for (guint b = 0; b < g->n_bands; b++)
    g->band_start[b + 1] += g->band_start[b];
}

static void take(Greedy *g, guint e, ModelSlot slot, guint request, gboolean approved) {
  gint32 *room = location_room(g, e, slot);
  if (room != NULL)
    (*room)--;
  if (g->taken[e] == NULL)
    g->taken[e] = g_array_new(FALSE, FALSE, sizeof(Taken));
  Taken t = {model_slot_key(slot), model_date_iso_week(slot.date), request, approved};
  g_array_append_val(g->taken[e], t);
}

/* Approved assignments occupy their employee's slot and week; rejected ones exclude
 * their pair, cancelled ones their employee from that request slot.  Assignments that
 * name no known employee or request are ignored. */
static void load_assignments(Greedy *g) {
  const ModelDataset *d = g->dataset;
  g->approved_slots = g_new0(GArray *, d->requests->len);
  g->rejected = g_new0(GArray *, d->requests->len);
  g->cancelled = g_new0(GArray *, d->requests->len);
  for (guint i = 0; i < d->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(d->assignments, ModelAssignment, i);
    if (a->status == MODEL_ASSIGNMENT_PROPOSED)
      continue;
    gint r = a->request_id ? model_dataset_find_request(d, a->request_id) : -1;
    gint e = a->employee_id ? model_dataset_find_employee(d, a->employee_id) : -1;
    if (a->status == MODEL_ASSIGNMENT_CANCELLED) {
      if (r < 0 || e < 0)
        continue;
      if (g->cancelled[r] == NULL)
        g->cancelled[r] = g_array_new(FALSE, FALSE, sizeof(Cancelled));
      Cancelled c = {model_slot_key(a->slot), (guint)e};
      g_array_append_val(g->cancelled[r], c);
      continue;
    }
    if (a->status == MODEL_ASSIGNMENT_REJECTED) {
      if (r < 0 || e < 0)
        continue;
      if (g->rejected[r] == NULL)
        g->rejected[r] = g_array_new(FALSE, FALSE, sizeof(guint));
      guint eu = (guint)e;
      g_array_append_val(g->rejected[r], eu);
      continue;
    }
    if (e >= 0)
      take(g, (guint)e, a->slot, r >= 0 ? (guint)r : G_MAXUINT, TRUE);
    if (r >= 0) {
      if (g->approved_slots[r] == NULL)
        g->approved_slots[r] = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
      g_array_append_val(g->approved_slots[r], a->slot);
    }
  }
}

static const GArray *availability(Greedy *g, guint e) {
  if (g->avail[e] == NULL)
    g->avail[e] = model_slot_rules_expand(employee_at(g, e)->availability);
  return g->avail[e];
}

static gboolean is_available(Greedy *g, guint e, ModelSlot slot) {
  const GArray *slots = availability(g, e);
  return bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL;
}

/* The facts of employee `e` in `slot` of request `r` for model_feasible(). */
static ModelSlotFacts slot_facts(Greedy *g, guint r, guint e, ModelSlot slot) {
  ModelSlotFacts facts = {.available = is_available(g, e, slot), .cancelled = FALSE};
  gint64 key = model_slot_key(slot);
  for (guint i = 0; g->cancelled[r] != NULL && i < g->cancelled[r]->len; i++) {
    const Cancelled *c = &g_array_index(g->cancelled[r], Cancelled, i);
    if (c->slot == key && c->employee == e)
      facts.cancelled = TRUE;
  }
  return facts;
}

/* The day part employee `e` already works in `slot`, or NULL. */
static const Taken *slot_entry(const Greedy *g, guint e, gint64 slot) {
  const GArray *taken = g->taken[e];
  for (guint i = 0; taken && i < taken->len; i++)
    if (g_array_index(taken, Taken, i).slot == slot)
      return &g_array_index(taken, Taken, i);
  return NULL;
}

static gboolean at_week_max(const Greedy *g, guint e, gint32 week) {
  const GArray *taken = g->taken[e];
  gint32 parts = 0;
  for (guint i = 0; taken && i < taken->len; i++)
    if (g_array_index(taken, Taken, i).week == week)
      parts++;
  return parts >= employee_at(g, e)->max_parts_per_week;
}

static int candidate_compare(const void *a, const void *b, void *data) {
  const Greedy *g = data;
  const Candidate *ca = a, *cb = b;
  if (ca->distance_m != cb->distance_m)
    return ca->distance_m < cb->distance_m ? -1 : 1;
  return strcmp(employee_at(g, ca->employee)->id, employee_at(g, cb->employee)->id);
}

/* Every eligible employee holding the required qualifications within both travel
 * limits of `request`'s school at (lat, lon), nearest first, ties by id, with the pair's
 * facts (rejections marked in g->excluded).  The band box contains the whole travel
 * circle: latitude moves at most r along an arc of length r, and on an arc that stays
 * within latitude phi_max longitude moves at most r / cos(phi_max). */
static GArray *candidates(Greedy *g, double lat, double lon, const ModelRequest *request) {
  gint32 request_km = request->max_travel_km;
  GArray *out = g_array_new(FALSE, FALSE, sizeof(Candidate));
  guint n_eligible = g->band_start[g->n_bands];
  if (n_eligible == 0 || request_km < 0)
    return out;
  double dlat = ((double)request_km * 1000.0 + 2.0) / MODEL_EARTH_RADIUS_M * (180.0 / G_PI) + 1e-9;
  double lat_lo = lat - dlat, lat_hi = lat + dlat;
  if (lat_hi < g->lat0)
    return out;
  guint b_lo = band_of(g, lat_lo), b_hi = band_of(g, lat_hi);
  double phi_max = MAX(fabs(lat_lo), fabs(lat_hi));
  gboolean all_lon = phi_max >= 89.0;
  double dlon = all_lon ? 360.0 : dlat / cos(phi_max * (G_PI / 180.0)) + 1e-9;
  double lon_lo = lon - dlon, lon_hi = lon + dlon;
  if (lon_lo < -180.0 || lon_hi > 180.0)
    all_lon = TRUE; /* the box wraps around the antimeridian: scan whole bands */
  for (guint b = b_lo; b <= b_hi; b++) {
    guint lo = g->band_start[b], hi = g->band_start[b + 1];
    if (!all_lon) { /* first index with longitude >= lon_lo */
      guint end = hi;
      while (lo < end) {
        guint mid = lo + (end - lo) / 2;
        if (g->lon[g->order[mid]] < lon_lo)
          lo = mid + 1;
        else
          end = mid;
      }
    }
    for (guint i = lo; i < hi; i++) {
      guint e = g->order[i];
      if (!all_lon && g->lon[e] > lon_hi)
        break;
      const ModelEmployee *employee = employee_at(g, e);
      Candidate c = {e, model_distance_m(g->lat[e], g->lon[e], lat, lon), {0}};
      c.facts = (ModelPairFacts){
          .active = employee->active,
          .quals = employee->quals,
          .required = request->required,
          .employee_km = employee->max_travel_km,
          .request_km = request_km,
          .distance_m = c.distance_m,
          .rejected = g->excluded[e] != 0,
          .request_cancelled = request->status == MODEL_REQUEST_CANCELLED,
      };
      static const ModelSlotFacts free_slot = {.available = TRUE, .cancelled = FALSE};
      ModelFeasibility f = model_feasible(&c.facts, &free_slot);
      if (f == MODEL_INFEASIBLE_UNQUALIFIED || f == MODEL_INFEASIBLE_TOO_FAR)
        continue;
      g_array_append_val(out, c);
    }
  }
  g_array_sort_with_data(out, candidate_compare, g);
  return out;
}

/* Active employees with vog available in `slot`, counted per qualification set
 * (without vog), confirmed ones first and stale ones after them, over the whole
 * dataset.  Built once, the first time a slot stays open. */
static const guint32 *slot_counts(Greedy *g, ModelSlot slot) {
  if (g->slot_counts == NULL) {
    g->slot_counts = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    for (guint e = 0; e < g->n_employees; e++) {
      const ModelEmployee *employee = employee_at(g, e);
      if (!employee->active || !has_vog(employee))
        continue;
      const GArray *slots = availability(g, e);
      guint set = ((employee->quals >> 1) & (N_QUAL_SETS - 1)) +
                  (engine_options_stale(g->options, employee) ? N_QUAL_SETS : 0);
      for (guint i = 0; i < slots->len; i++) {
        gint64 key = model_slot_key(g_array_index(slots, ModelSlot, i));
        guint32 *counts = g_hash_table_lookup(g->slot_counts, &key);
        if (counts == NULL) {
          counts = g_new0(guint32, 2 * N_QUAL_SETS);
          g_hash_table_insert(g->slot_counts, g_memdup2(&key, sizeof key), counts);
        }
        counts[set]++;
      }
    }
  }
  gint64 key = model_slot_key(slot);
  return g_hash_table_lookup(g->slot_counts, &key);
}

static int guint_compare(gconstpointer a, gconstpointer b) {
  guint x = *(const guint *)a, y = *(const guint *)b;
  return x < y ? -1 : x > y;
}

/* The funnel of a staff-slot left open: counts narrowing from everyone available to
 * those left for it (the ones this round placed there: any other free one would have
 * been taken), and the requests holding the in-range, not rejected candidates in
 * that slot or, for those at their weekly maximum, in that week. */
static void explain(Greedy *g, const GArray *cands, const ModelRequest *request,
                    EngineUnfilled *u) {
  const guint32 *counts = slot_counts(g, u->slot);
  guint req_set = (request->required >> 1) & (N_QUAL_SETS - 1);
  for (guint s = 0; counts && s < N_QUAL_SETS; s++) {
    u->available += counts[s] + counts[N_QUAL_SETS + s];
    u->confirmed += counts[s];
    if ((s & req_set) == req_set)
      u->qualified += counts[s];
  }
  gint64 slot = model_slot_key(u->slot);
  gint32 week = model_date_iso_week(u->slot.date);
  for (guint i = 0; i < cands->len; i++) {
    const Candidate *cand = &g_array_index(cands, Candidate, i);
    guint e = cand->employee;
    ModelSlotFacts at = slot_facts(g, u->request, e, u->slot);
    ModelFeasibility f = model_feasible(&cand->facts, &at);
    if (f == MODEL_INFEASIBLE_UNAVAILABLE)
      continue;
    u->in_range++;
    if (f == MODEL_INFEASIBLE_REJECTED)
      continue;
    u->not_rejected++;
    if (f == MODEL_INFEASIBLE_CANCELLED)
      continue;
    u->not_cancelled++;
    const Taken *here = slot_entry(g, e, slot);
    if (here != NULL && here->request == u->request) {
      if (!here->approved) { /* placed here by this round */
        u->left++;
        u->lendable++;
      }
      continue;
    }
    gboolean busy = here != NULL;
    if (!busy && !at_week_max(g, e, week)) {
      u->left++;
      u->lendable += location_can_lend(g, e, u->slot);
      continue;
    }
    for (guint t = 0; g->taken[e] && t < g->taken[e]->len; t++) {
      const Taken *taken = &g_array_index(g->taken[e], Taken, t);
      if ((busy ? taken->slot == slot : taken->week == week) && taken->request != G_MAXUINT)
        g_array_append_val(u->taken_by, taken->request);
    }
  }
  g_array_sort(u->taken_by, guint_compare);
  guint unique = 0;
  for (guint i = 0; i < u->taken_by->len; i++)
    if (unique == 0 ||
        g_array_index(u->taken_by, guint, unique - 1) != g_array_index(u->taken_by, guint, i))
      g_array_index(u->taken_by, guint, unique++) = g_array_index(u->taken_by, guint, i);
  g_array_set_size(u->taken_by, unique);
}

static gboolean in_district_list(const ModelDataset *d, const char *district_id,
                                 const char *other_id) {
  gint i = district_id ? model_dataset_find_district(d, district_id) : -1;
  if (i < 0 || other_id == NULL)
    return FALSE;
  const GPtrArray *neighbours = g_array_index(d->districts, ModelDistrict, i).neighbours;
  for (guint k = 0; neighbours && k < neighbours->len; k++)
    if (g_strcmp0(g_ptr_array_index(neighbours, k), other_id) == 0)
      return TRUE;
  return FALSE;
}

/* Why bits that depend only on the employee and the school (not on continuity). */
static guint32 why(const Greedy *g, guint e, const ModelRequest *request,
                   const ModelSchool *school) {
  const ModelEmployee *employee = employee_at(g, e);
  guint32 bits = 0;
  if (employee->district_id && school->district_id &&
      strcmp(employee->district_id, school->district_id) == 0)
    bits |= ENGINE_WHY_SAME_DISTRICT;
  else if (in_district_list(g->dataset, school->district_id, employee->district_id) ||
           in_district_list(g->dataset, employee->district_id, school->district_id))
    bits |= ENGINE_WHY_NEIGHBOUR;
  if (request->preferred != 0 && (employee->quals & request->preferred) == request->preferred)
    bits |= ENGINE_WHY_PREFERRED;
  const GArray *taken = g->taken[e];
  for (guint i = 0; taken && i < taken->len; i++) {
    const Taken *t = &g_array_index(taken, Taken, i);
    if (!t->approved || t->request == G_MAXUINT)
      continue;
    const ModelRequest *other = &g_array_index(g->dataset->requests, ModelRequest, t->request);
    if (g_strcmp0(other->school_id, request->school_id) == 0) {
      bits |= ENGINE_WHY_KNOWS_SCHOOL;
      break;
    }
  }
  return bits;
}

static guint approved_in(const Greedy *g, guint r, ModelSlot slot) {
  const GArray *slots = g->approved_slots[r];
  guint n = 0;
  for (guint i = 0; slots && i < slots->len; i++)
    if (model_slot_compare(&g_array_index(slots, ModelSlot, i), &slot) == 0)
      n++;
  return n;
}

/* Marks continuity on the proposals [start, end) of one request and returns how many
 * distinct employees they name. */
static guint mark_continuity(GArray *proposals, guint start) {
  g_autoptr(GHashTable) counts = g_hash_table_new(g_direct_hash, g_direct_equal);
  for (guint i = start; i < proposals->len; i++) {
    gpointer key = GUINT_TO_POINTER(g_array_index(proposals, EngineProposal, i).employee + 1);
    g_hash_table_insert(counts, key,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(counts, key)) + 1));
  }
  for (guint i = start; i < proposals->len; i++) {
    EngineProposal *p = &g_array_index(proposals, EngineProposal, i);
    if (GPOINTER_TO_UINT(g_hash_table_lookup(counts, GUINT_TO_POINTER(p->employee + 1))) > 1)
      p->why |= ENGINE_WHY_CONTINUITY;
  }
  return g_hash_table_size(counts);
}

/* Fills request `r`'s slots in order, appending proposals and unfilled entries. */
static void fill_request(Greedy *g, guint r, EngineResult *result, guint *distinct) {
  const ModelDataset *d = g->dataset;
  const ModelRequest *request = &g_array_index(d->requests, ModelRequest, r);
  guint priority = MIN((guint)request->priority, MODEL_N_PRIORITIES - 1);
  gint school_index = request->school_id ? model_dataset_find_school(d, request->school_id) : -1;
  const ModelSchool *school =
      school_index >= 0 ? &g_array_index(d->schools, ModelSchool, school_index) : NULL;
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  for (guint i = 0; g->rejected[r] && i < g->rejected[r]->len; i++)
    g->excluded[g_array_index(g->rejected[r], guint, i)] = 1;
  g_autoptr(GArray) cands = school ? candidates(g, school->lat, school->lon, request)
                                   : g_array_new(FALSE, FALSE, sizeof(Candidate));

  guint start = result->proposals->len;
  gint32 staff = model_request_staff_needed(request, g->children_per_staff);
  for (guint s = 0; s < slots->len; s++) {
    ModelSlot slot = g_array_index(slots, ModelSlot, s);
    guint approved = approved_in(g, r, slot);
    result->stats.approved += approved;
    gint32 need = staff - (gint32)MIN(approved, (guint)G_MAXINT32);
    if (need <= 0)
      continue;
    result->stats.needed += need;
    result->stats.needed_by_priority[priority] += need;
    gint64 key = model_slot_key(slot);
    gint32 week = model_date_iso_week(slot.date);
    gint32 filled = 0;
    for (guint c = 0; c < cands->len && filled < need; c++) {
      const Candidate *cand = &g_array_index(cands, Candidate, c);
      guint e = cand->employee;
      ModelSlotFacts at = slot_facts(g, r, e, slot);
      if (model_feasible(&cand->facts, &at) != MODEL_FEASIBLE || slot_entry(g, e, key) != NULL ||
          at_week_max(g, e, week) || !location_can_lend(g, e, slot))
        continue;
      EngineProposal p = {
          .request = r,
          .employee = e,
          .slot = slot,
          .travel_m = cand->distance_m,
          .preferred_met = employee_at(g, e)->quals & request->preferred,
          .why = why(g, e, request, school),
      };
      g_array_append_val(result->proposals, p);
      take(g, e, slot, r, FALSE);
      filled++;
      if (__builtin_add_overflow(result->stats.total_travel_m, cand->distance_m,
                                 &result->stats.total_travel_m))
        result->stats.total_travel_m = G_MAXINT64;
    }
    result->stats.filled += filled;
    result->stats.filled_by_priority[priority] += filled;
    if (filled < need) {
      EngineUnfilled u = {.request = r, .slot = slot, .needed = need, .missing = need - filled};
      u.taken_by = g_array_new(FALSE, FALSE, sizeof(guint));
      explain(g, cands, request, &u);
      g_array_append_val(result->unfilled, u);
    }
  }
  if (result->proposals->len > start)
    *distinct = mark_continuity(result->proposals, start);
  for (guint i = 0; g->rejected[r] && i < g->rejected[r]->len; i++)
    g->excluded[g_array_index(g->rejected[r], guint, i)] = 0;
}

static int proposal_compare(gconstpointer a, gconstpointer b, gpointer data) {
  const ModelDataset *d = data;
  const EngineProposal *pa = a, *pb = b;
  int c = strcmp(g_array_index(d->requests, ModelRequest, pa->request).id,
                 g_array_index(d->requests, ModelRequest, pb->request).id);
  if (c == 0)
    c = model_slot_compare(&pa->slot, &pb->slot);
  if (c == 0)
    c = strcmp(g_array_index(d->employees, ModelEmployee, pa->employee).id,
               g_array_index(d->employees, ModelEmployee, pb->employee).id);
  return c;
}

static int unfilled_compare(gconstpointer a, gconstpointer b, gpointer data) {
  const ModelDataset *d = data;
  const EngineUnfilled *ua = a, *ub = b;
  int c = strcmp(g_array_index(d->requests, ModelRequest, ua->request).id,
                 g_array_index(d->requests, ModelRequest, ub->request).id);
  return c != 0 ? c : model_slot_compare(&ua->slot, &ub->slot);
}

static void greedy_clear(Greedy *g) {
  for (guint e = 0; e < g->n_employees; e++) {
    if (g->avail[e])
      g_array_unref(g->avail[e]);
    if (g->taken[e])
      g_array_unref(g->taken[e]);
  }
  for (guint r = 0; r < g->dataset->requests->len; r++) {
    if (g->approved_slots[r])
      g_array_unref(g->approved_slots[r]);
    if (g->rejected[r])
      g_array_unref(g->rejected[r]);
    if (g->cancelled[r])
      g_array_unref(g->cancelled[r]);
  }
  g_free(g->eligible);
  g_free(g->lat);
  g_free(g->lon);
  g_free(g->avail);
  g_free(g->taken);
  g_free(g->excluded);
  g_free(g->band_start);
  g_free(g->order);
  g_free(g->approved_slots);
  g_free(g->rejected);
  g_free(g->cancelled);
  if (g->slot_counts)
    g_hash_table_unref(g->slot_counts);
  g_free(g->location_of);
  g_hash_table_unref(g->room);
}

EngineResult *engine_greedy_run(const ModelDataset *dataset, const EngineOptions *options) {
  g_return_val_if_fail(dataset != NULL, NULL);
  gint64 t0 = g_get_monotonic_time();
  EngineOptions defaults;
  engine_options_init(&defaults);
  if (options == NULL)
    options = &defaults;
  Greedy g = {
      .dataset = dataset,
      .options = options,
      .children_per_staff = options->children_per_staff,
      .n_employees = dataset->employees->len,
  };
  if (g.children_per_staff < 1)
    g.children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;
  build_employees(&g);
  build_locations(&g);
  load_assignments(&g);

  EngineResult *result = g_new0(EngineResult, 1);
  result->proposals = g_array_new(FALSE, FALSE, sizeof(EngineProposal));
  result->unfilled = g_array_new(FALSE, FALSE, sizeof(EngineUnfilled));
  gint64 t1 = g_get_monotonic_time();
  guint with_proposals = 0;
  guint64 distinct_sum = 0;
  for (guint r = 0; r < dataset->requests->len; r++) {
    if (g_array_index(dataset->requests, ModelRequest, r).status != MODEL_REQUEST_OPEN ||
        !engine_options_cover_request(options, dataset, r))
      continue;
    guint distinct = 0;
    fill_request(&g, r, result, &distinct);
    if (distinct > 0) {
      with_proposals++;
      distinct_sum += distinct;
    }
  }
  greedy_clear(&g);

  g_array_sort_with_data(result->proposals, proposal_compare, (gpointer)dataset);
  g_array_sort_with_data(result->unfilled, unfilled_compare, (gpointer)dataset);
  EngineStats *stats = &result->stats;
  stats->confirmed_since = options->confirmed_since;
  stats->mean_travel_km =
      stats->filled > 0 ? (double)stats->total_travel_m / 1000.0 / (double)stats->filled : 0.0;
  stats->employees_per_request =
      with_proposals > 0 ? (double)distinct_sum / (double)with_proposals : 0.0;
  stats->build_us = t1 - t0;
  stats->solve_us = g_get_monotonic_time() - t1;
  return result;
}
