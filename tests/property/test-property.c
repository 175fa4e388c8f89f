/* test-property.c: rounds on generated city-scale data (fixtures_generate), checked
 * for properties that must hold whatever the data: the independent checker finds no
 * violation; a round is deterministic; approving part of a round and running again
 * keeps the approved assignments and gives the same total fill per priority (the
 * rest of the first round is still feasible, and anything better would have been
 * better the first time); rejected pairs never come back; the greedy baseline never
 * beats the optimiser on fill, high priority first; a re-plan on the round's own
 * undecided proposals keeps every one of them; a fair round fills exactly as much.
 * Committed seeds plus one fresh seed, each in the test path.  And a snapshot's pairs
 * and candidates, built by several threads, are those a plain walk over every
 * employee and request finds, in the same order.
 */
#include <string.h>

#include "gen.h"
#include "match-private.h"
#include "../engine-assert.h"

static const guint64 committed_seeds[] = {1, 2, 3, 7, 42, 103, 1118, 2020, 31337};

/* Scarce staff, so that rounds leave slots open and priorities matter. */
static ModelDataset *city(guint64 seed) {
  FixturesParams params;
  fixtures_params_init(&params);
  params.schools = 60;
  params.employees = 70;
  params.weeks = 2;
  params.seed = seed;
  ModelDataset *dataset = fixtures_generate(&params);
  g_assert_nonnull(dataset);
  return dataset;
}

/* A round with default options, spreading lending when `fair`, polishing its plan when
 * `polish`; never fails.  The what-ifs get a small count budget: they run on these
 * cities too, and tests/match checks their answers, so the default budget would only
 * make the suite slow. */
static EngineResult *run_with(const ModelDataset *dataset, gboolean fair, gboolean polish) {
  EngineOptions options;
  engine_options_init(&options);
  options.fair = fair;
  options.polish = polish;
  options.whatif_solves = 20;
  g_autoptr(GError) error = NULL;
  EngineResult *result = engine_match_run(dataset, &options, &error);
  g_assert_no_error(error);
  g_assert_nonnull(result);
  return result;
}

static EngineResult *run(const ModelDataset *dataset) {
  return run_with(dataset, FALSE, FALSE);
}

/* Appends an assignment for proposal `p` with the given decision. */
static void decide(ModelDataset *dataset, const EngineProposal *p, ModelAssignmentStatus status,
                   guint n) {
  ModelAssignment a;
  model_assignment_init(&a);
  a.id = g_strdup_printf("a-%05u", n);
  a.request_id = g_strdup(g_array_index(dataset->requests, ModelRequest, p->request).id);
  a.employee_id = g_strdup(g_array_index(dataset->employees, ModelEmployee, p->employee).id);
  a.slot = p->slot;
  a.status = status;
  if (status != MODEL_ASSIGNMENT_PROPOSED) {
    a.decided_by = g_strdup("coordinator@example.org");
    a.decided_at = 1586851200; /* 2020-04-14 08:00 UTC */
  }
  if (status == MODEL_ASSIGNMENT_REJECTED)
    a.reason = g_strdup("not this one");
  g_array_append_val(dataset->assignments, a);
}

static gboolean same_pair(const EngineProposal *a, const EngineProposal *b) {
  return a->request == b->request && a->employee == b->employee;
}

/* Compares the fill of two rounds as the engine weighs it: high priority first. */
static int compare_fill(const EngineResult *a, const EngineResult *b) {
  for (int pr = MODEL_PRIORITY_HIGH; pr >= MODEL_PRIORITY_NORMAL; pr--) {
    gint64 x = a->stats.filled_by_priority[pr], y = b->stats.filled_by_priority[pr];
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

static void test_round(gconstpointer data) {
  guint64 seed = GPOINTER_TO_SIZE(data);
  g_autoptr(ModelDataset) dataset = city(seed);
  g_autoptr(EngineResult) first = run(dataset);
  assert_no_violation(dataset, first->proposals);
  /* The generated data must exercise something: some proposals, some open slots. */
  g_assert_cmpuint(first->proposals->len, >, 0);
  g_assert_cmpuint(first->unfilled->len, >, 0);
  g_assert_cmpint(first->stats.filled, <, first->stats.needed);

  /* Deterministic: a second run gives the same proposals, byte for byte. */
  g_autoptr(EngineResult) again = run(dataset);
  g_assert_cmpuint(again->proposals->len, ==, first->proposals->len);
  g_assert_cmpmem(again->proposals->data, again->proposals->len * sizeof(EngineProposal),
                  first->proposals->data, first->proposals->len * sizeof(EngineProposal));

  /* Greedy never beats the optimum, high priority first. */
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(EngineResult) greedy = engine_greedy_run(dataset, &options);
  const gint64 *opt = first->stats.filled_by_priority, *gr = greedy->stats.filled_by_priority;
  g_assert_cmpint(gr[MODEL_PRIORITY_HIGH], <=, opt[MODEL_PRIORITY_HIGH]);
  if (gr[MODEL_PRIORITY_HIGH] == opt[MODEL_PRIORITY_HIGH])
    g_assert_cmpint(gr[MODEL_PRIORITY_NORMAL], <=, opt[MODEL_PRIORITY_NORMAL]);
}

/* Approve every third proposal and run again: the approved stay, and the fill of the
 * new round plus the approved equals the first round's fill, per priority (within the
 * stated gaps where a round could not certify its plan). */
static void test_incremental_approve(gconstpointer data) {
  guint64 seed = GPOINTER_TO_SIZE(data);
  g_autoptr(ModelDataset) dataset = city(seed);
  g_autoptr(EngineResult) first = run(dataset);
  guint base = dataset->assignments->len;
  gint64 approved_by_priority[MODEL_N_PRIORITIES] = {0};
  for (guint i = 0; i < first->proposals->len; i += 3) {
    const EngineProposal *p = &g_array_index(first->proposals, EngineProposal, i);
    decide(dataset, p, MODEL_ASSIGNMENT_APPROVED, i);
    approved_by_priority[g_array_index(dataset->requests, ModelRequest, p->request).priority]++;
  }
  guint approved = dataset->assignments->len - base;
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_true(model_dataset_check(dataset, problems));

  g_autoptr(EngineResult) second = run(dataset);
  assert_no_violation(dataset, second->proposals);
  g_assert_cmpint(second->stats.approved, ==, (gint64)approved);
  if (first->stats.uncertified_components == 0 && second->stats.uncertified_components == 0) {
    for (int pr = 0; pr < MODEL_N_PRIORITIES; pr++)
      g_assert_cmpint(second->stats.filled_by_priority[pr] + approved_by_priority[pr], ==,
                      first->stats.filled_by_priority[pr]);
  } else {
    /* Where a search was cut (weekly and location limits crossing), each round says how
     * many staff-slots, and how many high ones, its plan may miss of the optimum, which
     * the other round's plan bounds from below (lexicographically: high fill first): the
     * second round plus the approved is a plan of the first problem, and the rest of the
     * first round's plan is one of the second.  Where a round misses no high one, a plan
     * of as many high ones fills no more than the optimum. */
    const EngineStats *a = &first->stats, *b = &second->stats;
    gint64 before = a->filled, after = b->filled + (gint64)approved;
    gint64 before_high = a->filled_by_priority[MODEL_PRIORITY_HIGH];
    gint64 after_high =
        b->filled_by_priority[MODEL_PRIORITY_HIGH] + approved_by_priority[MODEL_PRIORITY_HIGH];
    g_assert_cmpint(after_high, <=, before_high + a->uncertified_gap_high);
    g_assert_cmpint(before_high, <=, after_high + b->uncertified_gap_high);
    if (a->uncertified_gap_high == 0 && after_high == before_high)
      g_assert_cmpint(after, <=, before + a->uncertified_gap_filled);
    if (b->uncertified_gap_high == 0 && after_high == before_high)
      g_assert_cmpint(before, <=, after + b->uncertified_gap_filled);
  }
  /* No approved assignment is proposed again. */
  for (guint i = 0; i < second->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(second->proposals, EngineProposal, i);
    for (guint j = 0; j < first->proposals->len; j += 3) {
      const EngineProposal *q = &g_array_index(first->proposals, EngineProposal, j);
      g_assert_false(same_pair(p, q) && p->slot.date == q->slot.date &&
                     p->slot.part == q->slot.part);
    }
  }
}

/* Reject every fourth proposal's pair: none of those pairs comes back, in any slot,
 * and the fill can only go down (high priority first). */
static void test_incremental_reject(gconstpointer data) {
  guint64 seed = GPOINTER_TO_SIZE(data);
  g_autoptr(ModelDataset) dataset = city(seed);
  g_autoptr(EngineResult) first = run(dataset);
  for (guint i = 0; i < first->proposals->len; i += 4)
    decide(dataset, &g_array_index(first->proposals, EngineProposal, i), MODEL_ASSIGNMENT_REJECTED,
           i);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_true(model_dataset_check(dataset, problems));

  g_autoptr(EngineResult) second = run(dataset);
  assert_no_violation(dataset, second->proposals);
  for (guint i = 0; i < second->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(second->proposals, EngineProposal, i);
    for (guint j = 0; j < first->proposals->len; j += 4)
      g_assert_false(same_pair(p, &g_array_index(first->proposals, EngineProposal, j)));
  }
  /* The second round's plan is one of the first problem, so it fills no more than the
   * first round's best (high priority first), or, where that round's search was cut,
   * no more high ones than it says it may miss. */
  if (first->stats.uncertified_components == 0)
    g_assert_cmpint(compare_fill(second, first), <=, 0);
  else
    g_assert_cmpint(second->stats.filled_by_priority[MODEL_PRIORITY_HIGH], <=,
                    first->stats.filled_by_priority[MODEL_PRIORITY_HIGH] +
                        first->stats.uncertified_gap_high);
}

/* Record the round's proposals as undecided and plan again (both rounds polished when
 * `polish`): nothing changed, and each round weighs keeping every proposal, so the
 * re-plan fills at least as much (high priority first) and, filling as much, costs no
 * more than keeping them all; when it costs the same it keeps them all (stability)
 * and the counts say so.  It may do better: the round's answer is a heuristic's for
 * the continuity charge, and where a search was cut (weekly and location limits
 * crossing) the first plan may fill less than the best.  Where neither round was cut,
 * both fill the same per priority. */
static void check_replan(guint64 seed, gboolean polish) {
  g_autoptr(ModelDataset) dataset = city(seed);
  g_autoptr(EngineResult) first = run_with(dataset, FALSE, polish);
  for (guint i = 0; i < first->proposals->len; i++)
    decide(dataset, &g_array_index(first->proposals, EngineProposal, i), MODEL_ASSIGNMENT_PROPOSED,
           i);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_true(model_dataset_check(dataset, problems));
  g_autoptr(EngineResult) second = run_with(dataset, FALSE, polish);
  assert_no_violation(dataset, second->proposals);
  g_assert_cmpint(compare_fill(second, first), >=, 0);
  g_assert_cmpint(second->stats.kept + second->stats.dropped, ==, first->stats.filled);
  if (first->stats.uncertified_components == 0 && second->stats.uncertified_components == 0)
    g_assert_cmpint(compare_fill(second, first), ==, 0);
  if (compare_fill(second, first) > 0)
    return;
  gint64 keep_all = first->stats.cost_m - ENGINE_KEEP_M * first->stats.filled;
  g_assert_cmpint(second->stats.cost_m, <=, keep_all);
  if (second->stats.cost_m == keep_all) {
    g_assert_cmpint(second->stats.kept, ==, first->stats.filled);
    g_assert_cmpint(second->stats.added, ==, 0);
    g_assert_cmpint(second->stats.dropped, ==, 0);
  }
}

static void test_replan(gconstpointer data) {
  check_replan(GPOINTER_TO_SIZE(data), FALSE);
}

static void test_replan_polish(gconstpointer data) {
  check_replan(GPOINTER_TO_SIZE(data), TRUE);
}

/* A fair round fills exactly what the plain one fills, per priority, within the
 * hard constraints; its cost bound stays below its cost. */
static void test_fair(gconstpointer data) {
  guint64 seed = GPOINTER_TO_SIZE(data);
  g_autoptr(ModelDataset) dataset = city(seed);
  g_autoptr(EngineResult) plain = run(dataset);
  g_autoptr(EngineResult) fair = run_with(dataset, TRUE, FALSE);
  assert_no_violation(dataset, fair->proposals);
  for (int pr = 0; pr < MODEL_N_PRIORITIES; pr++)
    g_assert_cmpint(fair->stats.filled_by_priority[pr], ==, plain->stats.filled_by_priority[pr]);
  g_assert_cmpint(fair->stats.cost_bound_m, <=, fair->stats.cost_m);
  g_assert_cmpint(plain->stats.cost_bound_m, <=, plain->stats.cost_m);
}

/* The snapshot's pairs and candidates as a walk over every (employee, request) in id
 * order finds them, without the grid or the threads: appends to `pairs` and `cands`
 * (candidates by pair, then employee slot). */
static void reference_candidates(const EngineSnapshot *snap, GArray *pairs, GArray *cands) {
  const ModelDataset *ds = snap->dataset;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineEweek *ew = (const EngineEweek *)snap->eweeks->data;
  static const ModelSlotFacts best = {.available = TRUE};
  for (guint er = 0; er < snap->n_employees; er++) {
    guint e = snap->employee_order[er];
    const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
    if (!snap->located[e] || engine_options_stale(&snap->options, emp))
      continue;
    for (guint rr = 0; rr < snap->n_requests; rr++) {
      guint r = snap->request_order[rr];
      gint school = snap->school_of_request[r];
      if (school < 0)
        continue;
      const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, school);
      gint64 d = model_distance_m(snap->emp_lat[e], snap->emp_lon[e], sch->lat, sch->lon);
      if (d > (gint64)emp->max_travel_km * 1000)
        continue;
      ModelPairFacts facts;
      engine_snapshot_pair_facts(snap, r, e, d, &facts);
      if (model_feasible(&facts, &best) != MODEL_FEASIBLE)
        continue;
      guint before = cands->len;
      for (guint i = snap->employee_es[er]; i < snap->employee_es[er + 1]; i++)
        for (guint j = snap->request_rs[rr]; j < snap->request_rs[rr + 1]; j++) {
          if (model_slot_compare(&es[i].slot, &rs[j].slot) != 0)
            continue;
          ModelSlotFacts at = engine_snapshot_slot_facts(snap, r, e, es[i].slot);
          if (ew[es[i].eweek].remaining > 0 && engine_snapshot_lslot_room(snap, i) > 0 &&
              model_feasible(&facts, &at) == MODEL_FEASIBLE) {
            EngineCand c = {i, j, pairs->len, engine_snapshot_proposed(snap, r, e, es[i].slot)};
            g_array_append_val(cands, c);
          }
        }
      if (cands->len > before) {
        EnginePair p =
            engine_snapshot_make_pair(snap, e, r, &g_array_index(ds->requests, ModelRequest, r), d);
        g_array_append_val(pairs, p);
      }
    }
  }
}

static gint compare_cands(gconstpointer a, gconstpointer b) {
  const EngineCand *x = a, *y = b;
  if (x->pair != y->pair)
    return x->pair < y->pair ? -1 : 1;
  return (x->eslot > y->eslot) - (x->eslot < y->eslot);
}

static void test_candidates(void) {
  FixturesParams params;
  fixtures_params_init(&params);
  params.schools = 300;
  params.employees = 3000; /* several shares of the candidates' threads */
  params.weeks = 1;
  params.seed = 5;
  g_autoptr(ModelDataset) dataset = fixtures_generate(&params);
  g_assert_nonnull(dataset);
  /* Every other proposal of a first round stays undecided, every tenth is rejected. */
  g_autoptr(EngineResult) first = run(dataset);
  g_assert_cmpuint(first->proposals->len, >, 100);
  for (guint i = 0; i < first->proposals->len; i += 2)
    decide(dataset, &g_array_index(first->proposals, EngineProposal, i),
           i % 10 == 0 ? MODEL_ASSIGNMENT_REJECTED : MODEL_ASSIGNMENT_PROPOSED, i);
  model_dataset_index(dataset);
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineSnapshot) snap = engine_snapshot_new(dataset, &options, &error);
  g_assert_no_error(error);
  g_autoptr(GArray) pairs = g_array_new(FALSE, FALSE, sizeof(EnginePair));
  g_autoptr(GArray) cands = g_array_new(FALSE, FALSE, sizeof(EngineCand));
  reference_candidates(snap, pairs, cands);
  g_assert_cmpuint(snap->pairs->len, ==, pairs->len);
  g_assert_cmpmem(snap->pairs->data, sizeof(EnginePair) * pairs->len, pairs->data,
                  sizeof(EnginePair) * pairs->len);
  /* The snapshot groups its candidates by component; within a pair they keep slot order. */
  g_autoptr(GArray) got = g_array_copy(snap->cands);
  g_array_sort(got, compare_cands);
  g_array_sort(cands, compare_cands);
  g_assert_cmpuint(got->len, ==, cands->len);
  guint proposed = 0;
  for (guint i = 0; i < cands->len; i++) {
    const EngineCand *x = &g_array_index(got, EngineCand, i),
                     *y = &g_array_index(cands, EngineCand, i);
    g_assert_cmpuint(x->pair, ==, y->pair);
    g_assert_cmpuint(x->eslot, ==, y->eslot);
    g_assert_cmpuint(x->rslot, ==, y->rslot);
    g_assert_cmpuint(x->proposed, ==, y->proposed);
    proposed += y->proposed;
  }
  g_assert_cmpuint(proposed, >, 0);
}

static void add_seed(guint64 seed) {
  static const struct {
    const char *name;
    GTestDataFunc func;
  } cases[] = {
      {"round", test_round},
      {"approve", test_incremental_approve},
      {"reject", test_incremental_reject},
      {"replan", test_replan},
      {"replan-polish", test_replan_polish},
      {"fair", test_fair},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path =
        g_strdup_printf("/property/city/%s/seed-%" G_GUINT64_FORMAT, cases[i].name, seed);
    g_test_add_data_func(path, GSIZE_TO_POINTER((gsize)seed), cases[i].func);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(committed_seeds); i++)
    add_seed(committed_seeds[i]);
  add_seed(g_test_rand_int_range(1, G_MAXINT32));
  g_test_add_func("/property/snapshot/candidates", test_candidates);
  return g_test_run();
}
