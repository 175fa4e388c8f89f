/* decode.c: reads a dataset document (FORMAT.md) into a ModelDataset, or one request or
 * employee into a given dataset.  A document is read quickly when split.c can cut it
 * into its root arrays' elements, each parsed and decoded on its own; otherwise (and
 * always when it finds a problem of its own) as one tree, parsed strictly (scan.c),
 * with the same outcome.  Every object is decoded field by field, a bad field reported
 * and left at its default while decoding goes on, and model_dataset_check() adds the
 * rules that span fields and entities.  The result is kept only when no problem was
 * found.
 */
#include "dataset-json.h"
#include "entity-codec.h"
#include "json-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

/* One object being decoded: where problems go, the pointers whose model-check
 * problems are to be dropped (see suppress()), the object and its pointer. */
typedef struct {
  GPtrArray *problems;
  GHashTable *suppressed;
  json_object *object;
  const char *pointer;
} Fields;

/* Marks member `key` of the object (or the object itself when `key` is NULL): problems
 * model_dataset_check() reports at or below it are dropped.  A value the decoder could
 * not read is left at its default, and the check would otherwise report that default
 * ("missing", "[] is empty") on top of the real problem. */
static void suppress(const Fields *fields, const char *key) {
  char *pointer =
      key != NULL ? model_json_pointer_key(fields->pointer, key) : g_strdup(fields->pointer);
  g_hash_table_add(fields->suppressed, pointer);
}

/* Whether member `key` is present; when absent and `missing` is non-NULL the key is
 * required and its absence is reported as "missing (expected MISSING)".  When present
 * *out_value receives the value (NULL for a JSON null, as json-c represents it) and
 * *out_pointer the member's pointer (transfer full). */
static gboolean field(const Fields *fields, const char *key, const char *missing,
                      json_object **out_value, char **out_pointer) {
  json_object *value = NULL;
  g_autofree char *pointer = model_json_pointer_key(fields->pointer, key);
  if (!json_object_object_get_ex(fields->object, key, &value)) {
    if (missing != NULL)
      model_problems_add(fields->problems, pointer, "missing (expected %s)", missing);
    return FALSE;
  }
  *out_value = value;
  *out_pointer = g_steal_pointer(&pointer);
  return TRUE;
}

/* get_NAME(fields, key, missing, out) for every reader of MODEL_JSON_READERS: reads
 * member `key` with model_json_read_NAME() when present (absence reported as for
 * field()); TRUE when the member was present and valid. */
#define DEFINE_GET(name, type)                                                                     \
  static gboolean get_##name(const Fields *fields, const char *key, const char *missing,           \
                             type *out) {                                                          \
    g_autofree char *pointer = NULL;                                                               \
    json_object *value = NULL;                                                                     \
    return field(fields, key, missing, &value, &pointer) &&                                        \
           model_json_read_##name(fields->problems, value, pointer, out);                          \
  }
MODEL_JSON_READERS(DEFINE_GET)
#undef DEFINE_GET

static gboolean get_int(const Fields *fields, const char *key, gint32 min, gint32 max,
                        gint32 *out) {
  g_autofree char *pointer = NULL;
  json_object *value = NULL;
  return field(fields, key, NULL, &value, &pointer) &&
         model_json_read_int(fields->problems, value, pointer, min, max, out);
}

/* Member `key` when it is present and a string, else NULL (absence reported when
 * `missing` is non-NULL, a wrong type always); *out_pointer as for field(). */
static json_object *get_name(const Fields *fields, const char *key, const char *missing,
                             char **out_pointer) {
  json_object *value = NULL;
  if (!field(fields, key, missing, &value, out_pointer))
    return NULL;
  if (!json_object_is_type(value, json_type_string)) {
    model_json_report_type(fields->problems, *out_pointer, value, "a string");
    return NULL;
  }
  return value;
}

/* Reports a string that is not one of the names of an enum: `what` names the kind
 * ("a school type"), `expected` lists the names. */
static void report_name(const Fields *fields, json_object *value, const char *pointer,
                        const char *what, const char *expected) {
  g_autofree char *found = model_json_describe(value);
  model_problems_add(fields->problems, pointer, "%s is not %s (expected %s)", found, what,
                     expected);
}

/* ---- slot rules ---------------------------------------------------------- */

static const char *const slot_rule_keys[] = {"date",     "part",  "from", "to",
                                             "weekdays", "parts", NULL};
#define SLOT_RULE_EXPECTED "date and part, or from, to, weekdays and parts"

static gboolean is_one_key(const char *key) {
  return strcmp(key, "date") == 0 || strcmp(key, "part") == 0;
}

static gboolean is_pattern_key(const char *key) {
  return strcmp(key, "from") == 0 || strcmp(key, "to") == 0 || strcmp(key, "weekdays") == 0 ||
         strcmp(key, "parts") == 0;
}

/* Decodes the slot rule `fields` stands for.  Its kind is that of the first kind key
 * in the object; a key of the other kind is reported by name.  Returns FALSE when the
 * rule could not be read (an unknown key alone does not spoil it). */
static gboolean decode_slot_rule(const Fields *fields, const char *const *keys,
                                 ModelSlotRule *out) {
  if (!model_json_check_keys(fields->problems, fields->object, fields->pointer, keys))
    return FALSE;
  gboolean ok = TRUE;
  const char *kind_key = NULL;
  json_object_object_foreach(fields->object, key, member) {
    (void)member;
    if (!is_one_key(key) && !is_pattern_key(key))
      continue; /* reported as unknown above */
    if (kind_key == NULL) {
      kind_key = key;
    } else if (is_one_key(key) != is_one_key(kind_key)) {
      g_autofree char *at = model_json_pointer_key(fields->pointer, key);
      model_problems_add(fields->problems, at, "not allowed with \"%s\" (expected either %s)",
                         kind_key, SLOT_RULE_EXPECTED);
      ok = FALSE;
    }
  }
  if (kind_key == NULL) {
    model_problems_add(fields->problems, fields->pointer, "no date or from (expected %s)",
                       SLOT_RULE_EXPECTED);
    return FALSE;
  }
  ModelSlotRule rule = {0};
  if (is_one_key(kind_key)) {
    ModelPart part = MODEL_PART_MORNING;
    rule.kind = MODEL_SLOT_RULE_ONE;
    ok &= get_date(fields, "date", "a date YYYY-MM-DD", &rule.from);
    rule.to = rule.from;
    rule.weekdays = MODEL_WEEKDAYS_ALL;
    ok &= get_part(fields, "part", "morning or afternoon", &part);
    rule.parts = (guint8)(1u << part);
  } else {
    rule.kind = MODEL_SLOT_RULE_PATTERN;
    ok &= get_date(fields, "from", "a date YYYY-MM-DD", &rule.from);
    ok &= get_date(fields, "to", "a date YYYY-MM-DD", &rule.to);
    ok &= get_weekdays(fields, "weekdays", "an array of weekdays", &rule.weekdays);
    ok &= get_parts(fields, "parts", "an array of day parts", &rule.parts);
  }
  if (ok)
    *out = rule;
  return ok;
}

/* Decodes a slot list into `rules`, one rule per element so that indexes match the
 * document.  A rule that could not be read is kept as an empty pattern, which the
 * model check treats as invalid (no assignment is judged against it), and its
 * subtree is suppressed. */
static void get_slot_rules(const Fields *fields, const char *key, const char *missing,
                           GArray *rules) {
  g_autofree char *pointer = NULL;
  json_object *value = NULL;
  if (!field(fields, key, missing, &value, &pointer))
    return;
  if (!json_object_is_type(value, json_type_array)) {
    model_json_report_type(fields->problems, pointer, value, "an array");
    return;
  }
  gsize n = json_object_array_length(value);
  for (gsize i = 0; i < n; i++) {
    g_autofree char *at = model_json_pointer_index(pointer, i);
    Fields rule_fields = {fields->problems, fields->suppressed, json_object_array_get_idx(value, i),
                          at};
    ModelSlotRule rule;
    if (!decode_slot_rule(&rule_fields, slot_rule_keys, &rule)) {
      rule = (ModelSlotRule){.kind = MODEL_SLOT_RULE_PATTERN};
      suppress(&rule_fields, NULL);
    }
    g_array_append_val(rules, rule);
  }
}

/* ---- entities ------------------------------------------------------------ */

/* Each decoder appends exactly one entity per array element, even when the element
 * is not an object, so that dataset indexes equal document indexes and the model
 * check's pointers are right.  A field that could not be read keeps its default. */

/* Checks the keys of the object `fields` stands for against the NULL-terminated `keys`
 * and reads its required id into *out_id.  Returns FALSE when the value is not an
 * object (reported): none of its fields can be read then. */
static gboolean begin_entity(const Fields *fields, const char *const *keys, char **out_id) {
  if (!model_json_check_keys(fields->problems, fields->object, fields->pointer, keys))
    return FALSE;
  get_string(fields, "id", "an id", out_id);
  return TRUE;
}

/* The optional "outline" of a district: an array of {lat, lon} points, one per element
 * so that indexes match the document.  A point that could not be read stays at 0, 0
 * with its subtree suppressed; the model check judges the count and the ranges. */
static void get_outline(const Fields *fields, GArray **out_outline) {
  static const char *const keys[] = {"lat", "lon", NULL};
  g_autofree char *pointer = NULL;
  json_object *value = NULL;
  if (!field(fields, "outline", NULL, &value, &pointer))
    return;
  if (!json_object_is_type(value, json_type_array)) {
    model_json_report_type(fields->problems, pointer, value, "an array of points");
    return;
  }
  gsize n = json_object_array_length(value);
  GArray *outline = g_array_sized_new(FALSE, TRUE, sizeof(ModelPoint), (guint)n);
  for (gsize i = 0; i < n; i++) {
    g_autofree char *at = model_json_pointer_index(pointer, i);
    Fields point_fields = {fields->problems, fields->suppressed,
                           json_object_array_get_idx(value, i), at};
    ModelPoint point = {0};
    gboolean ok = model_json_check_keys(fields->problems, point_fields.object, at, keys);
    if (ok) {
      ok &= get_number(&point_fields, "lat", "a number", &point.lat);
      ok &= get_number(&point_fields, "lon", "a number", &point.lon);
    }
    if (!ok)
      suppress(&point_fields, NULL);
    g_array_append_val(outline, point);
  }
  *out_outline = outline;
}

static void decode_district(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id", "name", "lat", "lon", "neighbours", "outline", NULL};
  ModelDistrict district = {0};
  district.neighbours = g_ptr_array_new_with_free_func(g_free);
  if (begin_entity(fields, keys, &district.id)) {
    get_string(fields, "name", "a name", &district.name);
    get_number(fields, "lat", "a number", &district.lat);
    get_number(fields, "lon", "a number", &district.lon);
    g_autofree char *at = NULL;
    json_object *list = NULL;
    gboolean has_list = field(fields, "neighbours", NULL, &list, &at);
    if (has_list && !json_object_is_type(list, json_type_array)) {
      model_json_report_type(fields->problems, at, list, "an array");
    } else if (has_list) {
      gsize n = json_object_array_length(list);
      for (gsize i = 0; i < n; i++) {
        /* A bad element stays as NULL (skipped by the check) to keep indexes. */
        g_autofree char *element_at = model_json_pointer_index(at, i);
        char *id = NULL;
        model_json_read_string(fields->problems, json_object_array_get_idx(list, i), element_at,
                               &id);
        g_ptr_array_add(district.neighbours, id);
      }
    }
    get_outline(fields, &district.outline);
  }
  g_array_append_val(dataset->districts, district);
}

/* The optional "contact" object of a school or an organisation: name, email, phone,
 * each optional. */
static void get_contact(const Fields *fields, ModelContact *contact) {
  static const char *const keys[] = {"name", "email", "phone", NULL};
  g_autofree char *pointer = NULL;
  json_object *value = NULL;
  if (!field(fields, "contact", NULL, &value, &pointer))
    return;
  if (!json_object_is_type(value, json_type_object)) {
    model_json_report_type(fields->problems, pointer, value, "an object");
    return;
  }
  Fields inner = {fields->problems, fields->suppressed, value, pointer};
  if (!model_json_check_keys(fields->problems, value, pointer, keys))
    return;
  get_string(&inner, "name", NULL, &contact->name);
  get_string(&inner, "email", NULL, &contact->email);
  get_string(&inner, "phone", NULL, &contact->phone);
}

static void decode_school(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id",  "brin", "name",   "type",    "district", "postcode",
                                     "lat", "lon",  "pupils", "contact", NULL};
  ModelSchool school;
  model_school_init(&school);
  if (begin_entity(fields, keys, &school.id)) {
    get_string(fields, "brin", "a BRIN code", &school.brin);
    get_string(fields, "name", "a name", &school.name);
    g_autofree char *at = NULL;
    json_object *type = get_name(fields, "type", NULL, &at);
    if (type != NULL && !model_school_type_parse(json_object_get_string(type), &school.type))
      report_name(fields, type, at, "a school type", "one of po, so, vo");
    get_string(fields, "district", "a district id", &school.district_id);
    get_string(fields, "postcode", NULL, &school.postcode);
    get_number(fields, "lat", "a number", &school.lat);
    get_number(fields, "lon", "a number", &school.lon);
    get_int(fields, "pupils", 0, 100000, &school.pupils);
    get_contact(fields, &school.contact);
  }
  g_array_append_val(dataset->schools, school);
}

static void decode_organisation(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id", "name", "lrk", "district", "contact", NULL};
  ModelOrganisation organisation = {0};
  if (begin_entity(fields, keys, &organisation.id)) {
    get_string(fields, "name", "a name", &organisation.name);
    get_string(fields, "lrk", NULL, &organisation.lrk);
    get_string(fields, "district", NULL, &organisation.district_id);
    get_contact(fields, &organisation.contact);
  }
  g_array_append_val(dataset->organisations, organisation);
}

/* One entry of a location's load: a slot rule with the location's figures.  An entry
 * whose rule could not be read keeps an empty pattern, as get_slot_rules() does. */
static void decode_load_entry(const Fields *fields, ModelLocationLoad *load) {
  static const char *const keys[] = {
      "date",          "part",     "from", "to", "weekdays", "parts", "children_expected",
      "staff_present", "max_lend", NULL};
  *load = (ModelLocationLoad){.children_expected = -1, .staff_present = -1, .max_lend = -1};
  if (!decode_slot_rule(fields, keys, &load->when)) {
    load->when = (ModelSlotRule){.kind = MODEL_SLOT_RULE_PATTERN};
    suppress(fields, NULL);
    return;
  }
  const struct {
    const char *key;
    gint32 max;
    gint32 *out;
  } figures[] = {
      {"children_expected", 10000, &load->children_expected},
      {"staff_present", 1000, &load->staff_present},
      {"max_lend", 1000, &load->max_lend},
  };
  gboolean ok = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(figures); i++) {
    gint32 value = -1;
    if (!json_object_object_get_ex(fields->object, figures[i].key, NULL))
      continue;
    if (!get_int(fields, figures[i].key, 0, figures[i].max, &value)) {
      ok = FALSE;
    } else if (value < 0) { /* -1 stands for "not given": refuse every negative here */
      g_autofree char *at = model_json_pointer_key(fields->pointer, figures[i].key);
      model_problems_add(fields->problems, at,
                         "%d is out of range (expected an integer from 0 to %d)", value,
                         figures[i].max);
      ok = FALSE;
    } else {
      *figures[i].out = value;
    }
  }
  if (!ok) /* the figures are judged together; a default would mislead the check */
    suppress(fields, NULL);
}

static void decode_location(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id",  "organisation", "name", "lrk", "district",
                                     "lat", "lon",          "load", NULL};
  ModelLocation location;
  model_location_init(&location);
  if (begin_entity(fields, keys, &location.id)) {
    get_string(fields, "organisation", "an organisation id", &location.organisation_id);
    get_string(fields, "name", "a name", &location.name);
    get_string(fields, "lrk", NULL, &location.lrk);
    get_string(fields, "district", NULL, &location.district_id);
    get_number(fields, "lat", "a number", &location.lat);
    get_number(fields, "lon", "a number", &location.lon);
    g_autofree char *at = NULL;
    json_object *list = NULL;
    if (field(fields, "load", NULL, &list, &at)) {
      if (!json_object_is_type(list, json_type_array)) {
        model_json_report_type(fields->problems, at, list, "an array");
      } else {
        gsize n = json_object_array_length(list);
        for (gsize i = 0; i < n; i++) {
          g_autofree char *entry_at = model_json_pointer_index(at, i);
          Fields entry = {fields->problems, fields->suppressed, json_object_array_get_idx(list, i),
                          entry_at};
          ModelLocationLoad load;
          decode_load_entry(&entry, &load);
          g_array_append_val(location.load, load);
        }
      }
    }
  }
  g_array_append_val(dataset->locations, location);
}

/* lat and lon of an employee: both or neither; the location counts only when both
 * are present and valid. */
static void get_employee_location(const Fields *fields, ModelEmployee *employee) {
  gboolean has_lat = json_object_object_get_ex(fields->object, "lat", NULL);
  gboolean has_lon = json_object_object_get_ex(fields->object, "lon", NULL);
  if (has_lat != has_lon) {
    const char *absent = has_lat ? "lon" : "lat";
    g_autofree char *at = model_json_pointer_key(fields->pointer, absent);
    model_problems_add(fields->problems, at, "missing (expected a number: %s given without %s)",
                       has_lat ? "lat" : "lon", absent);
  }
  double lat = 0.0, lon = 0.0;
  gboolean ok_lat = get_number(fields, "lat", NULL, &lat);
  gboolean ok_lon = get_number(fields, "lon", NULL, &lon);
  if (ok_lat && ok_lon) {
    employee->has_location = TRUE;
    employee->lat = lat;
    employee->lon = lon;
  }
}

static void decode_employee(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id",
                                     "organisation",
                                     "name",
                                     "district",
                                     "location",
                                     "lat",
                                     "lon",
                                     "qualifications",
                                     "availability",
                                     "max_parts_per_week",
                                     "max_travel_km",
                                     "active",
                                     "confirmed",
                                     "email",
                                     "phone",
                                     NULL};
  ModelEmployee employee;
  model_employee_init(&employee);
  if (begin_entity(fields, keys, &employee.id)) {
    get_string(fields, "organisation", "an organisation id", &employee.organisation_id);
    get_string(fields, "name", "a name", &employee.name);
    get_string(fields, "district", "a district id", &employee.district_id);
    get_string(fields, "location", NULL, &employee.location_id);
    get_employee_location(fields, &employee);
    get_quals(fields, "qualifications", NULL, &employee.quals);
    get_slot_rules(fields, "availability", NULL, employee.availability);
    get_int(fields, "max_parts_per_week", 1, 14, &employee.max_parts_per_week);
    get_int(fields, "max_travel_km", 0, 300, &employee.max_travel_km);
    get_bool(fields, "active", NULL, &employee.active);
    get_date(fields, "confirmed", NULL, &employee.confirmed);
    get_string(fields, "email", NULL, &employee.email);
    get_string(fields, "phone", NULL, &employee.phone);
  }
  g_array_append_val(dataset->employees, employee);
}

/* The staff need of a request: the three keys are judged together by the check, so
 * when one of them could not be read none of them is. */
static void get_staff_need(const Fields *fields, ModelRequest *request) {
  const struct {
    const char *key;
    gint32 min, max;
    gint32 *out;
  } need[] = {
      {"staff_needed", 1, 1000, &request->staff_needed},
      {"children_expected", 1, 10000, &request->children_expected},
      {"own_staff", 0, 1000, &request->own_staff},
  };
  gboolean ok = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS(need); i++) {
    g_autofree char *at = NULL;
    json_object *value = NULL;
    if (field(fields, need[i].key, NULL, &value, &at) &&
        !model_json_read_int(fields->problems, value, at, need[i].min, need[i].max, need[i].out))
      ok = FALSE;
  }
  if (!ok) {
    for (gsize i = 0; i < G_N_ELEMENTS(need); i++)
      suppress(fields, need[i].key);
  }
}

static void decode_request(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {
      "id",        "school",   "slots",     "staff_needed", "children_expected",
      "own_staff", "required", "preferred", "priority",     "max_travel_km",
      "note",      "status",   NULL};
  ModelRequest request;
  model_request_init(&request);
  if (begin_entity(fields, keys, &request.id)) {
    get_string(fields, "school", "a school id", &request.school_id);
    get_slot_rules(fields, "slots", "an array of slot rules", request.slots);
    get_staff_need(fields, &request);
    get_quals(fields, "required", NULL, &request.required);
    get_quals(fields, "preferred", NULL, &request.preferred);
    g_autofree char *at = NULL;
    json_object *priority = get_name(fields, "priority", NULL, &at);
    if (priority != NULL &&
        !model_priority_parse(json_object_get_string(priority), &request.priority))
      report_name(fields, priority, at, "a priority", "normal or high");
    get_int(fields, "max_travel_km", 0, 300, &request.max_travel_km);
    get_string(fields, "note", NULL, &request.note);
    g_clear_pointer(&at, g_free);
    json_object *status = get_name(fields, "status", NULL, &at);
    if (status != NULL &&
        !model_request_status_parse(json_object_get_string(status), &request.status))
      report_name(fields, status, at, "a request status", "open or cancelled");
  }
  g_array_append_val(dataset->requests, request);
}

#define ASSIGNMENT_STATUSES "one of proposed, approved, rejected, cancelled"

static void decode_assignment_fields(const Fields *fields, ModelAssignment *assignment) {
  get_string(fields, "request", "a request id", &assignment->request_id);
  get_string(fields, "employee", "an employee id", &assignment->employee_id);
  gboolean slot_ok = get_date(fields, "date", "a date YYYY-MM-DD", &assignment->slot.date);
  slot_ok &= get_part(fields, "part", "morning or afternoon", &assignment->slot.part);
  if (!slot_ok) {
    /* The check judges the slot at date (is it the request's?) and at status (one
     * approved assignment per employee and slot); a default slot would mislead both. */
    suppress(fields, "date");
    suppress(fields, "status");
  }
  g_autofree char *at = NULL;
  json_object *status = get_name(fields, "status", ASSIGNMENT_STATUSES, &at);
  gboolean status_ok = status != NULL && model_assignment_status_parse(
                                             json_object_get_string(status), &assignment->status);
  if (status != NULL && !status_ok)
    report_name(fields, status, at, "an assignment status", ASSIGNMENT_STATUSES);
  if (!status_ok) {
    /* The default "proposed" would make the check judge decided_by and decided_at
     * against a status the document does not have. */
    suppress(fields, "decided_by");
    suppress(fields, "decided_at");
  }
  get_string(fields, "decided_by", NULL, &assignment->decided_by);
  get_time(fields, "decided_at", NULL, &assignment->decided_at);
  get_string(fields, "reason", NULL, &assignment->reason);
}

static void decode_assignment(const Fields *fields, ModelDataset *dataset) {
  static const char *const keys[] = {"id",     "request",    "employee",   "date",   "part",
                                     "status", "decided_by", "decided_at", "reason", NULL};
  ModelAssignment assignment;
  model_assignment_init(&assignment);
  if (begin_entity(fields, keys, &assignment.id))
    decode_assignment_fields(fields, &assignment);
  g_array_append_val(dataset->assignments, assignment);
}

/* ---- the document -------------------------------------------------------- */

typedef void (*DecodeEntity)(const Fields *fields, ModelDataset *dataset);

static const char *const root_keys[] = {"districts", "schools",  "organisations", "locations",
                                        "employees", "requests", "assignments",   NULL};
static const DecodeEntity root_decoders[] = {decode_district,  decode_school,   decode_organisation,
                                             decode_location,  decode_employee, decode_request,
                                             decode_assignment};

static void decode_root(GPtrArray *problems, GHashTable *suppressed, json_object *root,
                        ModelDataset *dataset) {
  if (!model_json_check_keys(problems, root, "", root_keys))
    return;
  for (gsize k = 0; root_keys[k] != NULL; k++) {
    json_object *list = NULL;
    if (!json_object_object_get_ex(root, root_keys[k], &list))
      continue;
    g_autofree char *pointer = model_json_pointer_key("", root_keys[k]);
    if (!json_object_is_type(list, json_type_array)) {
      model_json_report_type(problems, pointer, list, "an array");
      continue;
    }
    gsize n = json_object_array_length(list);
    for (gsize i = 0; i < n; i++) {
      g_autofree char *at = model_json_pointer_index(pointer, i);
      Fields fields = {problems, suppressed, json_object_array_get_idx(list, i), at};
      root_decoders[k](&fields, dataset);
    }
  }
}

/* TRUE when `pointer` or one of its ancestors is in `suppressed`. */
static gboolean is_suppressed(GHashTable *suppressed, const char *pointer) {
  g_autofree char *prefix = g_strdup(pointer);
  for (;;) {
    if (g_hash_table_contains(suppressed, prefix))
      return TRUE;
    char *slash = strrchr(prefix, '/');
    if (slash == NULL)
      return FALSE;
    *slash = '\0';
  }
}

/* Runs model_dataset_check() and moves its problems to `problems`, except those at or
 * below a value the decoder already reported (or marked), which would be echoes. */
static void check_dataset(ModelDataset *dataset, GPtrArray *problems, GHashTable *suppressed) {
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    g_hash_table_add(suppressed, g_strdup(problem->pointer));
  }
  g_autoptr(GPtrArray) checked = model_problems_new();
  model_dataset_check(dataset, checked);
  for (guint i = 0; i < checked->len; i++) {
    ModelProblem *problem = g_ptr_array_index(checked, i);
    if (!is_suppressed(suppressed, problem->pointer))
      g_ptr_array_add(problems, g_ptr_array_steal_index(checked, i--));
  }
}

/* A reading's outcome: `dataset` (transfer full; NULL when the text could not be
 * read), indexed, when `found` (transfer full) is empty; else NULL, with the problems
 * moved to `problems`. */
static ModelDataset *kept_when_valid(ModelDataset *dataset, GPtrArray *found, GPtrArray *problems) {
  if (found->len > 0) {
    g_ptr_array_extend_and_steal(problems, found);
    model_dataset_free(dataset);
    return NULL;
  }
  g_ptr_array_unref(found);
  model_dataset_index(dataset);
  return dataset;
}

/* Decodes the root arrays' elements that model_json_split() found, each parsed on its
 * own and dropped once decoded, as decode_root() would from the whole tree; FALSE when
 * the tokener refuses an element (the whole-tree reading then decides). */
static gboolean decode_split(GPtrArray *problems, GHashTable *suppressed, const char *text,
                             GArray *const *spans, ModelDataset *dataset) {
  json_tokener *tokener = json_tokener_new_ex(MODEL_JSON_MAX_DEPTH);
  json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
  gboolean ok = TRUE;
  for (gsize k = 0; ok && root_keys[k] != NULL; k++) {
    if (spans[k] == NULL)
      continue;
    g_autofree char *pointer = model_json_pointer_key("", root_keys[k]);
    for (guint i = 0; ok && i < spans[k]->len; i++) {
      const ModelJsonSpan *span = &g_array_index(spans[k], ModelJsonSpan, i);
      json_tokener_reset(tokener);
      json_object *element =
          span->length <= G_MAXINT
              ? json_tokener_parse_ex(tokener, text + span->start, (int)span->length)
              : NULL;
      ok = element != NULL && json_object_is_type(element, json_type_object) &&
           json_tokener_get_parse_end(tokener) == span->length;
      if (ok) {
        g_autofree char *at = model_json_pointer_index(pointer, i);
        Fields fields = {problems, suppressed, element, at};
        root_decoders[k](&fields, dataset);
      }
      json_object_put(element);
    }
  }
  json_tokener_free(tokener);
  return ok;
}

/* The quick reading: the document split into its root arrays' elements (split.c),
 * each decoded on its own.  FALSE, with `problems` and `*out` untouched, when it
 * cannot say; else TRUE with the dataset in *out, or NULL and the problems added. */
static gboolean decode_quick(const char *text, gsize length, GPtrArray *problems,
                             ModelDataset **out) {
  GArray *spans[G_N_ELEMENTS(root_keys)] = {NULL};
  if (!model_json_split(text, length, root_keys, spans))
    return FALSE;
  g_autoptr(GPtrArray) found = model_problems_new();
  g_autoptr(GHashTable) suppressed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(ModelDataset) dataset = model_dataset_new();
  gboolean ok = decode_split(found, suppressed, text, spans, dataset);
  for (gsize k = 0; k < G_N_ELEMENTS(spans); k++)
    g_clear_pointer(&spans[k], g_array_unref);
  if (!ok)
    return FALSE;
  check_dataset(dataset, found, suppressed);
  model_problems_sort(found);
  *out = kept_when_valid(g_steal_pointer(&dataset), g_steal_pointer(&found), problems);
  return TRUE;
}

ModelDataset *model_json_decode_dataset(const char *text, gsize length, GPtrArray *problems) {
  g_return_val_if_fail(problems != NULL, NULL);
  g_return_val_if_fail(text != NULL || length == 0, NULL);
  if (text == NULL)
    text = "";
  if (!model_json_check_bytes(text, length, problems))
    return NULL;
  ModelDataset *dataset = NULL;
  if (decode_quick(text, length, problems, &dataset))
    return dataset;
  return model_json_decode_dataset_whole(text, length, problems);
}

ModelDataset *model_json_decode_dataset_whole(const char *text, gsize length, GPtrArray *problems) {
  g_return_val_if_fail(problems != NULL, NULL);
  g_return_val_if_fail(text != NULL || length == 0, NULL);
  if (text == NULL)
    text = "";
  g_autoptr(GPtrArray) found = model_problems_new();
  g_autoptr(GPtrArray) repeated = model_problems_new();
  json_object *root = model_json_parse(text, length, found);
  /* A lone surrogate is an encoding error, refused before any value is read. */
  if (root != NULL)
    model_json_scan(text, length, found, repeated);
  g_autoptr(ModelDataset) dataset = NULL;
  if (root != NULL && found->len == 0) {
    g_autoptr(GHashTable) suppressed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    dataset = model_dataset_new();
    decode_root(found, suppressed, root, dataset);
    check_dataset(dataset, found, suppressed);
    /* After the check, so that a repeated key does not hide its value's problems. */
    g_ptr_array_extend_and_steal(found, g_steal_pointer(&repeated));
    model_problems_sort(found);
  }
  json_object_put(root);
  return kept_when_valid(g_steal_pointer(&dataset), g_steal_pointer(&found), problems);
}

/* ---- one entity ---------------------------------------------------------- */

/* Decodes `object` as the next element of `array` (the `key` array of `dataset`) and
 * checks the dataset; keeps the entity only when no problem lies at or below its
 * pointer, else removes it again and moves those problems, made relative to the
 * object, to `problems`. */
static gboolean decode_one(ModelDataset *dataset, GArray *array, const char *key,
                           DecodeEntity decode, json_object *object, GPtrArray *problems) {
  guint index = array->len;
  g_autofree char *base = model_json_pointer_key("", key);
  g_autofree char *prefix = model_json_pointer_index(base, index);
  g_autoptr(GPtrArray) found = model_problems_new();
  g_autoptr(GHashTable) suppressed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  Fields fields = {found, suppressed, object, prefix};
  decode(&fields, dataset);
  g_assert(array->len == index + 1);
  check_dataset(dataset, found, suppressed);
  g_autoptr(GPtrArray) own = model_problems_new();
  gsize n = strlen(prefix);
  for (guint i = 0; i < found->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(found, i);
    const char *at = problem->pointer;
    if (strncmp(at, prefix, n) != 0 || (at[n] != '\0' && at[n] != '/'))
      continue; /* the rest of the dataset is taken as valid */
    model_problems_add(own, at[n] == '/' ? at + n + 1 : "", "%s", problem->message);
  }
  if (own->len > 0)
    g_array_remove_index(array, index);
  model_dataset_index(dataset);
  if (own->len == 0)
    return TRUE;
  model_problems_sort(own);
  g_ptr_array_extend_and_steal(problems, g_steal_pointer(&own));
  return FALSE;
}

ModelRequest *model_json_decode_request(ModelDataset *dataset, json_object *object,
                                        GPtrArray *problems) {
  g_return_val_if_fail(dataset != NULL && problems != NULL, NULL);
  if (!decode_one(dataset, dataset->requests, "requests", decode_request, object, problems))
    return NULL;
  return &g_array_index(dataset->requests, ModelRequest, dataset->requests->len - 1);
}

ModelEmployee *model_json_decode_employee(ModelDataset *dataset, json_object *object,
                                          GPtrArray *problems) {
  g_return_val_if_fail(dataset != NULL && problems != NULL, NULL);
  if (!decode_one(dataset, dataset->employees, "employees", decode_employee, object, problems))
    return NULL;
  return &g_array_index(dataset->employees, ModelEmployee, dataset->employees->len - 1);
}

ModelLocation *model_json_decode_location(ModelDataset *dataset, json_object *object,
                                          GPtrArray *problems) {
  g_return_val_if_fail(dataset != NULL && problems != NULL, NULL);
  if (!decode_one(dataset, dataset->locations, "locations", decode_location, object, problems))
    return NULL;
  return &g_array_index(dataset->locations, ModelLocation, dataset->locations->len - 1);
}

ModelDataset *model_json_load_dataset(const char *path, GPtrArray *problems) {
  g_return_val_if_fail(path != NULL && problems != NULL, NULL);
  int fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    int saved = errno;
    model_problems_add(problems, "", "cannot read \"%s\": %s", path, g_strerror(saved));
    return NULL;
  }
  struct stat info;
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    model_problems_add(problems, "", "cannot read \"%s\": not a regular file", path);
    return NULL;
  }
  if ((guint64)info.st_size > MODEL_JSON_MAX_BYTES) {
    close(fd);
    model_problems_add(problems, "",
                       "cannot read \"%s\": %" G_GUINT64_FORMAT
                       " bytes is too large (expected at most %" G_GSIZE_FORMAT " bytes)",
                       path, (guint64)info.st_size, MODEL_JSON_MAX_BYTES);
    return NULL;
  }
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new_from_fd(fd, FALSE, &error);
  close(fd);
  if (file == NULL) {
    model_problems_add(problems, "", "cannot read \"%s\": %s", path, error->message);
    return NULL;
  }
  const char *contents = g_mapped_file_get_contents(file);
  gsize length = g_mapped_file_get_length(file);
  return model_json_decode_dataset(contents != NULL ? contents : "", length, problems);
}
