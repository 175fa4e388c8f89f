/* handlers-rounds.c: matching rounds.  POST /v1/rounds starts a round over the
 * coordinator's districts (or a subset named in the body) and answers 202 at once
 * with its id; the round runs in a worker thread (services.c).  {"slots": "freed"}
 * re-matches only the day parts cancellations freed, at once after an illness;
 * {"fair": true} spreads lending across organisations; {"continuity_km": N} sets the
 * charge per employee new to a request (0: travel first); {"polish": true} runs the
 * slower polish pass (engine/polish.c); {"whatif_ms": N, "whatif_solves": N} bound the
 * what-ifs of the unfilled staff-slots (engine/whatif.c).  GET /v1/rounds/{id}
 * gives its status, statistics and the unfilled staff-slots with their funnels.  A
 * coordinator sees a round only when all its districts are theirs.  GET /v1/rounds
 * lists them newest first, a page at a time.
 */
#include "entity-codec.h"
#include "handlers.h"

static const guint coordinator_only = API_ROLE_BIT(MODEL_ROLE_COORDINATOR);

/* What a POST /v1/rounds body asks for: {"districts": [...], "slots": "all"|"freed",
 * "fair": true|false, "continuity_km": N, "polish": true|false, "whatif_ms": N,
 * "whatif_solves": N}, every member optional. */
typedef struct {
  GStrv districts; /* NULL: the caller's own scope */
  gboolean freed;
  gboolean fair;
  gint32 continuity_m;
  gboolean polish;
  gint64 whatif_ms, whatif_solves;
} RoundBody;

/* The largest what-if budgets a round may ask for: a round holds the store's round
 * slot while it runs, so one request cannot keep it for long. */
#define MAX_WHATIF_MS 60000
#define MAX_WHATIF_SOLVES 100000

/* Reads a whole number from 0 to `max` at `pointer` into *out; FALSE after answering
 * 422 with what the member is for. */
static gboolean body_count(ApiResponse *response, json_object *value, const char *pointer,
                           gint64 max, const char *what, gint64 *out) {
  gint64 n = json_object_is_type(value, json_type_int) ? json_object_get_int64(value) : -1;
  if (n < 0 || n > max) {
    api_response_fail(response, API_ERROR_INVALID, pointer,
                      "expected a whole number from 0 to %" G_GINT64_FORMAT " (%s)", max, what);
    return FALSE;
  }
  *out = n;
  return TRUE;
}

static void round_body_clear(RoundBody *body) {
  g_clear_pointer(&body->districts, g_strfreev);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(RoundBody, round_body_clear)

/* The districts of the body: a non-empty array of the caller's district ids, without
 * repeats (transfer full); NULL after answering 422. */
static GStrv body_districts(const ApiRequest *request, ApiResponse *response,
                            const ModelDataset *dataset, json_object *list) {
  gsize n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
  if (n == 0) {
    api_response_fail(response, API_ERROR_INVALID, "/districts",
                      "expected a non-empty array of district ids");
    return NULL;
  }
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
  for (gsize i = 0; i < n; i++) {
    json_object *item = json_object_array_get_idx(list, i);
    const char *id =
        json_object_is_type(item, json_type_string) ? json_object_get_string(item) : NULL;
    if (id == NULL || model_dataset_find_district(dataset, id) < 0 ||
        !api_in_districts(request->principal, id)) {
      g_autofree char *pointer = g_strdup_printf("/districts/%" G_GSIZE_FORMAT, i);
      api_response_fail(response, API_ERROR_INVALID, pointer, "expected one of your district ids");
      return NULL;
    }
    if (!g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL))
      g_ptr_array_add(ids, g_strdup(id));
  }
  g_ptr_array_add(ids, NULL);
  return (GStrv)g_ptr_array_free(g_steal_pointer(&ids), FALSE);
}

/* Reads the optional body into `out`; FALSE after answering 422. */
static gboolean read_round_body(const ApiRequest *request, ApiResponse *response,
                                const ModelDataset *dataset, RoundBody *out) {
  gboolean present = FALSE;
  json_object *body = api_body(request, response, json_type_object, TRUE, &present);
  if (body == NULL)
    return !present;
  gboolean ok = TRUE;
  json_object_object_foreach(body, key, value) {
    if (g_str_equal(key, "districts")) {
      ok = (out->districts = body_districts(request, response, dataset, value)) != NULL;
    } else if (g_str_equal(key, "slots")) {
      const char *slots =
          json_object_is_type(value, json_type_string) ? json_object_get_string(value) : "";
      out->freed = g_str_equal(slots, "freed");
      if (!out->freed && !g_str_equal(slots, "all")) {
        api_response_fail(response, API_ERROR_INVALID, "/slots",
                          "expected \"all\" or \"freed\" (only the day parts a cancellation "
                          "freed)");
        ok = FALSE;
      }
    } else if (g_str_equal(key, "fair")) {
      if (!(ok = json_object_is_type(value, json_type_boolean)))
        api_response_fail(response, API_ERROR_INVALID, "/fair",
                          "expected true or false (spread lending across organisations)");
      else
        out->fair = json_object_get_boolean(value);
    } else if (g_str_equal(key, "polish")) {
      if (!(ok = json_object_is_type(value, json_type_boolean)))
        api_response_fail(response, API_ERROR_INVALID, "/polish",
                          "expected true or false (polish the plan: slower, may lower its cost)");
      else
        out->polish = json_object_get_boolean(value);
    } else if (g_str_equal(key, "continuity_km")) {
      gboolean number =
          json_object_is_type(value, json_type_int) || json_object_is_type(value, json_type_double);
      if (!(ok = number &&
                 engine_continuity_m_from_km(json_object_get_double(value), &out->continuity_m)))
        api_response_fail(response, API_ERROR_INVALID, "/continuity_km",
                          "expected a number of kilometres from 0 to %d (the charge per employee "
                          "new to a request; 0: travel first)",
                          ENGINE_MAX_CONTINUITY_M / 1000);
    } else if (g_str_equal(key, "whatif_ms")) {
      ok = body_count(response, value, "/whatif_ms", MAX_WHATIF_MS,
                      "the what-ifs' time budget in milliseconds; 0: none", &out->whatif_ms);
    } else if (g_str_equal(key, "whatif_solves")) {
      ok = body_count(response, value, "/whatif_solves", MAX_WHATIF_SOLVES,
                      "the what-ifs' budget of re-solves; 0: none", &out->whatif_solves);
    } else {
      g_autofree char *pointer = g_strdup_printf("/%s", key);
      api_response_fail(response, API_ERROR_INVALID, pointer,
                        "unknown key (expected districts, slots, fair, continuity_km, polish, "
                        "whatif_ms or whatif_solves)");
      ok = FALSE;
    }
    if (!ok)
      break;
  }
  json_object_put(body);
  return ok;
}

static json_object *parse_or_null(const char *text) {
  return text != NULL ? json_tokener_parse(text) : NULL;
}

/* A charge in metres as kilometres; null when not recorded (< 0). */
static json_object *continuity_km(gint64 metres) {
  return metres >= 0 ? json_object_new_double((double)metres / 1000.0) : NULL;
}

void api_handle_rounds_start(ApiServices *services, const ApiRequest *request,
                             ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "start rounds"))
    return;
  ModelQuery query;
  model_query_init(&query);
  g_autoptr(ModelDataset) dataset =
      api_read(services, response, model_store_query_districts, &query);
  if (dataset == NULL)
    return;
  g_auto(RoundBody) asked = {NULL,
                             FALSE,
                             FALSE,
                             ENGINE_DEFAULT_CONTINUITY_M,
                             FALSE,
                             ENGINE_WHATIF_DEFAULT_MS,
                             ENGINE_WHATIF_DEFAULT_SOLVES};
  if (!read_round_body(request, response, dataset, &asked))
    return;
  const char *const *districts = asked.districts != NULL
                                     ? (const char *const *)asked.districts
                                     : (const char *const *)request->principal->districts;
  EngineOptions options;
  engine_options_init(&options);
  options.districts = districts;
  options.freed_only = asked.freed;
  options.fair = asked.fair;
  options.continuity_m = asked.continuity_m;
  options.polish = asked.polish;
  options.whatif_ms = asked.whatif_ms;
  options.whatif_solves = (guint)asked.whatif_solves;
  g_autofree char *actor = api_actor(request->principal);
  gint64 id = 0;
  g_autoptr(GError) error = NULL;
  if (!api_services_round_start(services, &options, actor, &id, &error)) {
    if (g_error_matches(error, API_ERROR, API_ERROR_CONFLICT))
      api_response_fail(response, API_ERROR_ROUND_RUNNING, NULL, "%s", error->message);
    else
      api_response_gerror(response, error);
    return;
  }
  json_object *body = json_object_new_object();
  json_object_object_add(body, "id", json_object_new_int64(id));
  json_object_object_add(body, "status", json_object_new_string("running"));
  json_object *list = json_object_new_array();
  for (gsize i = 0; districts != NULL && districts[i] != NULL; i++)
    json_object_array_add(list, json_object_new_string(districts[i]));
  json_object_object_add(body, "districts", list);
  json_object_object_add(body, "slots", json_object_new_string(asked.freed ? "freed" : "all"));
  json_object_object_add(body, "fair", json_object_new_boolean(asked.fair));
  json_object_object_add(body, "continuity_km", continuity_km(asked.continuity_m));
  json_object_object_add(body, "polish", json_object_new_boolean(asked.polish));
  json_object_object_add(body, "whatif_ms", json_object_new_int64(asked.whatif_ms));
  json_object_object_add(body, "whatif_solves", json_object_new_int64(asked.whatif_solves));
  api_response_json(response, 202, body);
  response->location = g_strdup_printf("/v1/rounds/%" G_GINT64_FORMAT, id);
}

/* Whether every district of the round (a JSON array, [] meaning all) is the
 * caller's. */
static gboolean round_visible(const ApiPrincipal *principal, json_object *districts) {
  if (principal->districts == NULL)
    return TRUE;
  gsize n =
      json_object_is_type(districts, json_type_array) ? json_object_array_length(districts) : 0;
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!api_in_districts(principal,
                          json_object_get_string(json_object_array_get_idx(districts, i))))
      return FALSE;
  return TRUE;
}

/* A round as the API shows it; takes `districts` (the parsed districts member).  The
 * list leaves out "unfilled", which a round's own page has. */
static json_object *round_json(const ModelRound *round, json_object *districts, gboolean full) {
  json_object *body = json_object_new_object();
  json_object_object_add(body, "id", json_object_new_int64(round->id));
  json_object_object_add(body, "status", json_object_new_string(round->status));
  json_object_object_add(body, "districts", districts);
  json_object_object_add(body, "slots", json_object_new_string(round->freed ? "freed" : "all"));
  json_object_object_add(body, "continuity_km", continuity_km(round->continuity_m));
  json_object_object_add(body, "started_at", json_object_new_string(round->started_at));
  json_object_object_add(body, "finished_at", model_json_new_string_or_null(round->finished_at));
  json_object_object_add(body, "started_by", model_json_new_string_or_null(round->started_by));
  json_object_object_add(body, "proposals", json_object_new_int64(round->proposals));
  json_object_object_add(body, "statistics", parse_or_null(round->stats_json));
  if (full) {
    json_object *unfilled = parse_or_null(round->unfilled_json);
    json_object_object_add(body, "unfilled", unfilled != NULL ? unfilled : json_object_new_array());
  }
  json_object_object_add(body, "error", model_json_new_string_or_null(round->error));
  return body;
}

static GPtrArray *fetch_rounds(ModelStore *store, const ApiRequest *request, gint64 cursor,
                               guint limit, GError **error) {
  const ApiPrincipal *principal = request->principal;
  return model_store_rounds_list(store, (const char *const *)principal->districts, cursor, limit,
                                 error);
}

static json_object *round_list_view(gconstpointer object, gint64 *out_id) {
  const ModelRound *round = object;
  *out_id = round->id;
  return round_json(round, parse_or_null(round->districts), FALSE);
}

/* Newest first; the cursor is the last round shown. */
static const ApiNumberedList round_list = {1, fetch_rounds, round_list_view};

void api_handle_rounds_list(ApiServices *services, const ApiRequest *request,
                            ApiResponse *response) {
  if (api_require_role(request, response, coordinator_only, "read rounds"))
    api_list_numbered(services, request, response, &round_list);
}

void api_handle_round_get(ApiServices *services, const ApiRequest *request, ApiResponse *response) {
  if (!api_require_role(request, response, coordinator_only, "read rounds"))
    return;
  const char *text = g_hash_table_lookup(request->params, "id");
  gint64 id = 0;
  if (!g_ascii_string_to_signed(text, 10, 1, G_MAXINT64, &id, NULL)) {
    api_not_found(response, "round", text);
    return;
  }
  ModelStore *store = api_store(services, response);
  if (store == NULL)
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelRound) round = model_store_round_get(store, id, &error);
  if (round == NULL) {
    if (g_error_matches(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND))
      api_not_found(response, "round", text);
    else
      api_response_gerror(response, error);
    return;
  }
  json_object *districts = parse_or_null(round->districts);
  if (!round_visible(request->principal, districts)) {
    json_object_put(districts);
    api_not_found(response, "round", text);
    return;
  }
  api_response_json(response, 200, round_json(round, districts, TRUE));
}
