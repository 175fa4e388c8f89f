/* match-private.h: the snapshot a matching round works on, shared by snapshot.c (which
 * builds it, with the spatial grid of grid.c), network.c (which builds the flow
 * networks), match.c (which solves them) and explain.c (which explains what stays
 * open).  Everything is flat arrays of integer indices; entities are visited in id
 * order, so the same dataset gives the same arrays whatever the order of its GArrays.
 */
#pragma once

#include "match.h"

G_BEGIN_DECLS

/* The round's cost, in metres of travel (see the objective in match.h).  Travel is the
 * great-circle distance in metres from the employee's location (a postcode-area
 * centroid) to the school's coordinates, unrounded; the other terms are stated
 * exchange rates against it. */
#define ENGINE_NEIGHBOUR_M 200      /* a neighbouring district weighs like 200 m more */
#define ENGINE_OTHER_DISTRICT_M 400 /* any other district like 400 m more */
#define ENGINE_PREFERRED_MISS_M 300 /* per preferred tag the employee lacks */
#define ENGINE_UNKNOWN_SCHOOL_M 100 /* no approved assignment at this school yet */
#define ENGINE_KEEP_M 5000          /* bonus for re-proposing an undecided proposal */
#define ENGINE_FAIR_M 2000          /* per staff-slot an organisation lends above its share */
/* Largest |cost| of any arc a round's network carries: candidate arcs cost at most
 * pair cost + ENGINE_MAX_CONTINUITY_M and at least -ENGINE_KEEP_M, fairness arcs at most
 * 2 * ENGINE_FAIR_M.  A pair's cost stays below ENGINE_MAX_PAIR_COST_M (travel within
 * a limit of at most 300 km, plus surcharges of at most 32 tags and a district), which
 * network.c's fill_weights relies on. */
#define ENGINE_MAX_PAIR_COST_M ((gint64)1 << 24)

/* A request slot that still needs staff: open request, need > approved. */
typedef struct {
  guint request; /* dataset index */
  ModelSlot slot;
  gint32 need; /* staff still needed after approvals, > 0 */
} EngineRslot;

/* A free day part of an active employee with vog: available and not approved. */
typedef struct {
  guint employee; /* dataset index */
  ModelSlot slot;
  guint eweek; /* index into EngineSnapshot.eweeks */
  guint lslot; /* index into EngineSnapshot.lslots, or ENGINE_NO_LSLOT: no H7 limit */
} EngineEslot;

/* A day part of a location with figures (H7): how many more of its employees it can
 * lend then, its lending less the approved assignments of its employees in that day
 * part; may be <= 0. */
#define ENGINE_NO_LSLOT G_MAXUINT
typedef struct {
  guint location; /* dataset index */
  ModelSlot slot;
  gint32 room;
} EngineLslot;

/* An ISO week of an employee that has free slots. */
typedef struct {
  guint employee;
  gint32 week;      /* model_date_iso_week */
  gint32 remaining; /* weekly maximum minus approved day parts; may be <= 0 */
} EngineEweek;

/* An (employee, request) pair feasible in at least one of its candidates' slots. */
typedef struct {
  guint employee, request;
  gint32 travel_m;
  gint32 cost; /* metres: travel + district, preferred-tag and unknown-school surcharges */
  guint32 why; /* EngineWhy bits except CONTINUITY */
  ModelQualSet preferred_met;
  gint32 approved_here; /* approved slots of this employee on this request */
} EnginePair;

/* A candidate arc: an employee's free slot that a request slot needs (H1, H4 room). */
typedef struct {
  guint eslot, rslot;
  guint pair : 31;    /* below ENGINE_MAX_PAIRS */
  guint proposed : 1; /* the same (request, employee, day part) is an undecided proposal */
} EngineCand;
/* A round's pairs, at most (a candidate keeps its pair's index in 31 bits, so that a
 * candidate takes 12 bytes: they are the round's most numerous records). */
#define ENGINE_MAX_PAIRS ((guint)G_MAXINT32)

/* An assignment's (request, employee, day part): a cancelled one, whose employee never
 * returns to that request slot, or an undecided proposal of an earlier round. */
typedef struct {
  guint64 pair; /* request << 32 | employee */
  gint64 slot;  /* model_slot_key() */
} EngineCancelled;

/* A spatial grid over points, cells of ENGINE_GRID_CELL_DEG degrees. */
typedef struct {
  gint64 *cell_keys; /* sorted distinct cell keys */
  guint *cell_start; /* n_cells + 1 offsets into items */
  guint *items;      /* caller's point indices, grouped by cell */
  guint n_cells, n_points;
  const double *lat, *lon; /* borrowed, indexed by the caller's point index */
} EngineGrid;

typedef struct {
  const ModelDataset *dataset;
  EngineOptions options;
  guint n_employees, n_requests;
  guint *employee_order, *request_order; /* rank -> dataset index (id order) */
  guint *employee_rank, *request_rank;   /* dataset index -> rank */

  GArray *rslots;             /* EngineRslot, by request rank then slot */
  guint *request_rs;          /* per request rank: first rslot, n_requests + 1 entries */
  GArray *eslots;             /* EngineEslot, by employee rank then slot */
  guint *employee_es;         /* per employee rank: first eslot, n_employees + 1 entries */
  GArray *eweeks;             /* EngineEweek, by employee rank then week */
  GArray *lslots;             /* EngineLslot, by location id then slot */
  gint *location_of_employee; /* per employee index: location index, or -1 */
  gboolean *located;          /* per employee index: usable and location known */
  double *emp_lat, *emp_lon;
  gint *district_of_employee;
  gint *org_of_employee; /* per employee index: organisation index, or -1 */
  gint *school_of_request;
  gboolean *request_matched; /* per request index: open and in the round's districts */
  GArray *rejected;          /* guint64 (request << 32 | employee), sorted */
  GArray *cancelled;         /* EngineCancelled of cancelled assignments, sorted */
  GArray *proposed;          /* EngineCancelled of undecided proposals in the round's
                              * scope (matched requests; freed slots when freed_only), sorted */
  GArray *knows;             /* guint64 (school << 32 | employee) with an approval, sorted */
  GArray *approved_pairs;    /* guint64 (request << 32 | employee) per approval, sorted */
  gint *district_of_school;  /* per school index: district index, or -1 */
  GArray *adjacent;          /* guint64 (a << 32 | b) for neighbouring districts, both ways */
  gint64 approved;           /* approved assignments on matched requests */

  GArray *pairs;      /* EnginePair, by employee rank then request rank */
  GArray *cands;      /* EngineCand, grouped by component, build order within */
  GArray *comp_start; /* guint offsets into cands, n_components + 1 */
} EngineSnapshot;

/* Builds the snapshot, candidates and components of a round (transfer full).  Returns
 * NULL with ENGINE_ERROR_INVALID when a cost cannot be represented. */
EngineSnapshot *engine_snapshot_new(const ModelDataset *dataset, const EngineOptions *options,
                                    GError **error);
/* The same without candidates (pairs and cands empty, comp_start NULL): the slots,
 * weeks, locations and decisions alone, for one slot's alternatives (alternatives.c). */
EngineSnapshot *engine_snapshot_new_facts(const ModelDataset *dataset, const EngineOptions *options,
                                          GError **error);
void engine_snapshot_free(EngineSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineSnapshot, engine_snapshot_free)

/* Whether (request, employee, slot), dataset indices, repeats an undecided proposal the
 * round's candidates are charged less for (EngineCand.proposed). */
gboolean engine_snapshot_proposed(const EngineSnapshot *snapshot, guint request, guint employee,
                                  ModelSlot slot);
/* The pair (employee `employee`, request `request`, dataset indices) at `distance_m` as
 * the snapshot builds it, with `req` read as the request's entity: the dataset's own,
 * or a changed copy when a what-if relaxes one of its rules (whatif.c).  Does not
 * check feasibility. */
EnginePair engine_snapshot_make_pair(const EngineSnapshot *snapshot, guint employee, guint request,
                                     const ModelRequest *req, gint64 distance_m);
/* Components of the candidate graph on (employee-week, request-slot, location-slot):
 * snapshot->cands
 * regrouped by component (stable), numbered by first appearance, into comp_start
 * (replaced if set). */
void engine_snapshot_split(EngineSnapshot *snapshot);
/* Index of the eslot of employee `employee` (dataset index) at `slot`, or -1. */
gint engine_snapshot_find_eslot(const EngineSnapshot *snapshot, guint employee, ModelSlot slot);
/* Index of the lslot of employee `employee`'s location at `slot`, or -1 when the
 * employee has no location or it gave no figures for that day part. */
gint engine_snapshot_find_lslot(const EngineSnapshot *snapshot, guint employee, ModelSlot slot);
/* Room left at the location of eslot `eslot` in its day part (H7), G_MAXINT32 when
 * not limited. */
gint32 engine_snapshot_lslot_room(const EngineSnapshot *snapshot, guint eslot);
gboolean engine_snapshot_is_rejected(const EngineSnapshot *snapshot, guint request, guint employee);
/* The facts model_feasible() needs about pair (request, employee), dataset indices, with
 * `distance_m` from the employee's start to the school (ignored, as unknown, for an
 * employee the snapshot did not locate). */
void engine_snapshot_pair_facts(const EngineSnapshot *snapshot, guint request, guint employee,
                                gint64 distance_m, ModelPairFacts *out);
/* ... and about one of the employee's free slots (an eslot) for that request: available,
 * and cancelled when an assignment of the employee to that request slot was. */
ModelSlotFacts engine_snapshot_slot_facts(const EngineSnapshot *snapshot, guint request,
                                          guint employee, ModelSlot slot);

/* The flow network of a run of candidates: source 0, sink 1, employee-week nodes only
 * where the weekly room is smaller than the slots offered, employee-slot nodes,
 * request-slot nodes; a bypass source -> sink carries what stays unfilled.  Every node
 * of the run exists from the start; a candidate's arc (and the arc into its
 * employee-slot node, with the first candidate of that node) may be added later, so
 * that a round can solve a restricted network and price the candidates left out. */
#define ENGINE_NO_ARC G_MAXUINT

/* How an employee-slot where H4 and H7 both bind is built (network.c). */
typedef enum {
  ENGINE_ES_RELAXED = 0, /* under its location-slot; its weekly limit not modelled */
  ENGINE_ES_KEEP = 1,    /* under its employee-week, one unit of location room kept */
  ENGINE_ES_CLOSED = 2,  /* under its employee-week, capacity 0 */
} EngineEsMode;
typedef struct {
  EngineMcf *mcf;
  const EngineCand *cands;
  guint n_cands, n_in;               /* candidates of the run, and of them in the network */
  guint *cand_arc;                   /* per candidate: its arc, or ENGINE_NO_ARC */
  guint *cand_es, *cand_rs;          /* per candidate: its employee-slot and request-slot node */
  guint es_first;                    /* first employee-slot node */
  guint *es_feed;                    /* per employee-slot node - es_first: the node feeding it */
  guint *es_arc;                     /* ... its in-arc, or ENGINE_NO_ARC */
  guint8 *es_cap;                    /* ... the capacity of that in-arc: 1, or 0 when closed */
  gboolean *es_crossing;             /* ... whether H4 and H7 both bind on it */
  guint8 *es_mode;                   /* ... if so, its EngineEsMode now */
  guint *es_fixed_feed;              /* ... if so, its employee-week node */
  guint *es_fixed_arc;               /* ... if so, the arc from there, or ENGINE_NO_ARC */
  guint *es_ls_arc;                  /* ... if so, the arc into its location-slot node */
  guint n_crossing;                  /* employee-slots where H4 and H7 both bind */
  GArray *rs_nodes;                  /* guint rslot per request-slot node, in node order */
  GArray *rs_arcs;                   /* guint arc request-slot -> sink, parallel to rs_nodes */
  guint bypass;                      /* arc source -> sink */
  const gint64 *pair_cost;           /* per pair: cost per unit of its candidate arcs
                                      * (borrowed; NULL: the pair's cost) */
  guint n_orgs;                      /* organisation nodes (fair rounds only) */
  gint64 weight[MODEL_N_PRIORITIES]; /* fill reward of a staff-slot per priority */
} EngineNet;

/* Builds the nodes of the network of `cands[0..n)` with the arcs that do not belong to
 * a candidate: a filled staff-slot earns weight[priority]; in a fair round the supply
 * of each organisation passes its node, at convex costs above its share.  `pair_cost`
 * as EngineNet.pair_cost.  `scratch` holds G_MAXUINT in every eslot, eweek, rslot and
 * lslot entry on entry and on return.  Each employee-slot where the weekly and the
 * location limit cross is built relaxed (engine_net_set_mode() changes that; see
 * network.c).  Returns FALSE with ENGINE_ERROR_INVALID when the weights
 * overflow. */
gboolean engine_net_build_nodes(EngineNet *net, const EngineSnapshot *snapshot,
                                const EngineCand *cands, guint n_cands, const gint64 *pair_cost,
                                guint *scratch, GError **error);
/* Builds the crossing employee-slot node `node` of a network built all relaxed in mode
 * `mode` instead, in place (engine_mcf_set_capacity(), so the next solve starts from
 * the last one): its arc from the location-slot open in RELAXED, its arc from the
 * employee-week open in KEEP, and its unit of the location-slot's room kept in KEEP.
 * The network is then the one engine_net_build_nodes() builds with that mode, except
 * for arcs of capacity 0.  Switch slots out of KEEP before others into it, so that the
 * location-slot's room never drops below 0 on the way. */
void engine_net_set_mode(EngineNet *net, guint node, EngineEsMode mode);
/* Cost per unit of candidate `i`: its pair's cost (net->pair_cost's when set), less
 * ENGINE_KEEP_M when it repeats an undecided proposal.  Inline: the round prices every
 * left-out candidate with it after each solve. */
static inline gint64 engine_net_cand_cost(const EngineNet *net, const EngineSnapshot *snapshot,
                                          guint i) {
  guint p = net->cands[i].pair;
  gint64 cost = net->pair_cost != NULL ? net->pair_cost[p]
                                       : g_array_index(snapshot->pairs, EnginePair, p).cost;
  return net->cands[i].proposed ? cost - ENGINE_KEEP_M : cost;
}
/* Adds candidate `i` (not yet in) at engine_net_cand_cost(); returns its arc. */
guint engine_net_add_cand(EngineNet *net, const EngineSnapshot *snapshot, guint i);
/* engine_net_build_nodes() and every candidate, in order: the whole network. */
gboolean engine_net_build(EngineNet *net, const EngineSnapshot *snapshot, const EngineCand *cands,
                          guint n_cands, const gint64 *pair_cost, guint *scratch, GError **error);
void engine_net_clear(EngineNet *net);
/* Size of the scratch array engine_net_build needs. */
guint engine_net_scratch_size(const EngineSnapshot *snapshot);

/* Spatial grid over `n` points (lat/lon borrowed); only points with include[i] (or
 * all when include is NULL) are stored. */
void engine_grid_init(EngineGrid *grid, const double *lat, const double *lon,
                      const gboolean *include, guint n);
void engine_grid_clear(EngineGrid *grid);
/* Appends to `out` (guint) every stored point that may lie within `radius_m` of
 * (lat, lon); callers filter by exact distance.  Never misses a point. */
void engine_grid_query(const EngineGrid *grid, double lat, double lon, gint64 radius_m,
                       GArray *out);

/* How a round solves its components (the cost of each exact solve never depends on the
 * first two, nor on crossing_warm, which only says how each exact solve starts; where
 * optima tie, which one a solve returns may, and so the later heuristic steps).  A
 * component starts from each request slot's `need * initial_per_need + initial_extra`
 * cheapest candidates (every candidate when both are 0) and adds others by pricing.
 * Where H4 and H7 cross, a branch and bound of at most `crossing_nodes` solves proves
 * the plan optimal, or the component is counted as uncertified (crossing.c). */
typedef struct {
  guint initial_per_need, initial_extra;
  guint crossing_nodes;  /* branch and bound solves where H4 and H7 cross, at most; a larger
                            component gets fewer, by the work they take (crossing.c) */
  guint crossing_scale;  /* candidates of a component whose solves the work budget counts
                            (crossing.c; crossing_nodes solves of such a component, at most;
                            one on which a single solve passes it is not searched) */
  guint crossing_warm;   /* changed crossing candidates up to which such a solve starts from
                            the last one's tree rather than a new network */
  gboolean crossing_fix; /* end each search by fixing every crossing slot as its best plan
                            uses it, as when the best plan's modes alone give an optimum
                            that breaks a week (crossing.c; for the tests of that path) */
} EngineTuning;

void engine_tuning_init(EngineTuning *tuning);

/* engine_match_run() with explicit tuning. */
EngineResult *engine_match_run_tuned(const ModelDataset *dataset, const EngineOptions *options,
                                     const EngineTuning *tuning, GError **error);

/* A plan (`chosen`, `kept`, `next` below and in the engine's files) is a byte per
 * candidate, 1 when the candidate is chosen and 0 otherwise: at four times the
 * national scale a round holds 32 million candidates and up to three plans at once. */

/* The local improvement pass of polish.c on a component's plan `chosen` (for
 * cands[0..n)): moves day parts to other candidates of the same request slot while the
 * true cost drops, with `charge[p]` the continuity charge pair p owes when used, or,
 * when negative, a pair whose use must not change: one with candidates in a later
 * component, whose charges (and so whose heuristic answer) depend on it; moves within
 * its day parts stay allowed.  So a component's polish never changes another's.
 * `count` (per pair) is 0 and `scratch` as engine_net_build_nodes() wants it, on entry
 * and on return.  Returns the change in cost (<= 0); the fill never changes.  Not for
 * fair rounds. */
gint64 engine_polish(const EngineSnapshot *snapshot, const EngineCand *cands, guint n_cands,
                     guint8 *chosen, const gint64 *charge, gint32 *count, guint *scratch);

/* When the undecided proposals among cands[0..n) form a plan (every hard limit, H7
 * included) that fills more than `chosen` (high priority first), or as much at no
 * higher cost (same arguments as engine_polish), writes it to `chosen` and returns the
 * change in cost; else returns 0.  A component whose search was cut short can so fill
 * more than its search found.  Not for fair rounds. */
gint64 engine_polish_kept(const EngineSnapshot *snapshot, const EngineCand *cands, guint n_cands,
                          guint8 *chosen, const gint64 *charge, gint32 *count, guint *scratch);

/* Solves `cands[0..n)`, a component of `snapshot`'s candidate graph, exactly as a round
 * solves each component, and writes chosen[0..n).  pair_done[p] (per snapshot pair) is
 * what components solved before chose of pair p, and is updated with this one's choice,
 * as a round carries it from one component to the next.  FALSE with
 * ENGINE_ERROR_INVALID as engine_match_run() fails. */
gboolean engine_solve_candidates(const EngineSnapshot *snapshot, const EngineCand *cands,
                                 guint n_cands, gint32 *pair_done, guint8 *chosen, GError **error);

/* The what-ifs of a round (whatif.c): for every entry of `unfilled` (engine_explain()
 * of the round's `chosen` candidates) the cheapest single relaxation that fills it,
 * checked by re-solving, within the budget of snapshot->options.  Writes each entry's
 * `whatif` and `stats`; FALSE only when a re-solve fails as a round would. */
gboolean engine_whatif(const EngineSnapshot *snapshot, const guint8 *chosen, GArray *unfilled,
                       EngineWhatifStats *stats, GError **error);

/* Funnel of every request slot left open, given the round's chosen candidates
 * (`chosen[i]` for cands[i]).  Returns GArray of EngineUnfilled sorted by request id
 * and slot (transfer full; each taken_by is freed by engine_result_free). */
GArray *engine_explain(const EngineSnapshot *snapshot, const guint8 *chosen);

G_END_DECLS
