/* hello.c: the yardstick of the HTTP benchmark (bench/bench-http.sh): a minimal
 * libmicrohttpd server that answers every request with one fixed small JSON body,
 * started with the same daemon flags, thread pool and limits as `handen serve`
 * (api/server.c), so the ratio between the two is what handen's routing, token check,
 * store queries and JSON cost on top of the HTTP library itself.
 *
 * Usage: hello PORT (0 picks a free port); prints the port it listens on to stdout,
 * serves 127.0.0.1 until SIGINT or SIGTERM.
 */
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

/* The values of api/server.h and api/server.c that shape the daemon. */
#define HELLO_THREADS 4
#define HELLO_CONNECTIONS 1000
#define HELLO_PER_ADDRESS 256
#define HELLO_TIMEOUT 30
#define HELLO_CONNECTION_MEMORY_BYTES ((size_t)16 * 1024)

static const char hello_body[] = "{\"status\":\"ok\"}";

/* Answers on the second call for a request, as server.c does: queueing on the first
 * call makes libmicrohttpd 0.9.75 close keep-alive connections. */
static enum MHD_Result answer(void *cls, struct MHD_Connection *connection, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
  (void)cls;
  (void)url;
  (void)method;
  (void)version;
  (void)upload_data;
  static int started_marker;
  if (*con_cls == NULL) {
    *con_cls = &started_marker;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    *upload_data_size = 0;
    return MHD_YES;
  }
  struct MHD_Response *reply = MHD_create_response_from_buffer(
      strlen(hello_body), (void *)hello_body, MHD_RESPMEM_PERSISTENT);
  if (reply == NULL)
    return MHD_NO;
  MHD_add_response_header(reply, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  enum MHD_Result result = MHD_queue_response(connection, MHD_HTTP_OK, reply);
  MHD_destroy_response(reply);
  return result;
}

int main(int argc, char **argv) {
  guint64 port = 0;
  if (argc != 2 || !g_ascii_string_to_unsigned(argv[1], 10, 0, 65535, &port, NULL)) {
    fprintf(stderr, "usage: hello PORT\n");
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, NULL); /* before the daemon's threads exist */
  signal(SIGPIPE, SIG_IGN);

  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((guint16)port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
  /* clang-format off */
  struct MHD_Daemon *daemon = MHD_start_daemon(
      flags, (guint16)port, NULL, NULL, answer, NULL,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)HELLO_THREADS,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HELLO_CONNECTIONS,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)HELLO_PER_ADDRESS,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HELLO_TIMEOUT,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, HELLO_CONNECTION_MEMORY_BYTES,
      MHD_OPTION_END);
  /* clang-format on */
  if (daemon == NULL) {
    fprintf(stderr, "hello: cannot listen on 127.0.0.1 port %u\n", (unsigned)port);
    return 1;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
  printf("%u\n", info != NULL ? info->port : (unsigned)port);
  fflush(stdout);
  int number = 0;
  sigwait(&signals, &number);
  MHD_stop_daemon(daemon);
  return 0;
}
