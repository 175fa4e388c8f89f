/* round-private.h: a matching round's working state, shared by match.c (which solves
 * the components) and crossing.c (which searches where the weekly and the location
 * limits cross).  Every scratch array is at rest (as documented per field) between
 * calls; the functions below leave it so.
 */
#pragma once

#include "match-private.h"

G_BEGIN_DECLS

/* Per-round working state shared by the components. */
typedef struct {
  const EngineSnapshot *snap;
  EngineTuning tuning;
  guint *scratch;     /* engine_net_build's node maps, all UNSET between calls */
  gint32 *pair_count; /* per pair scratch, 0 between calls */
  gint32 *pair_done;  /* per pair: slots chosen in components solved before */
  gint64 *slope;      /* per pair: cost per unit in the current solve */
  gint32 *units;      /* per pair scratch, 0 between calls */
  gint32 *pair_cands; /* per pair: the most day parts it can take in the round */
  gint32 *pair_total; /* per pair: its candidates in the round, every component (NULL
                         without the polish, the only user) */
  guint8 *es_mode;    /* per eslot EngineEsMode, ENGINE_ES_RELAXED between calls */
  gint32 *week_used;  /* per eweek scratch */
  guint nodes, arcs;
  guint crossing, uncertified, crossing_nodes; /* where H4 and H7 cross (crossing.c) */
  gint64 gap_filled, gap_high, gap_m;
  gint64 cost_m, bound_m; /* term 3 of the chosen solution, and its lower bound */
  gint64 solve_us, exact_us;
} EngineRound;

/* One component being solved: its network, the candidates in it, ascending, and (once
 * crossing.c needs them; NULL before) those on crossing employee-slots, ascending. */
typedef struct {
  EngineNet net;
  guint *in;
  guint n_in;
  guint *cross;
  guint n_cross;
} EngineComp;

/* Adds each request-slot node's cheapest candidates to the (empty) network (match.c). */
void engine_round_add_initial(EngineRound *round, EngineNet *net);
/* Solves the component's network, pricing in the candidates left out until none could
 * improve or tie, and records those in it in comp->in.  FALSE with ENGINE_ERROR_INVALID
 * when the network has no optimal flow. */
gboolean engine_round_solve_restricted(EngineRound *round, EngineComp *comp, GError **error);
/* Gives the arcs in the network the current slopes and solves again, pricing in. */
gboolean engine_round_resolve(EngineRound *round, EngineComp *comp, GError **error);
/* chosen[i] for every candidate of the component, from the last solve. */
void engine_round_read_flow(const EngineComp *comp, guint8 *chosen);
/* The last solve's cost without the fill rewards: term 3 under the current slopes. */
gint64 engine_round_linear_cost(const EngineSnapshot *snap, const EngineNet *net);

/* Gives the component's network the modes of round->es_mode and the current slopes (in
 * place, engine_net_set_mode(), when few changed and not `fresh`; else rebuilt), solves
 * it, reads its plan into `chosen` and adds the pivots and arcs the solve took to
 * `*work` (may be NULL) (crossing.c).  FALSE as engine_round_solve_restricted(). */
gboolean engine_crossing_resolve(EngineRound *round, EngineComp *comp, gboolean fresh,
                                 guint8 *chosen, guint64 *work, GError **error);
/* Where the weekly and the location limits cross, with the relaxed network of `comp`
 * just solved: repairs the plan, searches (when `first`) for a better one, leaves the
 * component solved with the best plan as its flow (a plan that keeps every week) and
 * writes that plan to `chosen`.  With `first` the round counts the component (and its
 * gap when uncertified) and `out_bound_m` receives a lower bound on the cost in metres.
 * FALSE as engine_round_solve_restricted(). */
gboolean engine_crossing_solve(EngineRound *round, EngineComp *comp, guint8 *chosen, gboolean first,
                               gint64 *out_bound_m, GError **error);

G_END_DECLS
