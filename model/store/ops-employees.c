/* ops-employees.c: creating and changing employees, their availability and whether
 * they are active, and the figures of an organisation's locations.  Invariants: an employee's
 * organisation never changes (an organisation manages only its own people); a deactivated employee
 * keeps their decided assignments (commitments are cancelled explicitly, with a reason) but loses
 * every open proposal, so nobody approves a match with someone who left.
 */
#include "ops-private.h"

static const char employee_insert_sql[] =
    "INSERT INTO employees (id, organisation_id, name, district_id, lat, lon,"
    " qualifications, max_parts_per_week, max_travel_km, active, confirmed, email, phone,"
    " location_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char employee_update_sql[] =
    "UPDATE employees SET name = ?3, district_id = ?4, lat = ?5, lon = ?6,"
    " qualifications = ?7, max_parts_per_week = ?8, max_travel_km = ?9, active = ?10,"
    " confirmed = ?11, email = ?12, phone = ?13, location_id = ?14 WHERE id = ?1 AND "
    "organisation_id = ?2";

static gboolean write_employee(ModelStore *store, const char *sql, const ModelEmployee *e,
                               GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  g_autofree char *missing =
      g_strdup_printf("no organisation with id \"%s\" or no district with id \"%s\"",
                      e->organisation_id, e->district_id);
  StoreBinder b = store_binder(stmt);
  store_bind_employee(&b, e);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "employees", e->id, missing, error);
}

static const char *const change_actions[] = {
    [MODEL_EMPLOYEE_UPDATE] = "employee.update",
    [MODEL_EMPLOYEE_DEACTIVATE] = "employee.deactivate",
    [MODEL_EMPLOYEE_AVAILABILITY] = "employee.availability",
    [MODEL_EMPLOYEE_CONFIRM] = "employee.confirm",
};

/* Audits `action` on `employee` (its own district) with `detail` (may be NULL),
 * inside the transaction. */
static gboolean audit_employee(ModelStore *store, const char *action, const ModelEmployee *employee,
                               const char *detail, const char *actor, gint64 now, GError **error) {
  g_autofree char *object = g_strdup_printf("employees/%s", employee->id);
  return ops_audit_write(store, actor, action, object, detail, employee->district_id, now, error);
}

/* Withdraws the proposals of an inactive employee: nobody approves a match with
 * someone who left. */
static gboolean withdraw_if_inactive(ModelStore *store, const ModelEmployee *employee,
                                     GError **error) {
  return employee->active ||
         ops_exec_text(store,
                       "DELETE FROM assignments WHERE employee_id = ? AND status = 'proposed'",
                       employee->id, error);
}

static gboolean create_in_transaction(ModelStore *store, ModelEmployee *employee, const char *actor,
                                      gint64 now, GError **error) {
  if (employee->id == NULL && (employee->id = ops_next_id(store, "employees", "e", error)) == NULL)
    return FALSE;
  gboolean taken = FALSE;
  if (!ops_exists(store, "employees", employee->id, &taken, error))
    return FALSE;
  if (taken) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "employees/%s: the id is already taken",
                employee->id);
    return FALSE;
  }
  return write_employee(store, employee_insert_sql, employee, error) &&
         ops_write_rules(store, "employee_availability", "employee_id", "employees", employee->id,
                         employee->availability, error) &&
         audit_employee(store, "employee.create", employee, NULL, actor, now, error);
}

gboolean model_store_employee_create(ModelStore *store, ModelEmployee *employee, const char *actor,
                                     gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && employee != NULL && employee->organisation_id != NULL,
                       FALSE);
  g_return_val_if_fail(actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = create_in_transaction(store, employee, actor, now, error);
  return ops_finish(store, ok, error);
}

static gboolean update_in_transaction(ModelStore *store, const ModelEmployee *employee,
                                      ModelEmployeeChange change, const char *actor, gint64 now,
                                      GError **error) {
  gboolean exists = FALSE;
  if (!ops_exists(store, "employees", employee->id, &exists, error))
    return FALSE;
  if (!exists) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no employee with id \"%s\"",
                employee->id);
    return FALSE;
  }
  if (!write_employee(store, employee_update_sql, employee, error))
    return FALSE;
  if (store_changes(store) != 1) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                "employees/%s: the organisation of an employee cannot change", employee->id);
    return FALSE;
  }
  return withdraw_if_inactive(store, employee, error) &&
         ops_write_rules(store, "employee_availability", "employee_id", "employees", employee->id,
                         employee->availability, error) &&
         audit_employee(store, change_actions[change], employee, NULL, actor, now, error);
}

gboolean model_store_employee_update(ModelStore *store, const ModelEmployee *employee,
                                     ModelEmployeeChange change, const char *actor, gint64 now,
                                     GError **error) {
  g_return_val_if_fail(store != NULL && employee != NULL && employee->id != NULL, FALSE);
  g_return_val_if_fail((guint)change < G_N_ELEMENTS(change_actions) && actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = update_in_transaction(store, employee, change, actor, now, error);
  return ops_finish(store, ok, error);
}

/* ---- imports -------------------------------------------------------------- */

/* The audit action of importing `employee`, from what the store holds before: a new
 * one is created, an active one made inactive is deactivated, any other updated. */
static gboolean import_action(ModelStore *store, const ModelEmployee *employee,
                              const char **out_action, GError **error) {
  gboolean found = FALSE;
  g_autofree char *active = NULL;
  if (!ops_lookup_text(store, "SELECT active FROM employees WHERE id = ?", employee->id,
                       "cannot read the employee", &found, &active, error))
    return FALSE;
  if (!found)
    *out_action = "employee.create";
  else if (!employee->active && g_strcmp0(active, "1") == 0)
    *out_action = change_actions[MODEL_EMPLOYEE_DEACTIVATE];
  else
    *out_action = change_actions[MODEL_EMPLOYEE_UPDATE];
  return TRUE;
}

static gboolean import_in_transaction(ModelStore *store, const ModelDataset *dataset,
                                      const char *actor, gint64 now, GError **error) {
  guint n = dataset->employees->len;
  g_autofree const char **actions = g_new0(const char *, MAX(n, 1));
  for (guint i = 0; i < n; i++)
    if (!import_action(store, &g_array_index(dataset->employees, ModelEmployee, i), &actions[i],
                       error))
      return FALSE;
  if (!store_import_in_transaction(store, dataset, MODEL_STORE_IMPORT_MERGE, error))
    return FALSE;
  for (guint i = 0; i < n; i++) {
    const ModelEmployee *employee = &g_array_index(dataset->employees, ModelEmployee, i);
    if (!withdraw_if_inactive(store, employee, error) ||
        !audit_employee(store, actions[i], employee, "import", actor, now, error))
      return FALSE;
  }
  return TRUE;
}

gboolean model_store_employees_import(ModelStore *store, const ModelDataset *dataset,
                                      const char *actor, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && dataset != NULL && actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = import_in_transaction(store, dataset, actor, now, error);
  return ops_finish(store, ok, error);
}

/* ---- locations ----------------------------------------------------------- */

static gboolean set_load_in_transaction(ModelStore *store, const ModelLocation *location,
                                        const char *actor, gint64 now, GError **error) {
  gboolean found = FALSE;
  g_autofree char *owner = NULL;
  if (!ops_lookup_text(store, "SELECT organisation_id FROM locations WHERE id = ?", location->id,
                       "cannot read the location", &found, &owner, error))
    return FALSE;
  if (!found || g_strcmp0(owner, location->organisation_id) != 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no location with id \"%s\"",
                location->id);
    return FALSE;
  }
  g_autoptr(StoreStmt) clear =
      store_prepare(store, "DELETE FROM location_load WHERE location_id = ?", error);
  g_autoptr(StoreStmt) insert =
      clear != NULL ? store_prepare(store, STORE_LOAD_INSERT_SQL, error) : NULL;
  if (insert == NULL || !store_write_load(store, clear, insert, location, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("locations/%s", location->id);
  return ops_audit_write(store, actor, "location.load", object, NULL, location->district_id, now,
                         error);
}

gboolean model_store_location_set_load(ModelStore *store, const ModelLocation *location,
                                       const char *actor, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && location != NULL && location->id != NULL, FALSE);
  g_return_val_if_fail(location->organisation_id != NULL && actor != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = set_load_in_transaction(store, location, actor, now, error);
  return ops_finish(store, ok, error);
}
