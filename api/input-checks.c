/* input-checks.c: what the API asks of a request or an employee beyond the rules of
 * the dataset format, which a file from the past must still pass: a new day part
 * before today is refused, and what is accepted but probably not meant (a weekend day
 * part, an employee without a VOG) is answered with warnings.  Pointers are relative
 * to the body, as in a 422 answer; a rule's slots are found by expanding that rule
 * alone, so every warning and problem names the rule the user wrote.
 */
#include <stdlib.h>

#include "handlers.h"

/* The pointer of the date of slot rule `i` ("slots/0/date", "slots/1/from"), without
 * the leading '/' (transfer full). */
static char *rule_date_pointer(guint i, const ModelSlotRule *rule) {
  return g_strdup_printf("slots/%u/%s", i, rule->kind == MODEL_SLOT_RULE_ONE ? "date" : "from");
}

/* Whether `slot` is in the sorted, duplicate-free `slots` (NULL counts as empty). */
static gboolean has_slot(const GArray *slots, const ModelSlot *slot) {
  return slots != NULL && slots->len > 0 &&
         bsearch(slot, slots->data, slots->len, sizeof(ModelSlot), model_slot_compare) != NULL;
}

/* Calls `found` once per slot rule of `request` that has a day part `test` picks, with
 * the first such day part in date order and its date as text: one finding per rule. */
typedef gboolean (*SlotTest)(const ModelSlot *slot, gconstpointer data);
typedef void (*RuleFinding)(guint i, const ModelSlotRule *rule, const ModelSlot *slot,
                            const char *date, gpointer data);

static void each_rule_first(const ModelRequest *request, SlotTest test, RuleFinding found,
                            gpointer data) {
  for (guint i = 0; i < request->slots->len; i++) {
    const ModelSlotRule *rule = &g_array_index(request->slots, ModelSlotRule, i);
    g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
    model_slot_rule_expand(rule, slots);
    for (guint j = 0; j < slots->len; j++) {
      const ModelSlot *slot = &g_array_index(slots, ModelSlot, j);
      if (!test(slot, data))
        continue;
      char date[11];
      model_date_format(slot->date, date);
      found(i, rule, slot, date, data);
      break;
    }
  }
}

typedef struct {
  ModelDate today;
  char today_text[11];
  GArray *kept; /* the stored request's day parts, sorted; NULL: none */
  GPtrArray *problems;
} PastCheck;

static gboolean is_new_past(const ModelSlot *slot, gconstpointer data) {
  const PastCheck *check = data;
  return slot->date < check->today && !has_slot(check->kept, slot);
}

static void add_past_problem(guint i, const ModelSlotRule *rule, const ModelSlot *slot,
                             const char *date, gpointer data) {
  PastCheck *check = data;
  g_autofree char *pointer = rule_date_pointer(i, rule);
  model_problems_add(check->problems, pointer,
                     "%s %s is in the past (expected a day part on or after today, %s)", date,
                     model_part_name(slot->part), check->today_text);
}

gboolean api_check_request_dates(const ModelRequest *request, const ModelRequest *stored,
                                 ModelDate today, ApiResponse *response) {
  g_return_val_if_fail(request != NULL && request->slots != NULL, FALSE);
  g_autoptr(GArray) kept = stored != NULL ? model_slot_rules_expand(stored->slots) : NULL;
  g_autoptr(GPtrArray) problems = model_problems_new();
  PastCheck check = {.today = today, .kept = kept, .problems = problems};
  model_date_format(today, check.today_text);
  each_rule_first(request, is_new_past, add_past_problem, &check);
  if (problems->len == 0)
    return TRUE;
  api_respond_problems(response, problems, "", "");
  return FALSE;
}

static void add_warning(json_object *warnings, const char *pointer, const char *code,
                        const char *message) {
  json_object *item = json_object_new_object();
  json_object_object_add(item, "pointer", json_object_new_string(pointer));
  json_object_object_add(item, "code", json_object_new_string(code));
  json_object_object_add(item, "message", json_object_new_string(message));
  json_object_array_add(warnings, item);
}

static gboolean is_weekend(const ModelSlot *slot, gconstpointer data) {
  (void)data;
  return model_date_weekday(slot->date) >= 6;
}

static void add_weekend_warning(guint i, const ModelSlotRule *rule, const ModelSlot *slot,
                                const char *date, gpointer data) {
  json_object *warnings = data;
  g_autofree char *pointer =
      g_strdup_printf("/slots/%u/%s", i, rule->kind == MODEL_SLOT_RULE_ONE ? "date" : "weekdays");
  g_autofree char *message = g_strdup_printf(
      "%s %s is on a %s: stored, but schools are closed at the weekend", date,
      model_part_name(slot->part), model_date_weekday(slot->date) == 6 ? "Saturday" : "Sunday");
  add_warning(warnings, pointer, "weekend", message);
}

json_object *api_request_warnings(const ModelRequest *request) {
  g_return_val_if_fail(request != NULL && request->slots != NULL, NULL);
  json_object *warnings = json_object_new_array();
  each_rule_first(request, is_weekend, add_weekend_warning, warnings);
  return warnings;
}

json_object *api_employee_warnings(const ModelEmployee *employee) {
  g_return_val_if_fail(employee != NULL, NULL);
  json_object *warnings = json_object_new_array();
  if (!(employee->quals & MODEL_QUAL_BIT(MODEL_QUAL_VOG)))
    add_warning(warnings, "/qualifications", "no_vog",
                "no VOG: stored, but never proposed until a valid VOG is recorded");
  return warnings;
}
