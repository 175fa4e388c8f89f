/* router.c: one fully read request in memory -> one response (see http.h).  The
 * steps run in a fixed order, each answering with its own error: query string (400),
 * route (404, 405 with Allow), bearer token (401), query parameters the route does not
 * take (400), body (413, 415, 400), handler.
 * Nothing here knows about sockets, so tests and fuzzers drive it directly.
 *
 * Invariants: every text a handler sees (query values, path parameters, the body) is
 * valid UTF-8 without NUL bytes and within a size cap; a handler runs only for a
 * matched route, with a principal on every non-public route; `response` is always
 * filled.  Two routes are built in and public: GET /v1/health and GET
 * /v1/openapi.yaml (the document embedded at build time, see openapi.h).  Every path
 * outside /v1 belongs to the web front end's static files (web.h), also public.
 */
#include <string.h>

#include "dataset-json.h"
#include "handlers.h"
#include "http.h"
#include "openapi.h"
#include "store-tokens.h"
#include "web.h"

/* Caps on what a URL may carry. */
#define MAX_QUERY_PARAMS 64
#define MAX_SEGMENTS 16
#define MAX_SEGMENT_BYTES 256
/* json-c's default; deeper documents are refused as malformed. */
#define MAX_JSON_DEPTH 32
/* model_json_check_text() walks only text within the codec's depth cap. */
G_STATIC_ASSERT(MAX_JSON_DEPTH <= MODEL_JSON_MAX_DEPTH);

/* ---- percent-decoding --------------------------------------------------- */

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes `length` bytes of `text` ('+' as a space when `plus_is_space`, as in
 * query strings).  Returns NULL when an escape is not two hex digits, or when the
 * result is not valid UTF-8 or holds a NUL byte; else the decoded text (transfer
 * full) and its length. */
static char *percent_decode(const char *text, gsize length, gboolean plus_is_space,
                            gsize *out_length) {
  g_autofree char *out = g_malloc(length + 1);
  gsize n = 0;
  for (gsize i = 0; i < length; i++) {
    char c = text[i];
    if (c == '%') {
      int hi = i + 2 < length ? hex_value(text[i + 1]) : -1;
      int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
      if (lo < 0)
        return NULL;
      out[n++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      out[n++] = plus_is_space && c == '+' ? ' ' : c;
    }
  }
  out[n] = '\0';
  if (memchr(out, '\0', n) != NULL || !g_utf8_validate_len(out, n, NULL))
    return NULL;
  *out_length = n;
  return g_steal_pointer(&out);
}

/* ---- query string ------------------------------------------------------- */

/* Parses "a=1&b=two" into `query`.  Fills `response` with 400 and returns FALSE on a
 * bad escape, invalid UTF-8, a repeated parameter or too many of them. */
static gboolean parse_query(const char *query_string, GHashTable *query, ApiResponse *response) {
  if (query_string == NULL || query_string[0] == '\0')
    return TRUE;
  g_auto(GStrv) pairs = g_strsplit(query_string, "&", -1);
  for (gsize i = 0; pairs[i] != NULL; i++) {
    const char *pair = pairs[i];
    if (pair[0] == '\0')
      continue;
    const char *equals = strchr(pair, '=');
    gsize key_length = equals != NULL ? (gsize)(equals - pair) : strlen(pair);
    gsize length = 0;
    g_autofree char *key = percent_decode(pair, key_length, TRUE, &length);
    if (key == NULL) {
      g_autofree char *shown = g_utf8_make_valid(pair, (gssize)key_length);
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter name \"%s\" is not validly percent-encoded UTF-8", shown);
      return FALSE;
    }
    const char *raw_value = equals != NULL ? equals + 1 : "";
    g_autofree char *value = percent_decode(raw_value, strlen(raw_value), TRUE, &length);
    if (value == NULL) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter \"%s\" is not validly percent-encoded UTF-8", key);
      return FALSE;
    }
    if (g_hash_table_contains(query, key)) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter \"%s\" is given more than once", key);
      return FALSE;
    }
    if (g_hash_table_size(query) >= MAX_QUERY_PARAMS) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL, "more than %d query parameters",
                        MAX_QUERY_PARAMS);
      return FALSE;
    }
    g_hash_table_insert(query, g_steal_pointer(&key), g_steal_pointer(&value));
  }
  return TRUE;
}

/* ---- routes ------------------------------------------------------------- */

static void handle_health(ApiServices *services, const ApiRequest *request, ApiResponse *response);
static void handle_openapi(ApiServices *services, const ApiRequest *request, ApiResponse *response);

static const ApiRoute builtin_routes[] = {
    {"GET", "/v1/health", handle_health, TRUE},
    {"GET", "/v1/openapi.yaml", handle_openapi, TRUE},
    {NULL, NULL, NULL, FALSE, NULL},
};

/* Splits a raw path into decoded segments (the leading '/' dropped).  Fills
 * `response` and returns NULL when the path is not absolute, a segment is badly
 * encoded or too long, or there are too many to match any route (404). */
static GPtrArray *split_path(const char *path, ApiResponse *response) {
  if (path == NULL || path[0] != '/') {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL, "the path must start with '/'");
    return NULL;
  }
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func(g_free);
  const char *start = path + 1;
  for (;;) {
    const char *end = strchr(start, '/');
    gsize raw_length = end != NULL ? (gsize)(end - start) : strlen(start);
    if (segments->len >= MAX_SEGMENTS) {
      api_response_fail(response, API_ERROR_NOT_FOUND, NULL, "no such resource");
      return NULL;
    }
    gsize length = 0;
    char *segment = percent_decode(start, raw_length, FALSE, &length);
    if (segment == NULL) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "the path is not validly percent-encoded UTF-8");
      return NULL;
    }
    g_ptr_array_add(segments, segment);
    if (length > MAX_SEGMENT_BYTES) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "a path segment is longer than %d bytes", MAX_SEGMENT_BYTES);
      return NULL;
    }
    if (end == NULL)
      break;
    start = end + 1;
  }
  return g_steal_pointer(&segments);
}

/* Matches one pattern segment against a decoded path segment.  A pattern segment
 * is a literal, or "prefix{name}suffix" capturing a non-empty middle.  Writes the
 * capture into `params` (when not NULL) and counts literal segments in *literals. */
static gboolean match_segment(const char *pattern, gsize pattern_length, const char *segment,
                              GHashTable *params, guint *literals) {
  const char *open = memchr(pattern, '{', pattern_length);
  if (open == NULL) {
    (*literals)++;
    return strlen(segment) == pattern_length && memcmp(segment, pattern, pattern_length) == 0;
  }
  const char *close = memchr(open, '}', pattern_length - (gsize)(open - pattern));
  g_assert(close != NULL); /* the route table is ours */
  gsize prefix = (gsize)(open - pattern);
  gsize suffix = pattern_length - (gsize)(close + 1 - pattern);
  gsize length = strlen(segment);
  if (length <= prefix + suffix || memcmp(segment, pattern, prefix) != 0 ||
      memcmp(segment + length - suffix, close + 1, suffix) != 0)
    return FALSE;
  if (params != NULL)
    g_hash_table_insert(params, g_strndup(open + 1, (gsize)(close - open - 1)),
                        g_strndup(segment + prefix, length - prefix - suffix));
  return TRUE;
}

/* Matches a whole pattern; see match_segment. */
static gboolean match_pattern(const char *pattern, const GPtrArray *segments, GHashTable *params,
                              guint *literals) {
  g_assert(pattern[0] == '/');
  *literals = 0;
  const char *start = pattern + 1;
  for (guint i = 0; i < segments->len; i++) {
    if (start == NULL)
      return FALSE;
    const char *end = strchr(start, '/');
    gsize length = end != NULL ? (gsize)(end - start) : strlen(start);
    if (!match_segment(start, length, g_ptr_array_index(segments, i), params, literals))
      return FALSE;
    start = end != NULL ? end + 1 : NULL;
  }
  return start == NULL;
}

/* The routes whose pattern matches a path with the most literal segments: a path is
 * the most specific pattern's, so POST /v1/employees/import leaves GET on that path a
 * 405, not a read of employee "import". */
typedef struct {
  const ApiRoute *route; /* matching path and method, or NULL */
  guint literals;        /* the literal segments of the most specific matching pattern */
  gboolean matched;      /* some pattern matches the path */
  GString *allow;        /* the methods of the most specific patterns matching the path */
} RouteMatch;

static void consider_routes(const ApiRoute *routes, const char *method, const GPtrArray *segments,
                            RouteMatch *match) {
  for (const ApiRoute *route = routes; route->method != NULL; route++) {
    guint literals = 0;
    if (!match_pattern(route->pattern, segments, NULL, &literals))
      continue;
    if (match->matched && literals < match->literals)
      continue;
    if (!match->matched || literals > match->literals) {
      match->route = NULL;
      g_string_truncate(match->allow, 0);
      match->literals = literals;
      match->matched = TRUE;
    }
    g_auto(GStrv) listed = g_strsplit(match->allow->str, ", ", -1);
    if (!g_strv_contains((const char *const *)listed, route->method)) {
      if (match->allow->len > 0)
        g_string_append(match->allow, ", ");
      g_string_append(match->allow, route->method);
    }
    if (g_str_equal(route->method, method))
      match->route = route;
  }
}

static int compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Answers 400 unknown_parameter naming every query parameter `route` does not take
 * (sorted, so the answer does not depend on hash order) and those it does take;
 * TRUE when there is none. */
static gboolean check_parameters(const ApiRoute *route, GHashTable *query, ApiResponse *response) {
  g_auto(GStrv) taken = g_strsplit(route->query != NULL ? route->query : "", " ", -1);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new();
  GHashTableIter iter;
  gpointer key = NULL;
  g_hash_table_iter_init(&iter, query);
  while (g_hash_table_iter_next(&iter, &key, NULL))
    if (!g_strv_contains((const char *const *)taken, key))
      g_ptr_array_add(unknown, key);
  if (unknown->len == 0)
    return TRUE;
  g_ptr_array_sort(unknown, compare_names);
  g_autoptr(GString) names = g_string_new(NULL);
  for (guint i = 0; i < unknown->len; i++)
    g_string_append_printf(names, "%s\"%s\"", i > 0 ? ", " : "",
                           (const char *)g_ptr_array_index(unknown, i));
  g_autofree char *listed = g_strjoinv(", ", taken);
  api_response_fail(response, API_ERROR_UNKNOWN_PARAMETER, NULL,
                    "unknown query parameter%s %s (%s %s takes %s%s)", unknown->len > 1 ? "s" : "",
                    names->str, route->method, route->pattern, taken[0] != NULL ? "only " : "none",
                    listed);
  return FALSE;
}

/* ---- authentication ----------------------------------------------------- */

/* Fills `principal` from "Bearer <token>", or fills `response` (401, or 500/503
 * when the store fails) and returns FALSE. */
static gboolean authenticate(ApiServices *services, const char *authorization,
                             ApiPrincipal *principal, ApiResponse *response) {
  static const char scheme[] = "Bearer ";
  if (authorization == NULL || authorization[0] == '\0') {
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL,
                      "a bearer token is required (Authorization: Bearer hnd_...)");
    return FALSE;
  }
  if (g_ascii_strncasecmp(authorization, scheme, strlen(scheme)) != 0) {
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL,
                      "the Authorization header must use the Bearer scheme");
    return FALSE;
  }
  const char *secret = authorization + strlen(scheme);
  while (*secret == ' ')
    secret++;
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_services_auth_store(services, &error);
  if (store == NULL) {
    api_response_gerror(response, error);
    return FALSE;
  }
  g_autoptr(ModelTokenInfo) info = model_store_token_lookup(store, secret, &error);
  if (info == NULL) {
    if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND))
      api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL, "the token is not valid");
    else
      api_response_gerror(response, error);
    return FALSE;
  }
  if (info->revoked_at != NULL) {
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL, "the token has been revoked");
    return FALSE;
  }
  gint64 now = api_services_now();
  if (info->expires >= 0 && info->expires <= now) {
    api_response_fail(response, API_ERROR_EXPIRED, NULL, "the token expired at %s",
                      info->expires_at);
    return FALSE;
  }
  if (!info->scope_exists) {
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL,
                      "the token's school or organisation no longer exists");
    return FALSE;
  }
  api_services_note_token_use(services, info->id, info->last_used, now);
  principal->token_id = g_strdup_printf("%" G_GINT64_FORMAT, info->id);
  principal->role = info->role;
  principal->school_id = g_steal_pointer(&info->school_id);
  principal->organisation_id = g_steal_pointer(&info->organisation_id);
  principal->districts = g_steal_pointer(&info->districts);
  return TRUE;
}

/* ---- body --------------------------------------------------------------- */

/* TRUE for "application/json", with an optional charset=utf-8 (any case, quoted or
 * not); other parameters are ignored, another charset is not JSON. */
static gboolean is_json_media_type(const char *content_type) {
  if (content_type == NULL)
    return FALSE;
  g_auto(GStrv) parts = g_strsplit(content_type, ";", -1);
  g_autofree char *type = g_strstrip(g_strdup(parts[0]));
  if (g_ascii_strcasecmp(type, "application/json") != 0)
    return FALSE;
  for (gsize i = 1; parts[i] != NULL; i++) {
    g_autofree char *param = g_strstrip(g_strdup(parts[i]));
    if (g_ascii_strncasecmp(param, "charset=", 8) != 0)
      continue;
    const char *value = param + 8;
    if (g_ascii_strcasecmp(value, "utf-8") != 0 && g_ascii_strcasecmp(value, "\"utf-8\"") != 0)
      return FALSE;
  }
  return TRUE;
}

/* The offset of the first single quote outside a string, or -1.  json-c accepts
 * 'single-quoted' strings even in strict mode; JSON does not. */
static gssize find_single_quote(const char *body, gsize length) {
  gboolean in_string = FALSE;
  for (gsize i = 0; i < length; i++) {
    char c = body[i];
    if (in_string) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_string = FALSE;
    } else if (c == '"') {
      in_string = TRUE;
    } else if (c == '\'') {
      return (gssize)i;
    }
  }
  return -1;
}

/* TRUE for "text/csv" with optional parameters (charset, header). */
static gboolean is_csv_media_type(const char *content_type) {
  if (content_type == NULL)
    return FALSE;
  g_auto(GStrv) parts = g_strsplit(content_type, ";", 2);
  return g_ascii_strcasecmp(g_strstrip(parts[0]), "text/csv") == 0;
}

/* Checks a spreadsheet body: size and media type; its cells are the handler's. */
static gboolean check_csv_body(const char *content_type, gsize length, ApiResponse *response) {
  if (length > API_MAX_BODY_BYTES) {
    api_response_fail(response, API_ERROR_TOO_LARGE, NULL,
                      "the body is larger than %" G_GSIZE_FORMAT " bytes", API_MAX_BODY_BYTES);
    return FALSE;
  }
  if (length > 0 && !is_csv_media_type(content_type)) {
    api_response_fail(response, API_ERROR_MEDIA_TYPE, NULL, "the body must be text/csv, not %s",
                      content_type != NULL ? content_type : "untyped");
    return FALSE;
  }
  return TRUE;
}

/* Checks the body: size, media type, UTF-8, one well-formed JSON value without raw
 * control characters, lone surrogates or repeated keys.  Fills `response` and returns
 * FALSE on the first failure. */
static gboolean check_body(const char *content_type, const char *body, gsize length,
                           ApiResponse *response) {
  if (length > API_MAX_BODY_BYTES) {
    api_response_fail(response, API_ERROR_TOO_LARGE, NULL,
                      "the body is larger than %" G_GSIZE_FORMAT " bytes", API_MAX_BODY_BYTES);
    return FALSE;
  }
  if (length == 0)
    return TRUE;
  if (!is_json_media_type(content_type)) {
    api_response_fail(response, API_ERROR_MEDIA_TYPE, NULL,
                      "the body must be application/json, not %s",
                      content_type != NULL ? content_type : "untyped");
    return FALSE;
  }
  const char *end = NULL;
  if (!g_utf8_validate_len(body, length, &end)) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "the body is not valid UTF-8 (byte %" G_GSIZE_FORMAT ")",
                      (gsize)(end - body));
    return FALSE;
  }
  gssize quote = find_single_quote(body, length);
  if (quote >= 0) {
    api_response_fail(
        response, API_ERROR_BAD_REQUEST, NULL,
        "the body is not valid JSON: unexpected character (byte %" G_GSSIZE_FORMAT ")", quote);
    return FALSE;
  }
  json_tokener *tokener = json_tokener_new_ex(MAX_JSON_DEPTH);
  json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
  /* Parsing the terminating NUL too tells json-c the text is complete, so a number
   * or literal at the very end is finished rather than "to be continued". */
  g_assert(body[length] == '\0');
  json_object *value = json_tokener_parse_ex(tokener, body, (int)length + 1);
  enum json_tokener_error jerr = json_tokener_get_error(tokener);
  gsize offset = json_tokener_get_parse_end(tokener);
  json_tokener_free(tokener);
  json_object_put(value);
  if (jerr == json_tokener_continue) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "the body is not valid JSON: it ends too early (byte %" G_GSIZE_FORMAT ")",
                      length);
    return FALSE;
  }
  if (jerr != json_tokener_success) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "the body is not valid JSON: %s (byte %" G_GSIZE_FORMAT ")",
                      json_tokener_error_desc(jerr), MIN(offset, length));
    return FALSE;
  }
  for (gsize i = offset; i < length; i++)
    if (!g_ascii_isspace(body[i])) {
      api_response_fail(
          response, API_ERROR_BAD_REQUEST, NULL,
          "the body is not valid JSON: text after the value (byte %" G_GSIZE_FORMAT ")", i);
      return FALSE;
    }
  /* What the tokener lets through and a dataset file may not hold either. */
  g_autoptr(GPtrArray) problems = model_problems_new();
  if (!model_json_check_text(body, length, problems)) {
    const ModelProblem *first = g_ptr_array_index(problems, 0);
    g_autofree char *pointer =
        first->pointer[0] != '\0' ? g_strdup_printf("/%s", first->pointer) : NULL;
    api_response_fail(response, API_ERROR_BAD_REQUEST, pointer, "%s", first->message);
    return FALSE;
  }
  return TRUE;
}

/* ---- built-in routes ---------------------------------------------------- */

/* Answers {"status": "ok"} when the calling thread can reach the store, else 503. */
static void handle_health(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  (void)request;
  g_autoptr(GError) error = NULL;
  if (api_services_store(services, &error) == NULL) {
    g_message("health: %s", error->message);
    api_response_fail(response, API_ERROR_UNAVAILABLE, NULL, "the store is unavailable");
    return;
  }
  json_object *body = json_object_new_object();
  json_object_object_add(body, "status", json_object_new_string("ok"));
  api_response_json(response, 200, body);
}

static void handle_openapi(ApiServices *services, const ApiRequest *request,
                           ApiResponse *response) {
  (void)services;
  (void)request;
  gsize length = 0;
  const char *text = api_openapi_yaml(&length);
  api_response_text(response, 200, "application/yaml", text, length);
}

/* ---- dispatch ----------------------------------------------------------- */

static void call_handler(ApiServices *services, const ApiRoute *route, ApiRequest *request,
                         const char *authorization, ApiResponse *response) {
  ApiPrincipal principal = {0};
  if (!route->public) {
    if (!authenticate(services, authorization, &principal, response))
      return;
    request->principal = &principal;
  }
  if (check_parameters(route, request->query, response) &&
      (route->csv_body
           ? check_csv_body(request->content_type, request->body_length, response)
           : check_body(request->content_type, request->body, request->body_length, response))) {
    route->handler(services, request, response);
    if (response->status == 0) {
      g_message("%s %s: the handler gave no response", request->method, route->pattern);
      api_response_fail(response, API_ERROR_INTERNAL, NULL,
                        "the server could not complete the request");
    }
  }
  request->principal = NULL;
  api_principal_clear(&principal);
}

void api_router_dispatch(ApiServices *services, const char *method, const char *path,
                         const char *query_string, const char *authorization,
                         const char *content_type, const char *body, gsize body_length,
                         ApiResponse *response) {
  g_return_if_fail(method != NULL && response != NULL);
  g_return_if_fail(body != NULL || body_length == 0);
  api_response_clear(response);
  if (path != NULL && path[0] == '/' && !api_web_is_api_path(path)) {
    api_web_dispatch(method, path, response);
    return;
  }

  g_autoptr(GHashTable) query = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  if (!parse_query(query_string, query, response))
    return;
  g_autoptr(GPtrArray) segments = split_path(path, response);
  if (segments == NULL)
    return;

  RouteMatch match = {NULL, 0, FALSE, g_string_new(NULL)};
  consider_routes(builtin_routes, method, segments, &match);
  consider_routes(api_routes(), method, segments, &match);
  g_autofree char *allow = g_string_free(match.allow, FALSE);
  if (match.route == NULL) {
    if (allow[0] == '\0') {
      api_response_fail(response, API_ERROR_NOT_FOUND, NULL, "no such resource");
    } else {
      api_response_fail(response, API_ERROR_METHOD_NOT_ALLOWED, NULL,
                        "%s is not allowed here (allowed: %s)", method, allow);
      response->allow = g_steal_pointer(&allow);
    }
    return;
  }

  /* The handler gets a NUL-terminated copy, whatever the caller's buffer is. */
  g_autofree char *body_copy = g_malloc(body_length + 1);
  if (body_length > 0)
    memcpy(body_copy, body, body_length);
  body_copy[body_length] = '\0';
  g_autoptr(GHashTable) params = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  guint literals = 0;
  gboolean matched = match_pattern(match.route->pattern, segments, params, &literals);
  g_assert(matched);
  ApiRequest request = {
      .method = method,
      .path = path,
      .query = query,
      .params = params,
      .content_type = content_type,
      .body = body_copy,
      .body_length = body_length,
      .principal = NULL,
  };
  call_handler(services, match.route, &request, authorization, response);
}
