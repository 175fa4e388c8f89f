/* store.h: the SQLite store of a handen installation, one database file (default
 * "handen.db").  The schema carries the rules the database can enforce itself
 * (foreign keys, CHECK constraints, at most one approved assignment per employee and
 * slot, rejected pairs kept); migrations are numbered and tracked in
 * PRAGMA user_version; the file runs in WAL mode.  Every write is one transaction:
 * it stores everything or nothing.
 *
 * Ownership: ModelStore owns its connection; model_store_free() is NULL-safe.  A
 * store is used from one thread at a time.
 */
#pragma once

#include "model.h"

G_BEGIN_DECLS

typedef struct ModelStore ModelStore;

#define MODEL_STORE_DEFAULT_PATH "handen.db"

/* Opens (creating if missing) and migrates the database at `path`.  Fails with
 * MODEL_ERROR_IO naming the path when it cannot be opened, or when its schema is
 * newer than this program knows. */
ModelStore *model_store_open(const char *path, GError **error);
void model_store_free(ModelStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelStore, model_store_free)

/* The schema version this program migrates to. */
int model_store_schema_version(void);

typedef enum {
  MODEL_STORE_IMPORT_MERGE,   /* add new objects, replace those with the same id */
  MODEL_STORE_IMPORT_REPLACE, /* empty the store first */
} ModelStoreImportMode;

/* Imports a checked dataset in one transaction.  With MERGE, references may point
 * to objects already in the store.  On any failure nothing is stored and the error
 * names the object ("requests/r-12: ...").  */
gboolean model_store_import(ModelStore *store, const ModelDataset *dataset,
                            ModelStoreImportMode mode, GError **error);

/* Loads the whole store as a dataset (transfer full, indexed), every array sorted
 * by id, so an export is deterministic. */
ModelDataset *model_store_load(ModelStore *store, GError **error);

/* Replaces every PROPOSED assignment by `proposals` (GArray of ModelAssignment with
 * status PROPOSED) in one transaction; approved, rejected and cancelled assignments
 * are kept.  Fails with MODEL_ERROR_CONFLICT if a proposal would break a database
 * rule, storing nothing. */
gboolean model_store_replace_proposals(ModelStore *store, const GArray *proposals,
                                       GError **error);

G_END_DECLS
