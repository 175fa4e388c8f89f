/* whatif.c: for every request slot a round leaves open, the cheapest single relaxation
 * of the rules that would fill it (see EngineWhatif in match.h): the relaxations worth
 * a re-solve, cheapest first, each tried by whatif-resolve.c until one fills the slot.
 * Invariants: the round's snapshot and choice are never changed; slots are taken high
 * priority first, then in the order of `unfilled`, and a slot's relaxations in their
 * order, so the count budget cuts the same way every run (the time budget is a safety
 * net and may not).
 */
#include <stdlib.h>
#include <string.h>

#include "whatif-private.h"

#define UNSET ENGINE_WHATIF_UNSET
#define TRAVEL_MIN_EXTRA_KM 5
#define TRAVEL_MAX_KM 300 /* the largest limit model_dataset_check() accepts */
#define PARTS_MAX 14      /* ... and the largest weekly maximum */

const char *engine_whatif_kind_name(EngineWhatifKind kind) {
  static const char *const names[] = {
      [ENGINE_WHATIF_TRAVEL] = "travel",
      [ENGINE_WHATIF_PREFERRED] = "preferred",
      [ENGINE_WHATIF_EXTRA_PART] = "extra_day_part",
      [ENGINE_WHATIF_YIELD] = "yield",
  };
  g_return_val_if_fail((guint)kind < G_N_ELEMENTS(names), NULL);
  return names[kind];
}

const char *engine_whatif_outcome_name(EngineWhatifOutcome outcome) {
  static const char *const names[] = {
      [ENGINE_WHATIF_SKIPPED] = "skipped",
      [ENGINE_WHATIF_NONE] = "none",
      [ENGINE_WHATIF_FOUND] = "found",
  };
  g_return_val_if_fail((guint)outcome < G_N_ELEMENTS(names), NULL);
  return names[outcome];
}

/* The relaxation a travel limit of `km` may get: at most doubled, or 5 km more. */
gboolean engine_whatif_available(const ModelEmployee *emp, ModelSlot slot) {
  g_autoptr(GArray) slots = model_slot_rules_expand(emp->availability);
  if (slots->len == 0) /* bsearch may not take the NULL data of an empty array */
    return FALSE;
  return bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL;
}

static gint32 travel_cap(gint32 km) {
  return MIN(MAX(2 * km, km + TRAVEL_MIN_EXTRA_KM), TRAVEL_MAX_KM);
}

/* ---- the round's state ---------------------------------------------------- */

static int compare_rs_by_slot(const void *a, const void *b, void *user) {
  const EngineRslot *rs = user;
  guint x = *(const guint *)a, y = *(const guint *)b;
  gint64 kx = model_slot_key(rs[x].slot), ky = model_slot_key(rs[y].slot);
  if (kx != ky)
    return kx < ky ? -1 : 1;
  return (x > y) - (x < y);
}

static int compare_approved(const void *a, const void *b, void *user) {
  const EngineSnapshot *snap = user;
  const EngineApproved *x = a, *y = b;
  if (x->slot != y->slot)
    return x->slot < y->slot ? -1 : 1;
  guint rx = snap->request_rank[x->request], ry = snap->request_rank[y->request];
  if (rx != ry)
    return rx < ry ? -1 : 1;
  guint ex = snap->employee_rank[x->employee], ey = snap->employee_rank[y->employee];
  return (ex > ey) - (ex < ey);
}

static guint *unset_array(guint n) {
  guint *a = g_new(guint, n + 1);
  for (guint i = 0; i <= n; i++)
    a[i] = UNSET;
  return a;
}

void engine_whatif_run_init(EngineWhatifRun *w, const EngineSnapshot *snap, const guint8 *chosen) {
  const EngineCand *cands = (const EngineCand *)snap->cands->data;
  const EngineEslot *es = (const EngineEslot *)snap->eslots->data;
  guint n_es = snap->eslots->len, n_ew = snap->eweeks->len, n_rs = snap->rslots->len;
  w->snap = snap;
  w->chosen = chosen;
  w->es_taken = unset_array(n_es);
  w->ew_used = g_new0(gint32, n_ew + 1);
  w->ls_used = g_new0(gint32, snap->lslots->len + 1);
  w->filled = g_new0(gint32, n_rs + 1);
  w->ew_adj_start = g_new0(guint, n_ew + 2);
  w->rs_adj_start = g_new0(guint, n_rs + 2);
  guint n_cands = snap->cands->len;
  for (guint i = 0; i < n_cands; i++) {
    w->ew_adj_start[es[cands[i].eslot].eweek + 2]++;
    w->rs_adj_start[cands[i].rslot + 2]++;
    if (chosen[i]) {
      w->es_taken[cands[i].eslot] = cands[i].rslot;
      w->ew_used[es[cands[i].eslot].eweek]++;
      w->filled[cands[i].rslot]++;
      if (es[cands[i].eslot].lslot != ENGINE_NO_LSLOT)
        w->ls_used[es[cands[i].eslot].lslot]++;
    }
  }
  for (guint k = 0; k < n_ew; k++)
    w->ew_adj_start[k + 2] += w->ew_adj_start[k + 1];
  for (guint k = 0; k < n_rs; k++)
    w->rs_adj_start[k + 2] += w->rs_adj_start[k + 1];
  w->ew_comp = unset_array(n_ew);
  w->rs_comp = unset_array(n_rs);
  const guint *comp_start = (const guint *)snap->comp_start->data;
  for (guint c = 0; c + 1 < snap->comp_start->len; c++)
    for (guint i = comp_start[c]; i < comp_start[c + 1]; i++) {
      w->ew_comp[es[cands[i].eslot].eweek] = c;
      w->rs_comp[cands[i].rslot] = c;
    }
  guint n_pairs = snap->pairs->len;
  w->pair_start = g_new0(guint, n_pairs + 2);
  for (guint i = 0; i < n_cands; i++)
    w->pair_start[cands[i].pair + 2] += chosen[i];
  for (guint p = 0; p < n_pairs; p++)
    w->pair_start[p + 2] += w->pair_start[p + 1];
  w->pair_chosen = g_new(guint, w->pair_start[n_pairs + 1] + 1);
  for (guint i = 0; i < n_cands; i++)
    if (chosen[i])
      w->pair_chosen[w->pair_start[cands[i].pair + 1]++] = i;
  w->ew_adj = g_new(guint, n_cands + 1);
  w->rs_adj = g_new(guint, n_cands + 1);
  for (guint i = 0; i < n_cands; i++) {
    w->ew_adj[w->ew_adj_start[es[cands[i].eslot].eweek + 1]++] = i;
    w->rs_adj[w->rs_adj_start[cands[i].rslot + 1]++] = i;
  }
  w->rs_by_slot = g_new(guint, n_rs + 1);
  for (guint i = 0; i < n_rs; i++)
    w->rs_by_slot[i] = i;
  g_qsort_with_data(w->rs_by_slot, (gint)n_rs, sizeof(guint), compare_rs_by_slot,
                    snap->rslots->data);
  engine_grid_init(&w->grid, snap->emp_lat, snap->emp_lon, snap->located, snap->n_employees);
  w->es_map = unset_array(n_es);
  w->ew_map = unset_array(n_ew);
  w->rs_map = unset_array(n_rs);
  w->pair_map = unset_array(snap->pairs->len);
  w->ls_map = unset_array(snap->lslots->len);
  w->ew_in = unset_array(n_ew);
  w->rs_in = unset_array(n_rs);
  w->ew_fixed = g_new0(gint32, n_ew + 1);
  w->rs_fixed = g_new0(gint32, n_rs + 1);
  w->es_blocked = g_new0(gboolean, n_es + 1);
  w->rs_parent = unset_array(n_rs);
  w->approved = g_array_new(FALSE, FALSE, sizeof(EngineApproved));
  w->released = g_array_new(FALSE, FALSE, sizeof(EngineReleased));
  const ModelDataset *ds = snap->dataset;
  for (guint i = 0; i < ds->assignments->len; i++) {
    const ModelAssignment *as = &g_array_index(ds->assignments, ModelAssignment, i);
    gint r = model_dataset_find_request(ds, as->request_id);
    gint e = model_dataset_find_employee(ds, as->employee_id);
    if (as->status == MODEL_ASSIGNMENT_APPROVED && r >= 0 && e >= 0) {
      EngineApproved a = {model_slot_key(as->slot), (guint)r, (guint)e};
      g_array_append_val(w->approved, a);
    }
  }
  g_array_sort_with_data(w->approved, compare_approved, (gpointer)snap);
}

void engine_whatif_run_clear(EngineWhatifRun *w) {
  g_free(w->pair_start);
  g_free(w->pair_chosen);
  g_free(w->ew_comp);
  g_free(w->rs_comp);
  g_free(w->ew_adj_start);
  g_free(w->ew_adj);
  g_free(w->rs_adj_start);
  g_free(w->rs_adj);
  g_free(w->es_taken);
  g_free(w->ew_used);
  g_free(w->ls_used);
  g_free(w->filled);
  g_free(w->rs_by_slot);
  engine_grid_clear(&w->grid);
  g_free(w->es_map);
  g_free(w->ew_map);
  g_free(w->rs_map);
  g_free(w->pair_map);
  g_free(w->ls_map);
  g_free(w->ew_in);
  g_free(w->rs_in);
  g_free(w->ew_fixed);
  g_free(w->rs_fixed);
  g_free(w->es_blocked);
  g_free(w->rs_parent);
  g_array_unref(w->approved);
  g_array_unref(w->released);
}

/* ---- the relaxations of one slot ------------------------------------------- */

static int compare_relax(const void *a, const void *b) {
  const EngineRelax *x = a, *y = b;
  if (x->what.kind != y->what.kind)
    return x->what.kind < y->what.kind ? -1 : 1;
  if (x->change != y->change)
    return x->change < y->change ? -1 : 1;
  return strcmp(x->id, y->id);
}

static void add_relax(GArray *out, EngineWhatifKind kind, gint employee, gint request, gint32 from,
                      gint32 to, gint32 change, const char *id) {
  EngineRelax x = {.what = {.outcome = ENGINE_WHATIF_FOUND,
                            .kind = kind,
                            .employee = employee,
                            .request = request,
                            .from = from,
                            .to = to},
                   .eweek = UNSET,
                   .drop = UNSET,
                   .change = change,
                   .id = id};
  g_array_append_val(out, x);
}

/* What the funnel of employee `e`, free at the open slot `u` of request slot `t` at
 * distance d, says a relaxation could do. */
static void relaxations_of(const EngineWhatifRun *w, const EngineUnfilled *u, guint e, guint at,
                           gint64 d, GArray *out, GArray *request_km, gboolean *qual_helps) {
  const EngineSnapshot *snap = w->snap;
  const ModelEmployee *emp = &g_array_index(snap->dataset->employees, ModelEmployee, e);
  const EngineEslot *es = &g_array_index(snap->eslots, EngineEslot, at);
  gint32 rem = g_array_index(snap->eweeks, EngineEweek, es->eweek).remaining;
  ModelPairFacts f;
  engine_whatif_relaxed_facts(w, NULL, u->request, e, d, &f);
  ModelSlotFacts sf = engine_snapshot_slot_facts(snap, u->request, e, u->slot);
  ModelFeasibility before = model_feasible(&f, &sf);
  if (before == MODEL_FEASIBLE) {
    /* Free in the slot, but the week is full. */
    if (w->es_taken[at] == UNSET && rem >= 0 && w->ew_used[es->eweek] >= rem &&
        emp->max_parts_per_week < PARTS_MAX) {
      add_relax(out, ENGINE_WHATIF_EXTRA_PART, (gint)e, -1, emp->max_parts_per_week,
                emp->max_parts_per_week + 1, 1, emp->id);
      EngineRelax *x = &g_array_index(out, EngineRelax, out->len - 1);
      x->eweek = es->eweek;
      x->what.week = model_date_iso_week(u->slot.date);
    }
    return;
  }
  if (rem <= 0)
    return;
  ModelPairFacts g = f;
  if (before == MODEL_INFEASIBLE_TOO_FAR && d >= 0) {
    gint32 km = (gint32)((d + 999) / 1000);
    gboolean emp_blocks = d > (gint64)f.employee_km * 1000;
    gboolean req_blocks = d > (gint64)f.request_km * 1000;
    if (emp_blocks && !req_blocks && km <= travel_cap(f.employee_km)) {
      g.employee_km = km;
      if (model_feasible(&g, &sf) == MODEL_FEASIBLE)
        add_relax(out, ENGINE_WHATIF_TRAVEL, (gint)e, -1, f.employee_km, km, km - f.employee_km,
                  emp->id);
    } else if (req_blocks && !emp_blocks && km <= travel_cap(f.request_km)) {
      g.request_km = km;
      if (model_feasible(&g, &sf) == MODEL_FEASIBLE)
        g_array_append_val(request_km, km);
    }
  } else if (before == MODEL_INFEASIBLE_UNQUALIFIED) {
    for (int q = 0; q < MODEL_N_QUALS; q++) {
      if (q == MODEL_QUAL_VOG || !(f.required & MODEL_QUAL_BIT(q)))
        continue;
      g.required = f.required & ~MODEL_QUAL_BIT(q);
      qual_helps[q] |= model_feasible(&g, &sf) == MODEL_FEASIBLE;
    }
  }
}

/* Whether employee `e`, approved elsewhere at open slot `u`, could fill it if released. */
static gboolean released_could_fill(const EngineWhatifRun *w, const EngineUnfilled *u, guint e) {
  const EngineSnapshot *snap = w->snap;
  if (!snap->located[e])
    return FALSE;
  ModelPairFacts f;
  engine_whatif_relaxed_facts(w, NULL, u->request, e, engine_whatif_distance(w, e, u->request), &f);
  ModelSlotFacts sf = engine_snapshot_slot_facts(snap, u->request, e, u->slot);
  return model_feasible(&f, &sf) == MODEL_FEASIBLE &&
         engine_whatif_available(&g_array_index(snap->dataset->employees, ModelEmployee, e),
                                 u->slot);
}

/* YIELD: each lower-priority request in the round with an approved employee at the
 * slot who could fill it gives up that day part: its approved staff there and what it
 * still needs. */
static void yields(const EngineWhatifRun *w, const EngineUnfilled *u, GArray *out) {
  const EngineSnapshot *snap = w->snap;
  const ModelDataset *ds = snap->dataset;
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
  const EngineApproved *a = (const EngineApproved *)w->approved->data;
  guint lo, hi;
  engine_whatif_approved_at(w, u->slot, &lo, &hi);
  for (guint k = lo; k < hi;) {
    guint r = a[k].request, end = k;
    gboolean helps = FALSE;
    for (; end < hi && a[end].request == r; end++)
      helps = helps || released_could_fill(w, u, a[end].employee);
    const ModelRequest *other = &g_array_index(ds->requests, ModelRequest, r);
    if (helps && other->priority < req->priority && snap->request_matched[r]) {
      guint drop = engine_whatif_find_rslot(w, r, u->slot);
      gint32 staff = (gint32)(end - k);
      staff += drop != UNSET ? g_array_index(snap->rslots, EngineRslot, drop).need : 0;
      add_relax(out, ENGINE_WHATIF_YIELD, -1, (gint)r, staff, 0, staff, other->id);
      g_array_index(out, EngineRelax, out->len - 1).drop = drop;
    }
    k = end;
  }
}

static int compare_i32(const void *a, const void *b) {
  gint32 x = *(const gint32 *)a, y = *(const gint32 *)b;
  return (x > y) - (x < y);
}

/* The relaxations worth a re-solve for open slot `u`, cheapest first, at most
 * ENGINE_WHATIF_TRIES_PER_KIND of each kind (transfer full). */
static GArray *relaxations(const EngineWhatifRun *w, const EngineUnfilled *u) {
  const EngineSnapshot *snap = w->snap;
  const ModelDataset *ds = snap->dataset;
  const ModelRequest *req = &g_array_index(ds->requests, ModelRequest, u->request);
  GArray *all = g_array_new(FALSE, FALSE, sizeof(EngineRelax));
  gint school = snap->school_of_request[u->request];
  if (school < 0)
    return all;
  const ModelSchool *sch = &g_array_index(ds->schools, ModelSchool, school);
  g_autoptr(GArray) near = g_array_new(FALSE, FALSE, sizeof(guint));
  engine_grid_query(&w->grid, sch->lat, sch->lon, (gint64)travel_cap(req->max_travel_km) * 1000,
                    near);
  g_autoptr(GArray) request_km = g_array_new(FALSE, FALSE, sizeof(gint32));
  gboolean qual_helps[MODEL_N_QUALS] = {FALSE};
  for (guint k = 0; k < near->len; k++) {
    guint e = g_array_index(near, guint, k);
    gint at = engine_snapshot_find_eslot(snap, e, u->slot);
    if (at >= 0)
      relaxations_of(w, u, e, (guint)at, engine_whatif_distance(w, e, u->request), all, request_km,
                     qual_helps);
  }
  g_array_sort(request_km, compare_i32);
  for (guint k = 0; k < request_km->len; k++) {
    gint32 km = g_array_index(request_km, gint32, k);
    if (k == 0 || km != g_array_index(request_km, gint32, k - 1))
      add_relax(all, ENGINE_WHATIF_TRAVEL, -1, (gint)u->request, req->max_travel_km, km,
                km - req->max_travel_km, req->id);
  }
  for (int q = 0; q < MODEL_N_QUALS; q++)
    if (qual_helps[q]) {
      add_relax(all, ENGINE_WHATIF_PREFERRED, -1, (gint)u->request, 0, 0, 1,
                model_qual_name((ModelQual)q));
      g_array_index(all, EngineRelax, all->len - 1).what.qual = (ModelQual)q;
    }
  if (req->priority == MODEL_PRIORITY_HIGH)
    yields(w, u, all);
  if (all->len > 1)
    qsort(all->data, all->len, sizeof(EngineRelax), compare_relax);
  guint m = 0, per_kind = 0;
  for (guint k = 0; k < all->len; k++) {
    const EngineRelax *x = &g_array_index(all, EngineRelax, k);
    per_kind = m > 0 && g_array_index(all, EngineRelax, m - 1).what.kind == x->what.kind
                   ? per_kind + 1
                   : 0;
    if (per_kind < ENGINE_WHATIF_TRIES_PER_KIND)
      g_array_index(all, EngineRelax, m++) = *x;
  }
  g_array_set_size(all, m);
  return all;
}

/* The what-if of one open slot; sets *stop when the budget runs out first. */
static gboolean whatif_slot(EngineWhatifRun *w, EngineUnfilled *u, gboolean *stop, GError **error) {
  guint t = engine_whatif_find_rslot(w, u->request, u->slot);
  g_assert(t != UNSET);
  g_autoptr(GArray) relaxes = relaxations(w, u);
  gint32 week = model_date_iso_week(u->slot.date);
  EngineWhatif *out = &u->whatif;
  out->outcome = ENGINE_WHATIF_NONE;
  for (guint k = 0; k < relaxes->len; k++) {
    const gint *halt = w->snap->options.stop;
    gboolean stopped = halt != NULL && g_atomic_int_get(halt) != 0;
    if (stopped || w->solves_left == 0 || g_get_monotonic_time() >= w->deadline) {
      w->stats->stopped = stopped;
      w->stats->out_of_solves = !stopped && w->solves_left == 0;
      w->stats->out_of_time = !stopped && !w->stats->out_of_solves;
      out->outcome = ENGINE_WHATIF_SKIPPED;
      *stop = TRUE;
      return TRUE;
    }
    const EngineRelax *x = &g_array_index(relaxes, EngineRelax, k);
    gboolean solved = FALSE, fills = FALSE, whole = FALSE;
    if (!engine_whatif_try(w, x, t, week, &solved, &fills, &whole, error))
      return FALSE;
    w->solves_left -= solved;
    w->stats->solves += solved;
    out->tried += solved;
    if (fills) {
      guint32 tried = out->tried;
      *out = x->what;
      out->tried = tried;
      out->whole = whole;
      return TRUE;
    }
  }
  return TRUE;
}

static int compare_priority(const void *a, const void *b, void *user) {
  const GArray *unfilled = ((const gpointer *)user)[0];
  const ModelDataset *ds = ((const gpointer *)user)[1];
  guint x = *(const guint *)a, y = *(const guint *)b;
  ModelPriority px =
      g_array_index(ds->requests, ModelRequest, g_array_index(unfilled, EngineUnfilled, x).request)
          .priority;
  ModelPriority py =
      g_array_index(ds->requests, ModelRequest, g_array_index(unfilled, EngineUnfilled, y).request)
          .priority;
  if (px != py)
    return px > py ? -1 : 1;
  return (x > y) - (x < y);
}

gboolean engine_whatif(const EngineSnapshot *snapshot, const guint8 *chosen, GArray *unfilled,
                       EngineWhatifStats *stats, GError **error) {
  gint64 t0 = g_get_monotonic_time();
  memset(stats, 0, sizeof *stats);
  guint n = unfilled->len;
  for (guint i = 0; i < n; i++) {
    EngineWhatif *x = &g_array_index(unfilled, EngineUnfilled, i).whatif;
    *x = (EngineWhatif){.outcome = ENGINE_WHATIF_SKIPPED, .employee = -1, .request = -1};
  }
  const EngineOptions *options = &snapshot->options;
  gboolean stop = options->whatif_ms <= 0 || options->whatif_solves == 0;
  stats->out_of_time = n > 0 && options->whatif_ms <= 0;
  stats->out_of_solves = n > 0 && options->whatif_solves == 0;
  EngineWhatifRun w = {0};
  if (!stop && n > 0) {
    engine_whatif_run_init(&w, snapshot, chosen);
    w.deadline = t0 + MIN(options->whatif_ms, G_MAXINT64 / 2000) * 1000;
    w.solves_left = options->whatif_solves;
    w.stats = stats;
  }
  g_autofree guint *order = g_new(guint, n + 1);
  for (guint i = 0; i < n; i++)
    order[i] = i;
  gconstpointer user[2] = {unfilled, snapshot->dataset};
  g_qsort_with_data(order, (gint)n, sizeof(guint), compare_priority, user);
  gboolean ok = TRUE;
  for (guint k = 0; ok && k < n; k++) {
    EngineUnfilled *u = &g_array_index(unfilled, EngineUnfilled, order[k]);
    if (!stop)
      ok = whatif_slot(&w, u, &stop, error);
    stats->found += u->whatif.outcome == ENGINE_WHATIF_FOUND;
    stats->found_whole += u->whatif.outcome == ENGINE_WHATIF_FOUND && u->whatif.whole;
    stats->none += u->whatif.outcome == ENGINE_WHATIF_NONE;
    stats->skipped += u->whatif.outcome == ENGINE_WHATIF_SKIPPED;
  }
  if (w.snap != NULL)
    engine_whatif_run_clear(&w);
  stats->us = g_get_monotonic_time() - t0;
  return ok;
}
