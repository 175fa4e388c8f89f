/* random.c: tb_random_dataset(), a seeded random city for the checker and greedy
 * tests.  It draws only from the GRand seeded by the caller, so a seed names a
 * dataset; every dataset it returns passes model_dataset_check.
 */
#include "builder.h"

static double uniform(GRand *rand, double lo, double hi) {
  return g_rand_double_range(rand, lo, hi);
}

static gboolean chance(GRand *rand, double p) {
  return g_rand_double(rand) < p;
}

/* A pattern within weeks 16 and 17 with at least one weekday and part. */
static ModelSlotRule random_pattern(GRand *rand) {
  gint32 from = TB_MON + g_rand_int_range(rand, 0, 10);
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
    tb_assignment(dataset->assignments, id, request->id, employee, slot.date, slot.part, status,
                  NULL);
  }
}

ModelDataset *tb_random_dataset(guint32 seed) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  ModelDataset *dataset = tb_new();
  guint n_schools = (guint)g_rand_int_range(rand, 2, 9);
  for (guint i = 0; i < n_schools; i++) {
    g_autofree char *id = g_strdup_printf("s-%02u", i);
    tb_school(dataset, id, chance(rand, 0.5) ? "d1" : "d2", uniform(rand, 52.30, 52.45),
              uniform(rand, 5.10, 5.35));
  }
  guint n_employees = (guint)g_rand_int_range(rand, 5, 60);
  for (guint i = 0; i < n_employees; i++) {
    g_autofree char *id = g_strdup_printf("e-%02u", i);
    const char *district_id = chance(rand, 0.1) ? "d3" : chance(rand, 0.5) ? "d1" : "d2";
    guint at =
        tb_worker(dataset, id, district_id, uniform(rand, 52.28, 52.47), uniform(rand, 5.05, 5.40));
    ModelEmployee *e = &g_array_index(dataset->employees, ModelEmployee, at);
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
    guint at = tb_request(dataset, id, school, 1, MODEL_PRIORITY_NORMAL, 0, 0, 10);
    ModelRequest *r = &g_array_index(dataset->requests, ModelRequest, at);
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
      ModelDate date = TB_MON + g_rand_int_range(rand, 0, 12);
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
