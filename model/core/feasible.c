/* feasible.c: the one answer to "may this employee be matched to this request slot?",
 * shared by the round's network builder, its explanations, the greedy baseline and the
 * store's re-check of an approval (only the independent checker keeps its own code).
 * Invariant: the rules are tested in the fixed order of ModelFeasibility and the first
 * failing one is returned, so a funnel of counts taken in that order only narrows.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

const char *model_feasibility_name(ModelFeasibility feasibility) {
  static const char *const names[] = {
      [MODEL_FEASIBLE] = "feasible",
      [MODEL_INFEASIBLE_UNAVAILABLE] = "unavailable",
      [MODEL_INFEASIBLE_UNQUALIFIED] = "unqualified",
      [MODEL_INFEASIBLE_TOO_FAR] = "too_far",
      [MODEL_INFEASIBLE_REJECTED] = "rejected",
      [MODEL_INFEASIBLE_CANCELLED] = "cancelled",
      [MODEL_INFEASIBLE_REQUEST_CANCELLED] = "request_cancelled",
  };
  g_return_val_if_fail((guint)feasibility < G_N_ELEMENTS(names), NULL);
  return names[feasibility];
}

ModelFeasibility model_feasible(const ModelPairFacts *pair, const ModelSlotFacts *slot) {
  g_return_val_if_fail(pair != NULL && slot != NULL, MODEL_INFEASIBLE_UNAVAILABLE);
  if (!pair->active || !slot->available)
    return MODEL_INFEASIBLE_UNAVAILABLE;
  ModelQualSet required = pair->required | MODEL_QUAL_BIT(MODEL_QUAL_VOG);
  if ((pair->quals & required) != required)
    return MODEL_INFEASIBLE_UNQUALIFIED;
  if (pair->distance_m < 0 || pair->distance_m > (gint64)pair->employee_km * 1000 ||
      pair->distance_m > (gint64)pair->request_km * 1000)
    return MODEL_INFEASIBLE_TOO_FAR;
  if (pair->rejected)
    return MODEL_INFEASIBLE_REJECTED;
  if (slot->cancelled)
    return MODEL_INFEASIBLE_CANCELLED;
  if (pair->request_cancelled)
    return MODEL_INFEASIBLE_REQUEST_CANCELLED;
  return MODEL_FEASIBLE;
}

void model_pair_facts_init(ModelPairFacts *out, const ModelDataset *dataset, guint request,
                           guint employee) {
  g_return_if_fail(out != NULL && dataset != NULL);
  g_return_if_fail(request < dataset->requests->len && employee < dataset->employees->len);
  const ModelRequest *req = &g_array_index(dataset->requests, ModelRequest, request);
  const ModelEmployee *emp = &g_array_index(dataset->employees, ModelEmployee, employee);
  memset(out, 0, sizeof *out);
  out->active = emp->active;
  out->quals = emp->quals;
  out->required = req->required;
  out->employee_km = emp->max_travel_km;
  out->request_km = req->max_travel_km;
  out->request_cancelled = req->status == MODEL_REQUEST_CANCELLED;
  out->distance_m = -1;
  gint s = req->school_id != NULL ? model_dataset_find_school(dataset, req->school_id) : -1;
  double lat, lon;
  if (s >= 0 && model_employee_location(dataset, emp, &lat, &lon)) {
    const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool, s);
    out->distance_m = model_distance_m(lat, lon, school->lat, school->lon);
  }
}

ModelFeasibility model_dataset_feasible(const ModelDataset *dataset, guint request, guint employee,
                                        ModelSlot slot) {
  g_return_val_if_fail(dataset != NULL, MODEL_INFEASIBLE_UNAVAILABLE);
  g_return_val_if_fail(request < dataset->requests->len, MODEL_INFEASIBLE_UNAVAILABLE);
  g_return_val_if_fail(employee < dataset->employees->len, MODEL_INFEASIBLE_UNAVAILABLE);
  ModelPairFacts pair;
  model_pair_facts_init(&pair, dataset, request, employee);
  ModelSlotFacts at = {FALSE, FALSE};
  const ModelRequest *req = &g_array_index(dataset->requests, ModelRequest, request);
  const ModelEmployee *emp = &g_array_index(dataset->employees, ModelEmployee, employee);
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    if (g_strcmp0(a->request_id, req->id) != 0 || g_strcmp0(a->employee_id, emp->id) != 0)
      continue;
    if (a->status == MODEL_ASSIGNMENT_REJECTED)
      pair.rejected = TRUE;
    else if (a->status == MODEL_ASSIGNMENT_CANCELLED && model_slot_compare(&a->slot, &slot) == 0)
      at.cancelled = TRUE;
  }
  g_autoptr(GArray) available = model_slot_rules_expand(emp->availability);
  at.available = bsearch(&slot, available->data, available->len, sizeof(ModelSlot),
                         model_slot_compare) != NULL;
  return model_feasible(&pair, &at);
}
