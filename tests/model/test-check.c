/* test-check.c: model_dataset_check() and the problem list.  Each row of the invalid
 * table builds the same small valid dataset, breaks exactly one rule and asserts the
 * one problem reported: its exact JSON Pointer and message.
 */
#include "builder.h"

#include <math.h>
#include <string.h>
#include "../test-table.h"

#define TUE (1u << 1)
#define THU (1u << 3)
#define MON (1u << 0)
#define MORNING (1u << MODEL_PART_MORNING)

/* The example dataset of FORMAT.md, plus a second employee, two more requests and
 * two assignments. */
static ModelDataset *valid_dataset(void) {
  ModelDataset *ds = model_dataset_new();
  ModelDistrict *d =
      (ModelDistrict *)tb_element(ds->districts, tb_district(ds, "stad", NULL, 52.3796, 5.2167));
  g_ptr_array_add(d->neighbours, g_strdup("haven"));
  d = (ModelDistrict *)tb_element(ds->districts, tb_district(ds, "haven", NULL, 52.3336, 5.2469));
  g_ptr_array_add(d->neighbours, g_strdup("stad"));

  ModelSchool *s =
      (ModelSchool *)tb_element(ds->schools, tb_school(ds, "24EJ00", "stad", 52.3638, 5.2070));
  s->postcode = g_strdup("1324 HA");
  s->pupils = 408;

  ModelOrganisation *o =
      (ModelOrganisation *)tb_element(ds->organisations, tb_organisation(ds, "o1"));
  o->lrk = g_strdup("205592041");
  o->district_id = g_strdup("stad");

  ModelEmployee *e = (ModelEmployee *)tb_element(
      ds->employees, tb_employee(ds, "e-1", "stad", TB_NO_LOCATION, 0, VOG | PM | BSO, 10, 10));
  e->max_parts_per_week = 6;
  e->max_travel_km = 8;
  ModelSlotRule rule = tb_pattern(tb_date("2020-04-14"), tb_date("2020-04-24"), TUE | THU, MORNING);
  g_array_append_val(e->availability, rule);
  e = (ModelEmployee *)tb_element(ds->employees,
                                  tb_employee(ds, "e-2", "haven", TB_NO_LOCATION, 0, VOG, 10, 10));
  e->has_location = TRUE;
  e->lat = 52.33;
  e->lon = 5.25;

  ModelRequest *r = (ModelRequest *)tb_element(
      ds->requests, tb_request(ds, "r-1", "24EJ00", -1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  r->children_expected = 24;
  r->own_staff = 1;
  r->note = g_strdup("Groep 3");
  rule = tb_one(tb_date("2020-04-14"), MODEL_PART_MORNING);
  g_array_append_val(r->slots, rule);
  r = (ModelRequest *)tb_element(
      ds->requests, tb_request(ds, "r-2", "24EJ00", 2, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  rule = tb_pattern(tb_date("2020-04-14"), tb_date("2020-04-17"), MODEL_WEEKDAYS_WORK,
                    MODEL_PARTS_ALL);
  g_array_append_val(r->slots, rule);
  r = (ModelRequest *)tb_element(
      ds->requests, tb_request(ds, "r-3", "24EJ00", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  rule = tb_one(tb_date("2020-04-20"), MODEL_PART_MORNING);
  g_array_append_val(r->slots, rule);

  tb_assignment(ds->assignments, "a-1", "r-1", "e-1", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_APPROVED, NULL);
  tb_assignment(ds->assignments, "a-2", "r-2", "e-2", tb_date("2020-04-15"), MODEL_PART_AFTERNOON,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  return ds;
}

#define D(i) (&g_array_index(ds->districts, ModelDistrict, i))
#define S(i) (&g_array_index(ds->schools, ModelSchool, i))
#define O(i) (&g_array_index(ds->organisations, ModelOrganisation, i))
#define E(i) (&g_array_index(ds->employees, ModelEmployee, i))
#define R(i) (&g_array_index(ds->requests, ModelRequest, i))
#define A(i) (&g_array_index(ds->assignments, ModelAssignment, i))
#define RULE(array, j) (&g_array_index(array, ModelSlotRule, j))

static char *repeat(const char *unit, guint n) {
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    g_string_append(out, unit);
  return g_string_free(out, FALSE);
}

/* Checks `ds` and asserts the problems, as text, and that there is at least one. */
static void assert_problems(ModelDataset *ds, const char *expected) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean ok = model_dataset_check(ds, problems);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, expected);
  g_assert_false(ok);
}

/* ---- mutations, one rule each ------------------------------------------- */

static void m_neighbour_unknown(ModelDataset *ds) {
  g_ptr_array_add(D(0)->neighbours, g_strdup("noord"));
}
static void m_neighbour_self(ModelDataset *ds) {
  g_ptr_array_add(D(1)->neighbours, g_strdup("haven"));
}
static void m_neighbour_repeat(ModelDataset *ds) {
  g_ptr_array_add(D(0)->neighbours, g_strdup("haven"));
}
static void m_name_long(ModelDataset *ds) {
  g_free(S(0)->name);
  S(0)->name = repeat("a", 201);
}
static void m_name_long_utf8(ModelDataset *ds) {
  g_free(E(0)->name);
  E(0)->name = repeat("\xc3\xa9", 201);
}
static void m_name_unicode_spaces(ModelDataset *ds) {
  tb_set(&O(0)->name, " \xc2\xa0\xe2\x80\x83 "); /* no-break space, em space */
}
static void m_district_lat(ModelDataset *ds) {
  D(0)->lat = 91.3;
}
/* Gives district `d` an outline of `n` valid points round its centroid; returns it. */
static GArray *set_outline(ModelDataset *ds, guint d, guint n) {
  GArray *outline = g_array_new(FALSE, FALSE, sizeof(ModelPoint));
  for (guint i = 0; i < n; i++) {
    ModelPoint point = {D(d)->lat + 0.01 * sin(i), D(d)->lon + 0.01 * cos(i)};
    g_array_append_val(outline, point);
  }
  g_clear_pointer(&D(d)->outline, g_array_unref);
  D(d)->outline = outline;
  return outline;
}
#define POINT(outline, j) (&g_array_index(outline, ModelPoint, j))
static void m_outline_two_points(ModelDataset *ds) {
  set_outline(ds, 0, 2);
}
static void m_outline_too_many(ModelDataset *ds) {
  set_outline(ds, 1, MODEL_OUTLINE_MAX_POINTS + 1);
}
static void m_outline_lat(ModelDataset *ds) {
  POINT(set_outline(ds, 1, 8), 7)->lat = 90.5;
}
static void m_outline_lon(ModelDataset *ds) {
  POINT(set_outline(ds, 0, 3), 0)->lon = -181;
}
static void m_outline_nan(ModelDataset *ds) {
  POINT(set_outline(ds, 1, 8), 7)->lat = NAN;
}
static void m_outline_infinite(ModelDataset *ds) {
  POINT(set_outline(ds, 0, 4), 2)->lon = INFINITY;
}
static void m_school_lon(ModelDataset *ds) {
  S(0)->lon = -180.25;
}
static void m_employee_lat(ModelDataset *ds) {
  E(1)->lat = -90.5;
}
static void m_note_long(ModelDataset *ds) {
  g_free(R(0)->note);
  R(0)->note = repeat("x", 2001);
}
static void m_reason_long(ModelDataset *ds) {
  g_free(A(0)->reason);
  A(0)->reason = repeat("x", 2001);
}
static void m_to_before_from(ModelDataset *ds) {
  RULE(R(1)->slots, 0)->to = tb_date("2020-04-13");
}
static void m_span(ModelDataset *ds) {
  RULE(R(1)->slots, 0)->to = tb_date("2021-04-16");
}
static void m_weekdays_empty(ModelDataset *ds) {
  RULE(R(1)->slots, 0)->weekdays = 0;
}
static void m_parts_empty(ModelDataset *ds) {
  RULE(E(0)->availability, 0)->parts = 0;
}
static void m_expands_to_nothing(ModelDataset *ds) {
  ModelSlotRule rule = tb_pattern(tb_date("2020-04-18"), tb_date("2020-04-19"), MON, MORNING);
  g_array_append_val(R(2)->slots, rule);
}
/* Three years of every day part on top of r-2's 8: 2200 day parts in one list. */
static void m_list_too_long(ModelDataset *ds) {
  for (int year = 2020; year <= 2022; year++) {
    g_autofree char *from = g_strdup_printf("%d-01-01", year);
    g_autofree char *to = g_strdup_printf("%d-12-31", year);
    ModelSlotRule rule =
        tb_pattern(tb_date(from), tb_date(to), MODEL_WEEKDAYS_ALL, MODEL_PARTS_ALL);
    g_array_append_val(R(1)->slots, rule);
  }
}
/* Overlapping rules count once per rule: the same year three times. */
static void m_availability_too_long(ModelDataset *ds) {
  for (int i = 0; i < 3; i++) {
    ModelSlotRule rule = tb_pattern(tb_date("2020-01-01"), tb_date("2020-12-31"),
                                    MODEL_WEEKDAYS_ALL, MODEL_PARTS_ALL);
    g_array_append_val(E(1)->availability, rule);
  }
}
static void m_from_out_of_range(ModelDataset *ds) {
  RULE(R(1)->slots, 0)->from = model_date_from_ymd(1899, 12, 31);
}
static void m_one_two_parts(ModelDataset *ds) {
  RULE(R(0)->slots, 0)->parts = MODEL_PARTS_ALL;
}
static void m_slots_empty(ModelDataset *ds) {
  g_array_set_size(R(2)->slots, 0);
}
static void m_slot_date(ModelDataset *ds) {
  A(1)->slot.date = tb_date("2020-04-18");
}
static void m_slot_part(ModelDataset *ds) {
  A(0)->slot.part = MODEL_PART_AFTERNOON;
}
static void m_decided_by_missing(ModelDataset *ds) {
  g_clear_pointer(&A(0)->decided_by, g_free);
}
static void m_decided_at_missing(ModelDataset *ds) {
  A(0)->decided_at = -1;
}
static void m_decided_at_proposed(ModelDataset *ds) {
  A(1)->decided_at = 1586856600;
}
static void m_cancelled_undecided(ModelDataset *ds) {
  A(1)->status = MODEL_ASSIGNMENT_CANCELLED;
  A(1)->decided_at = 1586856600;
}
static void m_approved_twice(ModelDataset *ds) {
  ModelAssignment *a = A(1);
  a->status = MODEL_ASSIGNMENT_APPROVED;
  tb_set(&a->employee_id, "e-1");
  a->slot = (ModelSlot){tb_date("2020-04-14"), MODEL_PART_MORNING};
  tb_set(&a->decided_by, "coordinator");
  a->decided_at = 1586860000;
}

/* A mutation as data: field `field` of entity `index` of the dataset array at `array`
 * set to `text` (a string field) or, when `text` is NULL, to `number` (a gint32). */
typedef struct {
  gsize array;
  guint index;
  gsize field;
  const char *text;
  gint32 number;
} Edit;

#define SET_TEXT(array, type, i, member, value)                                                    \
  { G_STRUCT_OFFSET(ModelDataset, array), i, G_STRUCT_OFFSET(type, member), value, 0 }
#define SET_NUMBER(array, type, i, member, value)                                                  \
  { G_STRUCT_OFFSET(ModelDataset, array), i, G_STRUCT_OFFSET(type, member), NULL, value }
#define NO_EDIT                                                                                    \
  { 0, 0, 0, NULL, 0 }

static void apply_edit(ModelDataset *ds, const Edit *edit) {
  gpointer object = tb_element(G_STRUCT_MEMBER(GArray *, ds, edit->array), edit->index);
  if (edit->text != NULL)
    tb_set(&G_STRUCT_MEMBER(char *, object, edit->field), edit->text);
  else
    G_STRUCT_MEMBER(gint32, object, edit->field) = edit->number;
}

/* An invalid dataset: the valid one changed by `mutate`, or else by `edit`, and the
 * one problem expected. */
typedef struct {
  const char *name;
  void (*mutate)(ModelDataset *ds);
  Edit edit;
  const char *pointer;
  const char *message;
} InvalidCase;

#define ID_RULE "(expected 1 to 64 characters of A-Z a-z 0-9 . _ : -)"

static const InvalidCase invalid_cases[] = {
    {"id-invalid", NULL, SET_TEXT(assignments, ModelAssignment, 1, id, "a 2"), "assignments/1/id",
     "\"a 2\" is not a valid id " ID_RULE},
    {"id-empty", NULL, SET_TEXT(requests, ModelRequest, 2, id, ""), "requests/2/id",
     "\"\" is not a valid id " ID_RULE},
    {"id-quote", NULL, SET_TEXT(assignments, ModelAssignment, 1, id, "a\"2"), "assignments/1/id",
     "\"a\\\"2\" is not a valid id " ID_RULE},
    {"id-duplicate", NULL, SET_TEXT(requests, ModelRequest, 2, id, "r-1"), "requests/2/id",
     "duplicate id \"r-1\" (first at requests/0)"},
    {"ref-school", NULL, SET_TEXT(requests, ModelRequest, 1, school_id, "s-99"),
     "requests/1/school", "no school with id \"s-99\""},
    {"ref-school-district", NULL, SET_TEXT(schools, ModelSchool, 0, district_id, "noord"),
     "schools/0/district", "no district with id \"noord\""},
    {"ref-organisation-district", NULL,
     SET_TEXT(organisations, ModelOrganisation, 0, district_id, "noord"),
     "organisations/0/district", "no district with id \"noord\""},
    {"ref-employee-organisation", NULL,
     SET_TEXT(employees, ModelEmployee, 1, organisation_id, "org-9"), "employees/1/organisation",
     "no organisation with id \"org-9\""},
    {"ref-employee-district", NULL, SET_TEXT(employees, ModelEmployee, 0, district_id, "noord"),
     "employees/0/district", "no district with id \"noord\""},
    {"ref-assignment-request", NULL, SET_TEXT(assignments, ModelAssignment, 1, request_id, "r-9"),
     "assignments/1/request", "no request with id \"r-9\""},
    {"ref-assignment-employee", NULL, SET_TEXT(assignments, ModelAssignment, 1, employee_id, "e-9"),
     "assignments/1/employee", "no employee with id \"e-9\""},
    {"neighbour-unknown", m_neighbour_unknown, NO_EDIT, "districts/0/neighbours/1",
     "no district with id \"noord\""},
    {"neighbour-self", m_neighbour_self, NO_EDIT, "districts/1/neighbours/1",
     "\"haven\" is the district itself (expected a neighbouring district)"},
    {"neighbour-repeat", m_neighbour_repeat, NO_EDIT, "districts/0/neighbours/1",
     "duplicate neighbour \"haven\" (first at districts/0/neighbours/0)"},
    {"name-empty", NULL, SET_TEXT(districts, ModelDistrict, 1, name, ""), "districts/1/name",
     "\"\" is empty (expected 1 to 200 characters)"},
    {"name-long", m_name_long, NO_EDIT, "schools/0/name",
     "a string of 201 characters is too long (expected 1 to 200 characters)"},
    {"name-long-utf8", m_name_long_utf8, NO_EDIT, "employees/0/name",
     "a string of 201 characters is too long (expected 1 to 200 characters)"},
    {"name-newline", NULL, SET_TEXT(employees, ModelEmployee, 0, name, "Sanne\r\nEND:VEVENT"),
     "employees/0/name",
     "a control character U+000D (expected a single line without control characters)"},
    {"name-spaces", NULL, SET_TEXT(employees, ModelEmployee, 0, name, "   "), "employees/0/name",
     "\"   \" is only white space (expected a name with at least one character that is not "
     "white space)"},
    {"name-unicode-spaces", m_name_unicode_spaces, NO_EDIT, "organisations/0/name",
     "\" \xc2\xa0\xe2\x80\x83 \" is only white space (expected a name with at least one character "
     "that is not white space)"},
    {"name-tab", NULL, SET_TEXT(schools, ModelSchool, 0, name, "De\tDriemaster"), "schools/0/name",
     "a control character U+0009 (expected a single line without control characters)"},
    {"note-control", NULL, SET_TEXT(requests, ModelRequest, 0, note, "Groep 3\n\x1b[2J"),
     "requests/0/note",
     "a control character U+001B (expected text without control characters other than line "
     "breaks and tabs)"},
    {"name-not-utf8", NULL,
     SET_TEXT(organisations, ModelOrganisation, 0, name, "De \xff Boerderij"),
     "organisations/0/name", "not valid UTF-8 (expected a UTF-8 string)"},
    {"district-lat", m_district_lat, NO_EDIT, "districts/0/lat",
     "91.3 is out of range (expected a number from -90 to 90)"},
    {"outline-two-points", m_outline_two_points, NO_EDIT, "districts/0/outline",
     "2 points (expected from 3 to 5000 points)"},
    {"outline-too-many", m_outline_too_many, NO_EDIT, "districts/1/outline",
     "5001 points (expected from 3 to 5000 points)"},
    {"outline-lat", m_outline_lat, NO_EDIT, "districts/1/outline/7/lat",
     "90.5 is out of range (expected a number from -90 to 90)"},
    {"outline-lon", m_outline_lon, NO_EDIT, "districts/0/outline/0/lon",
     "-181 is out of range (expected a number from -180 to 180)"},
    {"outline-nan", m_outline_nan, NO_EDIT, "districts/1/outline/7/lat",
     "nan is not a finite number (expected a number from -90 to 90)"},
    {"outline-infinite", m_outline_infinite, NO_EDIT, "districts/0/outline/2/lon",
     "inf is not a finite number (expected a number from -180 to 180)"},
    {"school-lon", m_school_lon, NO_EDIT, "schools/0/lon",
     "-180.25 is out of range (expected a number from -180 to 180)"},
    {"employee-lat", m_employee_lat, NO_EDIT, "employees/1/lat",
     "-90.5 is out of range (expected a number from -90 to 90)"},
    {"brin", NULL, SET_TEXT(schools, ModelSchool, 0, brin, "7NU"), "schools/0/brin",
     "\"7NU\" is not a BRIN code (expected two digits and two capital letters, optionally two "
     "more digits: 07NU or 07NU00)"},
    {"postcode", NULL, SET_TEXT(schools, ModelSchool, 0, postcode, "1324-HA"), "schools/0/postcode",
     "\"1324-HA\" is not a postcode (expected 1234 AB, 1234AB or 1234)"},
    {"lrk", NULL, SET_TEXT(organisations, ModelOrganisation, 0, lrk, "20559204"),
     "organisations/0/lrk", "\"20559204\" is not an LRK number (expected nine digits)"},
    {"pupils", NULL, SET_NUMBER(schools, ModelSchool, 0, pupils, 100001), "schools/0/pupils",
     "100001 is out of range (expected an integer from 0 to 100000)"},
    {"pupils-negative", NULL, SET_NUMBER(schools, ModelSchool, 0, pupils, -2), "schools/0/pupils",
     "-2 is out of range (expected an integer from 0 to 100000)"},
    {"max-parts-high", NULL, SET_NUMBER(employees, ModelEmployee, 1, max_parts_per_week, 15),
     "employees/1/max_parts_per_week", "15 is out of range (expected an integer from 1 to 14)"},
    {"max-parts-zero", NULL, SET_NUMBER(employees, ModelEmployee, 1, max_parts_per_week, 0),
     "employees/1/max_parts_per_week", "0 is out of range (expected an integer from 1 to 14)"},
    {"employee-travel", NULL, SET_NUMBER(employees, ModelEmployee, 0, max_travel_km, 301),
     "employees/0/max_travel_km", "301 is out of range (expected an integer from 0 to 300)"},
    {"request-travel", NULL, SET_NUMBER(requests, ModelRequest, 0, max_travel_km, -1),
     "requests/0/max_travel_km", "-1 is out of range (expected an integer from 0 to 300)"},
    {"note-long", m_note_long, NO_EDIT, "requests/0/note",
     "a string of 2001 characters is too long (expected at most 2000 characters)"},
    {"reason-long", m_reason_long, NO_EDIT, "assignments/0/reason",
     "a string of 2001 characters is too long (expected at most 2000 characters)"},
    {"pattern-to-before-from", m_to_before_from, NO_EDIT, "requests/1/slots/0/to",
     "\"2020-04-13\" is before from (expected a date on or after 2020-04-14)"},
    {"pattern-span", m_span, NO_EDIT, "requests/1/slots/0/to",
     "\"2021-04-16\" is 367 days after from (expected at most 366 days)"},
    {"pattern-weekdays-empty", m_weekdays_empty, NO_EDIT, "requests/1/slots/0/weekdays",
     "[] is empty (expected at least one of mon, tue, wed, thu, fri, sat, sun)"},
    {"pattern-parts-empty", m_parts_empty, NO_EDIT, "employees/0/availability/0/parts",
     "[] is empty (expected at least one of morning, afternoon)"},
    {"pattern-expands-to-nothing", m_expands_to_nothing, NO_EDIT, "requests/2/slots/1",
     "pattern from 2020-04-18 to 2020-04-19 on mon expands to no day part"},
    {"list-too-long", m_list_too_long, NO_EDIT, "requests/1/slots",
     "4 rules expand to 2200 day parts (expected at most 2000 day parts in one list, overlaps "
     "counted)"},
    {"availability-too-long", m_availability_too_long, NO_EDIT, "employees/1/availability",
     "3 rules expand to 2196 day parts (expected at most 2000 day parts in one list, overlaps "
     "counted)"},
    {"pattern-from-out-of-range", m_from_out_of_range, NO_EDIT, "requests/1/slots/0/from",
     "\"1899-12-31\" is not a valid date (expected YYYY-MM-DD in the years 1900 to 2999)"},
    {"one-two-parts", m_one_two_parts, NO_EDIT, "requests/0/slots/0",
     "not a single day part (expected one date and one part)"},
    {"slots-empty", m_slots_empty, NO_EDIT, "requests/2/slots",
     "[] is empty (expected at least one slot rule)"},
    {"need-both", NULL, SET_NUMBER(requests, ModelRequest, 1, children_expected, 30),
     "requests/1/children_expected",
     "30 given together with staff_needed (expected exactly one of staff_needed and "
     "children_expected)"},
    {"need-neither", NULL, SET_NUMBER(requests, ModelRequest, 1, staff_needed, -1),
     "requests/1/staff_needed", "missing (expected staff_needed or children_expected)"},
    {"staff-zero", NULL, SET_NUMBER(requests, ModelRequest, 1, staff_needed, 0),
     "requests/1/staff_needed", "0 is out of range (expected an integer from 1 to 1000)"},
    {"staff-high", NULL, SET_NUMBER(requests, ModelRequest, 1, staff_needed, 1001),
     "requests/1/staff_needed", "1001 is out of range (expected an integer from 1 to 1000)"},
    {"children-zero", NULL, SET_NUMBER(requests, ModelRequest, 0, children_expected, 0),
     "requests/0/children_expected", "0 is out of range (expected an integer from 1 to 10000)"},
    {"children-high", NULL, SET_NUMBER(requests, ModelRequest, 0, children_expected, 10001),
     "requests/0/children_expected", "10001 is out of range (expected an integer from 1 to 10000)"},
    {"own-staff-high", NULL, SET_NUMBER(requests, ModelRequest, 0, own_staff, 1001),
     "requests/0/own_staff", "1001 is out of range (expected an integer from 0 to 1000)"},
    {"own-staff-without-children", NULL, SET_NUMBER(requests, ModelRequest, 1, own_staff, 0),
     "requests/1/own_staff",
     "0 given without children_expected (expected own_staff only with children_expected)"},
    {"slot-date", m_slot_date, NO_EDIT, "assignments/1/date",
     "\"2020-04-18\" afternoon is not a slot of request \"r-2\" (expected a date and part the "
     "request asks for)"},
    {"slot-part", m_slot_part, NO_EDIT, "assignments/0/date",
     "\"2020-04-14\" afternoon is not a slot of request \"r-1\" (expected a date and part the "
     "request asks for)"},
    {"decided-by-missing", m_decided_by_missing, NO_EDIT, "assignments/0/decided_by",
     "missing (expected who decided, as the status is \"approved\")"},
    {"decided-at-missing", m_decided_at_missing, NO_EDIT, "assignments/0/decided_at",
     "missing (expected an RFC 3339 UTC time such as 2020-04-14T09:30:00Z, as the status is "
     "\"approved\")"},
    {"decided-by-proposed", NULL,
     SET_TEXT(assignments, ModelAssignment, 1, decided_by, "coordinator"),
     "assignments/1/decided_by",
     "\"coordinator\" given while proposed (expected no decided_by before a decision)"},
    {"decided-at-proposed", m_decided_at_proposed, NO_EDIT, "assignments/1/decided_at",
     "\"2020-04-14T09:30:00Z\" given while proposed (expected no decided_at before a decision)"},
    {"decided-by-empty", NULL, SET_TEXT(assignments, ModelAssignment, 0, decided_by, ""),
     "assignments/0/decided_by", "\"\" is empty (expected 1 to 200 characters)"},
    {"cancelled-undecided", m_cancelled_undecided, NO_EDIT, "assignments/1/decided_by",
     "missing (expected who decided, as the status is \"cancelled\")"},
    {"approved-twice", m_approved_twice, NO_EDIT, "assignments/1/status",
     "employee \"e-1\" already has an approved assignment on 2020-04-14 morning (first at "
     "assignments/0)"},
};

static void test_invalid(gconstpointer data) {
  const InvalidCase *c = data;
  g_autoptr(ModelDataset) ds = valid_dataset();
  if (c->mutate != NULL)
    c->mutate(ds);
  else
    apply_edit(ds, &c->edit);
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean ok = model_dataset_check(ds, problems);
  g_autofree char *all = model_problems_to_string(problems);
  g_autofree char *expected = g_strdup_printf("%s: %s", c->pointer, c->message);
  g_assert_cmpstr(all, ==, expected);
  g_assert_cmpuint(problems->len, ==, 1);
  const ModelProblem *p = g_ptr_array_index(problems, 0);
  g_assert_cmpstr(p->pointer, ==, c->pointer);
  g_assert_cmpstr(p->message, ==, c->message);
  g_assert_false(ok);
}

static void test_valid(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_true(model_dataset_check(ds, problems));
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, "");
  /* The check indexes the dataset. */
  g_assert_cmpint(model_dataset_find_request(ds, "r-3"), ==, 2);
}

/* Values on the edge of every range pass. */
static void test_edges(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  RULE(R(1)->slots, 0)->to = tb_date("2021-04-15"); /* exactly 366 days */
  set_outline(ds, 1, MODEL_OUTLINE_MAX_POINTS);
  GArray *corners = set_outline(ds, 0, MODEL_OUTLINE_MIN_POINTS);
  *POINT(corners, 0) = (ModelPoint){90, 180};
  *POINT(corners, 1) = (ModelPoint){-90, -180};
  *POINT(corners, 2) = (ModelPoint){-0.0, 0};
  D(0)->lat = 90;
  D(1)->lon = -180;
  S(0)->pupils = 0;
  g_free(S(0)->name);
  S(0)->name = repeat("\xc3\xa9", 200);
  tb_set(&S(0)->postcode, "1324");
  tb_set(&S(0)->brin, "24EJ");
  E(0)->max_parts_per_week = 14;
  E(1)->max_parts_per_week = 1;
  E(0)->max_travel_km = 0;
  E(0)->has_location = FALSE;
  E(0)->lat = 500; /* ignored without a location */
  R(0)->own_staff = 1000;
  R(0)->children_expected = 10000;
  R(1)->staff_needed = 1000;
  R(2)->max_travel_km = 300;
  tb_set(&R(2)->note, "");
  g_free(A(0)->reason);
  A(0)->reason = repeat("x", 2000);
  A(1)->status = MODEL_ASSIGNMENT_REJECTED; /* rejected needs decided_by and decided_at */
  tb_set(&A(1)->decided_by, "c");
  A(1)->decided_at = 0;
  tb_finish(ds);
}

/* Rejected and cancelled assignments are history: they may stand on a day part the
 * request no longer asks for; a proposed or approved one may not. */
static void test_history_outside_slots(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  A(1)->slot.date = tb_date("2020-04-18");
  A(1)->status = MODEL_ASSIGNMENT_REJECTED;
  tb_set(&A(1)->decided_by, "c");
  A(1)->decided_at = 0;
  tb_finish(ds);
  A(1)->status = MODEL_ASSIGNMENT_CANCELLED;
  tb_finish(ds);
}

/* A slot list may expand to exactly MODEL_SLOT_LIST_MAX_PARTS day parts, counted per
 * rule as model_slot_rule_expand() would append them (partial weeks, weekday subsets,
 * a year boundary); one more is a problem. */
static void test_list_cap(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  GArray *slots = R(1)->slots; /* keeps its rule, 8 day parts a-2 needs */
  const ModelSlotRule rules[] = {
      tb_pattern(tb_date("2020-12-30"), tb_date("2021-12-29"), MODEL_WEEKDAYS_ALL, MODEL_PARTS_ALL),
      tb_pattern(tb_date("2021-03-03"), tb_date("2022-03-01"), MODEL_WEEKDAYS_WORK,
                 MODEL_PARTS_ALL),
      tb_pattern(tb_date("2019-12-28"), tb_date("2020-05-06"), MON | THU, MORNING),
  };
  g_array_append_vals(slots, rules, G_N_ELEMENTS(rules));
  g_autoptr(GArray) expanded = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  for (guint j = 0; j < slots->len; j++)
    model_slot_rule_expand(RULE(slots, j), expanded);
  g_assert_cmpuint(expanded->len, ==, 8 + 730 + 520 + 37);
  guint day = 0;
  while (expanded->len < MODEL_SLOT_LIST_MAX_PARTS) {
    ModelSlotRule one = {MODEL_SLOT_RULE_ONE, tb_date("2024-01-01") + (ModelDate)(day / 2),
                         tb_date("2024-01-01") + (ModelDate)(day / 2), MODEL_WEEKDAYS_ALL,
                         (guint8)(1u << (day % 2))};
    day++;
    g_array_append_val(slots, one);
    model_slot_rule_expand(&one, expanded);
  }
  tb_finish(ds);

  ModelSlotRule one = tb_one(tb_date("2020-04-14"), MODEL_PART_MORNING);
  g_array_append_val(slots, one);
  g_autoptr(GPtrArray) again = model_problems_new();
  g_assert_false(model_dataset_check(ds, again));
  g_autofree char *got = model_problems_to_string(again);
  g_autofree char *expected = g_strdup_printf(
      "requests/1/slots: %u rules expand to 2001 day parts (expected at most 2000 day parts "
      "in one list, overlaps counted)",
      slots->len);
  g_assert_cmpstr(got, ==, expected);
}

/* Missing required strings were reported by the decoder: no second report. */
static void test_null_skipped(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  g_clear_pointer(&D(0)->name, g_free);
  g_clear_pointer(&S(0)->brin, g_free);
  g_clear_pointer(&O(0)->name, g_free);
  g_clear_pointer(&E(0)->organisation_id, g_free);
  g_clear_pointer(&E(1)->district_id, g_free);
  g_clear_pointer(&R(2)->school_id, g_free);
  g_clear_pointer(&R(2)->slots, g_array_unref);
  g_clear_pointer(&A(1)->employee_id, g_free);
  g_clear_pointer(&R(1)->id, g_free);
  /* r-2 has no id now, so a-2 refers to a request that is not there. */
  assert_problems(ds, "assignments/1/request: no request with id \"r-2\"");
}

/* Several problems come out in document order, numeric segments as numbers. */
static void test_many_sorted(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  for (int i = 0; i < 10; i++) /* requests/3..12, no slots */
    tb_request(ds, "r-x", "24EJ00", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
  tb_set(&R(12)->school_id, "s-99");
  E(1)->max_parts_per_week = 15;
  tb_set(&S(0)->brin, "7NU");
  m_neighbour_self(ds);
  m_approved_twice(ds);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_false(model_dataset_check(ds, problems));
  g_autofree char *all = model_problems_to_string(problems);
  GString *expected = g_string_new(
      "districts/1/neighbours/1: \"haven\" is the district itself (expected a neighbouring "
      "district)\n"
      "schools/0/brin: \"7NU\" is not a BRIN code (expected two digits and two capital "
      "letters, optionally two more digits: 07NU or 07NU00)\n"
      "employees/1/max_parts_per_week: 15 is out of range (expected an integer from 1 to 14)\n"
      "requests/3/slots: [] is empty (expected at least one slot rule)\n");
  for (int i = 4; i <= 12; i++) {
    g_string_append_printf(expected,
                           "requests/%d/id: duplicate id \"r-x\" (first at "
                           "requests/3)\n",
                           i);
    if (i == 12)
      g_string_append(expected, "requests/12/school: no school with id \"s-99\"\n");
    g_string_append_printf(expected,
                           "requests/%d/slots: [] is empty (expected at least one slot rule)\n", i);
  }
  g_string_append(expected, "assignments/1/status: employee \"e-1\" already has an approved "
                            "assignment on 2020-04-14 morning (first at assignments/0)");
  g_assert_cmpstr(all, ==, expected->str);
  g_string_free(expected, TRUE);
}

/* Problems already in the list (from the decoder) do not count as new ones. */
static void test_existing_problems(void) {
  g_autoptr(ModelDataset) ds = valid_dataset();
  g_autoptr(GPtrArray) problems = model_problems_new();
  model_problems_add(problems, "requests/0/colour", "unknown key (expected one of %s)", "id");
  g_assert_true(model_dataset_check(ds, problems));
  g_assert_cmpuint(problems->len, ==, 1);
}

static void test_problems_sort(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  model_problems_add(problems, "assignments/0/id", "x");
  model_problems_add(problems, "requests/10/slots/0/to", "x");
  model_problems_add(problems, "requests/9/slots/0/to", "x");
  model_problems_add(problems, "requests/9/slots/0/from", "x");
  model_problems_add(problems, "requests/9", "x");
  model_problems_add(problems, "requests/9/school", "b");
  model_problems_add(problems, "requests/9/school", "a");
  model_problems_add(problems, "requests/9/colour", "x");
  model_problems_add(problems, "requests/9/slots/10/date", "x");
  model_problems_add(problems, "requests/9/slots/2/part", "x");
  model_problems_add(problems, "requests/9/slots/2/date", "x");
  model_problems_add(problems, "districts/2/name", "x");
  model_problems_add(problems, "districts/2/id", "x");
  model_problems_add(problems, "zebras", "x");
  model_problems_add(problems, "schools/0/brin", "x");
  model_problems_add(problems, "", "syntax error at byte %d", 3);
  model_problems_add(problems, NULL, "%s", "no pointer");
  model_problems_sort(problems);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==,
                  ": no pointer\n"
                  ": syntax error at byte 3\n"
                  "districts/2/id: x\n"
                  "districts/2/name: x\n"
                  "schools/0/brin: x\n"
                  "requests/9: x\n"
                  "requests/9/school: a\n"
                  "requests/9/school: b\n"
                  "requests/9/slots/0/from: x\n"
                  "requests/9/slots/0/to: x\n"
                  "requests/9/slots/2/date: x\n"
                  "requests/9/slots/2/part: x\n"
                  "requests/9/slots/10/date: x\n"
                  "requests/9/colour: x\n"
                  "requests/10/slots/0/to: x\n"
                  "assignments/0/id: x\n"
                  "zebras: x");
  g_autoptr(GPtrArray) empty = model_problems_new();
  g_autofree char *none = model_problems_to_string(empty);
  g_assert_cmpstr(none, ==, "");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/model/check/valid", test_valid);
  g_test_add_func("/model/check/edges", test_edges);
  TEST_ADD_TABLE("/model/check/invalid", invalid_cases, name, test_invalid);
  g_test_add_func("/model/check/list-cap", test_list_cap);
  g_test_add_func("/model/check/history-outside-slots", test_history_outside_slots);
  g_test_add_func("/model/check/null-skipped", test_null_skipped);
  g_test_add_func("/model/check/many-sorted", test_many_sorted);
  g_test_add_func("/model/check/existing-problems", test_existing_problems);
  g_test_add_func("/model/problems/sort", test_problems_sort);
  return g_test_run();
}
