/* handlers-subscriptions.c: calendar subscriptions (store-subscriptions.h).  A school
 * subscribes to its own feed, an organisation to one of its employees', a coordinator
 * to a school's in its districts; the answer holds the secret URL once.  The owner of
 * a subscription is the scope that made it, so every token of a school lists and
 * revokes the school's subscriptions and nobody else's (another's id answers 404).
 * GET /v1/feeds/{secret}/calendar.ics needs no token: read-only, one feed, at most
 * API_FEED_FETCHES_PER_MINUTE a minute (429), and an unknown or revoked secret
 * answers 404 like any missing object.
 */
#include <string.h>

#include "handlers.h"
#include "store-subscriptions.h"

/* The owner string of the caller's scope (transfer full). */
static char *owner_of(const ApiPrincipal *principal) {
  switch (principal->role) {
  case MODEL_ROLE_SCHOOL:
    return g_strdup_printf("school:%s", principal->school_id);
  case MODEL_ROLE_ORGANISATION:
    return g_strdup_printf("organisation:%s", principal->organisation_id);
  case MODEL_ROLE_COORDINATOR:
  default:
    return g_strdup("coordinator");
  }
}

static json_object *subscription_json(const ModelSubscription *s) {
  json_object *object = json_object_new_object();
  json_object_object_add(object, "id", json_object_new_int64(s->id));
  json_object_object_add(object, s->feed, json_object_new_string(s->target));
  json_object_object_add(object, "created_at", json_object_new_string(s->created_at));
  json_object_object_add(object, "revoked_at",
                         s->revoked_at != NULL ? json_object_new_string(s->revoked_at) : NULL);
  return object;
}

/* Whether the caller may subscribe to `feed` `target`; FALSE after answering (404 as
 * for a missing object). */
static gboolean may_subscribe(ApiServices *services, const ApiPrincipal *principal,
                              ApiResponse *response, gboolean school, const char *target) {
  g_autoptr(ModelDataset) found = api_read_id(
      services, response, school ? model_store_query_schools : model_store_query_employees, target);
  if (found == NULL)
    return FALSE;
  gboolean allowed = FALSE;
  if (school && found->schools->len > 0) {
    const ModelSchool *s = &g_array_index(found->schools, ModelSchool, 0);
    allowed = principal->role == MODEL_ROLE_SCHOOL ? g_strcmp0(principal->school_id, s->id) == 0
                                                   : api_in_districts(principal, s->district_id);
  } else if (!school && found->employees->len > 0) {
    const ModelEmployee *e = &g_array_index(found->employees, ModelEmployee, 0);
    allowed = principal->role == MODEL_ROLE_ORGANISATION &&
              g_strcmp0(principal->organisation_id, e->organisation_id) == 0;
  }
  if (!allowed)
    api_not_found(response, school ? "school" : "employee", target);
  return allowed;
}

void api_handle_subscription_create(ApiServices *services, const ApiRequest *request,
                                    ApiResponse *response) {
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  const char *feed = NULL, *target = NULL;
  gboolean ok = TRUE;
  json_object_object_foreach(body, key, value) {
    g_autofree char *pointer = g_strdup_printf("/%s", key);
    if ((!g_str_equal(key, "school") && !g_str_equal(key, "employee")) || feed != NULL) {
      api_response_fail(response, API_ERROR_INVALID, pointer,
                        feed != NULL ? "given with another (expected one of school and employee)"
                                     : "unknown key (expected school or employee)");
      ok = FALSE;
      break;
    }
    if (!json_object_is_type(value, json_type_string) ||
        !model_id_is_valid(json_object_get_string(value))) {
      api_response_fail(response, API_ERROR_INVALID, pointer, "expected an id");
      ok = FALSE;
      break;
    }
    feed = key;
    target = json_object_get_string(value);
  }
  if (ok && feed == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/school",
                      "missing (expected school or employee)");
    ok = FALSE;
  }
  ok = ok &&
       may_subscribe(services, request->principal, response, g_str_equal(feed, "school"), target);
  gint64 id = 0;
  g_autofree char *secret = NULL;
  if (ok) {
    g_autofree char *actor = api_actor(request->principal);
    g_autofree char *owner = owner_of(request->principal);
    g_autoptr(GError) error = NULL;
    ModelStore *store = api_write_begin(services, response);
    ok = store != NULL &&
         model_store_subscription_create(store, actor, owner, feed, target, &id, &secret, &error);
    ok = store != NULL && api_write_end(services, response, ok, error, API_ERROR_CONFLICT);
  }
  if (ok) {
    json_object *answer = json_object_new_object();
    json_object_object_add(answer, "id", json_object_new_int64(id));
    json_object_object_add(answer, feed, json_object_new_string(target));
    g_autofree char *path = g_strdup_printf("/v1/feeds/%s/calendar.ics", secret);
    json_object_object_add(answer, "path", json_object_new_string(path));
    const char *site = api_services_public_url(services);
    if (site != NULL) {
      g_autofree char *url = g_strconcat(site, path, NULL);
      json_object_object_add(answer, "url", json_object_new_string(url));
      explicit_bzero(url, strlen(url));
    }
    explicit_bzero(path, strlen(path));
    api_response_json(response, 201, answer);
    explicit_bzero(secret, strlen(secret));
  }
  json_object_put(body);
}

void api_handle_subscriptions_list(ApiServices *services, const ApiRequest *request,
                                   ApiResponse *response) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return;
  g_autofree char *owner = owner_of(request->principal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = model_store_subscription_list(store, owner, &error);
  if (list == NULL) {
    api_response_gerror(response, error);
    return;
  }
  json_object *items = json_object_new_array();
  for (guint i = 0; i < list->len; i++)
    json_object_array_add(items, subscription_json(g_ptr_array_index(list, i)));
  json_object *body = json_object_new_object();
  json_object_object_add(body, "items", items);
  api_response_json(response, 200, body);
}

void api_handle_subscription_revoke(ApiServices *services, const ApiRequest *request,
                                    ApiResponse *response) {
  const char *id_text = g_hash_table_lookup(request->params, "id");
  guint64 id = 0;
  if (!g_ascii_string_to_unsigned(id_text, 10, 1, G_MAXINT64, &id, NULL)) {
    api_not_found(response, "subscription", id_text);
    return;
  }
  g_autofree char *actor = api_actor(request->principal);
  g_autofree char *owner = owner_of(request->principal);
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_write_begin(services, response);
  if (store == NULL)
    return;
  gboolean ok = model_store_subscription_revoke(store, actor, owner, (gint64)id, &error);
  if (!api_write_end(services, response, ok, error, API_ERROR_CONFLICT))
    return;
  json_object *body = json_object_new_object();
  json_object_object_add(body, "id", json_object_new_int64((gint64)id));
  json_object_object_add(body, "revoked", json_object_new_boolean(TRUE));
  api_response_json(response, 200, body);
}

void api_handle_feed(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return;
  const char *secret = g_hash_table_lookup(request->params, "secret");
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelSubscription) subscription =
      model_store_subscription_lookup(store, secret, &error);
  if (subscription == NULL) {
    if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND))
      api_response_fail(response, API_ERROR_NOT_FOUND, NULL, "no such calendar feed");
    else
      api_response_gerror(response, error);
    return;
  }
  if (!api_services_feed_allowed(services, subscription->id, api_services_now())) {
    api_response_fail(response, API_ERROR_RATE_LIMITED, NULL,
                      "this feed was fetched more than %d times in a minute: try again later",
                      API_FEED_FETCHES_PER_MINUTE);
    return;
  }
  api_respond_subscribed_feed(services, response, g_str_equal(subscription->feed, "school"),
                              subscription->target);
}
