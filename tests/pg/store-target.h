/* store-target.h: where a test keeps its store, so the same test runs on both backends.
 * Without HANDEN_TEST_PG a store is the file "handen.db" in the test's folder; with it
 * (tests/pg/with-pg.sh sets it to a throwaway cluster's database), each store is a
 * fresh, empty schema of that database, named by a connection URI that selects it.
 */
#pragma once

#include <glib.h>

/* Whether the tests run on PostgreSQL (HANDEN_TEST_PG is set). */
gboolean store_target_is_pg(void);

/* A new, empty store target for a test whose folder is `dir`: the path DIR/handen.db,
 * or the URI of a new schema on PostgreSQL (transfer full); asserts success. */
char *store_target_new(const char *dir);

/* Skips the running test case and returns TRUE on PostgreSQL, for a case about the
 * SQLite file itself (its bytes, its -wal file, the sqlite3 library). */
gboolean store_target_skip_unless_sqlite(void);

/* What a statement run behind the store's back answered. */
typedef enum {
  STORE_TARGET_OK,
  STORE_TARGET_RULE, /* a constraint or trigger refused it */
  STORE_TARGET_ERROR,
} StoreTargetResult;

/* Runs `sql` (one or more statements) on the PostgreSQL store `target` through a
 * connection of its own, as psql would; *out_message (when not NULL) gets the server's
 * message on failure, else NULL (transfer full). */
StoreTargetResult store_target_pg_exec(const char *target, const char *sql, char **out_message);

/* Runs fixed `sql` (one or more statements) on the store `target` of either backend
 * through a connection of its own, as an operator's tool would (on SQLite waiting up to
 * 10 s for a writer); stops the test with the statement and the message when it fails. */
void store_target_exec(const char *target, const char *sql);

/* The text in the first column of the first row `sql` answers on the store `target` of
 * either backend, NULL for NULL (transfer full); asserts there is a row. */
char *store_target_text(const char *target, const char *sql);

/* The integer in the first column of the first row `sql` answers on the store `target`
 * of either backend; asserts there is one. */
gint64 store_target_int(const char *target, const char *sql);

/* The integer in the first column of the first row `sql` answers on `target`; asserts
 * there is one. */
gint64 store_target_pg_int(const char *target, const char *sql);

/* The text in the first column of the first row `sql` answers on `target`, NULL for
 * NULL (transfer full); asserts there is a row. */
char *store_target_pg_text(const char *target, const char *sql);
