/* test-swap.c: a proposal's alternatives and the swap to one of them, through the router
 * in memory on the Almere store.  The alternatives leave out exactly the employee each
 * rule rules out, come ranked by cost, and are the coordinator's alone; a swap replaces
 * the proposal, audited, and a swap to someone who does not pass is 409 with the
 * approval's code and changes nothing; of two racing swaps, or a swap racing an
 * approval, exactly one wins.
 */
#include <string.h>

#include "resources-fixture.h"

/* School 31DJ00's coordinates: employees are placed north of it. */
#define SCHOOL_LAT 52.342118
#define SCHOOL_LON 5.134237
#define KM_LAT (1.0 / 111.195)

/* Creates, as org-01, employee `id` of `district` `km` north of the school with
 * qualifications `quals` (a JSON array), at most `max_parts` day parts a week and
 * `max_km` km, available on the work days from `from` to `to` in both parts. */
static void employee(Fixture *f, const char *id, const char *district, double km, const char *quals,
                     int max_parts, int max_km, const char *from, const char *to) {
  g_autofree char *body = g_strdup_printf(
      "{\"id\": \"%s\", \"name\": \"Test %s\", \"district\": \"%s\", \"lat\": %.6f,"
      " \"lon\": %.6f, \"qualifications\": %s, \"max_parts_per_week\": %d,"
      " \"max_travel_km\": %d, \"availability\": [{\"from\": \"%s\", \"to\": \"%s\","
      " \"weekdays\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"],"
      " \"parts\": [\"morning\", \"afternoon\"]}]}",
      id, id, district, SCHOOL_LAT + km * KM_LAT, SCHOOL_LON, quals, max_parts, max_km, from, to);
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees", NULL, body, NULL), ==, 201);
}

static void ok_employee(Fixture *f, const char *id, const char *district, double km) {
  employee(f, id, district, km, "[\"vog\", \"pm\"]", 10, 10, "2020-06-01", "2020-06-02");
}

static void request(Fixture *f, const char *id, int staff, const char *slots) {
  g_autofree char *body =
      g_strdup_printf("{\"id\": \"%s\", \"staff_needed\": %d, \"max_travel_km\": 10,"
                      " \"slots\": %s}",
                      id, staff, slots);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL, body, NULL), ==, 201);
}

static guint post(Fixture *f, const char *token, const char *path, const char *body,
                  char **out_code) {
  json_object *json = NULL;
  guint status = fixture_call(f, token, "POST", path, NULL, body, &json);
  if (out_code != NULL)
    *out_code = g_strdup(fixture_string(json, "error", "code", NULL));
  json_object_put(json);
  return status;
}

/* Request q-1 for one on 1 and 2 June morning, with p-old (t-old, 1 June) waiting;
 * q-2 for three on 1 June morning and afternoon.  Employees t-a (3 km), t-b (2 km),
 * t-c (1 km, in the neighbouring district poort) and t-cont (6 km, proposed for q-1 on
 * 2 June) may take p-old's day part; each of the others breaks one rule. */
static void city(Fixture *f) {
  request(f, "q-1", 1,
          "[{\"date\": \"2020-06-01\", \"part\": \"morning\"},"
          " {\"date\": \"2020-06-02\", \"part\": \"morning\"}]");
  request(f, "q-2", 3,
          "[{\"date\": \"2020-06-01\", \"part\": \"morning\"},"
          " {\"date\": \"2020-06-01\", \"part\": \"afternoon\"}]");
  ok_employee(f, "t-old", "duin", 0.5);
  ok_employee(f, "t-a", "duin", 3);
  ok_employee(f, "t-b", "duin", 2);
  ok_employee(f, "t-c", "poort", 1);
  ok_employee(f, "t-cont", "duin", 6);
  employee(f, "t-novog", "duin", 1, "[\"pm\"]", 10, 10, "2020-06-01", "2020-06-02");
  employee(f, "t-far", "duin", 12, "[\"vog\", \"pm\"]", 10, 20, "2020-06-01", "2020-06-02");
  employee(f, "t-unavail", "duin", 1, "[\"vog\", \"pm\"]", 10, 10, "2020-06-02", "2020-06-02");
  ok_employee(f, "t-booked", "duin", 1);
  ok_employee(f, "t-waiting", "duin", 1);
  employee(f, "t-week", "duin", 1, "[\"vog\", \"pm\"]", 1, 10, "2020-06-01", "2020-06-02");
  ok_employee(f, "t-rej", "duin", 1);
  fixture_proposal(f, "p-old", "q-1", "t-old", "2020-06-01");
  fixture_proposal(f, "p-cont", "q-1", "t-cont", "2020-06-02");
  fixture_proposal(f, "p-booked", "q-2", "t-booked", "2020-06-01");
  g_assert_cmpuint(post(f, f->coordinator, "/v1/proposals/p-booked/approve", NULL, NULL), ==, 200);
  fixture_proposal(f, "p-waiting", "q-2", "t-waiting", "2020-06-01");
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
                 " VALUES ('p-week', 'q-2', 't-week', '2020-06-01', 1, 'proposed')");
  fixture_proposal(f, "p-rej", "q-1", "t-rej", "2020-06-02");
  g_assert_cmpuint(
      post(f, f->coordinator, "/v1/proposals/p-rej/reject", "{\"reason\": \"niet passend\"}", NULL),
      ==, 200);
}

/* The alternatives' employee ids as "ID ID ..." (transfer full), asserting 200, the
 * ranks in order and the costs not decreasing. */
static char *alternatives(Fixture *f, const char *id, const char *query) {
  g_autofree char *path = g_strdup_printf("/v1/proposals/%s/alternatives", id);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, query, NULL, &json), ==, 200);
  json_object *list = NULL;
  g_assert_true(json_object_object_get_ex(json, "alternatives", &list));
  GString *text = g_string_new(NULL);
  gint64 last = G_MININT64;
  for (gsize i = 0; i < json_object_array_length(list); i++) {
    json_object *item = json_object_array_get_idx(list, i);
    g_assert_cmpint(json_object_get_int(json_object_object_get(item, "rank")), ==, (int)i + 1);
    gint64 cost = json_object_get_int64(json_object_object_get(item, "cost_m"));
    g_assert_cmpint(cost, >=, last);
    last = cost;
    g_string_append_printf(text, "%s%s", i > 0 ? " " : "", fixture_string(item, "employee", NULL));
  }
  json_object_put(json);
  return g_string_free(text, FALSE);
}

static void test_alternatives(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  g_autofree char *all = alternatives(f, "p-old", "limit=20");
  g_assert_cmpstr(all, ==, "t-cont t-c t-b t-a");
  g_autofree char *two = alternatives(f, "p-old", "limit=2");
  g_assert_cmpstr(two, ==, "t-cont t-c");
  g_autofree char *fallback = alternatives(f, "p-old", NULL); /* default 5 */
  g_assert_cmpstr(fallback, ==, "t-cont t-c t-b t-a");

  /* What the coordinator sees of the first: who, from where, how far and why. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/proposals/p-old/alternatives",
                                "limit=1", NULL, &json),
                   ==, 200);
  json_object *first = json_object_array_get_idx(json_object_object_get(json, "alternatives"), 0);
  g_assert_cmpstr(fixture_string(first, "employee_name", NULL), ==, "Test t-cont");
  g_assert_cmpstr(fixture_string(first, "organisation", NULL), ==, "org-01");
  g_assert_nonnull(fixture_string(first, "organisation_name", NULL));
  g_assert_cmpint(json_object_get_int(json_object_object_get(first, "travel_m")), >=, 5990);
  g_assert_cmpint(json_object_get_int(json_object_object_get(first, "travel_m")), <=, 6010);
  g_assert_cmpstr(fixture_string(first, "reason", NULL), ==,
                  "6.0 km, already works for this request, same district");
  g_assert_cmpstr(fixture_string(json, "employee", NULL), ==, "t-old");
  json_object_put(json);

  /* Once the waiting proposal of t-waiting and the rejection are gone, and t-booked's
   * approval cancelled, each of them is an alternative again. */
  g_assert_cmpuint(
      post(f, f->coordinator, "/v1/proposals/p-waiting/reject", "{\"reason\": \"x\"}", NULL), ==,
      200);
  g_assert_cmpuint(post(f, f->coordinator, "/v1/assignments/p-booked/cancel", NULL, NULL), ==, 200);
  fixture_sql(f, "DELETE FROM assignments WHERE id = 'p-rej'");
  fixture_sql(f, "DELETE FROM assignments WHERE id = 'p-week'");
  g_autofree char *freed = alternatives(f, "p-old", "limit=20");
  g_assert_cmpstr(freed, ==, "t-cont t-booked t-rej t-waiting t-week t-c t-b t-a");
}

/* Only the coordinator (of the proposal's district) reads them; bad queries are 400. */
static void test_alternatives_access(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  const char *path = "/v1/proposals/p-old/alternatives";
  g_assert_cmpuint(fixture_call(f, f->school, "GET", path, NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint(fixture_call(f, f->org, "GET", path, NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint(fixture_call(f, NULL, "GET", path, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", path, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/proposals/p-old/swap", NULL,
                                "{\"employee\": \"t-b\"}", NULL),
                   ==, 403);
  g_assert_cmpuint(fixture_call(f, f->haven, "POST", "/v1/proposals/p-old/swap", NULL,
                                "{\"employee\": \"t-b\"}", NULL),
                   ==, 404);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "GET", "/v1/proposals/nope/alternatives", NULL, NULL, NULL),
      ==, 404);
  const char *bad[] = {"limit=0", "limit=21", "limit=x", "status=any"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, bad[i], NULL, NULL), ==, 400);
  /* A decided proposal has none. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/proposals/p-booked/alternatives",
                                NULL, NULL, &json),
                   ==, 409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "already_decided");
  json_object_put(json);
}

static void test_swap(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-old/swap", NULL,
                                "{\"employee\": \"t-b\", \"reason\": \"kent de groep\"}", &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "id", NULL), ==, "p-old-w1");
  g_assert_cmpstr(fixture_string(json, "employee", NULL), ==, "t-b");
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "proposed");
  g_assert_cmpstr(fixture_string(json, "request", NULL), ==, "q-1");
  g_assert_cmpstr(fixture_string(json, "date", NULL), ==, "2020-06-01");
  g_assert_cmpstr(fixture_string(json, "part", NULL), ==, "morning");
  json_object_put(json);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-old'"
                                     " AND status = 'rejected' AND decided_by LIKE 'coordinator%'"
                                     " AND reason = 'swapped for t-b (p-old-w1): kent de groep'"),
                  ==, 1);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log WHERE action ="
                                     " 'proposal.swap' AND object = 'assignments/p-old'"
                                     " AND actor LIKE 'coordinator token %' AND district = 'duin'"
                                     " AND detail LIKE '%t-old replaced by t-b%kent de groep'"),
                  ==, 1);
  /* The old one is decided; the new one has alternatives of its own (t-old no longer,
   * being rejected for q-1 now) and is approved like any proposal. */
  g_autofree char *code = NULL;
  g_assert_cmpuint(
      post(f, f->coordinator, "/v1/proposals/p-old/swap", "{\"employee\": \"t-a\"}", &code), ==,
      409);
  g_assert_cmpstr(code, ==, "already_decided");
  g_autofree char *next = alternatives(f, "p-old-w1", "limit=20");
  g_assert_cmpstr(next, ==, "t-cont t-c t-a");
  /* Swapping the swap numbers on from the first id. */
  g_assert_cmpuint(
      post(f, f->coordinator, "/v1/proposals/p-old-w1/swap", "{\"employee\": \"t-c\"}", NULL), ==,
      200);
  g_assert_cmpuint(post(f, f->coordinator, "/v1/proposals/p-old-w2/approve", NULL, NULL), ==, 200);
}

/* A swap to someone who does not pass is refused with the approval's code and leaves
 * every row as it was. */
static void test_swap_refused(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  const struct {
    const char *employee;
    guint status;
    const char *code;
  } cases[] = {
      {"t-novog", 409, "employee_unavailable"},
      {"t-far", 409, "too_far"},
      {"t-unavail", 409, "employee_unavailable"},
      {"t-booked", 409, "double_booked"},
      {"t-waiting", 409, "double_booked"},
      {"t-week", 409, "week_full"},
      {"t-rej", 409, "pair_rejected"},
      {"t-old", 422, "invalid_field"},
      {"t-nobody", 422, "invalid_field"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    gint64 audit = fixture_sql_int(f, "SELECT count(*) FROM audit_log");
    gint64 rows = fixture_sql_int(f, "SELECT count(*) FROM assignments");
    gint64 rejected =
        fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE status = 'rejected'");
    g_autofree char *body = g_strdup_printf("{\"employee\": \"%s\"}", cases[i].employee);
    g_autofree char *code = NULL;
    g_test_message("swap to %s", cases[i].employee);
    g_assert_cmpuint(post(f, f->coordinator, "/v1/proposals/p-old/swap", body, &code), ==,
                     cases[i].status);
    g_assert_cmpstr(code, ==, cases[i].code);
    g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM audit_log"), ==, audit);
    g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments"), ==, rows);
    g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE status ="
                                       " 'rejected'"),
                    ==, rejected);
    g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-old'"
                                       " AND status = 'proposed' AND decided_by IS NULL"),
                    ==, 1);
  }
  /* Bodies that are not a swap. */
  const char *bad[] = {"{}", "{\"employee\": 3}", "{\"employee\": \"t-b\", \"x\": 1}",
                       "{\"employee\": \"t-b\", \"reason\": \"\"}", "[]"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    g_assert_cmpuint(post(f, f->coordinator, "/v1/proposals/p-old/swap", bad[i], NULL), ==, 422);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id LIKE 'p-old-w%'"),
                  ==, 0);
}

/* ---- races ------------------------------------------------------------------ */

/* Runs two POSTs at once; returns the index of the one that won (the other refused
 * with `loser_code`). */
static guint run_race(Fixture *f, const char *path_a, const char *body_a, const char *path_b,
                      const char *body_b, const char *loser_code) {
  const char *paths[] = {path_a, path_b}, *bodies[] = {body_a, body_b};
  return fixture_race(f, 2, paths, bodies, loser_code);
}

static void test_race_swaps(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  /* Two swaps of one proposal: one new proposal. */
  guint winner = run_race(f, "/v1/proposals/p-old/swap", "{\"employee\": \"t-a\"}",
                          "/v1/proposals/p-old/swap", "{\"employee\": \"t-b\"}", "already_decided");
  g_assert_cmpint(
      fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE request_id = 'q-1' AND date ="
                         " '2020-06-01' AND status = 'proposed'"),
      ==, 1);
  g_autofree char *sql = g_strdup_printf("SELECT count(*) FROM assignments WHERE id = 'p-old-w1'"
                                         " AND employee_id = '%s'",
                                         winner == 0 ? "t-a" : "t-b");
  g_assert_cmpint(fixture_sql_int(f, sql), ==, 1);
  /* Two swaps of different proposals to the same employee and day part: the waiting
   * proposal of the first makes the second a double booking. */
  fixture_proposal(f, "p-other", "q-2", "t-old", "2020-06-01");
  run_race(f, "/v1/proposals/p-old-w1/swap", "{\"employee\": \"t-c\"}",
           "/v1/proposals/p-other/swap", "{\"employee\": \"t-c\"}", "double_booked");
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE employee_id = 't-c'"),
                  ==, 1);
}

static void test_race_swap_approve(Fixture *f, gconstpointer data) {
  (void)data;
  city(f);
  guint winner = run_race(f, "/v1/proposals/p-old/swap", "{\"employee\": \"t-a\"}",
                          "/v1/proposals/p-old/approve", NULL, "already_decided");
  gint64 approved =
      fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-old' AND status ="
                         " 'approved'");
  gint64 swapped = fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 'p-old-w1'");
  g_assert_cmpint(approved, ==, winner == 1);
  g_assert_cmpint(swapped, ==, winner == 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/swap/alternatives", test_alternatives);
  FIXTURE_ADD("/resources/swap/alternatives-access", test_alternatives_access);
  FIXTURE_ADD("/resources/swap/swap", test_swap);
  FIXTURE_ADD("/resources/swap/refused", test_swap_refused);
  FIXTURE_ADD("/resources/swap/race-swaps", test_race_swaps);
  FIXTURE_ADD("/resources/swap/race-swap-approve", test_race_swap_approve);
  int rc = g_test_run();
  fixture_template_free();
  return rc;
}
