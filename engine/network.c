/* network.c: from a dataset to a round's snapshot (request slots still needing staff,
 * employees' free slots and weekly room, feasible pairs found through a spatial grid,
 * candidate arcs grouped into independent components) and from a run of candidates to
 * its flow network.  Invariants: every candidate satisfies H1-H3, H6 and leaves room
 * for H4/H5 in the network; entities are visited in id order, so nothing depends on
 * the order of the dataset's arrays.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define GRID_CELL_DEG 0.1
#define EARTH_RADIUS_M 6371008.8
#define UNSET G_MAXUINT
#define NO_NODE (G_MAXUINT - 1)

/* ---- sorted guint64 key sets ------------------------------------------- */

static int compare_u64(const void *a, const void *b) {
  guint64 x = *(const guint64 *)a, y = *(const guint64 *)b;
  return (x > y) - (x < y);
}

static guint64 make_key(guint high, guint32 low) {
  return ((guint64)high << 32) | low;
}

/* A slot as an unsigned 32-bit number preserving order. */
static guint32 slot32(ModelSlot slot) {
  return (guint32)(model_slot_key(slot) + ((gint64)1 << 30));
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

/* ---- spatial grid ------------------------------------------------------ */

static gint64 cell_coord(double degrees) {
  return (gint64)floor(degrees / GRID_CELL_DEG);
}

static gint64 cell_key(gint64 ilat, gint64 ilon) {
  return (ilat + 1000000) * 4000000 + (ilon + 2000000);
}

typedef struct {
  gint64 key;
  guint point;
} GridEntry;

static int compare_grid_entry(const void *a, const void *b) {
  const GridEntry *x = a, *y = b;
  if (x->key != y->key)
    return (x->key > y->key) - (x->key < y->key);
  return (x->point > y->point) - (x->point < y->point);
}

void engine_grid_init(EngineGrid *grid, const double *lat, const double *lon,
                      const gboolean *include, guint n) {
  memset(grid, 0, sizeof *grid);
  grid->lat = lat;
  grid->lon = lon;
  GridEntry *entries = g_new(GridEntry, n + 1);
  guint m = 0;
  for (guint i = 0; i < n; i++) {
    if (include != NULL && !include[i])
      continue;
    entries[m].key = cell_key(cell_coord(lat[i]), cell_coord(lon[i]));
    entries[m].point = i;
    m++;
  }
  qsort(entries, m, sizeof *entries, compare_grid_entry);
  grid->n_points = m;
  grid->items = g_new(guint, m + 1);
  grid->cell_keys = g_new(gint64, m + 1);
  grid->cell_start = g_new(guint, m + 2);
  for (guint i = 0; i < m; i++) {
    grid->items[i] = entries[i].point;
    if (i == 0 || entries[i].key != entries[i - 1].key) {
      grid->cell_keys[grid->n_cells] = entries[i].key;
      grid->cell_start[grid->n_cells] = i;
      grid->n_cells++;
    }
  }
  grid->cell_start[grid->n_cells] = m;
  g_free(entries);
}

void engine_grid_clear(EngineGrid *grid) {
  g_clear_pointer(&grid->cell_keys, g_free);
  g_clear_pointer(&grid->cell_start, g_free);
  g_clear_pointer(&grid->items, g_free);
  grid->n_cells = grid->n_points = 0;
}

/* First cell with key >= `key`. */
static guint grid_lower_bound(const EngineGrid *grid, gint64 key) {
  guint lo = 0, hi = grid->n_cells;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (grid->cell_keys[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The search box is exact for the haversine formula: a point further than dlat in
 * latitude or, within the band's largest |latitude| phi, further than
 * 2 asin(sin(r / 2R) / cos phi) in longitude is further than r away.  Near a pole or
 * across the date line every point is returned.  Cells of one latitude row have
 * consecutive keys, so a row is one binary search and a walk; points of those cells
 * outside the box are dropped. */
void engine_grid_query(const EngineGrid *grid, double lat, double lon, gint64 radius_m,
                       GArray *out) {
  double r = ((double)radius_m + 1.0) / EARTH_RADIUS_M; /* +1: distances are rounded */
  double dlat = r * 180.0 / G_PI + 1e-9;
  double max_abs = MAX(fabs(lat - dlat), fabs(lat + dlat));
  double s = sin(r / 2.0) / cos(max_abs * G_PI / 180.0);
  gboolean all = max_abs >= 89.0 || s >= 1.0;
  double dlon = 0;
  if (!all) {
    dlon = 2.0 * asin(s) * 180.0 / G_PI + 1e-9;
    all = lon - dlon < -180.0 || lon + dlon > 180.0;
  }
  if (all) {
    g_array_append_vals(out, grid->items, grid->n_points);
    return;
  }
  gint64 lat0 = cell_coord(lat - dlat), lat1 = cell_coord(lat + dlat);
  gint64 lon0 = cell_coord(lon - dlon), lon1 = cell_coord(lon + dlon);
  for (gint64 i = lat0; i <= lat1; i++) {
    gint64 last = cell_key(i, lon1);
    for (guint c = grid_lower_bound(grid, cell_key(i, lon0));
         c < grid->n_cells && grid->cell_keys[c] <= last; c++) {
      for (guint k = grid->cell_start[c]; k < grid->cell_start[c + 1]; k++) {
        guint p = grid->items[k];
        if (fabs(grid->lat[p] - lat) <= dlat && fabs(grid->lon[p] - lon) <= dlon)
          g_array_append_val(out, p);
      }
    }
  }
}

/* ---- snapshot ---------------------------------------------------------- */

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
  g_free(snapshot->located);
  g_free(snapshot->emp_lat);
  g_free(snapshot->emp_lon);
  g_free(snapshot->district_of_employee);
  g_free(snapshot->school_of_request);
  g_free(snapshot->request_matched);
  g_clear_pointer(&snapshot->rejected, g_array_unref);
  g_clear_pointer(&snapshot->knows, g_array_unref);
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

/* Approved assignments as sorted key sets. */
typedef struct {
  GArray *by_request_slot;  /* request << 32 | slot */
  GArray *by_employee_slot; /* employee << 32 | slot */
  GArray *by_employee_week; /* employee << 32 | week */
  GArray *by_pair;          /* request << 32 | employee */
} Approvals;

static void approvals_clear(Approvals *a) {
  g_clear_pointer(&a->by_request_slot, g_array_unref);
  g_clear_pointer(&a->by_employee_slot, g_array_unref);
  g_clear_pointer(&a->by_employee_week, g_array_unref);
  g_clear_pointer(&a->by_pair, g_array_unref);
}

static void collect_decisions(EngineSnapshot *snap, Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  a->by_request_slot = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_employee_slot = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_employee_week = g_array_new(FALSE, FALSE, sizeof(guint64));
  a->by_pair = g_array_new(FALSE, FALSE, sizeof(guint64));
  snap->rejected = g_array_new(FALSE, FALSE, sizeof(guint64));
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
    gint school = snap->school_of_request[r];
    if (school >= 0) {
      k = make_key((guint)school, (guint)e);
      g_array_append_val(snap->knows, k);
    }
  }
  sort_keys(snap->rejected);
  sort_keys(snap->knows);
  sort_keys(a->by_request_slot);
  sort_keys(a->by_employee_slot);
  sort_keys(a->by_employee_week);
  sort_keys(a->by_pair);
}

/* Request slots of open requests in the round's districts still needing staff (H5,
 * H6). */
static void build_rslots(EngineSnapshot *snap, const Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  snap->rslots = g_array_new(FALSE, FALSE, sizeof(EngineRslot));
  snap->request_rs = g_new(guint, snap->n_requests + 1);
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
  for (guint rank = 0; rank < n; rank++) {
    guint e = snap->employee_order[rank];
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    snap->employee_es[rank] = snap->eslots->len;
    snap->district_of_employee[e] =
        emp->district_id != NULL ? model_dataset_find_district(ds, emp->district_id) : -1;
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
      EngineEslot es = {e, slot, snap->eweeks->len - 1};
      g_array_append_val(snap->eslots, es);
    }
  }
  snap->employee_es[n] = snap->eslots->len;
}

/* Districts and their neighbourhood, looked up once per round instead of by string
 * for every pair. */
typedef struct {
  gint *of_school;  /* district index per school, or -1 */
  GArray *adjacent; /* guint64 (a << 32 | b) for neighbours a, b (both orders), sorted */
} Districts;

static void districts_init(Districts *d, const ModelDataset *ds) {
  d->of_school = g_new(gint, ds->schools->len + 1);
  for (guint s = 0; s < ds->schools->len; s++) {
    const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, s);
    d->of_school[s] =
        sch->district_id != NULL ? model_dataset_find_district(ds, sch->district_id) : -1;
  }
  d->adjacent = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint a = 0; a < ds->districts->len; a++) {
    const ModelDistrict *dist = &g_array_index(ds->districts, ModelDistrict, a);
    for (guint i = 0; dist->neighbours != NULL && i < dist->neighbours->len; i++) {
      gint b = model_dataset_find_district(ds, g_ptr_array_index(dist->neighbours, i));
      if (b < 0)
        continue;
      guint64 k = make_key(a, (guint32)b);
      g_array_append_val(d->adjacent, k);
      k = make_key((guint)b, a);
      g_array_append_val(d->adjacent, k);
    }
  }
  sort_keys(d->adjacent);
}

static void districts_clear(Districts *d) {
  g_clear_pointer(&d->of_school, g_free);
  g_clear_pointer(&d->adjacent, g_array_unref);
}

static gboolean districts_adjacent(const Districts *d, gint a, gint b) {
  return a >= 0 && b >= 0 && count_key(d->adjacent, make_key((guint)a, (guint32)b)) > 0;
}

static EnginePair make_pair(const EngineSnapshot *snap, const Approvals *a, const Districts *dist,
                            guint e, guint r, gint64 distance_m) {
  const ModelDataset *ds = snap->dataset;
  const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
  gint school = snap->school_of_request[r];
  EnginePair p = {.employee = e, .request = r, .travel_m = (gint32)distance_m};
  gint sd = dist->of_school[school];
  gint ed = snap->district_of_employee[e];
  gint32 district_cost = ENGINE_OTHER_DISTRICT_COST;
  if (ed >= 0 && ed == sd) {
    district_cost = 0;
    p.why |= ENGINE_WHY_SAME_DISTRICT;
  } else if (districts_adjacent(dist, ed, sd)) {
    district_cost = ENGINE_NEIGHBOUR_COST;
    p.why |= ENGINE_WHY_NEIGHBOUR;
  }
  p.tier2 =
      district_cost + (gint32)((distance_m + ENGINE_TRAVEL_UNIT_M / 2) / ENGINE_TRAVEL_UNIT_M);
  p.preferred_met = req->preferred & emp->quals;
  ModelQualSet missing = req->preferred & ~emp->quals;
  p.tier3 = ENGINE_PREFERRED_MISS_COST * __builtin_popcount(missing);
  if (req->preferred != 0 && missing == 0)
    p.why |= ENGINE_WHY_PREFERRED;
  if (count_key(snap->knows, make_key((guint)school, e)) > 0)
    p.why |= ENGINE_WHY_KNOWS_SCHOOL;
  else
    p.tier3 += ENGINE_UNKNOWN_SCHOOL_COST;
  p.approved_here = (gint32)count_key(a->by_pair, make_key(r, e));
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

/* Appends the candidates of pair (e, r): slots both have, with weekly room left. */
static void merge_slots(EngineSnapshot *snap, guint e_rank, guint r_rank, guint pair_index,
                        gboolean *any) {
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineEweek *ew = (const EngineEweek *)snap->eweeks->data;
  guint i = snap->employee_es[e_rank], iend = snap->employee_es[e_rank + 1];
  guint j = snap->request_rs[r_rank], jend = snap->request_rs[r_rank + 1];
  while (i < iend && j < jend) {
    int c = slot_cmp(&es[i].slot, &rs[j].slot);
    if (c < 0) {
      i++;
    } else if (c > 0) {
      j++;
    } else {
      if (ew[es[i].eweek].remaining > 0) {
        EngineCand cand = {i, j, pair_index};
        g_array_append_val(snap->cands, cand);
        *any = TRUE;
      }
      i++;
      j++;
    }
  }
}

static void build_candidates(EngineSnapshot *snap, const Approvals *a) {
  const ModelDataset *ds = snap->dataset;
  guint n_schools = ds->schools->len;
  /* Requests with open slots per school, in request id order. */
  guint *school_start = g_new0(guint, n_schools + 2);
  for (guint rank = 0; rank < snap->n_requests; rank++) {
    gint s = snap->school_of_request[snap->request_order[rank]];
    if (s >= 0 && snap->request_rs[rank + 1] > snap->request_rs[rank])
      school_start[s + 1]++;
  }
  for (guint s = 0; s < n_schools; s++)
    school_start[s + 1] += school_start[s];
  guint *school_reqs = g_new(guint, school_start[n_schools] + 1);
  guint *fill = g_memdup2(school_start, sizeof(guint) * (n_schools + 1));
  for (guint rank = 0; rank < snap->n_requests; rank++) {
    gint s = snap->school_of_request[snap->request_order[rank]];
    if (s >= 0 && snap->request_rs[rank + 1] > snap->request_rs[rank])
      school_reqs[fill[s]++] = rank;
  }
  g_free(fill);
  double *slat = g_new(double, n_schools + 1), *slon = g_new(double, n_schools + 1);
  gboolean *has = g_new0(gboolean, n_schools + 1);
  for (guint s = 0; s < n_schools; s++) {
    const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, s);
    slat[s] = sch->lat;
    slon[s] = sch->lon;
    has[s] = school_start[s + 1] > school_start[s];
  }
  EngineGrid grid;
  engine_grid_init(&grid, slat, slon, has, n_schools);
  Districts dist;
  districts_init(&dist, ds);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  /* (request rank << 32 | distance in metres): distances within a travel limit fit. */
  g_autoptr(GArray) reach = g_array_new(FALSE, FALSE, sizeof(guint64));
  for (guint e_rank = 0; e_rank < snap->n_employees; e_rank++) {
    guint e = snap->employee_order[e_rank];
    if (!snap->located[e] || snap->employee_es[e_rank] == snap->employee_es[e_rank + 1])
      continue;
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    gint64 limit = (gint64)emp->max_travel_km * 1000;
    g_array_set_size(near, 0);
    g_array_set_size(reach, 0);
    engine_grid_query(&grid, snap->emp_lat[e], snap->emp_lon[e], limit, near);
    for (guint k = 0; k < near->len; k++) {
      guint s = g_array_index(near, guint, k);
      gint64 d = model_distance_m(snap->emp_lat[e], snap->emp_lon[e], slat[s], slon[s]);
      if (d > limit || d > G_MAXINT32)
        continue;
      for (guint q = school_start[s]; q < school_start[s + 1]; q++) {
        guint64 rr = make_key(school_reqs[q], (guint32)d);
        g_array_append_val(reach, rr);
      }
    }
    sort_u64((guint64 *)reach->data, reach->len);
    for (guint k = 0; k < reach->len; k++) {
      guint64 key = g_array_index(reach, guint64, k);
      struct {
        guint rank;
        gint64 distance_m;
      } rr = {(guint)(key >> 32), (gint64)(guint32)key};
      guint r = snap->request_order[rr.rank];
      const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
      if ((req->required & ~emp->quals) != 0)
        continue;
      if (rr.distance_m > (gint64)req->max_travel_km * 1000)
        continue;
      if (engine_snapshot_is_rejected(snap, r, e))
        continue;
      gboolean any = FALSE;
      merge_slots(snap, e_rank, rr.rank, snap->pairs->len, &any);
      if (any) {
        EnginePair p = make_pair(snap, a, &dist, e, r, rr.distance_m);
        g_array_append_val(snap->pairs, p);
      }
    }
  }
  engine_grid_clear(&grid);
  districts_clear(&dist);
  g_free(slat);
  g_free(slon);
  g_free(has);
  g_free(school_start);
  g_free(school_reqs);
}

static guint uf_find(guint *parent, guint x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/* Components of the candidate graph on (employee-week, request-slot): candidates
 * regrouped by component (stable), components numbered by first appearance. */
static void build_components(EngineSnapshot *snap) {
  guint n_ew = snap->eweeks->len, n_rs = snap->rslots->len, n = n_ew + n_rs;
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

EngineSnapshot *engine_snapshot_new(const ModelDataset *dataset, const EngineOptions *options,
                                    GError **error) {
  g_return_val_if_fail(dataset != NULL && options != NULL, NULL);
  g_return_val_if_fail(options->children_per_staff >= 1, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  g_autoptr(EngineSnapshot) snap = g_new0(EngineSnapshot, 1);
  snap->dataset = dataset;
  snap->options = *options;
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
  collect_decisions(snap, &a);
  build_rslots(snap, &a);
  build_eslots(snap, &a);
  snap->pairs = g_array_new(FALSE, FALSE, sizeof(EnginePair));
  snap->cands = g_array_new(FALSE, FALSE, sizeof(EngineCand));
  build_candidates(snap, &a);
  approvals_clear(&a);
  build_components(snap);
  return g_steal_pointer(&snap);
}

/* ---- flow network ------------------------------------------------------ */

guint engine_net_scratch_size(const EngineSnapshot *snapshot) {
  return snapshot->eslots->len + snapshot->eweeks->len + snapshot->rslots->len + 1;
}

void engine_net_clear(EngineNet *net) {
  g_clear_pointer(&net->mcf, engine_mcf_free);
  g_clear_pointer(&net->cand_arc, g_free);
  g_clear_pointer(&net->cand_es, g_free);
  g_clear_pointer(&net->cand_rs, g_free);
  g_clear_pointer(&net->es_feed, g_free);
  g_clear_pointer(&net->es_arc, g_free);
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

gboolean engine_net_build_nodes(EngineNet *net, const EngineSnapshot *snapshot,
                                const EngineCand *cands, guint n_cands, guint *scratch,
                                GError **error) {
  memset(net, 0, sizeof *net);
  const EngineEslot *es = (const EngineEslot *)snapshot->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)snapshot->eweeks->data;
  const EngineRslot *rs = (const EngineRslot *)snapshot->rslots->data;
  const EnginePair *pairs = (const EnginePair *)snapshot->pairs->data;
  guint *es_node = scratch;
  guint *ew_node = scratch + snapshot->eslots->len;
  guint *rs_node = ew_node + snapshot->eweeks->len;
  g_autoptr(GArray) es_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_list = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autoptr(GArray) ew_slots = g_array_new(FALSE, FALSE, sizeof(guint));
  net->rs_nodes = g_array_new(FALSE, FALSE, sizeof(guint));
  net->rs_arcs = g_array_new(FALSE, FALSE, sizeof(guint));
  gint64 max_tier2 = 0, demand = 0;
  /* Pass 1: the distinct nodes, in order of first appearance. */
  for (guint i = 0; i < n_cands; i++) {
    guint e = cands[i].eslot, w = es[e].eweek, r = cands[i].rslot;
    if (ew_node[w] == UNSET) {
      ew_node[w] = ew_list->len;
      g_array_append_val(ew_list, w);
      guint zero = 0;
      g_array_append_val(ew_slots, zero);
    }
    if (es_node[e] == UNSET) {
      es_node[e] = 0;
      g_array_append_val(es_list, e);
      g_array_index(ew_slots, guint, ew_node[w])++;
    }
    if (rs_node[r] == UNSET) {
      rs_node[r] = 0;
      g_array_append_val(net->rs_nodes, r);
      demand += rs[r].need;
    }
    max_tier2 = MAX(max_tier2, pairs[cands[i].pair].tier2);
  }
  /* Node numbering: source, sink, weekly limits that bind, slots, request slots. */
  guint node = 2;
  for (guint k = 0; k < ew_list->len; k++) {
    guint w = g_array_index(ew_list, guint, k);
    gboolean binds = (gint64)ew[w].remaining < (gint64)g_array_index(ew_slots, guint, k);
    ew_node[w] = binds ? node++ : NO_NODE;
  }
  net->es_first = node;
  for (guint k = 0; k < es_list->len; k++)
    es_node[g_array_index(es_list, guint, k)] = node++;
  for (guint k = 0; k < net->rs_nodes->len; k++)
    rs_node[g_array_index(net->rs_nodes, guint, k)] = node++;
  gboolean ok = fill_weights(net, node, max_tier2, error);
  if (ok) {
    guint n_arcs = ew_list->len + es_list->len + n_cands + net->rs_nodes->len + 1;
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
    for (guint k = 0; k < es_list->len; k++) {
      guint w = es[g_array_index(es_list, guint, k)].eweek;
      net->es_feed[k] = ew_node[w] != NO_NODE ? ew_node[w] : 0;
      net->es_arc[k] = ENGINE_NO_ARC;
    }
    for (guint k = 0; k < ew_list->len; k++) {
      guint w = g_array_index(ew_list, guint, k);
      if (ew_node[w] != NO_NODE)
        engine_mcf_add_arc(net->mcf, 0, ew_node[w], 0, ew[w].remaining, 0);
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
    net->es_arc[k] = engine_mcf_add_arc(net->mcf, net->es_feed[k], net->cand_es[i], 0, 1, 0);
  net->cand_arc[i] = engine_mcf_add_arc(net->mcf, net->cand_es[i], net->cand_rs[i], 0, 1,
                                        pairs[net->cands[i].pair].tier2);
  net->n_in++;
  return net->cand_arc[i];
}

gboolean engine_net_build(EngineNet *net, const EngineSnapshot *snapshot, const EngineCand *cands,
                          guint n_cands, guint *scratch, GError **error) {
  if (!engine_net_build_nodes(net, snapshot, cands, n_cands, scratch, error))
    return FALSE;
  for (guint i = 0; i < n_cands; i++)
    engine_net_add_cand(net, snapshot, i);
  return TRUE;
}
