/* test-import.c: imports written in bulk, on SQLite and (store-import-pg) on
 * PostgreSQL, where model_store_import() sends the rows with COPY in its text format
 * and falls back to row by row only when that fails (store-write.c).  Text that COPY
 * must escape (tab, newline, carriage return, backslash, "\N", quotes, non-ASCII)
 * comes back byte for byte by REPLACE and by MERGE, without a fallback; an import
 * that breaks a rule late fails with the row-by-row error and leaves the store as it
 * was; a district's outline goes the same way.  The fallback is seen through the store's
 * debug message.
 */
#include <string.h>

#include "dataset-json.h"
#include "sample.h"
#include "store-ops.h"
#include "store-target.h"

typedef SampleStore Fixture;

/* How many imports fell back to row by row (the store's debug message). */
static guint fallbacks;

static void count_fallbacks(const char *domain, GLogLevelFlags level, const char *message,
                            gpointer data) {
  (void)domain, (void)level, (void)data;
  if (strstr(message, "importing row by row") != NULL)
    fallbacks++;
}

static void setup(Fixture *f, gconstpointer data) {
  sample_store_setup(f, data);
  fallbacks = 0;
}

/* The whole store as JSON text. */
static char *store_export(ModelStore *store) {
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelDataset) loaded = model_store_load(store, &error);
  g_assert_no_error(error);
  g_assert_nonnull(loaded);
  return model_json_encode_dataset(loaded);
}

static void import_ok(ModelStore *store, const ModelDataset *ds, ModelStoreImportMode mode) {
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_import(store, ds, mode, &error));
  g_assert_no_error(error);
}

/* Asserts that the store holds exactly `expected` (sorted by id in place). */
static void assert_holds(ModelStore *store, ModelDataset *expected) {
  model_dataset_sort(expected);
  g_autofree char *want = model_json_encode_dataset(expected);
  g_autofree char *got = store_export(store);
  g_assert_cmpstr(got, ==, want);
}

/* Text COPY's text format gives a meaning to, and text it must pass through. */
static const char *const awkward[] = {
    "tab\there",    "two\nlines",    "carriage\rreturn",    "back\\slash",  "\\N",
    "ends with \\", "\\t not a tab", "'single' \"double\"", "Ölçer café ✓", "crlf\r\nand\ttab",
    "\\\\.",        "\\.",
};

/* Puts awkward[i + offset] in every free text of the sample dataset. */
static void make_awkward(ModelDataset *ds, gsize offset) {
  gsize n = G_N_ELEMENTS(awkward), i = offset;
  for (guint s = 0; s < ds->schools->len; s++) {
    ModelSchool *school = &g_array_index(ds->schools, ModelSchool, s);
    tb_set(&school->name, awkward[i++ % n]);
    tb_set(&school->contact.name, awkward[i++ % n]);
  }
  for (guint o = 0; o < ds->organisations->len; o++)
    tb_set(&g_array_index(ds->organisations, ModelOrganisation, o).name, awkward[i++ % n]);
  for (guint d = 0; d < ds->districts->len; d++)
    tb_set(&g_array_index(ds->districts, ModelDistrict, d).name, awkward[i++ % n]);
  for (guint e = 0; e < ds->employees->len; e++)
    tb_set(&g_array_index(ds->employees, ModelEmployee, e).name, awkward[i++ % n]);
  for (guint r = 0; r < ds->requests->len; r++)
    tb_set(&g_array_index(ds->requests, ModelRequest, r).note, awkward[i++ % n]);
  for (guint a = 0; a < ds->assignments->len; a++) {
    ModelAssignment *assignment = &g_array_index(ds->assignments, ModelAssignment, a);
    if (assignment->reason != NULL)
      tb_set(&assignment->reason, awkward[i++ % n]);
  }
}

/* Every awkward text comes back as it went in, by REPLACE into an empty store and by
 * MERGE over it, with no fallback. */
static void test_awkward_text(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) first = full_dataset();
  make_awkward(first, 0);
  import_ok(f->store, first, MODEL_STORE_IMPORT_REPLACE);
  assert_holds(f->store, first);
  for (gsize offset = 1; offset < G_N_ELEMENTS(awkward); offset += 5) {
    g_autoptr(ModelDataset) again = full_dataset();
    make_awkward(again, offset);
    import_ok(f->store, again, MODEL_STORE_IMPORT_MERGE);
    assert_holds(f->store, again);
  }
  g_assert_cmpuint(fallbacks, ==, 0);
}

/* A MERGE adds new objects next to those in the store and replaces the child lists
 * (availability, slot rules) of the objects it names, in bulk too. */
static void test_merge_lists(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  import_ok(f->store, base, MODEL_STORE_IMPORT_REPLACE);
  g_autoptr(ModelDataset) change = model_dataset_new();
  tb_district(change, "poort", "Almere Poort", 52.35, 5.15);
  tb_neighbour(change, "poort", "stad");
  ModelEmployee *e = tb_element(change->employees,
                                tb_employee(change, "e-2", "poort", 52.37, 5.21, VOG | BSO, 4, 8));
  tb_set(&e->organisation_id, "org-1");
  tb_add_rule(e->availability, tb_one(tb_date("2020-04-20"), MODEL_PART_MORNING));
  import_ok(f->store, change, MODEL_STORE_IMPORT_MERGE);

  /* Expected: the base with poort added and e-2 replaced by the new one. */
  g_autoptr(ModelDataset) expected = full_dataset();
  tb_district(expected, "poort", "Almere Poort", 52.35, 5.15);
  tb_neighbour(expected, "poort", "stad");
  ModelEmployee *old = tb_find_employee(expected, "e-2");
  ModelEmployee *replaced = tb_find_employee(change, "e-2");
  tb_set(&old->district_id, "poort");
  old->lat = replaced->lat;
  old->lon = replaced->lon;
  old->quals = replaced->quals;
  old->max_parts_per_week = replaced->max_parts_per_week;
  old->max_travel_km = replaced->max_travel_km;
  old->confirmed = replaced->confirmed;
  tb_set(&old->email, NULL);
  tb_set(&old->phone, NULL);
  tb_set(&old->location_id, NULL);
  g_array_set_size(old->availability, 0);
  tb_add_rule(old->availability, tb_one(tb_date("2020-04-20"), MODEL_PART_MORNING));
  assert_holds(f->store, expected);
  g_assert_cmpuint(fallbacks, ==, 0);
}

/* A rule broken by the last rows fails the whole import with the row-by-row error
 * naming the object, and the store is as it was; on PostgreSQL the bulk attempt
 * failed first and was rolled back. */
static void test_all_or_nothing(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  make_awkward(base, 3);
  import_ok(f->store, base, MODEL_STORE_IMPORT_REPLACE);
  g_autofree char *before = store_export(f->store);
  static const struct {
    ModelStoreImportMode mode;
    const char *employee;
    const char *message;
  } cases[] = {
      {MODEL_STORE_IMPORT_REPLACE, "org-9",
       "employees/e-99: no organisation with id \"org-9\" or no district with id \"stad\""},
      {MODEL_STORE_IMPORT_MERGE, "org-9",
       "employees/e-99: no organisation with id \"org-9\" or no district with id \"stad\""},
      {MODEL_STORE_IMPORT_MERGE, NULL, "employees/e-99: max_parts_per_week must be from 1 to 14"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(ModelDataset) spoiled = full_dataset();
    make_awkward(spoiled, 7);
    tb_district(spoiled, "poort", "Almere Poort", 52.35, 5.15);
    ModelEmployee *e = tb_element(spoiled->employees,
                                  tb_employee(spoiled, "e-99", "stad", 52.37, 5.21, VOG, 4, 8));
    tb_set(&e->organisation_id, cases[i].employee != NULL ? cases[i].employee : "org-1");
    if (cases[i].employee == NULL)
      e->max_parts_per_week = 15;
    guint before_fallbacks = fallbacks;
    g_autoptr(GError) error = NULL;
    g_assert_false(model_store_import(f->store, spoiled, cases[i].mode, &error));
    g_assert_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
    g_assert_cmpstr(error->message, ==, cases[i].message);
    g_assert_cmpuint(fallbacks - before_fallbacks, ==, store_target_is_pg() ? 1 : 0);
    g_autofree char *after = store_export(f->store);
    g_assert_cmpstr(after, ==, before);
  }
  /* Still usable: the same dataset without the bad employee imports in bulk. */
  g_autoptr(ModelDataset) good = full_dataset();
  guint before_fallbacks = fallbacks;
  import_ok(f->store, good, MODEL_STORE_IMPORT_MERGE);
  assert_holds(f->store, good);
  g_assert_cmpuint(fallbacks, ==, before_fallbacks);
}

/* District `id`'s outline in `ds` as text, "none" without one (transfer full). */
static char *outline_text(ModelDataset *ds, const char *id) {
  const GArray *outline = tb_find_district(ds, id)->outline;
  if (outline == NULL)
    return g_strdup("none");
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < outline->len; i++) {
    const ModelPoint *point = &g_array_index((GArray *)outline, ModelPoint, i);
    g_string_append_printf(text, "%s%.17g %.17g", i > 0 ? ", " : "", point->lat, point->lon);
  }
  return g_string_free(text, FALSE);
}

/* Asserts district `id` reads back with the outline it has in `written`, bit for bit,
 * from the whole store and from the targeted read of GET /v1/districts alike. */
static void assert_outline(ModelStore *store, const char *id, ModelDataset *written) {
  g_autofree char *expected = outline_text(written, id);
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelDataset) loaded = model_store_load(store, &error);
  g_assert_no_error(error);
  g_autofree char *whole = outline_text(loaded, id);
  g_assert_cmpstr(whole, ==, expected);
  ModelQuery query;
  model_query_init(&query);
  g_autoptr(ModelDataset) page = model_store_query_districts(store, &query, &error);
  g_assert_no_error(error);
  g_autofree char *read = outline_text(page, id);
  g_assert_cmpstr(read, ==, expected);
}

/* A district's outline is written by an import in bulk (COPY on PostgreSQL, with no
 * fallback), read back exactly, replaced by a MERGE that names the district with another
 * outline and cleared by one that names it without. */
static void test_outline(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) ds = full_dataset();
  import_ok(f->store, ds, MODEL_STORE_IMPORT_REPLACE);
  assert_holds(f->store, ds);
  g_autofree char *haven = outline_text(ds, "haven");
  g_assert_cmpstr(haven, !=, "none");
  assert_outline(f->store, "haven", ds);
  assert_outline(f->store, "stad", ds);

  /* stad gains one, haven loses its own. */
  g_autoptr(ModelDataset) change = model_dataset_new();
  tb_district(change, "stad", "Almere Stad", 52.3796, 5.2167);
  tb_district(change, "haven", "Almere Haven", 52.3336, 5.2469);
  static const ModelPoint stad[] = {{52.39, 5.19}, {52.4, 5.25}, {52.36, 5.24}};
  GArray *outline = g_array_new(FALSE, FALSE, sizeof(ModelPoint));
  g_array_append_vals(outline, stad, G_N_ELEMENTS(stad));
  tb_find_district(change, "stad")->outline = outline;
  import_ok(f->store, change, MODEL_STORE_IMPORT_MERGE);
  assert_outline(f->store, "stad", change);
  assert_outline(f->store, "haven", change);
  g_autofree char *cleared = outline_text(change, "haven");
  g_assert_cmpstr(cleared, ==, "none");
  g_assert_cmpuint(fallbacks, ==, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_log_set_handler(NULL, G_LOG_LEVEL_DEBUG, count_fallbacks, NULL);
  g_test_add("/store/import/awkward-text", Fixture, NULL, setup, test_awkward_text,
             sample_store_teardown);
  g_test_add("/store/import/merge-lists", Fixture, NULL, setup, test_merge_lists,
             sample_store_teardown);
  g_test_add("/store/import/all-or-nothing", Fixture, NULL, setup, test_all_or_nothing,
             sample_store_teardown);
  g_test_add("/store/import/outline", Fixture, NULL, setup, test_outline, sample_store_teardown);
  return g_test_run();
}
