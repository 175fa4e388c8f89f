/* web.c: serves the embedded web front end (see web.h) for every path outside /v1.
 * The pages are public: they hold no data, and every call they make to /v1 carries
 * the bearer token the person typed in.  The security headers (Content-Security-
 * Policy "default-src 'self'", nosniff, no referrer) are the server's, on every reply;
 * the pages are written for that policy: no inline script or style, nothing external.
 *
 * Files carry their entity tag (a hash of the content, made at build time) and
 * "Cache-Control: no-cache", so a browser keeps them but asks each time; the server
 * answers a matching If-None-Match with 304 (api_response_not_modified).
 *
 * Invariants: a path is served only when it equals an embedded file's path
 * exactly; errors have the API's JSON error body, so every client reads one shape.
 */
#include <string.h>

#include "web.h"

/* The page served for "/": the front end routes within it by the URL's fragment. */
#define WEB_INDEX "/index.html"

static int compare_path(const void *key, const void *element) {
  return strcmp(key, ((const ApiWebFile *)element)->path);
}

const ApiWebFile *api_web_find(const char *path) {
  g_return_val_if_fail(path != NULL, NULL);
  if (g_str_equal(path, "/"))
    path = WEB_INDEX;
  const ApiWebFile *files = api_web_files();
  gsize n = 0;
  while (files[n].path != NULL) {
    /* The generator sorts the table; bsearch below relies on it. */
    g_assert(n == 0 || strcmp(files[n - 1].path, files[n].path) < 0);
    n++;
  }
  return bsearch(path, files, n, sizeof files[0], compare_path);
}

gboolean api_web_is_api_path(const char *path) {
  g_return_val_if_fail(path != NULL, FALSE);
  return g_str_equal(path, "/v1") || g_str_has_prefix(path, "/v1/");
}

void api_web_dispatch(const char *method, const char *path, ApiResponse *response) {
  g_return_if_fail(method != NULL && path != NULL && response != NULL);
  api_response_clear(response);
  const ApiWebFile *file = api_web_find(path);
  if (file == NULL) {
    api_response_fail(response, API_ERROR_NOT_FOUND, NULL, "no such resource");
    return;
  }
  /* HEAD arrives as GET: the server answers it as GET and leaves the body out. */
  if (!g_str_equal(method, "GET")) {
    api_response_fail(response, API_ERROR_METHOD_NOT_ALLOWED, NULL,
                      "%s is not allowed here (allowed: GET, HEAD)", method);
    response->allow = g_strdup("GET, HEAD");
    return;
  }
  api_response_text(response, 200, file->content_type, (const char *)file->data, file->length);
  /* Revalidated on every use: a new build's files are picked up at once, and an
   * unchanged file costs a 304 without a body. */
  response->etag = g_strdup(file->etag);
  response->cache_control = g_strdup("no-cache");
}
