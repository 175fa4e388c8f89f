/* durability.c: the store, calls, ledger and store checks shared by the crash and
 * load tests (see durability.h).  The ledger is the tests' memory of what the server
 * promised: an entry per write with what was sent and what came back, appended under
 * one lock by any client thread, and read only after every client has stopped.
 */
#include "durability.h"

#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "dataset-json.h"
#include "match.h"

/* ---- the store ---------------------------------------------------------- */

/* Runs `handen token create` with `args` and returns the header line. */
static char *create_token(const char *db_path, const char *role, const char *flag,
                          const char *value) {
  const char *args[] = {"token", "create", "--role", role, "--db", db_path, flag, value, NULL};
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = http_run_handen(args, &out, &err);
  if (status != 0)
    g_test_message("handen token create: %s", err);
  g_assert_cmpint(status, ==, 0);
  g_strchomp(out);
  g_assert_true(g_str_has_prefix(out, "hnd_"));
  return g_strconcat("Authorization: Bearer ", out, NULL);
}

DurStore *dur_store_new(void) {
  g_autoptr(GError) error = NULL;
  DurStore *store = g_new0(DurStore, 1);
  store->dir = g_dir_make_tmp("handen-durability-XXXXXX", &error);
  g_assert_no_error(error);
  store->db_path = g_build_filename(store->dir, "handen.db", NULL);
  const char *fixtures = g_getenv("HANDEN_FIXTURES");
  g_assert_nonnull(fixtures);
  g_autofree char *json = g_build_filename(fixtures, "almere.json", NULL);
  const char *import[] = {"import", "--replace", "--db", store->db_path, json, NULL};
  g_autofree char *err = NULL;
  int status = http_run_handen(import, NULL, &err);
  if (status != 0)
    g_test_message("handen import: %s", err);
  g_assert_cmpint(status, ==, 0);
  store->coordinator = create_token(store->db_path, "coordinator", NULL, NULL);
  store->school = create_token(store->db_path, "school", "--school", DUR_SCHOOL);
  store->organisation = create_token(store->db_path, "organisation", "--organisation", "org-01");
  return store;
}

void dur_store_free(DurStore *store) {
  if (store == NULL)
    return;
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(store->db_path, suffixes[i], NULL);
    (void)g_remove(path);
  }
  (void)g_rmdir(store->dir);
  g_free(store->coordinator);
  g_free(store->school);
  g_free(store->organisation);
  g_free(store->db_path);
  g_free(store->dir);
  g_free(store);
}

/* ---- calls -------------------------------------------------------------- */

HttpClient *dur_connect(guint16 port) {
  HttpClient *client = http_client_connect(port, NULL);
  if (client == NULL)
    return NULL;
  int on = 1;
  g_assert_cmpint(setsockopt(http_client_fd(client), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on), ==,
                  0);
  return client;
}

guint dur_call(HttpClient *client, const char *auth, const char *method, const char *target,
               const char *body, json_object **out_json) {
  const char *headers[] = {auth, body != NULL ? "Content-Type: application/json" : NULL, NULL};
  const char *const *list = auth != NULL ? headers : headers + 1;
  HttpReply reply = {0};
  if (!http_client_request(client, method, target, list, body, &reply, NULL)) {
    http_reply_clear(&reply);
    if (out_json != NULL)
      *out_json = NULL;
    return 0;
  }
  guint status = reply.status;
  if (out_json != NULL)
    *out_json = json_tokener_parse(reply.body);
  http_reply_clear(&reply);
  return status;
}

const char *dur_json_string(json_object *object, const char *key) {
  json_object *value = NULL;
  if (object == NULL || !json_object_object_get_ex(object, key, &value) ||
      !json_object_is_type(value, json_type_string))
    return NULL;
  return json_object_get_string(value);
}

GPtrArray *dur_proposed_ids(HttpClient *client, const char *auth, guint limit) {
  GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *cursor = NULL;
  do {
    g_autofree char *target =
        cursor != NULL
            ? g_strdup_printf("/v1/proposals?status=proposed&limit=500&cursor=%s", cursor)
            : g_strdup("/v1/proposals?status=proposed&limit=500");
    json_object *json = NULL;
    g_assert_cmpuint(dur_call(client, auth, "GET", target, NULL, &json), ==, 200);
    json_object *items = json_object_object_get(json, "items");
    g_assert_true(json_object_is_type(items, json_type_array));
    for (size_t i = 0; i < json_object_array_length(items) && ids->len < limit; i++) {
      json_object *item = json_object_array_get_idx(items, i);
      g_assert_cmpstr(dur_json_string(item, "status"), ==, "proposed");
      g_ptr_array_add(ids, g_strdup(dur_json_string(item, "id")));
    }
    g_free(cursor);
    cursor = g_strdup(dur_json_string(json, "next_cursor"));
    json_object_put(json);
  } while (cursor != NULL && ids->len < limit);
  return ids;
}

gint64 dur_run_round(HttpClient *client, const char *auth) {
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, auth, "POST", "/v1/rounds", NULL, &json), ==, 202);
  gint64 id = json_object_get_int64(json_object_object_get(json, "id"));
  json_object_put(json);
  g_assert_cmpint(id, >, 0);
  g_autofree char *target = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
  for (int attempt = 0; attempt < 600; attempt++) {
    g_assert_cmpuint(dur_call(client, auth, "GET", target, NULL, &json), ==, 200);
    g_autofree char *status = g_strdup(dur_json_string(json, "status"));
    json_object_put(json);
    if (!g_str_equal(status, "running")) {
      g_assert_cmpstr(status, ==, "finished");
      return id;
    }
    g_usleep(20 * 1000);
  }
  g_assert_not_reached();
}

/* ---- slot lists --------------------------------------------------------- */

void dur_create_employee(HttpClient *client, const char *organisation, const char *id,
                         const char *name) {
  g_autofree char *body = g_strdup_printf(
      "{\"id\": \"%s\", \"name\": \"%s\", \"district\": \"" DUR_DISTRICT "\","
      " \"qualifications\": [\"vog\"], \"availability\": [{\"date\": \"2020-10-05\","
      " \"part\": \"morning\"}]}",
      id, name);
  g_assert_cmpuint(dur_call(client, organisation, "POST", "/v1/employees", body, NULL), ==, 201);
}

char *dur_random_request(GRand *rand, const char *id, char **out_value) {
  g_autofree char *slots = NULL;
  g_autofree char *canonical = NULL;
  dur_random_slots(rand, "2020-04-13", 2, (guint)g_rand_int_range(rand, 1, 4), &slots, &canonical);
  int staff = g_rand_int_range(rand, 1, 3);
  *out_value = g_strdup_printf("%d|%s", staff, canonical);
  return g_strdup_printf("{\"id\": \"%s\", \"staff_needed\": %d, \"slots\": %s}", id, staff, slots);
}

char *dur_random_availability(GRand *rand, char **out_canonical) {
  char *slots = NULL;
  dur_random_slots(rand, "2020-10-05", 3, (guint)g_rand_int_range(rand, 1, 5), &slots,
                   out_canonical);
  return slots;
}

void dur_random_slots(GRand *rand, const char *first, guint weeks, guint count, char **out_json,
                      char **out_canonical) {
  int year = 0, month = 0, day = 0;
  g_assert_cmpint(sscanf(first, "%d-%d-%d", &year, &month, &day), ==, 3);
  guint choices = weeks * 5 * 2; /* work days times day parts */
  g_assert_cmpuint(count, >=, 1);
  g_assert_cmpuint(count, <=, choices);
  /* Selection sampling: each choice in order, kept with the right probability, so
   * the result is sorted and has no duplicates. */
  GString *json = g_string_new("[");
  GString *canonical = g_string_new(NULL);
  guint needed = count;
  for (guint c = 0; c < choices && needed > 0; c++) {
    if ((guint)g_rand_int_range(rand, 0, (gint32)(choices - c)) >= needed)
      continue;
    needed--;
    guint work_day = c / 2;
    GDate date;
    g_date_clear(&date, 1);
    g_date_set_dmy(&date, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
    g_date_add_days(&date, (work_day / 5) * 7 + work_day % 5);
    char text[11];
    g_snprintf(text, sizeof text, "%04d-%02d-%02d", g_date_get_year(&date), g_date_get_month(&date),
               g_date_get_day(&date));
    const char *part = c % 2 == 0 ? "morning" : "afternoon";
    g_string_append_printf(json, "%s{\"date\": \"%s\", \"part\": \"%s\"}",
                           json->len > 1 ? ", " : "", text, part);
    g_string_append_printf(canonical, "%s%s/%s", canonical->len > 0 ? "," : "", text, part);
  }
  g_string_append_c(json, ']');
  *out_json = g_string_free(json, FALSE);
  *out_canonical = g_string_free(canonical, FALSE);
}

char *dur_slots_canonical(json_object *array) {
  if (!json_object_is_type(array, json_type_array))
    return g_strdup("(not an array)");
  GString *text = g_string_new(NULL);
  for (size_t i = 0; i < json_object_array_length(array); i++) {
    json_object *rule = json_object_array_get_idx(array, i);
    const char *date = dur_json_string(rule, "date");
    const char *part = dur_json_string(rule, "part");
    g_string_append_printf(text, "%s%s/%s", i > 0 ? "," : "", date != NULL ? date : "(pattern)",
                           part != NULL ? part : "");
  }
  return g_string_free(text, FALSE);
}

/* ---- the ledger --------------------------------------------------------- */

typedef struct {
  DurWriteKind kind;
  char *id;
  char *value;
  DurOutcome outcome;
  guint epoch;
} Entry;

struct DurLedger {
  GMutex lock;
  GArray *entries; /* Entry, in the order recorded */
};

static void entry_clear(gpointer data) {
  Entry *entry = data;
  g_free(entry->id);
  g_free(entry->value);
}

DurLedger *dur_ledger_new(void) {
  DurLedger *ledger = g_new0(DurLedger, 1);
  g_mutex_init(&ledger->lock);
  ledger->entries = g_array_new(FALSE, FALSE, sizeof(Entry));
  g_array_set_clear_func(ledger->entries, entry_clear);
  return ledger;
}

void dur_ledger_free(DurLedger *ledger) {
  if (ledger == NULL)
    return;
  g_array_unref(ledger->entries);
  g_mutex_clear(&ledger->lock);
  g_free(ledger);
}

void dur_ledger_add(DurLedger *ledger, DurWriteKind kind, const char *id, const char *value,
                    DurOutcome outcome, guint epoch) {
  g_assert_nonnull(id);
  Entry entry = {kind, g_strdup(id), g_strdup(value), outcome, epoch};
  g_mutex_lock(&ledger->lock);
  g_array_append_val(ledger->entries, entry);
  g_mutex_unlock(&ledger->lock);
}

guint dur_ledger_count(DurLedger *ledger, DurWriteKind kind, DurOutcome outcome) {
  guint n = 0;
  g_mutex_lock(&ledger->lock);
  for (guint i = 0; i < ledger->entries->len; i++) {
    const Entry *e = &g_array_index(ledger->entries, Entry, i);
    n += e->kind == kind && e->outcome == outcome;
  }
  g_mutex_unlock(&ledger->lock);
  return n;
}

/* Whether `stored` is a value the employee's availability may have after the
 * writes to it: the last acknowledged one, or any later one whose answer was lost
 * (it may have been stored before the crash). */
static gboolean availability_allowed(const DurLedger *ledger, const char *employee,
                                     const char *stored, GString *expected) {
  gint last_acked = -1;
  for (guint i = 0; i < ledger->entries->len; i++) {
    const Entry *e = &g_array_index(ledger->entries, Entry, i);
    if (e->kind == DUR_WRITE_AVAILABILITY && g_str_equal(e->id, employee) &&
        e->outcome == DUR_OUTCOME_ACKED)
      last_acked = (gint)i;
  }
  gboolean allowed = FALSE;
  for (guint i = last_acked < 0 ? 0 : (guint)last_acked; i < ledger->entries->len; i++) {
    const Entry *e = &g_array_index(ledger->entries, Entry, i);
    if (e->kind != DUR_WRITE_AVAILABILITY || !g_str_equal(e->id, employee) ||
        e->outcome == DUR_OUTCOME_REFUSED ||
        (e->outcome == DUR_OUTCOME_ACKED && (gint)i != last_acked))
      continue;
    g_string_append_printf(expected, "%s[%s]", expected->len > 0 ? " or " : "", e->value);
    allowed = allowed || g_str_equal(e->value, stored);
  }
  return allowed;
}

/* ---- reading the file --------------------------------------------------- */

static sqlite3 *open_db(const char *db_path) {
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc != SQLITE_OK)
    g_test_message("%s: %s", db_path, sqlite3_errmsg(db));
  g_assert_cmpint(rc, ==, SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_test_message("%s: %s", sql, sqlite3_errmsg(db));
  g_assert_cmpint(rc, ==, SQLITE_OK);
  return stmt;
}

/* The first column of the first row of `sql` with ?1 = `param` (transfer full), or
 * NULL when there is no row. */
static char *query_text(sqlite3 *db, const char *sql, const char *param) {
  sqlite3_stmt *stmt = prepare(db, sql);
  if (param != NULL)
    sqlite3_bind_text(stmt, 1, param, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  g_assert_true(rc == SQLITE_ROW || rc == SQLITE_DONE);
  char *text = rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL
                   ? g_strdup((const char *)sqlite3_column_text(stmt, 0))
                   : NULL;
  sqlite3_finalize(stmt);
  return text;
}

/* A slot rule table's rows for `id` in the canonical text form. */
static char *stored_slots(sqlite3 *db, const char *table, const char *column, const char *id) {
  g_autofree char *sql = g_strdup_printf("SELECT kind, from_date, parts FROM %s WHERE %s = ?1"
                                         " ORDER BY position",
                                         table, column);
  sqlite3_stmt *stmt = prepare(db, sql);
  sqlite3_bind_text(stmt, 1, id, -1, SQLITE_TRANSIENT);
  GString *text = g_string_new(NULL);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    gboolean one = g_str_equal((const char *)sqlite3_column_text(stmt, 0), "one");
    int parts = sqlite3_column_int(stmt, 2);
    g_string_append_printf(text, "%s%s/%s", text->len > 0 ? "," : "",
                           one ? (const char *)sqlite3_column_text(stmt, 1) : "(pattern)",
                           !one         ? ""
                           : parts == 1 ? "morning"
                           : parts == 2 ? "afternoon"
                                        : "?");
  }
  g_assert_cmpint(rc, ==, SQLITE_DONE);
  sqlite3_finalize(stmt);
  return g_string_free(text, FALSE);
}

static const char *const kind_names[] = {"request", "availability", "approval", "rejection",
                                         "round"};
G_STATIC_ASSERT(G_N_ELEMENTS(kind_names) == DUR_N_WRITE_KINDS);

/* Checks one acknowledged write against the file; NULL when it is there, else what
 * is wrong (transfer full). */
static char *check_entry_sql(const DurLedger *ledger, sqlite3 *db, const Entry *e) {
  switch (e->kind) {
  case DUR_WRITE_REQUEST: {
    g_autofree char *staff = query_text(
        db, "SELECT staff_needed || '|' || school_id FROM requests WHERE id = ?1", e->id);
    if (staff == NULL)
      return g_strdup("missing");
    g_autofree char *slots = stored_slots(db, "request_slots", "request_id", e->id);
    g_autofree char *stored = g_strdup_printf("%s|%s", staff, slots);
    g_autofree char *expected = g_strdup_printf(
        "%.*s|" DUR_SCHOOL "|%s", (int)strcspn(e->value, "|"), e->value, strchr(e->value, '|') + 1);
    return g_str_equal(stored, expected)
               ? NULL
               : g_strdup_printf("stored as [%s], sent [%s]", stored, expected);
  }
  case DUR_WRITE_AVAILABILITY: {
    g_autofree char *stored = stored_slots(db, "employee_availability", "employee_id", e->id);
    g_autoptr(GString) expected = g_string_new(NULL);
    return availability_allowed(ledger, e->id, stored, expected)
               ? NULL
               : g_strdup_printf("stored as [%s], expected %s", stored, expected->str);
  }
  case DUR_WRITE_APPROVE:
  case DUR_WRITE_REJECT: {
    g_autofree char *status = query_text(db, "SELECT status FROM assignments WHERE id = ?1", e->id);
    const char *expected = e->kind == DUR_WRITE_APPROVE ? "approved" : "rejected";
    return g_strcmp0(status, expected) == 0
               ? NULL
               : g_strdup_printf("status %s, expected %s", status ? status : "(missing)", expected);
  }
  case DUR_WRITE_ROUND: {
    g_autofree char *status = query_text(db, "SELECT status FROM rounds WHERE id = ?1", e->id);
    return status != NULL && !g_str_equal(status, "running")
               ? NULL
               : g_strdup_printf("status %s", status ? status : "(missing)");
  }
  case DUR_N_WRITE_KINDS:
  default:
    g_assert_not_reached();
  }
}

guint dur_ledger_verify_sql(DurLedger *ledger, const char *db_path, guint *out_failures) {
  sqlite3 *db = open_db(db_path);
  guint checked = 0, failures = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_lock(&ledger->lock);
  for (guint i = 0; i < ledger->entries->len; i++) {
    const Entry *e = &g_array_index(ledger->entries, Entry, i);
    if (e->outcome != DUR_OUTCOME_ACKED)
      continue;
    /* An employee's availability is judged once, over all its writes. */
    if (e->kind == DUR_WRITE_AVAILABILITY &&
        !g_hash_table_add(seen, g_strdup_printf("availability %s", e->id)))
      continue;
    checked++;
    g_autofree char *problem = check_entry_sql(ledger, db, e);
    if (problem != NULL) {
      failures++;
      g_test_message("lost: acknowledged %s %s (epoch %u): %s", kind_names[e->kind], e->id,
                     e->epoch, problem);
    }
  }
  g_mutex_unlock(&ledger->lock);
  sqlite3_close(db);
  *out_failures += failures;
  return checked;
}

guint dur_ledger_verify_api(DurLedger *ledger, HttpClient *client, const char *school_auth,
                            const char *organisation_auth, guint epoch, guint *out_failures) {
  guint checked = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  g_mutex_lock(&ledger->lock);
  for (guint i = 0; i < ledger->entries->len; i++) {
    const Entry *e = &g_array_index(ledger->entries, Entry, i);
    if (e->outcome != DUR_OUTCOME_ACKED || e->epoch != epoch)
      continue;
    g_autofree char *problem = NULL;
    if (e->kind == DUR_WRITE_REQUEST) {
      g_autofree char *target = g_strdup_printf("/v1/requests/%s", e->id);
      json_object *json = NULL;
      guint status = dur_call(client, school_auth, "GET", target, NULL, &json);
      g_autofree char *slots = dur_slots_canonical(json_object_object_get(json, "slots"));
      g_autofree char *stored = g_strdup_printf(
          "%d|%s", json_object_get_int(json_object_object_get(json, "staff_needed")), slots);
      json_object_put(json);
      if (status != 200)
        problem = g_strdup_printf("GET %s answered %u", target, status);
      else if (!g_str_equal(stored, e->value))
        problem = g_strdup_printf("served as [%s], sent [%s]", stored, e->value);
    } else if (e->kind == DUR_WRITE_AVAILABILITY && g_hash_table_add(seen, e->id)) {
      g_autofree char *target = g_strdup_printf("/v1/employees/%s", e->id);
      json_object *json = NULL;
      guint status = dur_call(client, organisation_auth, "GET", target, NULL, &json);
      g_autofree char *stored = dur_slots_canonical(json_object_object_get(json, "availability"));
      json_object_put(json);
      g_autoptr(GString) expected = g_string_new(NULL);
      if (status != 200)
        problem = g_strdup_printf("GET %s answered %u", target, status);
      else if (!availability_allowed(ledger, e->id, stored, expected))
        problem = g_strdup_printf("served as [%s], expected %s", stored, expected->str);
    } else {
      continue;
    }
    checked++;
    if (problem != NULL) {
      (*out_failures)++;
      g_test_message("lost: acknowledged %s %s (epoch %u): %s", kind_names[e->kind], e->id, epoch,
                     problem);
    }
  }
  g_mutex_unlock(&ledger->lock);
  return checked;
}

/* ---- the store itself --------------------------------------------------- */

/* Every row of a one-column query joined by newlines (transfer full). */
static char *query_rows(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = prepare(db, sql);
  GString *rows = g_string_new(NULL);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(stmt, 0);
    g_string_append_printf(rows, "%s%s", rows->len > 0 ? "\n" : "", text ? text : "NULL");
  }
  g_assert_cmpint(rc, ==, SQLITE_DONE);
  sqlite3_finalize(stmt);
  return g_string_free(rows, FALSE);
}

void dur_assert_integrity(const char *db_path) {
  sqlite3 *db = open_db(db_path);
  g_autofree char *integrity = query_rows(db, "PRAGMA integrity_check");
  g_assert_cmpstr(integrity, ==, "ok");
  g_autofree char *foreign = query_rows(db, "SELECT \"table\" || ' row ' || rowid || ' -> ' ||"
                                            " parent FROM pragma_foreign_key_check");
  g_assert_cmpstr(foreign, ==, "");
  sqlite3_close(db);
}

void dur_assert_no_double_booking(const char *db_path) {
  sqlite3 *db = open_db(db_path);
  g_autofree char *twice =
      query_rows(db, "SELECT employee_id || ' ' || date || ' ' || part FROM assignments"
                     " WHERE status = 'approved' GROUP BY employee_id, date, part"
                     " HAVING count(*) > 1");
  g_assert_cmpstr(twice, ==, "");
  /* The need as model_request_staff_needed() computes it, 10 children per staff. */
  g_autofree char *overfull =
      query_rows(db, "SELECT g.request_id || ' ' || g.date || ' ' || g.part || ': ' || g.n FROM"
                     " (SELECT request_id, date, part, count(*) AS n FROM assignments"
                     "  WHERE status = 'approved' GROUP BY request_id, date, part) g"
                     " JOIN requests r ON r.id = g.request_id"
                     " WHERE g.n > coalesce(r.staff_needed,"
                     "  max(0, (r.children_expected + 9) / 10 - coalesce(r.own_staff, 0)))");
  g_assert_cmpstr(overfull, ==, "");
  sqlite3_close(db);
}

/* How the approvals are checked.  engine_check() counts the dataset's approved
 * assignments into every group (employee and day part, employee and week, request
 * slot) but judges only the proposals it is given, so approvals alone would pass
 * unexamined.  Instead every approved assignment is taken out of the dataset (made
 * "proposed", which the checker ignores) and handed to it as a proposal: each one is
 * then judged as a round's proposal is, against H1 (available, at most once per day
 * part), H2 (active, vog, required qualifications), H3 (travel), H4 (weekly maximum)
 * and H5 (open request, one of its slots, at most the staff needed).  The store's own
 * approval checks are the same rules (H3 holds because approvals come from rounds and
 * no test write moves a location or changes a travel limit), so a violation means the
 * store took an approval it should have refused, or lost part of a write.  Rejections
 * are left out (made "cancelled", which the checker also ignores): H6 forbids
 * proposing a rejected pair again, but a coordinator may reject a pair in one day part
 * and approve it in another, and approvals are decisions, not proposals. */
guint dur_assert_approvals_sound(const char *db_path) {
  const char *args[] = {"export", "--db", db_path, NULL};
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = http_run_handen(args, &out, &err);
  if (status != 0)
    g_test_message("handen export: %s", err);
  g_assert_cmpint(status, ==, 0);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(out, strlen(out), problems);
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    g_test_message("export: %s: %s", problem->pointer, problem->message);
  }
  g_assert_cmpuint(problems->len, ==, 0);
  g_assert_nonnull(dataset);

  g_autoptr(GArray) proposals = g_array_new(FALSE, TRUE, sizeof(EngineProposal));
  for (guint i = 0; i < dataset->assignments->len; i++) {
    ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    if (a->status == MODEL_ASSIGNMENT_REJECTED) {
      a->status = MODEL_ASSIGNMENT_CANCELLED;
      continue;
    }
    if (a->status != MODEL_ASSIGNMENT_APPROVED)
      continue;
    gint request = model_dataset_find_request(dataset, a->request_id);
    gint employee = model_dataset_find_employee(dataset, a->employee_id);
    g_assert_cmpint(request, >=, 0);
    g_assert_cmpint(employee, >=, 0);
    EngineProposal p = {.request = (guint)request, .employee = (guint)employee, .slot = a->slot};
    g_array_append_val(proposals, p);
    a->status = MODEL_ASSIGNMENT_PROPOSED;
  }
  g_autoptr(GPtrArray) violations = engine_check(dataset, NULL, proposals);
  for (guint i = 0; i < violations->len; i++)
    g_test_message("%s", ((EngineViolation *)g_ptr_array_index(violations, i))->message);
  g_assert_cmpuint(violations->len, ==, 0);
  return proposals->len;
}

void dur_record_error(GMutex *lock, GPtrArray *errors, guint max_kept, const char *format, ...) {
  va_list args;
  va_start(args, format);
  char *message = g_strdup_vprintf(format, args);
  va_end(args);
  g_mutex_lock(lock);
  if (errors->len < max_kept)
    g_ptr_array_add(errors, message);
  else
    g_free(message);
  g_mutex_unlock(lock);
}

void dur_assert_no_errors(const GPtrArray *errors) {
  for (guint i = 0; i < errors->len; i++)
    g_test_message("%s", (const char *)g_ptr_array_index(errors, i));
  g_assert_cmpuint(errors->len, ==, 0);
}
