/* cache.h: the response cache of the HTTP API: complete answers to authenticated GET
 * requests under /v1/, kept per request thread and served again for exactly as long as
 * the store has not changed (and at most API_CACHE_MAX_AGE).  The design and its
 * argument are in cache.c.
 *
 * Ownership: an ApiCachePool owns one ApiCache per thread that asked for one; the
 * pool is freed after every such thread has stopped using it (api_server_stop: after
 * the daemon's threads are joined).  An ApiCache is used by its own thread only, and
 * keeps a statement prepared on that thread's store connection: it must be freed
 * before the ApiServices it was used with, which close the connections.
 */
#pragma once

#include "http.h"

G_BEGIN_DECLS

/* The defaults, per request thread. */
#define API_CACHE_MAX_ENTRIES 256
#define API_CACHE_MAX_BYTES ((gsize)8 * 1024 * 1024)
#define API_CACHE_MAX_ENTRY_BYTES ((gsize)1024 * 1024)
#define API_CACHE_MAX_AGE ((gint64)2 * G_USEC_PER_SEC)

typedef struct {
  gsize max_entries;     /* at most this many answers are kept */
  gsize max_bytes;       /* their bodies, keys and headers together, at most this much */
  gsize max_entry_bytes; /* a larger answer is served but not kept */
  gint64 max_age;        /* microseconds: an older answer is computed again */
} ApiCacheLimits;

/* Fills `limits` with the defaults above. */
void api_cache_limits_init(ApiCacheLimits *limits);

typedef struct ApiCache ApiCache;

/* An empty cache held to `limits` (copied; every limit at least 1).  (transfer full) */
ApiCache *api_cache_new(const ApiCacheLimits *limits);
void api_cache_free(ApiCache *cache); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiCache, api_cache_free)

/* What the cache holds now: answers and their bytes as counted against max_bytes. */
void api_cache_usage(const ApiCache *cache, gsize *out_entries, gsize *out_bytes);

typedef enum {
  API_CACHE_BYPASS, /* not a cacheable request: answered by the router, nothing kept */
  API_CACHE_MISS,   /* answered by the router; kept when 200 and within the limits */
  API_CACHE_HIT,    /* answered from the cache, the router not called */
} ApiCacheOutcome;

/* api_router_dispatch() in front of the cache, with the same arguments and the same
 * answer, except that the body comes back apart: `response` is filled as the router
 * would fill it but with body NULL (body_length is set), and *out_body holds the
 * body's bytes (transfer full; never NULL).  `now` is the monotonic time in
 * microseconds.  A request is cacheable when it is a GET for a path under /v1/ with
 * a non-empty Authorization header and no body; then its answer is looked up by the
 * SHA-256 of the Authorization header, the raw path and the query string's pairs in
 * sorted order, and served when it was computed on this thread's store connection at
 * the store version that connection sees now, less than max_age ago.  The caller's
 * thread must be the cache's (see ApiCachePool).  Never fails: a store that cannot
 * tell its version only turns the cache off for that request.  With `gzip` (the
 * client's Accept-Encoding allows it, api_gzip_accepted()) a body worth it comes back
 * gzip-coded (response->gzip), kept with its entry so that later hits send it as it
 * is; response->by_coding says the answer varies with Accept-Encoding. */
ApiCacheOutcome api_cache_dispatch(ApiCache *cache, ApiServices *services, gint64 now,
                                   const char *method, const char *path, const char *query_string,
                                   const char *authorization, const char *content_type,
                                   const char *body, gsize body_length, gboolean gzip,
                                   ApiResponse *response, GBytes **out_body);

/* Moves a response's body into bytes (transfer full; empty bytes for no body),
 * leaving response->body NULL and body_length as it was. */
GBytes *api_cache_take_body(ApiResponse *response);

/* One ApiCache per thread, created on a thread's first call. */
typedef struct ApiCachePool ApiCachePool;

ApiCachePool *api_cache_pool_new(const ApiCacheLimits *limits); /* (transfer full) */
/* Frees every thread's cache; no thread may be using one any more.  NULL-safe. */
void api_cache_pool_free(ApiCachePool *pool);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiCachePool, api_cache_pool_free)
/* The calling thread's cache (transfer none: the pool's, valid until it is freed). */
ApiCache *api_cache_pool_get(ApiCachePool *pool);

G_END_DECLS
