/* rows.c: one entity from one result row, for every reader of the store (see rows.h).
 * The column order each decoder reads is the order of its *_COLUMNS list in rows.h,
 * and nothing else in the store decodes an entity, so the two ways of reading one
 * (the whole store, or one page of a GET route) cannot drift apart.  A decoder builds
 * the object on the stack and appends it only once every column has been checked.
 */
#include "rows.h"

gboolean store_set_corrupt_error(ModelStore *store, const char *kind, const char *id,
                                 const char *column, const char *value, GError **error) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s/%s: stored %s \"%s\" is not valid",
              store->path, kind, id != NULL ? id : "?", column, value != NULL ? value : "NULL");
  return FALSE;
}

/* ---- columns --------------------------------------------------------------- */

static const char *text_at(StoreStmt *stmt, int column) {
  return store_column_text(stmt, column);
}

static char *text_dup(StoreStmt *stmt, int column) {
  return g_strdup(text_at(stmt, column));
}

static gboolean is_null(StoreStmt *stmt, int column) {
  return store_column_is_null(stmt, column);
}

/* An optional count: NULL is -1, as in the model. */
static gint32 optional_int(StoreStmt *stmt, int column) {
  return is_null(stmt, column) ? -1 : store_column_int(stmt, column);
}

static gboolean read_date(ModelStore *store, StoreStmt *stmt, int column, const char *kind,
                          const char *id, ModelDate *out_date, GError **error) {
  const char *text = text_at(stmt, column);
  if (text == NULL || !model_date_parse(text, out_date))
    return store_set_corrupt_error(store, kind, id, store_column_name(stmt, column), text, error);
  return TRUE;
}

/* Copies the `n` text columns from `c` on into `fields`, in order (NULL stays NULL). */
static void text_columns(StoreStmt *stmt, int c, char **const fields[], int n) {
  for (int i = 0; i < n; i++)
    *fields[i] = text_dup(stmt, c + i);
}

#define TEXT_COLUMNS(stmt, c, ...)                                                                 \
  text_columns(stmt, c, (char **const[]){__VA_ARGS__},                                             \
               (int)G_N_ELEMENTS(((char **const[]){__VA_ARGS__})))

/* The statement has the columns a decoder is about to read (a programmer error). */
static void assert_columns(StoreStmt *stmt, int c, int n) {
  g_assert(c >= 0 && c + n <= store_column_count(stmt));
}

/* ---- a district's outline --------------------------------------------------- */

char *store_outline_format(const GArray *outline) {
  if (outline == NULL)
    return NULL;
  GString *text = g_string_new("[");
  for (guint i = 0; i < outline->len; i++) {
    const ModelPoint *point = &g_array_index((GArray *)outline, ModelPoint, i);
    char lat[G_ASCII_DTOSTR_BUF_SIZE], lon[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(text, "%s[%s,%s]", i > 0 ? "," : "",
                           g_ascii_dtostr(lat, sizeof lat, point->lat),
                           g_ascii_dtostr(lon, sizeof lon, point->lon));
  }
  g_string_append_c(text, ']');
  return g_string_free(text, FALSE);
}

/* Skips white space, then expects `c` there; moves *at past it. */
static gboolean expect_char(const char **at, char c) {
  while (g_ascii_isspace(**at))
    (*at)++;
  if (**at != c)
    return FALSE;
  (*at)++;
  return TRUE;
}

/* A JSON number in -limit..limit at *at; moves *at past it. */
static gboolean expect_number(const char **at, int limit, double *out) {
  while (g_ascii_isspace(**at))
    (*at)++;
  /* g_ascii_strtod also takes "nan", "inf" and hexadecimal, which JSON does not. */
  if (**at != '-' && !g_ascii_isdigit(**at))
    return FALSE;
  char *end = NULL;
  double value = g_ascii_strtod(*at, &end);
  if (end == *at || !(value >= -limit && value <= limit) ||
      g_ascii_strncasecmp(*at + (**at == '-'), "0x", 2) == 0)
    return FALSE;
  *at = end;
  *out = value;
  return TRUE;
}

GArray *store_outline_parse(const char *text) {
  g_return_val_if_fail(text != NULL, NULL);
  g_autoptr(GArray) outline = g_array_new(FALSE, TRUE, sizeof(ModelPoint));
  const char *at = text;
  if (!expect_char(&at, '['))
    return NULL;
  do {
    ModelPoint point;
    if (outline->len == MODEL_OUTLINE_MAX_POINTS || !expect_char(&at, '[') ||
        !expect_number(&at, 90, &point.lat) || !expect_char(&at, ',') ||
        !expect_number(&at, 180, &point.lon) || !expect_char(&at, ']'))
      return NULL;
    g_array_append_val(outline, point);
  } while (expect_char(&at, ','));
  if (!expect_char(&at, ']') || outline->len < MODEL_OUTLINE_MIN_POINTS)
    return NULL;
  while (g_ascii_isspace(*at))
    at++;
  return *at == '\0' ? g_steal_pointer(&outline) : NULL;
}

/* ---- objects --------------------------------------------------------------- */

gboolean store_row_district(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                            GError **error) {
  assert_columns(stmt, c, STORE_DISTRICT_NCOLUMNS);
  ModelDistrict d = {0};
  TEXT_COLUMNS(stmt, c, &d.id, &d.name);
  d.lat = store_column_double(stmt, c + 2);
  d.lon = store_column_double(stmt, c + 3);
  d.neighbours = g_ptr_array_new_with_free_func(g_free);
  const char *outline = text_at(stmt, c + 4);
  if (outline != NULL && (d.outline = store_outline_parse(outline)) == NULL) {
    store_set_corrupt_error(store, "districts", d.id, "outline", outline, error);
    model_district_clear(&d);
    return FALSE;
  }
  g_array_append_val(dataset->districts, d);
  return TRUE;
}

/* STORE_CONTACT_COLUMNS at `c`. */
static void read_contact(StoreStmt *stmt, int c, ModelContact *contact) {
  TEXT_COLUMNS(stmt, c, &contact->name, &contact->email, &contact->phone);
}

gboolean store_row_school(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                          GError **error) {
  assert_columns(stmt, c, STORE_SCHOOL_NCOLUMNS);
  ModelSchool s;
  model_school_init(&s);
  TEXT_COLUMNS(stmt, c, &s.id, &s.brin, &s.name);
  const char *type = text_at(stmt, c + 3);
  if (!model_school_type_parse(type, &s.type)) {
    store_set_corrupt_error(store, "schools", s.id, "type", type, error);
    model_school_clear(&s);
    return FALSE;
  }
  TEXT_COLUMNS(stmt, c + 4, &s.district_id, &s.postcode);
  s.lat = store_column_double(stmt, c + 6);
  s.lon = store_column_double(stmt, c + 7);
  s.pupils = optional_int(stmt, c + 8);
  read_contact(stmt, c + 9, &s.contact);
  g_array_append_val(dataset->schools, s);
  return TRUE;
}

gboolean store_row_organisation(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                                GError **error) {
  (void)store;
  (void)error;
  assert_columns(stmt, c, STORE_ORGANISATION_NCOLUMNS);
  ModelOrganisation o = {0};
  TEXT_COLUMNS(stmt, c, &o.id, &o.name, &o.lrk, &o.district_id);
  read_contact(stmt, c + 4, &o.contact);
  g_array_append_val(dataset->organisations, o);
  return TRUE;
}

gboolean store_row_location(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                            GError **error) {
  (void)store;
  (void)error;
  assert_columns(stmt, c, STORE_LOCATION_NCOLUMNS);
  ModelLocation l;
  model_location_init(&l);
  l.id = text_dup(stmt, c);
  l.organisation_id = text_dup(stmt, c + 1);
  l.name = text_dup(stmt, c + 2);
  l.lrk = text_dup(stmt, c + 3);
  l.district_id = text_dup(stmt, c + 4);
  l.lat = store_column_double(stmt, c + 5);
  l.lon = store_column_double(stmt, c + 6);
  g_array_append_val(dataset->locations, l);
  return TRUE;
}

/* One employee from STORE_EMPLOYEE_COLUMNS at `c`, or from only the leading
 * STORE_EMPLOYEE_BRIEF_COLUMNS when `brief` (the other fields keep their defaults). */
static gboolean read_employee(ModelStore *store, StoreStmt *stmt, int c, gboolean brief,
                              ModelDataset *dataset, GError **error) {
  assert_columns(stmt, c, brief ? STORE_EMPLOYEE_BRIEF_NCOLUMNS : STORE_EMPLOYEE_NCOLUMNS);
  ModelEmployee e;
  model_employee_init(&e);
  TEXT_COLUMNS(stmt, c, &e.id, &e.organisation_id, &e.name, &e.district_id, &e.phone);
  if (!brief) {
    e.has_location = !is_null(stmt, c + 5);
    e.lat = e.has_location ? store_column_double(stmt, c + 5) : 0.0;
    e.lon = e.has_location ? store_column_double(stmt, c + 6) : 0.0;
    e.quals = (ModelQualSet)store_column_int64(stmt, c + 7);
    e.max_parts_per_week = store_column_int(stmt, c + 8);
    e.max_travel_km = store_column_int(stmt, c + 9);
    e.active = store_column_int(stmt, c + 10) != 0;
    e.confirmed = MODEL_DATE_NONE;
    if (!is_null(stmt, c + 11) &&
        !read_date(store, stmt, c + 11, "employees", e.id, &e.confirmed, error)) {
      model_employee_clear(&e);
      return FALSE;
    }
    TEXT_COLUMNS(stmt, c + 12, &e.email, &e.location_id);
  }
  g_array_append_val(dataset->employees, e);
  return TRUE;
}

gboolean store_row_employee(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                            GError **error) {
  return read_employee(store, stmt, c, FALSE, dataset, error);
}

gboolean store_row_employee_brief(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                                  GError **error) {
  return read_employee(store, stmt, c, TRUE, dataset, error);
}

/* One request from STORE_REQUEST_COLUMNS at `c`, or from only the leading
 * STORE_REQUEST_BRIEF_COLUMNS when `brief` (the other fields keep their defaults). */
static gboolean read_request(ModelStore *store, StoreStmt *stmt, int c, gboolean brief,
                             ModelDataset *dataset, GError **error) {
  assert_columns(stmt, c, brief ? STORE_REQUEST_BRIEF_NCOLUMNS : STORE_REQUEST_NCOLUMNS);
  ModelRequest r;
  model_request_init(&r);
  TEXT_COLUMNS(stmt, c, &r.id, &r.school_id);
  if (!brief) {
    r.staff_needed = optional_int(stmt, c + 2);
    r.children_expected = optional_int(stmt, c + 3);
    r.own_staff = optional_int(stmt, c + 4);
    r.required = (ModelQualSet)store_column_int64(stmt, c + 5);
    r.preferred = (ModelQualSet)store_column_int64(stmt, c + 6);
    const char *priority = text_at(stmt, c + 7);
    gboolean ok = model_priority_parse(priority, &r.priority) ||
                  store_set_corrupt_error(store, "requests", r.id, "priority", priority, error);
    r.max_travel_km = store_column_int(stmt, c + 8);
    r.note = text_dup(stmt, c + 9);
    const char *status = text_at(stmt, c + 10);
    ok = ok && (model_request_status_parse(status, &r.status) ||
                store_set_corrupt_error(store, "requests", r.id, "status", status, error));
    if (!ok) {
      model_request_clear(&r);
      return FALSE;
    }
  }
  g_array_append_val(dataset->requests, r);
  return TRUE;
}

gboolean store_row_request(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                           GError **error) {
  return read_request(store, stmt, c, FALSE, dataset, error);
}

gboolean store_row_request_brief(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                                 GError **error) {
  return read_request(store, stmt, c, TRUE, dataset, error);
}

gboolean store_row_assignment(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                              GError **error) {
  assert_columns(stmt, c, STORE_ASSIGNMENT_NCOLUMNS);
  ModelAssignment a;
  model_assignment_init(&a);
  TEXT_COLUMNS(stmt, c, &a.id, &a.request_id, &a.employee_id);
  gboolean ok = read_date(store, stmt, c + 3, "assignments", a.id, &a.slot.date, error);
  int part = store_column_int(stmt, c + 4);
  if (ok && part != MODEL_PART_MORNING && part != MODEL_PART_AFTERNOON) {
    g_autofree char *text = g_strdup_printf("%d", part);
    ok = store_set_corrupt_error(store, "assignments", a.id, "part", text, error);
  }
  a.slot.part = (ModelPart)part;
  const char *status = text_at(stmt, c + 5);
  ok = ok && (model_assignment_status_parse(status, &a.status) ||
              store_set_corrupt_error(store, "assignments", a.id, "status", status, error));
  a.decided_by = text_dup(stmt, c + 6);
  a.decided_at = is_null(stmt, c + 7) ? -1 : store_column_int64(stmt, c + 7);
  a.reason = text_dup(stmt, c + 8);
  if (!ok) {
    model_assignment_clear(&a);
    return FALSE;
  }
  g_array_append_val(dataset->assignments, a);
  return TRUE;
}

/* ---- lists ----------------------------------------------------------------- */

gboolean store_row_neighbour(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                             guint owner, GError **error) {
  (void)store;
  (void)error;
  assert_columns(stmt, c, 1);
  g_assert(owner < dataset->districts->len);
  ModelDistrict *d = &g_array_index(dataset->districts, ModelDistrict, owner);
  g_ptr_array_add(d->neighbours, text_dup(stmt, c));
  return TRUE;
}

/* One slot rule of object `kind`/`id` (for messages) from STORE_RULE_COLUMNS at `c`,
 * appended to `rules`. */
static gboolean read_rule(ModelStore *store, StoreStmt *stmt, int c, const char *kind,
                          const char *id, GArray *rules, GError **error) {
  assert_columns(stmt, c, 5);
  ModelSlotRule rule = {0};
  const char *rule_kind = text_at(stmt, c);
  if (g_strcmp0(rule_kind, "one") == 0) {
    rule.kind = MODEL_SLOT_RULE_ONE;
    rule.weekdays = MODEL_WEEKDAYS_ALL;
  } else if (g_strcmp0(rule_kind, "pattern") == 0) {
    rule.kind = MODEL_SLOT_RULE_PATTERN;
    rule.weekdays = (guint8)(store_column_int(stmt, c + 3) & MODEL_WEEKDAYS_ALL);
  } else {
    return store_set_corrupt_error(store, kind, id, "kind", rule_kind, error);
  }
  if (!read_date(store, stmt, c + 1, kind, id, &rule.from, error) ||
      !read_date(store, stmt, c + 2, kind, id, &rule.to, error))
    return FALSE;
  rule.parts = (guint8)(store_column_int(stmt, c + 4) & MODEL_PARTS_ALL);
  g_array_append_val(rules, rule);
  return TRUE;
}

gboolean store_row_availability(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                                guint owner, GError **error) {
  g_assert(owner < dataset->employees->len);
  ModelEmployee *e = &g_array_index(dataset->employees, ModelEmployee, owner);
  return read_rule(store, stmt, c, "employees", e->id, e->availability, error);
}

gboolean store_row_slot(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                        guint owner, GError **error) {
  g_assert(owner < dataset->requests->len);
  ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, owner);
  return read_rule(store, stmt, c, "requests", r->id, r->slots, error);
}

gboolean store_row_load(ModelStore *store, StoreStmt *stmt, int c, ModelDataset *dataset,
                        guint owner, GError **error) {
  g_assert(owner < dataset->locations->len);
  assert_columns(stmt, c, 8);
  ModelLocation *l = &g_array_index(dataset->locations, ModelLocation, owner);
  g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  if (!read_rule(store, stmt, c, "locations", l->id, rules, error))
    return FALSE;
  ModelLocationLoad load = {
      .when = g_array_index(rules, ModelSlotRule, 0),
      .children_expected = optional_int(stmt, c + 5),
      .staff_present = optional_int(stmt, c + 6),
      .max_lend = optional_int(stmt, c + 7),
  };
  g_array_append_val(l->load, load);
  return TRUE;
}

/* ---- stepping -------------------------------------------------------------- */

gboolean store_each_row(ModelStore *store, StoreStmt *stmt, StoreEachFunc row, gpointer data,
                        GError **error) {
  int rc;
  while ((rc = store_step(stmt)) == STORE_ROW)
    if (!row(store, stmt, data, error))
      return FALSE;
  if (rc != STORE_DONE) {
    store_set_io_error(error, store, "cannot read the store");
    return FALSE;
  }
  return TRUE;
}

typedef struct {
  StoreRowFunc row;
  ModelDataset *dataset;
} EachObject;

static gboolean each_object_row(ModelStore *store, StoreStmt *stmt, gpointer data, GError **error) {
  const EachObject *each = data;
  return each->row(store, stmt, 0, each->dataset, error);
}

gboolean store_each_object(ModelStore *store, StoreStmt *stmt, StoreRowFunc row,
                           ModelDataset *dataset, GError **error) {
  EachObject each = {row, dataset};
  return store_each_row(store, stmt, each_object_row, &each, error);
}
