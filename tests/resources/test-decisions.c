/* test-decisions.c: decisions and rounds through the router in memory: approvals
 * refused with 409 and their reason (double booking, full slot, weekly maximum,
 * already decided, superseded), the database's own refusal of an overfull slot,
 * races of concurrent approvals on separate connections (exactly one wins), rounds
 * (202, finished, proposals tagged, overlapping rounds refused).
 */
#include <sqlite3.h>

#include "store-target.h"
#include <string.h>

#include "resources-fixture.h"

static guint approve(Fixture *f, const char *token, const char *id, char **out_code) {
  g_autofree char *path = g_strdup_printf("/v1/proposals/%s/approve", id);
  json_object *json = NULL;
  guint status = fixture_call(f, token, "POST", path, NULL, NULL, &json);
  if (out_code != NULL)
    *out_code = g_strdup(fixture_string(json, "error", "code", NULL));
  json_object_put(json);
  return status;
}

/* Asserts that the coordinator's approval of proposal `id` is refused with 409 and
 * the error code `expected`. */
static void expect_refusal(Fixture *f, const char *id, const char *expected) {
  g_autofree char *code = NULL;
  g_assert_cmpuint(approve(f, f->coordinator, id, &code), ==, 409);
  g_assert_cmpstr(code, ==, expected);
}

static gint64 count(Fixture *f, const char *sql) {
  return fixture_sql_int(f, sql);
}

/* Employees t-1 and t-2 and requests q-1 and q-2 for one staff member, all on
 * 2020-06-01. */
static void two_of_each(Fixture *f) {
  fixture_employee(f, "t-1", "2020-06-01", 10);
  fixture_employee(f, "t-2", "2020-06-01", 10);
  fixture_request(f, "q-1", "2020-06-01", 1);
  fixture_request(f, "q-2", "2020-06-01", 1);
}

static void test_conflicts(Fixture *f, gconstpointer data) {
  (void)data;
  two_of_each(f);
  fixture_proposal(f, "p-a", "q-1", "t-1", "2020-06-01");
  fixture_proposal(f, "p-b", "q-2", "t-1", "2020-06-01"); /* same person, same day part */
  fixture_proposal(f, "p-c", "q-1", "t-2", "2020-06-01"); /* q-1 needs only one */

  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-a/approve", NULL, "{}", &json), ==,
      200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "approved");
  g_assert_true(g_str_has_prefix(fixture_string(json, "decided_by", NULL), "coordinator token "));
  g_assert_nonnull(fixture_string(json, "decided_at", NULL));
  json_object_put(json);

  g_autofree char *code = NULL;
  expect_refusal(f, "p-b", "double_booked");
  g_clear_pointer(&code, g_free);
  expect_refusal(f, "p-c", "slot_full");
  g_clear_pointer(&code, g_free);
  expect_refusal(f, "p-a", "already_decided");
  g_clear_pointer(&code, g_free);
  g_assert_cmpint(count(f, "SELECT count(*) FROM assignments WHERE status = 'approved'"
                           " AND id IN ('p-a', 'p-b', 'p-c')"),
                  ==, 1);

  /* The refusal message says why. */
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-b/approve", NULL, NULL, &json), ==,
      409);
  g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==,
                  "employee t-1 is already approved elsewhere on 2020-06-01 morning");
  json_object_put(json);

  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-b/reject", NULL,
                                "{\"reason\": \"te ver weg\"}", &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "rejected");
  g_assert_cmpstr(fixture_string(json, "reason", NULL), ==, "te ver weg");
  json_object_put(json);

  /* The school cancels the approved one; then the slot is free again. */
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/assignments/p-a/cancel", NULL,
                                "{\"reason\": \"ziek\"}", &json),
                   ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "cancelled");
  json_object_put(json);
  g_assert_cmpuint(approve(f, f->coordinator, "p-c", NULL), ==, 200);
  /* An organisation cancels its own employee's assignment. */
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/assignments/p-c/cancel", NULL, NULL, NULL),
                   ==, 200);
  /* Cancelled, it is gone for the organisation, and cannot be cancelled twice. */
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/assignments/p-c/cancel", NULL, NULL, NULL),
                   ==, 404);
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/assignments/p-c/cancel", NULL, NULL, &json), ==,
      409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "already_decided");
  json_object_put(json);
}

static void test_week_full(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-w", "2020-06-01", 1);
  fixture_request(f, "q-w", "2020-06-01", 2);
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
                 " VALUES ('w-1', 'q-w', 't-w', '2020-06-01', 0, 'proposed')");
  /* An afternoon on the same day: a slot of another request. */
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                                "{\"id\": \"q-w2\", \"staff_needed\": 1, \"slots\": [{\"date\":"
                                " \"2020-06-01\", \"part\": \"afternoon\"}]}",
                                NULL),
                   ==, 201);
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
                 " VALUES ('w-2', 'q-w2', 't-w', '2020-06-01', 1, 'proposed')");
  g_assert_cmpuint(approve(f, f->coordinator, "w-1", NULL), ==, 200);
  expect_refusal(f, "w-2", "week_full");
}

static void test_unavailable(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-u", "2020-06-01", 10);
  fixture_request(f, "q-u", "2020-06-02", 1);
  fixture_proposal(f, "u-1", "q-u", "t-u", "2020-06-02"); /* not available that day */
  expect_refusal(f, "u-1", "employee_unavailable");
}

/* A proposal is judged on the data as it is when it is approved, not as the round saw
 * it: a round that ran while the request lost the day part, the pair was rejected, the
 * employee's assignment to that request slot was cancelled or the employee moved away
 * cannot commit it (H5, H6, H3). */
static void test_stale_proposal(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-s", "2020-06-01", 10);
  fixture_request(f, "q-s", "2020-06-01", 1);
  fixture_proposal(f, "s-1", "q-s", "t-s", "2020-06-01");
  g_autofree char *code = NULL;

  fixture_sql(f, "UPDATE request_slots SET from_date = '2020-06-02', to_date = '2020-06-02'"
                 " WHERE request_id = 'q-s'");
  expect_refusal(f, "s-1", "slot_not_requested");
  fixture_sql(f, "UPDATE request_slots SET from_date = '2020-06-01', to_date = '2020-06-01'"
                 " WHERE request_id = 'q-s'");

  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status,"
                 " decided_by, decided_at, reason) VALUES ('s-r', 'q-s', 't-s', '2020-06-01', 1,"
                 " 'rejected', 'coordinator', '2020-05-01T09:00:00Z', 'not this one')");
  g_clear_pointer(&code, g_free);
  expect_refusal(f, "s-1", "pair_rejected");
  fixture_sql(f, "DELETE FROM assignments WHERE id = 's-r'");

  /* The employee was approved for this very day part before and fell ill. */
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status,"
                 " decided_by, decided_at, reason) VALUES ('s-c', 'q-s', 't-s', '2020-06-01', 0,"
                 " 'cancelled', 'coordinator', '2020-05-01T09:00:00Z', 'ziek')");
  json_object *json = NULL;
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/s-1/approve", NULL, NULL, &json), ==,
      409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "employee_unavailable");
  g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==,
                  "employee t-s's assignment to request q-s on 2020-06-01 morning was cancelled");
  json_object_put(json);
  fixture_sql(f, "DELETE FROM assignments WHERE id = 's-c'");

  fixture_sql(f, "UPDATE employees SET lat = 53.2, lon = 6.56 WHERE id = 't-s'"); /* Groningen */
  g_clear_pointer(&code, g_free);
  expect_refusal(f, "s-1", "too_far");
  fixture_sql(f, "UPDATE employees SET lat = NULL, lon = NULL WHERE id = 't-s'");

  g_assert_cmpuint(approve(f, f->coordinator, "s-1", NULL), ==, 200);
  g_assert_cmpint(fixture_sql_int(f, "SELECT count(*) FROM assignments WHERE id = 's-1'"
                                     " AND status = 'approved'"),
                  ==, 1);
}

/* The database refuses an overfull slot and a double booking by itself. */
static void test_database_rules(Fixture *f, gconstpointer data) {
  (void)data;
  two_of_each(f);
  fixture_proposal(f, "d-1", "q-1", "t-1", "2020-06-01");
  fixture_proposal(f, "d-2", "q-1", "t-2", "2020-06-01");
  fixture_proposal(f, "d-3", "q-2", "t-1", "2020-06-01");
  static const char approve_sql[] = "UPDATE assignments SET status = 'approved', decided_by = 'x',"
                                    " decided_at = '2020-05-01T00:00:00Z' WHERE id = ?";
  static const struct {
    const char *id;
    int rc;
    const char *message;
    const char *pg_message; /* PostgreSQL's words for the same */
  } steps[] = {
      {"d-1", SQLITE_DONE, NULL, NULL},
      {"d-2", SQLITE_CONSTRAINT, "the request slot already has all the staff it needs",
       "the request slot already has all the staff it needs"},
      {"d-3", SQLITE_CONSTRAINT, "UNIQUE constraint failed", "assignments_one_approved_per_slot"},
  };
  if (store_target_is_pg()) {
    for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
      g_autofree char *sql = g_strdup_printf("UPDATE assignments SET status = 'approved',"
                                             " decided_by = 'x', decided_at ="
                                             " '2020-05-01T00:00:00Z' WHERE id = '%s'",
                                             steps[i].id);
      g_autofree char *message = NULL;
      StoreTargetResult result = store_target_pg_exec(f->db_path, sql, &message);
      g_assert_cmpint(result, ==, steps[i].rc == SQLITE_DONE ? STORE_TARGET_OK : STORE_TARGET_RULE);
      if (steps[i].pg_message != NULL)
        g_assert_nonnull(strstr(message, steps[i].pg_message));
    }
    return;
  }
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(f->db_path, &db), ==, SQLITE_OK);
  for (gsize i = 0; i < G_N_ELEMENTS(steps); i++) {
    sqlite3_stmt *stmt = NULL;
    g_assert_cmpint(sqlite3_prepare_v2(db, approve_sql, -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text(stmt, 1, steps[i].id, -1, SQLITE_STATIC);
    g_assert_cmpint(sqlite3_step(stmt), ==, steps[i].rc);
    if (steps[i].message != NULL)
      g_assert_nonnull(strstr(sqlite3_errmsg(db), steps[i].message));
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
}

/* ---- races ------------------------------------------------------------------ */

#define RACERS 8

/* Runs RACERS approvals of p-0 .. p-(RACERS-1) at once; returns the winner's index. */
static gsize run_race(Fixture *f, const char *expected_code) {
  char paths[RACERS][40];
  const char *path_of[RACERS], *bodies[RACERS] = {0};
  for (gsize i = 0; i < RACERS; i++) {
    g_snprintf(paths[i], sizeof paths[i], "/v1/proposals/p-%" G_GSIZE_FORMAT "/approve", i);
    path_of[i] = paths[i];
  }
  return fixture_race(f, RACERS, path_of, bodies, expected_code);
}

/* A race of RACERS approvals of proposals p-I for the same date: either one employee
 * offered to RACERS requests q-I, or RACERS employees t-I offered to one request
 * wanting one staff member.  Exactly the winner's proposal is approved. */
typedef struct {
  const char *request;  /* the one request, or NULL for q-I */
  const char *employee; /* the one employee, or NULL for t-I */
  const char *code;     /* the losers' 409 code */
} RaceCase;

static const RaceCase RACE_DOUBLE_BOOKING = {NULL, "t-r", "double_booked"};
static const RaceCase RACE_FULL_SLOT = {"q-full", NULL, "slot_full"};

static void test_race(Fixture *f, gconstpointer data) {
  const RaceCase *c = data;
  if (c->request != NULL)
    fixture_request(f, c->request, "2020-06-03", 1);
  if (c->employee != NULL)
    fixture_employee(f, c->employee, "2020-06-03", 10);
  for (gsize i = 0; i < RACERS; i++) {
    g_autofree char *request =
        c->request != NULL ? g_strdup(c->request) : g_strdup_printf("q-%" G_GSIZE_FORMAT, i);
    g_autofree char *employee =
        c->employee != NULL ? g_strdup(c->employee) : g_strdup_printf("t-%" G_GSIZE_FORMAT, i);
    g_autofree char *proposal = g_strdup_printf("p-%" G_GSIZE_FORMAT, i);
    if (c->request == NULL)
      fixture_request(f, request, "2020-06-03", 1);
    if (c->employee == NULL)
      fixture_employee(f, employee, "2020-06-03", 10);
    fixture_proposal(f, proposal, request, employee, "2020-06-03");
  }
  gsize winner = run_race(f, c->code);
  g_autofree char *shared = c->request != NULL ? g_strdup_printf("request_id = '%s'", c->request)
                                               : g_strdup_printf("employee_id = '%s'", c->employee);
  g_autofree char *approved =
      g_strdup_printf("SELECT count(*) FROM assignments WHERE %s AND status = 'approved'", shared);
  g_assert_cmpint(count(f, approved), ==, 1);
  g_autofree char *sql = g_strdup_printf(
      "SELECT count(*) FROM assignments WHERE id = 'p-%" G_GSIZE_FORMAT "' AND status = 'approved'",
      winner);
  g_assert_cmpint(count(f, sql), ==, 1);
  g_assert_cmpint(count(f, "SELECT count(*) FROM audit_log WHERE action = 'proposal.approve'"), ==,
                  1);
}

/* Approvals taken together (one batch, or several one after another) each answer with
 * their own assignment, as GET /v1/assignments shows it after the commit. */
typedef struct {
  Fixture *f;
  char *id;
  gint *ready;
  guint status;
  json_object *json;
} Approver;

static gpointer approve_at_once(gpointer data) {
  Approver *a = data;
  g_atomic_int_inc(a->ready);
  while (g_atomic_int_get(a->ready) < RACERS)
    g_thread_yield();
  g_autofree char *path = g_strdup_printf("/v1/proposals/%s/approve", a->id);
  a->status = fixture_call(a->f, a->f->coordinator, "POST", path, NULL, NULL, &a->json);
  return NULL;
}

static void test_together(Fixture *f, gconstpointer data) {
  (void)data;
  Approver approvers[RACERS];
  GThread *threads[RACERS];
  gint ready = 0;
  for (gsize i = 0; i < RACERS; i++) {
    g_autofree char *request = g_strdup_printf("q-%" G_GSIZE_FORMAT, i);
    g_autofree char *employee = g_strdup_printf("t-%" G_GSIZE_FORMAT, i);
    fixture_request(f, request, "2020-06-03", 1);
    fixture_employee(f, employee, "2020-06-03", 10);
    approvers[i] = (Approver){f, g_strdup_printf("p-%" G_GSIZE_FORMAT, i), &ready, 0, NULL};
    fixture_proposal(f, approvers[i].id, request, employee, "2020-06-03");
  }
  for (gsize i = 0; i < RACERS; i++)
    threads[i] = g_thread_new("approver", approve_at_once, &approvers[i]);
  for (gsize i = 0; i < RACERS; i++) {
    g_thread_join(threads[i]);
    Approver *a = &approvers[i];
    g_assert_cmpuint(a->status, ==, 200);
    g_assert_cmpstr(fixture_string(a->json, "id", NULL), ==, a->id);
    g_assert_cmpstr(fixture_string(a->json, "status", NULL), ==, "approved");
    g_autofree char *employee = g_strdup_printf("t-%" G_GSIZE_FORMAT, i);
    g_assert_cmpstr(fixture_string(a->json, "employee", NULL), ==, employee);
    g_assert_nonnull(json_object_object_get(a->json, "why"));
    /* The answer is what a read of the assignment gives. */
    g_autofree char *query = g_strdup_printf("employee=%s", employee);
    json_object *read = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/assignments", query, NULL, &read),
                     ==, 200);
    json_object *items = json_object_object_get(read, "items");
    g_assert_cmpuint(json_object_array_length(items), ==, 1);
    g_assert_cmpstr(json_object_to_json_string(json_object_array_get_idx(items, 0)), ==,
                    json_object_to_json_string(a->json));
    json_object_put(read);
    json_object_put(a->json);
    g_free(a->id);
  }
  g_assert_cmpint(count(f, "SELECT count(*) FROM audit_log WHERE action = 'proposal.approve'"), ==,
                  RACERS);
}

/* ---- rounds ----------------------------------------------------------------- */

static gint64 start_round(Fixture *f, const char *token, const char *body) {
  ApiResponse response = {0};
  fixture_call_raw(f, token, "POST", "/v1/rounds", NULL, body, &response);
  g_assert_cmpuint(response.status, ==, 202);
  json_object *json = json_tokener_parse(response.body);
  gint64 id = json_object_get_int64(json_object_object_get(json, "id"));
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "running");
  g_autofree char *location = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  g_assert_cmpstr(response.location, ==, location);
  json_object_put(json);
  api_response_clear(&response);
  return id;
}

static void test_rounds(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = start_round(f, f->coordinator, NULL);
  api_services_wait_rounds(f->services);
  g_autofree char *path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", path, NULL, NULL, &json), ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "finished");
  g_assert_nonnull(fixture_string(json, "finished_at", NULL));
  json_object *stats = json_object_object_get(json, "statistics");
  g_assert_true(json_object_is_type(stats, json_type_object));
  gint64 filled = json_object_get_int64(json_object_object_get(stats, "filled"));
  g_assert_cmpint(filled, >, 0);
  g_assert_cmpint(json_object_get_int64(json_object_object_get(json, "proposals")), ==, filled);
  json_object *unfilled = json_object_object_get(json, "unfilled");
  g_assert_true(json_object_is_type(unfilled, json_type_array));
  if (json_object_array_length(unfilled) > 0) {
    json_object *first = json_object_array_get_idx(unfilled, 0);
    g_assert_true(json_object_object_get_ex(first, "funnel", NULL));
    g_assert_nonnull(fixture_string(first, "reason", NULL));
  }
  json_object_put(json);

  /* The proposals are tagged with the round; the fixture's old ones are superseded. */
  g_autofree char *query = g_strdup_printf("round=%" G_GINT64_FORMAT "&limit=500", id);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/proposals", query, NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpint((gint64)json_object_array_length(items), ==, filled);
  json_object *first = json_object_array_get_idx(items, 0);
  g_assert_cmpstr(fixture_string(first, "status", NULL), ==, "proposed");
  g_assert_cmpint(json_object_get_int64(json_object_object_get(first, "round")), ==, id);
  g_autofree char *proposal = g_strdup(fixture_string(first, "id", NULL));
  g_autofree char *school = g_strdup(fixture_string(first, "school", NULL));
  g_autofree char *name = g_strdup(fixture_string(first, "employee_name", NULL));
  json_object_put(json);
  expect_refusal(f, "a-14", "superseded");
  g_assert_cmpuint(approve(f, f->coordinator, proposal, NULL), ==, 200);
  g_assert_cmpint(count(f, "SELECT count(*) FROM rounds WHERE status = 'finished'"), ==, 1);
  (void)school;
  (void)name;

  /* Overlap: a round still running for stad (another process) blocks a round over
   * every district, not one over haven. */
  fixture_sql(f, "INSERT INTO rounds (started_at, status, districts)"
                 " VALUES ('2020-05-01T00:00:00Z', 'running', '[\"stad\"]')");
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL, NULL, &json), ==,
                   409);
  g_assert_cmpstr(fixture_string(json, "error", "code", NULL), ==, "round_running");
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/rounds", NULL,
                                "{\"districts\": [\"buiten\", \"stad\"]}", NULL),
                   ==, 409);
  gint64 haven = start_round(f, f->haven, NULL);
  api_services_wait_rounds(f->services);
  g_autofree char *haven_path = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, haven);
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", haven_path, NULL, NULL, &json), ==, 200);
  g_assert_cmpstr(fixture_string(json, "status", NULL), ==, "finished");
  json_object *districts = json_object_object_get(json, "districts");
  g_assert_cmpuint(json_object_array_length(districts), ==, 1);
  g_assert_cmpstr(json_object_get_string(json_object_array_get_idx(districts, 0)), ==, "haven");
  json_object_put(json);
  /* The haven coordinator cannot see the round over every district. */
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", path, NULL, NULL, NULL), ==, 404);
  /* The haven round replaced only haven's proposals. */
  g_autofree char *outside = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds t JOIN assignments a ON a.id = t.assignment_id"
      " JOIN requests r ON r.id = a.request_id JOIN schools s ON s.id = r.school_id"
      " WHERE t.round_id = %" G_GINT64_FORMAT " AND s.district_id <> 'haven'",
      haven);
  g_assert_cmpint(count(f, outside), ==, 0);
  g_autofree char *kept = g_strdup_printf(
      "SELECT count(*) FROM assignment_rounds WHERE round_id = %" G_GINT64_FORMAT, id);
  g_assert_cmpint(count(f, kept), >, 0);
}

/* ---- proposals: the default status and the reasons ------------------------ */

/* The ids of a list answer, comma-separated (transfer full). */
static char *list_ids(Fixture *f, const char *token, const char *path, const char *query) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "GET", path, query, NULL, &json), ==, 200);
  json_object *items = json_object_object_get(json, "items");
  GString *ids = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++)
    g_string_append_printf(ids, "%s%s", i > 0 ? "," : "",
                           fixture_string(json_object_array_get_idx(items, i), "id", NULL));
  json_object_put(json);
  return g_string_free(ids, FALSE);
}

static void test_proposals_status(Fixture *f, gconstpointer data) {
  (void)data;
  /* In district haven: a-07 approved, a-14 proposed. */
  g_autofree char *plain = list_ids(f, f->coordinator, "/v1/proposals", "district=haven");
  g_assert_cmpstr(plain, ==, "a-14");
  g_autofree char *proposed =
      list_ids(f, f->coordinator, "/v1/proposals", "district=haven&status=proposed");
  g_assert_cmpstr(proposed, ==, "a-14");
  g_autofree char *approved =
      list_ids(f, f->coordinator, "/v1/proposals", "district=haven&status=approved");
  g_assert_cmpstr(approved, ==, "a-07");
  g_autofree char *any = list_ids(f, f->coordinator, "/v1/proposals", "district=haven&status=any");
  g_assert_cmpstr(any, ==, "a-07,a-14");
  static const char *const bad[] = {"status=", "status=ANY", "status=open", "status=any,proposed"};
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    json_object *json = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/proposals", bad[i], NULL, &json),
                     ==, 400);
    g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==,
                    "query parameter status: expected proposed, approved, rejected, cancelled"
                    " or any");
    json_object_put(json);
  }
}

/* Every id of a proposals list with `query`, read a page of one at a time, keeping
 * those that start with "pf-" (comma-separated, transfer full). */
static char *filtered_ids(Fixture *f, const char *query) {
  GString *ids = g_string_new(NULL);
  g_autofree char *cursor = NULL;
  do {
    g_autofree char *paged = cursor != NULL ? g_strdup_printf("%s&limit=1&cursor=%s", query, cursor)
                                            : g_strdup_printf("%s&limit=1", query);
    json_object *json = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/proposals", paged, NULL, &json),
                     ==, 200);
    json_object *items = json_object_object_get(json, "items");
    g_assert_cmpuint(json_object_array_length(items), <=, 1);
    for (gsize i = 0; i < json_object_array_length(items); i++) {
      const char *id = fixture_string(json_object_array_get_idx(items, i), "id", NULL);
      if (g_str_has_prefix(id, "pf-"))
        g_string_append_printf(ids, "%s%s", ids->len > 0 ? "," : "", id);
    }
    g_free(cursor);
    cursor = g_strdup(fixture_string(json, "next_cursor", NULL));
    json_object_put(json);
  } while (cursor != NULL);
  return g_string_free(ids, FALSE);
}

static void test_proposals_filters(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-1", "2020-05-04", 10);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                                "{\"id\": \"q-1\", \"staff_needed\": 1, \"slots\": ["
                                "{\"date\": \"2020-05-04\", \"part\": \"morning\"},"
                                "{\"date\": \"2020-05-04\", \"part\": \"afternoon\"},"
                                "{\"date\": \"2020-05-05\", \"part\": \"morning\"}]}",
                                NULL),
                   ==, 201);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL,
                                "{\"id\": \"q-2\", \"staff_needed\": 1, \"priority\": \"high\","
                                " \"slots\": [{\"date\": \"2020-05-06\", \"part\": \"morning\"}]}",
                                NULL),
                   ==, 201);
  fixture_sql(f, "INSERT INTO assignments (id, request_id, employee_id, date, part, status) VALUES"
                 " ('pf-1', 'q-1', 't-1', '2020-05-04', 0, 'proposed'),"
                 " ('pf-2', 'q-1', 't-1', '2020-05-04', 1, 'proposed'),"
                 " ('pf-3', 'q-1', 't-1', '2020-05-05', 0, 'proposed'),"
                 " ('pf-4', 'q-2', 't-1', '2020-05-06', 0, 'proposed')");
  static const struct {
    const char *query, *ids;
  } cases[] = {
      {"school=31DJ00", "pf-1,pf-2,pf-3,pf-4"},
      {"school=31DJ00&part=morning", "pf-1,pf-3,pf-4"},
      {"school=31DJ00&part=afternoon", "pf-2"},
      {"school=31DJ00&priority=high", "pf-4"},
      {"school=31DJ00&priority=normal", "pf-1,pf-2,pf-3"},
      {"school=31DJ00&from=2020-05-05", "pf-3,pf-4"},
      {"school=31DJ00&to=2020-05-05", "pf-1,pf-2,pf-3"},
      {"school=31DJ00&from=2020-05-05&to=2020-05-05", "pf-3"},
      {"school=31DJ00&from=2020-05-04&to=2020-05-05&part=morning&priority=normal", "pf-1,pf-3"},
      {"school=31DJ00&from=2020-05-07", ""},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *ids = filtered_ids(f, cases[i].query);
    g_assert_cmpstr(ids, ==, cases[i].ids);
  }
  static const struct {
    const char *query, *message;
  } bad[] = {
      {"from=2020-13-01",
       "query parameter from: \"2020-13-01\" is not a valid date (expected YYYY-MM-DD)"},
      {"to=mei", "query parameter to: \"mei\" is not a valid date (expected YYYY-MM-DD)"},
      {"from=2020-05-05&to=2020-05-04", "query parameter to: expected a date on or after from"},
      {"part=evening", "query parameter part: expected morning or afternoon"},
      {"part=", "query parameter part: expected morning or afternoon"},
      {"priority=urgent", "query parameter priority: expected high or normal"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    json_object *json = NULL;
    g_assert_cmpuint(
        fixture_call(f, f->coordinator, "GET", "/v1/proposals", bad[i].query, NULL, &json), ==,
        400);
    g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==, bad[i].message);
    json_object_put(json);
  }
}

/* The reasons part of the view of assignment `id` in a list answer, as compact JSON
 * text "travel_m|travel_km|preferred_met|why" (transfer full). */
static char *reasons_of(Fixture *f, const char *token, const char *path, const char *query,
                        const char *id) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, token, "GET", path, query, NULL, &json), ==, 200);
  json_object *items = json_object_object_get(json, "items");
  char *text = NULL;
  for (gsize i = 0; i < json_object_array_length(items); i++) {
    json_object *item = json_object_array_get_idx(items, i);
    if (g_strcmp0(fixture_string(item, "id", NULL), id) != 0)
      continue;
    GString *parts = g_string_new(NULL);
    static const char *const keys[] = {"travel_m", "travel_km", "preferred_met", "why"};
    for (gsize k = 0; k < G_N_ELEMENTS(keys); k++) {
      json_object *value = NULL;
      g_string_append_printf(parts, "%s%s", k > 0 ? "|" : "",
                             json_object_object_get_ex(item, keys[k], &value)
                                 ? json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN)
                                 : "absent");
    }
    text = g_string_free(parts, FALSE);
  }
  json_object_put(json);
  g_assert_nonnull(text);
  return text;
}

static void test_proposal_reasons(Fixture *f, gconstpointer data) {
  (void)data;
  /* a-14: e-241 (hout, has bso) for r-008 at 13NH00 (haven, prefers bso). */
  g_autofree char *first = reasons_of(f, f->coordinator, "/v1/proposals", NULL, "a-14");
  g_assert_cmpstr(first, ==,
                  "4271|4.3|[\"bso\"]|[\"neighbouring-district\",\"preferred-qualifications\"]");
  /* a-15: e-095 in stad for a school in stad, nothing preferred. */
  g_autofree char *same = reasons_of(f, f->coordinator, "/v1/proposals", NULL, "a-15");
  g_assert_cmpstr(same, ==, "2934|2.9|[]|[\"same-district\"]");
  /* Continuity: the same employee proposed for another day part of the request. */
  fixture_proposal(f, "p-next", "r-008", "e-241", "2020-04-15");
  g_autofree char *continued = reasons_of(f, f->coordinator, "/v1/proposals", NULL, "a-14");
  g_assert_cmpstr(continued, ==,
                  "4271|4.3|[\"bso\"]|[\"neighbouring-district\",\"preferred-qualifications\","
                  "\"continuity\"]");
  /* Knowing the school: approved there for another request; the employee's own place
   * unknown, travel runs from the centre of their district. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/requests", NULL,
                                "{\"id\": \"q-k\", \"school\": \"13NH00\", \"staff_needed\": 1,"
                                " \"slots\": [{\"date\": \"2020-06-01\", \"part\": \"morning\"}]}",
                                &json),
                   ==, 201);
  json_object_put(json);
  fixture_sql(f, "DELETE FROM assignments WHERE id = 'p-next';"
                 "INSERT INTO assignments (id, request_id, employee_id, date, part, status,"
                 " decided_by, decided_at) VALUES ('k-1', 'q-k', 'e-241', '2020-06-01', 0,"
                 " 'approved', 'test', '2020-05-01T00:00:00Z');"
                 "UPDATE employees SET lat = NULL, lon = NULL WHERE id = 'e-241'");
  g_autofree char *known = reasons_of(f, f->coordinator, "/v1/proposals", NULL, "a-14");
  g_assert_cmpstr(known, ==,
                  "4798|4.8|[\"bso\"]|[\"neighbouring-district\",\"preferred-qualifications\","
                  "\"knows-school\"]");
  /* An approved assignment does not know its school through itself. */
  g_autofree char *approved =
      reasons_of(f, f->coordinator, "/v1/assignments", "district=haven", "a-07");
  g_assert_cmpstr(approved, ==, "5553|5.6|[]|[\"neighbouring-district\"]");
  /* Schools and organisations see no reasons. */
  g_autofree char *school = reasons_of(f, f->school, "/v1/assignments", NULL, "a-01");
  g_assert_cmpstr(school, ==, "absent|absent|absent|absent");
  /* A decision's answer carries them too. */
  g_assert_cmpuint(fixture_call(f, f->coordinator, "POST", "/v1/proposals/a-14/reject", NULL,
                                "{\"reason\": \"te ver\"}", &json),
                   ==, 200);
  g_assert_cmpint(json_object_get_int64(json_object_object_get(json, "travel_m")), ==, 4798);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(json, "why")), ==, 3);
  json_object_put(json);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/decisions/conflicts", test_conflicts);
  FIXTURE_ADD("/resources/decisions/week-full", test_week_full);
  FIXTURE_ADD("/resources/decisions/unavailable", test_unavailable);
  FIXTURE_ADD("/resources/decisions/stale-proposal", test_stale_proposal);
  FIXTURE_ADD("/resources/decisions/database-rules", test_database_rules);
  FIXTURE_ADD("/resources/decisions/together", test_together);
  g_test_add("/resources/decisions/race-double-booking", Fixture, &RACE_DOUBLE_BOOKING,
             fixture_setup, test_race, fixture_teardown);
  g_test_add("/resources/decisions/race-full-slot", Fixture, &RACE_FULL_SLOT, fixture_setup,
             test_race, fixture_teardown);
  FIXTURE_ADD("/resources/proposals/status", test_proposals_status);
  FIXTURE_ADD("/resources/proposals/reasons", test_proposal_reasons);
  FIXTURE_ADD("/resources/proposals/filters", test_proposals_filters);
  FIXTURE_ADD("/resources/rounds/run", test_rounds);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
