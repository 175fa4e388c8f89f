/* csv.h: the spreadsheet codec: CSV text as Excel writes it (RFC 4180 quoting, `;` in
 * the Netherlands or `,`, UTF-8 with or without a byte order mark, CRLF or LF) read into
 * cells, employees read from such a table with Dutch or English headers, and cells
 * written in the two dialects the exports speak.
 *
 * Problems use the dataset validator's list (model.h); their pointer is "ROW/COLUMN"
 * (the row as a spreadsheet numbers it, the header being row 1, and the column as its
 * header names it), or "ROW" for a whole row.  Ownership: returned objects are
 * (transfer full) and freed with their _free; inputs are borrowed.
 */
#pragma once

#include <json-c/json.h>

#include "model.h"

G_BEGIN_DECLS

/* Hard caps on what one file may hold: a cell, a row, the rows. */
#define MODEL_CSV_MAX_CELL 65536
#define MODEL_CSV_MAX_COLUMNS 64
#define MODEL_CSV_MAX_ROWS 20000
/* The largest file the command line reads (the HTTP API caps bodies lower). */
#define MODEL_CSV_MAX_BYTES ((gsize)16 * 1024 * 1024)

/* A table read from CSV text: records of cells (char*, NUL-free valid UTF-8 or NULL
 * where a cell was refused), the first being the header. */
typedef struct {
  char separator;     /* ';' or ',' as detected from the header line */
  gboolean bom;       /* the text began with a UTF-8 byte order mark */
  GPtrArray *records; /* GPtrArray of GPtrArray of char* */
  GArray *rows;       /* guint: the spreadsheet row of each record (1 = header) */
} ModelCsvTable;

void model_csv_table_free(ModelCsvTable *table); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelCsvTable, model_csv_table_free)

/* Reads `length` bytes of CSV text.  The separator is the one of `;` and `,` that the
 * header line (outside quotes) holds more of, `;` on a tie.  Records whose cells are
 * all empty (blank lines, Excel's ";;;;") are left out.  Never fails: every fault (an
 * unterminated quote, text after a closing quote, a NUL byte, invalid UTF-8, a cell,
 * row or file over its cap) is appended to `problems` at its row and column, and the
 * rest is still read, so one file yields all its problems at once. */
ModelCsvTable *model_csv_parse(const char *text, gsize length, GPtrArray *problems);

/* Header text normalised for matching: trimmed, lower case, inner spaces and hyphens
 * as '_' ("Max dagdelen per week" -> "max_dagdelen_per_week"); transfer full. */
char *model_csv_header_key(const char *header);

/* ---- employees (employees-csv.c) ----------------------------------------- */

/* Employees read from a spreadsheet, one per data row. */
typedef struct {
  char separator;
  gboolean bom;
  json_object *employees; /* array: each data row as a dataset-format employee object,
                           * with "row": its spreadsheet row first; cells that could
                           * not be read are left out */
  ModelDataset *dataset;  /* only the employees, checked against the context; NULL
                           * when anything is wrong */
  GHashTable *headers;    /* dataset key ("district") -> the file's header ("Wijk") */
  GPtrArray *header;      /* the header's cells in file order (char*) */
} ModelCsvEmployees;

void model_csv_employees_free(ModelCsvEmployees *employees); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelCsvEmployees, model_csv_employees_free)

/* Reads the employees of `organisation` from CSV text, with every rule of the dataset
 * format (FORMAT.md) checked against `context` (the districts, the organisation and
 * its locations; its own employees are not consulted).  Columns (Dutch or English
 * header, any case, any order; only naam/name and wijk/district are required): id,
 * naam, organisatie (when given, `organisation`), wijk, locatie, lat, lon,
 * kwalificaties ("vog|pm" or "vog pm"), vog (ja/nee/yes/no/1/0), beschikbaar
 * ("2020-04-14 ochtend|15-04-2020 middag"; a date alone is both day parts),
 * max_dagdelen_per_week, max_reisafstand_km, actief, bevestigd, email, telefoon.
 * Every row needs an id.  An unknown or repeated column is a problem at row 1.
 * Always returns the rows as read; ->dataset is set only when `problems` gained
 * nothing. */
ModelCsvEmployees *model_csv_read_employees(const char *text, gsize length,
                                            const ModelDataset *context, const char *organisation,
                                            GPtrArray *problems);

/* The header the file gave the column of dataset key `key` ("district" -> "Wijk"), or
 * NULL when it has none (transfer none). */
const char *model_csv_employees_column(const ModelCsvEmployees *employees, const char *key);

/* Sorts problems of `employees` ("ROW/COLUMN" pointers) by row, then by the column's
 * place in the file (a whole row's first), then by message: the order a reader meets
 * them in the spreadsheet.  Deterministic. */
void model_csv_employees_sort_problems(const ModelCsvEmployees *employees, GPtrArray *problems);

/* The columns of the import template: Dutch headers, in the order a file lists them,
 * ending with NULL. */
const char *const *model_csv_employee_columns(void);
/* The import template: a UTF-8 byte order mark and the Dutch header line, `;`
 * separated, ending in CRLF (transfer full). */
char *model_csv_employee_template(void);

/* ---- writing ------------------------------------------------------------ */

/* How a CSV file is written. */
typedef enum {
  MODEL_CSV_PLAIN,    /* `,` separated, no byte order mark, CRLF */
  MODEL_CSV_EXCEL_NL, /* `;` separated, a byte order mark, CRLF (Dutch Excel) */
} ModelCsvDialect;

/* Appends one cell in `dialect`: a value a spreadsheet would run as a formula (starting
 * with = + - @ TAB CR) gets a leading quote, then RFC 4180 quoting when it holds the
 * separator, a quote or a line break; then the separator, or CRLF after the `last`
 * cell.  NULL is an empty cell. */
void model_csv_write_cell(GString *out, ModelCsvDialect dialect, const char *value, gboolean last);
/* Appends a whole row of `n` cells. */
void model_csv_write_row(GString *out, ModelCsvDialect dialect, const char *const *cells, gsize n);
/* Starts a file in `dialect`: the byte order mark of MODEL_CSV_EXCEL_NL, else nothing. */
void model_csv_write_start(GString *out, ModelCsvDialect dialect);

G_END_DECLS
