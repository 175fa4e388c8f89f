/* test-openapi.c: the OpenAPI document served at /v1/openapi.yaml against the
 * router: every route the server answers (the route table and the two built-in
 * routes) is described with its method, and every path and method described is
 * routed.  The document keeps a simple layout for this: under the top-level
 * `paths:` key, a path is a line "  /v1/...:" and a method a line "    get:". */
#include <string.h>

#include "http.h"

/* The (METHOD, path) pairs under `paths:`, as "GET /v1/health" (transfer full). */
static GPtrArray *document_routes(const char *yaml) {
  GPtrArray *found = g_ptr_array_new_with_free_func(g_free);
  g_auto(GStrv) lines = g_strsplit(yaml, "\n", -1);
  gboolean in_paths = FALSE;
  g_autofree char *path = NULL;
  static const char *const methods[] = {"get",     "put",  "post",  "delete",
                                        "options", "head", "patch", "trace"};
  for (gsize i = 0; lines[i] != NULL; i++) {
    const char *line = lines[i];
    if (line[0] != ' ' && line[0] != '\0' && line[0] != '#') {
      in_paths = g_str_equal(line, "paths:");
      continue;
    }
    if (!in_paths)
      continue;
    if (g_str_has_prefix(line, "  /")) {
      g_assert_true(g_str_has_suffix(line, ":"));
      g_free(path);
      path = g_strndup(line + 2, strlen(line) - 3);
      continue;
    }
    if (!g_str_has_prefix(line, "    ") || line[4] == ' ')
      continue;
    for (gsize m = 0; m < G_N_ELEMENTS(methods); m++) {
      g_autofree char *key = g_strconcat("    ", methods[m], ":", NULL);
      if (g_str_equal(line, key)) {
        g_assert_nonnull(path);
        g_autofree char *upper = g_ascii_strup(methods[m], -1);
        g_ptr_array_add(found, g_strdup_printf("%s %s", upper, path));
      }
    }
  }
  return found;
}

/* The routes the router answers, as "GET /v1/health" (transfer full). */
static GPtrArray *routed(void) {
  GPtrArray *routes = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(routes, g_strdup("GET /v1/health"));
  g_ptr_array_add(routes, g_strdup("GET /v1/openapi.yaml"));
  for (const ApiRoute *route = api_routes(); route->method != NULL; route++)
    g_ptr_array_add(routes, g_strdup_printf("%s %s", route->method, route->pattern));
  return routes;
}

static char *served_document(void) {
  ApiResponse response = {0};
  /* The built-in routes need neither services nor a token. */
  api_router_dispatch(NULL, "GET", "/v1/openapi.yaml", NULL, NULL, NULL, "", 0, &response);
  g_assert_cmpuint(response.status, ==, 200);
  g_assert_cmpstr(response.content_type, ==, "application/yaml");
  char *yaml = g_steal_pointer(&response.body);
  api_response_clear(&response);
  return yaml;
}

static gboolean contains(const GPtrArray *list, const char *item) {
  return g_ptr_array_find_with_equal_func((GPtrArray *)list, item, g_str_equal, NULL);
}

static void test_routes_documented(void) {
  g_autofree char *yaml = served_document();
  g_autoptr(GPtrArray) documented = document_routes(yaml);
  g_autoptr(GPtrArray) routes = routed();
  for (guint i = 0; i < routes->len; i++)
    if (!contains(documented, g_ptr_array_index(routes, i)))
      g_test_fail_printf("routed but not in openapi.yaml: %s",
                         (const char *)g_ptr_array_index(routes, i));
}

static void test_documented_routed(void) {
  g_autofree char *yaml = served_document();
  g_autoptr(GPtrArray) documented = document_routes(yaml);
  g_autoptr(GPtrArray) routes = routed();
  g_assert_cmpuint(documented->len, >=, 2);
  for (guint i = 0; i < documented->len; i++) {
    const char *entry = g_ptr_array_index(documented, i);
    if (!contains(routes, entry))
      g_test_fail_printf("in openapi.yaml but not routed: %s", entry);
    for (guint j = 0; j < i; j++)
      if (g_str_equal(entry, g_ptr_array_index(documented, j)))
        g_test_fail_printf("described twice in openapi.yaml: %s", entry);
  }
}

/* The reader itself, on a document written for it. */
static void test_reader(void) {
  static const char yaml[] = "openapi: 3.1.0\n"
                             "info:\n"
                             "  title: x\n"
                             "paths:\n"
                             "  /v1/a:\n"
                             "    get:\n"
                             "      summary: get: not a method\n"
                             "    post:\n"
                             "  /v1/a/{id}:\n"
                             "    parameters: []\n"
                             "    patch:\n"
                             "components:\n"
                             "  /v1/b:\n"
                             "    get:\n";
  g_autoptr(GPtrArray) found = document_routes(yaml);
  g_assert_cmpuint(found->len, ==, 3);
  g_assert_cmpstr(g_ptr_array_index(found, 0), ==, "GET /v1/a");
  g_assert_cmpstr(g_ptr_array_index(found, 1), ==, "POST /v1/a");
  g_assert_cmpstr(g_ptr_array_index(found, 2), ==, "PATCH /v1/a/{id}");
}

/* Every operation names the error responses every route can give. */
static void test_common_errors(void) {
  g_autofree char *yaml = served_document();
  g_assert_true(g_str_has_prefix(yaml, "openapi: 3.1.0\n"));
  static const char *const needed[] = {"  schemas:\n    Error:\n",
                                       "BadRequest:",
                                       "Unauthorized:",
                                       "Forbidden:",
                                       "NotFound:",
                                       "MethodNotAllowed:",
                                       "Conflict:",
                                       "TooLarge:",
                                       "UnsupportedMediaType:",
                                       "Invalid:",
                                       "bearerAuth:"};
  for (gsize i = 0; i < G_N_ELEMENTS(needed); i++)
    if (strstr(yaml, needed[i]) == NULL)
      g_test_fail_printf("openapi.yaml lacks %s", needed[i]);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/http/openapi/reader", test_reader);
  g_test_add_func("/http/openapi/routes-documented", test_routes_documented);
  g_test_add_func("/http/openapi/documented-routed", test_documented_routed);
  g_test_add_func("/http/openapi/common-errors", test_common_errors);
  return g_test_run();
}
