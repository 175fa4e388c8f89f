/* builder.c: the dataset builders of builder.h.  Every helper asserts its own
 * preconditions (valid dates, existing ids), so a mistake in test data fails loudly
 * where it is made.  Decisions carry a fixed decider and time so that the dataset
 * checks.
 */
#include "builder.h"

#include <string.h>

static const gint64 DECIDED_AT = 1586856600; /* 2020-04-14T09:30:00Z */

ModelDate tb_date(const char *text) {
  ModelDate date = 0;
  g_assert_true(model_date_parse(text, &date));
  return date;
}

ModelSlot tb_at(ModelDate date, ModelPart part) {
  return (ModelSlot){date, part};
}

ModelSlotRule tb_one(ModelDate date, ModelPart part) {
  return (ModelSlotRule){MODEL_SLOT_RULE_ONE, date, date, MODEL_WEEKDAYS_ALL, (guint8)(1u << part)};
}

ModelSlotRule tb_pattern(ModelDate from, ModelDate to, guint8 weekdays, guint8 parts) {
  return (ModelSlotRule){MODEL_SLOT_RULE_PATTERN, from, to, weekdays, parts};
}

void tb_add_rule(GArray *rules, ModelSlotRule rule) {
  g_array_append_val(rules, rule);
}

void tb_set_rules(GArray *rules, ModelSlotRule rule) {
  g_array_set_size(rules, 0);
  tb_add_rule(rules, rule);
}

/* Appends one element and returns its index. */
static guint append(GArray *array, gconstpointer element) {
  g_array_append_vals(array, element, 1);
  return array->len - 1;
}

/* ---- entities ------------------------------------------------------------- */

ModelDataset *tb_new(void) {
  ModelDataset *ds = model_dataset_new();
  tb_district(ds, "d1", NULL, TB_LAT, TB_LON);
  tb_district(ds, "d2", NULL, TB_LAT - 0.04, TB_LON + 0.04);
  tb_district(ds, "d3", NULL, TB_LAT + 0.08, TB_LON - 0.1);
  tb_neighbour(ds, "d1", "d2");
  tb_neighbour(ds, "d2", "d1");
  tb_organisation(ds, "o1");
  return ds;
}

ModelDataset *tb_school_staff(void) {
  ModelDataset *ds = tb_new();
  tb_school(ds, "s-1", "d1", 52.37, 5.22);
  tb_worker(ds, "e-1", "d1", 52.37, 5.22);
  tb_worker(ds, "e-2", "d1", 52.38, 5.22);
  tb_worker(ds, "e-3", "d2", 52.40, 5.22);
  return ds;
}

guint tb_district(ModelDataset *ds, const char *id, const char *name, double lat, double lon) {
  ModelDistrict d = {g_strdup(id), g_strdup(name != NULL ? name : id), lat, lon,
                     g_ptr_array_new_with_free_func(g_free)};
  return append(ds->districts, &d);
}

void tb_neighbour(ModelDataset *ds, const char *district, const char *neighbour) {
  g_ptr_array_add(tb_find_district(ds, district)->neighbours, g_strdup(neighbour));
}

guint tb_school(ModelDataset *ds, const char *id, const char *district, double lat, double lon) {
  ModelSchool s;
  model_school_init(&s);
  s.lat = lat;
  s.lon = lon;
  s.id = g_strdup(id);
  s.brin = g_strdup("07NU00");
  s.name = g_strdup_printf("School %s", id);
  s.district_id = g_strdup(district);
  return append(ds->schools, &s);
}

guint tb_organisation(ModelDataset *ds, const char *id) {
  ModelOrganisation o = {g_strdup(id), g_strdup_printf("Kinderopvang %s", id), NULL, NULL};
  return append(ds->organisations, &o);
}

guint tb_employee(ModelDataset *ds, const char *id, const char *district, double lat, double lon,
                  ModelQualSet quals, gint32 max_week, gint32 max_km) {
  ModelEmployee e;
  model_employee_init(&e);
  e.id = g_strdup(id);
  e.organisation_id = g_strdup("o1");
  e.name = g_strdup_printf("Medewerker %s", id);
  e.district_id = g_strdup(district);
  e.quals = quals;
  e.max_parts_per_week = max_week;
  e.max_travel_km = max_km;
  e.has_location = lat != TB_NO_LOCATION;
  if (e.has_location) {
    e.lat = lat;
    e.lon = lon;
  }
  return append(ds->employees, &e);
}

guint tb_worker(ModelDataset *ds, const char *id, const char *district, double lat, double lon) {
  guint e = tb_employee(ds, id, district, lat, lon, VOG | PM, 10, 10);
  tb_add_rule(g_array_index(ds->employees, ModelEmployee, e).availability,
              tb_pattern(TB_MON, TB_NEXT_FRI, MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL));
  return e;
}

guint tb_request(ModelDataset *ds, const char *id, const char *school, gint32 staff,
                 ModelPriority priority, ModelQualSet required, ModelQualSet preferred,
                 gint32 max_km) {
  ModelRequest r;
  model_request_init(&r);
  r.id = g_strdup(id);
  r.school_id = g_strdup(school);
  r.staff_needed = staff;
  r.priority = priority;
  r.required = required;
  r.preferred = preferred;
  r.max_travel_km = max_km;
  return append(ds->requests, &r);
}

guint tb_assignment(GArray *assignments, const char *id, const char *request, const char *employee,
                    ModelDate date, ModelPart part, ModelAssignmentStatus status,
                    const char *reason) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = id != NULL ? g_strdup(id) : g_strdup_printf("a%u", assignments->len);
  a.request_id = g_strdup(request);
  a.employee_id = g_strdup(employee);
  a.slot = tb_at(date, part);
  a.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    a.decided_by = g_strdup("coordinator");
    a.decided_at = DECIDED_AT;
  }
  a.reason = g_strdup(reason);
  return append(assignments, &a);
}

/* Reads "REQUEST/EMPLOYEE/YYYY-MM-DD/PART" into its parts (the ids borrowed from
 * `fields`, which the caller frees); asserts the form. */
static void read_item(const char *item, GStrv *fields, ModelSlot *slot) {
  *fields = g_strsplit(item, "/", -1);
  g_assert_cmpuint(g_strv_length(*fields), ==, 4);
  slot->date = tb_date((*fields)[2]);
  g_assert_true(model_part_parse((*fields)[3], &slot->part));
}

void tb_assignments(ModelDataset *ds, const char *text) {
  g_auto(GStrv) words = g_strsplit_set(text, " \n", -1);
  const char *status_word = NULL;
  for (GStrv word = words; *word != NULL; word++) {
    if (**word == '\0')
      continue;
    if (status_word == NULL) {
      status_word = *word;
      continue;
    }
    ModelAssignmentStatus status;
    g_assert_true(model_assignment_status_parse(status_word, &status));
    g_auto(GStrv) fields = NULL;
    ModelSlot slot;
    read_item(*word, &fields, &slot);
    tb_assignment(ds->assignments, NULL, fields[0], fields[1], slot.date, slot.part, status, NULL);
    status_word = NULL;
  }
  g_assert_null(status_word);
}

void tb_available(ModelDataset *ds, guint e, ModelDate date, ModelPart part) {
  tb_add_rule(g_array_index(ds->employees, ModelEmployee, e).availability, tb_one(date, part));
}

void tb_slot(ModelDataset *ds, guint r, ModelDate date, ModelPart part) {
  tb_add_rule(g_array_index(ds->requests, ModelRequest, r).slots, tb_one(date, part));
}

/* Appends the one-day-part rules of `text` ("YYYY-MM-DD/PART ...") to `rules`. */
static void add_day_parts(GArray *rules, const char *text) {
  g_auto(GStrv) words = g_strsplit_set(text, " \n", -1);
  for (GStrv word = words; *word != NULL; word++) {
    if (**word == '\0')
      continue;
    g_auto(GStrv) fields = g_strsplit(*word, "/", -1);
    g_assert_cmpuint(g_strv_length(fields), ==, 2);
    ModelPart part;
    g_assert_true(model_part_parse(fields[1], &part));
    tb_add_rule(rules, tb_one(tb_date(fields[0]), part));
  }
}

void tb_availability(ModelDataset *ds, guint e, const char *text) {
  add_day_parts(g_array_index(ds->employees, ModelEmployee, e).availability, text);
}

void tb_slots(ModelDataset *ds, guint r, const char *text) {
  add_day_parts(g_array_index(ds->requests, ModelRequest, r).slots, text);
}

/* The position of tb_city()'s AT: "LAT,LON" or "Nkm" north of (TB_LAT, TB_LON). */
static void read_position(const char *text, double *lat, double *lon) {
  char *end = NULL;
  double value = g_ascii_strtod(text, &end);
  g_assert_true(end != text);
  if (g_str_equal(end, "km")) {
    *lat = TB_LAT + value * TB_KM_LAT;
    *lon = TB_LON;
    return;
  }
  g_assert_cmpint(*end, ==, ',');
  *lat = value;
  *lon = g_ascii_strtod(end + 1, &end);
  g_assert_cmpint(*end, ==, '\0');
}

/* tb_city()'s QUALS: names joined by '+', or "-". */
static ModelQualSet read_quals(const char *text) {
  ModelQualSet quals = 0;
  if (g_str_equal(text, "-"))
    return quals;
  g_auto(GStrv) names = g_strsplit(text, "+", -1);
  for (GStrv name = names; *name != NULL; name++) {
    ModelQual qual;
    g_assert_true(model_qual_parse(*name, &qual));
    quals |= MODEL_QUAL_BIT(qual);
  }
  return quals;
}

static gint32 read_number(const char *text) {
  gint64 value = 0;
  g_assert_true(g_ascii_string_to_signed(text, 10, G_MININT32, G_MAXINT32, &value, NULL));
  return (gint32)value;
}

/* One line of tb_city(), split into its words `w` (`n` of them). */
static void city_line(ModelDataset *ds, char **w, guint n) {
  double lat = 0, lon = 0;
  if (g_str_equal(w[0], "school") || g_str_equal(w[0], "worker")) {
    g_assert_cmpuint(n, ==, 4);
    read_position(w[3], &lat, &lon);
    if (w[0][0] == 's')
      tb_school(ds, w[1], w[2], lat, lon);
    else
      tb_worker(ds, w[1], w[2], lat, lon);
  } else if (g_str_equal(w[0], "employee")) {
    g_assert_cmpuint(n, >=, 7);
    read_position(w[3], &lat, &lon);
    guint e = tb_employee(ds, w[1], w[2], lat, lon, read_quals(w[4]), read_number(w[5]),
                          read_number(w[6]));
    for (guint i = 7; i < n; i++)
      tb_availability(ds, e, w[i]);
  } else if (!g_str_equal(w[0], "request")) {
    g_autofree char *line = g_strjoinv(" ", w);
    tb_assignments(ds, line);
  } else {
    g_assert_cmpuint(n, >=, 8);
    ModelPriority priority;
    g_assert_true(model_priority_parse(w[4], &priority));
    guint r = tb_request(ds, w[1], w[2], read_number(w[3]), priority, read_quals(w[5]),
                         read_quals(w[6]), read_number(w[7]));
    for (guint i = 8; i < n; i++)
      tb_slots(ds, r, w[i]);
  }
}

void tb_city(ModelDataset *ds, const char *text) {
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  for (GStrv line = lines; *line != NULL; line++) {
    g_autofree char *squeezed = g_strstrip(g_strdup(*line));
    if (*squeezed == '\0')
      continue;
    g_auto(GStrv) words = g_regex_split_simple(" +", squeezed, 0, 0);
    city_line(ds, words, g_strv_length(words));
  }
}

void tb_set(char **field, const char *value) {
  g_free(*field);
  *field = g_strdup(value);
}

/* ---- lookups -------------------------------------------------------------- */

guint tb_index(const GArray *array, const char *id) {
  gsize size = g_array_get_element_size((GArray *)array);
  for (guint i = 0; i < array->len; i++) {
    /* Every entity struct starts with its `char *id`. */
    const char *at = *(char *const *)(const void *)(array->data + (gsize)i * size);
    if (g_strcmp0(at, id) == 0)
      return i;
  }
  g_error("no entity with id \"%s\"", id);
}

gpointer tb_element(GArray *array, guint i) {
  g_assert_cmpuint(i, <, array->len);
  return array->data + (gsize)i * g_array_get_element_size(array);
}

const char *tb_employee_id(const ModelDataset *ds, guint e) {
  return g_array_index(ds->employees, ModelEmployee, e).id;
}

const char *tb_request_id(const ModelDataset *ds, guint r) {
  return g_array_index(ds->requests, ModelRequest, r).id;
}

/* ---- checks and rounds ---------------------------------------------------- */

void tb_finish(ModelDataset *ds) {
  g_assert_cmpint(TB_MON, ==, model_date_from_ymd(2020, 4, 13));
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean ok = model_dataset_check(ds, problems);
  g_autofree char *text = model_problems_to_string(problems);
  g_assert_cmpstr(text, ==, "");
  g_assert_true(ok);
}

EngineResult *tb_run_options(ModelDataset *ds, const EngineOptions *options, const char *expected) {
  tb_finish(ds);
  g_autoptr(GError) error = NULL;
  EngineResult *result = engine_match_run(ds, options, &error);
  g_assert_no_error(error);
  g_assert_nonnull(result);
  if (expected != NULL)
    tb_assert_proposals(ds, result->proposals, FALSE, expected);
  return result;
}

EngineResult *tb_run(ModelDataset *ds, gboolean continuity, const char *expected) {
  EngineOptions options;
  engine_options_init(&options);
  options.continuity = continuity;
  return tb_run_options(ds, &options, expected);
}

const EngineUnfilled *tb_find_unfilled(const ModelDataset *ds, const EngineResult *result,
                                       const char *request, ModelDate date, ModelPart part) {
  ModelSlot slot = tb_at(date, part);
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    if (strcmp(tb_request_id(ds, u->request), request) == 0 &&
        model_slot_compare(&u->slot, &slot) == 0)
      return u;
  }
  g_test_fail_printf("no unfilled entry for %s on %d", request, (int)date);
  return NULL;
}

EngineProposal tb_proposal(const ModelDataset *ds, const char *request, const char *employee,
                           ModelDate date, ModelPart part) {
  return (EngineProposal){.request = tb_index(ds->requests, request),
                          .employee = tb_index(ds->employees, employee),
                          .slot = {date, part}};
}

void tb_assert_funnel(const EngineUnfilled *u, gint32 missing, guint32 available, guint32 qualified,
                      guint32 in_range, guint32 not_rejected, guint32 left) {
  g_assert_nonnull(u);
  g_assert_cmpint(u->missing, ==, missing);
  g_assert_cmpuint(u->available, ==, available);
  g_assert_cmpuint(u->qualified, ==, qualified);
  g_assert_cmpuint(u->in_range, ==, in_range);
  g_assert_cmpuint(u->not_rejected, ==, not_rejected);
  g_assert_cmpuint(u->left, ==, left);
}

void tb_assert_proposals(const ModelDataset *ds, const GArray *proposals, gboolean detail,
                         const char *expected) {
  g_autofree char *text = tb_proposals_text(ds, proposals, detail);
  g_assert_cmpstr(text, ==, expected);
}

void tb_assert_taken_by(const ModelDataset *ds, const EngineUnfilled *u, const char *request) {
  g_assert_cmpuint(u->taken_by->len, ==, 1);
  g_assert_cmpstr(tb_request_id(ds, g_array_index(u->taken_by, guint, 0)), ==, request);
}

void tb_propose(GArray *proposals, const ModelDataset *ds, const char *text) {
  g_auto(GStrv) words = g_strsplit_set(text, " \n", -1);
  for (GStrv word = words; *word != NULL; word++) {
    if (**word == '\0')
      continue;
    g_auto(GStrv) fields = NULL;
    ModelSlot slot;
    read_item(*word, &fields, &slot);
    EngineProposal p = tb_proposal(ds, fields[0], fields[1], slot.date, slot.part);
    g_array_append_val(proposals, p);
  }
}

char *tb_proposals_text(const ModelDataset *ds, const GArray *proposals, gboolean detail) {
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < proposals->len; i++) {
    const EngineProposal *p = &g_array_index(proposals, EngineProposal, i);
    char date[11];
    model_date_format(p->slot.date, date);
    const char *r = tb_request_id(ds, p->request), *e = tb_employee_id(ds, p->employee);
    const char *part = model_part_name(p->slot.part);
    if (detail)
      g_string_append_printf(text, "%s%s %s %s %s %" G_GINT64_FORMAT " %u", i ? "\n" : "", r, e,
                             date, part, p->travel_m, p->why);
    else
      g_string_append_printf(text, "%s%s/%s/%s/%s", i ? " " : "", r, e, date, part);
  }
  return g_string_free(text, FALSE);
}

char *tb_violations_text(const GPtrArray *violations) {
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < violations->len; i++) {
    const EngineViolation *v = g_ptr_array_index(violations, i);
    /* The rule field and the message prefix must agree. */
    g_assert_true(g_str_has_prefix(v->message, v->rule));
    g_string_append_printf(text, "%s%s", i ? "\n" : "", v->message);
  }
  return g_string_free(text, FALSE);
}
