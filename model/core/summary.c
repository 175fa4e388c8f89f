/* summary.c: per-district figures for `handen summary`: schools, open requests and the
 * staff-slots they still need, approved staff-slots, active employees and the
 * staff-slots those with a VOG offer.  Pure function of the dataset: no state, and
 * rows come in dataset order, so the output is deterministic.
 * Counting rules: a request counts for the district of its school; "approved" counts
 * approved assignments of open requests; need per slot is never below zero.
 */
#include "model.h"

static int compare_keys(const void *a, const void *b) {
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static void keys_free(gpointer keys) {
  if (keys != NULL)
    g_array_unref(keys);
}

/* Per request index: a sorted GArray of the slot keys of its approved assignments (one
 * entry per assignment), or NULL when it has none. */
static GPtrArray *approved_keys(const ModelDataset *dataset) {
  GPtrArray *per_request = g_ptr_array_new_full(dataset->requests->len, keys_free);
  g_ptr_array_set_size(per_request, (gint)dataset->requests->len);
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    if (a->status != MODEL_ASSIGNMENT_APPROVED)
      continue;
    gint r = model_dataset_find_request(dataset, a->request_id);
    if (r < 0)
      continue;
    GArray *keys = g_ptr_array_index(per_request, r);
    if (keys == NULL) {
      keys = g_array_new(FALSE, FALSE, sizeof(gint64));
      g_ptr_array_index(per_request, r) = keys;
    }
    gint64 key = model_slot_key(a->slot);
    g_array_append_val(keys, key);
  }
  for (guint r = 0; r < per_request->len; r++) {
    GArray *keys = g_ptr_array_index(per_request, r);
    if (keys != NULL)
      g_array_sort(keys, compare_keys);
  }
  return per_request;
}

/* Occurrences of `key` in sorted `keys` (NULL counts as empty). */
static gint64 count_key(const GArray *keys, gint64 key) {
  if (keys == NULL)
    return 0;
  guint lo = 0, hi = keys->len;
  while (lo < hi) { /* first position with value >= key */
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index((GArray *)keys, gint64, mid) < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  gint64 n = 0;
  for (guint i = lo; i < keys->len && g_array_index((GArray *)keys, gint64, i) == key; i++)
    n++;
  return n;
}

/* Adds one open request to its district's row. */
static void add_request(ModelDistrictSummary *row, const ModelRequest *request, const GArray *keys,
                        gint32 children_per_staff) {
  gint64 need = model_request_staff_needed(request, children_per_staff);
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  gboolean short_of_staff = FALSE;
  for (guint j = 0; j < slots->len; j++) {
    gint64 approved = count_key(keys, model_slot_key(g_array_index(slots, ModelSlot, j)));
    gint64 missing = need - approved;
    if (missing > 0) {
      short_of_staff = TRUE;
      row->staff_slots_needed += missing;
    }
  }
  row->staff_slots_approved += keys != NULL ? keys->len : 0;
  if (short_of_staff)
    row->open_requests++;
}

/* Availability slots of one employee, each ISO week capped at max_parts_per_week. */
static gint64 available_slots(const ModelEmployee *employee) {
  if (employee->availability == NULL || employee->max_parts_per_week <= 0)
    return 0;
  g_autoptr(GArray) slots = model_slot_rules_expand(employee->availability);
  gint64 total = 0, in_week = 0;
  gint32 week = 0;
  /* Slots are sorted by date, so each ISO week is one run. */
  for (guint j = 0; j < slots->len; j++) {
    gint32 w = model_date_iso_week(g_array_index(slots, ModelSlot, j).date);
    if (j == 0 || w != week) {
      total += MIN(in_week, employee->max_parts_per_week);
      week = w;
      in_week = 0;
    }
    in_week++;
  }
  return total + MIN(in_week, employee->max_parts_per_week);
}

GArray *model_summary(const ModelDataset *dataset, gint32 children_per_staff) {
  g_return_val_if_fail(dataset != NULL, NULL);
  g_return_val_if_fail(children_per_staff >= 1, NULL);
  guint n = dataset->districts->len;
  GArray *rows = g_array_sized_new(FALSE, TRUE, sizeof(ModelDistrictSummary), n);
  g_array_set_size(rows, n);
  for (guint d = 0; d < n; d++)
    g_array_index(rows, ModelDistrictSummary, d).district = d;

  for (guint i = 0; i < dataset->schools->len; i++) {
    const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool, i);
    gint d = model_dataset_find_district(dataset, school->district_id);
    if (d >= 0)
      g_array_index(rows, ModelDistrictSummary, d).schools++;
  }

  g_autoptr(GPtrArray) approved = approved_keys(dataset);
  for (guint i = 0; i < dataset->requests->len; i++) {
    const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, i);
    if (request->status != MODEL_REQUEST_OPEN)
      continue;
    gint s = model_dataset_find_school(dataset, request->school_id);
    if (s < 0)
      continue;
    const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool, s);
    gint d = model_dataset_find_district(dataset, school->district_id);
    if (d < 0)
      continue;
    add_request(&g_array_index(rows, ModelDistrictSummary, d), request,
                g_ptr_array_index(approved, i), children_per_staff);
  }

  for (guint i = 0; i < dataset->employees->len; i++) {
    const ModelEmployee *employee = &g_array_index(dataset->employees, ModelEmployee, i);
    if (!employee->active)
      continue;
    gint d = model_dataset_find_district(dataset, employee->district_id);
    if (d < 0)
      continue;
    ModelDistrictSummary *row = &g_array_index(rows, ModelDistrictSummary, d);
    row->employees++;
    if (employee->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG))
      row->available_staff_slots += available_slots(employee);
  }
  return rows;
}
