/* handlers-locations.c: the childcare locations of organisations and the figures each
 * gives per day part (its own children expected and staff present, or the staff it
 * can lend), which limit what a round proposes (H7).  An organisation reads its own
 * locations and replaces their figures; a coordinator reads the locations in their
 * districts (a location without a district only with a token for every district);
 * a school reads none (403).  Figures go through the dataset codec, so the API and an
 * import file are held to the same rules, with the same messages and pointers.
 */
#include "entity-codec.h"
#include "handlers.h"

static const guint write_roles = API_ROLE_BIT(MODEL_ROLE_ORGANISATION);

static json_object *location_view(const ModelDataset *dataset, const ApiPrincipal *principal,
                                  gconstpointer object) {
  (void)dataset;
  (void)principal;
  return model_json_encode_location(object);
}

/* A location is read with its load; seen by its organisation and by the coordinators
 * of its district (one without a district by a coordinator of every district). */
static const ApiEntity locations = API_OWNED_ENTITY("location", ModelLocation, locations,
                                                    model_store_query_locations, location_view);

void api_handle_locations_list(ApiServices *services, const ApiRequest *request,
                               ApiResponse *response) {
  ApiList list;
  if (api_owned_list_begin(&list, request, response, &locations))
    api_entity_list(services, request, response, &locations, &list.page, &list.query);
}

void api_handle_location_get(ApiServices *services, const ApiRequest *request,
                             ApiResponse *response) {
  api_entity_get(services, request, response, &locations);
}

static gboolean write_load(ModelStore *store, gconstpointer location, const char *actor, gint64 now,
                           GError **error) {
  return model_store_location_set_load(store, location, actor, now, error);
}

/* PUT /v1/locations/{id}/load: the body is the location's whole load (an array of
 * entries as FORMAT.md has them), which replaces what was stored. */
void api_handle_location_load(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  if (!api_require_role(request, response, write_roles, "change a location's figures"))
    return;
  json_object *body = api_body(request, response, json_type_array, FALSE, NULL);
  if (body == NULL)
    return;
  gconstpointer object = NULL;
  g_autoptr(ModelDataset) found = api_entity_read(services, request, response, &locations, &object);
  if (found == NULL) {
    json_object_put(body);
    return;
  }
  const ModelLocation *stored = object;
  json_object *merged = model_json_encode_location(stored);
  json_object_object_add(merged, "load", body); /* takes the body */
  g_autoptr(ModelDataset) context =
      api_read_context(services, response, NULL, stored->organisation_id);
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelLocation *changed = NULL;
  if (context != NULL) {
    /* The location is checked on its own: drop the stored one the context holds. */
    gint at = model_dataset_find_location(context, stored->id);
    if (at >= 0)
      g_array_remove_index(context->locations, (guint)at);
    model_dataset_index(context);
    changed = model_json_decode_location(context, merged, problems);
    if (changed == NULL)
      api_respond_problems(response, problems, "load", "");
  }
  json_object_put(merged);
  if (changed != NULL &&
      api_write_as(services, request, response, write_load, changed, API_ERROR_CONFLICT))
    api_response_json(response, 200, model_json_encode_location(changed));
}
