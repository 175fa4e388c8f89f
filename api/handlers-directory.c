/* handlers-directory.c: the directory every role may read: districts, schools and
 * childcare organisations (public facts: names, BRIN and LRK numbers, places; a
 * contact only to the coordinator and to the school or organisation itself), as paginated lists
 * sorted by id, plus one school by id, and the caller's own place in it (GET /v1/me: the token's
 * role and scope, named, so a client knows whom it serves before any request or employee exists;
 * and the server's today with how many days confirmed availability stays fresh).
 * A district comes with its outline (null without one).  Schools can be filtered by district.  Each
 * page is read from the store as it is answered: the rows after the cursor, in id order, one more
 * than the page to know whether more follow.
 */
#include <string.h>

#include "entity-codec.h"
#include "handlers.h"

/* Answers a page of one kind of directory object (filtered by `district` when not
 * NULL). */
static void respond_list(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                         const ApiEntity *entity, const char *district) {
  ApiPage page;
  if (!api_page_init(&page, request, response))
    return;
  ModelQuery query;
  api_page_query(&page, &query);
  query.district = district;
  api_entity_list(services, request, response, entity, &page, &query);
}

/* A district as in a dataset, with "outline": null when it has none, so that a client
 * tells "no outline" from a server that does not know outlines. */
static json_object *encode_district(const ModelDataset *dataset, const ApiPrincipal *principal,
                                    gconstpointer object) {
  (void)dataset;
  (void)principal;
  const ModelDistrict *district = object;
  json_object *encoded = model_json_encode_district(district);
  if (district->outline == NULL)
    model_json_put(encoded, "outline", NULL);
  return encoded;
}

/* A contact is for coordination: the coordinator and the school or organisation
 * itself see it, other schools and organisations do not. */
static json_object *without_contact(json_object *object, gboolean shown) {
  if (!shown)
    json_object_object_del(object, "contact");
  return object;
}

static json_object *encode_school(const ModelDataset *dataset, const ApiPrincipal *principal,
                                  gconstpointer object) {
  (void)dataset;
  const ModelSchool *school = object;
  return without_contact(model_json_encode_school(school),
                         principal->role == MODEL_ROLE_COORDINATOR ||
                             g_strcmp0(principal->school_id, school->id) == 0);
}

static json_object *encode_organisation(const ModelDataset *dataset, const ApiPrincipal *principal,
                                        gconstpointer object) {
  (void)dataset;
  const ModelOrganisation *organisation = object;
  return without_contact(model_json_encode_organisation(organisation),
                         principal->role == MODEL_ROLE_COORDINATOR ||
                             g_strcmp0(principal->organisation_id, organisation->id) == 0);
}

/* The directory is public: every role sees all of it. */
static const ApiEntity districts = {"district", model_store_query_districts,
                                    G_STRUCT_OFFSET(ModelDataset, districts), NULL,
                                    encode_district};
static const ApiEntity schools = {"school", model_store_query_schools,
                                  G_STRUCT_OFFSET(ModelDataset, schools), NULL, encode_school};
static const ApiEntity organisations = {"organisation", model_store_query_organisations,
                                        G_STRUCT_OFFSET(ModelDataset, organisations), NULL,
                                        encode_organisation};

void api_handle_districts(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  respond_list(services, request, response, &districts, NULL);
}

void api_handle_schools(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  respond_list(services, request, response, &schools, api_query(request, "district"));
}

void api_handle_school(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  api_entity_get(services, request, response, &schools);
}

void api_handle_organisations(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response) {
  respond_list(services, request, response, &organisations, NULL);
}

/* ---- the caller ---------------------------------------------------------- */

/* {"id", "name"} of one object whose name may be unknown (NULL). */
static json_object *named(const char *id, const char *name) {
  json_object *object = json_object_new_object();
  json_object_object_add(object, "id", json_object_new_string(id));
  json_object_object_add(object, "name", name != NULL ? json_object_new_string(name) : NULL);
  return object;
}

/* The school of a school token: {"id", "name", "district"} (name and district null
 * when the school is gone); FALSE after answering. */
static gboolean add_school(ApiServices *services, ApiResponse *response, const char *id,
                           json_object *body) {
  g_autoptr(ModelDataset) dataset = api_read_id(services, response, model_store_query_schools, id);
  if (dataset == NULL)
    return FALSE;
  const ModelSchool *school =
      dataset->schools->len > 0 ? &g_array_index(dataset->schools, ModelSchool, 0) : NULL;
  json_object *object = named(id, school != NULL ? school->name : NULL);
  json_object_object_add(object, "district",
                         school != NULL ? json_object_new_string(school->district_id) : NULL);
  json_object_object_add(body, "school", object);
  return TRUE;
}

static gboolean add_organisation(ApiServices *services, ApiResponse *response, const char *id,
                                 json_object *body) {
  g_autoptr(ModelDataset) dataset =
      api_read_id(services, response, model_store_query_organisations, id);
  if (dataset == NULL)
    return FALSE;
  const ModelOrganisation *organisation =
      dataset->organisations->len > 0 ? &g_array_index(dataset->organisations, ModelOrganisation, 0)
                                      : NULL;
  json_object_object_add(body, "organisation",
                         named(id, organisation != NULL ? organisation->name : NULL));
  return TRUE;
}

static int compare_ids(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A coordinator's districts by id: every district, or those the token lists (one
 * that no longer exists keeps its id with a null name); FALSE after answering. */
static gboolean add_districts(ApiServices *services, ApiResponse *response,
                              const ApiPrincipal *principal, json_object *body) {
  g_autoptr(ModelDataset) dataset =
      api_read_id(services, response, model_store_query_districts, NULL);
  if (dataset == NULL)
    return FALSE;
  json_object *list = json_object_new_array();
  if (principal->districts == NULL) {
    for (guint i = 0; i < dataset->districts->len; i++) {
      const ModelDistrict *d = &g_array_index(dataset->districts, ModelDistrict, i);
      json_object_array_add(list, named(d->id, d->name));
    }
  } else {
    g_autoptr(GPtrArray) ids = g_ptr_array_new();
    for (gsize i = 0; principal->districts[i] != NULL; i++)
      g_ptr_array_add(ids, principal->districts[i]);
    g_ptr_array_sort(ids, compare_ids);
    for (guint i = 0; i < ids->len; i++) {
      const char *id = g_ptr_array_index(ids, i);
      if (i > 0 && g_str_equal(id, g_ptr_array_index(ids, i - 1)))
        continue;
      gint d = model_dataset_find_district(dataset, id);
      json_object_array_add(
          list,
          named(id, d >= 0 ? g_array_index(dataset->districts, ModelDistrict, d).name : NULL));
    }
  }
  json_object_object_add(body, "all_districts",
                         json_object_new_boolean(principal->districts == NULL));
  json_object_object_add(body, "districts", list);
  return TRUE;
}

void api_handle_me(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  const ApiPrincipal *principal = request->principal;
  json_object *body = json_object_new_object();
  json_object_object_add(body, "role", json_object_new_string(model_role_name(principal->role)));
  gboolean ok = TRUE;
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    ok = add_school(services, response, principal->school_id, body);
    break;
  case MODEL_ROLE_ORGANISATION:
    ok = add_organisation(services, response, principal->organisation_id, body);
    break;
  case MODEL_ROLE_COORDINATOR:
  default:
    ok = add_districts(services, response, principal, body);
    break;
  }
  if (!ok) {
    json_object_put(body);
    return;
  }
  /* The server's today and how long confirmed availability counts for rounds, so a
   * page dates what is stale as the server does (also with --today). */
  char today[11];
  model_date_format(api_services_today(services), today);
  json_object_object_add(body, "today", json_object_new_string(today));
  json_object_object_add(body, "stale_after_days",
                         json_object_new_int64(api_services_stale_after_days(services)));
  api_response_json(response, 200, body);
}
