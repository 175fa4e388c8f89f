/* ops-rounds.c: matching rounds as the store keeps them: a row per round (running,
 * finished or failed, with statistics and unfilled staff-slots), the proposals it made
 * (assignments tagged with the round in assignment_rounds) and the proposals it replaced.
 * Invariant: a round's proposals and its "finished" status are stored in one transaction, so a
 * reader sees either the old proposals and a running round or the new ones and a
 * finished round, never a mix; only proposals of requests in the round's districts
 * are replaced (of a round of freed slots, only those of request slots with a cancelled
 * assignment); two running rounds never share a district (checked and recorded in
 * one write transaction, so this holds across processes too).
 */
#include "ops-private.h"

void model_round_free(ModelRound *round) {
  if (round == NULL)
    return;
  g_free(round->status);
  g_free(round->districts);
  g_free(round->started_at);
  g_free(round->finished_at);
  g_free(round->started_by);
  g_free(round->stats_json);
  g_free(round->unfilled_json);
  g_free(round->error);
  g_free(round);
}

/* Which running rounds fail_in_transaction() fails besides the one it names. */
typedef enum {
  FAIL_ONE,     /* only round `id` */
  FAIL_ORPHANS, /* those whose owner's session is gone */
  FAIL_UNOWNED, /* those too with no owner (the server's start: rounds of older
                   versions, which recorded none, or of a store that names none) */
} FailScope;

/* Sets status failed with `message` on round `id` or the running rounds of `scope`,
 * inside the caller's write transaction. */
static gboolean fail_in_transaction(ModelStore *store, gint64 id, FailScope scope,
                                    const char *message, gint64 now, GError **error) {
  g_autofree char *cut = g_utf8_substring(message, 0, MIN(g_utf8_strlen(message, -1), 2000));
  g_autofree char *sql = g_strconcat(
      "UPDATE rounds SET status = 'failed', finished_at = " OPS_TIME_SQL ", error = ?"
      " WHERE status = 'running' AND (id = ?3 OR (?4 = 1 AND owner IS NOT NULL AND NOT (",
      store->driver->session_alive_sql, ")) OR (?4 = 2 AND (owner IS NULL OR NOT (",
      store->driver->session_alive_sql, "))))", NULL);
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_text(&b, cut);
  store_bind_int(&b, id);
  store_bind_int(&b, scope);
  return store_binder_ok(&b, store, error) &&
         store_step_write(store, stmt, "rounds", "fail", NULL, error);
}

/* Refuses a new round when a running one shares a district ("[]" shares all). */
static gboolean check_overlap(ModelStore *store, const char *json, gboolean all, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(
      store,
      "SELECT id FROM rounds r WHERE status = 'running' AND (?2 = 1 OR r.districts = '[]'"
      " OR EXISTS (SELECT 1 FROM json_each(r.districts) a JOIN json_each(?1) b"
      " ON a.value = b.value)) ORDER BY id LIMIT 1",
      error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, json);
  store_bind_int(&b, all ? 1 : 0);
  if (!store_binder_ok(&b, store, error))
    return FALSE;
  int rc = store_step(stmt);
  if (rc == STORE_ROW) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                "round %" G_GINT64_FORMAT " is still running for some of these districts",
                (gint64)store_column_int64(stmt, 0));
    return FALSE;
  }
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read rounds");
    return FALSE;
  }
  return TRUE;
}

static gboolean start_in_transaction(ModelStore *store, const char *json, gboolean all,
                                     gboolean freed, gint64 continuity_m, const char *district,
                                     const char *actor, gint64 now, gint64 *out_id,
                                     GError **error) {
  /* A round whose process was killed (a `handen match` stopped with Ctrl-C, a server
   * that crashed) holds its districts no longer. */
  if (!fail_in_transaction(store, -1, FAIL_ORPHANS,
                           "interrupted: the process running the round stopped", now, error) ||
      !check_overlap(store, json, all, error))
    return FALSE;
  g_autofree char *sql = g_strconcat(
      "INSERT INTO rounds (started_at, status, districts, started_by, slots, continuity_m, owner) "
      "VALUES (" OPS_TIME_SQL ", 'running', ?, ?, ?, ?, ",
      store->driver->session_sql, ") RETURNING id", NULL);
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_text(&b, json);
  store_bind_text(&b, actor);
  store_bind_text(&b, freed ? "freed" : "all");
  store_bind_int(&b, continuity_m);
  if (!store_binder_ok(&b, store, error) ||
      !store_step_returning_id(store, stmt, "rounds", out_id, error))
    return FALSE;
  g_autofree char *object = g_strdup_printf("rounds/%" G_GINT64_FORMAT, *out_id);
  g_autofree char *detail = g_strdup_printf("districts %s%s, continuity %" G_GINT64_FORMAT " m",
                                            json, freed ? ", freed slots" : "", continuity_m);
  return ops_audit_write(store, actor, "round.start", object, detail, district, now, error);
}

gboolean model_store_round_start(ModelStore *store, const char *const *districts, gboolean freed,
                                 gint64 continuity_m, const char *actor, gint64 now, gint64 *out_id,
                                 GError **error) {
  g_return_val_if_fail(store != NULL && out_id != NULL && actor != NULL, FALSE);
  g_autofree char *json = districts != NULL ? ops_districts_json(districts) : g_strdup("[]");
  /* The round concerns one district's coordinators only when it has one district. */
  const char *district =
      districts != NULL && districts[0] != NULL && districts[1] == NULL ? districts[0] : NULL;
  if (!store_begin_write(store, error))
    return FALSE;
  gint64 id = 0;
  gboolean ok = start_in_transaction(store, json, districts == NULL, freed, continuity_m, district,
                                     actor, now, &id, error);
  if (!ops_finish(store, ok, error))
    return FALSE;
  *out_id = id;
  return TRUE;
}

/* The condition "request `r` is in the districts" as SQL over a temp table of ids. */
static gboolean fill_scope(ModelStore *store, const char *const *districts, GError **error) {
  if (!store_exec(store, "CREATE TEMP TABLE IF NOT EXISTS round_scope (id TEXT PRIMARY KEY)",
                  error) ||
      !store_exec(store, "DELETE FROM round_scope", error))
    return FALSE;
  for (gsize i = 0; districts != NULL && districts[i] != NULL; i++)
    if (!ops_exec_text(store, "INSERT INTO round_scope (id) VALUES (?) ON CONFLICT DO NOTHING",
                       districts[i], error))
      return FALSE;
  return TRUE;
}

static gboolean run_with_round(ModelStore *store, const char *sql, gint64 id, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, id);
  return store_binder_ok(&b, store, error) &&
         ops_step_done(store, stmt, "cannot replace proposals", error);
}

static gboolean insert_proposals(ModelStore *store, gint64 id, const GArray *proposals,
                                 GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, STORE_ASSIGNMENT_INSERT_SQL, error);
  g_autoptr(StoreStmt) tag = store_prepare(
      store, "INSERT INTO assignment_rounds (assignment_id, round_id) VALUES (?, ?)", error);
  if (stmt == NULL || tag == NULL)
    return FALSE;
  for (guint i = 0; i < proposals->len; i++) {
    const ModelAssignment *a = &g_array_index(proposals, ModelAssignment, i);
    g_return_val_if_fail(a->status == MODEL_ASSIGNMENT_PROPOSED, FALSE);
    if (!store_write_assignment(store, stmt, a, error))
      return FALSE;
    StoreBinder t = store_binder(tag);
    store_bind_text(&t, a->id);
    store_bind_int(&t, id);
    if (!store_binder_ok(&t, store, error) ||
        !store_step_write(store, tag, "assignments", a->id, NULL, error))
      return FALSE;
  }
  return TRUE;
}

/* A round works from a snapshot taken when it started.  Whatever was decided or changed
 * while it ran wins: its proposals that the data as it is now rules out are not kept (a
 * rejected pair, a cancelled request, an inactive employee, an employee approved
 * elsewhere in that day part, or a day part the request no longer asks for or the
 * employee no longer offers).  Approval checks the same again, so this only spares the
 * coordinator proposals that could never be approved.  ?1 is the round. */
#define RULE_COVERS(table, key, owner)                                                             \
  "EXISTS (SELECT 1 FROM " table " s WHERE s." key " = " owner                                     \
  " AND s.from_date <= a.date AND s.to_date >= a.date AND ((s.parts >> a.part) & 1) = 1"           \
  " AND (s.kind = 'one' OR ((s.weekdays >> ((CAST(strftime('%w', a.date) AS INTEGER) + 6)"         \
  " % 7)) & 1) = 1))"
static const char drop_stale_sql[] =
    "DELETE FROM assignments AS a WHERE a.status = 'proposed'"
    " AND a.id IN (SELECT assignment_id FROM assignment_rounds WHERE round_id = ?1)"
    " AND (EXISTS (SELECT 1 FROM assignments x WHERE x.request_id = a.request_id"
    "              AND x.employee_id = a.employee_id AND x.status = 'rejected')"
    "  OR EXISTS (SELECT 1 FROM requests r WHERE r.id = a.request_id AND r.status = 'cancelled')"
    "  OR EXISTS (SELECT 1 FROM employees e WHERE e.id = a.employee_id AND e.active = 0)"
    "  OR EXISTS (SELECT 1 FROM assignments x WHERE x.employee_id = a.employee_id"
    "             AND x.date = a.date AND x.part = a.part AND x.status = 'approved')"
    "  OR NOT " RULE_COVERS("request_slots", "request_id", "a.request_id") "  OR NOT " RULE_COVERS(
        "employee_availability", "employee_id", "a.employee_id") ")";

static gboolean finish_in_transaction(ModelStore *store, gint64 id, const char *const *districts,
                                      const GArray *proposals, const char *stats_json,
                                      const char *unfilled_json, gint64 now, GError **error) {
  /* ?1 is the round; the scope is every district or those in temp.round_scope, and
   * every request slot or, for a round of freed slots, those with a cancelled
   * assignment. */
  const char *in_districts =
      districts == NULL
          ? "1 = 1"
          : "a.request_id IN (SELECT r.id FROM requests r JOIN schools s ON s.id = r.school_id"
            " WHERE s.district_id IN (SELECT id FROM round_scope))";
  static const char in_slots[] =
      "(NOT EXISTS (SELECT 1 FROM rounds WHERE id = ?1 AND slots = 'freed')"
      " OR EXISTS (SELECT 1 FROM assignments c WHERE c.request_id = a.request_id"
      " AND c.date = a.date AND c.part = a.part AND c.status = 'cancelled'))";
  g_autofree char *remember = g_strdup_printf(
      "INSERT INTO superseded_proposals (id, request_id, round_id, superseded_by)"
      " SELECT a.id, a.request_id, t.round_id, ?1 FROM assignments a LEFT JOIN"
      " assignment_rounds t ON t.assignment_id = a.id WHERE a.status = 'proposed' AND %s AND %s"
      " ON CONFLICT (id) DO UPDATE SET request_id = excluded.request_id,"
      " round_id = excluded.round_id, superseded_by = excluded.superseded_by",
      in_districts, in_slots);
  g_autofree char *drop =
      g_strdup_printf("DELETE FROM assignments AS a WHERE a.status = 'proposed' AND %s AND %s",
                      in_districts, in_slots);
  if (!fill_scope(store, districts, error) || !run_with_round(store, remember, id, error) ||
      !run_with_round(store, drop, id, error) || !insert_proposals(store, id, proposals, error) ||
      !run_with_round(store, drop_stale_sql, id, error))
    return FALSE;
  g_autoptr(StoreStmt) stmt =
      store_prepare(store,
                    "UPDATE rounds SET status = 'finished', finished_at = " OPS_TIME_SQL
                    ", stats_json = ?, unfilled_json = ? WHERE id = ? AND status = 'running'",
                    error);
  if (stmt == NULL)
    return FALSE;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, now);
  store_bind_text(&b, stats_json);
  store_bind_text(&b, unfilled_json);
  store_bind_int(&b, id);
  if (!store_binder_ok(&b, store, error) ||
      !store_step_write(store, stmt, "rounds", "finish", NULL, error))
    return FALSE;
  if (store_changes(store) != 1) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT,
                "round %" G_GINT64_FORMAT " is not running", id);
    return FALSE;
  }
  return ops_outbox_round(store, id, now, error);
}

gboolean model_store_round_finish(ModelStore *store, gint64 id, const char *const *districts,
                                  const GArray *proposals, const char *stats_json,
                                  const char *unfilled_json, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL && proposals != NULL, FALSE);
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok =
      finish_in_transaction(store, id, districts, proposals, stats_json, unfilled_json, now, error);
  return ops_finish(store, ok, error);
}

static gboolean fail_rounds(ModelStore *store, gint64 id, FailScope scope, const char *message,
                            gint64 now, GError **error) {
  if (!store_begin_write(store, error))
    return FALSE;
  gboolean ok = fail_in_transaction(store, id, scope, message, now, error);
  return ops_finish(store, ok, error);
}

gboolean model_store_round_fail(ModelStore *store, gint64 id, const char *message, gint64 now,
                                GError **error) {
  g_return_val_if_fail(store != NULL && id >= 0 && message != NULL, FALSE);
  return fail_rounds(store, id, FAIL_ONE, message, now, error);
}

gboolean model_store_rounds_interrupt(ModelStore *store, gint64 now, GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  return fail_rounds(store, -1, FAIL_UNOWNED, "interrupted: the server stopped while the round ran",
                     now, error);
}

/* The columns of a round, in the order round_from_row() reads them. */
#define ROUND_COLUMNS                                                                              \
  "id, status, districts, started_at, finished_at, started_by, stats_json, unfilled_json, error,"  \
  " (SELECT count(*) FROM assignment_rounds t WHERE t.round_id = rounds.id), slots, continuity_m"

static char *column_text(StoreStmt *stmt, int column) {
  return g_strdup(store_column_text(stmt, column));
}

/* A round from a row of ROUND_COLUMNS (transfer full); without its statistics and
 * unfilled staff-slots unless `full`. */
static ModelRound *round_from_row(StoreStmt *stmt, gboolean full) {
  ModelRound *round = g_new0(ModelRound, 1);
  round->id = store_column_int64(stmt, 0);
  round->status = column_text(stmt, 1);
  round->districts = column_text(stmt, 2);
  round->started_at = column_text(stmt, 3);
  round->finished_at = column_text(stmt, 4);
  round->started_by = column_text(stmt, 5);
  round->stats_json = column_text(stmt, 6);
  round->unfilled_json = full ? column_text(stmt, 7) : NULL;
  round->error = column_text(stmt, 8);
  round->proposals = store_column_int64(stmt, 9);
  round->freed = g_strcmp0(store_column_text(stmt, 10), "freed") == 0;
  round->continuity_m = store_column_is_null(stmt, 11) ? -1 : store_column_int64(stmt, 11);
  return round;
}

ModelRound *model_store_round_get(ModelStore *store, gint64 id, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_autoptr(StoreStmt) stmt =
      store_prepare(store, "SELECT " ROUND_COLUMNS " FROM rounds WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  StoreBinder b = store_binder(stmt);
  store_bind_int(&b, id);
  if (!store_binder_ok(&b, store, error))
    return NULL;
  int rc = store_step(stmt);
  if (rc == STORE_DONE) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no round with id %" G_GINT64_FORMAT,
                id);
    return NULL;
  }
  if (rc != STORE_ROW) {
    store_set_io_error(error, store, "cannot read the round");
    return NULL;
  }
  return round_from_row(stmt, TRUE);
}

/* A round of a list: without its figures (transfer full). */
static ModelRound *round_brief_from_row(StoreStmt *stmt) {
  return round_from_row(stmt, FALSE);
}

GPtrArray *model_store_rounds_list(ModelStore *store, const char *const *districts, gint64 before,
                                   guint limit, GError **error) {
  g_return_val_if_fail(store != NULL && limit > 0, NULL);
  /* A district-limited reader sees a round only when every district of it is theirs:
   * never one over every district ("[]"). */
  g_autoptr(StoreStmt) stmt = ops_prepare_page(
      store,
      "SELECT " ROUND_COLUMNS " FROM rounds WHERE (?1 <= 0 OR id < ?1) AND (?3 IS NULL OR"
      " (districts <> '[]' AND NOT EXISTS (SELECT 1 FROM json_each(rounds.districts) d"
      " WHERE d.value NOT IN (SELECT value FROM json_each(?3))))) ORDER BY id DESC LIMIT ?2",
      before, limit, districts, error);
  if (stmt == NULL)
    return NULL;
  return ops_read_list(store, stmt, (OpsReadFunc)round_brief_from_row,
                       (GDestroyNotify)model_round_free, "cannot read rounds", error);
}
