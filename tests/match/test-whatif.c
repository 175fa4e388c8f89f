/* test-whatif.c: the what-ifs of a round (engine/whatif.c).  Each kind of relaxation
 * has a case where it is the cheapest answer, and every answer is verified apart from
 * the engine's own re-solve: the relaxation is applied to the dataset as its sentence
 * says, a whole round runs on it, the slot gets more staff, no other request slot gets
 * fewer (but the one that yields) and the checker is clean.  Also: no answer when none
 * exists, the budgets, determinism, and random datasets.
 */
#include <string.h>

#include "../engine-assert.h"
#include "builder.h"
#include "../locations.h"

#define KM_LAT (1.0 / 111.195) /* degrees of latitude per km */

static const ModelPart AM = MODEL_PART_MORNING;

typedef ModelDataset *(*MakeFunc)(guint32 seed);

/* Staff proposed for `request` at `slot`. */
static gint32 staff_at(const EngineResult *result, guint request, ModelSlot slot) {
  gint32 n = 0;
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    n += p->request == request && model_slot_compare(&p->slot, &slot) == 0;
  }
  return n;
}

/* Filled staff-slots, a high-priority one counting twice. */
static gint64 weighted(const EngineResult *result) {
  return 2 * result->stats.filled_by_priority[MODEL_PRIORITY_HIGH] +
         result->stats.filled_by_priority[MODEL_PRIORITY_NORMAL];
}

/* Removes `slot` from request `r`; a request left without slots is cancelled instead. */
static void give_up_slot(ModelDataset *ds, guint r, ModelSlot slot) {
  ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
  for (guint i = 0; i < req->slots->len; i++) {
    ModelSlotRule *rule = &g_array_index(req->slots, ModelSlotRule, i);
    g_assert_cmpint(rule->kind, ==, MODEL_SLOT_RULE_ONE);
    if (rule->from == slot.date && rule->parts == (1u << slot.part)) {
      if (req->slots->len == 1)
        req->status = MODEL_REQUEST_CANCELLED;
      else
        g_array_remove_index(req->slots, i);
      break;
    }
  }
  for (guint i = ds->assignments->len; i-- > 0;) {
    const ModelAssignment *a = &g_array_index(ds->assignments, ModelAssignment, i);
    if (a->status == MODEL_ASSIGNMENT_APPROVED && strcmp(a->request_id, req->id) == 0 &&
        model_slot_compare(&a->slot, &slot) == 0) {
      model_assignment_clear(&g_array_index(ds->assignments, ModelAssignment, i));
      g_array_remove_index(ds->assignments, i);
    }
  }
}

/* Applies the what-if found for `u` to `ds` (built as the round's dataset was), as
 * its sentence says. */
static void apply(ModelDataset *ds, const EngineUnfilled *u) {
  const EngineWhatif *w = &u->whatif;
  g_assert_cmpint(w->outcome, ==, ENGINE_WHATIF_FOUND);
  ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
  switch (w->kind) {
  case ENGINE_WHATIF_TRAVEL:
    if (w->employee >= 0) {
      ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, w->employee);
      g_assert_cmpint(emp->max_travel_km, ==, w->from);
      emp->max_travel_km = w->to;
    } else {
      g_assert_cmpint(w->request, ==, (gint)u->request);
      g_assert_cmpint(req->max_travel_km, ==, w->from);
      req->max_travel_km = w->to;
    }
    g_assert_cmpint(w->to, >, w->from);
    break;
  case ENGINE_WHATIF_PREFERRED:
    g_assert_true(req->required & MODEL_QUAL_BIT(w->qual));
    req->required &= ~MODEL_QUAL_BIT(w->qual);
    req->preferred |= MODEL_QUAL_BIT(w->qual);
    break;
  case ENGINE_WHATIF_EXTRA_PART: {
    ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, w->employee);
    g_assert_cmpint(emp->max_parts_per_week, ==, w->from);
    g_assert_cmpint(w->to, ==, w->from + 1);
    g_assert_cmpint(w->week, ==, model_date_iso_week(u->slot.date));
    emp->max_parts_per_week = w->to;
    break;
  }
  case ENGINE_WHATIF_YIELD: {
    const ModelRequest *other = &g_array_index(ds->requests, ModelRequest, w->request);
    g_assert_cmpint(other->priority, <, req->priority);
    give_up_slot(ds, (guint)w->request, u->slot);
    break;
  }
  }
  model_dataset_index(ds);
}

/* Verifies the what-if of `u` (from `result`, a round on make(seed)) with a whole
 * round on the relaxed dataset; returns whether that round filled the slot itself.
 * `strict` when the data is one week: the dataset's limits are not per week, so with
 * more weeks a relaxation reaches beyond the slot's week and may tip ties there. */
static gboolean verify(MakeFunc make, guint32 seed, const EngineResult *result,
                       const EngineUnfilled *u, gboolean strict) {
  g_autoptr(ModelDataset) relaxed = make(seed);
  apply(relaxed, u);
  g_autoptr(EngineResult) again = tb_run(relaxed, TRUE, NULL);
  assert_no_violation(relaxed, again->proposals);
  gboolean filled = staff_at(again, u->request, u->slot) > staff_at(result, u->request, u->slot);
  if (!u->whatif.whole || !strict) {
    /* A plan fills the slot: the relaxed round fills at least as much. */
    gint64 before = weighted(result), after = weighted(again);
    const ModelRequest *req = &g_array_index(relaxed->requests, ModelRequest, u->request);
    gint64 gain = req->priority == MODEL_PRIORITY_HIGH ? 2 : 1;
    if (u->whatif.kind == ENGINE_WHATIF_YIELD)
      gain -= staff_at(result, (guint)u->whatif.request, u->slot);
    g_assert_cmpint(after, >=, before + gain);
    return filled;
  }
  g_assert_true(filled);
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    gboolean yields = u->whatif.kind == ENGINE_WHATIF_YIELD &&
                      p->request == (guint)u->whatif.request &&
                      model_slot_compare(&p->slot, &u->slot) == 0;
    if (!yields)
      g_assert_cmpint(staff_at(again, p->request, p->slot), >=,
                      staff_at(result, p->request, p->slot));
  }
  return TRUE;
}

/* ---- one case per kind ------------------------------------------------------ */

/* School s1 at the centre of d1, s2 8 km north in d3; employees `km` north of s1. */
static ModelDataset *two_schools(void) {
  ModelDataset *ds = tb_new();
  tb_school(ds, "s1", "d1", TB_LAT, TB_LON);
  tb_school(ds, "s2", "d3", TB_LAT + 8 * KM_LAT, TB_LON);
  return ds;
}

/* two_schools() with the requests, employees and assignments of `text` (tb_city()),
 * finished. */
static ModelDataset *city(const char *text) {
  ModelDataset *ds = two_schools();
  tb_city(ds, text);
  tb_finish(ds);
  return ds;
}

static guint north(ModelDataset *ds, const char *id, double km, ModelQualSet quals, gint32 week,
                   gint32 max_km) {
  guint e = tb_employee(ds, id, "d1", TB_LAT + km * KM_LAT, TB_LON, quals, week, max_km);
  tb_available(ds, e, TB_MON, AM);
  return e;
}

/* r1 (limit 10) is open; e1 at 13.5 km (limit 20) comes if r1's limit were 14, e2 at
 * 7.5 km if its own limit of 2 were 8 (6 km more), e3 at 16.2 km at 17. */
static ModelDataset *make_travel_request(guint32 seed) {
  (void)seed;
  return city("request r1 s1 1 normal - - 10 2020-04-13/morning\n"
              "employee e1 d1 13.5km vog 5 20 2020-04-13/morning\n"
              "employee e2 d1 7.5km vog 5 2 2020-04-13/morning\n"
              "employee e3 d1 16.2km vog 5 30 2020-04-13/morning");
}

/* r1 (limit 15) is open; e1 at 12.4 km comes if its limit of 10 were 13, e4 at 14.6 km
 * if it were 15. */
static ModelDataset *make_travel_employee(guint32 seed) {
  (void)seed;
  return city("request r1 s1 1 normal - - 15 2020-04-13/morning\n"
              "employee e4 d1 14.6km vog 5 10 2020-04-13/morning\n"
              "employee e1 d1 12.4km vog 5 10 2020-04-13/morning");
}

/* r1 requires pm and first-aid; e1 lacks pm, e2 lacks first-aid: either tag made
 * preferred fills it, and "first-aid" comes first by name. */
static ModelDataset *make_preferred(guint32 seed) {
  (void)seed;
  return city("request r1 s1 1 normal pm+first-aid - 10 2020-04-13/morning\n"
              "employee e1 d1 2km vog+first-aid 5 10 2020-04-13/morning\n"
              "employee e2 d1 3km vog+pm 5 10 2020-04-13/morning");
}

/* e1 works one day part a week and is the only one for r1 (Monday morning) and r2
 * (Monday afternoon). */
static ModelDataset *make_extra_part(guint32 seed) {
  (void)seed;
  return city("request r1 s1 1 normal - - 10 2020-04-13/morning\n"
              "request r2 s1 1 normal - - 10 2020-04-13/afternoon\n"
              "employee e1 d1 2km vog 1 10 2020-04-13/morning 2020-04-13/afternoon");
}

/* rb (high, at s2) is open; e1, 4 km from both schools, is approved for ra (normal, at
 * s1) that morning; e2 is approved for rc (normal) but too far from s2; e3 is approved
 * for rd, which is high priority itself. */
static ModelDataset *make_yield(guint32 seed) {
  (void)seed;
  return city("request ra s1 1 normal - - 10 2020-04-13/morning 2020-04-14/morning\n"
              "request rb s2 1 high - - 10 2020-04-13/morning\n"
              "request rc s1 1 normal - - 10 2020-04-13/morning\n"
              "request rd s1 1 high - - 10 2020-04-13/morning\n"
              "employee e1 d1 4km vog 5 10 2020-04-13/morning\n"
              "employee e2 d1 -5km vog 5 10 2020-04-13/morning\n"
              "employee e3 d1 5km vog 5 10 2020-04-13/morning\n"
              "approved ra/e1/2020-04-13/morning\n"
              "approved rc/e2/2020-04-13/morning\n"
              "approved rd/e3/2020-04-13/morning");
}

/* The round on make(0), its one open entry for `request` on Monday `part`. */
static EngineResult *run_open(MakeFunc make, ModelDataset **out_ds, const char *request,
                              ModelPart part, const EngineUnfilled **out_u) {
  *out_ds = make(0);
  EngineResult *result = tb_run(*out_ds, TRUE, NULL);
  *out_u = tb_find_unfilled(*out_ds, result, request, TB_MON, part);
  g_assert_nonnull(*out_u);
  g_assert_cmpint((*out_u)->whatif.outcome, ==, ENGINE_WHATIF_FOUND);
  return result;
}

static void test_travel_request(void) {
  g_autoptr(ModelDataset) ds = NULL;
  const EngineUnfilled *u = NULL;
  g_autoptr(EngineResult) result = run_open(make_travel_request, &ds, "r1", AM, &u);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_TRAVEL);
  g_assert_cmpint(u->whatif.employee, ==, -1);
  g_assert_cmpint(u->whatif.request, ==, (gint)u->request);
  g_assert_cmpint(u->whatif.from, ==, 10);
  g_assert_cmpint(u->whatif.to, ==, 14);
  g_assert_cmpuint(u->whatif.tried, ==, 1);
  verify(make_travel_request, 0, result, u, TRUE);
}

static void test_travel_employee(void) {
  g_autoptr(ModelDataset) ds = NULL;
  const EngineUnfilled *u = NULL;
  g_autoptr(EngineResult) result = run_open(make_travel_employee, &ds, "r1", AM, &u);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_TRAVEL);
  g_assert_cmpstr(tb_employee_id(ds, (guint)u->whatif.employee), ==, "e1");
  g_assert_cmpint(u->whatif.from, ==, 10);
  g_assert_cmpint(u->whatif.to, ==, 13);
  verify(make_travel_employee, 0, result, u, TRUE);
}

static void test_preferred(void) {
  g_autoptr(ModelDataset) ds = NULL;
  const EngineUnfilled *u = NULL;
  g_autoptr(EngineResult) result = run_open(make_preferred, &ds, "r1", AM, &u);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_PREFERRED);
  g_assert_cmpint(u->whatif.qual, ==, MODEL_QUAL_FIRST_AID);
  verify(make_preferred, 0, result, u, TRUE);
}

static void test_extra_part(void) {
  g_autoptr(ModelDataset) ds = make_extra_part(0);
  g_autoptr(EngineResult) result = tb_run(ds, TRUE, NULL);
  g_assert_cmpuint(result->unfilled->len, ==, 1);
  const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, 0);
  g_assert_cmpint(u->whatif.outcome, ==, ENGINE_WHATIF_FOUND);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_EXTRA_PART);
  g_assert_cmpstr(tb_employee_id(ds, (guint)u->whatif.employee), ==, "e1");
  g_assert_cmpint(u->whatif.from, ==, 1);
  g_assert_cmpint(u->whatif.to, ==, 2);
  g_assert_cmpint(u->whatif.week, ==, 202016);
  verify(make_extra_part, 0, result, u, TRUE);
}

static void test_yield(void) {
  g_autoptr(ModelDataset) ds = NULL;
  const EngineUnfilled *u = NULL;
  g_autoptr(EngineResult) result = run_open(make_yield, &ds, "rb", AM, &u);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_YIELD);
  g_assert_cmpstr(tb_request_id(ds, (guint)u->whatif.request), ==, "ra");
  g_assert_cmpint(u->whatif.from, ==, 1);
  g_assert_cmpint(u->whatif.to, ==, 0);
  g_assert_cmpuint(u->whatif.tried, ==, 1);
  verify(make_yield, 0, result, u, TRUE);
  /* A normal request's open slot has nobody lower to yield. */
  const EngineUnfilled *ra = tb_find_unfilled(ds, result, "ra", TB_TUE, AM);
  g_assert_cmpint(ra->whatif.outcome, ==, ENGINE_WHATIF_NONE);
}

/* rA (s1, limit 5 km) and rB (s2, limit 2 km) need one each on Monday morning; e1
 * (1 km from s1) and e2 (3 km beyond s2) both work at l1, which lends `staff` - 1 of its
 * staff then.  e1 fills rA; rB's limit raised to 3 km would bring e2, but only where l1
 * can lend both. */
static ModelDataset *make_location_room(guint32 staff) {
  ModelDataset *ds = two_schools();
  guint ra = tb_request(ds, "ra", "s1", 1, MODEL_PRIORITY_NORMAL, 0, 0, 5);
  tb_slot(ds, ra, TB_MON, AM);
  guint rb = tb_request(ds, "rb", "s2", 1, MODEL_PRIORITY_NORMAL, 0, 0, 2);
  tb_slot(ds, rb, TB_MON, AM);
  guint l1 = tl_location(ds, "l1", "o1", TB_LAT + 4 * KM_LAT, TB_LON);
  tl_load(ds, l1, tb_at(TB_MON, AM), 10, (gint32)staff, -1);
  tl_works_at(ds, north(ds, "e1", 1, VOG, 5, 10), "l1");
  tl_works_at(ds, north(ds, "e2", 11, VOG, 5, 30), "l1");
  tb_finish(ds);
  return ds;
}

/* The re-solve around rB sees only rB and e2, but counts what l1 lends elsewhere (e1 to
 * rA): with one to lend, no relaxation fills rB; with two, the 3 km limit does. */
static void test_location_room(void) {
  g_autoptr(ModelDataset) ds = make_location_room(2);
  g_autoptr(EngineResult) result = tb_run(ds, TRUE, NULL);
  g_assert_cmpuint(result->proposals->len, ==, 1);
  const EngineUnfilled *u = tb_find_unfilled(ds, result, "rb", TB_MON, AM);
  g_assert_nonnull(u);
  g_assert_cmpint(u->whatif.outcome, ==, ENGINE_WHATIF_NONE);
  g_assert_cmpuint(u->whatif.tried, >, 0);

  g_autoptr(ModelDataset) roomy = make_location_room(3);
  g_autoptr(EngineResult) more = tb_run(roomy, TRUE, NULL);
  u = tb_find_unfilled(roomy, more, "rb", TB_MON, AM);
  g_assert_nonnull(u);
  g_assert_cmpint(u->whatif.outcome, ==, ENGINE_WHATIF_FOUND);
  g_assert_cmpint(u->whatif.kind, ==, ENGINE_WHATIF_TRAVEL);
  g_assert_cmpint(u->whatif.to, ==, 3);
  verify(make_location_room, 3, more, u, TRUE);
}

/* ---- no answer, budgets, determinism ------------------------------------------- */

/* r3 needs pm and special-needs and e1 has neither; e3 would come to r1 (high) if r1's
 * limit were 18 km, but only by leaving r2 (at s2), where it is the only one: a hole
 * moved, not filled. */
static ModelDataset *make_none(guint32 seed) {
  (void)seed;
  return city("request r1 s1 1 high - - 10 2020-04-13/morning\n"
              "request r3 s1 1 normal pm+special-needs - 10 2020-04-14/morning\n"
              "request r2 s2 1 normal - - 10 2020-04-13/morning\n"
              "employee e1 d1 0km vog 5 10 2020-04-14/morning\n"
              "employee e3 d1 17.5km vog 5 30 2020-04-13/morning");
}

static void test_none(void) {
  g_autoptr(ModelDataset) ds = make_none(0);
  g_autoptr(EngineResult) result = tb_run(ds, TRUE, NULL);
  const EngineUnfilled *r1 = tb_find_unfilled(ds, result, "r1", TB_MON, AM);
  g_assert_cmpint(r1->whatif.outcome, ==, ENGINE_WHATIF_NONE);
  /* No plan fills r1 and keeps r2: the search for one rules it out without a re-solve. */
  g_assert_cmpuint(r1->whatif.tried, ==, 0);
  const EngineUnfilled *r3 = tb_find_unfilled(ds, result, "r3", TB_TUE, AM);
  g_assert_cmpint(r3->whatif.outcome, ==, ENGINE_WHATIF_NONE);
  g_assert_cmpuint(r3->whatif.tried, ==, 0);
  g_assert_cmpuint(result->stats.whatif.none, ==, 2);
  g_assert_cmpuint(result->stats.whatif.found, ==, 0);
  g_assert_cmpuint(result->stats.whatif.solves, ==, 0);
  /* A whole round agrees: with r1's limit at 18 km r1 is filled and r2 is not. */
  g_autoptr(ModelDataset) relaxed = make_none(0);
  g_array_index(relaxed->requests, ModelRequest, 0).max_travel_km = 18;
  g_autoptr(EngineResult) again = tb_run(relaxed, TRUE, NULL);
  g_assert_cmpint(again->stats.filled, ==, result->stats.filled);
  g_assert_cmpint(staff_at(again, 0, tb_at(TB_MON, AM)), ==, 1);
  g_assert_cmpint(staff_at(again, 2, tb_at(TB_MON, AM)), ==, 0);
}

/* Two open slots, each with one relaxation: the high-priority one goes first. */
static ModelDataset *make_two(guint32 seed) {
  (void)seed;
  return city("request rn s1 1 normal - - 10 2020-04-13/morning\n"
              "request rh s1 1 high - - 10 2020-04-14/morning\n"
              "employee e1 d1 12.5km vog 5 20 2020-04-13/morning\n"
              "employee e2 d1 -12.5km vog 5 20 2020-04-14/morning");
}

static EngineResult *run_stopped(const ModelDataset *ds, gint64 ms, guint solves,
                                 const gint *stop) {
  EngineOptions options;
  engine_options_init(&options);
  options.whatif_ms = ms;
  options.whatif_solves = solves;
  options.stop = stop;
  g_autoptr(GError) error = NULL;
  EngineResult *result = engine_match_run(ds, &options, &error);
  g_assert_no_error(error);
  return result;
}

static EngineResult *run_with(const ModelDataset *ds, gint64 ms, guint solves) {
  return run_stopped(ds, ms, solves, NULL);
}

static void test_budget(void) {
  g_autoptr(ModelDataset) ds = make_two(0);
  g_autoptr(EngineResult) all = run_with(ds, 60000, 100);
  g_assert_cmpuint(all->stats.whatif.found, ==, 2);
  g_assert_cmpuint(all->stats.whatif.skipped, ==, 0);
  g_assert_false(all->stats.whatif.out_of_solves);
  /* A count budget of one: the high-priority slot gets it. */
  g_autoptr(EngineResult) one = run_with(ds, 60000, 1);
  g_assert_cmpint(tb_find_unfilled(ds, one, "rh", TB_TUE, AM)->whatif.outcome, ==,
                  ENGINE_WHATIF_FOUND);
  g_assert_cmpint(tb_find_unfilled(ds, one, "rn", TB_MON, AM)->whatif.outcome, ==,
                  ENGINE_WHATIF_SKIPPED);
  g_assert_cmpuint(one->stats.whatif.found, ==, 1);
  g_assert_cmpuint(one->stats.whatif.skipped, ==, 1);
  g_assert_cmpuint(one->stats.whatif.solves, ==, 1);
  g_assert_true(one->stats.whatif.out_of_solves);
  /* A budget of 0, of either kind, yields none, every slot reported as skipped. */
  for (int k = 0; k < 2; k++) {
    g_autoptr(EngineResult) none = k == 0 ? run_with(ds, 60000, 0) : run_with(ds, 0, 100);
    g_assert_cmpuint(none->stats.whatif.found, ==, 0);
    g_assert_cmpuint(none->stats.whatif.skipped, ==, 2);
    g_assert_cmpuint(none->stats.whatif.solves, ==, 0);
    g_assert_true(k == 0 ? none->stats.whatif.out_of_solves : none->stats.whatif.out_of_time);
    for (guint i = 0; i < none->unfilled->len; i++)
      g_assert_cmpint(g_array_index(none->unfilled, EngineUnfilled, i).whatif.outcome, ==,
                      ENGINE_WHATIF_SKIPPED);
    /* The round itself is the same. */
    g_autofree char *a = tb_proposals_text(ds, all->proposals, FALSE);
    g_autofree char *b = tb_proposals_text(ds, none->proposals, FALSE);
    g_assert_cmpstr(a, ==, b);
  }
}

/* A stop flag, as a stopping server sets it: unset, the what-ifs run as without one;
 * set, none is computed, every slot is skipped and the stats say why, and the plan
 * is the same. */
static void test_stop(void) {
  g_autoptr(ModelDataset) ds = make_two(0);
  gint stop = 0;
  g_autoptr(EngineResult) running = run_stopped(ds, 60000, 100, &stop);
  g_assert_cmpuint(running->stats.whatif.found, ==, 2);
  g_assert_false(running->stats.whatif.stopped);
  g_atomic_int_set(&stop, 1);
  g_autoptr(EngineResult) stopped = run_stopped(ds, 60000, 100, &stop);
  g_assert_true(stopped->stats.whatif.stopped);
  g_assert_false(stopped->stats.whatif.out_of_time || stopped->stats.whatif.out_of_solves);
  g_assert_cmpuint(stopped->stats.whatif.found, ==, 0);
  g_assert_cmpuint(stopped->stats.whatif.skipped, ==, 2);
  g_assert_cmpuint(stopped->stats.whatif.solves, ==, 0);
  g_autofree char *a = tb_proposals_text(ds, running->proposals, FALSE);
  g_autofree char *b = tb_proposals_text(ds, stopped->proposals, FALSE);
  g_assert_cmpstr(a, ==, b);
}

/* ---- random datasets -------------------------------------------------------------- */

/* Days of one ISO week, then of the next: a seed from TWO_WEEKS on takes both, so
 * that a pair chosen in one week's component is known to the next one's. */
static const ModelDate DAYS[] = {TB_MON, TB_TUE, TB_WED, TB_NEXT_MON, TB_NEXT_MON + 1};
#define TWO_WEEKS 1000
#define N_DAYS(seed) ((seed) >= TWO_WEEKS ? G_N_ELEMENTS(DAYS) : 3)

/* A week or two of a small town with scarce staff: schools, employees with random places,
 * qualifications, limits and day parts, requests of both priorities, and some
 * approvals (at most one per employee and day part). */
static ModelDataset *make_random(guint32 seed) {
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  ModelDataset *ds = tb_new();
  static const char *const districts[] = {"d1", "d2", "d3"};
  for (int s = 0; s < 4; s++) {
    g_autofree char *id = g_strdup_printf("s%d", s);
    tb_school(ds, id, districts[s % 3], TB_LAT + g_rand_double_range(rand, -0.1, 0.1),
              TB_LON + g_rand_double_range(rand, -0.15, 0.15));
  }
  int n_e = g_rand_int_range(rand, 3, 9);
  for (int e = 0; e < n_e; e++) {
    g_autofree char *id = g_strdup_printf("e%d", e);
    ModelQualSet q = VOG;
    q |= g_rand_int_range(rand, 0, 2) ? PM : 0;
    q |= g_rand_int_range(rand, 0, 2) ? FIRST_AID : 0;
    guint i = tb_employee(ds, id, districts[e % 3], TB_LAT + g_rand_double_range(rand, -0.1, 0.1),
                          TB_LON + g_rand_double_range(rand, -0.15, 0.15), q,
                          g_rand_int_range(rand, 1, 4), g_rand_int_range(rand, 3, 16));
    for (guint d = 0; d < N_DAYS(seed); d++)
      for (int p = 0; p < 2; p++)
        if (g_rand_int_range(rand, 0, 100) < 50)
          tb_available(ds, i, DAYS[d], (ModelPart)p);
  }
  int n_r = g_rand_int_range(rand, 2, 7);
  for (int r = 0; r < n_r; r++) {
    g_autofree char *id = g_strdup_printf("r%d", r);
    g_autofree char *school = g_strdup_printf("s%d", g_rand_int_range(rand, 0, 4));
    ModelQualSet req = g_rand_int_range(rand, 0, 100) < 30 ? PM : 0;
    guint i =
        tb_request(ds, id, school, g_rand_int_range(rand, 1, 3),
                   g_rand_int_range(rand, 0, 2) ? MODEL_PRIORITY_HIGH : MODEL_PRIORITY_NORMAL, req,
                   g_rand_int_range(rand, 0, 2) ? FIRST_AID : 0, g_rand_int_range(rand, 3, 12));
    for (guint d = 0; d < N_DAYS(seed); d++)
      for (int p = 0; p < 2; p++)
        if (g_rand_int_range(rand, 0, 100) < 40)
          tb_slot(ds, i, DAYS[d], (ModelPart)p);
    if (g_array_index(ds->requests, ModelRequest, i).slots->len == 0)
      tb_slot(ds, i, TB_MON, AM);
  }
  /* Approvals: a normal request's first slot, by an employee free then. */
  for (int r = 0; r < n_r; r++) {
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, r);
    const ModelSlotRule *rule = &g_array_index(req->slots, ModelSlotRule, 0);
    ModelSlot slot = {rule->from, rule->parts == 1 ? MODEL_PART_MORNING : MODEL_PART_AFTERNOON};
    int e = g_rand_int_range(rand, 0, n_e);
    gboolean taken = FALSE;
    for (guint a = 0; a < ds->assignments->len; a++) {
      const ModelAssignment *as = &g_array_index(ds->assignments, ModelAssignment, a);
      taken |= strcmp(as->employee_id, tb_employee_id(ds, (guint)e)) == 0 &&
               model_slot_compare(&as->slot, &slot) == 0;
    }
    if (!taken && req->priority == MODEL_PRIORITY_NORMAL && g_rand_int_range(rand, 0, 100) < 60)
      tb_assignment(ds->assignments, NULL, req->id, tb_employee_id(ds, (guint)e), slot.date,
                    slot.part, MODEL_ASSIGNMENT_APPROVED, NULL);
  }
  tb_finish(ds);
  return ds;
}

/* How the random what-ifs are run: the neighbourhood re-solved (0: the default, whole
 * components here; else so small that the edge is fixed) and the first seed. */
typedef struct {
  guint neighbourhood;
  guint32 first_seed;
} RandomCase;

/* Every what-if found on random datasets holds up in a whole round; the kinds found
 * are counted so that the test shows it covers them. */
static void test_random(gconstpointer data) {
  const RandomCase *rc = data;
  guint found[ENGINE_WHATIF_N_KINDS] = {0}, none = 0, partial = 0, exact = 0, total = 0;
  for (guint32 seed = rc->first_seed; seed < rc->first_seed + 200; seed++) {
    g_autoptr(ModelDataset) ds = make_random(seed);
    EngineOptions options;
    engine_options_init(&options);
    if (rc->neighbourhood > 0) {
      options.whatif_whole = 0;
      options.whatif_neighbourhood = rc->neighbourhood;
    }
    g_autoptr(GError) error = NULL;
    g_autoptr(EngineResult) result = engine_match_run(ds, &options, &error);
    g_assert_no_error(error);
    for (guint i = 0; i < result->unfilled->len; i++) {
      const EngineUnfilled *u = &g_array_index(result->unfilled, EngineUnfilled, i);
      g_assert_cmpint(u->whatif.outcome, !=, ENGINE_WHATIF_SKIPPED);
      if (u->whatif.outcome == ENGINE_WHATIF_NONE) {
        none++;
        continue;
      }
      g_test_message("seed %u: %s", seed, engine_whatif_kind_name(u->whatif.kind));
      found[u->whatif.kind]++;
      partial += !u->whatif.whole;
      exact += verify(make_random, seed, result, u, seed < TWO_WEEKS);
      total++;
    }
  }
  for (int k = 0; k < ENGINE_WHATIF_N_KINDS; k++) {
    g_test_message("%s: %u found", engine_whatif_kind_name((EngineWhatifKind)k), found[k]);
    g_assert_cmpuint(found[k], >, 0);
  }
  g_assert_cmpuint(none, >, 0);
  /* The default takes in whole components here; the small one mostly does not. */
  g_test_message("%u of them on a neighbourhood; a round filled the slot itself in %u of %u",
                 partial, exact, total);
  if (rc->neighbourhood == 0)
    g_assert_cmpuint(partial, ==, 0);
  else
    g_assert_cmpuint(partial, >, 0);
  /* Over two weeks a limit relaxed in the dataset reaches the other week too, and may
   * tip a tie there; the slot itself is still filled nearly always. */
  g_assert_cmpuint(exact * 100, >=, total * 95);
}

/* Same data, same what-ifs, also with the dataset's arrays in another order. */
static void test_determinism(void) {
  for (guint32 seed = 1; seed <= 25; seed++) {
    g_autoptr(ModelDataset) ds = make_random(seed);
    g_autoptr(EngineResult) a = tb_run(ds, TRUE, NULL);
    g_autoptr(EngineResult) b = tb_run(ds, TRUE, NULL);
    g_autoptr(ModelDataset) rev = make_random(seed);
    for (guint i = 0, j = rev->employees->len - 1; i < j; i++, j--) {
      ModelEmployee t = g_array_index(rev->employees, ModelEmployee, i);
      g_array_index(rev->employees, ModelEmployee, i) =
          g_array_index(rev->employees, ModelEmployee, j);
      g_array_index(rev->employees, ModelEmployee, j) = t;
    }
    model_dataset_index(rev);
    g_autoptr(EngineResult) c = tb_run(rev, TRUE, NULL);
    g_assert_cmpuint(a->unfilled->len, ==, c->unfilled->len);
    for (guint i = 0; i < a->unfilled->len; i++) {
      const EngineWhatif *x = &g_array_index(a->unfilled, EngineUnfilled, i).whatif;
      const EngineWhatif *y = &g_array_index(b->unfilled, EngineUnfilled, i).whatif;
      const EngineWhatif *z = &g_array_index(c->unfilled, EngineUnfilled, i).whatif;
      g_assert_cmpmem(x, sizeof *x, y, sizeof *y);
      g_assert_cmpint(x->outcome, ==, z->outcome);
      g_assert_cmpint(x->kind, ==, z->kind);
      g_assert_cmpint(x->from, ==, z->from);
      g_assert_cmpint(x->to, ==, z->to);
      g_assert_cmpuint(x->tried, ==, z->tried);
      if (x->outcome == ENGINE_WHATIF_FOUND && x->employee >= 0)
        g_assert_cmpstr(tb_employee_id(ds, (guint)x->employee), ==,
                        tb_employee_id(rev, (guint)z->employee));
    }
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/whatif/travel/request", test_travel_request);
  g_test_add_func("/whatif/travel/employee", test_travel_employee);
  g_test_add_func("/whatif/preferred", test_preferred);
  g_test_add_func("/whatif/extra-day-part", test_extra_part);
  g_test_add_func("/whatif/yield", test_yield);
  g_test_add_func("/whatif/location-room", test_location_room);
  g_test_add_func("/whatif/none", test_none);
  g_test_add_func("/whatif/budget", test_budget);
  g_test_add_func("/whatif/stop", test_stop);
  static const RandomCase whole = {0, 1}, neighbourhood = {3, 1}, weeks = {0, TWO_WEEKS};
  g_test_add_data_func("/whatif/random/whole", &whole, test_random);
  g_test_add_data_func("/whatif/random/neighbourhood", &neighbourhood, test_random);
  g_test_add_data_func("/whatif/random/two-weeks", &weeks, test_random);
  g_test_add_func("/whatif/determinism", test_determinism);
  return g_test_run();
}
