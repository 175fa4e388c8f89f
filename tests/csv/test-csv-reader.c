/* test-csv-reader.c: the CSV reader on every dialect Excel writes (`;` and `,`, with
 * and without a byte order mark, CRLF and LF), RFC 4180 quoting (separators, quotes and
 * line breaks inside cells, a row spanning lines counted as one row), blank rows, each
 * fault at its row and column, and random bytes, which never crash it and always give
 * valid UTF-8 cells; then the writer in both dialects, read back.
 */
#include "csv.h"

#include <string.h>

#include "../test-table.h"

/* The table's records joined for comparison: cells by '|', records by '\n', a refused
 * cell as '#'. */
static char *records_text(const ModelCsvTable *table) {
  GString *out = g_string_new(NULL);
  for (guint r = 0; r < table->records->len; r++) {
    GPtrArray *record = g_ptr_array_index(table->records, r);
    if (r > 0)
      g_string_append_c(out, '\n');
    for (guint c = 0; c < record->len; c++) {
      const char *cell = g_ptr_array_index(record, c);
      if (c > 0)
        g_string_append_c(out, '|');
      g_string_append(out, cell != NULL ? cell : "#");
    }
  }
  return g_string_free(out, FALSE);
}

static char *rows_text(const ModelCsvTable *table) {
  GString *out = g_string_new(NULL);
  for (guint r = 0; r < table->rows->len; r++)
    g_string_append_printf(out, "%s%u", r > 0 ? "," : "", g_array_index(table->rows, guint, r));
  return g_string_free(out, FALSE);
}

typedef struct {
  const char *name;
  const char *text;
  gsize length; /* 0: strlen */
  char separator;
  gboolean bom;
  const char *records;  /* records_text() */
  const char *rows;     /* rows_text() */
  const char *problems; /* model_problems_to_string(), "" for none */
} ReadCase;

static const ReadCase read_cases[] = {
    {"semicolon-crlf", "id;naam\r\n1;Anna\r\n2;Bram\r\n", 0, ';', FALSE, "id|naam\n1|Anna\n2|Bram",
     "1,2,3", ""},
    {"comma-lf", "id,name\n1,Anna\n", 0, ',', FALSE, "id|name\n1|Anna", "1,2", ""},
    {"bom", "\xEF\xBB\xBFid;naam\r\n1;Anna", 0, ';', TRUE, "id|naam\n1|Anna", "1,2", ""},
    {"no-final-newline", "a;b\n1;2", 0, ';', FALSE, "a|b\n1|2", "1,2", ""},
    {"tie-is-semicolon", "a;b,c\n1;2,3\n", 0, ';', FALSE, "a|b,c\n1|2,3", "1,2", ""},
    {"comma-majority-outside-quotes", "\"a;b;c\",d,e\n1,2,3\n", 0, ',', FALSE, "a;b;c|d|e\n1|2|3",
     "1,2", ""},
    {"quoted-separator", "a;b\n\"x;y\";z\n", 0, ';', FALSE, "a|b\nx;y|z", "1,2", ""},
    {"doubled-quote", "a\n\"say \"\"hi\"\"\"\n", 0, ';', FALSE, "a\nsay \"hi\"", "1,2", ""},
    {"line-break-in-cell", "a;b\n\"one\r\ntwo\";3\n4;5\n", 0, ';', FALSE, "a|b\none\r\ntwo|3\n4|5",
     "1,2,3", ""},
    {"empty-cells", "a;b;c\n;;\n1;;3\n", 0, ';', FALSE, "a|b|c\n1||3", "1,3", ""},
    {"blank-lines-keep-row-numbers", "a\n\n\r\nx\n", 0, ';', FALSE, "a\nx", "1,4", ""},
    {"quote-inside-plain-cell", "a\nhe said \"no\"\n", 0, ';', FALSE, "a\nhe said \"no\"", "1,2",
     ""},
    {"unterminated-quote", "a;b\n1;\"open\n", 0, ';', FALSE, "a|b\n1|open\n", "1,2",
     "2: a quoted cell is never closed (expected a \" before the end)"},
    {"text-after-quote", "a;b\n\"x\"y;2\n", 0, ';', FALSE, "a|b\nx|2", "1,2",
     "2/a: text after a closing quote (expected the separator or the end of the row; a quote "
     "inside a quoted cell is written \"\")"},
    {"nul-byte", "a;b\n1;x\0y\n", 10, ';', FALSE, "a|b\n1|#", "1,2",
     "2/b: holds a NUL byte (expected text)"},
    {"latin-1", "a;naam\n1;Jos\xE9\n", 0, ';', FALSE, "a|naam\n1|#", "1,2",
     "2/naam: is not valid UTF-8 (expected text saved as \"CSV UTF-8\", not as an older "
     "encoding)"},
    {"empty", "", 0, ';', FALSE, "", "", ""},
    {"bom-only", "\xEF\xBB\xBF", 0, ';', TRUE, "", "", ""},
};

static void test_read(gconstpointer data) {
  const ReadCase *c = data;
  g_autoptr(GPtrArray) problems = model_problems_new();
  gsize length = c->length != 0 ? c->length : strlen(c->text);
  g_autoptr(ModelCsvTable) table = model_csv_parse(c->text, length, problems);
  g_assert_cmpint(table->separator, ==, c->separator);
  g_assert_cmpint(table->bom, ==, c->bom);
  g_autofree char *records = records_text(table);
  g_assert_cmpstr(records, ==, c->records);
  g_autofree char *rows = rows_text(table);
  g_assert_cmpstr(rows, ==, c->rows);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, c->problems);
}

/* A cell over the cap is refused at its row and column, and the next row still read. */
static void test_caps(void) {
  GString *text = g_string_new("a;b\n1;");
  for (int i = 0; i <= MODEL_CSV_MAX_CELL; i++)
    g_string_append_c(text, 'x');
  g_string_append(text, "\n2;ok\n");
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvTable) table = model_csv_parse(text->str, text->len, problems);
  g_string_free(text, TRUE);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, "2/b: the cell is longer than 65536 bytes");
  g_autofree char *records = records_text(table);
  g_assert_cmpstr(records, ==, "a|b\n1|#\n2|ok");

  GString *rows = g_string_new("a\n");
  for (int i = 0; i <= MODEL_CSV_MAX_ROWS + 5; i++)
    g_string_append(rows, "1\n");
  g_autoptr(GPtrArray) more = model_problems_new();
  g_autoptr(ModelCsvTable) long_table = model_csv_parse(rows->str, rows->len, more);
  g_string_free(rows, TRUE);
  g_assert_cmpuint(long_table->records->len, ==, MODEL_CSV_MAX_ROWS + 1);
  g_assert_cmpuint(more->len, ==, 1);
  g_assert_cmpstr(((ModelProblem *)more->pdata[0])->pointer, ==, "20002");
}

/* Random bytes drawn mostly from what CSV is made of: the reader never crashes, every
 * cell it hands out is valid UTF-8 without NUL, rows increase, and every problem has a
 * row number for a pointer. */
static void test_random(gconstpointer data) {
  GRand *rand = g_rand_new_with_seed(GPOINTER_TO_UINT(data));
  static const char alphabet[] = ";,\"\r\n ab\xEF\xBB\xBF\xC3\xA9\xFF";
  for (int round = 0; round < 300; round++) {
    gsize length = (gsize)g_rand_int_range(rand, 0, 400);
    g_autofree char *text = g_malloc(length + 1);
    for (gsize i = 0; i < length; i++)
      text[i] = g_rand_boolean(rand) ? alphabet[g_rand_int_range(rand, 0, sizeof alphabet)]
                                     : (char)g_rand_int_range(rand, 0, 256);
    g_autoptr(GPtrArray) problems = model_problems_new();
    g_autoptr(ModelCsvTable) table = model_csv_parse(text, length, problems);
    g_assert_cmpuint(table->records->len, ==, table->rows->len);
    guint last = 0;
    for (guint r = 0; r < table->records->len; r++) {
      guint row = g_array_index(table->rows, guint, r);
      g_assert_cmpuint(row, >, last);
      last = row;
      GPtrArray *record = g_ptr_array_index(table->records, r);
      for (guint c = 0; c < record->len; c++) {
        const char *cell = g_ptr_array_index(record, c);
        if (cell != NULL)
          g_assert_true(g_utf8_validate(cell, -1, NULL));
      }
    }
    for (guint i = 0; i < problems->len; i++) {
      const ModelProblem *p = g_ptr_array_index(problems, i);
      g_assert_true(g_ascii_isdigit(p->pointer[0]));
    }
  }
  g_rand_free(rand);
}

static const guint32 seeds[] = {1, 2, 3, 20200414};

/* Both dialects: formula-looking cells defused, quoting where needed, read back. */
static void test_write(void) {
  static const char *const cells[] = {"=1+2", "a;b", "say \"hi\"", "two\nlines", NULL, "-5"};
  GString *plain = g_string_new(NULL);
  model_csv_write_start(plain, MODEL_CSV_PLAIN);
  model_csv_write_row(plain, MODEL_CSV_PLAIN, cells, G_N_ELEMENTS(cells));
  g_assert_cmpstr(plain->str, ==, "'=1+2,a;b,\"say \"\"hi\"\"\",\"two\nlines\",,'-5\r\n");
  GString *nl = g_string_new(NULL);
  model_csv_write_start(nl, MODEL_CSV_EXCEL_NL);
  model_csv_write_row(nl, MODEL_CSV_EXCEL_NL, cells, G_N_ELEMENTS(cells));
  g_assert_cmpstr(nl->str, ==,
                  "\xEF\xBB\xBF'=1+2;\"a;b\";\"say \"\"hi\"\"\";\"two\nlines\";;'-5\r\n");
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvTable) table = model_csv_parse(nl->str, nl->len, problems);
  g_assert_cmpuint(problems->len, ==, 0);
  g_assert_true(table->bom);
  g_autofree char *records = records_text(table);
  g_assert_cmpstr(records, ==, "'=1+2|a;b|say \"hi\"|two\nlines||'-5");
  g_string_free(plain, TRUE);
  g_string_free(nl, TRUE);
}

static void test_header_key(void) {
  g_autofree char *a = model_csv_header_key("  Max dagdelen per week ");
  g_assert_cmpstr(a, ==, "max_dagdelen_per_week");
  g_autofree char *b = model_csv_header_key("E-mail");
  g_assert_cmpstr(b, ==, "e_mail");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_TABLE("/csv/read", read_cases, name, test_read);
  g_test_add_func("/csv/caps", test_caps);
  TEST_ADD_SEEDS("/csv/random/", seeds, test_random);
  g_test_add_func("/csv/write", test_write);
  g_test_add_func("/csv/header-key", test_header_key);
  return g_test_run();
}
