/* whatif-private.h: what whatif.c (the relaxations of each open slot, the budget) and
 * whatif-resolve.c (trying one relaxation) share: the round's state they read and the
 * relaxation being tried.  Indices are the round snapshot's.
 */
#pragma once

#include "match-private.h"

G_BEGIN_DECLS

#define ENGINE_WHATIF_UNSET G_MAXUINT

/* One relaxation to try. */
typedef struct {
  EngineWhatif what; /* outcome FOUND, kind and values */
  guint eweek;       /* EXTRA_PART: the employee-week with one more day part */
  guint drop;        /* YIELD: the request slot given up */
  gint32 change;     /* km added, staff given up, 1 otherwise: the smaller the cheaper */
  const char *id;    /* the employee, request or qualification named: ties */
} EngineRelax;

/* A candidate the relaxation adds, with its pair. */
typedef struct {
  guint eslot, rslot;
  EnginePair pair;
} EngineNewCand;

/* An approved assignment, by dataset indices. */
typedef struct {
  gint64 slot; /* model_slot_key() */
  guint request, employee;
} EngineApproved;

/* An employee a yielding request releases: a free slot (eslot index n_eslots + k for
 * the k-th) in a week the snapshot may not have (eweek ENGINE_WHATIF_UNSET). */
typedef struct {
  guint employee;
  ModelSlot slot;
  guint eweek;      /* the snapshot's employee-week, or ENGINE_WHATIF_UNSET */
  gint32 remaining; /* the week's room with the release */
  guint mini_es, mini_ew;
} EngineReleased;

/* The round's state the what-ifs read, and the scratch they reuse. */
typedef struct {
  const EngineSnapshot *snap;
  const guint8 *chosen;
  guint *ew_adj_start, *ew_adj;    /* per eweek: its candidates (CSR) */
  guint *rs_adj_start, *rs_adj;    /* per rslot: its candidates (CSR) */
  guint *ew_comp, *rs_comp;        /* per eweek, rslot: its component, or ENGINE_WHATIF_UNSET */
  guint *pair_start, *pair_chosen; /* per pair: its chosen candidates, ascending (CSR) */
  guint *es_taken;                 /* per eslot: the rslot it fills, or ENGINE_WHATIF_UNSET */
  gint32 *ew_used, *filled;        /* per eweek: slots filled; per rslot: staff */
  gint32 *ls_used;                 /* per lslot: its employees the round lends */
  guint *rs_by_slot;               /* rslot indices by slot, then index */
  EngineGrid grid;                 /* located employees */
  guint *es_map, *ew_map, *rs_map, *pair_map, *ls_map; /* ENGINE_WHATIF_UNSET between uses */
  guint *ew_in, *rs_in;        /* in the neighbourhood: ENGINE_WHATIF_UNSET between uses */
  gint32 *ew_fixed, *rs_fixed; /* chosen across its edge: 0 between uses */
  gboolean *es_blocked;        /* taken across its edge: FALSE between uses */
  guint *rs_parent;            /* the augmenting search: ENGINE_WHATIF_UNSET between uses */
  GArray *approved; /* EngineApproved of requests in the round, by slot, request id, employee id */
  GArray *released; /* EngineReleased by the YIELD being tried, else empty */
  gint64 deadline;
  guint solves_left;
  EngineWhatifStats *stats;
} EngineWhatifRun;

/* Builds the state of a round's what-ifs from its snapshot and choice; clear frees it. */
void engine_whatif_run_init(EngineWhatifRun *w, const EngineSnapshot *snap, const guint8 *chosen);
void engine_whatif_run_clear(EngineWhatifRun *w);
/* The approved assignments at `slot`: w->approved[*lo..*hi). */
void engine_whatif_approved_at(const EngineWhatifRun *w, ModelSlot slot, guint *lo, guint *hi);
/* The request slot of request `request` (dataset index) at `slot`, or ENGINE_WHATIF_UNSET. */
guint engine_whatif_find_rslot(const EngineWhatifRun *w, guint request, ModelSlot slot);
/* The pair facts of (request r, employee e) at distance d with `x` applied (x may be
 * NULL: none). */
void engine_whatif_relaxed_facts(const EngineWhatifRun *w, const EngineRelax *x, guint r, guint e,
                                 gint64 d, ModelPairFacts *facts);
/* Metres from employee `e`'s start to request `r`'s school (both known). */
gint64 engine_whatif_distance(const EngineWhatifRun *w, guint e, guint r);
/* Whether the employee's availability covers `slot`. */
gboolean engine_whatif_available(const ModelEmployee *emp, ModelSlot slot);
/* Tries relaxation `x` for request slot `t` (ISO week `week`): *solved when it was
 * re-solved (not ruled out first), *fills when that filled `t` with no other request
 * slot fewer, *whole when the re-solve took in whole components.  FALSE only when a
 * re-solve fails as a round would. */
gboolean engine_whatif_try(EngineWhatifRun *w, const EngineRelax *x, guint t, gint32 week,
                           gboolean *solved, gboolean *fills, gboolean *whole, GError **error);

G_END_DECLS
