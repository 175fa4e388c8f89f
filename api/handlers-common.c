/* handlers-common.c: the checks and plumbing every resource handler shares: roles and
 * district scope, the store of the calling thread, request bodies, query parameters,
 * 422 answers built from the codec's problems, and cursor pagination.  Invariants:
 * every helper that returns FALSE or NULL has filled the response; a list page holds
 * at most API_MAX_PAGE items and its cursor is the last id it returned.
 */
#include <string.h>

#include "csv-import.h"
#include "handlers.h"

gboolean api_require_role(const ApiRequest *request, ApiResponse *response, guint roles,
                          const char *what) {
  g_assert(request->principal != NULL);
  if (roles & API_ROLE_BIT(request->principal->role))
    return TRUE;
  api_response_fail(response, API_ERROR_FORBIDDEN, NULL, "a %s token cannot %s",
                    model_role_name(request->principal->role), what);
  return FALSE;
}

gboolean api_organisation_visible(const ApiPrincipal *principal, const char *organisation,
                                  const char *district) {
  if (principal->role == MODEL_ROLE_ORGANISATION)
    return g_strcmp0(organisation, principal->organisation_id) == 0;
  return principal->role == MODEL_ROLE_COORDINATOR &&
         (principal->districts == NULL || api_in_districts(principal, district));
}

gboolean api_in_districts(const ApiPrincipal *principal, const char *district) {
  if (principal->role != MODEL_ROLE_COORDINATOR || district == NULL)
    return FALSE;
  return principal->districts == NULL ||
         g_strv_contains((const char *const *)principal->districts, district);
}

char *api_actor(const ApiPrincipal *principal) {
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    return g_strdup_printf("school %s token %s", principal->school_id, principal->token_id);
  case MODEL_ROLE_ORGANISATION:
    return g_strdup_printf("organisation %s token %s", principal->organisation_id,
                           principal->token_id);
  case MODEL_ROLE_COORDINATOR:
  default:
    return g_strdup_printf("coordinator token %s", principal->token_id);
  }
}

void api_not_found(ApiResponse *response, const char *kind, const char *id) {
  api_response_fail(response, API_ERROR_NOT_FOUND, NULL, "no %s with id \"%s\"", kind, id);
}

ModelStore *api_store(ApiServices *services, ApiResponse *response) {
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_services_store(services, &error);
  if (store == NULL) {
    g_message("store: %s", error->message);
    api_response_fail(response, API_ERROR_UNAVAILABLE, NULL, "the store is unavailable");
  }
  return store;
}

ModelStore *api_write_begin(ApiServices *services, ApiResponse *response) {
  ModelStore *store = api_store(services, response);
  if (store != NULL)
    api_services_lock_writes(services);
  return store;
}

gboolean api_write_end(ApiServices *services, ApiResponse *response, gboolean ok,
                       const GError *error, ApiError conflict) {
  api_services_unlock_writes(services);
  if (!ok)
    api_respond_store_error(response, error, conflict);
  /* The write changed the store anyway: the noted token uses go with it. */
  api_services_flush_token_uses(services);
  return ok;
}

gboolean api_write_as(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                      ApiWriteFunc write, gconstpointer data, ApiError conflict) {
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = api_actor(request->principal);
  ModelStore *store = api_write_begin(services, response);
  if (store == NULL)
    return FALSE;
  gboolean ok = write(store, data, actor, api_services_now(), &error);
  return api_write_end(services, response, ok, error, conflict);
}

ModelScope api_scope(const ApiPrincipal *principal) {
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    return (ModelScope){.school = principal->school_id};
  case MODEL_ROLE_ORGANISATION:
    return (ModelScope){.organisation = principal->organisation_id};
  case MODEL_ROLE_COORDINATOR:
  default:
    return (ModelScope){.districts = (const char *const *)principal->districts};
  }
}

ModelDataset *api_load_all(ApiServices *services, ApiResponse *response) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  ModelDataset *dataset = model_store_load(store, &error);
  if (dataset == NULL)
    api_response_gerror(response, error);
  return dataset;
}

ModelDataset *api_read(ApiServices *services, ApiResponse *response, ApiQueryFunc func,
                       const ModelQuery *query) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  ModelDataset *dataset = func(store, query, &error);
  if (dataset == NULL)
    api_response_gerror(response, error);
  return dataset;
}

ModelDataset *api_read_id(ApiServices *services, ApiResponse *response, ApiQueryFunc func,
                          const char *id) {
  ModelQuery query;
  model_query_init(&query);
  query.id = id;
  return api_read(services, response, func, &query);
}

ModelDataset *api_read_assignments(ApiServices *services, ApiResponse *response,
                                   const ModelQuery *query, GHashTable **out_rounds) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  ModelDataset *dataset = model_store_query_assignments(store, query, out_rounds, &error);
  if (dataset == NULL)
    api_response_gerror(response, error);
  return dataset;
}

void api_move_all(GArray *to, GArray *from) {
  gsize n = 0;
  gpointer data = g_array_steal(from, &n);
  g_array_append_vals(to, data, (guint)n);
  g_free(data);
}

ModelDataset *api_read_context(ApiServices *services, ApiResponse *response, const char *school,
                               const char *organisation) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return NULL;
  g_autoptr(GError) error = NULL;
  ModelDataset *context = api_context_load(store, school, organisation, &error);
  if (context == NULL)
    api_response_gerror(response, error);
  return context;
}

static const char *type_name(json_type type) {
  switch (type) {
  case json_type_object:
    return "an object";
  case json_type_array:
    return "an array";
  default:
    return "a JSON value";
  }
}

json_object *api_body(const ApiRequest *request, ApiResponse *response, json_type type,
                      gboolean optional, gboolean *out_present) {
  if (out_present != NULL)
    *out_present = request->body_length > 0;
  if (request->body_length == 0) {
    if (!optional)
      api_response_fail(response, API_ERROR_INVALID, NULL, "the body is missing (expected %s)",
                        type_name(type));
    return NULL;
  }
  /* The router has checked that the body is one well-formed JSON value. */
  json_object *value = json_tokener_parse(request->body);
  if (type != json_type_null && !json_object_is_type(value, type)) {
    json_object_put(value);
    api_response_fail(response, API_ERROR_INVALID, NULL, "the body must be %s", type_name(type));
    return NULL;
  }
  return value;
}

/* `pointer` made relative to the body: `prefix` cut, `replace` put in front, a
 * leading '/' ensured (transfer full). */
static char *body_pointer(const char *pointer, const char *prefix, const char *replace) {
  const char *rest = pointer;
  if (prefix != NULL && g_str_has_prefix(pointer, prefix))
    rest = pointer + strlen(prefix);
  while (rest[0] == '/')
    rest++;
  if (rest[0] == '\0')
    return replace[0] != '\0' ? g_strdup(replace) : NULL;
  return g_strdup_printf("%s/%s", replace, rest);
}

void api_respond_problems(ApiResponse *response, GPtrArray *problems, const char *prefix,
                          const char *replace) {
  g_assert(problems->len > 0);
  json_object *list = json_object_new_array();
  char *first_pointer = NULL;
  const char *first_message = NULL;
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    char *pointer = body_pointer(problem->pointer, prefix, replace);
    json_object *item = json_object_new_object();
    json_object_object_add(item, "pointer", json_object_new_string(pointer != NULL ? pointer : ""));
    json_object_object_add(item, "message", json_object_new_string(problem->message));
    json_object_array_add(list, item);
    if (i == 0) {
      first_pointer = pointer;
      first_message = problem->message;
    } else {
      g_free(pointer);
    }
  }
  api_response_problems(response, API_ERROR_INVALID, first_pointer, first_message, list);
  g_free(first_pointer);
}

void api_respond_store_error(ApiResponse *response, const GError *error, ApiError conflict) {
  if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_CONFLICT))
    api_response_fail(response, conflict, NULL, "%s", error->message);
  else
    api_response_gerror(response, error);
}

const char *api_query(const ApiRequest *request, const char *name) {
  return g_hash_table_lookup(request->query, name);
}

gboolean api_query_date(const ApiRequest *request, ApiResponse *response, const char *name,
                        ModelDate *out) {
  const char *text = api_query(request, name);
  if (text == NULL)
    return TRUE;
  if (!model_date_parse(text, out)) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter %s: \"%s\" is not a valid date (expected YYYY-MM-DD)", name,
                      text);
    return FALSE;
  }
  return TRUE;
}

/* ---- pagination ------------------------------------------------------------ */

char *api_cursor_encode(const char *id) {
  char *text = g_base64_encode((const guchar *)id, strlen(id));
  for (char *c = text; *c != '\0'; c++) {
    if (*c == '+')
      *c = '-';
    else if (*c == '/')
      *c = '_';
    else if (*c == '=')
      *c = '\0';
  }
  return text;
}

/* The id inside a cursor (transfer full), or NULL when it is not one of ours. */
static char *cursor_decode(const char *cursor) {
  gsize n = strlen(cursor);
  if (n == 0 || n > 4 * ((MODEL_ID_MAX + 2) / 3))
    return NULL;
  GString *text = g_string_new(NULL);
  for (gsize i = 0; i < n; i++) {
    char c = cursor[i];
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (!g_ascii_isalnum(c)) {
      g_string_free(text, TRUE);
      return NULL;
    }
    g_string_append_c(text, c);
  }
  while (text->len % 4 != 0)
    g_string_append_c(text, '=');
  gsize length = 0;
  guchar *bytes = g_base64_decode(text->str, &length);
  g_string_free(text, TRUE);
  char *id = g_strndup((const char *)bytes, length);
  g_free(bytes);
  if (strlen(id) != length || !model_id_is_valid(id)) {
    g_free(id);
    return NULL;
  }
  return id;
}

gboolean api_page_init(ApiPage *page, const ApiRequest *request, ApiResponse *response) {
  *page = (ApiPage){.limit = API_DEFAULT_PAGE};
  const char *limit = api_query(request, "limit");
  if (limit != NULL) {
    guint64 value = 0;
    if (!g_ascii_string_to_unsigned(limit, 10, 1, API_MAX_PAGE, &value, NULL)) {
      api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                        "query parameter limit: \"%.20s\" is not an integer from 1 to %d", limit,
                        API_MAX_PAGE);
      return FALSE;
    }
    page->limit = (guint)value;
  }
  const char *cursor = api_query(request, "cursor");
  if (cursor != NULL && (page->after = cursor_decode(cursor)) == NULL) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter cursor: not a cursor this API gave out");
    return FALSE;
  }
  page->items = json_object_new_array();
  return TRUE;
}

gboolean api_list_begin(ApiList *list, const ApiRequest *request, ApiResponse *response,
                        guint roles, const char *what) {
  if (!api_require_role(request, response, roles, what) ||
      !api_page_init(&list->page, request, response))
    return FALSE;
  list->scope = api_scope(request->principal);
  api_page_query(&list->page, &list->query);
  list->query.scope = &list->scope;
  return TRUE;
}

/* api_page_init() for a list with numeric ids: the cursor as an integer of at least
 * `min` into *out_cursor (0 without a cursor), and the thread's store.  NULL after
 * answering (400 or 503), the page then cleared. */
static ModelStore *page_init_numeric(ApiPage *page, ApiServices *services,
                                     const ApiRequest *request, ApiResponse *response, gint64 min,
                                     gint64 *out_cursor) {
  if (!api_page_init(page, request, response))
    return NULL;
  *out_cursor = 0;
  if (page->after != NULL &&
      !g_ascii_string_to_signed(page->after, 10, min, G_MAXINT64, out_cursor, NULL)) {
    api_page_clear(page);
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter cursor: not a cursor this API gave out");
    return NULL;
  }
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    api_page_clear(page);
  return store;
}

void api_page_refuse(ApiPage *page, ApiResponse *response, const char *name, const char *expected) {
  api_page_clear(page);
  api_response_fail(response, API_ERROR_BAD_REQUEST, NULL, "query parameter %s: expected %s", name,
                    expected);
}

void api_page_query(const ApiPage *page, ModelQuery *query) {
  model_query_init(query);
  query->after = page->after;
  query->limit = page->limit + 1;
}

gboolean api_page_wants(ApiPage *page, const char *id) {
  if (page->after != NULL && strcmp(id, page->after) <= 0)
    return FALSE;
  if (json_object_array_length(page->items) >= page->limit) {
    page->more = TRUE;
    return FALSE;
  }
  return TRUE;
}

void api_page_add(ApiPage *page, const char *id, json_object *item) {
  g_assert(page->last == NULL || strcmp(page->last, id) < 0);
  json_object_array_add(page->items, item);
  g_free(page->last);
  page->last = g_strdup(id);
}

void api_list_numbered(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                       const ApiNumberedList *list) {
  ApiPage page;
  gint64 cursor = 0;
  ModelStore *store = page_init_numeric(&page, services, request, response, list->min, &cursor);
  if (store == NULL)
    return;
  g_autoptr(GError) error = NULL;
  /* One more than the page holds tells whether more follow. */
  g_autoptr(GPtrArray) objects = list->fetch(store, request, cursor, page.limit + 1, &error);
  if (objects == NULL) {
    api_page_clear(&page);
    api_response_gerror(response, error);
    return;
  }
  guint shown = MIN(objects->len, page.limit);
  for (guint i = 0; i < shown; i++) {
    gint64 id = 0;
    json_object_array_add(page.items, list->view(g_ptr_array_index(objects, i), &id));
    g_free(page.last);
    page.last = g_strdup_printf("%" G_GINT64_FORMAT, id); /* the last shown is the cursor */
  }
  page.more = objects->len > page.limit;
  json_object *head = list->head != NULL ? list->head(services, store, &error) : NULL;
  if (list->head != NULL && head == NULL) {
    api_page_clear(&page);
    api_response_gerror(response, error);
    return;
  }
  api_page_respond_with(&page, response, head != NULL ? head : json_object_new_object());
}

void api_page_respond(ApiPage *page, ApiResponse *response) {
  api_page_respond_with(page, response, json_object_new_object());
}

void api_page_respond_with(ApiPage *page, ApiResponse *response, json_object *body) {
  json_object_object_add(body, "items", g_steal_pointer(&page->items));
  if (page->more && page->last != NULL) {
    g_autofree char *cursor = api_cursor_encode(page->last);
    json_object_object_add(body, "next_cursor", json_object_new_string(cursor));
  } else {
    json_object_object_add(body, "next_cursor", NULL);
  }
  api_response_json(response, 200, body);
  api_page_clear(page);
}

void api_page_clear(ApiPage *page) {
  g_clear_pointer(&page->after, g_free);
  g_clear_pointer(&page->last, g_free);
  g_clear_pointer(&page->items, json_object_put);
}

/* ---- one kind of object ------------------------------------------------ */

static GArray *entity_objects(const ApiEntity *entity, const ModelDataset *dataset) {
  return G_STRUCT_MEMBER(GArray *, dataset, entity->array);
}

static gconstpointer entity_at(GArray *objects, guint i) {
  return objects->data + (gsize)i * g_array_get_element_size(objects);
}

static const char *entity_id(gconstpointer object) {
  return *(char *const *)object; /* every entity starts with its id */
}

static gboolean entity_visible(const ApiEntity *entity, const ModelDataset *dataset,
                               const ApiPrincipal *principal, gconstpointer object) {
  if (entity->owned) {
    const char *organisation = G_STRUCT_MEMBER(const char *, object, entity->organisation_member);
    const char *district = G_STRUCT_MEMBER(const char *, object, entity->district_member);
    return api_organisation_visible(principal, organisation, district);
  }
  return entity->visible == NULL || entity->visible(dataset, principal, object);
}

ModelDataset *api_entity_read(ApiServices *services, const ApiRequest *request,
                              ApiResponse *response, const ApiEntity *entity,
                              gconstpointer *out_object) {
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) dataset = api_read_id(services, response, entity->query, id);
  if (dataset == NULL)
    return NULL;
  GArray *objects = entity_objects(entity, dataset);
  for (guint i = 0; i < objects->len; i++) {
    gconstpointer object = entity_at(objects, i);
    if (g_strcmp0(entity_id(object), id) != 0)
      continue;
    if (!entity_visible(entity, dataset, request->principal, object))
      break;
    *out_object = object;
    return g_steal_pointer(&dataset);
  }
  api_not_found(response, entity->kind, id);
  return NULL;
}

void api_entity_get(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                    const ApiEntity *entity) {
  if (entity->read_roles != 0 &&
      !api_require_role(request, response, entity->read_roles, entity->read_what))
    return;
  gconstpointer object = NULL;
  g_autoptr(ModelDataset) dataset = api_entity_read(services, request, response, entity, &object);
  if (dataset != NULL)
    api_response_json(response, 200, entity->view(dataset, request->principal, object));
}

gboolean api_owned_list_begin(ApiList *list, const ApiRequest *request, ApiResponse *response,
                              const ApiEntity *entity) {
  g_return_val_if_fail(entity->owned, FALSE);
  if (!api_list_begin(list, request, response, entity->read_roles, entity->read_what))
    return FALSE;
  list->query.organisation = api_query(request, "organisation");
  return TRUE;
}

void api_entity_list(ApiServices *services, const ApiRequest *request, ApiResponse *response,
                     const ApiEntity *entity, ApiPage *page, const ModelQuery *query) {
  g_autoptr(ModelDataset) dataset = api_read(services, response, entity->query, query);
  if (dataset == NULL) {
    api_page_clear(page);
    return;
  }
  GArray *objects = entity_objects(entity, dataset);
  for (guint i = 0; i < objects->len; i++) {
    gconstpointer object = entity_at(objects, i);
    g_assert(entity_visible(entity, dataset, request->principal, object));
    if (api_page_wants(page, entity_id(object)))
      api_page_add(page, entity_id(object), entity->view(dataset, request->principal, object));
  }
  api_page_respond(page, response);
}

void api_json_merge_patch(json_object *target, json_object *patch) {
  json_object_object_foreach(patch, key, value) {
    if (value == NULL)
      json_object_object_del(target, key);
    else
      json_object_object_add(target, key, json_object_get(value));
  }
}

gboolean api_body_key_is(ApiResponse *response, const char *key, const char *expected) {
  if (g_strcmp0(key, expected) == 0)
    return TRUE;
  g_autofree char *pointer = g_strdup_printf("/%s", key);
  api_response_fail(response, API_ERROR_INVALID, pointer, "unknown key (expected %s)", expected);
  return FALSE;
}

gboolean api_reason_value(ApiResponse *response, json_object *value, char **out_reason) {
  const char *text =
      json_object_is_type(value, json_type_string) ? json_object_get_string(value) : NULL;
  glong n = text != NULL ? g_utf8_strlen(text, -1) : 0;
  if (text == NULL || n < 1 || n > 2000) {
    api_response_fail(response, API_ERROR_INVALID, "/reason",
                      "expected a string of 1 to 2000 characters");
    return FALSE;
  }
  g_free(*out_reason);
  *out_reason = g_strdup(text);
  return TRUE;
}

gboolean api_body_reason(const ApiRequest *request, ApiResponse *response, gboolean required,
                         char **out_reason) {
  *out_reason = NULL;
  gboolean present = FALSE;
  json_object *body = api_body(request, response, json_type_object, !required, &present);
  if (body == NULL)
    return !required && !present;
  gboolean ok = TRUE;
  json_object_object_foreach(body, key, value) {
    if (!api_body_key_is(response, key, "reason") ||
        !api_reason_value(response, value, out_reason)) {
      ok = FALSE;
      break;
    }
  }
  if (ok && required && *out_reason == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/reason",
                      "missing (expected a string of 1 to 2000 characters)");
    ok = FALSE;
  }
  if (!ok)
    g_clear_pointer(out_reason, g_free);
  json_object_put(body);
  return ok;
}
