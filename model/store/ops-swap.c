/* ops-swap.c: replacing a waiting proposal by another employee for the same request
 * slot.  In one write transaction the old proposal becomes rejected (decided by the
 * coordinator, the reason naming its replacement, so the round never proposes that
 * pair again, as after any rejection) and a new proposal "OLD-wN" for the new employee
 * is written, tagged with the old one's round; the new one must then pass every
 * re-check of an approval (ops_check_approval()), with the employee's other waiting
 * proposals counted as commitments.  Any refusal rolls the whole transaction back, so
 * a refused swap changes nothing.  The new proposal waits for approval like any other.
 */
#include <string.h>

#include "ops-private.h"

/* The most swaps of one day part's proposal: a hard cap on the search for a free id. */
#define SWAPS_MAX 1000

/* The id of the proposal replacing `old`: its id without an earlier "-wN" suffix, then
 * "-wN" with the first N free in assignments and superseded proposals (transfer full). */
static char *swap_id(ModelStore *store, const char *old, GError **error) {
  g_autofree char *base = g_strdup(old);
  char *dash = strrchr(base, '-');
  if (dash != NULL && dash[1] == 'w' && dash[2] != '\0' &&
      strspn(dash + 2, "0123456789") == strlen(dash + 2))
    *dash = '\0';
  if (strlen(base) > MODEL_ID_MAX - 8)
    base[MODEL_ID_MAX - 8] = '\0';
  for (guint n = 1; n <= SWAPS_MAX; n++) {
    g_autofree char *id = g_strdup_printf("%s-w%u", base, n);
    gboolean taken = FALSE, superseded = FALSE;
    if (!ops_exists(store, "assignments", id, &taken, error) ||
        !ops_lookup_text(store, "SELECT id FROM superseded_proposals WHERE id = ?", id,
                         "cannot read the proposals", &superseded, NULL, error))
      return NULL;
    if (!taken && !superseded)
      return g_steal_pointer(&id);
  }
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "proposal %s was swapped %d times already",
              old, SWAPS_MAX);
  return NULL;
}

/* Writes the proposal `id` of `employee` for the request slot of `t`, in the round of
 * proposal `old` when it has one. */
static gboolean insert_new(ModelStore *store, const char *id, const char *old, const OpsTarget *t,
                           const char *employee, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, STORE_ASSIGNMENT_INSERT_SQL, error);
  if (stmt == NULL)
    return FALSE;
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = (char *)id;
  a.request_id = t->request_id;
  a.employee_id = (char *)employee;
  a.slot = t->slot;
  a.status = MODEL_ASSIGNMENT_PROPOSED;
  if (!store_write_assignment(store, stmt, &a, error))
    return FALSE;
  g_autoptr(StoreStmt) tag =
      store_prepare(store,
                    "INSERT INTO assignment_rounds (assignment_id, round_id)"
                    " SELECT ?, round_id FROM assignment_rounds WHERE assignment_id = ?",
                    error);
  if (tag == NULL)
    return FALSE;
  StoreBinder b = store_binder(tag);
  store_bind_text(&b, id);
  store_bind_text(&b, old);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, tag, "assignments", id, NULL, error);
}

static gboolean swap_in_transaction(ModelStore *store, const ModelSwap *swap, char **out_id,
                                    ModelRefusal *out, GError **error) {
  g_auto(OpsTarget) old = {0};
  if (!ops_read_target(store, swap->id, swap->districts, &old, out, error))
    return FALSE;
  if (g_strcmp0(old.status, "proposed") != 0)
    return ops_refuse(error, out, MODEL_REFUSAL_DECIDED,
                      "assignment %s is already %s (only a proposal can be swapped)", swap->id,
                      old.status);
  gboolean exists = FALSE;
  if (!ops_exists(store, "employees", swap->employee, &exists, error))
    return FALSE;
  if (!exists) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID, "/employee: no employee with id \"%s\"",
                swap->employee);
    return FALSE;
  }
  if (g_strcmp0(swap->employee, old.employee_id) == 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                "/employee: \"%s\" is already proposed here (expected another employee)",
                swap->employee);
    return FALSE;
  }
  g_autofree char *id = swap_id(store, swap->id, error);
  if (id == NULL)
    return FALSE;
  g_autofree char *reason =
      g_strdup_printf("swapped for %s (%s)%s%s", swap->employee, id,
                      swap->reason != NULL ? ": " : "", swap->reason != NULL ? swap->reason : "");
  if (!ops_decision_write(store, swap->id, "proposed", "rejected", swap->actor, reason, swap->now,
                          error) ||
      !insert_new(store, id, swap->id, &old, swap->employee, error))
    return FALSE;
  g_auto(OpsTarget) fresh = {0};
  if (!ops_read_target(store, id, NULL, &fresh, out, error) ||
      !ops_check_approval(store, id, &fresh, TRUE, out, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("assignments/%s", swap->id);
  char date[11];
  model_date_format(old.slot.date, date);
  g_autofree char *detail = g_strdup_printf(
      "request %s, employee %s replaced by %s (proposal %s), %s %s%s%s", old.request_id,
      old.employee_id, swap->employee, id, date, model_part_name(old.slot.part),
      swap->reason != NULL ? ": " : "", swap->reason != NULL ? swap->reason : "");
  if (!ops_audit_write(store, swap->actor, "proposal.swap", object, detail, old.district, swap->now,
                       error))
    return FALSE;
  *out_id = g_steal_pointer(&id);
  return TRUE;
}

gboolean model_store_swap(ModelStore *store, const ModelSwap *swap, char **out_id,
                          ModelRefusal *out_refusal, GError **error) {
  g_return_val_if_fail(store != NULL && swap != NULL && out_id != NULL, FALSE);
  g_return_val_if_fail(swap->id != NULL && swap->employee != NULL && swap->actor != NULL, FALSE);
  ModelRefusal refusal = MODEL_REFUSAL_NONE;
  g_autofree char *id = NULL;
  if (!store_begin_write(store, error))
    return FALSE;
  if (!swap_in_transaction(store, swap, &id, &refusal, error)) {
    store_rollback(store);
    if (out_refusal != NULL)
      *out_refusal = refusal;
    return FALSE;
  }
  if (!store_commit(store, error))
    return FALSE;
  *out_id = g_steal_pointer(&id);
  return TRUE;
}
