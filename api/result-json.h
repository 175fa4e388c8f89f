/* result-json.h: a matching round's result as JSON, the output of `handen match` and
 * the input of `handen check`:
 *   {"proposals": [...], "unfilled": [...], "statistics": {...}}
 * Proposals and unfilled staff-slots name requests, schools, employees and
 * organisations by id.  Encoding is deterministic (same round, same bytes); timings
 * are written only when asked for, since they differ from run to run.
 */
#pragma once

#include <json-c/json.h>

#include "match.h"

G_BEGIN_DECLS

/* The result of a round on `dataset` as pretty JSON text (transfer full). */
char *api_result_encode(const ModelDataset *dataset, const EngineResult *result, gboolean timings);

/* The statistics and the unfilled staff-slots of a result as json-c values, exactly
 * the "statistics" and "unfilled" members of api_result_encode() (transfer full). */
json_object *api_result_statistics(const EngineStats *stats, gboolean timings);
json_object *api_result_unfilled(const ModelDataset *dataset, const EngineResult *result);

/* One plain-English sentence explaining an unfilled staff-slot from its funnel
 * (transfer full), e.g. "12 available that morning, 3 with the required
 * qualifications, none within travel distance"; `stats` is the round's (its
 * confirmed_since dates the confirmation stage). */
char *api_result_explain(const ModelDataset *dataset, const EngineStats *stats,
                         const EngineUnfilled *unfilled);

/* The what-if of an unfilled staff-slot as one sentence (transfer full), in English
 * ("Filled if the request's travel limit were 14 km instead of 10.") or in Dutch
 * ("Gevuld als ..."); says so when none was found or it was not looked into. */
char *api_result_whatif_text(const ModelDataset *dataset, const EngineUnfilled *unfilled,
                             gboolean dutch);

/* Reads the proposals of a result document into EngineProposal (indices into
 * `dataset`).  Every problem (malformed JSON, unknown ids, bad dates) is appended to
 * `problems` with its JSON Pointer; returns NULL when there is any. */
GArray *api_result_decode_proposals(const ModelDataset *dataset, const char *text, gsize length,
                                    GPtrArray *problems);

G_END_DECLS
