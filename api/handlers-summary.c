/* handlers-summary.c: GET /v1/summary, the coordinator's figures per district and in
 * total: exactly the rows of `handen summary` (model_summary(), where needed,
 * proposed, approved and open are defined once), so the dashboard, the command line
 * and the API never disagree.  A coordinator sees the districts in scope, or the one
 * asked for with `district`; the total is over the rows answered.
 */
#include "handlers.h"

/* Adds the figures of `row` to `object` and returns it. */
static json_object *figures(json_object *object, const ModelDistrictSummary *row) {
  const struct {
    const char *key;
    gint64 value;
  } fields[] = {
      {"schools", row->schools},
      {"requests", row->open_requests},
      {"needed", row->staff_slots_needed},
      {"proposed", row->staff_slots_proposed},
      {"approved", row->staff_slots_approved},
      {"open", row->staff_slots_open},
      {"employees", row->employees},
      {"available", row->available_staff_slots},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++)
    json_object_object_add(object, fields[i].key, json_object_new_int64(fields[i].value));
  return object;
}

void api_handle_summary(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  if (!api_require_role(request, response, API_ROLE_BIT(MODEL_ROLE_COORDINATOR),
                        "read the summary"))
    return;
  const char *wanted = api_query(request, "district");
  g_autoptr(ModelDataset) dataset = api_load_all(services, response);
  if (dataset == NULL)
    return;
  guint n = dataset->districts->len;
  g_autofree gboolean *include = g_new0(gboolean, MAX(n, 1));
  guint included = 0;
  for (guint d = 0; d < n; d++) {
    const char *id = g_array_index(dataset->districts, ModelDistrict, d).id;
    include[d] =
        api_in_districts(request->principal, id) && (wanted == NULL || g_strcmp0(wanted, id) == 0);
    included += include[d] ? 1 : 0;
  }
  if (wanted != NULL && included == 0) {
    api_not_found(response, "district", wanted);
    return;
  }
  g_autoptr(GArray) rows = model_summary(dataset, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  json_object *districts = json_object_new_array();
  for (guint i = 0; i < rows->len; i++) {
    const ModelDistrictSummary *row = &g_array_index(rows, ModelDistrictSummary, i);
    if (!include[row->district])
      continue;
    const ModelDistrict *district =
        &g_array_index(dataset->districts, ModelDistrict, row->district);
    json_object *item = json_object_new_object();
    json_object_object_add(item, "district", json_object_new_string(district->id));
    json_object_object_add(item, "name", json_object_new_string(district->name));
    json_object_array_add(districts, figures(item, row));
  }
  ModelDistrictSummary total = model_summary_total(rows, include);
  json_object *body = json_object_new_object();
  json_object_object_add(body, "districts", districts);
  json_object_object_add(body, "total", figures(json_object_new_object(), &total));
  api_response_json(response, 200, body);
}
