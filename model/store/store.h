/* store.h: the store of a handen installation: an SQLite file (default "handen.db"),
 * or a PostgreSQL database shared by several instances (driver.h).  The schema carries
 * the rules the database can enforce itself (foreign keys, CHECK constraints, at most
 * one approved assignment per employee and slot, rejected pairs kept); migrations are
 * numbered alike on both and tracked in PRAGMA user_version or the table handen_schema;
 * an SQLite file runs in WAL mode.  Every write is one transaction: it stores
 * everything or nothing.
 *
 * Ownership: ModelStore owns its connection; model_store_free() is NULL-safe.  A
 * store is used from one thread at a time.
 */
#pragma once

#include "model.h"

G_BEGIN_DECLS

typedef struct ModelStore ModelStore;

#define MODEL_STORE_DEFAULT_PATH "handen.db"

/* Opens (creating if missing) and migrates the database `path` names: the path of an
 * SQLite file, or a PostgreSQL connection URI (model_store_is_postgresql()).  Fails
 * with MODEL_ERROR_IO naming it (a URI without its password) when it cannot be opened
 * or reached, or when its schema is newer than this program knows; then nothing in it
 * was changed. */
ModelStore *model_store_open(const char *path, GError **error);
void model_store_free(ModelStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelStore, model_store_free)

/* Whether `target` (what --db gave) names a PostgreSQL database: a "postgresql://" or
 * "postgres://" connection URI, or "postgresql:" alone for the PG* environment
 * variables.  Anything else is the path of an SQLite file. */
gboolean model_store_is_postgresql(const char *target);

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

/* The store's version as this connection sees it: two counters that together change
 * whenever anything is committed to the file, by this connection (*out_changes, its
 * own changed rows) or by any other, in this process or another (*out_data_version,
 * PRAGMA data_version).  Two pairs from the same open store compare equal only when
 * nothing was committed in between; pairs from different stores mean nothing.
 * Outside a transaction it begins and ends a read transaction of its own.  Writes the
 * outputs only on success; fails with MODEL_ERROR_IO (store-version.c). */
gboolean model_store_version(ModelStore *store, gint64 *out_data_version, gint64 *out_changes,
                             GError **error);

/* The same question asked again and again: a probe keeps the statement prepared on
 * `store`'s connection (borrowed: the probe must be freed before the store, which
 * cannot close with the statement open).  Each read is model_store_version() at that
 * moment, with the same failure.  _new fails with MODEL_ERROR_IO. */
typedef struct ModelStoreVersionProbe ModelStoreVersionProbe;
ModelStoreVersionProbe *model_store_version_probe_new(ModelStore *store, GError **error);
void model_store_version_probe_free(ModelStoreVersionProbe *probe); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelStoreVersionProbe, model_store_version_probe_free)
/* The store the probe reads (transfer none). */
ModelStore *model_store_version_probe_store(const ModelStoreVersionProbe *probe);
gboolean model_store_version_probe_read(ModelStoreVersionProbe *probe, gint64 *out_data_version,
                                        gint64 *out_changes, GError **error);

/* Writes a consistent copy of the store at `path` (its state at one moment, while
 * other connections go on writing) to a new database file at `target`, readable by
 * its owner only, through SQLite's online backup API (backup.c).  The store is copied
 * as it is: not created, not migrated, and no write lock is taken.  `target` holds
 * either the complete, integrity-checked copy or, on failure, what it held before.
 * Fails with MODEL_ERROR_CONFLICT "TARGET: already exists" when `target` exists and
 * not `overwrite` (or "TARGET: is the store itself"), else MODEL_ERROR_IO naming the
 * file. */
gboolean model_store_backup(const char *path, const char *target, gboolean overwrite,
                            GError **error);

G_END_DECLS
