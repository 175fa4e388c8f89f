/* http-client.c: the loopback HTTP/1.1 client and server launcher of the
 * end-to-end tests (see http-client.h).  Replies are read through one buffer per
 * connection, so pipelined or kept-alive replies are never lost between reads. */
#include "http-client.h"

#include <gio/gio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Caps on what is accepted from the server. */
#define MAX_HEAD_BYTES (64 * 1024)
#define MAX_BODY_BYTES (16 * 1024 * 1024)

struct HttpClient {
  int fd;
  GString *buffer; /* received, not yet consumed */
};

HttpClient *http_client_connect(guint16 port, GError **error) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "socket: %s",
                g_strerror(errno));
    return NULL;
  }
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    int saved = errno;
    close(fd);
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "connect to port %u: %s", port,
                g_strerror(saved));
    return NULL;
  }
  /* A request goes out as head then body: without TCP_NODELAY, Nagle's algorithm holds
   * the body until the server's delayed acknowledgement, about 40 ms a request. */
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  HttpClient *client = g_new0(HttpClient, 1);
  client->fd = fd;
  client->buffer = g_string_new(NULL);
  return client;
}

void http_client_free(HttpClient *client) {
  if (client == NULL)
    return;
  close(client->fd);
  g_string_free(client->buffer, TRUE);
  g_free(client);
}

int http_client_fd(const HttpClient *client) {
  return client->fd;
}

/* Waits until `fd` is readable or writable (`events`); FALSE on timeout. */
static gboolean wait_fd(int fd, short events, guint timeout_seconds) {
  struct pollfd pfd = {.fd = fd, .events = events};
  int rc;
  do
    rc = poll(&pfd, 1, (int)timeout_seconds * 1000);
  while (rc < 0 && errno == EINTR);
  return rc > 0;
}

gboolean http_client_send(HttpClient *client, const void *data, gsize length, GError **error) {
  const char *p = data;
  while (length > 0) {
    if (!wait_fd(client->fd, POLLOUT, HTTP_CLIENT_TIMEOUT_SECONDS)) {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_AGAIN, "send timed out");
      return FALSE;
    }
    ssize_t n = send(client->fd, p, length, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "send: %s",
                  g_strerror(errno));
      return FALSE;
    }
    p += n;
    length -= (gsize)n;
  }
  return TRUE;
}

gboolean http_client_send_request(HttpClient *client, const char *method, const char *target,
                                  const char *const *headers, const char *body, gsize length,
                                  GError **error) {
  GString *head = g_string_new(NULL);
  g_string_append_printf(head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", method, target);
  for (gsize i = 0; headers != NULL && headers[i] != NULL; i++)
    g_string_append_printf(head, "%s\r\n", headers[i]);
  if (body != NULL)
    g_string_append_printf(head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  g_string_append(head, "\r\n");
  g_autofree char *text = g_string_free(head, FALSE);
  return http_client_send(client, text, strlen(text), error) &&
         (body == NULL || http_client_send(client, body, length, error));
}

/* Reads more into the buffer; FALSE with `error` on end of file, error or timeout. */
static gboolean fill(HttpClient *client, GError **error) {
  char chunk[16384];
  if (!wait_fd(client->fd, POLLIN, HTTP_CLIENT_TIMEOUT_SECONDS)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_AGAIN, "no reply within %d s",
                HTTP_CLIENT_TIMEOUT_SECONDS);
    return FALSE;
  }
  ssize_t n;
  do
    n = recv(client->fd, chunk, sizeof chunk, 0);
  while (n < 0 && errno == EINTR);
  if (n == 0) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PIPE, "the server closed the connection");
    return FALSE;
  }
  if (n < 0) {
    g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "recv: %s", g_strerror(errno));
    return FALSE;
  }
  g_string_append_len(client->buffer, chunk, n);
  return TRUE;
}

void http_reply_clear(HttpReply *reply) {
  g_clear_pointer(&reply->header_names, g_ptr_array_unref);
  g_clear_pointer(&reply->header_values, g_ptr_array_unref);
  g_clear_pointer(&reply->body, g_free);
  reply->body_length = 0;
  reply->status = 0;
}

const char *http_reply_header(const HttpReply *reply, const char *name) {
  for (guint i = 0; reply->header_names != NULL && i < reply->header_names->len; i++)
    if (g_ascii_strcasecmp(g_ptr_array_index(reply->header_names, i), name) == 0)
      return g_ptr_array_index(reply->header_values, i);
  return NULL;
}

/* Parses the status line and headers of `head` (without the blank line). */
static gboolean parse_head(const char *head, HttpReply *reply, GError **error) {
  g_auto(GStrv) lines = g_strsplit(head, "\r\n", -1);
  guint status = 0;
  if (lines[0] == NULL || sscanf(lines[0], "HTTP/1.%*d %u", &status) != 1) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "bad status line: %s",
                lines[0] != NULL ? lines[0] : "");
    return FALSE;
  }
  reply->status = status;
  for (gsize i = 1; lines[i] != NULL; i++) {
    const char *colon = strchr(lines[i], ':');
    if (colon == NULL)
      continue;
    g_ptr_array_add(reply->header_names, g_strndup(lines[i], (gsize)(colon - lines[i])));
    g_ptr_array_add(reply->header_values, g_strstrip(g_strdup(colon + 1)));
  }
  return TRUE;
}

gboolean http_client_read_reply(HttpClient *client, HttpReply *reply, GError **error) {
  http_reply_clear(reply);
  reply->header_names = g_ptr_array_new_with_free_func(g_free);
  reply->header_values = g_ptr_array_new_with_free_func(g_free);
  const char *end;
  while ((end = strstr(client->buffer->str, "\r\n\r\n")) == NULL) {
    if (client->buffer->len > MAX_HEAD_BYTES) {
      g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "reply head too long");
      return FALSE;
    }
    if (!fill(client, error))
      return FALSE;
  }
  gsize head_length = (gsize)(end - client->buffer->str);
  g_autofree char *head = g_strndup(client->buffer->str, head_length);
  g_string_erase(client->buffer, 0, (gssize)(head_length + 4));
  if (!parse_head(head, reply, error))
    return FALSE;
  const char *length_text = http_reply_header(reply, "Content-Length");
  guint64 length = 0;
  if (length_text == NULL ||
      !g_ascii_string_to_unsigned(length_text, 10, 0, MAX_BODY_BYTES, &length, NULL)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "no usable Content-Length");
    return FALSE;
  }
  while (client->buffer->len < length)
    if (!fill(client, error))
      return FALSE;
  /* Copied as bytes: a gzip-coded body holds NULs. */
  reply->body = g_malloc(length + 1);
  memcpy(reply->body, client->buffer->str, length);
  reply->body[length] = '\0';
  reply->body_length = length;
  g_string_erase(client->buffer, 0, (gssize)length);
  return TRUE;
}

gboolean http_client_request(HttpClient *client, const char *method, const char *target,
                             const char *const *headers, const char *body, HttpReply *reply,
                             GError **error) {
  return http_client_send_request(client, method, target, headers, body,
                                  body != NULL ? strlen(body) : 0, error) &&
         http_client_read_reply(client, reply, error);
}

gboolean http_client_wait_closed(HttpClient *client, guint timeout_seconds) {
  if (!wait_fd(client->fd, POLLIN, timeout_seconds))
    return FALSE;
  char byte;
  ssize_t n;
  do
    n = recv(client->fd, &byte, 1, 0);
  while (n < 0 && errno == EINTR);
  return n == 0 || (n < 0 && errno == ECONNRESET);
}

/* ---- server process ----------------------------------------------------- */

static const char *handen_bin(void) {
  const char *bin = g_getenv("HANDEN_BIN");
  g_assert_nonnull(bin);
  return bin;
}

/* Reads one line from `fd` within the timeout (transfer full), or NULL. */
static char *read_line(int fd) {
  GString *line = g_string_new(NULL);
  for (;;) {
    char c;
    if (!wait_fd(fd, POLLIN, HTTP_CLIENT_TIMEOUT_SECONDS))
      break;
    ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    if (c == '\n')
      return g_string_free(line, FALSE);
    g_string_append_c(line, c);
  }
  g_string_free(line, TRUE);
  return NULL;
}

/* Runs in the child before exec: a test that aborts must not leave its server
 * running. */
static void die_with_parent(gpointer data) {
  (void)data;
  prctl(PR_SET_PDEATHSIG, SIGTERM);
}

HttpServer *http_server_start(const char *db_path, const char *const *extra_args, GError **error) {
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)handen_bin());
  g_ptr_array_add(argv, (gpointer) "serve");
  g_ptr_array_add(argv, (gpointer) "--port");
  g_ptr_array_add(argv, (gpointer) "0");
  g_ptr_array_add(argv, (gpointer) "--db");
  g_ptr_array_add(argv, (gpointer)db_path);
  g_ptr_array_add(argv, (gpointer) "--today");
  g_ptr_array_add(argv, (gpointer)HTTP_SERVER_TODAY);
  for (gsize i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)extra_args[i]);
  g_ptr_array_add(argv, NULL);
  GPid pid = 0;
  int out = -1;
  if (!g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                die_with_parent, NULL, &pid, NULL, &out, NULL, error))
    return NULL;
  g_autofree char *line = read_line(out);
  close(out);
  /* "handen: serving http://127.0.0.1:PORT/ (store PATH)" */
  const char *at = line != NULL ? strstr(line, "127.0.0.1:") : NULL;
  g_autofree char *digits = at != NULL ? g_strndup(at + 10, strcspn(at + 10, "/")) : NULL;
  guint64 port = 0;
  if (digits == NULL || !g_ascii_string_to_unsigned(digits, 10, 1, 65535, &port, NULL)) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "the server did not start: %s",
                line != NULL ? line : "(no output)");
    return NULL;
  }
  HttpServer *server = g_new0(HttpServer, 1);
  server->pid = pid;
  server->port = (guint16)port;
  return server;
}

int http_server_stop(HttpServer *server) {
  if (server == NULL)
    return -1;
  kill(server->pid, SIGTERM);
  int status = 0;
  while (waitpid(server->pid, &status, 0) < 0 && errno == EINTR)
    continue;
  g_spawn_close_pid(server->pid);
  g_free(server);
  return status;
}

int http_run_handen(const char *const *args, char **out_stdout, char **out_stderr) {
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)handen_bin());
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add(argv, (gpointer)args[i]);
  g_ptr_array_add(argv, NULL);
  int status = -1;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  char *err = NULL;
  gboolean ran = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                              &err, &status, &error);
  g_assert_no_error(error);
  g_assert_true(ran);
  if (out_stdout != NULL)
    *out_stdout = out;
  else
    g_free(out);
  if (out_stderr != NULL)
    *out_stderr = err;
  else
    g_free(err);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

GBytes *http_inflate_gzip(const void *data, gsize length) {
  g_autoptr(GZlibDecompressor) decompressor =
      g_zlib_decompressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) raw = g_memory_input_stream_new_from_data(data, (gssize)length, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new(raw, G_CONVERTER(decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable();
  g_autoptr(GError) error = NULL;
  gssize n = g_output_stream_splice(
      out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
      &error);
  g_assert_no_error(error);
  g_assert_cmpint(n, >=, 0);
  return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(out));
}
