/* sample.c: the store tests' sample dataset, built with the shared builders, and
 * their temporary folders.  Every helper asserts its own preconditions, so a mistake
 * in test data fails loudly where it is made.
 */
#include "sample.h"
#include "../locations.h"

#include "store-target.h"

#include <glib/gstdio.h>

/* A dataset that uses every field and both kinds of slot rule, in an order that is
 * not sorted by id ("e-2" before "e-10"), checked so the test data itself is valid. */
ModelDataset *full_dataset(void) {
  ModelDataset *ds = model_dataset_new();
  tb_district(ds, "stad", "Almere Stad", 52.3796, 5.2167);
  tb_district(ds, "haven", "Almere Haven", 52.3336, 5.2469);
  tb_district(ds, "buiten", "Almere Buiten", 52.3976, 5.27975);
  tb_neighbour(ds, "stad", "haven");
  tb_neighbour(ds, "stad", "buiten");
  tb_neighbour(ds, "haven", "stad");
  /* An outline on haven only (full-precision doubles, a signed zero, the extremes). */
  static const ModelPoint haven_outline[] = {
      {52.33351000000001, 5.2471}, {52.3, -0.0}, {-90, 180}, {90, -180}};
  GArray *outline = g_array_new(FALSE, FALSE, sizeof(ModelPoint));
  g_array_append_vals(outline, haven_outline, G_N_ELEMENTS(haven_outline));
  tb_find_district(ds, "haven")->outline = outline;

  ModelSchool *s = tb_element(ds->schools, tb_school(ds, "24EJ00", "stad", 52.3638, 5.2070));
  tb_set(&s->brin, "24EJ00");
  tb_set(&s->postcode, "1324 HA");
  s->pupils = 408;
  s = tb_element(ds->schools, tb_school(ds, "07NU", "haven", 52.3638, 5.2070));
  tb_set(&s->brin, "07NU");
  s->type = MODEL_SCHOOL_SO;

  tb_organisation(ds, "org-2");
  ModelOrganisation *o = tb_element(ds->organisations, tb_organisation(ds, "org-1"));
  tb_set(&o->lrk, "205592041");
  tb_set(&o->district_id, "stad");
  /* Contacts in every shape: whole, partial, none. */
  ModelSchool *school = &g_array_index(ds->schools, ModelSchool, 0);
  tb_set(&school->contact.name, "Fatima El Amrani");
  tb_set(&school->contact.email, "directie@aliman.nl");
  tb_set(&school->contact.phone, "036-5301234");
  tb_set(&o->contact.email, "planning@boerderij.nl");

  /* Two locations of org-1, given in reverse id order: one with figures both ways
   * (the ratio for one morning, max_lend on a pattern), one without any. */
  guint l = tl_location(ds, "loc-b", "org-1", 52.3801, 5.2203);
  ModelLocation *loc = &g_array_index(ds->locations, ModelLocation, l);
  loc->lrk = g_strdup("123456789");
  loc->district_id = g_strdup("stad");
  tl_load(ds, l, tb_at(tb_date("2020-04-14"), MODEL_PART_MORNING), 24, 4, -1);
  ModelLocationLoad lend = {
      .when = tb_pattern(tb_date("2020-04-15"), tb_date("2020-04-24"), MODEL_WEEKDAYS_WORK,
                         MODEL_PARTS_ALL),
      .children_expected = 0,
      .staff_present = 2,
      .max_lend = 1,
  };
  g_array_append_val(loc->load, lend);
  tl_location(ds, "loc-a", "org-1", 52.3702, 5.2101);

  ModelEmployee *e = tb_element(
      ds->employees, tb_employee(ds, "e-2", "stad", 52.371234, 5.218765, VOG | PM | BSO, 6, 8));
  tb_set(&e->organisation_id, "org-1");
  tb_set(&e->location_id, "loc-b");
  e->confirmed = tb_date("2020-04-10");
  tb_set(&e->email, "e2@boerderij.nl");
  tb_set(&e->phone, "+31 6 1234 5678");
  tb_add_rule(e->availability, tb_pattern(tb_date("2020-04-14"), tb_date("2020-04-24"), 0x0A, 0x1));
  tb_add_rule(e->availability, tb_one(tb_date("2020-04-15"), MODEL_PART_AFTERNOON));
  e = tb_element(ds->employees, tb_employee(ds, "e-10", "haven", TB_NO_LOCATION, 0,
                                            VOG | FIRST_AID | SPECIAL | KDV, 10, 10));
  tb_set(&e->organisation_id, "org-2");
  e->active = FALSE;
  tb_add_rule(e->availability, tb_one(tb_date("2020-04-14"), MODEL_PART_MORNING));

  ModelRequest *r = tb_element(
      ds->requests, tb_request(ds, "r-1", "24EJ00", -1, MODEL_PRIORITY_HIGH, PM, BSO, 15));
  r->children_expected = 24;
  r->own_staff = 1;
  r->note = g_strdup("Groep 3 en 4, \"kwetsbare\" kinderen");
  tb_add_rule(r->slots, tb_one(tb_date("2020-04-14"), MODEL_PART_MORNING));
  tb_add_rule(r->slots, tb_pattern(tb_date("2020-04-15"), tb_date("2020-04-17"),
                                   MODEL_WEEKDAYS_WORK, MODEL_PARTS_ALL));
  r = tb_element(ds->requests,
                 tb_request(ds, "r-2", "07NU", 2, MODEL_PRIORITY_NORMAL, 0, FIRST_AID, 10));
  r->status = MODEL_REQUEST_CANCELLED;
  tb_add_rule(r->slots, tb_one(tb_date("2020-04-16"), MODEL_PART_AFTERNOON));

  tb_assignment(ds->assignments, "a-2", "r-1", "e-10", tb_date("2020-04-15"), MODEL_PART_AFTERNOON,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  tb_assignment(ds->assignments, "a-1", "r-1", "e-2", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_APPROVED, NULL);
  tb_assignment(ds->assignments, "a-3", "r-1", "e-10", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_REJECTED, "Geen vervoer");
  tb_assignment(ds->assignments, "a-4", "r-2", "e-2", tb_date("2020-04-16"), MODEL_PART_AFTERNOON,
                MODEL_ASSIGNMENT_CANCELLED, "Vraag ingetrokken");
  tb_finish(ds);
  return ds;
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
  g_autofree char *file = NULL;
  sample_dir_new("handen-store-XXXXXX", &s->dir, &file);
  s->path = store_target_new(s->dir);
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
