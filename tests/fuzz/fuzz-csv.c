/* fuzz-csv.c: the spreadsheet reader under arbitrary bytes, as a CSV body or file
 * reaches it.  For every input: the table's cells are valid UTF-8 without NUL and its
 * rows increase; reading employees against a small context either reports problems,
 * each at a row ("ROW" or "ROW/COLUMN", the row at least 1) with a message, and gives
 * no dataset, or reports none and gives a dataset with one employee per data row,
 * each of the importing organisation.  Anything else aborts.
 */
#include <string.h>

#include "csv.h"
#include "dataset-json.h"
#include "fuzz.h"

static ModelDataset *context;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_log_set_writer_func(fuzz_log_writer, NULL, NULL);
  static const char text[] =
      "{\"districts\":[{\"id\":\"stad\",\"name\":\"Stad\",\"lat\":52.37,\"lon\":5.21}],"
      "\"organisations\":[{\"id\":\"o1\",\"name\":\"De Boerderij\"}],"
      "\"locations\":[{\"id\":\"l1\",\"organisation\":\"o1\",\"name\":\"BSO\",\"lat\":52.37,"
      "\"lon\":5.22}]}";
  g_autoptr(GPtrArray) problems = model_problems_new();
  context = model_json_decode_dataset(text, strlen(text), problems);
  if (context == NULL)
    fuzz_fail("the context does not decode");
  return 0;
}

static void check_table(const char *text, size_t size) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvTable) table = model_csv_parse(text, size, problems);
  guint last = 0;
  for (guint r = 0; r < table->records->len; r++) {
    guint row = g_array_index(table->rows, guint, r);
    if (row <= last)
      fuzz_fail("record %u has row %u after row %u", r, row, last);
    last = row;
    GPtrArray *record = g_ptr_array_index(table->records, r);
    for (guint c = 0; c < record->len; c++) {
      const char *cell = g_ptr_array_index(record, c);
      if (cell != NULL && !g_utf8_validate(cell, -1, NULL))
        fuzz_fail("cell %u of record %u is not valid UTF-8", c, r);
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  check_table(text, size);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelCsvEmployees) read = model_csv_read_employees(text, size, context, "o1", problems);
  if ((problems->len == 0) != (read->dataset != NULL))
    fuzz_fail("%u problems with%s a dataset", problems->len, read->dataset ? "" : "out");
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *p = g_ptr_array_index(problems, i);
    if (p->pointer[0] != '\0' && g_ascii_strtoull(p->pointer, NULL, 10) < 1)
      fuzz_fail("problem %u is at \"%s\", not at a row", i, p->pointer);
    if (p->message[0] == '\0' || !g_utf8_validate(p->message, -1, NULL) ||
        !g_utf8_validate(p->pointer, -1, NULL))
      fuzz_fail("problem %u has no message or is not valid UTF-8", i);
  }
  if (read->dataset != NULL) {
    if (read->dataset->employees->len != json_object_array_length(read->employees))
      fuzz_fail("%u employees from %zu rows", read->dataset->employees->len,
                json_object_array_length(read->employees));
    for (guint i = 0; i < read->dataset->employees->len; i++) {
      const ModelEmployee *e = &g_array_index(read->dataset->employees, ModelEmployee, i);
      if (g_strcmp0(e->organisation_id, "o1") != 0)
        fuzz_fail("employee %s is of organisation %s", e->id, e->organisation_id);
    }
  }
  return 0;
}
