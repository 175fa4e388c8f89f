/* test-audit.c: the audit trail through the router in memory: every change through
 * the API writes its noun.verb row with object, district and actor; a coordinator
 * limited to districts reads theirs only; the list pages by id, oldest first or newest
 * first, and filters by who (actor contains) and what (an action or its family).
 */
#include <string.h>

#include "resources-fixture.h"

/* Employee t-1 and request q-1 in duin, proposals p-1 (q-1, approved by the
 * coordinator) and p-2 (haven's r-008, rejected by haven's coordinator). */
static void decide_two(Fixture *f) {
  fixture_employee(f, "t-1", "2020-06-01", 10);
  fixture_request(f, "q-1", "2020-06-01", 1);
  fixture_proposal(f, "p-1", "q-1", "t-1", "2020-06-01");
  fixture_proposal(f, "p-2", "r-008", "e-241", "2020-04-15");
  g_assert_cmpuint(
      fixture_call(f, f->coordinator, "POST", "/v1/proposals/p-1/approve", NULL, NULL, NULL), ==,
      200);
  g_assert_cmpuint(fixture_call(f, f->haven, "POST", "/v1/proposals/p-2/reject", NULL,
                                "{\"reason\": \"niet nodig\"}", NULL),
                   ==, 200);
}

/* Reads the whole audit log one entry a page with `query` (limit=1, in either order)
 * and asserts that the ids run one way (down with order=newest, from the newest) and
 * that every entry came once. */
static void page_by_one(Fixture *f, const char *query) {
  gboolean newest = strstr(query, "order=newest") != NULL;
  g_autofree char *cursor = NULL;
  gint64 pages = 0, last = newest ? G_MAXINT64 : 0;
  do {
    g_autofree char *page =
        cursor != NULL ? g_strdup_printf("%s&cursor=%s", query, cursor) : g_strdup(query);
    json_object *json = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/audit", page, NULL, &json), ==,
                     200);
    json_object *items = json_object_object_get(json, "items");
    g_assert_cmpuint(json_object_array_length(items), ==, 1);
    gint64 id =
        json_object_get_int64(json_object_object_get(json_object_array_get_idx(items, 0), "id"));
    if (newest)
      g_assert_cmpint(id, <, last);
    else
      g_assert_cmpint(id, >, last);
    if (pages == 0 && newest)
      g_assert_cmpint(id, ==, fixture_sql_int(f, "SELECT max(id) FROM audit_log"));
    last = id;
    g_free(cursor);
    cursor = g_strdup(fixture_string(json, "next_cursor", NULL));
    json_object_put(json);
    pages++;
  } while (cursor != NULL);
  g_assert_cmpint(pages, ==, fixture_sql_int(f, "SELECT count(*) FROM audit_log"));
}

/* The "action actor" of each entry `query` lists, by "|" (transfer full). */
static char *audit_lines(Fixture *f, const char *query) {
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/audit", query, NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  GString *text = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++) {
    json_object *item = json_object_array_get_idx(items, i);
    g_string_append_printf(text, "%s %s|", fixture_string(item, "action", NULL),
                           fixture_string(item, "actor", NULL));
  }
  json_object_put(json);
  return g_string_free(text, FALSE);
}

static void test_audit(Fixture *f, gconstpointer data) {
  (void)data;
  decide_two(f);
  g_assert_cmpuint(
      fixture_call(f, f->school, "POST", "/v1/assignments/p-1/cancel", NULL, NULL, NULL), ==, 200);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/audit", "limit=500", NULL, &json),
                   ==, 200);
  json_object *items = json_object_object_get(json, "items");
  GString *seen = g_string_new(NULL);
  for (gsize i = 0; i < json_object_array_length(items); i++) {
    json_object *item = json_object_array_get_idx(items, i);
    const char *object = fixture_string(item, "object", NULL);
    if (object == NULL || g_str_has_prefix(object, "tokens/"))
      continue;
    g_string_append_printf(seen, "%s %s %s %s|", fixture_string(item, "action", NULL), object,
                           fixture_string(item, "district", NULL),
                           fixture_string(item, "actor", NULL));
    g_assert_nonnull(fixture_string(item, "at", NULL));
  }
  /* Every change through the API, named noun.verb, with its district and actor. */
  g_autofree char *expected =
      g_strdup_printf("employee.create employees/t-1 duin organisation org-01 token %s|"
                      "request.create requests/q-1 duin school 31DJ00 token %s|"
                      "proposal.approve assignments/p-1 duin coordinator token %s|"
                      "proposal.reject assignments/p-2 haven coordinator token %s|"
                      "assignment.cancel assignments/p-1 duin school 31DJ00 token %s|",
                      "5", "3", "1", "2", "3");
  g_assert_cmpstr(seen->str, ==, expected);
  g_string_free(seen, TRUE);
  json_object_put(json);
  /* The haven coordinator reads haven's entries only. */
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/audit", NULL, NULL, &json), ==, 200);
  items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 1);
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 0), "action", NULL), ==,
                  "proposal.reject");
  json_object_put(json);
  /* Paging the audit log by one. */
  page_by_one(f, "limit=1");
}

/* Every other change through the API writes its noun.verb row with object, district
 * and actor, in the transaction of the change. */
static void test_audit_actions(Fixture *f, gconstpointer data) {
  (void)data;
  fixture_employee(f, "t-1", "2020-06-01", 10);
  fixture_request(f, "q-1", "2020-06-01", 1);
  g_assert_cmpuint(fixture_call(f, f->school, "PATCH", "/v1/requests/q-1", NULL,
                                "{\"note\": \"graag vroeg\"}", NULL),
                   ==, 200);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests/q-1/cancel", NULL, NULL, NULL),
                   ==, 200);
  g_assert_cmpuint(
      fixture_call(f, f->org, "PATCH", "/v1/employees/t-1", NULL, "{\"max_travel_km\": 12}", NULL),
      ==, 200);
  g_assert_cmpuint(fixture_call(f, f->org, "PUT", "/v1/employees/t-1/availability", NULL,
                                "[{\"date\": \"2020-06-02\", \"part\": \"morning\"}]", NULL),
                   ==, 200);
  g_assert_cmpuint(
      fixture_call(f, f->org, "POST", "/v1/employees/t-1/deactivate", NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint(fixture_call(f, f->haven, "POST", "/v1/rounds", NULL, NULL, NULL), ==, 202);
  api_services_wait_rounds(f->services);
  g_autofree char *trail = NULL;
  {
    GString *text = g_string_new(NULL);
    json_object *json = NULL;
    g_assert_cmpuint(fixture_call(f, f->coordinator, "GET", "/v1/audit", "limit=500", NULL, &json),
                     ==, 200);
    json_object *items = json_object_object_get(json, "items");
    for (gsize i = 0; i < json_object_array_length(items); i++) {
      json_object *item = json_object_array_get_idx(items, i);
      const char *object = fixture_string(item, "object", NULL);
      if (object != NULL && g_str_has_prefix(object, "tokens/"))
        continue;
      g_string_append_printf(text, "%s %s %s|", fixture_string(item, "action", NULL), object,
                             fixture_string(item, "district", NULL));
    }
    json_object_put(json);
    trail = g_string_free(text, FALSE);
  }
  g_assert_cmpstr(trail, ==,
                  "employee.create employees/t-1 duin|request.create requests/q-1 duin|"
                  "request.update requests/q-1 duin|request.cancel requests/q-1 duin|"
                  "employee.update employees/t-1 duin|"
                  "employee.availability employees/t-1 duin|"
                  "employee.deactivate employees/t-1 duin|round.start rounds/1 haven|");
  /* The haven coordinator sees the round it started, nothing of duin. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/audit", NULL, NULL, &json), ==, 200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 1);
  g_assert_cmpstr(fixture_string(json_object_array_get_idx(items, 0), "detail", NULL), ==,
                  "districts [\"haven\"], continuity 8000 m");
  json_object_put(json);
}

/* Newest first, by who and by what, paged, and what the filters refuse. */
static void test_audit_filters(Fixture *f, gconstpointer data) {
  (void)data;
  decide_two(f);
  /* What: an action, or its family before the dot; never a part of a word. */
  g_autofree char *approved = audit_lines(f, "action=proposal.approve");
  g_assert_cmpstr(approved, ==, "proposal.approve coordinator token 1|");
  g_autofree char *family = audit_lines(f, "action=proposal");
  g_assert_cmpstr(family, ==,
                  "proposal.approve coordinator token 1|proposal.reject coordinator token 2|");
  g_autofree char *part = audit_lines(f, "action=propos");
  g_assert_cmpstr(part, ==, "");
  /* The family's wildcards are taken literally. */
  g_autofree char *wild = audit_lines(f, "action=%25");
  g_assert_cmpstr(wild, ==, "");
  /* Who: the actor contains the text, case ignored; with what and newest first. */
  g_autofree char *school = audit_lines(f, "actor=SCHOOL%2031dj00&order=newest");
  g_assert_cmpstr(school, ==, "request.create school 31DJ00 token 3|");
  g_autofree char *both = audit_lines(f, "actor=coordinator&action=proposal&order=newest");
  g_assert_cmpstr(both, ==,
                  "proposal.reject coordinator token 2|proposal.approve coordinator token 1|");
  /* Newest first, a page at a time: each page's ids below the last. */
  page_by_one(f, "order=newest&limit=1");
  /* A district's coordinator filters within their districts only. */
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->haven, "GET", "/v1/audit", "action=proposal", NULL, &json),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(json, "items")), ==, 1);
  json_object_put(json);
  /* Refused, naming the parameter. */
  static const struct {
    const char *query, *message;
  } refused[] = {
      {"order=oldest-first", "query parameter order: expected oldest or newest"},
      {"actor=", "query parameter actor: expected a text of 1 to 200 characters"},
      {"action=", "query parameter action: expected a text of 1 to 200 characters"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(refused); i++) {
    g_assert_cmpuint(
        fixture_call(f, f->coordinator, "GET", "/v1/audit", refused[i].query, NULL, &json), ==,
        400);
    g_assert_cmpstr(fixture_string(json, "error", "message", NULL), ==, refused[i].message);
    json_object_put(json);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/audit/decisions", test_audit);
  FIXTURE_ADD("/resources/audit/actions", test_audit_actions);
  FIXTURE_ADD("/resources/audit/filters", test_audit_filters);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
