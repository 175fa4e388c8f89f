/* handlers.h: what the resource handlers of the HTTP API share (handlers-*.c,
 * entity-views.c, services.c): access checks by role and district, pagination, the
 * JSON views of entities, the context a request body is decoded against by the
 * dataset codec, and the round worker of services.c.
 *
 * Access rule, stated once: a role that may never use a route gets 403; an object
 * outside the caller's scope is answered exactly like a missing one (404), so a
 * token cannot probe which ids exist.  Ownership as in http.h; every json_object
 * returned here is (transfer full).
 */
#pragma once

#include "dataset-json.h"
#include "http.h"
#include "match.h"
#include "store-ops.h"

G_BEGIN_DECLS

/* ---- services.c --------------------------------------------------------- */

/* Starts a matching round with `asked` (its districts, NULL: every district; of every
 * request slot or, when freed_only, of the slots cancellations freed; fair; polish; its
 * continuity charge; the rest as engine_options_init() sets it; copied) for `actor`
 * in a worker thread and returns its id at once.  Fails with API_ERROR_CONFLICT when
 * a running round shares a district, or with the store's error. */
gboolean api_services_round_start(ApiServices *services, const EngineOptions *asked,
                                  const char *actor, gint64 *out_id, GError **error);

/* Waits until no round runs (used by tests and by api_services_free). */
void api_services_wait_rounds(ApiServices *services);

/* Serialises the write transactions of request threads in this process: taken around
 * each store call that writes (SQLite allows one writer at a time; waiting here is in
 * order and without the busy handler's sleeps).  Never held while taking `lock`. */
void api_services_lock_writes(ApiServices *services);
void api_services_unlock_writes(ApiServices *services);

/* The decided assignments of a batch as the store holds them after its commit, read
 * together in one query on the connection that took the batch (whose pages are still
 * cached): what GET /v1/assignments shows of them.  Shared by the batch's requests, each
 * holding a reference (`shared`) until it has answered; the three fields are borrowed
 * from it and only read.  All NULL when that read failed; the caller then reads its
 * assignment itself. */
typedef struct {
  const ModelDataset *dataset; /* the assignments, with their requests, schools, employees,
                                  organisations */
  GHashTable *rounds;          /* assignment id -> round (gint64 *) */
  GHashTable *reasons;         /* model_store_assignment_reasons() */
  gpointer shared;             /* the batch's reading, reference counted */
} ApiDecided;

void api_decided_clear(ApiDecided *decided);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ApiDecided, api_decided_clear)

/* Takes decision `job` (model_store_decide_batch) together with the decisions other
 * request threads are waiting to take: one of the waiting threads takes all queued
 * ones in one transaction with one commit while the others wait, so under load one
 * disk flush serves many decisions.  Returns when the job's batch has committed (or
 * failed): job->ok, job->refusal and job->error as the batch left them, and, when the
 * job was taken, the assignment in `out_decided`; or FALSE with `error` when the batch
 * as a whole failed (nothing of it is stored). */
gboolean api_services_decide(ApiServices *services, ModelDecisionJob *job, ApiDecided *out_decided,
                             GError **error);

/* The current time in Unix seconds (decisions, rounds, audit). */
gint64 api_services_now(void);

/* ---- handlers-common.c: access ------------------------------------------ */

#define API_ROLES_ALL ((1u << MODEL_N_ROLES) - 1)
#define API_ROLE_BIT(role) (1u << (role))
/* Who reads an organisation's employees and locations (and imports employees). */
#define API_ROLES_ORGANISATION_COORDINATOR                                                         \
  (API_ROLE_BIT(MODEL_ROLE_ORGANISATION) | API_ROLE_BIT(MODEL_ROLE_COORDINATOR))

/* Answers 403 and returns FALSE unless the caller's role is in `roles`. */
gboolean api_require_role(const ApiRequest *request, ApiResponse *response, guint roles,
                          const char *what);
/* Whether an object of organisation `organisation` in `district` (NULL: none) is the
 * caller's to read: an organisation's own, or in a coordinator's districts (one
 * without a district only for a coordinator of every district); a school's: never. */
gboolean api_organisation_visible(const ApiPrincipal *principal, const char *organisation,
                                  const char *district);
/* Whether a coordinator's scope covers `district` (every role but coordinator: FALSE). */
gboolean api_in_districts(const ApiPrincipal *principal, const char *district);
/* Who the caller is, for decided_by and the audit log: "coordinator token 3",
 * "school 24EJ00 token 5" (transfer full). */
char *api_actor(const ApiPrincipal *principal);
/* Answers 404 "no X with id" for a missing or hidden object. */
void api_not_found(ApiResponse *response, const char *kind, const char *id);

/* The calling thread's store, or NULL after answering 503. */
ModelStore *api_store(ApiServices *services, ApiResponse *response);
/* api_store() with the services' write lock taken; NULL after answering 503 (the lock
 * is then not held).  Every non-NULL result is paired with one api_write_end(). */
ModelStore *api_write_begin(ApiServices *services, ApiResponse *response);
/* Releases the write lock; when the write failed (`ok` FALSE) answers the store's
 * error as api_respond_store_error() does.  Returns `ok`. */
gboolean api_write_end(ApiServices *services, ApiResponse *response, gboolean ok,
                       const GError *error, ApiError conflict);
/* One write of a handler to the store, as `actor` at `now` (Unix seconds), of `data`;
 * FALSE with `error` set on failure. */
typedef gboolean (*ApiWriteFunc)(ModelStore *store, gconstpointer data, const char *actor,
                                 gint64 now, GError **error);
/* Runs `write` between api_write_begin() and api_write_end(), as the caller at the
 * services' time.  FALSE after answering (503, or the store's error with `conflict`
 * for a constraint failure). */
gboolean api_write_as(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                      ApiWriteFunc write, gconstpointer data, ApiError conflict);

/* ---- handlers-common.c: targeted reads ----------------------------------- */

/* The caller's scope for list queries: a school's, an organisation's or a
 * coordinator's districts.  Borrows from `principal`. */
ModelScope api_scope(const ApiPrincipal *principal);

/* A read of the store (model_store_query_*). */
typedef ModelDataset *(*ApiQueryFunc)(ModelStore *store, const ModelQuery *query, GError **error);
/* Moves every element of `from` to the end of `to` (arrays of the same entity, so
 * the same clear function); `from` is left empty. */
void api_move_all(GArray *to, GArray *from);
/* The whole store as one dataset (model_store_load()); NULL after answering. */
ModelDataset *api_load_all(ApiServices *services, ApiResponse *response);
/* Runs `func` on the calling thread's store; NULL after answering. */
ModelDataset *api_read(ApiServices *services, ApiResponse *response, ApiQueryFunc func,
                       const ModelQuery *query);
/* Runs `func` for the one object with `id` (no scope, no page): a dataset holding it,
 * or nothing when there is no such object; `id` NULL reads every object.  NULL after
 * answering. */
ModelDataset *api_read_id(ApiServices *services, ApiResponse *response, ApiQueryFunc func,
                          const char *id);
/* model_store_query_assignments with the rounds of the returned assignments (may be
 * NULL); NULL after answering. */
ModelDataset *api_read_assignments(ApiServices *services, ApiResponse *response,
                                   const ModelQuery *query, GHashTable **out_rounds);
/* What a request, employee or location body is checked against
 * (model_json_decode_request(), ..._employee(), ..._location()): every district, plus
 * the school and the organisation (with its locations) with these ids when they exist
 * (either may be NULL); NULL after answering. */
ModelDataset *api_read_context(ApiServices *services, ApiResponse *response, const char *school,
                               const char *organisation);

/* ---- handlers-common.c: bodies, queries, errors -------------------------- */

/* The request body as a JSON value (transfer full); an empty body gives NULL without
 * an error when `optional`.  When `type` is not json_type_null the value must be of
 * that type.  NULL after answering 422. */
json_object *api_body(const ApiRequest *request, ApiResponse *response, json_type type,
                      gboolean optional, gboolean *out_present);
/* Applies a merge patch (RFC 7396, one level) to `target`: a null value removes the
 * key, anything else replaces it (a new reference; `patch` keeps its own). */
void api_json_merge_patch(json_object *target, json_object *patch);
/* Whether `key` of a body object is `expected`, the one key that body may have; FALSE
 * after answering 422 at /KEY. */
gboolean api_body_key_is(ApiResponse *response, const char *key, const char *expected);
/* Checks the value of a body's "reason" (a string of 1 to 2000 characters) and puts a
 * copy in *out_reason (replacing what it held); FALSE after answering 422 at /reason. */
gboolean api_reason_value(ApiResponse *response, json_object *value, char **out_reason);
/* Reads a body {"reason": "..."} (1 to 2000 characters): required, or optional (an
 * empty body or {} then gives NULL).  FALSE after answering 422. */
gboolean api_body_reason(const ApiRequest *request, ApiResponse *response, gboolean required,
                         char **out_reason);
/* Answers 422 from decoder problems, the first one as the error and all of them in
 * "problems"; pointers under `prefix` (e.g. "requests/0") are made relative to the
 * body, with `replace` ("" or "/availability"-style base) in front. */
void api_respond_problems(ApiResponse *response, GPtrArray *problems, const char *prefix,
                          const char *replace);
/* Answers an error from the store: MODEL_ERROR_CONFLICT as `conflict` (API_ERROR_CONFLICT
 * when it has no name of its own), anything else through api_response_gerror(). */
void api_respond_store_error(ApiResponse *response, const GError *error, ApiError conflict);

/* A query parameter or NULL. */
const char *api_query(const ApiRequest *request, const char *name);
/* Reads a date parameter; absent leaves *out.  FALSE after answering 400. */
gboolean api_query_date(const ApiRequest *request, ApiResponse *response, const char *name,
                        ModelDate *out);

/* ---- handlers-common.c: pagination -------------------------------------- */

/* A page of a list sorted by id (byte order): items with id after the cursor, at most
 * `limit`; next_cursor is the last id returned when more follow.  Cursors are the id
 * in unpadded base64url, opaque to clients. */
typedef struct {
  guint limit;
  char *after;        /* decoded cursor, or NULL */
  json_object *items; /* array */
  char *last;
  gboolean more;
} ApiPage;

/* Reads limit and cursor; FALSE after answering 400. */
gboolean api_page_init(ApiPage *page, const ApiRequest *request, ApiResponse *response);
/* A list the caller sees only part of: its page, and the query for that page limited
 * to the caller's scope (which the query points to). */
typedef struct {
  ApiPage page;
  ModelScope scope;
  ModelQuery query;
} ApiList;
/* Starts a list route: 403 unless the caller's role is in `roles` (`what` names the
 * act), then api_page_init() and `list->query` set up by api_page_query() within the
 * caller's scope.  FALSE after answering.  `list` must not move afterwards. */
gboolean api_list_begin(ApiList *list, const ApiRequest *request, ApiResponse *response,
                        guint roles, const char *what);
/* Answers 400 for a bad filter ("query parameter NAME: expected EXPECTED") and clears
 * the page. */
void api_page_refuse(ApiPage *page, ApiResponse *response, const char *name, const char *expected);
/* Initialises `query` (model_query_init) and sets its cursor and limit for this page:
 * one object more than the page holds, so api_page_wants() learns whether more follow. */
void api_page_query(const ApiPage *page, ModelQuery *query);
/* Whether the item with `id` belongs on this page (call in id order); once the page
 * is full it notes that more follow and returns FALSE. */
gboolean api_page_wants(ApiPage *page, const char *id);
/* Adds an item the page wants (takes `item`). */
void api_page_add(ApiPage *page, const char *id, json_object *item);
/* Answers 200 {"items": [...], "next_cursor": ...} and clears the page. */
void api_page_respond(ApiPage *page, ApiResponse *response);
/* The same with the keys of `body` (taken) in front of items and next_cursor. */
void api_page_respond_with(ApiPage *page, ApiResponse *response, json_object *body);
void api_page_clear(ApiPage *page);
/* A list of objects with numeric ids (rounds, audit entries), which the store hands
 * out a page at a time in the order it keeps: `fetch` reads at most `limit` of those
 * the request's principal may see, as its query says, from `cursor` on (0: from the start; a
 * client's cursor is at least `min`), `view` encodes one (transfer full) and gives its id, the next
 * cursor. */
typedef struct {
  gint64 min;
  GPtrArray *(*fetch)(ModelStore *store, const ApiRequest *request, gint64 cursor, guint limit,
                      GError **error);
  json_object *(*view)(gconstpointer object, gint64 *out_id);
  /* When not NULL, the keys put in front of items and next_cursor (transfer full);
   * NULL with `error` set when the store fails. */
  json_object *(*head)(ApiServices *services, ModelStore *store, GError **error);
} ApiNumberedList;

/* Answers one page of `list` (400 for a bad limit or cursor, 503 without a store). */
void api_list_numbered(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                       const ApiNumberedList *list);
/* Encodes a cursor (transfer full). */
char *api_cursor_encode(const char *id);

/* ---- handlers-common.c: one kind of object by id and by page ------------- */

/* What the routes that read one kind of object (the directory's, employees,
 * requests) need to know of it.  `object` below is an element of the dataset array at
 * `array`; every entity starts with its id. */
typedef struct {
  const char *kind;   /* "employee": names the object in a 404 */
  ApiQueryFunc query; /* reads the objects with what their views need */
  gsize array;        /* G_STRUCT_OFFSET(ModelDataset, employees) */
  /* Whether the caller may see `object`; NULL when everyone may (or, when `owned`,
   * as api_organisation_visible() says). */
  gboolean (*visible)(const ModelDataset *dataset, const ApiPrincipal *principal,
                      gconstpointer object);
  /* `object` as the API shows it to `principal`. */
  json_object *(*view)(const ModelDataset *dataset, const ApiPrincipal *principal,
                       gconstpointer object);
  /* An organisation's object (employees, locations): its organisation id and district
   * id (may be NULL) are the char* members at these offsets. */
  gboolean owned;
  gsize organisation_member;
  gsize district_member;
  /* The roles that may read it at all (0: every role), and the act a 403 names. */
  guint read_roles;
  const char *read_what;
} ApiEntity;

/* The ApiEntity of an organisation's objects (ModelEmployee, ModelLocation): KIND,
 * the ModelDataset member ARRAY of TYPEs, read by QUERY, shown by VIEW, read by the
 * organisation and the coordinators of its district (api_organisation_visible()). */
#define API_OWNED_ENTITY(KIND, TYPE, ARRAY, QUERY, VIEW)                                           \
  {                                                                                                \
    .kind = (KIND), .query = (QUERY), .array = G_STRUCT_OFFSET(ModelDataset, ARRAY),               \
    .view = (VIEW), .owned = TRUE, .organisation_member = G_STRUCT_OFFSET(TYPE, organisation_id),  \
    .district_member = G_STRUCT_OFFSET(TYPE, district_id),                                         \
    .read_roles = API_ROLES_ORGANISATION_COORDINATOR, .read_what = "read " KIND "s"                \
  }

/* Reads the object the route's {id} names (unscoped) and checks that the caller may
 * see it: the dataset holding it (transfer full), the object in *out_object.  NULL
 * after answering, 404 when the object is missing or hidden from the caller. */
ModelDataset *api_entity_read(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response, const ApiEntity *entity,
                              gconstpointer *out_object);
/* Answers 200 with the view of the object the route's {id} names, or 404 (403 for a
 * role outside entity->read_roles). */
void api_entity_get(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                    const ApiEntity *entity);
/* api_list_begin() for the list of an organisation's objects (API_OWNED_ENTITY): the
 * roles and act of `entity`, and the query filtered by the `organisation` parameter.
 * FALSE after answering. */
gboolean api_owned_list_begin(ApiList *list, const ApiRequest *request, ApiResponse *response,
                              const ApiEntity *entity);
/* Answers the page of the objects `query` reads (set up by api_page_query(), scoped to
 * the caller: each one is visible to them), and clears `page`. */
void api_entity_list(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                     const ApiEntity *entity, ApiPage *page, const ModelQuery *query);

/* ---- entity-views.c ----------------------------------------------------- */

/* The plain entities, exactly in the FORMAT.md shape, are the dataset codec's own
 * (model_json_encode_*() of entity-codec.h). */
/* "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds (transfer full). */
char *api_format_time(gint64 seconds);

/* The API's view of a request: FORMAT keys plus "district" (its school's) and
 * "staffing": per day part {date, part, needed, approved, proposed}, counting the
 * approved and proposed assignments of `dataset` for it. */
json_object *api_json_request_view(const ModelDataset *dataset, const ModelRequest *request);

/* Who may see an assignment's people (names). */
typedef enum {
  API_VIEW_COORDINATOR, /* everything */
  API_VIEW_SCHOOL,      /* approved only: employee and organisation names, no travel */
  API_VIEW_ORGANISATION /* its own employees */
} ApiView;
/* The API's view of an assignment: FORMAT keys (request, employee, date, part, status,
 * decided_by, decided_at, reason) plus school, district, organisation, employee_name,
 * organisation_name, employee_phone (approved, for the school and the organisation, when
 * known), and for coordinators round (number or null). */
json_object *api_json_assignment_view(const ModelDataset *dataset, const ModelAssignment *a,
                                      GHashTable *rounds, ApiView view);

/* ---- input-checks.c ------------------------------------------------------ */

/* Refuses (422, every rule at fault in "problems", pointers such as "/slots/0/date")
 * a request with a day part before `today` that `stored` (the request as it was
 * before this change, or NULL for a new one) does not already have, so an old
 * request can still change while its past stays as it was.  FALSE after answering. */
gboolean api_check_request_dates(const ModelRequest *request, const ModelRequest *stored,
                                 ModelDate today, ApiResponse *response);
/* The warnings on an accepted request or employee: an array (transfer full, empty
 * when all is well) of {pointer, code, message}: "weekend" for each slot rule with a
 * day part on a Saturday or Sunday, "no_vog" for an employee without a VOG (who is
 * never proposed). */
json_object *api_request_warnings(const ModelRequest *request);
json_object *api_employee_warnings(const ModelEmployee *employee);

/* ---- handlers-*.c: the route handlers, listed in routes.c ---------------- */

void api_handle_districts(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_schools(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_school(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_organisations(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* GET /v1/me: the caller's role and scope (every role). */
void api_handle_me(ApiServices *s, const ApiRequest *r, ApiResponse *o);

void api_handle_requests_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_requests_create(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_request_get(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_request_update(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_request_cancel(ApiServices *s, const ApiRequest *r, ApiResponse *o);

void api_handle_employees_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employees_create(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employee_get(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employee_update(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employee_deactivate(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employee_availability(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* POST /v1/employees/{id}/confirm: the availability still holds, as of today. */
void api_handle_employee_confirm(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* POST /v1/employees/import (text/csv) and its template (handlers-import.c). */
void api_handle_employees_import(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employees_import_template(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_locations_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_location_get(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_location_load(ApiServices *s, const ApiRequest *r, ApiResponse *o);

void api_handle_rounds_start(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_rounds_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_round_get(ApiServices *s, const ApiRequest *r, ApiResponse *o);

void api_handle_proposals_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_proposal_approve(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_proposal_reject(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* handlers-swap.c */
void api_handle_proposal_alternatives(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_proposal_swap(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* Answers with assignment `id` as stored now (200), in the view of the caller's role
 * (handlers-decisions.c). */
void api_respond_assignment(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                            const char *id);
void api_handle_assignments_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_assignment_cancel(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_audit(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* Invitations by e-mail: create and list (coordinator), accept (no token: the code). */
void api_handle_invitation_create(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_invitations_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_invitation_accept(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* GET /v1/outbox: the mail notifications, their state and the limit per hour. */
void api_handle_outbox(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* GET /v1/summary: the figures of `handen summary` in the coordinator's scope. */
void api_handle_summary(ApiServices *s, const ApiRequest *r, ApiResponse *o);

void api_handle_assignments_csv(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_employee_calendar(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_school_calendar(ApiServices *s, const ApiRequest *r, ApiResponse *o);
/* The feed of a calendar subscription: school `id` (`school`) or employee `id`, its
 * approved assignments and, as STATUS:CANCELLED, its cancelled ones. */
void api_respond_subscribed_feed(ApiServices *services, ApiResponse *response, gboolean school,
                                 const char *id);
/* Calendar subscriptions: create, list, revoke (by their owner), and the feed itself
 * (no token: the secret in the path). */
void api_handle_subscription_create(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_subscriptions_list(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_subscription_revoke(ApiServices *s, const ApiRequest *r, ApiResponse *o);
void api_handle_feed(ApiServices *s, const ApiRequest *r, ApiResponse *o);

/* Selection of approved assignments shared by GET /v1/assignments and the exports:
 * the caller's scope plus the filters school, employee, district, from, to, on the
 * page `page` (NULL: all of them).  Returns the assignments and what their views show
 * (model_store_query_assignments; transfer full), with their rounds in *out_rounds
 * when not NULL, or NULL after answering. */
ModelDataset *api_select_assignments(ApiServices *services, const ApiRequest *request,
                                     ApiResponse *response, const ApiPage *page,
                                     GHashTable **out_rounds);

G_END_DECLS
