/* ops-queries.c: the targeted reads behind the HTTP API's GET routes.  Each query
 * reads exactly the rows it returns: the filters, the caller's scope and the page
 * (id > cursor ORDER BY id LIMIT n) are SQL conditions served by indexes, and the
 * objects a view shows next to the listed ones (a request's school, an assignment's
 * employee and organisation) are joined in, not looked up in a loaded store.
 *
 * Invariants: every query runs in one read transaction, so what it returns is one
 * consistent snapshot; the SQL is built only from fixed fragments of this file, and
 * every value is a bound parameter; arrays come out sorted by id in byte order.
 */
#include <string.h>

#include "ops-private.h"
#include "rows.h"

void model_query_init(ModelQuery *query) {
  *query = (ModelQuery){.active = -1, .from = MODEL_DATE_NONE, .to = MODEL_DATE_NONE, .part = -1};
}

gboolean model_store_tune_for_reads(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  if (!store->driver->tune_for_reads(store)) {
    store_set_io_error(error, store, "cannot tune the connection for reads");
    return FALSE;
  }
  return TRUE;
}

/* ---- building and binding ------------------------------------------------ */

/* Appends " AND `condition`" when `on`. */
static void where(GString *sql, gboolean on, const char *condition) {
  if (on) {
    g_string_append(sql, " AND ");
    g_string_append(sql, condition);
  }
}

/* Binds `value` to the named parameter if the statement has it (NULL: left unbound). */
static gboolean bind_text(StoreStmt *stmt, const char *name, const char *value) {
  int index = store_parameter_index(stmt, name);
  if (index == 0 || value == NULL)
    return TRUE;
  return store_bind_text_at(stmt, index, value);
}

static gboolean bind_int(StoreStmt *stmt, const char *name, gint64 value) {
  int index = store_parameter_index(stmt, name);
  return index == 0 || store_bind_int_at(stmt, index, value);
}

static gboolean bind_date(StoreStmt *stmt, const char *name, ModelDate date) {
  if (date == MODEL_DATE_NONE)
    return TRUE;
  char text[11];
  model_date_format(date, text);
  return bind_text(stmt, name, text);
}

/* Binds every parameter a query may name (:id, :after, :limit, :scope_school, ...). */
static gboolean bind_query(ModelStore *store, StoreStmt *stmt, const ModelQuery *q,
                           GError **error) {
  const ModelScope *scope = q->scope;
  g_autofree char *ids = ops_districts_json(q->ids);
  g_autofree char *json = scope != NULL && scope->school == NULL && scope->organisation == NULL &&
                                  scope->districts != NULL
                              ? ops_districts_json(scope->districts)
                              : NULL;
  gboolean ok =
      bind_text(stmt, ":id", q->id) && bind_text(stmt, ":ids", ids) &&
      bind_text(stmt, ":after", q->after) && bind_int(stmt, ":limit", q->limit) &&
      bind_text(stmt, ":district", q->district) && bind_text(stmt, ":school", q->school) &&
      bind_text(stmt, ":organisation", q->organisation) &&
      bind_text(stmt, ":request", q->request) && bind_text(stmt, ":employee", q->employee) &&
      bind_text(stmt, ":status", q->status) && bind_int(stmt, ":active", q->active) &&
      bind_int(stmt, ":round", q->round) && bind_date(stmt, ":from", q->from) &&
      bind_date(stmt, ":to", q->to) && bind_int(stmt, ":part", q->part) &&
      bind_text(stmt, ":priority", q->priority) && bind_text(stmt, ":scope_districts", json) &&
      (scope == NULL || (bind_text(stmt, ":scope_school", scope->school) &&
                         bind_text(stmt, ":scope_organisation", scope->organisation)));
  if (!ok)
    store_set_io_error(error, store, "cannot bind a query");
  return ok;
}

/* The conditions of the page: the id, the cursor, and the limit clause comes after
 * ORDER BY (see limit_clause). */
static void where_page(GString *sql, const ModelQuery *q, const char *id_column) {
  g_autofree char *exact = g_strdup_printf("%s = :id", id_column);
  g_autofree char *after = g_strdup_printf("%s > :after", id_column);
  g_autofree char *among = g_strdup_printf("%s IN (SELECT value FROM json_each(:ids))", id_column);
  where(sql, q->id != NULL, exact);
  where(sql, q->ids != NULL, among);
  where(sql, q->after != NULL, after);
}

static void order_and_limit(GString *sql, const ModelQuery *q, const char *id_column) {
  g_string_append_printf(sql, " ORDER BY %s", id_column);
  if (q->limit > 0)
    g_string_append(sql, " LIMIT :limit");
}

/* The scope as conditions: `school_column` (or NULL when the scope cannot name a
 * school), `organisation_column`, `district_column` (coordinator). */
static void where_scope(GString *sql, const ModelScope *scope, const char *school_column,
                        const char *organisation_column, const char *district_column) {
  if (scope == NULL)
    return;
  if (scope->school != NULL) {
    if (school_column != NULL)
      g_string_append_printf(sql, " AND %s = :scope_school", school_column);
    else
      g_string_append(sql, " AND 1 = 0");
  } else if (scope->organisation != NULL) {
    if (organisation_column != NULL)
      g_string_append_printf(sql, " AND %s = :scope_organisation", organisation_column);
    else
      g_string_append(sql, " AND 1 = 0");
  } else if (scope->districts != NULL) {
    g_string_append_printf(sql, " AND %s IN (SELECT value FROM json_each(:scope_districts))",
                           district_column);
  }
}

/* Borrows the statement of `sql` from the store's cache (store_cached: every text is
 * one of a small set, one per combination of the query's filters, as every value is a
 * bound parameter) and binds the query's parameters. */
static StoreStmt *prepare_query(ModelStore *store, const char *sql, const ModelQuery *q,
                                StoreCached *cached, GError **error) {
  StoreStmt *stmt = store_cached(store, sql, cached, error);
  if (stmt == NULL || !bind_query(store, stmt, q, error))
    return NULL;
  return stmt;
}

/* Runs `fill` in one read transaction and returns the indexed dataset. */
typedef gboolean (*FillFunc)(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                             gpointer extra, GError **error);

static ModelDataset *read_snapshot(ModelStore *store, const ModelQuery *q, FillFunc fill,
                                   gpointer extra, GError **error) {
  /* A deferred BEGIN takes its snapshot at the first read and never blocks a writer. */
  if (!store_begin_read(store, error))
    return NULL;
  g_autoptr(ModelDataset) dataset = model_dataset_new();
  gboolean ok = fill(store, q, dataset, extra, error);
  store_rollback(store); /* nothing was written */
  if (!ok)
    return NULL;
  model_dataset_index(dataset);
  return g_steal_pointer(&dataset);
}

/* One owner's list rows: the entry from column 1, after the owner's id (rows.h). */
typedef struct {
  StoreListRowFunc row;
  ModelDataset *dataset;
  guint owner;
} OwnerRows;

static gboolean owner_row(ModelStore *store, StoreStmt *stmt, gpointer data, GError **error) {
  const OwnerRows *rows = data;
  return rows->row(store, stmt, 1, rows->dataset, rows->owner, error);
}

/* Runs the list query `sql`, whose one parameter is an owner's id, for each object
 * of `owners` (an array of `dataset`, ids at `id_offset`), appending the rows to
 * that object's list with `row`. */
static gboolean each_owner(ModelStore *store, ModelDataset *dataset, const char *sql,
                           GArray *owners, gsize id_offset, StoreListRowFunc row, GError **error) {
  g_autoptr(StoreStmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < owners->len; i++) {
    const char *id =
        *(char *const *)(owners->data + (gsize)i * g_array_get_element_size(owners) + id_offset);
    store_reset(stmt);
    if (!store_bind_text_at(stmt, 1, id)) {
      store_set_io_error(error, store, "cannot bind a query");
      return FALSE;
    }
    OwnerRows rows = {row, dataset, i};
    if (!store_each_row(store, stmt, owner_row, &rows, error))
      return FALSE;
  }
  return TRUE;
}

/* ---- directory ----------------------------------------------------------- */

static gboolean fill_districts(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                               gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql =
      g_string_new("SELECT " STORE_DISTRICT_COLUMNS("d") " FROM districts d WHERE 1 = 1");
  where_page(sql, q, "d.id");
  order_and_limit(sql, q, "d.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  return stmt != NULL && store_each_object(store, stmt, store_row_district, dataset, error) &&
         each_owner(
             store, dataset, STORE_NEIGHBOURS_SELECT " WHERE district_id = ? ORDER BY position",
             dataset->districts, G_STRUCT_OFFSET(ModelDistrict, id), store_row_neighbour, error);
}

ModelDataset *model_store_query_districts(ModelStore *store, const ModelQuery *query,
                                          GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_districts, NULL, error);
}

static gboolean fill_schools(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                             gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql =
      g_string_new("SELECT " STORE_SCHOOL_COLUMNS("s") " FROM schools s WHERE 1 = 1");
  where_page(sql, q, "s.id");
  where(sql, q->district != NULL, "s.district_id = :district");
  order_and_limit(sql, q, "s.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  return stmt != NULL && store_each_object(store, stmt, store_row_school, dataset, error);
}

ModelDataset *model_store_query_schools(ModelStore *store, const ModelQuery *query,
                                        GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_schools, NULL, error);
}

static gboolean fill_organisations(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                                   gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql =
      g_string_new("SELECT " STORE_ORGANISATION_COLUMNS("o") " FROM organisations o WHERE 1 = 1");
  where_page(sql, q, "o.id");
  order_and_limit(sql, q, "o.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  return stmt != NULL && store_each_object(store, stmt, store_row_organisation, dataset, error);
}

ModelDataset *model_store_query_organisations(ModelStore *store, const ModelQuery *query,
                                              GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_organisations, NULL, error);
}

/* ---- locations ----------------------------------------------------------- */

static gboolean fill_locations(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                               gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql =
      g_string_new("SELECT " STORE_LOCATION_COLUMNS("l") " FROM locations l WHERE 1 = 1");
  where_page(sql, q, "l.id");
  where_scope(sql, q->scope, NULL, "l.organisation_id", "l.district_id");
  where(sql, q->organisation != NULL, "l.organisation_id = :organisation");
  order_and_limit(sql, q, "l.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  return stmt != NULL && store_each_object(store, stmt, store_row_location, dataset, error) &&
         each_owner(store, dataset, STORE_LOAD_SELECT " WHERE location_id = ? ORDER BY position",
                    dataset->locations, G_STRUCT_OFFSET(ModelLocation, id), store_row_load, error);
}

ModelDataset *model_store_query_locations(ModelStore *store, const ModelQuery *query,
                                          GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_locations, NULL, error);
}

/* ---- employees ----------------------------------------------------------- */

static gboolean fill_employees(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                               gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql =
      g_string_new("SELECT " STORE_EMPLOYEE_COLUMNS("e") " FROM employees e WHERE 1 = 1");
  where_page(sql, q, "e.id");
  where_scope(sql, q->scope, NULL, "e.organisation_id", "e.district_id");
  where(sql, q->organisation != NULL, "e.organisation_id = :organisation");
  where(sql, q->district != NULL, "e.district_id = :district");
  where(sql, q->active >= 0, "e.active = :active");
  order_and_limit(sql, q, "e.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  return stmt != NULL && store_each_object(store, stmt, store_row_employee, dataset, error) &&
         each_owner(
             store, dataset, STORE_AVAILABILITY_SELECT " WHERE employee_id = ? ORDER BY position",
             dataset->employees, G_STRUCT_OFFSET(ModelEmployee, id), store_row_availability, error);
}

ModelDataset *model_store_query_employees(ModelStore *store, const ModelQuery *query,
                                          GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_employees, NULL, error);
}

/* ---- requests ------------------------------------------------------------ */

/* Ids already added to the dataset, per kind, so joined objects are added once. */
typedef struct {
  GHashTable *schools;
  GHashTable *requests;
  GHashTable *employees;
  GHashTable *organisations;
} Seen;

static void seen_init(Seen *seen) {
  seen->schools = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  seen->requests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  seen->employees = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  seen->organisations = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

static void seen_clear(Seen *seen) {
  g_hash_table_unref(seen->schools);
  g_hash_table_unref(seen->requests);
  g_hash_table_unref(seen->employees);
  g_hash_table_unref(seen->organisations);
}

/* Decodes the object at column `c` with `row` unless its id is in `seen` already. */
static gboolean add_once(ModelStore *store, StoreStmt *stmt, int c, GHashTable *seen,
                         StoreRowFunc row, ModelDataset *dataset, GError **error) {
  const char *id = store_column_text(stmt, c);
  if (id == NULL || g_hash_table_contains(seen, id))
    return TRUE;
  g_hash_table_add(seen, g_strdup(id));
  return row(store, stmt, c, dataset, error);
}

typedef struct {
  ModelDataset *dataset;
  Seen seen;
  GHashTable *rounds; /* assignment id -> round id; may be NULL */
} JoinedRows;

/* A request and its school (STORE_REQUEST_COLUMNS, STORE_SCHOOL_COLUMNS). */
static gboolean request_row(ModelStore *store, StoreStmt *stmt, gpointer data, GError **error) {
  JoinedRows *rows = data;
  return store_row_request(store, stmt, 0, rows->dataset, error) &&
         add_once(store, stmt, STORE_REQUEST_NCOLUMNS, rows->seen.schools, store_row_school,
                  rows->dataset, error);
}

static gboolean approved_row(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                             guint owner, GError **error) {
  (void)owner;
  return store_row_assignment(store, stmt, c, dataset, error);
}

static int compare_ids(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Requests with their schools (the conditions follow), and a request's approved
 * assignments, the owner's id first as each_owner() reads it. */
/* clang-format off */
static const char requests_sql[] =
    "SELECT " STORE_REQUEST_COLUMNS("r") ", " STORE_SCHOOL_COLUMNS("s")
    " FROM requests r JOIN schools s ON s.id = r.school_id WHERE 1 = 1";
static const char approved_sql[] =
    "SELECT a.request_id, " STORE_ASSIGNMENT_COLUMNS("a") " FROM assignments a"
    " WHERE a.request_id = ? AND a.status = 'approved' ORDER BY a.id";
/* clang-format on */

static gboolean fill_requests(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                              gpointer extra, GError **error) {
  (void)extra;
  g_autoptr(GString) sql = g_string_new(requests_sql);
  where_page(sql, q, "r.id");
  where_scope(sql, q->scope, "r.school_id", NULL, "s.district_id");
  where(sql, q->school != NULL, "r.school_id = :school");
  where(sql, q->district != NULL, "s.district_id = :district");
  where(sql, q->status != NULL, "r.status = :status");
  order_and_limit(sql, q, "r.id");
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  if (stmt == NULL)
    return FALSE;
  JoinedRows rows = {.dataset = dataset};
  seen_init(&rows.seen);
  gboolean ok = store_each_row(store, stmt, request_row, &rows, error);
  seen_clear(&rows.seen);
  ok = ok &&
       each_owner(store, dataset, STORE_SLOTS_SELECT " WHERE request_id = ? ORDER BY position",
                  dataset->requests, G_STRUCT_OFFSET(ModelRequest, id), store_row_slot, error) &&
       each_owner(store, dataset, approved_sql, dataset->requests,
                  G_STRUCT_OFFSET(ModelRequest, id), approved_row, error);
  if (ok) {
    g_array_sort(dataset->schools, compare_ids);
    g_array_sort(dataset->assignments, compare_ids);
  }
  return ok;
}

ModelDataset *model_store_query_requests(ModelStore *store, const ModelQuery *query,
                                         GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  return read_snapshot(store, query, fill_requests, NULL, error);
}

/* ---- assignments --------------------------------------------------------- */

/* Where each object of the assignments query starts; the assignment's own columns
 * come first, the round last. */
enum {
  COL_SCHOOL = STORE_ASSIGNMENT_NCOLUMNS,
  COL_EMPLOYEE = COL_SCHOOL + STORE_SCHOOL_NCOLUMNS,
  COL_ORGANISATION = COL_EMPLOYEE + STORE_EMPLOYEE_BRIEF_NCOLUMNS,
  COL_REQUEST = COL_ORGANISATION + STORE_ORGANISATION_NCOLUMNS,
  COL_ROUND = COL_REQUEST + STORE_REQUEST_BRIEF_NCOLUMNS,
};

/* The rows on the page (`page` is the WITH table of their ids) joined with what an
 * assignment's view shows: of its request only the school, of its employee only the
 * brief. */
/* clang-format off */
static const char assignments_view_sql[] =
    " SELECT " STORE_ASSIGNMENT_COLUMNS("a") ", " STORE_SCHOOL_COLUMNS("s") ","
    " " STORE_EMPLOYEE_BRIEF_COLUMNS("e") ", " STORE_ORGANISATION_COLUMNS("o") ","
    " " STORE_REQUEST_BRIEF_COLUMNS("r") ", t.round_id"
    " FROM page JOIN assignments a ON a.id = page.id"
    " JOIN requests r ON r.id = a.request_id JOIN schools s ON s.id = r.school_id"
    " JOIN employees e ON e.id = a.employee_id JOIN organisations o ON o.id = e.organisation_id"
    " LEFT JOIN assignment_rounds t ON t.assignment_id = a.id ORDER BY a.id";
/* clang-format on */

static gboolean assignment_row(ModelStore *store, StoreStmt *stmt, gpointer data, GError **error) {
  JoinedRows *rows = data;
  ModelDataset *dataset = rows->dataset;
  if (!store_row_assignment(store, stmt, 0, dataset, error))
    return FALSE;
  if (rows->rounds != NULL && !store_column_is_null(stmt, COL_ROUND)) {
    gint64 *round = g_new(gint64, 1);
    *round = store_column_int64(stmt, COL_ROUND);
    g_hash_table_insert(rows->rounds, g_strdup(store_column_text(stmt, 0)), round);
  }
  return add_once(store, stmt, COL_REQUEST, rows->seen.requests, store_row_request_brief, dataset,
                  error) &&
         add_once(store, stmt, COL_SCHOOL, rows->seen.schools, store_row_school, dataset, error) &&
         add_once(store, stmt, COL_EMPLOYEE, rows->seen.employees, store_row_employee_brief,
                  dataset, error) &&
         add_once(store, stmt, COL_ORGANISATION, rows->seen.organisations, store_row_organisation,
                  dataset, error);
}

/* The page of ids is chosen first from the narrowest index (a district's schools,
 * their requests, the assignments on them; or assignments by status), and only the
 * rows on the page are joined with what their views show. */
static gboolean fill_assignments(ModelStore *store, const ModelQuery *q, ModelDataset *dataset,
                                 gpointer extra, GError **error) {
  const ModelScope *scope = q->scope;
  gboolean need_school = q->district != NULL || q->school != NULL || q->priority != NULL ||
                         (scope != NULL && scope->organisation == NULL);
  gboolean need_employee = scope != NULL && scope->organisation != NULL;
  /* Where the schools are named (a district, a school, a scope of either), SQLite is
   * held to that order by CROSS JOIN: without statistics it would rather walk every
   * assignment of the status in id order to skip sorting, some 5,000 for a page of a
   * district of the national set (7 ms) where the district's own are a few hundred. */
  gboolean by_school = q->district != NULL || q->school != NULL ||
                       (scope != NULL && (scope->school != NULL || scope->districts != NULL));
  g_autoptr(GString) sql = g_string_new("WITH page (id) AS (SELECT a.id FROM ");
  if (need_school && by_school)
    g_string_append(sql, "schools s CROSS JOIN requests r CROSS JOIN assignments a");
  else if (need_school)
    g_string_append(sql, "assignments a JOIN requests r ON r.id = a.request_id"
                         " JOIN schools s ON s.id = r.school_id");
  else
    g_string_append(sql, "assignments a");
  if (need_employee)
    g_string_append(sql, " JOIN employees e ON e.id = a.employee_id");
  if (q->round > 0)
    g_string_append(sql, " JOIN assignment_rounds t ON t.assignment_id = a.id");
  g_string_append(sql, " WHERE 1 = 1");
  if (need_school && by_school)
    g_string_append(sql, " AND r.school_id = s.id AND a.request_id = r.id");
  where_page(sql, q, "a.id");
  where_scope(sql, scope, "r.school_id", "e.organisation_id", "s.district_id");
  where(sql, q->status != NULL, "a.status = :status");
  where(sql, q->round > 0, "t.round_id = :round");
  where(sql, q->district != NULL, "s.district_id = :district");
  where(sql, q->school != NULL, "r.school_id = :school");
  where(sql, q->request != NULL, "a.request_id = :request");
  where(sql, q->employee != NULL, "a.employee_id = :employee");
  where(sql, q->from != MODEL_DATE_NONE, "a.date >= :from");
  where(sql, q->to != MODEL_DATE_NONE, "a.date <= :to");
  where(sql, q->part >= 0, "a.part = :part");
  where(sql, q->priority != NULL, "r.priority = :priority");
  order_and_limit(sql, q, "a.id");
  g_string_append_c(sql, ')');
  g_string_append(sql, assignments_view_sql);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = prepare_query(store, sql->str, q, &cached, error);
  if (stmt == NULL)
    return FALSE;
  JoinedRows rows = {.dataset = dataset, .rounds = extra};
  seen_init(&rows.seen);
  gboolean ok = store_each_row(store, stmt, assignment_row, &rows, error);
  seen_clear(&rows.seen);
  if (ok) {
    g_array_sort(dataset->requests, compare_ids);
    g_array_sort(dataset->schools, compare_ids);
    g_array_sort(dataset->employees, compare_ids);
    g_array_sort(dataset->organisations, compare_ids);
  }
  return ok;
}

ModelDataset *model_store_query_assignments(ModelStore *store, const ModelQuery *query,
                                            GHashTable **out_rounds, GError **error) {
  g_return_val_if_fail(store != NULL && query != NULL, NULL);
  g_autoptr(GHashTable) rounds =
      out_rounds != NULL ? g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free) : NULL;
  ModelDataset *dataset = read_snapshot(store, query, fill_assignments, rounds, error);
  if (dataset != NULL && out_rounds != NULL)
    *out_rounds = g_steal_pointer(&rounds);
  return dataset;
}

/* ---- the reasons behind an assignment ------------------------------------ */

/* One assignment's facts, columns in this order; the employee's own place first, then
 * their district's centroid. */
/* The approvals of the employee are found through the employee's index: the status
 * is compared as `status || ''`, which no index serves, or SQLite (without statistics)
 * would walk every approved assignment of the store for each row. */
static const char reasons_sql[] =
    "SELECT a.id, e.lat, e.lon, d.lat, d.lon, s.lat, s.lon,"
    " e.district_id = s.district_id,"
    " EXISTS (SELECT 1 FROM district_neighbours n WHERE"
    "  (n.district_id = s.district_id AND n.neighbour_id = e.district_id) OR"
    "  (n.district_id = e.district_id AND n.neighbour_id = s.district_id)),"
    " r.preferred, e.qualifications,"
    " EXISTS (SELECT 1 FROM assignments k JOIN requests kr ON kr.id = k.request_id"
    "  WHERE k.employee_id = a.employee_id AND k.status || '' = 'approved'"
    "  AND kr.school_id = r.school_id AND k.id <> a.id),"
    " EXISTS (SELECT 1 FROM assignments c WHERE c.request_id = a.request_id"
    "  AND c.employee_id = a.employee_id AND c.status IN ('proposed', 'approved')"
    "  AND c.id <> a.id)"
    " FROM json_each(?) j JOIN assignments a ON a.id = j.value"
    " JOIN requests r ON r.id = a.request_id JOIN schools s ON s.id = r.school_id"
    " JOIN employees e ON e.id = a.employee_id LEFT JOIN districts d ON d.id = e.district_id";

static ModelAssignmentReasons *reasons_row(StoreStmt *stmt) {
  ModelAssignmentReasons *reasons = g_new0(ModelAssignmentReasons, 1);
  reasons->travel_m = -1;
  /* As model_employee_location(): the employee's place, else the district's. */
  int from = !store_column_is_null(stmt, 1) ? 1 : !store_column_is_null(stmt, 3) ? 3 : -1;
  if (from > 0)
    reasons->travel_m =
        model_distance_m(store_column_double(stmt, from), store_column_double(stmt, from + 1),
                         store_column_double(stmt, 5), store_column_double(stmt, 6));
  reasons->same_district = store_column_int(stmt, 7) != 0;
  reasons->neighbour = !reasons->same_district && store_column_int(stmt, 8) != 0;
  ModelQualSet preferred = (ModelQualSet)store_column_int64(stmt, 9);
  ModelQualSet held = (ModelQualSet)store_column_int64(stmt, 10);
  reasons->preferred_met = preferred & held;
  reasons->preferred = preferred != 0 && (preferred & ~held) == 0;
  reasons->knows_school = store_column_int(stmt, 11) != 0;
  reasons->continuity = store_column_int(stmt, 12) != 0;
  return reasons;
}

GHashTable *model_store_assignment_reasons(ModelStore *store, const GArray *assignments,
                                           GError **error) {
  g_return_val_if_fail(store != NULL && assignments != NULL, NULL);
  g_autoptr(GHashTable) table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  if (assignments->len == 0)
    return g_steal_pointer(&table);
  g_autoptr(GPtrArray) ids = g_ptr_array_new();
  for (guint i = 0; i < assignments->len; i++)
    g_ptr_array_add(ids, g_array_index(assignments, ModelAssignment, i).id);
  g_ptr_array_add(ids, NULL);
  g_autofree char *json = ops_districts_json((const char *const *)ids->pdata);
  g_auto(StoreCached) cached = {0};
  StoreStmt *stmt = store_cached(store, reasons_sql, &cached, error); /* every decision reads it */
  if (stmt == NULL)
    return NULL;
  if (!store_bind_text_at(stmt, 1, json)) {
    store_set_io_error(error, store, "cannot bind a query");
    return NULL;
  }
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW)
    g_hash_table_replace(table, g_strdup(store_column_text(stmt, 0)), reasons_row(stmt));
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read the store");
    return NULL;
  }
  return g_steal_pointer(&table);
}
