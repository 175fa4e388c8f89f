/* handlers-import.c: employees from a spreadsheet over HTTP: POST /v1/employees/import
 * takes a text/csv body (an organisation its own employees; a coordinator names the
 * organisation and stays within their districts) and answers a preview of every row
 * and every problem, or stores all of it or nothing; GET /v1/employees/import/template
 * hands out the empty spreadsheet to fill in.  The checks are csv-import.c's, the same
 * as `handen import-csv`.
 */
#include <string.h>

#include "csv-import.h"
#include "handlers.h"

static const guint import_roles = API_ROLES_ORGANISATION_COORDINATOR;

/* The organisation the caller imports for: its own, or the coordinator's choice; NULL
 * after answering 400. */
static const char *import_organisation(const ApiRequest *request, ApiResponse *response) {
  const char *own = request->principal->organisation_id;
  const char *named = api_query(request, "organisation");
  if (request->principal->role == MODEL_ROLE_ORGANISATION) {
    if (named != NULL && g_strcmp0(named, own) != 0) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter organisation: expected your own organisation, %s", own);
      return NULL;
    }
    return own;
  }
  if (named == NULL || !model_id_is_valid(named)) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter organisation: expected the id of the organisation whose"
                      " employees these are");
    return NULL;
  }
  return named;
}

/* Answers 422 with every problem of a refused import. */
static void respond_refused(ApiResponse *response, const ApiCsvImport *import) {
  json_object *list = json_object_new_array();
  for (guint i = 0; i < import->problems->len; i++)
    json_object_array_add(list, api_csv_problem_json(g_ptr_array_index(import->problems, i)));
  const ModelProblem *first = g_ptr_array_index(import->problems, 0);
  g_autofree char *pointer = g_strconcat("/", first->pointer, NULL);
  api_response_problems(response, API_ERROR_INVALID, pointer, first->message, list);
}

void api_handle_employees_import(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  if (!api_require_role(request, response, import_roles, "import employees"))
    return;
  const char *organisation = import_organisation(request, response);
  if (organisation == NULL)
    return;
  const char *preview = api_query(request, "preview");
  if (preview != NULL && g_strcmp0(preview, "true") != 0 && g_strcmp0(preview, "false") != 0) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter preview: expected true or false");
    return;
  }
  /* An import is checked and stored under the write lock, so that no other write in
   * this process (another organisation's import taking an id) comes between. */
  gboolean storing = g_strcmp0(preview, "true") != 0;
  ModelStore *store = storing ? api_write_begin(services, response) : api_store(services, response);
  if (store == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(ApiCsvImport) import =
      api_csv_import_check(store, organisation, (const char *const *)request->principal->districts,
                           request->body, request->body_length, &error);
  g_autofree char *actor = api_actor(request->principal);
  gboolean stored = storing && import != NULL && import->problems->len == 0 &&
                    api_csv_import_store(store, import, actor, api_services_now(), &error);
  if (storing)
    api_services_unlock_writes(services);
  if (import == NULL) {
    if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND))
      api_not_found(response, "organisation", organisation);
    else
      api_response_gerror(response, error);
    return;
  }
  if (!storing) {
    api_response_json(response, 200, api_csv_import_json(import));
    return;
  }
  if (import->problems->len > 0) {
    respond_refused(response, import);
    return;
  }
  if (!stored) {
    api_respond_store_error(response, error, API_ERROR_CONFLICT);
    return;
  }
  api_services_flush_token_uses(services); /* as api_write_end() does after a write */
  json_object *body = json_object_new_object();
  json_object_object_add(body, "created", json_object_new_int64(import->created));
  json_object_object_add(body, "updated", json_object_new_int64(import->updated));
  api_response_json(response, 201, body);
}

void api_handle_employees_import_template(ApiServices *services, const ApiRequest *request,
                                          ApiResponse *response) {
  (void)services;
  if (!api_require_role(request, response, import_roles, "import employees"))
    return;
  g_autofree char *text = model_csv_employee_template();
  api_response_text(response, 200, "text/csv; charset=utf-8", text, strlen(text));
  response->disposition = g_strdup("attachment; filename=\"medewerkers.csv\"");
}
