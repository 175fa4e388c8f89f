/* ops-private.h: helpers shared by the store operations of the HTTP API (ops-*.c,
 * tokens.c).
 * Every helper here runs inside a transaction its caller opened and leaves it open,
 * succeeded or not: the caller commits or rolls back.
 */
#pragma once

#include "store-ops.h"
#include "store-private.h"

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
sqlite3_stmt *ops_prepare_text(ModelStore *store, const char *sql, const char *value,
                               GError **error);

/* Runs `sql` (one row at most, a single text parameter `key`): *out_found tells
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

/* Runs one fixed statement with a single text parameter (DELETE ... WHERE x = ?). */
gboolean ops_exec_text(ModelStore *store, const char *sql, const char *value, GError **error);

/* Commits, or rolls back when `ok` is FALSE; returns whether everything succeeded. */
gboolean ops_finish(ModelStore *store, gboolean ok, GError **error);

/* ---- rows (ops-query-rows.c) ---------------------------------------------
 * Column lists of each entity under a table alias, and readers that fill one entity
 * from a result row starting at column `c`, in the order of the list.  A reader
 * initialises `out` fully; on failure (a value the schema should have refused) it
 * sets MODEL_ERROR_IO, clears what it filled and returns FALSE. */

#define OPS_DISTRICT_COLUMNS(t) t ".id, " t ".name, " t ".lat, " t ".lon"
#define OPS_SCHOOL_COLUMNS(t)                                                                      \
  t ".id, " t ".brin, " t ".name, " t ".type, " t ".district_id, " t ".postcode, " t ".lat, " t    \
    ".lon, " t ".pupils"
#define OPS_ORGANISATION_COLUMNS(t) t ".id, " t ".name, " t ".lrk, " t ".district_id"
#define OPS_EMPLOYEE_COLUMNS(t)                                                                    \
  t ".id, " t ".organisation_id, " t ".name, " t ".district_id, " t ".lat, " t ".lon, " t          \
    ".qualifications, " t ".max_parts_per_week, " t ".max_travel_km, " t ".active, " t             \
    ".confirmed"
#define OPS_REQUEST_COLUMNS(t)                                                                     \
  t ".id, " t ".school_id, " t ".staff_needed, " t ".children_expected, " t ".own_staff, " t       \
    ".required, " t ".preferred, " t ".priority, " t ".max_travel_km, " t ".note, " t ".status"
#define OPS_ASSIGNMENT_COLUMNS(t)                                                                  \
  t ".id, " t ".request_id, " t ".employee_id, " t ".date, " t ".part, " t ".status, " t           \
    ".decided_by, CAST(strftime('%s', " t ".decided_at) AS INTEGER), " t ".reason"
#define OPS_RULE_COLUMNS "kind, from_date, to_date, weekdays, parts"

gboolean ops_read_district(ModelStore *store, sqlite3_stmt *stmt, int c, ModelDistrict *out,
                           GError **error);
gboolean ops_read_school(ModelStore *store, sqlite3_stmt *stmt, int c, ModelSchool *out,
                         GError **error);
gboolean ops_read_organisation(ModelStore *store, sqlite3_stmt *stmt, int c, ModelOrganisation *out,
                               GError **error);
gboolean ops_read_employee(ModelStore *store, sqlite3_stmt *stmt, int c, ModelEmployee *out,
                           GError **error);
gboolean ops_read_request(ModelStore *store, sqlite3_stmt *stmt, int c, ModelRequest *out,
                          GError **error);
gboolean ops_read_assignment(ModelStore *store, sqlite3_stmt *stmt, int c, ModelAssignment *out,
                             GError **error);
/* One slot rule of object `kind`/`id` (for messages) from OPS_RULE_COLUMNS at `c`. */
gboolean ops_read_rule(ModelStore *store, sqlite3_stmt *stmt, int c, const char *kind,
                       const char *id, ModelSlotRule *out, GError **error);

G_END_DECLS
