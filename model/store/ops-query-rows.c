/* ops-query-rows.c: one entity from one result row, for the targeted reads of the
 * HTTP API (ops-queries.c).  The readers decode exactly as loading the whole store
 * does (store-load.c), so an object reads the same whichever way it is fetched.
 * Invariant: a value the schema should have refused (a corrupt file) is
 * MODEL_ERROR_IO naming the object and column, never a crash or a silent default.
 */
#include "ops-private.h"

/* Sets MODEL_ERROR_IO "PATH: KIND/ID: stored COLUMN VALUE is not valid". */
static gboolean corrupt(ModelStore *store, const char *kind, const char *id, const char *column,
                        const char *value, GError **error) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s/%s: stored %s \"%s\" is not valid",
              store->path, kind, id != NULL ? id : "?", column, value != NULL ? value : "NULL");
  return FALSE;
}

static char *text_dup(sqlite3_stmt *stmt, int column) {
  return g_strdup((const char *)sqlite3_column_text(stmt, column));
}

static gboolean is_null(sqlite3_stmt *stmt, int column) {
  return sqlite3_column_type(stmt, column) == SQLITE_NULL;
}

static gint32 optional_int(sqlite3_stmt *stmt, int column) {
  return is_null(stmt, column) ? -1 : sqlite3_column_int(stmt, column);
}

static gboolean read_date(ModelStore *store, sqlite3_stmt *stmt, int column, const char *kind,
                          const char *id, ModelDate *out, GError **error) {
  const char *text = (const char *)sqlite3_column_text(stmt, column);
  if (text == NULL || !model_date_parse(text, out))
    return corrupt(store, kind, id, sqlite3_column_name(stmt, column), text, error);
  return TRUE;
}

gboolean ops_read_district(ModelStore *store, sqlite3_stmt *stmt, int c, ModelDistrict *out,
                           GError **error) {
  (void)store;
  (void)error;
  *out = (ModelDistrict){0};
  out->id = text_dup(stmt, c);
  out->name = text_dup(stmt, c + 1);
  out->lat = sqlite3_column_double(stmt, c + 2);
  out->lon = sqlite3_column_double(stmt, c + 3);
  out->neighbours = g_ptr_array_new_with_free_func(g_free);
  return TRUE;
}

gboolean ops_read_school(ModelStore *store, sqlite3_stmt *stmt, int c, ModelSchool *out,
                         GError **error) {
  model_school_init(out);
  out->id = text_dup(stmt, c);
  out->brin = text_dup(stmt, c + 1);
  out->name = text_dup(stmt, c + 2);
  const char *type = (const char *)sqlite3_column_text(stmt, c + 3);
  if (!model_school_type_parse(type, &out->type)) {
    corrupt(store, "schools", out->id, "type", type, error);
    model_school_clear(out);
    return FALSE;
  }
  out->district_id = text_dup(stmt, c + 4);
  out->postcode = text_dup(stmt, c + 5);
  out->lat = sqlite3_column_double(stmt, c + 6);
  out->lon = sqlite3_column_double(stmt, c + 7);
  out->pupils = optional_int(stmt, c + 8);
  return TRUE;
}

gboolean ops_read_organisation(ModelStore *store, sqlite3_stmt *stmt, int c, ModelOrganisation *out,
                               GError **error) {
  (void)store;
  (void)error;
  *out = (ModelOrganisation){0};
  out->id = text_dup(stmt, c);
  out->name = text_dup(stmt, c + 1);
  out->lrk = text_dup(stmt, c + 2);
  out->district_id = text_dup(stmt, c + 3);
  return TRUE;
}

gboolean ops_read_employee(ModelStore *store, sqlite3_stmt *stmt, int c, ModelEmployee *out,
                           GError **error) {
  model_employee_init(out);
  out->id = text_dup(stmt, c);
  out->organisation_id = text_dup(stmt, c + 1);
  out->name = text_dup(stmt, c + 2);
  out->district_id = text_dup(stmt, c + 3);
  out->has_location = !is_null(stmt, c + 4);
  out->lat = out->has_location ? sqlite3_column_double(stmt, c + 4) : 0.0;
  out->lon = out->has_location ? sqlite3_column_double(stmt, c + 5) : 0.0;
  out->quals = (ModelQualSet)sqlite3_column_int64(stmt, c + 6);
  out->max_parts_per_week = sqlite3_column_int(stmt, c + 7);
  out->max_travel_km = sqlite3_column_int(stmt, c + 8);
  out->active = sqlite3_column_int(stmt, c + 9) != 0;
  out->confirmed = MODEL_DATE_NONE;
  if (!is_null(stmt, c + 10) &&
      !read_date(store, stmt, c + 10, "employees", out->id, &out->confirmed, error)) {
    model_employee_clear(out);
    return FALSE;
  }
  return TRUE;
}

gboolean ops_read_request(ModelStore *store, sqlite3_stmt *stmt, int c, ModelRequest *out,
                          GError **error) {
  model_request_init(out);
  out->id = text_dup(stmt, c);
  out->school_id = text_dup(stmt, c + 1);
  out->staff_needed = optional_int(stmt, c + 2);
  out->children_expected = optional_int(stmt, c + 3);
  out->own_staff = optional_int(stmt, c + 4);
  out->required = (ModelQualSet)sqlite3_column_int64(stmt, c + 5);
  out->preferred = (ModelQualSet)sqlite3_column_int64(stmt, c + 6);
  const char *priority = (const char *)sqlite3_column_text(stmt, c + 7);
  gboolean ok = model_priority_parse(priority, &out->priority) ||
                corrupt(store, "requests", out->id, "priority", priority, error);
  out->max_travel_km = sqlite3_column_int(stmt, c + 8);
  out->note = text_dup(stmt, c + 9);
  const char *status = (const char *)sqlite3_column_text(stmt, c + 10);
  ok = ok && (model_request_status_parse(status, &out->status) ||
              corrupt(store, "requests", out->id, "status", status, error));
  if (!ok)
    model_request_clear(out);
  return ok;
}

gboolean ops_read_assignment(ModelStore *store, sqlite3_stmt *stmt, int c, ModelAssignment *out,
                             GError **error) {
  model_assignment_init(out);
  out->id = text_dup(stmt, c);
  out->request_id = text_dup(stmt, c + 1);
  out->employee_id = text_dup(stmt, c + 2);
  gboolean ok = read_date(store, stmt, c + 3, "assignments", out->id, &out->slot.date, error);
  int part = sqlite3_column_int(stmt, c + 4);
  if (ok && part != MODEL_PART_MORNING && part != MODEL_PART_AFTERNOON) {
    g_autofree char *text = g_strdup_printf("%d", part);
    ok = corrupt(store, "assignments", out->id, "part", text, error);
  }
  out->slot.part = (ModelPart)part;
  const char *status = (const char *)sqlite3_column_text(stmt, c + 5);
  ok = ok && (model_assignment_status_parse(status, &out->status) ||
              corrupt(store, "assignments", out->id, "status", status, error));
  out->decided_by = text_dup(stmt, c + 6);
  out->decided_at = is_null(stmt, c + 7) ? -1 : sqlite3_column_int64(stmt, c + 7);
  out->reason = text_dup(stmt, c + 8);
  if (!ok)
    model_assignment_clear(out);
  return ok;
}

gboolean ops_read_rule(ModelStore *store, sqlite3_stmt *stmt, int c, const char *kind,
                       const char *id, ModelSlotRule *out, GError **error) {
  ModelSlotRule rule = {0};
  const char *rule_kind = (const char *)sqlite3_column_text(stmt, c);
  if (g_strcmp0(rule_kind, "one") == 0) {
    rule.kind = MODEL_SLOT_RULE_ONE;
    rule.weekdays = MODEL_WEEKDAYS_ALL;
  } else if (g_strcmp0(rule_kind, "pattern") == 0) {
    rule.kind = MODEL_SLOT_RULE_PATTERN;
    rule.weekdays = (guint8)(sqlite3_column_int(stmt, c + 3) & MODEL_WEEKDAYS_ALL);
  } else {
    return corrupt(store, kind, id, "kind", rule_kind, error);
  }
  if (!read_date(store, stmt, c + 1, kind, id, &rule.from, error) ||
      !read_date(store, stmt, c + 2, kind, id, &rule.to, error))
    return FALSE;
  rule.parts = (guint8)(sqlite3_column_int(stmt, c + 4) & MODEL_PARTS_ALL);
  *out = rule;
  return TRUE;
}
