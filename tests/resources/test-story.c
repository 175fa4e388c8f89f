/* test-story.c: the HTTP API end to end, as its users meet it: the real `handen serve`
 * on a store imported from the Almere fixtures, tokens made with `handen token
 * create`, and every request over a loopback socket.  A school asks for extra hands,
 * the coordinator runs a round and approves a proposal, the school learns who comes
 * (and not before), the employee's organisation sees the shift, the calendar feed and
 * the CSV have it, and all of it survives SIGTERM and a restart.  Then a race: many
 * clients approve conflicting proposals at once; exactly one wins, and the exported
 * store holds at most one approved assignment per employee and day part.  And the web
 * files over the wire: an entity tag and "no-cache", 304 for a tag the client holds.
 */
#include <glib/gstdio.h>
#include <json-c/json.h>

#include "store-target.h"
#include <string.h>
#include <sys/wait.h>

#include "http-client.h"

/* The school of the story (district duin) and the day parts it asks for. */
#define STORY_SCHOOL "31DJ00"
#define STORY_DATE "2020-05-06"
#define STORY_PART "afternoon"
/* How often a round's status is read before the test gives up, and the pause between
 * reads (a bound against hanging, not a timing assertion: an Almere round takes a
 * fraction of a second). */
#define ROUND_POLLS 600
#define ROUND_POLL_PAUSE_US 50000
/* Clients approving conflicting proposals at once. */
#define RACE_CLIENTS 16
#define RACE_DATE "2020-05-11"

typedef struct {
  char *dir;
  char *db_path;
  HttpServer *server;
  char *coordinator; /* "Authorization: Bearer ..." header lines */
  char *school;
} Story;

/* ---- helpers --------------------------------------------------------------- */

/* Runs handen with `args` (NULL-terminated), asserts exit status 0, returns stdout. */
static char *handen(const char *const *args) {
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = http_run_handen(args, &out, &err);
  if (status != 0)
    g_error("handen %s exited with %d: %s", args[0], status, err);
  return g_steal_pointer(&out);
}

/* Creates a token with `role` and `scope_option` `scope` (both may be NULL) and
 * returns its Authorization header line. */
static char *create_token(const Story *story, const char *role, const char *scope_option,
                          const char *scope) {
  const char *args[] = {"token",        "create",     "--role", role, "--db",
                        story->db_path, scope_option, scope,    NULL};
  g_autofree char *secret = handen(args);
  g_strchomp(secret);
  g_assert_true(g_str_has_prefix(secret, "hnd_"));
  return g_strconcat("Authorization: Bearer ", secret, NULL);
}

static void start_server(Story *story) {
  g_autoptr(GError) error = NULL;
  story->server = http_server_start(story->db_path, NULL, &error);
  g_assert_no_error(error);
  g_assert_nonnull(story->server);
}

/* SIGTERM, and the server must end with status 0. */
static void stop_server(Story *story) {
  int status = http_server_stop(g_steal_pointer(&story->server));
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* A store imported from the Almere fixtures, its two main tokens, the server up. */
static void story_set_up(Story *story) {
  g_autoptr(GError) error = NULL;
  story->dir = g_dir_make_tmp("handen-story-XXXXXX", &error);
  g_assert_no_error(error);
  story->db_path = store_target_new(story->dir);
  g_autofree char *fixture = g_build_filename(g_getenv("HANDEN_FIXTURES"), "almere.json", NULL);
  const char *import[] = {"import", "--replace", "--db", story->db_path, fixture, NULL};
  g_autofree char *imported = handen(import);
  g_assert_true(g_str_has_prefix(imported, "imported "));
  story->coordinator = create_token(story, "coordinator", NULL, NULL);
  story->school = create_token(story, "school", "--school", STORY_SCHOOL);
  start_server(story);
}

static void story_tear_down(Story *story) {
  if (story->server != NULL)
    stop_server(story);
  static const char *const files[] = {"handen.db", "handen.db-wal", "handen.db-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autofree char *path = g_build_filename(story->dir, files[i], NULL);
    (void)g_remove(path);
  }
  g_assert_cmpint(g_rmdir(story->dir), ==, 0);
  g_free(story->dir);
  g_free(story->db_path);
  g_free(story->coordinator);
  g_free(story->school);
}

/* One request on a fresh connection; returns the status and the reply in `reply`. */
static guint call(const Story *story, const char *authorization, const char *method,
                  const char *target, const char *body, HttpReply *reply) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(story->server->port, &error);
  g_assert_no_error(error);
  const char *headers[3] = {NULL, NULL, NULL};
  gsize n = 0;
  if (authorization != NULL)
    headers[n++] = authorization;
  if (body != NULL)
    headers[n++] = "Content-Type: application/json";
  g_assert_true(http_client_request(client, method, target, headers, body, reply, &error));
  g_assert_no_error(error);
  return reply->status;
}

/* The same for a JSON answer: asserts `status` and the content type, returns the
 * parsed body (transfer full). */
static json_object *call_json(const Story *story, const char *authorization, const char *method,
                              const char *target, const char *body, guint status) {
  HttpReply reply = {0};
  guint got = call(story, authorization, method, target, body, &reply);
  if (got != status)
    g_error("%s %s: expected %u, got %u: %s", method, target, status, got, reply.body);
  g_assert_cmpstr(http_reply_header(&reply, "Content-Type"), ==, "application/json");
  json_object *json = json_tokener_parse(reply.body);
  g_assert_nonnull(json);
  http_reply_clear(&reply);
  return json;
}

/* The body of a 200 reply with `content_type`, as text (transfer full). */
static char *call_text(const Story *story, const char *authorization, const char *target,
                       const char *content_type) {
  HttpReply reply = {0};
  g_assert_cmpuint(call(story, authorization, "GET", target, NULL, &reply), ==, 200);
  g_assert_cmpstr(http_reply_header(&reply, "Content-Type"), ==, content_type);
  char *body = g_steal_pointer(&reply.body);
  http_reply_clear(&reply);
  return body;
}

/* The string member `key` of `object`, or NULL. */
static const char *member(json_object *object, const char *key) {
  json_object *value = NULL;
  if (!json_object_object_get_ex(object, key, &value) ||
      !json_object_is_type(value, json_type_string))
    return NULL;
  return json_object_get_string(value);
}

static json_object *items(json_object *page) {
  json_object *list = NULL;
  g_assert_true(json_object_object_get_ex(page, "items", &list));
  g_assert_true(json_object_is_type(list, json_type_array));
  return list;
}

/* The item of a page whose `key` is `value`, or NULL. */
static json_object *find_item(json_object *page, const char *key, const char *value) {
  json_object *list = items(page);
  for (gsize i = 0; i < json_object_array_length(list); i++) {
    json_object *item = json_object_array_get_idx(list, i);
    if (g_strcmp0(member(item, key), value) == 0)
      return item;
  }
  return NULL;
}

/* An iCalendar text with its folded lines joined again (RFC 5545 3.1). */
static char *unfold(const char *ics) {
  g_auto(GStrv) parts = g_strsplit(ics, "\r\n ", -1);
  return g_strjoinv("", parts);
}

/* Starts a round over every district and waits until it is no longer running;
 * returns its final state (transfer full). */
static json_object *run_round(const Story *story) {
  HttpReply reply = {0};
  g_assert_cmpuint(call(story, story->coordinator, "POST", "/v1/rounds", NULL, &reply), ==, 202);
  json_object *started = json_tokener_parse(reply.body);
  g_assert_cmpstr(member(started, "status"), ==, "running");
  json_object *id_value = NULL;
  g_assert_true(json_object_object_get_ex(started, "id", &id_value));
  g_autofree char *target =
      g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, json_object_get_int64(id_value));
  g_assert_cmpstr(http_reply_header(&reply, "Location"), ==, target);
  json_object_put(started);
  http_reply_clear(&reply);
  for (int poll = 0; poll < ROUND_POLLS; poll++) {
    json_object *round = call_json(story, story->coordinator, "GET", target, NULL, 200);
    if (g_strcmp0(member(round, "status"), "running") != 0)
      return round;
    json_object_put(round);
    g_usleep(ROUND_POLL_PAUSE_US);
  }
  g_error("round %s did not finish", target);
}

/* ---- the story ---------------------------------------------------------------- */

/* What the story looks at again after the restart, byte for byte. */
typedef struct {
  char *request_view;
  char *school_assignments;
  char *round;
  char *calendar;
  char *csv;
} Seen;

static void seen_clear(Seen *seen) {
  g_free(seen->request_view);
  g_free(seen->school_assignments);
  g_free(seen->round);
  g_free(seen->calendar);
  g_free(seen->csv);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Seen, seen_clear)

static void look(const Story *story, const char *request_path, const char *round_path, Seen *seen) {
  seen->request_view = call_text(story, story->school, request_path, "application/json");
  seen->school_assignments = call_text(story, story->school, "/v1/assignments", "application/json");
  seen->round = call_text(story, story->coordinator, round_path, "application/json");
  seen->calendar = call_text(story, story->school, "/v1/schools/" STORY_SCHOOL "/calendar.ics",
                             "text/calendar; charset=utf-8");
  seen->csv =
      call_text(story, story->coordinator, "/v1/assignments.csv", "text/csv; charset=utf-8");
}

static void test_story(void) {
  Story story = {0};
  story_set_up(&story);

  /* Anyone may ask whether the service is up. */
  json_object *health = call_json(&story, NULL, "GET", "/v1/health", NULL, 200);
  g_assert_cmpstr(member(health, "status"), ==, "ok");
  json_object_put(health);

  /* The school asks for one extra hand on two day parts. */
  json_object *created = call_json(
      &story, story.school, "POST", "/v1/requests",
      "{\"staff_needed\": 1, \"slots\": [{\"date\": \"" STORY_DATE "\", \"part\": \"" STORY_PART
      "\"}, {\"date\": \"2020-05-07\", \"part\": \"morning\"}], \"note\": \"Groep 3 en 4\"}",
      201);
  g_autofree char *request_id = g_strdup(member(created, "id"));
  g_assert_nonnull(request_id);
  g_assert_cmpstr(member(created, "school"), ==, STORY_SCHOOL);
  g_assert_cmpstr(member(created, "district"), ==, "duin");
  g_assert_cmpstr(member(created, "status"), ==, "open");
  json_object_put(created);
  g_autofree char *request_path = g_strdup_printf("/v1/requests/%s", request_id);

  /* The coordinator runs a round over every district. */
  json_object *round = run_round(&story);
  g_assert_cmpstr(member(round, "status"), ==, "finished");
  json_object *id_value = NULL;
  g_assert_true(json_object_object_get_ex(round, "id", &id_value));
  g_autofree char *round_path =
      g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, json_object_get_int64(id_value));
  json_object_put(round);

  /* Its proposals for the school's request: one per day part. */
  g_autofree char *proposals_target = g_strdup_printf("/v1/proposals?request=%s", request_id);
  json_object *proposals = call_json(&story, story.coordinator, "GET", proposals_target, NULL, 200);
  g_assert_cmpuint(json_object_array_length(items(proposals)), ==, 2);
  json_object *proposal = find_item(proposals, "part", STORY_PART);
  g_assert_nonnull(proposal);
  g_assert_cmpstr(member(proposal, "date"), ==, STORY_DATE);
  g_assert_cmpstr(member(proposal, "status"), ==, "proposed");
  g_autofree char *assignment_id = g_strdup(member(proposal, "id"));
  g_autofree char *employee_id = g_strdup(member(proposal, "employee"));
  g_autofree char *employee_name = g_strdup(member(proposal, "employee_name"));
  g_autofree char *organisation_id = g_strdup(member(proposal, "organisation"));
  g_autofree char *organisation_name = g_strdup(member(proposal, "organisation_name"));
  g_assert_nonnull(employee_name);
  g_assert_nonnull(organisation_name);
  json_object_put(proposals);

  /* Before the approval the school learns nothing about who might come, only that a
   * proposal waits in that day part (and none in the other: both are counted apart). */
  json_object *waiting = call_json(&story, story.school, "GET", request_path, NULL, 200);
  json_object *waiting_slots = json_object_object_get(waiting, "staffing");
  json_object *waiting_first = json_object_array_get_idx(waiting_slots, 0);
  g_assert_cmpstr(member(waiting_first, "date"), ==, STORY_DATE);
  g_assert_cmpint(json_object_get_int(json_object_object_get(waiting_first, "proposed")), ==, 1);
  g_assert_cmpint(json_object_get_int(json_object_object_get(waiting_first, "approved")), ==, 0);
  json_object_put(waiting);
  g_autofree char *view_before = call_text(&story, story.school, request_path, "application/json");
  g_assert_null(strstr(view_before, employee_name));
  g_assert_null(strstr(view_before, employee_id));
  json_object *school_before = call_json(&story, story.school, "GET", "/v1/assignments", NULL, 200);
  g_assert_null(find_item(school_before, "request", request_id));
  g_assert_null(find_item(school_before, "id", assignment_id));
  json_object_put(school_before);
  json_object *forbidden = call_json(&story, story.school, "GET", proposals_target, NULL, 403);
  json_object_put(forbidden);
  g_autofree char *uid = g_strdup_printf("UID:%s@handen", assignment_id);
  g_autofree char *calendar_before =
      call_text(&story, story.school, "/v1/schools/" STORY_SCHOOL "/calendar.ics",
                "text/calendar; charset=utf-8");
  g_assert_null(strstr(calendar_before, uid));

  /* The coordinator approves. */
  g_autofree char *approve_path = g_strdup_printf("/v1/proposals/%s/approve", assignment_id);
  json_object *approved = call_json(&story, story.coordinator, "POST", approve_path, "{}", 200);
  g_assert_cmpstr(member(approved, "status"), ==, "approved");
  g_assert_true(g_str_has_prefix(member(approved, "decided_by"), "coordinator token "));
  json_object_put(approved);

  /* Now the school sees who comes and from which organisation. */
  json_object *view = call_json(&story, story.school, "GET", request_path, NULL, 200);
  json_object *staffing = NULL;
  g_assert_true(json_object_object_get_ex(view, "staffing", &staffing));
  json_object *first = json_object_array_get_idx(staffing, 0);
  g_assert_cmpstr(member(first, "date"), ==, STORY_DATE);
  json_object *approved_count = NULL;
  g_assert_true(json_object_object_get_ex(first, "approved", &approved_count));
  g_assert_cmpint(json_object_get_int(approved_count), ==, 1);
  g_assert_cmpint(json_object_get_int(json_object_object_get(first, "proposed")), ==, 0);
  json_object_put(view);
  /* The school's list says the same. */
  json_object *listed = call_json(&story, story.school, "GET", "/v1/requests", NULL, 200);
  json_object *listed_first = json_object_array_get_idx(
      json_object_object_get(find_item(listed, "id", request_id), "staffing"), 0);
  g_assert_cmpint(json_object_get_int(json_object_object_get(listed_first, "approved")), ==, 1);
  g_assert_cmpint(json_object_get_int(json_object_object_get(listed_first, "proposed")), ==, 0);
  json_object *listed_second = json_object_array_get_idx(
      json_object_object_get(find_item(listed, "id", request_id), "staffing"), 1);
  g_assert_cmpint(json_object_get_int(json_object_object_get(listed_second, "proposed")), ==, 1);
  json_object_put(listed);
  json_object *school_after = call_json(&story, story.school, "GET", "/v1/assignments", NULL, 200);
  json_object *shift = find_item(school_after, "id", assignment_id);
  g_assert_nonnull(shift);
  g_assert_cmpstr(member(shift, "request"), ==, request_id);
  g_assert_cmpstr(member(shift, "employee_name"), ==, employee_name);
  g_assert_cmpstr(member(shift, "organisation"), ==, organisation_id);
  g_assert_cmpstr(member(shift, "organisation_name"), ==, organisation_name);
  g_assert_false(json_object_object_get_ex(shift, "round", NULL));
  json_object_put(school_after);

  /* The employee's organisation sees the shift; another organisation does not. */
  g_autofree char *organisation =
      create_token(&story, "organisation", "--organisation", organisation_id);
  json_object *own = call_json(&story, organisation, "GET", "/v1/assignments", NULL, 200);
  json_object *own_shift = find_item(own, "id", assignment_id);
  g_assert_nonnull(own_shift);
  g_assert_cmpstr(member(own_shift, "employee"), ==, employee_id);
  g_assert_cmpstr(member(own_shift, "school"), ==, STORY_SCHOOL);
  json_object_put(own);
  const char *other_id = g_strcmp0(organisation_id, "org-02") != 0 ? "org-02" : "org-03";
  g_autofree char *other = create_token(&story, "organisation", "--organisation", other_id);
  json_object *others = call_json(&story, other, "GET", "/v1/assignments", NULL, 200);
  g_assert_null(find_item(others, "id", assignment_id));
  json_object_put(others);
  g_autofree char *employee_calendar_path =
      g_strdup_printf("/v1/employees/%s/calendar.ics", employee_id);
  g_autofree char *employee_calendar =
      call_text(&story, organisation, employee_calendar_path, "text/calendar; charset=utf-8");
  g_assert_nonnull(strstr(employee_calendar, uid));

  /* The school's calendar feed has the shift, at the afternoon's hours. */
  g_autofree char *calendar =
      call_text(&story, story.school, "/v1/schools/" STORY_SCHOOL "/calendar.ics",
                "text/calendar; charset=utf-8");
  g_assert_true(g_str_has_prefix(calendar, "BEGIN:VCALENDAR\r\n"));
  g_autofree char *unfolded = unfold(calendar);
  const char *event = strstr(unfolded, uid);
  g_assert_nonnull(event);
  g_assert_nonnull(strstr(event, "DTSTART;TZID=Europe/Amsterdam:20200506T124500\r\n"));
  g_assert_nonnull(strstr(event, "DTEND;TZID=Europe/Amsterdam:20200506T180000\r\n"));
  g_autofree char *summary =
      g_strdup_printf("SUMMARY:Noodopvang: %s (%s)\r\n", employee_name, organisation_name);
  g_assert_nonnull(strstr(event, summary));

  /* The CSV has it as a row. */
  g_autofree char *csv =
      call_text(&story, story.coordinator, "/v1/assignments.csv", "text/csv; charset=utf-8");
  g_assert_true(g_str_has_prefix(csv, "id,date,part,start,end,school,school_name,request,"
                                      "employee,employee_name,organisation,organisation_name\r\n"));
  g_autofree char *row = g_strdup_printf(
      "\r\n%s," STORY_DATE "," STORY_PART ",12:45,18:00," STORY_SCHOOL
      ",Openbare Basisschool De Zeeraket,%s,%s,"
      "%s,%s,%s\r\n",
      assignment_id, request_id, employee_id, employee_name, organisation_id, organisation_name);
  g_assert_nonnull(strstr(csv, row));

  /* SIGTERM, a restart on the same store: everything is still there, unchanged. */
  g_auto(Seen) before = {0};
  look(&story, request_path, round_path, &before);
  stop_server(&story);
  start_server(&story);
  g_auto(Seen) after = {0};
  look(&story, request_path, round_path, &after);
  g_assert_cmpstr(after.request_view, ==, before.request_view);
  g_assert_cmpstr(after.school_assignments, ==, before.school_assignments);
  g_assert_cmpstr(after.round, ==, before.round);
  g_assert_cmpstr(after.calendar, ==, before.calendar);
  g_assert_cmpstr(after.csv, ==, before.csv);
  g_assert_nonnull(strstr(after.csv, row));
  g_autofree char *decided_target = g_strdup_printf("%s&status=any", proposals_target);
  json_object *again = call_json(&story, story.coordinator, "GET", decided_target, NULL, 200);
  json_object *kept = find_item(again, "id", assignment_id);
  g_assert_nonnull(kept);
  g_assert_cmpstr(member(kept, "status"), ==, "approved");
  json_object_put(again);

  story_tear_down(&story);
}

/* ---- the race ------------------------------------------------------------------ */

typedef struct {
  const Story *story;
  const char *authorization;
  char *target; /* the approve path of this client's proposal */
  GMutex *lock; /* the start gate: every client connects, then waits for it */
  GCond *open;
  gint *ready;
  gboolean *go;
  guint status; /* results, read after the join */
  char *code;
  char *failure; /* a transport error, or NULL */
} Racer;

static gpointer race(gpointer data) {
  Racer *racer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(racer->story->server->port, &error);
  g_mutex_lock(racer->lock);
  (*racer->ready)++;
  g_cond_broadcast(racer->open);
  while (!*racer->go)
    g_cond_wait(racer->open, racer->lock);
  g_mutex_unlock(racer->lock);
  if (client == NULL) {
    racer->failure = g_strdup(error->message);
    return NULL;
  }
  const char *headers[] = {racer->authorization, "Content-Type: application/json", NULL};
  HttpReply reply = {0};
  if (!http_client_request(client, "POST", racer->target, headers, "{}", &reply, &error)) {
    racer->failure = g_strdup(error->message);
    return NULL;
  }
  racer->status = reply.status;
  json_object *json = json_tokener_parse(reply.body);
  json_object *problem = NULL;
  if (json != NULL && json_object_object_get_ex(json, "error", &problem))
    racer->code = g_strdup(member(problem, "code"));
  json_object_put(json);
  http_reply_clear(&reply);
  return NULL;
}

/* The approved assignments of an exported dataset: asserts that no employee is
 * approved twice in one day part, and returns how many of them have ids starting
 * with `prefix` and the id of the last such one. */
static guint check_export(const char *exported, const char *prefix, char **out_winner) {
  json_object *root = json_tokener_parse(exported);
  g_assert_nonnull(root);
  json_object *assignments = NULL;
  g_assert_true(json_object_object_get_ex(root, "assignments", &assignments));
  g_autoptr(GHashTable) taken = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint count = 0;
  for (gsize i = 0; i < json_object_array_length(assignments); i++) {
    json_object *a = json_object_array_get_idx(assignments, i);
    if (g_strcmp0(member(a, "status"), "approved") != 0)
      continue;
    char *key =
        g_strdup_printf("%s %s %s", member(a, "employee"), member(a, "date"), member(a, "part"));
    if (!g_hash_table_add(taken, key))
      g_error("%s is approved twice", key);
    if (g_str_has_prefix(member(a, "id"), prefix)) {
      count++;
      g_free(*out_winner);
      *out_winner = g_strdup(member(a, "id"));
    }
  }
  json_object_put(root);
  return count;
}

static void test_approval_race(void) {
  Story story = {0};
  story_set_up(&story);
  g_autofree char *organisation = create_token(&story, "organisation", "--organisation", "org-01");

  /* One employee, free on the race's morning, and RACE_CLIENTS requests for that
   * morning: each proposal is valid alone, any two of them conflict. */
  json_object *employee =
      call_json(&story, organisation, "POST", "/v1/employees",
                "{\"id\": \"e-race\", \"name\": \"Sam Renner\", \"district\": \"duin\","
                " \"qualifications\": [\"vog\", \"pm\"], \"max_parts_per_week\": 10,"
                " \"availability\": [{\"date\": \"" RACE_DATE "\", \"part\": \"morning\"}]}",
                201);
  json_object_put(employee);
  GString *proposals = g_string_new("BEGIN;");
  for (int i = 0; i < RACE_CLIENTS; i++) {
    g_autofree char *body = g_strdup_printf(
        "{\"id\": \"q-race-%02d\", \"staff_needed\": 1, \"slots\": [{\"date\": \"" RACE_DATE
        "\", \"part\": \"morning\"}]}",
        i);
    json_object_put(call_json(&story, story.school, "POST", "/v1/requests", body, 201));
    /* A round never proposes one person twice in a day part, so these are written
     * as an earlier, careless round could have left them. */
    g_string_append_printf(proposals,
                           "INSERT INTO assignments (id, request_id, employee_id, date, part,"
                           " status) VALUES ('p-race-%02d', 'q-race-%02d', 'e-race', '" RACE_DATE
                           "', 0, 'proposed');",
                           i, i);
  }
  g_string_append(proposals, "COMMIT;");
  store_target_exec(story.db_path, proposals->str);
  g_string_free(proposals, TRUE);

  GMutex lock;
  GCond open;
  g_mutex_init(&lock);
  g_cond_init(&open);
  gint ready = 0;
  gboolean go = FALSE;
  Racer racers[RACE_CLIENTS];
  GThread *threads[RACE_CLIENTS];
  for (int i = 0; i < RACE_CLIENTS; i++) {
    racers[i] = (Racer){.story = &story,
                        .authorization = story.coordinator,
                        .target = g_strdup_printf("/v1/proposals/p-race-%02d/approve", i),
                        .lock = &lock,
                        .open = &open,
                        .ready = &ready,
                        .go = &go};
    threads[i] = g_thread_new("racer", race, &racers[i]);
  }
  g_mutex_lock(&lock);
  while (ready < RACE_CLIENTS)
    g_cond_wait(&open, &lock);
  go = TRUE;
  g_cond_broadcast(&open);
  g_mutex_unlock(&lock);

  guint won = 0;
  g_autofree char *winner = NULL;
  for (int i = 0; i < RACE_CLIENTS; i++) {
    g_thread_join(threads[i]);
    g_assert_cmpstr(racers[i].failure, ==, NULL);
    if (racers[i].status == 200) {
      won++;
      winner = g_strdup_printf("p-race-%02d", i);
    } else {
      g_assert_cmpuint(racers[i].status, ==, 409);
      g_assert_cmpstr(racers[i].code, ==, "double_booked");
    }
    g_free(racers[i].target);
    g_free(racers[i].code);
  }
  g_mutex_clear(&lock);
  g_cond_clear(&open);
  g_assert_cmpuint(won, ==, 1);

  /* The store agrees: exactly the winner is approved, nobody twice in a day part. */
  stop_server(&story);
  const char *export[] = {"export", "--db", story.db_path, NULL};
  g_autofree char *exported = handen(export);
  g_autofree char *stored_winner = NULL;
  g_assert_cmpuint(check_export(exported, "p-race-", &stored_winner), ==, 1);
  g_assert_cmpstr(stored_winner, ==, winner);

  story_tear_down(&story);
}

/* ---- the web files over the wire: entity tags and 304 ------------------------ */

/* `method` `target` with one extra header line (may be NULL) on a fresh connection. */
static guint call_with(const Story *story, const char *method, const char *target,
                       const char *header, HttpReply *reply) {
  return call(story, header, method, target, NULL, reply);
}

static void test_web_revalidation(void) {
  Story story = {0};
  story_set_up(&story);
  HttpReply reply = {0};
  g_assert_cmpuint(call_with(&story, "GET", "/js/app.js", NULL, &reply), ==, 200);
  g_autofree char *etag = g_strdup(http_reply_header(&reply, "ETag"));
  g_assert_nonnull(etag);
  g_assert_true(etag[0] == '"' && g_str_has_suffix(etag, "\""));
  g_assert_cmpstr(http_reply_header(&reply, "Cache-Control"), ==, "no-cache");
  g_assert_cmpuint(reply.body_length, >, 0);
  http_reply_clear(&reply);

  /* The tag named back (alone, in a list, or weak): 304, no body, the same headers. */
  g_autofree char *alone = g_strdup_printf("If-None-Match: %s", etag);
  g_autofree char *listed = g_strdup_printf("If-None-Match: \"0000\", W/%s", etag);
  const char *const matching[] = {alone, listed, "If-None-Match: *"};
  for (gsize i = 0; i < G_N_ELEMENTS(matching); i++) {
    g_assert_cmpuint(call_with(&story, "GET", "/js/app.js", matching[i], &reply), ==, 304);
    g_assert_cmpuint(reply.body_length, ==, 0);
    g_assert_cmpstr(http_reply_header(&reply, "ETag"), ==, etag);
    g_assert_cmpstr(http_reply_header(&reply, "Cache-Control"), ==, "no-cache");
    http_reply_clear(&reply);
  }
  g_assert_cmpuint(call_with(&story, "HEAD", "/js/app.js", alone, &reply), ==, 304);
  http_reply_clear(&reply);
  /* Another file's tag, or another tag: the whole file. */
  g_assert_cmpuint(call_with(&story, "GET", "/js/api.js", alone, &reply), ==, 200);
  g_assert_cmpuint(reply.body_length, >, 0);
  http_reply_clear(&reply);
  g_assert_cmpuint(call_with(&story, "GET", "/js/app.js", "If-None-Match: \"0000\"", &reply), ==,
                   200);
  http_reply_clear(&reply);

  /* The API keeps "no-store" and has no tags, whatever the client sends. */
  g_assert_cmpuint(call_with(&story, "GET", "/v1/health", "If-None-Match: *", &reply), ==, 200);
  g_assert_cmpstr(http_reply_header(&reply, "Cache-Control"), ==, "no-store");
  g_assert_null(http_reply_header(&reply, "ETag"));
  http_reply_clear(&reply);

  /* And the pages learn who signed in from GET /v1/me. */
  json_object *me = call_json(&story, story.school, "GET", "/v1/me", NULL, 200);
  g_assert_cmpstr(member(me, "role"), ==, "school");
  g_assert_cmpstr(member(json_object_object_get(me, "school"), "id"), ==, STORY_SCHOOL);
  json_object_put(me);
  story_tear_down(&story);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/resources/story/request-to-calendar", test_story);
  g_test_add_func("/resources/story/approval-race", test_approval_race);
  g_test_add_func("/resources/story/web-revalidation", test_web_revalidation);
  return g_test_run();
}
