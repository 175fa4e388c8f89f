/* test-stmt-cache.c: tests of the store's cache of prepared statements: a borrowed
 * statement is the same one each time, comes back reset and without bindings, survives
 * a schema change, is never cached when its SQL is wrong, and the hot paths (decisions,
 * token lookups, transactions) reuse their statements instead of preparing new ones.
 * Reaches into the store's connection (store-private.h) to count its statements.
 */
#include <sqlite3.h>
#include <string.h>

#include "sample.h"
#include "store-ops.h"
#include "store-private.h"
#include "store-tokens.h"

/* Freeing the store finalises the cache; closing would fail (asserted) if a
 * statement were left. */
typedef SampleStore Fixture;

/* How many statements the connection holds, and how many of them are mid-step. */
static guint count_statements(ModelStore *store, guint *out_busy) {
  guint n = 0, busy = 0;
  for (sqlite3_stmt *s = sqlite3_next_stmt(store->db, NULL); s != NULL;
       s = sqlite3_next_stmt(store->db, s)) {
    n++;
    if (sqlite3_stmt_busy(s))
      busy++;
  }
  *out_busy = busy;
  return n;
}

static void test_same_statement(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  const char *sql = "SELECT ?1 UNION ALL SELECT 2";
  sqlite3_stmt *first = NULL;
  {
    g_auto(StoreCached) cached = {0};
    first = store_cached(f->store, sql, &cached, &error);
    g_assert_no_error(error);
    g_assert_nonnull(first);
    g_assert_cmpint(sqlite3_bind_int(first, 1, 7), ==, SQLITE_OK);
    g_assert_cmpint(sqlite3_step(first), ==, SQLITE_ROW);
    g_assert_cmpint(sqlite3_column_int(first, 0), ==, 7);
    g_assert_true(sqlite3_stmt_busy(first)); /* left mid-rows on purpose */
  }
  guint busy = 99;
  g_assert_cmpuint(count_statements(f->store, &busy), ==, 1);
  g_assert_cmpuint(busy, ==, 0); /* the release reset it */

  /* A copy of the text finds the same statement, without the old binding. */
  g_autofree char *copy = g_strdup(sql);
  g_auto(StoreCached) cached = {0};
  sqlite3_stmt *again = store_cached(f->store, copy, &cached, &error);
  g_assert_no_error(error);
  g_assert_true(again == first);
  g_assert_cmpint(sqlite3_step(again), ==, SQLITE_ROW);
  g_assert_cmpint(sqlite3_column_type(again, 0), ==, SQLITE_NULL);
  store_cached_clear(&cached);
  g_assert_null(cached.entry);
  store_cached_clear(&cached); /* idempotent */
  g_assert_cmpuint(count_statements(f->store, &busy), ==, 1);
  g_assert_cmpuint(busy, ==, 0);
}

static void test_bad_sql(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  g_autofree char *expected =
      g_strdup_printf("%s: cannot prepare a statement: no such table: nowhere", f->path);
  for (int i = 0; i < 2; i++) {
    g_auto(StoreCached) cached = {0};
    g_assert_null(store_cached(f->store, "SELECT * FROM nowhere", &cached, &error));
    g_assert_error(error, MODEL_ERROR, MODEL_ERROR_IO);
    g_assert_cmpstr(error->message, ==, expected);
    g_assert_null(cached.entry);
    g_clear_error(&error);
  }
  guint busy = 99;
  g_assert_cmpuint(count_statements(f->store, &busy), ==, 0);
  g_assert_cmpuint(busy, ==, 0);
}

/* A cached statement is prepared again by SQLite when the schema it was made for
 * changes under it. */
static void test_schema_change(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  g_assert_true(store_exec(f->store, "CREATE TABLE extra (a INTEGER)", &error));
  g_assert_no_error(error);
  g_assert_true(store_exec(f->store, "INSERT INTO extra VALUES (5)", &error));
  g_assert_no_error(error);
  const char *sql = "SELECT * FROM extra";
  for (int columns = 1; columns <= 2; columns++) {
    g_auto(StoreCached) cached = {0};
    sqlite3_stmt *stmt = store_cached(f->store, sql, &cached, &error);
    g_assert_no_error(error);
    g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
    g_assert_cmpint(sqlite3_column_count(stmt), ==, columns);
    g_assert_cmpint(sqlite3_column_int(stmt, 0), ==, 5);
    store_cached_clear(&cached);
    if (columns == 1) {
      g_assert_true(store_exec(f->store, "ALTER TABLE extra ADD COLUMN b TEXT", &error));
      g_assert_no_error(error);
    }
  }
  guint busy = 99;
  g_assert_cmpuint(count_statements(f->store, &busy), ==, 1);
  g_assert_cmpuint(busy, ==, 0);
}

/* Decisions and token lookups prepare their statements once per connection. */
static void test_hot_paths(Fixture *f, gconstpointer data) {
  (void)data;
  GError *error = NULL;
  g_autoptr(ModelDataset) ds = full_dataset();
  g_assert_true(model_store_import(f->store, ds, MODEL_STORE_IMPORT_REPLACE, &error));
  g_assert_no_error(error);
  gint64 token_id = 0;
  g_autofree char *secret = NULL;
  g_assert_true(model_store_token_create(f->store, "admin", MODEL_ROLE_COORDINATOR, NULL, NULL,
                                         NULL, &token_id, &secret, &error));
  g_assert_no_error(error);

  guint busy = 99;
  /* Creating the token cached BEGIN IMMEDIATE and COMMIT. */
  guint before = count_statements(f->store, &busy);
  g_assert_cmpuint(before, ==, 2);
  g_assert_true(model_store_decide(f->store, "a-2", MODEL_DECISION_REJECT, "coordinator",
                                   "not needed", 1586856600, NULL, NULL, &error));
  g_assert_no_error(error);
  guint after_reject = count_statements(f->store, &busy);
  /* The read, the UPDATE, the audit row and the read of what the outbox tells (a-2's
   * organisation has no contact, so nothing is enqueued); BEGIN and COMMIT were there
   * already. */
  g_assert_cmpuint(after_reject, ==, before + 4);
  g_assert_cmpuint(busy, ==, 0);

  ModelRefusal refusal = MODEL_REFUSAL_NONE;
  g_assert_false(model_store_decide(f->store, "a-2", MODEL_DECISION_APPROVE, "coordinator", NULL,
                                    1586856601, NULL, &refusal, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  g_assert_cmpstr(error->message, ==, "assignment a-2 is already rejected");
  g_assert_cmpint(refusal, ==, MODEL_REFUSAL_DECIDED);
  g_clear_error(&error);
  g_assert_cmpuint(count_statements(f->store, &busy), ==, after_reject);
  g_assert_cmpuint(busy, ==, 0);

  g_assert_true(model_store_decide(f->store, "a-1", MODEL_DECISION_CANCEL, "coordinator", NULL,
                                   1586856602, NULL, NULL, &error));
  g_assert_no_error(error);
  /* ... plus the outbox's INSERT: a-1's school, organisation and employee have
   * addresses, and the one statement serves all three. */
  guint after_cancel = count_statements(f->store, &busy);
  g_assert_cmpuint(after_cancel, ==, after_reject + 1);
  g_assert_cmpuint(busy, ==, 0);

  for (int i = 0; i < 3; i++) {
    g_autoptr(ModelTokenInfo) info = model_store_token_lookup(f->store, secret, &error);
    g_assert_no_error(error);
    g_assert_cmpint(info->id, ==, token_id);
    g_assert_cmpint(info->role, ==, MODEL_ROLE_COORDINATOR);
    g_assert_cmpuint(count_statements(f->store, &busy), ==, after_cancel + 1);
    g_assert_cmpuint(busy, ==, 0);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, func)                                                                            \
  g_test_add(path, Fixture, NULL, sample_store_setup, func, sample_store_teardown)
  ADD("/model/store/stmt-cache/same-statement", test_same_statement);
  ADD("/model/store/stmt-cache/bad-sql", test_bad_sql);
  ADD("/model/store/stmt-cache/schema-change", test_schema_change);
  ADD("/model/store/stmt-cache/hot-paths", test_hot_paths);
#undef ADD
  return g_test_run();
}
