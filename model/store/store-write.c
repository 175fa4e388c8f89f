/* store-write.c: writing datasets into the store (model_store_import), and the one
 * writer of an assignment row, which rounds use for their proposals too.  Invariants:
 * every import is one
 * BEGIN IMMEDIATE transaction that commits everything or rolls back everything;
 * objects are written parents first (districts, schools, organisations, locations,
 * employees, requests, assignments) so a missing reference fails on the row that makes it and
 * the error names that object; an existing object is updated in place (upsert),
 * never deleted and reinserted, so rows referring to it survive a MERGE.  Where the
 * driver writes in bulk (PostgreSQL: COPY, driver-pg-copy.c) the same statements
 * collect their rows and run once per kind of row, in the same order.
 */
#include "rows.h"

/* One prepared statement per kind of row, reused for every object of an import. */
typedef enum {
  W_DISTRICT,
  W_NEIGHBOURS_CLEAR,
  W_NEIGHBOUR,
  W_SCHOOL,
  W_ORGANISATION,
  W_LOCATION,
  W_LOAD_CLEAR,
  W_LOAD,
  W_EMPLOYEE,
  W_AVAILABILITY_CLEAR,
  W_AVAILABILITY,
  W_REQUEST,
  W_SLOTS_CLEAR,
  W_SLOT,
  W_ASSIGNMENT,
  W_N
} WriterStatement;

typedef struct {
  StoreStmt *stmt[W_N];
} Writer;

static void writer_clear(Writer *writer) {
  for (gsize i = 0; i < W_N; i++)
    g_clear_pointer(&writer->stmt[i], store_finalize);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Writer, writer_clear)

/* Upserts: ON CONFLICT DO UPDATE keeps the row (unlike INSERT OR REPLACE, which
 * deletes it first and so would cascade into, or be refused by, rows that refer to
 * it). */
static const char district_sql[] =
    "INSERT INTO districts (id, name, lat, lon, outline) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, lat = excluded.lat,"
    " lon = excluded.lon, outline = excluded.outline";
static const char school_sql[] =
    "INSERT INTO schools (id, brin, name, type, district_id, postcode, lat, lon, pupils,"
    " contact_name, contact_email, contact_phone)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET brin = excluded.brin, name = excluded.name,"
    " type = excluded.type, district_id = excluded.district_id,"
    " postcode = excluded.postcode, lat = excluded.lat, lon = excluded.lon,"
    " pupils = excluded.pupils, contact_name = excluded.contact_name,"
    " contact_email = excluded.contact_email, contact_phone = excluded.contact_phone";
static const char organisation_sql[] =
    "INSERT INTO organisations (id, name, lrk, district_id, contact_name, contact_email,"
    " contact_phone) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET name = excluded.name, lrk = excluded.lrk,"
    " district_id = excluded.district_id, contact_name = excluded.contact_name,"
    " contact_email = excluded.contact_email, contact_phone = excluded.contact_phone";
static const char location_sql[] =
    "INSERT INTO locations (id, organisation_id, name, lrk, district_id, lat, lon)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id,"
    " name = excluded.name, lrk = excluded.lrk, district_id = excluded.district_id,"
    " lat = excluded.lat, lon = excluded.lon";
static const char employee_sql[] =
    "INSERT INTO employees (id, organisation_id, name, district_id, lat, lon,"
    " qualifications, max_parts_per_week, max_travel_km, active, confirmed, email, phone,"
    " location_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET organisation_id = excluded.organisation_id,"
    " name = excluded.name, district_id = excluded.district_id, lat = excluded.lat,"
    " lon = excluded.lon, qualifications = excluded.qualifications,"
    " max_parts_per_week = excluded.max_parts_per_week,"
    " max_travel_km = excluded.max_travel_km, active = excluded.active,"
    " confirmed = excluded.confirmed, email = excluded.email, phone = excluded.phone,"
    " location_id = excluded.location_id";
static const char request_sql[] =
    "INSERT INTO requests (id, school_id, staff_needed, children_expected, own_staff,"
    " required, preferred, priority, max_travel_km, note, status)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (id) DO UPDATE SET school_id = excluded.school_id,"
    " staff_needed = excluded.staff_needed, children_expected = excluded.children_expected,"
    " own_staff = excluded.own_staff, required = excluded.required,"
    " preferred = excluded.preferred, priority = excluded.priority,"
    " max_travel_km = excluded.max_travel_km, note = excluded.note, status = excluded.status";
static const char assignment_sql[] = STORE_ASSIGNMENT_INSERT_SQL
    " ON CONFLICT (id) DO UPDATE SET request_id = excluded.request_id,"
    " employee_id = excluded.employee_id, date = excluded.date, part = excluded.part,"
    " status = excluded.status, decided_by = excluded.decided_by,"
    " decided_at = excluded.decided_at, reason = excluded.reason";

static const char *const writer_sql[W_N] = {
    [W_DISTRICT] = district_sql,
    [W_NEIGHBOURS_CLEAR] = "DELETE FROM district_neighbours WHERE district_id = ?",
    [W_NEIGHBOUR] = "INSERT INTO district_neighbours (district_id, position, neighbour_id)"
                    " VALUES (?, ?, ?)",
    [W_SCHOOL] = school_sql,
    [W_ORGANISATION] = organisation_sql,
    [W_LOCATION] = location_sql,
    [W_LOAD_CLEAR] = "DELETE FROM location_load WHERE location_id = ?",
    [W_LOAD] = STORE_LOAD_INSERT_SQL,
    [W_EMPLOYEE] = employee_sql,
    [W_AVAILABILITY_CLEAR] = "DELETE FROM employee_availability WHERE employee_id = ?",
    [W_AVAILABILITY] = "INSERT INTO employee_availability (employee_id, position, kind,"
                       " from_date, to_date, weekdays, parts) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [W_REQUEST] = request_sql,
    [W_SLOTS_CLEAR] = "DELETE FROM request_slots WHERE request_id = ?",
    [W_SLOT] = "INSERT INTO request_slots (request_id, position, kind, from_date, to_date,"
               " weekdays, parts) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [W_ASSIGNMENT] = assignment_sql,
};

void store_bind_employee(StoreBinder *b, const ModelEmployee *e) {
  store_bind_text(b, e->id);
  store_bind_text(b, e->organisation_id);
  store_bind_text(b, e->name);
  store_bind_text(b, e->district_id);
  if (e->has_location) {
    store_bind_double(b, e->lat);
    store_bind_double(b, e->lon);
  } else {
    store_bind_null(b);
    store_bind_null(b);
  }
  store_bind_int(b, e->quals);
  store_bind_int(b, e->max_parts_per_week);
  store_bind_int(b, e->max_travel_km);
  store_bind_int(b, e->active ? 1 : 0);
  if (e->confirmed == MODEL_DATE_NONE)
    store_bind_null(b);
  else
    store_bind_date(b, e->confirmed);
  store_bind_text(b, e->email);
  store_bind_text(b, e->phone);
  store_bind_text(b, e->location_id);
}

void store_bind_load(StoreBinder *b, const char *location, guint position,
                     const ModelLocationLoad *load) {
  store_bind_rule(b, location, position, &load->when);
  store_bind_optional_int(b, load->children_expected);
  store_bind_optional_int(b, load->staff_present);
  store_bind_optional_int(b, load->max_lend);
}

/* A contact's three columns, in the order name, email, phone. */
static void bind_contact(StoreBinder *b, const ModelContact *contact) {
  store_bind_text(b, contact->name);
  store_bind_text(b, contact->email);
  store_bind_text(b, contact->phone);
}

void store_bind_request(StoreBinder *b, const ModelRequest *r) {
  store_bind_text(b, r->id);
  store_bind_text(b, r->school_id);
  store_bind_optional_int(b, r->staff_needed);
  store_bind_optional_int(b, r->children_expected);
  store_bind_optional_int(b, r->own_staff);
  store_bind_int(b, r->required);
  store_bind_int(b, r->preferred);
  store_bind_text(b, model_priority_name(r->priority));
  store_bind_int(b, r->max_travel_km);
  store_bind_text(b, r->note);
  store_bind_text(b, model_request_status_name(r->status));
}

void store_bind_rule(StoreBinder *b, const char *owner, guint position, const ModelSlotRule *rule) {
  gboolean one = rule->kind == MODEL_SLOT_RULE_ONE;
  store_bind_text(b, owner);
  store_bind_int(b, position);
  store_bind_text(b, one ? "one" : "pattern");
  store_bind_date(b, rule->from);
  store_bind_date(b, rule->to);
  if (one)
    store_bind_null(b);
  else
    store_bind_int(b, rule->weekdays);
  store_bind_int(b, rule->parts);
}

/* Prepares every statement, or with `bulk` the driver's bulk statements, whose rows
 * writer_flush() writes. */
static gboolean writer_prepare(Writer *writer, ModelStore *store, gboolean bulk, GError **error) {
  for (gsize i = 0; i < W_N; i++) {
    g_assert(writer_sql[i] != NULL);
    if (!bulk)
      writer->stmt[i] = store_prepare(store, writer_sql[i], error);
    else if ((writer->stmt[i] = store->driver->prepare_bulk(store, writer_sql[i])) == NULL)
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "no bulk statement for: %s", writer_sql[i]);
    if (writer->stmt[i] == NULL)
      return FALSE;
  }
  return TRUE;
}

/* Writes the rows the bulk statements collected, in the order of WriterStatement:
 * parents before children, a child list cleared before it is written again. */
static gboolean writer_flush(Writer *writer, ModelStore *store, GError **error) {
  for (gsize i = 0; i < W_N; i++)
    if (!store->driver->flush_bulk(writer->stmt[i], error))
      return FALSE;
  return TRUE;
}

/* Binds, steps and resets one statement for object kind/id. */
static gboolean write_row(ModelStore *store, StoreBinder *binder, const char *kind, const char *id,
                          const char *missing_reference, GError **error) {
  if (!store_binder_ok(binder, store, error)) {
    g_prefix_error(error, "%s/%s: ", kind, id);
    store_reset(binder->stmt);
    return FALSE;
  }
  return store_step_write(store, binder->stmt, kind, id, missing_reference, error);
}

/* Deletes the child rows (neighbours, slot rules) of one object before they are
 * written again: a replaced object's lists are replaced, not merged. */
static gboolean clear_children(ModelStore *store, StoreStmt *stmt, const char *kind, const char *id,
                               GError **error) {
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, id);
  return write_row(store, &b, kind, id, NULL, error);
}

/* Writes a list of slot rules in order.  Rules of one day part store no weekdays. */
static gboolean write_rules(ModelStore *store, StoreStmt *clear, StoreStmt *insert,
                            const char *kind, const char *id, const GArray *rules, GError **error) {
  if (!clear_children(store, clear, kind, id, error))
    return FALSE;
  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    StoreBinder b = store_binder(insert);
    store_bind_rule(&b, id, i, &g_array_index(rules, ModelSlotRule, i));
    if (!write_row(store, &b, kind, id, NULL, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean write_districts(Writer *w, ModelStore *store, const GArray *districts,
                                GError **error) {
  for (guint i = 0; i < districts->len; i++) {
    const ModelDistrict *d = &g_array_index(districts, ModelDistrict, i);
    StoreBinder b = store_binder(w->stmt[W_DISTRICT]);
    store_bind_text(&b, d->id);
    store_bind_text(&b, d->name);
    store_bind_double(&b, d->lat);
    store_bind_double(&b, d->lon);
    g_autofree char *outline = store_outline_format(d->outline);
    store_bind_text(&b, outline);
    if (!write_row(store, &b, "districts", d->id, NULL, error))
      return FALSE;
  }
  /* Neighbours only once every district of the dataset exists. */
  for (guint i = 0; i < districts->len; i++) {
    const ModelDistrict *d = &g_array_index(districts, ModelDistrict, i);
    if (!clear_children(store, w->stmt[W_NEIGHBOURS_CLEAR], "districts", d->id, error))
      return FALSE;
    for (guint n = 0; d->neighbours != NULL && n < d->neighbours->len; n++) {
      const char *neighbour = g_ptr_array_index(d->neighbours, n);
      g_autofree char *missing = g_strdup_printf("no district with id \"%s\"", neighbour);
      StoreBinder b = store_binder(w->stmt[W_NEIGHBOUR]);
      store_bind_text(&b, d->id);
      store_bind_int(&b, n);
      store_bind_text(&b, neighbour);
      if (!write_row(store, &b, "districts", d->id, missing, error))
        return FALSE;
    }
  }
  return TRUE;
}

static gboolean write_schools(Writer *w, ModelStore *store, const GArray *schools, GError **error) {
  for (guint i = 0; i < schools->len; i++) {
    const ModelSchool *s = &g_array_index(schools, ModelSchool, i);
    g_autofree char *missing = g_strdup_printf("no district with id \"%s\"", s->district_id);
    StoreBinder b = store_binder(w->stmt[W_SCHOOL]);
    store_bind_text(&b, s->id);
    store_bind_text(&b, s->brin);
    store_bind_text(&b, s->name);
    store_bind_text(&b, model_school_type_name(s->type));
    store_bind_text(&b, s->district_id);
    store_bind_text(&b, s->postcode);
    store_bind_double(&b, s->lat);
    store_bind_double(&b, s->lon);
    store_bind_optional_int(&b, s->pupils);
    bind_contact(&b, &s->contact);
    if (!write_row(store, &b, "schools", s->id, missing, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean write_organisations(Writer *w, ModelStore *store, const GArray *organisations,
                                    GError **error) {
  for (guint i = 0; i < organisations->len; i++) {
    const ModelOrganisation *o = &g_array_index(organisations, ModelOrganisation, i);
    g_autofree char *missing = o->district_id != NULL
                                   ? g_strdup_printf("no district with id \"%s\"", o->district_id)
                                   : NULL;
    StoreBinder b = store_binder(w->stmt[W_ORGANISATION]);
    store_bind_text(&b, o->id);
    store_bind_text(&b, o->name);
    store_bind_text(&b, o->lrk);
    store_bind_text(&b, o->district_id);
    bind_contact(&b, &o->contact);
    if (!write_row(store, &b, "organisations", o->id, missing, error))
      return FALSE;
  }
  return TRUE;
}

gboolean store_write_load(ModelStore *store, StoreStmt *clear, StoreStmt *insert,
                          const ModelLocation *l, GError **error) {
  if (!clear_children(store, clear, "locations", l->id, error))
    return FALSE;
  for (guint i = 0; l->load != NULL && i < l->load->len; i++) {
    StoreBinder b = store_binder(insert);
    store_bind_load(&b, l->id, i, &g_array_index(l->load, ModelLocationLoad, i));
    if (!write_row(store, &b, "locations", l->id, NULL, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean write_locations(Writer *w, ModelStore *store, const GArray *locations,
                                GError **error) {
  for (guint i = 0; i < locations->len; i++) {
    const ModelLocation *l = &g_array_index(locations, ModelLocation, i);
    g_autofree char *missing =
        g_strdup_printf("no organisation with id \"%s\"", l->organisation_id);
    StoreBinder b = store_binder(w->stmt[W_LOCATION]);
    store_bind_text(&b, l->id);
    store_bind_text(&b, l->organisation_id);
    store_bind_text(&b, l->name);
    store_bind_text(&b, l->lrk);
    store_bind_text(&b, l->district_id);
    store_bind_double(&b, l->lat);
    store_bind_double(&b, l->lon);
    if (!write_row(store, &b, "locations", l->id, missing, error) ||
        !store_write_load(store, w->stmt[W_LOAD_CLEAR], w->stmt[W_LOAD], l, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean write_employees(Writer *w, ModelStore *store, const GArray *employees,
                                GError **error) {
  for (guint i = 0; i < employees->len; i++) {
    const ModelEmployee *e = &g_array_index(employees, ModelEmployee, i);
    g_autofree char *missing =
        g_strdup_printf("no organisation with id \"%s\" or no district with id \"%s\"",
                        e->organisation_id, e->district_id);
    StoreBinder b = store_binder(w->stmt[W_EMPLOYEE]);
    store_bind_employee(&b, e);
    if (!write_row(store, &b, "employees", e->id, missing, error) ||
        !write_rules(store, w->stmt[W_AVAILABILITY_CLEAR], w->stmt[W_AVAILABILITY], "employees",
                     e->id, e->availability, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean write_requests(Writer *w, ModelStore *store, const GArray *requests,
                               GError **error) {
  for (guint i = 0; i < requests->len; i++) {
    const ModelRequest *r = &g_array_index(requests, ModelRequest, i);
    g_autofree char *missing = g_strdup_printf("no school with id \"%s\"", r->school_id);
    StoreBinder b = store_binder(w->stmt[W_REQUEST]);
    store_bind_request(&b, r);
    if (!write_row(store, &b, "requests", r->id, missing, error) ||
        !write_rules(store, w->stmt[W_SLOTS_CLEAR], w->stmt[W_SLOT], "requests", r->id, r->slots,
                     error))
      return FALSE;
  }
  return TRUE;
}

gboolean store_write_assignment(ModelStore *store, StoreStmt *stmt, const ModelAssignment *a,
                                GError **error) {
  g_autofree char *missing = g_strdup_printf(
      "no request with id \"%s\" or no employee with id \"%s\"", a->request_id, a->employee_id);
  StoreBinder b = store_binder(stmt);
  store_bind_text(&b, a->id);
  store_bind_text(&b, a->request_id);
  store_bind_text(&b, a->employee_id);
  store_bind_date(&b, a->slot.date);
  store_bind_int(&b, a->slot.part);
  store_bind_text(&b, model_assignment_status_name(a->status));
  store_bind_text(&b, a->decided_by);
  if (a->decided_at == -1)
    store_bind_null(&b);
  else
    store_bind_int(&b, a->decided_at);
  store_bind_text(&b, a->reason);
  return write_row(store, &b, "assignments", a->id, missing, error);
}

/* Empties the dataset tables, children first so no RESTRICT fires.  Tokens, the
 * audit log and rounds are not part of a dataset and stay. */
static gboolean delete_dataset(ModelStore *store, GError **error) {
  static const char *const deletes[] = {
      "DELETE FROM assignments", "DELETE FROM request_slots",
      "DELETE FROM requests",    "DELETE FROM employee_availability",
      "DELETE FROM employees",   "DELETE FROM location_load",
      "DELETE FROM locations",   "DELETE FROM organisations",
      "DELETE FROM schools",     "DELETE FROM district_neighbours",
      "DELETE FROM districts",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(deletes); i++)
    if (!store_exec(store, deletes[i], error))
      return FALSE;
  return TRUE;
}

static gboolean import_in_transaction(ModelStore *store, const ModelDataset *dataset,
                                      ModelStoreImportMode mode, gboolean bulk, GError **error) {
  g_auto(Writer) w = {0};
  if (!writer_prepare(&w, store, bulk, error))
    return FALSE;
  if (mode == MODEL_STORE_IMPORT_REPLACE && !delete_dataset(store, error))
    return FALSE;
  if (!write_districts(&w, store, dataset->districts, error) ||
      !write_schools(&w, store, dataset->schools, error) ||
      !write_organisations(&w, store, dataset->organisations, error) ||
      !write_locations(&w, store, dataset->locations, error) ||
      !write_employees(&w, store, dataset->employees, error) ||
      !write_requests(&w, store, dataset->requests, error))
    return FALSE;
  for (guint i = 0; i < dataset->assignments->len; i++)
    if (!store_write_assignment(store, w.stmt[W_ASSIGNMENT],
                                &g_array_index(dataset->assignments, ModelAssignment, i), error))
      return FALSE;
  return !bulk || writer_flush(&w, store, error);
}

/* The import in bulk, where the driver writes in bulk (PostgreSQL's COPY), under a
 * savepoint: *out_done when it worked.  When it did not, the savepoint is rolled back
 * and the caller imports row by row, which finds the object at fault and words the
 * error exactly as it always did; so a failing import costs twice the time, and a
 * good one a fraction of it.  FALSE only when the savepoint itself fails. */
static gboolean import_bulk(ModelStore *store, const ModelDataset *dataset,
                            ModelStoreImportMode mode, gboolean *out_done, GError **error) {
  if (!store_exec(store, "SAVEPOINT handen_import", error))
    return FALSE;
  g_autoptr(GError) failure = NULL;
  if (import_in_transaction(store, dataset, mode, TRUE, &failure)) {
    *out_done = TRUE;
    return store_exec(store, "RELEASE SAVEPOINT handen_import", error);
  }
  g_debug("import in bulk failed, importing row by row: %s", failure->message);
  return store_exec(store, "ROLLBACK TO SAVEPOINT handen_import", error);
}

gboolean store_import_in_transaction(ModelStore *store, const ModelDataset *dataset,
                                     ModelStoreImportMode mode, GError **error) {
  gboolean done = FALSE;
  gboolean ok =
      store->driver->prepare_bulk == NULL || import_bulk(store, dataset, mode, &done, error);
  return ok && (done || import_in_transaction(store, dataset, mode, FALSE, error));
}

gboolean model_store_import(ModelStore *store, const ModelDataset *dataset,
                            ModelStoreImportMode mode, GError **error) {
  g_return_val_if_fail(store != NULL, FALSE);
  g_return_val_if_fail(dataset != NULL, FALSE);
  g_return_val_if_fail(mode == MODEL_STORE_IMPORT_MERGE || mode == MODEL_STORE_IMPORT_REPLACE,
                       FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!store_begin_write(store, error))
    return FALSE;
  if (!store_import_in_transaction(store, dataset, mode, error)) {
    store_rollback(store);
    return FALSE;
  }
  return store_commit(store, error);
}
