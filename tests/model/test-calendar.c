/* test-calendar.c: dates, ISO weeks, day parts, weekdays and slot rule expansion.
 * Known values come from the calendar; a property test compares every conversion with
 * GLib's GDate over random dates, for a committed list of seeds plus one fresh seed.
 */
#include "model.h"
#include "../test-table.h"

static void test_parse_format(void) {
  ModelDate d = 12345;
  g_assert_true(model_date_parse("1970-01-01", &d));
  g_assert_cmpint(d, ==, 0);
  g_assert_true(model_date_parse("2020-04-14", &d));
  g_assert_cmpint(d, ==, 18366);
  char buf[11];
  model_date_format(d, buf);
  g_assert_cmpstr(buf, ==, "2020-04-14");
  g_assert_true(model_date_parse("2020-02-29", &d));
  model_date_format(d, buf);
  g_assert_cmpstr(buf, ==, "2020-02-29");
  g_assert_true(model_date_parse("1900-01-01", &d));
  g_assert_cmpint(d, ==, -25567);
  g_assert_true(model_date_parse("2999-12-31", &d));
  model_date_format(d, buf);
  g_assert_cmpstr(buf, ==, "2999-12-31");
  model_date_format(-1, buf);
  g_assert_cmpstr(buf, ==, "1969-12-31");
}

static const char *const bad_dates[] = {
    "2020-02-30", "2019-02-29",  "1900-02-29",  "2020-13-01",       "2020-00-10", "2020-04-00",
    "2020-04-31", "1899-12-31",  "3000-01-01",  "2020-4-14",        "2020-04-4",  "20200414",
    "2020/04/14", "2020-04-14 ", " 2020-04-14", "2020-04-14T00:00", "",           "2020-04-1a",
    "+020-04-14", "2020--04-14", "２020-04-14",
};

static void test_parse_invalid(gconstpointer data) {
  const char *text = data;
  ModelDate d = 777;
  g_assert_false(model_date_parse(text, &d));
  g_assert_cmpint(d, ==, 777);
}

static void test_parse_null(void) {
  ModelDate d = 777;
  g_assert_false(model_date_parse(NULL, &d));
  g_assert_cmpint(d, ==, 777);
  g_assert_true(model_date_parse("2000-02-29", NULL));
}

static void test_ymd(void) {
  int y, m, d;
  model_date_to_ymd(model_date_from_ymd(2000, 2, 29), &y, &m, &d);
  g_assert_cmpint(y, ==, 2000);
  g_assert_cmpint(m, ==, 2);
  g_assert_cmpint(d, ==, 29);
  g_assert_cmpint(model_date_from_ymd(2000, 3, 1) - model_date_from_ymd(2000, 2, 28), ==, 2);
  g_assert_cmpint(model_date_from_ymd(1900, 3, 1) - model_date_from_ymd(1900, 2, 28), ==, 1);
  model_date_to_ymd(MODEL_DATE_NONE, &y, &m, &d); /* far outside the format: no overflow */
  g_assert_cmpint(y, <, -5000000);
}

static ModelDate date(const char *text) {
  ModelDate d = 0;
  g_assert_true(model_date_parse(text, &d));
  return d;
}

static void test_weekday(void) {
  g_assert_cmpint(model_date_weekday(0), ==, 4); /* 1970-01-01: Thursday */
  g_assert_cmpint(model_date_weekday(date("2020-04-13")), ==, 1);
  g_assert_cmpint(model_date_weekday(date("2020-04-14")), ==, 2);
  g_assert_cmpint(model_date_weekday(date("2020-04-19")), ==, 7);
  g_assert_cmpint(model_date_weekday(date("1969-12-29")), ==, 1);
  g_assert_cmpint(model_date_weekday(date("1900-01-01")), ==, 1);
}

static void test_iso_week(void) {
  g_assert_cmpint(model_date_iso_week(date("2020-12-31")), ==, 202053);
  g_assert_cmpint(model_date_iso_week(date("2021-01-03")), ==, 202053);
  g_assert_cmpint(model_date_iso_week(date("2021-01-04")), ==, 202101);
  g_assert_cmpint(model_date_iso_week(date("2020-04-14")), ==, 202016);
  g_assert_cmpint(model_date_iso_week(date("2019-12-30")), ==, 202001);
  g_assert_cmpint(model_date_iso_week(date("2019-12-29")), ==, 201952);
  g_assert_cmpint(model_date_iso_week(date("2016-01-03")), ==, 201553);
  g_assert_cmpint(model_date_iso_week(date("1900-01-01")), ==, 190001);
}

/* Every conversion against GDate for random dates in the format's years. */
static void test_against_gdate(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
  ModelDate lo = date("1900-01-01"), hi = date("2999-12-31");
  for (int i = 0; i < 2000; i++) {
    ModelDate d = g_rand_int_range(rand, lo, hi + 1);
    int y, m, day;
    model_date_to_ymd(d, &y, &m, &day);
    g_autoptr(GDate) g = g_date_new_dmy((GDateDay)day, (GDateMonth)m, (GDateYear)y);
    g_assert_true(g_date_valid(g));
    /* GDate counts days from 0001-01-01 = 1; 1970-01-01 is day 719163. */
    g_assert_cmpint((gint64)g_date_get_julian(g) - 719163, ==, d);
    g_assert_cmpint(model_date_weekday(d), ==, g_date_get_weekday(g));
    gint32 week = model_date_iso_week(d);
    g_assert_cmpint(week % 100, ==, g_date_get_iso8601_week_of_year(g));
    g_assert_cmpint(week / 100 - y, >=, -1);
    g_assert_cmpint(week / 100 - y, <=, 1);
    char buf[11], gbuf[32];
    model_date_format(d, buf);
    g_date_strftime(gbuf, sizeof gbuf, "%Y-%m-%d", g);
    g_assert_cmpstr(buf, ==, gbuf);
    ModelDate back = 0;
    g_assert_true(model_date_parse(buf, &back));
    g_assert_cmpint(back, ==, d);
  }
}

static void test_parts_weekdays(void) {
  ModelPart p = MODEL_PART_MORNING;
  g_assert_cmpstr(model_part_name(MODEL_PART_MORNING), ==, "morning");
  g_assert_cmpstr(model_part_name(MODEL_PART_AFTERNOON), ==, "afternoon");
  g_assert_true(model_part_parse("afternoon", &p));
  g_assert_cmpint(p, ==, MODEL_PART_AFTERNOON);
  g_assert_false(model_part_parse("evening", &p));
  g_assert_false(model_part_parse("Morning", &p));
  g_assert_false(model_part_parse(NULL, &p));
  g_assert_cmpint(p, ==, MODEL_PART_AFTERNOON);
  static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int w = 1; w <= 7; w++) {
    int out = 0;
    g_assert_cmpstr(model_weekday_name(w), ==, names[w - 1]);
    g_assert_true(model_weekday_parse(names[w - 1], &out));
    g_assert_cmpint(out, ==, w);
  }
  int out = 42;
  g_assert_false(model_weekday_parse("monday", &out));
  g_assert_false(model_weekday_parse(NULL, &out));
  g_assert_cmpint(out, ==, 42);
}

static void test_slot_compare(void) {
  ModelSlot a = {10, MODEL_PART_AFTERNOON}, b = {11, MODEL_PART_MORNING};
  ModelSlot c = {10, MODEL_PART_MORNING};
  g_assert_cmpint(model_slot_compare(&a, &b), <, 0);
  g_assert_cmpint(model_slot_compare(&b, &a), >, 0);
  g_assert_cmpint(model_slot_compare(&c, &a), <, 0);
  g_assert_cmpint(model_slot_compare(&a, &a), ==, 0);
  g_assert_cmpint(model_slot_key(a), ==, 21);
  g_assert_cmpint(model_slot_key(b), ==, 22);
}

static void test_expand_one(void) {
  ModelSlotRule rule = {MODEL_SLOT_RULE_ONE, date("2020-04-18"), date("2020-04-18"),
                        MODEL_WEEKDAYS_ALL, 1u << MODEL_PART_AFTERNOON};
  g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  model_slot_rule_expand(&rule, slots);
  g_assert_cmpuint(slots->len, ==, 1);
  g_assert_cmpint(g_array_index(slots, ModelSlot, 0).date, ==, date("2020-04-18"));
  g_assert_cmpint(g_array_index(slots, ModelSlot, 0).part, ==, MODEL_PART_AFTERNOON);
}

static void test_expand_pattern(void) {
  /* Tuesday 14 to Friday 24 April 2020, Tuesdays and Thursdays, both parts. */
  ModelSlotRule rule = {MODEL_SLOT_RULE_PATTERN, date("2020-04-14"), date("2020-04-24"),
                        (1u << 1) | (1u << 3), MODEL_PARTS_ALL};
  g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  model_slot_rule_expand(&rule, slots);
  static const char *const days[] = {"2020-04-14", "2020-04-16", "2020-04-21", "2020-04-23"};
  g_assert_cmpuint(slots->len, ==, 8);
  for (guint i = 0; i < 8; i++) {
    ModelSlot s = g_array_index(slots, ModelSlot, i);
    g_assert_cmpint(s.date, ==, date(days[i / 2]));
    g_assert_cmpint(s.part, ==, (ModelPart)(i % 2));
  }
  /* A weekend pattern over a working week only, and to < from: nothing. */
  g_array_set_size(slots, 0);
  ModelSlotRule weekend = {MODEL_SLOT_RULE_PATTERN, date("2020-04-13"), date("2020-04-17"),
                           (1u << 5) | (1u << 6), MODEL_PARTS_ALL};
  model_slot_rule_expand(&weekend, slots);
  ModelSlotRule backwards = {MODEL_SLOT_RULE_PATTERN, date("2020-04-17"), date("2020-04-13"),
                             MODEL_WEEKDAYS_ALL, MODEL_PARTS_ALL};
  model_slot_rule_expand(&backwards, slots);
  g_assert_cmpuint(slots->len, ==, 0);
}

static void test_expand_rules(void) {
  g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  ModelSlotRule r1 = {MODEL_SLOT_RULE_PATTERN, date("2020-04-15"), date("2020-04-16"),
                      MODEL_WEEKDAYS_WORK, 1u << MODEL_PART_MORNING};
  ModelSlotRule r2 = {MODEL_SLOT_RULE_ONE, date("2020-04-15"), date("2020-04-15"),
                      MODEL_WEEKDAYS_ALL, 1u << MODEL_PART_MORNING};
  ModelSlotRule r3 = {MODEL_SLOT_RULE_ONE, date("2020-04-14"), date("2020-04-14"),
                      MODEL_WEEKDAYS_ALL, 1u << MODEL_PART_AFTERNOON};
  g_array_append_val(rules, r1);
  g_array_append_val(rules, r2);
  g_array_append_val(rules, r3);
  g_autoptr(GArray) slots = model_slot_rules_expand(rules);
  g_assert_cmpuint(slots->len, ==, 3);
  g_assert_cmpint(g_array_index(slots, ModelSlot, 0).date, ==, date("2020-04-14"));
  g_assert_cmpint(g_array_index(slots, ModelSlot, 0).part, ==, MODEL_PART_AFTERNOON);
  g_assert_cmpint(g_array_index(slots, ModelSlot, 1).date, ==, date("2020-04-15"));
  g_assert_cmpint(g_array_index(slots, ModelSlot, 2).date, ==, date("2020-04-16"));
  g_autoptr(GArray) none = model_slot_rules_expand(NULL);
  g_assert_cmpuint(none->len, ==, 0);
}

/* Leaving out each day part of a set of rules in turn leaves exactly the others, and
 * every rule left expands to at least one day part. */
static void test_rules_without(void) {
  g_autoptr(GArray) rules = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  ModelSlotRule given[] = {
      {MODEL_SLOT_RULE_PATTERN, date("2020-04-13"), date("2020-04-24"),
       (1u << 0) | (1u << 2) | (1u << 4), MODEL_PARTS_ALL},
      {MODEL_SLOT_RULE_PATTERN, date("2020-04-15"), date("2020-04-16"), MODEL_WEEKDAYS_WORK,
       1u << MODEL_PART_MORNING},
      {MODEL_SLOT_RULE_ONE, date("2020-04-28"), date("2020-04-28"), MODEL_WEEKDAYS_ALL,
       1u << MODEL_PART_AFTERNOON},
  };
  g_array_append_vals(rules, given, G_N_ELEMENTS(given));
  g_autoptr(GArray) all = model_slot_rules_expand(rules);
  g_assert_cmpuint(all->len, ==, 12 + 1 + 1); /* 6 days x 2, Thursday 16th, the 28th */
  for (guint i = 0; i < all->len; i++) {
    ModelSlot gone = g_array_index(all, ModelSlot, i);
    g_autoptr(GArray) kept = model_slot_rules_without(rules, gone);
    g_autoptr(GArray) left = model_slot_rules_expand(kept);
    g_assert_cmpuint(left->len, ==, all->len - 1);
    for (guint j = 0, k = 0; j < all->len; j++) {
      if (j == i)
        continue;
      ModelSlot want = g_array_index(all, ModelSlot, j);
      g_assert_cmpint(model_slot_compare(&want, &g_array_index(left, ModelSlot, k++)), ==, 0);
    }
    for (guint r = 0; r < kept->len; r++) {
      g_autoptr(GArray) one = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
      model_slot_rule_expand(&g_array_index(kept, ModelSlotRule, r), one);
      g_assert_cmpuint(one->len, >, 0);
    }
  }
  /* A day part the rules do not cover leaves them as they are. */
  ModelSlot saturday = {date("2020-04-18"), MODEL_PART_MORNING};
  g_autoptr(GArray) same = model_slot_rules_without(rules, saturday);
  g_assert_cmpuint(same->len, ==, rules->len);
  g_assert_cmpmem(same->data, same->len * sizeof(ModelSlotRule), rules->data,
                  rules->len * sizeof(ModelSlotRule));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/model/calendar/parse-format", test_parse_format);
  for (guint i = 0; i < G_N_ELEMENTS(bad_dates); i++) {
    g_autofree char *path = g_strdup_printf("/model/calendar/parse-invalid/%u", i);
    g_test_add_data_func(path, bad_dates[i], test_parse_invalid);
  }
  g_test_add_func("/model/calendar/parse-null", test_parse_null);
  g_test_add_func("/model/calendar/ymd", test_ymd);
  g_test_add_func("/model/calendar/weekday", test_weekday);
  g_test_add_func("/model/calendar/iso-week", test_iso_week);
  static const guint32 seeds[] = {1, 42, 20200316, 4000000000u};
  TEST_ADD_SEEDS("/model/calendar/gdate/", seeds, test_against_gdate);
  g_test_add_func("/model/calendar/parts-weekdays", test_parts_weekdays);
  g_test_add_func("/model/calendar/slot-compare", test_slot_compare);
  g_test_add_func("/model/calendar/expand-one", test_expand_one);
  g_test_add_func("/model/calendar/expand-pattern", test_expand_pattern);
  g_test_add_func("/model/calendar/expand-rules", test_expand_rules);
  g_test_add_func("/model/calendar/rules-without", test_rules_without);
  return g_test_run();
}
