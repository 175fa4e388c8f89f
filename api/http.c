/* http.c: the shared vocabulary of the HTTP API: principals, responses, and the one
 * table that gives every named error (ApiError) its HTTP status and the code in the
 * JSON body, with the names of the lower layers' GErrors.  Invariants: every error body has the
 * shape
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
  response->gzip = FALSE;
  response->by_coding = FALSE;
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

/* The one table of the API's errors: status, code in the body, and whether a GError's
 * message must stay in the log (it may name files or database internals). */
typedef struct {
  guint status;
  const char *code;
  gboolean hidden;
} ErrorEntry;

static const ErrorEntry error_table[API_N_ERRORS] = {
    [API_ERROR_BAD_REQUEST] = {400, "bad_request", FALSE},
    [API_ERROR_UNKNOWN_PARAMETER] = {400, "unknown_parameter", FALSE},
    [API_ERROR_UNAUTHORIZED] = {401, "unauthorized", FALSE},
    [API_ERROR_EXPIRED] = {401, "expired", FALSE},
    [API_ERROR_FORBIDDEN] = {403, "forbidden", FALSE},
    [API_ERROR_NOT_FOUND] = {404, "not_found", FALSE},
    [API_ERROR_METHOD_NOT_ALLOWED] = {405, "method_not_allowed", FALSE},
    [API_ERROR_CONFLICT] = {409, "conflict", FALSE},
    [API_ERROR_ID_TAKEN] = {409, "id_taken", FALSE},
    [API_ERROR_SLOT_IN_USE] = {409, "slot_in_use", FALSE},
    [API_ERROR_ALREADY_CANCELLED] = {409, "already_cancelled", FALSE},
    [API_ERROR_REQUEST_CANCELLED] = {409, "request_cancelled", FALSE},
    [API_ERROR_ROUND_RUNNING] = {409, "round_running", FALSE},
    [API_ERROR_ALREADY_DECIDED] = {409, "already_decided", FALSE},
    [API_ERROR_SUPERSEDED] = {409, "superseded", FALSE},
    [API_ERROR_EMPLOYEE_INACTIVE] = {409, "employee_inactive", FALSE},
    [API_ERROR_EMPLOYEE_UNAVAILABLE] = {409, "employee_unavailable", FALSE},
    [API_ERROR_DOUBLE_BOOKED] = {409, "double_booked", FALSE},
    [API_ERROR_SLOT_FULL] = {409, "slot_full", FALSE},
    [API_ERROR_WEEK_FULL] = {409, "week_full", FALSE},
    [API_ERROR_SLOT_NOT_REQUESTED] = {409, "slot_not_requested", FALSE},
    [API_ERROR_PAIR_REJECTED] = {409, "pair_rejected", FALSE},
    [API_ERROR_TOO_FAR] = {409, "too_far", FALSE},
    [API_ERROR_LOCATION_NEEDED] = {409, "location_needed", FALSE},
    [API_ERROR_TOO_LARGE] = {413, "too_large", FALSE},
    [API_ERROR_RATE_LIMITED] = {429, "rate_limited", FALSE},
    [API_ERROR_MEDIA_TYPE] = {415, "unsupported_media_type", FALSE},
    [API_ERROR_INVALID] = {422, "invalid_field", FALSE},
    [API_ERROR_INTERNAL] = {500, "internal", TRUE},
    [API_ERROR_UNAVAILABLE] = {503, "unavailable", FALSE},
};

/* The errors of the layers below, as the API names them. */
typedef struct {
  GQuark (*domain)(void);
  int code;
  ApiError error;
} ForeignError;

static const ForeignError foreign_errors[] = {
    {model_error_quark, MODEL_ERROR_INVALID, API_ERROR_INVALID},
    {model_error_quark, MODEL_ERROR_NOT_FOUND, API_ERROR_NOT_FOUND},
    {model_error_quark, MODEL_ERROR_CONFLICT, API_ERROR_CONFLICT},
    {model_error_quark, MODEL_ERROR_IO, API_ERROR_INTERNAL},
};

/* The store's reasons for refusing a decision, as the API names them. */
static const ApiError refusal_errors[MODEL_N_REFUSALS] = {
    [MODEL_REFUSAL_NONE] = API_ERROR_CONFLICT,
    [MODEL_REFUSAL_DECIDED] = API_ERROR_ALREADY_DECIDED,
    [MODEL_REFUSAL_SUPERSEDED] = API_ERROR_SUPERSEDED,
    [MODEL_REFUSAL_CANCELLED] = API_ERROR_REQUEST_CANCELLED,
    [MODEL_REFUSAL_INACTIVE] = API_ERROR_EMPLOYEE_INACTIVE,
    [MODEL_REFUSAL_UNAVAILABLE] = API_ERROR_EMPLOYEE_UNAVAILABLE,
    [MODEL_REFUSAL_DOUBLE_BOOKED] = API_ERROR_DOUBLE_BOOKED,
    [MODEL_REFUSAL_SLOT_FULL] = API_ERROR_SLOT_FULL,
    [MODEL_REFUSAL_WEEK_FULL] = API_ERROR_WEEK_FULL,
    [MODEL_REFUSAL_NOT_NEEDED] = API_ERROR_SLOT_NOT_REQUESTED,
    [MODEL_REFUSAL_REJECTED] = API_ERROR_PAIR_REJECTED,
    [MODEL_REFUSAL_TOO_FAR] = API_ERROR_TOO_FAR,
    [MODEL_REFUSAL_LOCATION_NEEDED] = API_ERROR_LOCATION_NEEDED,
};

ApiError api_error_of_refusal(ModelRefusal refusal) {
  g_return_val_if_fail((guint)refusal < MODEL_N_REFUSALS, API_ERROR_CONFLICT);
  return refusal_errors[refusal];
}

static const ErrorEntry *entry_of(ApiError error) {
  g_assert((guint)error < API_N_ERRORS);
  const ErrorEntry *entry = &error_table[error];
  g_assert(entry->code != NULL); /* every name has its row */
  return entry;
}

guint api_error_status(ApiError error) {
  return entry_of(error)->status;
}

const char *api_error_code(ApiError error) {
  return entry_of(error)->code;
}

void api_response_problems(ApiResponse *response, ApiError error, const char *pointer,
                           const char *message, json_object *problems) {
  g_return_if_fail(response != NULL && message != NULL);
  g_return_if_fail(pointer == NULL || pointer[0] == '/');
  const ErrorEntry *entry = entry_of(error);
  json_object *object = json_object_new_object();
  json_object_object_add(object, "status", json_object_new_int((int)entry->status));
  json_object_object_add(object, "code", json_object_new_string(entry->code));
  json_object_object_add(object, "message", json_object_new_string(message));
  if (pointer != NULL)
    json_object_object_add(object, "pointer", json_object_new_string(pointer));
  if (problems != NULL)
    json_object_object_add(object, "problems", problems);
  json_object *body = json_object_new_object();
  json_object_object_add(body, "error", object);
  api_response_json(response, entry->status, body);
}

void api_response_fail(ApiResponse *response, ApiError error, const char *pointer, const char *fmt,
                       ...) {
  g_return_if_fail(response != NULL && fmt != NULL);
  va_list args;
  va_start(args, fmt);
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  va_end(args);
  api_response_problems(response, error, pointer, message, NULL);
}

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

/* The name of a GError: its own in API_ERROR, the foreign table's, else internal. */
static ApiError name_of(const GError *error) {
  if (error->domain == API_ERROR && (guint)error->code < API_N_ERRORS)
    return (ApiError)error->code;
  for (gsize i = 0; i < G_N_ELEMENTS(foreign_errors); i++)
    if (error->domain == foreign_errors[i].domain() && error->code == foreign_errors[i].code)
      return foreign_errors[i].error;
  return API_ERROR_INTERNAL;
}

void api_response_gerror(ApiResponse *response, const GError *error) {
  g_return_if_fail(response != NULL && error != NULL);
  ApiError name = name_of(error);
  if (entry_of(name)->hidden) {
    g_message("internal error (%s %d): %s", g_quark_to_string(error->domain), error->code,
              error->message);
    api_response_problems(response, name, NULL, "the server could not complete the request", NULL);
    return;
  }
  g_autofree char *pointer = NULL;
  const char *message = split_pointer(error->message, &pointer);
  api_response_problems(response, name, pointer, message, NULL);
}
