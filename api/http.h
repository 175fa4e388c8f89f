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

#include "store-ops.h"

G_BEGIN_DECLS

/* Every error the API answers, by name.  An ApiError is both the code of a GError in
 * the API_ERROR domain and the key of the one table in http.c that gives it its HTTP
 * status and the code in the JSON body: status and code are written nowhere else.
 * The comments repeat the table for the reader. */
#define API_ERROR (api_error_quark())
GQuark api_error_quark(void);
typedef enum {
  API_ERROR_BAD_REQUEST,        /* 400 bad_request: malformed JSON, path or query */
  API_ERROR_UNKNOWN_PARAMETER,  /* 400 unknown_parameter: one the route does not take */
  API_ERROR_UNAUTHORIZED,       /* 401 unauthorized: missing or bad token */
  API_ERROR_EXPIRED,            /* 401 expired: a token past its expiry */
  API_ERROR_FORBIDDEN,          /* 403 forbidden: a role that may never use the route */
  API_ERROR_NOT_FOUND,          /* 404 not_found (or outside the token's scope) */
  API_ERROR_METHOD_NOT_ALLOWED, /* 405 method_not_allowed */
  API_ERROR_CONFLICT,           /* 409 conflict: a state conflict without a name of its own */
  API_ERROR_ID_TAKEN,           /* 409 id_taken */
  API_ERROR_SLOT_IN_USE,        /* 409 slot_in_use: a day part with approved staff */
  API_ERROR_ALREADY_CANCELLED,  /* 409 already_cancelled */
  API_ERROR_REQUEST_CANCELLED,  /* 409 request_cancelled */
  API_ERROR_ROUND_RUNNING,      /* 409 round_running: a round shares a district */
  /* A decision refused by the store (ModelRefusal, see api_error_of_refusal). */
  API_ERROR_ALREADY_DECIDED,      /* 409 already_decided */
  API_ERROR_SUPERSEDED,           /* 409 superseded: by a newer round */
  API_ERROR_EMPLOYEE_INACTIVE,    /* 409 employee_inactive */
  API_ERROR_EMPLOYEE_UNAVAILABLE, /* 409 employee_unavailable: or no longer qualified */
  API_ERROR_DOUBLE_BOOKED,        /* 409 double_booked: approved elsewhere in that day part */
  API_ERROR_SLOT_FULL,            /* 409 slot_full */
  API_ERROR_WEEK_FULL,            /* 409 week_full */
  API_ERROR_SLOT_NOT_REQUESTED,   /* 409 slot_not_requested */
  API_ERROR_PAIR_REJECTED,        /* 409 pair_rejected */
  API_ERROR_TOO_FAR,              /* 409 too_far */
  API_ERROR_LOCATION_NEEDED,      /* 409 location_needed: the location cannot spare them */
  API_ERROR_TOO_LARGE,            /* 413 too_large: a body over API_MAX_BODY_BYTES */
  API_ERROR_RATE_LIMITED,         /* 429 rate_limited: a feed fetched too often */
  API_ERROR_MEDIA_TYPE,           /* 415 unsupported_media_type */
  API_ERROR_INVALID,              /* 422 invalid_field: invalid field values */
  API_ERROR_INTERNAL,             /* 500 internal: the message is logged, not sent */
  API_ERROR_UNAVAILABLE,          /* 503 unavailable: the store cannot be reached */
  API_N_ERRORS
} ApiError;
/* The HTTP status of `error` (400 to 599). */
guint api_error_status(ApiError error);
/* The code of `error` in the JSON body ("invalid_field"). */
const char *api_error_code(ApiError error);
/* The name of a decision the store refused (MODEL_REFUSAL_NONE: API_ERROR_CONFLICT). */
ApiError api_error_of_refusal(ModelRefusal refusal);

/* The limits every request is held to. */
#define API_MAX_BODY_BYTES ((gsize)1024 * 1024)
#define API_MAX_PAGE 500
#define API_DEFAULT_PAGE 100

/* Who is asking, from a bearer token. */
typedef struct {
  char *token_id;
  ModelRole role;
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
  gboolean gzip;       /* the body is gzip-coded (Content-Encoding: gzip) */
  gboolean by_coding;  /* its coding follows Accept-Encoding (Vary: Accept-Encoding) */
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
/* Sets the error body {"error": {"status", "code", "message", "pointer"?}} of the named
 * `error`, its status and code from the one table.  `pointer` is a JSON Pointer with
 * its leading '/', or NULL. */
void api_response_fail(ApiResponse *response, ApiError error, const char *pointer, const char *fmt,
                       ...) G_GNUC_PRINTF(4, 5);
/* api_response_fail() with a literal message and, when not NULL, "problems": an array
 * of every problem found ({"pointer", "message"}; the reference is taken). */
void api_response_problems(ApiResponse *response, ApiError error, const char *pointer,
                           const char *message, json_object *problems);
/* Maps a GError (API_ERROR, MODEL_ERROR, ...) to status and code through one table;
 * an unknown one is answered 500 internal, its message logged and not sent. */
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
/* Rounds leave out availability not confirmed for `days` (0, the default: never);
 * set once, before serving. */
void api_services_set_stale_after_days(ApiServices *services, guint days);
guint api_services_stale_after_days(const ApiServices *services);
/* Where people open the pages (`--public-url`, "https://handen.example.nl"), or NULL
 * (the default); set once, before serving.  A trailing "/" is dropped. */
void api_services_set_public_url(ApiServices *services, const char *public_url);
const char *api_services_public_url(const ApiServices *services);
/* The mail settings the handlers see, set once before serving: where the
 * coordinator's messages go (NULL: none are written to the outbox) and the limit per
 * recipient per hour of the delivery worker (0: no worker runs). */
void api_services_set_mail(ApiServices *services, const char *coordinator_mail,
                           guint limit_per_hour);
guint api_services_mail_limit(const ApiServices *services);
/* Notes that token `id` (last used at `stored`, -1: never, as the store says) was used
 * at `now`.  Uses are kept in memory and written together (so the response cache is
 * not emptied by every request): after the next write of any request, when the oldest
 * note is ten minutes old, and when the services are freed.  A use within a minute of
 * the stored one is not noted. */
void api_services_note_token_use(ApiServices *services, gint64 id, gint64 stored, gint64 now);
/* Writes the noted uses now (api_write_end() calls it); failures are logged. */
void api_services_flush_token_uses(ApiServices *services);
/* Whether subscription `id` may fetch its feed at `now`: at most
 * API_FEED_FETCHES_PER_MINUTE in any minute (calendar apps ask every few hours). */
#define API_FEED_FETCHES_PER_MINUTE 10
gboolean api_services_feed_allowed(ApiServices *services, gint64 id, gint64 now);
/* The calling thread's own connection to the store (opened on first use, closed when
 * the thread exits or the services are freed); NULL with `error` set on failure. */
ModelStore *api_services_store(ApiServices *services, GError **error);
/* The calling thread's connection for looking up tokens.  With SQLite it is a second,
 * small connection: any commit by another connection makes SQLite drop a connection's
 * cached pages and unmap its map of the file at its next read, and on the main
 * connection (a 1 GiB map and a 64 MiB cache, tuned for reads) that costs more than
 * the lookup, on every request after a commit, even one (an approval) whose own work
 * runs on another connection.  With PostgreSQL it is the main connection. */
ModelStore *api_services_auth_store(ApiServices *services, GError **error);

typedef void (*ApiHandler)(ApiServices *services, const ApiRequest *request, ApiResponse *response);

typedef struct {
  const char *method;
  const char *pattern; /* "/v1/proposals/{id}/approve": {name} matches one segment */
  ApiHandler handler;
  gboolean public; /* no token needed (health, openapi, web pages) */
  /* The query parameters the route takes, separated by spaces ("limit cursor
   * district"); NULL for none.  The router answers any other with 400
   * unknown_parameter before the handler runs. */
  const char *query;
  /* The body is a spreadsheet (text/csv, read by the handler), not JSON. */
  gboolean csv_body;
} ApiRoute;

/* Every route of the API, terminated by a zeroed entry (routes.c). */
const ApiRoute *api_routes(void);

/* Handles one fully read request in memory: parses the query string, matches the
 * route (404, or 405 with Allow), authenticates non-public routes from the
 * Authorization header (401), refuses a query parameter the route does not take (400
 * unknown_parameter), checks the body (413 over API_MAX_BODY_BYTES, 415 when a
 * body is not application/json, 400 when not valid UTF-8 JSON) and calls the handler.
 * Always fills `response` (router.c). */
void api_router_dispatch(ApiServices *services, const char *method, const char *path,
                         const char *query_string, const char *authorization,
                         const char *content_type, const char *body, gsize body_length,
                         ApiResponse *response);

G_END_DECLS
