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

/* Whether a coordinator limited to some districts may see `message`: its facts name
 * a district in scope (a round's districts, one of them). */
static gboolean outbox_visible(const ApiPrincipal *principal, const ModelOutboxMessage *message) {
  if (principal->districts == NULL)
    return TRUE;
  json_object *facts = json_tokener_parse(message->facts);
  json_object *value = NULL;
  gboolean visible = FALSE;
  if (facts != NULL && json_object_object_get_ex(facts, "district", &value))
    visible = api_in_districts(principal, json_object_get_string(value));
  else if (facts != NULL && json_object_object_get_ex(facts, "districts", &value))
    for (gsize i = 0; i < json_object_array_length(value) && !visible; i++)
      visible =
          api_in_districts(principal, json_object_get_string(json_object_array_get_idx(value, i)));
  json_object_put(facts);
  return visible;
}

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

void api_handle_outbox(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  if (!api_require_role(request, response, API_ROLE_BIT(MODEL_ROLE_COORDINATOR), "read the outbox"))
    return;
  ApiPage page;
  gint64 after = 0;
  ModelStore *store = api_page_init_numeric(&page, services, request, response, 0, &after);
  if (store == NULL)
    return;
  g_autoptr(GError) error = NULL;
  gint64 pending = 0, sent = 0;
  /* One more than the page, to know whether more follow; a limited coordinator's
   * page is filled from the messages it may see. */
  g_autoptr(GPtrArray) messages = NULL;
  guint taken = 0;
  for (gboolean more = TRUE; more && taken <= page.limit;) {
    g_clear_pointer(&messages, g_ptr_array_unref);
    messages = model_store_outbox_list(store, after, page.limit + 1, &error);
    if (messages == NULL)
      break;
    more = messages->len == page.limit + 1;
    for (guint i = 0; i < messages->len && taken <= page.limit; i++) {
      const ModelOutboxMessage *m = g_ptr_array_index(messages, i);
      after = m->id;
      if (!outbox_visible(request->principal, m))
        continue;
      if (++taken <= page.limit)
        api_page_add_numbered(&page, m->id, outbox_item(m));
    }
  }
  if (messages == NULL || !model_store_outbox_counts(store, &pending, &sent, &error)) {
    api_page_clear(&page);
    api_response_gerror(response, error);
    return;
  }
  page.more = taken > page.limit;
  json_object *body = json_object_new_object();
  guint limit = api_services_mail_limit(services);
  json_object_object_add(body, "limit_per_hour", limit > 0 ? json_object_new_int64(limit) : NULL);
  json_object_object_add(body, "pending", json_object_new_int64(pending));
  json_object_object_add(body, "sent", json_object_new_int64(sent));
  api_page_respond_with(&page, response, body);
}
