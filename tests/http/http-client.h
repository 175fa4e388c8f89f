/* http-client.h: a small HTTP/1.1 client and a `handen serve` launcher for end-to-end
 * tests over a loopback socket.  Keep-alive, Content-Length bodies only (the server
 * never sends chunked replies); every read has a timeout, so a test fails instead of
 * hanging.  Ownership: _new/_start results are freed with their _free/_stop.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads and writes give up after this long. */
#define HTTP_CLIENT_TIMEOUT_SECONDS 15

typedef struct HttpClient HttpClient;

typedef struct {
  guint status;
  GPtrArray *header_names;  /* char*, as sent */
  GPtrArray *header_values; /* char*, same order */
  char *body;               /* NUL-terminated */
  gsize body_length;
} HttpReply;

/* Connects to 127.0.0.1:port.  NULL with `error` set on failure. */
HttpClient *http_client_connect(guint16 port, GError **error);
void http_client_free(HttpClient *client); /* NULL-safe; closes the socket */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HttpClient, http_client_free)

/* The socket, for tests that misbehave on purpose. */
int http_client_fd(const HttpClient *client);

/* Sends raw bytes. */
gboolean http_client_send(HttpClient *client, const void *data, gsize length, GError **error);

/* Sends one request: "METHOD TARGET HTTP/1.1", Host, each of `headers` ("Name:
 * value", NULL-terminated, may be NULL), Content-Length when `body` is not NULL, and
 * the body. */
gboolean http_client_send_request(HttpClient *client, const char *method, const char *target,
                                  const char *const *headers, const char *body, gsize length,
                                  GError **error);

/* Reads one reply into `reply` (cleared first).  Fails when the connection closes or
 * times out before a whole reply arrived. */
gboolean http_client_read_reply(HttpClient *client, HttpReply *reply, GError **error);

/* send_request then read_reply. */
gboolean http_client_request(HttpClient *client, const char *method, const char *target,
                             const char *const *headers, const char *body, HttpReply *reply,
                             GError **error);

/* TRUE when the server has closed the connection: a read sees end of file (or a
 * reset) within `timeout_seconds`; FALSE when data arrives or the time passes. */
gboolean http_client_wait_closed(HttpClient *client, guint timeout_seconds);

/* The first header called `name` (any case), or NULL. */
const char *http_reply_header(const HttpReply *reply, const char *name);
void http_reply_clear(HttpReply *reply);

/* ---- a `handen serve` process ------------------------------------------- */

typedef struct {
  GPid pid;
  guint16 port;
} HttpServer;

/* The day the test servers take as today: the fixtures are spring 2020. */
#define HTTP_SERVER_TODAY "2020-04-13"

/* Starts "$HANDEN_BIN serve --port 0 --db DB_PATH --today HTTP_SERVER_TODAY
 * EXTRA_ARGS..." and reads the port from its first line of output.  NULL with `error` set when it
 * does not start. */
HttpServer *http_server_start(const char *db_path, const char *const *extra_args, GError **error);

/* Sends SIGTERM, waits for the process and frees; returns its wait status (see
 * g_spawn_check_wait_status), or -1 for NULL. */
int http_server_stop(HttpServer *server);

/* Runs "$HANDEN_BIN ARGS..." to completion; returns its exit status (-1 when it did
 * not exit normally), its stdout and stderr (transfer full) in *out_stdout and
 * *out_stderr when not NULL. */
int http_run_handen(const char *const *args, char **out_stdout, char **out_stderr);

/* `length` bytes of gzip-coded `data` inflated (transfer full); fails the test on a
 * coding error. */
GBytes *http_inflate_gzip(const void *data, gsize length);

G_END_DECLS
