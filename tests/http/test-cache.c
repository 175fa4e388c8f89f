/* test-cache.c: the response cache (api/cache.h) in memory on the Almere store and end
 * to end over a loopback port.  A hit returns the very bytes and headers of a fresh
 * answer; every kind of commit invalidates it at once (this thread's connection,
 * another thread's, a raw SQLite connection, another process), a revoked token is
 * refused on a cached path, different Authorization headers never share an answer,
 * only 200 answers to authenticated GETs under /v1/ are kept, and the caps on entries,
 * bytes, entry size and age hold.  An answer is gzip-coded once for the clients that
 * ask and kept so.  Time is passed in, so no test sleeps.
 */
#include <string.h>

#include "cache.h"
#include "gzip.h"
#include "http-client.h"
#include "resources-fixture.h"
#include "../test-table.h"

/* Any monotonic start; the tests move it by hand. */
#define T0 ((gint64)1000 * G_USEC_PER_SEC)

typedef struct {
  Fixture base;
  ApiCache *cache;
  char *coordinator; /* "Bearer <secret>" of base.coordinator */
} CacheFixture;

/* One answer through the cache. */
typedef struct {
  ApiCacheOutcome outcome;
  ApiResponse head;
  GBytes *body;
} Answer;

static void answer_clear(Answer *answer) {
  api_response_clear(&answer->head);
  g_clear_pointer(&answer->body, g_bytes_unref);
}

static void cache_setup_with(CacheFixture *f, const ApiCacheLimits *limits) {
  fixture_setup(&f->base, NULL);
  f->cache = api_cache_new(limits);
  f->coordinator = fixture_bearer(f->base.coordinator);
}

static void cache_setup(CacheFixture *f, gconstpointer data) {
  (void)data;
  ApiCacheLimits limits;
  api_cache_limits_init(&limits);
  cache_setup_with(f, &limits);
}

static void cache_teardown(CacheFixture *f, gconstpointer data) {
  api_cache_free(f->cache);
  g_free(f->coordinator);
  fixture_teardown(&f->base, data);
}

/* Asks `method path?query` with the Authorization header `authorization` at `now`,
 * accepting gzip when `gzip`. */
static ApiCacheOutcome ask_coded(CacheFixture *f, gint64 now, const char *method, const char *path,
                                 const char *query, const char *authorization, const char *body,
                                 gboolean gzip, Answer *answer) {
  answer_clear(answer);
  answer->outcome =
      api_cache_dispatch(f->cache, f->base.services, now, method, path, query, authorization,
                         body != NULL ? "application/json" : NULL, body != NULL ? body : "",
                         body != NULL ? strlen(body) : 0, gzip, &answer->head, &answer->body);
  g_assert_nonnull(answer->body);
  g_assert_null(answer->head.body);
  g_assert_cmpuint(answer->head.body_length, ==, g_bytes_get_size(answer->body));
  return answer->outcome;
}

static ApiCacheOutcome ask_full(CacheFixture *f, gint64 now, const char *method, const char *path,
                                const char *query, const char *authorization, const char *body,
                                Answer *answer) {
  return ask_coded(f, now, method, path, query, authorization, body, FALSE, answer);
}

static ApiCacheOutcome ask(CacheFixture *f, const char *path, const char *query, Answer *answer) {
  return ask_full(f, T0, "GET", path, query, f->coordinator, NULL, answer);
}

/* The answer's body as text (transfer full). */
static char *body_text(const Answer *answer) {
  gsize length = 0;
  const char *data = g_bytes_get_data(answer->body, &length);
  return g_strndup(data, length);
}

static void assert_same_answer(const Answer *a, const Answer *b) {
  g_assert_cmpuint(a->head.status, ==, b->head.status);
  g_assert_cmpstr(a->head.content_type, ==, b->head.content_type);
  g_assert_cmpstr(a->head.allow, ==, b->head.allow);
  g_assert_cmpstr(a->head.location, ==, b->head.location);
  g_assert_cmpstr(a->head.disposition, ==, b->head.disposition);
  g_assert_true(g_bytes_equal(a->body, b->body));
}

/* The router's own answer, without any cache, must equal `answer`. */
static void assert_router_agrees(CacheFixture *f, const char *path, const char *query,
                                 const char *authorization, const Answer *answer) {
  ApiResponse fresh = {0};
  api_router_dispatch(f->base.services, "GET", path, query, authorization, NULL, "", 0, &fresh);
  Answer direct = {.outcome = API_CACHE_BYPASS};
  direct.body = api_cache_take_body(&fresh);
  direct.head = fresh;
  assert_same_answer(&direct, answer);
  answer_clear(&direct);
}

/* A proposal p-a (q-1 for t-1 on Monday 2020-06-01 morning) the coordinator can approve. */
static void add_proposal(CacheFixture *f) {
  fixture_employee(&f->base, "t-1", "2020-06-01", 10);
  fixture_request(&f->base, "q-1", "2020-06-01", 1);
  fixture_proposal(&f->base, "p-a", "q-1", "t-1", "2020-06-01");
}

/* ---- hits --------------------------------------------------------------- */

static void test_hit_identical(CacheFixture *f, gconstpointer data) {
  (void)data;
  add_proposal(f);
  Answer first = {0}, second = {0};
  g_assert_cmpint(ask(f, "/v1/proposals", "status=proposed&limit=5", &first), ==, API_CACHE_MISS);
  g_assert_cmpuint(first.head.status, ==, 200);
  g_autofree char *text = body_text(&first);
  g_assert_nonnull(strstr(text, "\"id\":\"p-a\""));
  g_assert_cmpint(ask(f, "/v1/proposals", "status=proposed&limit=5", &second), ==, API_CACHE_HIT);
  assert_same_answer(&first, &second);
  assert_router_agrees(f, "/v1/proposals", "status=proposed&limit=5", f->coordinator, &second);
  /* The query's pairs in another order, or with empty pairs, are the same request. */
  g_assert_cmpint(ask(f, "/v1/proposals", "limit=5&&status=proposed&", &second), ==, API_CACHE_HIT);
  assert_same_answer(&first, &second);
  assert_router_agrees(f, "/v1/proposals", "limit=5&status=proposed", f->coordinator, &second);
  /* Another spelling of the path is another entry, with the same answer. */
  g_assert_cmpint(ask(f, "/v1/%70roposals", "status=proposed&limit=5", &second), ==,
                  API_CACHE_MISS);
  assert_same_answer(&first, &second);
  g_assert_cmpint(ask(f, "/v1/%70roposals", "status=proposed&limit=5", &second), ==, API_CACHE_HIT);
  assert_same_answer(&first, &second);

  /* A download keeps its type and Content-Disposition. */
  g_assert_cmpint(ask(f, "/v1/assignments.csv", NULL, &first), ==, API_CACHE_MISS);
  g_assert_cmpuint(first.head.status, ==, 200);
  g_assert_nonnull(first.head.disposition);
  g_assert_cmpint(ask(f, "/v1/assignments.csv", "", &second), ==, API_CACHE_HIT);
  assert_same_answer(&first, &second);
  assert_router_agrees(f, "/v1/assignments.csv", NULL, f->coordinator, &second);
  answer_clear(&first);
  answer_clear(&second);
}

/* ---- invalidation ------------------------------------------------------- */

typedef struct {
  CacheFixture *f;
  guint status;
} Approval;

static gpointer approve_in_thread(gpointer data) {
  Approval *approval = data;
  approval->status = fixture_call(&approval->f->base, approval->f->base.coordinator, "POST",
                                  "/v1/proposals/p-a/approve", NULL, NULL, NULL);
  return NULL;
}

static void test_write_other_thread(CacheFixture *f, gconstpointer data) {
  (void)data;
  add_proposal(f);
  Answer before = {0}, after = {0};
  const char *query = "status=proposed";
  g_assert_cmpint(ask(f, "/v1/proposals", query, &before), ==, API_CACHE_MISS);
  g_autofree char *old = body_text(&before);
  g_assert_nonnull(strstr(old, "\"id\":\"p-a\""));
  g_assert_cmpint(ask(f, "/v1/proposals", query, &after), ==, API_CACHE_HIT);
  /* Another thread, through its own connection. */
  Approval approval = {f, 0};
  GThread *thread = g_thread_new("approve", approve_in_thread, &approval);
  g_thread_join(thread);
  g_assert_cmpuint(approval.status, ==, 200);
  g_assert_cmpint(ask(f, "/v1/proposals", query, &after), ==, API_CACHE_MISS);
  g_autofree char *fresh = body_text(&after);
  g_assert_null(strstr(fresh, "\"p-a\""));
  assert_router_agrees(f, "/v1/proposals", query, f->coordinator, &after);
  g_assert_cmpint(ask(f, "/v1/proposals", query, &before), ==, API_CACHE_HIT);
  assert_same_answer(&before, &after);
  answer_clear(&before);
  answer_clear(&after);
}

static void test_write_own_connection(CacheFixture *f, gconstpointer data) {
  (void)data;
  add_proposal(f);
  Answer answer = {0};
  const char *query = "status=proposed";
  g_assert_cmpint(ask(f, "/v1/proposals", query, &answer), ==, API_CACHE_MISS);
  g_autofree char *before = body_text(&answer);
  g_assert_nonnull(strstr(before, "\"id\":\"p-a\""));
  g_assert_cmpint(ask(f, "/v1/proposals", query, &answer), ==, API_CACHE_HIT);
  /* Writes pass the cache by, on this thread's own connection. */
  g_assert_cmpint(
      ask_full(f, T0, "POST", "/v1/proposals/p-a/approve", NULL, f->coordinator, NULL, &answer), ==,
      API_CACHE_BYPASS);
  g_assert_cmpuint(answer.head.status, ==, 200);
  g_assert_cmpint(ask(f, "/v1/proposals", query, &answer), ==, API_CACHE_MISS);
  g_autofree char *text = body_text(&answer);
  g_assert_null(strstr(text, "\"p-a\""));
  assert_router_agrees(f, "/v1/proposals", query, f->coordinator, &answer);
  answer_clear(&answer);
}

static void test_write_raw_connection(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  g_assert_cmpint(ask(f, "/v1/schools/31DJ00", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpint(ask(f, "/v1/schools/31DJ00", NULL, &answer), ==, API_CACHE_HIT);
  fixture_sql(&f->base, "UPDATE schools SET name = 'De Nieuwe Duin' WHERE id = '31DJ00'");
  g_assert_cmpint(ask(f, "/v1/schools/31DJ00", NULL, &answer), ==, API_CACHE_MISS);
  g_autofree char *text = body_text(&answer);
  g_assert_nonnull(strstr(text, "\"name\":\"De Nieuwe Duin\""));
  g_assert_cmpint(ask(f, "/v1/schools/31DJ00", NULL, &answer), ==, API_CACHE_HIT);
  answer_clear(&answer);
}

static void test_revoke_other_connection(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  g_assert_cmpint(ask(f, "/v1/districts", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpint(ask(f, "/v1/districts", NULL, &answer), ==, API_CACHE_HIT);
  g_assert_cmpuint(answer.head.status, ==, 200);
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelStore) store = model_store_open(f->base.db_path, &error);
  g_assert_no_error(error);
  /* The coordinator's token is the template's first. */
  g_assert_true(model_store_token_revoke(store, "test", 1, &error));
  g_assert_no_error(error);
  g_assert_cmpint(ask(f, "/v1/districts", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpuint(answer.head.status, ==, 401);
  /* The refusal is not kept, and the answer stays a refusal. */
  g_assert_cmpint(ask(f, "/v1/districts", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpuint(answer.head.status, ==, 401);
  g_autofree char *text = body_text(&answer);
  g_assert_nonnull(strstr(text, "the token has been revoked"));
  answer_clear(&answer);
}

static void test_revoke_other_process(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  g_assert_cmpint(ask(f, "/v1/organisations", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpint(ask(f, "/v1/organisations", NULL, &answer), ==, API_CACHE_HIT);
  const char *revoke[] = {"token", "revoke", "1", "--db", f->base.db_path, NULL};
  g_assert_cmpint(http_run_handen(revoke, NULL, NULL), ==, 0);
  g_assert_cmpint(ask(f, "/v1/organisations", NULL, &answer), ==, API_CACHE_MISS);
  g_assert_cmpuint(answer.head.status, ==, 401);
  answer_clear(&answer);
}

/* ---- keys --------------------------------------------------------------- */

static void test_tokens_separate(CacheFixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *haven = fixture_bearer(f->base.haven);
  Answer all = {0}, some = {0}, again = {0};
  g_assert_cmpint(ask(f, "/v1/requests", "limit=500", &all), ==, API_CACHE_MISS);
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", "limit=500", haven, NULL, &some), ==,
                  API_CACHE_MISS);
  g_assert_cmpuint(all.head.status, ==, 200);
  g_assert_cmpuint(some.head.status, ==, 200);
  g_assert_false(g_bytes_equal(all.body, some.body));
  assert_router_agrees(f, "/v1/requests", "limit=500", haven, &some);
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", "limit=500", haven, NULL, &again), ==,
                  API_CACHE_HIT);
  assert_same_answer(&again, &some);
  g_assert_cmpint(ask(f, "/v1/requests", "limit=500", &again), ==, API_CACHE_HIT);
  assert_same_answer(&again, &all);

  /* Two schools on the same path see their own requests. */
  g_autofree char *school = fixture_bearer(f->base.school);
  g_autofree char *other = fixture_bearer(f->base.other_school);
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", NULL, school, NULL, &all), ==,
                  API_CACHE_MISS);
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", NULL, other, NULL, &some), ==,
                  API_CACHE_MISS);
  g_assert_false(g_bytes_equal(all.body, some.body));
  assert_router_agrees(f, "/v1/requests", NULL, other, &some);

  /* A header spelled otherwise is another key, even for the same token; a wrong
   * token never reaches a kept answer. */
  g_autofree char *lower = g_strdup_printf("bearer %s", f->base.coordinator);
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", "limit=500", lower, NULL, &again), ==,
                  API_CACHE_MISS);
  g_autofree char *wrong = g_strdup(f->coordinator);
  wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == 'A' ? 'B' : 'A';
  g_assert_cmpint(ask_full(f, T0, "GET", "/v1/requests", "limit=500", wrong, NULL, &again), ==,
                  API_CACHE_MISS);
  g_assert_cmpuint(again.head.status, ==, 401);
  answer_clear(&all);
  answer_clear(&some);
  answer_clear(&again);
}

/* Requests the cache must leave alone, and answers it must not keep. */
typedef enum { NOBODY, COORDINATOR, SCHOOL } Caller;

typedef struct {
  const char *name;
  const char *method;
  const char *path;
  const char *query;
  Caller caller;
  const char *body;
  ApiCacheOutcome outcome; /* the same the second time: nothing was kept */
  guint status;
} PassCase;

static const PassCase pass_cases[] = {
    {"no-token", "GET", "/v1/health", NULL, NOBODY, NULL, API_CACHE_BYPASS, 200},
    {"no-token-protected", "GET", "/v1/schools", NULL, NOBODY, NULL, API_CACHE_BYPASS, 401},
    {"post", "POST", "/v1/proposals/nope/approve", NULL, COORDINATOR, NULL, API_CACHE_BYPASS, 404},
    {"get-with-body", "GET", "/v1/schools", NULL, COORDINATOR, "{}", API_CACHE_BYPASS, 200},
    {"head", "HEAD", "/v1/schools", NULL, COORDINATOR, NULL, API_CACHE_BYPASS, 405},
    {"v1-bare", "GET", "/v1", NULL, COORDINATOR, NULL, API_CACHE_BYPASS, 404},
    {"not-found", "GET", "/v1/nothing", NULL, COORDINATOR, NULL, API_CACHE_MISS, 404},
    {"no-such-school", "GET", "/v1/schools/nope", NULL, COORDINATOR, NULL, API_CACHE_MISS, 404},
    {"bad-query", "GET", "/v1/schools", "limit=0", COORDINATOR, NULL, API_CACHE_MISS, 400},
    {"forbidden", "GET", "/v1/audit", NULL, SCHOOL, NULL, API_CACHE_MISS, 403},
};

static void test_pass(CacheFixture *f, gconstpointer data) {
  const PassCase *c = data;
  g_autofree char *school = fixture_bearer(f->base.school);
  const char *authorization = c->caller == COORDINATOR ? f->coordinator
                              : c->caller == SCHOOL    ? school
                                                       : NULL;
  Answer answer = {0};
  for (int i = 0; i < 2; i++) {
    g_assert_cmpint(ask_full(f, T0, c->method, c->path, c->query, authorization, c->body, &answer),
                    ==, c->outcome);
    g_assert_cmpuint(answer.head.status, ==, c->status);
  }
  gsize entries = 0;
  api_cache_usage(f->cache, &entries, NULL);
  g_assert_cmpuint(entries, ==, 0);
  answer_clear(&answer);
}

/* ---- limits ------------------------------------------------------------- */

static void test_max_age(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  const char *path = "/v1/districts";
  g_assert_cmpint(ask_full(f, T0, "GET", path, NULL, f->coordinator, NULL, &answer), ==,
                  API_CACHE_MISS);
  g_assert_cmpint(
      ask_full(f, T0 + API_CACHE_MAX_AGE - 1, "GET", path, NULL, f->coordinator, NULL, &answer), ==,
      API_CACHE_HIT);
  g_assert_cmpint(
      ask_full(f, T0 + API_CACHE_MAX_AGE, "GET", path, NULL, f->coordinator, NULL, &answer), ==,
      API_CACHE_MISS);
  /* Stored again at T0 + max_age; a clock that seems to go back is not trusted. */
  g_assert_cmpint(ask_full(f, T0, "GET", path, NULL, f->coordinator, NULL, &answer), ==,
                  API_CACHE_MISS);
  answer_clear(&answer);
}

static void caps_setup(CacheFixture *f, gconstpointer data) {
  (void)data;
  ApiCacheLimits limits;
  api_cache_limits_init(&limits);
  limits.max_entries = 3;
  cache_setup_with(f, &limits);
}

static ApiCacheOutcome ask_limit(CacheFixture *f, int limit, Answer *answer) {
  g_autofree char *query = g_strdup_printf("limit=%d", limit);
  return ask(f, "/v1/schools", query, answer);
}

static void test_max_entries(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  for (int limit = 1; limit <= 3; limit++)
    g_assert_cmpint(ask_limit(f, limit, &answer), ==, API_CACHE_MISS);
  g_assert_cmpint(ask_limit(f, 1, &answer), ==, API_CACHE_HIT);  /* 1 is now the newest */
  g_assert_cmpint(ask_limit(f, 4, &answer), ==, API_CACHE_MISS); /* evicts 2 */
  gsize entries = 0;
  api_cache_usage(f->cache, &entries, NULL);
  g_assert_cmpuint(entries, ==, 3);
  g_assert_cmpint(ask_limit(f, 3, &answer), ==, API_CACHE_HIT);
  g_assert_cmpint(ask_limit(f, 1, &answer), ==, API_CACHE_HIT);
  g_assert_cmpint(ask_limit(f, 4, &answer), ==, API_CACHE_HIT);
  g_assert_cmpint(ask_limit(f, 2, &answer), ==, API_CACHE_MISS); /* evicts 3 */
  g_assert_cmpint(ask_limit(f, 3, &answer), ==, API_CACHE_MISS);
  api_cache_usage(f->cache, &entries, NULL);
  g_assert_cmpuint(entries, ==, 3);
  answer_clear(&answer);
}

/* max_bytes fits the 20-school page and a bit: the pages of 1..40 schools evict each
 * other, never passing the cap, and the newest is always kept. */
static void test_max_bytes(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer answer = {0};
  g_assert_cmpint(ask_limit(f, 20, &answer), ==, API_CACHE_MISS);
  gsize entries = 0, bytes = 0;
  api_cache_usage(f->cache, &entries, &bytes);
  g_assert_cmpuint(entries, ==, 1);
  g_assert_cmpuint(bytes, >, g_bytes_get_size(answer.body));
  ApiCacheLimits limits;
  api_cache_limits_init(&limits);
  limits.max_bytes = bytes + bytes / 2;
  limits.max_entry_bytes = bytes;
  api_cache_free(f->cache);
  f->cache = api_cache_new(&limits);
  gsize evictions = 0;
  for (int limit = 1; limit <= 40; limit++) {
    gsize before = 0;
    api_cache_usage(f->cache, &before, NULL);
    g_assert_cmpint(ask_limit(f, limit, &answer), ==, API_CACHE_MISS);
    api_cache_usage(f->cache, &entries, &bytes);
    g_assert_cmpuint(bytes, <=, limits.max_bytes);
    if (limit <= 20) {
      g_assert_cmpint(ask_limit(f, limit, &answer), ==, API_CACHE_HIT);
      evictions += before + 1 - entries;
    } else {
      /* Over max_entry_bytes: served, not kept, nothing evicted. */
      g_assert_cmpuint(entries, ==, before);
      g_assert_cmpint(ask_limit(f, limit, &answer), ==, API_CACHE_MISS);
    }
  }
  g_assert_cmpuint(evictions, >, 0);
  answer_clear(&answer);
}

static gpointer pool_get_in_thread(gpointer data) {
  return api_cache_pool_get(data);
}

static void test_pool(void) {
  ApiCacheLimits limits;
  api_cache_limits_init(&limits);
  g_autoptr(ApiCachePool) pool = api_cache_pool_new(&limits);
  ApiCache *mine = api_cache_pool_get(pool);
  g_assert_nonnull(mine);
  g_assert_true(api_cache_pool_get(pool) == mine);
  GThread *thread = g_thread_new("pool", pool_get_in_thread, pool);
  ApiCache *theirs = g_thread_join(thread);
  g_assert_nonnull(theirs);
  g_assert_true(theirs != mine);
}

/* ---- gzip --------------------------------------------------------------- */

static gsize cache_bytes(const CacheFixture *f) {
  gsize bytes = 0;
  api_cache_usage(f->cache, NULL, &bytes);
  return bytes;
}

/* A kept answer is coded once: the first client asking for gzip has the coded body
 * kept with the entry, later ones get those very bytes, and clients that do not ask
 * get the plain body; both vary with Accept-Encoding.  Small answers stay plain. */
static void test_gzip(CacheFixture *f, gconstpointer data) {
  (void)data;
  Answer plain = {0}, coded = {0}, again = {0}, small = {0};
  g_assert_cmpint(ask_coded(f, T0, "GET", "/v1/schools", NULL, f->coordinator, NULL, FALSE, &plain),
                  ==, API_CACHE_MISS);
  g_assert_false(plain.head.gzip);
  g_assert_true(plain.head.by_coding);
  g_assert_cmpuint(g_bytes_get_size(plain.body), >=, API_GZIP_MIN_BYTES);
  assert_router_agrees(f, "/v1/schools", NULL, f->coordinator, &plain);
  gsize before = cache_bytes(f);
  g_assert_cmpint(ask_coded(f, T0, "GET", "/v1/schools", NULL, f->coordinator, NULL, TRUE, &coded),
                  ==, API_CACHE_HIT);
  g_assert_true(coded.head.gzip);
  g_assert_true(coded.head.by_coding);
  g_assert_cmpuint(g_bytes_get_size(coded.body), <, g_bytes_get_size(plain.body));
  g_assert_cmpuint(cache_bytes(f), ==, before + g_bytes_get_size(coded.body));
  g_autoptr(GBytes) inflated =
      http_inflate_gzip(g_bytes_get_data(coded.body, NULL), g_bytes_get_size(coded.body));
  g_assert_true(g_bytes_equal(inflated, plain.body));
  g_assert_cmpint(ask_coded(f, T0, "GET", "/v1/schools", NULL, f->coordinator, NULL, TRUE, &again),
                  ==, API_CACHE_HIT);
  g_assert_true(g_bytes_get_data(again.body, NULL) == g_bytes_get_data(coded.body, NULL));
  g_assert_cmpuint(cache_bytes(f), ==, before + g_bytes_get_size(coded.body));
  g_assert_cmpint(ask_coded(f, T0, "GET", "/v1/schools", NULL, f->coordinator, NULL, FALSE, &again),
                  ==, API_CACHE_HIT);
  g_assert_false(again.head.gzip);
  g_assert_true(g_bytes_equal(again.body, plain.body));
  ask_coded(f, T0, "GET", "/v1/me", NULL, f->coordinator, NULL, TRUE, &small);
  g_assert_cmpuint(small.head.status, ==, 200);
  g_assert_cmpuint(g_bytes_get_size(small.body), <, API_GZIP_MIN_BYTES);
  g_assert_false(small.head.gzip);
  g_assert_false(small.head.by_coding);
  answer_clear(&plain);
  answer_clear(&coded);
  answer_clear(&again);
  answer_clear(&small);
}

/* ---- end to end --------------------------------------------------------- */

static void assert_same_reply(const HttpReply *a, const HttpReply *b) {
  g_assert_cmpuint(a->status, ==, b->status);
  g_assert_cmpuint(a->header_names->len, ==, b->header_names->len);
  for (guint i = 0; i < a->header_names->len; i++) {
    const char *name = g_ptr_array_index(a->header_names, i);
    g_assert_cmpstr(name, ==, g_ptr_array_index(b->header_names, i));
    if (g_ascii_strcasecmp(name, "Date") != 0)
      g_assert_cmpstr(g_ptr_array_index(a->header_values, i), ==,
                      g_ptr_array_index(b->header_values, i));
  }
  g_assert_cmpuint(a->body_length, ==, b->body_length);
  g_assert_cmpmem(a->body, a->body_length, b->body, b->body_length);
}

static void test_serve(CacheFixture *f, gconstpointer data) {
  (void)data;
  add_proposal(f);
  g_autoptr(GError) error = NULL;
  HttpServer *server = http_server_start(f->base.db_path, NULL, &error);
  g_assert_no_error(error);
  g_autoptr(HttpClient) client = http_client_connect(server->port, &error);
  g_assert_no_error(error);
  g_autofree char *header = g_strconcat("Authorization: ", f->coordinator, NULL);
  const char *headers[] = {header, NULL};
  HttpReply first = {0}, reply = {0};
  /* On one keep-alive connection, so one thread and its cache answer each time. */
  const char *target = "/v1/proposals?status=proposed&limit=5";
  g_assert_true(http_client_request(client, "GET", target, headers, NULL, &first, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(first.status, ==, 200);
  g_assert_nonnull(strstr(first.body, "\"id\":\"p-a\""));
  g_assert_cmpstr(http_reply_header(&first, "Cache-Control"), ==, "no-store");
  for (int i = 0; i < 3; i++) {
    g_assert_true(http_client_request(client, "GET", target, headers, NULL, &reply, &error));
    g_assert_no_error(error);
    assert_same_reply(&first, &reply);
  }

  /* An approval on another connection shows at once. */
  g_autoptr(HttpClient) other = http_client_connect(server->port, &error);
  g_assert_no_error(error);
  g_assert_true(http_client_request(other, "POST", "/v1/proposals/p-a/approve", headers, NULL,
                                    &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_true(http_client_request(client, "GET", target, headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_null(strstr(reply.body, "\"p-a\""));

  /* A token revoked by `handen token revoke` is refused at once on a kept path. */
  g_assert_true(http_client_request(client, "GET", target, headers, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 200);
  const char *revoke[] = {"token", "revoke", "1", "--db", f->base.db_path, NULL};
  g_assert_cmpint(http_run_handen(revoke, NULL, NULL), ==, 0);
  g_assert_true(http_client_request(client, "GET", target, headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 401);
  g_assert_cmpstr(http_reply_header(&reply, "WWW-Authenticate"), ==, "Bearer realm=\"handen\"");
  http_reply_clear(&first);
  http_reply_clear(&reply);
  g_assert_cmpint(http_server_stop(server), ==, 0);
}

/* Over the socket: the gzip-coded answer inflates to the plain one; a web page's
 * entity tag turns weak when coded, and either tag gets 304 for either coding. */
static void test_serve_gzip(CacheFixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  HttpServer *server = http_server_start(f->base.db_path, NULL, &error);
  g_assert_no_error(error);
  g_autoptr(HttpClient) client = http_client_connect(server->port, &error);
  g_assert_no_error(error);
  g_autofree char *auth = g_strconcat("Authorization: ", f->coordinator, NULL);
  const char *plain_headers[] = {auth, NULL};
  const char *gzip_headers[] = {auth, "Accept-Encoding: gzip, deflate, br", NULL};
  const char *refused_headers[] = {auth, "Accept-Encoding: gzip;q=0, *", NULL};
  HttpReply plain = {0}, coded = {0}, reply = {0};
  g_assert_true(
      http_client_request(client, "GET", "/v1/schools", plain_headers, NULL, &plain, &error));
  g_assert_cmpuint(plain.status, ==, 200);
  g_assert_null(http_reply_header(&plain, "Content-Encoding"));
  g_assert_cmpstr(http_reply_header(&plain, "Vary"), ==, "Accept-Encoding");
  g_assert_true(
      http_client_request(client, "GET", "/v1/schools", gzip_headers, NULL, &coded, &error));
  g_assert_cmpuint(coded.status, ==, 200);
  g_assert_cmpstr(http_reply_header(&coded, "Content-Encoding"), ==, "gzip");
  g_assert_cmpstr(http_reply_header(&coded, "Vary"), ==, "Accept-Encoding");
  g_autoptr(GBytes) inflated = http_inflate_gzip(coded.body, coded.body_length);
  g_assert_cmpmem(g_bytes_get_data(inflated, NULL), g_bytes_get_size(inflated), plain.body,
                  plain.body_length);
  g_assert_true(
      http_client_request(client, "GET", "/v1/schools", refused_headers, NULL, &reply, &error));
  g_assert_null(http_reply_header(&reply, "Content-Encoding"));
  g_assert_cmpmem(reply.body, reply.body_length, plain.body, plain.body_length);

  const char *page_plain[] = {NULL};
  const char *page_gzip[] = {"Accept-Encoding: gzip", NULL};
  g_assert_true(http_client_request(client, "GET", "/", page_plain, NULL, &plain, &error));
  g_assert_true(http_client_request(client, "GET", "/", page_gzip, NULL, &coded, &error));
  const char *strong = http_reply_header(&plain, "ETag");
  const char *weak = http_reply_header(&coded, "ETag");
  g_assert_nonnull(strong);
  g_assert_cmpstr(http_reply_header(&coded, "Content-Encoding"), ==, "gzip");
  g_autofree char *expected_weak = g_strconcat("W/", strong, NULL);
  g_assert_cmpstr(weak, ==, expected_weak);
  g_autofree char *if_weak = g_strconcat("If-None-Match: ", weak, NULL);
  g_autofree char *if_strong = g_strconcat("If-None-Match: ", strong, NULL);
  const char *revalidations[][3] = {{if_weak, "Accept-Encoding: gzip", NULL},
                                    {if_strong, "Accept-Encoding: gzip", NULL},
                                    {if_weak, NULL, NULL}};
  for (gsize i = 0; i < G_N_ELEMENTS(revalidations); i++) {
    g_assert_true(http_client_request(client, "GET", "/", revalidations[i], NULL, &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 304);
    g_assert_cmpuint(reply.body_length, ==, 0);
    g_assert_null(http_reply_header(&reply, "Content-Encoding"));
  }
  http_reply_clear(&plain);
  http_reply_clear(&coded);
  http_reply_clear(&reply);
  g_assert_cmpint(http_server_stop(server), ==, 0);
}

#define ADD(path, fn) g_test_add(path, CacheFixture, NULL, cache_setup, fn, cache_teardown)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/http/cache/hit-identical", test_hit_identical);
  ADD("/http/cache/write/other-thread", test_write_other_thread);
  ADD("/http/cache/write/own-connection", test_write_own_connection);
  ADD("/http/cache/write/raw-connection", test_write_raw_connection);
  ADD("/http/cache/revoke/other-connection", test_revoke_other_connection);
  ADD("/http/cache/revoke/other-process", test_revoke_other_process);
  ADD("/http/cache/tokens-separate", test_tokens_separate);
  TEST_ADD_FIXTURE_TABLE("/http/cache/pass", pass_cases, name, CacheFixture, cache_setup, test_pass,
                         cache_teardown);
  ADD("/http/cache/limits/max-age", test_max_age);
  g_test_add("/http/cache/limits/max-entries", CacheFixture, NULL, caps_setup, test_max_entries,
             cache_teardown);
  ADD("/http/cache/limits/max-bytes", test_max_bytes);
  g_test_add_func("/http/cache/pool", test_pool);
  ADD("/http/cache/gzip", test_gzip);
  ADD("/http/cache/serve", test_serve);
  ADD("/http/cache/serve-gzip", test_serve_gzip);
  int status = g_test_run();
  fixture_template_free();
  return status;
}
