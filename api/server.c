/* server.c: `handen serve`'s HTTP server on libmicrohttpd (see server.h).  A request
 * is gathered into a context of its own (raw URI, headers looked up at the end, a
 * body buffer capped at API_MAX_BODY_BYTES), answered by api_router_dispatch(), and
 * freed when libmicrohttpd reports it completed, whatever the way it ended.
 *
 * Invariants: a response is queued on the handler's last call for the request, when
 * the body is complete, never on the first call, except to refuse a body whose
 * declared length is over the cap: then answering at once is the point, because it
 * makes libmicrohttpd stop reading and close the connection.  (Queueing on the first
 * call in 0.9.75 turns every reply into "Connection: close", about five times slower
 * for keep-alive clients.)  Every queued response is destroyed right after.  Every
 * response carries the security headers below.  Requests go through the calling
 * thread's response cache (cache.h), which answers repeated authenticated GETs while
 * the store is unchanged; a cached answer goes out with exactly the headers of a
 * fresh one, and its body is sent from the cache's bytes without a copy.  API answers
 * are "Cache-Control: no-store"; a web file names its own caching and entity tag, and
 * a GET or HEAD whose If-None-Match names that tag gets 304 without a body.
 *
 * Requests that may change the store (every method but GET, HEAD and OPTIONS) are not
 * answered on the daemon's threads: the connection is suspended and the request handed
 * to a pool of writer threads, which answers it and resumes the connection; the
 * daemon's thread goes on serving its other connections meanwhile.  So a write that
 * waits (for the write lock, or for its batch of decisions to commit) holds up no
 * read, and as many decisions can wait for one commit as there are writer threads,
 * not daemon threads.  A suspended connection is always resumed: api_server_stop()
 * stops handing off, then waits for the writers to finish every request handed to
 * them before it stops the daemon (libmicrohttpd forbids stopping with a connection
 * suspended).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "gzip.h"
#include "server.h"

/* libmicrohttpd's pool per connection: the request line, headers and our reply's
 * headers must fit (8 KB of request headers are tested).  The body is buffered
 * outside it.  The pool is zeroed between the requests of a keep-alive connection, so
 * its size is paid on every request: at 64 KB that zeroing took a tenth of the CPU of
 * GET /v1/proposals under load. */
#define CONNECTION_MEMORY_BYTES ((size_t)16 * 1024)
/* A chunked body over the cap is read and dropped up to this much, then the
 * connection is closed without a reply. */
#define MAX_DISCARDED_BYTES (8 * API_MAX_BODY_BYTES)
/* Writer threads: how many writes may wait at once, so also the largest batch of
 * decisions that can form.  Each writer that writes opens its own store connections. */
#define WRITER_THREADS 32

struct ApiServer {
  struct MHD_Daemon *daemon;
  ApiServices *services; /* borrowed */
  ApiCachePool *caches;  /* one response cache per request thread */
  guint16 port;
  gboolean verbose;
  GThreadPool *writers; /* answers the requests handed off (RequestContext*) */
  GMutex hand_lock;     /* guards `stopping` against a hand-off in progress */
  gboolean stopping;    /* no more hand-offs: requests are answered where they arrive */
};

/* One request: created by log_uri() before the headers are parsed, freed by
 * request_completed(). */
typedef struct {
  char *uri;        /* as sent, with the query string, not decoded */
  GString *body;    /* NULL until the first byte; never over API_MAX_BODY_BYTES */
  gboolean started; /* the handler has been called once */
  gboolean too_large;
  gsize discarded;   /* body bytes dropped after too_large */
  gint64 started_at; /* monotonic, microseconds */
  /* Set when the request is handed to a writer (the connection suspended meanwhile):
   * what the writer needs, copied from the connection, and then its answer. */
  struct MHD_Connection *connection;
  char *route_method;
  char *authorization;
  char *content_type;
  gboolean gzip;     /* Accept-Encoding allows gzip */
  gboolean answered; /* by the writer: `response` and `reply_body` are to be queued */
  ApiResponse response;
  GBytes *reply_body;
} RequestContext;

static void request_context_free(RequestContext *context) {
  if (context == NULL)
    return;
  g_free(context->uri);
  if (context->body != NULL)
    g_string_free(context->body, TRUE);
  g_free(context->route_method);
  g_free(context->authorization);
  g_free(context->content_type);
  api_response_clear(&context->response);
  if (context->reply_body != NULL)
    g_bytes_unref(context->reply_body);
  g_free(context);
}

static void *log_uri(void *cls, const char *uri, struct MHD_Connection *connection) {
  (void)cls;
  (void)connection;
  RequestContext *context = g_new0(RequestContext, 1);
  context->uri = g_strdup(uri);
  context->started_at = g_get_monotonic_time();
  return context;
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                              enum MHD_RequestTerminationCode code) {
  (void)cls;
  (void)connection;
  (void)code;
  request_context_free(*con_cls);
  *con_cls = NULL;
}

/* libmicrohttpd's own messages (a client sending garbage, a full connection table)
 * are noise in normal operation: shown only with --verbose. */
static void log_daemon_message(void *cls, const char *fmt, va_list args) {
  const ApiServer *server = cls;
  if (!server->verbose)
    return;
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  fprintf(stderr, "handen serve: %s", message);
}

/* Adds a header; a failure (no room left in the connection's pool) is reported by
 * the caller's queue failing, so it is only noted here. */
static void add_header(struct MHD_Response *reply, const char *name, const char *value) {
  if (value != NULL && MHD_add_response_header(reply, name, value) == MHD_NO)
    g_message("cannot add the %s header", name);
}

static void unref_bytes(void *bytes) {
  g_bytes_unref(bytes);
}

/* Queues the status and headers of `response` with `body` (its own reference is
 * taken for as long as libmicrohttpd sends it) and logs it when asked. */
static enum MHD_Result queue(const ApiServer *server, struct MHD_Connection *connection,
                             const char *method, const RequestContext *context,
                             const ApiResponse *response, GBytes *body) {
  gsize length = 0;
  const void *data = g_bytes_get_data(body, &length);
  struct MHD_Response *reply = MHD_create_response_from_buffer_with_free_callback_cls(
      length, (void *)(data != NULL ? data : ""), unref_bytes, g_bytes_ref(body));
  if (reply == NULL) {
    g_bytes_unref(body); /* the reference meant for libmicrohttpd */
    return MHD_NO;
  }
  add_header(reply, MHD_HTTP_HEADER_CONTENT_TYPE,
             response->content_type != NULL ? response->content_type : "application/json");
  add_header(reply, MHD_HTTP_HEADER_CACHE_CONTROL,
             response->cache_control != NULL ? response->cache_control : "no-store");
  add_header(reply, MHD_HTTP_HEADER_ETAG, response->etag);
  add_header(reply, "X-Content-Type-Options", "nosniff");
  add_header(reply, "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
  add_header(reply, "Referrer-Policy", "no-referrer");
  add_header(reply, MHD_HTTP_HEADER_ALLOW, response->allow);
  add_header(reply, MHD_HTTP_HEADER_LOCATION, response->location);
  add_header(reply, "Content-Disposition", response->disposition);
  add_header(reply, MHD_HTTP_HEADER_CONTENT_ENCODING, response->gzip ? "gzip" : NULL);
  add_header(reply, MHD_HTTP_HEADER_VARY, response->by_coding ? "Accept-Encoding" : NULL);
  if (response->status == 401)
    add_header(reply, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"handen\"");
  enum MHD_Result result = MHD_queue_response(connection, response->status, reply);
  MHD_destroy_response(reply);
  if (server->verbose) {
    /* Escaped: method and path are the client's, and must not forge log lines. */
    g_autofree char *raw = g_strndup(context->uri, strcspn(context->uri, "?"));
    g_autofree char *path = g_strescape(raw, NULL);
    g_autofree char *shown_method = g_strescape(method, NULL);
    gint64 micros = g_get_monotonic_time() - context->started_at;
    fprintf(stderr, "handen serve: %s %s %u %" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT " ms\n",
            shown_method, path, response->status, micros / 1000, micros % 1000);
  }
  return result;
}

/* The declared Content-Length, or 0 when absent or not a number (libmicrohttpd has
 * already refused a malformed one). */
static guint64 declared_length(struct MHD_Connection *connection) {
  const char *text =
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 length = 0;
  if (text == NULL || !g_ascii_string_to_unsigned(text, 10, 0, G_MAXUINT64, &length, NULL))
    return 0;
  return length;
}

/* Appends a piece of the body, or marks the request too large (dropping what was
 * gathered) once it would pass the cap. */
static void gather_body(RequestContext *context, const char *data, size_t size) {
  if (context->too_large) {
    context->discarded += MIN(size, API_MAX_BODY_BYTES);
    return;
  }
  gsize held = context->body != NULL ? context->body->len : 0;
  if (size > API_MAX_BODY_BYTES - held) {
    context->too_large = TRUE;
    if (context->body != NULL)
      g_string_free(g_steal_pointer(&context->body), TRUE);
    return;
  }
  if (context->body == NULL)
    context->body = g_string_sized_new(MIN((gsize)size, API_MAX_BODY_BYTES));
  g_string_append_len(context->body, data, (gssize)size);
}

/* Answers the complete request of `context` through the calling thread's response
 * cache and the router, into `response` and `reply_body`. */
static void answer(ApiServer *server, const RequestContext *context, const char *route_method,
                   const char *authorization, const char *content_type, gboolean gzip,
                   ApiResponse *response, GBytes **reply_body) {
  const char *query = strchr(context->uri, '?');
  g_autofree char *path =
      g_strndup(context->uri, query != NULL ? (gsize)(query - context->uri) : strlen(context->uri));
  const char *body = context->body != NULL ? context->body->str : "";
  gsize body_length = context->body != NULL ? context->body->len : 0;
  api_cache_dispatch(api_cache_pool_get(server->caches), server->services, g_get_monotonic_time(),
                     route_method, path, query != NULL ? query + 1 : NULL, authorization,
                     content_type, body, body_length, gzip, response, reply_body);
}

/* A writer thread's task: answers a handed-off request, then resumes its connection,
 * whose thread queues the answer.  The context is the connection's again once resumed:
 * it is not touched after that. */
static void write_task(gpointer data, gpointer user_data) {
  RequestContext *context = data;
  ApiServer *server = user_data;
  answer(server, context, context->route_method, context->authorization, context->content_type,
         context->gzip, &context->response, &context->reply_body);
  context->answered = TRUE;
  MHD_resume_connection(context->connection);
}

static gboolean accepts_gzip(struct MHD_Connection *connection) {
  return api_gzip_accepted(
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING));
}

static gboolean may_write(const char *route_method) {
  return !g_str_equal(route_method, "GET") && !g_str_equal(route_method, "OPTIONS");
}

/* Hands the complete request of `context` to the writers and suspends its connection;
 * FALSE when the server is stopping (the caller answers it itself). */
static gboolean hand_off(ApiServer *server, struct MHD_Connection *connection,
                         RequestContext *context, const char *route_method) {
  g_mutex_lock(&server->hand_lock);
  if (server->stopping) {
    g_mutex_unlock(&server->hand_lock);
    return FALSE;
  }
  context->connection = connection;
  context->route_method = g_strdup(route_method);
  context->authorization = g_strdup(
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
  context->content_type = g_strdup(
      MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE));
  context->gzip = accepts_gzip(connection);
  /* Suspended before the writer can resume it. */
  MHD_suspend_connection(connection);
  g_thread_pool_push(server->writers, context, NULL);
  g_mutex_unlock(&server->hand_lock);
  return TRUE;
}

static enum MHD_Result handle_request(void *cls, struct MHD_Connection *connection, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls) {
  (void)url; /* already decoded by libmicrohttpd: the router decodes the raw URI itself */
  (void)version;
  ApiServer *server = cls;
  RequestContext *context = *con_cls;
  if (context == NULL) /* log_uri() runs for every request; this is defensive */
    *con_cls = context = log_uri(NULL, url, connection);
  /* HEAD is answered as GET; libmicrohttpd leaves the body out. */
  const char *route_method = g_str_equal(method, MHD_HTTP_METHOD_HEAD) ? "GET" : method;

  if (!context->started) {
    context->started = TRUE;
    if (declared_length(connection) <= API_MAX_BODY_BYTES)
      return MHD_YES;
    context->too_large = TRUE;
    ApiResponse response = {0};
    api_response_fail(&response, API_ERROR_TOO_LARGE, NULL,
                      "the body is larger than %" G_GSIZE_FORMAT " bytes", API_MAX_BODY_BYTES);
    g_autoptr(GBytes) body = api_cache_take_body(&response);
    enum MHD_Result result = queue(server, connection, method, context, &response, body);
    api_response_clear(&response);
    return result;
  }
  if (*upload_data_size > 0) {
    gather_body(context, upload_data, *upload_data_size);
    *upload_data_size = 0;
    /* A chunked body over the cap is read to its end to answer 413 (libmicrohttpd
     * takes no reply in the middle of a body); one that goes on and on is cut off. */
    return context->discarded > MAX_DISCARDED_BYTES ? MHD_NO : MHD_YES;
  }

  if (context->answered) /* by a writer: resumed to send it */
    return queue(server, connection, method, context, &context->response, context->reply_body);
  ApiResponse response = {0};
  g_autoptr(GBytes) reply_body = NULL;
  if (context->too_large) {
    api_response_fail(&response, API_ERROR_TOO_LARGE, NULL,
                      "the body is larger than %" G_GSIZE_FORMAT " bytes", API_MAX_BODY_BYTES);
    reply_body = api_cache_take_body(&response);
  } else if (may_write(route_method) && hand_off(server, connection, context, route_method)) {
    return MHD_YES;
  } else {
    answer(server, context, route_method,
           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
           MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
           accepts_gzip(connection), &response, &reply_body);
    /* A web file the client holds already: 304, the headers without the body. */
    if (api_response_not_modified(&response, route_method,
                                  MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
                                                              MHD_HTTP_HEADER_IF_NONE_MATCH))) {
      g_bytes_unref(reply_body);
      reply_body = g_bytes_new(NULL, 0);
      response.gzip = FALSE;
    }
  }
  enum MHD_Result result = queue(server, connection, method, context, &response, reply_body);
  api_response_clear(&response);
  return result;
}

/* Fills `address` from a numeric IPv4 or IPv6 address; FALSE when it is neither. */
static gboolean parse_address(const char *text, guint16 port, struct sockaddr_storage *address,
                              gboolean *out_ipv6) {
  memset(address, 0, sizeof *address);
  struct sockaddr_in *v4 = (struct sockaddr_in *)address;
  if (inet_pton(AF_INET, text, &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *out_ipv6 = FALSE;
    return TRUE;
  }
  struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)address;
  if (inet_pton(AF_INET6, text, &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *out_ipv6 = TRUE;
    return TRUE;
  }
  return FALSE;
}

ApiServer *api_server_start(ApiServices *services, const ApiServerOptions *options,
                            GError **error) {
  g_return_val_if_fail(services != NULL && options != NULL, NULL);
  g_return_val_if_fail(options->threads >= 1 && options->connection_limit >= 1, NULL);
  struct sockaddr_storage address;
  gboolean ipv6 = FALSE;
  if (!parse_address(options->bind_address, options->port, &address, &ipv6)) {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "--bind \"%s\" is not a numeric IPv4 or IPv6 address", options->bind_address);
    return NULL;
  }
  ApiCacheLimits limits;
  api_cache_limits_init(&limits);
  g_autoptr(ApiCachePool) caches = api_cache_pool_new(&limits);
  g_autofree ApiServer *server = g_new0(ApiServer, 1);
  server->services = services;
  server->caches = caches;
  server->verbose = options->verbose;
  g_mutex_init(&server->hand_lock);
  server->writers = g_thread_pool_new(write_task, server, WRITER_THREADS, TRUE, NULL);
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                       MHD_ALLOW_SUSPEND_RESUME;
  if (ipv6)
    flags |= MHD_USE_IPv6;
  /* One option a line. */
  /* clang-format off */
  server->daemon = MHD_start_daemon(
      flags, options->port, NULL, NULL, handle_request, server,
      /* First, so that it receives every message, those about the options too. */
      MHD_OPTION_EXTERNAL_LOGGER, log_daemon_message, server,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)options->threads,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned int)options->connection_limit,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)options->per_address_limit,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)options->timeout_seconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_MEMORY_BYTES,
      MHD_OPTION_URI_LOG_CALLBACK, log_uri, NULL,
      MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
      MHD_OPTION_END);
  /* clang-format on */
  if (server->daemon == NULL) {
    g_thread_pool_free(server->writers, FALSE, TRUE);
    g_mutex_clear(&server->hand_lock);
    g_set_error(error, API_ERROR, API_ERROR_UNAVAILABLE, "cannot listen on %s port %u",
                options->bind_address, options->port);
    return NULL;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
  server->port = info != NULL ? info->port : options->port;
  (void)g_steal_pointer(&caches); /* now the server's */
  return g_steal_pointer(&server);
}

guint16 api_server_port(const ApiServer *server) {
  return server->port;
}

void api_server_stop(ApiServer *server) {
  if (server == NULL)
    return;
  g_mutex_lock(&server->hand_lock);
  server->stopping = TRUE;
  g_mutex_unlock(&server->hand_lock);
  /* Every request handed off is answered and its connection resumed. */
  g_thread_pool_free(server->writers, FALSE, TRUE);
  MHD_stop_daemon(server->daemon);
  g_mutex_clear(&server->hand_lock);
  /* The daemon's threads are joined: no cache is in use any more. */
  api_cache_pool_free(server->caches);
  g_free(server);
}
