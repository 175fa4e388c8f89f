/* csv-import.c: employees from a spreadsheet into the store, checked completely first.
 * Beyond the file's own rules (model/csv) it checks what only the store knows: an id
 * another organisation's employee has is refused (an organisation never takes over
 * someone else's employee), and a coordinator imports only within their districts.
 * Invariant: ->read->dataset is set exactly when ->problems is empty, and only then
 * is anything stored, as one MERGE import (rows are upserted, so assignments stay).
 */
#include "csv-import.h"

#include "entity-codec.h"
#include "handlers.h"
#include "store-ops.h"

void api_csv_import_free(ApiCsvImport *import) {
  if (import == NULL)
    return;
  model_csv_employees_free(import->read);
  g_ptr_array_unref(import->problems);
  g_free(import);
}

ModelDataset *api_context_load(ModelStore *store, const char *school, const char *organisation,
                               GError **error) {
  ModelQuery query;
  model_query_init(&query);
  g_autoptr(ModelDataset) context = model_store_query_districts(store, &query, error);
  if (context == NULL)
    return NULL;
  if (school != NULL) {
    query.id = school;
    g_autoptr(ModelDataset) found = model_store_query_schools(store, &query, error);
    if (found == NULL)
      return NULL;
    api_move_all(context->schools, found->schools);
  }
  if (organisation != NULL) {
    query.id = organisation;
    g_autoptr(ModelDataset) found = model_store_query_organisations(store, &query, error);
    if (found == NULL)
      return NULL;
    api_move_all(context->organisations, found->organisations);
    /* ... and its locations, which its employees may name. */
    model_query_init(&query);
    query.organisation = organisation;
    g_autoptr(ModelDataset) owned = model_store_query_locations(store, &query, error);
    if (owned == NULL)
      return NULL;
    api_move_all(context->locations, owned->locations);
  }
  model_dataset_index(context);
  return g_steal_pointer(&context);
}

static gboolean in_districts(const char *const *districts, const char *district) {
  return districts == NULL || (district != NULL && g_strv_contains(districts, district));
}

static void add_problem(ApiCsvImport *import, gint64 row, const char *key, const char *message) {
  const char *column = model_csv_employees_column(import->read, key);
  g_autofree char *pointer = column != NULL
                                 ? g_strdup_printf("%" G_GINT64_FORMAT "/%s", row, column)
                                 : g_strdup_printf("%" G_GINT64_FORMAT, row);
  model_problems_add(import->problems, pointer, "%s", message);
}

static const char *string_member(json_object *object, const char *key) {
  json_object *value = NULL;
  return json_object_object_get_ex(object, key, &value) ? json_object_get_string(value) : NULL;
}

/* Checks one row against the store: whose the id is, and the caller's districts.
 * `own` holds the organisation's stored employees; any other id is looked up. */
static gboolean check_row(ModelStore *store, ApiCsvImport *import, json_object *employee,
                          const ModelDataset *own, const char *const *districts, GError **error) {
  gint64 row = json_object_get_int64(json_object_object_get(employee, "row"));
  const char *id = string_member(employee, "id");
  const char *district = string_member(employee, "district");
  if (district != NULL && !in_districts(districts, district)) {
    g_autofree char *list = g_strjoinv(", ", (char **)districts);
    g_autofree char *message =
        g_strdup_printf("\"%s\" is outside your districts (expected one of %s)", district, list);
    add_problem(import, row, "district", message);
  }
  if (id == NULL || !model_id_is_valid(id))
    return TRUE;
  gint at = model_dataset_find_employee(own, id);
  if (at >= 0) {
    const ModelEmployee *stored = &g_array_index(own->employees, ModelEmployee, at);
    if (in_districts(districts, stored->district_id)) {
      import->updated++;
    } else {
      g_autofree char *message = g_strdup_printf(
          "employee \"%s\" is outside your districts (expected one of your districts' employees)",
          id);
      add_problem(import, row, "id", message);
    }
    return TRUE;
  }
  ModelQuery query;
  model_query_init(&query);
  query.id = id;
  g_autoptr(ModelDataset) found = model_store_query_employees(store, &query, error);
  if (found == NULL)
    return FALSE;
  if (found->employees->len == 0) {
    import->created++;
  } else {
    g_autofree char *message = g_strdup_printf(
        "\"%s\" is already taken (expected an id of your own employees or a new one)", id);
    add_problem(import, row, "id", message);
  }
  return TRUE;
}

ApiCsvImport *api_csv_import_check(ModelStore *store, const char *organisation,
                                   const char *const *districts, const char *text, gsize length,
                                   GError **error) {
  g_return_val_if_fail(store != NULL && organisation != NULL, NULL);
  g_autoptr(ModelDataset) context = api_context_load(store, NULL, organisation, error);
  if (context == NULL)
    return NULL;
  if (model_dataset_find_organisation(context, organisation) < 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no organisation with id \"%s\"",
                organisation);
    return NULL;
  }
  g_autoptr(ApiCsvImport) import = g_new0(ApiCsvImport, 1);
  import->problems = model_problems_new();
  import->read = model_csv_read_employees(text, length, context, organisation, import->problems);
  guint read_problems = import->problems->len;
  ModelQuery query;
  model_query_init(&query);
  query.organisation = organisation;
  g_autoptr(ModelDataset) own = model_store_query_employees(store, &query, error);
  if (own == NULL)
    return NULL;
  size_t n = json_object_array_length(import->read->employees);
  for (size_t i = 0; i < n; i++) {
    if (!check_row(store, import, json_object_array_get_idx(import->read->employees, i), own,
                   districts, error))
      return NULL;
  }
  if (import->problems->len > read_problems) {
    g_clear_pointer(&import->read->dataset, model_dataset_free);
    model_csv_employees_sort_problems(import->read, import->problems);
  }
  return g_steal_pointer(&import);
}

gboolean api_csv_import_store(ModelStore *store, const ApiCsvImport *import, const char *actor,
                              gint64 now, GError **error) {
  g_return_val_if_fail(import->problems->len == 0 && import->read->dataset != NULL, FALSE);
  return model_store_employees_import(store, import->read->dataset, actor, now, error);
}

json_object *api_csv_problem_json(const ModelProblem *problem) {
  json_object *item = json_object_new_object();
  g_auto(GStrv) parts = g_strsplit(problem->pointer, "/", 2);
  guint64 row = 0;
  if (parts[0] != NULL && g_ascii_string_to_unsigned(parts[0], 10, 1, G_MAXUINT32, &row, NULL))
    json_object_object_add(item, "row", json_object_new_int64((gint64)row));
  if (parts[0] != NULL && parts[1] != NULL)
    json_object_object_add(item, "column", json_object_new_string(parts[1]));
  g_autofree char *pointer = g_strconcat("/", problem->pointer, NULL);
  json_object_object_add(item, "pointer", json_object_new_string(pointer));
  json_object_object_add(item, "message", json_object_new_string(problem->message));
  return item;
}

json_object *api_csv_import_json(const ApiCsvImport *import) {
  json_object *body = json_object_new_object();
  json_object_object_add(body, "created", json_object_new_int64(import->created));
  json_object_object_add(body, "updated", json_object_new_int64(import->updated));
  json_object_object_add(body, "employees", json_object_get(import->read->employees));
  json_object *problems = json_object_new_array();
  for (guint i = 0; i < import->problems->len; i++)
    json_object_array_add(problems, api_csv_problem_json(g_ptr_array_index(import->problems, i)));
  json_object_object_add(body, "problems", problems);
  return body;
}
