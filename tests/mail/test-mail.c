/* test-mail.c: the mail notifications end to end, against a real SMTP server.  Each
 * test starts Debian's aiosmtpd (smtp-sink.py, which writes every accepted message to
 * a folder) on a loopback port and the real `handen serve` pointed at it, makes
 * changes through the API, and parses what arrived back with Python's e-mail package
 * (parse-mail.py): every kind of message with its recipients, headers and attachment;
 * the server stopped while events occur, then started (everything arrives once);
 * `handen serve` killed with SIGKILL between the change and the send (nothing lost, at
 * most one duplicate, with the same Message-ID); the limit per recipient per hour.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "durability.h"
#include "store-target.h"

#define PYTHON "/usr/bin/python3"
#define FROM "noreply@handen.test"
#define COORDINATOR "coordinator@almere.test"
#define WAIT_S 60

/* ---- the SMTP server ------------------------------------------------------ */

typedef struct {
  GPid pid;
  guint16 port;
} Sink;

static char *script(const char *name) {
  const char *dir = g_getenv("HANDEN_MAIL_TESTS");
  g_assert_nonnull(dir);
  return g_build_filename(dir, name, NULL);
}

/* Starts the server writing to `folder` on `port` (0: a free one). */
static Sink sink_start(const char *folder, guint16 port) {
  g_autofree char *path = script("smtp-sink.py");
  g_autofree char *port_text = g_strdup_printf("%u", port);
  const char *argv[] = {PYTHON, path, folder, port_text, NULL};
  Sink sink = {0};
  int out = -1;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                         NULL, &sink.pid, NULL, &out, NULL, &error));
  g_assert_no_error(error);
  char line[64] = "";
  gsize n = 0;
  for (char c = 0; n + 1 < sizeof line && read(out, &c, 1) == 1 && c != '\n';)
    line[n++] = c;
  close(out);
  guint64 value = 0;
  g_assert_true(g_str_has_prefix(line, "port "));
  g_assert_true(g_ascii_string_to_unsigned(line + 5, 10, 1, 65535, &value, NULL));
  sink.port = (guint16)value;
  return sink;
}

/* Stops the server; one that outlives SIGTERM by ten seconds is killed and the test
 * fails, rather than hang with the test's output still open in it. */
static void sink_stop(Sink *sink) {
  g_assert_cmpint(kill(sink->pid, SIGTERM), ==, 0);
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 200 && (done = waitpid(sink->pid, &status, WNOHANG)) == 0; i++)
    g_usleep(50 * 1000);
  if (done == 0) {
    kill(sink->pid, SIGKILL);
    waitpid(sink->pid, &status, 0);
  }
  g_assert_cmpint(done, ==, sink->pid);
  g_spawn_close_pid(sink->pid);
  sink->pid = 0;
}

static guint mail_count(const char *folder) {
  g_autoptr(GDir) dir = g_dir_open(folder, 0, NULL);
  guint n = 0;
  for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;)
    n += g_str_has_suffix(name, ".eml");
  return n;
}

/* Waits until at least `n` messages arrived. */
static void mail_wait(const char *folder, guint n) {
  for (int i = 0; i < WAIT_S * 20 && mail_count(folder) < n; i++)
    g_usleep(50 * 1000);
  g_assert_cmpuint(mail_count(folder), >=, n);
}

/* Every message in `folder`, parsed (a JSON array, transfer full). */
static json_object *mail_read(const char *folder) {
  g_autofree char *path = script("parse-mail.py");
  const char *argv[] = {PYTHON, path, folder, NULL};
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                             &status, &error));
  g_assert_no_error(error);
  if (status != 0)
    g_test_message("parse-mail.py: %s", err);
  g_assert_cmpint(status, ==, 0);
  json_object *messages = json_tokener_parse(out);
  g_assert_true(json_object_is_type(messages, json_type_array));
  return messages;
}

static const char *str(json_object *object, const char *key) {
  json_object *value = json_object_object_get(object, key);
  return value != NULL ? json_object_get_string(value) : NULL;
}

/* The outbox id in a Message-ID "<handen.ID.TIME@handen.test>", or -1. */
static gint64 outbox_id(const char *message_id) {
  gint64 id = -1, time = -1;
  char domain[64] = "";
  if (message_id == NULL ||
      sscanf(message_id, "<handen.%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT "@%63[^>]>", &id, &time,
             domain) != 3 ||
      strcmp(domain, "handen.test") != 0)
    return -1;
  return id;
}

/* Checks what every message must have; returns how often each outbox id arrived. */
static GHashTable *check_all(json_object *messages) {
  GHashTable *seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
  for (gsize i = 0; i < json_object_array_length(messages); i++) {
    json_object *m = json_object_array_get_idx(messages, i);
    g_assert_true(json_object_get_boolean(json_object_object_get(m, "crlf")));
    g_assert_true(json_object_get_boolean(json_object_object_get(m, "short_lines")));
    g_assert_cmpint(json_object_get_int(json_object_object_get(m, "defects")), ==, 0);
    g_assert_cmpstr(str(m, "from"), ==, "handen <" FROM ">");
    json_object *envelope = json_object_object_get(m, "envelope_to");
    g_assert_cmpuint(json_object_array_length(envelope), ==, 1);
    g_assert_cmpstr(json_object_get_string(json_object_array_get_idx(envelope, 0)), ==,
                    str(m, "to_address"));
    gint64 id = outbox_id(str(m, "message_id"));
    g_assert_cmpint(id, >, 0);
    gint64 *key = g_new(gint64, 1);
    *key = id;
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key));
    g_hash_table_replace(seen, key, GUINT_TO_POINTER(n + 1));
  }
  return seen;
}

/* The messages to `address`, in arrival order (borrowed from `messages`). */
static GPtrArray *to(json_object *messages, const char *address) {
  GPtrArray *found = g_ptr_array_new();
  for (gsize i = 0; i < json_object_array_length(messages); i++) {
    json_object *m = json_object_array_get_idx(messages, i);
    if (g_strcmp0(str(m, "to_address"), address) == 0)
      g_ptr_array_add(found, m);
  }
  return found;
}

/* The text of the part of type `type`, or NULL. */
static const char *part(json_object *message, const char *type, json_object **out_part) {
  json_object *parts = json_object_object_get(message, "parts");
  for (gsize i = 0; i < json_object_array_length(parts); i++) {
    json_object *p = json_object_array_get_idx(parts, i);
    if (g_strcmp0(str(p, "type"), type) == 0) {
      if (out_part != NULL)
        *out_part = p;
      return str(p, "text");
    }
  }
  return NULL;
}

/* ---- the store and the server -------------------------------------------- */

/* Every school, organisation and employee gets an address: schools
 * ID@school.test named "Ölçer ID", organisations ID@org.test, employees ID@staff.test
 * with a phone numbered in the order of their ids. */
static void give_contacts(const char *db_path) {
  store_target_exec(db_path, "UPDATE schools SET contact_email = lower(id) || '@school.test',"
                             " contact_name = 'Ölçer ' || id;"
                             "UPDATE organisations SET contact_email = id || '@org.test';"
                             "UPDATE employees SET email = id || '@staff.test',"
                             " phone = '06-' || (10000000 + (SELECT count(*) FROM employees o"
                             " WHERE o.id <= employees.id));");
}

static HttpServer *serve_reminding(DurStore *store, guint16 smtp_port, const char *limit,
                                   const char *remind_days) {
  g_autofree char *url = g_strdup_printf("smtp://127.0.0.1:%u", smtp_port);
  const char *args[] = {"--smtp-url",
                        url,
                        "--mail-from",
                        FROM,
                        "--public-url",
                        "https://handen.test",
                        "--coordinator-mail",
                        COORDINATOR,
                        "--mail-retry-max",
                        "1",
                        "--mail-limit",
                        limit,
                        "--remind-after-days",
                        remind_days,
                        NULL};
  g_autoptr(GError) error = NULL;
  HttpServer *server = http_server_start(store->db_path, args, &error);
  g_assert_no_error(error);
  return server;
}

static HttpServer *serve(DurStore *store, guint16 smtp_port, const char *limit) {
  return serve_reminding(store, smtp_port, limit, "0");
}

static void kill_server(HttpServer *server) {
  g_assert_cmpint(kill(server->pid, SIGKILL), ==, 0);
  int status = 0;
  g_assert_cmpint(waitpid(server->pid, &status, 0), ==, server->pid);
  g_assert_true(WIFSIGNALED(status));
  g_spawn_close_pid(server->pid);
  g_free(server);
}

/* `n` proposals of `organisation`'s employees (NULL: anyone's), no employee twice
 * (transfer full). */
static GPtrArray *proposals_of(HttpClient *client, const char *auth, const char *organisation,
                               guint n) {
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, auth, "GET", "/v1/proposals?limit=500", NULL, &json), ==, 200);
  json_object *items = json_object_object_get(json, "items");
  GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GHashTable) employees = g_hash_table_new(g_str_hash, g_str_equal);
  for (gsize i = 0; i < json_object_array_length(items) && ids->len < n; i++) {
    json_object *p = json_object_array_get_idx(items, i);
    if ((organisation != NULL && g_strcmp0(str(p, "organisation"), organisation) != 0) ||
        !g_hash_table_add(employees, (gpointer)str(p, "employee")))
      continue;
    g_ptr_array_add(ids, g_strdup(str(p, "id")));
  }
  g_assert_cmpuint(ids->len, ==, n);
  json_object_put(json);
  return ids;
}

/* GET /v1/outbox as the coordinator (transfer full). */
static json_object *outbox(HttpClient *client, DurStore *store) {
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, store->coordinator, "GET", "/v1/outbox?limit=500", NULL, &json),
                   ==, 200);
  return json;
}

static gint64 outbox_int(json_object *json, const char *key) {
  return json_object_get_int64(json_object_object_get(json, key));
}

/* A test's store (with contacts), folder and SMTP server. */
typedef struct {
  DurStore *store;
  char *folder;
  Sink sink;
} Setup;

static void setup(Setup *s) {
  s->store = dur_store_new();
  give_contacts(s->store->db_path);
  s->folder = g_build_filename(s->store->dir, "mail", NULL);
  g_assert_cmpint(g_mkdir(s->folder, 0700), ==, 0);
  s->sink = sink_start(s->folder, 0);
}

static void teardown(Setup *s) {
  if (s->sink.pid != 0)
    sink_stop(&s->sink);
  g_autoptr(GDir) dir = g_dir_open(s->folder, 0, NULL);
  for (const char *name; dir != NULL && (name = g_dir_read_name(dir)) != NULL;) {
    g_autofree char *path = g_build_filename(s->folder, name, NULL);
    g_remove(path);
  }
  g_rmdir(s->folder);
  g_free(s->folder);
  dur_store_free(s->store);
}

static gint64 approve(HttpClient *client, DurStore *store, const char *id) {
  g_autofree char *target = g_strdup_printf("/v1/proposals/%s/approve", id);
  return dur_call(client, store->coordinator, "POST", target, NULL, NULL);
}

/* setup(), then handen serving the store with `limit` messages per recipient an hour.
 * Returns the server, its client in *out_client. */
static HttpServer *setup_serving(Setup *s, const char *limit, HttpClient **out_client) {
  setup(s);
  HttpServer *server = serve(s->store, s->sink.port, limit);
  *out_client = dur_connect(server->port);
  return server;
}

/* ---- every kind of message ------------------------------------------------ */

static void test_kinds(void) {
  Setup s = {0};
  g_autoptr(HttpClient) client = NULL;
  HttpServer *server = setup_serving(&s, "30", &client);
  DurStore *store = s.store;
  /* A request posted and changed: the coordinator hears of both. */
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, store->school, "POST", "/v1/requests",
                            "{\"staff_needed\": 1, \"slots\": [{\"date\": \"2020-04-20\","
                            " \"part\": \"morning\"}]}",
                            &json),
                   ==, 201);
  g_autofree char *request = g_strdup(str(json, "id"));
  json_object_put(json);
  g_autofree char *target = g_strdup_printf("/v1/requests/%s", request);
  g_assert_cmpuint(
      dur_call(client, store->school, "PATCH", target, "{\"note\": \"Groep 5\"}", NULL), ==, 200);
  /* A round: one digest, however many proposals. */
  dur_run_round(client, store->coordinator);
  gint64 proposed = store_target_int(store->db_path, "SELECT count(*) FROM assignments"
                                                     " WHERE status = 'proposed'");
  g_assert_cmpint(proposed, >, 10);
  /* Approve one, reject another, cancel the approved one. */
  g_autoptr(GPtrArray) ids = proposals_of(client, store->coordinator, "org-01", 2);
  const char *approved = g_ptr_array_index(ids, 0), *rejected = g_ptr_array_index(ids, 1);
  g_assert_cmpint(approve(client, store, approved), ==, 200);
  g_autofree char *reject = g_strdup_printf("/v1/proposals/%s/reject", rejected);
  g_assert_cmpuint(
      dur_call(client, store->coordinator, "POST", reject, "{\"reason\": \"te ver\"}", NULL), ==,
      200);
  g_autofree char *cancel = g_strdup_printf("/v1/assignments/%s/cancel", approved);
  g_assert_cmpuint(
      dur_call(client, store->coordinator, "POST", cancel, "{\"reason\": \"ziek\"}", NULL), ==,
      200);
  /* 2 request messages + 1 digest + 3 approval + 1 rejection + 4 cancellation. */
  mail_wait(s.folder, 11);
  g_usleep(1500 * 1000);
  g_assert_cmpuint(mail_count(s.folder), ==, 11);

  json_object *messages = mail_read(s.folder);
  g_autoptr(GHashTable) seen = check_all(messages);
  g_assert_cmpuint(g_hash_table_size(seen), ==, 11);
  /* Who was approved, where, and their phone. */
  g_autofree char *school_id = NULL, *employee = NULL, *phone = NULL;
  {
    g_autofree char *where = g_strdup_printf(
        " FROM assignments a JOIN requests r ON r.id = a.request_id JOIN employees e"
        " ON e.id = a.employee_id WHERE a.id = '%s'",
        approved);
    g_autofree char *school_sql = g_strconcat("SELECT r.school_id", where, NULL);
    g_autofree char *employee_sql = g_strconcat("SELECT a.employee_id", where, NULL);
    g_autofree char *phone_sql = g_strconcat("SELECT e.phone", where, NULL);
    school_id = store_target_text(store->db_path, school_sql);
    employee = store_target_text(store->db_path, employee_sql);
    phone = store_target_text(store->db_path, phone_sql);
    g_assert_nonnull(school_id);
  }

  /* The coordinator: new request, changed request, the digest, the cancellation. */
  g_autoptr(GPtrArray) coordinator = to(messages, COORDINATOR);
  g_assert_cmpuint(coordinator->len, ==, 4);
  g_autofree char *posted = g_strdup_printf("Nieuwe hulpvraag %s van ", request);
  g_assert_true(g_str_has_prefix(str(coordinator->pdata[0], "subject"), posted));
  g_autofree char *changed = g_strdup_printf("Hulpvraag %s van ", request);
  g_assert_true(g_str_has_prefix(str(coordinator->pdata[1], "subject"), changed));
  g_assert_true(g_str_has_suffix(str(coordinator->pdata[1], "subject"), " gewijzigd"));
  g_autofree char *digest = g_strdup_printf(
      "Ronde 1 klaar: %" G_GINT64_FORMAT " voorstellen wachten op besluit, ", proposed);
  g_assert_true(g_str_has_prefix(str(coordinator->pdata[2], "subject"), digest));
  g_assert_nonnull(strstr(part(coordinator->pdata[2], "text/plain", NULL),
                          "https://handen.test/#/coordinator/proposals"));
  g_assert_true(g_str_has_prefix(str(coordinator->pdata[3], "subject"), "Inzet geannuleerd bij "));
  /* The coordinator is never sent an employee's phone. */
  g_assert_null(strstr(part(coordinator->pdata[3], "text/plain", NULL), phone));

  /* The school: who comes, with the phone, under an encoded name; then the slot open. */
  g_autofree char *school_mail = g_ascii_strdown(school_id, -1);
  g_autofree char *school_address = g_strconcat(school_mail, "@school.test", NULL);
  g_autoptr(GPtrArray) school = to(messages, school_address);
  g_assert_cmpuint(school->len, ==, 2);
  g_autofree char *name = g_strconcat("Ölçer ", school_id, NULL);
  g_assert_cmpstr(str(school->pdata[0], "to_name"), ==, name);
  g_assert_true(g_str_has_prefix(str(school->pdata[0], "subject"), "Extra handen: "));
  const char *text = part(school->pdata[0], "text/plain", NULL);
  g_assert_nonnull(strstr(text, phone));
  g_assert_nonnull(strstr(text, "Beste Ölçer "));
  g_assert_nonnull(strstr(text, "https://handen.test/#/school"));
  g_assert_cmpstr(str(school->pdata[0], "content_type"), ==, "text/plain");
  g_assert_true(g_str_has_suffix(str(school->pdata[1], "subject"), "nieuw voorstel volgt"));
  g_assert_nonnull(strstr(part(school->pdata[1], "text/plain", NULL), "ziek"));

  /* The organisation's planner: approved, not gone ahead (with the reason), cancelled. */
  g_autoptr(GPtrArray) org = to(messages, "org-01@org.test");
  g_assert_cmpuint(org->len, ==, 3);
  g_assert_true(g_str_has_prefix(str(org->pdata[0], "subject"), "Inzet goedgekeurd: "));
  g_assert_true(g_str_has_prefix(str(org->pdata[1], "subject"), "Inzet niet doorgegaan: "));
  g_assert_nonnull(strstr(part(org->pdata[1], "text/plain", NULL), "te ver"));
  g_assert_true(g_str_has_prefix(str(org->pdata[2], "subject"), "Inzet geannuleerd: "));

  /* The employee: the shift as an .ics to add, then to remove. */
  g_autofree char *employee_address = g_strconcat(employee, "@staff.test", NULL);
  g_autoptr(GPtrArray) staff = to(messages, employee_address);
  g_assert_cmpuint(staff->len, ==, 2);
  g_autofree char *uid = g_strdup_printf("UID:%s@handen\r\n", approved);
  for (guint i = 0; i < 2; i++) {
    json_object *m = staff->pdata[i], *calendar = NULL;
    g_assert_cmpstr(str(m, "content_type"), ==, "multipart/mixed");
    g_assert_nonnull(part(m, "text/plain", NULL));
    const char *ics = part(m, "text/calendar", &calendar);
    g_assert_nonnull(ics);
    g_assert_cmpstr(str(calendar, "filename"), ==, "noodopvang.ics");
    g_assert_cmpstr(str(calendar, "charset"), ==, "utf-8");
    g_assert_cmpstr(str(calendar, "method"), ==, i == 0 ? "PUBLISH" : "CANCEL");
    g_assert_nonnull(strstr(ics, uid));
    g_assert_nonnull(strstr(ics, i == 0 ? "STATUS:CONFIRMED" : "STATUS:CANCELLED"));
    g_assert_nonnull(strstr(ics, i == 0 ? "SEQUENCE:0" : "SEQUENCE:1"));
    g_assert_true(g_str_has_prefix(ics, "BEGIN:VCALENDAR\r\n"));
  }
  g_assert_true(g_str_has_prefix(str(staff->pdata[0], "subject"), "Je inzet bij "));
  g_assert_true(g_str_has_suffix(str(staff->pdata[1], "subject"), " gaat niet door"));
  json_object_put(messages);

  /* The coordinator sees it all sent, an employee's address never. */
  json = outbox(client, store);
  g_assert_cmpint(outbox_int(json, "sent"), ==, 11);
  g_assert_cmpint(outbox_int(json, "pending"), ==, 0);
  g_assert_cmpint(outbox_int(json, "limit_per_hour"), ==, 30);
  g_assert_null(strstr(json_object_to_json_string(json), "@staff.test"));
  json_object_put(json);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

/* ---- the mail server down ------------------------------------------------- */

/* Approves `n` proposals (one per employee): 3 messages each. */
static void approve_some(HttpClient *client, DurStore *store, guint n) {
  g_autoptr(GPtrArray) ids = proposals_of(client, store->coordinator, NULL, n);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint(approve(client, store, g_ptr_array_index(ids, i)), ==, 200);
}

/* Every outbox row arrived at least once and at most `max` times, and nothing else. */
static void assert_delivered(Setup *s, guint max) {
  gint64 rows = store_target_int(s->store->db_path, "SELECT count(*) FROM outbox");
  for (int i = 0; i < WAIT_S * 20; i++) {
    if (store_target_int(s->store->db_path, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") ==
        0)
      break;
    g_usleep(50 * 1000);
  }
  g_assert_cmpint(
      store_target_int(s->store->db_path, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"), ==,
      0);
  g_usleep(1500 * 1000); /* nothing more comes */
  json_object *messages = mail_read(s->folder);
  g_autoptr(GHashTable) seen = check_all(messages);
  json_object_put(messages);
  g_assert_cmpuint(g_hash_table_size(seen), ==, (guint)rows);
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, seen);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    g_assert_cmpint(*(gint64 *)key, >=, 1);
    g_assert_cmpint(*(gint64 *)key, <=, rows);
    g_assert_cmpuint(GPOINTER_TO_UINT(value), <=, max);
  }
}

/* setup(), then stops the mail server (its port kept in s->sink.port, for a restart)
 * and has handen serve the store with `limit` messages per recipient an hour, run a
 * round and approve `n` proposals, so that their mail waits in the outbox.  Returns
 * the server, its client in *out_client. */
static HttpServer *setup_approved_while_down(Setup *s, const char *limit, guint n,
                                             HttpClient **out_client) {
  setup(s);
  sink_stop(&s->sink);
  HttpServer *server = serve(s->store, s->sink.port, limit);
  *out_client = dur_connect(server->port);
  dur_run_round(*out_client, s->store->coordinator);
  approve_some(*out_client, s->store, n);
  return server;
}

static void test_server_down(void) {
  Setup s = {0};
  g_autoptr(HttpClient) client = NULL;
  HttpServer *server = setup_approved_while_down(&s, "30", 2, &client);
  guint16 port = s.sink.port;
  /* 1 digest + 2 x 3: tried, failed, waiting. */
  for (int i = 0;
       i < WAIT_S * 20 &&
       store_target_int(s.store->db_path, "SELECT coalesce(min(attempts), 0) FROM outbox") < 2;
       i++)
    g_usleep(50 * 1000);
  json_object *json = outbox(client, s.store);
  g_assert_cmpint(outbox_int(json, "pending"), ==, 7);
  g_assert_cmpint(outbox_int(json, "sent"), ==, 0);
  json_object *first = json_object_array_get_idx(json_object_object_get(json, "items"), 0);
  g_assert_cmpint(outbox_int(first, "attempts"), >=, 1);
  g_assert_nonnull(str(first, "last_error"));
  g_assert_nonnull(str(first, "next_attempt_at"));
  json_object_put(json);
  g_assert_cmpuint(mail_count(s.folder), ==, 0);
  /* The server comes back on the same port: everything arrives, once. */
  s.sink = sink_start(s.folder, port);
  mail_wait(s.folder, 7);
  assert_delivered(&s, 1);
  g_assert_cmpuint(mail_count(s.folder), ==, 7);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

/* ---- SIGKILL between the change and the send ------------------------------ */

static void test_sigkill(void) {
  Setup s = {0};
  /* Committed and answered, not yet sent: the mail server is down, then handen dies. */
  g_autoptr(HttpClient) client = NULL;
  HttpServer *server = setup_approved_while_down(&s, "1000", 3, &client);
  guint16 port = s.sink.port;
  kill_server(server);
  s.sink = sink_start(s.folder, port);
  server = serve(s.store, port, "1000");
  mail_wait(s.folder, 10);
  assert_delivered(&s, 1);
  g_assert_cmpuint(mail_count(s.folder), ==, 10);

  /* Killed while sending: many messages queued, the kill once some have arrived. */
  http_client_free(g_steal_pointer(&client));
  client = dur_connect(server->port);
  guint before = mail_count(s.folder);
  approve_some(client, s.store, 25);
  mail_wait(s.folder, before + 1);
  kill_server(server);
  gint64 pending =
      store_target_int(s.store->db_path, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
  g_test_message("killed with %" G_GINT64_FORMAT " messages not marked sent", pending);
  server = serve(s.store, port, "1000");
  /* Nothing lost; a message the server accepted just before the kill may come twice,
   * with the same Message-ID. */
  assert_delivered(&s, 2);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

/* ---- the limit per recipient per hour ------------------------------------- */

static void test_rate_limit(void) {
  Setup s = {0};
  g_autoptr(HttpClient) client = NULL;
  HttpServer *server = setup_serving(&s, "2", &client);
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, s.store->school, "POST", "/v1/requests",
                            "{\"staff_needed\": 1, \"slots\": [{\"date\": \"2020-04-21\","
                            " \"part\": \"morning\"}]}",
                            &json),
                   ==, 201);
  g_autofree char *target = g_strdup_printf("/v1/requests/%s", str(json, "id"));
  json_object_put(json);
  for (int i = 1; i <= 3; i++) {
    g_autofree char *body = g_strdup_printf("{\"staff_needed\": %d}", i + 1);
    g_assert_cmpuint(dur_call(client, s.store->school, "PATCH", target, body, NULL), ==, 200);
  }
  /* Four messages to the coordinator: two this hour, two waiting for the next. */
  mail_wait(s.folder, 2);
  g_usleep(2500 * 1000);
  g_assert_cmpuint(mail_count(s.folder), ==, 2);
  json = outbox(client, s.store);
  g_assert_cmpint(outbox_int(json, "limit_per_hour"), ==, 2);
  g_assert_cmpint(outbox_int(json, "sent"), ==, 2);
  g_assert_cmpint(outbox_int(json, "pending"), ==, 2);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 4);
  for (gsize i = 2; i < 4; i++) {
    json_object *item = json_object_array_get_idx(items, i);
    g_assert_cmpstr(str(item, "recipient"), ==, COORDINATOR);
    g_assert_null(str(item, "sent_at"));
    g_assert_nonnull(strstr(str(item, "last_error"), "2 messages per hour"));
    g_assert_cmpint(outbox_int(item, "attempts"), ==, 0);
    /* Not before the hour after the first was sent. */
    g_assert_cmpstr(str(item, "next_attempt_at"), >,
                    str(json_object_array_get_idx(items, 0), "sent_at"));
  }
  json_object_put(json);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

/* ---- invitations ---------------------------------------------------------- */

/* The code in the invitation link of `message` (transfer full). */
static char *link_code(json_object *message) {
  const char *text = part(message, "text/plain", NULL);
  const char *at = strstr(text, "https://handen.test/#/signin?code=");
  g_assert_nonnull(at);
  at += strlen("https://handen.test/#/signin?code=");
  return g_strndup(at, strcspn(at, "\r\n"));
}

static void test_invitation(void) {
  Setup s = {0};
  g_autoptr(HttpClient) client = NULL;
  HttpServer *server = setup_serving(&s, "30", &client);
  DurStore *store = s.store;
  /* Only the coordinator invites, a school or an organisation, once. */
  g_assert_cmpuint(
      dur_call(client, store->school, "POST", "/v1/invitations", "{\"school\": \"31DJ00\"}", NULL),
      ==, 403);
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, store->coordinator, "POST", "/v1/invitations",
                            "{\"school\": \"31DJ00\", \"organisation\": \"org-01\"}", &json),
                   ==, 422);
  json_object_put(json);
  g_assert_cmpuint(dur_call(client, store->coordinator, "POST", "/v1/invitations",
                            "{\"school\": \"99XX00\"}", NULL),
                   ==, 404);
  g_assert_cmpuint(dur_call(client, store->coordinator, "POST", "/v1/invitations",
                            "{\"school\": \"31DJ00\", \"email\": \"not an address\"}", NULL),
                   ==, 422);
  g_assert_cmpuint(dur_call(client, store->coordinator, "POST", "/v1/invitations",
                            "{\"school\": \"31DJ00\"}", &json),
                   ==, 201);
  g_assert_cmpstr(str(json, "email"), ==, "31dj00@school.test");
  g_assert_null(str(json, "accepted_at"));
  g_assert_null(strstr(json_object_to_json_string(json), "hnd_"));
  json_object_put(json);
  g_assert_cmpuint(dur_call(client, store->coordinator, "POST", "/v1/invitations",
                            "{\"organisation\": \"org-01\", \"email\": \"nieuw@org.test\","
                            " \"expires_in_days\": 1}",
                            NULL),
                   ==, 201);
  mail_wait(s.folder, 2);
  json_object *messages = mail_read(s.folder);
  g_autoptr(GHashTable) seen = check_all(messages);
  g_autoptr(GPtrArray) school = to(messages, "31dj00@school.test");
  g_assert_cmpuint(school->len, ==, 1);
  g_assert_true(g_str_has_prefix(str(school->pdata[0], "subject"), "Uitnodiging voor handen: "));
  g_autofree char *code = link_code(school->pdata[0]);
  g_autoptr(GPtrArray) org = to(messages, "nieuw@org.test");
  g_assert_cmpuint(org->len, ==, 1);
  g_autofree char *org_code = link_code(org->pdata[0]);
  json_object_put(messages);
  /* Sent: the code is in the mailbox and no longer in the store. */
  for (int i = 0; i < WAIT_S * 20 && store_target_int(store->db_path, "SELECT count(*) FROM outbox"
                                                                      " WHERE sent_at IS NULL") > 0;
       i++)
    g_usleep(50 * 1000);
  g_assert_cmpint(store_target_int(store->db_path,
                                   "SELECT count(*) FROM outbox"
                                   " WHERE json_extract(facts, '$.code') IS NOT NULL"),
                  ==, 0);

  /* The link signs the school in, once. */
  g_autofree char *accept = g_strdup_printf("{\"code\": \"%s\"}", code);
  g_assert_cmpuint(dur_call(client, NULL, "POST", "/v1/invitations/accept", accept, &json), ==,
                   200);
  g_assert_cmpstr(str(json, "school"), ==, "31DJ00");
  g_autofree char *auth = g_strconcat("Authorization: Bearer ", str(json, "token"), NULL);
  json_object_put(json);
  g_assert_cmpuint(dur_call(client, auth, "GET", "/v1/me", NULL, &json), ==, 200);
  g_assert_cmpstr(str(json, "role"), ==, "school");
  g_assert_cmpstr(str(json_object_object_get(json, "school"), "id"), ==, "31DJ00");
  json_object_put(json);
  g_assert_cmpuint(dur_call(client, NULL, "POST", "/v1/invitations/accept", accept, &json), ==,
                   401);
  g_assert_nonnull(strstr(str(json_object_object_get(json, "error"), "message"), "already used"));
  json_object_put(json);
  g_assert_cmpuint(
      dur_call(client, NULL, "POST", "/v1/invitations/accept", "{\"code\": \"hnd_guessed\"}", NULL),
      ==, 401);
  /* Past its expiry, the organisation's link answers "expired". */
  store_target_exec(store->db_path, "UPDATE invitations SET expires_at = '2020-01-01T00:00:00Z'"
                                    " WHERE organisation_id = 'org-01'");
  g_autofree char *expired = g_strdup_printf("{\"code\": \"%s\"}", org_code);
  g_assert_cmpuint(dur_call(client, NULL, "POST", "/v1/invitations/accept", expired, &json), ==,
                   401);
  g_assert_cmpstr(str(json_object_object_get(json, "error"), "code"), ==, "expired");
  json_object_put(json);
  /* The coordinator sees who accepted. */
  g_assert_cmpuint(dur_call(client, store->coordinator, "GET", "/v1/invitations", NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 2);
  g_assert_nonnull(str(json_object_array_get_idx(items, 0), "accepted_at"));
  g_assert_null(str(json_object_array_get_idx(items, 1), "accepted_at"));
  json_object_put(json);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

/* ---- availability that goes stale ------------------------------------------ */

static void test_reminder(void) {
  Setup s = {0};
  setup(&s);
  /* Today is 2020-04-13 (HTTP_SERVER_TODAY): every availability was confirmed on the
   * 10th but e-002's, on 1 March, more than 14 days ago. */
  store_target_exec(s.store->db_path,
                    "UPDATE employees SET confirmed = '2020-04-10';"
                    "UPDATE employees SET confirmed = '2020-03-01' WHERE id = 'e-002'");
  HttpServer *server = serve_reminding(s.store, s.sink.port, "30", "14");
  g_autoptr(HttpClient) client = dur_connect(server->port);
  mail_wait(s.folder, 1);
  g_usleep(1000 * 1000);
  g_assert_cmpuint(mail_count(s.folder), ==, 1);
  json_object *messages = mail_read(s.folder);
  g_autoptr(GHashTable) seen = check_all(messages);
  json_object *m = json_object_array_get_idx(messages, 0);
  g_assert_cmpstr(str(m, "to_address"), ==, "org-01@org.test");
  g_assert_cmpstr(str(m, "subject"), ==, "Beschikbaarheid bevestigen: 1 medewerker");
  const char *text = part(m, "text/plain", NULL);
  g_assert_nonnull(strstr(text, "niet meer bevestigd sinds 2020-03-30"));
  g_assert_nonnull(strstr(text, "(laatst bevestigd: 2020-03-01)"));
  g_assert_nonnull(strstr(text, "https://handen.test/#/organisation"));
  json_object_put(messages);
  /* One click: confirmed as of today, the availability unchanged. */
  json_object *json = NULL;
  g_assert_cmpuint(
      dur_call(client, s.store->organisation, "POST", "/v1/employees/e-002/confirm", NULL, &json),
      ==, 200);
  g_assert_cmpstr(str(json, "confirmed"), ==, HTTP_SERVER_TODAY);
  json_object_put(json);
  g_assert_cmpuint(
      dur_call(client, s.store->school, "POST", "/v1/employees/e-002/confirm", NULL, NULL), ==,
      403);
  g_assert_cmpint(store_target_int(s.store->db_path, "SELECT count(*) FROM audit_log"
                                                     " WHERE action = 'employee.confirm'"),
                  ==, 1);
  g_assert_cmpint(http_server_stop(server), ==, 0);
  teardown(&s);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/mail/kinds", test_kinds);
  g_test_add_func("/mail/server-down", test_server_down);
  g_test_add_func("/mail/sigkill", test_sigkill);
  g_test_add_func("/mail/rate-limit", test_rate_limit);
  g_test_add_func("/mail/invitation", test_invitation);
  g_test_add_func("/mail/reminder", test_reminder);
  return g_test_run();
}
