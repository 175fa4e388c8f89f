/* handlers-requests.c: requests for extra hands.  A school sees and edits only its
 * own requests; a coordinator those of schools in their districts; an organisation
 * none (403).  A request is created and changed through the dataset codec, so the API
 * applies the very rules of an import, and 422 answers point into the body
 * ("/slots/0/date").  Nothing is stored unless everything is valid.  Reads fetch
 * only the requests they answer with, their schools, their approved assignments and
 * the proposals waiting for them (counted, never named, in each day part's staffing).
 */
#include "entity-codec.h"
#include "handlers.h"

/* Whether the caller may see the request (a hidden request looks missing). */
static gboolean request_visible(const ModelDataset *dataset, const ApiPrincipal *principal,
                                gconstpointer object) {
  const ModelRequest *request = object;
  if (principal->role == MODEL_ROLE_SCHOOL)
    return g_strcmp0(request->school_id, principal->school_id) == 0;
  gint s = model_dataset_find_school(dataset, request->school_id);
  const char *district =
      s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).district_id : NULL;
  return api_in_districts(principal, district);
}

static json_object *request_view(const ModelDataset *dataset, const ApiPrincipal *principal,
                                 gconstpointer object) {
  (void)principal;
  return api_json_request_view(dataset, object);
}

/* Requests as the store reads them (with their schools and approved assignments),
 * plus the undecided proposals for them, so that their staffing says how many are in
 * progress: read with the same scope and filters (the one id, or the school's, the
 * district's), not the page's bounds, and kept only for the requests read. */
static ModelDataset *query_requests(ModelStore *store, const ModelQuery *query, GError **error) {
  g_autoptr(ModelDataset) dataset = model_store_query_requests(store, query, error);
  if (dataset == NULL || dataset->requests->len == 0)
    return g_steal_pointer(&dataset);
  ModelQuery proposed;
  model_query_init(&proposed);
  proposed.scope = query->scope;
  proposed.school = query->school;
  proposed.district = query->district;
  proposed.request = query->id;
  proposed.status = model_assignment_status_name(MODEL_ASSIGNMENT_PROPOSED);
  g_autoptr(ModelDataset) found = model_store_query_assignments(store, &proposed, NULL, error);
  if (found == NULL)
    return NULL;
  for (guint i = found->assignments->len; i-- > 0;) {
    const ModelAssignment *a = &g_array_index(found->assignments, ModelAssignment, i);
    if (model_dataset_find_request(dataset, a->request_id) < 0)
      g_array_remove_index(found->assignments, i);
  }
  api_move_all(dataset->assignments, found->assignments);
  return g_steal_pointer(&dataset);
}

/* A request is read with its school, approved assignments and waiting proposals. */
static const ApiEntity requests = {"request", query_requests,
                                   G_STRUCT_OFFSET(ModelDataset, requests), request_visible,
                                   request_view};

static const guint request_roles =
    API_ROLE_BIT(MODEL_ROLE_SCHOOL) | API_ROLE_BIT(MODEL_ROLE_COORDINATOR);

/* The request the route's {id} names, for a caller who may `what` requests: the
 * dataset holding it, the request in *out.  NULL after answering 403 or 404. */
static ModelDataset *route_request(ApiServices *services, const ApiRequest *request,
                                   ApiResponse *response, const char *what, ModelRequest **out) {
  if (!api_require_role(request, response, request_roles, what))
    return NULL;
  gconstpointer object = NULL;
  ModelDataset *dataset = api_entity_read(services, request, response, &requests, &object);
  *out = (ModelRequest *)object; /* held by the dataset, which is the caller's */
  return dataset;
}

void api_handle_requests_list(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  ApiList list;
  if (!api_list_begin(&list, request, response, request_roles, "read requests"))
    return;
  const char *status = api_query(request, "status");
  ModelRequestStatus wanted = MODEL_REQUEST_OPEN;
  if (status != NULL && !model_request_status_parse(status, &wanted)) {
    api_page_refuse(&list.page, response, "status", "open or cancelled");
    return;
  }
  list.query.status = status != NULL ? model_request_status_name(wanted) : NULL;
  list.query.school = api_query(request, "school");
  list.query.district = api_query(request, "district");
  api_entity_list(services, request, response, &requests, &list.page, &list.query);
}

void api_handle_request_get(ApiServices *services, const ApiRequest *request,
                            ApiResponse *response) {
  if (api_require_role(request, response, request_roles, "read requests"))
    api_entity_get(services, request, response, &requests);
}

/* Answers 422 at /KEY when the body sets KEY to something else than `current`
 * (NULL: the key may not be given at all). */
static gboolean fixed_key(json_object *body, const char *key, const char *current, const char *why,
                          ApiResponse *response) {
  json_object *value = NULL;
  if (!json_object_object_get_ex(body, key, &value))
    return TRUE;
  if (current != NULL && json_object_is_type(value, json_type_string) &&
      g_strcmp0(json_object_get_string(value), current) == 0)
    return TRUE;
  g_autofree char *pointer = g_strdup_printf("/%s", key);
  api_response_fail(response, API_ERROR_INVALID, pointer, "%s", why);
  return FALSE;
}

/* Decodes and checks a request body against `context`, which then holds it; NULL
 * after answering 422. */
static ModelRequest *decode_request(ModelDataset *context, json_object *body,
                                    ApiResponse *response) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelRequest *decoded = model_json_decode_request(context, body, problems);
  if (decoded == NULL)
    api_respond_problems(response, problems, "", "");
  return decoded;
}

/* Re-reads the request and answers `status` with its view, plus `warnings` (taken;
 * NULL: none) when given. */
static void respond_request(ApiServices *services, ApiResponse *response, guint status,
                            const char *id, json_object *warnings) {
  g_autoptr(ModelDataset) dataset = api_read_id(services, response, query_requests, id);
  gint r = dataset != NULL ? model_dataset_find_request(dataset, id) : -1;
  if (r < 0) {
    if (dataset != NULL)
      api_not_found(response, "request", id);
    json_object_put(warnings);
    return;
  }
  json_object *view =
      api_json_request_view(dataset, &g_array_index(dataset->requests, ModelRequest, r));
  if (warnings != NULL)
    json_object_object_add(view, "warnings", warnings);
  api_response_json(response, status, view);
}

typedef enum { WRITE_CREATE, WRITE_UPDATE, WRITE_CANCEL } RequestWrite;

/* Stores one write of request `r` in its own transaction and answers with the stored
 * request (201 for a new one, else 200), its input warnings unless cancelled.  A
 * conflict answers the refusal that write can meet.  Returns whether it was stored. */
static gboolean write_request(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response, RequestWrite write, ModelRequest *r,
                              const char *reason) {
  g_autofree char *actor = api_actor(request->principal);
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_write_begin(services, response);
  if (store == NULL)
    return FALSE;
  gint64 now = api_services_now();
  gboolean ok = FALSE;
  ApiError conflict = API_ERROR_ID_TAKEN;
  switch (write) {
  case WRITE_CREATE:
    ok = model_store_request_create(store, r, actor, now, &error);
    break;
  case WRITE_UPDATE:
    ok = model_store_request_update(store, r, actor, now, &error);
    conflict = API_ERROR_SLOT_IN_USE;
    break;
  case WRITE_CANCEL:
    ok = model_store_request_cancel(store, r->id, actor, reason, now, &error);
    conflict = API_ERROR_ALREADY_CANCELLED;
    break;
  }
  if (!api_write_end(services, response, ok, error, conflict))
    return FALSE;
  respond_request(services, response, write == WRITE_CREATE ? 201 : 200, r->id,
                  write == WRITE_CANCEL ? NULL : api_request_warnings(r));
  return TRUE;
}

void api_handle_requests_create(ApiServices *services, const ApiRequest *request,
                                ApiResponse *response) {
  if (!api_require_role(request, response, request_roles, "create requests"))
    return;
  const ApiPrincipal *principal = request->principal;
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  g_autoptr(ModelDataset) context = NULL;
  ModelRequest *r = NULL;
  gboolean generated = !json_object_object_get_ex(body, "id", NULL);
  if (!fixed_key(body, "status", NULL,
                 "is set by the server (cancel with POST /v1/requests/{id}/cancel)", response))
    goto out;
  if (principal->role == MODEL_ROLE_SCHOOL) {
    if (!fixed_key(body, "school", principal->school_id, "expected your own school", response))
      goto out;
    json_object_object_add(body, "school", json_object_new_string(principal->school_id));
  }
  if (generated) /* a valid placeholder: the store picks the id */
    json_object_object_add(body, "id", json_object_new_string("new"));
  json_object *school_value = NULL;
  const char *school = json_object_object_get_ex(body, "school", &school_value) &&
                               json_object_is_type(school_value, json_type_string)
                           ? json_object_get_string(school_value)
                           : NULL;
  if ((context = api_read_context(services, response, school, NULL)) == NULL)
    goto out;
  gint s = school != NULL ? model_dataset_find_school(context, school) : -1;
  if (principal->role == MODEL_ROLE_COORDINATOR && s >= 0 &&
      !api_in_districts(principal, g_array_index(context->schools, ModelSchool, s).district_id))
    g_array_remove_index(context->schools, (guint)s); /* treated as unknown */
  if ((r = decode_request(context, body, response)) == NULL)
    goto out;
  if (!api_check_request_dates(r, NULL, api_services_today(services), response))
    goto out;
  if (generated)
    g_clear_pointer(&r->id, g_free);
  if (write_request(services, request, response, WRITE_CREATE, r, NULL))
    response->location = g_strdup_printf("/v1/requests/%s", r->id);
out:
  json_object_put(body);
}

void api_handle_request_update(ApiServices *services, const ApiRequest *request,
                               ApiResponse *response) {
  ModelRequest *stored = NULL;
  g_autoptr(ModelDataset) found =
      route_request(services, request, response, "change requests", &stored);
  if (found == NULL)
    return;
  if (stored->status == MODEL_REQUEST_CANCELLED) {
    api_response_fail(response, API_ERROR_REQUEST_CANCELLED, NULL,
                      "request %s is cancelled and cannot change", stored->id);
    return;
  }
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  json_object *merged = model_json_encode_request(stored);
  g_autoptr(ModelDataset) context = NULL;
  ModelRequest *changed = NULL;
  if (!fixed_key(body, "id", stored->id, "the id of a request cannot change", response) ||
      !fixed_key(body, "school", stored->school_id, "the school of a request cannot change",
                 response) ||
      !fixed_key(body, "status", "open",
                 "is set by the server (cancel with POST /v1/requests/{id}/cancel)", response))
    goto out;
  api_json_merge_patch(merged, body);
  if ((context = api_read_context(services, response, stored->school_id, NULL)) == NULL ||
      (changed = decode_request(context, merged, response)) == NULL)
    goto out;
  if (!api_check_request_dates(changed, stored, api_services_today(services), response))
    goto out;
  write_request(services, request, response, WRITE_UPDATE, changed, NULL);
out:
  json_object_put(merged);
  json_object_put(body);
}

/* A cancellation's body: optional, {"reason", "date", "part"}, all optional but date
 * and part together, which name the one day part to cancel (*out_part TRUE, the day
 * part in *out_slot).  FALSE after answering 422 at the key at fault. */
static gboolean cancel_body(const ApiRequest *request, ApiResponse *response, char **out_reason,
                            gboolean *out_part, ModelSlot *out_slot) {
  *out_reason = NULL;
  *out_part = FALSE;
  gboolean present = FALSE;
  json_object *body = api_body(request, response, json_type_object, TRUE, &present);
  if (body == NULL)
    return !present;
  const char *date = NULL, *part = NULL;
  gboolean ok = TRUE;
  json_object_object_foreach(body, key, value) {
    const char *text =
        json_object_is_type(value, json_type_string) ? json_object_get_string(value) : "";
    if (g_strcmp0(key, "reason") == 0)
      ok = api_reason_value(response, value, out_reason);
    else if (g_strcmp0(key, "date") == 0)
      date = text;
    else if (g_strcmp0(key, "part") == 0)
      part = text;
    else
      ok = api_body_key_is(response, key, "reason, date or part");
    if (!ok)
      break;
  }
  if (ok && (date != NULL || part != NULL)) {
    if (date == NULL || !model_date_parse(date, &out_slot->date)) {
      api_response_fail(response, API_ERROR_INVALID, "/date",
                        date == NULL ? "missing (expected the date of the day part, YYYY-MM-DD)"
                                     : "expected a date YYYY-MM-DD");
      ok = FALSE;
    } else if (part == NULL || !model_part_parse(part, &out_slot->part)) {
      api_response_fail(response, API_ERROR_INVALID, "/part",
                        part == NULL ? "missing (expected morning or afternoon)"
                                     : "expected morning or afternoon");
      ok = FALSE;
    }
    *out_part = ok;
  }
  if (!ok)
    g_clear_pointer(out_reason, g_free);
  json_object_put(body);
  return ok;
}

/* Cancels day part `slot` of open request `stored`: 422 at /date when the request does
 * not ask for it (any more), or when it is the only one left. */
static void cancel_part(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                        ModelRequest *stored, ModelSlot slot, const char *reason) {
  char date[11];
  model_date_format(slot.date, date);
  const char *part = model_part_name(slot.part);
  g_autoptr(GArray) slots = model_slot_rules_expand(stored->slots);
  if (bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/date",
                      "%s %s is not a day part of request %s, or was cancelled already (expected "
                      "a day part the request asks for)",
                      date, part, stored->id);
    return;
  }
  if (slots->len == 1) {
    api_response_fail(response, API_ERROR_INVALID, "/date",
                      "%s %s is the last day part of request %s (cancel the request instead)", date,
                      part, stored->id);
    return;
  }
  GArray *kept = model_slot_rules_without(stored->slots, slot);
  g_array_unref(stored->slots);
  stored->slots = kept;
  g_autofree char *actor = api_actor(request->principal);
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_write_begin(services, response);
  if (store == NULL)
    return;
  gboolean ok = model_store_request_cancel_part(store, stored, slot, actor, reason,
                                                api_services_now(), &error);
  if (api_write_end(services, response, ok, error, API_ERROR_ALREADY_CANCELLED))
    respond_request(services, response, 200, stored->id, NULL);
}

void api_handle_request_cancel(ApiServices *services, const ApiRequest *request,
                               ApiResponse *response) {
  ModelRequest *stored = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(ModelDataset) dataset =
      route_request(services, request, response, "cancel requests", &stored);
  gboolean one_part = FALSE;
  ModelSlot slot = {0};
  if (dataset == NULL || !cancel_body(request, response, &reason, &one_part, &slot))
    return;
  if (!one_part) {
    write_request(services, request, response, WRITE_CANCEL, stored, reason);
  } else if (stored->status == MODEL_REQUEST_CANCELLED) {
    api_response_fail(response, API_ERROR_ALREADY_CANCELLED, NULL,
                      "request %s is already cancelled", stored->id);
  } else {
    cancel_part(services, request, response, stored, slot, reason);
  }
}
