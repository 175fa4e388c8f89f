/* test-match-exhaustive.c: property test of the matching round against brute force.
 * Random tiny datasets (employees, requests, day parts, qualifications, distances,
 * weekly caps, approved / rejected / proposed / cancelled decisions) are solved by
 * enumerating every feasible set of assignments, written here apart from the engine;
 * the objective is (high fill, normal fill, cost in metres) with the cost of match.h:
 * travel with its surcharges, the stability bonus for repeating an undecided proposal,
 * and with continuity the once-per-pair charge (8, 1.5 or 20 km).  Without it (and for travel
 * alone) the round must reach the brute-force optimum exactly; with it, the same fill,
 * and a cost at or above the optimum, which is at or above the round's lower bound.
 * However the solver starts (from every
 * candidate or from the cheapest and pricing the rest in), and the independent checker
 * passes; limited to one district, it must reach that district's own optimum.  A second
 * series gives the employees childcare locations whose own children limit what they
 * lend (H7); where a weekly limit and a location's lending cross, the round's branch
 * and bound must certify the same optimum.  Also the spatial grid that prunes candidate
 * pairs, against all pairs.
 */
#include <math.h>
#include <string.h>

#include "builder.h"
#include "match-private.h"
#include "../engine-assert.h"
#include "../locations.h"

/* Committed seeds: 1..N_SEEDS plus a few large ones. */
#define N_SEEDS 150
static const guint32 extra_seeds[] = {1234, 98765, 424242, 20200316};

static const ModelDate universe_day[] = {TB_MON, TB_MON, TB_TUE, TB_NEXT_MON};
static const ModelPart universe_part[] = {MODEL_PART_MORNING, MODEL_PART_AFTERNOON,
                                          MODEL_PART_MORNING, MODEL_PART_MORNING};
#define N_UNIVERSE 4
#define MAX_E 4
#define MAX_R 3
#define SEARCH_LIMIT 200000.0
#define SEARCH_MIN 8.0 /* fewer choices than this is too easy a case */

static const char *const district_ids[] = {"d1", "d2", "d3"};

static ModelQualSet random_quals(GRand *rand, int percent) {
  ModelQualSet q = 0;
  for (int t = MODEL_QUAL_PM; t < MODEL_N_QUALS; t++)
    if (g_rand_int_range(rand, 0, 100) < percent)
      q |= MODEL_QUAL_BIT(t);
  return q;
}

#define MAX_L 2

/* Locations l0, l1 with figures in some day parts, small enough to bind, and most
 * employees working at one; from their own generator, so that the datasets of the
 * series without locations stay what they were. */
static void random_locations(ModelDataset *ds, GRand *rand, int n_slots) {
  for (int l = 0; l < MAX_L; l++) {
    g_autofree char *id = g_strdup_printf("l%d", l);
    guint i = tl_location(ds, id, "o1", TB_LAT, TB_LON);
    for (int u = 0; u < n_slots; u++) {
      int kind = g_rand_int_range(rand, 0, 100);
      ModelSlot slot = tb_at(universe_day[u], universe_part[u]);
      if (kind < 40)
        tl_load(ds, i, slot, g_rand_int_range(rand, 0, 31), g_rand_int_range(rand, 0, 5), -1);
      else if (kind < 60)
        tl_load(ds, i, slot, -1, -1, g_rand_int_range(rand, 0, 3));
    }
  }
  for (guint e = 0; e < ds->employees->len; e++)
    if (g_rand_int_range(rand, 0, 100) < 80) {
      g_autofree char *id = g_strdup_printf("l%d", g_rand_int_range(rand, 0, MAX_L));
      tl_works_at(ds, e, id);
    }
}

static ModelDataset *random_dataset(GRand *rand, GRand *locations, int *out_slots) {
  ModelDataset *ds = tb_new();
  int n_slots = g_rand_int_range(rand, 1, N_UNIVERSE + 1);
  int n_e = g_rand_int_range(rand, 2, MAX_E + 1), n_r = g_rand_int_range(rand, 1, MAX_R + 1);
  int n_s = g_rand_int_range(rand, 1, n_r + 1);
  for (int s = 0; s < n_s; s++) {
    g_autofree char *id = g_strdup_printf("s%d", s);
    tb_school(ds, id, district_ids[g_rand_int_range(rand, 0, 3)],
              TB_LAT + g_rand_double_range(rand, -0.04, 0.04),
              TB_LON + g_rand_double_range(rand, -0.06, 0.06));
  }
  for (int e = 0; e < n_e; e++) {
    g_autofree char *id = g_strdup_printf("e%d", e);
    gboolean located = g_rand_int_range(rand, 0, 100) < 70;
    ModelQualSet q = random_quals(rand, 40);
    if (g_rand_int_range(rand, 0, 100) < 85)
      q |= VOG;
    guint i =
        tb_employee(ds, id, district_ids[g_rand_int_range(rand, 0, 3)],
                    located ? TB_LAT + g_rand_double_range(rand, -0.04, 0.04) : TB_NO_LOCATION,
                    TB_LON + g_rand_double_range(rand, -0.06, 0.06), q,
                    g_rand_int_range(rand, 1, 4), g_rand_int_range(rand, 3, 16));
    g_array_index(ds->employees, ModelEmployee, i).active = g_rand_int_range(rand, 0, 100) < 90;
    for (int k = 0; k < n_slots; k++)
      if (g_rand_int_range(rand, 0, 100) < 70)
        tb_available(ds, i, universe_day[k], universe_part[k]);
  }
  for (int r = 0; r < n_r; r++) {
    g_autofree char *id = g_strdup_printf("r%d", r);
    g_autofree char *school = g_strdup_printf("s%d", g_rand_int_range(rand, 0, n_s));
    guint i =
        tb_request(ds, id, school, g_rand_int_range(rand, 1, 3),
                   g_rand_boolean(rand) ? MODEL_PRIORITY_HIGH : MODEL_PRIORITY_NORMAL,
                   random_quals(rand, 10), random_quals(rand, 30), g_rand_int_range(rand, 3, 16));
    int first = g_rand_int_range(rand, 0, n_slots);
    for (int k = 0; k < n_slots; k++)
      if (k == first || g_rand_int_range(rand, 0, 100) < 60)
        tb_slot(ds, i, universe_day[k], universe_part[k]);
    if (g_rand_int_range(rand, 0, 100) < 10)
      g_array_index(ds->requests, ModelRequest, i).status = MODEL_REQUEST_CANCELLED;
  }
  /* Decisions: at most one approval per employee and day part. */
  gboolean approved[MAX_E][N_UNIVERSE] = {{FALSE}};
  int n_a = g_rand_int_range(rand, 0, 5);
  for (int k = 0; k < n_a; k++) {
    int r = g_rand_int_range(rand, 0, n_r), e = g_rand_int_range(rand, 0, n_e);
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
    const ModelSlotRule *rule =
        &g_array_index(req->slots, ModelSlotRule, g_rand_int_range(rand, 0, req->slots->len));
    int u = 0;
    while (!(universe_day[u] == rule->from && (1u << universe_part[u]) == rule->parts))
      u++;
    ModelAssignmentStatus status = (ModelAssignmentStatus)g_rand_int_range(rand, 0, 4);
    if (status == MODEL_ASSIGNMENT_APPROVED) {
      if (approved[e][u])
        continue;
      approved[e][u] = TRUE;
    }
    char rid[8], eid[8];
    g_snprintf(rid, sizeof rid, "r%d", r);
    g_snprintf(eid, sizeof eid, "e%d", e);
    tb_assignment(ds->assignments, NULL, rid, eid, universe_day[u], universe_part[u], status, NULL);
  }
  if (locations != NULL)
    random_locations(ds, locations, n_slots);
  tb_finish(ds);
  *out_slots = n_slots;
  return ds;
}

/* ---- brute force, written from the hard constraints alone ---------------- */

typedef struct {
  const ModelDataset *ds;
  int n_e, n_r, n_slots;
  ModelSlot slot[N_UNIVERSE];
  gboolean feasible[MAX_E][MAX_R][N_UNIVERSE];
  gint64 cost[MAX_E][MAX_R];             /* metres per staff-slot */
  gint64 keep[MAX_E][MAX_R][N_UNIVERSE]; /* stability bonus: an undecided proposal */
  gboolean known[MAX_E][MAX_R];          /* approved on the request: no pair charge */
  gint64 charge;                         /* the pair charge, or 0 */
  int units[MAX_E][MAX_R];               /* chosen day parts per pair while searching */
  int need[MAX_R][N_UNIVERSE];
  int week_left[MAX_E][N_UNIVERSE]; /* by the week of each universe slot */
  int week_of[N_UNIVERSE];
  int location_of[MAX_E];           /* -1 when the employee has none */
  int lend_left[MAX_L][N_UNIVERSE]; /* G_MAXINT / 2 where no figures limit it */
  gint64 best[3], current[3];
  int choice[MAX_E][N_UNIVERSE];
} Brute;

static int slot_index(const Brute *b, ModelSlot slot) {
  for (int u = 0; u < b->n_slots; u++)
    if (model_slot_compare(&b->slot[u], &slot) == 0)
      return u;
  return -1;
}

static gboolean has_slot(const GArray *rules, ModelSlot slot) {
  g_autoptr(GArray) slots = model_slot_rules_expand(rules);
  for (guint i = 0; i < slots->len; i++)
    if (model_slot_compare(&g_array_index(slots, ModelSlot, i), &slot) == 0)
      return TRUE;
  return FALSE;
}

static const char *school_district(const ModelDataset *ds, const ModelRequest *req) {
  gint s = model_dataset_find_school(ds, req->school_id);
  return g_array_index(ds->schools, ModelSchool, s).district_id;
}

static gboolean adjacent(const ModelDataset *ds, const char *a, const char *b) {
  const ModelDistrict *d =
      &g_array_index(ds->districts, ModelDistrict, model_dataset_find_district(ds, a));
  for (guint i = 0; i < d->neighbours->len; i++)
    if (strcmp(g_ptr_array_index(d->neighbours, i), b) == 0)
      return TRUE;
  return FALSE;
}

typedef enum { COST_PLAIN, COST_CONTINUITY, COST_TRAVEL } CostMode;

/* `only`: NULL for every district, else only requests of schools there need staff;
 * approvals elsewhere still hold their employees. */
static void brute_init(Brute *b, const ModelDataset *ds, int n_slots, const char *only,
                       CostMode mode) {
  memset(b, 0, sizeof *b);
  b->charge = mode == COST_CONTINUITY ? ENGINE_DEFAULT_CONTINUITY_M : 0;
  b->ds = ds;
  b->n_e = (int)ds->employees->len;
  b->n_r = (int)ds->requests->len;
  b->n_slots = n_slots;
  for (int u = 0; u < n_slots; u++) {
    b->slot[u] = tb_at(universe_day[u], universe_part[u]);
    b->week_of[u] = model_date_iso_week(b->slot[u].date);
  }
  gboolean taken[MAX_E][N_UNIVERSE] = {{FALSE}};
  int week_used[MAX_E][N_UNIVERSE] = {{0}};
  gboolean rejected[MAX_E][MAX_R] = {{FALSE}};
  gboolean cancelled[MAX_E][MAX_R][N_UNIVERSE] = {{{FALSE}}};
  gboolean knows[MAX_E][MAX_R] = {{FALSE}};
  /* H7: what each location can lend in each day part, by the ratio 1:10. */
  for (int l = 0; l < MAX_L; l++)
    for (int u = 0; u < n_slots; u++)
      b->lend_left[l][u] = G_MAXINT / 2;
  for (guint l = 0; l < ds->locations->len; l++) {
    const ModelLocation *loc = &g_array_index(ds->locations, ModelLocation, l);
    for (guint k = 0; k < loc->load->len; k++) {
      const ModelLocationLoad *load = &g_array_index(loc->load, ModelLocationLoad, k);
      ModelSlot slot = {load->when.from,
                        load->when.parts == 1 ? MODEL_PART_MORNING : MODEL_PART_AFTERNOON};
      int lend = load->max_lend >= 0 ? load->max_lend
                                     : load->staff_present - (load->children_expected + 9) / 10;
      b->lend_left[l][slot_index(b, slot)] = MAX(lend, 0);
    }
  }
  for (int e = 0; e < b->n_e; e++) {
    const char *at = g_array_index(ds->employees, ModelEmployee, e).location_id;
    b->location_of[e] = at != NULL ? model_dataset_find_location(ds, at) : -1;
  }
  for (guint i = 0; i < ds->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(ds->assignments, ModelAssignment, i);
    int r = model_dataset_find_request(ds, a->request_id);
    int e = model_dataset_find_employee(ds, a->employee_id);
    int u = slot_index(b, a->slot);
    if (a->status == MODEL_ASSIGNMENT_REJECTED)
      rejected[e][r] = TRUE;
    if (a->status == MODEL_ASSIGNMENT_CANCELLED) /* that employee never returns there */
      cancelled[e][r][u] = TRUE;
    if (a->status == MODEL_ASSIGNMENT_PROPOSED && mode != COST_TRAVEL)
      b->keep[e][r][u] = ENGINE_KEEP_M;
    if (a->status != MODEL_ASSIGNMENT_APPROVED)
      continue;
    b->known[e][r] = TRUE;
    taken[e][u] = TRUE;
    if (b->location_of[e] >= 0)
      b->lend_left[b->location_of[e]][u]--;
    for (int v = 0; v < n_slots; v++)
      if (b->week_of[v] == b->week_of[u])
        week_used[e][v]++;
    if (g_array_index(ds->requests, ModelRequest, r).status == MODEL_REQUEST_OPEN)
      b->need[r][u]--;
    const char *school = g_array_index(ds->requests, ModelRequest, r).school_id;
    for (int q = 0; q < b->n_r; q++)
      if (strcmp(g_array_index(ds->requests, ModelRequest, q).school_id, school) == 0)
        knows[e][q] = TRUE;
  }
  for (int r = 0; r < b->n_r; r++) {
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
    for (int u = 0; u < n_slots; u++)
      b->need[r][u] = req->status == MODEL_REQUEST_OPEN && has_slot(req->slots, b->slot[u]) &&
                              (only == NULL || strcmp(school_district(ds, req), only) == 0)
                          ? b->need[r][u] + req->staff_needed
                          : 0;
  }
  for (int e = 0; e < b->n_e; e++) {
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    for (int u = 0; u < n_slots; u++)
      b->week_left[e][u] = emp->max_parts_per_week - week_used[e][u];
    double lat, lon;
    g_assert_true(model_employee_location(ds, emp, &lat, &lon));
    for (int r = 0; r < b->n_r; r++) {
      const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
      const ModelSchool *sch =
          &g_array_index(ds->schools, ModelSchool, model_dataset_find_school(ds, req->school_id));
      gint64 d = model_distance_m(lat, lon, sch->lat, sch->lon);
      gboolean pair_ok = emp->active && (emp->quals & VOG) && (req->required & ~emp->quals) == 0 &&
                         d <= (gint64)emp->max_travel_km * 1000 &&
                         d <= (gint64)req->max_travel_km * 1000 && !rejected[e][r];
      /* The cost scale of match-private.h, computed here on its own terms. */
      gint64 district = strcmp(emp->district_id, sch->district_id) == 0 ? 0
                        : adjacent(ds, emp->district_id, sch->district_id)
                            ? ENGINE_NEIGHBOUR_M
                            : ENGINE_OTHER_DISTRICT_M;
      b->cost[e][r] =
          mode == COST_TRAVEL
              ? d
              : d + district +
                    ENGINE_PREFERRED_MISS_M * __builtin_popcount(req->preferred & ~emp->quals) +
                    (knows[e][r] ? 0 : ENGINE_UNKNOWN_SCHOOL_M);
      for (int u = 0; u < n_slots; u++)
        b->feasible[e][r][u] = pair_ok && !cancelled[e][r][u] && b->need[r][u] > 0 &&
                               !taken[e][u] && has_slot(emp->availability, b->slot[u]) &&
                               b->week_left[e][u] > 0;
    }
  }
}

/* (high fill, normal fill) larger is better, the cost smaller is better. */
static gboolean better(const gint64 a[3], const gint64 b[3]) {
  if (a[0] != b[0])
    return a[0] > b[0];
  if (a[1] != b[1])
    return a[1] > b[1];
  return a[2] < b[2];
}

/* What choosing (e, r, u) adds to the cost: its metres less the stability bonus, and
 * the pair charge for the pair's first day part. */
static gint64 choice_cost(const Brute *b, int e, int r, int u) {
  gint64 c = b->cost[e][r] - b->keep[e][r][u];
  return b->units[e][r] == 0 && !b->known[e][r] ? c + b->charge : c;
}

static double search_space(const Brute *b) {
  double size = 1;
  for (int e = 0; e < b->n_e; e++)
    for (int u = 0; u < b->n_slots; u++) {
      int options = 1;
      for (int r = 0; r < b->n_r; r++)
        options += b->feasible[e][r][u];
      size *= options;
    }
  return size;
}

static void brute_search(Brute *b, int k) {
  if (k == b->n_e * b->n_slots) {
    if (better(b->current, b->best))
      memcpy(b->best, b->current, sizeof b->best);
    return;
  }
  int e = k / b->n_slots, u = k % b->n_slots;
  brute_search(b, k + 1);
  int *lend = b->location_of[e] >= 0 ? &b->lend_left[b->location_of[e]][u] : NULL;
  for (int r = 0; r < b->n_r; r++) {
    if (!b->feasible[e][r][u] || b->need[r][u] == 0 || b->week_left[e][u] == 0 ||
        (lend != NULL && *lend <= 0))
      continue;
    if (lend != NULL)
      (*lend)--;
    const ModelRequest *req = &g_array_index(b->ds->requests, ModelRequest, r);
    int p = req->priority == MODEL_PRIORITY_HIGH ? 0 : 1;
    b->need[r][u]--;
    for (int v = 0; v < b->n_slots; v++)
      if (b->week_of[v] == b->week_of[u])
        b->week_left[e][v]--;
    gint64 c = choice_cost(b, e, r, u);
    b->current[p]++;
    b->current[2] += c;
    b->units[e][r]++;
    brute_search(b, k + 1);
    b->units[e][r]--;
    b->current[p]--;
    b->current[2] -= c;
    for (int v = 0; v < b->n_slots; v++)
      if (b->week_of[v] == b->week_of[u])
        b->week_left[e][v]++;
    b->need[r][u]++;
    if (lend != NULL)
      (*lend)++;
  }
}

/* The objective of the engine's proposals, each checked feasible on its own. */
static void score(Brute *b, const EngineResult *result, gint64 out[3]) {
  memset(out, 0, 3 * sizeof(gint64));
  memset(b->units, 0, sizeof b->units);
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    int u = slot_index(b, p->slot);
    g_assert_cmpint(u, >=, 0);
    g_assert_true(b->feasible[p->employee][p->request][u]);
    const ModelRequest *req = &g_array_index(b->ds->requests, ModelRequest, p->request);
    out[req->priority == MODEL_PRIORITY_HIGH ? 0 : 1]++;
    out[2] += choice_cost(b, (int)p->employee, (int)p->request, u);
    b->units[p->employee][p->request]++;
  }
  memset(b->units, 0, sizeof b->units);
}

/* The round must have the optimum fill and report its cost as scored here; its cost
 * must be the optimum when `exact`, else lie between its lower bound and the optimum
 * from above.  Returns the cost. */
static gint64 check_result(Brute *b, const ModelDataset *ds, const EngineResult *result,
                           gboolean exact) {
  gint64 got[3];
  score(b, result, got);
  /* Where weekly and location limits cross, the branch and bound completes on cases
   * this small, so the plan is certified. */
  g_assert_cmpuint(result->stats.uncertified_components, ==, 0);
  g_assert_cmpint(got[0], ==, b->best[0]);
  g_assert_cmpint(got[1], ==, b->best[1]);
  g_assert_cmpint(result->stats.cost_m, ==, got[2]);
  g_assert_cmpint(result->stats.cost_bound_m, <=, b->best[2]);
  if (exact)
    g_assert_cmpint(got[2], ==, b->best[2]);
  else
    g_assert_cmpint(got[2], >=, b->best[2]);
  g_assert_cmpint(result->stats.filled, ==, got[0] + got[1]);
  g_assert_cmpint(result->stats.filled_by_priority[MODEL_PRIORITY_HIGH], ==, got[0]);
  assert_no_violation(ds, result->proposals);
  /* Every open staff-slot is explained, and nobody is left over at an optimum. */
  gint64 missing = 0;
  for (guint i = 0; i < result->unfilled->len; i++) {
    const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
    g_assert_cmpint(u->missing, >, 0);
    g_assert_cmpint(u->missing, <=, u->needed);
    g_assert_cmpuint(u->qualified, <=, u->available);
    g_assert_cmpuint(u->in_range, <=, u->qualified);
    g_assert_cmpuint(u->not_rejected, <=, u->in_range);
    g_assert_cmpuint(u->not_cancelled, <=, u->not_rejected);
    g_assert_cmpuint(u->lendable, <=, u->left);
    g_assert_cmpuint(u->lendable, ==, 0);
    missing += u->missing;
  }
  g_assert_cmpint(missing, ==, result->stats.needed - result->stats.filled);
  return got[2];
}

static void run_random(guint32 seed, gboolean with_locations) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  g_autoptr(GRand) locations = with_locations ? g_rand_new_with_seed(seed ^ 0x4c52u) : NULL;
  for (int attempt = 0;; attempt++) {
    int n_slots;
    g_autoptr(ModelDataset) ds = random_dataset(rand, locations, &n_slots);
    Brute b, cont_b, travel_b;
    brute_init(&b, ds, n_slots, NULL, COST_PLAIN);
    double space = search_space(&b);
    if (space > SEARCH_LIMIT || space < SEARCH_MIN) {
      g_assert_cmpint(attempt, <, 1000);
      continue;
    }
    b.best[0] = b.best[1] = -1;
    brute_search(&b, 0);
    /* The charge is a round option: the default, or one of a lower and a higher. */
    static const gint32 charges[] = {ENGINE_DEFAULT_CONTINUITY_M, 1500, 20000};
    gint32 charge = charges[g_rand_int_range(rand, 0, G_N_ELEMENTS(charges))];
    brute_init(&cont_b, ds, n_slots, NULL, COST_CONTINUITY);
    cont_b.charge = charge;
    cont_b.best[0] = cont_b.best[1] = -1;
    brute_search(&cont_b, 0);
    brute_init(&travel_b, ds, n_slots, NULL, COST_TRAVEL);
    travel_b.best[0] = travel_b.best[1] = -1;
    brute_search(&travel_b, 0);
    g_test_message("optimum %" G_GINT64_FORMAT " high, %" G_GINT64_FORMAT
                   " normal, cost %" G_GINT64_FORMAT " m, with the pair charge %" G_GINT64_FORMAT
                   " m, travel alone %" G_GINT64_FORMAT " m; %.0f choices",
                   b.best[0], b.best[1], b.best[2], cont_b.best[2], travel_b.best[2], space);
    g_autoptr(EngineResult) plain = tb_run(ds, FALSE, NULL);
    check_result(&b, ds, plain, TRUE);
    EngineOptions cont_options;
    engine_options_init(&cont_options);
    cont_options.continuity_m = charge;
    g_autoptr(EngineResult) cont = tb_run_options(ds, &cont_options, NULL);
    check_result(&cont_b, ds, cont, FALSE);
    /* The polish pass keeps the fill and the optimum's bounds, and never costs more. */
    cont_options.polish = TRUE;
    g_autoptr(EngineResult) polished = tb_run_options(ds, &cont_options, NULL);
    check_result(&cont_b, ds, polished, FALSE);
    g_assert_cmpint(polished->stats.cost_m, <=, cont->stats.cost_m);
    EngineOptions travel_options;
    engine_options_init(&travel_options);
    travel_options.travel_only = TRUE;
    g_autoptr(EngineResult) travel = tb_run_options(ds, &travel_options, NULL);
    check_result(&travel_b, ds, travel, TRUE);
    /* Starting from the single cheapest candidate per request slot (or from
     * all of them) the round prices in the rest and reaches the same optimum; so does
     * the search where H4 and H7 cross, whether each of its solves starts afresh or
     * from the last one's tree, and whether it ends by fixing every crossing slot. */
#define TUNING(per_need, extra, warm, fix)                                                         \
  {                                                                                                \
    .initial_per_need = per_need, .initial_extra = extra, .crossing_nodes = 64,                    \
    .crossing_scale = 4096, .crossing_warm = warm, .crossing_fix = fix                             \
  }
    static const EngineTuning tunings[] = {TUNING(0, 1, 0, FALSE), TUNING(1, 0, G_MAXUINT, FALSE),
                                           TUNING(0, 0, 0, FALSE), TUNING(2, 2, 8192, TRUE)};
#undef TUNING
    for (gsize t = 0; t < G_N_ELEMENTS(tunings); t++) {
      for (int continuity = 0; continuity < 2; continuity++) {
        EngineOptions options;
        engine_options_init(&options);
        options.continuity = continuity;
        options.continuity_m = charge;
        g_autoptr(GError) error = NULL;
        g_autoptr(EngineResult) tuned = engine_match_run_tuned(ds, &options, &tunings[t], &error);
        g_assert_no_error(error);
        check_result(continuity ? &cont_b : &b, ds, tuned, !continuity);
      }
    }
    /* A round limited to one district reaches the optimum of that district alone. */
    const char *only[] = {district_ids[g_rand_int_range(rand, 0, 3)], NULL};
    Brute limited;
    brute_init(&limited, ds, n_slots, only[0], COST_PLAIN);
    limited.best[0] = limited.best[1] = -1;
    brute_search(&limited, 0);
    EngineOptions options;
    engine_options_init(&options);
    options.districts = only;
    options.continuity = FALSE;
    g_autoptr(GError) error = NULL;
    g_autoptr(EngineResult) local = engine_match_run(ds, &options, &error);
    g_assert_no_error(error);
    check_result(&limited, ds, local, TRUE);
    for (guint i = 0; i < local->unfilled->len; i++) {
      const EngineUnfilled *u = &g_array_index(local->unfilled, EngineUnfilled, i);
      const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
      g_assert_cmpstr(school_district(ds, req), ==, only[0]);
    }
    return;
  }
}

static void test_random(gconstpointer data) {
  run_random(GPOINTER_TO_UINT(data), FALSE);
}

static void test_random_locations(gconstpointer data) {
  run_random(GPOINTER_TO_UINT(data), TRUE);
}

/* The spatial grid never misses a point within the radius, anywhere on Earth. */
static void test_grid(gconstpointer data) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(GPOINTER_TO_UINT(data));
  enum { N = 400 };
  double lat[N], lon[N];
  gboolean include[N];
  /* Half the points in the Netherlands, the rest anywhere (poles, date line). */
  for (int i = 0; i < N; i++) {
    gboolean local = i < N / 2;
    lat[i] = local ? g_rand_double_range(rand, 50.7, 53.6) : g_rand_double_range(rand, -90, 90);
    lon[i] = local ? g_rand_double_range(rand, 3.3, 7.3) : g_rand_double_range(rand, -180, 180);
    include[i] = g_rand_int_range(rand, 0, 10) > 0;
  }
  EngineGrid grid;
  engine_grid_init(&grid, lat, lon, include, N);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  for (int q = 0; q < 200; q++) {
    int c = g_rand_int_range(rand, 0, N);
    gint64 radius = g_rand_int_range(rand, 0, 300001);
    g_array_set_size(near, 0);
    engine_grid_query(&grid, lat[c], lon[c], radius, near);
    gboolean found[N] = {FALSE};
    for (guint k = 0; k < near->len; k++) {
      guint i = g_array_index(near, guint, k);
      g_assert_cmpuint(i, <, N);
      g_assert_true(include[i]);
      g_assert_false(found[i]);
      found[i] = TRUE;
    }
    for (int i = 0; i < N; i++)
      if (include[i] && model_distance_m(lat[c], lon[c], lat[i], lon[i]) <= radius)
        g_assert_true(found[i]);
  }
  engine_grid_clear(&grid);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (guint32 seed = 1; seed <= N_SEEDS + G_N_ELEMENTS(extra_seeds); seed++) {
    guint32 s = seed <= N_SEEDS ? seed : extra_seeds[seed - N_SEEDS - 1];
    g_autofree char *path = g_strdup_printf("/match/exhaustive/%u", s);
    g_test_add_data_func(path, GUINT_TO_POINTER(s), test_random);
    g_autofree char *located = g_strdup_printf("/match/exhaustive/locations/%u", s);
    g_test_add_data_func(located, GUINT_TO_POINTER(s), test_random_locations);
  }
  for (guint32 seed = 1; seed <= 20; seed++) {
    g_autofree char *path = g_strdup_printf("/match/grid/%u", seed);
    g_test_add_data_func(path, GUINT_TO_POINTER(seed), test_grid);
  }
  guint32 fresh = g_test_rand_int();
  g_autofree char *grid_path = g_strdup_printf("/match/grid/fresh/%u", fresh);
  g_test_add_data_func(grid_path, GUINT_TO_POINTER(fresh), test_grid);
  g_autofree char *path = g_strdup_printf("/match/exhaustive/fresh/%u", fresh);
  g_test_add_data_func(path, GUINT_TO_POINTER(fresh), test_random);
  g_autofree char *fresh_located = g_strdup_printf("/match/exhaustive/locations/fresh/%u", fresh);
  g_test_add_data_func(fresh_located, GUINT_TO_POINTER(fresh), test_random_locations);
  return g_test_run();
}
