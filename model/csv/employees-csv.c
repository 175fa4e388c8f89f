/* employees-csv.c: employees from a spreadsheet.  Each data row becomes the employee
 * object of the dataset format (FORMAT.md), and the rows are checked together as the
 * employees of one dataset document next to the context, by the dataset codec itself:
 * a spreadsheet and a JSON file are held to the same rules with the same messages.
 * Only what a cell cannot say in JSON terms (a number, a date, ja/nee, a day part) is
 * checked here.  Invariant: every problem names its spreadsheet row and, when it has
 * one, the column as the file's header wrote it; a cell with a problem of its own is
 * left out of the object, so it is never reported twice.
 */
#include "csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "dataset-json.h"
#include "entity-codec.h"

typedef enum { TEXT, WHOLE, NUMBER, YES_NO, DATE, QUALS, VOG, SLOTS } Kind;

typedef struct {
  const char *key; /* the dataset format's key; "vog" is a qualification */
  const char *nl;  /* the template's header */
  const char *en;
  const char *alias; /* another accepted header, or NULL */
  Kind kind;
} Column;

static const Column columns[] = {
    {"id", "id", "id", "personeelsnummer", TEXT},
    {"name", "naam", "name", NULL, TEXT},
    {"organisation", "organisatie", "organisation", NULL, TEXT},
    {"district", "wijk", "district", NULL, TEXT},
    {"location", "locatie", "location", NULL, TEXT},
    {"lat", "lat", "lat", "breedtegraad", NUMBER},
    {"lon", "lon", "lon", "lengtegraad", NUMBER},
    {"qualifications", "kwalificaties", "qualifications", NULL, QUALS},
    {"vog", "vog", "vog", NULL, VOG},
    {"availability", "beschikbaar", "availability", "beschikbaarheid", SLOTS},
    {"max_parts_per_week", "max_dagdelen_per_week", "max_day_parts_per_week", "max_parts_per_week",
     WHOLE},
    {"max_travel_km", "max_reisafstand_km", "max_travel_km", NULL, WHOLE},
    {"active", "actief", "active", NULL, YES_NO},
    {"confirmed", "bevestigd", "confirmed", NULL, DATE},
    {"email", "email", "email", "e_mail", TEXT},
    {"phone", "telefoon", "phone", "telefoonnummer", TEXT},
};
#define N_COLUMNS G_N_ELEMENTS(columns)
enum {
  COL_ID = 0,
  COL_NAME = 1,
  COL_ORGANISATION = 2,
  COL_DISTRICT = 3,
  COL_QUALS = 7,
  COL_VOG = 8
};

const char *const *model_csv_employee_columns(void) {
  static const char *names[N_COLUMNS + 1];
  if (names[0] == NULL) {
    for (gsize i = 0; i < N_COLUMNS; i++)
      names[i] = columns[i].nl;
  }
  return names;
}

char *model_csv_employee_template(void) {
  GString *out = g_string_new(NULL);
  model_csv_write_start(out, MODEL_CSV_EXCEL_NL);
  model_csv_write_row(out, MODEL_CSV_EXCEL_NL, model_csv_employee_columns(), N_COLUMNS);
  return g_string_free(out, FALSE);
}

void model_csv_employees_free(ModelCsvEmployees *employees) {
  if (employees == NULL)
    return;
  if (employees->employees != NULL)
    json_object_put(employees->employees);
  model_dataset_free(employees->dataset);
  g_hash_table_unref(employees->headers);
  g_ptr_array_unref(employees->header);
  g_free(employees);
}

const char *model_csv_employees_column(const ModelCsvEmployees *employees, const char *key) {
  return g_hash_table_lookup(employees->headers, key);
}

/* Where a problem stands: its row and its column's place in the file (-1: none). */
static void problem_place(const ModelCsvEmployees *employees, const ModelProblem *problem,
                          guint64 *out_row, gint *out_column) {
  const char *slash = strchr(problem->pointer, '/');
  g_autofree char *row =
      g_strndup(problem->pointer,
                slash != NULL ? (gsize)(slash - problem->pointer) : strlen(problem->pointer));
  *out_row = g_ascii_strtoull(row, NULL, 10);
  *out_column = -1;
  for (guint i = 0; slash != NULL && i < employees->header->len; i++) {
    if (g_strcmp0(g_ptr_array_index(employees->header, i), slash + 1) == 0) {
      *out_column = (gint)i;
      break;
    }
  }
}

static gint compare_problems(gconstpointer a, gconstpointer b, gpointer data) {
  const ModelProblem *pa = *(ModelProblem *const *)a, *pb = *(ModelProblem *const *)b;
  guint64 ra, rb;
  gint ca, cb;
  problem_place(data, pa, &ra, &ca);
  problem_place(data, pb, &rb, &cb);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  if (ca != cb)
    return ca < cb ? -1 : 1;
  int c = g_strcmp0(pa->pointer, pb->pointer);
  return c != 0 ? c : g_strcmp0(pa->message, pb->message);
}

void model_csv_employees_sort_problems(const ModelCsvEmployees *employees, GPtrArray *problems) {
  g_ptr_array_sort_with_data(problems, compare_problems, (gpointer)employees);
}

/* ---- the header ---------------------------------------------------------- */

static gint column_of(const char *header) {
  g_autofree char *key = model_csv_header_key(header);
  for (gsize i = 0; i < N_COLUMNS; i++) {
    const Column *c = &columns[i];
    if (g_strcmp0(key, c->nl) == 0 || g_strcmp0(key, c->en) == 0 || g_strcmp0(key, c->alias) == 0)
      return (gint)i;
  }
  return -1;
}

/* What the header says: the column of each cell (-1: none), the cell of each column
 * (-1: absent); FALSE when a problem means the rows cannot be read. */
typedef struct {
  const GPtrArray *header;
  gint column_at[MODEL_CSV_MAX_COLUMNS];
  gint cell_of[N_COLUMNS];
} Header;

static gboolean read_header(Header *h, const GPtrArray *header, GPtrArray *problems) {
  h->header = header;
  for (gsize i = 0; i < N_COLUMNS; i++)
    h->cell_of[i] = -1;
  gboolean ok = TRUE;
  g_autofree char *expected = g_strjoinv(", ", (char **)model_csv_employee_columns());
  for (guint i = 0; i < header->len && i < MODEL_CSV_MAX_COLUMNS; i++) {
    const char *text = g_ptr_array_index((GPtrArray *)header, i);
    h->column_at[i] = -1;
    if (text == NULL) {
      ok = FALSE; /* already reported */
      continue;
    }
    g_autofree char *key = model_csv_header_key(text);
    if (*key == '\0')
      continue; /* an unnamed column must stay empty */
    g_autofree char *pointer = g_strdup_printf("1/%s", text);
    gint c = column_of(text);
    if (c < 0 && g_strcmp0(key, "postcode") == 0) {
      model_problems_add(problems, pointer,
                         "employees have no postcode (expected wijk for where they live, and"
                         " lat and lon for an exact place)");
      ok = FALSE;
    } else if (c < 0) {
      model_problems_add(problems, pointer, "unknown column \"%s\" (expected one of %s)", text,
                         expected);
      ok = FALSE;
    } else if (h->cell_of[c] >= 0) {
      model_problems_add(problems, pointer, "the column %s is given twice", columns[c].nl);
      ok = FALSE;
    } else {
      h->cell_of[c] = (gint)i;
      h->column_at[i] = c;
    }
  }
  static const gsize required[] = {COL_ID, COL_NAME, COL_DISTRICT};
  for (gsize i = 0; i < G_N_ELEMENTS(required); i++) {
    const Column *c = &columns[required[i]];
    if (h->cell_of[required[i]] < 0) {
      model_problems_add(problems, "1", "missing column %s (or %s)", c->nl, c->en);
      ok = FALSE;
    }
  }
  return ok;
}

/* The header text of column `c` (which the file has). */
static const char *header_text(const Header *h, gsize c) {
  return g_ptr_array_index((GPtrArray *)h->header, (guint)h->cell_of[c]);
}

/* ---- cells --------------------------------------------------------------- */

static gboolean parse_yes_no(const char *text, gboolean *out) {
  static const char *const yes[] = {"ja", "j", "yes", "y", "1", "true", "waar", "x"};
  static const char *const no[] = {"nee", "n", "no", "0", "false", "onwaar"};
  g_autofree char *key = model_csv_header_key(text);
  for (gsize i = 0; i < G_N_ELEMENTS(yes); i++) {
    if (strcmp(key, yes[i]) == 0)
      return (*out = TRUE, TRUE);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(no); i++) {
    if (strcmp(key, no[i]) == 0)
      return (*out = FALSE, TRUE);
  }
  return FALSE;
}

/* A date as Dutch Excel shows it (14-04-2020, 14/4/2020) or in ISO form (2020-04-14). */
static gboolean parse_date(const char *text, ModelDate *out) {
  if (model_date_parse(text, out))
    return TRUE;
  unsigned day = 0, month = 0, year = 0;
  char sep1 = 0, sep2 = 0;
  int used = 0;
  if (sscanf(text, "%2u%c%2u%c%4u%n", &day, &sep1, &month, &sep2, &year, &used) != 5 ||
      (size_t)used != strlen(text) || sep1 != sep2 || (sep1 != '-' && sep1 != '/'))
    return FALSE;
  char iso[16];
  g_snprintf(iso, sizeof iso, "%04u-%02u-%02u", year, month, day);
  return model_date_parse(iso, out);
}

static json_object *date_string(ModelDate date) {
  char buf[11];
  model_date_format(date, buf);
  return json_object_new_string(buf);
}

/* One availability entry: "DATE [PART]", appended to `slots` as {date, part}
 * objects (both day parts when no part is given). */
static gboolean parse_slot(const char *entry, json_object *slots) {
  g_auto(GStrv) words = g_strsplit_set(entry, " \t", -1);
  const char *date_word = NULL, *part_word = NULL;
  for (char **w = words; *w != NULL; w++) {
    if (**w == '\0')
      continue;
    if (date_word == NULL)
      date_word = *w;
    else if (part_word == NULL)
      part_word = *w;
    else
      return FALSE;
  }
  ModelDate date;
  if (date_word == NULL || !parse_date(date_word, &date))
    return FALSE;
  guint parts = MODEL_PARTS_ALL;
  if (part_word != NULL) {
    g_autofree char *part = model_csv_header_key(part_word);
    if (strcmp(part, "ochtend") == 0 || strcmp(part, "morning") == 0)
      parts = 1u << MODEL_PART_MORNING;
    else if (strcmp(part, "middag") == 0 || strcmp(part, "afternoon") == 0)
      parts = 1u << MODEL_PART_AFTERNOON;
    else if (strcmp(part, "dag") != 0 && strcmp(part, "day") != 0)
      return FALSE;
  }
  for (int p = 0; p < MODEL_N_PARTS; p++) {
    if ((parts & (1u << p)) == 0)
      continue;
    json_object *slot = json_object_new_object();
    json_object_object_add(slot, "date", date_string(date));
    json_object_object_add(slot, "part", json_object_new_string(model_part_name((ModelPart)p)));
    json_object_array_add(slots, slot);
  }
  return TRUE;
}

/* The JSON value of a non-empty cell of kind `kind` (VOG aside), or NULL with the
 * problem's message in *out_message. */
static json_object *cell_value(Kind kind, const char *text, char **out_message) {
  switch (kind) {
  case TEXT:
    return json_object_new_string(text);
  case WHOLE: {
    gint64 value = 0;
    if (g_ascii_string_to_signed(text, 10, -1000000000, 1000000000, &value, NULL))
      return json_object_new_int64(value);
    *out_message = g_strdup_printf("\"%s\" is not a whole number (expected e.g. 6)", text);
    return NULL;
  }
  case NUMBER: {
    g_autofree char *dotted = g_strdelimit(g_strdup(text), ",", '.');
    char *end = NULL;
    double value = g_ascii_strtod(dotted, &end);
    if (end != dotted && *end == '\0' && isfinite(value))
      return json_object_new_double(value);
    *out_message = g_strdup_printf("\"%s\" is not a number (expected e.g. 52,3712)", text);
    return NULL;
  }
  case YES_NO: {
    gboolean value = FALSE;
    if (parse_yes_no(text, &value))
      return json_object_new_boolean(value);
    *out_message =
        g_strdup_printf("\"%s\" is not ja or nee (expected ja, nee, yes, no, 1 or 0)", text);
    return NULL;
  }
  case DATE: {
    ModelDate date;
    if (parse_date(text, &date))
      return date_string(date);
    *out_message = g_strdup_printf(
        "\"%s\" is not a date (expected dd-mm-jjjj or jjjj-mm-dd, e.g. 14-04-2020)", text);
    return NULL;
  }
  case QUALS: {
    json_object *tags = json_object_new_array();
    g_auto(GStrv) words = g_strsplit_set(text, "| ,\t\r\n", -1);
    for (char **w = words; *w != NULL; w++) {
      if (**w == '\0')
        continue;
      g_autofree char *tag = g_ascii_strdown(*w, -1);
      json_object_array_add(tags,
                            json_object_new_string(strcmp(tag, "ehbo") == 0 ? "first-aid" : tag));
    }
    return tags;
  }
  case SLOTS: {
    json_object *slots = json_object_new_array();
    g_auto(GStrv) entries = g_strsplit_set(text, "|\r\n", -1);
    for (char **e = entries; *e != NULL; e++) {
      g_strstrip(*e);
      if (**e != '\0' && !parse_slot(*e, slots)) {
        *out_message = g_strdup_printf("\"%s\" is not a day part (expected a date and ochtend or"
                                       " middag, e.g. \"14-04-2020 ochtend\", separated by |)",
                                       *e);
        json_object_put(slots);
        return NULL;
      }
    }
    return slots;
  }
  case VOG:
    break;
  }
  g_assert_not_reached();
}

/* A problem at `row` in the column `column` of the file (NULL: the whole row). */
static void row_problem(GPtrArray *problems, guint row, const char *column, const char *message) {
  g_autofree char *pointer =
      column != NULL ? g_strdup_printf("%u/%s", row, column) : g_strdup_printf("%u", row);
  model_problems_add(problems, pointer, "%s", message);
}

/* Applies the vog cell to the qualification tags in `object`. */
static void apply_vog(json_object *object, gboolean vog, const char *vog_header, guint row,
                      GPtrArray *problems) {
  json_object *tags = NULL;
  if (!json_object_object_get_ex(object, "qualifications", &tags)) {
    tags = json_object_new_array();
    json_object_object_add(object, "qualifications", tags);
  }
  gboolean listed = FALSE;
  for (size_t i = 0; i < json_object_array_length(tags); i++)
    listed =
        listed || g_strcmp0(json_object_get_string(json_object_array_get_idx(tags, i)), "vog") == 0;
  if (vog && !listed)
    json_object_array_add(tags, json_object_new_string("vog"));
  if (!vog && listed)
    row_problem(problems, row, vog_header,
                "says nee, but the qualifications list vog (expected the two to agree)");
}

/* One data row as an employee object; problems of its own cells go to `problems` and
 * their columns into `refused` ("ROW/KEY"). */
static json_object *read_row(const Header *h, const GPtrArray *record, guint row,
                             const char *organisation, GPtrArray *problems, GHashTable *refused) {
  json_object *object = json_object_new_object();
  gint vog = -1;
  for (gsize c = 0; c < N_COLUMNS; c++) {
    gint at = h->cell_of[c];
    const char *raw =
        at >= 0 && (guint)at < record->len ? g_ptr_array_index((GPtrArray *)record, (guint)at) : "";
    if (raw == NULL) { /* refused by the reader */
      g_hash_table_add(refused, g_strdup_printf("%u/%s", row, columns[c].key));
      continue;
    }
    g_autofree char *text = g_strstrip(g_strdup(raw));
    if (c == COL_ID && *text == '\0') {
      row_problem(problems, row, header_text(h, c),
                  "missing (expected the employee's id, e.g. their personnel number)");
      g_hash_table_add(refused, g_strdup_printf("%u/id", row));
      continue;
    }
    if (c == COL_ORGANISATION && *text != '\0' && strcmp(text, organisation) != 0) {
      g_autofree char *message = g_strdup_printf(
          "\"%s\" is not the organisation of this import (expected %s)", text, organisation);
      row_problem(problems, row, header_text(h, c), message);
      continue;
    }
    if (*text == '\0' || c == COL_ORGANISATION)
      continue;
    if (columns[c].kind == VOG) {
      gboolean value = FALSE;
      if (parse_yes_no(text, &value)) {
        vog = value;
      } else {
        g_autofree char *message =
            g_strdup_printf("\"%s\" is not ja or nee (expected ja, nee, yes, no, 1 or 0)", text);
        row_problem(problems, row, header_text(h, c), message);
      }
      continue;
    }
    g_autofree char *message = NULL;
    json_object *value = cell_value(columns[c].kind, text, &message);
    if (value == NULL) {
      row_problem(problems, row, header_text(h, c), message);
      g_hash_table_add(refused, g_strdup_printf("%u/%s", row, columns[c].key));
      continue;
    }
    json_object_object_add(object, columns[c].key, value);
  }
  json_object_object_add(object, "organisation", json_object_new_string(organisation));
  if (vog >= 0)
    apply_vog(object, vog, header_text(h, COL_VOG), row, problems);
  for (guint i = 0; i < record->len; i++) {
    const char *cell = g_ptr_array_index((GPtrArray *)record, i);
    gboolean named = i < h->header->len && i < MODEL_CSV_MAX_COLUMNS && h->column_at[i] >= 0;
    if (!named && cell != NULL && *cell != '\0') {
      g_autofree char *message = g_strdup_printf(
          "\"%s\" stands in cell %u, under no column (expected at most %u cells, one per"
          " column of the header)",
          cell, i + 1, h->header->len);
      row_problem(problems, row, NULL, message);
    }
  }
  return object;
}

/* ---- the rows together ----------------------------------------------------- */

/* The column that gave dataset key `key` of an employee (NULL: the whole row). */
static const char *column_of_key(const Header *h, const char *key) {
  for (gsize c = 0; c < N_COLUMNS; c++) {
    if (strcmp(columns[c].key, key) == 0 && h->cell_of[c] >= 0)
      return header_text(h, c);
  }
  if (strcmp(key, "qualifications") == 0 && h->cell_of[COL_VOG] >= 0)
    return header_text(h, COL_VOG);
  return NULL;
}

/* "employees/K" in a message of the codec as the spreadsheet's "row N". */
static gboolean name_row(const GMatchInfo *match, GString *out, gpointer data) {
  const GArray *rows = data;
  g_autofree char *index = g_match_info_fetch(match, 1);
  guint64 k = 0;
  if (g_ascii_string_to_unsigned(index, 10, 0, rows->len - 1, &k, NULL))
    g_string_append_printf(out, "row %u", g_array_index(rows, guint, k));
  else
    g_string_append_printf(out, "employees/%s", index);
  return FALSE;
}

/* Moves the codec's problems ("employees/K/KEY/...") to their rows and columns, leaving
 * out those on a cell that already has a problem of its own. */
static void report_decoded(const Header *h, const GArray *rows, GPtrArray *found,
                           GHashTable *refused, GPtrArray *problems) {
  for (guint i = 0; i < found->len; i++) {
    const ModelProblem *p = g_ptr_array_index(found, i);
    g_auto(GStrv) parts = g_strsplit(p->pointer, "/", 4);
    guint64 k = 0;
    if (g_strv_length(parts) < 2 || strcmp(parts[0], "employees") != 0 ||
        !g_ascii_string_to_unsigned(parts[1], 10, 0, rows->len - 1, &k, NULL)) {
      model_problems_add(problems, "", "%s", p->message); /* not a row's: kept whole */
      continue;
    }
    guint row = g_array_index(rows, guint, k);
    const char *key = parts[2] != NULL ? parts[2] : "";
    g_autofree char *cell = g_strdup_printf("%u/%s", row, key);
    if (g_hash_table_contains(refused, cell))
      continue;
    g_autoptr(GRegex) pointer = g_regex_new("employees/([0-9]+)", 0, 0, NULL);
    g_autofree char *message =
        g_regex_replace_eval(pointer, p->message, -1, 0, 0, name_row, (gpointer)rows, NULL);
    row_problem(problems, row, column_of_key(h, key), message);
  }
}

/* The document the codec checks: the context's districts, organisations and
 * locations, and the rows as its employees. */
static char *dataset_text(const ModelDataset *context, json_object *employees) {
  json_object *doc = json_object_new_object();
  json_object *districts = json_object_new_array();
  for (guint i = 0; i < context->districts->len; i++)
    json_object_array_add(districts, model_json_encode_district(
                                         &g_array_index(context->districts, ModelDistrict, i)));
  json_object *organisations = json_object_new_array();
  for (guint i = 0; i < context->organisations->len; i++)
    json_object_array_add(organisations, model_json_encode_organisation(&g_array_index(
                                             context->organisations, ModelOrganisation, i)));
  json_object *locations = json_object_new_array();
  for (guint i = 0; i < context->locations->len; i++)
    json_object_array_add(locations, model_json_encode_location(
                                         &g_array_index(context->locations, ModelLocation, i)));
  json_object_object_add(doc, "districts", districts);
  json_object_object_add(doc, "organisations", organisations);
  json_object_object_add(doc, "locations", locations);
  json_object_object_add(doc, "employees", json_object_get(employees));
  char *text = g_strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
  json_object_put(doc);
  return text;
}

/* Keeps only the employees of `decoded` (the rest is the context, already stored). */
static ModelDataset *only_employees(ModelDataset *decoded) {
  ModelDataset *employees = model_dataset_new();
  gsize n = 0;
  gpointer data = g_array_steal(decoded->employees, &n);
  g_array_append_vals(employees->employees, data, (guint)n);
  g_free(data);
  model_dataset_index(employees);
  return employees;
}

ModelCsvEmployees *model_csv_read_employees(const char *text, gsize length,
                                            const ModelDataset *context, const char *organisation,
                                            GPtrArray *problems) {
  g_return_val_if_fail(context != NULL && organisation != NULL && problems != NULL, NULL);
  guint before = problems->len;
  g_autoptr(GPtrArray) found = model_problems_new();
  g_autoptr(ModelCsvTable) table = model_csv_parse(text, length, found);
  ModelCsvEmployees *result = g_new0(ModelCsvEmployees, 1);
  result->separator = table->separator;
  result->bom = table->bom;
  result->employees = json_object_new_array();
  result->headers = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
  result->header = g_ptr_array_new_with_free_func(g_free);
  if (table->records->len > 0) {
    GPtrArray *first = g_ptr_array_index(table->records, 0);
    for (guint i = 0; i < first->len; i++)
      g_ptr_array_add(result->header, g_strdup(g_ptr_array_index(first, i)));
  }
  Header h;
  if (table->records->len == 0) {
    model_problems_add(found, "1", "the file is empty (expected a header row, e.g. %s)",
                       "id;naam;wijk");
  } else if (read_header(&h, g_ptr_array_index(table->records, 0), found)) {
    for (gsize c = 0; c < N_COLUMNS; c++) {
      if (h.cell_of[c] >= 0)
        g_hash_table_insert(result->headers, (gpointer)columns[c].key,
                            g_strdup(header_text(&h, c)));
    }
    g_autoptr(GHashTable) refused = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GArray) rows = g_array_new(FALSE, FALSE, sizeof(guint));
    json_object *objects = json_object_new_array();
    for (guint i = 1; i < table->records->len; i++) {
      guint row = g_array_index(table->rows, guint, i);
      json_object *object =
          read_row(&h, g_ptr_array_index(table->records, i), row, organisation, found, refused);
      json_object *shown = json_object_new_object();
      json_object_object_add(shown, "row", json_object_new_int64(row));
      json_object_object_foreach(object, key, value) {
        json_object_object_add(shown, key, json_object_get(value));
      }
      json_object_array_add(result->employees, shown);
      json_object_array_add(objects, object);
      g_array_append_val(rows, row);
    }
    g_autofree char *doc = dataset_text(context, objects);
    g_autoptr(GPtrArray) decoding = model_problems_new();
    g_autoptr(ModelDataset) decoded = model_json_decode_dataset(doc, strlen(doc), decoding);
    json_object_put(objects);
    report_decoded(&h, rows, decoding, refused, found);
    if (found->len == 0 && decoded != NULL)
      result->dataset = only_employees(decoded);
  }
  model_csv_employees_sort_problems(result, found);
  g_ptr_array_extend_and_steal(problems, g_steal_pointer(&found));
  g_assert((problems->len == before) == (result->dataset != NULL));
  return result;
}
