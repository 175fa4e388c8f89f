/* builder.h: small builders for tests that build datasets in C.  Every builder appends
 * one entity by value (strings copied, so the dataset owns them) and returns a pointer
 * into the array, valid until the next append to that array.
 */
#pragma once

#include "model.h"

static inline ModelDate b_date(const char *text) {
  ModelDate d = 0;
  g_assert_true(model_date_parse(text, &d));
  return d;
}

static inline ModelSlotRule b_one(const char *date, ModelPart part) {
  ModelDate d = b_date(date);
  return (ModelSlotRule){MODEL_SLOT_RULE_ONE, d, d, MODEL_WEEKDAYS_ALL, (guint8)(1u << part)};
}

static inline ModelSlotRule b_pattern(const char *from, const char *to, guint8 weekdays,
                                      guint8 parts) {
  return (ModelSlotRule){MODEL_SLOT_RULE_PATTERN, b_date(from), b_date(to), weekdays, parts};
}

static inline ModelDistrict *b_district(ModelDataset *ds, const char *id, double lat, double lon) {
  ModelDistrict d = {g_strdup(id), g_strdup(id), lat, lon, g_ptr_array_new_with_free_func(g_free)};
  g_array_append_val(ds->districts, d);
  return &g_array_index(ds->districts, ModelDistrict, ds->districts->len - 1);
}

static inline ModelSchool *b_school(ModelDataset *ds, const char *id, const char *district) {
  ModelSchool s;
  model_school_init(&s);
  s.id = g_strdup(id);
  s.brin = g_strdup("24EJ00");
  s.name = g_strdup("Basisschool");
  s.district_id = g_strdup(district);
  s.lat = 52.3638;
  s.lon = 5.2070;
  g_array_append_val(ds->schools, s);
  return &g_array_index(ds->schools, ModelSchool, ds->schools->len - 1);
}

static inline ModelOrganisation *b_organisation(ModelDataset *ds, const char *id) {
  ModelOrganisation o = {g_strdup(id), g_strdup("Kinderopvang"), NULL, NULL};
  g_array_append_val(ds->organisations, o);
  return &g_array_index(ds->organisations, ModelOrganisation, ds->organisations->len - 1);
}

static inline ModelEmployee *b_employee(ModelDataset *ds, const char *id, const char *org,
                                        const char *district, ModelQualSet quals) {
  ModelEmployee e;
  model_employee_init(&e);
  e.id = g_strdup(id);
  e.organisation_id = g_strdup(org);
  e.name = g_strdup("Sanne de Vries");
  e.district_id = g_strdup(district);
  e.quals = quals;
  g_array_append_val(ds->employees, e);
  return &g_array_index(ds->employees, ModelEmployee, ds->employees->len - 1);
}

static inline ModelRequest *b_request(ModelDataset *ds, const char *id, const char *school,
                                      gint32 staff_needed) {
  ModelRequest r;
  model_request_init(&r);
  r.id = g_strdup(id);
  r.school_id = g_strdup(school);
  r.staff_needed = staff_needed;
  g_array_append_val(ds->requests, r);
  return &g_array_index(ds->requests, ModelRequest, ds->requests->len - 1);
}

static inline ModelAssignment *b_assignment(ModelDataset *ds, const char *id, const char *request,
                                            const char *employee, const char *date, ModelPart part,
                                            ModelAssignmentStatus status) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = g_strdup(id);
  a.request_id = g_strdup(request);
  a.employee_id = g_strdup(employee);
  a.slot = (ModelSlot){b_date(date), part};
  a.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    a.decided_by = g_strdup("coordinator");
    a.decided_at = 1586856600; /* 2020-04-14T09:30:00Z */
  }
  g_array_append_val(ds->assignments, a);
  return &g_array_index(ds->assignments, ModelAssignment, ds->assignments->len - 1);
}
