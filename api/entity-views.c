/* entity-views.c: single entities as the API shows them.  The plain entities are the
 * dataset codec's own objects (model/json/entity-codec.h), so an API client and an
 * import speak the same JSON; views add read-only keys (district, staffing, names)
 * after them and never change the keys the codec wrote.  Bodies are decoded by the
 * codec itself (model_json_decode_request(), model_json_decode_employee()).
 */
#include <stdlib.h>

#include "entity-codec.h"
#include "handlers.h"

char *api_format_time(gint64 seconds) {
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(seconds);
  return time != NULL ? g_date_time_format(time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup("");
}

/* ---- views -------------------------------------------------------------- */

static const char *school_district(const ModelDataset *dataset, const char *school_id) {
  gint s = model_dataset_find_school(dataset, school_id);
  return s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).district_id : NULL;
}

json_object *api_json_request_view(const ModelDataset *dataset, const ModelRequest *request) {
  json_object *object = model_json_encode_request(request);
  model_json_put_string(object, "district", school_district(dataset, request->school_id));
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  g_autofree gint32 *approved = g_new0(gint32, MAX(slots->len, 1));
  g_autofree gint32 *proposed = g_new0(gint32, MAX(slots->len, 1));
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    gint32 *count = a->status == MODEL_ASSIGNMENT_APPROVED   ? approved
                    : a->status == MODEL_ASSIGNMENT_PROPOSED ? proposed
                                                             : NULL;
    if (count == NULL || g_strcmp0(a->request_id, request->id) != 0)
      continue;
    const ModelSlot *hit =
        bsearch(&a->slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare);
    if (hit != NULL)
      count[hit - (const ModelSlot *)slots->data]++;
  }
  gint32 need = model_request_staff_needed(request, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  json_object *staffing = json_object_new_array();
  for (guint i = 0; i < slots->len; i++) {
    const ModelSlot *slot = &g_array_index(slots, ModelSlot, i);
    json_object *item = json_object_new_object();
    model_json_put_date(item, "date", slot->date);
    model_json_put_string(item, "part", model_part_name(slot->part));
    model_json_put(item, "needed",
                   json_object_new_int(request->status == MODEL_REQUEST_OPEN ? need : 0));
    model_json_put(item, "approved", json_object_new_int(approved[i]));
    model_json_put(item, "proposed", json_object_new_int(proposed[i]));
    json_object_array_add(staffing, item);
  }
  model_json_put(object, "staffing", staffing);
  return object;
}

json_object *api_json_assignment_view(const ModelDataset *dataset, const ModelAssignment *a,
                                      GHashTable *rounds, ApiView view) {
  json_object *object = json_object_new_object();
  model_json_put_string(object, "id", a->id);
  model_json_put_string(object, "request", a->request_id);
  gint r = model_dataset_find_request(dataset, a->request_id);
  const char *school = r >= 0 ? g_array_index(dataset->requests, ModelRequest, r).school_id : NULL;
  model_json_put_string(object, "school", school);
  model_json_put_string(object, "district",
                        school != NULL ? school_district(dataset, school) : NULL);
  gint s = school != NULL ? model_dataset_find_school(dataset, school) : -1;
  model_json_put_string(object, "school_name",
                        s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).name : NULL);
  model_json_put_string(object, "employee", a->employee_id);
  gint e = model_dataset_find_employee(dataset, a->employee_id);
  const ModelEmployee *employee =
      e >= 0 ? &g_array_index(dataset->employees, ModelEmployee, e) : NULL;
  model_json_put_string(object, "employee_name", employee != NULL ? employee->name : NULL);
  /* The school reaches who comes once the assignment is approved, the organisation its
   * own staff; the coordinator coordinates through the school and the organisation. */
  if (employee != NULL && a->status == MODEL_ASSIGNMENT_APPROVED && view != API_VIEW_COORDINATOR)
    model_json_put_string(object, "employee_phone", employee->phone);
  const char *organisation = employee != NULL ? employee->organisation_id : NULL;
  model_json_put_string(object, "organisation", organisation);
  gint o = organisation != NULL ? model_dataset_find_organisation(dataset, organisation) : -1;
  model_json_put_string(object, "organisation_name",
                        o >= 0 ? g_array_index(dataset->organisations, ModelOrganisation, o).name
                               : NULL);
  model_json_put_date(object, "date", a->slot.date);
  model_json_put_string(object, "part", model_part_name(a->slot.part));
  model_json_put_string(object, "status", model_assignment_status_name(a->status));
  if (view == API_VIEW_COORDINATOR) {
    const gint64 *round = rounds != NULL ? g_hash_table_lookup(rounds, a->id) : NULL;
    model_json_put(object, "round", round != NULL ? json_object_new_int64(*round) : NULL);
  }
  model_json_put_string(object, "decided_by", a->decided_by);
  if (a->decided_at >= 0) {
    g_autofree char *time = api_format_time(a->decided_at);
    model_json_put_string(object, "decided_at", time);
  }
  model_json_put_string(object, "reason", a->reason);
  return object;
}
