/* round.c: running a matching round on the store (see round.h).  The engine leaves the
 * requests of other districts out by itself (EngineOptions.districts); their approved
 * assignments still occupy their employees.  The result is serialised once, from the
 * engine's structs to json-c values to the text the store keeps.
 */
#include "round.h"

#include "result-json.h"

ModelDate api_round_confirmed_since(ModelDate today, guint stale_after_days) {
  if (stale_after_days == 0)
    return MODEL_DATE_NONE;
  if (today == MODEL_DATE_NONE) {
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    today = model_date_from_ymd(g_date_time_get_year(now), g_date_time_get_month(now),
                                g_date_time_get_day_of_month(now));
  }
  return today - (ModelDate)stale_after_days;
}

void api_round_outcome_clear(ApiRoundOutcome *outcome) {
  g_clear_pointer(&outcome->result, engine_result_free);
  g_clear_pointer(&outcome->dataset, model_dataset_free);
}

gboolean api_round_begin(ModelStore *store, const EngineOptions *options, const char *actor,
                         gint64 now, gint64 *out_id, GError **error) {
  g_return_val_if_fail(store != NULL && options != NULL && actor != NULL && out_id != NULL, FALSE);
  return model_store_round_start(store, options->districts, options->freed_only,
                                 engine_options_continuity_m(options), actor, now, out_id, error);
}

static void clear_assignment(gpointer data) {
  model_assignment_clear(data);
}

/* The round's proposals as assignments "pROUND-NNNNN", numbered in the result's order
 * (sorted by request id, slot, employee id) (transfer full). */
static GArray *round_proposals(const ModelDataset *dataset, const EngineResult *result, gint64 id) {
  GArray *proposals =
      g_array_sized_new(FALSE, TRUE, sizeof(ModelAssignment), result->proposals->len);
  g_array_set_clear_func(proposals, clear_assignment);
  for (guint i = 0; i < result->proposals->len; i++) {
    const EngineProposal *p = &g_array_index(result->proposals, EngineProposal, i);
    ModelAssignment a;
    model_assignment_init(&a);
    a.id = g_strdup_printf("p%" G_GINT64_FORMAT "-%05u", id, i + 1);
    a.request_id = g_strdup(g_array_index(dataset->requests, ModelRequest, p->request).id);
    a.employee_id = g_strdup(g_array_index(dataset->employees, ModelEmployee, p->employee).id);
    a.slot = p->slot;
    a.status = MODEL_ASSIGNMENT_PROPOSED;
    g_array_append_val(proposals, a);
  }
  return proposals;
}

static char *to_text(json_object *value) {
  char *text = g_strdup(json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(value);
  return text;
}

static gboolean run(ModelStore *store, gint64 id, const EngineOptions *options, gint64 now,
                    ApiRoundOutcome *outcome, GError **error) {
  outcome->dataset = model_store_load(store, error);
  if (outcome->dataset == NULL)
    return FALSE;
  outcome->result = engine_match_run(outcome->dataset, options, error);
  if (outcome->result == NULL)
    return FALSE;
  /* A stored round keeps its timings, the what-ifs' time among them. */
  g_autofree char *stats = to_text(api_result_statistics(&outcome->result->stats, TRUE));
  g_autofree char *unfilled = to_text(api_result_unfilled(outcome->dataset, outcome->result));
  g_autoptr(GArray) proposals = round_proposals(outcome->dataset, outcome->result, id);
  return model_store_round_finish(store, id, options->districts, proposals, stats, unfilled, now,
                                  error);
}

gboolean api_round_run(ModelStore *store, gint64 id, const EngineOptions *options, gint64 now,
                       ApiRoundOutcome *out, GError **error) {
  g_return_val_if_fail(store != NULL && options != NULL, FALSE);
  ApiRoundOutcome outcome = {NULL, NULL};
  GError *local = NULL;
  if (!run(store, id, options, now, &outcome, &local)) {
    api_round_outcome_clear(&outcome);
    g_autoptr(GError) fail_error = NULL;
    if (!model_store_round_fail(store, id, local->message, now, &fail_error))
      g_prefix_error(&local, "(the failure could not be recorded either: %s) ",
                     fail_error->message);
    g_propagate_error(error, local);
    return FALSE;
  }
  if (out != NULL)
    *out = outcome;
  else
    api_round_outcome_clear(&outcome);
  return TRUE;
}
