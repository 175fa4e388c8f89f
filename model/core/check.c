/* check.c: model_dataset_check(), every rule of the dataset format that spans fields
 * or entities (types and unknown keys are the decoder's).  Each violation becomes one
 * ModelProblem at the JSON Pointer of the offending value; messages quote the found
 * value as JSON and end with "(expected ...)".  A NULL required string was already
 * reported missing by the decoder and is skipped, so no problem is reported twice.
 */
#include "model.h"

#include <math.h>
#include <string.h>

#define NAME_MAX_CHARS 200
#define TEXT_MAX_CHARS 2000
#define MAX_PARTS_PER_WEEK 14
#define MAX_TRAVEL_KM 300
#define MAX_PUPILS 100000
#define MAX_STAFF 1000
#define MAX_CHILDREN 10000

typedef struct {
  ModelDataset *dataset;
  GPtrArray *problems;
  /* Per request: expanded slots (GArray of ModelSlot), NULL while not computed or when
   * its rules are invalid; rules_ok says which. */
  GPtrArray *request_slots;
  gboolean *request_rules_ok;
} Checker;

/* ---- formatting --------------------------------------------------------- */

/* `text` as a JSON string literal (transfer full). */
static char *json_quote(const char *text) {
  GString *out = g_string_new("\"");
  for (const char *p = text; *p != '\0'; p++) {
    unsigned char c = (unsigned char)*p;
    switch (c) {
    case '"':
      g_string_append(out, "\\\"");
      break;
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    default:
      if (c < 0x20)
        g_string_append_printf(out, "\\u%04x", c);
      else
        g_string_append_c(out, (char)c);
    }
  }
  g_string_append_c(out, '"');
  return g_string_free(out, FALSE);
}

/* A date as a quoted JSON string (transfer full). */
static char *quote_date(ModelDate date) {
  char buf[11];
  model_date_format(date, buf);
  return g_strdup_printf("\"%s\"", buf);
}

/* The shortest of %.15g..%.17g that reads back as `value`, as a JSON encoder would
 * print it (91.3, not 91.299999999999997). */
static char *format_number(double value) {
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  static const char *const formats[] = {"%.15g", "%.16g", "%.17g"};
  for (guint i = 0; i < G_N_ELEMENTS(formats); i++) {
    g_ascii_formatd(buf, sizeof buf, formats[i], value);
    if (g_ascii_strtod(buf, NULL) == value)
      break;
  }
  return g_strdup(buf);
}

/* "mon, wed" for a set of weekday bits (transfer full). */
static char *weekday_list(guint8 weekdays) {
  GString *out = g_string_new(NULL);
  for (int d = 1; d <= 7; d++) {
    if (weekdays & (1u << (d - 1))) {
      if (out->len > 0)
        g_string_append(out, ", ");
      g_string_append(out, model_weekday_name(d));
    }
  }
  return g_string_free(out, FALSE);
}

/* ---- single-value rules ------------------------------------------------- */

static void check_int(Checker *c, const char *pointer, gint64 value, gint64 min, gint64 max) {
  if (value < min || value > max)
    model_problems_add(c->problems, pointer,
                       "%" G_GINT64_FORMAT
                       " is out of range (expected an integer from %" G_GINT64_FORMAT
                       " to %" G_GINT64_FORMAT ")",
                       value, min, max);
}

static void check_coordinate(Checker *c, const char *pointer, double value, int limit) {
  if (!(value >= -limit && value <= limit)) {
    g_autofree char *found = format_number(value);
    model_problems_add(c->problems, pointer, "%s is %s (expected a number from %d to %d)", found,
                       isfinite(value) ? "out of range" : "not a finite number", -limit, limit);
  }
}

static void check_location(Checker *c, const char *base, double lat, double lon) {
  g_autofree char *lat_ptr = g_strdup_printf("%s/lat", base);
  g_autofree char *lon_ptr = g_strdup_printf("%s/lon", base);
  check_coordinate(c, lat_ptr, lat, 90);
  check_coordinate(c, lon_ptr, lon, 180);
}

/* A string of min..max characters (UTF-8 code points) without control characters
 * (U+0000-U+001F, U+007F): names end up in calendar feeds, CSV files and HTTP headers,
 * where a line break would start a new field or line.  `multiline` text (notes,
 * reasons) may hold line breaks and tabs.  NULL is skipped. */
static void check_text(Checker *c, const char *pointer, const char *text, glong min, glong max,
                       gboolean multiline) {
  if (text == NULL)
    return;
  if (!g_utf8_validate(text, -1, NULL)) {
    model_problems_add(c->problems, pointer, "not valid UTF-8 (expected a UTF-8 string)");
    return;
  }
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    gboolean allowed = multiline && (*p == '\n' || *p == '\r' || *p == '\t');
    if ((*p < 0x20 || *p == 0x7F) && !allowed) {
      model_problems_add(c->problems, pointer, "a control character U+%04X (expected %s)", *p,
                         multiline ? "text without control characters other than line breaks "
                                     "and tabs"
                                   : "a single line without control characters");
      return;
    }
  }
  glong n = g_utf8_strlen(text, -1);
  if (n >= min && n <= max)
    return;
  if (n == 0)
    model_problems_add(c->problems, pointer, "\"\" is empty (expected %ld to %ld characters)", min,
                       max);
  else if (min > 0)
    model_problems_add(c->problems, pointer,
                       "a string of %ld characters is too long (expected %ld to %ld characters)", n,
                       min, max);
  else
    model_problems_add(c->problems, pointer,
                       "a string of %ld characters is too long (expected at most %ld characters)",
                       n, max);
}

/* A name: check_text() with 1..NAME_MAX_CHARS characters, and at least one that is not
 * white space, so a list, a calendar event or a CSV row never shows a blank name.
 * NULL is skipped. */
static void check_name(Checker *c, const char *pointer, const char *name) {
  guint before = c->problems->len;
  check_text(c, pointer, name, 1, NAME_MAX_CHARS, FALSE);
  if (name == NULL || name[0] == '\0' || c->problems->len != before)
    return;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char(p))
    if (!g_unichar_isspace(g_utf8_get_char(p)))
      return;
  g_autofree char *found = json_quote(name);
  model_problems_add(c->problems, pointer,
                     "%s is only white space (expected a name with at least one character "
                     "that is not white space)",
                     found);
}

/* The id of entity `i` of array `kind`: valid, and the first with that value. */
static void check_id(Checker *c, const char *kind, guint i, const char *id, GHashTable *index) {
  if (id == NULL)
    return;
  g_autofree char *pointer = g_strdup_printf("%s/%u/id", kind, i);
  if (!model_id_is_valid(id)) {
    g_autofree char *found = json_quote(id);
    model_problems_add(c->problems, pointer,
                       "%s is not a valid id (expected 1 to 64 characters of A-Z a-z 0-9 . _ : -)",
                       found);
  }
  guint first = GPOINTER_TO_UINT(g_hash_table_lookup(index, id));
  g_assert(first >= 1);
  if (first - 1 != i) {
    g_autofree char *found = json_quote(id);
    model_problems_add(c->problems, pointer, "duplicate id %s (first at %s/%u)", found, kind,
                       first - 1);
  }
}

/* A reference to an entity of `what` ("school"); NULL is skipped.  Returns the index
 * found or -1. */
static gint check_ref(Checker *c, const char *pointer, const char *what, GHashTable *index,
                      const char *id) {
  if (id == NULL)
    return -1;
  gpointer found = g_hash_table_lookup(index, id);
  if (found == NULL) {
    g_autofree char *quoted = json_quote(id);
    model_problems_add(c->problems, pointer, "no %s with id %s", what, quoted);
    return -1;
  }
  return (gint)GPOINTER_TO_UINT(found) - 1;
}

static void check_format(Checker *c, const char *pointer, const char *text,
                         gboolean (*valid)(const char *), const char *what, const char *expected) {
  if (text == NULL || valid(text))
    return;
  g_autofree char *found = json_quote(text);
  model_problems_add(c->problems, pointer, "%s is not %s (expected %s)", found, what, expected);
}

/* The optional e-mail address and telephone number under `base` ("employees/3"). */
static void check_reachable(Checker *c, const char *base, const char *email, const char *phone) {
  g_autofree char *email_at = g_strdup_printf("%s/email", base);
  check_format(c, email_at, email, model_email_is_valid, "an e-mail address",
               "name@domain.nl, without spaces");
  g_autofree char *phone_at = g_strdup_printf("%s/phone", base);
  check_format(c, phone_at, phone, model_phone_is_valid, "a telephone number",
               "8 to 15 digits, optionally with a leading + and spaces or hyphens: 06-12345678");
}

/* A school's or an organisation's contact, at "schools/0/contact". */
static void check_contact(Checker *c, const char *base, const ModelContact *contact) {
  g_autofree char *pointer = g_strdup_printf("%s/contact", base);
  if (contact->name != NULL) {
    g_autofree char *name = g_strdup_printf("%s/name", pointer);
    check_name(c, name, contact->name);
  }
  check_reachable(c, pointer, contact->email, contact->phone);
}

/* ---- slot rules --------------------------------------------------------- */

static gboolean date_in_range(ModelDate date) {
  return date >= model_date_from_ymd(1900, 1, 1) && date <= model_date_from_ymd(2999, 12, 31);
}

static gboolean check_date(Checker *c, const char *base, const char *key, ModelDate date) {
  if (date_in_range(date))
    return TRUE;
  g_autofree char *pointer = g_strdup_printf("%s/%s", base, key);
  g_autofree char *found = quote_date(date);
  model_problems_add(c->problems, pointer,
                     "%s is not a valid date (expected YYYY-MM-DD in the years 1900 to 2999)",
                     found);
  return FALSE;
}

/* Day parts a rule expands to, counted without expanding it (model_slot_rule_expand()
 * would append exactly this many): whole weeks hold every chosen weekday once, the
 * remaining days are looked at one by one.  0 when to < from. */
static guint64 rule_parts(const ModelSlotRule *rule) {
  if (rule->to < rule->from)
    return 0;
  guint weekdays =
      rule->kind == MODEL_SLOT_RULE_ONE ? MODEL_WEEKDAYS_ALL : rule->weekdays & MODEL_WEEKDAYS_ALL;
  guint64 n_days = (guint64)((gint64)rule->to - rule->from + 1);
  guint64 days = n_days / 7 * (guint64)__builtin_popcount(weekdays);
  for (guint64 k = 0; k < n_days % 7; k++) {
    int weekday = model_date_weekday((ModelDate)(rule->from + (gint64)k));
    if (weekdays & (1u << (weekday - 1)))
      days++;
  }
  return days * (guint64)__builtin_popcount(rule->parts & MODEL_PARTS_ALL);
}

/* One rule at `base` ("requests/3/slots/0"); TRUE when it is valid. */
static gboolean check_rule(Checker *c, const char *base, const ModelSlotRule *rule) {
  if (rule->kind == MODEL_SLOT_RULE_ONE) {
    if (!check_date(c, base, "date", rule->from))
      return FALSE;
    gboolean one_part =
        rule->parts == 1u << MODEL_PART_MORNING || rule->parts == 1u << MODEL_PART_AFTERNOON;
    if (rule->to != rule->from || !one_part) {
      model_problems_add(c->problems, base,
                         "not a single day part (expected one date and one part)");
      return FALSE;
    }
    return TRUE;
  }
  if (rule->kind != MODEL_SLOT_RULE_PATTERN) {
    model_problems_add(c->problems, base,
                       "unknown kind of slot rule (expected a day part or "
                       "a pattern)");
    return FALSE;
  }
  gboolean ok = check_date(c, base, "from", rule->from);
  ok = check_date(c, base, "to", rule->to) && ok;
  if (ok && rule->to < rule->from) {
    g_autofree char *pointer = g_strdup_printf("%s/to", base);
    g_autofree char *to = quote_date(rule->to);
    char from[11];
    model_date_format(rule->from, from);
    model_problems_add(c->problems, pointer, "%s is before from (expected a date on or after %s)",
                       to, from);
    ok = FALSE;
  } else if (ok && (gint64)rule->to - rule->from > MODEL_PATTERN_MAX_DAYS) {
    g_autofree char *pointer = g_strdup_printf("%s/to", base);
    g_autofree char *to = quote_date(rule->to);
    model_problems_add(c->problems, pointer,
                       "%s is %" G_GINT64_FORMAT " days after from (expected at most %d days)", to,
                       (gint64)rule->to - rule->from, MODEL_PATTERN_MAX_DAYS);
    ok = FALSE;
  }
  if ((rule->weekdays & MODEL_WEEKDAYS_ALL) == 0) {
    g_autofree char *pointer = g_strdup_printf("%s/weekdays", base);
    model_problems_add(c->problems, pointer,
                       "[] is empty (expected at least one of mon, tue, wed, thu, fri, sat, sun)");
    ok = FALSE;
  }
  if ((rule->parts & MODEL_PARTS_ALL) == 0) {
    g_autofree char *pointer = g_strdup_printf("%s/parts", base);
    model_problems_add(c->problems, pointer,
                       "[] is empty (expected at least one of morning, afternoon)");
    ok = FALSE;
  }
  if (!ok)
    return FALSE;
  if (rule_parts(rule) == 0) {
    char from[11], to[11];
    model_date_format(rule->from, from);
    model_date_format(rule->to, to);
    g_autofree char *days = weekday_list(rule->weekdays);
    model_problems_add(c->problems, base, "pattern from %s to %s on %s expands to no day part",
                       from, to, days);
    return FALSE;
  }
  return TRUE;
}

/* All rules of a slot list at `base` ("employees/2/availability"); TRUE when valid.
 * The valid rules together expand to at most MODEL_SLOT_LIST_MAX_PARTS day parts,
 * so whoever expands a checked list does bounded work. */
static gboolean check_rules(Checker *c, const char *base, const GArray *rules) {
  gboolean ok = TRUE;
  guint64 parts = 0;
  for (guint j = 0; j < rules->len; j++) {
    g_autofree char *pointer = g_strdup_printf("%s/%u", base, j);
    const ModelSlotRule *rule = &g_array_index((GArray *)rules, ModelSlotRule, j);
    if (check_rule(c, pointer, rule))
      parts += rule_parts(rule); /* at most 734 per valid rule: no overflow */
    else
      ok = FALSE;
  }
  if (parts > MODEL_SLOT_LIST_MAX_PARTS) {
    model_problems_add(c->problems, base,
                       "%u rules expand to %" G_GUINT64_FORMAT
                       " day parts (expected at most %d day parts in one list, overlaps "
                       "counted)",
                       rules->len, parts, MODEL_SLOT_LIST_MAX_PARTS);
    ok = FALSE;
  }
  return ok;
}

/* ---- entities ----------------------------------------------------------- */

#define PTR(var, ...) g_autofree char *var = g_strdup_printf(__VA_ARGS__)

/* A district's outline at `base` ("districts/3"), when it has one: the number of
 * points, then each point's coordinates ("districts/3/outline/7/lat"). */
static void check_outline(Checker *c, const char *base, const GArray *outline) {
  if (outline == NULL)
    return;
  PTR(pointer, "%s/outline", base);
  if (outline->len < MODEL_OUTLINE_MIN_POINTS || outline->len > MODEL_OUTLINE_MAX_POINTS)
    model_problems_add(c->problems, pointer, "%u points (expected from %d to %d points)",
                       outline->len, MODEL_OUTLINE_MIN_POINTS, MODEL_OUTLINE_MAX_POINTS);
  for (guint j = 0; j < outline->len; j++) {
    const ModelPoint *point = &g_array_index((GArray *)outline, ModelPoint, j);
    PTR(at, "%s/%u", pointer, j);
    check_location(c, at, point->lat, point->lon);
  }
}

static void check_districts(Checker *c) {
  GArray *districts = c->dataset->districts;
  for (guint i = 0; i < districts->len; i++) {
    const ModelDistrict *d = &g_array_index(districts, ModelDistrict, i);
    check_id(c, "districts", i, d->id, c->dataset->district_index);
    PTR(name, "districts/%u/name", i);
    check_name(c, name, d->name);
    PTR(base, "districts/%u", i);
    check_location(c, base, d->lat, d->lon);
    check_outline(c, base, d->outline);
    if (d->neighbours == NULL)
      continue;
    for (guint j = 0; j < d->neighbours->len; j++) {
      const char *n = g_ptr_array_index(d->neighbours, j);
      if (n == NULL)
        continue;
      PTR(pointer, "districts/%u/neighbours/%u", i, j);
      g_autofree char *quoted = json_quote(n);
      if (d->id != NULL && strcmp(n, d->id) == 0) {
        model_problems_add(c->problems, pointer,
                           "%s is the district itself (expected a neighbouring district)", quoted);
        continue;
      }
      if (check_ref(c, pointer, "district", c->dataset->district_index, n) < 0)
        continue;
      for (guint k = 0; k < j; k++) {
        const char *m = g_ptr_array_index(d->neighbours, k);
        if (m != NULL && strcmp(m, n) == 0) {
          model_problems_add(c->problems, pointer,
                             "duplicate neighbour %s (first at districts/%u/neighbours/%u)", quoted,
                             i, k);
          break;
        }
      }
    }
  }
}

static void check_schools(Checker *c) {
  GArray *schools = c->dataset->schools;
  for (guint i = 0; i < schools->len; i++) {
    const ModelSchool *s = &g_array_index(schools, ModelSchool, i);
    check_id(c, "schools", i, s->id, c->dataset->school_index);
    PTR(brin, "schools/%u/brin", i);
    check_format(c, brin, s->brin, model_brin_is_valid, "a BRIN code",
                 "two digits and two capital letters, optionally two more digits: 07NU or "
                 "07NU00");
    PTR(name, "schools/%u/name", i);
    check_name(c, name, s->name);
    PTR(district, "schools/%u/district", i);
    check_ref(c, district, "district", c->dataset->district_index, s->district_id);
    PTR(postcode, "schools/%u/postcode", i);
    check_format(c, postcode, s->postcode, model_postcode_is_valid, "a postcode",
                 "1234 AB, 1234AB or 1234");
    PTR(base, "schools/%u", i);
    check_location(c, base, s->lat, s->lon);
    check_contact(c, base, &s->contact);
    if (s->pupils != -1) {
      PTR(pupils, "schools/%u/pupils", i);
      check_int(c, pupils, s->pupils, 0, MAX_PUPILS);
    }
  }
}

static void check_organisations(Checker *c) {
  GArray *organisations = c->dataset->organisations;
  for (guint i = 0; i < organisations->len; i++) {
    const ModelOrganisation *o = &g_array_index(organisations, ModelOrganisation, i);
    check_id(c, "organisations", i, o->id, c->dataset->organisation_index);
    PTR(name, "organisations/%u/name", i);
    check_name(c, name, o->name);
    PTR(lrk, "organisations/%u/lrk", i);
    check_format(c, lrk, o->lrk, model_lrk_is_valid, "an LRK number", "nine digits");
    PTR(district, "organisations/%u/district", i);
    check_ref(c, district, "district", c->dataset->district_index, o->district_id);
    PTR(base, "organisations/%u", i);
    check_contact(c, base, &o->contact);
  }
}

/* One entry of a location's load: its figures in range, and the figures given one of
 * the two ways (children_expected with staff_present, and/or max_lend). */
static void check_load_figures(Checker *c, const char *base, const ModelLocationLoad *load) {
  PTR(children, "%s/children_expected", base);
  PTR(staff, "%s/staff_present", base);
  PTR(lend, "%s/max_lend", base);
  if (load->children_expected != -1)
    check_int(c, children, load->children_expected, 0, MAX_CHILDREN);
  if (load->staff_present != -1)
    check_int(c, staff, load->staff_present, 0, MAX_STAFF);
  if (load->max_lend != -1)
    check_int(c, lend, load->max_lend, 0, MAX_STAFF);
  gboolean has_children = load->children_expected != -1, has_staff = load->staff_present != -1;
  if (has_children && !has_staff)
    model_problems_add(c->problems, staff,
                       "missing (expected staff_present together with children_expected)");
  else if (has_staff && !has_children)
    model_problems_add(c->problems, children,
                       "missing (expected children_expected together with staff_present)");
  else if (!has_staff && load->max_lend == -1)
    model_problems_add(c->problems, base,
                       "no figures (expected children_expected and staff_present, or max_lend)");
}

/* A location's load: valid rules with figures, no day part given twice. */
static void check_load(Checker *c, guint i, const ModelLocation *l) {
  PTR(load_ptr, "locations/%u/load", i);
  g_autoptr(GHashTable) first =
      g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL); /* slot -> entry + 1 */
  guint64 parts = 0;
  g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  for (guint j = 0; j < l->load->len; j++) {
    const ModelLocationLoad *load = &g_array_index(l->load, ModelLocationLoad, j);
    PTR(base, "%s/%u", load_ptr, j);
    check_load_figures(c, base, load);
    if (!check_rule(c, base, &load->when))
      continue;
    parts += rule_parts(&load->when);
    if (parts > MODEL_SLOT_LIST_MAX_PARTS) {
      model_problems_add(c->problems, base,
                         "the load expands to more than %d day parts (expected at most %d)",
                         MODEL_SLOT_LIST_MAX_PARTS, MODEL_SLOT_LIST_MAX_PARTS);
      return;
    }
    g_array_set_size(slots, 0);
    model_slot_rule_expand(&load->when, slots);
    for (guint k = 0; k < slots->len; k++) {
      ModelSlot slot = g_array_index(slots, ModelSlot, k);
      gint64 key = model_slot_key(slot);
      guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(first, &key));
      if (seen != 0 && seen != j + 1) {
        char date[11];
        model_date_format(slot.date, date);
        model_problems_add(c->problems, base,
                           "%s %s already has figures in %s/%u (expected each day part once)", date,
                           model_part_name(slot.part), load_ptr, seen - 1);
        break;
      }
      g_hash_table_insert(first, g_memdup2(&key, sizeof key), GUINT_TO_POINTER(j + 1));
    }
  }
}

static void check_locations(Checker *c) {
  GArray *locations = c->dataset->locations;
  for (guint i = 0; i < locations->len; i++) {
    const ModelLocation *l = &g_array_index(locations, ModelLocation, i);
    check_id(c, "locations", i, l->id, c->dataset->location_index);
    PTR(organisation, "locations/%u/organisation", i);
    check_ref(c, organisation, "organisation", c->dataset->organisation_index, l->organisation_id);
    PTR(name, "locations/%u/name", i);
    check_name(c, name, l->name);
    PTR(lrk, "locations/%u/lrk", i);
    check_format(c, lrk, l->lrk, model_lrk_is_valid, "an LRK number", "nine digits");
    PTR(district, "locations/%u/district", i);
    check_ref(c, district, "district", c->dataset->district_index, l->district_id);
    PTR(base, "locations/%u", i);
    check_location(c, base, l->lat, l->lon);
    if (l->load != NULL)
      check_load(c, i, l);
  }
}

/* An employee's location exists and belongs to the employee's organisation. */
static void check_employee_location(Checker *c, guint i, const ModelEmployee *e) {
  PTR(location, "employees/%u/location", i);
  gint l = check_ref(c, location, "location", c->dataset->location_index, e->location_id);
  if (l < 0 || e->organisation_id == NULL)
    return;
  const ModelLocation *loc = &g_array_index(c->dataset->locations, ModelLocation, l);
  if (loc->organisation_id != NULL && strcmp(loc->organisation_id, e->organisation_id) != 0) {
    g_autofree char *found = json_quote(e->location_id);
    g_autofree char *owner = json_quote(loc->organisation_id);
    model_problems_add(c->problems, location,
                       "%s is a location of organisation %s (expected a location of its own "
                       "organisation)",
                       found, owner);
  }
}

static void check_employees(Checker *c) {
  GArray *employees = c->dataset->employees;
  for (guint i = 0; i < employees->len; i++) {
    const ModelEmployee *e = &g_array_index(employees, ModelEmployee, i);
    check_id(c, "employees", i, e->id, c->dataset->employee_index);
    PTR(organisation, "employees/%u/organisation", i);
    check_ref(c, organisation, "organisation", c->dataset->organisation_index, e->organisation_id);
    PTR(name, "employees/%u/name", i);
    check_name(c, name, e->name);
    PTR(district, "employees/%u/district", i);
    check_ref(c, district, "district", c->dataset->district_index, e->district_id);
    check_employee_location(c, i, e);
    PTR(base, "employees/%u", i);
    check_reachable(c, base, e->email, e->phone);
    if (e->has_location)
      check_location(c, base, e->lat, e->lon);
    if (e->availability != NULL) {
      PTR(availability, "employees/%u/availability", i);
      check_rules(c, availability, e->availability);
    }
    PTR(parts, "employees/%u/max_parts_per_week", i);
    check_int(c, parts, e->max_parts_per_week, 1, MAX_PARTS_PER_WEEK);
    PTR(travel, "employees/%u/max_travel_km", i);
    check_int(c, travel, e->max_travel_km, 0, MAX_TRAVEL_KM);
  }
}

/* Exactly one of staff_needed and children_expected, each in range; own_staff only
 * with children_expected.  -1 means "not given" for all three. */
static void check_staff_need(Checker *c, guint i, const ModelRequest *r) {
  PTR(staff, "requests/%u/staff_needed", i);
  PTR(children, "requests/%u/children_expected", i);
  PTR(own, "requests/%u/own_staff", i);
  gboolean has_staff = r->staff_needed != -1, has_children = r->children_expected != -1;
  if (has_staff && has_children) {
    model_problems_add(c->problems, children,
                       "%d given together with staff_needed (expected exactly one of "
                       "staff_needed and children_expected)",
                       r->children_expected);
  } else if (!has_staff && !has_children) {
    model_problems_add(c->problems, staff, "missing (expected staff_needed or children_expected)");
  }
  if (has_staff)
    check_int(c, staff, r->staff_needed, 1, MAX_STAFF);
  if (has_children)
    check_int(c, children, r->children_expected, 1, MAX_CHILDREN);
  if (r->own_staff != -1) {
    if (!has_children)
      model_problems_add(c->problems, own,
                         "%d given without children_expected (expected own_staff only with "
                         "children_expected)",
                         r->own_staff);
    else
      check_int(c, own, r->own_staff, 0, MAX_STAFF);
  }
}

static void check_requests(Checker *c) {
  GArray *requests = c->dataset->requests;
  for (guint i = 0; i < requests->len; i++) {
    const ModelRequest *r = &g_array_index(requests, ModelRequest, i);
    check_id(c, "requests", i, r->id, c->dataset->request_index);
    PTR(school, "requests/%u/school", i);
    check_ref(c, school, "school", c->dataset->school_index, r->school_id);
    PTR(slots, "requests/%u/slots", i);
    if (r->slots != NULL && r->slots->len == 0)
      model_problems_add(c->problems, slots, "[] is empty (expected at least one slot rule)");
    else if (r->slots != NULL)
      c->request_rules_ok[i] = check_rules(c, slots, r->slots);
    check_staff_need(c, i, r);
    PTR(travel, "requests/%u/max_travel_km", i);
    check_int(c, travel, r->max_travel_km, 0, MAX_TRAVEL_KM);
    PTR(note, "requests/%u/note", i);
    check_text(c, note, r->note, 0, TEXT_MAX_CHARS, TRUE);
  }
}

/* The sorted slots of request `r`, or NULL when its rules are invalid. */
static const GArray *request_slots(Checker *c, gint r) {
  if (!c->request_rules_ok[r])
    return NULL;
  GArray *slots = g_ptr_array_index(c->request_slots, r);
  if (slots == NULL) {
    const ModelRequest *request = &g_array_index(c->dataset->requests, ModelRequest, r);
    slots = model_slot_rules_expand(request->slots);
    g_ptr_array_index(c->request_slots, r) = slots;
  }
  return slots;
}

static void slots_free(gpointer slots) {
  if (slots != NULL)
    g_array_unref(slots);
}

static char *format_time(gint64 seconds) {
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(seconds);
  if (time == NULL)
    return g_strdup_printf("%" G_GINT64_FORMAT, seconds);
  return g_date_time_format(time, "\"%Y-%m-%dT%H:%M:%SZ\"");
}

static void check_decision(Checker *c, guint i, const ModelAssignment *a) {
  PTR(by, "assignments/%u/decided_by", i);
  PTR(at, "assignments/%u/decided_at", i);
  const char *status = model_assignment_status_name(a->status);
  if (status == NULL)
    return;
  if (a->status == MODEL_ASSIGNMENT_PROPOSED) {
    if (a->decided_by != NULL) {
      g_autofree char *found = json_quote(a->decided_by);
      model_problems_add(c->problems, by,
                         "%s given while proposed (expected no decided_by before a decision)",
                         found);
    }
    if (a->decided_at != -1) {
      g_autofree char *found = format_time(a->decided_at);
      model_problems_add(c->problems, at,
                         "%s given while proposed (expected no decided_at before a decision)",
                         found);
    }
    return;
  }
  if (a->decided_by == NULL)
    model_problems_add(c->problems, by, "missing (expected who decided, as the status is \"%s\")",
                       status);
  else
    check_text(c, by, a->decided_by, 1, NAME_MAX_CHARS, FALSE);
  if (a->decided_at == -1)
    model_problems_add(c->problems, at,
                       "missing (expected an RFC 3339 UTC time such as 2020-04-14T09:30:00Z, "
                       "as the status is \"%s\")",
                       status);
}

static void check_assignments(Checker *c) {
  GArray *assignments = c->dataset->assignments;
  /* "employee\nslot key" -> index + 1 of the first approved assignment. */
  g_autoptr(GHashTable) approved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(assignments, ModelAssignment, i);
    check_id(c, "assignments", i, a->id, c->dataset->assignment_index);
    PTR(request, "assignments/%u/request", i);
    gint r = check_ref(c, request, "request", c->dataset->request_index, a->request_id);
    PTR(employee, "assignments/%u/employee", i);
    check_ref(c, employee, "employee", c->dataset->employee_index, a->employee_id);
    /* Proposed and approved assignments must fall on a slot the request asks for now;
     * rejected and cancelled ones are history, kept when the request's slots change
     * (a rejected pair must stay on record, H6). */
    gboolean current =
        a->status == MODEL_ASSIGNMENT_PROPOSED || a->status == MODEL_ASSIGNMENT_APPROVED;
    const GArray *slots = r >= 0 && current ? request_slots(c, r) : NULL;
    const char *part = model_part_name(a->slot.part);
    if (slots != NULL && part != NULL &&
        bsearch(&a->slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) == NULL) {
      PTR(date, "assignments/%u/date", i);
      g_autofree char *found = quote_date(a->slot.date);
      g_autofree char *id = json_quote(a->request_id);
      model_problems_add(c->problems, date,
                         "%s %s is not a slot of request %s (expected a date and part the "
                         "request asks for)",
                         found, part, id);
    }
    check_decision(c, i, a);
    PTR(reason, "assignments/%u/reason", i);
    check_text(c, reason, a->reason, 0, TEXT_MAX_CHARS, TRUE);
    if (a->status != MODEL_ASSIGNMENT_APPROVED || a->employee_id == NULL || part == NULL)
      continue;
    char *key = g_strdup_printf("%s\n%" G_GINT64_FORMAT, a->employee_id, model_slot_key(a->slot));
    guint first = GPOINTER_TO_UINT(g_hash_table_lookup(approved, key));
    if (first == 0) {
      g_hash_table_insert(approved, key, GUINT_TO_POINTER(i + 1));
      continue;
    }
    g_free(key);
    PTR(status, "assignments/%u/status", i);
    g_autofree char *id = json_quote(a->employee_id);
    char date[11];
    model_date_format(a->slot.date, date);
    model_problems_add(c->problems, status,
                       "employee %s already has an approved assignment on %s %s (first at "
                       "assignments/%u)",
                       id, date, part, first - 1);
  }
}

gboolean model_dataset_check(ModelDataset *dataset, GPtrArray *problems) {
  g_return_val_if_fail(dataset != NULL, FALSE);
  g_return_val_if_fail(problems != NULL, FALSE);
  model_dataset_index(dataset);
  guint before = problems->len;
  guint n_requests = dataset->requests->len;
  Checker c = {
      .dataset = dataset,
      .problems = problems,
      .request_slots = g_ptr_array_new_full(n_requests, slots_free),
      .request_rules_ok = g_new0(gboolean, MAX(n_requests, 1)),
  };
  g_ptr_array_set_size(c.request_slots, (gint)n_requests);
  check_districts(&c);
  check_schools(&c);
  check_organisations(&c);
  check_locations(&c);
  check_employees(&c);
  check_requests(&c);
  check_assignments(&c);
  g_ptr_array_unref(c.request_slots);
  g_free(c.request_rules_ok);
  model_problems_sort(problems);
  return problems->len == before;
}
