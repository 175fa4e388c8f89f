/* handlers-decisions.c: proposals, assignments and the audit trail.  Proposals (every
 * assignment a round made, whatever became of it) are the coordinator's: listed with
 * filters and approved or rejected within their districts; an organisation lists
 * only those still waiting on its own employees.  Approved assignments are
 * shown to the school they serve (with the employee's name and organisation: the
 * moment a school learns who comes), to the organisation whose employee goes, and to
 * the coordinator; any of them may cancel one.  Decisions are taken by the store in
 * one checked transaction (ops-decisions.c); a refusal is 409 with its reason.  Lists
 * read only their page from the store: filters and scope are SQL conditions
 * (model_store_query_assignments), and an answer after a decision reads back the one
 * assignment decided.  A coordinator's view of an assignment also says why its
 * employee suits it (travel and the reasons of a round's result file), worked out
 * from the data when read (model_store_assignment_reasons), so a proposal and the
 * assignment it becomes explain themselves the same way.
 */
#include "entity-codec.h"
#include "handlers.h"

static const guint coordinator_only = API_ROLE_BIT(MODEL_ROLE_COORDINATOR);

static const char *assignment_district(const ModelDataset *dataset, const ModelAssignment *a,
                                       const char **out_school) {
  gint r = model_dataset_find_request(dataset, a->request_id);
  const char *school = r >= 0 ? g_array_index(dataset->requests, ModelRequest, r).school_id : NULL;
  gint s = school != NULL ? model_dataset_find_school(dataset, school) : -1;
  if (out_school != NULL)
    *out_school = school;
  return s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).district_id : NULL;
}

static const char *assignment_organisation(const ModelDataset *dataset, const ModelAssignment *a) {
  gint e = model_dataset_find_employee(dataset, a->employee_id);
  return e >= 0 ? g_array_index(dataset->employees, ModelEmployee, e).organisation_id : NULL;
}

/* Whether the caller may see assignment `a` among approved assignments. */
static gboolean assignment_visible(const ModelDataset *dataset, const ApiPrincipal *principal,
                                   const ModelAssignment *a) {
  const char *school = NULL;
  const char *district = assignment_district(dataset, a, &school);
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    return g_strcmp0(school, principal->school_id) == 0;
  case MODEL_ROLE_ORGANISATION:
    return g_strcmp0(assignment_organisation(dataset, a), principal->organisation_id) == 0;
  case MODEL_ROLE_COORDINATOR:
  default:
    return api_in_districts(principal, district);
  }
}

static ApiView view_of(const ApiPrincipal *principal) {
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    return API_VIEW_SCHOOL;
  case MODEL_ROLE_ORGANISATION:
    return API_VIEW_ORGANISATION;
  case MODEL_ROLE_COORDINATOR:
  default:
    return API_VIEW_COORDINATOR;
  }
}

/* ---- reasons ------------------------------------------------------------ */

/* The reasons of every assignment in `dataset` (model_store_assignment_reasons);
 * NULL after answering. */
static GHashTable *read_reasons(ApiServices *services, ApiResponse *response,
                                const ModelDataset *dataset) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *reasons = model_store_assignment_reasons(store, dataset->assignments, &error);
  if (reasons == NULL)
    api_response_gerror(response, error);
  return reasons;
}

/* Adds what a coordinator sees of why an employee was chosen, in the words and order
 * of a round's result file: travel_m, travel_km (one decimal; both null when no
 * starting place is known), preferred_met and why. */
static void add_reasons(json_object *view, const ModelAssignmentReasons *reasons) {
  gboolean known = reasons != NULL && reasons->travel_m >= 0;
  json_object_object_add(view, "travel_m", known ? json_object_new_int64(reasons->travel_m) : NULL);
  json_object *km = NULL;
  if (known) {
    char text[32];
    g_snprintf(text, sizeof text, "%.1f", (double)reasons->travel_m / 1000.0);
    km = json_object_new_double_s(g_ascii_strtod(text, NULL), text);
  }
  json_object_object_add(view, "travel_km", km);
  json_object *met = json_object_new_array();
  for (int q = 0; reasons != NULL && q < MODEL_N_QUALS; q++)
    if (reasons->preferred_met & MODEL_QUAL_BIT(q))
      json_object_array_add(met, json_object_new_string(model_qual_name((ModelQual)q)));
  json_object_object_add(view, "preferred_met", met);
  json_object *why = json_object_new_array();
  if (reasons != NULL) {
    const struct {
      gboolean on;
      const char *name;
    } names[] = {
        {reasons->same_district, "same-district"},
        {reasons->neighbour, "neighbouring-district"},
        {reasons->preferred, "preferred-qualifications"},
        {reasons->knows_school, "knows-school"},
        {reasons->continuity, "continuity"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
      if (names[i].on)
        json_object_array_add(why, json_object_new_string(names[i].name));
  }
  json_object_object_add(view, "why", why);
}

/* The view of `a` for `view`; a coordinator's with its reasons (from `reasons`). */
static json_object *assignment_json(const ModelDataset *dataset, const ModelAssignment *a,
                                    GHashTable *rounds, ApiView view, GHashTable *reasons) {
  json_object *object = api_json_assignment_view(dataset, a, rounds, view);
  if (view == API_VIEW_COORDINATOR)
    add_reasons(object, reasons != NULL ? g_hash_table_lookup(reasons, a->id) : NULL);
  return object;
}

/* Assignment `id` with what its view shows, unscoped (the caller checks visibility),
 * and its round; NULL after answering. */
static ModelDataset *read_assignment(ApiServices *services, ApiResponse *response, const char *id,
                                     GHashTable **out_rounds) {
  ModelQuery query;
  model_query_init(&query);
  query.id = id;
  return api_read_assignments(services, response, &query, out_rounds);
}

/* ---- proposals ---------------------------------------------------------- */

/* Reads the proposal filters on dates, day part and priority into `query`; FALSE
 * after answering 400 naming the parameter (the page cleared). */
static gboolean proposal_filters(const ApiRequest *request, ApiResponse *response, ApiPage *page,
                                 ModelQuery *query) {
  if (!api_query_date(request, response, "from", &query->from) ||
      !api_query_date(request, response, "to", &query->to)) {
    api_page_clear(page);
    return FALSE;
  }
  if (query->from != MODEL_DATE_NONE && query->to != MODEL_DATE_NONE && query->to < query->from) {
    api_page_refuse(page, response, "to", "a date on or after from");
    return FALSE;
  }
  const char *part_text = api_query(request, "part");
  ModelPart part = MODEL_PART_MORNING;
  if (part_text != NULL && !model_part_parse(part_text, &part)) {
    api_page_refuse(page, response, "part", "morning or afternoon");
    return FALSE;
  }
  query->part = part_text != NULL ? (gint)part : -1;
  const char *priority_text = api_query(request, "priority");
  ModelPriority priority = MODEL_PRIORITY_NORMAL;
  if (priority_text != NULL && !model_priority_parse(priority_text, &priority)) {
    api_page_refuse(page, response, "priority", "high or normal");
    return FALSE;
  }
  query->priority = priority_text != NULL ? model_priority_name(priority) : NULL;
  return TRUE;
}

/* The coordinator reads every proposal in their districts; an organisation reads only
 * the proposals still waiting for a decision on its own employees (the list is scoped
 * to them in SQL), so a planner does not plan that day part elsewhere: rejected and
 * cancelled proposals stay the coordinator's, approved ones are its assignments. */
void api_handle_proposals_list(ApiServices *services, const ApiRequest *request,
                               ApiResponse *response) {
  ApiList list;
  if (!api_list_begin(&list, request, response,
                      coordinator_only | API_ROLE_BIT(MODEL_ROLE_ORGANISATION), "read proposals"))
    return;
  gboolean organisation = request->principal->role == MODEL_ROLE_ORGANISATION;
  /* Without status only what still waits for a decision; "any" lifts the filter. */
  const char *status = api_query(request, "status");
  ModelAssignmentStatus wanted = MODEL_ASSIGNMENT_PROPOSED;
  gboolean any = g_strcmp0(status, "any") == 0;
  if (organisation && status != NULL && g_strcmp0(status, "proposed") != 0) {
    api_page_refuse(&list.page, response, "status",
                    "proposed (an organisation reads only proposals awaiting a decision)");
    return;
  }
  if (status != NULL && !any && !model_assignment_status_parse(status, &wanted)) {
    api_page_refuse(&list.page, response, "status",
                    "proposed, approved, rejected, cancelled or any");
    return;
  }
  const char *round_text = api_query(request, "round");
  gint64 round = 0;
  if (round_text != NULL &&
      !g_ascii_string_to_signed(round_text, 10, 1, G_MAXINT64, &round, NULL)) {
    api_page_refuse(&list.page, response, "round", "a round id");
    return;
  }
  ModelQuery *query = &list.query;
  ApiPage *page = &list.page;
  if (!proposal_filters(request, response, page, query))
    return;
  query->status = any ? NULL : model_assignment_status_name(wanted);
  query->round = round;
  query->district = api_query(request, "district");
  query->school = api_query(request, "school");
  query->request = api_query(request, "request");
  g_autoptr(GHashTable) rounds = NULL;
  g_autoptr(ModelDataset) dataset = api_read_assignments(services, response, query, &rounds);
  if (dataset == NULL) {
    api_page_clear(page);
    return;
  }
  ApiView view = view_of(request->principal);
  g_autoptr(GHashTable) reasons = NULL;
  if (view == API_VIEW_COORDINATOR &&
      (reasons = read_reasons(services, response, dataset)) == NULL) {
    api_page_clear(page);
    return;
  }
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    g_assert(!organisation || (a->status == MODEL_ASSIGNMENT_PROPOSED &&
                               assignment_visible(dataset, request->principal, a)));
    if (api_page_wants(page, a->id))
      api_page_add(page, a->id, assignment_json(dataset, a, rounds, view, reasons));
  }
  api_page_respond(page, response);
}

/* Answers assignment `id` of `dataset` (read with its rounds) as `view` shows it, with
 * `reasons` for a coordinator. */
static void respond_assignment_from(const ModelDataset *dataset, GHashTable *rounds, ApiView view,
                                    GHashTable *reasons, ApiResponse *response, const char *id) {
  gint a = model_dataset_find_assignment(dataset, id);
  if (a < 0) {
    api_not_found(response, "assignment", id);
    return;
  }
  api_response_json(response, 200,
                    assignment_json(dataset,
                                    &g_array_index(dataset->assignments, ModelAssignment, a),
                                    rounds, view, reasons));
}

void api_respond_assignment(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                            const char *id) {
  g_autoptr(GHashTable) rounds = NULL;
  g_autoptr(ModelDataset) dataset = read_assignment(services, response, id, &rounds);
  if (dataset == NULL)
    return;
  ApiView view = view_of(request->principal);
  g_autoptr(GHashTable) reasons = NULL;
  if (view == API_VIEW_COORDINATOR && (reasons = read_reasons(services, response, dataset)) == NULL)
    return;
  respond_assignment_from(dataset, rounds, view, reasons, response, id);
}

/* Takes a decision through the store and answers 200, 404 or 409 with the reason. */
static void decide(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                   ModelDecision decision, const char *reason, const char *const *districts) {
  const char *id = g_hash_table_lookup(request->params, "id");
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return;
  g_autofree char *actor = api_actor(request->principal);
  g_auto(ModelDecisionJob) job = {id, decision, actor, reason, api_services_now(), districts};
  g_autoptr(GError) batch_error = NULL;
  g_auto(ApiDecided) decided = {NULL, NULL, NULL, NULL};
  if (!api_services_decide(services, &job, &decided, &batch_error)) {
    api_response_gerror(response, batch_error);
    return;
  }
  if (!job.ok) {
    if (g_error_matches(job.error, MODEL_ERROR, MODEL_ERROR_CONFLICT))
      api_response_fail(response, api_error_of_refusal(job.refusal), NULL, "%s",
                        job.error->message);
    else if (g_error_matches(job.error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND))
      api_not_found(response, "assignment", id);
    else
      api_response_gerror(response, job.error);
    return;
  }
  ApiView view = view_of(request->principal);
  if (decided.dataset != NULL && view == API_VIEW_COORDINATOR)
    respond_assignment_from(decided.dataset, decided.rounds, view, decided.reasons, response, id);
  else
    api_respond_assignment(services, request, response, id);
}

void api_handle_proposal_approve(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "approve proposals"))
    return;
  gboolean present = FALSE;
  json_object *body = api_body(request, response, json_type_object, TRUE, &present);
  if (body == NULL && present)
    return;
  if (body != NULL && json_object_object_length(body) > 0) {
    json_object_put(body);
    api_response_fail(response, API_ERROR_INVALID, NULL,
                      "an approval takes no fields (expected an empty body or {})");
    return;
  }
  json_object_put(body);
  decide(services, request, response, MODEL_DECISION_APPROVE, NULL,
         (const char *const *)request->principal->districts);
}

void api_handle_proposal_reject(ApiServices *services, const ApiRequest *request,
                                ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "reject proposals"))
    return;
  g_autofree char *reason = NULL;
  if (!api_body_reason(request, response, TRUE, &reason))
    return;
  decide(services, request, response, MODEL_DECISION_REJECT, reason,
         (const char *const *)request->principal->districts);
}

/* ---- assignments -------------------------------------------------------- */

ModelDataset *api_select_assignments(ApiServices *services, const ApiRequest *request,
                                     ApiResponse *response, const ApiPage *page,
                                     GHashTable **out_rounds) {
  ModelQuery query;
  /* api_page_query() initialises the whole query, so the filters come after it. */
  if (page != NULL)
    api_page_query(page, &query);
  else
    model_query_init(&query);
  if (!api_query_date(request, response, "from", &query.from) ||
      !api_query_date(request, response, "to", &query.to))
    return NULL;
  ModelScope scope = api_scope(request->principal);
  query.scope = &scope;
  query.status = model_assignment_status_name(MODEL_ASSIGNMENT_APPROVED);
  query.school = api_query(request, "school");
  query.employee = api_query(request, "employee");
  query.district = api_query(request, "district");
  return api_read_assignments(services, response, &query, out_rounds);
}

void api_handle_assignments_list(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  g_autoptr(GHashTable) rounds = NULL;
  g_autoptr(ModelDataset) dataset =
      api_select_assignments(services, request, response, &page, &rounds);
  if (dataset == NULL) {
    api_page_clear(&page);
    return;
  }
  ApiView view = view_of(request->principal);
  g_autoptr(GHashTable) reasons = NULL;
  if (view == API_VIEW_COORDINATOR &&
      (reasons = read_reasons(services, response, dataset)) == NULL) {
    api_page_clear(&page);
    return;
  }
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    g_assert(assignment_visible(dataset, request->principal, a));
    if (api_page_wants(&page, a->id))
      api_page_add(&page, a->id, assignment_json(dataset, a, rounds, view, reasons));
  }
  api_page_respond(&page, response);
}

void api_handle_assignment_cancel(ApiServices *services, const ApiRequest *request,
                                  ApiResponse *response) {
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) dataset = read_assignment(services, response, id, NULL);
  if (dataset == NULL)
    return;
  gint i = model_dataset_find_assignment(dataset, id);
  const ModelAssignment *a =
      i >= 0 ? &g_array_index(dataset->assignments, ModelAssignment, i) : NULL;
  /* Schools and organisations know only approved assignments: anything else (or
   * anything outside their scope) looks missing to them. */
  gboolean coordinator = request->principal->role == MODEL_ROLE_COORDINATOR;
  if (a == NULL || !assignment_visible(dataset, request->principal, a) ||
      (!coordinator && a->status != MODEL_ASSIGNMENT_APPROVED)) {
    api_not_found(response, "assignment", id);
    return;
  }
  g_autofree char *reason = NULL;
  if (!api_body_reason(request, response, FALSE, &reason))
    return;
  decide(services, request, response, MODEL_DECISION_CANCEL, reason, NULL);
}

/* ---- audit -------------------------------------------------------------- */

static GPtrArray *fetch_audit(ModelStore *store, const ApiRequest *request, gint64 cursor,
                              guint limit, GError **error) {
  ModelAuditQuery query = {
      .cursor = cursor,
      .limit = limit,
      .newest = g_strcmp0(api_query(request, "order"), "newest") == 0,
      .districts = (const char *const *)request->principal->districts,
      .actor = api_query(request, "actor"),
      .action = api_query(request, "action"),
  };
  return model_store_audit_list(store, &query, error);
}

static json_object *audit_view(gconstpointer object, gint64 *out_id) {
  const ModelAuditEntry *entry = object;
  json_object *item = json_object_new_object();
  model_json_put(item, "id", json_object_new_int64(entry->id));
  model_json_put_strings(item, "at", entry->at, "actor", entry->actor, "action", entry->action,
                         NULL);
  /* The optional three are null when absent, not left out. */
  model_json_put(item, "object", model_json_new_string_or_null(entry->object));
  model_json_put(item, "detail", model_json_new_string_or_null(entry->detail));
  model_json_put(item, "district", model_json_new_string_or_null(entry->district));
  *out_id = entry->id;
  return item;
}

/* Oldest first, or newest first with order=newest; the cursor is the last entry
 * shown. */
static const ApiNumberedList audit_list = {0, fetch_audit, audit_view};

void api_handle_audit(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "read the audit log"))
    return;
  const char *order = api_query(request, "order");
  if (order != NULL && !g_str_equal(order, "oldest") && !g_str_equal(order, "newest")) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter order: expected oldest or newest");
    return;
  }
  static const char *const texts[] = {"actor", "action"};
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    const char *text = api_query(request, texts[i]);
    if (text != NULL && (text[0] == '\0' || strlen(text) > 200)) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter %s: expected a text of 1 to 200 characters", texts[i]);
      return;
    }
  }
  api_list_numbered(services, request, response, &audit_list);
}
