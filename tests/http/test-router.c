/* test-router.c: the HTTP plumbing in memory, through api_router_dispatch() on a
 * temporary store: routing (404, 405 with Allow), bearer tokens (401 in every way a
 * token can be wrong), the body rules (413, 415, 400 with byte offsets), the query
 * string (400 naming the parameter), the error body's exact shape and the one table
 * mapping errors to statuses. */
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "http.h"
#include "store-tokens.h"

typedef struct {
  char *dir;
  char *db_path;
  ApiServices *services;
  ModelStore *store; /* a second connection, for creating tokens */
  char *token;       /* "Bearer <coordinator secret>" */
  ApiResponse response;
  json_object *json; /* the last response's body, parsed */
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp("handen-http-XXXXXX", &error);
  g_assert_no_error(error);
  f->db_path = g_build_filename(f->dir, "handen.db", NULL);
  f->services = api_services_new(f->db_path, &error);
  g_assert_no_error(error);
  api_services_set_today(f->services, model_date_from_ymd(2020, 4, 13));
  f->store = model_store_open(f->db_path, &error);
  g_assert_no_error(error);
  gint64 id = 0;
  g_autofree char *secret = NULL;
  g_assert_true(model_store_token_create(f->store, "test", MODEL_ROLE_COORDINATOR, NULL, NULL, NULL,
                                         &id, &secret, &error));
  g_assert_no_error(error);
  f->token = g_strconcat("Bearer ", secret, NULL);
}

static void fixture_tear_down(Fixture *f, gconstpointer data) {
  (void)data;
  json_object_put(f->json);
  api_response_clear(&f->response);
  g_free(f->token);
  model_store_free(f->store);
  api_services_free(f->services);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal(suffix, "")       ? "-wal"
                                                         : g_str_equal(suffix, "-wal") ? "-shm"
                                                                                       : NULL) {
    g_autofree char *path = g_strconcat(f->db_path, suffix, NULL);
    g_remove(path);
  }
  g_rmdir(f->dir);
  g_free(f->db_path);
  g_free(f->dir);
}

/* Runs SQL on the store through a connection of its own. */
static void run_sql(const char *db_path, const char *statements) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(db_path, &db), ==, SQLITE_OK);
  char *message = NULL;
  int rc = sqlite3_exec(db, statements, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error("%s: %s", statements, message);
  sqlite3_close(db);
}

static const char add_school[] =
    "INSERT INTO districts (id, name, lat, lon) VALUES ('d-1', 'Centrum', 52.37, 5.21);"
    "INSERT INTO schools (id, brin, name, district_id, lat, lon)"
    " VALUES ('s-1', '07NU', 'De Regenboog', 'd-1', 52.37, 5.21);";

/* Dispatches one request; the response lands in f->response, its JSON in f->json. */
static void dispatch(Fixture *f, const char *method, const char *path, const char *query,
                     const char *authorization, const char *content_type, const char *body,
                     gsize length) {
  g_clear_pointer(&f->json, json_object_put);
  api_router_dispatch(f->services, method, path, query, authorization, content_type, body, length,
                      &f->response);
  g_assert_cmpuint(f->response.status, >=, 100);
  if (f->response.content_type != NULL && g_str_equal(f->response.content_type, "application/json"))
    f->json = json_tokener_parse(f->response.body);
}

/* Asserts that the response is the error {status, code} and its message contains
 * `message` (when not NULL); the body has exactly the documented members. */
static void assert_error(Fixture *f, guint status, const char *code, const char *message) {
  g_assert_cmpuint(f->response.status, ==, status);
  g_assert_cmpstr(f->response.content_type, ==, "application/json");
  g_assert_nonnull(f->json);
  g_assert_cmpint(json_object_object_length(f->json), ==, 1);
  json_object *error = NULL;
  g_assert_true(json_object_object_get_ex(f->json, "error", &error));
  json_object *value = NULL;
  g_assert_true(json_object_object_get_ex(error, "status", &value));
  g_assert_true(json_object_is_type(value, json_type_int));
  g_assert_cmpint(json_object_get_int(value), ==, (int)status);
  g_assert_true(json_object_object_get_ex(error, "code", &value));
  g_assert_cmpstr(json_object_get_string(value), ==, code);
  g_assert_true(json_object_object_get_ex(error, "message", &value));
  if (message != NULL && strstr(json_object_get_string(value), message) == NULL)
    g_error("message \"%s\" does not contain \"%s\"", json_object_get_string(value), message);
  int members = json_object_object_get_ex(error, "pointer", NULL) ? 4 : 3;
  g_assert_cmpint(json_object_object_length(error), ==, members);
}

/* A route of api_routes() that needs a token and takes `method`, as a concrete path
 * ({name} segments filled in); NULL when there is none. */
static char *concrete_route(const char *method, const char **out_pattern) {
  for (const ApiRoute *route = api_routes(); route->method != NULL; route++) {
    if (route->public || !g_str_equal(route->method, method))
      continue;
    g_autoptr(GRegex) regex = g_regex_new("\\{[a-z_]+\\}", 0, 0, NULL);
    if (out_pattern != NULL)
      *out_pattern = route->pattern;
    return g_regex_replace_literal(regex, route->pattern, -1, 0, "x1", 0, NULL);
  }
  return NULL;
}

/* ---- routing ------------------------------------------------------------ */

static void test_not_found(Fixture *f, gconstpointer data) {
  (void)data;
  static const char *const paths[] = {"/nope",      "/v1",         "/v1/nothing", "/v1/health/x",
                                      "/v2/health", "/v1/health/", "/v1//health"};
  for (gsize i = 0; i < G_N_ELEMENTS(paths); i++) {
    dispatch(f, "GET", paths[i], NULL, f->token, NULL, "", 0);
    assert_error(f, 404, "not_found", "no such resource");
    g_assert_null(f->response.allow);
  }
}

static void test_method_not_allowed_builtin(Fixture *f, gconstpointer data) {
  (void)data;
  dispatch(f, "DELETE", "/v1/health", NULL, NULL, NULL, "", 0);
  assert_error(f, 405, "method_not_allowed", "DELETE is not allowed here (allowed: GET)");
  g_assert_cmpstr(f->response.allow, ==, "GET");
  dispatch(f, "POST", "/v1/openapi.yaml", NULL, NULL, NULL, "", 0);
  assert_error(f, 405, "method_not_allowed", NULL);
  g_assert_cmpstr(f->response.allow, ==, "GET");
}

/* For every pattern of the route table: a method it does not take gets 405 with an
 * Allow header listing every method it does take. */
static void test_method_not_allowed_routes(Fixture *f, gconstpointer data) {
  (void)data;
  static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  g_autoptr(GRegex) regex = g_regex_new("\\{[a-z_]+\\}", 0, 0, NULL);
  guint checked = 0;
  for (const ApiRoute *route = api_routes(); route->method != NULL; route++) {
    g_autoptr(GPtrArray) taken = g_ptr_array_new();
    for (const ApiRoute *other = api_routes(); other->method != NULL; other++)
      if (g_str_equal(other->pattern, route->pattern))
        g_ptr_array_add(taken, (gpointer)other->method);
    const char *refused = NULL;
    for (gsize i = 0; i < G_N_ELEMENTS(methods) && refused == NULL; i++)
      if (!g_ptr_array_find_with_equal_func(taken, methods[i], g_str_equal, NULL))
        refused = methods[i];
    g_autofree char *path = g_regex_replace_literal(regex, route->pattern, -1, 0, "x1", 0, NULL);
    dispatch(f, refused, path, NULL, f->token, NULL, "", 0);
    assert_error(f, 405, "method_not_allowed", refused);
    g_assert_nonnull(f->response.allow);
    g_auto(GStrv) allowed = g_strsplit(f->response.allow, ", ", -1);
    for (guint i = 0; i < taken->len; i++)
      g_assert_true(g_strv_contains((const char *const *)allowed, g_ptr_array_index(taken, i)));
    g_assert_false(g_strv_contains((const char *const *)allowed, refused));
    checked++;
  }
  g_assert_cmpuint(checked, >, 0);
}

static void test_builtins(Fixture *f, gconstpointer data) {
  (void)data;
  dispatch(f, "GET", "/v1/health", NULL, NULL, NULL, "", 0);
  g_assert_cmpuint(f->response.status, ==, 200);
  g_assert_cmpstr(f->response.body, ==, "{\"status\":\"ok\"}");
  dispatch(f, "GET", "/v1/openapi.yaml", NULL, NULL, NULL, "", 0);
  g_assert_cmpuint(f->response.status, ==, 200);
  g_assert_cmpstr(f->response.content_type, ==, "application/yaml");
  g_assert_true(g_str_has_prefix(f->response.body, "openapi: 3.1.0\n"));
  g_assert_cmpuint(strlen(f->response.body), ==, f->response.body_length);
}

/* ---- authentication ----------------------------------------------------- */

typedef struct {
  const char *name;
  const char *authorization; /* "REVOKED" and "GONE" are filled in by the test */
  const char *message;
} AuthCase;

static const AuthCase auth_cases[] = {
    {"missing", NULL, "a bearer token is required"},
    {"empty", "", "a bearer token is required"},
    {"basic", "Basic dXNlcjpwYXNz", "must use the Bearer scheme"},
    {"bearer-only", "Bearer", "must use the Bearer scheme"},
    {"no-prefix", "Bearer 0123456789012345678901234567890123456789012", "the token is not valid"},
    {"short", "Bearer hnd_abc", "the token is not valid"},
    {"bad-alphabet", "Bearer hnd_+++++++++++++++++++++++++++++++++++++++++++", "not valid"},
    {"unknown", "Bearer hnd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "the token is not valid"},
    {"trailing", "Bearer hnd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA x", "not valid"},
    {"revoked", "REVOKED", "the token has been revoked"},
    {"scope-gone", "GONE", "no longer exists"},
};

static void test_unauthorized(Fixture *f, gconstpointer data) {
  const AuthCase *c = data;
  g_autofree char *path = concrete_route("GET", NULL);
  g_assert_nonnull(path);
  g_autofree char *authorization = g_strdup(c->authorization);
  g_autoptr(GError) error = NULL;
  if (g_strcmp0(c->authorization, "REVOKED") == 0) {
    gint64 id = 0;
    g_autofree char *secret = NULL;
    g_assert_true(model_store_token_create(f->store, "test", MODEL_ROLE_COORDINATOR, NULL, NULL,
                                           NULL, &id, &secret, &error));
    g_free(authorization);
    authorization = g_strconcat("Bearer ", secret, NULL);
    dispatch(f, "GET", path, NULL, authorization, NULL, "", 0);
    g_assert_cmpuint(f->response.status, !=, 401);
    g_assert_true(model_store_token_revoke(f->store, "test", id, &error));
  } else if (g_strcmp0(c->authorization, "GONE") == 0) {
    run_sql(f->db_path, add_school);
    gint64 id = 0;
    g_autofree char *secret = NULL;
    g_assert_true(model_store_token_create(f->store, "test", MODEL_ROLE_SCHOOL, "s-1", NULL, NULL,
                                           &id, &secret, &error));
    g_assert_no_error(error);
    g_free(authorization);
    authorization = g_strconcat("Bearer ", secret, NULL);
    dispatch(f, "GET", path, NULL, authorization, NULL, "", 0);
    g_assert_cmpuint(f->response.status, !=, 401);
    run_sql(f->db_path, "DELETE FROM schools WHERE id = 's-1'");
  }
  g_assert_no_error(error);
  dispatch(f, "GET", path, NULL, authorization, NULL, "", 0);
  assert_error(f, 401, "unauthorized", c->message);
}

/* Tokens are looked up on a connection of their own, the calling thread's, kept from
 * one request to the next: not the one the handlers read through. */
static gpointer other_thread_auth_store(gpointer data) {
  return api_services_auth_store(data, NULL);
}

static void test_auth_connection(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_services_store(f->services, &error);
  ModelStore *auth = api_services_auth_store(f->services, &error);
  g_assert_no_error(error);
  g_assert_nonnull(store);
  g_assert_nonnull(auth);
  g_assert_true(auth != store);
  g_assert_true(api_services_auth_store(f->services, &error) == auth);
  g_assert_true(api_services_store(f->services, &error) == store);
  GThread *thread = g_thread_new("other", other_thread_auth_store, f->services);
  ModelStore *other = g_thread_join(thread);
  g_assert_nonnull(other);
  g_assert_true(other != auth && other != store);
}

static void test_authorized(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = concrete_route("GET", NULL);
  dispatch(f, "GET", path, NULL, f->token, NULL, "", 0);
  g_assert_cmpuint(f->response.status, !=, 401);
  /* The scheme is case-insensitive (RFC 7235). */
  g_autofree char *lower = g_strconcat("bearer", f->token + strlen("Bearer"), NULL);
  dispatch(f, "GET", path, NULL, lower, NULL, "", 0);
  g_assert_cmpuint(f->response.status, !=, 401);
}

/* ---- body --------------------------------------------------------------- */

typedef struct {
  const char *name;
  const char *content_type;
  const char *body; /* NULL: a body over the limit */
  guint status;     /* 0: the body passes (the handler answers, whatever it says) */
  const char *code;
  const char *message;
} BodyCase;

static const BodyCase body_cases[] = {
    {"too-large", "application/json", NULL, 413, "too_large", "larger than 1048576 bytes"},
    {"text-plain", "text/plain", "{}", 415, "unsupported_media_type", "not text/plain"},
    {"untyped", NULL, "{}", 415, "unsupported_media_type", "not untyped"},
    {"form", "application/x-www-form-urlencoded", "a=1", 415, "unsupported_media_type", NULL},
    {"json-prefix", "application/jsonx", "{}", 415, "unsupported_media_type", NULL},
    {"latin1", "application/json; charset=iso-8859-1", "{}", 415, "unsupported_media_type", NULL},
    {"truncated", "application/json", "{\"a\": [1, 2", 400, "bad_request",
     "not valid JSON: unexpected end of data (byte 11)"},
    {"unquoted", "application/json", "{a: 1}", 400, "bad_request", "not valid JSON"},
    {"trailing", "application/json", "{} {}", 400, "bad_request", "(byte 3)"},
    {"single-quotes", "application/json", "{'a': 1}", 400, "bad_request", "not valid JSON"},
    {"bad-utf8", "application/json", "{\"a\": \"\xc3\x28\"}", 400, "bad_request",
     "not valid UTF-8 (byte 7)"},
    {"overlong-utf8", "application/json", "\"\xc0\xaf\"", 400, "bad_request",
     "not valid UTF-8 (byte 1)"},
    {"deep", "application/json",
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]"
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
     400, "bad_request", "nesting too deep"},
    {"json", "application/json", "{\"a\": 1}", 0, NULL, NULL},
    {"json-charset", "application/json; charset=UTF-8", "[1, 2]", 0, NULL, NULL},
    {"json-quoted-charset", "Application/JSON;charset=\"utf-8\"", "123", 0, NULL, NULL},
    {"empty-untyped", NULL, "", 0, NULL, NULL},
};

static void test_body(Fixture *f, gconstpointer data) {
  const BodyCase *c = data;
  g_autofree char *path = concrete_route("POST", NULL);
  g_assert_nonnull(path);
  g_autofree char *big = NULL;
  const char *body = c->body;
  gsize length = body != NULL ? strlen(body) : API_MAX_BODY_BYTES + 1;
  if (body == NULL) {
    big = g_malloc(length + 1);
    memset(big, ' ', length);
    big[length] = '\0';
    body = big;
  }
  dispatch(f, "POST", path, NULL, f->token, c->content_type, body, length);
  if (c->status != 0) {
    assert_error(f, c->status, c->code, c->message);
    return;
  }
  g_assert_cmpuint(f->response.status, !=, 400);
  g_assert_cmpuint(f->response.status, !=, 413);
  g_assert_cmpuint(f->response.status, !=, 415);
}

/* The body checks come after authentication: no token, no word about the body. */
static void test_body_after_auth(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = concrete_route("POST", NULL);
  dispatch(f, "POST", path, NULL, NULL, "text/plain", "x", 1);
  assert_error(f, 401, "unauthorized", NULL);
}

/* ---- query string and path ---------------------------------------------- */

typedef struct {
  const char *name;
  const char *path;
  const char *query;
  guint status;
  const char *message;
} UrlCase;

static const UrlCase url_cases[] = {
    {"bad-escape", "/v1/health", "limit=%zz", 400,
     "query parameter \"limit\" is not validly percent-encoded UTF-8"},
    {"short-escape", "/v1/health", "cursor=ab%4", 400, "query parameter \"cursor\""},
    {"lone-percent", "/v1/health", "a=1&b=%", 400, "query parameter \"b\""},
    {"bad-utf8", "/v1/health", "name=%ff%fe", 400, "query parameter \"name\""},
    {"nul", "/v1/health", "name=a%00b", 400, "query parameter \"name\""},
    {"bad-name", "/v1/health", "%zz=1", 400, "query parameter name \"%zz\""},
    {"repeated", "/v1/health", "limit=1&limit=2", 400,
     "query parameter \"limit\" is given more than once"},
    {"repeated-encoded", "/v1/health", "limit=1&%6cimit=2", 400, "given more than once"},
    {"ok", "/v1/schools", "district=%C3%A9+b&&limit=5", 200, NULL},
    {"path-escape", "/v1/schools/%zz", NULL, 400, "the path is not validly percent-encoded UTF-8"},
    {"path-utf8", "/v1/schools/%ff", NULL, 400, "the path is not validly percent-encoded UTF-8"},
    {"path-nul", "/v1/schools/a%00", NULL, 400, "the path is not validly percent-encoded UTF-8"},
    {"relative", "v1/health", NULL, 400, "the path must start with '/'"},
    {"deep-path", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s", NULL, 404, "no such resource"},
};

static void test_url(Fixture *f, gconstpointer data) {
  const UrlCase *c = data;
  dispatch(f, "GET", c->path, c->query, f->token, NULL, "", 0);
  if (c->status == 200)
    g_assert_cmpuint(f->response.status, ==, 200);
  else
    assert_error(f, c->status, c->status == 400 ? "bad_request" : "not_found", c->message);
}

static void test_long_segment(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *segment = g_strnfill(257, 'a');
  g_autofree char *path = g_strconcat("/v1/schools/", segment, NULL);
  dispatch(f, "GET", path, NULL, f->token, NULL, "", 0);
  assert_error(f, 400, "bad_request", "a path segment is longer than 256 bytes");
}

/* ---- query parameters a route does not take ------------------------------ */

typedef struct {
  const char *name;
  const char *request; /* "METHOD PATH?QUERY" */
  const char *message; /* the whole message of the 400 */
} ParameterCase;

static const ParameterCase parameter_cases[] = {
    {"misspelt", "GET /v1/requests?shcool=31DJ00",
     "unknown query parameter \"shcool\" (GET /v1/requests takes only limit, cursor, status, "
     "school, district)"},
    {"beside-known", "GET /v1/schools?district=d-1&distrikt=d-1&limit=5",
     "unknown query parameter \"distrikt\" (GET /v1/schools takes only limit, cursor, "
     "district)"},
    {"sorted", "GET /v1/proposals?zz=1&status=any&aa=2&mm",
     "unknown query parameters \"aa\", \"mm\", \"zz\" (GET /v1/proposals takes only limit, "
     "cursor, status, round, district, school, request, from, to, part, priority)"},
    {"export-not-paged", "GET /v1/assignments.csv?from=2020-05-01&limit=5",
     "unknown query parameter \"limit\" (GET /v1/assignments.csv takes only from, to, school, "
     "employee, district, dialect)"},
    {"takes-none", "GET /v1/schools/s-1?district=d-1",
     "unknown query parameter \"district\" (GET /v1/schools/{id} takes none)"},
    {"write", "POST /v1/rounds?dry_run=1",
     "unknown query parameter \"dry_run\" (POST /v1/rounds takes none)"},
    {"builtin", "GET /v1/health?verbose=1",
     "unknown query parameter \"verbose\" (GET /v1/health takes none)"},
    {"case-matters", "GET /v1/audit?Limit=5",
     "unknown query parameter \"Limit\" (GET /v1/audit takes only limit, cursor, order, actor, "
     "action)"},
};

/* Any parameter the route does not take is refused before the handler runs (a round
 * is not started, a list is not answered unfiltered), naming it and what is taken. */
static void test_unknown_parameter(Fixture *f, gconstpointer data) {
  const ParameterCase *c = data;
  g_auto(GStrv) words = g_strsplit_set(c->request, " ?", 3);
  g_assert_cmpuint(g_strv_length(words), ==, 3);
  const char *method = words[0], *path = words[1], *query = words[2];
  dispatch(f, method, path, query, f->token, NULL, "", 0);
  assert_error(f, 400, "unknown_parameter", NULL);
  json_object *error = json_object_object_get(f->json, "error");
  g_assert_cmpstr(json_object_get_string(json_object_object_get(error, "message")), ==, c->message);
  /* The same parameters without the unknown ones are taken. */
  if (g_str_equal(c->name, "beside-known")) {
    dispatch(f, method, path, "district=d-1&limit=5", f->token, NULL, "", 0);
    g_assert_cmpuint(f->response.status, ==, 200);
  }
}

/* Every parameter a route declares reaches its handler: none of them is refused. */
static void test_declared_parameters(Fixture *f, gconstpointer data) {
  (void)data;
  for (const ApiRoute *route = api_routes(); route->method != NULL; route++) {
    if (route->query == NULL)
      continue;
    g_auto(GStrv) names = g_strsplit(route->query, " ", -1);
    /* A path parameter becomes "x": a missing object answers after the query is read. */
    g_autoptr(GString) path = g_string_new(NULL);
    for (const char *c = route->pattern; *c != '\0'; c++) {
      const char *close = *c == '{' ? strchr(c, '}') : NULL;
      g_string_append_c(path, close != NULL ? 'x' : *c);
      if (close != NULL)
        c = close;
    }
    for (gsize i = 0; names[i] != NULL; i++) {
      g_autofree char *query = g_strdup_printf("%s=x", names[i]);
      dispatch(f, route->method, path->str, query, f->token, NULL, "", 0);
      if (f->json != NULL && f->response.status == 400)
        g_assert_cmpstr(json_object_get_string(json_object_object_get(
                            json_object_object_get(f->json, "error"), "code")),
                        !=, "unknown_parameter");
    }
  }
}

/* Without a token the answer is 401 first, whatever the parameters. */
static void test_unknown_parameter_after_auth(Fixture *f, gconstpointer data) {
  (void)data;
  dispatch(f, "GET", "/v1/requests", "shcool=x", NULL, NULL, "", 0);
  assert_error(f, 401, "unauthorized", NULL);
}

/* ---- error bodies and the error table ----------------------------------- */

static void test_error_body(Fixture *f, gconstpointer data) {
  (void)data;
  api_response_fail(&f->response, API_ERROR_INVALID, "/slots/0/date", "\"%s\" is not a valid date",
                    "2020-02-30");
  g_assert_cmpuint(f->response.status, ==, 422);
  g_assert_cmpstr(f->response.body, ==,
                  "{\"error\":{\"status\":422,\"code\":\"invalid_field\","
                  "\"message\":\"\\\"2020-02-30\\\" is not a valid date\","
                  "\"pointer\":\"/slots/0/date\"}}");
  g_assert_cmpuint(f->response.body_length, ==, strlen(f->response.body));
  api_response_clear(&f->response);
  g_assert_null(f->response.body);
  g_assert_cmpuint(f->response.status, ==, 0);
}

/* Every named error has its row: a status from 400 to 599 and a code of its own, and
 * both reach the body unchanged, through a GError of the API_ERROR domain as well. */
static void test_error_table(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GHashTable) codes = g_hash_table_new(g_str_hash, g_str_equal);
  for (int e = 0; e < API_N_ERRORS; e++) {
    guint status = api_error_status((ApiError)e);
    const char *code = api_error_code((ApiError)e);
    g_assert_cmpuint(status, >=, 400);
    g_assert_cmpuint(status, <=, 599);
    g_assert_true(g_hash_table_add(codes, (gpointer)code));
    api_response_fail(&f->response, (ApiError)e, NULL, "error %d", e);
    g_clear_pointer(&f->json, json_object_put);
    f->json = json_tokener_parse(f->response.body);
    g_autofree char *message = g_strdup_printf("error %d", e);
    assert_error(f, status, code, message);
    g_autoptr(GError) error = g_error_new(API_ERROR, e, "error %d", e);
    api_response_gerror(&f->response, error);
    g_clear_pointer(&f->json, json_object_put);
    f->json = json_tokener_parse(f->response.body);
    assert_error(f, status, code,
                 e == API_ERROR_INTERNAL ? "the server could not complete the request" : message);
  }
}

/* The wire format of the store's refusals: 409 with these codes, as openapi.yaml has
 * them; one row per ModelRefusal. */
static void test_refusals(void) {
  static const char *const codes[MODEL_N_REFUSALS] = {
      [MODEL_REFUSAL_NONE] = "conflict",
      [MODEL_REFUSAL_DECIDED] = "already_decided",
      [MODEL_REFUSAL_SUPERSEDED] = "superseded",
      [MODEL_REFUSAL_CANCELLED] = "request_cancelled",
      [MODEL_REFUSAL_INACTIVE] = "employee_inactive",
      [MODEL_REFUSAL_UNAVAILABLE] = "employee_unavailable",
      [MODEL_REFUSAL_DOUBLE_BOOKED] = "double_booked",
      [MODEL_REFUSAL_SLOT_FULL] = "slot_full",
      [MODEL_REFUSAL_WEEK_FULL] = "week_full",
      [MODEL_REFUSAL_NOT_NEEDED] = "slot_not_requested",
      [MODEL_REFUSAL_REJECTED] = "pair_rejected",
      [MODEL_REFUSAL_TOO_FAR] = "too_far",
      [MODEL_REFUSAL_LOCATION_NEEDED] = "location_needed",
  };
  for (int r = 0; r < MODEL_N_REFUSALS; r++) {
    g_assert_nonnull(codes[r]);
    ApiError error = api_error_of_refusal((ModelRefusal)r);
    g_assert_cmpuint(api_error_status(error), ==, 409);
    g_assert_cmpstr(api_error_code(error), ==, codes[r]);
  }
}

typedef struct {
  const char *name;
  GQuark (*domain)(void);
  int code;
  const char *message;
  guint status;
  const char *error_code;
  const char *shown;   /* the message in the body */
  const char *pointer; /* NULL: no "pointer" member */
} GErrorCase;

static const GErrorCase gerror_cases[] = {
    {"api-bad-request", api_error_quark, API_ERROR_BAD_REQUEST, "bad", 400, "bad_request", "bad",
     NULL},
    {"api-unauthorized", api_error_quark, API_ERROR_UNAUTHORIZED, "who", 401, "unauthorized", "who",
     NULL},
    {"api-forbidden", api_error_quark, API_ERROR_FORBIDDEN, "no", 403, "forbidden", "no", NULL},
    {"api-not-found", api_error_quark, API_ERROR_NOT_FOUND, "gone", 404, "not_found", "gone", NULL},
    {"api-conflict", api_error_quark, API_ERROR_CONFLICT, "taken", 409, "conflict", "taken", NULL},
    {"api-too-large", api_error_quark, API_ERROR_TOO_LARGE, "big", 413, "too_large", "big", NULL},
    {"api-media-type", api_error_quark, API_ERROR_MEDIA_TYPE, "xml", 415, "unsupported_media_type",
     "xml", NULL},
    {"api-invalid", api_error_quark, API_ERROR_INVALID, "/slots/0/date: not a date", 422,
     "invalid_field", "not a date", "/slots/0/date"},
    {"api-unavailable", api_error_quark, API_ERROR_UNAVAILABLE, "busy", 503, "unavailable", "busy",
     NULL},
    {"model-invalid", model_error_quark, MODEL_ERROR_INVALID, "/name: too long", 422,
     "invalid_field", "too long", "/name"},
    {"model-invalid-plain", model_error_quark, MODEL_ERROR_INVALID, "name is too long", 422,
     "invalid_field", "name is too long", NULL},
    {"model-not-found", model_error_quark, MODEL_ERROR_NOT_FOUND, "schools/x: no such school", 404,
     "not_found", "schools/x: no such school", NULL},
    {"model-conflict", model_error_quark, MODEL_ERROR_CONFLICT, "slot taken", 409, "conflict",
     "slot taken", NULL},
    {"model-io", model_error_quark, MODEL_ERROR_IO, "/srv/handen.db: disk I/O error", 500,
     "internal", "the server could not complete the request", NULL},
    {"unknown-domain", g_file_error_quark, G_FILE_ERROR_NOENT, "/etc/secret: missing", 500,
     "internal", "the server could not complete the request", NULL},
};

static void test_gerror(Fixture *f, gconstpointer data) {
  const GErrorCase *c = data;
  g_autoptr(GError) error = g_error_new_literal(c->domain(), c->code, c->message);
  api_response_gerror(&f->response, error);
  f->json = json_tokener_parse(f->response.body);
  assert_error(f, c->status, c->error_code, NULL);
  json_object *body = json_object_object_get(f->json, "error");
  g_assert_cmpstr(json_object_get_string(json_object_object_get(body, "message")), ==, c->shown);
  json_object *pointer = NULL;
  if (c->pointer != NULL) {
    g_assert_true(json_object_object_get_ex(body, "pointer", &pointer));
    g_assert_cmpstr(json_object_get_string(pointer), ==, c->pointer);
  } else {
    g_assert_false(json_object_object_get_ex(body, "pointer", &pointer));
  }
}

/* ---- property: whatever arrives, a well-formed answer ------------------- */

/* Seeds that have been run; one fresh seed is added on every run. */
static const guint32 fuzz_seeds[] = {1, 2, 3, 42, 20200316, 20200511};

static const char *const fuzz_pieces[] = {
    "/v1", "/",   "schools", "requests",     "x1",   "{id}",     "%", "%2",
    "%2F", "%00", "%ff",     "%C3%A9",       "..",   ".",        "?", "&",
    "=",   "+",   "approve", "calendar.ics", "\xff", "\xc3\xa9", " ", "\t",
};

static const char *const fuzz_bodies[] = {
    "",
    "{}",
    "[]",
    "{\"slots\": [{\"date\": \"2020-02-30\", \"part\": \"noon\"}]}",
    "null",
    "{\"reason\": \"\"}",
    "{\"districts\": []}",
    "1e999999",
    "-0",
    "\"\\ud800\"",
    "{\"a\":",
    "[[[[[[[[",
    "{\"id\": \"\\u0000\"}",
    "tru",
    "{\"staff_needed\": 99999999999999999999}",
};

static char *fuzz_text(GRand *rand, guint max_pieces) {
  GString *text = g_string_new(NULL);
  guint n = (guint)g_rand_int_range(rand, 0, (gint32)max_pieces + 1);
  for (guint i = 0; i < n; i++) {
    if (g_rand_int_range(rand, 0, 8) == 0)
      g_string_append_c(text, (char)g_rand_int_range(rand, 1, 256));
    else
      g_string_append(text, fuzz_pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(fuzz_pieces))]);
  }
  return g_string_free(text, FALSE);
}

/* A path: a route's pattern with its parameters filled with noise, or only noise. */
static char *fuzz_path(GRand *rand) {
  const ApiRoute *routes = api_routes();
  gint32 n = 0;
  while (routes[n].method != NULL)
    n++;
  if (n == 0 || g_rand_int_range(rand, 0, 4) == 0) {
    g_autofree char *noise = fuzz_text(rand, 6);
    return g_strconcat("/", noise, NULL);
  }
  const char *pattern = routes[g_rand_int_range(rand, 0, n)].pattern;
  g_autofree char *filler = fuzz_text(rand, 3);
  g_autoptr(GRegex) regex = g_regex_new("\\{[a-z_]+\\}", 0, 0, NULL);
  return g_regex_replace_literal(regex, pattern, -1, 0, filler[0] != '\0' ? filler : "x1", 0, NULL);
}

static void test_fuzz(Fixture *f, gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"};
  static const char *const types[] = {"application/json", "text/plain",
                                      "application/json; charset=utf-8", "",
                                      "application/json; charset=latin1"};
  for (int i = 0; i < 200; i++) {
    g_autofree char *path = fuzz_path(rand);
    g_autofree char *query = g_rand_boolean(rand) ? fuzz_text(rand, 5) : NULL;
    g_autofree char *noise = g_rand_int_range(rand, 0, 4) == 0 ? fuzz_text(rand, 8) : NULL;
    const char *body =
        noise != NULL ? noise : fuzz_bodies[g_rand_int_range(rand, 0, G_N_ELEMENTS(fuzz_bodies))];
    const char *type = types[g_rand_int_range(rand, 0, G_N_ELEMENTS(types))];
    const char *method = methods[g_rand_int_range(rand, 0, G_N_ELEMENTS(methods))];
    const char *authorization = g_rand_int_range(rand, 0, 5) == 0 ? NULL : f->token;
    dispatch(f, method, path, query, authorization, type[0] != '\0' ? type : NULL, body,
             strlen(body));
    g_assert_cmpuint(f->response.status, >=, 200);
    g_assert_cmpuint(f->response.status, <=, 599);
    g_assert_cmpuint(f->response.status, !=, 500);
    g_assert_nonnull(f->response.body);
    g_assert_cmpuint(strlen(f->response.body), <=, f->response.body_length);
    if (f->response.status >= 400) {
      g_assert_nonnull(f->json);
      json_object *error = NULL;
      g_assert_true(json_object_object_get_ex(f->json, "error", &error));
      g_assert_cmpint(json_object_get_int(json_object_object_get(error, "status")), ==,
                      (int)f->response.status);
    }
    if (f->response.status == 405)
      g_assert_nonnull(f->response.allow);
  }
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
#define ADD_CASES(prefix, cases, fn)                                                               \
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {                                                \
    g_autofree char *path = g_strconcat(prefix, cases[i].name, NULL);                              \
    g_test_add(path, Fixture, &cases[i], fixture_set_up, fn, fixture_tear_down);                   \
  }

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/http/router/not-found", test_not_found);
  ADD("/http/router/method-not-allowed/builtin", test_method_not_allowed_builtin);
  ADD("/http/router/method-not-allowed/routes", test_method_not_allowed_routes);
  ADD("/http/router/builtins", test_builtins);
  ADD_CASES("/http/router/unauthorized/", auth_cases, test_unauthorized);
  ADD("/http/router/authorized", test_authorized);
  ADD("/http/router/auth-connection", test_auth_connection);
  ADD_CASES("/http/router/body/", body_cases, test_body);
  ADD("/http/router/body-after-auth", test_body_after_auth);
  ADD_CASES("/http/router/url/", url_cases, test_url);
  ADD("/http/router/long-segment", test_long_segment);
  ADD_CASES("/http/router/unknown-parameter/", parameter_cases, test_unknown_parameter);
  ADD("/http/router/unknown-parameter-after-auth", test_unknown_parameter_after_auth);
  ADD("/http/router/declared-parameters", test_declared_parameters);
  ADD("/http/router/error-body", test_error_body);
  ADD("/http/router/error-table", test_error_table);
  g_test_add_func("/http/router/refusals", test_refusals);
  ADD_CASES("/http/router/gerror/", gerror_cases, test_gerror);
  for (gsize i = 0; i <= G_N_ELEMENTS(fuzz_seeds); i++) {
    guint32 seed = i < G_N_ELEMENTS(fuzz_seeds) ? fuzz_seeds[i] : (guint32)g_test_rand_int();
    g_autofree char *path = g_strdup_printf("/http/router/fuzz/%" G_GUINT32_FORMAT, seed);
    g_test_add(path, Fixture, GUINT_TO_POINTER(seed), fixture_set_up, test_fuzz, fixture_tear_down);
  }
  return g_test_run();
}
