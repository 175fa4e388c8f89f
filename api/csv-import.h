/* csv-import.h: employees imported from a spreadsheet into the store, the one path of
 * `handen import-csv` and `POST /v1/employees/import`.  An import is all or nothing:
 * it is checked completely (the file, the dataset format's rules, ids that belong to
 * another organisation, a coordinator's districts) and stored in one transaction only
 * when nothing is wrong.  Ownership: results are (transfer full), freed with _free.
 */
#pragma once

#include <json-c/json.h>

#include "csv.h"
#include "store.h"

G_BEGIN_DECLS

/* A checked import. */
typedef struct {
  ModelCsvEmployees *read; /* the rows as read; ->dataset set only without problems */
  GPtrArray *problems;     /* every problem, in row order ("ROW/COLUMN" pointers) */
  guint created, updated;  /* employees new to the store, and those it already has */
} ApiCsvImport;

void api_csv_import_free(ApiCsvImport *import); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiCsvImport, api_csv_import_free)

/* The districts, organisation `organisation` and its locations: what a body naming
 * that organisation (and school `school`, when not NULL) is decoded against; the
 * organisation or school is left out when it does not exist.  NULL with the store's
 * error. */
ModelDataset *api_context_load(ModelStore *store, const char *school, const char *organisation,
                               GError **error);

/* Reads and checks `length` bytes of CSV text as employees of `organisation`, for a
 * caller whose scope is `districts` (NULL: every district): each employee's district,
 * and an existing employee's stored one, must be among them.  MODEL_ERROR_NOT_FOUND
 * when the organisation does not exist, else the store's error; problems in the file
 * are data, in ->problems. */
ApiCsvImport *api_csv_import_check(ModelStore *store, const char *organisation,
                                   const char *const *districts, const char *text, gsize length,
                                   GError **error);

/* Stores a checked import without problems in one transaction (new employees added,
 * existing ones replaced, their assignments kept, an inactive one's proposals
 * withdrawn), audited per employee as by `actor` at `now` (model_store_employees_import). */
gboolean api_csv_import_store(ModelStore *store, const ApiCsvImport *import, const char *actor,
                              gint64 now, GError **error);

/* {"created", "updated", "employees": [rows as read], "problems": [{"row", "column",
 * "pointer", "message"}]} (transfer full). */
json_object *api_csv_import_json(const ApiCsvImport *import);
/* One problem as {"row", "column" (absent for a whole row), "pointer", "message"}. */
json_object *api_csv_problem_json(const ModelProblem *problem);

G_END_DECLS
