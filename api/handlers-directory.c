/* handlers-directory.c: the directory every role may read: districts, schools and
 * childcare organisations (public facts: names, BRIN and LRK numbers, places; no
 * personal data), as paginated lists sorted by id, plus one school by id.  Schools
 * can be filtered by district.  Each page is read from the store as it is answered:
 * the rows after the cursor, in id order, one more than the page to know whether more
 * follow.
 */
#include "handlers.h"

/* Answers a page of one kind of directory object read with `func` (filtered by
 * `district` when not NULL); `array_offset` picks the dataset's array and `encode`
 * writes one object. */
typedef json_object *(*EncodeFunc)(gconstpointer object);

static void respond_list(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                         ApiQueryFunc func, const char *district, gsize array_offset,
                         EncodeFunc encode) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  ModelQuery query;
  model_query_init(&query);
  api_page_query(&page, &query);
  query.district = district;
  g_autoptr(ModelDataset) dataset = api_read(services, response, func, &query);
  if (dataset == NULL) {
    api_page_clear(&page);
    return;
  }
  GArray *objects = G_STRUCT_MEMBER(GArray *, dataset, array_offset);
  gsize size = g_array_get_element_size(objects);
  for (guint i = 0; i < objects->len; i++) {
    gconstpointer object = objects->data + (gsize)i * size;
    const char *id = *(char *const *)object; /* every entity starts with its id */
    if (api_page_wants(&page, id))
      api_page_add(&page, id, encode(object));
  }
  api_page_respond(&page, response);
}

static json_object *encode_district(gconstpointer object) {
  return api_json_district(object);
}

static json_object *encode_school(gconstpointer object) {
  return api_json_school(object);
}

static json_object *encode_organisation(gconstpointer object) {
  return api_json_organisation(object);
}

void api_handle_districts(ApiServices *services, const ApiRequest *request,
                          ApiResponse *response) {
  respond_list(services, request, response, model_store_query_districts, NULL,
               G_STRUCT_OFFSET(ModelDataset, districts), encode_district);
}

void api_handle_schools(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  respond_list(services, request, response, model_store_query_schools,
               api_query(request, "district"), G_STRUCT_OFFSET(ModelDataset, schools),
               encode_school);
}

void api_handle_school(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  const char *id = g_hash_table_lookup(request->params, "id");
  ModelQuery query;
  model_query_init(&query);
  query.id = id;
  g_autoptr(ModelDataset) dataset =
      api_read(services, response, model_store_query_schools, &query);
  if (dataset == NULL)
    return;
  if (dataset->schools->len == 0) {
    api_not_found(response, "school", id);
    return;
  }
  api_response_json(response, 200, api_json_school(&g_array_index(dataset->schools, ModelSchool, 0)));
}

void api_handle_organisations(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  respond_list(services, request, response, model_store_query_organisations, NULL,
               G_STRUCT_OFFSET(ModelDataset, organisations), encode_organisation);
}
