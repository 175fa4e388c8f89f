/* test-rows.c: both ways of reading the store, the whole of it (model_store_load) and
 * the targeted queries of the API (model_store_query_*), decode every entity alike:
 * the sample dataset read back object by object through the queries equals the
 * loaded one, and a value the schema should have refused, planted behind the store's
 * back, is the same MODEL_ERROR_IO naming the object and column on either way, after
 * which the store still reads (no read transaction is left open).  Reaches into the
 * store's private headers (rows.h) to check each column list against its count.
 */
#include <sqlite3.h>

#include "store-target.h"

#include "dataset-json.h"
#include "rows.h"
#include "sample.h"
#include "store-ops.h"
#include "../test-table.h"

typedef SampleStore Fixture;

static void fixture_setup(Fixture *f, gconstpointer data) {
  sample_store_setup(f, data);
  GError *error = NULL;
  g_autoptr(ModelDataset) sample = full_dataset();
  g_assert_true(model_store_import(f->store, sample, MODEL_STORE_IMPORT_REPLACE, &error));
  g_assert_no_error(error);
}

/* Runs SQL on the file behind the store's back, with the schema's CHECKs and foreign
 * keys off, as a damaged file or a careless tool would leave it. */
static void plant(const Fixture *f, const char *sql) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db,
                               "PRAGMA ignore_check_constraints = ON;"
                               " PRAGMA foreign_keys = OFF;",
                               NULL, NULL, NULL),
                  ==, SQLITE_OK);
  char *message = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &message);
  g_assert_cmpstr(message, ==, NULL);
  g_assert_cmpint(rc, ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

typedef ModelDataset *(*QueryFunc)(ModelStore *store, const ModelQuery *query, GError **error);

static ModelDataset *query_assignments(ModelStore *store, const ModelQuery *query, GError **error) {
  return model_store_query_assignments(store, query, NULL, error);
}

/* Moves array `a` of `from` into `to`, replacing what `to` held. */
#define TAKE(to, from, a)                                                                          \
  do {                                                                                             \
    GArray *taken = (from)->a;                                                                     \
    (from)->a = (to)->a;                                                                           \
    (to)->a = taken;                                                                               \
  } while (0)

/* Every object read through the query of its kind is the object loading reads. */
static void test_same_objects(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  g_autoptr(ModelDataset) loaded = model_store_load(f->store, &error);
  g_assert_no_error(error);
  ModelQuery all;
  model_query_init(&all);
  g_autoptr(ModelDataset) read = model_dataset_new();
  g_autoptr(ModelDataset) districts = model_store_query_districts(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, districts, districts);
  g_autoptr(ModelDataset) schools = model_store_query_schools(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, schools, schools);
  g_autoptr(ModelDataset) organisations = model_store_query_organisations(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, organisations, organisations);
  g_autoptr(ModelDataset) locations = model_store_query_locations(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, locations, locations);
  g_autoptr(ModelDataset) employees = model_store_query_employees(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, employees, employees);
  g_autoptr(ModelDataset) requests = model_store_query_requests(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, requests, requests);
  g_autoptr(ModelDataset) assignments = query_assignments(f->store, &all, &error);
  g_assert_no_error(error);
  TAKE(read, assignments, assignments);
  g_assert_cmpuint(read->assignments->len, ==, 4);

  g_autofree char *want = model_json_encode_dataset(loaded);
  g_autofree char *got = model_json_encode_dataset(read);
  g_assert_cmpstr(got, ==, want);

  /* The briefs an assignment's view joins in are the heads of the full objects. */
  const ModelEmployee *brief = &g_array_index(assignments->employees, ModelEmployee, 0);
  const ModelEmployee *full = tb_find_employee(loaded, brief->id);
  g_assert_cmpstr(brief->organisation_id, ==, full->organisation_id);
  g_assert_cmpstr(brief->name, ==, full->name);
  g_assert_cmpstr(brief->district_id, ==, full->district_id);
  const ModelRequest *owner = &g_array_index(assignments->requests, ModelRequest, 0);
  g_assert_cmpstr(owner->school_id, ==, tb_find_request(loaded, owner->id)->school_id);
}

/* A query for a list of ids reads exactly those that exist, in id order, whatever the
 * order asked; an empty list reads none. */
static void test_ids(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  ModelQuery query;
  model_query_init(&query);
  g_autoptr(ModelDataset) all = query_assignments(f->store, &query, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(all->assignments->len, ==, 4);
  const char *first = g_array_index(all->assignments, ModelAssignment, 0).id;
  const char *third = g_array_index(all->assignments, ModelAssignment, 2).id;
  const char *const wanted[] = {third, "no-such-assignment", first, NULL};
  query.ids = wanted;
  g_autoptr(ModelDataset) some = query_assignments(f->store, &query, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(some->assignments->len, ==, 2);
  g_assert_cmpstr(g_array_index(some->assignments, ModelAssignment, 0).id, ==, first);
  g_assert_cmpstr(g_array_index(some->assignments, ModelAssignment, 1).id, ==, third);

  const char *const none[] = {NULL};
  query.ids = none;
  g_autoptr(ModelDataset) empty = query_assignments(f->store, &query, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(empty->assignments->len, ==, 0);

  /* Any kind: the filter is on the id column of the query's own table. */
  model_query_init(&query);
  g_autoptr(ModelDataset) employees = model_store_query_employees(f->store, &query, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(employees->employees->len, >=, 2);
  const char *const one[] = {g_array_index(employees->employees, ModelEmployee, 1).id, NULL};
  query.ids = one;
  g_autoptr(ModelDataset) employee = model_store_query_employees(f->store, &query, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(employee->employees->len, ==, 1);
  g_assert_cmpstr(g_array_index(employee->employees, ModelEmployee, 0).id, ==, one[0]);
}

/* Each column list names as many columns as its *_NCOLUMNS says, which is where the
 * next entity of a joined row starts. */
static void test_column_counts(Fixture *f, gconstpointer data) {
  (void)data;
  static const struct {
    const char *sql;
    int n;
  } lists[] = {
      {STORE_DISTRICTS_SELECT, STORE_DISTRICT_NCOLUMNS},
      {STORE_SCHOOLS_SELECT, STORE_SCHOOL_NCOLUMNS},
      {STORE_ORGANISATIONS_SELECT, STORE_ORGANISATION_NCOLUMNS},
      {"SELECT " STORE_EMPLOYEE_BRIEF_COLUMNS("t") " FROM employees t",
       STORE_EMPLOYEE_BRIEF_NCOLUMNS},
      {STORE_EMPLOYEES_SELECT, STORE_EMPLOYEE_NCOLUMNS},
      {STORE_LOCATIONS_SELECT, STORE_LOCATION_NCOLUMNS},
      {"SELECT " STORE_REQUEST_BRIEF_COLUMNS("t") " FROM requests t", STORE_REQUEST_BRIEF_NCOLUMNS},
      {STORE_REQUESTS_SELECT, STORE_REQUEST_NCOLUMNS},
      {STORE_ASSIGNMENTS_SELECT, STORE_ASSIGNMENT_NCOLUMNS},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
    GError *error = NULL;
    g_autoptr(StoreStmt) stmt = store_prepare(f->store, lists[i].sql, &error);
    g_assert_no_error(error);
    g_assert_cmpint(store_step(stmt), !=, STORE_ERROR);
    g_assert_cmpint(store_column_count(stmt), ==, lists[i].n);
  }
}

typedef struct {
  const char *name;
  const char *plant;   /* SQL that spoils one value */
  const char *restore; /* SQL that puts it back */
  QueryFunc query;     /* the query that reads it; NULL: only loading does */
  const char *id;      /* the object the query asks for */
  const char *message; /* after "PATH: " */
} CorruptCase;

static const CorruptCase corrupt_cases[] = {
    {"school-type", "UPDATE schools SET type = 'kdv' WHERE id = '07NU'",
     "UPDATE schools SET type = 'so' WHERE id = '07NU'", model_store_query_schools, "07NU",
     "schools/07NU: stored type \"kdv\" is not valid"},
    {"employee-confirmed", "UPDATE employees SET confirmed = '2020-02-30' WHERE id = 'e-10'",
     "UPDATE employees SET confirmed = NULL WHERE id = 'e-10'", model_store_query_employees, "e-10",
     "employees/e-10: stored confirmed \"2020-02-30\" is not valid"},
    {"availability-kind",
     "UPDATE employee_availability SET kind = 'often' WHERE employee_id = 'e-10'",
     "UPDATE employee_availability SET kind = 'one' WHERE employee_id = 'e-10'",
     model_store_query_employees, "e-10", "employees/e-10: stored kind \"often\" is not valid"},
    {"availability-date",
     "UPDATE employee_availability SET to_date = 'soon' WHERE employee_id = 'e-10'",
     "UPDATE employee_availability SET to_date = from_date WHERE employee_id = 'e-10'",
     model_store_query_employees, "e-10", "employees/e-10: stored to_date \"soon\" is not valid"},
    {"request-priority", "UPDATE requests SET priority = 'urgent' WHERE id = 'r-2'",
     "UPDATE requests SET priority = 'normal' WHERE id = 'r-2'", model_store_query_requests, "r-2",
     "requests/r-2: stored priority \"urgent\" is not valid"},
    {"request-status", "UPDATE requests SET status = 'closed' WHERE id = 'r-2'",
     "UPDATE requests SET status = 'cancelled' WHERE id = 'r-2'", model_store_query_requests, "r-2",
     "requests/r-2: stored status \"closed\" is not valid"},
    {"slot-date", "UPDATE request_slots SET from_date = '2020-4-16' WHERE request_id = 'r-2'",
     "UPDATE request_slots SET from_date = to_date WHERE request_id = 'r-2'",
     model_store_query_requests, "r-2",
     "requests/r-2: stored from_date \"2020-4-16\" is not valid"},
    /* An approved assignment is read with its request, too. */
    {"approved-date", "UPDATE assignments SET date = 'tomorrow' WHERE id = 'a-1'",
     "UPDATE assignments SET date = '2020-04-14' WHERE id = 'a-1'", model_store_query_requests,
     "r-1", "assignments/a-1: stored date \"tomorrow\" is not valid"},
    {"assignment-part", "UPDATE assignments SET part = 7 WHERE id = 'a-3'",
     "UPDATE assignments SET part = 0 WHERE id = 'a-3'", query_assignments, "a-3",
     "assignments/a-3: stored part \"7\" is not valid"},
    {"assignment-status", "UPDATE assignments SET status = 'lost' WHERE id = 'a-3'",
     "UPDATE assignments SET status = 'rejected' WHERE id = 'a-3'", query_assignments, "a-3",
     "assignments/a-3: stored status \"lost\" is not valid"},
    {"neighbour-owner",
     "INSERT INTO district_neighbours (district_id, neighbour_id, position)"
     " VALUES ('gone', 'stad', 0)",
     "DELETE FROM district_neighbours WHERE district_id = 'gone'", NULL, NULL,
     "districts/gone: stored district_id \"gone\" is not valid"},
    {"load-kind",
     "UPDATE location_load SET kind = 'daily' WHERE location_id = 'loc-b'"
     " AND position = 0",
     "UPDATE location_load SET kind = 'one' WHERE location_id = 'loc-b' AND position = 0",
     model_store_query_locations, "loc-b", "locations/loc-b: stored kind \"daily\" is not valid"},
    /* A district's outline: JSON text the schema checks only for its shape. */
    {"outline-lat", "UPDATE districts SET outline = '[[95,5],[1,2],[3,4]]' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[95,5],[1,2],[3,4]]\" is not valid"},
    {"outline-lon", "UPDATE districts SET outline = '[[5,1],[1,2],[3,-180.5]]' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[5,1],[1,2],[3,-180.5]]\" is not valid"},
    {"outline-short", "UPDATE districts SET outline = '[[1,2],[3,4]]' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[1,2],[3,4]]\" is not valid"},
    {"outline-not-number",
     "UPDATE districts SET outline = '[[nan,2],[1,2],[3,4]]' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[nan,2],[1,2],[3,4]]\" is not valid"},
    {"outline-hex", "UPDATE districts SET outline = '[[0x1,2],[1,2],[3,4]]' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[0x1,2],[1,2],[3,4]]\" is not valid"},
    {"outline-trailing", "UPDATE districts SET outline = '[[1,2],[3,4],[5,6]] x' WHERE id = 'stad'",
     "UPDATE districts SET outline = NULL WHERE id = 'stad'", model_store_query_districts, "stad",
     "districts/stad: stored outline \"[[1,2],[3,4],[5,6]] x\" is not valid"},
    {"slot-owner",
     "INSERT INTO request_slots (request_id, position, kind, from_date, to_date, parts)"
     " VALUES ('r-0', 0, 'one', '2020-04-14', '2020-04-14', 1)",
     "DELETE FROM request_slots WHERE request_id = 'r-0'", NULL, NULL,
     "requests/r-0: stored request_id \"r-0\" is not valid"},
};

/* Asserts the failed read and clears *error. */
static void assert_corrupt(const Fixture *f, const CorruptCase *c, ModelDataset *dataset,
                           GError **error) {
  g_autofree char *expected = g_strdup_printf("%s: %s", f->path, c->message);
  g_assert_null(dataset);
  g_assert_error(*error, MODEL_ERROR, MODEL_ERROR_IO);
  g_assert_cmpstr((*error)->message, ==, expected);
  g_clear_error(error);
}

static void test_corrupt(Fixture *f, gconstpointer data) {
  const CorruptCase *c = data;
  if (store_target_skip_unless_sqlite())
    return;
  g_autoptr(ModelDataset) before = model_store_load(f->store, NULL);
  g_assert_nonnull(before);
  g_autofree char *want = model_json_encode_dataset(before);
  plant(f, c->plant);

  GError *error = NULL;
  ModelDataset *none = model_store_load(f->store, &error);
  assert_corrupt(f, c, none, &error);
  if (c->query != NULL) {
    ModelQuery query;
    model_query_init(&query);
    query.id = c->id;
    none = c->query(f->store, &query, &error);
    assert_corrupt(f, c, none, &error);
  }

  /* Both failed reads ended their transactions: with the value put back, the store
   * reads as before and still writes. */
  plant(f, c->restore);
  g_autoptr(ModelDataset) after = model_store_load(f->store, &error);
  g_assert_no_error(error);
  g_autofree char *got = model_json_encode_dataset(after);
  g_assert_cmpstr(got, ==, want);
  g_assert_true(model_store_import(f->store, after, MODEL_STORE_IMPORT_MERGE, &error));
  g_assert_no_error(error);
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, sample_store_teardown)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/store/rows/column-counts", test_column_counts);
  ADD("/store/rows/same-objects", test_same_objects);
  ADD("/store/rows/ids", test_ids);
  TEST_ADD_FIXTURE_TABLE("/store/rows/corrupt", corrupt_cases, name, Fixture, fixture_setup,
                         test_corrupt, sample_store_teardown);
  return g_test_run();
}
