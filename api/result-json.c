/* result-json.c: encodes a round's result as JSON and reads proposals back for the
 * checker (see result-json.h).  Numbers that are fractions (km, rates) are written
 * from fixed-precision text so the output is byte-identical across runs and
 * platforms. */
#include "result-json.h"

#include <json-c/json.h>
#include <math.h>

#include "dataset-json.h"

/* A double written as the given fixed number of decimals. */
static json_object *fixed_double(double value, int decimals) {
  char text[64];
  g_snprintf(text, sizeof text, "%.*f", decimals, value);
  return json_object_new_double_s(g_ascii_strtod(text, NULL), text);
}

static double rate(gint64 part, gint64 whole) {
  return whole > 0 ? (double)part / (double)whole : 1.0;
}

static json_object *qual_array(ModelQualSet set) {
  json_object *array = json_object_new_array();
  for (int q = 0; q < MODEL_N_QUALS; q++)
    if (set & MODEL_QUAL_BIT(q))
      json_object_array_add(array, json_object_new_string(model_qual_name((ModelQual)q)));
  return array;
}

static json_object *why_array(guint32 why) {
  static const struct {
    guint32 bit;
    const char *name;
  } names[] = {
      {ENGINE_WHY_SAME_DISTRICT, "same-district"},
      {ENGINE_WHY_NEIGHBOUR, "neighbouring-district"},
      {ENGINE_WHY_PREFERRED, "preferred-qualifications"},
      {ENGINE_WHY_KNOWS_SCHOOL, "knows-school"},
      {ENGINE_WHY_CONTINUITY, "continuity"},
  };
  json_object *array = json_object_new_array();
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (why & names[i].bit)
      json_object_array_add(array, json_object_new_string(names[i].name));
  return array;
}

static void add_string(json_object *object, const char *key, const char *value) {
  json_object_object_add(object, key, json_object_new_string(value));
}

static void add_int(json_object *object, const char *key, gint64 value) {
  json_object_object_add(object, key, json_object_new_int64(value));
}

static void add_slot(json_object *object, ModelSlot slot) {
  char date[11];
  model_date_format(slot.date, date);
  add_string(object, "date", date);
  add_string(object, "part", model_part_name(slot.part));
}

static json_object *encode_proposal(const ModelDataset *dataset, const EngineProposal *p) {
  const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, p->request);
  const ModelEmployee *employee = &g_array_index(dataset->employees, ModelEmployee, p->employee);
  json_object *object = json_object_new_object();
  add_string(object, "request", request->id);
  add_string(object, "school", request->school_id);
  add_string(object, "employee", employee->id);
  add_string(object, "organisation", employee->organisation_id);
  add_slot(object, p->slot);
  add_int(object, "travel_m", p->travel_m);
  json_object_object_add(object, "travel_km", fixed_double((double)p->travel_m / 1000.0, 1));
  json_object_object_add(object, "preferred_met", qual_array(p->preferred_met));
  json_object_object_add(object, "why", why_array(p->why));
  return object;
}

/* Appends ", N <what>" or, for zero, ", none <what>" and reports whether to go on. */
static gboolean funnel_stage(GString *text, guint32 count, const char *what) {
  if (count == 0) {
    g_string_append_printf(text, ", none %s", what);
    return FALSE;
  }
  g_string_append_printf(text, ", %u %s", count, what);
  return TRUE;
}

char *api_result_explain(const ModelDataset *dataset, const EngineStats *stats,
                         const EngineUnfilled *u) {
  const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, u->request);
  const char *part = model_part_name(u->slot.part);
  GString *text = g_string_new(NULL);
  if (u->available == 0) {
    g_string_append_printf(text, "nobody with a VOG is available that %s", part);
    return g_string_free(text, FALSE);
  }
  g_string_append_printf(text, "%u available that %s", u->available, part);
  if (u->confirmed < u->available) { /* said only when stale availability narrows it */
    char since[11];
    model_date_format(stats->confirmed_since, since);
    g_autofree char *what = g_strdup_printf("confirmed since %s", since);
    if (!funnel_stage(text, u->confirmed, what))
      return g_string_free(text, FALSE);
  }
  g_autofree char *required = NULL;
  if (request->required & ~MODEL_QUAL_BIT(MODEL_QUAL_VOG)) {
    /* "with pm", "with pm and bso", "with pm, bso and first-aid" */
    GString *tags = g_string_new("with ");
    guint n = 0, total = 0;
    for (int q = 0; q < MODEL_N_QUALS; q++)
      total += q != MODEL_QUAL_VOG && (request->required & MODEL_QUAL_BIT(q));
    for (int q = 0; q < MODEL_N_QUALS; q++) {
      if (q == MODEL_QUAL_VOG || !(request->required & MODEL_QUAL_BIT(q)))
        continue;
      if (n > 0)
        g_string_append(tags, n + 1 == total ? " and " : ", ");
      g_string_append(tags, model_qual_name((ModelQual)q));
      n++;
    }
    required = g_string_free(tags, FALSE);
  } else {
    required = g_strdup("with the required qualifications");
  }
  g_autofree char *range = g_strdup_printf("within %d km", request->max_travel_km);
  if (!funnel_stage(text, u->qualified, required) || !funnel_stage(text, u->in_range, range) ||
      !funnel_stage(text, u->not_rejected, "not rejected for this request") ||
      (u->not_cancelled < u->not_rejected && /* said only when a cancellation narrows it */
       !funnel_stage(text, u->not_cancelled, "without a cancelled assignment here")))
    return g_string_free(text, FALSE);
  if (funnel_stage(text, u->left, "still free")) {
    /* H7, said only when a location keeps someone: "but their location needs them" */
    if (u->lendable == 0)
      g_string_append_printf(text, ", but their location needs them that %s", part);
    else if (u->lendable < u->left)
      g_string_append_printf(text, ", %u of them spared by their location", u->lendable);
    return g_string_free(text, FALSE);
  }
  if (!u->taken_by || u->taken_by->len == 0)
    return g_string_free(text, FALSE);
  g_string_append(text, ": taken by ");
  for (guint i = 0; i < u->taken_by->len; i++) {
    guint r = g_array_index(u->taken_by, guint, i);
    g_string_append_printf(text, "%s%s", i ? ", " : "",
                           g_array_index(dataset->requests, ModelRequest, r).id);
  }
  return g_string_free(text, FALSE);
}

/* The what-if of an unfilled entry as one sentence, in English or in Dutch. */
char *api_result_whatif_text(const ModelDataset *dataset, const EngineUnfilled *u, gboolean dutch) {
  const EngineWhatif *w = &u->whatif;
  if (w->outcome == ENGINE_WHATIF_SKIPPED)
    return g_strdup(dutch ? "Niet onderzocht: het budget voor wat-als was op."
                          : "Not looked into: the round's what-if budget ran out.");
  if (w->outcome == ENGINE_WHATIF_NONE)
    return g_strdup(dutch ? "Geen enkele versoepeling alleen zou deze plek vullen."
                          : "No single relaxation would fill it.");
  const char *employee =
      w->employee >= 0 ? g_array_index(dataset->employees, ModelEmployee, w->employee).id : "";
  const ModelRequest *request =
      w->request >= 0 ? &g_array_index(dataset->requests, ModelRequest, w->request) : NULL;
  GString *text = g_string_new(NULL);
  if (dutch)
    g_string_append(text, u->missing > 1 ? "Eén plek meer gevuld als " : "Gevuld als ");
  else
    g_string_append(text, u->missing > 1 ? "One more filled if " : "Filled if ");
  switch (w->kind) {
  case ENGINE_WHATIF_TRAVEL:
    if (w->employee >= 0)
      g_string_append_printf(text,
                             dutch ? "%s %d km wilde reizen in plaats van %d"
                                   : "%s could travel %d km instead of %d",
                             employee, w->to, w->from);
    else
      g_string_append_printf(text,
                             dutch ? "de reisafstand van de hulpvraag %d km was in plaats van %d"
                                   : "the request's travel limit were %d km instead of %d",
                             w->to, w->from);
    break;
  case ENGINE_WHATIF_PREFERRED:
    g_string_append_printf(text,
                           dutch ? "'%s' gewenst was in plaats van vereist"
                                 : "'%s' were preferred rather than required",
                           model_qual_name(w->qual));
    break;
  case ENGINE_WHATIF_EXTRA_PART:
    g_string_append_printf(text,
                           dutch ? "%s die week één dagdeel meer kon werken (%d in plaats van %d)"
                                 : "%s could work one more day part that week (%d instead of %d)",
                           employee, w->to, w->from);
    break;
  case ENGINE_WHATIF_YIELD: {
    gboolean normal = request->priority == MODEL_PRIORITY_NORMAL;
    if (dutch)
      g_string_append_printf(text, "%s (%s prioriteit) zijn %s afstond", request->id,
                             normal ? "normale" : "hoge",
                             u->slot.part == MODEL_PART_MORNING ? "ochtend" : "middag");
    else
      g_string_append_printf(text, "%s (%s priority) gave up its %s", request->id,
                             model_priority_name(request->priority), model_part_name(u->slot.part));
    if (w->from > 1)
      g_string_append_printf(text, dutch ? " (%d krachten)" : " (%d staff)", w->from);
    break;
  }
  }
  g_string_append_c(text, '.');
  return g_string_free(text, FALSE);
}

static json_object *encode_whatif(const ModelDataset *dataset, const EngineUnfilled *u) {
  const EngineWhatif *w = &u->whatif;
  json_object *object = json_object_new_object();
  add_string(object, "outcome", engine_whatif_outcome_name(w->outcome));
  if (w->outcome == ENGINE_WHATIF_FOUND) {
    add_string(object, "kind", engine_whatif_kind_name(w->kind));
    add_string(object, "checked_on", w->whole ? "component" : "neighbourhood");
    if (w->employee >= 0)
      add_string(object, "employee",
                 g_array_index(dataset->employees, ModelEmployee, w->employee).id);
    switch (w->kind) {
    case ENGINE_WHATIF_TRAVEL:
      add_string(object, "limit_of", w->employee >= 0 ? "employee" : "request");
      add_int(object, "from_km", w->from);
      add_int(object, "to_km", w->to);
      break;
    case ENGINE_WHATIF_PREFERRED:
      add_string(object, "qualification", model_qual_name(w->qual));
      break;
    case ENGINE_WHATIF_EXTRA_PART: {
      g_autofree char *week = g_strdup_printf("%d-W%02d", w->week / 100, w->week % 100);
      add_string(object, "week", week);
      add_int(object, "from_parts", w->from);
      add_int(object, "to_parts", w->to);
      break;
    }
    case ENGINE_WHATIF_YIELD: {
      const ModelRequest *other = &g_array_index(dataset->requests, ModelRequest, w->request);
      add_string(object, "request", other->id);
      add_string(object, "priority", model_priority_name(other->priority));
      add_int(object, "staff", w->from);
      break;
    }
    }
  }
  add_int(object, "tried", w->tried);
  g_autofree char *en = api_result_whatif_text(dataset, u, FALSE);
  g_autofree char *nl = api_result_whatif_text(dataset, u, TRUE);
  add_string(object, "text", en);
  add_string(object, "text_nl", nl);
  return object;
}

static json_object *encode_unfilled(const ModelDataset *dataset, const EngineStats *stats,
                                    const EngineUnfilled *u) {
  const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, u->request);
  gint school = model_dataset_find_school(dataset, request->school_id);
  json_object *object = json_object_new_object();
  add_string(object, "request", request->id);
  add_string(object, "school", request->school_id);
  if (school >= 0)
    add_string(object, "district",
               g_array_index(dataset->schools, ModelSchool, school).district_id);
  add_slot(object, u->slot);
  add_string(object, "priority", model_priority_name(request->priority));
  add_int(object, "needed", u->needed);
  add_int(object, "missing", u->missing);
  json_object *funnel = json_object_new_object();
  add_int(funnel, "available", u->available);
  add_int(funnel, "confirmed", u->confirmed);
  add_int(funnel, "qualified", u->qualified);
  add_int(funnel, "in_range", u->in_range);
  add_int(funnel, "not_rejected", u->not_rejected);
  add_int(funnel, "not_cancelled", u->not_cancelled);
  add_int(funnel, "left", u->left);
  add_int(funnel, "lendable", u->lendable);
  json_object_object_add(object, "funnel", funnel);
  json_object *taken = json_object_new_array();
  for (guint i = 0; u->taken_by && i < u->taken_by->len; i++) {
    guint r = g_array_index(u->taken_by, guint, i);
    json_object_array_add(
        taken, json_object_new_string(g_array_index(dataset->requests, ModelRequest, r).id));
  }
  json_object_object_add(object, "taken_by", taken);
  g_autofree char *reason = api_result_explain(dataset, stats, u);
  add_string(object, "reason", reason);
  json_object_object_add(object, "whatif", encode_whatif(dataset, u));
  return object;
}

static json_object *encode_fill(gint64 needed, gint64 filled) {
  json_object *object = json_object_new_object();
  add_int(object, "needed", needed);
  add_int(object, "filled", filled);
  json_object_object_add(object, "fill_rate", fixed_double(rate(filled, needed), 3));
  return object;
}

json_object *api_result_statistics(const EngineStats *s, gboolean timings) {
  json_object *object = json_object_new_object();
  add_int(object, "needed", s->needed);
  add_int(object, "filled", s->filled);
  add_int(object, "approved", s->approved);
  json_object_object_add(object, "fill_rate", fixed_double(rate(s->filled, s->needed), 3));
  json_object *by_priority = json_object_new_object();
  json_object_object_add(by_priority, "high",
                         encode_fill(s->needed_by_priority[MODEL_PRIORITY_HIGH],
                                     s->filled_by_priority[MODEL_PRIORITY_HIGH]));
  json_object_object_add(by_priority, "normal",
                         encode_fill(s->needed_by_priority[MODEL_PRIORITY_NORMAL],
                                     s->filled_by_priority[MODEL_PRIORITY_NORMAL]));
  json_object_object_add(object, "by_priority", by_priority);
  json_object_object_add(object, "total_travel_km", fixed_double(s->total_travel_m / 1000.0, 1));
  json_object_object_add(object, "mean_travel_km", fixed_double(s->mean_travel_km, 2));
  json_object_object_add(object, "employees_per_request",
                         fixed_double(s->employees_per_request, 3));
  json_object_object_add(object, "fair", json_object_new_boolean(s->fair));
  json_object_object_add(object, "continuity_km", fixed_double(s->continuity_m / 1000.0, 3));
  if (s->confirmed_since > 0) { /* see EngineOptions.confirmed_since */
    char since[11];
    model_date_format(s->confirmed_since, since);
    add_string(object, "confirmed_since", since);
  }
  json_object_object_add(object, "cost_km", fixed_double(s->cost_m / 1000.0, 1));
  json_object_object_add(object, "cost_bound_km", fixed_double(s->cost_bound_m / 1000.0, 1));
  json_object *changes = json_object_new_object();
  add_int(changes, "kept", s->kept);
  add_int(changes, "new", s->added);
  add_int(changes, "dropped", s->dropped);
  json_object_object_add(object, "changes", changes);
  json_object *network = json_object_new_object();
  add_int(network, "nodes", s->nodes);
  add_int(network, "arcs", s->arcs);
  add_int(network, "crossing_components", s->crossing_components);
  add_int(network, "uncertified_components", s->uncertified_components);
  add_int(network, "uncertified_gap_filled", s->uncertified_gap_filled);
  add_int(network, "uncertified_gap_high", s->uncertified_gap_high);
  add_int(network, "uncertified_gap_m", s->uncertified_gap_m);
  json_object_object_add(object, "network", network);
  json_object *whatif = json_object_new_object();
  add_int(whatif, "found", s->whatif.found);
  add_int(whatif, "found_on_component", s->whatif.found_whole);
  add_int(whatif, "none", s->whatif.none);
  add_int(whatif, "skipped", s->whatif.skipped);
  add_int(whatif, "solves", s->whatif.solves);
  /* Only a cut by the count budget is deterministic. */
  const char *stopped = s->whatif.stopped         ? "stop"
                        : s->whatif.out_of_solves ? "solves"
                        : s->whatif.out_of_time   ? "time"
                                                  : NULL;
  json_object_object_add(whatif, "stopped_by", stopped ? json_object_new_string(stopped) : NULL);
  json_object_object_add(object, "whatif", whatif);
  if (timings) {
    json_object *t = json_object_new_object();
    json_object_object_add(t, "build_ms", fixed_double(s->build_us / 1000.0, 1));
    json_object_object_add(t, "solve_ms", fixed_double(s->solve_us / 1000.0, 1));
    json_object_object_add(t, "exact_ms", fixed_double(s->exact_us / 1000.0, 1));
    json_object_object_add(t, "whatif_ms", fixed_double(s->whatif.us / 1000.0, 1));
    json_object_object_add(object, "timings", t);
  }
  return object;
}

json_object *api_result_unfilled(const ModelDataset *dataset, const EngineResult *result) {
  json_object *unfilled = json_object_new_array_ext((int)result->unfilled->len);
  for (guint i = 0; i < result->unfilled->len; i++)
    json_object_array_add(unfilled,
                          encode_unfilled(dataset, &result->stats,
                                          &g_array_index(result->unfilled, EngineUnfilled, i)));
  return unfilled;
}

char *api_result_encode(const ModelDataset *dataset, const EngineResult *result, gboolean timings) {
  json_object *root = json_object_new_object();
  json_object *proposals = json_object_new_array_ext((int)result->proposals->len);
  for (guint i = 0; i < result->proposals->len; i++)
    json_object_array_add(
        proposals, encode_proposal(dataset, &g_array_index(result->proposals, EngineProposal, i)));
  json_object_object_add(root, "proposals", proposals);
  json_object_object_add(root, "unfilled", api_result_unfilled(dataset, result));
  json_object_object_add(root, "statistics", api_result_statistics(&result->stats, timings));
  char *text = g_strdup_printf("%s\n", json_object_to_json_string_ext(
                                           root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(root);
  return text;
}

/* A required string member of a proposal; records a problem when missing or not a
 * string. */
static const char *member_string(json_object *object, const char *key, const char *pointer,
                                 GPtrArray *problems) {
  json_object *value = NULL;
  if (!json_object_object_get_ex(object, key, &value)) {
    model_problems_add(problems, pointer, "missing %s", key);
    return NULL;
  }
  if (!json_object_is_type(value, json_type_string)) {
    model_problems_add(problems, pointer, "%s: expected a string", key);
    return NULL;
  }
  return json_object_get_string(value);
}

GArray *api_result_decode_proposals(const ModelDataset *dataset, const char *text, gsize length,
                                    GPtrArray *problems) {
  guint before = problems->len;
  if (length > MODEL_JSON_MAX_BYTES || length > G_MAXINT) {
    model_problems_add(problems, "", "the document is larger than %" G_GSIZE_FORMAT " bytes",
                       (gsize)MODEL_JSON_MAX_BYTES);
    return NULL;
  }
  json_tokener *tokener = json_tokener_new_ex(MODEL_JSON_MAX_DEPTH);
  json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
  json_object *root = json_tokener_parse_ex(tokener, text, (int)length);
  enum json_tokener_error jerr = json_tokener_get_error(tokener);
  if (jerr == json_tokener_success && json_tokener_get_parse_end(tokener) < length)
    jerr = json_tokener_error_parse_unexpected;
  if (jerr != json_tokener_success || root == NULL) {
    model_problems_add(problems, "", "not valid JSON at byte %zu: %s",
                       json_tokener_get_parse_end(tokener),
                       root ? "trailing characters" : json_tokener_error_desc(jerr));
    json_object_put(root);
    json_tokener_free(tokener);
    return NULL;
  }
  json_tokener_free(tokener);
  json_object *array = NULL;
  if (!json_object_is_type(root, json_type_object) ||
      !json_object_object_get_ex(root, "proposals", &array) ||
      !json_object_is_type(array, json_type_array)) {
    model_problems_add(problems, "proposals", "missing (expected an array of proposals)");
    json_object_put(root);
    return NULL;
  }
  GArray *proposals = g_array_new(FALSE, TRUE, sizeof(EngineProposal));
  for (gsize i = 0; i < json_object_array_length(array); i++) {
    g_autofree char *pointer = g_strdup_printf("proposals/%zu", i);
    json_object *item = json_object_array_get_idx(array, i);
    if (!json_object_is_type(item, json_type_object)) {
      model_problems_add(problems, pointer, "expected an object");
      continue;
    }
    const char *request = member_string(item, "request", pointer, problems);
    const char *employee = member_string(item, "employee", pointer, problems);
    const char *date = member_string(item, "date", pointer, problems);
    const char *part = member_string(item, "part", pointer, problems);
    EngineProposal p = {0};
    gint r = request ? model_dataset_find_request(dataset, request) : -1;
    gint e = employee ? model_dataset_find_employee(dataset, employee) : -1;
    if (request && r < 0)
      model_problems_add(problems, pointer, "request: no request with id \"%s\"", request);
    if (employee && e < 0)
      model_problems_add(problems, pointer, "employee: no employee with id \"%s\"", employee);
    if (date && !model_date_parse(date, &p.slot.date))
      model_problems_add(problems, pointer,
                         "date: \"%s\" is not a valid date (expected "
                         "YYYY-MM-DD)",
                         date);
    if (part && !model_part_parse(part, &p.slot.part))
      model_problems_add(problems, pointer,
                         "part: \"%s\" is not a day part (expected morning "
                         "or afternoon)",
                         part);
    if (r < 0 || e < 0 || problems->len > before)
      continue;
    p.request = (guint)r;
    p.employee = (guint)e;
    const ModelRequest *req = &g_array_index(dataset->requests, ModelRequest, p.request);
    const ModelEmployee *emp = &g_array_index(dataset->employees, ModelEmployee, p.employee);
    gint s = model_dataset_find_school(dataset, req->school_id);
    double lat, lon;
    if (s >= 0 && model_employee_location(dataset, emp, &lat, &lon)) {
      const ModelSchool *school = &g_array_index(dataset->schools, ModelSchool, s);
      p.travel_m = model_distance_m(lat, lon, school->lat, school->lon);
    }
    p.preferred_met = req->preferred & emp->quals;
    g_array_append_val(proposals, p);
  }
  json_object_put(root);
  if (problems->len > before) {
    g_array_free(proposals, TRUE);
    return NULL;
  }
  return proposals;
}
