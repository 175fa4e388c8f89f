/* test-rounds.c: rounds through the router in memory.  A round run the way the
 * command line runs it (api_round_begin, api_round_run) is the same kind of round as
 * one started by POST /v1/rounds: listed by GET /v1/rounds, newest first and a page at
 * a time, and shown by GET /v1/rounds/{id}.  A round over some districts counts and
 * explains only their requests, and a district coordinator sees only rounds inside
 * their districts.
 */
#include <json-c/json.h>
#include <string.h>

#include "resources-fixture.h"
#include "round.h"

/* Runs a round on the fixture's store as `handen match --db` does; its id. */
static gint64 run_like_cli(Fixture *f, const char *const *districts) {
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelStore) store = model_store_open(f->db_path, &error);
  g_assert_no_error(error);
  EngineOptions options;
  engine_options_init(&options);
  options.districts = districts;
  gint64 id = 0;
  g_assert_true(
      api_round_begin(store, &options, "command line (user test)", 1588320000, &id, &error));
  g_assert_no_error(error);
  g_auto(ApiRoundOutcome) outcome = {NULL, NULL};
  g_assert_true(api_round_run(store, id, &options, 1588320000, &outcome, &error));
  g_assert_no_error(error);
  g_assert_nonnull(outcome.dataset);
  g_assert_nonnull(outcome.result);
  return id;
}

static gint64 start_round(Fixture *f, const char *token, const char *body) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "POST", "/v1/rounds", NULL, body, &json), ==, 202);
  gint64 id = json_object_get_int64(json_object_object_get(json, "id"));
  json_object_put(json);
  api_services_wait_rounds(f->services);
  return id;
}

/* Starts a round with `body` as the coordinator and waits for it; returns the start's
 * answer (transfer full) and the round's page in *out_round (transfer full). */
static json_object *run_round(Fixture *f, const char *body, json_object **out_round) {
  json_object *started = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, body, &started), ==,
                   202);
  api_services_wait_rounds(f->services);
  g_autofree char *path = g_strdup_printf(
      "/v1/rounds/%" G_GINT64_FORMAT, json_object_get_int64(json_object_object_get(started, "id")));
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, out_round), ==, 200);
  return started;
}

/* Each of bodies[0..n) is refused with 422 at `pointer` and starts no round. */
static void assert_refused(Fixture *f, const char *const *bodies, gsize n, const char *pointer) {
  gint64 rounds = fixture_sql_int(f, "SELECT count(*) FROM rounds");
  for (gsize i = 0; i < n; i++) {
    json_object *json = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, bodies[i], &json),
                     ==, 422);
    g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, pointer);
    json_object_put(json);
  }
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM rounds"), ==, rounds);
}

static gint64 member_int(json_object *object, const char *key) {
  json_object *value = NULL;
  g_assert_true(json_object_object_get_ex(object, key, &value));
  g_assert_true(json_object_is_type(value, json_type_int));
  return json_object_get_int64(value);
}

/* The ids of a GET /v1/rounds page as "3,2", and its next cursor (transfer full). */
static char *list_ids(Fixture *f, const char *token, const char *query, char **out_cursor) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "GET", "/v1/rounds", query, NULL, &json), ==, 200);
  json_object *items = json_object_object_get(json, "items");
  GString *ids = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++) {
    json_object *item = json_object_array_get_idx(items, i);
    g_string_append_printf(ids, "%s%" G_GINT64_FORMAT, i ? "," : "", member_int(item, "id"));
    /* The list leaves the unfilled staff-slots to each round's own page. */
    g_assert_false(json_object_object_get_ex(item, "unfilled", NULL));
    g_assert_nonnull(fixture_string(item, "status", NULL));
  }
  json_object *next = json_object_object_get(json, "next_cursor");
  *out_cursor = next != NULL ? g_strdup(json_object_get_string(next)) : NULL;
  json_object_put(json);
  return g_string_free(ids, FALSE);
}

/* Every unfilled entry of a stored round has its what-if, in English and Dutch, and
 * the statistics count them and keep the time they took. */
static void assert_whatifs(json_object *round) {
  json_object *unfilled = json_object_object_get(round, "unfilled");
  g_assert_cmpuint(json_object_array_length(unfilled), >, 0);
  gint64 found = 0;
  for (gsize i = 0; i < json_object_array_length(unfilled); i++) {
    json_object *w = json_object_object_get(json_object_array_get_idx(unfilled, i), "whatif");
    g_assert_nonnull(w);
    const char *outcome = fixture_string(w, "outcome", NULL);
    found += g_strcmp0(outcome, "found") == 0;
    const char *nl = fixture_string(w, "text_nl", NULL);
    g_assert_true(strstr(nl, "evuld als ") != NULL || g_strcmp0(outcome, "found") != 0);
    g_assert_nonnull(fixture_string(w, "text", NULL));
  }
  json_object *stats = json_object_object_get(round, "statistics");
  json_object *whatif = json_object_object_get(stats, "whatif");
  g_assert_cmpint(found, >, 0);
  g_assert_cmpint(member_int(whatif, "found"), ==, found);
  g_assert_cmpint(member_int(whatif, "found") + member_int(whatif, "none") +
                      member_int(whatif, "skipped"),
                  ==, json_object_array_length(unfilled));
  json_object *timings = json_object_object_get(stats, "timings");
  g_assert_nonnull(json_object_object_get(timings, "whatif_ms"));
  /* The exact answer is a part of the round's build and solve time. */
  double exact = json_object_get_double(json_object_object_get(timings, "exact_ms"));
  g_assert_cmpfloat(exact, >, 0);
  g_assert_cmpfloat(exact, <=,
                    json_object_get_double(json_object_object_get(timings, "build_ms")) +
                        json_object_get_double(json_object_object_get(timings, "solve_ms")) + 0.2);
}

/* A round of the command line is shown by the API like any other. */
static void test_cli_round_shown(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = run_like_cli(f, NULL);
  g_assert_cmpint(id, ==, 1);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/rounds/1", NULL, NULL, &json), ==,
                   200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "finished");
  g_assert_cmpstr(fixture_string(json, "started_by", NULL), ==, "command line (user test)");
  json_object *stats = json_object_object_get(json, "statistics");
  gint64 filled = member_int(stats, "filled");
  g_assert_cmpint(filled, >, 0);
  g_assert_cmpint(member_int(json, "proposals"), ==, filled);
  g_assert_true(json_object_is_type(json_object_object_get(json, "unfilled"), json_type_array));
  assert_whatifs(json);
  json_object_put(json);
  g_autofree char *cursor = NULL;
  g_autofree char *ids = list_ids(f, f->coordinator, NULL, &cursor);
  g_assert_cmpstr(ids, ==, "1");
  g_assert_null(cursor);
  /* Its proposals carry the one id scheme of rounds. */
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE status = 'proposed'"
                                     " AND id LIKE 'p1-%' AND length(id) = 8"
                                     " AND ltrim(substr(id, 4), '0123456789') = ''"),
                  ==, filled);
}

/* Newest first, a page at a time, whichever way each round was started. */
static void test_list_pages(Fixture *f, gconstpointer data) {
  (void)data;
  g_assert_cmpint(start_round(f, f->coordinator, NULL), ==, 1);
  g_assert_cmpint(run_like_cli(f, NULL), ==, 2);
  g_assert_cmpint(start_round(f, f->coordinator, NULL), ==, 3);
  g_autofree char *cursor = NULL;
  g_autofree char *first = list_ids(f, f->coordinator, "limit=2", &cursor);
  g_assert_cmpstr(first, ==, "3,2");
  g_assert_nonnull(cursor);
  g_autofree char *query = g_strdup_printf("limit=2&cursor=%s", cursor);
  g_autofree char *after = NULL;
  g_autofree char *second = list_ids(f, f->coordinator, query, &after);
  g_assert_cmpstr(second, ==, "1");
  g_assert_null(after);
  g_autofree char *none = NULL;
  g_autofree char *all = list_ids(f, f->coordinator, NULL, &none);
  g_assert_cmpstr(all, ==, "3,2,1");

  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/rounds", "cursor=bm9wZQ", NULL, &json), ==, 400);
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/rounds", "limit=0", NULL, NULL), ==,
                   400);
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/rounds", NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint(fixture_call(f, f->org, "GET", "/v1/rounds", NULL, NULL, NULL), ==, 403);
}

/* A coordinator of haven sees only rounds all of whose districts are haven's. */
static void test_list_scope(Fixture *f, gconstpointer data) {
  (void)data;
  start_round(f, f->coordinator, NULL);                                     /* 1: every district */
  start_round(f, f->haven, NULL);                                           /* 2: haven */
  start_round(f, f->coordinator, "{\"districts\": [\"stad\"]}");            /* 3: stad */
  start_round(f, f->coordinator, "{\"districts\": [\"haven\", \"stad\"]}"); /* 4 */
  g_autofree char *cursor = NULL;
  g_autofree char *seen = list_ids(f, f->haven, NULL, &cursor);
  g_assert_cmpstr(seen, ==, "2");
  g_autofree char *all = list_ids(f, f->coordinator, NULL, &cursor);
  g_assert_cmpstr(all, ==, "4,3,2,1");
}

/* A round over haven counts, proposes and explains haven's requests only, and leaves
 * the other districts' proposals as they were. */
static void test_district_limit(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 all = start_round(f, f->coordinator, NULL);
  static const char *const haven[] = {"haven", NULL};
  gint64 some = run_like_cli(f, haven);
  json_object *whole = NULL, *part = NULL;
  g_autofree char *whole_path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, all);
  g_autofree char *part_path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, some);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", whole_path, NULL, NULL, &whole), ==, 200);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", part_path, NULL, NULL, &part), ==, 200);
  gint64 needed_all = member_int(json_object_object_get(whole, "statistics"), "needed");
  gint64 needed_haven = member_int(json_object_object_get(part, "statistics"), "needed");
  gint64 needed_in_haven =
      fixture_sql_int(f, "SELECT count(*) FROM assignments a JOIN requests r ON r.id = a.request_id"
                         " JOIN schools s ON s.id = r.school_id WHERE s.district_id = 'haven'"
                         " AND a.status = 'proposed'");
  g_assert_cmpint(needed_haven, >, 0);
  g_assert_cmpint(needed_haven, <, needed_all);
  g_assert_cmpint(member_int(json_object_object_get(part, "statistics"), "filled"), ==,
                  needed_in_haven);
  json_object *unfilled = json_object_object_get(part, "unfilled");
  for (gsize i = 0; i < json_object_array_length(unfilled); i++)
    g_assert_cmpstr(fixture_string(json_object_array_get_idx(unfilled, i), "district", NULL), ==,
                    "haven");
  json_object_put(whole);
  json_object_put(part);
  g_autofree char *outside = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " JOIN requests r ON r.id = a.request_id JOIN schools s ON s.id = r.school_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND s.district_id <> 'haven'",
      all);
  g_assert_cmpint(fixture_sql_int(f, outside), >, 0);
}

/* After an illness the coordinator re-matches just the freed day part: the round
 * proposes only for r-002 on 14 April morning, never e-002 again there, and leaves
 * every other proposal as the full round made it. */
static void test_freed_slots(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 full = start_round(f, f->coordinator, NULL);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/assignments/a-01/cancel", NULL,
                                "{\"reason\": \"ziek\"}", NULL),
                   ==, 200);
  g_autofree char *kept_sql = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND a.status = 'proposed'",
      full);
  gint64 kept = fixture_sql_int(f, kept_sql);
  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, "{\"slots\": \"freed\"}", &json),
      ==, 202);
  g_assert_cmpstr(fixture_string(json, "slots", NULL), ==, "freed");
  gint64 id = member_int(json, "id");
  json_object_put(json);
  api_services_wait_rounds(f->services);
  g_autofree char *path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, &json), ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "finished");
  g_assert_cmpstr(fixture_string(json, "slots", NULL), ==, "freed");
  json_object *stats = json_object_object_get(json, "statistics");
  /* Two day parts were freed: a-01's, and one the fixtures cancelled before. */
  g_assert_cmpint(member_int(stats, "needed"), ==, 2);
  json_object_put(json);
  g_autofree char *made_sql = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND a.request_id = 'r-002'"
      " AND a.date = '2020-04-14' AND a.part = 0 AND a.employee_id <> 'e-002'",
      id);
  g_autofree char *elsewhere_sql = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND NOT EXISTS (SELECT 1 FROM assignments c"
      " WHERE c.request_id = a.request_id AND c.date = a.date AND c.part = a.part"
      " AND c.status = 'cancelled' AND c.employee_id <> a.employee_id)",
      id);
  g_assert_cmpint(fixture_sql_int(f, made_sql), ==, 1);
  g_assert_cmpint(fixture_sql_int(f, elsewhere_sql), ==, 0);
  /* The full round's proposals stay (none of them was for that day part: it was
   * filled when the full round ran). */
  g_assert_cmpint(fixture_sql_int(f, kept_sql), ==, kept);

  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, "{\"slots\": \"some\"}", &json),
      ==, 422);
  g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, "/slots");
  json_object_put(json);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, "{\"slot\": \"freed\"}", &json),
      ==, 422);
  g_assert_cmpstr(fixture_string(json, "error", "pointer", NULL), ==, "/slot");
  json_object_put(json);
}

/* A second round over the same data is a re-plan: it keeps the first round's undecided
 * proposals (statistics.changes), asked for fairly ("fair": true, echoed by the start
 * and the stored statistics); a fair that is not a boolean is refused at its pointer. */
static void test_replan_fair(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 first = start_round(f, f->coordinator, NULL);
  g_autofree char *first_sql = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND a.status = 'proposed'",
      first);
  gint64 proposed = fixture_sql_int(f, first_sql);
  g_assert_cmpint(proposed, >, 0);
  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, "{\"fair\": true}", &json), ==,
      202);
  g_assert_true(json_object_get_boolean(json_object_object_get(json, "fair")));
  gint64 id = member_int(json, "id");
  json_object_put(json);
  api_services_wait_rounds(f->services);
  g_autofree char *path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, &json), ==, 200);
  json_object *stats = json_object_object_get(json, "statistics");
  g_assert_true(json_object_get_boolean(json_object_object_get(stats, "fair")));
  json_object *changes = json_object_object_get(stats, "changes");
  gint64 kept = member_int(changes, "kept"), dropped = member_int(changes, "dropped");
  g_assert_cmpint(kept + dropped, ==, proposed);
  g_assert_cmpint(kept + member_int(changes, "new"), ==, member_int(stats, "filled"));
  g_assert_cmpint(kept, >, 0);
  json_object_put(json);
  static const char *const bad[] = {"{\"fair\": \"yes\"}"};
  assert_refused(f, bad, G_N_ELEMENTS(bad), "/fair");
}

/* "continuity_km" sets the round's charge: echoed by the start, stored, shown by the
 * round's page (and in its statistics); 8 km by default; anything but a number from 0
 * to 100 is refused at its pointer and starts nothing. */
static void test_continuity_km(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 plain = start_round(f, f->coordinator, NULL);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL,
                                "{\"continuity_km\": 0.5}", &json),
                   ==, 202);
  g_assert_cmpfloat(json_object_get_double(json_object_object_get(json, "continuity_km")), ==, 0.5);
  gint64 id = member_int(json, "id");
  json_object_put(json);
  api_services_wait_rounds(f->services);
  const gint64 ids[] = {plain, id};
  const double want[] = {8.0, 0.5};
  for (int k = 0; k < 2; k++) {
    g_autofree char *path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, ids[k]);
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, &json), ==, 200);
    g_assert_cmpfloat(json_object_get_double(json_object_object_get(json, "continuity_km")), ==,
                      want[k]);
    json_object *stats = json_object_object_get(json, "statistics");
    g_assert_cmpfloat(json_object_get_double(json_object_object_get(stats, "continuity_km")), ==,
                      want[k]);
    json_object_put(json);
  }
  static const char *const bad[] = {"{\"continuity_km\": -1}", "{\"continuity_km\": 100.01}",
                                    "{\"continuity_km\": \"8\"}", "{\"continuity_km\": null}",
                                    "{\"continuity_km\": true}"};
  assert_refused(f, bad, G_N_ELEMENTS(bad), "/continuity_km");
}

/* "polish" asks for the polish pass: off unless asked, echoed by the start, and the
 * polished round finishes; anything but a boolean is refused at /polish and starts
 * nothing. */
static void test_polish(Fixture *f, gconstpointer data) {
  (void)data;
  const char *const bodies[] = {"{}", "{\"polish\": true}"};
  for (int k = 0; k < 2; k++) {
    json_object *round = NULL;
    json_object *started = run_round(f, bodies[k], &round);
    g_assert_cmpint(json_object_get_boolean(json_object_object_get(started, "polish")), ==, k);
    g_assert_cmpstr(fixture_string(round, "status", NULL), ==, "finished");
    json_object_put(round);
    json_object_put(started);
  }
  static const char *const bad[] = {"{\"polish\": \"yes\"}", "{\"polish\": 1}",
                                    "{\"polish\": null}"};
  assert_refused(f, bad, G_N_ELEMENTS(bad), "/polish");
}

/* "whatif_ms" and "whatif_solves" bound the what-ifs: echoed by the start; no budget
 * gives no what-if (every unfilled staff-slot skipped, stopped by it), a budget of a
 * few re-solves makes no more than that, the default more; anything but a whole number
 * in range is refused at its pointer and starts nothing. */
static void test_whatif_budget(Fixture *f, gconstpointer data) {
  (void)data;
  const char *const bodies[] = {"{\"whatif_solves\": 0}", "{\"whatif_ms\": 0}",
                                "{\"whatif_solves\": 2}", "{}"};
  gint64 solves[G_N_ELEMENTS(bodies)];
  for (gsize k = 0; k < G_N_ELEMENTS(bodies); k++) {
    json_object *round = NULL;
    json_object *started = run_round(f, bodies[k], &round);
    g_assert_cmpint(member_int(started, "whatif_solves"), ==, k == 0 ? 0 : k == 2 ? 2 : 5000);
    g_assert_cmpint(member_int(started, "whatif_ms"), ==, k == 1 ? 0 : 5000);
    gint64 unfilled = (gint64)json_object_array_length(json_object_object_get(round, "unfilled"));
    g_assert_cmpint(unfilled, >, 2);
    json_object *whatif =
        json_object_object_get(json_object_object_get(round, "statistics"), "whatif");
    solves[k] = member_int(whatif, "solves");
    if (k < 2) {
      g_assert_cmpint(solves[k], ==, 0);
      g_assert_cmpint(member_int(whatif, "skipped"), ==, unfilled);
      g_assert_cmpstr(fixture_string(whatif, "stopped_by", NULL), ==, k == 0 ? "solves" : "time");
    }
    json_object_put(round);
    json_object_put(started);
  }
  g_assert_cmpint(solves[2], <=, 2);
  g_assert_cmpint(solves[2], >, 0);
  g_assert_cmpint(solves[3], >, solves[2]);
  static const char *const bad_ms[] = {"{\"whatif_ms\": -1}", "{\"whatif_ms\": 60001}",
                                       "{\"whatif_ms\": 1.5}", "{\"whatif_ms\": \"10\"}"};
  assert_refused(f, bad_ms, G_N_ELEMENTS(bad_ms), "/whatif_ms");
  static const char *const bad_solves[] = {"{\"whatif_solves\": null}",
                                           "{\"whatif_solves\": 100001}"};
  assert_refused(f, bad_solves, G_N_ELEMENTS(bad_solves), "/whatif_solves");
}

/* SQL counting round `id`'s proposals whose employee's organisation is `op` org-01. */
static char *proposed_of_org(gint64 id, const char *op) {
  return g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " JOIN employees e ON e.id = a.employee_id WHERE t.round_id = %" G_GINT64_FORMAT
      " AND a.status = 'proposed' AND e.organisation_id %s 'org-01'",
      id, op);
}

/* With the services' stale limit (handen serve --stale-after-days) a round proposes
 * only employees whose availability was confirmed since today less the limit, and
 * its unfilled staff-slots count and name the others. */
static void test_stale(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_sql(f, "UPDATE employees SET confirmed = CASE organisation_id WHEN 'org-01' THEN"
                 " '2020-03-30' WHEN 'org-17' THEN '2020-03-29' ELSE NULL END");
  api_services_set_stale_after_days(f->services, 14);
  gint64 id = start_round(f, f->coordinator, NULL);
  g_autofree char *fresh = proposed_of_org(id, "=");
  g_autofree char *stale = proposed_of_org(id, "<>");
  g_assert_cmpint(fixture_sql_int(f, fresh), >, 0);
  g_assert_cmpint(fixture_sql_int(f, stale), ==, 0);
  json_object *json = NULL;
  g_autofree char *path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, &json), ==, 200);
  g_assert_cmpstr(fixture_string(json, "statistics", "confirmed_since", NULL), ==, "2020-03-30");
  json_object *unfilled = json_object_object_get(json, "unfilled");
  guint narrowed = 0;
  for (gsize i = 0; i < json_object_array_length(unfilled); i++) {
    json_object *u = json_object_array_get_idx(unfilled, i);
    json_object *funnel = json_object_object_get(u, "funnel");
    gint64 available = member_int(funnel, "available"), confirmed = member_int(funnel, "confirmed");
    g_assert_cmpint(confirmed, <=, available);
    g_assert_cmpint(member_int(funnel, "qualified"), <=, confirmed);
    if (confirmed < available) {
      narrowed++;
      g_assert_nonnull(strstr(fixture_string(u, "reason", NULL), "confirmed since 2020-03-30"));
    }
  }
  g_assert_cmpuint(narrowed, >, 0);
  json_object_put(json);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/rounds/cli-round-shown", test_cli_round_shown);
  FIXTURE_ADD("/resources/rounds/list-pages", test_list_pages);
  FIXTURE_ADD("/resources/rounds/list-scope", test_list_scope);
  FIXTURE_ADD("/resources/rounds/district-limit", test_district_limit);
  FIXTURE_ADD("/resources/rounds/freed-slots", test_freed_slots);
  FIXTURE_ADD("/resources/rounds/replan-fair", test_replan_fair);
  FIXTURE_ADD("/resources/rounds/continuity-km", test_continuity_km);
  FIXTURE_ADD("/resources/rounds/polish", test_polish);
  FIXTURE_ADD("/resources/rounds/whatif-budget", test_whatif_budget);
  FIXTURE_ADD("/resources/rounds/stale", test_stale);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
