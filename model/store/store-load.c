/* store-load.c: reading the whole store back as a dataset (model_store_load).
 * Invariants: everything is read in one read transaction, so the dataset is one
 * consistent snapshot even while another connection writes; every array comes out
 * sorted by id in byte order (SQLite's BINARY collation), the order of
 * model_dataset_sort(); lists keep the order they were written in (position).  A
 * value the schema should have refused (a corrupt file) is MODEL_ERROR_IO, never a
 * crash or a silent default.
 */
#include "store-private.h"

/* Sets MODEL_ERROR_IO "PATH: KIND/ID: stored COLUMN VALUE is not valid". */
static gboolean corrupt(ModelStore *store, const char *kind, const char *id, const char *column,
                        const char *value, GError **error) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s/%s: stored %s \"%s\" is not valid",
              store->path, kind, id != NULL ? id : "?", column, value != NULL ? value : "NULL");
  return FALSE;
}

static char *column_strdup(sqlite3_stmt *stmt, int column) {
  return g_strdup((const char *)sqlite3_column_text(stmt, column));
}

static gboolean column_is_null(sqlite3_stmt *stmt, int column) {
  return sqlite3_column_type(stmt, column) == SQLITE_NULL;
}

static gint32 column_optional_int(sqlite3_stmt *stmt, int column) {
  return column_is_null(stmt, column) ? -1 : sqlite3_column_int(stmt, column);
}

static gboolean column_date(ModelStore *store, sqlite3_stmt *stmt, int column, const char *kind,
                            const char *id, ModelDate *out_date, GError **error) {
  const char *text = (const char *)sqlite3_column_text(stmt, column);
  if (text == NULL || !model_date_parse(text, out_date))
    return corrupt(store, kind, id, sqlite3_column_name(stmt, column), text, error);
  return TRUE;
}

/* Steps a query to its end, calling `row` for each row; stops at the first failing
 * row.  Steps and errors are checked here once for every loader. */
typedef gboolean (*RowFunc)(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                            GError **error);

static gboolean for_each_row(ModelStore *store, const char *sql, RowFunc row, ModelDataset *dataset,
                             GError **error) {
  g_autoptr(sqlite3_stmt) stmt = store_prepare(store, sql, error);
  if (stmt == NULL)
    return FALSE;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    if (!row(store, stmt, dataset, error))
      return FALSE;
  if (rc != SQLITE_DONE) {
    store_set_io_error(error, store->db, store->path, "cannot read the store");
    return FALSE;
  }
  return TRUE;
}

/* ---- objects ------------------------------------------------------------ */

static gboolean district_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                             GError **error) {
  (void)store;
  (void)error;
  ModelDistrict d = {0};
  d.id = column_strdup(stmt, 0);
  d.name = column_strdup(stmt, 1);
  d.lat = sqlite3_column_double(stmt, 2);
  d.lon = sqlite3_column_double(stmt, 3);
  d.neighbours = g_ptr_array_new_with_free_func(g_free);
  g_array_append_val(dataset->districts, d);
  return TRUE;
}

static gboolean school_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                           GError **error) {
  ModelSchool s;
  model_school_init(&s);
  s.id = column_strdup(stmt, 0);
  s.brin = column_strdup(stmt, 1);
  s.name = column_strdup(stmt, 2);
  const char *type = (const char *)sqlite3_column_text(stmt, 3);
  if (!model_school_type_parse(type, &s.type)) {
    corrupt(store, "schools", s.id, "type", type, error);
    model_school_clear(&s);
    return FALSE;
  }
  s.district_id = column_strdup(stmt, 4);
  s.postcode = column_strdup(stmt, 5);
  s.lat = sqlite3_column_double(stmt, 6);
  s.lon = sqlite3_column_double(stmt, 7);
  s.pupils = column_optional_int(stmt, 8);
  g_array_append_val(dataset->schools, s);
  return TRUE;
}

static gboolean organisation_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                                 GError **error) {
  (void)store;
  (void)error;
  ModelOrganisation o = {0};
  o.id = column_strdup(stmt, 0);
  o.name = column_strdup(stmt, 1);
  o.lrk = column_strdup(stmt, 2);
  o.district_id = column_strdup(stmt, 3);
  g_array_append_val(dataset->organisations, o);
  return TRUE;
}

static gboolean employee_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                             GError **error) {
  ModelEmployee e;
  model_employee_init(&e);
  e.id = column_strdup(stmt, 0);
  e.organisation_id = column_strdup(stmt, 1);
  e.name = column_strdup(stmt, 2);
  e.district_id = column_strdup(stmt, 3);
  e.has_location = !column_is_null(stmt, 4);
  e.lat = e.has_location ? sqlite3_column_double(stmt, 4) : 0.0;
  e.lon = e.has_location ? sqlite3_column_double(stmt, 5) : 0.0;
  e.quals = (ModelQualSet)sqlite3_column_int64(stmt, 6);
  e.max_parts_per_week = sqlite3_column_int(stmt, 7);
  e.max_travel_km = sqlite3_column_int(stmt, 8);
  e.active = sqlite3_column_int(stmt, 9) != 0;
  e.confirmed = MODEL_DATE_NONE;
  if (!column_is_null(stmt, 10) &&
      !column_date(store, stmt, 10, "employees", e.id, &e.confirmed, error)) {
    model_employee_clear(&e);
    return FALSE;
  }
  g_array_append_val(dataset->employees, e);
  return TRUE;
}

static gboolean request_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                            GError **error) {
  ModelRequest r;
  model_request_init(&r);
  r.id = column_strdup(stmt, 0);
  r.school_id = column_strdup(stmt, 1);
  r.staff_needed = column_optional_int(stmt, 2);
  r.children_expected = column_optional_int(stmt, 3);
  r.own_staff = column_optional_int(stmt, 4);
  r.required = (ModelQualSet)sqlite3_column_int64(stmt, 5);
  r.preferred = (ModelQualSet)sqlite3_column_int64(stmt, 6);
  const char *priority = (const char *)sqlite3_column_text(stmt, 7);
  gboolean ok = model_priority_parse(priority, &r.priority) ||
                corrupt(store, "requests", r.id, "priority", priority, error);
  r.max_travel_km = sqlite3_column_int(stmt, 8);
  r.note = column_strdup(stmt, 9);
  const char *status = (const char *)sqlite3_column_text(stmt, 10);
  ok = ok && (model_request_status_parse(status, &r.status) ||
              corrupt(store, "requests", r.id, "status", status, error));
  if (!ok) {
    model_request_clear(&r);
    return FALSE;
  }
  g_array_append_val(dataset->requests, r);
  return TRUE;
}

static gboolean assignment_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                               GError **error) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = column_strdup(stmt, 0);
  a.request_id = column_strdup(stmt, 1);
  a.employee_id = column_strdup(stmt, 2);
  gboolean ok = column_date(store, stmt, 3, "assignments", a.id, &a.slot.date, error);
  int part = sqlite3_column_int(stmt, 4);
  if (ok && part != MODEL_PART_MORNING && part != MODEL_PART_AFTERNOON) {
    g_autofree char *text = g_strdup_printf("%d", part);
    ok = corrupt(store, "assignments", a.id, "part", text, error);
  }
  a.slot.part = (ModelPart)part;
  const char *status = (const char *)sqlite3_column_text(stmt, 5);
  ok = ok && (model_assignment_status_parse(status, &a.status) ||
              corrupt(store, "assignments", a.id, "status", status, error));
  a.decided_by = column_strdup(stmt, 6);
  a.decided_at = column_is_null(stmt, 7) ? -1 : sqlite3_column_int64(stmt, 7);
  a.reason = column_strdup(stmt, 8);
  if (!ok) {
    model_assignment_clear(&a);
    return FALSE;
  }
  g_array_append_val(dataset->assignments, a);
  return TRUE;
}

/* ---- lists -------------------------------------------------------------- */

static gboolean neighbour_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                              GError **error) {
  const char *id = (const char *)sqlite3_column_text(stmt, 0);
  gint i = model_dataset_find_district(dataset, id);
  if (i < 0)
    return corrupt(store, "districts", id, "district_id", id, error);
  ModelDistrict *d = &g_array_index(dataset->districts, ModelDistrict, i);
  g_ptr_array_add(d->neighbours, column_strdup(stmt, 1));
  return TRUE;
}

/* Reads one slot rule from columns 1..5 (kind, from_date, to_date, weekdays, parts). */
static gboolean read_rule(ModelStore *store, sqlite3_stmt *stmt, const char *kind, const char *id,
                          ModelSlotRule *out_rule, GError **error) {
  ModelSlotRule rule = {0};
  const char *rule_kind = (const char *)sqlite3_column_text(stmt, 1);
  if (g_strcmp0(rule_kind, "one") == 0) {
    rule.kind = MODEL_SLOT_RULE_ONE;
    rule.weekdays = MODEL_WEEKDAYS_ALL;
  } else if (g_strcmp0(rule_kind, "pattern") == 0) {
    rule.kind = MODEL_SLOT_RULE_PATTERN;
    rule.weekdays = (guint8)(sqlite3_column_int(stmt, 4) & MODEL_WEEKDAYS_ALL);
  } else {
    return corrupt(store, kind, id, "kind", rule_kind, error);
  }
  if (!column_date(store, stmt, 2, kind, id, &rule.from, error) ||
      !column_date(store, stmt, 3, kind, id, &rule.to, error))
    return FALSE;
  rule.parts = (guint8)(sqlite3_column_int(stmt, 5) & MODEL_PARTS_ALL);
  *out_rule = rule;
  return TRUE;
}

static gboolean availability_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                                 GError **error) {
  const char *id = (const char *)sqlite3_column_text(stmt, 0);
  gint i = model_dataset_find_employee(dataset, id);
  if (i < 0)
    return corrupt(store, "employees", id, "employee_id", id, error);
  ModelSlotRule rule;
  if (!read_rule(store, stmt, "employees", id, &rule, error))
    return FALSE;
  g_array_append_val(g_array_index(dataset->employees, ModelEmployee, i).availability, rule);
  return TRUE;
}

static gboolean slot_row(ModelStore *store, sqlite3_stmt *stmt, ModelDataset *dataset,
                         GError **error) {
  const char *id = (const char *)sqlite3_column_text(stmt, 0);
  gint i = model_dataset_find_request(dataset, id);
  if (i < 0)
    return corrupt(store, "requests", id, "request_id", id, error);
  ModelSlotRule rule;
  if (!read_rule(store, stmt, "requests", id, &rule, error))
    return FALSE;
  g_array_append_val(g_array_index(dataset->requests, ModelRequest, i).slots, rule);
  return TRUE;
}

/* ---- the whole store ---------------------------------------------------- */

static gboolean load_in_transaction(ModelStore *store, ModelDataset *dataset, GError **error) {
  static const struct {
    const char *sql;
    RowFunc row;
  } objects[] = {
      {"SELECT id, name, lat, lon FROM districts ORDER BY id", district_row},
      {"SELECT id, brin, name, type, district_id, postcode, lat, lon, pupils"
       " FROM schools ORDER BY id",
       school_row},
      {"SELECT id, name, lrk, district_id FROM organisations ORDER BY id", organisation_row},
      {"SELECT id, organisation_id, name, district_id, lat, lon, qualifications,"
       " max_parts_per_week, max_travel_km, active, confirmed FROM employees ORDER BY id",
       employee_row},
      {"SELECT id, school_id, staff_needed, children_expected, own_staff, required,"
       " preferred, priority, max_travel_km, note, status FROM requests ORDER BY id",
       request_row},
      {"SELECT id, request_id, employee_id, date, part, status, decided_by,"
       " CAST(strftime('%s', decided_at) AS INTEGER), reason FROM assignments ORDER BY id",
       assignment_row},
  };
  /* Lists are attached to their owners through the index, in written order. */
  static const struct {
    const char *sql;
    RowFunc row;
  } lists[] = {
      {"SELECT district_id, neighbour_id FROM district_neighbours"
       " ORDER BY district_id, position",
       neighbour_row},
      {"SELECT employee_id, kind, from_date, to_date, weekdays, parts"
       " FROM employee_availability ORDER BY employee_id, position",
       availability_row},
      {"SELECT request_id, kind, from_date, to_date, weekdays, parts"
       " FROM request_slots ORDER BY request_id, position",
       slot_row},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(objects); i++)
    if (!for_each_row(store, objects[i].sql, objects[i].row, dataset, error))
      return FALSE;
  model_dataset_index(dataset);
  for (gsize i = 0; i < G_N_ELEMENTS(lists); i++)
    if (!for_each_row(store, lists[i].sql, lists[i].row, dataset, error))
      return FALSE;
  return TRUE;
}

ModelDataset *model_store_load(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  /* A deferred BEGIN takes its snapshot at the first read and never blocks a writer
   * (WAL). */
  if (!store_exec(store, "BEGIN", error))
    return NULL;
  g_autoptr(ModelDataset) dataset = model_dataset_new();
  gboolean ok = load_in_transaction(store, dataset, error);
  store_rollback(store); /* nothing was written; ending the read cannot lose data */
  if (!ok)
    return NULL;
  model_dataset_index(dataset);
  return g_steal_pointer(&dataset);
}
