/* checker.c: the independent checker of the hard constraints H1..H7 (see match.h).
 *
 * Written apart from the solver and on purpose the plain way: every rule is a direct
 * reading of its definition, groups (employee and slot, employee and ISO week,
 * request and slot) are hash tables keyed by id strings, and nothing is shared with
 * the optimiser, so a mistake there cannot hide here.  Cost is linear in the number
 * of proposals and approved assignments plus the slot expansions of the employees
 * and requests that occur in them.  Every message names the rule, the employee and
 * ends in the assignment: "...: request <id> <date> <part>".
 */
#include "match.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Approved assignments and proposals that share a key: an employee's slot or week,
 * or a request's slot. */
typedef struct {
  gint64 approved;   /* approved assignments in the group */
  GArray *proposals; /* guint indices into the proposal list */
} Group;

typedef struct {
  const ModelDataset *dataset;
  const GArray *proposals;
  gint32 children_per_staff;
  GPtrArray *violations;     /* EngineViolation* */
  GHashTable *employee_slot; /* "employee slotkey" -> Group* (H1) */
  GHashTable *employee_week; /* "employee week" -> Group* (H4) */
  GHashTable *request_slot;  /* "request slotkey" -> Group* (H5) */
  GHashTable *location_slot; /* "location slotkey" -> Group* (H7) */
  GHashTable *approved;      /* "request employee slotkey" set (H6) */
  GHashTable *rejected;      /* "request employee" set (H6) */
  GHashTable *cancelled;     /* "request employee slotkey" set (H6) */
  GHashTable *slots_cache;   /* GArray* of ModelSlot, keyed "e:<id>" or "r:<id>" */
} Checker;

static void group_free(gpointer data) {
  Group *group = data;
  g_array_unref(group->proposals);
  g_free(group);
}

static Group *group_get(GHashTable *table, char *key /* transfer full */) {
  Group *group = g_hash_table_lookup(table, key);
  if (group == NULL) {
    group = g_new0(Group, 1);
    group->proposals = g_array_new(FALSE, FALSE, sizeof(guint));
    g_hash_table_insert(table, key, group);
  } else {
    g_free(key);
  }
  return group;
}

void engine_violation_free(EngineViolation *violation) {
  if (violation == NULL)
    return;
  g_free(violation->rule);
  g_free(violation->message);
  g_free(violation);
}

/* Appends "<rule>: <body>: request <id> <date> <part>". */
G_GNUC_PRINTF(4, 5)
static void report(Checker *checker, const char *rule, const EngineProposal *proposal,
                   const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  g_autofree char *body = g_strdup_vprintf(fmt, args);
  va_end(args);
  char date[11];
  model_date_format(proposal->slot.date, date);
  const char *part = model_part_name(proposal->slot.part);
  if (part == NULL)
    part = "(no such part)";
  EngineViolation *violation = g_new0(EngineViolation, 1);
  violation->rule = g_strdup(rule);
  if (proposal->request < checker->dataset->requests->len) {
    const ModelRequest *request =
        &g_array_index(checker->dataset->requests, ModelRequest, proposal->request);
    violation->message =
        g_strdup_printf("%s: %s: request %s %s %s", rule, body, request->id, date, part);
  } else {
    violation->message = g_strdup_printf("%s: %s: %s %s", rule, body, date, part);
  }
  g_ptr_array_add(checker->violations, violation);
}

/* The expanded slots of a rule list, cached under `key` (sorted, unique). */
static const GArray *cached_slots(Checker *checker, const char *kind, const char *id,
                                  const GArray *rules) {
  g_autofree char *key = g_strdup_printf("%s:%s", kind, id);
  GArray *slots = g_hash_table_lookup(checker->slots_cache, key);
  if (slots == NULL) {
    slots = model_slot_rules_expand(rules);
    g_hash_table_insert(checker->slots_cache, g_steal_pointer(&key), slots);
  }
  return slots;
}

static gboolean slots_contain(const GArray *slots, ModelSlot slot) {
  return bsearch(&slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL;
}

static char *slot_key(const char *id, ModelSlot slot) {
  return g_strdup_printf("%s %" G_GINT64_FORMAT, id, model_slot_key(slot));
}

static char *week_key(const char *id, ModelDate date) {
  return g_strdup_printf("%s %d", id, (int)model_date_iso_week(date));
}

static char *pair_key(const char *request_id, const char *employee_id) {
  return g_strdup_printf("%s %s", request_id, employee_id);
}

static char *triple_key(const char *request_id, const char *employee_id, ModelSlot slot) {
  return g_strdup_printf("%s %s %" G_GINT64_FORMAT, request_id, employee_id, model_slot_key(slot));
}

/* The id of the location employee `employee_id` works at, or NULL. */
static const char *employee_location(const Checker *checker, const char *employee_id) {
  gint e = model_dataset_find_employee(checker->dataset, employee_id);
  if (e < 0)
    return NULL;
  return g_array_index(checker->dataset->employees, ModelEmployee, e).location_id;
}

/* Loads the dataset's decisions: approved assignments count in every group, rejected
 * ones mark their pair, cancelled ones their request slot and employee.  Proposed
 * assignments play no part. */
static void load_assignments(Checker *checker) {
  const GArray *assignments = checker->dataset->assignments;
  for (guint i = 0; i < assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(assignments, ModelAssignment, i);
    if (a->request_id == NULL || a->employee_id == NULL)
      continue;
    if (a->status == MODEL_ASSIGNMENT_REJECTED) {
      g_hash_table_add(checker->rejected, pair_key(a->request_id, a->employee_id));
    } else if (a->status == MODEL_ASSIGNMENT_CANCELLED) {
      g_hash_table_add(checker->cancelled, triple_key(a->request_id, a->employee_id, a->slot));
    } else if (a->status == MODEL_ASSIGNMENT_APPROVED) {
      group_get(checker->employee_slot, slot_key(a->employee_id, a->slot))->approved++;
      group_get(checker->employee_week, week_key(a->employee_id, a->slot.date))->approved++;
      group_get(checker->request_slot, slot_key(a->request_id, a->slot))->approved++;
      const char *location = employee_location(checker, a->employee_id);
      if (location != NULL)
        group_get(checker->location_slot, slot_key(location, a->slot))->approved++;
      g_hash_table_add(checker->approved, triple_key(a->request_id, a->employee_id, a->slot));
    }
  }
}

/* H2, H3 and the single-proposal parts of H1, H5 and H6 for proposal `index`.
 * Returns FALSE when the proposal names no existing request or employee (reported;
 * the group rules then skip it). */
static gboolean check_one(Checker *checker, guint index) {
  const ModelDataset *dataset = checker->dataset;
  const EngineProposal *p = &g_array_index(checker->proposals, EngineProposal, index);
  if (p->request >= dataset->requests->len) {
    report(checker, "H5", p, "proposal names request index %u, which does not exist", p->request);
    return FALSE;
  }
  if (p->employee >= dataset->employees->len) {
    report(checker, "H2", p, "proposal names employee index %u, which does not exist", p->employee);
    return FALSE;
  }
  const ModelRequest *request = &g_array_index(dataset->requests, ModelRequest, p->request);
  const ModelEmployee *employee = &g_array_index(dataset->employees, ModelEmployee, p->employee);
  const char *eid = employee->id;

  /* H1: available in the slot. */
  if (!slots_contain(cached_slots(checker, "e", eid, employee->availability), p->slot))
    report(checker, "H1", p, "employee %s is not available", eid);

  /* H2: active, vog, every required qualification. */
  if (!employee->active)
    report(checker, "H2", p, "employee %s is not active", eid);
  if ((employee->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG)) == 0)
    report(checker, "H2", p, "employee %s has no vog", eid);
  for (int q = 0; q < MODEL_N_QUALS; q++) {
    if (q == MODEL_QUAL_VOG)
      continue;
    ModelQualSet bit = MODEL_QUAL_BIT(q);
    if ((request->required & bit) != 0 && (employee->quals & bit) == 0)
      report(checker, "H2", p, "employee %s lacks required qualification %s", eid,
             model_qual_name((ModelQual)q));
  }

  /* H3: within both travel limits. */
  gint school = request->school_id ? model_dataset_find_school(dataset, request->school_id) : -1;
  double lat, lon;
  if (school < 0) {
    report(checker, "H3", p, "school %s of the request is unknown",
           request->school_id ? request->school_id : "(none)");
  } else if (!model_employee_location(dataset, employee, &lat, &lon)) {
    report(checker, "H3", p, "employee %s has no known location", eid);
  } else {
    const ModelSchool *s = &g_array_index(dataset->schools, ModelSchool, school);
    gint64 limit_m = 1000 * (gint64)MIN(employee->max_travel_km, request->max_travel_km);
    gint64 distance_m = model_distance_m(lat, lon, s->lat, s->lon);
    if (distance_m > limit_m)
      report(checker, "H3", p,
             "employee %s would travel %" G_GINT64_FORMAT " m to school %s (limit %" G_GINT64_FORMAT
             " m)",
             eid, distance_m, s->id, limit_m);
  }

  /* H5: an open request, one of its slots. */
  if (request->status != MODEL_REQUEST_OPEN)
    report(checker, "H5", p, "employee %s is proposed for a cancelled request", eid);
  else if (!slots_contain(cached_slots(checker, "r", request->id, request->slots), p->slot))
    report(checker, "H5", p, "employee %s is proposed for a slot the request does not have", eid);

  /* H6: decisions stand. */
  g_autofree char *pair = pair_key(request->id, eid);
  if (g_hash_table_contains(checker->rejected, pair))
    report(checker, "H6", p, "employee %s was rejected for this request", eid);
  g_autofree char *triple = triple_key(request->id, eid, p->slot);
  if (g_hash_table_contains(checker->approved, triple))
    report(checker, "H6", p, "employee %s is already approved for this slot", eid);
  if (g_hash_table_contains(checker->cancelled, triple))
    report(checker, "H6", p, "employee %s's assignment to this slot was cancelled", eid);
  return TRUE;
}

/* Puts a well-formed proposal into its three groups. */
static void group_proposal(Checker *checker, guint index) {
  const EngineProposal *p = &g_array_index(checker->proposals, EngineProposal, index);
  const ModelRequest *request =
      &g_array_index(checker->dataset->requests, ModelRequest, p->request);
  const ModelEmployee *employee =
      &g_array_index(checker->dataset->employees, ModelEmployee, p->employee);
  g_array_append_val(group_get(checker->employee_slot, slot_key(employee->id, p->slot))->proposals,
                     index);
  g_array_append_val(
      group_get(checker->employee_week, week_key(employee->id, p->slot.date))->proposals, index);
  g_array_append_val(group_get(checker->request_slot, slot_key(request->id, p->slot))->proposals,
                     index);
  if (employee->location_id != NULL)
    g_array_append_val(
        group_get(checker->location_slot, slot_key(employee->location_id, p->slot))->proposals,
        index);
}

static const EngineProposal *proposal_at(const Checker *checker, const Group *group, guint i) {
  return &g_array_index(checker->proposals, EngineProposal,
                        g_array_index(group->proposals, guint, i));
}

/* H1: at most once per employee and slot; every proposal in a crowded group is named. */
static void check_employee_slots(Checker *checker) {
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, checker->employee_slot);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Group *group = value;
    gint64 total = group->approved + group->proposals->len;
    if (total <= 1)
      continue;
    for (guint i = 0; i < group->proposals->len; i++) {
      const EngineProposal *p = proposal_at(checker, group, i);
      const ModelEmployee *e =
          &g_array_index(checker->dataset->employees, ModelEmployee, p->employee);
      report(checker, "H1", p,
             "employee %s would work %" G_GINT64_FORMAT " times in this slot (max 1)", e->id,
             total);
    }
  }
}

/* H4: day parts per ISO week within the employee's maximum. */
static void check_employee_weeks(Checker *checker) {
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, checker->employee_week);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Group *group = value;
    if (group->proposals->len == 0)
      continue;
    const EngineProposal *first = proposal_at(checker, group, 0);
    const ModelEmployee *e =
        &g_array_index(checker->dataset->employees, ModelEmployee, first->employee);
    gint64 total = group->approved + group->proposals->len;
    if (total <= e->max_parts_per_week)
      continue;
    gint32 week = model_date_iso_week(first->slot.date);
    for (guint i = 0; i < group->proposals->len; i++)
      report(checker, "H4", proposal_at(checker, group, i),
             "employee %s would work %" G_GINT64_FORMAT " day parts in week %d-W%02d (max %d)",
             e->id, total, (int)(week / 100), (int)(week % 100), (int)e->max_parts_per_week);
  }
}

/* H5: a request slot gets at most the staff it needs.  Proposals for a cancelled
 * request or a slot outside the request are already reported by check_one. */
static void check_request_slots(Checker *checker) {
  GHashTableIter iter;
  gpointer value;
  g_hash_table_iter_init(&iter, checker->request_slot);
  while (g_hash_table_iter_next(&iter, NULL, &value)) {
    const Group *group = value;
    if (group->proposals->len == 0)
      continue;
    const EngineProposal *first = proposal_at(checker, group, 0);
    const ModelRequest *r =
        &g_array_index(checker->dataset->requests, ModelRequest, first->request);
    if (r->status != MODEL_REQUEST_OPEN ||
        !slots_contain(cached_slots(checker, "r", r->id, r->slots), first->slot))
      continue;
    gint64 needed = model_request_staff_needed(r, checker->children_per_staff);
    gint64 total = group->approved + group->proposals->len;
    if (total <= needed)
      continue;
    for (guint i = 0; i < group->proposals->len; i++) {
      const EngineProposal *p = proposal_at(checker, group, i);
      const ModelEmployee *e =
          &g_array_index(checker->dataset->employees, ModelEmployee, p->employee);
      report(checker, "H5", p,
             "employee %s would make %" G_GINT64_FORMAT
             " staff in a slot that needs %" G_GINT64_FORMAT,
             e->id, total, needed);
    }
  }
}

/* H7: a location lends at most what it can spare in a day part with figures: its
 * employees' approved assignments and proposals then stay within its lending. */
static void check_location_slots(Checker *checker) {
  const ModelDataset *dataset = checker->dataset;
  for (guint l = 0; l < dataset->locations->len; l++) {
    const ModelLocation *location = &g_array_index(dataset->locations, ModelLocation, l);
    g_autoptr(GArray) slots = model_location_slots(location, checker->children_per_staff);
    for (guint i = 0; i < slots->len; i++) {
      const ModelLocationSlot *ls = &g_array_index(slots, ModelLocationSlot, i);
      g_autofree char *key = slot_key(location->id, ls->slot);
      const Group *group = g_hash_table_lookup(checker->location_slot, key);
      if (group == NULL || group->proposals->len == 0)
        continue;
      gint64 total = group->approved + group->proposals->len;
      if (total <= ls->lendable)
        continue;
      for (guint k = 0; k < group->proposals->len; k++) {
        const EngineProposal *p = proposal_at(checker, group, k);
        const ModelEmployee *e = &g_array_index(dataset->employees, ModelEmployee, p->employee);
        report(checker, "H7", p,
               "employee %s would make location %s lend %" G_GINT64_FORMAT
               " staff in a day part where it can spare %d",
               e->id, location->id, total, (int)ls->lendable);
      }
    }
  }
}

static int violation_compare(gconstpointer a, gconstpointer b) {
  const EngineViolation *va = *(EngineViolation *const *)a;
  const EngineViolation *vb = *(EngineViolation *const *)b;
  int c = strcmp(va->rule, vb->rule);
  return c != 0 ? c : strcmp(va->message, vb->message);
}

GPtrArray *engine_check(const ModelDataset *dataset, const EngineOptions *options,
                        const GArray *proposals) {
  g_return_val_if_fail(dataset != NULL, NULL);
  Checker checker = {
      .dataset = dataset,
      .proposals = proposals,
      .children_per_staff =
          options ? options->children_per_staff : MODEL_DEFAULT_CHILDREN_PER_STAFF,
      .violations = g_ptr_array_new_with_free_func((GDestroyNotify)engine_violation_free),
      .employee_slot = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free),
      .employee_week = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free),
      .request_slot = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free),
      .location_slot = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, group_free),
      .approved = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .rejected = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .cancelled = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
      .slots_cache =
          g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref),
  };
  if (checker.children_per_staff < 1)
    checker.children_per_staff = MODEL_DEFAULT_CHILDREN_PER_STAFF;

  load_assignments(&checker);
  guint n = proposals ? proposals->len : 0;
  for (guint i = 0; i < n; i++)
    if (check_one(&checker, i))
      group_proposal(&checker, i);
  check_employee_slots(&checker);
  check_employee_weeks(&checker);
  check_request_slots(&checker);
  check_location_slots(&checker);

  g_hash_table_unref(checker.employee_slot);
  g_hash_table_unref(checker.employee_week);
  g_hash_table_unref(checker.request_slot);
  g_hash_table_unref(checker.location_slot);
  g_hash_table_unref(checker.approved);
  g_hash_table_unref(checker.rejected);
  g_hash_table_unref(checker.cancelled);
  g_hash_table_unref(checker.slots_cache);
  g_ptr_array_sort(checker.violations, violation_compare);
  return checker.violations;
}
