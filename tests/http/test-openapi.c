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

static int compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query parameters of every component parameter, by component name: "Limit" ->
 * "limit" for `in: query` ones only (transfer full). */
static GHashTable *component_query_parameters(char **lines) {
  GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  gboolean in_components = FALSE, in_parameters = FALSE;
  g_autofree char *component = NULL;
  g_autofree char *name = NULL;
  for (gsize i = 0; lines[i] != NULL; i++) {
    const char *line = lines[i];
    if (line[0] != ' ' && line[0] != '\0') {
      in_components = g_str_equal(line, "components:");
      continue;
    }
    if (!in_components)
      continue;
    if (g_str_has_prefix(line, "  ") && line[2] != ' ') {
      in_parameters = g_str_equal(line, "  parameters:");
      continue;
    }
    if (!in_parameters)
      continue;
    if (g_str_has_prefix(line, "    ") && line[4] != ' ') {
      g_free(component);
      component = g_strndup(line + 4, strlen(line) - 5);
    } else if (g_str_has_prefix(line, "      name: ")) {
      g_free(name);
      name = g_strdup(line + strlen("      name: "));
    } else if (g_str_equal(line, "      in: query") && component != NULL && name != NULL) {
      g_hash_table_insert(found, g_strdup(component), g_strdup(name));
    }
  }
  return found;
}

/* Each operation under `paths:` ("GET /v1/schools") -> its query parameters, sorted
 * and joined by spaces ("" for none), from inline `- name:` entries with `in: query`
 * and references to query components; with "+400" appended when it lists a 400
 * response (transfer full). */
static GHashTable *document_queries(const char *yaml) {
  g_auto(GStrv) lines = g_strsplit(yaml, "\n", -1);
  g_autoptr(GHashTable) components = component_query_parameters(lines);
  GHashTable *found = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *path = NULL;
  g_autofree char *operation = NULL;
  gboolean in_paths = FALSE, has_400 = FALSE;
  g_autofree char *pending = NULL; /* an inline parameter's name, until its `in:` */
  for (gsize i = 0;; i++) {
    const char *line = lines[i];
    gboolean ends = line == NULL || (line[0] != ' ' && line[0] != '\0') ||
                    g_str_has_prefix(line, "  /") ||
                    (g_str_has_prefix(line, "    ") && line[4] != ' ' && line[4] != '\0');
    if (ends && operation != NULL) {
      g_ptr_array_sort(names, compare_names);
      g_ptr_array_add(names, NULL);
      g_autofree char *joined = g_strjoinv(" ", (char **)names->pdata);
      g_hash_table_insert(found, g_steal_pointer(&operation),
                          g_strconcat(joined, has_400 ? "+400" : "", NULL));
      g_clear_pointer(&names, g_ptr_array_unref);
    }
    if (line == NULL)
      break;
    if (line[0] != ' ' && line[0] != '\0') {
      in_paths = g_str_equal(line, "paths:");
      continue;
    }
    if (!in_paths)
      continue;
    if (g_str_has_prefix(line, "  /")) {
      g_free(path);
      path = g_strndup(line + 2, strlen(line) - 3);
    } else if (ends && g_str_has_suffix(line, ":") && !g_str_equal(line, "    parameters:")) {
      g_autofree char *method = g_ascii_strup(line + 4, (gssize)strlen(line) - 5);
      operation = g_strdup_printf("%s %s", method, path);
      names = g_ptr_array_new_with_free_func(g_free);
      has_400 = FALSE;
    } else if (operation != NULL) {
      static const char ref[] = "        - $ref: '#/components/parameters/";
      if (g_str_has_prefix(line, ref)) {
        g_autofree char *component = g_strndup(line + strlen(ref), strlen(line) - strlen(ref) - 1);
        const char *name = g_hash_table_lookup(components, component);
        if (name != NULL)
          g_ptr_array_add(names, g_strdup(name));
      } else if (g_str_has_prefix(line, "        - name: ")) {
        g_free(pending);
        pending = g_strdup(line + strlen("        - name: "));
      } else if (g_str_equal(line, "          in: query") && pending != NULL) {
        g_ptr_array_add(names, g_steal_pointer(&pending));
      } else if (g_str_equal(line, "        '400':")) {
        has_400 = TRUE;
      }
    }
  }
  return found;
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

/* Every operation documents exactly the query parameters its route takes (the router
 * refuses any other), and the 400 that refusal answers. */
static void test_query_parameters(void) {
  g_autofree char *yaml = served_document();
  g_autoptr(GHashTable) documented = document_queries(yaml);
  static const ApiRoute builtins[] = {
      {"GET", "/v1/health", NULL, TRUE, NULL},
      {"GET", "/v1/openapi.yaml", NULL, TRUE, NULL},
      {NULL, NULL, NULL, FALSE, NULL},
  };
  const ApiRoute *tables[] = {builtins, api_routes()};
  guint count = 0;
  for (gsize t = 0; t < G_N_ELEMENTS(tables); t++)
    for (const ApiRoute *route = tables[t]; route->method != NULL; route++, count++) {
      g_autofree char *key = g_strdup_printf("%s %s", route->method, route->pattern);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
      g_auto(GStrv) taken = g_strsplit(route->query != NULL ? route->query : "", " ", -1);
      for (gsize i = 0; taken[i] != NULL; i++)
        g_ptr_array_add(names, g_strdup(taken[i]));
      g_ptr_array_sort(names, compare_names);
      g_ptr_array_add(names, NULL);
      g_autofree char *joined = g_strjoinv(" ", (char **)names->pdata);
      g_autofree char *expected = g_strconcat(joined, "+400", NULL);
      const char *found = g_hash_table_lookup(documented, key);
      if (g_strcmp0(found, expected) != 0)
        g_test_fail_printf("%s: openapi.yaml has \"%s\", the route takes \"%s\"", key,
                           found != NULL ? found : "(missing)", expected);
    }
  g_assert_cmpuint(g_hash_table_size(documented), ==, count);
}

/* The parameter reader, on a document written for it. */
static void test_query_reader(void) {
  static const char yaml[] = "paths:\n"
                             "  /v1/a:\n"
                             "    get:\n"
                             "      parameters:\n"
                             "        - $ref: '#/components/parameters/Limit'\n"
                             "        - $ref: '#/components/parameters/Id'\n"
                             "        - name: status\n"
                             "          in: query\n"
                             "      responses:\n"
                             "        '400':\n"
                             "    post:\n"
                             "      responses:\n"
                             "        '201':\n"
                             "components:\n"
                             "  parameters:\n"
                             "    Id:\n"
                             "      name: id\n"
                             "      in: path\n"
                             "    Limit:\n"
                             "      name: limit\n"
                             "      in: query\n";
  g_autoptr(GHashTable) found = document_queries(yaml);
  g_assert_cmpuint(g_hash_table_size(found), ==, 2);
  g_assert_cmpstr(g_hash_table_lookup(found, "GET /v1/a"), ==, "limit status+400");
  g_assert_cmpstr(g_hash_table_lookup(found, "POST /v1/a"), ==, "");
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
  g_test_add_func("/http/openapi/query-reader", test_query_reader);
  g_test_add_func("/http/openapi/query-parameters", test_query_parameters);
  return g_test_run();
}
