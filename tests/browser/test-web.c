/* test-web.c: the web front end's embedded files, served through the router in
 * memory: "/" is the page, every file with its media type, entity tag and
 * "no-cache", 304 for a tag the client holds, 404 and 405 with the API's error body,
 * /v1 untouched.  And the pages' own rules, checked on
 * the embedded bytes: every file the page or a module refers to is embedded, no
 * inline script or style (the Content-Security-Policy forbids them), nothing
 * external, and no text parsed as HTML. */
#include <string.h>

#include "http.h"
#include "web.h"

typedef struct {
  ApiResponse response;
  json_object *json;
} Fixture;

static void fixture_set_up(Fixture *f, gconstpointer data) {
  (void)data;
  memset(f, 0, sizeof *f);
}

static void fixture_tear_down(Fixture *f, gconstpointer data) {
  (void)data;
  json_object_put(f->json);
  api_response_clear(&f->response);
}

static void get(Fixture *f, const char *method, const char *path) {
  json_object_put(g_steal_pointer(&f->json));
  api_router_dispatch(NULL, method, path, NULL, NULL, NULL, "", 0, &f->response);
  if (g_strcmp0(f->response.content_type, "application/json") == 0)
    f->json = json_tokener_parse(f->response.body);
}

static void assert_error(Fixture *f, guint status, const char *code, const char *message) {
  g_assert_cmpuint(f->response.status, ==, status);
  g_assert_nonnull(f->json);
  json_object *error = json_object_object_get(f->json, "error");
  g_assert_cmpint(json_object_get_int(json_object_object_get(error, "status")), ==, (int)status);
  g_assert_cmpstr(json_object_get_string(json_object_object_get(error, "code")), ==, code);
  g_assert_cmpstr(json_object_get_string(json_object_object_get(error, "message")), ==, message);
}

static const ApiWebFile *file_or_fail(const char *path) {
  const ApiWebFile *file = api_web_find(path);
  if (file == NULL)
    g_test_fail_printf("%s is not embedded", path);
  return file;
}

static char *file_text(const ApiWebFile *file) {
  return g_strndup((const char *)file->data, file->length);
}

/* ---- serving ------------------------------------------------------------ */

static void test_index(Fixture *f, gconstpointer data) {
  (void)data;
  get(f, "GET", "/");
  g_assert_cmpuint(f->response.status, ==, 200);
  g_assert_cmpstr(f->response.content_type, ==, "text/html; charset=utf-8");
  g_assert_true(g_str_has_prefix(f->response.body, "<!doctype html>\n<html lang=\"nl\">"));
  const ApiWebFile *index = api_web_find("/index.html");
  g_assert_nonnull(index);
  g_assert_cmpuint(f->response.body_length, ==, index->length);
  g_assert_cmpmem(f->response.body, f->response.body_length, index->data, index->length);
  g_assert_true(api_web_find("/") == index);
}

static void test_every_file(Fixture *f, gconstpointer data) {
  (void)data;
  guint n = 0;
  for (const ApiWebFile *file = api_web_files(); file->path != NULL; file++, n++) {
    get(f, "GET", file->path);
    g_assert_cmpuint(f->response.status, ==, 200);
    g_assert_cmpstr(f->response.content_type, ==, file->content_type);
    g_assert_cmpmem(f->response.body, f->response.body_length, file->data, file->length);
    /* A strong tag: 16 hex digits in quotes, different for different bytes. */
    g_assert_cmpuint(strlen(file->etag), ==, 18);
    g_assert_true(file->etag[0] == '"' && file->etag[17] == '"');
    for (const ApiWebFile *other = api_web_files(); other != file; other++)
      g_assert_cmpstr(other->etag, !=, file->etag);
    /* Kept by the browser, but asked about every time. */
    g_assert_cmpstr(f->response.etag, ==, file->etag);
    g_assert_cmpstr(f->response.cache_control, ==, "no-cache");
    if (g_str_has_suffix(file->path, ".js"))
      g_assert_cmpstr(file->content_type, ==, "text/javascript; charset=utf-8");
    if (g_str_has_suffix(file->path, ".css"))
      g_assert_cmpstr(file->content_type, ==, "text/css; charset=utf-8");
  }
  g_assert_cmpuint(n, >=, 10);
}

static const char *const missing_paths[] = {
    "/index.htm",   "/js",           "/js/",          "/js/app.js/",
    "/JS/APP.JS",   "/../api/web.c", "/%69ndex.html", "/js/../index.html",
    "//index.html", "/v2/health",    "/v1x",          "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
};

static void test_not_found(Fixture *f, gconstpointer data) {
  const char *path = data;
  get(f, "GET", path);
  assert_error(f, 404, "not_found", "no such resource");
  g_assert_null(f->response.allow);
  g_assert_null(f->response.etag);
  g_assert_null(f->response.cache_control);
}

static void test_methods(Fixture *f, gconstpointer data) {
  (void)data;
  static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"};
  for (gsize i = 0; i < G_N_ELEMENTS(methods); i++) {
    get(f, methods[i], "/js/app.js");
    g_autofree char *message =
        g_strdup_printf("%s is not allowed here (allowed: GET, HEAD)", methods[i]);
    assert_error(f, 405, "method_not_allowed", message);
    g_assert_cmpstr(f->response.allow, ==, "GET, HEAD");
  }
  get(f, "DELETE", "/nothing");
  assert_error(f, 404, "not_found", "no such resource");
}

/* /v1 stays the API's: the web handler never answers there. */
static void test_api_untouched(Fixture *f, gconstpointer data) {
  (void)data;
  g_assert_true(api_web_is_api_path("/v1"));
  g_assert_true(api_web_is_api_path("/v1/health"));
  g_assert_false(api_web_is_api_path("/v1x"));
  g_assert_false(api_web_is_api_path("/"));
  get(f, "GET", "/v1/openapi.yaml");
  g_assert_cmpuint(f->response.status, ==, 200);
  g_assert_cmpstr(f->response.content_type, ==, "application/yaml");
  get(f, "GET", "/v1/index.html");
  assert_error(f, 404, "not_found", "no such resource");
  g_assert_null(f->response.etag);
  g_assert_null(f->response.cache_control); /* the server's "no-store" */
  get(f, "GET", "/v1/requests");
  g_assert_cmpuint(f->response.status, ==, 401);
}

/* ---- revalidation ------------------------------------------------------- */

typedef struct {
  const char *if_none_match;
  gboolean matches; /* against the tag "abc" */
} EtagCase;

static const EtagCase etag_cases[] = {
    {"\"abc\"", TRUE},
    {"W/\"abc\"", TRUE},
    {"*", TRUE},
    {" *", TRUE},
    {"\"x\", \"abc\"", TRUE},
    {"\"x\",\"abc\"", TRUE},
    {"\"a,c\", W/\"abc\"", TRUE},
    {"", FALSE},
    {"abc", FALSE},
    {"\"abc", FALSE},
    {"\"ab\"", FALSE},
    {"\"abcd\"", FALSE},
    {"\"ABC\"", FALSE},
    {"w/\"abc\"", FALSE},
    {"\"x\", abc", FALSE},
    {"garbage \"abc\"", FALSE},
};

static void test_etag_matches(gconstpointer data) {
  const EtagCase *c = data;
  g_assert_cmpint(api_etag_matches(c->if_none_match, "\"abc\""), ==, c->matches);
}

static void test_not_modified(Fixture *f, gconstpointer data) {
  (void)data;
  const ApiWebFile *file = file_or_fail("/js/app.js");
  g_autofree char *other = g_strdup("\"0000000000000000\"");
  g_assert_false(api_etag_matches(NULL, file->etag));
  g_assert_false(api_etag_matches("*", NULL));
  /* Only GET and HEAD (HEAD reaches the router as GET, but the rule holds alone). */
  static const char *const methods[] = {"GET", "HEAD"};
  for (gsize i = 0; i < G_N_ELEMENTS(methods); i++) {
    get(f, "GET", "/js/app.js");
    g_assert_false(api_response_not_modified(&f->response, methods[i], other));
    g_assert_cmpuint(f->response.status, ==, 200);
    g_assert_cmpuint(f->response.body_length, ==, file->length);
    g_assert_false(api_response_not_modified(&f->response, methods[i], NULL));
    g_assert_true(api_response_not_modified(&f->response, methods[i], file->etag));
    g_assert_cmpuint(f->response.status, ==, 304);
    g_assert_null(f->response.body);
    g_assert_cmpuint(f->response.body_length, ==, 0);
    g_assert_cmpstr(f->response.etag, ==, file->etag);
    g_assert_cmpstr(f->response.cache_control, ==, "no-cache");
    g_assert_cmpstr(f->response.content_type, ==, file->content_type);
  }
  get(f, "GET", "/js/app.js");
  g_assert_false(api_response_not_modified(&f->response, "POST", file->etag));
  g_assert_cmpuint(f->response.status, ==, 200);
  /* Not an answer with a tag, or not a 200: untouched. */
  get(f, "GET", "/v1/openapi.yaml");
  g_assert_cmpuint(f->response.status, ==, 200);
  g_assert_false(api_response_not_modified(&f->response, "GET", "*"));
  g_assert_cmpuint(f->response.status, ==, 200);
  get(f, "POST", "/js/app.js");
  g_assert_false(api_response_not_modified(&f->response, "GET", "*"));
  g_assert_cmpuint(f->response.status, ==, 405);
  /* Cleared with the response. */
  get(f, "GET", "/js/app.js");
  api_response_clear(&f->response);
  g_assert_null(f->response.etag);
  g_assert_null(f->response.cache_control);
}

/* ---- the pages' own rules ----------------------------------------------- */

/* Every src="/..." and href="/..." of the page is embedded; nothing is external. */
static void test_index_references(void) {
  const ApiWebFile *index = file_or_fail("/index.html");
  g_autofree char *html = file_text(index);
  g_autoptr(GRegex) regex = g_regex_new("(?:src|href)=\"([^\"#]*)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n = 0;
  for (g_regex_match(regex, html, 0, &match); g_match_info_matches(match);
       g_match_info_next(match, NULL)) {
    g_autofree char *target = g_match_info_fetch(match, 1);
    g_assert_true(g_str_has_prefix(target, "/"));
    g_assert_false(g_str_has_prefix(target, "//"));
    file_or_fail(target);
    n++;
  }
  g_assert_cmpuint(n, >=, 3);
}

/* Calls `func` with the first group of every match of `pattern` in every embedded
 * script, and returns how many matches there were. */
typedef void (*CaptureFunc)(const char *script, const char *capture, gconstpointer data);
static guint each_script_capture(const char *pattern, GRegexCompileFlags flags, CaptureFunc func,
                                 gconstpointer data) {
  g_autoptr(GRegex) regex = g_regex_new(pattern, flags, 0, NULL);
  g_assert_nonnull(regex);
  guint n = 0;
  for (const ApiWebFile *file = api_web_files(); file->path != NULL; file++) {
    if (!g_str_has_suffix(file->path, ".js"))
      continue;
    g_autofree char *text = file_text(file);
    g_autoptr(GMatchInfo) match = NULL;
    for (g_regex_match(regex, text, 0, &match); g_match_info_matches(match);
         g_match_info_next(match, NULL)) {
      g_autofree char *capture = g_match_info_fetch(match, 1);
      func(file->path, capture, data);
      n++;
    }
  }
  return n;
}

static void import_embedded(const char *script, const char *name, gconstpointer data) {
  (void)script;
  (void)data;
  g_autofree char *path = g_strconcat("/js/", name, NULL);
  file_or_fail(path);
}

/* Every module import names an embedded file. */
static void test_module_imports(void) {
  guint n = each_script_capture("^import .* from '\\./([a-z0-9-]+\\.js)';$", G_REGEX_MULTILINE,
                                import_embedded, NULL);
  g_assert_cmpuint(n, >=, 10);
}

/* What the Content-Security-Policy would block, and what would parse data as HTML. */
static void test_no_inline(void) {
  static const char *const html_forbidden[] = {
      "<script>", "<style", " style=", " onclick=", " onload=", "http://", "https://"};
  static const char *const js_forbidden[] = {
      "innerHTML", "outerHTML",    "insertAdjacentHTML", "document.write",
      "eval(",     "new Function", "https://",           "setAttribute('style'"};
  for (const ApiWebFile *file = api_web_files(); file->path != NULL; file++) {
    g_autofree char *text = file_text(file);
    if (g_str_has_suffix(file->path, ".html"))
      for (gsize i = 0; i < G_N_ELEMENTS(html_forbidden); i++)
        if (strstr(text, html_forbidden[i]) != NULL)
          g_test_fail_printf("%s contains %s", file->path, html_forbidden[i]);
    if (g_str_has_suffix(file->path, ".js")) {
      for (gsize i = 0; i < G_N_ELEMENTS(js_forbidden); i++)
        if (strstr(text, js_forbidden[i]) != NULL)
          g_test_fail_printf("%s contains %s", file->path, js_forbidden[i]);
      /* The SVG namespace is a name, not an address; any other http:// would load. */
      for (const char *at = strstr(text, "http://"); at != NULL; at = strstr(at + 1, "http://"))
        if (!g_str_has_prefix(at, "http://www.w3.org/2000/svg'"))
          g_test_fail_printf("%s refers to an external address", file->path);
    }
    if (g_str_has_suffix(file->path, ".css") && strstr(text, "url(") != NULL)
      g_test_fail_printf("%s loads a url()", file->path);
  }
}

/* Whether `at` is a text table entry's value: ['Dutch', 'English']. */
static gboolean two_texts(const char *at) {
  if (*at++ != '[')
    return FALSE;
  for (int i = 0; i < 2; i++) {
    if (i == 1 && !g_str_has_prefix(at, ", "))
      return FALSE;
    at += i == 1 ? 2 : 0;
    if (*at++ != '\'')
      return FALSE;
    while (*at != '\0' && *at != '\'')
      at += *at == '\\' && at[1] != '\0' ? 2 : 1;
    if (*at++ != '\'')
      return FALSE;
  }
  return *at == ']';
}

/* Whether `key` has an entry in `texts` ['Dutch', 'English']; FALSE when it has
 * none, a failure when it has one of another shape. */
static gboolean has_texts(const char *script, const char *texts, const char *key) {
  g_autofree char *entry = g_strdup_printf("\n  '%s': ", key);
  const char *at = strstr(texts, entry);
  if (at != NULL && !two_texts(at + strlen(entry)))
    g_test_fail_printf("%s: the text for %s is not ['Dutch', 'English']", script, key);
  return at != NULL;
}

/* A key has its text, or both plural forms (KEY.one, KEY.other) that t() picks from. */
static void key_translated(const char *script, const char *key, gconstpointer data) {
  const char *texts = data;
  g_autofree char *one = g_strconcat(key, ".one", NULL);
  g_autofree char *other = g_strconcat(key, ".other", NULL);
  if (has_texts(script, texts, key))
    return;
  gboolean has_one = has_texts(script, texts, one);
  gboolean has_other = has_texts(script, texts, other);
  if (!has_one || !has_other)
    g_test_fail_printf("%s: no text for %s", script, key);
}

/* Every text key the scripts use has a Dutch and an English text in i18n.js's one
 * table (or two, the plural forms). */
static void test_translations(void) {
  const ApiWebFile *i18n = file_or_fail("/js/i18n.js");
  g_autofree char *script = file_text(i18n);
  const char *texts = strstr(script, "const TEXTS = {");
  g_assert_nonnull(texts);
  guint n = each_script_capture("\\bt\\('([a-z0-9.-]+)'", 0, key_translated, texts);
  g_assert_cmpuint(n, >=, 100);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD("/web/serve/index", test_index);
  ADD("/web/serve/every-file", test_every_file);
  ADD("/web/serve/methods", test_methods);
  ADD("/web/serve/api-untouched", test_api_untouched);
  for (gsize i = 0; i < G_N_ELEMENTS(missing_paths); i++) {
    g_autofree char *path = g_strdup_printf("/web/serve/not-found/%" G_GSIZE_FORMAT, i);
    g_test_add(path, Fixture, missing_paths[i], fixture_set_up, test_not_found, fixture_tear_down);
  }
  ADD("/web/revalidate/not-modified", test_not_modified);
  for (gsize i = 0; i < G_N_ELEMENTS(etag_cases); i++) {
    g_autofree char *path = g_strdup_printf("/web/revalidate/etag-matches/%" G_GSIZE_FORMAT, i);
    g_test_add_data_func(path, &etag_cases[i], test_etag_matches);
  }
  g_test_add_func("/web/page/index-references", test_index_references);
  g_test_add_func("/web/page/module-imports", test_module_imports);
  g_test_add_func("/web/page/no-inline", test_no_inline);
  g_test_add_func("/web/page/translations", test_translations);
  return g_test_run();
}
