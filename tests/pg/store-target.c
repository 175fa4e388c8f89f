/* store-target.c: see store-target.h.  A schema per store keeps the stores of one
 * test program apart in one database at a fraction of the cost of a database each;
 * the cluster is removed as a whole when the program ends (with-pg.sh).
 */
#include "store-target.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

gboolean store_target_is_pg(void) {
  const char *base = g_getenv("HANDEN_TEST_PG");
  return base != NULL && base[0] != '\0';
}

char *store_target_new(const char *dir) {
  if (!store_target_is_pg())
    return g_build_filename(dir, "handen.db", NULL);
  static int counter;
  const char *base = g_getenv("HANDEN_TEST_PG");
  g_autofree char *schema = g_strdup_printf("t%d_%d", (int)getpid(), ++counter);
  PGconn *conn = PQconnectdb(base);
  g_assert_cmpint(PQstatus(conn), ==, CONNECTION_OK);
  g_autofree char *sql = g_strdup_printf("CREATE SCHEMA %s", schema);
  PGresult *result = PQexec(conn, sql);
  if (PQresultStatus(result) != PGRES_COMMAND_OK)
    g_error("%s: %s", sql, PQresultErrorMessage(result));
  PQclear(result);
  PQfinish(conn);
  return g_strdup_printf("%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
                         schema);
}

gboolean store_target_skip_unless_sqlite(void) {
  if (!store_target_is_pg())
    return FALSE;
  g_test_skip("about the SQLite file itself");
  return TRUE;
}

static PGconn *connect_to(const char *target) {
  PGconn *conn = PQconnectdb(target);
  if (PQstatus(conn) != CONNECTION_OK)
    g_error("%s: %s", target, PQerrorMessage(conn));
  return conn;
}

StoreTargetResult store_target_pg_exec(const char *target, const char *sql, char **out_message) {
  PGconn *conn = connect_to(target);
  PGresult *result = PQexec(conn, sql);
  ExecStatusType status = PQresultStatus(result);
  const char *code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  StoreTargetResult answer = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK
                                 ? STORE_TARGET_OK
                             : code != NULL && g_str_has_prefix(code, "23") ? STORE_TARGET_RULE
                                                                            : STORE_TARGET_ERROR;
  if (out_message != NULL)
    *out_message = answer != STORE_TARGET_OK ? g_strdup(PQresultErrorMessage(result)) : NULL;
  PQclear(result);
  PQfinish(conn);
  return answer;
}

char *store_target_pg_text(const char *target, const char *sql) {
  PGconn *conn = connect_to(target);
  PGresult *result = PQexec(conn, sql);
  if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) < 1)
    g_error("%s: %s", sql, PQresultErrorMessage(result));
  char *value = PQgetisnull(result, 0, 0) ? NULL : g_strdup(PQgetvalue(result, 0, 0));
  PQclear(result);
  PQfinish(conn);
  return value;
}

gint64 store_target_pg_int(const char *target, const char *sql) {
  g_autofree char *text = store_target_pg_text(target, sql);
  g_assert_nonnull(text);
  return g_ascii_strtoll(text, NULL, 10);
}

/* A connection of its own to the SQLite store `target`, waiting up to 10 s for a
 * writer. */
static sqlite3 *open_sqlite(const char *target) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open_v2(target, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint(sqlite3_busy_timeout(db, 10000), ==, SQLITE_OK);
  return db;
}

void store_target_exec(const char *target, const char *sql) {
  if (store_target_is_pg()) {
    g_autofree char *message = NULL;
    if (store_target_pg_exec(target, sql, &message) != STORE_TARGET_OK)
      g_error("%s: %s", sql, message);
    return;
  }
  sqlite3 *db = open_sqlite(target);
  char *message = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error("%s: %s", sql, message);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
}

char *store_target_text(const char *target, const char *sql) {
  if (store_target_is_pg())
    return store_target_pg_text(target, sql);
  sqlite3 *db = open_sqlite(target);
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error("%s: %s", sql, sqlite3_errmsg(db));
  g_assert_cmpint(sqlite3_step(stmt), ==, SQLITE_ROW);
  char *value = g_strdup((const char *)sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  g_assert_cmpint(sqlite3_close(db), ==, SQLITE_OK);
  return value;
}

gint64 store_target_int(const char *target, const char *sql) {
  g_autofree char *text = store_target_text(target, sql);
  g_assert_nonnull(text);
  return g_ascii_strtoll(text, NULL, 10);
}
