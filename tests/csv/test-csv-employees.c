/* test-csv-employees.c: employees read from spreadsheets: every column in Dutch and in
 * English, the dialects, each value a cell can hold (dates as dd-mm-jjjj, decimal
 * commas, ja/nee, day parts), every problem at its row and column with its message
 * (one table row per rule), a file with errors in three rows naming those three rows,
 * the template, and random bytes that never crash the reader.
 */
#include "csv.h"

#include <string.h>

#include "dataset-json.h"
#include "../test-table.h"

#define CONTEXT                                                                                    \
  "{\"districts\":[{\"id\":\"stad\",\"name\":\"Stad\",\"lat\":52.37,\"lon\":5.21},"                \
  "{\"id\":\"haven\",\"name\":\"Haven\",\"lat\":52.36,\"lon\":5.2}],"                              \
  "\"organisations\":[{\"id\":\"o1\",\"name\":\"De Boerderij\"}],"                                 \
  "\"locations\":[{\"id\":\"l1\",\"organisation\":\"o1\",\"name\":\"BSO\",\"lat\":52.37,"          \
  "\"lon\":5.22}]}"

static ModelDataset *context(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelDataset *dataset = model_json_decode_dataset(CONTEXT, strlen(CONTEXT), problems);
  g_assert_nonnull(dataset);
  return dataset;
}

static ModelCsvEmployees *read_text(const char *text, GPtrArray *problems) {
  g_autoptr(ModelDataset) ctx = context();
  return model_csv_read_employees(text, strlen(text), ctx, "o1", problems);
}

static void test_dutch(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read = read_text(
      "\xEF\xBB\xBFid;Naam;Organisatie;Wijk;Locatie;Breedtegraad;Lengtegraad;Kwalificaties;VOG;"
      "Beschikbaar;Max dagdelen per week;max_reisafstand_km;actief;bevestigd;e-mail;telefoon\r\n"
      "e-7;\"Vries, Sanne de\";o1;stad;l1;52,3712;5,2188;pm|BSO EHBO;ja;"
      "14-04-2020 ochtend|2020-04-15 middag|16-04-2020;6;8;nee;12-04-2020;sanne@example.nl;"
      "06-12345678\r\n",
      problems);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, "");
  g_assert_cmpint(read->separator, ==, ';');
  g_assert_true(read->bom);
  g_assert_nonnull(read->dataset);
  g_assert_cmpuint(read->dataset->employees->len, ==, 1);
  const ModelEmployee *e = &g_array_index(read->dataset->employees, ModelEmployee, 0);
  g_assert_cmpstr(e->id, ==, "e-7");
  g_assert_cmpstr(e->name, ==, "Vries, Sanne de");
  g_assert_cmpstr(e->organisation_id, ==, "o1");
  g_assert_cmpstr(e->district_id, ==, "stad");
  g_assert_cmpstr(e->location_id, ==, "l1");
  g_assert_true(e->has_location);
  g_assert_cmpfloat_with_epsilon(e->lat, 52.3712, 1e-9);
  g_assert_cmpfloat_with_epsilon(e->lon, 5.2188, 1e-9);
  g_assert_cmpuint(e->quals, ==,
                   MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM) |
                       MODEL_QUAL_BIT(MODEL_QUAL_BSO) | MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID));
  g_autoptr(GArray) slots = model_slot_rules_expand(e->availability);
  g_assert_cmpuint(slots->len, ==, 4);
  ModelSlot first = g_array_index(slots, ModelSlot, 0);
  g_assert_cmpint(first.date, ==, model_date_from_ymd(2020, 4, 14));
  g_assert_cmpint(first.part, ==, MODEL_PART_MORNING);
  ModelSlot second = g_array_index(slots, ModelSlot, 1);
  g_assert_cmpint(second.date, ==, model_date_from_ymd(2020, 4, 15));
  g_assert_cmpint(second.part, ==, MODEL_PART_AFTERNOON);
  g_assert_cmpint(e->max_parts_per_week, ==, 6);
  g_assert_cmpint(e->max_travel_km, ==, 8);
  g_assert_false(e->active);
  g_assert_cmpint(e->confirmed, ==, model_date_from_ymd(2020, 4, 12));
  g_assert_cmpstr(e->email, ==, "sanne@example.nl");
  g_assert_cmpstr(e->phone, ==, "06-12345678");
  /* The rows as read carry their row first. */
  json_object *row = json_object_array_get_idx(read->employees, 0);
  g_autofree char *start =
      g_strndup(json_object_to_json_string_ext(row, JSON_C_TO_STRING_PLAIN), 10);
  g_assert_cmpstr(start, ==, "{\"row\":2,\"");
  g_assert_cmpstr(model_csv_employees_column(read, "district"), ==, "Wijk");
}

static void test_english(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read =
      read_text("id,name,organisation,district,qualifications,vog,availability,"
                "max_day_parts_per_week,max_travel_km,active,confirmed,email,phone\n"
                "a1,Anna,,haven,pm,yes,2020-04-14 morning|2020-04-14 afternoon,4,12,yes,"
                "2020-04-12,,\n"
                "a2,Bram,,stad,,0,,,,,,,\n",
                problems);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, "");
  g_assert_cmpint(read->separator, ==, ',');
  g_assert_false(read->bom);
  g_assert_cmpuint(read->dataset->employees->len, ==, 2);
  const ModelEmployee *a = &g_array_index(read->dataset->employees, ModelEmployee, 0);
  g_assert_cmpuint(a->quals, ==, MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM));
  g_assert_cmpuint(a->availability->len, ==, 2);
  g_assert_true(a->active);
  const ModelEmployee *b = &g_array_index(read->dataset->employees, ModelEmployee, 1);
  g_assert_cmpuint(b->quals, ==, 0);
  g_assert_cmpint(b->max_parts_per_week, ==, 10); /* the format's defaults */
  g_assert_cmpint(b->max_travel_km, ==, 10);
}

typedef struct {
  const char *name;
  const char *text;
  const char *problems; /* every problem, model_problems_to_string() */
} BadCase;

#define HEAD "id;naam;wijk"
static const BadCase bad_cases[] = {
    {"unknown-column", HEAD ";schoenmaat\n1;A;stad;42\n",
     "1/schoenmaat: unknown column \"schoenmaat\" (expected one of id, naam, organisatie, wijk, "
     "locatie, lat, lon, kwalificaties, vog, beschikbaar, max_dagdelen_per_week, "
     "max_reisafstand_km, actief, bevestigd, email, telefoon)"},
    {"postcode", HEAD ";postcode\n1;A;stad;1234AB\n",
     "1/postcode: employees have no postcode (expected wijk for where they live, and lat and lon "
     "for an exact place)"},
    {"repeated-column", HEAD ";Naam\n", "1/Naam: the column naam is given twice"},
    {"missing-columns", "id;naam\n1;A\n", "1: missing column wijk (or district)"},
    {"empty-file", "", "1: the file is empty (expected a header row, e.g. id;naam;wijk)"},
    {"missing-id", HEAD "\n;A;stad\n",
     "2/id: missing (expected the employee's id, e.g. their personnel number)"},
    {"missing-name", HEAD "\n1;;stad\n", "2/naam: missing (expected a name)"},
    {"unknown-district", HEAD "\n1;A;dorp\n", "2/wijk: no district with id \"dorp\""},
    {"other-organisation", HEAD ";organisatie\n1;A;stad;o2\n",
     "2/organisatie: \"o2\" is not the organisation of this import (expected o1)"},
    {"not-whole", HEAD ";max_dagdelen_per_week\n1;A;stad;zes\n",
     "2/max_dagdelen_per_week: \"zes\" is not a whole number (expected e.g. 6)"},
    {"out-of-range", HEAD ";max_reisafstand_km\n1;A;stad;500\n",
     "2/max_reisafstand_km: 500 is out of range (expected an integer from 0 to 300)"},
    {"not-a-number", HEAD ";lat;lon\n1;A;stad;noord;5,2\n",
     "2/lat: \"noord\" is not a number (expected e.g. 52,3712)"},
    {"yes-no", HEAD ";vog\n1;A;stad;misschien\n",
     "2/vog: \"misschien\" is not ja or nee (expected ja, nee, yes, no, 1 or 0)"},
    {"vog-disagrees", HEAD ";vog;kwalificaties\n1;A;stad;nee;vog pm\n",
     "2/vog: says nee, but the qualifications list vog (expected the two to agree)"},
    {"unknown-qualification", HEAD ";kwalificaties\n1;A;stad;pm|rijbewijs\n",
     "2/kwalificaties: \"rijbewijs\" is not a qualification (expected one of vog, pm, bso, kdv, "
     "first-aid, special-needs)"},
    {"bad-day-part", HEAD ";beschikbaar\n1;A;stad;14-04-2020 avond\n",
     "2/beschikbaar: \"14-04-2020 avond\" is not a day part (expected a date and ochtend or "
     "middag, e.g. \"14-04-2020 ochtend\", separated by |)"},
    {"bad-date", HEAD ";bevestigd\n1;A;stad;30-02-2020\n",
     "2/bevestigd: \"30-02-2020\" is not a date (expected dd-mm-jjjj or jjjj-mm-dd, e.g. "
     "14-04-2020)"},
    {"duplicate-id", HEAD "\n1;A;stad\n1;B;stad\n", "3/id: duplicate id \"1\" (first at row 2)"},
    {"cell-under-no-column", HEAD "\n1;A;stad;extra\n",
     "2: \"extra\" stands in cell 4, under no column (expected at most 3 cells, one per column "
     "of the header)"},
    {"other-organisations-location", HEAD ";locatie\n1;A;stad;l9\n",
     "2/locatie: no location with id \"l9\""},
};

static void test_bad(gconstpointer data) {
  const BadCase *c = data;
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read = read_text(c->text, problems);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, c->problems);
  g_assert_null(read->dataset);
}

/* One file with errors in three rows names those three rows, in order; the good rows
 * are read all the same. */
static void test_three_rows(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read = read_text("id;naam;wijk;max_dagdelen_per_week\r\n"
                                                "1;Anna;stad;4\r\n"
                                                "2;Bram;dorp;4\r\n"
                                                "3;Cor;stad;4\r\n"
                                                "4;;stad;99\r\n"
                                                "\"5\";Eva;haven;vier\r\n",
                                                problems);
  g_assert_null(read->dataset);
  g_assert_cmpuint(json_object_array_length(read->employees), ==, 5);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==,
                  "3/wijk: no district with id \"dorp\"\n"
                  "5/naam: missing (expected a name)\n"
                  "5/max_dagdelen_per_week: 99 is out of range (expected an integer from 1 to 14)\n"
                  "6/max_dagdelen_per_week: \"vier\" is not a whole number (expected e.g. 6)");
}

static void test_template(void) {
  g_autofree char *text = model_csv_employee_template();
  g_assert_true(g_str_has_prefix(text, "\xEF\xBB\xBFid;naam;organisatie;wijk;"));
  g_assert_true(g_str_has_suffix(text, ";telefoon\r\n"));
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read = read_text(text, problems);
  g_assert_cmpuint(problems->len, ==, 0);
  g_assert_nonnull(read->dataset);
  g_assert_cmpuint(read->dataset->employees->len, ==, 0);
}

/* Random mutations of a good file never crash the reader; either it reads employees
 * without problems or it reports problems and gives no dataset. */
static void test_random(gconstpointer data) {
  GRand *rand = g_rand_new_with_seed(GPOINTER_TO_UINT(data));
  static const char good[] = "id;naam;wijk;kwalificaties;beschikbaar;vog\r\n"
                             "1;Anna;stad;pm|bso;14-04-2020 ochtend;ja\r\n"
                             "2;\"Bram; B\";haven;;2020-04-15;nee\r\n";
  g_autoptr(ModelDataset) ctx = context();
  for (int round = 0; round < 200; round++) {
    g_autofree char *text = g_strdup(good);
    gsize length = strlen(text);
    int flips = g_rand_int_range(rand, 1, 6);
    for (int i = 0; i < flips; i++)
      text[g_rand_int_range(rand, 0, (gint32)length)] = (char)g_rand_int_range(rand, 0, 256);
    g_autoptr(GPtrArray) problems = model_problems_new();
    g_autoptr(ModelCsvEmployees) read = model_csv_read_employees(text, length, ctx, "o1", problems);
    g_assert_true((problems->len == 0) == (read->dataset != NULL));
  }
  g_rand_free(rand);
}

static const guint32 seeds[] = {7, 42, 20200414};

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/csv/employees/dutch", test_dutch);
  g_test_add_func("/csv/employees/english", test_english);
  TEST_ADD_TABLE("/csv/employees/bad", bad_cases, name, test_bad);
  g_test_add_func("/csv/employees/three-rows", test_three_rows);
  g_test_add_func("/csv/employees/template", test_template);
  TEST_ADD_SEEDS("/csv/employees/random/", seeds, test_random);
  return g_test_run();
}
