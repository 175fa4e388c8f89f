/* test-server.c: the real `handen serve` end to end over a loopback socket: headers
 * and keep-alive, tokens made by `handen token`, and the abuse the server must
 * survive (bodies over the limit, truncated bodies, garbage, slow clients, hundreds
 * of idle connections), each followed by a request that must still be answered;
 * SIGTERM stops it with status 0; a restart keeps the tokens.  Writes wait off the
 * threads that read: with the store's write lock held behind the server's back, reads
 * are answered while approvals wait, and a stop while they wait still ends cleanly. */
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "store-target.h"
#include "http-client.h"
#include "http.h"

typedef struct {
  char *dir;
  char *db_path;
  char *authorization; /* "Authorization: Bearer <coordinator token>" */
  char *token_id;
  HttpServer *server;
} Fixture;

/* Runs `handen token create --role coordinator` and returns the header line. */
static char *create_token(const char *db_path) {
  const char *args[] = {"token", "create", "--role", "coordinator", "--db", db_path, NULL};
  g_autofree char *out = NULL;
  g_assert_cmpint(http_run_handen(args, &out, NULL), ==, 0);
  g_strchomp(out);
  g_assert_true(g_str_has_prefix(out, "hnd_"));
  return g_strconcat("Authorization: Bearer ", out, NULL);
}

/* Starts the server with an idle timeout of `timeout` seconds ("2" for most tests,
 * so the slow-client test is quick). */
static void start_server_with_timeout(Fixture *f, const char *timeout) {
  const char *const extra[] = {"--timeout", timeout, NULL};
  g_autoptr(GError) error = NULL;
  f->server = http_server_start(f->db_path, extra, &error);
  g_assert_no_error(error);
}

static void start_server(Fixture *f) {
  start_server_with_timeout(f, "2");
}

static void fixture_set_up(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp("handen-serve-XXXXXX", &error);
  g_assert_no_error(error);
  f->db_path = store_target_new(f->dir);
  f->authorization = create_token(f->db_path);
  start_server(f);
}

/* Stops the server and checks it exited with status 0 (under the sanitizers, also
 * without leaks). */
static void stop_server(Fixture *f) {
  int status = http_server_stop(g_steal_pointer(&f->server));
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

static void fixture_tear_down(Fixture *f, gconstpointer data) {
  (void)data;
  if (f->server != NULL)
    stop_server(f);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(f->db_path, suffixes[i], NULL);
    g_remove(path);
  }
  g_rmdir(f->dir);
  g_free(f->authorization);
  g_free(f->db_path);
  g_free(f->dir);
}

/* A path of a route that needs a token. */
static char *protected_path(const char *method) {
  g_autoptr(GRegex) regex = g_regex_new("\\{[a-z_]+\\}", 0, 0, NULL);
  for (const ApiRoute *route = api_routes(); route->method != NULL; route++)
    if (!route->public && g_str_equal(route->method, method))
      return g_regex_replace_literal(regex, route->pattern, -1, 0, "x1", 0, NULL);
  g_assert_not_reached();
}

/* Whether a fresh connection gets GET /v1/health answered with 200. */
static gboolean health_answered(Fixture *f) {
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, NULL);
  HttpReply reply = {0};
  gboolean ok = client != NULL &&
                http_client_request(client, "GET", "/v1/health", NULL, NULL, &reply, NULL) &&
                reply.status == 200;
  http_reply_clear(&reply);
  return ok;
}

/* Asserts that the server answers again once it has noticed that many connections
 * went away (it does so in its own time: the test waits, up to a bound). */
static void assert_alive_eventually(Fixture *f) {
  for (int attempt = 0; attempt < 100; attempt++) {
    if (health_answered(f))
      return;
    g_usleep(100 * 1000);
  }
  g_test_fail_printf("the server did not answer within 10 s after the connections closed");
}

/* Asserts that a fresh connection still gets GET /v1/health answered. */
static void assert_alive(Fixture *f) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  HttpReply reply = {0};
  gboolean answered = http_client_request(client, "GET", "/v1/health", NULL, NULL, &reply, &error);
  g_assert_no_error(error);
  g_assert_true(answered);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_cmpstr(reply.body, ==, "{\"status\":\"ok\"}");
  http_reply_clear(&reply);
}

static void test_health_and_headers(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  HttpReply reply = {0};
  g_assert_true(http_client_request(client, "GET", "/v1/health", NULL, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_cmpstr(http_reply_header(&reply, "Content-Type"), ==, "application/json");
  g_assert_cmpstr(http_reply_header(&reply, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr(http_reply_header(&reply, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr(http_reply_header(&reply, "Content-Security-Policy"), ==,
                  "default-src 'self'; frame-ancestors 'none'");
  g_assert_cmpstr(http_reply_header(&reply, "Referrer-Policy"), ==, "no-referrer");
  g_assert_null(http_reply_header(&reply, "Connection"));
  /* The same connection serves the next request (keep-alive). */
  g_assert_true(http_client_request(client, "GET", "/v1/openapi.yaml", NULL, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_cmpstr(http_reply_header(&reply, "Content-Type"), ==, "application/yaml");
  g_assert_true(g_str_has_prefix(reply.body, "openapi: 3.1.0\n"));
  /* Escapes in the path and the query are decoded by the server's router: the path
   * is health's, and the parameter it does not take is named decoded. */
  g_assert_true(
      http_client_request(client, "GET", "/v1/%68ealth?%C3%A9=1", NULL, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 400);
  g_assert_nonnull(strstr(reply.body, "\"code\":\"unknown_parameter\""));
  g_assert_nonnull(strstr(reply.body, "unknown query parameter \\\"\u00e9\\\""));
  g_assert_true(http_client_request(client, "GET", "/v1/health?x=%zz", NULL, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 400);
  g_assert_true(http_client_request(client, "DELETE", "/v1/health", NULL, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 405);
  g_assert_cmpstr(http_reply_header(&reply, "Allow"), ==, "GET");
  g_assert_no_error(error);
  http_reply_clear(&reply);
}

/* Request headers of 8 KB are read whole; far larger ones are refused without
 * harm to the server. */
static void test_large_headers(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  g_autofree char *padding = g_strnfill(8 * 1024, 'a');
  g_autofree char *header = g_strconcat("X-Padding: ", padding, NULL);
  const char *headers[] = {header, NULL};
  HttpReply reply = {0};
  g_assert_true(http_client_request(client, "GET", "/v1/health", headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  g_assert_cmpstr(reply.body, ==, "{\"status\":\"ok\"}");
  http_reply_clear(&reply);
  g_autoptr(HttpClient) big = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  g_autofree char *huge = g_strnfill(256 * 1024, 'a');
  g_autofree char *huge_header = g_strconcat("X-Padding: ", huge, NULL);
  const char *huge_headers[] = {huge_header, NULL};
  gboolean answered =
      http_client_request(big, "GET", "/v1/health", huge_headers, NULL, &reply, NULL);
  if (answered)
    g_assert_cmpuint(reply.status, >=, 400);
  http_reply_clear(&reply);
  assert_alive(f);
}

static void test_tokens(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = protected_path("GET");
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  HttpReply reply = {0};
  g_assert_true(http_client_request(client, "GET", path, NULL, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 401);
  g_assert_cmpstr(http_reply_header(&reply, "WWW-Authenticate"), ==, "Bearer realm=\"handen\"");
  g_assert_true(
      g_str_has_prefix(reply.body, "{\"error\":{\"status\":401,\"code\":\"unauthorized\""));
  const char *headers[] = {f->authorization, NULL};
  g_assert_true(http_client_request(client, "GET", path, headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, !=, 401);

  /* Revoked while the server runs: refused at once. */
  const char *list[] = {"token", "list", "--db", f->db_path, NULL};
  g_autofree char *listing = NULL;
  g_assert_cmpint(http_run_handen(list, &listing, NULL), ==, 0);
  g_assert_true(g_str_has_prefix(listing, "id\trole\tscope\tlabel\tcreated\texpires\tlast_used\t"
                                          "revoked\n1\tcoordinator\tdistricts:*\t-\t"));
  g_assert_null(strstr(listing, "hnd_"));
  const char *revoke[] = {"token", "revoke", "1", "--db", f->db_path, NULL};
  g_assert_cmpint(http_run_handen(revoke, NULL, NULL), ==, 0);
  g_assert_true(http_client_request(client, "GET", path, headers, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 401);
  g_assert_no_error(error);
  http_reply_clear(&reply);
}

/* The line of token `id` in `handen token list`, split at its tabs (transfer full). */
static GStrv token_line(Fixture *f, const char *id) {
  const char *list[] = {"token", "list", "--db", f->db_path, NULL};
  g_autofree char *listing = NULL;
  g_assert_cmpint(http_run_handen(list, &listing, NULL), ==, 0);
  g_auto(GStrv) lines = g_strsplit(listing, "\n", -1);
  for (gsize i = 1; lines[i] != NULL; i++) {
    GStrv cells = g_strsplit(lines[i], "\t", -1);
    if (g_strcmp0(cells[0], id) == 0) {
      g_assert_cmpuint(g_strv_length(cells), ==, 8);
      return cells;
    }
    g_strfreev(cells);
  }
  g_assert_not_reached();
}

/* A label and an expiry; the last use noted; past its expiry a token answers 401
 * "expired", as the API's error body says. */
/* Lets token 2 expire a second ago, behind the server's back. */
static void expire_token_2(const char *db_path) {
  store_target_exec(db_path, store_target_is_pg()
                                 ? "UPDATE tokens SET expires_at = to_char(now() AT TIME ZONE"
                                   " 'UTC' - interval '1 second',"
                                   " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') WHERE id = 2"
                                 : "UPDATE tokens SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ',"
                                   " 'now', '-1 second') WHERE id = 2");
}

static void test_token_expiry(Fixture *f, gconstpointer data) {
  (void)data;
  const char *create[] = {
      "token",     "create", "--role", "coordinator", "--label", "Wijk Haven, dashboard",
      "--expires", "30d",    "--db",   f->db_path,    NULL};
  g_autofree char *secret = NULL;
  g_assert_cmpint(http_run_handen(create, &secret, NULL), ==, 0);
  g_strchomp(secret);
  g_auto(GStrv) fresh = token_line(f, "2");
  g_assert_cmpstr(fresh[3], ==, "Wijk Haven, dashboard");
  g_assert_cmpstr(fresh[6], ==, "-"); /* never used */
  g_assert_cmpstr(fresh[7], ==, "-");
  /* Expires 30 days after it was made, to within the seconds the command took. */
  g_autoptr(GDateTime) created = g_date_time_new_from_iso8601(fresh[4], NULL);
  g_autoptr(GDateTime) expires = g_date_time_new_from_iso8601(fresh[5], NULL);
  g_assert_nonnull(created);
  g_assert_nonnull(expires);
  GTimeSpan lifetime = g_date_time_difference(expires, created) / G_TIME_SPAN_SECOND;
  g_assert_cmpint(lifetime, >=, 30 * 86400 - 5);
  g_assert_cmpint(lifetime, <=, 30 * 86400 + 5);

  g_autofree char *path = protected_path("GET");
  g_autofree char *header = g_strconcat("Authorization: Bearer ", secret, NULL);
  const char *headers[] = {header, NULL};
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  HttpReply reply = {0};
  g_assert_true(http_client_request(client, "GET", path, headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 200);
  /* Uses are written with the next write, or when the server stops. */
  g_clear_pointer(&client, http_client_free);
  stop_server(f);
  g_auto(GStrv) used = token_line(f, "2");
  g_assert_cmpstr(used[6], !=, "-");
  g_assert_cmpstr(used[6], >=, used[4]);
  g_auto(GStrv) other = token_line(f, "1"); /* only the token used */
  g_assert_cmpstr(other[6], ==, "-");
  start_server(f);
  client = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);

  /* Its time comes: refused with the code "expired", while the server runs. */
  expire_token_2(f->db_path);
  g_assert_true(http_client_request(client, "GET", path, headers, NULL, &reply, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reply.status, ==, 401);
  g_assert_true(g_str_has_prefix(reply.body, "{\"error\":{\"status\":401,\"code\":\"expired\","
                                             "\"message\":\"the token expired at "));
  g_assert_cmpstr(http_reply_header(&reply, "WWW-Authenticate"), ==, "Bearer realm=\"handen\"");
  /* The other token still works. */
  const char *coordinator[] = {f->authorization, NULL};
  g_assert_true(http_client_request(client, "GET", path, coordinator, NULL, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 200);
  http_reply_clear(&reply);
}

static void test_restart_keeps_tokens(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = protected_path("GET");
  const char *headers[] = {f->authorization, NULL};
  for (int round = 0; round < 2; round++) {
    if (round == 1) {
      stop_server(f);
      start_server(f);
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
    HttpReply reply = {0};
    g_assert_true(http_client_request(client, "GET", path, headers, NULL, &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, !=, 401);
    http_reply_clear(&reply);
  }
}

/* Connects and sends the start of an authorized JSON POST to `path`: `rest` is what
 * follows the Content-Type line (more header lines, the blank line, any body). */
static HttpClient *post_start(Fixture *f, const char *path, const char *rest) {
  g_autoptr(GError) error = NULL;
  HttpClient *client = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  g_autofree char *head =
      g_strdup_printf("POST %s HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\n%s",
                      path, f->authorization, rest);
  g_assert_true(http_client_send(client, head, strlen(head), &error));
  g_assert_no_error(error);
  return client;
}

/* Sends one chunk of 64 KiB, `chunk` being that many bytes. */
static gboolean send_chunk(HttpClient *client, const char *chunk, GError **error) {
  return http_client_send(client, "10000\r\n", 7, error) &&
         http_client_send(client, chunk, 65536, error) &&
         http_client_send(client, "\r\n", 2, error);
}

static void test_too_large(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = protected_path("POST");
  g_autoptr(GError) error = NULL;
  {
    /* Declared too large: answered before the body is read, then closed. */
    g_autofree char *length =
        g_strdup_printf("Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", API_MAX_BODY_BYTES + 1);
    g_autoptr(HttpClient) client = post_start(f, path, length);
    HttpReply reply = {0};
    g_assert_true(http_client_read_reply(client, &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 413);
    g_assert_cmpstr(reply.body, ==,
                    "{\"error\":{\"status\":413,\"code\":\"too_large\",\"message\":\"the body is "
                    "larger than 1048576 bytes\"}}");
    g_assert_true(http_client_wait_closed(client, 10));
    http_reply_clear(&reply);
  }
  {
    /* Chunked, so the size shows only while reading: read to the end and refused. */
    g_autoptr(HttpClient) client = post_start(f, path, "Transfer-Encoding: chunked\r\n\r\n");
    g_autofree char *chunk = g_strnfill(65536, ' ');
    for (int i = 0; i < 17; i++)
      g_assert_true(send_chunk(client, chunk, &error));
    g_assert_true(http_client_send(client, "0\r\n\r\n", 5, &error));
    g_assert_no_error(error);
    HttpReply reply = {0};
    g_assert_true(http_client_read_reply(client, &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 413);
    http_reply_clear(&reply);
  }
  {
    /* A chunked body that goes on and on: cut off, without a reply. */
    g_autoptr(HttpClient) client = post_start(f, path, "Transfer-Encoding: chunked\r\n\r\n");
    g_autofree char *chunk = g_strnfill(65536, ' ');
    gboolean sending = TRUE;
    for (int i = 0; i < 512 && sending; i++)
      sending = send_chunk(client, chunk, NULL);
    /* 32 MiB could not all be sent: the server stopped reading after 8 MiB. */
    g_assert_false(sending);
  }
  assert_alive(f);
}

static void test_truncated_body(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = protected_path("POST");
  for (int i = 0; i < 20; i++) {
    g_autoptr(HttpClient) client = post_start(f, path, "Content-Length: 100\r\n\r\n{\"a\": 1, ");
    if (i % 2 == 1)
      shutdown(http_client_fd(client), SHUT_WR);
  }
  assert_alive(f);
}

static void test_bad_requests(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *path = protected_path("POST");
  g_autoptr(GError) error = NULL;
  static const char *const garbage[] = {
      "BLAH\r\n\r\n",
      "GET /v1/health HTTP/9.9\r\n\r\n",
      "GET /v1/health HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "GET /v1/health HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "\x01\x02\x03\xff\xfe\r\n\r\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(garbage); i++) {
    g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
    g_assert_true(http_client_send(client, garbage[i], strlen(garbage[i]), &error));
    g_assert_no_error(error);
    HttpReply reply = {0};
    if (http_client_read_reply(client, &reply, NULL))
      g_assert_cmpuint(reply.status, >=, 400);
    http_reply_clear(&reply);
  }
  /* A huge header is refused by the connection's memory limit. */
  {
    g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
    g_autofree char *filler = g_strnfill(200000, 'a');
    g_autofree char *request =
        g_strdup_printf("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Filler: %s\r\n\r\n", filler);
    (void)http_client_send(client, request, strlen(request), NULL);
    HttpReply reply = {0};
    if (http_client_read_reply(client, &reply, NULL))
      g_assert_cmpuint(reply.status, >=, 400);
    http_reply_clear(&reply);
  }
  /* Malformed JSON and invalid UTF-8 over the wire. */
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  const char *headers[] = {f->authorization, "Content-Type: application/json", NULL};
  static const char invalid_utf8[] = "{\"name\": \"\xff\"}";
  HttpReply reply = {0};
  g_assert_true(http_client_send_request(client, "POST", path, headers, invalid_utf8,
                                         strlen(invalid_utf8), &error));
  g_assert_true(http_client_read_reply(client, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 400);
  g_assert_nonnull(strstr(reply.body, "not valid UTF-8 (byte 10)"));
  g_autofree char *deep = g_strnfill(5000, '[');
  g_assert_true(http_client_request(client, "POST", path, headers, deep, &reply, &error));
  g_assert_cmpuint(reply.status, ==, 400);
  g_assert_nonnull(strstr(reply.body, "nesting too deep"));
  const char *form[] = {f->authorization, "Content-Type: text/plain", NULL};
  g_assert_true(http_client_request(client, "POST", path, form, "{}", &reply, &error));
  g_assert_cmpuint(reply.status, ==, 415);
  g_assert_no_error(error);
  http_reply_clear(&reply);
  assert_alive(f);
}

static void test_slow_client(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) idle = http_client_connect(f->server->port, &error);
  g_autoptr(HttpClient) partial = http_client_connect(f->server->port, &error);
  g_assert_no_error(error);
  g_assert_true(http_client_send(partial, "GET /v1/hea", 11, &error));
  g_assert_no_error(error);
  /* --timeout 2: both are closed by the server, long before the 10 s bound. */
  g_assert_true(http_client_wait_closed(partial, 10));
  g_assert_true(http_client_wait_closed(idle, 10));
  assert_alive(f);
}

static void test_many_connections(Fixture *f, gconstpointer data) {
  (void)data;
  /* Idle connections must outlive the test's own pace on a loaded machine. */
  stop_server(f);
  start_server_with_timeout(f, "60");
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func((GDestroyNotify)http_client_free);
  g_autoptr(GError) error = NULL;
  /* Under the per-address limit: all held open, and the server still answers. */
  for (int i = 0; i < 200; i++) {
    HttpClient *client = http_client_connect(f->server->port, &error);
    g_assert_no_error(error);
    g_ptr_array_add(clients, client);
  }
  assert_alive(f);
  /* Over it: the excess is refused, nothing breaks. */
  for (int i = 0; i < 100; i++) {
    HttpClient *client = http_client_connect(f->server->port, NULL);
    if (client != NULL)
      g_ptr_array_add(clients, client);
  }
  /* Half of them send a request and get it answered. */
  for (guint i = 0; i < 100; i++) {
    HttpClient *client = g_ptr_array_index(clients, i);
    g_assert_true(http_client_send_request(client, "GET", "/v1/health", NULL, NULL, 0, &error));
    g_assert_no_error(error);
  }
  for (guint i = 0; i < 100; i++) {
    HttpReply reply = {0};
    g_assert_true(http_client_read_reply(g_ptr_array_index(clients, i), &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 200);
    http_reply_clear(&reply);
  }
  g_ptr_array_set_size(clients, 0);
  assert_alive_eventually(f);
}

static void test_sigterm(Fixture *f, gconstpointer data) {
  (void)data;
  /* An open keep-alive connection does not keep the server from stopping. */
  g_autoptr(GError) error = NULL;
  g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
  HttpReply reply = {0};
  g_assert_true(http_client_request(client, "GET", "/v1/health", NULL, NULL, &reply, &error));
  g_assert_no_error(error);
  http_reply_clear(&reply);
  stop_server(f);
}

/* ---- writes handed off ------------------------------------------------ */

/* More waiting writes than the daemon has threads. */
#define WAITING_WRITES 64

/* Takes SQLite's write lock on the store behind the server's back. */
static sqlite3 *hold_write_lock(const Fixture *f) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(f->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void release_write_lock(sqlite3 *db) {
  g_assert_cmpint(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

/* Whether any reply has begun to arrive on `client` within `ms` milliseconds. */
static gboolean reply_pending(const HttpClient *client, int ms) {
  struct pollfd fd = {.fd = http_client_fd(client), .events = POLLIN};
  return poll(&fd, 1, ms) == 1;
}

/* Takes the store's write lock, then sends WAITING_WRITES approvals, each on a
 * connection of its own, into `clients`, and checks that none is answered: they wait
 * for the lock.  Returns the lock's connection. */
static sqlite3 *approvals_waiting(Fixture *f, GPtrArray *clients) {
  sqlite3 *db = hold_write_lock(f);
  const char *const headers[] = {f->authorization, "Content-Type: application/json", NULL};
  for (int i = 0; i < WAITING_WRITES; i++) {
    g_autoptr(GError) error = NULL;
    HttpClient *client = http_client_connect(f->server->port, &error);
    g_assert_no_error(error);
    g_assert_true(http_client_send_request(client, "POST", "/v1/proposals/a-none/approve", headers,
                                           "{}", 2, &error));
    g_assert_no_error(error);
    g_ptr_array_add(clients, client);
  }
  g_assert_false(reply_pending(g_ptr_array_index(clients, 0), 300));
  for (guint i = 0; i < clients->len; i++)
    g_assert_false(reply_pending(g_ptr_array_index(clients, i), 0));
  return db;
}

static void test_reads_while_writes_wait(Fixture *f, gconstpointer data) {
  (void)data;
  if (store_target_skip_unless_sqlite())
    return;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func((GDestroyNotify)http_client_free);
  sqlite3 *db = approvals_waiting(f, clients);
  /* While the approvals wait, requests on other connections are answered (one that
   * needs no store connection: a thread's first would wait for the lock too, as it
   * opens). */
  for (int i = 0; i < 8; i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(HttpClient) client = http_client_connect(f->server->port, &error);
    g_assert_no_error(error);
    HttpReply reply = {0};
    g_assert_true(
        http_client_request(client, "GET", "/v1/openapi.yaml", NULL, NULL, &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 200);
    http_reply_clear(&reply);
  }
  release_write_lock(db);
  for (guint i = 0; i < clients->len; i++) {
    g_autoptr(GError) error = NULL;
    HttpReply reply = {0};
    g_assert_true(http_client_read_reply(g_ptr_array_index(clients, i), &reply, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(reply.status, ==, 404);
    g_assert_nonnull(strstr(reply.body, "\"code\":\"not_found\""));
    g_assert_nonnull(strstr(reply.body, "no assignment with id"));
    http_reply_clear(&reply);
  }
}

static void test_stop_while_writes_wait(Fixture *f, gconstpointer data) {
  (void)data;
  if (store_target_skip_unless_sqlite())
    return;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func((GDestroyNotify)http_client_free);
  sqlite3 *db = approvals_waiting(f, clients);
  /* Stopping waits for the writes handed off; they go on once the lock is free. */
  g_assert_cmpint(kill(f->server->pid, SIGTERM), ==, 0);
  g_usleep(200 * 1000);
  release_write_lock(db);
  stop_server(f);
  /* Each connection got its answer or was closed; none is left hanging. */
  for (guint i = 0; i < clients->len; i++) {
    HttpReply reply = {0};
    if (http_client_read_reply(g_ptr_array_index(clients, i), &reply, NULL))
      g_assert_cmpuint(reply.status, ==, 404);
    http_reply_clear(&reply);
  }
}

/* ---- the token command ------------------------------------------------ */

typedef struct {
  const char *name;
  const char *args; /* space-separated, after "handen token"; DB is replaced by the store */
  int status;
  const char *message; /* in stderr */
} TokenCliCase;

static const TokenCliCase token_cli_cases[] = {
    {"no-subcommand", "", 2, "handen token: missing subcommand (create, revoke or list)"},
    {"unknown-subcommand", "rotate", 2, "handen token: unknown subcommand 'rotate'"},
    {"no-role", "create --db DB", 2, "handen token create: missing --role"},
    {"bad-role", "create --role admin --db DB", 2,
     "handen token create: --role must be coordinator, school or organisation"},
    {"school-without-id", "create --role school --db DB", 2, "--role school needs --school ID"},
    {"org-without-id", "create --role organisation --db DB", 2,
     "--role organisation needs --organisation ID"},
    {"school-for-coordinator", "create --role coordinator --school s-1 --db DB", 2,
     "--school is only for --role school"},
    {"districts-for-school", "create --role school --school s-1 --districts a --db DB", 2,
     "--districts is only for --role coordinator"},
    {"empty-district", "create --role coordinator --districts a,,b --db DB", 2,
     "--districts has an empty district id"},
    {"unknown-school", "create --role school --school s-9 --db DB", 1,
     "handen token create: schools/s-9: no such school"},
    {"unknown-district", "create --role coordinator --districts d-9 --db DB", 1,
     "districts/d-9: no such district"},
    {"unknown-option", "create --role coordinator --colour red --db DB", 2, "--colour"},
    {"revoke-no-id", "revoke --db DB", 2, "handen token revoke: missing one token ID"},
    {"revoke-not-a-number", "revoke abc --db DB", 2, "'abc' is not a token id"},
    {"revoke-unknown", "revoke 99 --db DB", 1, "handen token revoke: tokens/99: no such token"},
    {"revoke-twice", "revoke 1 --db DB", 0, NULL},
    {"list-extra", "list extra --db DB", 2, "unexpected argument 'extra'"},
    {"expires-no-unit", "create --role coordinator --expires 30 --db DB", 2,
     "--expires: \"30\" is not a lifetime (expected a number and h, d or w, e.g. 30d"},
    {"expires-zero", "create --role coordinator --expires 0d --db DB", 2, "is not a lifetime"},
    {"expires-unit", "create --role coordinator --expires 3y --db DB", 2, "is not a lifetime"},
    {"expires-too-long", "create --role coordinator --expires 3651d --db DB", 2,
     "at most ten years"},
    {"label-empty", "create --role coordinator --label= --db DB", 2,
     "--label must be 1 to 200 characters"},
};

static void test_token_cli(Fixture *f, gconstpointer data) {
  const TokenCliCase *c = data;
  g_auto(GStrv) words = g_strsplit(c->args, " ", -1);
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  g_ptr_array_add(args, (gpointer) "token");
  for (gsize i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0')
      g_ptr_array_add(args, g_str_equal(words[i], "DB") ? f->db_path : words[i]);
  g_ptr_array_add(args, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = http_run_handen((const char *const *)args->pdata, &out, &err);
  g_assert_cmpint(status, ==, c->status);
  if (c->message != NULL && strstr(err, c->message) == NULL)
    g_error("stderr \"%s\" lacks \"%s\"", err, c->message);
  if (c->status != 0)
    g_assert_cmpstr(out, ==, "");
  if (g_str_equal(c->name, "revoke-twice")) {
    g_assert_cmpstr(out, ==, "revoked token 1\n");
    g_free(err);
    g_clear_pointer(&out, g_free);
    g_assert_cmpint(http_run_handen((const char *const *)args->pdata, &out, &err), ==, 1);
    g_assert_nonnull(strstr(err, "tokens/1: the token is already revoked"));
  }
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/http/server/health-and-headers", test_health_and_headers);
  ADD("/http/server/large-headers", test_large_headers);
  ADD("/http/server/tokens", test_tokens);
  ADD("/http/server/token-expiry", test_token_expiry);
  ADD("/http/server/restart-keeps-tokens", test_restart_keeps_tokens);
  ADD("/http/server/too-large", test_too_large);
  ADD("/http/server/truncated-body", test_truncated_body);
  ADD("/http/server/bad-requests", test_bad_requests);
  ADD("/http/server/slow-client", test_slow_client);
  ADD("/http/server/many-connections", test_many_connections);
  ADD("/http/server/sigterm", test_sigterm);
  ADD("/http/server/reads-while-writes-wait", test_reads_while_writes_wait);
  ADD("/http/server/stop-while-writes-wait", test_stop_while_writes_wait);
  for (gsize i = 0; i < G_N_ELEMENTS(token_cli_cases); i++) {
    g_autofree char *path = g_strconcat("/http/token-cli/", token_cli_cases[i].name, NULL);
    g_test_add(path, Fixture, &token_cli_cases[i], fixture_set_up, test_token_cli,
               fixture_tear_down);
  }
  return g_test_run();
}
