/* store-load.c: reading the whole store back as a dataset (model_store_load).
 * Invariants: everything is read in one read transaction, so the dataset is one
 * consistent snapshot even while another connection writes; every array comes out
 * sorted by id in byte order (SQLite's BINARY collation), the order of
 * model_dataset_sort(); lists keep the order they were written in (position).  Rows
 * are decoded by rows.c, as for every other read, so a value the schema should have
 * refused (a corrupt file) is MODEL_ERROR_IO, never a crash or a silent default.
 */
#include "rows.h"

/* Lists are attached to their owners through the dataset's index: the owner's id is
 * column 0 (rows.h), the entry follows. */
typedef struct {
  const char *kind; /* the owners' array, for messages */
  gint (*find)(const ModelDataset *dataset, const char *id);
  StoreListRowFunc row;
  ModelDataset *dataset;
} ListRows;

static gboolean list_row(ModelStore *store, sqlite3_stmt *stmt, gpointer data, GError **error) {
  const ListRows *list = data;
  const char *id = (const char *)sqlite3_column_text(stmt, 0);
  gint owner = list->find(list->dataset, id);
  if (owner < 0)
    return store_set_corrupt_error(store, list->kind, id, sqlite3_column_name(stmt, 0), id, error);
  return list->row(store, stmt, 1, list->dataset, (guint)owner, error);
}

static gboolean load_in_transaction(ModelStore *store, ModelDataset *dataset, GError **error) {
  static const struct {
    const char *sql;
    StoreRowFunc row;
  } objects[] = {
      {STORE_DISTRICTS_SELECT " ORDER BY t.id", store_row_district},
      {STORE_SCHOOLS_SELECT " ORDER BY t.id", store_row_school},
      {STORE_ORGANISATIONS_SELECT " ORDER BY t.id", store_row_organisation},
      {STORE_LOCATIONS_SELECT " ORDER BY t.id", store_row_location},
      {STORE_EMPLOYEES_SELECT " ORDER BY t.id", store_row_employee},
      {STORE_REQUESTS_SELECT " ORDER BY t.id", store_row_request},
      {STORE_ASSIGNMENTS_SELECT " ORDER BY t.id", store_row_assignment},
  };
  static const struct {
    const char *sql;
    ListRows list; /* without its dataset */
  } lists[] = {
      {STORE_NEIGHBOURS_SELECT " ORDER BY district_id, position",
       {"districts", model_dataset_find_district, store_row_neighbour, NULL}},
      {STORE_AVAILABILITY_SELECT " ORDER BY employee_id, position",
       {"employees", model_dataset_find_employee, store_row_availability, NULL}},
      {STORE_SLOTS_SELECT " ORDER BY request_id, position",
       {"requests", model_dataset_find_request, store_row_slot, NULL}},
      {STORE_LOAD_SELECT " ORDER BY location_id, position",
       {"locations", model_dataset_find_location, store_row_load, NULL}},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(objects); i++) {
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, objects[i].sql, error);
    if (stmt == NULL || !store_each_object(store, stmt, objects[i].row, dataset, error))
      return FALSE;
  }
  model_dataset_index(dataset);
  for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
    ListRows list = lists[i].list;
    list.dataset = dataset;
    g_autoptr(sqlite3_stmt) stmt = store_prepare(store, lists[i].sql, error);
    if (stmt == NULL || !store_each_row(store, stmt, list_row, &list, error))
      return FALSE;
  }
  return TRUE;
}

ModelDataset *model_store_load(ModelStore *store, GError **error) {
  g_return_val_if_fail(store != NULL, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  /* A deferred BEGIN takes its snapshot at the first read and never blocks a writer
   * (WAL). */
  if (!store_exec(store, "BEGIN", error))
    return NULL;
  g_autoptr(ModelDataset) dataset = model_dataset_new();
  gboolean ok = load_in_transaction(store, dataset, error);
  store_rollback(store); /* nothing was written; ending the read cannot lose data */
  if (!ok)
    return NULL;
  model_dataset_index(dataset);
  return g_steal_pointer(&dataset);
}
