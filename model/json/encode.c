/* encode.c: writes a ModelDataset as the FORMAT.md document, and each entity alone
 * (entity-codec.h), which the HTTP API shows.  The output is a pure function of the
 * dataset: arrays in dataset order, keys in the FORMAT.md table order, defaults written
 * out, absent optional values left out, doubles in the shortest form that reads back to
 * the same bits, two-space indentation and a final newline.  So decode(encode(d)) equals
 * d and encode(decode(encode(d))) equals encode(d) byte for byte.
 */
#include "dataset-json.h"
#include "entity-codec.h"
#include "json-private.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

void model_json_put(json_object *object, const char *key, json_object *value) {
  int rc = json_object_object_add(object, key, value);
  g_assert(rc == 0);
}

void model_json_put_string(json_object *object, const char *key, const char *value) {
  /* A NULL required string is left out, so that decoding reports it missing. */
  if (value != NULL)
    model_json_put(object, key, json_object_new_string(value));
}

void model_json_put_strings(json_object *object, const char *key, ...) {
  va_list args;
  va_start(args, key);
  for (; key != NULL; key = va_arg(args, const char *))
    model_json_put_string(object, key, va_arg(args, const char *));
  va_end(args);
}

json_object *model_json_new_string_or_null(const char *text) {
  return text != NULL ? json_object_new_string(text) : NULL;
}

static void put_int(json_object *object, const char *key, gint32 value) {
  model_json_put(object, key, json_object_new_int(value));
}

/* An optional integer: -1 stands for absent, and is left out. */
static void put_optional_int(json_object *object, const char *key, gint32 value) {
  if (value != -1)
    put_int(object, key, value);
}

/* The shortest of %.15g, %.16g and %.17g that reads back to the same double, with
 * ".0" added to integral values so that -0.0 keeps its sign through a decode. */
static json_object *new_number(double value) {
  if (!isfinite(value))
    return json_object_new_null(); /* not JSON; the decoder reports it */
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

/* "lat" and "lon", in that order. */
static void put_location(json_object *object, double lat, double lon) {
  model_json_put(object, "lat", new_number(lat));
  model_json_put(object, "lon", new_number(lon));
}

void model_json_put_date(json_object *object, const char *key, ModelDate date) {
  char text[11];
  model_date_format(date, text);
  model_json_put(object, key, json_object_new_string(text));
}

static json_object *new_quals(ModelQualSet quals) {
  json_object *array = json_object_new_array();
  for (int q = 0; q < MODEL_N_QUALS; q++) {
    if (quals & MODEL_QUAL_BIT(q))
      json_object_array_add(array, json_object_new_string(model_qual_name((ModelQual)q)));
  }
  return array;
}

static json_object *new_parts(guint8 parts) {
  json_object *array = json_object_new_array();
  for (int p = 0; p < MODEL_N_PARTS; p++) {
    if (parts & (1u << p))
      json_object_array_add(array, json_object_new_string(model_part_name((ModelPart)p)));
  }
  return array;
}

/* Adds the keys of `rule` to `object`. */
static void put_slot_rule(json_object *object, const ModelSlotRule *rule) {
  if (rule->kind == MODEL_SLOT_RULE_ONE) {
    /* A ONE rule holds one part bit; the lowest is the one written. */
    ModelPart part =
        (rule->parts & 1u) || rule->parts == 0 ? MODEL_PART_MORNING : MODEL_PART_AFTERNOON;
    model_json_put_date(object, "date", rule->from);
    model_json_put(object, "part", json_object_new_string(model_part_name(part)));
  } else {
    model_json_put_date(object, "from", rule->from);
    model_json_put_date(object, "to", rule->to);
    json_object *weekdays = json_object_new_array();
    for (int day = 1; day <= 7; day++) {
      if (rule->weekdays & (1u << (day - 1)))
        json_object_array_add(weekdays, json_object_new_string(model_weekday_name(day)));
    }
    model_json_put(object, "weekdays", weekdays);
    model_json_put(object, "parts", new_parts(rule->parts));
  }
}

static json_object *new_slot_rules(const GArray *rules) {
  json_object *array = json_object_new_array();
  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    json_object *object = json_object_new_object();
    put_slot_rule(object, &g_array_index(rules, ModelSlotRule, i));
    json_object_array_add(array, object);
  }
  return array;
}

/* ---- entities (entity-codec.h) ------------------------------------------- */

/* A new object holding its `id` first, as every entity does. */
static json_object *new_entity(const char *id) {
  json_object *object = json_object_new_object();
  model_json_put_string(object, "id", id);
  return object;
}

json_object *model_json_encode_district(const ModelDistrict *district) {
  json_object *object = new_entity(district->id);
  model_json_put_string(object, "name", district->name);
  put_location(object, district->lat, district->lon);
  json_object *neighbours = json_object_new_array();
  for (guint i = 0; district->neighbours != NULL && i < district->neighbours->len; i++) {
    const char *id = g_ptr_array_index(district->neighbours, i);
    if (id != NULL)
      json_object_array_add(neighbours, json_object_new_string(id));
  }
  model_json_put(object, "neighbours", neighbours);
  if (district->outline != NULL) {
    json_object *outline = json_object_new_array_ext((int)district->outline->len);
    for (guint i = 0; i < district->outline->len; i++) {
      const ModelPoint *point = &g_array_index(district->outline, ModelPoint, i);
      json_object *at = json_object_new_object();
      put_location(at, point->lat, point->lon);
      json_object_array_add(outline, at);
    }
    model_json_put(object, "outline", outline);
  }
  return object;
}

/* "contact": {name, email, phone} when any of them is known. */
static void put_contact(json_object *object, const ModelContact *contact) {
  if (contact->name == NULL && contact->email == NULL && contact->phone == NULL)
    return;
  json_object *inner = json_object_new_object();
  model_json_put_strings(inner, "name", contact->name, "email", contact->email, "phone",
                         contact->phone, NULL);
  model_json_put(object, "contact", inner);
}

json_object *model_json_encode_school(const ModelSchool *school) {
  json_object *object = new_entity(school->id);
  model_json_put_strings(object, "brin", school->brin, "name", school->name, "type",
                         model_school_type_name(school->type), "district", school->district_id,
                         "postcode", school->postcode, NULL);
  put_location(object, school->lat, school->lon);
  put_optional_int(object, "pupils", school->pupils);
  put_contact(object, &school->contact);
  return object;
}

json_object *model_json_encode_organisation(const ModelOrganisation *organisation) {
  json_object *object = new_entity(organisation->id);
  model_json_put_strings(object, "name", organisation->name, "lrk", organisation->lrk, "district",
                         organisation->district_id, NULL);
  put_contact(object, &organisation->contact);
  return object;
}

json_object *model_json_encode_location(const ModelLocation *location) {
  json_object *object = new_entity(location->id);
  model_json_put_strings(object, "organisation", location->organisation_id, "name", location->name,
                         "lrk", location->lrk, "district", location->district_id, NULL);
  put_location(object, location->lat, location->lon);
  json_object *load = json_object_new_array();
  for (guint i = 0; location->load != NULL && i < location->load->len; i++) {
    const ModelLocationLoad *entry = &g_array_index(location->load, ModelLocationLoad, i);
    json_object *item = json_object_new_object();
    put_optional_int(item, "children_expected", entry->children_expected);
    put_optional_int(item, "staff_present", entry->staff_present);
    put_optional_int(item, "max_lend", entry->max_lend);
    put_slot_rule(item, &entry->when);
    json_object_array_add(load, item);
  }
  model_json_put(object, "load", load);
  return object;
}

json_object *model_json_encode_employee(const ModelEmployee *employee) {
  json_object *object = new_entity(employee->id);
  model_json_put_strings(object, "organisation", employee->organisation_id, "name", employee->name,
                         "district", employee->district_id, "location", employee->location_id,
                         NULL);
  if (employee->has_location) {
    put_location(object, employee->lat, employee->lon);
  }
  model_json_put(object, "qualifications", new_quals(employee->quals));
  model_json_put(object, "availability", new_slot_rules(employee->availability));
  put_int(object, "max_parts_per_week", employee->max_parts_per_week);
  put_int(object, "max_travel_km", employee->max_travel_km);
  model_json_put(object, "active", json_object_new_boolean(employee->active));
  if (employee->confirmed != MODEL_DATE_NONE)
    model_json_put_date(object, "confirmed", employee->confirmed);
  model_json_put_strings(object, "email", employee->email, "phone", employee->phone, NULL);
  return object;
}

json_object *model_json_encode_request(const ModelRequest *request) {
  json_object *object = new_entity(request->id);
  model_json_put_string(object, "school", request->school_id);
  model_json_put(object, "slots", new_slot_rules(request->slots));
  put_optional_int(object, "staff_needed", request->staff_needed);
  put_optional_int(object, "children_expected", request->children_expected);
  put_optional_int(object, "own_staff", request->own_staff);
  model_json_put(object, "required", new_quals(request->required));
  model_json_put(object, "preferred", new_quals(request->preferred));
  model_json_put_string(object, "priority", model_priority_name(request->priority));
  put_int(object, "max_travel_km", request->max_travel_km);
  model_json_put_string(object, "note", request->note);
  model_json_put_string(object, "status", model_request_status_name(request->status));
  return object;
}

json_object *model_json_encode_assignment(const ModelAssignment *assignment) {
  json_object *object = new_entity(assignment->id);
  model_json_put_strings(object, "request", assignment->request_id, "employee",
                         assignment->employee_id, NULL);
  model_json_put_date(object, "date", assignment->slot.date);
  model_json_put_strings(object, "part", model_part_name(assignment->slot.part), "status",
                         model_assignment_status_name(assignment->status), "decided_by",
                         assignment->decided_by, NULL);
  if (assignment->decided_at != -1) {
    g_autofree char *time = model_json_format_time(assignment->decided_at);
    /* Outside 1970..9999 there is no RFC 3339 form; the number makes decoding fail
     * loudly instead of losing the value. */
    model_json_put(object, "decided_at",
                   time != NULL ? json_object_new_string(time)
                                : json_object_new_int64(assignment->decided_at));
  }
  model_json_put_string(object, "reason", assignment->reason);
  return object;
}

/* ---- the document -------------------------------------------------------- */

/* Adds `array` of `size`-byte elements under `key`, each converted by `convert`. */
static void put_entities(json_object *root, const char *key, const GArray *array, gsize size,
                         json_object *(*convert)(const void *element)) {
  json_object *list = json_object_new_array();
  for (guint i = 0; array != NULL && i < array->len; i++)
    json_object_array_add(list, convert(array->data + (gsize)i * size));
  model_json_put(root, key, list);
}

/* Typed adapters for put_entities. */
static json_object *convert_district(const void *e) {
  return model_json_encode_district(e);
}
static json_object *convert_school(const void *e) {
  return model_json_encode_school(e);
}
static json_object *convert_organisation(const void *e) {
  return model_json_encode_organisation(e);
}
static json_object *convert_location(const void *e) {
  return model_json_encode_location(e);
}
static json_object *convert_employee(const void *e) {
  return model_json_encode_employee(e);
}
static json_object *convert_request(const void *e) {
  return model_json_encode_request(e);
}
static json_object *convert_assignment(const void *e) {
  return model_json_encode_assignment(e);
}

/* json-c prints an empty array or object as "[", newline, indentation, "]"; this
 * folds those into "[]" and "{}".  A string never holds a raw newline (json-c escapes
 * it), so every "[\n" is structure.  Works in place, returns the new length. */
static gsize fold_empty(char *text) {
  gsize out = 0;
  for (gsize in = 0; text[in] != '\0'; in++) {
    text[out++] = text[in];
    if ((text[in] == '[' || text[in] == '{') && text[in + 1] == '\n') {
      gsize next = in + 2;
      while (text[next] == ' ')
        next++;
      if (text[next] == (text[in] == '[' ? ']' : '}')) {
        text[out++] = text[next];
        in = next;
      }
    }
  }
  text[out] = '\0';
  return out;
}

char *model_json_encode_dataset(const ModelDataset *dataset) {
  g_return_val_if_fail(dataset != NULL, NULL);
  json_object *root = json_object_new_object();
  put_entities(root, "districts", dataset->districts, sizeof(ModelDistrict), convert_district);
  put_entities(root, "schools", dataset->schools, sizeof(ModelSchool), convert_school);
  put_entities(root, "organisations", dataset->organisations, sizeof(ModelOrganisation),
               convert_organisation);
  /* Written only when there are any, so that a dataset without locations reads as it
   * did before locations existed. */
  if (dataset->locations != NULL && dataset->locations->len > 0)
    put_entities(root, "locations", dataset->locations, sizeof(ModelLocation), convert_location);
  put_entities(root, "employees", dataset->employees, sizeof(ModelEmployee), convert_employee);
  put_entities(root, "requests", dataset->requests, sizeof(ModelRequest), convert_request);
  put_entities(root, "assignments", dataset->assignments, sizeof(ModelAssignment),
               convert_assignment);
  const char *printed = json_object_to_json_string_ext(
      root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
  gsize length = strlen(printed);
  char *text = g_malloc(length + 2);
  memcpy(text, printed, length + 1);
  json_object_put(root);
  length = fold_empty(text);
  text[length] = '\n';
  text[length + 1] = '\0';
  return text;
}
