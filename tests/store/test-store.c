/* test-store.c: tests of the SQLite store: round trips (a dataset using every field,
 * the Almere fixture), atomic imports that leave the file exactly as before when a
 * database rule fires, MERGE and REPLACE semantics, proposal replacement, schema
 * versions and reopening.  Stores are compared through their JSON export, so any
 * field lost or changed on the way shows up as a text difference.
 */
#include <sqlite3.h>

#include "store-target.h"
#include <string.h>

#include "dataset-json.h"
#include "gen.h"
#include "sample.h"
#include "store-ops.h"
#include "../test-table.h"

/* The canonical export of a dataset: sorted by id, as the store returns it. */
static char *sorted_export(ModelDataset *ds) {
  model_dataset_sort(ds);
  return model_json_encode_dataset(ds);
}

/* ---- the fixture: one fresh database file per test ------------------------ */

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void fixture_setup(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *file = NULL;
  sample_dir_new("handen-store-XXXXXX", &f->dir, &file);
  f->path = store_target_new(f->dir);
}

static void fixture_teardown(Fixture *f, gconstpointer data) {
  (void)data;
  sample_dir_remove(f->dir);
  g_free(f->path);
  g_free(f->dir);
}

static ModelStore *open_store(const Fixture *f) {
  GError *error = NULL;
  ModelStore *store = model_store_open(f->path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(store);
  return store;
}

/* The whole store as JSON text. */
static char *store_export(ModelStore *store) {
  GError *error = NULL;
  g_autoptr(ModelDataset) loaded = model_store_load(store, &error);
  g_assert_no_error(error);
  g_assert_nonnull(loaded);
  return model_json_encode_dataset(loaded);
}

static void import_ok(ModelStore *store, const ModelDataset *ds, ModelStoreImportMode mode) {
  GError *error = NULL;
  gboolean ok = model_store_import(store, ds, mode, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
}

/* A store on the fixture's file with `ds` imported by `mode`. */
static ModelStore *open_imported(const Fixture *f, const ModelDataset *ds,
                                 ModelStoreImportMode mode) {
  ModelStore *store = open_store(f);
  import_ok(store, ds, mode);
  return store;
}

/* Asserts that the store holds exactly `expected` (sorted by id in place). */
static void assert_holds(ModelStore *store, ModelDataset *expected) {
  g_autofree char *want = sorted_export(expected);
  g_autofree char *got = store_export(store);
  g_assert_cmpstr(got, ==, want);
}

/* Runs one statement on the store behind its back, as the sqlite3 shell or psql would:
 * SQLITE_OK, SQLITE_CONSTRAINT when a rule refused it, or another SQLite code. */
static int raw_exec(const char *path, const char *sql) {
  if (store_target_is_pg()) {
    StoreTargetResult result = store_target_pg_exec(path, sql, NULL);
    return result == STORE_TARGET_OK     ? SQLITE_OK
           : result == STORE_TARGET_RULE ? SQLITE_CONSTRAINT
                                         : SQLITE_ERROR;
  }
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(path, &db), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), ==, SQLITE_OK);
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
  return rc;
}

/* ---- round trips -------------------------------------------------------- */

static void test_round_trip_full(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) ds = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, ds, MODEL_STORE_IMPORT_MERGE);

  GError *error = NULL;
  g_autoptr(ModelDataset) loaded = model_store_load(store, &error);
  g_assert_no_error(error);
  /* Sorted by id in byte order and indexed. */
  g_assert_cmpstr(g_array_index(loaded->employees, ModelEmployee, 0).id, ==, "e-10");
  g_assert_cmpint(model_dataset_find_employee(loaded, "e-2"), ==, 1);
  g_assert_cmpint(model_dataset_find_assignment(loaded, "a-4"), ==, 3);
  /* Fields JSON leaves implicit survive too. */
  const ModelSlotRule *rule = &g_array_index(
      g_array_index(loaded->employees, ModelEmployee, 0).availability, ModelSlotRule, 0);
  g_assert_cmpint(rule->kind, ==, MODEL_SLOT_RULE_ONE);
  g_assert_cmpint(rule->weekdays, ==, MODEL_WEEKDAYS_ALL);
  g_assert_cmpint(g_array_index(loaded->assignments, ModelAssignment, 1).decided_at, ==, -1);
  g_assert_cmpint(g_array_index(loaded->assignments, ModelAssignment, 0).decided_at, ==,
                  1586856600);

  g_autofree char *expected = sorted_export(ds);
  g_autofree char *actual = model_json_encode_dataset(loaded);
  g_assert_cmpstr(actual, ==, expected);

  /* Importing the same dataset again changes nothing. */
  import_ok(store, ds, MODEL_STORE_IMPORT_MERGE);
  assert_holds(store, ds);
}

static void test_round_trip_fixture(Fixture *f, gconstpointer data) {
  (void)data;
  const char *fixtures = g_getenv("HANDEN_FIXTURES");
  g_autofree char *file = fixtures != NULL ? g_build_filename(fixtures, "almere.json", NULL) : NULL;
  if (file == NULL || !g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
    g_test_skip("HANDEN_FIXTURES/almere.json is not available");
    return;
  }
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) ds = model_json_load_dataset(file, problems);
  g_autofree char *report = model_problems_to_string(problems);
  g_assert_cmpstr(report, ==, "");
  g_assert_nonnull(ds);

  g_autoptr(ModelStore) store = open_imported(f, ds, MODEL_STORE_IMPORT_REPLACE);
  assert_holds(store, ds);
}

/* Property: any generated dataset comes back unchanged, and importing it again with
 * MERGE changes nothing.  `data` points to the seed, which is in the test path. */
static void test_round_trip_generated(Fixture *f, gconstpointer data) {
  FixturesParams params;
  fixtures_params_init(&params);
  params.schools = 12;
  params.employees = 40;
  params.weeks = 2;
  params.seed = *(const guint64 *)data;
  g_autoptr(ModelDataset) ds = fixtures_generate(&params);
  g_assert_nonnull(ds);

  g_autoptr(ModelStore) store = open_imported(f, ds, MODEL_STORE_IMPORT_REPLACE);
  assert_holds(store, ds);
  import_ok(store, ds, MODEL_STORE_IMPORT_MERGE);
  assert_holds(store, ds);
}

/* ---- atomicity ---------------------------------------------------------- */

/* Two approved assignments of e-2 for 2020-04-14 morning: a-1 and a-7.  The dataset
 * is not checked on purpose: the database itself must refuse it. */
static void add_second_approval(ModelDataset *ds) {
  tb_assignment(ds->assignments, "a-7", "r-1", "e-2", tb_date("2020-04-14"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_APPROVED, NULL);
}

static void assert_refused(ModelStore *store, const ModelDataset *ds, ModelStoreImportMode mode,
                           gint code, const char *message) {
  GError *error = NULL;
  g_assert_false(model_store_import(store, ds, mode, &error));
  g_assert_error(error, MODEL_ERROR, code);
  g_assert_cmpstr(error->message, ==, message);
  g_error_free(error);
}

static void test_import_atomic(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, base, MODEL_STORE_IMPORT_REPLACE);
  g_autofree char *before = store_export(store);

  static const char message[] =
      "assignments/a-7: an employee can have only one approved assignment per day part";

  /* REPLACE: the deletes before the failing row are rolled back as well. */
  g_autoptr(ModelDataset) both = full_dataset();
  tb_district(both, "poort", "Almere Poort", 52.35, 5.15);
  add_second_approval(both);
  assert_refused(store, both, MODEL_STORE_IMPORT_REPLACE, MODEL_ERROR_CONFLICT, message);
  g_autofree char *after_replace = store_export(store);
  g_assert_cmpstr(after_replace, ==, before);

  /* MERGE: the conflict is with a-1 already in the store; the new district goes too. */
  g_autoptr(ModelDataset) extra = model_dataset_new();
  tb_district(extra, "poort", "Almere Poort", 52.35, 5.15);
  add_second_approval(extra);
  assert_refused(store, extra, MODEL_STORE_IMPORT_MERGE, MODEL_ERROR_CONFLICT, message);
  g_autofree char *after_merge = store_export(store);
  g_assert_cmpstr(after_merge, ==, before);

  /* The store is still usable: the same district alone imports. */
  g_array_set_size(extra->assignments, 0);
  import_ok(store, extra, MODEL_STORE_IMPORT_MERGE);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM districts"), ==, 4);
}

/* One database rule broken by one row; the whole import must leave the file as it
 * was, and the error must name the object and the rule. */
typedef struct {
  const char *name;
  void (*spoil)(ModelDataset *ds);
  const char *message;
} RefusedCase;

static ModelSlotRule *e2_pattern(ModelDataset *ds) {
  return &g_array_index(tb_find_employee(ds, "e-2")->availability, ModelSlotRule, 0);
}

static void spoil_max_parts(ModelDataset *ds) {
  tb_find_employee(ds, "e-2")->max_parts_per_week = 15;
}

static void spoil_staff_twice(ModelDataset *ds) {
  tb_find_request(ds, "r-2")->children_expected = 30;
}

static void spoil_school_district(ModelDataset *ds) {
  tb_set(&tb_find_school(ds, "07NU")->district_id, "nowhere");
}

static void spoil_pattern_order(ModelDataset *ds) {
  e2_pattern(ds)->to = tb_date("2020-04-13");
}

static void spoil_pattern_span(ModelDataset *ds) {
  e2_pattern(ds)->to = tb_date("2021-04-16"); /* 367 days; 366 is allowed */
}

static void spoil_pattern_weekdays(ModelDataset *ds) {
  e2_pattern(ds)->weekdays = 0;
}

static void spoil_one_parts(ModelDataset *ds) {
  g_array_index(tb_find_request(ds, "r-1")->slots, ModelSlotRule, 0).parts = MODEL_PARTS_ALL;
}

static void spoil_assignment_employee(ModelDataset *ds) {
  tb_set(&tb_find_assignment(ds, "a-2")->employee_id, "e-99");
}

static void spoil_decided_by(ModelDataset *ds) {
  g_clear_pointer(&tb_find_assignment(ds, "a-1")->decided_by, g_free);
}

static void spoil_own_neighbour(ModelDataset *ds) {
  g_ptr_array_add(tb_find_district(ds, "haven")->neighbours, g_strdup("haven"));
}

static void spoil_repeated_neighbour(ModelDataset *ds) {
  g_ptr_array_add(tb_find_district(ds, "stad")->neighbours, g_strdup("haven"));
}

static void spoil_lat(ModelDataset *ds) {
  tb_find_district(ds, "buiten")->lat = 91.0;
}

static void spoil_confirmed(ModelDataset *ds) {
  tb_find_employee(ds, "e-2")->confirmed = model_date_from_ymd(1899, 12, 31);
}

static void spoil_note(ModelDataset *ds) {
  ModelRequest *r = tb_find_request(ds, "r-1");
  g_free(r->note);
  r->note = g_strnfill(2001, 'x');
}

static void spoil_brin(ModelDataset *ds) {
  tb_set(&tb_find_school(ds, "24EJ00")->brin, "7NU");
}

static void spoil_quals(ModelDataset *ds) {
  tb_find_employee(ds, "e-2")->quals = 1u << MODEL_N_QUALS;
}

static void spoil_name(ModelDataset *ds) {
  tb_set(&tb_find_organisation(ds, "org-1")->name, "");
}

static void spoil_id(ModelDataset *ds) {
  tb_set(&tb_find_assignment(ds, "a-4")->id, "a 4");
}

static void spoil_decided_at(ModelDataset *ds) {
  tb_find_assignment(ds, "a-3")->decided_at = -1;
}

static const RefusedCase refused_cases[] = {
    {"max-parts", spoil_max_parts, "employees/e-2: max_parts_per_week must be from 1 to 14"},
    {"staff-twice", spoil_staff_twice,
     "requests/r-2: exactly one of staff_needed and children_expected is given"},
    {"school-district", spoil_school_district, "schools/07NU: no district with id \"nowhere\""},
    {"pattern-order", spoil_pattern_order,
     "employees/e-2: a pattern must not end before it starts"},
    {"pattern-span", spoil_pattern_span, "employees/e-2: a pattern spans at most 366 days"},
    {"pattern-weekdays", spoil_pattern_weekdays,
     "employees/e-2: a pattern needs a non-empty set of weekdays"},
    {"one-parts", spoil_one_parts,
     "requests/r-1: a single day part has one date, one part and no weekdays"},
    {"assignment-employee", spoil_assignment_employee,
     "assignments/a-2: no request with id \"r-1\" or no employee with id \"e-99\""},
    {"decided-by", spoil_decided_by,
     "assignments/a-1: decided_by and decided_at are given exactly when not proposed"},
    {"own-neighbour", spoil_own_neighbour,
     "districts/haven: a district cannot be its own neighbour"},
    {"repeated-neighbour", spoil_repeated_neighbour,
     "districts/stad: a district is listed as a neighbour only once"},
    {"lat", spoil_lat, "districts/buiten: lat must be from -90 to 90"},
    {"confirmed", spoil_confirmed,
     "employees/e-2: confirmed must be a date YYYY-MM-DD from 1900 to 2999"},
    {"note", spoil_note, "requests/r-1: note must be at most 2000 characters"},
    {"brin", spoil_brin,
     "schools/24EJ00: brin must be two digits and two capital letters, optionally two more digits"},
    {"quals", spoil_quals, "employees/e-2: qualifications must be a set of known qualifications"},
    {"name", spoil_name, "organisations/org-1: name must be 1 to 200 characters"},
    {"id", spoil_id, "assignments/a 4: id must be 1 to 64 characters of A-Z a-z 0-9 . _ : -"},
    {"decided-at", spoil_decided_at,
     "assignments/a-3: decided_by and decided_at are given exactly when not proposed"},
};

/* The refused cases share one database file holding the sample dataset: a refusal
 * must leave the file exactly as it was, so every case starts from what the cases
 * before it left, and that must still be the sample.  (One file also keeps the
 * number of synced commits, and so the run time, low.) */
typedef struct {
  Fixture file;
  char *sample_export;
} RefusedShared;

static RefusedShared refused_shared;

static const char *refused_shared_path(void) {
  RefusedShared *shared = &refused_shared;
  if (shared->sample_export == NULL) {
    fixture_setup(&shared->file, NULL);
    g_autoptr(ModelStore) store = open_store(&shared->file);
    g_autoptr(ModelDataset) sample = full_dataset();
    import_ok(store, sample, MODEL_STORE_IMPORT_REPLACE);
    shared->sample_export = store_export(store);
  }
  return shared->file.path;
}

static void refused_shared_clear(void) {
  RefusedShared *shared = &refused_shared;
  if (shared->sample_export == NULL)
    return;
  fixture_teardown(&shared->file, NULL);
  g_clear_pointer(&shared->sample_export, g_free);
}

static void test_import_refused(gconstpointer data) {
  const RefusedCase *c = data;
  const char *path = refused_shared_path();
  GError *error = NULL;
  g_autoptr(ModelStore) store = model_store_open(path, &error);
  g_assert_no_error(error);
  g_autofree char *before = store_export(store);
  g_assert_cmpstr(before, ==, refused_shared.sample_export);

  g_autoptr(ModelDataset) bad = full_dataset();
  c->spoil(bad);
  assert_refused(store, bad, MODEL_STORE_IMPORT_MERGE, MODEL_ERROR_CONFLICT, c->message);
  g_autofree char *after = store_export(store);
  g_assert_cmpstr(after, ==, before);
  assert_refused(store, bad, MODEL_STORE_IMPORT_REPLACE, MODEL_ERROR_CONFLICT, c->message);
  g_autofree char *after_replace = store_export(store);
  g_assert_cmpstr(after_replace, ==, before);
}

/* ---- MERGE and REPLACE -------------------------------------------------- */

static void test_merge_replaces_lists(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, base, MODEL_STORE_IMPORT_REPLACE);

  /* A partial dataset: e-2 with one rule instead of two, r-1 with other slots, stad
   * with one neighbour, and a new request for a school that is only in the store. */
  g_autoptr(ModelDataset) update = model_dataset_new();
  tb_district(update, "stad", "Almere Stad Centrum", 52.38, 5.22);
  tb_neighbour(update, "stad", "buiten");
  ModelEmployee *e = tb_element(update->employees,
                                tb_employee(update, "e-2", "stad", TB_NO_LOCATION, 0, VOG, 10, 10));
  tb_set(&e->organisation_id, "org-2");
  ModelSlotRule rule = tb_pattern(tb_date("2020-05-01"), tb_date("2020-05-29"), 0x10, 0x2);
  g_array_append_val(e->availability, rule);
  ModelRequest *r = tb_element(
      update->requests, tb_request(update, "r-1", "24EJ00", 3, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  ModelSlotRule slots[] = {tb_one(tb_date("2020-04-14"), MODEL_PART_MORNING),
                           tb_one(tb_date("2020-04-20"), MODEL_PART_AFTERNOON),
                           tb_one(tb_date("2020-04-21"), MODEL_PART_MORNING)};
  g_array_append_vals(r->slots, slots, G_N_ELEMENTS(slots));
  r = tb_element(update->requests,
                 tb_request(update, "r-3", "07NU", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  ModelSlotRule r3_slot = tb_one(tb_date("2020-04-22"), MODEL_PART_MORNING);
  g_array_append_val(r->slots, r3_slot);
  import_ok(store, update, MODEL_STORE_IMPORT_MERGE);

  /* Expected: the base with those objects replaced whole and r-3 added.  Rows that
   * refer to e-2 and r-1 (assignments) are still there: an upsert never deletes. */
  g_autoptr(ModelDataset) expected = full_dataset();
  ModelDistrict *stad = tb_find_district(expected, "stad");
  tb_set(&stad->name, "Almere Stad Centrum");
  stad->lat = 52.38;
  stad->lon = 5.22;
  g_ptr_array_set_size(stad->neighbours, 0);
  g_ptr_array_add(stad->neighbours, g_strdup("buiten"));
  ModelEmployee *e2 = tb_find_employee(expected, "e-2");
  tb_set(&e2->organisation_id, "org-2");
  g_clear_pointer(&e2->location_id, g_free);
  e2->has_location = FALSE;
  e2->lat = e2->lon = 0.0;
  e2->quals = MODEL_QUAL_BIT(MODEL_QUAL_VOG);
  e2->max_parts_per_week = 10;
  e2->max_travel_km = MODEL_DEFAULT_MAX_TRAVEL_KM;
  e2->confirmed = MODEL_DATE_NONE;
  g_clear_pointer(&e2->email, g_free);
  g_clear_pointer(&e2->phone, g_free);
  g_array_set_size(e2->availability, 0);
  g_array_append_val(e2->availability, rule);
  ModelRequest *r1 = tb_find_request(expected, "r-1");
  r1->staff_needed = 3;
  r1->children_expected = -1;
  r1->own_staff = -1;
  r1->required = r1->preferred = 0;
  r1->priority = MODEL_PRIORITY_NORMAL;
  r1->max_travel_km = MODEL_DEFAULT_MAX_TRAVEL_KM;
  g_clear_pointer(&r1->note, g_free);
  g_array_set_size(r1->slots, 0);
  g_array_append_vals(r1->slots, slots, G_N_ELEMENTS(slots));
  r = tb_element(expected->requests,
                 tb_request(expected, "r-3", "07NU", 1, MODEL_PRIORITY_NORMAL, 0, 0, 10));
  g_array_append_val(r->slots, r3_slot);

  assert_holds(store, expected);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM employee_availability"
                                            " WHERE employee_id = 'e-2'"),
                  ==, 1);
  g_assert_cmpint(
      store_target_int(f->path, "SELECT count(*) FROM request_slots WHERE request_id = 'r-1'"), ==,
      3);
}

static void test_replace_empties(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, base, MODEL_STORE_IMPORT_MERGE);

  g_autoptr(ModelDataset) small = model_dataset_new();
  tb_district(small, "poort", "Almere Poort", 52.35, 5.15);
  import_ok(store, small, MODEL_STORE_IMPORT_REPLACE);
  assert_holds(store, small);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM employee_availability"), ==, 0);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM district_neighbours"), ==, 0);

  g_autoptr(ModelDataset) empty = model_dataset_new();
  import_ok(store, empty, MODEL_STORE_IMPORT_REPLACE);
  g_autoptr(ModelDataset) nothing = model_store_load(store, NULL);
  g_assert_nonnull(nothing);
  g_assert_cmpuint(nothing->districts->len, ==, 0);
  g_assert_cmpuint(nothing->assignments->len, ==, 0);
}

/* ---- proposals: a round replaces every undecided one ---------------------- */

/* Stores `proposals` as the result of a new round over every district; a refused one
 * is marked failed, so the next can start. */
static gboolean finish_round(ModelStore *store, const GArray *proposals, GError **error) {
  gint64 id = 0;
  g_assert_true(model_store_round_start(store, NULL, FALSE, 8000, "test", 1586851200, &id, NULL));
  if (model_store_round_finish(store, id, NULL, proposals, "{}", "[]", 1586851260, error))
    return TRUE;
  g_assert_true(model_store_round_fail(store, id, "refused", 1586851260, NULL));
  return FALSE;
}

static void test_replace_proposals(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) base = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, base, MODEL_STORE_IMPORT_REPLACE);

  g_autoptr(GArray) proposals = g_array_new(FALSE, TRUE, sizeof(ModelAssignment));
  g_array_set_clear_func(proposals, (GDestroyNotify)model_assignment_clear);
  tb_assignment(proposals, "p-1", "r-1", "e-2", tb_date("2020-04-16"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  tb_assignment(proposals, "p-0", "r-1", "e-2", tb_date("2020-04-15"), MODEL_PART_AFTERNOON,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  GError *error = NULL;
  g_assert_true(finish_round(store, proposals, &error));
  g_assert_no_error(error);

  /* a-2 (proposed) is gone; the decisions a-1, a-3, a-4 stay; p-0, p-1 are new. */
  g_autoptr(ModelDataset) expected = full_dataset();
  g_array_remove_index(expected->assignments,
                       (guint)model_dataset_find_assignment(expected, "a-2"));
  tb_assignment(expected->assignments, "p-1", "r-1", "e-2", tb_date("2020-04-16"),
                MODEL_PART_MORNING, MODEL_ASSIGNMENT_PROPOSED, NULL);
  tb_assignment(expected->assignments, "p-0", "r-1", "e-2", tb_date("2020-04-15"),
                MODEL_PART_AFTERNOON, MODEL_ASSIGNMENT_PROPOSED, NULL);
  assert_holds(store, expected);

  /* Refused batches store nothing, not even the deletion of the old proposals. */
  g_autoptr(GArray) bad = g_array_new(FALSE, TRUE, sizeof(ModelAssignment));
  g_array_set_clear_func(bad, (GDestroyNotify)model_assignment_clear);
  tb_assignment(bad, "p-2", "r-1", "e-2", tb_date("2020-04-16"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  tb_assignment(bad, "a-1", "r-1", "e-2", tb_date("2020-04-17"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  g_assert_false(finish_round(store, bad, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  g_assert_cmpstr(error->message, ==, "assignments/a-1: the id is already taken");
  g_clear_error(&error);

  g_array_set_size(bad, 1);
  tb_assignment(bad, "p-4", "r-9", "e-2", tb_date("2020-04-17"), MODEL_PART_MORNING,
                MODEL_ASSIGNMENT_PROPOSED, NULL);
  g_assert_false(finish_round(store, bad, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  g_assert_cmpstr(error->message, ==,
                  "assignments/p-4: no request with id \"r-9\" or no employee with id \"e-2\"");
  g_clear_error(&error);

  assert_holds(store, expected);

  /* An empty batch withdraws every proposal and nothing else. */
  g_array_set_size(bad, 0);
  g_assert_true(finish_round(store, bad, &error));
  g_assert_no_error(error);
  g_assert_cmpint(
      store_target_int(f->path, "SELECT count(*) FROM assignments WHERE status = 'proposed'"), ==,
      0);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM assignments"), ==, 3);
}

/* ---- the schema --------------------------------------------------------- */

/* The query of the schema version behind the store's back. */
static const char *version_sql(void) {
  return store_target_is_pg() ? "SELECT version FROM handen_schema" : "PRAGMA user_version";
}

static void test_reopen(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) ds = full_dataset();
  ModelStore *store = open_store(f);
  import_ok(store, ds, MODEL_STORE_IMPORT_MERGE);
  g_autofree char *before = store_export(store);
  model_store_free(store);

  g_assert_cmpint(store_target_int(f->path, version_sql()), ==, model_store_schema_version());
  g_assert_cmpint(model_store_schema_version(), >=, 1);
  /* The API's tables exist from the first version on. */
  g_assert_cmpint(
      store_target_int(f->path, store_target_is_pg()
                                    ? "SELECT count(*) FROM pg_tables WHERE tablename IN"
                                      " ('tokens', 'audit_log', 'rounds')"
                                      " AND schemaname = current_schema()"
                                    : "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                                      " AND name IN ('tokens', 'audit_log', 'rounds')"),
      ==, 3);

  g_autoptr(ModelStore) again = open_store(f);
  g_autofree char *after = store_export(again);
  g_assert_cmpstr(after, ==, before);
  if (!store_target_is_pg())
    g_assert_cmpint(
        store_target_int(f->path, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), ==, 1);
}

/* The last migration, run on a store one version behind: the approved assignments of a
 * request's day part get their index, and SQLite counts them through it. */
static void test_migrate_last(Fixture *f, gconstpointer data) {
  (void)data;
  model_store_free(open_store(f));
  int last = model_store_schema_version();
  g_autofree char *back = g_strdup_printf(
      store_target_is_pg() ? "UPDATE handen_schema SET version = %d" : "PRAGMA user_version = %d",
      last - 1);
  g_assert_cmpint(raw_exec(f->path, "DROP INDEX assignments_approved_in_slot"), ==, SQLITE_OK);
  g_assert_cmpint(raw_exec(f->path, back), ==, SQLITE_OK);
  model_store_free(open_store(f));
  g_assert_cmpint(store_target_int(f->path, version_sql()), ==, last);
  if (store_target_is_pg()) {
    g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM pg_indexes WHERE indexname ="
                                              " 'assignments_approved_in_slot'"
                                              " AND schemaname = current_schema()"),
                    ==, 1);
    return;
  }
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(db,
                                     "EXPLAIN QUERY PLAN SELECT count(*) FROM assignments"
                                     " WHERE request_id = ? AND date = ? AND part = ?"
                                     " AND status = 'approved'",
                                     -1, &stmt, NULL),
                  ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  const char *plan = (const char *)sqlite3_column_text(stmt, 3);
  g_assert_nonnull(strstr(plan, "COVERING INDEX assignments_approved_in_slot"));
  sqlite3_finalize(stmt);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

/* A store already at this version opens while another connection holds the write
 * lock: opening does not take it (it would wait the busy timeout, then fail). */
static void test_open_while_writing(Fixture *f, gconstpointer data) {
  (void)data;
  if (store_target_skip_unless_sqlite())
    return;
  model_store_free(open_store(f));
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  GError *error = NULL;
  g_autoptr(ModelStore) store = model_store_open(f->path, &error);
  g_assert_no_error(error);
  g_assert_nonnull(store);
  g_assert_cmpint(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

static void test_newer_schema_refused(Fixture *f, gconstpointer data) {
  (void)data;
  model_store_free(open_store(f));
  int newer = model_store_schema_version() + 1;
  g_autofree char *bump = g_strdup_printf(
      store_target_is_pg() ? "UPDATE handen_schema SET version = %d" : "PRAGMA user_version = %d",
      newer);
  g_assert_cmpint(raw_exec(f->path, bump), ==, SQLITE_OK);

  GError *error = NULL;
  ModelStore *store = model_store_open(f->path, &error);
  g_assert_null(store);
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_IO);
  g_autofree char *message =
      g_strdup_printf("%s: schema version %d is newer than this program (%d)", f->path, newer,
                      model_store_schema_version());
  g_assert_cmpstr(error->message, ==, message);
  g_clear_error(&error);
  /* The file was not touched. */
  g_assert_cmpint(store_target_int(f->path, version_sql()), ==, newer);
}

static void test_open_failures(Fixture *f, gconstpointer data) {
  (void)data;
  if (store_target_skip_unless_sqlite())
    return;
  GError *error = NULL;
  g_autofree char *missing_dir = g_build_filename(f->dir, "no-such-dir", "handen.db", NULL);
  g_assert_null(model_store_open(missing_dir, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_IO);
  g_autofree char *prefix = g_strdup_printf("%s: cannot open the database: ", missing_dir);
  g_assert_true(g_str_has_prefix(error->message, prefix));
  g_clear_error(&error);

  g_assert_true(g_file_set_contents(f->path, "this is not a database, just text\n", -1, NULL));
  g_assert_null(model_store_open(f->path, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_IO);
  g_autofree char *expected =
      g_strdup_printf("%s: cannot read the schema version: file is not a database", f->path);
  g_assert_cmpstr(error->message, ==, expected);
  g_clear_error(&error);
}

/* Rules that hold for any program writing the file, not only this one. */
static void test_database_rules(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelDataset) ds = full_dataset();
  g_autoptr(ModelStore) store = open_imported(f, ds, MODEL_STORE_IMPORT_MERGE);

  /* An employee or request with assignments cannot be deleted; a request's slots go
   * with it. */
  g_assert_cmpint(raw_exec(f->path, "DELETE FROM employees WHERE id = 'e-2'"), ==,
                  SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "DELETE FROM requests WHERE id = 'r-1'"), ==,
                  SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "DELETE FROM assignments WHERE request_id = 'r-2';"
                                    "DELETE FROM requests WHERE id = 'r-2'"),
                  ==, SQLITE_OK);
  g_assert_cmpint(
      store_target_int(f->path, "SELECT count(*) FROM request_slots WHERE request_id = 'r-2'"), ==,
      0);
  /* Only approved assignments are unique per slot: a-3 (rejected) shares a-1's slot
   * with another employee, and a second rejection of e-2 for that slot is fine. */
  g_assert_cmpint(raw_exec(f->path, "INSERT INTO assignments VALUES ('a-8', 'r-1', 'e-2',"
                                    " '2020-04-14', 0, 'rejected', 'x', '2020-04-14T10:00:00Z',"
                                    " NULL)"),
                  ==, SQLITE_OK);
  g_assert_cmpint(raw_exec(f->path, "UPDATE assignments SET status = 'approved'"
                                    " WHERE id = 'a-8'"),
                  ==, SQLITE_CONSTRAINT);
  /* A location with employees cannot vanish; a load gives its figures one way or
   * both, never half of one; a location's load goes with it. */
  g_assert_cmpint(raw_exec(f->path, "DELETE FROM locations WHERE id = 'loc-b'"), ==,
                  SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE location_load SET staff_present = NULL"
                                    " WHERE location_id = 'loc-b' AND position = 0"),
                  ==, SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE location_load SET max_lend = -1"
                                    " WHERE location_id = 'loc-b' AND position = 1"),
                  ==, SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE employees SET location_id = 'loc-z'"
                                    " WHERE id = 'e-2'"),
                  ==, SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE employees SET location_id = NULL;"
                                    "DELETE FROM locations WHERE id = 'loc-b'"),
                  ==, SQLITE_OK);
  g_assert_cmpint(store_target_int(f->path, "SELECT count(*) FROM location_load"), ==, 0);
  /* A district's outline is a JSON array of 3 to 5000 points, or nothing. */
  g_assert_cmpint(raw_exec(f->path, "UPDATE districts SET outline = '[[52.3,5.2],[52.4,5.3]]'"
                                    " WHERE id = 'stad'"),
                  ==, SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE districts SET outline = '{\"lat\": 52.3}'"
                                    " WHERE id = 'stad'"),
                  ==, SQLITE_CONSTRAINT);
  g_assert_cmpint(raw_exec(f->path, "UPDATE districts SET outline = "
                                    "'[[52.3,5.2],[52.4,5.3],[52.35,5.25]]' WHERE id = 'stad'"),
                  ==, SQLITE_OK);
  g_assert_cmpint(raw_exec(f->path, "UPDATE districts SET outline = NULL WHERE id = 'haven'"), ==,
                  SQLITE_OK);
  /* The audit log only grows. */
  g_assert_cmpint(raw_exec(f->path, "INSERT INTO audit_log (at, actor, action, object)"
                                    " VALUES ('2020-04-14T10:00:00Z', 'coordinator',"
                                    " 'approve', 'assignments/a-1')"),
                  ==, SQLITE_OK);
  g_assert_cmpint(raw_exec(f->path, "UPDATE audit_log SET actor = 'someone else'"), ==,
                  SQLITE_CONSTRAINT);
}

/* A batch of decisions (group commit): each job is checked as a decision on its own,
 * after the jobs before it in the batch (approving a proposal the batch rejected is
 * refused), a refused or unknown job leaves the others be, and one commit stores all
 * that were taken. */
static void test_decide_batch(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(ModelStore) store = open_store(f);
  g_autoptr(ModelDataset) sample = full_dataset();
  import_ok(store, sample, MODEL_STORE_IMPORT_REPLACE);
  const gint64 now = 1586856600;
  ModelDecisionJob jobs[] = {
      {"a-2", MODEL_DECISION_REJECT, "coordinator", "no room", now, NULL},
      {"a-2", MODEL_DECISION_APPROVE, "coordinator", NULL, now, NULL},
      {"a-99", MODEL_DECISION_REJECT, "coordinator", "no", now, NULL},
      {"a-1", MODEL_DECISION_CANCEL, "coordinator", "ill", now, NULL},
      {"a-3", MODEL_DECISION_CANCEL, "coordinator", NULL, now, NULL},
  };
  GError *error = NULL;
  g_assert_true(model_store_decide_batch(store, jobs, G_N_ELEMENTS(jobs), &error));
  g_assert_no_error(error);
  const gboolean ok[] = {TRUE, FALSE, FALSE, TRUE, FALSE};
  for (gsize i = 0; i < G_N_ELEMENTS(jobs); i++) {
    g_assert_cmpint(jobs[i].ok, ==, ok[i]);
    g_assert_true((jobs[i].error == NULL) == ok[i]);
  }
  g_assert_error(jobs[1].error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  g_assert_cmpint(jobs[1].refusal, ==, MODEL_REFUSAL_DECIDED);
  g_assert_error(jobs[2].error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND);
  g_assert_error(jobs[4].error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  for (gsize i = 0; i < G_N_ELEMENTS(jobs); i++)
    model_decision_job_clear(&jobs[i]);
  g_autoptr(ModelDataset) loaded = model_store_load(store, &error);
  g_assert_no_error(error);
  static const struct {
    const char *id;
    ModelAssignmentStatus status;
  } want[] = {{"a-1", MODEL_ASSIGNMENT_CANCELLED},
              {"a-2", MODEL_ASSIGNMENT_REJECTED},
              {"a-3", MODEL_ASSIGNMENT_REJECTED}};
  for (gsize i = 0; i < G_N_ELEMENTS(want); i++)
    g_assert_cmpint(tb_find_assignment(loaded, want[i].id)->status, ==, want[i].status);
  g_assert_cmpstr(tb_find_assignment(loaded, "a-1")->reason, ==, "ill");
  /* An empty batch commits nothing and succeeds. */
  g_assert_true(model_store_decide_batch(store, NULL, 0, &error));
  g_assert_no_error(error);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD("/store/round-trip/full", test_round_trip_full);
  ADD("/store/round-trip/fixture", test_round_trip_fixture);
  /* Committed seeds plus one fresh seed per run, each in its test path. */
  static guint64 seeds[] = {1, 2, 3, 20200316, 20200511, 0};
  seeds[G_N_ELEMENTS(seeds) - 1] = g_test_rand_int();
  for (gsize i = 0; i < G_N_ELEMENTS(seeds); i++) {
    g_autofree char *path =
        g_strdup_printf("/store/round-trip/generated/%" G_GUINT64_FORMAT, seeds[i]);
    g_test_add(path, Fixture, &seeds[i], fixture_setup, test_round_trip_generated,
               fixture_teardown);
  }
  ADD("/store/import/atomic", test_import_atomic);
  TEST_ADD_TABLE("/store/import/refused", refused_cases, name, test_import_refused);
  ADD("/store/import/merge-replaces-lists", test_merge_replaces_lists);
  ADD("/store/import/replace-empties", test_replace_empties);
  ADD("/store/proposals/replace", test_replace_proposals);
  ADD("/store/decisions/batch", test_decide_batch);
  ADD("/store/schema/reopen", test_reopen);
  ADD("/store/schema/newer-refused", test_newer_schema_refused);
  ADD("/store/schema/open-while-writing", test_open_while_writing);
  ADD("/store/schema/migrate-last", test_migrate_last);
  ADD("/store/schema/database-rules", test_database_rules);
  ADD("/store/open/failures", test_open_failures);
#undef ADD
  int status = g_test_run();
  refused_shared_clear();
  return status;
}
