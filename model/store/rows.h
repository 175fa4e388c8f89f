/* rows.h: one decoder per entity of the store, shared by loading the whole store
 * (store-load.c) and the targeted reads of the HTTP API (ops-queries.c), so an object
 * reads the same whichever way it is fetched.  Each entity's columns are listed once,
 * here, under a table alias; every SELECT of the entity names them with the macro, and
 * its decoder reads them from column `c` on, in that order.
 *
 * Invariant: a decoder appends exactly one fully initialised object (or list entry)
 * to the dataset, or, on a value the schema should have refused (a corrupt file), sets
 * MODEL_ERROR_IO naming the object and the column, frees what it filled, appends
 * nothing and returns FALSE.  It never crashes on, or silently defaults, a bad value.
 */
#pragma once

#include "store-private.h"

G_BEGIN_DECLS

/* ---- column lists ---------------------------------------------------------
 * `t` is the table's alias in the SELECT; *_NCOLUMNS how many columns a list is, so
 * a query joining several entities knows where the next one starts. */

/* clang-format off */
#define STORE_DISTRICT_COLUMNS(t) t ".id, " t ".name, " t ".lat, " t ".lon, " t ".outline"
#define STORE_DISTRICT_NCOLUMNS 5

#define STORE_CONTACT_COLUMNS(t) t ".contact_name, " t ".contact_email, " t ".contact_phone"

#define STORE_SCHOOL_COLUMNS(t)                                                                    \
  t ".id, " t ".brin, " t ".name, " t ".type, " t ".district_id, " t ".postcode, "                 \
  t ".lat, " t ".lon, " t ".pupils, " STORE_CONTACT_COLUMNS(t)
#define STORE_SCHOOL_NCOLUMNS 12

#define STORE_ORGANISATION_COLUMNS(t)                                                              \
  t ".id, " t ".name, " t ".lrk, " t ".district_id, " STORE_CONTACT_COLUMNS(t)
#define STORE_ORGANISATION_NCOLUMNS 7

#define STORE_LOCATION_COLUMNS(t)                                                                  \
  t ".id, " t ".organisation_id, " t ".name, " t ".lrk, " t ".district_id, " t ".lat, " t ".lon"
#define STORE_LOCATION_NCOLUMNS 7

/* An employee's brief (who, from where, and the phone a school reaches them on once
 * approved) is the head of the full list. */
#define STORE_EMPLOYEE_BRIEF_COLUMNS(t)                                                            \
  t ".id, " t ".organisation_id, " t ".name, " t ".district_id, " t ".phone"
#define STORE_EMPLOYEE_BRIEF_NCOLUMNS 5
#define STORE_EMPLOYEE_COLUMNS(t)                                                                  \
  STORE_EMPLOYEE_BRIEF_COLUMNS(t) ", " t ".lat, " t ".lon, " t ".qualifications, "                 \
  t ".max_parts_per_week, " t ".max_travel_km, " t ".active, " t ".confirmed, " t ".email, " t ".location_id"
#define STORE_EMPLOYEE_NCOLUMNS 14

/* A request's brief (whose it is) is the head of the full list. */
#define STORE_REQUEST_BRIEF_COLUMNS(t) t ".id, " t ".school_id"
#define STORE_REQUEST_BRIEF_NCOLUMNS 2
#define STORE_REQUEST_COLUMNS(t)                                                                   \
  STORE_REQUEST_BRIEF_COLUMNS(t) ", " t ".staff_needed, " t ".children_expected, "                 \
  t ".own_staff, " t ".required, " t ".preferred, " t ".priority, " t ".max_travel_km, "           \
  t ".note, " t ".status"
#define STORE_REQUEST_NCOLUMNS 11

#define STORE_ASSIGNMENT_COLUMNS(t)                                                                \
  t ".id, " t ".request_id, " t ".employee_id, " t ".date, " t ".part, " t ".status, "             \
  t ".decided_by, CAST(strftime('%s', " t ".decided_at) AS INTEGER), " t ".reason"
#define STORE_ASSIGNMENT_NCOLUMNS 9

/* Every row of an entity's table with its full column list, the table aliased "t". */
#define STORE_DISTRICTS_SELECT "SELECT " STORE_DISTRICT_COLUMNS("t") " FROM districts t"
#define STORE_SCHOOLS_SELECT "SELECT " STORE_SCHOOL_COLUMNS("t") " FROM schools t"
#define STORE_ORGANISATIONS_SELECT "SELECT " STORE_ORGANISATION_COLUMNS("t") " FROM organisations t"
#define STORE_LOCATIONS_SELECT "SELECT " STORE_LOCATION_COLUMNS("t") " FROM locations t"
#define STORE_EMPLOYEES_SELECT "SELECT " STORE_EMPLOYEE_COLUMNS("t") " FROM employees t"
#define STORE_REQUESTS_SELECT "SELECT " STORE_REQUEST_COLUMNS("t") " FROM requests t"
#define STORE_ASSIGNMENTS_SELECT "SELECT " STORE_ASSIGNMENT_COLUMNS("t") " FROM assignments t"
/* clang-format on */

/* The lists of an object: the owner's id in column 0, the entry from column 1, in
 * written order once the caller adds "ORDER BY [owner,] position". */
#define STORE_RULE_COLUMNS "kind, from_date, to_date, weekdays, parts"
#define STORE_NEIGHBOURS_SELECT "SELECT district_id, neighbour_id FROM district_neighbours"
#define STORE_AVAILABILITY_SELECT                                                                  \
  "SELECT employee_id, " STORE_RULE_COLUMNS " FROM employee_availability"
#define STORE_SLOTS_SELECT "SELECT request_id, " STORE_RULE_COLUMNS " FROM request_slots"
#define STORE_LOAD_SELECT                                                                          \
  "SELECT location_id, " STORE_RULE_COLUMNS ", children_expected, staff_present, max_lend"         \
  " FROM location_load"

/* ---- a district's outline ---------------------------------------------------
 * Kept in districts.outline as JSON text, [[lat, lon], ...], so that the sqlite3
 * shell and psql show it and the schema can check its shape. */

/* The outline as that text (transfer full), every number read back exactly; NULL
 * for NULL. */
char *store_outline_format(const GArray *outline);
/* Reads that text into a new GArray of ModelPoint (transfer full), or NULL when it is
 * not such an array of MODEL_OUTLINE_MIN_POINTS to MODEL_OUTLINE_MAX_POINTS points in
 * range (a corrupt file). */
GArray *store_outline_parse(const char *text);

/* ---- decoders -------------------------------------------------------------- */

/* Sets MODEL_ERROR_IO "PATH: KIND/ID: stored COLUMN \"VALUE\" is not valid" and
 * returns FALSE. */
gboolean store_set_corrupt_error(ModelStore *store, const char *kind, const char *id,
                                 const char *column, const char *value, GError **error);

/* Decodes the object whose columns start at `c` and appends it to its array in
 * `dataset`.  The briefs fill only the head of the object (the rest as after
 * model_*_init) and cannot fail.  Every decoder below has this one signature. */
typedef gboolean StoreRow(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                          GError **error);
typedef StoreRow *StoreRowFunc;

StoreRow store_row_district, store_row_school, store_row_organisation, store_row_location,
    store_row_employee, store_row_employee_brief, store_row_request, store_row_request_brief,
    store_row_assignment;

/* Decodes one list entry whose columns start at `c` and appends it to the list of
 * the object at index `owner` of its array in `dataset` (a district's neighbours, an
 * employee's availability, a request's slots, a location's load: a slot rule and its
 * figures).  Every decoder below has this one signature. */
typedef gboolean StoreListRow(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                              guint owner, GError **error);
typedef StoreListRow *StoreListRowFunc;

StoreListRow store_row_neighbour, store_row_availability, store_row_slot, store_row_load;

/* ---- stepping -------------------------------------------------------------- */

/* Steps `stmt` to its end, calling `row` for each row and stopping at the first that
 * fails; a failed step is MODEL_ERROR_IO.  Leaves `stmt` as the last step left it. */
typedef gboolean (*StoreEachFunc)(ModelStore *store, StoreStmt *stmt, gpointer data,
                                  GError **error);
gboolean store_each_row(ModelStore *store, StoreStmt *stmt, StoreEachFunc row, gpointer data,
                        GError **error);

/* store_each_row() where every row is one object of `row` at column 0. */
gboolean store_each_object(ModelStore *store, StoreStmt *stmt, StoreRowFunc row,
                           ModelDataset *dataset, GError **error);

G_END_DECLS
