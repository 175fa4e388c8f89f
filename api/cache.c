/* cache.c: the response cache of the HTTP API (see cache.h).  A hot read (the same
 * page asked again and again by a coordinator's screen) costs about 1.7 ms of queries
 * and JSON each time; served from here it costs a version check and a copy-free send.
 *
 * Validity is exact, not guessed.  An answer is stored with the store version
 * (model_store_version: PRAGMA data_version and the connection's own change count)
 * that THIS thread's connection saw before the router computed it, and is served only
 * while that connection sees the same version.  Any commit since, by this thread
 * (its change count), another thread, a round worker, `handen import` or any other
 * process (data_version), changes the version, so a stale answer is never served; a
 * commit while the answer was being computed also changes it, so such an answer is
 * never served either.  Token revocations, new tokens and changed scopes are commits
 * too, and the key holds the SHA-256 of the Authorization header (never the secret
 * itself), so an answer is only ever served to the same header and never outlives a
 * revoked token.  Answers that depend on the clock rather than the store (a calendar's
 * DTSTAMP, "today") are bounded by max_age.
 *
 * What is kept: status 200 answers to GET under /v1/ carrying an Authorization header
 * and no body (a body could make the router answer 415 or 400), whole: status, the
 * headers the router sets and the body as GBytes, which the server sends without a
 * copy.  The public built-in routes (health, the OpenAPI document) are kept too when
 * a token comes with them: their answers are constant, so that is harmless.  Each
 * thread has its own cache (no lock on the hot path beyond finding it), bounded in
 * entries and bytes and evicted least recently used first.
 *
 * Invariants: every entry is in both `entries` and `lru`; `bytes` is the sum of the
 * entries' costs and never exceeds max_bytes, nor their number max_entries, between
 * calls; every entry's versions were read by `probe`, on the connection it reads, and
 * the cache is emptied when the thread's connection is another one.
 */
#include <string.h>

#include "cache.h"
#include "gzip.h"

void api_cache_limits_init(ApiCacheLimits *limits) {
  g_return_if_fail(limits != NULL);
  *limits = (ApiCacheLimits){.max_entries = API_CACHE_MAX_ENTRIES,
                             .max_bytes = API_CACHE_MAX_BYTES,
                             .max_entry_bytes = API_CACHE_MAX_ENTRY_BYTES,
                             .max_age = API_CACHE_MAX_AGE};
}

/* ---- entries ------------------------------------------------------------ */

typedef struct {
  GList link; /* in the cache's lru queue; link.data is the entry */
  char *key;  /* owned; also the key in `entries` */
  gint64 data_version;
  gint64 changes;
  gint64 stored_at; /* monotonic microseconds */
  ApiResponse head; /* status and headers; head.body is NULL */
  GBytes *body;
  GBytes *gzip; /* the body gzip-coded, once asked for; NULL before */
  gsize cost;   /* counted against max_bytes */
} Entry;

struct ApiCache {
  ApiCacheLimits limits;
  GHashTable *entries; /* key -> Entry* (the entry owns both) */
  GQueue lru;          /* Entry links, most recently used first */
  gsize bytes;
  /* Reads the version on the connection the entries' versions were read on; NULL
   * until the first cacheable request. */
  ModelStoreVersionProbe *probe;
};

static gsize text_cost(const char *text) {
  return text != NULL ? strlen(text) + 1 : 0;
}

static void entry_free(Entry *entry) {
  g_free(entry->key);
  api_response_clear(&entry->head);
  g_bytes_unref(entry->body);
  if (entry->gzip != NULL)
    g_bytes_unref(entry->gzip);
  g_free(entry);
}

/* Copies the headers of `from` into `to` (cleared first); the body is left out. */
static void copy_head(ApiResponse *to, const ApiResponse *from) {
  api_response_clear(to);
  to->status = from->status;
  to->content_type = g_strdup(from->content_type);
  to->body_length = from->body_length;
  to->allow = g_strdup(from->allow);
  to->location = g_strdup(from->location);
  to->disposition = g_strdup(from->disposition);
  to->etag = g_strdup(from->etag);
  to->cache_control = g_strdup(from->cache_control);
  to->gzip = from->gzip;
  to->by_coding = from->by_coding;
}

static void remove_entry(ApiCache *cache, Entry *entry) {
  g_queue_unlink(&cache->lru, &entry->link);
  g_assert(cache->bytes >= entry->cost);
  cache->bytes -= entry->cost;
  /* The table frees nothing: the entry owns its key. */
  gboolean removed = g_hash_table_remove(cache->entries, entry->key);
  g_assert(removed);
  entry_free(entry);
}

static void clear_entries(ApiCache *cache) {
  while (cache->lru.tail != NULL)
    remove_entry(cache, cache->lru.tail->data);
  g_assert(cache->bytes == 0 && g_hash_table_size(cache->entries) == 0);
}

ApiCache *api_cache_new(const ApiCacheLimits *limits) {
  g_return_val_if_fail(limits != NULL, NULL);
  g_return_val_if_fail(limits->max_entries >= 1 && limits->max_bytes >= 1, NULL);
  g_return_val_if_fail(limits->max_entry_bytes >= 1 && limits->max_age >= 1, NULL);
  ApiCache *cache = g_new0(ApiCache, 1);
  cache->limits = *limits;
  cache->entries = g_hash_table_new(g_str_hash, g_str_equal);
  g_queue_init(&cache->lru);
  return cache;
}

void api_cache_free(ApiCache *cache) {
  if (cache == NULL)
    return;
  clear_entries(cache);
  g_hash_table_unref(cache->entries);
  model_store_version_probe_free(cache->probe);
  g_free(cache);
}

void api_cache_usage(const ApiCache *cache, gsize *out_entries, gsize *out_bytes) {
  g_return_if_fail(cache != NULL);
  if (out_entries != NULL)
    *out_entries = g_hash_table_size(cache->entries);
  if (out_bytes != NULL)
    *out_bytes = cache->bytes;
}

/* Keeps a 200 answer, evicting the least recently used entries to make room.  An
 * answer costing more than max_entry_bytes (or max_bytes) is not kept. */
static Entry *insert(ApiCache *cache, char *key, gint64 data_version, gint64 changes, gint64 now,
                     const ApiResponse *head, GBytes *body) {
  gsize cost = sizeof(Entry) + text_cost(key) + text_cost(head->content_type) +
               text_cost(head->allow) + text_cost(head->location) + text_cost(head->disposition) +
               g_bytes_get_size(body);
  if (cost > cache->limits.max_entry_bytes || cost > cache->limits.max_bytes) {
    g_free(key);
    return NULL;
  }
  Entry *old = g_hash_table_lookup(cache->entries, key);
  if (old != NULL)
    remove_entry(cache, old);
  while (cache->lru.tail != NULL &&
         (g_hash_table_size(cache->entries) >= cache->limits.max_entries ||
          cache->bytes + cost > cache->limits.max_bytes))
    remove_entry(cache, cache->lru.tail->data);
  Entry *entry = g_new0(Entry, 1);
  entry->link.data = entry;
  entry->key = key;
  entry->data_version = data_version;
  entry->changes = changes;
  entry->stored_at = now;
  copy_head(&entry->head, head);
  entry->body = g_bytes_ref(body);
  entry->cost = cost;
  g_hash_table_insert(cache->entries, entry->key, entry);
  g_queue_push_head_link(&cache->lru, &entry->link);
  cache->bytes += cost;
  g_assert(cache->bytes <= cache->limits.max_bytes);
  g_assert(g_hash_table_size(cache->entries) <= cache->limits.max_entries);
  return entry;
}

/* Keeps `gzip` with `entry` (the most recently used), evicting the least recently
 * used others to make room; not kept when the entry would pass max_entry_bytes. */
static void keep_gzip(ApiCache *cache, Entry *entry, GBytes *gzip) {
  gsize extra = g_bytes_get_size(gzip);
  if (entry->cost + extra > cache->limits.max_entry_bytes ||
      entry->cost + extra > cache->limits.max_bytes)
    return;
  while (cache->bytes + extra > cache->limits.max_bytes && cache->lru.tail->data != entry)
    remove_entry(cache, cache->lru.tail->data);
  g_assert(cache->bytes + extra <= cache->limits.max_bytes);
  entry->gzip = g_bytes_ref(gzip);
  entry->cost += extra;
  cache->bytes += extra;
}

/* Codes the answer in `response` and `*body` as the client asked (`gzip`): a body
 * worth it is gzip-coded, taken from `entry` (may be NULL) when it holds one and kept
 * there when it does not; such an answer varies with Accept-Encoding either way, and
 * its entity tag becomes weak, as one tag names both codings. */
static void encode(ApiCache *cache, Entry *entry, gboolean gzip, ApiResponse *response,
                   GBytes **body) {
  if (!api_gzip_worth(response->content_type, g_bytes_get_size(*body)))
    return;
  response->by_coding = TRUE;
  if (!gzip)
    return;
  GBytes *coded = entry != NULL && entry->gzip != NULL ? g_bytes_ref(entry->gzip) : api_gzip(*body);
  if (entry != NULL && entry->gzip == NULL)
    keep_gzip(cache, entry, coded);
  g_bytes_unref(*body);
  *body = coded;
  response->body_length = g_bytes_get_size(coded);
  response->gzip = TRUE;
  if (response->etag != NULL && !g_str_has_prefix(response->etag, "W/")) {
    char *weak = g_strconcat("W/", response->etag, NULL);
    g_free(response->etag);
    response->etag = weak;
  }
}

/* ---- keys --------------------------------------------------------------- */

static int compare_strings(gconstpointer a, gconstpointer b, gpointer data) {
  (void)data;
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The key of a cacheable request, or NULL when it is not cacheable (see cache.h).
 * The query's pairs are sorted and empty ones dropped: for any answer that is 200
 * the router has found every parameter name once, and the answer depends on the
 * set of pairs only, so "b=2&a=1" may share the answer of "a=1&b=2".  Everything
 * is otherwise kept raw: two spellings of one path are two entries, never one
 * answer for two different requests. */
static char *cache_key(const char *method, const char *path, const char *query_string,
                       const char *authorization, gsize body_length) {
  if (!g_str_equal(method, "GET") || path == NULL || !g_str_has_prefix(path, "/v1/") ||
      authorization == NULL || authorization[0] == '\0' || body_length > 0)
    return NULL;
  g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, authorization, -1);
  GString *key = g_string_new(digest);
  g_string_append_c(key, ' ');
  g_string_append(key, path);
  g_string_append_c(key, '?');
  if (query_string != NULL && query_string[0] != '\0') {
    g_auto(GStrv) pairs = g_strsplit(query_string, "&", -1);
    guint count = g_strv_length(pairs);
    g_qsort_with_data(pairs, (gint)count, sizeof(char *), compare_strings, NULL);
    gboolean first = TRUE;
    for (guint i = 0; i < count; i++) {
      if (pairs[i][0] == '\0')
        continue;
      if (!first)
        g_string_append_c(key, '&');
      g_string_append(key, pairs[i]);
      first = FALSE;
    }
  }
  return g_string_free(key, FALSE);
}

/* ---- dispatch ----------------------------------------------------------- */

GBytes *api_cache_take_body(ApiResponse *response) {
  g_return_val_if_fail(response != NULL, NULL);
  char *body = g_steal_pointer(&response->body);
  if (body == NULL)
    return g_bytes_new(NULL, 0);
  return g_bytes_new_take(body, response->body_length);
}

ApiCacheOutcome api_cache_dispatch(ApiCache *cache, ApiServices *services, gint64 now,
                                   const char *method, const char *path, const char *query_string,
                                   const char *authorization, const char *content_type,
                                   const char *body, gsize body_length, gboolean gzip,
                                   ApiResponse *response, GBytes **out_body) {
  g_return_val_if_fail(cache != NULL && method != NULL && response != NULL, API_CACHE_BYPASS);
  g_return_val_if_fail(out_body != NULL, API_CACHE_BYPASS);
  char *key = cache_key(method, path, query_string, authorization, body_length);
  gint64 data_version = 0;
  gint64 changes = 0;
  if (key != NULL) {
    g_autoptr(GError) error = NULL;
    ModelStore *store = api_services_store(services, &error);
    if (store != NULL &&
        (cache->probe == NULL || model_store_version_probe_store(cache->probe) != store)) {
      /* Another connection: versions read on the old one mean nothing here. */
      clear_entries(cache);
      g_clear_pointer(&cache->probe, model_store_version_probe_free);
      cache->probe = model_store_version_probe_new(store, &error);
    }
    if (store == NULL || cache->probe == NULL ||
        !model_store_version_probe_read(cache->probe, &data_version, &changes, &error)) {
      /* The router meets the same failure and answers it. */
      g_debug("response cache off for one request: %s", error->message);
      g_clear_pointer(&key, g_free);
    }
  }
  if (key != NULL) {
    Entry *entry = g_hash_table_lookup(cache->entries, key);
    if (entry != NULL && entry->data_version == data_version && entry->changes == changes &&
        now >= entry->stored_at && now - entry->stored_at < cache->limits.max_age) {
      g_free(key);
      g_queue_unlink(&cache->lru, &entry->link);
      g_queue_push_head_link(&cache->lru, &entry->link);
      copy_head(response, &entry->head);
      *out_body = g_bytes_ref(entry->body);
      encode(cache, entry, gzip, response, out_body);
      return API_CACHE_HIT;
    }
    if (entry != NULL)
      remove_entry(cache, entry);
  }
  api_router_dispatch(services, method, path, query_string, authorization, content_type, body,
                      body_length, response);
  *out_body = api_cache_take_body(response);
  if (key == NULL) {
    encode(cache, NULL, gzip, response, out_body);
    return API_CACHE_BYPASS;
  }
  Entry *entry = NULL;
  if (response->status == 200)
    entry = insert(cache, key, data_version, changes, now, response, *out_body);
  else
    g_free(key);
  encode(cache, entry, gzip, response, out_body);
  return API_CACHE_MISS;
}

/* ---- one cache per thread ----------------------------------------------- */

struct ApiCachePool {
  ApiCacheLimits limits;
  GMutex lock;
  /* GThread* (referenced, so its address is not reused while listed) -> ApiCache* */
  GHashTable *caches;
};

ApiCachePool *api_cache_pool_new(const ApiCacheLimits *limits) {
  g_return_val_if_fail(limits != NULL, NULL);
  ApiCachePool *pool = g_new0(ApiCachePool, 1);
  pool->limits = *limits;
  g_mutex_init(&pool->lock);
  pool->caches =
      g_hash_table_new_full(g_direct_hash, g_direct_equal, (GDestroyNotify)g_thread_unref,
                            (GDestroyNotify)api_cache_free);
  return pool;
}

void api_cache_pool_free(ApiCachePool *pool) {
  if (pool == NULL)
    return;
  g_hash_table_unref(pool->caches);
  g_mutex_clear(&pool->lock);
  g_free(pool);
}

ApiCache *api_cache_pool_get(ApiCachePool *pool) {
  g_return_val_if_fail(pool != NULL, NULL);
  GThread *self = g_thread_self();
  g_mutex_lock(&pool->lock);
  ApiCache *cache = g_hash_table_lookup(pool->caches, self);
  if (cache == NULL) {
    cache = api_cache_new(&pool->limits);
    g_hash_table_insert(pool->caches, g_thread_ref(self), cache);
  }
  g_mutex_unlock(&pool->lock);
  return cache;
}
