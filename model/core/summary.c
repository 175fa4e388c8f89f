/* summary.c: per-district figures for `handen summary` and GET /v1/summary: schools,
 * open requests, the staff-slots they ask for, the proposed, approved and still open
 * ones (defined once, in model.h), active employees and the staff-slots those with a
 * VOG offer.  Pure function of the dataset: no state, and rows come in dataset order,
 * so the output is deterministic.  A request counts for the district of its school;
 * need per slot is never below zero.
 */
#include "model.h"

/* Adds one open request and its assignments (`approved`, `proposed`: counts) to its
 * district's row. */
static void add_request(ModelDistrictSummary *row, const ModelRequest *request, gint64 approved,
                        gint64 proposed, gint32 children_per_staff) {
  gint64 need = model_request_staff_needed(request, children_per_staff);
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  row->open_requests++;
  row->staff_slots_needed += need * (gint64)slots->len;
  row->staff_slots_approved += approved;
  row->staff_slots_proposed += proposed;
}

static gint64 open_slots(const ModelDistrictSummary *row) {
  return MAX(0, row->staff_slots_needed - row->staff_slots_approved - row->staff_slots_proposed);
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

  /* Per request index: its approved and its proposed assignments. */
  g_autofree gint64 *approved = g_new0(gint64, MAX(dataset->requests->len, 1));
  g_autofree gint64 *proposed = g_new0(gint64, MAX(dataset->requests->len, 1));
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    gint r = model_dataset_find_request(dataset, a->request_id);
    if (r >= 0 && a->status == MODEL_ASSIGNMENT_APPROVED)
      approved[r]++;
    else if (r >= 0 && a->status == MODEL_ASSIGNMENT_PROPOSED)
      proposed[r]++;
  }
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
    add_request(&g_array_index(rows, ModelDistrictSummary, d), request, approved[i], proposed[i],
                children_per_staff);
  }
  for (guint d = 0; d < n; d++) {
    ModelDistrictSummary *row = &g_array_index(rows, ModelDistrictSummary, d);
    row->staff_slots_open = open_slots(row);
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

ModelDistrictSummary model_summary_total(const GArray *rows, const gboolean *include) {
  ModelDistrictSummary total = {0};
  g_return_val_if_fail(rows != NULL, total);
  for (guint i = 0; i < rows->len; i++) {
    const ModelDistrictSummary *row = &g_array_index(rows, ModelDistrictSummary, i);
    if (include != NULL && !include[row->district])
      continue;
    total.schools += row->schools;
    total.open_requests += row->open_requests;
    total.staff_slots_needed += row->staff_slots_needed;
    total.staff_slots_proposed += row->staff_slots_proposed;
    total.staff_slots_approved += row->staff_slots_approved;
    total.employees += row->employees;
    total.available_staff_slots += row->available_staff_slots;
  }
  total.staff_slots_open = open_slots(&total);
  return total;
}
