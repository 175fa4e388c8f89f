/* builder.c: in-memory datasets for the matching tests (see builder.h).  Strings are
 * duplicated into the dataset, which owns them; decisions carry a fixed decider and
 * time so that the dataset checks.
 */
#include "builder.h"

#include <string.h>

static void add_district(ModelDataset *ds, const char *id, double lat, double lon,
                         const char *neighbour) {
  ModelDistrict d = {0};
  d.id = g_strdup(id);
  d.name = g_strdup(id);
  d.lat = lat;
  d.lon = lon;
  d.neighbours = g_ptr_array_new_with_free_func(g_free);
  if (neighbour != NULL)
    g_ptr_array_add(d.neighbours, g_strdup(neighbour));
  g_array_append_val(ds->districts, d);
}

ModelDataset *tb_new(void) {
  ModelDataset *ds = model_dataset_new();
  add_district(ds, "d1", TB_LAT, TB_LON, "d2");
  add_district(ds, "d2", TB_LAT - 0.04, TB_LON + 0.04, "d1");
  add_district(ds, "d3", TB_LAT + 0.08, TB_LON - 0.1, NULL);
  ModelOrganisation o = {0};
  o.id = g_strdup("o1");
  o.name = g_strdup("Kinderopvang Almere");
  g_array_append_val(ds->organisations, o);
  return ds;
}

guint tb_school(ModelDataset *ds, const char *id, const char *district, double lat, double lon) {
  ModelSchool s;
  model_school_init(&s);
  s.id = g_strdup(id);
  s.brin = g_strdup("07NU");
  s.name = g_strdup(id);
  s.district_id = g_strdup(district);
  s.lat = lat;
  s.lon = lon;
  g_array_append_val(ds->schools, s);
  return ds->schools->len - 1;
}

guint tb_employee(ModelDataset *ds, const char *id, const char *district, double lat, double lon,
                  ModelQualSet quals, gint32 max_week, gint32 max_km) {
  ModelEmployee e;
  model_employee_init(&e);
  e.id = g_strdup(id);
  e.organisation_id = g_strdup("o1");
  e.name = g_strdup(id);
  e.district_id = g_strdup(district);
  e.has_location = lat != TB_NO_LOCATION;
  if (e.has_location) {
    e.lat = lat;
    e.lon = lon;
  }
  e.quals = quals;
  e.max_parts_per_week = max_week;
  e.max_travel_km = max_km;
  g_array_append_val(ds->employees, e);
  return ds->employees->len - 1;
}

ModelSlot tb_at(int day, ModelPart part) {
  ModelSlot slot = {model_date_from_ymd(2020, 4, day), part};
  return slot;
}

static void add_rule(GArray *rules, int day, ModelPart part) {
  ModelSlotRule rule = {
      .kind = MODEL_SLOT_RULE_ONE,
      .from = model_date_from_ymd(2020, 4, day),
      .to = model_date_from_ymd(2020, 4, day),
      .weekdays = MODEL_WEEKDAYS_ALL,
      .parts = (guint8)(1u << part),
  };
  g_array_append_val(rules, rule);
}

void tb_available(ModelDataset *ds, guint e, int day, ModelPart part) {
  add_rule(g_array_index(ds->employees, ModelEmployee, e).availability, day, part);
}

guint tb_request(ModelDataset *ds, const char *id, const char *school, gint32 staff,
                 ModelPriority priority, ModelQualSet required, ModelQualSet preferred,
                 gint32 max_km) {
  ModelRequest r;
  model_request_init(&r);
  r.id = g_strdup(id);
  r.school_id = g_strdup(school);
  r.staff_needed = staff;
  r.priority = priority;
  r.required = required;
  r.preferred = preferred;
  r.max_travel_km = max_km;
  g_array_append_val(ds->requests, r);
  return ds->requests->len - 1;
}

void tb_slot(ModelDataset *ds, guint r, int day, ModelPart part) {
  add_rule(g_array_index(ds->requests, ModelRequest, r).slots, day, part);
}

void tb_assignment(ModelDataset *ds, const char *request, const char *employee, int day,
                   ModelPart part, ModelAssignmentStatus status) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = g_strdup_printf("a%u", ds->assignments->len);
  a.request_id = g_strdup(request);
  a.employee_id = g_strdup(employee);
  a.slot = tb_at(day, part);
  a.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    a.decided_by = g_strdup("coordinator");
    a.decided_at = 1586851200;
  }
  g_array_append_val(ds->assignments, a);
}

void tb_finish(ModelDataset *ds) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean ok = model_dataset_check(ds, problems);
  g_autofree char *text = model_problems_to_string(problems);
  g_assert_cmpstr(text, ==, "");
  g_assert_true(ok);
}

const char *tb_employee_id(const ModelDataset *ds, guint e) {
  return g_array_index(ds->employees, ModelEmployee, e).id;
}

const char *tb_request_id(const ModelDataset *ds, guint r) {
  return g_array_index(ds->requests, ModelRequest, r).id;
}

EngineResult *tb_run_options(const ModelDataset *ds, const EngineOptions *options) {
  g_autoptr(GError) error = NULL;
  EngineResult *result = engine_match_run(ds, options, &error);
  g_assert_no_error(error);
  g_assert_nonnull(result);
  return result;
}

EngineResult *tb_run(const ModelDataset *ds, gboolean continuity) {
  EngineOptions options;
  engine_options_init(&options);
  options.continuity = continuity;
  return tb_run_options(ds, &options);
}

char *tb_proposals_string(const ModelDataset *ds, const EngineResult *result) {
  GString *out = g_string_new("");
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    char date[11];
    model_date_format(p->slot.date, date);
    g_string_append_printf(out, "%s%s/%s/%s/%s", i > 0 ? " " : "", tb_request_id(ds, p->request),
                           tb_employee_id(ds, p->employee), date, model_part_name(p->slot.part));
  }
  return g_string_free(out, FALSE);
}

const EngineUnfilled *tb_find_unfilled(const ModelDataset *ds, const EngineResult *result,
                                       const char *request, int day, ModelPart part) {
  ModelSlot slot = tb_at(day, part);
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    if (strcmp(tb_request_id(ds, u->request), request) == 0 &&
        model_slot_compare(&u->slot, &slot) == 0)
      return u;
  }
  g_test_fail_printf("no unfilled entry for %s on day %d", request, day);
  return NULL;
}
