/* calendar.c: dates as days since 1970-01-01 (proleptic Gregorian), day parts, slots
 * and slot rules.  Conversions use the civil-from-days / days-from-civil algorithms
 * (Howard Hinnant), exact for every 32-bit day count; intermediate sums are 64-bit.
 * Expansion writes slots in (date, part) order; model_slot_rules_expand() also
 * removes duplicates, so its output is a sorted set.
 */
#include "model.h"

#include <string.h>

#define MIN_YEAR 1900
#define MAX_YEAR 2999

/* ---- dates -------------------------------------------------------------- */

static gint64 days_from_civil(gint64 y, int m, int d) {
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;                                  /* [0, 399] */
  gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

static void civil_from_days(gint64 z, gint64 *year, int *month, int *day) {
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  gint64 doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;
  int d = (int)(doy - (153 * mp + 2) / 5 + 1);
  int m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (m <= 2);
  *month = m;
  *day = d;
}

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

ModelDate model_date_from_ymd(int year, int month, int day) {
  g_return_val_if_fail(month >= 1 && month <= 12, 0);
  gint64 days = days_from_civil(year, month, day);
  g_return_val_if_fail(days >= G_MININT32 && days <= G_MAXINT32, 0);
  return (ModelDate)days;
}

void model_date_to_ymd(ModelDate date, int *year, int *month, int *day) {
  gint64 y;
  int m, d;
  civil_from_days(date, &y, &m, &d);
  if (year != NULL)
    *year = (int)y;
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;
}

/* Value of `n` ASCII digits at `s`, or -1 when one is not a digit. */
static int parse_digits(const char *s, int n) {
  int value = 0;
  for (int i = 0; i < n; i++) {
    if (!g_ascii_isdigit(s[i]))
      return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

gboolean model_date_parse(const char *text, ModelDate *out) {
  if (text == NULL)
    return FALSE;
  /* Check each position in turn so a short string stops at its NUL. */
  for (int i = 0; i < 10; i++) {
    gboolean dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : !g_ascii_isdigit(text[i]))
      return FALSE;
  }
  if (text[10] != '\0')
    return FALSE;
  int year = parse_digits(text, 4), month = parse_digits(text + 5, 2);
  int day = parse_digits(text + 8, 2);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12)
    return FALSE;
  if (day < 1 || day > days_in_month(year, month))
    return FALSE;
  if (out != NULL)
    *out = model_date_from_ymd(year, month, day);
  return TRUE;
}

void model_date_format(ModelDate date, char buf[static 11]) {
  gint64 y;
  int m, d;
  civil_from_days(date, &y, &m, &d);
  /* Out-of-range years (never produced by parsing) are truncated, not overflowed. */
  g_snprintf(buf, 11, "%04" G_GINT64_FORMAT "-%02d-%02d", y, m, d);
}

int model_date_weekday(ModelDate date) {
  /* 1970-01-01 was a Thursday (ISO weekday 4). */
  gint64 r = ((gint64)date % 7 + 7) % 7;
  return (int)((r + 3) % 7) + 1;
}

gint32 model_date_iso_week(ModelDate date) {
  /* The ISO week belongs to the year of its Thursday. */
  gint64 thursday = (gint64)date + 4 - model_date_weekday(date);
  gint64 year;
  int month, day;
  civil_from_days(thursday, &year, &month, &day);
  gint64 jan1 = days_from_civil(year, 1, 1);
  gint64 week = (thursday - jan1) / 7 + 1;
  return (gint32)(year * 100 + week);
}

/* ---- day parts and weekdays --------------------------------------------- */

static const char *const part_names[MODEL_N_PARTS] = {"morning", "afternoon"};

const char *model_part_name(ModelPart part) {
  g_return_val_if_fail((int)part >= 0 && (int)part < MODEL_N_PARTS, NULL);
  return part_names[part];
}

gboolean model_part_parse(const char *text, ModelPart *out) {
  if (text == NULL)
    return FALSE;
  for (int i = 0; i < MODEL_N_PARTS; i++) {
    if (strcmp(text, part_names[i]) == 0) {
      if (out != NULL)
        *out = (ModelPart)i;
      return TRUE;
    }
  }
  return FALSE;
}

static const char *const weekday_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

const char *model_weekday_name(int weekday) {
  g_return_val_if_fail(weekday >= 1 && weekday <= 7, NULL);
  return weekday_names[weekday - 1];
}

gboolean model_weekday_parse(const char *text, int *out) {
  if (text == NULL)
    return FALSE;
  for (int i = 0; i < 7; i++) {
    if (strcmp(text, weekday_names[i]) == 0) {
      if (out != NULL)
        *out = i + 1;
      return TRUE;
    }
  }
  return FALSE;
}

/* ---- slots and rules ---------------------------------------------------- */

int model_slot_compare(const void *a, const void *b) {
  const ModelSlot *x = a, *y = b;
  if (x->date != y->date)
    return x->date < y->date ? -1 : 1;
  if (x->part != y->part)
    return x->part < y->part ? -1 : 1;
  return 0;
}

/* A ONE rule is a one-day pattern on every weekday, so both kinds expand alike.  The
 * span is not capped here: model_dataset_check() rejects spans above
 * MODEL_PATTERN_MAX_DAYS, and lists above MODEL_SLOT_LIST_MAX_PARTS, before anything
 * expands user input. */
void model_slot_rule_expand(const ModelSlotRule *rule, GArray *out) {
  g_return_if_fail(rule != NULL && out != NULL);
  g_return_if_fail(g_array_get_element_size(out) == sizeof(ModelSlot));
  guint8 weekdays = rule->kind == MODEL_SLOT_RULE_ONE ? MODEL_WEEKDAYS_ALL : rule->weekdays;
  for (gint64 d = rule->from; d <= rule->to; d++) {
    ModelDate date = (ModelDate)d;
    if ((weekdays & (1u << (model_date_weekday(date) - 1))) == 0)
      continue;
    for (int p = 0; p < MODEL_N_PARTS; p++) {
      if (rule->parts & (1u << p)) {
        ModelSlot slot = {.date = date, .part = (ModelPart)p};
        g_array_append_val(out, slot);
      }
    }
  }
}

GArray *model_slot_rules_expand(const GArray *rules) {
  GArray *slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  if (rules == NULL)
    return slots;
  for (guint i = 0; i < rules->len; i++)
    model_slot_rule_expand(&g_array_index((GArray *)rules, ModelSlotRule, i), slots);
  if (slots->len < 2)
    return slots;
  g_array_sort(slots, model_slot_compare);
  guint kept = 1;
  for (guint i = 1; i < slots->len; i++) {
    ModelSlot *prev = &g_array_index(slots, ModelSlot, kept - 1);
    ModelSlot *cur = &g_array_index(slots, ModelSlot, i);
    if (model_slot_compare(prev, cur) != 0)
      g_array_index(slots, ModelSlot, kept++) = *cur;
  }
  g_array_set_size(slots, kept);
  return slots;
}

/* Whether `rule` expands to `slot`. */
static gboolean rule_covers(const ModelSlotRule *rule, ModelSlot slot) {
  guint8 weekdays = rule->kind == MODEL_SLOT_RULE_ONE ? MODEL_WEEKDAYS_ALL : rule->weekdays;
  return slot.date >= rule->from && slot.date <= rule->to &&
         (rule->parts & (1u << slot.part)) != 0 &&
         (weekdays & (1u << (model_date_weekday(slot.date) - 1))) != 0;
}

/* Appends `rule` to `out` when it expands to at least one day part. */
static void append_if_any(GArray *out, const ModelSlotRule *rule) {
  if (rule->from > rule->to)
    return;
  g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  model_slot_rule_expand(rule, slots);
  if (slots->len > 0)
    g_array_append_val(out, *rule);
}

GArray *model_slot_rules_without(const GArray *rules, ModelSlot slot) {
  GArray *out = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  for (guint i = 0; rules != NULL && i < rules->len; i++) {
    const ModelSlotRule *rule = &g_array_index((GArray *)rules, ModelSlotRule, i);
    if (!rule_covers(rule, slot)) {
      g_array_append_val(out, *rule);
      continue;
    }
    ModelSlotRule before = *rule;
    before.to = slot.date - 1;
    append_if_any(out, &before);
    ModelSlotRule other = {MODEL_SLOT_RULE_ONE, slot.date, slot.date, MODEL_WEEKDAYS_ALL,
                           (guint8)(rule->parts & ~(1u << slot.part))};
    if (other.parts != 0)
      append_if_any(out, &other);
    ModelSlotRule after = *rule;
    after.from = slot.date + 1;
    append_if_any(out, &after);
  }
  return out;
}
