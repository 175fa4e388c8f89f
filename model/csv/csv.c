/* csv.c: CSV text to cells and cells to CSV text.  Reading follows RFC 4180 as Excel
 * writes it: a cell that starts with a quote runs to the matching quote ("" inside is
 * one quote) and may hold separators and line breaks, so a spreadsheet row can span
 * several lines of text; rows are counted as the spreadsheet shows them, not as lines.
 * Invariants: every cell handed out is valid UTF-8 without NUL; a fault never stops the
 * reading, it is recorded at its row and column and the reader goes on.
 */
#include "csv.h"

#include <string.h>

static const char bom[] = "\xEF\xBB\xBF";

void model_csv_table_free(ModelCsvTable *table) {
  if (table == NULL)
    return;
  g_ptr_array_unref(table->records);
  g_array_unref(table->rows);
  g_free(table);
}

char *model_csv_header_key(const char *header) {
  g_autofree char *trimmed = g_strstrip(g_ascii_strdown(header != NULL ? header : "", -1));
  for (char *c = trimmed; *c != '\0'; c++) {
    if (*c == ' ' || *c == '-')
      *c = '_';
  }
  return g_steal_pointer(&trimmed);
}

/* The separator the header line holds more of, outside quotes. */
static char detect_separator(const char *text, const char *end) {
  gsize semicolons = 0, commas = 0;
  gboolean quoted = FALSE;
  for (const char *c = text; c < end; c++) {
    if (*c == '"')
      quoted = !quoted;
    else if (!quoted && (*c == '\n' || *c == '\r'))
      break;
    else if (!quoted && *c == ';')
      semicolons++;
    else if (!quoted && *c == ',')
      commas++;
  }
  return commas > semicolons ? ',' : ';';
}

/* The reader's state: where it is, the record being built and what it has found. */
typedef struct {
  const char *at, *end;
  char separator;
  guint row; /* spreadsheet row of the record being read */
  ModelCsvTable *table;
  GPtrArray *problems;
  gboolean over_rows; /* the row cap was reported */
} Reader;

/* The column name of cell `index` of a data row, or its number when the header has
 * none. */
static char *column_name(const Reader *r, guint index) {
  if (r->table->records->len > 0) {
    GPtrArray *header = g_ptr_array_index(r->table->records, 0);
    if (index < header->len && g_ptr_array_index(header, index) != NULL &&
        *(const char *)g_ptr_array_index(header, index) != '\0')
      return g_strdup(g_ptr_array_index(header, index));
  }
  return g_strdup_printf("column %u", index + 1);
}

static void cell_problem(Reader *r, guint index, const char *message) {
  g_autofree char *column = column_name(r, index);
  g_autofree char *pointer = g_strdup_printf("%u/%s", r->row, column);
  model_problems_add(r->problems, pointer, "%s", message);
}

/* Checks a finished cell and adds it (or NULL when refused) to `record`. */
static void finish_cell(Reader *r, GPtrArray *record, GString *cell, gboolean too_long) {
  guint index = record->len;
  if (too_long) {
    g_autofree char *message =
        g_strdup_printf("the cell is longer than %d bytes", MODEL_CSV_MAX_CELL);
    cell_problem(r, index, message);
  } else if (memchr(cell->str, '\0', cell->len) != NULL) {
    cell_problem(r, index, "holds a NUL byte (expected text)");
  } else if (!g_utf8_validate(cell->str, (gssize)cell->len, NULL)) {
    cell_problem(r, index,
                 "is not valid UTF-8 (expected text saved as \"CSV UTF-8\", not as an older"
                 " encoding)");
  } else {
    g_ptr_array_add(record, g_strndup(cell->str, cell->len));
    g_string_truncate(cell, 0);
    return;
  }
  g_ptr_array_add(record, NULL);
  g_string_truncate(cell, 0);
}

static gboolean record_is_blank(const GPtrArray *record) {
  for (guint i = 0; i < record->len; i++) {
    const char *cell = g_ptr_array_index((GPtrArray *)record, i);
    if (cell == NULL || *cell != '\0')
      return FALSE;
  }
  return TRUE;
}

/* Reads one record from r->at, leaving r->at after its line break. */
static GPtrArray *read_record(Reader *r) {
  GPtrArray *record = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GString) cell = g_string_new(NULL);
  gboolean too_long = FALSE, too_many = FALSE;
  for (;;) {
    gboolean at_end = r->at >= r->end;
    if (!at_end && *r->at == '"' && cell->len == 0) {
      /* A quoted cell: up to the closing quote, "" standing for one quote. */
      guint started = r->row;
      r->at++;
      gboolean closed = FALSE;
      while (r->at < r->end) {
        if (*r->at == '"' && r->at + 1 < r->end && r->at[1] == '"') {
          r->at += 2;
          g_string_append_c(cell, '"');
        } else if (*r->at == '"') {
          r->at++;
          closed = TRUE;
          break;
        } else {
          g_string_append_c(cell, *r->at++);
        }
        too_long = too_long || cell->len > MODEL_CSV_MAX_CELL;
        if (too_long)
          g_string_truncate(cell, 0);
      }
      if (!closed) {
        g_autofree char *pointer = g_strdup_printf("%u", started);
        model_problems_add(r->problems, pointer,
                           "a quoted cell is never closed (expected a \" before the end)");
      } else if (r->at < r->end && *r->at != r->separator && *r->at != '\n' && *r->at != '\r') {
        cell_problem(r, record->len,
                     "text after a closing quote (expected the separator or the end of the"
                     " row; a quote inside a quoted cell is written \"\")");
        while (r->at < r->end && *r->at != r->separator && *r->at != '\n' && *r->at != '\r')
          r->at++;
      }
      continue;
    }
    if (at_end || *r->at == r->separator || *r->at == '\n' || *r->at == '\r') {
      if (record->len < MODEL_CSV_MAX_COLUMNS)
        finish_cell(r, record, cell, too_long);
      else
        too_many = TRUE;
      g_string_truncate(cell, 0);
      too_long = FALSE;
      if (!at_end && *r->at == r->separator) {
        r->at++;
        continue;
      }
      if (!at_end && *r->at == '\r')
        r->at++;
      if (r->at < r->end && *r->at == '\n')
        r->at++;
      break;
    }
    g_string_append_c(cell, *r->at++);
    too_long = too_long || cell->len > MODEL_CSV_MAX_CELL;
    if (too_long)
      g_string_truncate(cell, 0);
  }
  if (too_many) {
    g_autofree char *pointer = g_strdup_printf("%u", r->row);
    model_problems_add(r->problems, pointer, "more than %d cells in the row",
                       MODEL_CSV_MAX_COLUMNS);
  }
  return record;
}

ModelCsvTable *model_csv_parse(const char *text, gsize length, GPtrArray *problems) {
  g_return_val_if_fail(text != NULL || length == 0, NULL);
  g_return_val_if_fail(problems != NULL, NULL);
  ModelCsvTable *table = g_new0(ModelCsvTable, 1);
  table->records = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  table->rows = g_array_new(FALSE, FALSE, sizeof(guint));
  if (text == NULL)
    text = "";
  const char *end = text + length;
  if (length >= 3 && memcmp(text, bom, 3) == 0) {
    table->bom = TRUE;
    text += 3;
  }
  table->separator = detect_separator(text, end);
  Reader r = {text, end, table->separator, 1, table, problems, FALSE};
  while (r.at < r.end) {
    guint row = r.row;
    GPtrArray *record = read_record(&r);
    r.row++;
    if (record_is_blank(record) && table->records->len > 0) {
      g_ptr_array_unref(record);
      continue;
    }
    if (table->records->len > MODEL_CSV_MAX_ROWS) {
      g_ptr_array_unref(record);
      if (!r.over_rows) {
        g_autofree char *pointer = g_strdup_printf("%u", row);
        model_problems_add(problems, pointer,
                           "more than %d rows (expected at most %d employees"
                           " per file)",
                           MODEL_CSV_MAX_ROWS, MODEL_CSV_MAX_ROWS);
        r.over_rows = TRUE;
      }
      continue;
    }
    g_ptr_array_add(table->records, record);
    g_array_append_val(table->rows, row);
  }
  return table;
}

/* ---- writing ------------------------------------------------------------ */

void model_csv_write_start(GString *out, ModelCsvDialect dialect) {
  if (dialect == MODEL_CSV_EXCEL_NL)
    g_string_append(out, bom);
}

void model_csv_write_cell(GString *out, ModelCsvDialect dialect, const char *value, gboolean last) {
  char separator = dialect == MODEL_CSV_EXCEL_NL ? ';' : ',';
  if (value == NULL)
    value = "";
  gboolean formula = value[0] != '\0' && strchr("=+-@\t\r", value[0]) != NULL;
  const char specials[] = {separator, '"', '\r', '\n', '\0'};
  if (strpbrk(value, specials) != NULL) {
    g_string_append_c(out, '"');
    if (formula)
      g_string_append_c(out, '\'');
    for (const char *c = value; *c != '\0'; c++) {
      if (*c == '"')
        g_string_append_c(out, '"');
      g_string_append_c(out, *c);
    }
    g_string_append_c(out, '"');
  } else {
    if (formula)
      g_string_append_c(out, '\'');
    g_string_append(out, value);
  }
  if (last)
    g_string_append(out, "\r\n");
  else
    g_string_append_c(out, separator);
}

void model_csv_write_row(GString *out, ModelCsvDialect dialect, const char *const *cells, gsize n) {
  for (gsize i = 0; i < n; i++)
    model_csv_write_cell(out, dialect, cells[i], i + 1 == n);
}
