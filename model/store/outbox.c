/* outbox.c: the outbox (store-outbox.h).  Enqueueing runs inside the transaction of
 * the change it tells of (ops-private.h): the facts are read with SQLite's
 * json_object() from the rows just written, so the message says what was committed,
 * and a recipient without an address gets no row.  Invariants: a row is written
 * only with its change; sent_at is set only by model_store_outbox_mark_sent(), after
 * the server accepted the message, which also drops a one-time sign-in code from the
 * facts (it is in the recipient's mailbox now, and nowhere else); a sent row never
 * changes again.
 */
#include "ops-private.h"
#include "store-outbox.h"

void model_outbox_message_free(ModelOutboxMessage *message) {
  if (message == NULL)
    return;
  g_free(message->kind);
  g_free(message->audience);
  g_free(message->recipient);
  g_free(message->recipient_name);
  g_free(message->facts);
  g_free(message->last_error);
  g_free(message);
}

void model_store_set_coordinator_mail(ModelStore *store, const char *address) {
  g_return_if_fail(store != NULL);
  g_free(store->coordinator_mail);
  store->coordinator_mail = g_strdup(address);
}

/* ---- enqueueing, inside the change's transaction -------------------------- */

/* One row for `audience` to `recipient` (nothing when NULL or empty). */
static gboolean enqueue(ModelStore *store, const char *kind, const char *audience,
                        const char *recipient, const char *name, const char *facts, gint64 now,
                        GError **error) {
  if (recipient == NULL || recipient[0] == '\0')
    return TRUE;
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(
      store,
      "INSERT INTO outbox (created_at, next_at, kind, audience, recipient, recipient_name, facts)"
      " VALUES (" OPS_TIME_SQL ", " OPS_TIME_SQL ", ?, ?, ?, ?, ?)",
      &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_int(&b, now);
  store_bind_text(&b, kind);
  store_bind_text(&b, audience);
  store_bind_text(&b, recipient);
  store_bind_text(&b, name);
  store_bind_text(&b, facts);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "outbox", kind, NULL, error);
}

/* Runs `sql` (one row: the facts, then address and name pairs) with `key` bound as
 * text, or as an integer when `number` >= 0, and `secret` (when not NULL) as ?2, and
 * enqueues for every audience in `audiences` whose pair (in the order school,
 * organisation, employee) has an address; the coordinator's address is the store's. */
static gboolean enqueue_row(ModelStore *store, const char *sql, const char *key, gint64 number,
                            const char *secret, const char *kind, guint audiences, gint64 now,
                            GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, sql, &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  if (number >= 0)
    store_bind_int(&b, number);
  else
    store_bind_text(&b, key);
  if (secret != NULL)
    store_bind_text(&b, secret);
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  int rc = store_step(stmt);
  if (rc == STORE_DONE)
    return TRUE; /* nothing to tell of */
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read what to tell");
    return FALSE;
  }
  g_autofree char *facts = g_strdup(store_column_text(stmt, 0));
  static const struct {
    ModelAudience audience;
    const char *name;
  } audiences_in_order[] = {{MODEL_AUDIENCE_SCHOOL, "school"},
                            {MODEL_AUDIENCE_ORGANISATION, "organisation"},
                            {MODEL_AUDIENCE_EMPLOYEE, "employee"}};
  int columns = store_column_count(stmt);
  for (gsize i = 0; i < G_N_ELEMENTS(audiences_in_order); i++) {
    int c = 1 + 2 * (int)i;
    if (!(audiences & audiences_in_order[i].audience) || c + 1 >= columns)
      continue;
    g_autofree char *to = g_strdup(store_column_text(stmt, c));
    g_autofree char *name = g_strdup(store_column_text(stmt, c + 1));
    if (!enqueue(store, kind, audiences_in_order[i].name, to, name, facts, now, error))
      return FALSE;
  }
  if (audiences & MODEL_AUDIENCE_COORDINATOR)
    return enqueue(store, kind, "coordinator", store->coordinator_mail, NULL, facts, now, error);
  return TRUE;
}

gboolean ops_outbox_assignment(ModelStore *store, const char *kind, const char *assignment_id,
                               guint audiences, gint64 now, GError **error) {
  static const char sql[] =
      "SELECT json_object('assignment', a.id, 'request', r.id, 'date', a.date, 'part', a.part,"
      " 'status', a.status, 'reason', a.reason, 'school', s.id, 'school_name', s.name,"
      " 'school_postcode', s.postcode, 'district', s.district_id, 'employee', e.id,"
      " 'employee_name', e.name, 'employee_phone', e.phone, 'organisation', o.id,"
      " 'organisation_name', o.name, 'organisation_phone', o.contact_phone),"
      " s.contact_email, coalesce(s.contact_name, s.name),"
      " o.contact_email, coalesce(o.contact_name, o.name), e.email, e.name"
      " FROM assignments a JOIN requests r ON r.id = a.request_id"
      " JOIN schools s ON s.id = r.school_id JOIN employees e ON e.id = a.employee_id"
      " JOIN organisations o ON o.id = e.organisation_id WHERE a.id = ?";
  return enqueue_row(store, sql, assignment_id, -1, NULL, kind, audiences, now, error);
}

gboolean ops_outbox_request(ModelStore *store, const char *kind, const char *request_id, gint64 now,
                            GError **error) {
  if (store->coordinator_mail == NULL)
    return TRUE;
  static const char sql[] =
      "SELECT json_object('request', r.id, 'school', s.id, 'school_name', s.name,"
      " 'district', s.district_id, 'staff_needed', r.staff_needed,"
      " 'children_expected', r.children_expected, 'priority', r.priority, 'note', r.note,"
      " 'from', (SELECT min(from_date) FROM request_slots WHERE request_id = r.id),"
      " 'to', (SELECT max(to_date) FROM request_slots WHERE request_id = r.id))"
      " FROM requests r JOIN schools s ON s.id = r.school_id WHERE r.id = ?";
  return enqueue_row(store, sql, request_id, -1, NULL, kind, MODEL_AUDIENCE_COORDINATOR, now,
                     error);
}

gboolean ops_outbox_round(ModelStore *store, gint64 round_id, gint64 now, GError **error) {
  if (store->coordinator_mail == NULL)
    return TRUE;
  /* The digest: proposals of this round still waiting for a decision, and the
   * staff-slots the round left open. */
  static const char sql[] =
      "SELECT json_object('round', r.id, 'districts', json(r.districts), 'slots', r.slots,"
      " 'proposed', (SELECT count(*) FROM assignment_rounds t JOIN assignments a"
      "   ON a.id = t.assignment_id WHERE t.round_id = r.id AND a.status = 'proposed'),"
      " 'open', (SELECT CASE WHEN n.open > 0 THEN n.open ELSE 0 END FROM (SELECT"
      "   coalesce(CAST(json_extract(r.stats_json, '$.needed') AS INTEGER), 0)"
      "   - coalesce(CAST(json_extract(r.stats_json, '$.filled') AS INTEGER), 0) AS open) n))"
      " FROM rounds r WHERE r.id = ?";
  return enqueue_row(store, sql, NULL, round_id, NULL, MODEL_OUTBOX_ROUND_FINISHED,
                     MODEL_AUDIENCE_COORDINATOR, now, error);
}

gboolean ops_outbox_invitation(ModelStore *store, gint64 id, const char *code, gint64 now,
                               GError **error) {
  /* The invited school's or organisation's address in its audience's pair. */
  static const char sql[] =
      "SELECT json_object('invitation', i.id, 'code', ?2, 'role', i.role,"
      " 'name', coalesce(s.name, o.name), 'expires_at', i.expires_at,"
      " 'district', coalesce(s.district_id, o.district_id)),"
      " CASE WHEN i.role = 'school' THEN i.email END, coalesce(s.contact_name, s.name),"
      " CASE WHEN i.role = 'organisation' THEN i.email END, coalesce(o.contact_name, o.name)"
      " FROM invitations i LEFT JOIN schools s ON s.id = i.school_id"
      " LEFT JOIN organisations o ON o.id = i.organisation_id WHERE i.id = ?1";
  return enqueue_row(store, sql, NULL, id, code, MODEL_OUTBOX_INVITATION,
                     MODEL_AUDIENCE_SCHOOL | MODEL_AUDIENCE_ORGANISATION, now, error);
}

/* Runs the statement of binder `b` on the outbox, about `object`, alone in a write
 * transaction of its own; *out_changes (when not NULL) gets the rows it changed, only
 * when it committed. */
static gboolean write_alone(ModelStore *store, const StoreBinder *b, const char *object,
                            guint *out_changes, GError **error) {
  if (!store_binder_ok(b, store, error) || !store_begin_write(store, error))
    return FALSE;
  gboolean ok = store_step_write(store, b->stmt, "outbox", object, NULL, error);
  guint changes = ok ? (guint)store_changes(store) : 0;
  if (!ops_finish(store, ok, error))
    return FALSE;
  if (out_changes != NULL)
    *out_changes = changes;
  return TRUE;
}

gboolean model_store_outbox_remind(ModelStore *store, ModelDate stale, gint64 now, guint *out_count,
                                   GError **error) {
  g_return_val_if_fail(store != NULL && out_count != NULL, FALSE);
  char since[11];
  model_date_format(stale, since);
  /* ?1 now, ?2 the date before which a confirmation is stale. */
  static const char sql[] =
      "INSERT INTO outbox (created_at, next_at, kind, audience, recipient, recipient_name, facts)"
      " SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch'),"
      " strftime('%Y-%m-%dT%H:%M:%SZ', ?1, 'unixepoch'), '" MODEL_OUTBOX_REMINDER "',"
      " 'organisation', o.contact_email, coalesce(o.contact_name, o.name),"
      " json_object('organisation', o.id, 'organisation_name', o.name, 'district', o.district_id,"
      "   'since', ?2, 'employees', (SELECT json_group_array(json_object('id', s.id,"
      "   'name', s.name, 'confirmed', s.confirmed)) FROM (SELECT e.id, e.name, e.confirmed"
      "   FROM employees e WHERE e.organisation_id = o.id AND e.active = 1"
      "   AND (e.confirmed IS NULL OR e.confirmed < ?2) ORDER BY e.id) s))"
      " FROM organisations o WHERE o.contact_email IS NOT NULL"
      " AND EXISTS (SELECT 1 FROM employees e WHERE e.organisation_id = o.id AND e.active = 1"
      "   AND (e.confirmed IS NULL OR e.confirmed < ?2))"
      " AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.kind = '" MODEL_OUTBOX_REMINDER "'"
      "   AND json_extract(x.facts, '$.organisation') = o.id AND x.created_at >= ?2)"
      " ORDER BY o.id";
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_text(&b, since);
  return write_alone(store, &b, MODEL_OUTBOX_REMINDER, out_count, error);
}

/* ---- delivery --------------------------------------------------------------- */

#define OUTBOX_COLUMNS                                                                             \
  "id, CAST(strftime('%s', created_at) AS INTEGER), kind, audience, recipient,"                    \
  " recipient_name, facts, attempts, CAST(strftime('%s', next_at) AS INTEGER),"                    \
  " CAST(strftime('%s', sent_at) AS INTEGER), last_error"

static char *column_dup(StoreStmt *stmt, int c) {
  return g_strdup(store_column_text(stmt, c));
}

/* The message in the current row of OUTBOX_COLUMNS (transfer full). */
static ModelOutboxMessage *read_message(StoreStmt *stmt) {
  ModelOutboxMessage *m = g_new0(ModelOutboxMessage, 1);
  m->id = store_column_int64(stmt, 0);
  m->created_at = store_column_int64(stmt, 1);
  m->kind = column_dup(stmt, 2);
  m->audience = column_dup(stmt, 3);
  m->recipient = column_dup(stmt, 4);
  m->recipient_name = column_dup(stmt, 5);
  m->facts = column_dup(stmt, 6);
  m->attempts = store_column_int64(stmt, 7);
  m->next_at = store_column_int64(stmt, 8);
  m->sent_at = store_column_is_null(stmt, 9) ? -1 : store_column_int64(stmt, 9);
  m->last_error = column_dup(stmt, 10);
  return m;
}

/* Steps `stmt` to its end, one message per row of OUTBOX_COLUMNS. */
static GPtrArray *read_messages(ModelStore *store, StoreStmt *stmt, GError **error) {
  return ops_read_list(store, stmt, (OpsReadFunc)read_message,
                       (GDestroyNotify)model_outbox_message_free, "cannot read the outbox", error);
}

GPtrArray *model_store_outbox_due(ModelStore *store, gint64 now, guint limit, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store,
                                 "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE sent_at IS NULL"
                                 " AND next_at <= " OPS_TIME_SQL " ORDER BY next_at, id LIMIT ?",
                                 &cached, error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_int(&b, limit);
  if (!store_binder_ok(&b, store, error))
    return NULL;
  return read_messages(store, stmt, error);
}

GPtrArray *model_store_outbox_list(ModelStore *store, gint64 after, guint limit,
                                   const char *const *districts, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  /* A message is about the district its facts name, or the districts of a round. */
  g_autoptr(StoreStmt) stmt =
      ops_prepare_page(store,
                       "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id > ?1 AND (?3 IS NULL"
                       " OR json_extract(facts, '$.district') IN (SELECT value FROM json_each(?3))"
                       " OR EXISTS (SELECT 1 FROM json_each(facts, '$.districts') d"
                       "   WHERE d.value IN (SELECT value FROM json_each(?3))))"
                       " ORDER BY id LIMIT ?2",
                       after, limit, districts, error);
  if (stmt == NULL)
    return NULL;
  return read_messages(store, stmt, error);
}

/* Runs one UPDATE of a single message in its own transaction: ?1 is the message, ?2
 * a time and, when `why` is not NULL, ?3 the reason and ?4 whether a try failed. */
static gboolean update_message(ModelStore *store, const char *sql, gint64 id, gint64 at,
                               const char *why, gboolean failed, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, id);
  store_bind_int(&b, at);
  if (why != NULL) {
    store_bind_text(&b, why);
    store_bind_int(&b, failed ? 1 : 0);
  }
  g_autofree char *object = g_strdup_printf("%" G_GINT64_FORMAT, id);
  return write_alone(store, &b, object, NULL, error);
}

gboolean model_store_outbox_mark_sent(ModelStore *store, gint64 id, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  return update_message(store,
                        "UPDATE outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?2,"
                        " 'unixepoch'), facts = json_remove(facts, '$.code')"
                        " WHERE id = ?1 AND sent_at IS NULL",
                        id, now, NULL, FALSE, error);
}

gboolean model_store_outbox_defer(ModelStore *store, gint64 id, gint64 at, const char *why,
                                  gboolean failed, GError **error) {
  g_return_val_if_fail(store != NULL && why != NULL, FALSE);
  return update_message(store,
                        "UPDATE outbox SET next_at = strftime('%Y-%m-%dT%H:%M:%SZ', ?2,"
                        " 'unixepoch'), last_error = substr(?3, 1, 2000), attempts = attempts + ?4"
                        " WHERE id = ?1 AND sent_at IS NULL",
                        id, at, why, failed, error);
}

/* Runs `sql` with the bound text `key` and integer `number` when `key` is not NULL,
 * answering one row of two integers (the second -1 when NULL). */
static gboolean query_two(ModelStore *store, const char *sql, const char *key, gint64 number,
                          gint64 *out_a, gint64 *out_b, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, sql, &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  if (key != NULL) {
    store_bind_text(&b, key);
    store_bind_int(&b, number);
  }
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  if (store_step(stmt) != STORE_ROW) {
    store_set_io_error(error, store, "cannot count the outbox");
    return FALSE;
  }
  *out_a = store_column_int64(stmt, 0);
  *out_b = store_column_is_null(stmt, 1) ? -1 : store_column_int64(stmt, 1);
  return TRUE;
}

gboolean model_store_outbox_sent_since(ModelStore *store, const char *recipient, gint64 since,
                                       gint64 *out_count, gint64 *out_earliest, GError **error) {
  g_return_val_if_fail(store != NULL && recipient != NULL, FALSE);
  return query_two(store,
                   "SELECT count(*), CAST(strftime('%s', min(sent_at)) AS INTEGER) FROM outbox"
                   " WHERE recipient = ?1 AND sent_at IS NOT NULL"
                   " AND sent_at > strftime('%Y-%m-%dT%H:%M:%SZ', ?2, 'unixepoch')",
                   recipient, since, out_count, out_earliest, error);
}

gboolean model_store_outbox_counts(ModelStore *store, gint64 *out_pending, gint64 *out_sent,
                                   GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  return query_two(store,
                   "SELECT count(*) FILTER (WHERE sent_at IS NULL),"
                   " count(*) FILTER (WHERE sent_at IS NOT NULL) FROM outbox",
                   NULL, 0, out_pending, out_sent, error);
}
