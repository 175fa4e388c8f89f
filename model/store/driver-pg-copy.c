/* driver-pg-copy.c: bulk writing on PostgreSQL with COPY (driver.h, prepare_bulk).  A
 * bulk statement is an INSERT ... VALUES (...) or a DELETE ... WHERE of the common
 * dialect whose steps only collect the rows bound, as lines of COPY's text format;
 * flushing sends them all with one COPY into a temporary table with a column per
 * parameter (p1, p2, ...), typed as the values were bound, and runs the statement once
 * over that table: the INSERT as INSERT ... SELECT, the DELETE with USING.  A
 * parameter never bound to anything but NULL stays an untyped NULL, as it would be
 * bound one row at a time.  Invariant: flushing means what running the statement once
 * per collected row means, as long as no two rows of one statement touch the same row
 * (the caller's to ensure: the import falls back to row by row when a flush fails).
 */
#include <string.h>

#include <libpq-fe.h>

#include "store-private.h"

/* Type OIDs (pg_type.h, stable across releases) and their names in a table. */
enum { OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

/* libpq copies each chunk into its buffer: send a large COPY in pieces. */
#define COPY_CHUNK (1 << 20)

typedef struct {
  StoreStmt head;
  char *sql;      /* as prepared, in the common dialect */
  char *table;    /* the temporary table the rows go to */
  int n_params;   /* the highest parameter */
  char **values;  /* this row's, escaped for COPY; NULL binds NULL */
  Oid *types;     /* per parameter: the type of its values, 0 while only NULL */
  gboolean mixed; /* a parameter got values of two types: flushing fails */
  GString *rows;  /* the rows collected, in COPY's text format */
  guint64 n_rows;
} CopyStmt;

static const StoreDriver store_driver_pg_copy;

static CopyStmt *copy_stmt(StoreStmt *stmt) {
  return (CopyStmt *)stmt;
}

/* Appends `sql` with each parameter ("?" or "?NNN") replaced by its column, or by NULL
 * when `types` says it never had a value (types NULL: every column); counts the
 * parameters into *out_n.  Quoted text and identifiers pass unchanged. */
static void append_with_columns(GString *out, const char *sql, gsize length, const Oid *types,
                                int *out_n) {
  const char *end = sql + length;
  for (const char *c = sql; c < end;) {
    if (*c == '\'' || *c == '"') {
      const char *close = memchr(c + 1, *c, (gsize)(end - c - 1));
      close = close != NULL ? close + 1 : end;
      g_string_append_len(out, c, close - c);
      c = close;
    } else if (*c == '?') {
      c++;
      int index = *out_n + 1;
      if (g_ascii_isdigit(*c)) {
        char *after = NULL;
        index = (int)g_ascii_strtoll(c, &after, 10);
        c = after;
      }
      *out_n = MAX(*out_n, index);
      if (types != NULL && types[index - 1] == 0)
        g_string_append(out, "NULL");
      else
        g_string_append_printf(out, "p%d", index);
    } else {
      g_string_append_c(out, *c++);
    }
  }
}

/* The offset of the ")" closing the "(" at `open` in `sql`, or -1. */
static gssize closing_paren(const char *sql, gsize open) {
  int depth = 0;
  for (gsize i = open; sql[i] != '\0'; i++) {
    if (sql[i] == '\'') {
      const char *close = strchr(sql + i + 1, '\'');
      if (close == NULL)
        return -1;
      i = (gsize)(close - sql);
    } else if (sql[i] == '(') {
      depth++;
    } else if (sql[i] == ')' && --depth == 0) {
      return (gssize)i;
    }
  }
  return -1;
}

/* The statement run over the table of `s`, or NULL for a shape this file does not
 * know (transfer full); `types` as append_with_columns() takes them. */
static char *statement_over_table(CopyStmt *s, const Oid *types, int *out_n) {
  GString *out = g_string_new(NULL);
  *out_n = 0;
  const char *values = strstr(s->sql, " VALUES (");
  const char *where = strstr(s->sql, " WHERE ");
  if (g_str_has_prefix(s->sql, "INSERT INTO ") && values != NULL) {
    gsize open = (gsize)(values - s->sql) + strlen(" VALUES ");
    gssize close = closing_paren(s->sql, open);
    if (close < 0) {
      g_string_free(out, TRUE);
      return NULL;
    }
    g_string_append_len(out, s->sql, values - s->sql);
    g_string_append(out, " SELECT ");
    append_with_columns(out, s->sql + open + 1, (gsize)close - open - 1, types, out_n);
    g_string_append_printf(out, " FROM %s", s->table);
    append_with_columns(out, s->sql + close + 1, strlen(s->sql + close + 1), types, out_n);
  } else if (g_str_has_prefix(s->sql, "DELETE FROM ") && where != NULL) {
    g_string_append_len(out, s->sql, where - s->sql);
    g_string_append_printf(out, " USING %s", s->table);
    append_with_columns(out, where, strlen(where), types, out_n);
  } else {
    g_string_free(out, TRUE);
    return NULL;
  }
  return g_string_free(out, FALSE);
}

static StoreStmt *copy_prepare(ModelStore *store, const char *sql) {
  static gint counter;
  CopyStmt *s = g_new0(CopyStmt, 1);
  s->head = (StoreStmt){.driver = &store_driver_pg_copy, .store = store};
  s->sql = g_strdup(sql);
  s->table = g_strdup_printf("handen_copy_%d", g_atomic_int_add(&counter, 1));
  g_autofree char *shape = statement_over_table(s, NULL, &s->n_params);
  if (shape == NULL) {
    g_free(s->sql);
    g_free(s->table);
    g_free(s);
    return NULL;
  }
  s->values = g_new0(char *, MAX(s->n_params, 1));
  s->types = g_new0(Oid, MAX(s->n_params, 1));
  s->rows = g_string_new(NULL);
  return &s->head;
}

static void copy_reset(StoreStmt *stmt) {
  CopyStmt *s = copy_stmt(stmt);
  for (int i = 0; i < s->n_params; i++)
    g_clear_pointer(&s->values[i], g_free);
}

static void copy_finalize(StoreStmt *stmt) {
  CopyStmt *s = copy_stmt(stmt);
  copy_reset(stmt);
  g_free(s->values);
  g_free(s->types);
  g_string_free(s->rows, TRUE);
  g_free(s->table);
  g_free(s->sql);
  g_free(s);
}

/* Sets parameter `index` to `value` (taken, escaped) of type `type`. */
static gboolean set_value(StoreStmt *stmt, int index, char *value, Oid type) {
  CopyStmt *s = copy_stmt(stmt);
  if (index < 1 || index > s->n_params) {
    g_free(value);
    return FALSE;
  }
  if (value != NULL) {
    if (s->types[index - 1] != 0 && s->types[index - 1] != type)
      s->mixed = TRUE;
    s->types[index - 1] = type;
  }
  g_free(s->values[index - 1]);
  s->values[index - 1] = value;
  return TRUE;
}

/* `text` in COPY's text format: backslash, tab, newline and carriage return escaped
 * (transfer full). */
static char *escaped(const char *text) {
  GString *out = g_string_sized_new(strlen(text) + 8);
  for (const char *c = text; *c != '\0'; c++) {
    switch (*c) {
    case '\\':
      g_string_append(out, "\\\\");
      break;
    case '\t':
      g_string_append(out, "\\t");
      break;
    case '\n':
      g_string_append(out, "\\n");
      break;
    case '\r':
      g_string_append(out, "\\r");
      break;
    default:
      g_string_append_c(out, *c);
    }
  }
  return g_string_free(out, FALSE);
}

static gboolean copy_bind_text(StoreStmt *stmt, int index, const char *text) {
  return set_value(stmt, index, text != NULL ? escaped(text) : NULL, OID_TEXT);
}

static gboolean copy_bind_int(StoreStmt *stmt, int index, gint64 value) {
  return set_value(stmt, index, g_strdup_printf("%" G_GINT64_FORMAT, value), OID_INT8);
}

static gboolean copy_bind_double(StoreStmt *stmt, int index, double value) {
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(text, sizeof text, "%.17g", value);
  return set_value(stmt, index, g_strdup(text), OID_FLOAT8);
}

/* bytea's hex input, its backslash escaped for COPY. */
static gboolean copy_bind_blob(StoreStmt *stmt, int index, const void *data, gsize size) {
  GString *out = g_string_new("\\\\x");
  for (gsize i = 0; i < size; i++)
    g_string_append_printf(out, "%02x", ((const guint8 *)data)[i]);
  return set_value(stmt, index, g_string_free(out, FALSE), OID_BYTEA);
}

static gboolean copy_bind_null(StoreStmt *stmt, int index) {
  return set_value(stmt, index, NULL, 0);
}

/* Collects the row bound; the statement runs when flushed. */
static StoreStepResult copy_step(StoreStmt *stmt) {
  CopyStmt *s = copy_stmt(stmt);
  for (int i = 0; i < s->n_params; i++) {
    if (i > 0)
      g_string_append_c(s->rows, '\t');
    g_string_append(s->rows, s->values[i] != NULL ? s->values[i] : "\\N");
  }
  g_string_append_c(s->rows, '\n');
  s->n_rows++;
  return STORE_DONE;
}

/* Runs `sql`; sets MODEL_ERROR_IO with the server's message when it fails. */
static gboolean run(PGconn *conn, const char *sql, ExecStatusType expected, GError **error) {
  PGresult *result = PQexec(conn, sql);
  gboolean ok = result != NULL && PQresultStatus(result) == expected;
  if (!ok)
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s",
                result != NULL ? PQresultErrorMessage(result) : PQerrorMessage(conn));
  PQclear(result);
  return ok;
}

/* Sends the collected rows with COPY into the table, which must exist. */
static gboolean send_rows(PGconn *conn, CopyStmt *s, GError **error) {
  g_autofree char *copy = g_strdup_printf("COPY %s FROM STDIN", s->table);
  if (!run(conn, copy, PGRES_COPY_IN, error))
    return FALSE;
  gboolean sent = TRUE;
  for (gsize at = 0; sent && at < s->rows->len; at += COPY_CHUNK)
    sent = PQputCopyData(conn, s->rows->str + at, (int)MIN(COPY_CHUNK, s->rows->len - at)) == 1;
  gboolean ended = PQputCopyEnd(conn, sent ? NULL : "the rows could not be sent") == 1;
  gboolean ok = sent && ended;
  PGresult *result;
  while ((result = PQgetResult(conn)) != NULL) {
    if (ok && PQresultStatus(result) != PGRES_COMMAND_OK) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s", PQresultErrorMessage(result));
      ok = FALSE;
    }
    PQclear(result);
  }
  if (!ok && (error == NULL || *error == NULL))
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s", PQerrorMessage(conn));
  return ok;
}

gboolean store_pg_copy_flush(StoreStmt *stmt, GError **error) {
  CopyStmt *s = copy_stmt(stmt);
  g_return_val_if_fail(stmt->driver == &store_driver_pg_copy, FALSE);
  if (s->n_rows == 0)
    return TRUE;
  if (s->mixed) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "values of two types for one parameter");
    return FALSE;
  }
  PGconn *conn = stmt->store->conn;
  GString *create = g_string_new(NULL);
  g_string_printf(create, "CREATE TEMPORARY TABLE %s (", s->table);
  for (int i = 0; i < s->n_params; i++)
    g_string_append_printf(create, "%sp%d %s", i > 0 ? ", " : "", i + 1,
                           s->types[i] == OID_INT8     ? "bigint"
                           : s->types[i] == OID_FLOAT8 ? "double precision"
                           : s->types[i] == OID_BYTEA  ? "bytea"
                                                       : "text");
  g_string_append(create, ") ON COMMIT DROP");
  g_autofree char *create_sql = g_string_free(create, FALSE);
  int n = 0;
  g_autofree char *sql = statement_over_table(s, s->types, &n);
  g_autofree char *drop = g_strdup_printf("DROP TABLE %s", s->table);
  gboolean ok = run(conn, create_sql, PGRES_COMMAND_OK, error) && send_rows(conn, s, error) &&
                run(conn, sql, PGRES_COMMAND_OK, error) && run(conn, drop, PGRES_COMMAND_OK, error);
  if (ok) {
    g_string_truncate(s->rows, 0);
    s->n_rows = 0;
  }
  return ok;
}

/* Only what a statement needs: the rest belongs to the connection (driver-pg.c). */
static const StoreDriver store_driver_pg_copy = {
    .name = "postgresql-copy",
    .finalize = copy_finalize,
    .reset = copy_reset,
    STORE_DRIVER_BINDS(copy),
    .step = copy_step,
};

StoreStmt *store_pg_copy_prepare(ModelStore *store, const char *sql) {
  g_return_val_if_fail(store != NULL && store->driver == &store_driver_pg, NULL);
  return copy_prepare(store, sql);
}
