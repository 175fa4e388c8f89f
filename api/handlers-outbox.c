/* handlers-outbox.c: GET /v1/outbox, the coordinator's view of the mail notifications:
 * how many wait and how many were sent, the limit per recipient per hour, and each
 * message with its state (sent, waiting until, attempts, the last error), by id.
 * Privacy: an employee's address is never shown (the recipient of an employee's
 * message is left out); a coordinator of some districts sees only the messages about
 * those districts.
 */
#include <json-c/json.h>

#include "handlers.h"
#include "store-outbox.h"

static void put_time(json_object *item, const char *key, gint64 seconds) {
  g_autofree char *text = seconds >= 0 ? api_format_time(seconds) : NULL;
  json_object_object_add(item, key, text != NULL ? json_object_new_string(text) : NULL);
}

static json_object *outbox_item(const ModelOutboxMessage *m) {
  json_object *item = json_object_new_object();
  json_object_object_add(item, "id", json_object_new_int64(m->id));
  json_object_object_add(item, "kind", json_object_new_string(m->kind));
  json_object_object_add(item, "audience", json_object_new_string(m->audience));
  if (g_strcmp0(m->audience, "employee") != 0)
    json_object_object_add(item, "recipient", json_object_new_string(m->recipient));
  put_time(item, "created_at", m->created_at);
  put_time(item, "sent_at", m->sent_at);
  put_time(item, "next_attempt_at", m->sent_at < 0 ? m->next_at : -1);
  json_object_object_add(item, "attempts", json_object_new_int64(m->attempts));
  json_object_object_add(item, "last_error",
                         m->last_error != NULL ? json_object_new_string(m->last_error) : NULL);
  return item;
}

static GPtrArray *fetch_outbox(ModelStore *store, const ApiRequest *request, gint64 cursor,
                               guint limit, GError **error) {
  const ApiPrincipal *principal = request->principal;
  return model_store_outbox_list(store, cursor, limit, (const char *const *)principal->districts,
                                 error);
}

static json_object *outbox_view(gconstpointer object, gint64 *out_id) {
  const ModelOutboxMessage *m = object;
  *out_id = m->id;
  return outbox_item(m);
}

/* The figures in front of the messages: the limit, how many wait, how many went. */
static json_object *outbox_head(ApiServices *services, ModelStore *store, GError **error) {
  gint64 pending = 0, sent = 0;
  if (!model_store_outbox_counts(store, &pending, &sent, error))
    return NULL;
  json_object *head = json_object_new_object();
  guint limit = api_services_mail_limit(services);
  json_object_object_add(head, "limit_per_hour", limit > 0 ? json_object_new_int64(limit) : NULL);
  json_object_object_add(head, "pending", json_object_new_int64(pending));
  json_object_object_add(head, "sent", json_object_new_int64(sent));
  return head;
}

static const ApiNumberedList outbox_list = {0, fetch_outbox, outbox_view, outbox_head};

void api_handle_outbox(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  if (api_require_role(request, response, API_ROLE_BIT(MODEL_ROLE_COORDINATOR), "read the outbox"))
    api_list_numbered(services, request, response, &outbox_list);
}
