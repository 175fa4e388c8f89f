/* match.h: a matching round: from a snapshot of the model (requests, employees and
 * the decisions taken so far) to proposals, explanations for every staff-slot left
 * open, and statistics.  Also the independent checker of the hard constraints and
 * the greedy baseline a coordinator would follow by hand.
 *
 * Hard constraints (never violated by a proposal):
 *  H1 the employee is available in the slot and is used at most once per slot;
 *  H2 the employee is active, holds vog and every qualification the request requires;
 *  H3 the travel distance is within the employee's and the request's limit;
 *  H4 day parts per ISO week, approved ones included, stay within the weekly maximum;
 *  H5 a request slot receives at most the staff it still needs after approvals, the
 *     slot is one of the request's, and cancelled requests get nothing;
 *  H6 approved assignments stay; rejected (request, employee) pairs never return, and
 *     an employee whose assignment was cancelled never returns to that request slot;
 *  H7 a childcare location lends at most what it can spare in a day part: with figures
 *     for it, staff_present - ceil(children_expected / children_per_staff) (or its
 *     max_lend), less the approved assignments of its employees then.  Employees
 *     without a location, and day parts without figures, are not limited by it.
 * Objective, lexicographic in integer costs:
 *  1. filled high-priority staff-slots (max), 2. filled normal ones (max): exact, by
 *     fill weights above every cost below (network.c, fill_weights);
 *  3. cost in metres (min), one sum with stated exchange rates:
 *       travel: great-circle metres from the employee's location (a postcode-area
 *         centroid) to the school's coordinates, per staff-slot, unrounded;
 *       + 200 m per staff-slot in a neighbouring district, 400 m in any other (same
 *         district: 0), so the district is a small preference, never above travel;
 *       + 300 m per preferred qualification lacking, 100 m at a school where the
 *         employee has no approved assignment yet;
 *       + the continuity charge, 8,000 m by default (a round option, continuity_m),
 *         once per (request, employee) pair new to the request: each extra face a
 *         group of children sees weighs like that much travel; the pair is free when
 *         the employee already has an approved day part there;
 *       - 5,000 m per staff-slot that repeats an undecided proposal of an earlier
 *         round (stability: a re-plan keeps what is still good);
 *       + with `fair`, 2,000 m per staff-slot an organisation lends above its share of
 *         the fill (in proportion to the day parts its staff offer), 4,000 m beyond
 *         twice that share.
 *     Every term but the once-per-pair charge is linear or convex in the flow and
 *     solved exactly; the pair charge is a fixed charge (concave), which no min-cost
 *     flow models exactly, so term 3 is minimised by slope scaling: first the LP
 *     relaxation (the charge spread over the pair's possible day parts, whose optimum
 *     is a lower bound, reported as cost_bound_m), then re-linearised around each
 *     solution; the best is kept and polished by moves within request slots while
 *     the true cost drops (polish.c), when the round asks for it (polish).  Fill never changes
 * between these steps.
 *
 * What-if (whatif.c): for every staff-slot left open, the cheapest single relaxation of
 * the rules that would fill it, checked by re-solving; see EngineWhatif.
 *
 * Ownership: EngineResult owns its arrays; indices refer to the dataset the round was
 * run on, which must outlive the result.  The engine never modifies the dataset.
 */
#pragma once

#include "mcf.h"
#include "model.h"

G_BEGIN_DECLS

/* The continuity charge's default (8 km: each extra face weighs like 8 km of travel)
 * and its largest value (100 km, far above any travel a round allows, so every charge
 * a caller can want fits, and the fill weights stay far from the solver's limit). */
#define ENGINE_DEFAULT_CONTINUITY_M 8000
#define ENGINE_MAX_CONTINUITY_M 100000

typedef struct {
  gint32 children_per_staff;    /* >= 1; default MODEL_DEFAULT_CHILDREN_PER_STAFF */
  gboolean continuity;          /* charge each new (request, employee) pair (default TRUE) */
  gint32 continuity_m;          /* that charge in metres, 0..ENGINE_MAX_CONTINUITY_M (default
                                 * ENGINE_DEFAULT_CONTINUITY_M; 0: travel first, as
                                 * continuity FALSE) */
  gboolean fair;                /* spread lending across organisations (default FALSE) */
  gboolean polish;              /* run the polish pass (polish.c) on a round with a
                                 * continuity charge: may lower its cost, never its fill,
                                 * and makes a large round several times slower (default
                                 * FALSE) */
  gboolean travel_only;         /* cost = travel alone: no district, preference, pair,
                                 * stability or fairness terms (the bench's lower bound
                                 * on travel at maximum fill; default FALSE) */
  const char *const *districts; /* NULL: every district; otherwise only requests of schools
                                 * in these districts are matched, explained and counted in
                                 * the statistics; approved assignments of other districts
                                 * still occupy their employees' day parts and weeks */
  gboolean freed_only;          /* only request slots freed by a cancellation (an assignment
                                 * of the slot has status cancelled) are matched, explained
                                 * and counted: the re-match after illness or a no-show */
  ModelDate confirmed_since;    /* after 1970-01-01: employees whose availability was last
                                 * confirmed before this date (or never) are stale and left
                                 * out of the round; otherwise (the default MODEL_DATE_NONE,
                                 * or 0 in a zeroed struct) nobody is */
  gint64 whatif_ms;             /* time budget of the round's what-ifs in milliseconds
                                 * (default ENGINE_WHATIF_DEFAULT_MS); 0: none */
  guint whatif_solves;          /* count budget: re-solves of the round's what-ifs (default
                                 * ENGINE_WHATIF_DEFAULT_SOLVES); 0: none.  Deterministic,
                                 * unlike the time budget, which is a safety net */
  guint whatif_whole;           /* components of at most this many candidates are re-solved
                                 * whole (default ENGINE_WHATIF_WHOLE), see EngineWhatif */
  guint whatif_neighbourhood;   /* ... else the candidates re-solved around the slot at
                                 * most (default ENGINE_WHATIF_NEIGHBOURHOOD) */
  const gint *stop;             /* NULL, or a flag another thread may set (g_atomic_int_set
                                 * to 1) to cut the round's what-ifs short, as a server
                                 * that is stopping does; the plan never depends on it */
} EngineOptions;

#define ENGINE_WHATIF_DEFAULT_MS 5000
#define ENGINE_WHATIF_DEFAULT_SOLVES 5000

void engine_options_init(EngineOptions *options);

/* The continuity charge a round with `options` makes, in metres: continuity_m, or 0
 * when continuity is off or the round is travel alone. */
gint32 engine_options_continuity_m(const EngineOptions *options);

/* The charge for `km` kilometres (decimals allowed), rounded to whole metres, into
 * *out_m; FALSE (and *out_m untouched) when km is not a number from 0 to
 * ENGINE_MAX_CONTINUITY_M / 1000. */
gboolean engine_continuity_m_from_km(double km, gint32 *out_m);

/* Whether request `request` (dataset index; the dataset indexed) lies in the districts
 * of `options`: always when options->districts is NULL, else when its school is found
 * and that school's district is listed.  Says nothing about the request's status. */
gboolean engine_options_cover_request(const EngineOptions *options, const ModelDataset *dataset,
                                      guint request);

/* Whether `employee`'s availability is too old for a round under `options`. */
gboolean engine_options_stale(const EngineOptions *options, const ModelEmployee *employee);

/* Why an employee was proposed, as bits. */
typedef enum {
  ENGINE_WHY_SAME_DISTRICT = 1u << 0, /* lives/works in the school's district */
  ENGINE_WHY_NEIGHBOUR = 1u << 1,     /* in a neighbouring district */
  ENGINE_WHY_PREFERRED = 1u << 2,     /* holds every preferred qualification */
  ENGINE_WHY_KNOWS_SCHOOL = 1u << 3,  /* already approved at this school before */
  ENGINE_WHY_CONTINUITY = 1u << 4,    /* also proposed for other slots of this request */
} EngineWhy;

typedef struct {
  guint request;  /* index into dataset->requests */
  guint employee; /* index into dataset->employees */
  ModelSlot slot;
  gint64 travel_m;            /* metres */
  ModelQualSet preferred_met; /* the request's preferred tags this employee holds */
  guint32 why;                /* EngineWhy bits */
} EngineProposal;

/* The kinds of single relaxation a what-if tries, cheapest first: a relaxation that
 * asks a little more travel comes before one that lowers what the school requires,
 * that before one asking an employee for more time, and that before one taking help
 * from another school. */
typedef enum {
  ENGINE_WHATIF_TRAVEL,     /* a travel limit raised: the request's, or an employee's */
  ENGINE_WHATIF_PREFERRED,  /* one required qualification of the request only preferred */
  ENGINE_WHATIF_EXTRA_PART, /* an employee works one more day part that ISO week */
  ENGINE_WHATIF_YIELD,      /* a lower-priority request gives up that day part */
} EngineWhatifKind;
#define ENGINE_WHATIF_N_KINDS 4

typedef enum {
  ENGINE_WHATIF_SKIPPED, /* not looked into: the budget ran out (or no what-if was asked) */
  ENGINE_WHATIF_NONE,    /* every relaxation tried; none fills it */
  ENGINE_WHATIF_FOUND,   /* the cheapest relaxation that fills it */
} EngineWhatifOutcome;

/* "travel", "preferred", "extra_day_part", "yield"; "skipped", "none", "found". */
const char *engine_whatif_kind_name(EngineWhatifKind kind);
const char *engine_whatif_outcome_name(EngineWhatifOutcome outcome);

/* The cheapest single relaxation that fills one more staff-slot of an open request
 * slot.  "Fills" means: re-solving the slot's component with the relaxation applied
 * (as a round on the relaxed dataset solves it) gives the slot more staff and no other
 * request slot less, except the one that yields.  "Cheapest": kinds in the order of
 * EngineWhatifKind, then the smallest change (fewest km added; fewest staff given up),
 * then the id of the employee, request or qualification it names.  Only relaxations
 * that let some employee pass the slot's funnel (or free one who does) are tried, at
 * most ENGINE_WHATIF_TRIES_PER_KIND of each kind, a travel limit at most doubled (or
 * raised by 5 km when that is more).  What is re-solved is the whole of the components
 * the slot and the relaxation's new candidates lie in when they hold at most
 * EngineOptions.whatif_whole candidates; else the slot's neighbourhood, breadth first
 * from the slot, its augmenting path and the new candidates until it holds
 * EngineOptions.whatif_neighbourhood candidates, with every choice across its edge kept
 * as the round made it. */
#define ENGINE_WHATIF_TRIES_PER_KIND 6
#define ENGINE_WHATIF_NEIGHBOURHOOD 1000
#define ENGINE_WHATIF_WHOLE 20000
typedef struct {
  EngineWhatifOutcome outcome;
  EngineWhatifKind kind; /* the rest only when FOUND */
  gint employee;         /* dataset index: TRAVEL of an employee's limit, EXTRA_PART; else -1 */
  gint request;          /* dataset index: the request that yields (YIELD); else -1 */
  ModelQual qual;        /* PREFERRED */
  gint32 from, to;       /* TRAVEL: the limit in km and the one that fills; EXTRA_PART: the
                          * weekly maximum and one more; YIELD: that request's staff still
                          * needed in the day part, and 0 */
  gint32 week;           /* EXTRA_PART: the ISO week (model_date_iso_week) */
  guint32 tried;         /* relaxations re-solved for this slot */
  gboolean whole;        /* FOUND: the re-solve took in the whole of the components it
                          * touched, as a round on the relaxed data solves them, so that
                          * round fills the slot (unless the relaxation, in the dataset
                          * not limited to the slot's week, tips a tie another way in an
                          * earlier week); else only a neighbourhood, which shows a plan
                          * filling the slot with the rest of the round kept */
} EngineWhatif;

/* One staff-slot (or several of the same request slot) that stays open, with the
 * funnel that explains it.  Each count is a subset of the one before. */
typedef struct {
  guint request;
  ModelSlot slot;
  gint32 needed;         /* still needed after approvals */
  gint32 missing;        /* left open by this round */
  guint32 available;     /* active employees with vog available in that slot */
  guint32 confirmed;     /* ... whose availability is not stale (confirmed_since) */
  guint32 qualified;     /* ... holding every required qualification */
  guint32 in_range;      /* ... within both travel limits */
  guint32 not_rejected;  /* ... whose pair with this request was not rejected */
  guint32 not_cancelled; /* ... whose assignment to this request slot was not cancelled */
  guint32 left;          /* ... not placed elsewhere in that slot nor at their weekly max */
  guint32 lendable;      /* ... whose location can still lend them in that slot (H7) */
  GArray *taken_by;      /* guint request indices that took the others, sorted, unique */
  EngineWhatif whatif;
} EngineUnfilled;

/* What the what-ifs of a round did. */
typedef struct {
  guint found, none, skipped; /* unfilled entries by outcome */
  guint found_whole;          /* found with whole components re-solved (EngineWhatif.whole) */
  guint solves;               /* relaxed components re-solved */
  gboolean out_of_time;       /* the time budget cut them short (not deterministic) */
  gboolean out_of_solves;     /* the count budget did */
  gboolean stopped;           /* EngineOptions.stop did */
  gint64 us;                  /* wall time; not part of deterministic output */
} EngineWhatifStats;

typedef struct {
  gint64 needed;   /* staff-slots still needed, all priorities */
  gint64 filled;   /* proposed in this round */
  gint64 approved; /* already approved before the round */
  gint64 needed_by_priority[MODEL_N_PRIORITIES];
  gint64 filled_by_priority[MODEL_N_PRIORITIES];
  gint64 total_travel_m;
  gint64 cost_m;             /* objective term 3 of the proposals, metres (see above) */
  gint64 cost_bound_m;       /* a lower bound on term 3 at maximum fill: cost_m - this >= 0 is
                              * the most the slope scaling can have missed */
  gint64 kept;               /* undecided proposals in scope proposed again */
  gint64 added;              /* proposals that were not undecided proposals before */
  gint64 dropped;            /* undecided proposals in scope not proposed again */
  gboolean fair;             /* the round spread lending (EngineOptions.fair) */
  ModelDate confirmed_since; /* EngineOptions.confirmed_since of the round (<= 0: none) */
  gint64 continuity_m;       /* the charge per employee new to a request it made (0: none) */
  double mean_travel_km;
  double employees_per_request;  /* distinct employees per request with proposals */
  guint nodes, arcs;             /* of the flow network */
  guint crossing_components;     /* components where a weekly limit (H4) and a location's
                                    lending (H7) bind on the same employee-slot */
  guint uncertified_components;  /* ... of them, those whose plan is not proven optimal: it
                                    falls short of the relaxed bound (see crossing.c) by */
  gint64 uncertified_gap_filled; /* at most this many staff-slots in all, */
  gint64 uncertified_gap_high;   /* ... this many of high priority, */
  gint64 uncertified_gap_m;      /* ... or, at equal fill, this much cost in metres */
  guint crossing_nodes;          /* branch and bound nodes solved where they cross */
  gint64 build_us, solve_us;     /* wall time; not part of deterministic output */
  gint64 exact_us;               /* of it, the round's exact answer: every component's
                                    first solve (the relaxation whose cost is the bound),
                                    its network built, solved and priced in */
  EngineWhatifStats whatif;
} EngineStats;

typedef struct {
  GArray *proposals; /* EngineProposal, sorted by request id, slot, employee id */
  GArray *unfilled;  /* EngineUnfilled, sorted by request id, slot */
  EngineStats stats;
} EngineResult;

void engine_result_free(EngineResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(EngineResult, engine_result_free)

/* Runs a round on `dataset` (indexed and checked).  Proposed assignments already in
 * the dataset in the round's scope are replaced, and repeated where the objective's
 * stability term pays for it (counted in stats kept, added, dropped); approved ones
 * are fixed; rejected pairs are excluded.  Never fails on valid input; returns NULL with
 * ENGINE_ERROR_INVALID only when the problem cannot be represented (e.g. overflow). */
EngineResult *engine_match_run(const ModelDataset *dataset, const EngineOptions *options,
                               GError **error);

/* Builds the round's flow network without solving it (for --dump-dimacs): the whole
 * network in one piece at its linear costs, the continuity charge left out (it is a
 * fixed charge per pair, not a cost per unit); its optimum is the round's without
 * continuity.  Where a weekly limit and a location's lending cross, it is the relaxed
 * network of the first solve (see engine/network.c). */
EngineMcf *engine_match_network(const ModelDataset *dataset, const EngineOptions *options,
                                GError **error);

/* The greedy baseline: requests in dataset order (as posted), slots in order; for
 * each needed staff-slot the nearest feasible employee.  Same hard constraints. */
EngineResult *engine_greedy_run(const ModelDataset *dataset, const EngineOptions *options);

/* ---- alternatives to one proposal (alternatives.c) ------------------------ */

/* An employee who could take a staff-slot instead of the one proposed. */
typedef struct {
  guint employee;             /* dataset index */
  gint64 travel_m;            /* metres from the employee's start to the school */
  gint64 cost_m;              /* the round's cost of the pair (objective term 3 without
                               * the stability and fairness terms): travel, district,
                               * preferred-tag and unknown-school surcharges, plus the
                               * continuity charge unless the employee already works for
                               * the request (approved or proposed) */
  ModelQualSet preferred_met; /* the request's preferred tags this employee holds */
  guint32 why;                /* EngineWhy bits; CONTINUITY: already works for the request */
} EngineAlternative;

/* The at most `limit` employees who could take `slot` of request `request` (dataset
 * index; the dataset indexed) now, as EngineAlternative cheapest first, ties by employee
 * id (transfer full).  "Now" is the dataset's decisions as they stand: the employee
 * passes model_feasible() in that slot (available, VOG and required qualifications,
 * within both travel limits, not rejected for the request, not cancelled for the slot,
 * the request not cancelled), has no approved or proposed assignment in that day part,
 * and stays within the weekly maximum (H4) and the location's lending (H7) with
 * approved and proposed assignments counted.  `replacing` is the dataset index of the
 * assignment the alternative would replace (its employee is never offered and it
 * counts for nothing), or -1.  Costs use `options` as a round would (continuity_m,
 * travel_only; a stale employee under confirmed_since is left out).  Returns NULL with
 * ENGINE_ERROR_INVALID only when the dataset cannot be represented. */
GArray *engine_alternatives(const ModelDataset *dataset, const EngineOptions *options,
                            guint request, ModelSlot slot, gint replacing, guint limit,
                            GError **error);

/* ---- independent checker ------------------------------------------------ */

typedef struct {
  char *rule;    /* "H1".."H7" */
  char *message; /* names the assignment (request, employee, date, part) and the rule */
} EngineViolation;

/* Checks `proposals` (EngineProposal, indices into `dataset`) together with the
 * dataset's approved assignments against every hard constraint, written apart from
 * the solver.  Returns a GPtrArray of EngineViolation* (transfer full), empty when
 * all hold, sorted by rule then message. */
GPtrArray *engine_check(const ModelDataset *dataset, const EngineOptions *options,
                        const GArray *proposals);
void engine_violation_free(EngineViolation *violation);

G_END_DECLS
