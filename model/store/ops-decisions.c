/* ops-decisions.c: approving, rejecting and cancelling assignments.  An approval is
 * a commitment people act on, so it is checked again inside its own write transaction
 * against what the database holds at that moment (the proposal is still current, the
 * request open, the employee active, available, qualified, free in that day part and
 * below their weekly maximum, the request slot not yet full, their location able to
 * spare them in that day part), and the database itself
 * refuses a double booking (a partial unique index) and an overfull slot (a trigger):
 * of two connections approving conflicting proposals at once, the second one to take
 * the write lock sees the first one's approval and is refused, never both stored.
 */
#include <string.h>

#include "ops-private.h"

void ops_target_clear(OpsTarget *t) {
  g_free(t->status);
  g_free(t->request_id);
  g_free(t->employee_id);
  g_free(t->district);
  g_free(t->request_status);
}

gboolean ops_refuse(GError **error, ModelRefusal *out, ModelRefusal refusal, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  g_autofree char *message = g_strdup_vprintf(fmt, args);
  va_end(args);
  g_set_error_literal(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, message);
  if (out != NULL)
    *out = refusal;
  return FALSE;
}

/* Reads the assignment; a missing one is SUPERSEDED when a newer round replaced it,
 * else NOT_FOUND. */
static gboolean in_scope(const char *const *districts, const char *district) {
  return districts == NULL || (district != NULL && g_strv_contains(districts, district));
}

static gboolean not_found(GError **error, const char *id) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no assignment with id \"%s\"", id);
  return FALSE;
}

/* The district of a superseded proposal's request, or NULL (transfer full). */
static gboolean superseded_district(ModelStore *store, const char *id, gboolean *out_found,
                                    char **out_district, GError **error) {
  return ops_lookup_text(
      store,
      "SELECT s.district_id FROM superseded_proposals p LEFT JOIN requests r ON r.id ="
      " p.request_id LEFT JOIN schools s ON s.id = r.school_id WHERE p.id = ?",
      id, "cannot read the proposal", out_found, out_district, error);
}

gboolean ops_read_target(ModelStore *store, const char *id, const char *const *districts,
                         OpsTarget *t, ModelRefusal *out, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(
      store,
      "SELECT a.status, a.request_id, a.employee_id, a.date, a.part, s.district_id, r.status,"
      " r.staff_needed, r.children_expected, r.own_staff, r.required, e.active,"
      " e.qualifications, e.max_parts_per_week, s.lat, s.lon,"
      " coalesce(e.lat, d.lat), coalesce(e.lon, d.lon), CASE WHEN e.max_travel_km < "
      "r.max_travel_km THEN e.max_travel_km ELSE r.max_travel_km END"
      " FROM assignments a JOIN requests r ON r.id = a.request_id"
      " JOIN schools s ON s.id = r.school_id JOIN employees e ON e.id = a.employee_id"
      " JOIN districts d ON d.id = e.district_id"
      " WHERE a.id = ?",
      &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, id);
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    gboolean superseded = FALSE;
    g_autofree char *district = NULL;
    if (!superseded_district(store, id, &superseded, &district, error))
      return FALSE;
    if (superseded && in_scope(districts, district))
      return ops_refuse(error, out, MODEL_REFUSAL_SUPERSEDED,
                        "proposal %s was replaced by a newer round", id);
    return not_found(error, id);
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read the assignment");
    return FALSE;
  }
  const char *date = store_column_text(stmt, 3);
  if (date == NULL || !model_date_parse(date, &t->slot.date)) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: assignments/%s: stored date is not valid",
                store->path, id);
    return FALSE;
  }
  if (!in_scope(districts, store_column_text(stmt, 5)))
    return not_found(error, id);
  t->status = g_strdup(store_column_text(stmt, 0));
  t->request_id = g_strdup(store_column_text(stmt, 1));
  t->employee_id = g_strdup(store_column_text(stmt, 2));
  t->slot.part = store_column_int(stmt, 4) == 1 ? MODEL_PART_AFTERNOON : MODEL_PART_MORNING;
  t->district = g_strdup(store_column_text(stmt, 5));
  t->request_status = g_strdup(store_column_text(stmt, 6));
  t->need.staff_needed = store_column_is_null(stmt, 7) ? -1 : store_column_int(stmt, 7);
  t->need.children_expected = store_column_is_null(stmt, 8) ? -1 : store_column_int(stmt, 8);
  t->need.own_staff = store_column_is_null(stmt, 9) ? -1 : store_column_int(stmt, 9);
  t->need.required = (ModelQualSet)store_column_int64(stmt, 10);
  t->active = store_column_int(stmt, 11) != 0;
  t->quals = (ModelQualSet)store_column_int64(stmt, 12);
  t->max_parts_per_week = store_column_int(stmt, 13);
  t->school_lat = store_column_double(stmt, 14);
  t->school_lon = store_column_double(stmt, 15);
  t->employee_lat = store_column_double(stmt, 16);
  t->employee_lon = store_column_double(stmt, 17);
  t->max_travel_km = store_column_int(stmt, 18);
  return TRUE;
}

/* Whether the rule in the current row (kind, weekdays, parts in columns 0 to 2), whose
 * dates span slot's date, covers `slot`. */
static gboolean rule_row_covers(StoreStmt *stmt, ModelSlot slot) {
  gboolean one = g_strcmp0(store_column_text(stmt, 0), "one") == 0;
  guint weekdays = one ? MODEL_WEEKDAYS_ALL : (guint)store_column_int(stmt, 1);
  guint parts = (guint)store_column_int(stmt, 2);
  int weekday = model_date_weekday(slot.date);
  return (weekdays & (1u << (weekday - 1))) && (parts & (1u << slot.part));
}

/* The cached statement `sql` (rules of one owner that span a date: its parameters are
 * the owner's id and the date) bound to `owner` and `date`; NULL with `error` set. */
static StoreStmt *rules_on(ModelStore *store, const char *sql, const char *owner, ModelDate date,
                           StoreCached *cached, GError **error) {
  StoreStmt *stmt = store_cached(store, sql, cached, error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, owner);
  store_bind_date(&b, date);
  return store_binder_ok(&b, store, error) ? stmt : NULL;
}

/* H7: how many staff the location of `employee` can lend in `slot` (G_MAXINT32 when
 * the employee has no location or it gave no figures for that day part), and its
 * id in *out_location (transfer full; NULL without one). */
static gboolean location_lendable(ModelStore *store, const char *employee, ModelSlot slot,
                                  char **out_location, gint32 *out, GError **error) {
  *out = G_MAXINT32;
  gboolean found = FALSE;
  if (!ops_lookup_text(
          store, "SELECT location_id FROM employees WHERE id = ? AND location_id IS NOT NULL",
          employee, "cannot read the employee's location", &found, out_location, error))
    return FALSE;
  if (!found)
    return TRUE;
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt =
      rules_on(store,
               "SELECT kind, weekdays, parts, children_expected, staff_present, max_lend"
               " FROM location_load WHERE location_id = ? AND from_date <= ?2 AND to_date >= ?2",
               *out_location, slot.date, &cached, error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW) {
    if (!rule_row_covers(stmt, slot))
      continue;
    ModelLocationLoad load = {.children_expected = -1, .staff_present = -1, .max_lend = -1};
    gint32 *figures[] = {&load.children_expected, &load.staff_present, &load.max_lend};
    for (int k = 0; k < 3; k++)
      if (!store_column_is_null(stmt, 3 + k))
        *figures[k] = store_column_int(stmt, 3 + k);
    *out = MIN(*out, model_location_load_lendable(&load, MODEL_DEFAULT_CHILDREN_PER_STAFF));
  }
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read the location's figures");
    return FALSE;
  }
  return TRUE;
}

/* Whether the slot rules of `owner` in `table` (keyed by `owner_column`; fixed names of
 * this file: "request_slots"/"request_id" or "employee_availability"/"employee_id"), as
 * they are now, cover `slot`; `failure` is the message when they cannot be read. */
static gboolean rules_cover(ModelStore *store, const char *table, const char *owner_column,
                            const char *owner, ModelSlot slot, const char *failure, gboolean *out,
                            GError **error) {
  g_autofree char *sql = g_strdup_printf("SELECT kind, weekdays, parts FROM %s"
                                         " WHERE %s = ? AND from_date <= ?2 AND to_date >= ?2",
                                         table, owner_column);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = rules_on(store, sql, owner, slot.date, &cached, error);
  if (stmt == NULL)
    return FALSE;
  gboolean found = FALSE;
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW)
    found |= rule_row_covers(stmt, slot);
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, failure);
    return FALSE;
  }
  *out = found;
  return TRUE;
}

/* Runs a query over assignments that returns one integer (a count, or EXISTS) with
 * the parameters `first`, then `second` unless NULL, then the date and part of `slot`
 * unless NULL; `failure` is the message when the step fails. */
static gboolean count_assignments(ModelStore *store, const char *sql, const char *first,
                                  const char *second, const ModelSlot *slot, const char *failure,
                                  gint64 *out, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, sql, &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, first);
  if (second != NULL)
    store_bind_text(&b, second);
  if (slot != NULL) {
    store_bind_date(&b, slot->date);
    store_bind_int(&b, slot->part);
  }
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  if (store_step(stmt) != STORE_ROW) {
    store_set_io_error(error, store, failure);
    return FALSE;
  }
  *out = store_column_int64(stmt, 0);
  return TRUE;
}

/* The condition on an assignment `a` that commits its employee: approved, or with
 * `waiting` also proposed, but not the assignment bound to its one parameter. */
#define COMMITTED "a.status = 'approved'"
#define COMMITTED_OR_WAITING "(a.status = 'approved' OR (a.status = 'proposed' AND a.id <> ?))"

/* Approved day parts of `employee` in the ISO week of `date` (with `except`, proposed
 * ones but that assignment too). */
static gboolean parts_in_week(ModelStore *store, const char *employee, const char *except,
                              ModelDate date, gint64 *out, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(
      store,
      except == NULL
          ? "SELECT date FROM assignments a WHERE employee_id = ? AND " COMMITTED
            " AND date BETWEEN ? AND ?"
          : "SELECT date FROM assignments a WHERE employee_id = ? AND " COMMITTED_OR_WAITING
            " AND date BETWEEN ? AND ?",
      &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, employee);
  if (except != NULL)
    store_bind_text(&b, except);
  store_bind_date(&b, date - 6);
  store_bind_date(&b, date + 6);
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  gint32 week = model_date_iso_week(date);
  gint64 n = 0;
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW) {
    ModelDate other;
    const char *text = store_column_text(stmt, 0);
    if (text != NULL && model_date_parse(text, &other) && model_date_iso_week(other) == week)
      n++;
  }
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read assignments");
    return FALSE;
  }
  *out = n;
  return TRUE;
}

/* Every rule of an approval, in the order a person would look. */
gboolean ops_check_approval(ModelStore *store, const char *id, const OpsTarget *t, gboolean waiting,
                            ModelRefusal *out, GError **error) {
  const char *except = waiting ? id : NULL;
  char date[11];
  model_date_format(t->slot.date, date);
  const char *part = model_part_name(t->slot.part);
  if (g_strcmp0(t->status, "proposed") != 0)
    return ops_refuse(error, out, MODEL_REFUSAL_DECIDED, "assignment %s is already %s", id,
                      t->status);
  /* A proposal is checked against the data as it is now, not as the round saw it: the
   * request may have changed or the pair been rejected while the round ran. */
  gboolean covered = FALSE, available = FALSE;
  gint64 rejected = 0, cancelled = 0;
  if (!rules_cover(store, "request_slots", "request_id", t->request_id, t->slot,
                   "cannot read the request's day parts", &covered, error) ||
      !count_assignments(store,
                         "SELECT EXISTS (SELECT 1 FROM assignments WHERE request_id = ?"
                         " AND employee_id = ? AND status = 'rejected')",
                         t->request_id, t->employee_id, NULL, "cannot read rejections", &rejected,
                         error) ||
      !count_assignments(store,
                         "SELECT EXISTS (SELECT 1 FROM assignments WHERE request_id = ?"
                         " AND employee_id = ? AND date = ? AND part = ? AND status ="
                         " 'cancelled')",
                         t->request_id, t->employee_id, &t->slot, "cannot read cancellations",
                         &cancelled, error) ||
      !rules_cover(store, "employee_availability", "employee_id", t->employee_id, t->slot,
                   "cannot read availability", &available, error))
    return FALSE;
  if (!covered)
    return ops_refuse(error, out, MODEL_REFUSAL_NOT_NEEDED, "request %s no longer asks for %s %s",
                      t->request_id, date, part);
  /* The stored travel limit is already the smaller of the two. */
  ModelPairFacts pair = {
      .active = t->active,
      .quals = t->quals,
      .required = t->need.required,
      .employee_km = t->max_travel_km,
      .request_km = t->max_travel_km,
      .distance_m =
          model_distance_m(t->employee_lat, t->employee_lon, t->school_lat, t->school_lon),
      .rejected = rejected != 0,
      .request_cancelled = g_strcmp0(t->request_status, "cancelled") == 0,
  };
  ModelSlotFacts at = {.available = available, .cancelled = cancelled != 0};
  switch (model_feasible(&pair, &at)) {
  case MODEL_FEASIBLE:
    break;
  case MODEL_INFEASIBLE_UNAVAILABLE:
    if (!t->active)
      return ops_refuse(error, out, MODEL_REFUSAL_INACTIVE, "employee %s is no longer active",
                        t->employee_id);
    /* fall through */
  case MODEL_INFEASIBLE_UNQUALIFIED:
    return ops_refuse(error, out, MODEL_REFUSAL_UNAVAILABLE,
                      "employee %s is no longer available or qualified for %s %s", t->employee_id,
                      date, part);
  case MODEL_INFEASIBLE_TOO_FAR:
    return ops_refuse(error, out, MODEL_REFUSAL_TOO_FAR,
                      "the school is beyond employee %s's or the request's travel limit (%d km)",
                      t->employee_id, t->max_travel_km);
  case MODEL_INFEASIBLE_REJECTED:
    return ops_refuse(error, out, MODEL_REFUSAL_REJECTED, "employee %s was rejected for request %s",
                      t->employee_id, t->request_id);
  case MODEL_INFEASIBLE_CANCELLED:
    return ops_refuse(error, out, MODEL_REFUSAL_UNAVAILABLE,
                      "employee %s's assignment to request %s on %s %s was cancelled",
                      t->employee_id, t->request_id, date, part);
  case MODEL_INFEASIBLE_REQUEST_CANCELLED:
    return ops_refuse(error, out, MODEL_REFUSAL_CANCELLED, "request %s is cancelled",
                      t->request_id);
  }
  gint64 n = 0;
  if (!count_assignments(store,
                         except == NULL ? "SELECT count(*) FROM assignments a WHERE employee_id = ?"
                                          " AND " COMMITTED " AND date = ? AND part = ?"
                                        : "SELECT count(*) FROM assignments a WHERE employee_id = ?"
                                          " AND " COMMITTED_OR_WAITING " AND date = ? AND part = ?",
                         t->employee_id, except, &t->slot, "cannot count assignments", &n, error))
    return FALSE;
  if (n > 0)
    return ops_refuse(error, out, MODEL_REFUSAL_DOUBLE_BOOKED,
                      "employee %s is already %s elsewhere on %s %s", t->employee_id,
                      waiting ? "approved or proposed" : "approved", date, part);
  if (!count_assignments(store,
                         "SELECT count(*) FROM assignments WHERE request_id = ? AND date = ?"
                         " AND part = ? AND status = 'approved'",
                         t->request_id, NULL, &t->slot, "cannot count assignments", &n, error))
    return FALSE;
  gint32 need = model_request_staff_needed(&t->need, MODEL_DEFAULT_CHILDREN_PER_STAFF);
  if (n >= need)
    return ops_refuse(error, out, MODEL_REFUSAL_SLOT_FULL,
                      "request %s already has the %d staff it needs on %s %s", t->request_id, need,
                      date, part);
  if (!parts_in_week(store, t->employee_id, except, t->slot.date, &n, error))
    return FALSE;
  if (n >= t->max_parts_per_week)
    return ops_refuse(error, out, MODEL_REFUSAL_WEEK_FULL,
                      "employee %s already %s %" G_GINT64_FORMAT " day parts in that week (at"
                      " most %d)",
                      t->employee_id, waiting ? "works or is proposed for" : "works", n,
                      t->max_parts_per_week);
  /* H7: the employee's location keeps enough staff for its own children. */
  g_autofree char *location = NULL;
  gint32 lendable = G_MAXINT32;
  if (!location_lendable(store, t->employee_id, t->slot, &location, &lendable, error))
    return FALSE;
  if (lendable == G_MAXINT32)
    return TRUE;
  if (!count_assignments(
          store,
          /* From the location's employees to each one's approved day part
           * (CROSS JOIN keeps SQLite to that order): not from every
           * approved assignment, which grow with the approvals. */
          except == NULL ? "SELECT count(*) FROM employees e CROSS JOIN assignments a"
                           " WHERE e.location_id = ? AND a.employee_id = e.id AND " COMMITTED
                           " AND a.date = ? AND a.part = ?"
                         : "SELECT count(*) FROM employees e CROSS JOIN assignments a"
                           " WHERE e.location_id = ? AND a.employee_id = e.id"
                           " AND " COMMITTED_OR_WAITING " AND a.date = ? AND a.part = ?",
          location, except, &t->slot, "cannot count the location's assignments", &n, error))
    return FALSE;
  if (n >= lendable)
    return ops_refuse(error, out, MODEL_REFUSAL_LOCATION_NEEDED,
                      "location %s needs employee %s for its own children on %s %s (it can lend %d"
                      " and lends %" G_GINT64_FORMAT " already)",
                      location, t->employee_id, date, part, lendable, n);
  return TRUE;
}

/* Maps a constraint the database raised during the update to a refusal; other
 * errors pass unchanged. */
static void map_constraint(GError **error, ModelRefusal *out) {
  if (error == NULL || *error == NULL ||
      !g_error_matches(*error, MODEL_ERROR, MODEL_ERROR_CONFLICT))
    return;
  ModelRefusal refusal = MODEL_REFUSAL_NONE;
  if (strstr((*error)->message, "one approved assignment per day part") != NULL)
    refusal = MODEL_REFUSAL_DOUBLE_BOOKED;
  else if (strstr((*error)->message, "all the staff it needs") != NULL)
    refusal = MODEL_REFUSAL_SLOT_FULL;
  else if (strstr((*error)->message, "request is cancelled") != NULL)
    refusal = MODEL_REFUSAL_CANCELLED;
  if (out != NULL)
    *out = refusal;
}

gboolean ops_decision_write(ModelStore *store, const char *id, const char *from, const char *to,
                            const char *actor, const char *reason, gint64 now, GError **error) {
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt =
      store_cached(store,
                   "UPDATE assignments SET status = ?, decided_by = ?, decided_at = " OPS_TIME_SQL
                   ", reason = ? WHERE id = ? AND status = ?",
                   &cached, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, to);
  store_bind_text(&b, actor);
  store_bind_int(&b, now);
  store_bind_text(&b, reason);
  store_bind_text(&b, id);
  store_bind_text(&b, from);
  if (!store_binder_ok(&b, store, error) ||
      !store_step_write(store, stmt, "assignments", id, NULL, error))
    return FALSE;
  g_assert(store_changes(store) == 1); /* the status was read under the write lock */
  return TRUE;
}

static gboolean decide_in_transaction(ModelStore *store, const char *id, ModelDecision decision,
                                      const char *actor, const char *reason, gint64 now,
                                      const char *const *districts, ModelRefusal *out,
                                      GError **error) {
  g_auto(OpsTarget) t = {0};
  if (!ops_read_target(store, id, districts, &t, out, error))
    return FALSE;
  const char *to = NULL, *action = NULL;
  guint audiences = 0;
  switch (decision) {
  case MODEL_DECISION_APPROVE:
    if (!ops_check_approval(store, id, &t, FALSE, out, error))
      return FALSE;
    to = "approved";
    action = "proposal.approve";
    audiences = MODEL_AUDIENCE_SCHOOL | MODEL_AUDIENCE_ORGANISATION | MODEL_AUDIENCE_EMPLOYEE;
    break;
  case MODEL_DECISION_REJECT:
    if (g_strcmp0(t.status, "proposed") != 0)
      return ops_refuse(error, out, MODEL_REFUSAL_DECIDED, "assignment %s is already %s", id,
                        t.status);
    to = "rejected";
    action = "proposal.reject";
    audiences = MODEL_AUDIENCE_ORGANISATION;
    break;
  case MODEL_DECISION_CANCEL:
    if (g_strcmp0(t.status, "approved") != 0)
      return ops_refuse(error, out, MODEL_REFUSAL_DECIDED,
                        "assignment %s is %s (only an approved assignment can be cancelled)", id,
                        t.status);
    to = "cancelled";
    action = "assignment.cancel";
    /* The slot is open again: the coordinator re-matches it. */
    audiences = MODEL_AUDIENCE_SCHOOL | MODEL_AUDIENCE_ORGANISATION | MODEL_AUDIENCE_EMPLOYEE |
                MODEL_AUDIENCE_COORDINATOR;
    break;
  default:
    g_return_val_if_reached(FALSE);
  }
  if (!ops_decision_write(store, id, t.status, to, actor, reason, now, error)) {
    map_constraint(error, out);
    return FALSE;
  }
  g_autofree char *object = g_strdup_printf("assignments/%s", id);
  char date[11];
  model_date_format(t.slot.date, date);
  g_autofree char *detail = g_strdup_printf(
      "request %s, employee %s, %s %s%s%s", t.request_id, t.employee_id, date,
      model_part_name(t.slot.part), reason != NULL ? ": " : "", reason != NULL ? reason : "");
  return ops_audit_write(store, actor, action, object, detail, t.district, now, error) &&
         ops_outbox_assignment(store, to, id, audiences, now, error);
}

gboolean model_store_decide(ModelStore *store, const char *id, ModelDecision decision,
                            const char *actor, const char *reason, gint64 now,
                            const char *const *districts, ModelRefusal *out_refusal,
                            GError **error) {
  g_return_val_if_fail(store != NULL && id != NULL && actor != NULL, FALSE);
  g_auto(ModelDecisionJob) job = {id, decision, actor, reason, now, districts};
  if (!model_store_decide_batch(store, &job, 1, error))
    return FALSE;
  if (out_refusal != NULL)
    *out_refusal = job.refusal;
  if (!job.ok)
    g_propagate_error(error, g_steal_pointer(&job.error));
  return job.ok;
}

void model_decision_job_clear(ModelDecisionJob *job) {
  g_clear_error(&job->error);
}

/* Takes job `job` inside the batch's transaction, in a savepoint that a refusal (or
 * any failure of the job alone) rolls back; FALSE when the savepoint itself fails,
 * which ends the batch. */
static gboolean decide_in_savepoint(ModelStore *store, ModelDecisionJob *job, GError **error) {
  if (!store_exec(store, "SAVEPOINT decision", error))
    return FALSE;
  job->refusal = MODEL_REFUSAL_NONE;
  job->ok = decide_in_transaction(store, job->id, job->decision, job->actor, job->reason, job->now,
                                  job->districts, &job->refusal, &job->error);
  if (!job->ok && !store_exec(store, "ROLLBACK TO SAVEPOINT decision", error))
    return FALSE;
  return store_exec(store, "RELEASE SAVEPOINT decision", error);
}

gboolean model_store_decide_batch(ModelStore *store, ModelDecisionJob *jobs, guint n,
                                  GError **error) {
  g_return_val_if_fail(store != NULL && (jobs != NULL || n == 0), FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!decide_in_savepoint(store, &jobs[i], error)) {
      store_rollback(store);
      return FALSE;
    }
  return store_commit(store, error); /* rolls back when it fails */
}

GHashTable *model_store_assignment_rounds(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_autoptr(StoreStmt) stmt =
      store_prepare(store, "SELECT assignment_id, round_id FROM assignment_rounds", error);
  if (stmt == NULL)
    return NULL;
  g_autoptr(GHashTable) rounds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW) {
    gint64 *round = g_new(gint64, 1);
    *round = store_column_int64(stmt, 1);
    g_hash_table_insert(rounds, g_strdup(store_column_text(stmt, 0)), round);
  }
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read assignments");
    return NULL;
  }
  return g_steal_pointer(&rounds);
}
