/* ops-private.h: helpers shared by the store operations of the HTTP API (ops-*.c,
 * tokens.c).
 * Every helper here runs inside a transaction its caller opened and leaves it open,
 * succeeded or not: the caller commits or rolls back.
 */
#pragma once

#include "store-ops.h"
#include "store-outbox.h"
#include "store-private.h"
#include "store-tokens.h"

G_BEGIN_DECLS

/* SQL turning bound Unix seconds into the stored RFC 3339 text. */
#define OPS_TIME_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch')"

/* Appends an audit row inside the open transaction. */
gboolean ops_audit_write(ModelStore *store, const char *actor, const char *action,
                         const char *object, const char *detail, const char *district, gint64 now,
                         GError **error);

/* The first free id "PREFIX-N" in `table` (N from the row count + 1 upward), inside
 * the open write transaction so no other writer can take it first (transfer full). */
char *ops_next_id(ModelStore *store, const char *table, const char *prefix, GError **error);

/* Prepares fixed `sql` and binds `value` to its first parameter (transfer full); NULL
 * with MODEL_ERROR_IO when either fails. */
StoreStmt *ops_prepare_text(ModelStore *store, const char *sql, const char *value, GError **error);

/* A list of ids (districts, a page's assignments) as a JSON array of strings for
 * json_each() (transfer full), or NULL for NULL. */
char *ops_districts_json(const char *const *districts);

/* Prepares fixed `sql`, a page of a list, with ?1 `from` (the last id seen, which the
 * page goes on after, or before for a list of the newest first), ?2
 * `limit` and ?3 the JSON array of `districts` (NULL binds NULL: every district)
 * bound (transfer full); NULL with MODEL_ERROR_IO when either fails. */
StoreStmt *ops_prepare_page(ModelStore *store, const char *sql, gint64 from, guint limit,
                            const char *const *districts, GError **error);

/* Makes one object of the current row of `stmt` (transfer full). */
typedef gpointer (*OpsReadFunc)(StoreStmt *stmt);

/* Steps `stmt` to its end, one object made by `read` a row, into a new array that
 * frees them with `free_func` (transfer full); NULL with MODEL_ERROR_IO `failure`
 * when a step fails. */
GPtrArray *ops_read_list(ModelStore *store, StoreStmt *stmt, OpsReadFunc read,
                         GDestroyNotify free_func, const char *failure, GError **error);

/* Runs `sql` (one row at most, a single text parameter `key`; kept prepared, so its
 * text must be one of a fixed set, see store_cached()): *out_found tells
 * whether it returned a row, and *out_text (when not NULL) gets that row's first
 * column or NULL (transfer full).  `failure` is the message when the step fails. */
gboolean ops_lookup_text(ModelStore *store, const char *sql, const char *key, const char *failure,
                         gboolean *out_found, char **out_text, GError **error);

/* Whether `table` (a fixed name) has a row with `id`. */
gboolean ops_exists(ModelStore *store, const char *table, const char *id, gboolean *out_exists,
                    GError **error);

/* Replaces the slot rules of one object: `table` is "request_slots" or
 * "employee_availability", `owner_column` "request_id" or "employee_id". */
gboolean ops_write_rules(ModelStore *store, const char *table, const char *owner_column,
                         const char *kind, const char *id, const GArray *rules, GError **error);

/* Steps a prepared statement that returns no row to its end; on failure sets an
 * MODEL_ERROR_IO error with `failure` ("cannot write the store") and returns FALSE. */
gboolean ops_step_done(ModelStore *store, StoreStmt *stmt, const char *failure, GError **error);

/* Runs one fixed statement with a single text parameter (DELETE ... WHERE x = ?). */
gboolean ops_exec_text(ModelStore *store, const char *sql, const char *value, GError **error);

/* ---- ops-decisions.c: an approval's re-check, shared with a swap (ops-swap.c) -- */

/* Everything a decision needs about one assignment, read in the transaction. */
typedef struct {
  char *status;
  char *request_id;
  char *employee_id;
  ModelSlot slot;
  char *district;
  char *request_status;
  ModelRequest need; /* only the staff need fields and `required` are filled */
  gboolean active;
  ModelQualSet quals;
  gint32 max_parts_per_week;
  double school_lat, school_lon;
  double employee_lat, employee_lon; /* own location, else the district's centroid */
  gint32 max_travel_km;              /* the smaller of the employee's and the request's */
} OpsTarget;

void ops_target_clear(OpsTarget *t);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(OpsTarget, ops_target_clear)

/* Sets `error` to MODEL_ERROR_CONFLICT with the message and *out (when not NULL) to
 * `refusal`; returns FALSE. */
gboolean ops_refuse(GError **error, ModelRefusal *out, ModelRefusal refusal, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Reads assignment `id` into *t; a missing one (or one outside `districts`, NULL:
 * every district) is MODEL_ERROR_NOT_FOUND, or a refusal SUPERSEDED when a newer round
 * replaced it in scope. */
gboolean ops_read_target(ModelStore *store, const char *id, const char *const *districts,
                         OpsTarget *t, ModelRefusal *out, GError **error);

/* Every rule of an approval of assignment `id` (read into *t), against the data as it
 * is now; FALSE with a refusal when one fails.  With `waiting`, the day part, the ISO
 * week and the location's lending also count the employee's other proposed
 * assignments (not `id` itself), as a swap does: a waiting proposal is then a
 * commitment too. */
gboolean ops_check_approval(ModelStore *store, const char *id, const OpsTarget *t, gboolean waiting,
                            ModelRefusal *out, GError **error);

/* Writes the decision on assignment `id`, read with status `from` under the write
 * lock: status `to`, decided by `actor` at `now`, with `reason` (may be NULL).  A
 * constraint of the database is MODEL_ERROR_CONFLICT with its message. */
gboolean ops_decision_write(ModelStore *store, const char *id, const char *from, const char *to,
                            const char *actor, const char *reason, gint64 now, GError **error);

/* ---- tokens.c: inside another operation's transaction --------------------- */

/* model_store_token_create_full() in the open transaction. */
gboolean ops_token_create(ModelStore *store, const char *actor, ModelRole role,
                          const char *school_id, const char *organisation_id,
                          const char *const *districts, const ModelTokenOptions *options,
                          gint64 *out_id, char **out_secret, GError **error);
/* A new random secret of a token's shape (transfer full), and whether a text has it. */
char *ops_token_secret(GError **error);
gboolean ops_token_secret_well_formed(const char *secret);

/* ---- outbox.c: the messages a change causes, in its transaction ------------- */

/* Enqueues a message of `kind` (MODEL_OUTBOX_*) about assignment `id` for every
 * audience in `audiences` (ModelAudience bits) that has an address: the school's
 * contact, the organisation's contact, the employee, the coordinator. */
gboolean ops_outbox_assignment(ModelStore *store, const char *kind, const char *id, guint audiences,
                               gint64 now, GError **error);
/* ... of a request posted or changed, for the coordinator. */
gboolean ops_outbox_request(ModelStore *store, const char *kind, const char *id, gint64 now,
                            GError **error);
/* ... the digest of a finished round, for the coordinator (after its stats are set). */
gboolean ops_outbox_round(ModelStore *store, gint64 id, gint64 now, GError **error);
/* ... invitation `id` with its one-time `code`, for the address it names. */
gboolean ops_outbox_invitation(ModelStore *store, gint64 id, const char *code, gint64 now,
                               GError **error);

/* Commits, or rolls back when `ok` is FALSE; returns whether everything succeeded. */
gboolean ops_finish(ModelStore *store, gboolean ok, GError **error);

G_END_DECLS
