/* random-dataset.c: random valid datasets built from the model types, for the codec's
 * round-trip tests: every entity and field, text with what JSON must escape, and the
 * references between arrays kept valid, so model_dataset_check() finds nothing.
 * Deterministic per seed.
 */
#include "random-dataset.h"

#include <math.h>
#include <string.h>

/* Text pieces for names and notes: ASCII, accents, the euro sign, a 4-byte character,
 * and what JSON must escape.  The last two, line breaks and tabs, are allowed only in
 * multi-line text (notes, reasons); the model refuses other control characters. */
static const char *const pieces[] = {
    "a",  "Z",  "7", " ", "de ", "\xc3\xab", "\xe2\x82\xac", "\xf0\x9f\x98\x80",
    "\"", "\\", "/", "~", "'",   "<",        "\n",           "\t"};
#define N_SINGLE_LINE_PIECES (G_N_ELEMENTS(pieces) - 2)

static char *random_text(GRand *rand, int min_pieces, int max_pieces, gboolean multiline) {
  GString *text = g_string_new(NULL);
  int n = g_rand_int_range(rand, min_pieces, max_pieces + 1);
  gint32 range = multiline ? (gint32)G_N_ELEMENTS(pieces) : (gint32)N_SINGLE_LINE_PIECES;
  for (int i = 0; i < n; i++)
    g_string_append(text, pieces[g_rand_int_range(rand, 0, range)]);
  return g_string_free(text, FALSE);
}

/* A name: random single-line text with at least one character that is not white
 * space, as the model requires of names. */
static char *random_name(GRand *rand, int max_pieces) {
  char *text = random_text(rand, 1, max_pieces, FALSE);
  if (strspn(text, " ") == strlen(text)) {
    char *named = g_strconcat(text, "a", NULL);
    g_free(text);
    return named;
  }
  return text;
}

/* A valid id, unique through its numeric part. */
static char *random_id(GRand *rand, const char *prefix, guint index) {
  static const char tail[] = "ABCxyz09._:-";
  return g_strdup_printf("%s%u%c", prefix, index, tail[g_rand_int_range(rand, 0, 12)]);
}

/* Coordinates: full-precision doubles, short decimals, integers and signed zero. */
static double random_coordinate(GRand *rand, double limit) {
  switch (g_rand_int_range(rand, 0, 5)) {
  case 0:
    return g_rand_int_range(rand, 0, 4) == 0 ? -0.0 : 0.0;
  case 1:
    return (double)g_rand_int_range(rand, -(gint32)limit, (gint32)limit + 1);
  case 2:
    return g_rand_int_range(rand, -(gint32)limit * 10000, (gint32)limit * 10000) / 10000.0;
  default:
    return g_rand_double_range(rand, -limit, limit);
  }
}

static ModelDate random_date(GRand *rand) {
  return model_date_from_ymd(2020, 3, 16) + g_rand_int_range(rand, 0, 120);
}

/* A valid rule: a single day part, or a pattern of 1..30 days whose weekdays include
 * the weekday of `from`, so it expands to at least one slot. */
static ModelSlotRule random_rule(GRand *rand) {
  ModelSlotRule rule = {0};
  rule.from = random_date(rand);
  if (g_rand_boolean(rand)) {
    rule.kind = MODEL_SLOT_RULE_ONE;
    rule.to = rule.from;
    rule.weekdays = MODEL_WEEKDAYS_ALL;
    rule.parts = (guint8)(1u << g_rand_int_range(rand, 0, MODEL_N_PARTS));
  } else {
    rule.kind = MODEL_SLOT_RULE_PATTERN;
    rule.to = rule.from + g_rand_int_range(rand, 0, 30);
    rule.weekdays =
        (guint8)(g_rand_int_range(rand, 0, 128) | (1u << (model_date_weekday(rule.from) - 1)));
    rule.parts = (guint8)g_rand_int_range(rand, 1, 4);
  }
  return rule;
}

/* Appends `min` to 3 random rules to `rules`. */
static void append_random_rules(GRand *rand, GArray *rules, int min) {
  for (int k = g_rand_int_range(rand, min, 4); k > 0; k--) {
    ModelSlotRule rule = random_rule(rand);
    g_array_append_val(rules, rule);
  }
}

static ModelQualSet random_quals(GRand *rand) {
  return (ModelQualSet)g_rand_int_range(rand, 0, 1 << MODEL_N_QUALS);
}

static void add_districts(GRand *rand, ModelDataset *d, guint n) {
  for (guint i = 0; i < n; i++) {
    ModelDistrict district = {0};
    district.id = random_id(rand, "d", i);
    district.name = random_name(rand, 12);
    district.lat = random_coordinate(rand, 90);
    district.lon = random_coordinate(rand, 180);
    district.neighbours = g_ptr_array_new_with_free_func(g_free);
    /* An outline for about half of them, of 3 to 40 points. */
    if (g_rand_boolean(rand)) {
      guint points = (guint)g_rand_int_range(rand, MODEL_OUTLINE_MIN_POINTS, 41);
      district.outline = g_array_sized_new(FALSE, FALSE, sizeof(ModelPoint), points);
      for (guint j = 0; j < points; j++) {
        ModelPoint point = {random_coordinate(rand, 90), random_coordinate(rand, 180)};
        g_array_append_val(district.outline, point);
      }
    }
    g_array_append_val(d->districts, district);
  }
  /* Neighbours: each other district at most once, never itself. */
  for (guint i = 0; i < n; i++) {
    ModelDistrict *district = &g_array_index(d->districts, ModelDistrict, i);
    for (guint j = 0; j < n; j++) {
      if (j != i && g_rand_int_range(rand, 0, 3) == 0)
        g_ptr_array_add(district->neighbours,
                        g_strdup(g_array_index(d->districts, ModelDistrict, j).id));
    }
  }
}

static const char *pick_id(GRand *rand, GArray *array) {
  guint i = (guint)g_rand_int_range(rand, 0, (gint32)array->len);
  return *(char **)(void *)(array->data + (gsize)i * g_array_get_element_size(array));
}

static void add_schools(GRand *rand, ModelDataset *d, guint n) {
  for (guint i = 0; i < n; i++) {
    ModelSchool school;
    model_school_init(&school);
    school.id = random_id(rand, "s", i);
    school.brin = g_strdup_printf(
        "%02d%c%c%s", g_rand_int_range(rand, 0, 100), 'A' + g_rand_int_range(rand, 0, 26),
        'A' + g_rand_int_range(rand, 0, 26), g_rand_boolean(rand) ? "00" : "");
    school.name = random_name(rand, 20);
    school.type = (ModelSchoolType)g_rand_int_range(rand, 0, 3);
    school.district_id = g_strdup(pick_id(rand, d->districts));
    if (g_rand_boolean(rand))
      school.postcode = g_strdup_printf("%04d%s", g_rand_int_range(rand, 1000, 10000),
                                        g_rand_boolean(rand) ? " AB" : "");
    school.lat = random_coordinate(rand, 90);
    school.lon = random_coordinate(rand, 180);
    if (g_rand_boolean(rand))
      school.pupils = g_rand_int_range(rand, 0, 100001);
    g_array_append_val(d->schools, school);
  }
}

static void add_organisations(GRand *rand, ModelDataset *d, guint n) {
  for (guint i = 0; i < n; i++) {
    ModelOrganisation organisation = {0};
    organisation.id = random_id(rand, "o", i);
    organisation.name = random_name(rand, 20);
    if (g_rand_boolean(rand))
      organisation.lrk = g_strdup_printf("%09d", g_rand_int_range(rand, 0, 1000000000));
    if (g_rand_boolean(rand))
      organisation.district_id = g_strdup(pick_id(rand, d->districts));
    g_array_append_val(d->organisations, organisation);
  }
}

static void add_employees(GRand *rand, ModelDataset *d, guint n) {
  for (guint i = 0; i < n; i++) {
    ModelEmployee employee;
    model_employee_init(&employee);
    employee.id = random_id(rand, "e", i);
    employee.organisation_id = g_strdup(pick_id(rand, d->organisations));
    employee.name = random_name(rand, 20);
    employee.district_id = g_strdup(pick_id(rand, d->districts));
    if (g_rand_boolean(rand)) {
      employee.has_location = TRUE;
      employee.lat = random_coordinate(rand, 90);
      employee.lon = random_coordinate(rand, 180);
    }
    employee.quals = random_quals(rand);
    append_random_rules(rand, employee.availability, 0);
    employee.max_parts_per_week = g_rand_int_range(rand, 1, 15);
    employee.max_travel_km = g_rand_int_range(rand, 0, 301);
    employee.active = g_rand_boolean(rand);
    if (g_rand_boolean(rand))
      employee.confirmed = random_date(rand);
    g_array_append_val(d->employees, employee);
  }
}

static void add_requests(GRand *rand, ModelDataset *d, guint n) {
  for (guint i = 0; i < n; i++) {
    ModelRequest request;
    model_request_init(&request);
    request.id = random_id(rand, "r", i);
    request.school_id = g_strdup(pick_id(rand, d->schools));
    append_random_rules(rand, request.slots, 1);
    if (g_rand_boolean(rand)) {
      request.staff_needed = g_rand_int_range(rand, 1, 1001);
    } else {
      request.children_expected = g_rand_int_range(rand, 1, 10001);
      if (g_rand_boolean(rand))
        request.own_staff = g_rand_int_range(rand, 0, 1001);
    }
    request.required = random_quals(rand);
    request.preferred = random_quals(rand);
    request.priority = (ModelPriority)g_rand_int_range(rand, 0, MODEL_N_PRIORITIES);
    request.max_travel_km = g_rand_int_range(rand, 0, 301);
    if (g_rand_boolean(rand))
      request.note = random_text(rand, 0, 40, TRUE);
    request.status = (ModelRequestStatus)g_rand_int_range(rand, 0, 2);
    g_array_append_val(d->requests, request);
  }
}

/* Assignments on slots of their request; approved ones never share an employee and
 * slot. */
static void add_assignments(GRand *rand, ModelDataset *d, guint n) {
  g_autoptr(GHashTable) approved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++) {
    ModelAssignment assignment;
    model_assignment_init(&assignment);
    assignment.id = random_id(rand, "a", i);
    guint r = (guint)g_rand_int_range(rand, 0, (gint32)d->requests->len);
    const ModelRequest *request = &g_array_index(d->requests, ModelRequest, r);
    assignment.request_id = g_strdup(request->id);
    assignment.employee_id = g_strdup(pick_id(rand, d->employees));
    g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
    g_assert_cmpuint(slots->len, >, 0);
    assignment.slot = g_array_index(slots, ModelSlot, g_rand_int_range(rand, 0, slots->len));
    assignment.status = (ModelAssignmentStatus)g_rand_int_range(rand, 0, 4);
    if (assignment.status == MODEL_ASSIGNMENT_APPROVED) {
      char *key = g_strdup_printf("%s %" G_GINT64_FORMAT, assignment.employee_id,
                                  model_slot_key(assignment.slot));
      if (!g_hash_table_add(approved, key))
        assignment.status = MODEL_ASSIGNMENT_REJECTED;
    }
    if (assignment.status != MODEL_ASSIGNMENT_PROPOSED) {
      assignment.decided_by = random_text(rand, 1, 10, FALSE);
      assignment.decided_at =
          g_rand_int_range(rand, 0, G_MAXINT32) * (gint64)g_rand_int_range(rand, 1, 100);
      if (g_rand_boolean(rand))
        assignment.reason = random_text(rand, 0, 30, TRUE);
    }
    g_array_append_val(d->assignments, assignment);
  }
}

ModelDataset *json_test_random_dataset(guint32 seed) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  ModelDataset *d = model_dataset_new();
  /* Sometimes every array empty; otherwise a few of each (each array needs its
   * referenced arrays non-empty). */
  if (g_rand_int_range(rand, 0, 8) == 0)
    return d;
  add_districts(rand, d, (guint)g_rand_int_range(rand, 1, 8));
  add_schools(rand, d, (guint)g_rand_int_range(rand, 1, 10));
  add_organisations(rand, d, (guint)g_rand_int_range(rand, 1, 6));
  add_employees(rand, d, (guint)g_rand_int_range(rand, 1, 25));
  add_requests(rand, d, (guint)g_rand_int_range(rand, 1, 15));
  add_assignments(rand, d, (guint)g_rand_int_range(rand, 0, 30));
  model_dataset_index(d);
  return d;
}
