/* handlers-swap.c: the next best alternatives to a waiting proposal, and swapping it
 * for one of them.  Both are the coordinator's, within their districts.  The
 * alternatives are computed by the engine (engine_alternatives()) on the store as it
 * is now, with a round's default costs; the swap is taken by the store in one checked
 * write transaction under the write lock (model_store_swap()), refused with 409 and
 * the approval's named codes when the new employee does not pass, changing nothing.
 */
#include "entity-codec.h"
#include "handlers.h"

static const guint coordinator_only = API_ROLE_BIT(MODEL_ROLE_COORDINATOR);

#define ALTERNATIVES_DEFAULT 5
#define ALTERNATIVES_MAX 20
#define SWAP_REASON_MAX 1800 /* the stored reason adds its replacement's names */

/* The travel in km with one decimal, as the proposals show it. */
static json_object *km_json(gint64 metres) {
  char text[32];
  g_snprintf(text, sizeof text, "%.1f", (double)metres / 1000.0);
  return json_object_new_double_s(g_ascii_strtod(text, NULL), text);
}

/* The EngineWhy bits of an alternative as the proposals' "why" codes, and in words:
 * "2.1 km, already works for this request, same district". */
static void add_why(json_object *item, const EngineAlternative *alt) {
  static const struct {
    guint32 bit;
    const char *code, *words;
  } names[] = {
      {ENGINE_WHY_SAME_DISTRICT, "same-district", "same district"},
      {ENGINE_WHY_NEIGHBOUR, "neighbouring-district", "neighbouring district"},
      {ENGINE_WHY_PREFERRED, "preferred-qualifications", "every preferred qualification"},
      {ENGINE_WHY_KNOWS_SCHOOL, "knows-school", "knows the school"},
      {ENGINE_WHY_CONTINUITY, "continuity", "already works for this request"},
  };
  json_object *why = json_object_new_array();
  g_autoptr(GString) reason = g_string_new(NULL);
  g_string_append_printf(reason, "%.1f km", (double)alt->travel_m / 1000.0);
  for (gsize i = G_N_ELEMENTS(names); i-- > 0;)
    if (alt->why & names[i].bit)
      g_string_append_printf(reason, ", %s", names[i].words);
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (alt->why & names[i].bit)
      json_object_array_add(why, json_object_new_string(names[i].code));
  json_object_object_add(item, "why", why);
  json_object_object_add(item, "reason", json_object_new_string(reason->str));
}

static json_object *alternative_json(const ModelDataset *dataset, const EngineAlternative *alt,
                                     guint rank) {
  const ModelEmployee *emp = &g_array_index(dataset->employees, ModelEmployee, alt->employee);
  gint o = emp->organisation_id != NULL
               ? model_dataset_find_organisation(dataset, emp->organisation_id)
               : -1;
  json_object *item = json_object_new_object();
  model_json_put(item, "rank", json_object_new_int((int)rank));
  model_json_put_strings(item, "employee", emp->id, "employee_name", emp->name, NULL);
  model_json_put(item, "organisation", model_json_new_string_or_null(emp->organisation_id));
  model_json_put(
      item, "organisation_name",
      model_json_new_string_or_null(
          o >= 0 ? g_array_index(dataset->organisations, ModelOrganisation, o).name : NULL));
  model_json_put(item, "travel_m", json_object_new_int64(alt->travel_m));
  model_json_put(item, "travel_km", km_json(alt->travel_m));
  model_json_put(item, "cost_m", json_object_new_int64(alt->cost_m));
  json_object *met = json_object_new_array();
  for (int q = 0; q < MODEL_N_QUALS; q++)
    if (alt->preferred_met & MODEL_QUAL_BIT(q))
      json_object_array_add(met, json_object_new_string(model_qual_name((ModelQual)q)));
  model_json_put(item, "preferred_met", met);
  add_why(item, alt);
  return item;
}

/* The query's limit (default ALTERNATIVES_DEFAULT); FALSE after answering 400. */
static gboolean read_limit(const ApiRequest *request, ApiResponse *response, guint *out) {
  const char *text = api_query(request, "limit");
  gint64 limit = ALTERNATIVES_DEFAULT;
  if (text != NULL && !g_ascii_string_to_signed(text, 10, 1, ALTERNATIVES_MAX, &limit, NULL)) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter limit: expected a whole number from 1 to %d",
                      ALTERNATIVES_MAX);
    return FALSE;
  }
  *out = (guint)limit;
  return TRUE;
}

/* The district of assignment `a`'s request, or NULL. */
static const char *district_of(const ModelDataset *dataset, const ModelAssignment *a) {
  gint r = model_dataset_find_request(dataset, a->request_id);
  const char *school = r >= 0 ? g_array_index(dataset->requests, ModelRequest, r).school_id : NULL;
  gint s = school != NULL ? model_dataset_find_school(dataset, school) : -1;
  return s >= 0 ? g_array_index(dataset->schools, ModelSchool, s).district_id : NULL;
}

void api_handle_proposal_alternatives(ApiServices *services, const ApiRequest *request,
                                      ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "read alternatives"))
    return;
  guint limit = 0;
  if (!read_limit(request, response, &limit))
    return;
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) dataset = api_load_all(services, response);
  if (dataset == NULL)
    return;
  gint a = model_dataset_find_assignment(dataset, id);
  const ModelAssignment *proposal =
      a >= 0 ? &g_array_index(dataset->assignments, ModelAssignment, a) : NULL;
  gint r = proposal != NULL ? model_dataset_find_request(dataset, proposal->request_id) : -1;
  if (r < 0 || !api_in_districts(request->principal, district_of(dataset, proposal))) {
    api_not_found(response, "proposal", id);
    return;
  }
  if (proposal->status != MODEL_ASSIGNMENT_PROPOSED) {
    api_response_fail(response, API_ERROR_ALREADY_DECIDED, NULL,
                      "assignment %s is already %s (only a proposal has alternatives)", id,
                      model_assignment_status_name(proposal->status));
    return;
  }
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) found =
      engine_alternatives(dataset, &options, (guint)r, proposal->slot, a, limit, &error);
  if (found == NULL) {
    api_response_gerror(response, error);
    return;
  }
  json_object *list = json_object_new_array();
  for (guint i = 0; i < found->len; i++)
    json_object_array_add(
        list, alternative_json(dataset, &g_array_index(found, EngineAlternative, i), i + 1));
  json_object *body = json_object_new_object();
  model_json_put_strings(body, "proposal", proposal->id, "request", proposal->request_id,
                         "employee", proposal->employee_id, NULL);
  model_json_put_date(body, "date", proposal->slot.date);
  model_json_put_string(body, "part", model_part_name(proposal->slot.part));
  model_json_put(body, "alternatives", list);
  api_response_json(response, 200, body);
}

/* The fields of a swap's body object; FALSE after answering 422. */
static gboolean read_swap_fields(json_object *body, ApiResponse *response, char **out_employee,
                                 char **out_reason) {
  g_autofree char *employee = NULL, *reason = NULL;
  json_object_object_foreach(body, key, value) {
    const char *text =
        json_object_is_type(value, json_type_string) ? json_object_get_string(value) : NULL;
    if (g_str_equal(key, "employee")) {
      if (text == NULL || !model_id_is_valid(text)) {
        api_response_fail(response, API_ERROR_INVALID, "/employee", "expected an employee id");
        return FALSE;
      }
      g_free(employee);
      employee = g_strdup(text);
    } else if (g_str_equal(key, "reason")) {
      glong n = text != NULL ? g_utf8_strlen(text, -1) : 0;
      if (n < 1 || n > SWAP_REASON_MAX) {
        api_response_fail(response, API_ERROR_INVALID, "/reason",
                          "expected a string of 1 to %d characters", SWAP_REASON_MAX);
        return FALSE;
      }
      g_free(reason);
      reason = g_strdup(text);
    } else if (!api_body_key_is(response, key, "employee or reason")) {
      return FALSE;
    }
  }
  if (employee == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/employee",
                      "missing (expected an employee id)");
    return FALSE;
  }
  *out_employee = g_steal_pointer(&employee);
  *out_reason = g_steal_pointer(&reason);
  return TRUE;
}

/* Reads {"employee": "e-...", "reason"?: "..."}; FALSE after answering 4xx. */
static gboolean read_swap_body(const ApiRequest *request, ApiResponse *response,
                               char **out_employee, char **out_reason) {
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return FALSE;
  gboolean ok = read_swap_fields(body, response, out_employee, out_reason);
  json_object_put(body);
  return ok;
}

void api_handle_proposal_swap(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "swap proposals"))
    return;
  g_autofree char *employee = NULL, *reason = NULL;
  if (!read_swap_body(request, response, &employee, &reason))
    return;
  g_autofree char *actor = api_actor(request->principal);
  ModelSwap swap = {
      .id = g_hash_table_lookup(request->params, "id"),
      .employee = employee,
      .actor = actor,
      .reason = reason,
      .now = api_services_now(),
      .districts = (const char *const *)request->principal->districts,
  };
  ModelStore *store = api_write_begin(services, response);
  if (store == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  ModelRefusal refusal = MODEL_REFUSAL_NONE;
  gboolean ok = model_store_swap(store, &swap, &id, &refusal, &error);
  if (!api_write_end(services, response, ok, error, api_error_of_refusal(refusal)))
    return;
  api_respond_assignment(services, request, response, id);
}
