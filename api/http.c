/* http.c: the shared vocabulary of the HTTP API: principals, responses and
 * the one table that maps an error (GError domain and code) to an HTTP status and
 * the error code in the JSON body.  Invariants: every error body has the shape
 * {"error": {"status", "code", "message", "pointer"?}} and its status equals the
 * response's; a storage failure's message is logged, never sent to the client.
 */
#include <stdarg.h>
#include <string.h>

#include "http.h"

/* Spelled out rather than G_DEFINE_QUARK, whose argument a formatter would split. */
GQuark api_error_quark(void) {
  return g_quark_from_static_string("api-error-quark");
}

void api_principal_clear(ApiPrincipal *principal) {
  if (principal == NULL)
    return;
  g_clear_pointer(&principal->token_id, g_free);
  g_clear_pointer(&principal->school_id, g_free);
  g_clear_pointer(&principal->organisation_id, g_free);
  g_clear_pointer(&principal->districts, g_strfreev);
}

void api_response_clear(ApiResponse *response) {
  if (response == NULL)
    return;
  g_clear_pointer(&response->content_type, g_free);
  g_clear_pointer(&response->body, g_free);
  g_clear_pointer(&response->allow, g_free);
  g_clear_pointer(&response->location, g_free);
  g_clear_pointer(&response->disposition, g_free);
  g_clear_pointer(&response->etag, g_free);
  g_clear_pointer(&response->cache_control, g_free);
  response->body_length = 0;
  response->status = 0;
}

/* The opaque part of one entity tag at `*cursor` ("W/" dropped, quotes kept) as
 * [*out_start, *out_end); advances past it and a following comma.  FALSE at the end
 * or on a malformed tag (which then matches nothing). */
static gboolean next_etag(const char **cursor, const char **out_start, const char **out_end) {
  const char *c = *cursor;
  while (*c == ' ' || *c == '\t' || *c == ',')
    c++;
  if (*c == '\0')
    return FALSE;
  if (c[0] == 'W' && c[1] == '/')
    c += 2;
  if (*c != '"')
    return FALSE;
  const char *close = strchr(c + 1, '"');
  if (close == NULL)
    return FALSE;
  *out_start = c;
  *out_end = close + 1;
  *cursor = close + 1;
  return TRUE;
}

gboolean api_etag_matches(const char *if_none_match, const char *etag) {
  if (if_none_match == NULL || etag == NULL)
    return FALSE;
  const char *mine = g_str_has_prefix(etag, "W/") ? etag + 2 : etag;
  gsize mine_length = strlen(mine);
  const char *cursor = if_none_match;
  while (*cursor == ' ' || *cursor == '\t')
    cursor++;
  if (cursor[0] == '*')
    return TRUE;
  const char *start = NULL, *end = NULL;
  while (next_etag(&cursor, &start, &end))
    if ((gsize)(end - start) == mine_length && memcmp(start, mine, mine_length) == 0)
      return TRUE;
  return FALSE;
}

gboolean api_response_not_modified(ApiResponse *response, const char *method,
                                   const char *if_none_match) {
  g_return_val_if_fail(response != NULL && method != NULL, FALSE);
  if (response->status != 200 || !(g_str_equal(method, "GET") || g_str_equal(method, "HEAD")) ||
      !api_etag_matches(if_none_match, response->etag))
    return FALSE;
  response->status = 304;
  g_clear_pointer(&response->body, g_free);
  response->body_length = 0;
  return TRUE;
}

/* Replaces status, content type and body (taking `body`, NUL-terminated at
 * `length`); the other headers stay. */
static void set_body(ApiResponse *response, guint status, const char *content_type, char *body,
                     gsize length) {
  g_assert(status >= 100 && status <= 599);
  g_free(response->content_type);
  g_free(response->body);
  response->status = status;
  response->content_type = g_strdup(content_type);
  response->body = body;
  response->body_length = length;
}

void api_response_json(ApiResponse *response, guint status, json_object *body) {
  g_return_if_fail(response != NULL && body != NULL);
  size_t length = 0;
  const char *text = json_object_to_json_string_length(
      body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &length);
  set_body(response, status, "application/json", g_strndup(text, length), length);
  json_object_put(body);
}

void api_response_text(ApiResponse *response, guint status, const char *content_type,
                       const char *text, gsize length) {
  g_return_if_fail(response != NULL && content_type != NULL);
  g_return_if_fail(text != NULL || length == 0);
  char *copy = g_malloc(length + 1);
  if (length > 0)
    memcpy(copy, text, length);
  copy[length] = '\0';
  set_body(response, status, content_type, copy, length);
}

static void response_error_message(ApiResponse *response, guint status, const char *code,
                                   const char *pointer, const char *message) {
  json_object *error = json_object_new_object();
  json_object_object_add(error, "status", json_object_new_int((int)status));
  json_object_object_add(error, "code", json_object_new_string(code));
  json_object_object_add(error, "message", json_object_new_string(message));
  if (pointer != NULL)
    json_object_object_add(error, "pointer", json_object_new_string(pointer));
  json_object *body = json_object_new_object();
  json_object_object_add(body, "error", error);
  api_response_json(response, status, body);
}

void api_response_error(ApiResponse *response, guint status, const char *code, const char *pointer,
                        const char *fmt, ...) {
  g_return_if_fail(response != NULL && code != NULL && fmt != NULL);
  g_return_if_fail(pointer == NULL || pointer[0] == '/');
  va_list args;
  va_start(args, fmt);
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  va_end(args);
  response_error_message(response, status, code, pointer, message);
}

/* The one mapping of errors to HTTP.  `hidden`: the message is logged and a generic
 * one sent, because it may name files or database internals. */
typedef struct {
  GQuark (*domain)(void);
  int code;
  guint status;
  const char *name;
  gboolean hidden;
} ErrorMapping;

static const ErrorMapping error_table[] = {
    {api_error_quark, API_ERROR_BAD_REQUEST, 400, "bad_request", FALSE},
    {api_error_quark, API_ERROR_UNAUTHORIZED, 401, "unauthorized", FALSE},
    {api_error_quark, API_ERROR_FORBIDDEN, 403, "forbidden", FALSE},
    {api_error_quark, API_ERROR_NOT_FOUND, 404, "not_found", FALSE},
    {api_error_quark, API_ERROR_CONFLICT, 409, "conflict", FALSE},
    {api_error_quark, API_ERROR_TOO_LARGE, 413, "too_large", FALSE},
    {api_error_quark, API_ERROR_MEDIA_TYPE, 415, "unsupported_media_type", FALSE},
    {api_error_quark, API_ERROR_INVALID, 422, "invalid_field", FALSE},
    {api_error_quark, API_ERROR_UNAVAILABLE, 503, "unavailable", FALSE},
    {model_error_quark, MODEL_ERROR_INVALID, 422, "invalid_field", FALSE},
    {model_error_quark, MODEL_ERROR_NOT_FOUND, 404, "not_found", FALSE},
    {model_error_quark, MODEL_ERROR_CONFLICT, 409, "conflict", FALSE},
    {model_error_quark, MODEL_ERROR_IO, 500, "internal", TRUE},
};

/* What an unknown (domain, code) becomes. */
static const ErrorMapping internal_error = {NULL, 0, 500, "internal", TRUE};

/* A message "/slots/0/date: text" carries its JSON Pointer: the part before the first
 * ": ", when it starts with '/' and holds no space.  Sets *out_pointer (transfer
 * full) and returns the rest, or returns the message whole. */
static const char *split_pointer(const char *message, char **out_pointer) {
  *out_pointer = NULL;
  if (message[0] != '/')
    return message;
  const char *colon = strstr(message, ": ");
  if (colon == NULL || memchr(message, ' ', (gsize)(colon - message)) != NULL)
    return message;
  *out_pointer = g_strndup(message, (gsize)(colon - message));
  return colon + 2;
}

void api_response_gerror(ApiResponse *response, const GError *error) {
  g_return_if_fail(response != NULL && error != NULL);
  const ErrorMapping *mapping = &internal_error;
  for (gsize i = 0; i < G_N_ELEMENTS(error_table); i++)
    if (error->domain == error_table[i].domain() && error->code == error_table[i].code) {
      mapping = &error_table[i];
      break;
    }
  if (mapping->hidden) {
    g_message("internal error (%s %d): %s", g_quark_to_string(error->domain), error->code,
              error->message);
    response_error_message(response, mapping->status, mapping->name, NULL,
                           "the server could not complete the request");
    return;
  }
  g_autofree char *pointer = NULL;
  const char *message = split_pointer(error->message, &pointer);
  response_error_message(response, mapping->status, mapping->name, pointer, message);
}
