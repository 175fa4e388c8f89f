/* entity-json.c: single entities as the API shows them, and decoding one entity from
 * a request body.  The plain encoders write exactly the FORMAT.md objects of the
 * dataset codec (same keys, order and defaults), so an API client and an import
 * speak the same JSON; views add read-only keys (district, staffing, names) after
 * them.  Decoding hands the body to the dataset codec inside a small document with
 * the objects it refers to, so a POST obeys exactly the rules of an import and its
 * problems carry the same messages and pointers.
 */
#include <math.h>
#include <string.h>

#include "handlers.h"

static void put(json_object *object, const char *key, json_object *value) {
  int rc = json_object_object_add(object, key, value);
  g_assert(rc == 0);
}

static void put_string(json_object *object, const char *key, const char *value) {
  if (value != NULL)
    put(object, key, json_object_new_string(value));
}

/* The shortest of %.15g..%.17g that reads back to the same double (as the codec). */
static json_object *new_number(double value) {
  if (!isfinite(value))
    return json_object_new_null();
  char text[G_ASCII_DTOSTR_BUF_SIZE + 2];
  for (int digits = 15; digits <= 17; digits++) {
    char format[8];
    g_snprintf(format, sizeof format, "%%.%dg", digits);
    g_ascii_formatd(text, G_ASCII_DTOSTR_BUF_SIZE, format, value);
    if (g_ascii_strtod(text, NULL) == value)
      break;
  }
  if (strpbrk(text, ".e") == NULL)
    g_strlcat(text, ".0", sizeof text);
  return json_object_new_double_s(value, text);
}

static void put_date(json_object *object, const char *key, ModelDate date) {
  char text[11];
  model_date_format(date, text);
  put(object, key, json_object_new_string(text));
}

static json_object *new_quals(ModelQualSet quals) {
  json_object *array = json_object_new_array();
  for (int q = 0; q < MODEL_N_QUALS; q++)
    if (quals & MODEL_QUAL_BIT(q))
      json_object_array_add(array, json_object_new_string(model_qual_name((ModelQual)q)));
  return array;
}

static json_object *new_slot_rules(const GArray *rules) {
  json_object *array = json_object_new_array();
  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    const ModelSlotRule *rule = &g_array_index(rules, ModelSlotRule, i);
    json_object *object = json_object_new_object();
    if (rule->kind == MODEL_SLOT_RULE_ONE) {
      ModelPart part =
          (rule->parts & 1u) || rule->parts == 0 ? MODEL_PART_MORNING : MODEL_PART_AFTERNOON;
      put_date(object, "date", rule->from);
      put(object, "part", json_object_new_string(model_part_name(part)));
    } else {
      put_date(object, "from", rule->from);
      put_date(object, "to", rule->to);
      json_object *weekdays = json_object_new_array();
      for (int day = 1; day <= 7; day++)
        if (rule->weekdays & (1u << (day - 1)))
          json_object_array_add(weekdays, json_object_new_string(model_weekday_name(day)));
      put(object, "weekdays", weekdays);
      json_object *parts = json_object_new_array();
      for (int p = 0; p < MODEL_N_PARTS; p++)
        if (rule->parts & (1u << p))
          json_object_array_add(parts, json_object_new_string(model_part_name((ModelPart)p)));
      put(object, "parts", parts);
    }
    json_object_array_add(array, object);
  }
  return array;
}

json_object *api_json_district(const ModelDistrict *district) {
  json_object *object = json_object_new_object();
  put_string(object, "id", district->id);
  put_string(object, "name", district->name);
  put(object, "lat", new_number(district->lat));
  put(object, "lon", new_number(district->lon));
  json_object *neighbours = json_object_new_array();
  for (guint i = 0; district->neighbours != NULL && i < district->neighbours->len; i++)
    json_object_array_add(neighbours,
                          json_object_new_string(g_ptr_array_index(district->neighbours, i)));
  put(object, "neighbours", neighbours);
  return object;
}

json_object *api_json_school(const ModelSchool *school) {
  json_object *object = json_object_new_object();
  put_string(object, "id", school->id);
  put_string(object, "brin", school->brin);
  put_string(object, "name", school->name);
  put_string(object, "type", model_school_type_name(school->type));
  put_string(object, "district", school->district_id);
  put_string(object, "postcode", school->postcode);
  put(object, "lat", new_number(school->lat));
  put(object, "lon", new_number(school->lon));
  if (school->pupils != -1)
    put(object, "pupils", json_object_new_int(school->pupils));
  return object;
}

json_object *api_json_organisation(const ModelOrganisation *organisation) {
  json_object *object = json_object_new_object();
  put_string(object, "id", organisation->id);
  put_string(object, "name", organisation->name);
  put_string(object, "lrk", organisation->lrk);
  put_string(object, "district", organisation->district_id);
  return object;
}

json_object *api_json_employee(const ModelEmployee *employee) {
  json_object *object = json_object_new_object();
  put_string(object, "id", employee->id);
  put_string(object, "organisation", employee->organisation_id);
  put_string(object, "name", employee->name);
  put_string(object, "district", employee->district_id);
  if (employee->has_location) {
    put(object, "lat", new_number(employee->lat));
    put(object, "lon", new_number(employee->lon));
  }
  put(object, "qualifications", new_quals(employee->quals));
  put(object, "availability", new_slot_rules(employee->availability));
  put(object, "max_parts_per_week", json_object_new_int(employee->max_parts_per_week));
  put(object, "max_travel_km", json_object_new_int(employee->max_travel_km));
  put(object, "active", json_object_new_boolean(employee->active));
  if (employee->confirmed != MODEL_DATE_NONE)
    put_date(object, "confirmed", employee->confirmed);
  return object;
}

json_object *api_json_request(const ModelRequest *request) {
  json_object *object = json_object_new_object();
  put_string(object, "id", request->id);
  put_string(object, "school", request->school_id);
  put(object, "slots", new_slot_rules(request->slots));
  if (request->staff_needed != -1)
    put(object, "staff_needed", json_object_new_int(request->staff_needed));
  if (request->children_expected != -1)
    put(object, "children_expected", json_object_new_int(request->children_expected));
  if (request->own_staff != -1)
    put(object, "own_staff", json_object_new_int(request->own_staff));
  put(object, "required", new_quals(request->required));
  put(object, "preferred", new_quals(request->preferred));
  put_string(object, "priority", model_priority_name(request->priority));
  put(object, "max_travel_km", json_object_new_int(request->max_travel_km));
  put_string(object, "note", request->note);
  put_string(object, "status", model_request_status_name(request->status));
  return object;
}

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
  json_object *object = api_json_request(request);
  put_string(object, "district", school_district(dataset, request->school_id));
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  g_autofree gint32 *approved = g_new0(gint32, MAX(slots->len, 1));
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    if (a->status != MODEL_ASSIGNMENT_APPROVED || g_strcmp0(a->request_id, request->id) != 0)
      continue;
    const ModelSlot *hit =
        bsearch(&a->slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare);
    if (hit != NULL)
      approved[hit - (const ModelSlot *)slots->data]++;
  }
  gint32 need = model_request_staff_needed(request, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  json_object *staffing = json_object_new_array();
  for (guint i = 0; i < slots->len; i++) {
    const ModelSlot *slot = &g_array_index(slots, ModelSlot, i);
    json_object *item = json_object_new_object();
    put_date(item, "date", slot->date);
    put_string(item, "part", model_part_name(slot->part));
    put(item, "needed", json_object_new_int(request->status == MODEL_REQUEST_OPEN ? need : 0));
    put(item, "approved", json_object_new_int(approved[i]));
    json_object_array_add(staffing, item);
  }
  put(object, "staffing", staffing);
  return object;
}

json_object *api_json_assignment_view(const ModelDataset *dataset, const ModelAssignment *a,
                                      GHashTable *rounds, ApiView view) {
  json_object *object = json_object_new_object();
  put_string(object, "id", a->id);
  put_string(object, "request", a->request_id);
  gint r = model_dataset_find_request(dataset, a->request_id);
  const char *school = r >= 0 ? g_array_index(dataset->requests, ModelRequest, r).school_id : NULL;
  put_string(object, "school", school);
  put_string(object, "district", school != NULL ? school_district(dataset, school) : NULL);
  gint s = school != NULL ? model_dataset_find_school(dataset, school) : -1;
  put_string(object, "school_name",
             s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).name : NULL);
  put_string(object, "employee", a->employee_id);
  gint e = model_dataset_find_employee(dataset, a->employee_id);
  const ModelEmployee *employee =
      e >= 0 ? &g_array_index(dataset->employees, ModelEmployee, e) : NULL;
  put_string(object, "employee_name", employee != NULL ? employee->name : NULL);
  const char *organisation = employee != NULL ? employee->organisation_id : NULL;
  put_string(object, "organisation", organisation);
  gint o = organisation != NULL ? model_dataset_find_organisation(dataset, organisation) : -1;
  put_string(object, "organisation_name",
             o >= 0 ? g_array_index(dataset->organisations, ModelOrganisation, o).name : NULL);
  put_date(object, "date", a->slot.date);
  put_string(object, "part", model_part_name(a->slot.part));
  put_string(object, "status", model_assignment_status_name(a->status));
  if (view == API_VIEW_COORDINATOR) {
    const gint64 *round = rounds != NULL ? g_hash_table_lookup(rounds, a->id) : NULL;
    put(object, "round", round != NULL ? json_object_new_int64(*round) : NULL);
  }
  put_string(object, "decided_by", a->decided_by);
  if (a->decided_at >= 0) {
    g_autofree char *time = api_format_time(a->decided_at);
    put_string(object, "decided_at", time);
  }
  put_string(object, "reason", a->reason);
  return object;
}

/* ---- decoding one entity ------------------------------------------------- */

static json_object *one_element(json_object *value) {
  json_object *array = json_object_new_array();
  json_object_array_add(array, value);
  return array;
}

ModelDataset *api_decode_entity(const ModelDataset *context, const char *key, json_object *entity,
                                const char *context_school, const char *context_organisation,
                                GPtrArray *problems) {
  json_object *root = json_object_new_object();
  json_object *districts = json_object_new_array();
  for (guint i = 0; i < context->districts->len; i++)
    json_object_array_add(districts,
                          api_json_district(&g_array_index(context->districts, ModelDistrict, i)));
  put(root, "districts", districts);
  gint s = context_school != NULL ? model_dataset_find_school(context, context_school) : -1;
  if (s >= 0)
    put(root, "schools", one_element(api_json_school(&g_array_index(context->schools,
                                                                    ModelSchool, s))));
  gint o = context_organisation != NULL
               ? model_dataset_find_organisation(context, context_organisation)
               : -1;
  if (o >= 0)
    put(root, "organisations",
        one_element(api_json_organisation(
            &g_array_index(context->organisations, ModelOrganisation, o))));
  put(root, key, one_element(json_object_get(entity)));
  size_t length = 0;
  const char *text = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN, &length);
  ModelDataset *dataset = model_json_decode_dataset(text, length, problems);
  json_object_put(root);
  return dataset;
}
