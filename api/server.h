/* server.h: the HTTP server of `handen serve`: libmicrohttpd in its own threads,
 * answering every request through api_router_dispatch().  The server holds the
 * limits every connection is held to (count, per address, memory, idle timeout, body
 * size); signals and the process's life belong to the caller (cmd-serve.c).
 */
#pragma once

#include "http.h"

G_BEGIN_DECLS

typedef struct {
  const char *bind_address; /* numeric IPv4 or IPv6 address */
  guint16 port;             /* 0 picks a free port; see api_server_port() */
  guint timeout_seconds;    /* an idle connection is closed after this long */
  guint threads;            /* request threads */
  guint connection_limit;   /* connections at once, in all */
  guint per_address_limit;  /* connections at once from one client address */
  gboolean verbose;         /* log each request (method, path, status, time) to stderr */
} ApiServerOptions;

/* The defaults of `handen serve`. */
#define API_SERVER_DEFAULT_PORT 8080
#define API_SERVER_DEFAULT_TIMEOUT 30
#define API_SERVER_DEFAULT_THREADS 4
#define API_SERVER_DEFAULT_CONNECTIONS 1000
#define API_SERVER_DEFAULT_PER_ADDRESS 256

typedef struct ApiServer ApiServer;

/* Starts serving `services` (borrowed: it must outlive the server).  Fails with
 * API_ERROR_INVALID for an address that is not numeric, API_ERROR_UNAVAILABLE when
 * the address and port cannot be bound.  Signals the caller does not
 * want in the server's threads must be blocked before this call (the threads inherit
 * the mask).  (transfer full) */
ApiServer *api_server_start(ApiServices *services, const ApiServerOptions *options, GError **error);

/* The port the server listens on (the one picked, when 0 was asked for). */
guint16 api_server_port(const ApiServer *server);

/* Stops accepting, closes every connection, waits for the threads, frees.  NULL-safe. */
void api_server_stop(ApiServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiServer, api_server_stop)

G_END_DECLS
