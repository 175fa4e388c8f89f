/* handlers-directory.c: the directory every role may read: districts, schools and
 * childcare organisations (public facts: names, BRIN and LRK numbers, places; no
 * personal data), as paginated lists sorted by id, plus one school by id.  Schools
 * can be filtered by district.
 */
#include "handlers.h"

void api_handle_districts(ApiServices *services, const ApiRequest *request,
                          ApiResponse *response) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  g_autoptr(ModelDataset) dataset = api_load(services, response);
  if (dataset == NULL) {
    api_page_clear(&page);
    return;
  }
  for (guint i = 0; i < dataset->districts->len; i++) {
    const ModelDistrict *d = &g_array_index(dataset->districts, ModelDistrict, i);
    if (api_page_wants(&page, d->id))
      api_page_add(&page, d->id, api_json_district(d));
  }
  api_page_respond(&page, response);
}

void api_handle_schools(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  g_autoptr(ModelDataset) dataset = api_load(services, response);
  if (dataset == NULL) {
    api_page_clear(&page);
    return;
  }
  const char *district = api_query(request, "district");
  for (guint i = 0; i < dataset->schools->len; i++) {
    const ModelSchool *s = &g_array_index(dataset->schools, ModelSchool, i);
    if (district != NULL && g_strcmp0(s->district_id, district) != 0)
      continue;
    if (api_page_wants(&page, s->id))
      api_page_add(&page, s->id, api_json_school(s));
  }
  api_page_respond(&page, response);
}

void api_handle_school(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) dataset = api_load(services, response);
  if (dataset == NULL)
    return;
  gint s = model_dataset_find_school(dataset, id);
  if (s < 0) {
    api_not_found(response, "school", id);
    return;
  }
  api_response_json(response, 200, api_json_school(&g_array_index(dataset->schools, ModelSchool, s)));
}

void api_handle_organisations(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  g_autoptr(ModelDataset) dataset = api_load(services, response);
  if (dataset == NULL) {
    api_page_clear(&page);
    return;
  }
  for (guint i = 0; i < dataset->organisations->len; i++) {
    const ModelOrganisation *o = &g_array_index(dataset->organisations, ModelOrganisation, i);
    if (api_page_wants(&page, o->id))
      api_page_add(&page, o->id, api_json_organisation(o));
  }
  api_page_respond(&page, response);
}
