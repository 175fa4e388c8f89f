/* test-subscriptions.c: calendar subscriptions through the router in memory, as every
 * role: who may subscribe to which feed, the secret URL that needs no token, a feed
 * that never shows another school's assignments, a cancelled assignment that stays
 * as STATUS:CANCELLED with a higher SEQUENCE, listing and revoking by the owner only
 * (revoked answers 404), read-only, the limit on fetches, and the whole URL of a feed
 * when the public URL is known.
 */
#include <string.h>

#include "resources-fixture.h"

/* Subscribes with `token` to `body`'s feed: the status, and the feed's path in
 * *out_path (transfer full) when created. */
static guint subscribe(Fixture *f, const char *token, const char *body, char **out_path) {
  json_object *json = NULL;
  guint status = fixture_call(f, token, "POST", "/v1/subscriptions", NULL, body, &json);
  if (status == 201 && out_path != NULL) {
    *out_path = g_strdup(fixture_string(json, "path", NULL));
    g_assert_true(g_str_has_prefix(*out_path, "/v1/feeds/hnd_"));
    g_assert_true(g_str_has_suffix(*out_path, "/calendar.ics"));
    /* A full URL only when the server knows where it is reached (--public-url). */
    const char *site = api_services_public_url(f->services);
    g_autofree char *url = site != NULL ? g_strconcat(site, *out_path, NULL) : NULL;
    g_assert_cmpstr(fixture_string(json, "url", NULL), ==, url);
  }
  json_object_put(json);
  return status;
}

/* GET `path` without a token: the status, and the body in *out_body (transfer full). */
static guint fetch(Fixture *f, const char *path, char **out_body) {
  ApiResponse response = {0};
  fixture_call_raw(f, NULL, "GET", path, NULL, NULL, &response);
  guint status = response.status;
  if (out_body != NULL)
    *out_body = g_strndup(response.body, response.body_length);
  api_response_clear(&response);
  return status;
}

/* The event of assignment `id` in `feed` (transfer full), or NULL. */
static char *event_of(const char *feed, const char *id) {
  g_autofree char *uid = g_strdup_printf("UID:%s@handen\r\n", id);
  const char *at = strstr(feed, uid);
  if (at == NULL)
    return NULL;
  const char *end = strstr(at, "END:VEVENT");
  g_assert_nonnull(end);
  return g_strndup(at, (gsize)(end - at));
}

static void test_school_feed(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = NULL;
  g_assert_cmpuint(subscribe(f, f->school, "{\"school\": \"31DJ00\"}", &path), ==, 201);
  g_autofree char *feed = NULL;
  g_assert_cmpuint(fetch(f, path, &feed), ==, 200);
  g_assert_true(g_str_has_prefix(feed, "BEGIN:VCALENDAR\r\n"));
  /* Every event is one of this school's assignments, approved: a-01 and a-02. */
  guint events = 0;
  for (const char *at = feed; (at = strstr(at, "UID:")) != NULL; at++, events++) {
    g_autofree char *id = g_strndup(at + 4, strcspn(at + 4, "@"));
    g_autofree char *sql =
        g_strdup_printf("SELECT count(*) FROM assignments a JOIN requests r ON r.id = a.request_id"
                        " WHERE a.id = '%s' AND r.school_id = '31DJ00' AND a.status = 'approved'",
                        id);
    g_assert_cmpint(fixture_sql_int(f, sql), ==, 1);
  }
  g_assert_cmpuint(events, ==, 2);
  g_autofree char *before = event_of(feed, "a-01");
  g_assert_nonnull(strstr(before, "SEQUENCE:0\r\nSTATUS:CONFIRMED"));
  /* Cancelled: it stays, cancelled, with a higher sequence; the other is unchanged. */
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/assignments/a-01/cancel", NULL,
                                "{\"reason\": \"ziek\"}", NULL),
                   ==, 200);
  g_autofree char *after_feed = NULL;
  g_assert_cmpuint(fetch(f, path, &after_feed), ==, 200);
  g_autofree char *after = event_of(after_feed, "a-01");
  g_assert_nonnull(after);
  g_assert_nonnull(strstr(after, "SEQUENCE:1\r\nSTATUS:CANCELLED"));
  g_autofree char *other = event_of(after_feed, "a-02");
  g_assert_nonnull(strstr(other, "SEQUENCE:0\r\nSTATUS:CONFIRMED"));
  /* Read-only: the feed takes GET only. */
  g_assert_cmpuint(fixture_call(f, NULL, "POST", path, NULL, "{}", NULL), ==, 405);
  /* A wrong secret is a missing feed. */
  g_assert_cmpuint(fetch(f, "/v1/feeds/hnd_wrong/calendar.ics", NULL), ==, 404);
}

/* With --public-url the answer gives the feed's whole address as well as its path,
 * without doubling the slash of a public URL that ends in one. */
static void test_public_url(Fixture *f, gconstpointer data) {
  (void)data;
  api_services_set_public_url(f->services, "https://handen.example.nl/");
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/subscriptions", NULL,
                                "{\"school\": \"31DJ00\"}", &json),
                   ==, 201);
  const char *path = fixture_string(json, "path", NULL);
  const char *url = fixture_string(json, "url", NULL);
  g_assert_nonnull(path);
  g_assert_nonnull(url);
  g_assert_true(g_str_has_prefix(url, "https://handen.example.nl/v1/feeds/hnd_"));
  g_assert_cmpstr(url + strlen("https://handen.example.nl"), ==, path);
  g_assert_cmpuint(fetch(f, path, NULL), ==, 200);
  json_object_put(json);
  g_autofree char *again = NULL;
  g_assert_cmpuint(subscribe(f, f->school, "{\"school\": \"31DJ00\"}", &again), ==, 201);
}

/* Who may subscribe to what: each to its own, a coordinator to its districts' schools. */
static void test_scope(Fixture *f, gconstpointer data) {
  (void)data;
  g_assert_cmpuint(subscribe(f, f->other_school, "{\"school\": \"31DJ00\"}", NULL), ==, 404);
  g_assert_cmpuint(subscribe(f, f->org, "{\"school\": \"31DJ00\"}", NULL), ==, 404);
  g_assert_cmpuint(subscribe(f, f->school, "{\"employee\": \"e-002\"}", NULL), ==, 404);
  g_assert_cmpuint(subscribe(f, f->other_org, "{\"employee\": \"e-002\"}", NULL), ==, 404);
  g_assert_cmpuint(subscribe(f, f->haven, "{\"school\": \"31DJ00\"}", NULL), ==, 404);
  g_assert_cmpuint(
      subscribe(f, f->school, "{\"school\": \"31DJ00\", \"employee\": \"e-002\"}", NULL), ==, 422);
  g_assert_cmpuint(subscribe(f, f->school, "{\"shool\": \"31DJ00\"}", NULL), ==, 422);
  g_autofree char *employee = NULL, *school = NULL;
  g_assert_cmpuint(subscribe(f, f->org, "{\"employee\": \"e-002\"}", &employee), ==, 201);
  g_assert_cmpuint(subscribe(f, f->coordinator, "{\"school\": \"31DJ00\"}", &school), ==, 201);
  g_autofree char *feed = NULL;
  g_assert_cmpuint(fetch(f, employee, &feed), ==, 200);
  /* The employee's approved shifts: a-01 and a-02 at 31DJ00. */
  g_assert_nonnull(strstr(feed, "UID:a-01@handen"));
  g_assert_nonnull(strstr(feed, "UID:a-02@handen"));
}

/* Listed and revoked by the owner's scope only; revoked answers 404. */
static void test_revoke(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = NULL;
  g_assert_cmpuint(subscribe(f, f->school, "{\"school\": \"31DJ00\"}", &path), ==, 201);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->school, "GET", "/v1/subscriptions", NULL, NULL, &json), ==,
                   200);
  json_object *items = json_object_object_get(json, "items");
  g_assert_cmpuint(json_object_array_length(items), ==, 1);
  json_object *item = json_object_array_get_idx(items, 0);
  g_assert_cmpstr(fixture_string(item, "school", NULL), ==, "31DJ00");
  g_assert_null(strstr(json_object_to_json_string(json), "hnd_")); /* never the secret again */
  gint64 id = json_object_get_int64(json_object_object_get(item, "id"));
  json_object_put(json);
  g_assert_cmpuint(fixture_call(f, f->other_school, "GET", "/v1/subscriptions", NULL, NULL, &json),
                   ==, 200);
  g_assert_cmpuint(json_object_array_length(json_object_object_get(json, "items")), ==, 0);
  json_object_put(json);
  g_autofree char *revoke = g_strdup_printf("/v1/subscriptions/%" G_GINT64_FORMAT "/revoke", id);
  g_assert_cmpuint(fixture_call(f, f->other_school, "POST", revoke, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint(fetch(f, path, NULL), ==, 200);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", revoke, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint(fetch(f, path, NULL), ==, 404);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", revoke, NULL, NULL, NULL), ==, 409);
}

/* At most API_FEED_FETCHES_PER_MINUTE fetches a minute, per subscription. */
static void test_rate_limit(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = NULL, *other = NULL;
  g_assert_cmpuint(subscribe(f, f->school, "{\"school\": \"31DJ00\"}", &path), ==, 201);
  g_assert_cmpuint(subscribe(f, f->school, "{\"school\": \"31DJ00\"}", &other), ==, 201);
  for (int i = 0; i < API_FEED_FETCHES_PER_MINUTE; i++)
    g_assert_cmpuint(fetch(f, path, NULL), ==, 200);
  g_assert_cmpuint(fetch(f, path, NULL), ==, 429);
  g_assert_cmpuint(fetch(f, other, NULL), ==, 200);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  FIXTURE_ADD("/resources/subscriptions/school-feed", test_school_feed);
  FIXTURE_ADD("/resources/subscriptions/scope", test_scope);
  FIXTURE_ADD("/resources/subscriptions/public-url", test_public_url);
  FIXTURE_ADD("/resources/subscriptions/revoke", test_revoke);
  FIXTURE_ADD("/resources/subscriptions/rate-limit", test_rate_limit);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
