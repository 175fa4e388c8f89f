/* test-rounds.c: storing a round's result (model_store_round_finish) keeps only the
 * proposals that the data, as it is when the round ends, still allows: a round works
 * from a snapshot, and what was decided or changed while it ran wins.  Uses the Almere
 * fixtures: a-12 rejects e-154 for r-003; a-14 proposes e-241 for r-008 on
 * 2020-04-14 morning. */
#include <glib.h>

#include "store-target.h"

#include "dataset-json.h"
#include "sample.h"
#include "store-ops.h"
#include "store.h"

typedef SampleStore Fixture;

static void setup(Fixture *f, gconstpointer data) {
  sample_store_setup(f, data);
  g_autoptr(GError) error = NULL;
  g_autofree char *fixture = g_build_filename(g_getenv("HANDEN_FIXTURES"), "almere.json", NULL);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_load_dataset(fixture, problems);
  g_assert_nonnull(dataset);
  model_store_import(f->store, dataset, MODEL_STORE_IMPORT_REPLACE, &error);
  g_assert_no_error(error);
}

static void add(GArray *proposals, const char *id, const char *request, const char *employee,
                const char *date) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = g_strdup(id);
  a.request_id = g_strdup(request);
  a.employee_id = g_strdup(employee);
  g_assert_true(model_date_parse(date, &a.slot.date));
  a.slot.part = MODEL_PART_MORNING;
  a.status = MODEL_ASSIGNMENT_PROPOSED;
  g_array_append_val(proposals, a);
}

/* The ids of the proposals kept, read through a connection of its own. */
static char *kept(Fixture *f) {
  return store_target_text(f->path, store_target_is_pg()
                                        ? "SELECT string_agg(id, ' ' ORDER BY id) FROM"
                                          " assignments WHERE id LIKE 'p-%'"
                                        : "SELECT group_concat(id, ' ') FROM (SELECT id FROM"
                                          " assignments WHERE id LIKE 'p-%' ORDER BY id)");
}

static void finish(Fixture *f, const GArray *proposals) {
  g_autoptr(GError) error = NULL;
  gint64 id = -1;
  model_store_round_start(f->store, NULL, FALSE, 8000, "test", 1586851200, &id, &error);
  g_assert_no_error(error);
  model_store_round_finish(f->store, id, NULL, proposals, "{}", "[]", 1586851260, &error);
  g_assert_no_error(error);
}

static void test_stale_dropped(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GArray) proposals = g_array_new(FALSE, TRUE, sizeof(ModelAssignment));
  g_array_set_clear_func(proposals, (GDestroyNotify)model_assignment_clear);
  add(proposals, "p-1-ok", "r-008", "e-241", "2020-04-14");
  /* The pair e-154 / r-003 was rejected (a-12). */
  add(proposals, "p-2-rejected", "r-003", "e-154", "2020-04-27");
  /* A day part r-008 does not ask for (a Sunday). */
  add(proposals, "p-3-not-requested", "r-008", "e-241", "2020-04-19");
  finish(f, proposals);
  g_autofree char *ids = kept(f);
  g_assert_cmpstr(ids, ==, "p-1-ok");
}

/* A proposal the data still allows is kept: the filter drops what it names, not every
 * proposal of the round. */
static void test_valid_kept(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GArray) proposals = g_array_new(FALSE, TRUE, sizeof(ModelAssignment));
  g_array_set_clear_func(proposals, (GDestroyNotify)model_assignment_clear);
  add(proposals, "p-1-ok", "r-008", "e-241", "2020-04-14");
  finish(f, proposals);
  g_autofree char *ids = kept(f);
  g_assert_cmpstr(ids, ==, "p-1-ok");
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, sample_store_teardown)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/store/rounds/stale-dropped", test_stale_dropped);
  ADD("/store/rounds/valid-kept", test_valid_kept);
  return g_test_run();
}
