/* test-outbox.c: the outbox and the invitations at the level of the store, on SQLite
 * and (test store-outbox-pg) on PostgreSQL, whose SQL goes through the functions
 * schema-pg.c defines in SQLite's name.  Built on the sample dataset (sample.h): school
 * 24EJ00 (district stad) and organisation org-1 (stad) have contact addresses, org-2
 * and 07NU none; e-2 (org-1, confirmed 2020-04-10) has an address, a-1 approves e-2
 * at 24EJ00.  Every message's facts are parsed back as JSON, as the mail worker does.
 */
#include <json-c/json.h>
#include <string.h>

#include "sample.h"
#include "store-invitations.h"
#include "store-ops.h"
#include "store-outbox.h"

#define COORDINATOR "coordinator@almere.test"
#define NOW 1586851200 /* 2020-04-14T08:00:00Z */

typedef SampleStore Fixture;

static void setup(Fixture *f, gconstpointer data) {
  sample_store_setup(f, data);
  g_autoptr(ModelDataset) dataset = full_dataset();
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_import(f->store, dataset, MODEL_STORE_IMPORT_REPLACE, &error));
  g_assert_no_error(error);
  model_store_set_coordinator_mail(f->store, COORDINATOR);
}

static GPtrArray *due(Fixture *f, gint64 now) {
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = model_store_outbox_due(f->store, now, 100, &error);
  g_assert_no_error(error);
  g_assert_nonnull(messages);
  return messages;
}

static GPtrArray *listed(Fixture *f, gint64 after, guint limit, const char *const *districts) {
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = model_store_outbox_list(f->store, after, limit, districts, &error);
  g_assert_no_error(error);
  g_assert_nonnull(messages);
  return messages;
}

static ModelOutboxMessage *message_at(GPtrArray *messages, guint i) {
  g_assert_cmpuint(i, <, messages->len);
  return messages->pdata[i];
}

/* The facts of `m`, parsed: a JSON object (transfer full). */
static json_object *facts_of(const ModelOutboxMessage *m) {
  json_object *facts = json_tokener_parse(m->facts);
  g_assert_nonnull(facts);
  g_assert_true(json_object_is_type(facts, json_type_object));
  return facts;
}

/* The string at `key` of the facts of `m`, or NULL (transfer full). */
static char *fact(const ModelOutboxMessage *m, const char *key) {
  json_object *facts = facts_of(m);
  json_object *value = NULL;
  char *text = json_object_object_get_ex(facts, key, &value) && value != NULL
                   ? g_strdup(json_object_get_string(value))
                   : NULL;
  json_object_put(facts);
  return text;
}

static void cancel_a1(Fixture *f) {
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_decide(f->store, "a-1", MODEL_DECISION_CANCEL, "coordinator", "Ziek",
                                   NOW, NULL, NULL, &error));
  g_assert_no_error(error);
}

static void counts(Fixture *f, gint64 pending, gint64 sent) {
  g_autoptr(GError) error = NULL;
  gint64 p = -1, s = -1;
  g_assert_true(model_store_outbox_counts(f->store, &p, &s, &error));
  g_assert_no_error(error);
  g_assert_cmpint(p, ==, pending);
  g_assert_cmpint(s, ==, sent);
}

/* A cancellation writes one row per audience with an address, in its transaction,
 * due from `now` on, with facts that name the change. */
static void test_enqueue(Fixture *f, gconstpointer data) {
  (void)data;
  counts(f, 0, 0);
  cancel_a1(f);
  g_autoptr(GPtrArray) early = due(f, NOW - 1);
  g_assert_cmpuint(early->len, ==, 0);
  g_autoptr(GPtrArray) messages = due(f, NOW);
  g_assert_cmpuint(messages->len, ==, 4);
  static const char *const audiences[] = {"school", "organisation", "employee", "coordinator"};
  static const char *const recipients[] = {"directie@aliman.nl", "planning@boerderij.nl",
                                           "e2@boerderij.nl", COORDINATOR};
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < messages->len; i++) {
    ModelOutboxMessage *m = message_at(messages, i);
    if (i > 0)
      g_assert_cmpint(m->id, >, message_at(messages, i - 1)->id);
    g_assert_cmpstr(m->kind, ==, MODEL_OUTBOX_CANCELLED);
    g_assert_cmpint(m->created_at, ==, NOW);
    g_assert_cmpint(m->next_at, ==, NOW);
    g_assert_cmpint(m->sent_at, ==, -1);
    g_assert_cmpint(m->attempts, ==, 0);
    g_assert_null(m->last_error);
    g_autofree char *district = fact(m, "district");
    g_assert_cmpstr(district, ==, "stad");
    for (gsize a = 0; a < G_N_ELEMENTS(audiences); a++)
      if (strcmp(m->audience, audiences[a]) == 0) {
        g_assert_cmpstr(m->recipient, ==, recipients[a]);
        g_hash_table_add(seen, (gpointer)audiences[a]);
      }
  }
  g_assert_cmpuint(g_hash_table_size(seen), ==, 4);
  counts(f, 4, 0);
}

/* A failed try counts an attempt and puts the message off; a deferral for the rate
 * limit does not count; a reason is cut to 2000 characters. */
static void test_defer(Fixture *f, gconstpointer data) {
  (void)data;
  cancel_a1(f);
  g_autoptr(GPtrArray) messages = due(f, NOW);
  gint64 id = message_at(messages, 0)->id;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_why = g_strnfill(2500, 'x');
  g_assert_true(model_store_outbox_defer(f->store, id, NOW + 60, long_why, TRUE, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) now = due(f, NOW);
  g_assert_cmpuint(now->len, ==, 3);
  for (guint i = 0; i < now->len; i++)
    g_assert_cmpint(message_at(now, i)->id, !=, id);
  g_autoptr(GPtrArray) later = due(f, NOW + 60);
  g_assert_cmpuint(later->len, ==, 4);
  /* Oldest next_at first: the deferred message comes last. */
  ModelOutboxMessage *m = message_at(later, 3);
  g_assert_cmpint(m->id, ==, id);
  g_assert_cmpint(m->attempts, ==, 1);
  g_assert_cmpint(m->next_at, ==, NOW + 60);
  g_assert_cmpuint(strlen(m->last_error), ==, 2000);
  g_assert_true(model_store_outbox_defer(f->store, id, NOW + 120, "limiet", FALSE, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) limited = due(f, NOW + 120);
  m = message_at(limited, 3);
  g_assert_cmpint(m->attempts, ==, 1);
  g_assert_cmpstr(m->last_error, ==, "limiet");
}

/* Marking sent takes the message off the due list once and for all; the counts per
 * recipient see it from the moment it was sent. */
static void test_mark_sent(Fixture *f, gconstpointer data) {
  (void)data;
  cancel_a1(f);
  g_autoptr(GPtrArray) messages = due(f, NOW);
  ModelOutboxMessage *first = message_at(messages, 0);
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_outbox_mark_sent(f->store, first->id, NOW + 5, &error));
  g_assert_no_error(error);
  /* A sent row never changes again. */
  g_assert_true(model_store_outbox_mark_sent(f->store, first->id, NOW + 50, &error));
  g_assert_true(model_store_outbox_defer(f->store, first->id, NOW + 99, "laat", TRUE, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) rest = due(f, NOW + 1000);
  g_assert_cmpuint(rest->len, ==, 3);
  counts(f, 3, 1);
  g_autoptr(GPtrArray) all = listed(f, 0, 10, NULL);
  ModelOutboxMessage *sent = message_at(all, 0);
  g_assert_cmpint(sent->id, ==, first->id);
  g_assert_cmpint(sent->sent_at, ==, NOW + 5);
  g_assert_cmpint(sent->attempts, ==, 0);
  g_assert_null(sent->last_error);

  gint64 count = -1, earliest = 0;
  g_assert_true(model_store_outbox_sent_since(f->store, first->recipient, NOW + 4, &count,
                                              &earliest, &error));
  g_assert_no_error(error);
  g_assert_cmpint(count, ==, 1);
  g_assert_cmpint(earliest, ==, NOW + 5);
  g_assert_true(model_store_outbox_sent_since(f->store, first->recipient, NOW + 5, &count,
                                              &earliest, &error));
  g_assert_cmpint(count, ==, 0);
  g_assert_cmpint(earliest, ==, -1);
  g_assert_true(
      model_store_outbox_sent_since(f->store, "nobody@elders.nl", 0, &count, &earliest, &error));
  g_assert_no_error(error);
  g_assert_cmpint(count, ==, 0);
}

/* The list pages by id and keeps to the districts a message is about: the district of
 * its facts, or any of a round's districts. */
static void test_list_scope(Fixture *f, gconstpointer data) {
  (void)data;
  cancel_a1(f);
  g_autoptr(GError) error = NULL;
  static const char *const haven[] = {"haven", NULL};
  gint64 round = -1;
  g_assert_true(model_store_round_start(f->store, haven, FALSE, 8000, "test", NOW, &round, &error));
  g_autoptr(GArray) none = g_array_new(FALSE, TRUE, sizeof(ModelAssignment));
  g_assert_true(model_store_round_finish(f->store, round, haven, none,
                                         "{\"needed\": 5, \"filled\": 2}", "[]", NOW + 1, &error));
  g_assert_no_error(error);

  g_autoptr(GPtrArray) all = listed(f, 0, 100, NULL);
  g_assert_cmpuint(all->len, ==, 5);
  ModelOutboxMessage *digest = message_at(all, 4);
  g_assert_cmpstr(digest->kind, ==, MODEL_OUTBOX_ROUND_FINISHED);
  g_assert_cmpstr(digest->recipient, ==, COORDINATOR);
  json_object *facts = facts_of(digest);
  json_object *districts = json_object_object_get(facts, "districts");
  g_assert_true(json_object_is_type(districts, json_type_array));
  g_assert_cmpuint(json_object_array_length(districts), ==, 1);
  g_assert_cmpstr(json_object_get_string(json_object_array_get_idx(districts, 0)), ==, "haven");
  g_assert_cmpint(json_object_get_int64(json_object_object_get(facts, "open")), ==, 3);
  g_assert_cmpint(json_object_get_int64(json_object_object_get(facts, "round")), ==, round);
  json_object_put(facts);

  static const char *const stad[] = {"stad", NULL};
  static const char *const buiten[] = {"buiten", NULL};
  static const char *const both[] = {"buiten", "haven", NULL};
  g_autoptr(GPtrArray) in_stad = listed(f, 0, 100, stad);
  g_assert_cmpuint(in_stad->len, ==, 4);
  g_autoptr(GPtrArray) in_haven = listed(f, 0, 100, haven);
  g_assert_cmpuint(in_haven->len, ==, 1);
  g_assert_cmpint(message_at(in_haven, 0)->id, ==, digest->id);
  g_autoptr(GPtrArray) in_buiten = listed(f, 0, 100, buiten);
  g_assert_cmpuint(in_buiten->len, ==, 0);
  g_autoptr(GPtrArray) in_both = listed(f, 0, 100, both);
  g_assert_cmpuint(in_both->len, ==, 1);
  /* Pages of two, after the last id seen. */
  g_autoptr(GPtrArray) page = listed(f, message_at(all, 1)->id, 2, NULL);
  g_assert_cmpuint(page->len, ==, 2);
  g_assert_cmpint(message_at(page, 0)->id, ==, message_at(all, 2)->id);
  g_assert_cmpint(message_at(page, 1)->id, ==, message_at(all, 3)->id);
}

/* A reminder goes to each organisation with an address whose active staff includes a
 * stale confirmation, listing them, once per staleness date. */
static void test_remind(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  guint count = 99;
  g_assert_true(model_store_outbox_remind(f->store, tb_date("2020-04-10"), NOW, &count, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(count, ==, 0); /* e-2 was confirmed on the 10th itself */
  g_assert_true(model_store_outbox_remind(f->store, tb_date("2020-04-12"), NOW, &count, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(count, ==, 1);
  g_assert_true(
      model_store_outbox_remind(f->store, tb_date("2020-04-12"), NOW + 60, &count, &error));
  g_assert_cmpuint(count, ==, 0);
  g_autoptr(GPtrArray) messages = due(f, NOW);
  g_assert_cmpuint(messages->len, ==, 1);
  ModelOutboxMessage *m = message_at(messages, 0);
  g_assert_cmpstr(m->kind, ==, MODEL_OUTBOX_REMINDER);
  g_assert_cmpstr(m->recipient, ==, "planning@boerderij.nl");
  json_object *facts = facts_of(m);
  g_assert_cmpstr(json_object_get_string(json_object_object_get(facts, "organisation")), ==,
                  "org-1");
  g_assert_cmpstr(json_object_get_string(json_object_object_get(facts, "since")), ==, "2020-04-12");
  json_object *employees = json_object_object_get(facts, "employees");
  g_assert_cmpuint(json_object_array_length(employees), ==, 1);
  json_object *e = json_object_array_get_idx(employees, 0);
  g_assert_cmpstr(json_object_get_string(json_object_object_get(e, "id")), ==, "e-2");
  g_assert_cmpstr(json_object_get_string(json_object_object_get(e, "confirmed")), ==, "2020-04-10");
  json_object_put(facts);
}

/* ---- invitations ------------------------------------------------------------ */

static GPtrArray *invitations(Fixture *f, gint64 after, const char *const *districts) {
  g_autoptr(GError) error = NULL;
  GPtrArray *list = model_store_invitation_list(f->store, after, 100, districts, &error);
  g_assert_no_error(error);
  g_assert_nonnull(list);
  return list;
}

static gint64 invite(Fixture *f, ModelRole role, const char *id, const char *email,
                     gint64 expires_at) {
  g_autoptr(GError) error = NULL;
  gint64 invitation = -1;
  g_assert_true(model_store_invitation_create(f->store, "coordinator", role, id, email, NOW,
                                              expires_at, &invitation, &error));
  g_assert_no_error(error);
  g_assert_cmpint(invitation, >, 0);
  return invitation;
}

/* The code of the invitation mail that is due (transfer full). */
static char *code_of(Fixture *f, gint64 invitation, gint64 *out_message) {
  g_autoptr(GPtrArray) messages = due(f, NOW);
  for (guint i = 0; i < messages->len; i++) {
    ModelOutboxMessage *m = message_at(messages, i);
    g_autofree char *id = fact(m, "invitation");
    if (strcmp(m->kind, MODEL_OUTBOX_INVITATION) == 0 &&
        g_ascii_strtoll(id, NULL, 10) == invitation) {
      *out_message = m->id;
      return fact(m, "code");
    }
  }
  g_assert_not_reached();
}

static ModelInvitationOutcome accept(Fixture *f, const char *code, gint64 now,
                                     ModelInvitation **out_invitation) {
  g_autoptr(GError) error = NULL;
  ModelInvitationOutcome outcome = MODEL_INVITATION_ACCEPTED;
  g_autoptr(ModelInvitation) invitation = NULL;
  g_autofree char *secret = NULL;
  g_assert_true(
      model_store_invitation_accept(f->store, code, now, &outcome, &invitation, &secret, &error));
  g_assert_no_error(error);
  g_assert_true((outcome == MODEL_INVITATION_ACCEPTED) == (secret != NULL));
  if (out_invitation != NULL)
    *out_invitation = g_steal_pointer(&invitation);
  return outcome;
}

/* An invitation's mail carries the code, which is exchanged once for a token of the
 * invitation's scope; sending the mail drops the code from the outbox. */
static void test_invitation_accept(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = invite(f, MODEL_ROLE_SCHOOL, "24EJ00", NULL, NOW + 86400);
  gint64 message = -1;
  g_autofree char *code = code_of(f, id, &message);
  g_assert_nonnull(code);
  g_autoptr(GPtrArray) listed_once = invitations(f, 0, NULL);
  g_assert_cmpuint(listed_once->len, ==, 1);
  ModelInvitation *stored = listed_once->pdata[0];
  g_assert_cmpint(stored->id, ==, id);
  g_assert_cmpint(stored->role, ==, MODEL_ROLE_SCHOOL);
  g_assert_cmpstr(stored->school_id, ==, "24EJ00");
  g_assert_null(stored->organisation_id);
  g_assert_cmpstr(stored->email, ==, "directie@aliman.nl");
  g_assert_cmpstr(stored->created_at, ==, "2020-04-14T08:00:00Z");
  g_assert_cmpstr(stored->expires_at, ==, "2020-04-15T08:00:00Z");
  g_assert_null(stored->accepted_at);
  g_assert_cmpint(stored->token_id, ==, -1);

  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_outbox_mark_sent(f->store, message, NOW + 1, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) all = listed(f, message - 1, 1, NULL);
  g_autofree char *forgotten = fact(message_at(all, 0), "code");
  g_assert_null(forgotten);
  g_autofree char *role = fact(message_at(all, 0), "role");
  g_assert_cmpstr(role, ==, "school");

  g_assert_cmpint(accept(f, "hnd_nietbestaand", NOW + 2, NULL), ==, MODEL_INVITATION_UNKNOWN);
  g_autoptr(ModelInvitation) accepted = NULL;
  g_assert_cmpint(accept(f, code, NOW + 2, &accepted), ==, MODEL_INVITATION_ACCEPTED);
  g_assert_cmpstr(accepted->accepted_at, ==, "2020-04-14T08:00:02Z");
  g_assert_cmpint(accepted->token_id, >, 0);
  g_assert_cmpint(accept(f, code, NOW + 3, NULL), ==, MODEL_INVITATION_USED);
  g_autoptr(GPtrArray) after = invitations(f, 0, NULL);
  ModelInvitation *now_stored = after->pdata[0];
  g_assert_cmpstr(now_stored->accepted_at, ==, "2020-04-14T08:00:02Z");
  g_assert_cmpint(now_stored->token_id, ==, accepted->token_id);
}

/* At its expiry an invitation can no longer be exchanged. */
static void test_invitation_expired(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = invite(f, MODEL_ROLE_ORGANISATION, "org-1", "Nieuw@Boerderij.nl", NOW + 10);
  gint64 message = -1;
  g_autofree char *code = code_of(f, id, &message);
  g_assert_cmpint(accept(f, code, NOW + 10, NULL), ==, MODEL_INVITATION_EXPIRED);
  g_autoptr(GPtrArray) list = invitations(f, 0, NULL);
  ModelInvitation *stored = list->pdata[0];
  g_assert_cmpstr(stored->organisation_id, ==, "org-1");
  g_assert_cmpstr(stored->email, ==, "Nieuw@Boerderij.nl");
  g_assert_null(stored->accepted_at);
  g_assert_cmpint(accept(f, code, NOW + 9, NULL), ==, MODEL_INVITATION_ACCEPTED);
}

/* Refused invitations store nothing: no invitation, no mail. */
static void test_invitation_refused(Fixture *f, gconstpointer data) {
  (void)data;
  static const struct {
    ModelRole role;
    const char *id;
    const char *email;
    int code;
    const char *message;
  } cases[] = {
      {MODEL_ROLE_ORGANISATION, "org-2", NULL, MODEL_ERROR_INVALID, "no contact e-mail address"},
      {MODEL_ROLE_SCHOOL, "07NU", "geen-adres", MODEL_ERROR_INVALID, "is not an e-mail address"},
      {MODEL_ROLE_SCHOOL, "99XX", NULL, MODEL_ERROR_NOT_FOUND, "no school with id \"99XX\""},
      {MODEL_ROLE_ORGANISATION, "org-9", "a@b.nl", MODEL_ERROR_NOT_FOUND, "no organisation"},
      {MODEL_ROLE_COORDINATOR, "24EJ00", NULL, MODEL_ERROR_INVALID, "can be invited"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(GError) error = NULL;
    gint64 id = -7;
    g_assert_false(model_store_invitation_create(f->store, "coordinator", cases[i].role,
                                                 cases[i].id, cases[i].email, NOW, NOW + 60, &id,
                                                 &error));
    g_assert_error(error, MODEL_ERROR, cases[i].code);
    g_assert_nonnull(strstr(error->message, cases[i].message));
    g_assert_cmpint(id, ==, -7);
  }
  g_autoptr(GPtrArray) list = invitations(f, 0, NULL);
  g_assert_cmpuint(list->len, ==, 0);
  counts(f, 0, 0);
}

/* The list pages by id and keeps to the districts of the invited. */
static void test_invitation_list(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 school = invite(f, MODEL_ROLE_SCHOOL, "24EJ00", NULL, NOW + 60);
  gint64 org = invite(f, MODEL_ROLE_ORGANISATION, "org-1", NULL, NOW + 60);
  gint64 haven_school = invite(f, MODEL_ROLE_SCHOOL, "07NU", "so@haven.nl", NOW + 60);
  gint64 no_district = invite(f, MODEL_ROLE_ORGANISATION, "org-2", "org2@elders.nl", NOW + 60);
  static const char *const stad[] = {"stad", NULL};
  static const char *const haven[] = {"haven", NULL};
  g_autoptr(GPtrArray) all = invitations(f, 0, NULL);
  g_assert_cmpuint(all->len, ==, 4);
  g_assert_cmpint(((ModelInvitation *)all->pdata[3])->id, ==, no_district);
  g_autoptr(GPtrArray) in_stad = invitations(f, 0, stad);
  g_assert_cmpuint(in_stad->len, ==, 2);
  g_assert_cmpint(((ModelInvitation *)in_stad->pdata[0])->id, ==, school);
  g_assert_cmpint(((ModelInvitation *)in_stad->pdata[1])->id, ==, org);
  g_autoptr(GPtrArray) in_haven = invitations(f, 0, haven);
  g_assert_cmpuint(in_haven->len, ==, 1);
  g_assert_cmpint(((ModelInvitation *)in_haven->pdata[0])->id, ==, haven_school);
  g_autoptr(GPtrArray) later = invitations(f, org, stad);
  g_assert_cmpuint(later->len, ==, 0);
  counts(f, 4, 0);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  struct {
    const char *path;
    void (*test)(Fixture *, gconstpointer);
  } tests[] = {
      {"/store/outbox/enqueue", test_enqueue},
      {"/store/outbox/defer", test_defer},
      {"/store/outbox/mark-sent", test_mark_sent},
      {"/store/outbox/list-scope", test_list_scope},
      {"/store/outbox/remind", test_remind},
      {"/store/invitations/accept", test_invitation_accept},
      {"/store/invitations/expired", test_invitation_expired},
      {"/store/invitations/refused", test_invitation_refused},
      {"/store/invitations/list", test_invitation_list},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(tests); i++)
    g_test_add(tests[i].path, Fixture, NULL, setup, tests[i].test, sample_store_teardown);
  return g_test_run();
}
