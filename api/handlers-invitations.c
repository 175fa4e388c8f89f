/* handlers-invitations.c: invitations by e-mail (store-invitations.h).  The
 * coordinator invites a school or an organisation (POST /v1/invitations) and sees who
 * accepted (GET /v1/invitations); the invited exchange the one-time code from the mail
 * for a token of their own (POST /v1/invitations/accept, the one route besides the
 * public documents that needs no token: the code is the credential).  A coordinator of
 * some districts invites and sees only schools and organisations of those districts.
 * The code is never shown to the coordinator: it exists only in the mail.
 */
#include <string.h>

#include "handlers.h"
#include "store-invitations.h"

#define DEFAULT_DAYS 7
#define MAX_DAYS 60

/* The district of school or organisation `id`, in *out_district (NULL when it has
 * none); FALSE after answering (404 when it does not exist). */
static gboolean district_of(ApiServices *services, ApiResponse *response, ModelRole role,
                            const char *id, char **out_district) {
  gboolean school = role == MODEL_ROLE_SCHOOL;
  g_autoptr(ModelDataset) found = api_read_id(
      services, response, school ? model_store_query_schools : model_store_query_organisations, id);
  if (found == NULL)
    return FALSE;
  GArray *array = school ? found->schools : found->organisations;
  if (array->len == 0) {
    api_not_found(response, school ? "school" : "organisation", id);
    return FALSE;
  }
  *out_district = g_strdup(school ? g_array_index(array, ModelSchool, 0).district_id
                                  : g_array_index(array, ModelOrganisation, 0).district_id);
  return TRUE;
}

static json_object *invitation_json(const ModelInvitation *i) {
  json_object *object = json_object_new_object();
  json_object_object_add(object, "id", json_object_new_int64(i->id));
  json_object_object_add(object, "role", json_object_new_string(model_role_name(i->role)));
  json_object_object_add(
      object, i->role == MODEL_ROLE_SCHOOL ? "school" : "organisation",
      json_object_new_string(i->role == MODEL_ROLE_SCHOOL ? i->school_id : i->organisation_id));
  json_object_object_add(object, "email", json_object_new_string(i->email));
  json_object_object_add(object, "created_at", json_object_new_string(i->created_at));
  json_object_object_add(object, "expires_at", json_object_new_string(i->expires_at));
  json_object_object_add(object, "accepted_at",
                         i->accepted_at != NULL ? json_object_new_string(i->accepted_at) : NULL);
  return object;
}

/* Reads {"school" | "organisation": ID, "email"?: ADDRESS, "expires_in_days"?: N};
 * FALSE after answering 422 at the pointer of the first problem. */
static gboolean read_invitation(json_object *body, ApiResponse *response, ModelRole *out_role,
                                const char **out_id, const char **out_email, gint64 *out_days) {
  *out_id = NULL;
  *out_email = NULL;
  *out_days = DEFAULT_DAYS;
  json_object_object_foreach(body, key, value) {
    g_autofree char *pointer = g_strdup_printf("/%s", key);
    gboolean string = json_object_is_type(value, json_type_string);
    if (g_str_equal(key, "school") || g_str_equal(key, "organisation")) {
      if (*out_id != NULL) {
        api_response_fail(response, API_ERROR_INVALID, pointer,
                          "given with another (expected one of school and organisation)");
        return FALSE;
      }
      if (!string || !model_id_is_valid(json_object_get_string(value))) {
        api_response_fail(response, API_ERROR_INVALID, pointer, "expected an id");
        return FALSE;
      }
      *out_role = g_str_equal(key, "school") ? MODEL_ROLE_SCHOOL : MODEL_ROLE_ORGANISATION;
      *out_id = json_object_get_string(value);
    } else if (g_str_equal(key, "email")) {
      if (!string || !model_email_is_valid(json_object_get_string(value))) {
        api_response_fail(response, API_ERROR_INVALID, pointer,
                          "expected an e-mail address (name@domain.nl)");
        return FALSE;
      }
      *out_email = json_object_get_string(value);
    } else if (g_str_equal(key, "expires_in_days")) {
      gint64 days = json_object_is_type(value, json_type_int) ? json_object_get_int64(value) : 0;
      if (days < 1 || days > MAX_DAYS) {
        api_response_fail(response, API_ERROR_INVALID, pointer, "expected an integer from 1 to %d",
                          MAX_DAYS);
        return FALSE;
      }
      *out_days = days;
    } else {
      api_response_fail(response, API_ERROR_INVALID, pointer,
                        "unknown key (expected school or organisation, email, expires_in_days)");
      return FALSE;
    }
  }
  if (*out_id == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/school",
                      "missing (expected school or organisation)");
    return FALSE;
  }
  return TRUE;
}

void api_handle_invitation_create(ApiServices *services, const ApiRequest *request,
                                  ApiResponse *response) {
  if (!api_require_role(request, response, API_ROLE_BIT(MODEL_ROLE_COORDINATOR),
                        "invite schools and organisations"))
    return;
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  ModelRole role = MODEL_ROLE_SCHOOL;
  const char *id = NULL, *email = NULL;
  gint64 days = DEFAULT_DAYS;
  g_autofree char *district = NULL;
  gboolean ok = read_invitation(body, response, &role, &id, &email, &days) &&
                district_of(services, response, role, id, &district);
  if (ok && request->principal->districts != NULL &&
      !api_in_districts(request->principal, district)) {
    api_not_found(response, role == MODEL_ROLE_SCHOOL ? "school" : "organisation", id);
    ok = FALSE;
  }
  gint64 invitation = 0;
  if (ok) {
    g_autofree char *actor = api_actor(request->principal);
    g_autoptr(GError) error = NULL;
    gint64 now = api_services_now();
    ModelStore *store = api_write_begin(services, response);
    ok = store != NULL && model_store_invitation_create(store, actor, role, id, email, now,
                                                        now + days * 86400, &invitation, &error);
    ok = store != NULL && api_write_end(services, response, ok, error, API_ERROR_CONFLICT);
  }
  json_object_put(body);
  if (!ok)
    return;
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_store(services, response);
  g_autoptr(GPtrArray) list =
      store != NULL ? model_store_invitation_list(store, invitation - 1, 1, NULL, &error) : NULL;
  if (list != NULL && list->len == 1)
    api_response_json(response, 201, invitation_json(g_ptr_array_index(list, 0)));
  else if (store != NULL && error != NULL)
    api_response_gerror(response, error);
  else if (store != NULL)
    api_response_fail(response, API_ERROR_INTERNAL, NULL, "the new invitation was not found");
}

static GPtrArray *fetch_invitations(ModelStore *store, const ApiRequest *request, gint64 cursor,
                                    guint limit, GError **error) {
  const ApiPrincipal *principal = request->principal;
  return model_store_invitation_list(store, cursor, limit,
                                     (const char *const *)principal->districts, error);
}

static json_object *invitation_view(gconstpointer object, gint64 *out_id) {
  const ModelInvitation *invitation = object;
  *out_id = invitation->id;
  return invitation_json(invitation);
}

static const ApiNumberedList invitation_list = {0, fetch_invitations, invitation_view, NULL};

void api_handle_invitations_list(ApiServices *services, const ApiRequest *request,
                                 ApiResponse *response) {
  if (api_require_role(request, response, API_ROLE_BIT(MODEL_ROLE_COORDINATOR),
                       "read the invitations"))
    api_list_numbered(services, request, response, &invitation_list);
}

void api_handle_invitation_accept(ApiServices *services, const ApiRequest *request,
                                  ApiResponse *response) {
  json_object *body = api_body(request, response, json_type_object, FALSE, NULL);
  if (body == NULL)
    return;
  const char *code = NULL;
  gboolean ok = TRUE;
  json_object_object_foreach(body, key, value) {
    if (!api_body_key_is(response, key, "code")) {
      ok = FALSE;
      break;
    }
    code = json_object_is_type(value, json_type_string) ? json_object_get_string(value) : NULL;
  }
  if (ok && code == NULL) {
    api_response_fail(response, API_ERROR_INVALID, "/code",
                      "missing (expected the code from the invitation's link)");
    ok = FALSE;
  }
  ModelInvitationOutcome outcome = MODEL_INVITATION_UNKNOWN;
  g_autoptr(ModelInvitation) invitation = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(GError) error = NULL;
  if (ok) {
    ModelStore *store = api_write_begin(services, response);
    ok = store != NULL && model_store_invitation_accept(store, code, api_services_now(), &outcome,
                                                        &invitation, &secret, &error);
    ok = store != NULL && api_write_end(services, response, ok, error, API_ERROR_CONFLICT);
  }
  json_object_put(body);
  if (!ok)
    return;
  switch (outcome) {
  case MODEL_INVITATION_ACCEPTED: {
    json_object *answer = invitation_json(invitation);
    json_object_object_add(answer, "token", json_object_new_string(secret));
    api_response_json(response, 200, answer);
    explicit_bzero(secret, strlen(secret));
    return;
  }
  case MODEL_INVITATION_EXPIRED:
    api_response_fail(response, API_ERROR_EXPIRED, NULL,
                      "this sign-in link has expired: ask the coordinator for a new invitation");
    return;
  case MODEL_INVITATION_USED:
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL,
                      "this sign-in link was already used: sign in with your token, or ask "
                      "the coordinator for a new invitation");
    return;
  case MODEL_INVITATION_UNKNOWN:
  default:
    api_response_fail(response, API_ERROR_UNAUTHORIZED, NULL, "this sign-in link is not valid");
    return;
  }
}
