/* round.h: a matching round on the store, the one way a round runs: `handen match --db`
 * and POST /v1/rounds both register it with api_round_begin() and run it with
 * api_round_run().  Invariants: a registered round is refused while another running
 * round (in any process) shares a district; a round sees one snapshot of the store and
 * stores its proposals, statistics and unfilled staff-slots in one write transaction,
 * or is marked failed with the reason; proposal ids are "p<round>-NNNNN".
 */
#pragma once

#include "match.h"
#include "store-ops.h"

G_BEGIN_DECLS

/* What a finished round worked on and found, for a caller that reports it. */
typedef struct {
  ModelDataset *dataset; /* the snapshot */
  EngineResult *result;  /* indices into `dataset` */
} ApiRoundOutcome;

/* Frees both members and sets them to NULL. */
void api_round_outcome_clear(ApiRoundOutcome *outcome);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ApiRoundOutcome, api_round_outcome_clear)

/* Records a new running round with `options`: over its districts (NULL: every
 * district), of every request slot or, when freed_only, only of those a cancellation
 * freed, with its continuity charge; started by `actor`; writes its id to *out_id.
 * MODEL_ERROR_CONFLICT when a running round shares a district. */
gboolean api_round_begin(ModelStore *store, const EngineOptions *options, const char *actor,
                         gint64 now, gint64 *out_id, GError **error);

/* The first date of still-confirmed availability for EngineOptions.confirmed_since:
 * `today` (MODEL_DATE_NONE: the system's local date) less `stale_after_days`, or
 * MODEL_DATE_NONE (nobody goes stale) when that is 0. */
ModelDate api_round_confirmed_since(ModelDate today, guint stale_after_days);

/* Runs registered round `id` with `options` (those it was registered with):
 * snapshot, engine, then its proposals replace the undecided ones of its districts and
 * its statistics and unfilled staff-slots are stored.  On failure the round is marked
 * failed with the message and FALSE is returned with the error.  `out` (may be NULL)
 * receives the snapshot and the result on success. */
gboolean api_round_run(ModelStore *store, gint64 id, const EngineOptions *options, gint64 now,
                       ApiRoundOutcome *out, GError **error);

G_END_DECLS
