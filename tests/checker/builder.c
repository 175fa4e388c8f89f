/* builder.c: datasets for the checker and greedy tests, built through the model API
 * exactly as a decoder would fill them.  Every string is owned by the dataset; the
 * random generator draws only from the GRand seeded by the caller, so a seed names a
 * dataset.
 */
#include "builder.h"

#include <string.h>

static const gint64 DECIDED_AT = 1586851200; /* 2020-04-14T08:00:00Z */

ModelDataset *tb_dataset_new(void) {
  ModelDataset *dataset = model_dataset_new();
  tb_add_district(dataset, "d-1", 52.37, 5.22);
  tb_add_district(dataset, "d-2", 52.40, 5.22);
  tb_add_district(dataset, "d-3", 53.20, 6.56);
  tb_add_neighbours(dataset, "d-1", "d-2");
  ModelOrganisation organisation = {
      .id = g_strdup("o-1"),
      .name = g_strdup("Kinderopvang De Regenboog"),
      .lrk = g_strdup("205592041"),
      .district_id = g_strdup("d-1"),
  };
  g_array_append_val(dataset->organisations, organisation);
  model_dataset_index(dataset);
  return dataset;
}

void tb_add_district(ModelDataset *dataset, const char *id, double lat, double lon) {
  ModelDistrict district = {
      .id = g_strdup(id),
      .name = g_strdup_printf("Wijk %s", id),
      .lat = lat,
      .lon = lon,
      .neighbours = g_ptr_array_new_with_free_func(g_free),
  };
  g_array_append_val(dataset->districts, district);
  model_dataset_index(dataset);
}

static ModelDistrict *district(ModelDataset *dataset, const char *id) {
  gint i = model_dataset_find_district(dataset, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(dataset->districts, ModelDistrict, i);
}

void tb_add_neighbours(ModelDataset *dataset, const char *a, const char *b) {
  g_ptr_array_add(district(dataset, a)->neighbours, g_strdup(b));
  g_ptr_array_add(district(dataset, b)->neighbours, g_strdup(a));
}

void tb_add_school(ModelDataset *dataset, const char *id, const char *district_id, double lat,
                   double lon) {
  ModelSchool school;
  model_school_init(&school);
  school.id = g_strdup(id);
  school.brin = g_strdup("07NU00");
  school.name = g_strdup_printf("School %s", id);
  school.district_id = g_strdup(district_id);
  school.lat = lat;
  school.lon = lon;
  g_array_append_val(dataset->schools, school);
  model_dataset_index(dataset);
}

void tb_add_employee(ModelDataset *dataset, const char *id, const char *district_id, double lat,
                     double lon) {
  ModelEmployee employee;
  model_employee_init(&employee);
  employee.id = g_strdup(id);
  employee.organisation_id = g_strdup("o-1");
  employee.name = g_strdup_printf("Medewerker %s", id);
  employee.district_id = g_strdup(district_id);
  employee.has_location = TRUE;
  employee.lat = lat;
  employee.lon = lon;
  employee.quals = MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM);
  employee.max_parts_per_week = 10;
  employee.max_travel_km = 10;
  ModelSlotRule rule = {MODEL_SLOT_RULE_PATTERN, TB_MON_13, TB_FRI_24, MODEL_WEEKDAYS_WORK,
                        MODEL_PARTS_ALL};
  g_array_append_val(employee.availability, rule);
  g_array_append_val(dataset->employees, employee);
  model_dataset_index(dataset);
}

void tb_add_request(ModelDataset *dataset, const char *id, const char *school) {
  ModelRequest request;
  model_request_init(&request);
  request.id = g_strdup(id);
  request.school_id = g_strdup(school);
  request.staff_needed = 1;
  g_array_append_val(dataset->requests, request);
  model_dataset_index(dataset);
}

void tb_add_assignment(ModelDataset *dataset, const char *id, const char *request,
                       const char *employee, ModelDate date, ModelPart part,
                       ModelAssignmentStatus status) {
  ModelAssignment assignment;
  model_assignment_init(&assignment);
  assignment.id = g_strdup(id);
  assignment.request_id = g_strdup(request);
  assignment.employee_id = g_strdup(employee);
  assignment.slot = (ModelSlot){date, part};
  assignment.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    assignment.decided_by = g_strdup("coordinator");
    assignment.decided_at = DECIDED_AT;
  }
  g_array_append_val(dataset->assignments, assignment);
  model_dataset_index(dataset);
}

ModelEmployee *tb_employee(ModelDataset *dataset, const char *id) {
  gint i = model_dataset_find_employee(dataset, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(dataset->employees, ModelEmployee, i);
}

ModelRequest *tb_request(ModelDataset *dataset, const char *id) {
  gint i = model_dataset_find_request(dataset, id);
  g_assert_cmpint(i, >=, 0);
  return &g_array_index(dataset->requests, ModelRequest, i);
}

void tb_set_availability(ModelDataset *dataset, const char *employee, ModelDate from, ModelDate to,
                         guint8 weekdays, guint8 parts) {
  GArray *rules = tb_employee(dataset, employee)->availability;
  ModelSlotRule rule = {MODEL_SLOT_RULE_PATTERN, from, to, weekdays, parts};
  g_array_set_size(rules, 0);
  g_array_append_val(rules, rule);
}

void tb_add_request_slot(ModelDataset *dataset, const char *request, ModelDate date,
                         ModelPart part) {
  ModelSlotRule rule = {MODEL_SLOT_RULE_ONE, date, date, MODEL_WEEKDAYS_ALL, (guint8)(1u << part)};
  g_array_append_val(tb_request(dataset, request)->slots, rule);
}

void tb_add_request_pattern(ModelDataset *dataset, const char *request, ModelDate from,
                            ModelDate to, guint8 weekdays, guint8 parts) {
  ModelSlotRule rule = {MODEL_SLOT_RULE_PATTERN, from, to, weekdays, parts};
  g_array_append_val(tb_request(dataset, request)->slots, rule);
}

void tb_finish(ModelDataset *dataset) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean ok = model_dataset_check(dataset, problems);
  g_autofree char *text = model_problems_to_string(problems);
  g_assert_cmpstr(text, ==, "");
  g_assert_true(ok);
}

EngineProposal tb_proposal(const ModelDataset *dataset, const char *request, const char *employee,
                           ModelDate date, ModelPart part) {
  gint r = model_dataset_find_request(dataset, request);
  gint e = model_dataset_find_employee(dataset, employee);
  g_assert_cmpint(r, >=, 0);
  g_assert_cmpint(e, >=, 0);
  return (EngineProposal){.request = (guint)r, .employee = (guint)e, .slot = {date, part}};
}

char *tb_violations_text(const GPtrArray *violations) {
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < violations->len; i++) {
    const EngineViolation *v = g_ptr_array_index(violations, i);
    /* The rule field and the message prefix must agree. */
    g_assert_true(g_str_has_prefix(v->message, v->rule));
    g_string_append_printf(text, "%s%s", i ? "\n" : "", v->message);
  }
  return g_string_free(text, FALSE);
}

char *tb_proposals_text(const ModelDataset *dataset, const GArray *proposals) {
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < proposals->len; i++) {
    const EngineProposal *p = &g_array_index(proposals, EngineProposal, i);
    char date[11];
    model_date_format(p->slot.date, date);
    g_string_append_printf(text, "%s%s %s %s %s %" G_GINT64_FORMAT " %u", i ? "\n" : "",
                           g_array_index(dataset->requests, ModelRequest, p->request).id,
                           g_array_index(dataset->employees, ModelEmployee, p->employee).id, date,
                           model_part_name(p->slot.part), p->travel_m, p->why);
  }
  return g_string_free(text, FALSE);
}

/* ---- random datasets ---------------------------------------------------- */

static double uniform(GRand *rand, double lo, double hi) {
  return g_rand_double_range(rand, lo, hi);
}

static gboolean chance(GRand *rand, double p) {
  return g_rand_double(rand) < p;
}

/* A pattern within weeks 16 and 17 with at least one weekday and part. */
static ModelSlotRule random_pattern(GRand *rand) {
  gint32 from = TB_MON_13 + g_rand_int_range(rand, 0, 10);
  gint32 to = from + g_rand_int_range(rand, 2, 10);
  /* Seven consecutive days hold every weekday, so the rule always expands. */
  to = MAX(to, from + 6);
  guint8 weekdays = (guint8)g_rand_int_range(rand, 1, 128);
  guint8 parts = (guint8)g_rand_int_range(rand, 1, 4);
  return (ModelSlotRule){MODEL_SLOT_RULE_PATTERN, from, to, weekdays, parts};
}

static ModelQualSet random_quals(GRand *rand, double p) {
  ModelQualSet quals = 0;
  for (int q = MODEL_QUAL_PM; q < MODEL_N_QUALS; q++)
    if (chance(rand, p))
      quals |= MODEL_QUAL_BIT(q);
  return quals;
}

static void random_assignments(ModelDataset *dataset, GRand *rand) {
  g_autoptr(GHashTable) approved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint n = (guint)g_rand_int_range(rand, 0, 25);
  for (guint i = 0; i < n; i++) {
    guint r = (guint)g_rand_int_range(rand, 0, (gint32)dataset->requests->len);
    guint e = (guint)g_rand_int_range(rand, 0, (gint32)dataset->employees->len);
    const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, r);
    g_autoptr(GArray) slots = model_slot_rules_expand(request->slots);
    ModelSlot slot = g_array_index(slots, ModelSlot, g_rand_int_range(rand, 0, (gint32)slots->len));
    const char *employee = g_array_index(dataset->employees, ModelEmployee, e).id;
    double roll = g_rand_double(rand);
    ModelAssignmentStatus status = roll < 0.6   ? MODEL_ASSIGNMENT_APPROVED
                                   : roll < 0.9 ? MODEL_ASSIGNMENT_REJECTED
                                                : MODEL_ASSIGNMENT_CANCELLED;
    if (status == MODEL_ASSIGNMENT_APPROVED) {
      char *key = g_strdup_printf("%s %" G_GINT64_FORMAT, employee, model_slot_key(slot));
      if (!g_hash_table_add(approved, key))
        status = MODEL_ASSIGNMENT_REJECTED;
    }
    g_autofree char *id = g_strdup_printf("a-%02u", i);
    g_autofree char *request_id = g_strdup(request->id);
    g_autofree char *employee_id = g_strdup(employee);
    tb_add_assignment(dataset, id, request_id, employee_id, slot.date, slot.part, status);
  }
}

ModelDataset *tb_random_dataset(guint32 seed) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  ModelDataset *dataset = tb_dataset_new();
  guint n_schools = (guint)g_rand_int_range(rand, 2, 9);
  for (guint i = 0; i < n_schools; i++) {
    g_autofree char *id = g_strdup_printf("s-%02u", i);
    tb_add_school(dataset, id, chance(rand, 0.5) ? "d-1" : "d-2", uniform(rand, 52.30, 52.45),
                  uniform(rand, 5.10, 5.35));
  }
  guint n_employees = (guint)g_rand_int_range(rand, 5, 60);
  for (guint i = 0; i < n_employees; i++) {
    g_autofree char *id = g_strdup_printf("e-%02u", i);
    const char *district_id = chance(rand, 0.1) ? "d-3" : chance(rand, 0.5) ? "d-1" : "d-2";
    tb_add_employee(dataset, id, district_id, uniform(rand, 52.28, 52.47),
                    uniform(rand, 5.05, 5.40));
    ModelEmployee *e = tb_employee(dataset, id);
    e->has_location = !chance(rand, 0.2);
    e->active = !chance(rand, 0.1);
    e->quals = random_quals(rand, 0.4) | (chance(rand, 0.9) ? MODEL_QUAL_BIT(MODEL_QUAL_VOG) : 0);
    e->max_parts_per_week = g_rand_int_range(rand, 1, 11);
    e->max_travel_km = g_rand_int_range(rand, 1, 16);
    g_array_set_size(e->availability, 0);
    guint n_rules = (guint)g_rand_int_range(rand, 1, 3);
    for (guint k = 0; k < n_rules; k++) {
      ModelSlotRule rule = random_pattern(rand);
      g_array_append_val(e->availability, rule);
    }
  }
  guint n_requests = (guint)g_rand_int_range(rand, 1, 13);
  for (guint i = 0; i < n_requests; i++) {
    g_autofree char *id = g_strdup_printf("r-%02u", i);
    g_autofree char *school =
        g_strdup_printf("s-%02u", g_rand_int_range(rand, 0, (gint32)n_schools));
    tb_add_request(dataset, id, school);
    ModelRequest *r = tb_request(dataset, id);
    if (chance(rand, 0.3)) {
      r->staff_needed = -1;
      r->children_expected = g_rand_int_range(rand, 1, 40);
      r->own_staff = chance(rand, 0.5) ? g_rand_int_range(rand, 0, 2) : -1;
    } else {
      r->staff_needed = g_rand_int_range(rand, 1, 4);
    }
    r->required =
        random_quals(rand, 0.15) | (chance(rand, 0.2) ? MODEL_QUAL_BIT(MODEL_QUAL_VOG) : 0);
    r->preferred = random_quals(rand, 0.3);
    r->priority = chance(rand, 0.3) ? MODEL_PRIORITY_HIGH : MODEL_PRIORITY_NORMAL;
    r->max_travel_km = g_rand_int_range(rand, 2, 21);
    r->status = chance(rand, 0.1) ? MODEL_REQUEST_CANCELLED : MODEL_REQUEST_OPEN;
    if (chance(rand, 0.5)) {
      ModelSlotRule rule = random_pattern(rand);
      g_array_append_val(r->slots, rule);
    }
    guint n_ones = (guint)g_rand_int_range(rand, r->slots->len ? 0 : 1, 4);
    for (guint k = 0; k < n_ones; k++) {
      ModelDate date = TB_MON_13 + g_rand_int_range(rand, 0, 12);
      ModelSlotRule rule = {MODEL_SLOT_RULE_ONE, date, date, MODEL_WEEKDAYS_ALL,
                            (guint8)(1u << g_rand_int_range(rand, 0, 2))};
      g_array_append_val(r->slots, rule);
    }
  }
  model_dataset_index(dataset);
  random_assignments(dataset, rand);
  tb_finish(dataset);
  return dataset;
}
