/* alternatives.c: who else could take one staff-slot now, cheapest first.  A proposal
 * waits for the coordinator; its alternatives are the employees who pass the round's
 * feasibility predicate (model_feasible(), from the facts of a candidate-free snapshot)
 * in that day part and are free of every commitment the store holds then: no approved
 * or waiting assignment in the day part, room in the ISO week and at their location
 * (H4, H7) counting approved and waiting ones alike.  They are ranked by the round's
 * own cost of the pair (engine_snapshot_make_pair(), plus the continuity charge unless
 * the employee already works for the request), then by employee id.  Invariant: the
 * proposal being replaced neither counts as a commitment nor offers its employee.
 */
#include <stdlib.h>

#include "match-private.h"

/* Waiting proposals (status proposed) other than the one replaced, per employee. */
typedef struct {
  gboolean *busy;       /* a waiting proposal in the slot's day part */
  gint32 *in_week;      /* waiting proposals in the slot's ISO week */
  gboolean *on_request; /* a waiting proposal for the same request */
  gint32 *at_location;  /* per location: waiting proposals of its employees in the day part */
} Waiting;

static void waiting_clear(Waiting *w) {
  g_free(w->busy);
  g_free(w->in_week);
  g_free(w->on_request);
  g_free(w->at_location);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Waiting, waiting_clear)

static void count_waiting(const EngineSnapshot *snap, guint request, ModelSlot slot, gint replacing,
                          Waiting *w) {
  const ModelDataset *ds = snap->dataset;
  w->busy = g_new0(gboolean, snap->n_employees + 1);
  w->in_week = g_new0(gint32, snap->n_employees + 1);
  w->on_request = g_new0(gboolean, snap->n_employees + 1);
  w->at_location = g_new0(gint32, ds->locations->len + 1);
  gint32 week = model_date_iso_week(slot.date);
  for (guint i = 0; i < ds->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(ds->assignments, ModelAssignment, i);
    if ((gint)i == replacing || a->status != MODEL_ASSIGNMENT_PROPOSED)
      continue;
    gint e = model_dataset_find_employee(ds, a->employee_id);
    gint r = model_dataset_find_request(ds, a->request_id);
    if (e < 0 || r < 0)
      continue;
    if ((guint)r == request)
      w->on_request[e] = TRUE;
    if (model_date_iso_week(a->slot.date) == week)
      w->in_week[e]++;
    if (model_slot_compare(&a->slot, &slot) != 0)
      continue;
    w->busy[e] = TRUE;
    if (snap->location_of_employee[e] >= 0)
      w->at_location[snap->location_of_employee[e]]++;
  }
}

/* Whether employee `e` (dataset index) may take `slot` of `request` now, and if so the
 * alternative into *out.  `school` is the request's. */
static gboolean consider(const EngineSnapshot *snap, const Waiting *w, guint request,
                         const ModelSchool *school, ModelSlot slot, guint e,
                         EngineAlternative *out) {
  const ModelDataset *ds = snap->dataset;
  const ModelEmployee *emp = &g_array_index(ds->employees, ModelEmployee, e);
  gint es = engine_snapshot_find_eslot(snap, e, slot);
  /* No free slot: inactive, without a VOG, not available or approved elsewhere then. */
  if (es < 0 || w->busy[e] || engine_options_stale(&snap->options, emp))
    return FALSE;
  gint64 distance_m = snap->located[e] ? model_distance_m(snap->emp_lat[e], snap->emp_lon[e],
                                                          school->lat, school->lon)
                                       : -1;
  if (distance_m > G_MAXINT32)
    return FALSE;
  ModelPairFacts facts;
  engine_snapshot_pair_facts(snap, request, e, distance_m, &facts);
  ModelSlotFacts at = engine_snapshot_slot_facts(snap, request, e, slot);
  if (model_feasible(&facts, &at) != MODEL_FEASIBLE)
    return FALSE;
  const EngineEslot *eslot = &g_array_index(snap->eslots, EngineEslot, es);
  if (g_array_index(snap->eweeks, EngineEweek, eslot->eweek).remaining - w->in_week[e] <= 0)
    return FALSE; /* H4, waiting proposals counted */
  if (eslot->lslot != ENGINE_NO_LSLOT) {
    const EngineLslot *ls = &g_array_index(snap->lslots, EngineLslot, eslot->lslot);
    if ((gint64)ls->room - w->at_location[ls->location] <= 0)
      return FALSE; /* H7, waiting proposals counted */
  }
  EnginePair pair = engine_snapshot_make_pair(
      snap, e, request, &g_array_index(ds->requests, ModelRequest, request), distance_m);
  gboolean known = pair.approved_here > 0 || w->on_request[e];
  *out = (EngineAlternative){
      .employee = e,
      .travel_m = pair.travel_m,
      .cost_m = (gint64)pair.cost + (known ? 0 : snap->options.continuity_m),
      .preferred_met = pair.preferred_met,
      .why = pair.why | (known ? ENGINE_WHY_CONTINUITY : 0),
  };
  return TRUE;
}

static int compare_alternatives(const void *a, const void *b, void *user) {
  const EngineSnapshot *snap = user;
  const EngineAlternative *x = a, *y = b;
  if (x->cost_m != y->cost_m)
    return x->cost_m < y->cost_m ? -1 : 1;
  guint rx = snap->employee_rank[x->employee], ry = snap->employee_rank[y->employee];
  return (rx > ry) - (rx < ry);
}

GArray *engine_alternatives(const ModelDataset *dataset, const EngineOptions *options,
                            guint request, ModelSlot slot, gint replacing, guint limit,
                            GError **error) {
  g_return_val_if_fail(dataset != NULL && options != NULL, NULL);
  g_return_val_if_fail(request < dataset->requests->len, NULL);
  g_return_val_if_fail(replacing < (gint)dataset->assignments->len, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);
  g_autoptr(EngineSnapshot) snap = engine_snapshot_new_facts(dataset, options, error);
  if (snap == NULL)
    return NULL;
  GArray *found = g_array_new(FALSE, FALSE, sizeof(EngineAlternative));
  gint s = snap->school_of_request[request];
  if (s < 0 || limit == 0)
    return found;
  const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool, s);
  gint replaced = -1;
  if (replacing >= 0)
    replaced = model_dataset_find_employee(
        dataset, g_array_index(dataset->assignments, ModelAssignment, replacing).employee_id);
  g_auto(Waiting) waiting = {0};
  count_waiting(snap, request, slot, replacing, &waiting);
  for (guint e = 0; e < snap->n_employees; e++) {
    EngineAlternative alternative;
    if ((gint)e != replaced && consider(snap, &waiting, request, school, slot, e, &alternative))
      g_array_append_val(found, alternative);
  }
  if (found->len > 1)
    g_qsort_with_data(found->data, (gint)found->len, sizeof(EngineAlternative),
                      compare_alternatives, snap);
  if (found->len > limit)
    g_array_set_size(found, limit);
  return found;
}
