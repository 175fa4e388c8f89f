/* http.h: the seam between the HTTP server (server.c: libmicrohttpd, limits,
 * authentication) and the JSON API's resources (routes.c and handlers-*.c).  A request
 * reaches a handler fully read, size-checked, authenticated and matched to a route;
 * the handler fills an ApiResponse.  Nothing here includes microhttpd.h, so the whole
 * API can be driven in memory by api_router_dispatch() in tests and fuzzers.
 *
 * Ownership: an ApiRequest and everything it points to is borrowed by the handler for
 * the duration of the call; the ApiResponse's strings are owned by the response and
 * freed by api_response_clear().
 */
#pragma once

#include <json-c/json.h>

#include "store.h"

G_BEGIN_DECLS

#define API_ERROR (api_error_quark())
GQuark api_error_quark(void);
typedef enum {
  API_ERROR_BAD_REQUEST,  /* 400 malformed JSON or query */
  API_ERROR_UNAUTHORIZED, /* 401 missing or bad token */
  API_ERROR_FORBIDDEN,    /* 403 valid token, outside its scope */
  API_ERROR_NOT_FOUND,    /* 404 */
  API_ERROR_CONFLICT,     /* 409 */
  API_ERROR_TOO_LARGE,    /* 413 */
  API_ERROR_MEDIA_TYPE,   /* 415 */
  API_ERROR_INVALID,      /* 422 invalid field values */
  API_ERROR_UNAVAILABLE,  /* 503 */
} ApiError;

/* The limits every request is held to. */
#define API_MAX_BODY_BYTES ((gsize)1024 * 1024)
#define API_MAX_PAGE 500
#define API_DEFAULT_PAGE 100

typedef enum {
  API_ROLE_COORDINATOR, /* all districts, or a listed set */
  API_ROLE_SCHOOL,      /* one school */
  API_ROLE_ORGANISATION /* one childcare organisation */
} ApiRole;
const char *api_role_name(ApiRole role);
gboolean api_role_parse(const char *text, ApiRole *out);

/* Who is asking, from a bearer token. */
typedef struct {
  char *token_id;
  ApiRole role;
  char *school_id;       /* role school */
  char *organisation_id; /* role organisation */
  GStrv districts;       /* role coordinator: NULL means every district */
} ApiPrincipal;
void api_principal_clear(ApiPrincipal *principal);

typedef struct {
  const char *method;       /* "GET", "POST", ... */
  const char *path;         /* without the query string */
  GHashTable *query;        /* char* -> char*, decoded; never NULL */
  GHashTable *params;       /* path parameters by name ("id"); never NULL */
  const char *content_type; /* may be NULL */
  const char *body;         /* NUL-terminated; "" when none */
  gsize body_length;
  const ApiPrincipal *principal; /* NULL on public routes */
} ApiRequest;

typedef struct {
  guint status;
  char *content_type; /* default "application/json" */
  char *body;
  gsize body_length;
  char *allow;         /* the Allow header for 405 */
  char *location;      /* the Location header for 201/202 */
  char *disposition;   /* Content-Disposition for downloads */
  char *etag;          /* the ETag header (a strong entity tag, quotes included), or NULL */
  char *cache_control; /* the Cache-Control header; NULL means "no-store" */
} ApiResponse;
void api_response_clear(ApiResponse *response);

/* Whether an If-None-Match header value (a list of entity tags, or "*") names `etag`,
 * compared weakly as RFC 9110 asks for If-None-Match; NULL header or etag: FALSE. */
gboolean api_etag_matches(const char *if_none_match, const char *etag);
/* Turns a 200 answer to GET or HEAD that carries an ETag named by `if_none_match`
 * into 304 Not Modified without a body (headers kept) and returns TRUE; otherwise
 * leaves `response` alone and returns FALSE. */
gboolean api_response_not_modified(ApiResponse *response, const char *method,
                                   const char *if_none_match);

/* Sets a JSON body (takes the reference to `body`) and the status. */
void api_response_json(ApiResponse *response, guint status, json_object *body);
/* Sets a non-JSON body (copied). */
void api_response_text(ApiResponse *response, guint status, const char *content_type,
                       const char *text, gsize length);
/* Sets the error body {"error": {"status", "code", "message", "pointer"?}}. `pointer`
 * is a JSON Pointer with its leading '/', or NULL. */
void api_response_error(ApiResponse *response, guint status, const char *code, const char *pointer,
                        const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Maps a GError (API_ERROR, MODEL_ERROR, ...) to status and code through one table. */
void api_response_gerror(ApiResponse *response, const GError *error);

/* Shared by every handler: the store's path (each thread opens its own connection),
 * the round worker and anything else a handler needs.  Defined in services.c. */
typedef struct ApiServices ApiServices;

/* Opens (creating and migrating) the store at `db_path` once to check it, and
 * prepares the round worker.  (transfer full) */
ApiServices *api_services_new(const char *db_path, GError **error);
/* Waits for a running round to finish, then frees.  NULL-safe. */
void api_services_free(ApiServices *services);
/* The date the API takes as today: new slots before it are refused.  The system's
 * local date unless set once, before serving, with api_services_set_today() (to
 * replay a dataset from the past, and in tests). */
void api_services_set_today(ApiServices *services, ModelDate today);
ModelDate api_services_today(const ApiServices *services);
/* The calling thread's own connection to the store (opened on first use, closed when
 * the thread exits or the services are freed); NULL with `error` set on failure. */
ModelStore *api_services_store(ApiServices *services, GError **error);

typedef void (*ApiHandler)(ApiServices *services, const ApiRequest *request, ApiResponse *response);

typedef struct {
  const char *method;
  const char *pattern; /* "/v1/proposals/{id}/approve": {name} matches one segment */
  ApiHandler handler;
  gboolean public; /* no token needed (health, openapi, web pages) */
} ApiRoute;

/* Every route of the API, terminated by a zeroed entry (routes.c). */
const ApiRoute *api_routes(void);

/* Handles one fully read request in memory: parses the query string, matches the
 * route (404, or 405 with Allow), authenticates non-public routes from the
 * Authorization header (401), checks the body (413 over API_MAX_BODY_BYTES, 415 when a
 * body is not application/json, 400 when not valid UTF-8 JSON) and calls the handler.
 * Always fills `response` (router.c). */
void api_router_dispatch(ApiServices *services, const char *method, const char *path,
                         const char *query_string, const char *authorization,
                         const char *content_type, const char *body, gsize body_length,
                         ApiResponse *response);

G_END_DECLS
