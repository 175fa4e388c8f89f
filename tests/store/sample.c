/* sample.c: the dataset builders of sample.h.  Every helper asserts its own
 * preconditions (valid dates, existing ids), so a mistake in test data fails loudly
 * where it is made.
 */
#include "sample.h"
#include "../locations.h"

#include <glib/gstdio.h>

ModelDate date_of(const char *text) {
  ModelDate date = 0;
  g_assert_true(model_date_parse(text, &date));
  return date;
}

ModelSlotRule one_rule(const char *date, ModelPart part) {
  ModelDate d = date_of(date);
  return (ModelSlotRule){MODEL_SLOT_RULE_ONE, d, d, MODEL_WEEKDAYS_ALL, (guint8)(1u << part)};
}

ModelSlotRule pattern_rule(const char *from, const char *to, guint8 weekdays, guint8 parts) {
  return (ModelSlotRule){MODEL_SLOT_RULE_PATTERN, date_of(from), date_of(to), weekdays, parts};
}

void add_district(ModelDataset *ds, const char *id, const char *name, double lat, double lon,
                  const char *const *neighbours) {
  ModelDistrict d = {g_strdup(id), g_strdup(name), lat, lon,
                     g_ptr_array_new_with_free_func(g_free)};
  for (gsize i = 0; neighbours != NULL && neighbours[i] != NULL; i++)
    g_ptr_array_add(d.neighbours, g_strdup(neighbours[i]));
  g_array_append_val(ds->districts, d);
}

void add_school(ModelDataset *ds, const char *id, ModelSchoolType type, const char *district,
                const char *postcode, gint32 pupils) {
  ModelSchool s;
  model_school_init(&s);
  s.id = g_strdup(id);
  s.brin = g_strdup(id);
  s.name = g_strdup_printf("Basisschool %s", id);
  s.type = type;
  s.district_id = g_strdup(district);
  s.postcode = g_strdup(postcode);
  s.lat = 52.3638;
  s.lon = 5.2070;
  s.pupils = pupils;
  g_array_append_val(ds->schools, s);
}

void add_organisation(ModelDataset *ds, const char *id, const char *lrk, const char *district) {
  ModelOrganisation o = {g_strdup(id), g_strdup_printf("Kinderopvang %s", id), g_strdup(lrk),
                         g_strdup(district)};
  g_array_append_val(ds->organisations, o);
}

ModelEmployee *add_employee(ModelDataset *ds, const char *id, const char *organisation,
                            const char *district) {
  ModelEmployee e;
  model_employee_init(&e);
  e.id = g_strdup(id);
  e.organisation_id = g_strdup(organisation);
  e.name = g_strdup_printf("Medewerker %s", id);
  e.district_id = g_strdup(district);
  g_array_append_val(ds->employees, e);
  return &g_array_index(ds->employees, ModelEmployee, ds->employees->len - 1);
}

ModelRequest *add_request(ModelDataset *ds, const char *id, const char *school) {
  ModelRequest r;
  model_request_init(&r);
  r.id = g_strdup(id);
  r.school_id = g_strdup(school);
  g_array_append_val(ds->requests, r);
  return &g_array_index(ds->requests, ModelRequest, ds->requests->len - 1);
}

void append_assignment(GArray *assignments, const char *id, const char *request,
                       const char *employee, const char *date, ModelPart part,
                       ModelAssignmentStatus status, const char *reason) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = g_strdup(id);
  a.request_id = g_strdup(request);
  a.employee_id = g_strdup(employee);
  a.slot = (ModelSlot){date_of(date), part};
  a.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    a.decided_by = g_strdup("coordinator@almere.nl");
    a.decided_at = 1586856600; /* 2020-04-14T09:30:00Z */
  }
  a.reason = g_strdup(reason);
  g_array_append_val(assignments, a);
}

/* A dataset that uses every field and both kinds of slot rule, in an order that is
 * not sorted by id ("e-2" before "e-10"), checked so the test data itself is valid. */
ModelDataset *full_dataset(void) {
  ModelDataset *ds = model_dataset_new();
  add_district(ds, "stad", "Almere Stad", 52.3796, 5.2167,
               (const char *const[]){"haven", "buiten", NULL});
  add_district(ds, "haven", "Almere Haven", 52.3336, 5.2469, (const char *const[]){"stad", NULL});
  add_district(ds, "buiten", "Almere Buiten", 52.3976, 5.27975, NULL);

  add_school(ds, "24EJ00", MODEL_SCHOOL_PO, "stad", "1324 HA", 408);
  add_school(ds, "07NU", MODEL_SCHOOL_SO, "haven", NULL, -1);

  add_organisation(ds, "org-2", NULL, NULL);
  add_organisation(ds, "org-1", "205592041", "stad");

  /* Two locations of org-1, given in reverse id order: one with figures both ways
   * (the ratio for one morning, max_lend on a pattern), one without any. */
  guint l = tl_location(ds, "loc-b", "org-1", 52.3801, 5.2203);
  ModelLocation *loc = &g_array_index(ds->locations, ModelLocation, l);
  loc->lrk = g_strdup("123456789");
  loc->district_id = g_strdup("stad");
  tl_load(ds, l, (ModelSlot){date_of("2020-04-14"), MODEL_PART_MORNING}, 24, 4, -1);
  ModelLocationLoad lend = {
      .when = pattern_rule("2020-04-15", "2020-04-24", MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL),
      .children_expected = 0,
      .staff_present = 2,
      .max_lend = 1,
  };
  g_array_append_val(loc->load, lend);
  tl_location(ds, "loc-a", "org-1", 52.3702, 5.2101);

  ModelEmployee *e = add_employee(ds, "e-2", "org-1", "stad");
  e->location_id = g_strdup("loc-b");
  e->has_location = TRUE;
  e->lat = 52.371234;
  e->lon = 5.218765;
  e->quals = MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM) |
             MODEL_QUAL_BIT(MODEL_QUAL_BSO);
  e->max_parts_per_week = 6;
  e->max_travel_km = 8;
  e->confirmed = date_of("2020-04-10");
  ModelSlotRule e2_rules[] = {pattern_rule("2020-04-14", "2020-04-24", 0x0A, 0x1),
                              one_rule("2020-04-15", MODEL_PART_AFTERNOON)};
  g_array_append_vals(e->availability, e2_rules, G_N_ELEMENTS(e2_rules));

  e = add_employee(ds, "e-10", "org-2", "haven");
  e->quals = MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID) |
             MODEL_QUAL_BIT(MODEL_QUAL_SPECIAL_NEEDS) | MODEL_QUAL_BIT(MODEL_QUAL_KDV);
  e->active = FALSE;
  ModelSlotRule e10_rule = one_rule("2020-04-14", MODEL_PART_MORNING);
  g_array_append_val(e->availability, e10_rule);

  ModelRequest *r = add_request(ds, "r-1", "24EJ00");
  r->children_expected = 24;
  r->own_staff = 1;
  r->required = MODEL_QUAL_BIT(MODEL_QUAL_PM);
  r->preferred = MODEL_QUAL_BIT(MODEL_QUAL_BSO);
  r->priority = MODEL_PRIORITY_HIGH;
  r->max_travel_km = 15;
  r->note = g_strdup("Groep 3 en 4, \"kwetsbare\" kinderen");
  ModelSlotRule r1_rules[] = {
      one_rule("2020-04-14", MODEL_PART_MORNING),
      pattern_rule("2020-04-15", "2020-04-17", MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL)};
  g_array_append_vals(r->slots, r1_rules, G_N_ELEMENTS(r1_rules));

  r = add_request(ds, "r-2", "07NU");
  r->staff_needed = 2;
  r->preferred = MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID);
  r->status = MODEL_REQUEST_CANCELLED;
  ModelSlotRule r2_rule = one_rule("2020-04-16", MODEL_PART_AFTERNOON);
  g_array_append_val(r->slots, r2_rule);

  append_assignment(ds->assignments, "a-2", "r-1", "e-10", "2020-04-15", MODEL_PART_AFTERNOON,
                    MODEL_ASSIGNMENT_PROPOSED, NULL);
  append_assignment(ds->assignments, "a-1", "r-1", "e-2", "2020-04-14", MODEL_PART_MORNING,
                    MODEL_ASSIGNMENT_APPROVED, NULL);
  append_assignment(ds->assignments, "a-3", "r-1", "e-10", "2020-04-14", MODEL_PART_MORNING,
                    MODEL_ASSIGNMENT_REJECTED, "Geen vervoer");
  append_assignment(ds->assignments, "a-4", "r-2", "e-2", "2020-04-16", MODEL_PART_AFTERNOON,
                    MODEL_ASSIGNMENT_CANCELLED, "Vraag ingetrokken");

  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean valid = model_dataset_check(ds, problems);
  g_autofree char *report = model_problems_to_string(problems);
  g_assert_cmpstr(report, ==, "");
  g_assert_true(valid);
  return ds;
}

/* Lookups by id (full_dataset() is indexed by model_dataset_check()). */
ModelDistrict *district(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_district(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->districts, ModelDistrict, i);
}

ModelSchool *school(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_school(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->schools, ModelSchool, i);
}

ModelOrganisation *organisation(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_organisation(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->organisations, ModelOrganisation, i);
}

ModelEmployee *employee(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_employee(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->employees, ModelEmployee, i);
}

ModelRequest *request(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_request(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->requests, ModelRequest, i);
}

ModelAssignment *assignment(ModelDataset *ds, const char *id) {
  gint i = model_dataset_find_assignment(ds, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(ds->assignments, ModelAssignment, i);
}

void replace_string(char **field, const char *value) {
  g_free(*field);
  *field = g_strdup(value);
}

void sample_dir_new(const char *template, char **out_dir, char **out_path) {
  GError *error = NULL;
  char *dir = g_dir_make_tmp(template, &error);
  g_assert_no_error(error);
  *out_path = g_build_filename(dir, "handen.db", NULL);
  *out_dir = dir;
}

void sample_dir_remove(const char *dir) {
  g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
  const char *name;
  while (listing != NULL && (name = g_dir_read_name(listing)) != NULL) {
    g_autofree char *file = g_build_filename(dir, name, NULL);
    g_assert_cmpint(g_unlink(file), ==, 0);
  }
  g_assert_cmpint(g_rmdir(dir), ==, 0);
}

void sample_store_setup(SampleStore *s, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  sample_dir_new("handen-store-XXXXXX", &s->dir, &s->path);
  s->store = model_store_open(s->path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(s->store);
}

void sample_store_teardown(SampleStore *s, gconstpointer data) {
  (void)data;
  model_store_free(s->store);
  sample_dir_remove(s->dir);
  g_free(s->path);
  g_free(s->dir);
}
