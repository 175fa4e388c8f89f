/* ops-requests.c: creating, changing and cancelling requests for extra hands, or one
 * day part of one.  Invariants: a request's school never changes; a change of its
 * slots keeps every day part an approved assignment stands on, so proposed and
 * approved assignments always fall on their request's slots (rejected and cancelled
 * ones are history and may not); cancelling a request, or one day part of it, cancels
 * what was approved there and drops what was proposed, with an audit row per change,
 * in the transaction that cancels it.
 */
#include "ops-private.h"

static const char request_insert_sql[] =
    "INSERT INTO requests (id, school_id, staff_needed, children_expected, own_staff,"
    " required, preferred, priority, max_travel_km, note, status)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char request_update_sql[] =
    "UPDATE requests SET staff_needed = ?3, children_expected = ?4, own_staff = ?5,"
    " required = ?6, preferred = ?7, priority = ?8, max_travel_km = ?9, note = ?10,"
    " status = ?11 WHERE id = ?1 AND school_id = ?2";

/* Binds a request in the column order of both statements above and steps. */
static gboolean write_request(ModelStore *store, const char *sql, const ModelRequest *r,
                              GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *missing = g_strdup_printf("no school with id \"%s\"", r->school_id);
  StoreBinder b = store_binder(stmt);
  store_bind_request(&b, r);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "requests", r->id, missing, error);
}

/* The district of a school, or NULL when it has none or does not exist (transfer
 * full). */
static char *school_district(ModelStore *store, const char *school, GError **error,
                             gboolean *out_ok) {
  gboolean found = FALSE;
  char *district = NULL;
  *out_ok = ops_lookup_text(store, "SELECT district_id FROM schools WHERE id = ?", school,
                            "cannot read the school", &found, &district, error);
  return district;
}

/* Audits `action` on request `id` of `school`, inside the transaction. */
static gboolean audit_request(ModelStore *store, const char *action, const char *id,
                              const char *school, const char *actor, gint64 now, GError **error) {
  gboolean ok = FALSE;
  g_autofree char *district = school_district(store, school, error, &ok);
  g_autofree char *object = g_strdup_printf("requests/%s", id);
  return ok && ops_audit_write(store, actor, action, object, NULL, district, now, error);
}

static gboolean create_in_transaction(ModelStore *store, ModelRequest *request, const char *actor,
                                      gint64 now, GError **error) {
  if (request->id == NULL && (request->id = ops_next_id(store, "requests", "r", error)) == NULL)
    return FALSE;
  gboolean taken = FALSE;
  if (!ops_exists(store, "requests", request->id, &taken, error))
    return FALSE;
  if (taken) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "requests/%s: the id is already taken",
                request->id);
    return FALSE;
  }
  gboolean school = FALSE;
  if (!ops_exists(store, "schools", request->school_id, &school, error))
    return FALSE;
  if (!school) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no school with id \"%s\"",
                request->school_id);
    return FALSE;
  }
  return write_request(store, request_insert_sql, request, error) &&
         ops_write_rules(store, "request_slots", "request_id", "requests", request->id,
                         request->slots, error) &&
         audit_request(store, "request.create", request->id, request->school_id, actor, now,
                       error) &&
         ops_outbox_request(store, MODEL_OUTBOX_REQUEST_POSTED, request->id, now, error);
}

gboolean model_store_request_create(ModelStore *store, ModelRequest *request, const char *actor,
                                    gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && request != NULL && request->school_id != NULL, FALSE);
  g_return_val_if_fail(actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = create_in_transaction(store, request, actor, now, error);
  return ops_finish(store, ok, error);
}

/* Drops the proposals of request `id` on day parts outside `slots` (sorted ModelSlot)
 * and refuses when a decided assignment stands on one. */
static gboolean fit_assignments(ModelStore *store, const char *id, const GArray *slots,
                                GError **error) {
  g_autoptr(StoreStmt) stmt = ops_prepare_text(
      store, "SELECT id, date, part, status FROM assignments WHERE request_id = ? ORDER BY id", id,
      error);
  if (stmt == NULL)
    return FALSE;
  g_autoptr(GPtrArray) drop = g_ptr_array_new_with_free_func(g_free);
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW) {
    ModelSlot slot = {0};
    const char *date = store_column_text(stmt, 1);
    if (date == NULL || !model_date_parse(date, &slot.date))
      continue;
    slot.part = (ModelPart)store_column_int(stmt, 2);
    if (bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL)
      continue;
    /* An approved assignment is a commitment: cancel it first.  Proposals on a dropped
     * day part go; rejected and cancelled ones stay as history (the school is not told
     * about them: proposals and rejections are the coordinator's). */
    const char *status = store_column_text(stmt, 3);
    if (g_strcmp0(status, "approved") == 0) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                  "requests/%s: someone is approved on %s %s, which the new slots leave out"
                  " (cancel that assignment first)",
                  id, date, model_part_name(slot.part));
      return FALSE;
    }
    if (g_strcmp0(status, "proposed") == 0)
      g_ptr_array_add(drop, g_strdup(store_column_text(stmt, 0)));
  }
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read assignments");
    return FALSE;
  }
  for (guint i = 0; i < drop->len; i++)
    if (!ops_exec_text(store, "DELETE FROM assignments WHERE id = ? AND status = 'proposed'",
                       g_ptr_array_index(drop, i), error))
      return FALSE;
  return TRUE;
}

static gboolean update_in_transaction(ModelStore *store, const ModelRequest *request,
                                      const char *actor, gint64 now, GError **error) {
  gboolean exists = FALSE;
  if (!ops_exists(store, "requests", request->id, &exists, error))
    return FALSE;
  if (!exists) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no request with id \"%s\"",
                request->id);
    return FALSE;
  }
  g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
  if (!write_request(store, request_update_sql, request, error) || store_changes(store) != 1) {
    if (error != NULL && *error == NULL)
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                  "requests/%s: the school of a request cannot change", request->id);
    return FALSE;
  }
  return fit_assignments(store, request->id, slots, error) &&
         ops_write_rules(store, "request_slots", "request_id", "requests", request->id,
                         request->slots, error) &&
         audit_request(store, "request.update", request->id, request->school_id, actor, now,
                       error) &&
         ops_outbox_request(store, MODEL_OUTBOX_REQUEST_CHANGED, request->id, now, error);
}

gboolean model_store_request_update(ModelStore *store, const ModelRequest *request,
                                    const char *actor, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && request != NULL && request->id != NULL, FALSE);
  g_return_val_if_fail(actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  GError *local = NULL;
  gboolean ok = update_in_transaction(store, request, actor, now, &local);
  if (!ok)
    g_propagate_error(error, local);
  return ops_finish(store, ok, error);
}

/* The district of a request's school, or NULL (transfer full). */
static char *request_district(ModelStore *store, const char *id, char **out_status,
                              GError **error) {
  g_autoptr(StoreStmt) stmt = ops_prepare_text(
      store,
      "SELECT s.district_id, r.status FROM requests r JOIN schools s ON s.id = r.school_id"
      " WHERE r.id = ?",
      id, error);
  if (stmt == NULL)
    return NULL;
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no request with id \"%s\"", id);
    return NULL;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read the request");
    return NULL;
  }
  *out_status = g_strdup(store_column_text(stmt, 1));
  return g_strdup(store_column_text(stmt, 0));
}

/* Prepares `sql` about request `id`'s assignments with `status` and, unless `slot` is
 * NULL, on that day part: its parameters are those, in that order (transfer full). */
static StoreStmt *prepare_on_slot(ModelStore *store, const char *sql, const char *id,
                                  const char *status, const ModelSlot *slot, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, id);
  store_bind_text(&b, status);
  if (slot != NULL) {
    store_bind_date(&b, slot->date);
    store_bind_int(&b, slot->part);
  }
  return store_binder_ok(&b, store, error) ? g_steal_pointer(&stmt) : NULL;
}

/* The ids of request `id`'s assignments with `status`, on day part `slot` only unless
 * NULL (transfer full). */
static GPtrArray *assignments_with_status(ModelStore *store, const char *id, const char *status,
                                          const ModelSlot *slot, GError **error) {
  g_autoptr(StoreStmt) stmt = prepare_on_slot(
      store,
      slot == NULL ? "SELECT id FROM assignments WHERE request_id = ? AND status = ? ORDER BY id"
                   : "SELECT id FROM assignments WHERE request_id = ? AND status = ?"
                     " AND date = ? AND part = ? ORDER BY id",
      id, status, slot, error);
  if (stmt == NULL)
    return NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW)
    g_ptr_array_add(ids, g_strdup(store_column_text(stmt, 0)));
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read assignments");
    return NULL;
  }
  return g_steal_pointer(&ids);
}

/* The district of open request `id` (transfer full); NULL with MODEL_ERROR_NOT_FOUND
 * when it does not exist, MODEL_ERROR_CONFLICT when it is cancelled. */
static char *open_request_district(ModelStore *store, const char *id, GError **error) {
  g_autofree char *status = NULL;
  g_autofree char *district = request_district(store, id, &status, error);
  if (district != NULL && g_strcmp0(status, "cancelled") == 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "request %s is already cancelled", id);
    return NULL;
  }
  return g_steal_pointer(&district);
}

/* Cancels the approved assignments of request `id` (on day part `slot` only unless
 * NULL) with `reason`, each audited and told to its organisation and employee. */
static gboolean cancel_approved(ModelStore *store, const char *id, const ModelSlot *slot,
                                const char *district, const char *actor, const char *reason,
                                gint64 now, GError **error) {
  g_autoptr(GPtrArray) approved = assignments_with_status(store, id, "approved", slot, error);
  if (approved == NULL)
    return FALSE;
  g_autoptr(StoreStmt) cancel = store_prepare(
      store,
      "UPDATE assignments SET status = 'cancelled', decided_by = ?, decided_at = " OPS_TIME_SQL
      ", reason = ? WHERE id = ?",
      error);
  if (cancel == NULL)
    return FALSE;
  const char *why = reason != NULL ? reason
                    : slot != NULL ? "the day part was cancelled"
                                   : "the request was cancelled";
  for (guint i = 0; i < approved->len; i++) {
    const char *aid = g_ptr_array_index(approved, i);
    g_autofree char *object = g_strdup_printf("assignments/%s", aid);
    StoreBinder b = store_binder(cancel);
    store_bind_text(&b, actor);
    store_bind_int(&b, now);
    store_bind_text(&b, why);
    store_bind_text(&b, aid);
    if (!store_binder_ok(&b, store, error) ||
        !store_step_write(store, cancel, "assignments", aid, NULL, error) ||
        !ops_audit_write(store, actor, "assignment.cancel", object, why, district, now, error) ||
        !ops_outbox_assignment(store, MODEL_OUTBOX_CANCELLED, aid,
                               MODEL_AUDIENCE_ORGANISATION | MODEL_AUDIENCE_EMPLOYEE, now, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean cancel_in_transaction(ModelStore *store, const char *id, const char *actor,
                                      const char *reason, gint64 now, GError **error) {
  g_autofree char *district = open_request_district(store, id, error);
  if (district == NULL || !cancel_approved(store, id, NULL, district, actor, reason, now, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("requests/%s", id);
  return ops_exec_text(store,
                       "DELETE FROM assignments WHERE request_id = ? AND status = 'proposed'", id,
                       error) &&
         ops_exec_text(store, "UPDATE requests SET status = 'cancelled' WHERE id = ?", id, error) &&
         ops_audit_write(store, actor, "request.cancel", object, reason, district, now, error) &&
         ops_outbox_request(store, MODEL_OUTBOX_REQUEST_CHANGED, id, now, error);
}

gboolean model_store_request_cancel(ModelStore *store, const char *id, const char *actor,
                                    const char *reason, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && id != NULL && actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = cancel_in_transaction(store, id, actor, reason, now, error);
  return ops_finish(store, ok, error);
}

/* Withdraws the proposals of request `id` on day part `slot`. */
static gboolean withdraw_proposals(ModelStore *store, const char *id, ModelSlot slot,
                                   GError **error) {
  g_autoptr(StoreStmt) stmt = prepare_on_slot(store,
                                              "DELETE FROM assignments WHERE request_id = ? AND"
                                              " status = ? AND date = ? AND part = ?",
                                              id, "proposed", &slot, error);
  return stmt != NULL && ops_step_done(store, stmt, "cannot write the store", error);
}

static gboolean cancel_part_in_transaction(ModelStore *store, const ModelRequest *request,
                                           ModelSlot slot, const char *actor, const char *reason,
                                           gint64 now, GError **error) {
  g_autofree char *district = open_request_district(store, request->id, error);
  if (district == NULL)
    return FALSE;
  char date[11];
  model_date_format(slot.date, date);
  g_autofree char *detail =
      g_strdup_printf("%s %s%s%s", date, model_part_name(slot.part), reason != NULL ? ": " : "",
                      reason != NULL ? reason : "");
  g_autofree char *object = g_strdup_printf("requests/%s", request->id);
  return cancel_approved(store, request->id, &slot, district, actor, reason, now, error) &&
         withdraw_proposals(store, request->id, slot, error) &&
         ops_write_rules(store, "request_slots", "request_id", "requests", request->id,
                         request->slots, error) &&
         ops_audit_write(store, actor, "request.cancel_part", object, detail, district, now,
                         error) &&
         ops_outbox_request(store, MODEL_OUTBOX_REQUEST_CHANGED, request->id, now, error);
}

gboolean model_store_request_cancel_part(ModelStore *store, const ModelRequest *request,
                                         ModelSlot slot, const char *actor, const char *reason,
                                         gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && request != NULL && request->id != NULL, FALSE);
  g_return_val_if_fail(actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = cancel_part_in_transaction(store, request, slot, actor, reason, now, error);
  return ops_finish(store, ok, error);
}
