/* explain.c: why a request slot stays open.  For every request slot with staff
 * missing after the round, the funnel of employees that could have come: available,
 * confirmed recently enough (not stale), qualified, in range, not rejected, not cancelled
 * there, left over, and of those the ones their location can spare (H7); and the
 * requests that took the rest.  The stages follow the order of model_feasible(), which
 * decides each employee, so each is a subset of the one before; at an optimum
 * `lendable` is 0, since a lendable employee would give an augmenting path.
 */
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define UNSET G_MAXUINT
#define N_QUAL_SETS (1u << MODEL_N_QUALS)

G_STATIC_ASSERT(MODEL_N_QUALS <= 8);

static int compare_i64(const void *a, const void *b) {
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return (x > y) - (x < y);
}

static int compare_uint(const void *a, const void *b) {
  guint x = *(const guint *)a, y = *(const guint *)b;
  return (x > y) - (x < y);
}

/* Free slots per day part, qualification set and staleness: available, confirmed and
 * qualified are counted without looking at every employee. */
typedef struct {
  gint64 *keys; /* sorted distinct slot keys */
  guint n_keys;
  guint32 *counts; /* n_keys * 2 * N_QUAL_SETS: confirmed sets first, then stale ones */
} SlotCounts;

static void slot_counts_init(SlotCounts *sc, const EngineSnapshot *snap) {
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  guint n = snap->eslots->len;
  sc->keys = g_new(gint64, n + 1);
  for (guint i = 0; i < n; i++)
    sc->keys[i] = model_slot_key(es[i].slot);
  qsort(sc->keys, n, sizeof(gint64), compare_i64);
  guint m = 0;
  for (guint i = 0; i < n; i++)
    if (m == 0 || sc->keys[m - 1] != sc->keys[i])
      sc->keys[m++] = sc->keys[i];
  sc->n_keys = m;
  sc->counts = g_new0(guint32, (gsize)m * 2 * N_QUAL_SETS + 1);
  for (guint i = 0; i < n; i++) {
    gint64 key = model_slot_key(es[i].slot);
    gint64 *at = bsearch(&key, sc->keys, m, sizeof(gint64), compare_i64);
    g_assert(at != NULL);
    const ModelEmployee *emp =
        &g_array_index(snap->dataset->employees, ModelEmployee, es[i].employee);
    guint set = (emp->quals & (N_QUAL_SETS - 1)) +
                (engine_options_stale(&snap->options, emp) ? N_QUAL_SETS : 0);
    sc->counts[(gsize)(at - sc->keys) * 2 * N_QUAL_SETS + set]++;
  }
}

static void slot_counts_clear(SlotCounts *sc) {
  g_clear_pointer(&sc->keys, g_free);
  g_clear_pointer(&sc->counts, g_free);
}

/* Employees free in `slot`, those of them not stale, and those holding `required`. */
static void slot_counts_get(const SlotCounts *sc, ModelSlot slot, ModelQualSet required,
                            EngineUnfilled *u) {
  u->available = u->confirmed = u->qualified = 0;
  gint64 key = model_slot_key(slot);
  gint64 *at =
      sc->n_keys > 0 ? bsearch(&key, sc->keys, sc->n_keys, sizeof(gint64), compare_i64) : NULL;
  if (at == NULL)
    return;
  const guint32 *c = sc->counts + (gsize)(at - sc->keys) * 2 * N_QUAL_SETS;
  for (guint m = 0; m < N_QUAL_SETS; m++) {
    u->available += c[m] + c[N_QUAL_SETS + m];
    u->confirmed += c[m];
    if ((m & required) == (required & (N_QUAL_SETS - 1)))
      u->qualified += c[m];
  }
}

GArray *engine_explain(const EngineSnapshot *snap, const guint8 *chosen) {
  const ModelDataset *ds = snap->dataset;
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineRslot *rs = (const EngineRslot *)snap->rslots->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  const EngineEweek *ew = (const EngineEweek *)snap->eweeks->data;
  guint n_rs = snap->rslots->len;
  g_autofree gint32 *filled = g_new0(gint32, n_rs + 1);
  g_autofree guint *es_taken = g_new(guint, snap->eslots->len + 1); /* rslot or UNSET */
  g_autofree gint32 *ew_used = g_new0(gint32, snap->eweeks->len + 1);
  g_autofree gint32 *ls_used = g_new0(gint32, snap->lslots->len + 1);
  for (guint i = 0; i < snap->eslots->len; i++)
    es_taken[i] = UNSET;
  for (guint i = 0; i < snap->cands->len; i++) {
    if (!chosen[i])
      continue;
    filled[cands[i].rslot]++;
    g_assert(es_taken[cands[i].eslot] == UNSET);
    es_taken[cands[i].eslot] = cands[i].rslot;
    ew_used[es[cands[i].eslot].eweek]++;
    if (es[cands[i].eslot].lslot != ENGINE_NO_LSLOT)
      ls_used[es[cands[i].eslot].lslot]++;
  }
  GArray *out = g_array_new(FALSE, TRUE, sizeof(EngineUnfilled));
  SlotCounts sc;
  slot_counts_init(&sc, snap);
  EngineGrid grid;
  engine_grid_init(&grid, snap->emp_lat, snap->emp_lon, snap->located, snap->n_employees);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  for (guint i = 0; i < n_rs; i++) {
    g_assert(filled[i] <= rs[i].need);
    if (filled[i] >= rs[i].need)
      continue;
    const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, rs[i].request);
    EngineUnfilled u = {
        .request = rs[i].request,
        .slot = rs[i].slot,
        .needed = rs[i].need,
        .missing = rs[i].need - filled[i],
        .taken_by = g_array_new(FALSE, FALSE, sizeof(guint)),
    };
    slot_counts_get(&sc, rs[i].slot, req->required, &u);
    gint school = snap->school_of_request[rs[i].request];
    if (school >= 0) {
      const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, school);
      gint64 limit = (gint64)req->max_travel_km * 1000;
      g_array_set_size(near, 0);
      engine_grid_query(&grid, sch->lat, sch->lon, limit, near);
      for (guint k = 0; k < near->len; k++) {
        guint e = g_array_index(near, guint, k);
        gint at = engine_snapshot_find_eslot(snap, e, rs[i].slot);
        if (at < 0)
          continue; /* not free in the slot: not counted as available either */
        if (engine_options_stale(&snap->options, &g_array_index(ds->employees, ModelEmployee, e)))
          continue; /* counted as available only */
        gint64 d = model_distance_m(snap->emp_lat[e], snap->emp_lon[e], sch->lat, sch->lon);
        ModelPairFacts facts;
        engine_snapshot_pair_facts(snap, rs[i].request, e, d, &facts);
        ModelSlotFacts slot = engine_snapshot_slot_facts(snap, rs[i].request, e, rs[i].slot);
        ModelFeasibility f = model_feasible(&facts, &slot);
        g_assert(f != MODEL_INFEASIBLE_UNAVAILABLE && f != MODEL_INFEASIBLE_REQUEST_CANCELLED);
        if (f == MODEL_INFEASIBLE_UNQUALIFIED || f == MODEL_INFEASIBLE_TOO_FAR)
          continue;
        u.in_range++;
        if (f == MODEL_INFEASIBLE_REJECTED)
          continue;
        u.not_rejected++;
        if (f == MODEL_INFEASIBLE_CANCELLED)
          continue;
        u.not_cancelled++;
        g_assert(f == MODEL_FEASIBLE);
        guint taken = es_taken[at];
        if (taken == UNSET) {
          if (ew_used[es[at].eweek] >= ew[es[at].eweek].remaining)
            continue;
          u.left++;
          guint ls = es[at].lslot;
          if (ls == ENGINE_NO_LSLOT ||
              ls_used[ls] < g_array_index(snap->lslots, EngineLslot, ls).room)
            u.lendable++;
        } else if (rs[taken].request != rs[i].request) {
          g_array_append_val(u.taken_by, rs[taken].request);
        }
      }
    }
    g_array_sort(u.taken_by, compare_uint);
    guint m = 0;
    for (guint k = 0; k < u.taken_by->len; k++)
      if (m == 0 || g_array_index(u.taken_by, guint, m - 1) != g_array_index(u.taken_by, guint, k))
        g_array_index(u.taken_by, guint, m++) = g_array_index(u.taken_by, guint, k);
    g_array_set_size(u.taken_by, m);
    g_array_append_val(out, u);
  }
  engine_grid_clear(&grid);
  slot_counts_clear(&sc);
  return out;
}
