/* handlers-employees.c: employees of childcare organisations.  Names are personal
 * data: an organisation sees and manages only its own employees; a coordinator reads
 * those living in their districts (coordination needs them) but changes nothing; a
 * school reads none (403) and learns a name only from an approved assignment.
 * Writes go through the dataset codec, as for requests.  Reads fetch only the
 * employees they answer with.
 */
#include "entity-codec.h"
#include "handlers.h"

static const guint write_roles = API_ROLE_BIT(MODEL_ROLE_ORGANISATION);

/* An employee's e-mail address and telephone number are for their own organisation:
 * a coordinator reads the rest. */
static json_object *employee_view(const ModelDataset *dataset, const ApiPrincipal *principal,
                                  gconstpointer object) {
  (void)dataset;
  json_object *view = model_json_encode_employee(object);
  if (principal->role != MODEL_ROLE_ORGANISATION) {
    json_object_object_del(view, "email");
    json_object_object_del(view, "phone");
  }
  return view;
}

/* An employee is read with its availability; seen by its organisation and by the
 * coordinators of its district. */
static const ApiEntity employees = API_OWNED_ENTITY("employee", ModelEmployee, employees,
                                                    model_store_query_employees, employee_view);

void api_handle_employees_list(ApiServices *services, const ApiRequest *request,
                               ApiResponse *response) {
  ApiList list;
  if (!api_owned_list_begin(&list, request, response, &employees))
    return;
  const char *active = api_query(request, "active");
  if (active != NULL && g_strcmp0(active, "true") != 0 && g_strcmp0(active, "false") != 0) {
    api_page_refuse(&list.page, response, "active", "true or false");
    return;
  }
  list.query.active = active == NULL ? -1 : g_strcmp0(active, "true") == 0;
  list.query.district = api_query(request, "district");
  api_entity_list(services, request, response, &employees, &list.page, &list.query);
}

void api_handle_employee_get(ApiServices *services, const ApiRequest *request,
                             ApiResponse *response) {
  api_entity_get(services, request, response, &employees);
}

/* Decodes an employee document against `context`, which then holds it; NULL after
 * answering 422 (pointers under `prefix` made relative to the body). */
static ModelEmployee *decode_employee(ModelDataset *context, json_object *document,
                                      const char *prefix, ApiResponse *response) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelEmployee *decoded = model_json_decode_employee(context, document, problems);
  if (decoded == NULL)
    api_respond_problems(response, problems, prefix, "");
  return decoded;
}

/* Re-reads the employee and answers `status` with it and its `warnings` (taken). */
static void respond_employee(ApiServices *services, ApiResponse *response, guint status,
                             const char *id, json_object *warnings) {
  g_autoptr(ModelDataset) dataset =
      api_read_id(services, response, model_store_query_employees, id);
  gint e = dataset != NULL ? model_dataset_find_employee(dataset, id) : -1;
  if (e < 0) {
    if (dataset != NULL)
      api_not_found(response, "employee", id);
    json_object_put(warnings);
    return;
  }
  json_object *body =
      model_json_encode_employee(&g_array_index(dataset->employees, ModelEmployee, e));
  json_object_object_add(body, "warnings", warnings);
  api_response_json(response, status, body);
}

void api_handle_employees_create(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "create employees"))
    return;
  const char *own = request->principal->organisation_id;
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  g_autoptr(ModelDataset) context = NULL;
  ModelEmployee *e = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = api_actor(request->principal);
  ModelStore *store = NULL;
  gboolean generated = !json_object_object_get_ex(body, "id", NULL);
  json_object *value = NULL;
  if (json_object_object_get_ex(body, "organisation", &value) &&
      (!json_object_is_type(value, json_type_string) ||
       g_strcmp0(json_object_get_string(value), own) != 0)) {
    api_response_fail(response, API_ERROR_INVALID, "/organisation",
                      "expected your own organisation");
    goto out;
  }
  json_object_object_add(body, "organisation", json_object_new_string(own));
  if (generated) /* a valid placeholder: the store picks the id */
    json_object_object_add(body, "id", json_object_new_string("new"));
  if ((context = api_read_context(services, response, NULL, own)) == NULL ||
      (e = decode_employee(context, body, "", response)) == NULL)
    goto out;
  if (generated)
    g_clear_pointer(&e->id, g_free);
  if ((store = api_write_begin(services, response)) == NULL)
    goto out;
  gboolean created = model_store_employee_create(store, e, actor, api_services_now(), &error);
  if (!api_write_end(services, response, created, error, API_ERROR_ID_TAKEN))
    goto out;
  respond_employee(services, response, 201, e->id, api_employee_warnings(e));
  response->location = g_strdup_printf("/v1/employees/%s", e->id);
out:
  json_object_put(body);
}

/* A change to a stored employee, as model_store_employee_update() writes it. */
typedef struct {
  const ModelEmployee *employee;
  ModelEmployeeChange change;
} EmployeeUpdate;

static gboolean write_update(ModelStore *store, gconstpointer data, const char *actor, gint64 now,
                             GError **error) {
  const EmployeeUpdate *update = data;
  return model_store_employee_update(store, update->employee, update->change, actor, now, error);
}

/* Applies `change` to an organisation's own employee: `patch` (a merge patch over
 * the stored employee, or NULL) then `availability` (or NULL, which keeps it), or
 * deactivates it, or confirms its availability as of today; answers 200 with the
 * stored employee.  Problems are reported under `replace`. */
static void change_employee(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                            json_object *patch, json_object *availability,
                            ModelEmployeeChange change) {
  const char *id = g_hash_table_lookup(request->params, "id");
  gconstpointer object = NULL;
  g_autoptr(ModelDataset) found = api_entity_read(services, request, response, &employees, &object);
  if (found == NULL)
    return;
  const ModelEmployee *stored = object;
  json_object *merged = model_json_encode_employee(stored);
  if (patch != NULL)
    api_json_merge_patch(merged, patch);
  const char *prefix = "";
  char today[11];
  model_date_format(api_services_today(services), today);
  if (availability != NULL) {
    json_object_object_add(merged, "availability", json_object_get(availability));
    prefix = "availability";
  }
  /* Replacing availability confirms it as of today, as confirming does. */
  if (availability != NULL || change == MODEL_EMPLOYEE_CONFIRM)
    json_object_object_add(merged, "confirmed", json_object_new_string(today));
  if (change == MODEL_EMPLOYEE_DEACTIVATE)
    json_object_object_add(merged, "active", json_object_new_boolean(FALSE));
  g_autoptr(ModelDataset) context =
      api_read_context(services, response, NULL, stored->organisation_id);
  ModelEmployee *changed =
      context != NULL ? decode_employee(context, merged, prefix, response) : NULL;
  json_object_put(merged);
  EmployeeUpdate update = {changed, change};
  if (changed != NULL &&
      api_write_as(services, request, response, write_update, &update, API_ERROR_CONFLICT))
    respond_employee(services, response, 200, id, api_employee_warnings(changed));
}

void api_handle_employee_update(ApiServices *services, const ApiRequest *request,
                                ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "change employees"))
    return;
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  static const char *const fixed[] = {"id", "organisation"};
  for (gsize i = 0; i < G_N_ELEMENTS(fixed); i++) {
    json_object *value = NULL;
    if (!json_object_object_get_ex(body, fixed[i], &value))
      continue;
    const char *expected =
        i == 0 ? g_hash_table_lookup(request->params, "id") : request->principal->organisation_id;
    if (!json_object_is_type(value, json_type_string) ||
        g_strcmp0(json_object_get_string(value), expected) != 0) {
      g_autofree char *pointer = g_strdup_printf("/%s", fixed[i]);
      api_response_fail(response, API_ERROR_INVALID, pointer,
                        "the %s of an employee cannot"
                        " change",
                        fixed[i]);
      json_object_put(body);
      return;
    }
  }
  change_employee(services, request, response, body, NULL, MODEL_EMPLOYEE_UPDATE);
  json_object_put(body);
}

void api_handle_employee_deactivate(ApiServices *services, const ApiRequest *request,
                                    ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "deactivate employees"))
    return;
  change_employee(services, request, response, NULL, NULL, MODEL_EMPLOYEE_DEACTIVATE);
}

void api_handle_employee_confirm(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "confirm availability"))
    return;
  change_employee(services, request, response, NULL, NULL, MODEL_EMPLOYEE_CONFIRM);
}

void api_handle_employee_availability(ApiServices *services, const ApiRequest *request,
                                      ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "change availability"))
    return;
  json_object *body = api_body(request, response, json_type_array, FALSE, NULL);
  if (body == NULL)
    return;
  change_employee(services, request, response, NULL, body, MODEL_EMPLOYEE_AVAILABILITY);
  json_object_put(body);
}
