/* driver-pg.c: the store's driver for a PostgreSQL database through libpq (driver.h).
 * SQL arrives in the common dialect and leaves with its parameters numbered $N; each
 * parameter is sent with the type it was bound as (int8, float8, text, bytea), so the
 * server never guesses.  A write transaction begins by bumping the one version row:
 * that row lock makes the writers of every instance take turns, as SQLite's write lock
 * does, and the bump commits together with the data, so the version a reader sees
 * changes exactly when the data it can see does.  Invariant: store->conn is an open
 * connection migrated to store_pg_n_migrations; the state keeps the last failure's
 * fields until the next command.
 */
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store-private.h"

/* Type OIDs of the parameters this driver sends (pg_type.h, stable across releases). */
enum { OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

/* The lock every migration takes, so two programs opening a new database at once
 * cannot both migrate it ('handen'). */
#define MIGRATION_LOCK "1751477870"

typedef struct {
  StoreStmt head;
  char *sql;     /* with $N parameters */
  int n_params;  /* the highest N */
  char **names;  /* n_params entries: ":name" of parameter N+1, or NULL */
  char **values; /* n_params entries, owned; NULL binds NULL */
  int *lengths;  /* for binary (bytea) values */
  int *formats;  /* 1 for binary */
  Oid *types;    /* 0 for a NULL: the server infers it */
  PGresult *result;
  int row; /* the row the last step returned */
  gboolean ran;
  int runs;      /* executions so far */
  char *name;    /* the server-side prepared statement, from the second run on */
  guint session; /* the connection's session `name` was prepared in */
} PgStmt;

typedef struct {
  PGresult *failed; /* the result of the last failed command, or NULL */
  char *message;    /* its message, or the connection's (owned) */
  char *rule;       /* the constraint or column it names (owned) */
  StoreFailureKind kind;
  gint64 changes;
  guint prepared; /* prepared statements named so far */
  guint session;  /* sessions so far: a lost connection is opened again (reconnect()) */
} PgState;

static PGconn *conn_of(ModelStore *store) {
  return store->conn;
}

static PgState *state_of(ModelStore *store) {
  return store->state;
}

static PgStmt *pg(StoreStmt *stmt) {
  return (PgStmt *)stmt;
}

/* ---- failures --------------------------------------------------------------- */

static void clear_failure(PgState *state) {
  g_clear_pointer(&state->failed, PQclear);
  g_clear_pointer(&state->message, g_free);
  g_clear_pointer(&state->rule, g_free);
  state->kind = STORE_FAILURE_IO;
}

/* A message without libpq's trailing newline (transfer full). */
static char *chomped(const char *message) {
  char *text = g_strdup(message != NULL && *message != '\0' ? message : "unknown error");
  return g_strchomp(text);
}

/* Remembers the failure of `result` (taken), or of the connection when NULL. */
static void record_failure(ModelStore *store, PGresult *result) {
  PgState *state = state_of(store);
  clear_failure(state);
  state->failed = result;
  if (result == NULL) {
    state->message = chomped(PQerrorMessage(conn_of(store)));
    return;
  }
  const char *primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  state->message = chomped(primary != NULL ? primary : PQresultErrorMessage(result));
  const char *code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const char *constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
  if (code == NULL)
    return;
  if (strcmp(code, "23514") == 0) {
    state->kind = STORE_FAILURE_CHECK;
    state->rule = store_pg_rule_message(constraint != NULL ? constraint : "");
  } else if (strcmp(code, "23505") == 0) {
    gboolean primary_key = constraint != NULL && g_str_has_suffix(constraint, "_pkey");
    state->kind = primary_key ? STORE_FAILURE_PRIMARY_KEY : STORE_FAILURE_UNIQUE;
    state->rule = g_strdup(constraint != NULL ? constraint : "");
  } else if (strcmp(code, "23503") == 0) {
    state->kind = STORE_FAILURE_FOREIGN_KEY;
  } else if (strcmp(code, "23502") == 0) {
    const char *table = PQresultErrorField(result, PG_DIAG_TABLE_NAME);
    const char *column = PQresultErrorField(result, PG_DIAG_COLUMN_NAME);
    state->kind = STORE_FAILURE_NOT_NULL;
    state->rule =
        g_strdup_printf("%s.%s", table != NULL ? table : "?", column != NULL ? column : "?");
  } else if (strcmp(code, "23000") == 0) {
    state->kind = STORE_FAILURE_RAISED; /* the triggers of schema-pg.c */
  } else if (g_str_has_prefix(code, "23") || g_str_has_prefix(code, "22")) {
    state->kind = STORE_FAILURE_OTHER_RULE; /* a value the schema refuses */
  }
}

static void pg_failure(ModelStore *store, StoreFailure *out) {
  PgState *state = state_of(store);
  *out = (StoreFailure){.kind = state->kind,
                        .rule = state->rule != NULL ? state->rule : "",
                        .message = state->message != NULL ? state->message : "no error"};
}

/* A connection the server closed (a restart, a failover) is opened again before the
 * next command; what the lost session held (a transaction, prepared statements) is gone
 * with it, and the command that found it lost has failed already. */
static void reconnect(ModelStore *store) {
  PGconn *conn = conn_of(store);
  if (PQstatus(conn) != CONNECTION_BAD)
    return;
  PQreset(conn);
  if (PQstatus(conn) == CONNECTION_OK) {
    state_of(store)->session++;
    PGresult *result = PQexec(conn, "SET client_min_messages = warning");
    PQclear(result);
  }
}

/* Runs a command without parameters; TRUE when it succeeded (its result is cleared). */
static gboolean run(ModelStore *store, const char *sql) {
  reconnect(store);
  PGresult *result = PQexec(conn_of(store), sql);
  ExecStatusType status = result != NULL ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    record_failure(store, result);
    return FALSE;
  }
  PQclear(result);
  return TRUE;
}

/* Runs a query answering one integer (or none: *out_value untouched). */
static gboolean query_int(ModelStore *store, const char *sql, gint64 *out_value) {
  reconnect(store);
  PGresult *result = PQexec(conn_of(store), sql);
  if (result == NULL || PQresultStatus(result) != PGRES_TUPLES_OK) {
    record_failure(store, result);
    return FALSE;
  }
  if (PQntuples(result) > 0 && !PQgetisnull(result, 0, 0))
    *out_value = g_ascii_strtoll(PQgetvalue(result, 0, 0), NULL, 10);
  PQclear(result);
  return TRUE;
}

/* ---- the schema ------------------------------------------------------------- */

/* The version of the schema; 0 when handen has never migrated this database. */
static gboolean read_schema_version(ModelStore *store, int *out_version) {
  gint64 exists = 0, version = 0;
  if (!query_int(store,
                 "SELECT count(*) FROM pg_catalog.pg_tables"
                 " WHERE schemaname = current_schema() AND tablename = 'handen_schema'",
                 &exists))
    return FALSE;
  if (exists > 0 && !query_int(store, "SELECT version FROM handen_schema", &version))
    return FALSE;
  *out_version = (int)version;
  return TRUE;
}

static gboolean pg_schema_version(ModelStore *store, int *out_version) {
  return read_schema_version(store, out_version);
}

static gboolean refuse_newer(ModelStore *store, int version, GError **error) {
  if (version <= store_pg_n_migrations)
    return TRUE;
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO,
              "%s: schema version %d is newer than this program (%d)", store->path, version,
              store_pg_n_migrations);
  return FALSE;
}

static gboolean migration_failed(ModelStore *store, const char *what, GError **error) {
  store_set_io_error(error, store, what);
  (void)run(store, "ROLLBACK");
  return FALSE;
}

/* Applies one migration, if the database still needs it, in its own transaction under
 * the migration lock, with the version read again under the lock.  Sets *out_done
 * when nothing is left. */
static gboolean migrate_step(ModelStore *store, gboolean *out_done, GError **error) {
  if (!run(store, "BEGIN; SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")"))
    return migration_failed(store, "cannot take the migration lock", error);
  int version = 0;
  if (!read_schema_version(store, &version))
    return migration_failed(store, "cannot read the schema version", error);
  if (!refuse_newer(store, version, error)) {
    (void)run(store, "ROLLBACK");
    return FALSE;
  }
  if (version == store_pg_n_migrations) {
    *out_done = TRUE;
    return run(store, "COMMIT") || migration_failed(store, "COMMIT", error);
  }
  if (!run(store, store_pg_migrations[version])) {
    g_autofree char *what = g_strdup_printf("migration to schema version %d", version + 1);
    return migration_failed(store, what, error);
  }
  /* The number is ours, not input. */
  g_autofree char *bump = g_strdup_printf("UPDATE handen_schema SET version = %d", version + 1);
  if (!run(store, bump) || !run(store, "COMMIT"))
    return migration_failed(store, "cannot record the schema version", error);
  *out_done = FALSE;
  return TRUE;
}

/* libpq prints notices on stderr unless told otherwise; the store has nothing to say. */
static void ignore_notice(void *data, const char *message) {
  (void)data;
  (void)message;
}

static gboolean pg_open(ModelStore *store, const char *target, GError **error) {
  g_assert(store_pg_n_migrations == model_store_schema_version());
  /* "postgresql:" alone: every setting from the PG* environment variables.  An
   * unreachable host is given up after 10 s unless the URI or PGCONNECT_TIMEOUT says
   * otherwise (later keywords win, and the URI is expanded last). */
  const char *timeout = g_getenv("PGCONNECT_TIMEOUT") != NULL ? NULL : "10";
  const char *keywords[] = {"connect_timeout", "dbname", NULL};
  const char *values[] = {timeout, strcmp(target, "postgresql:") == 0 ? NULL : target, NULL};
  PGconn *conn = PQconnectdbParams(timeout != NULL ? keywords : keywords + 1,
                                   timeout != NULL ? values : values + 1, 1);
  if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
    g_autofree char *message = chomped(conn != NULL ? PQerrorMessage(conn) : "out of memory");
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot connect to the database: %s",
                store->path, message);
    PQfinish(conn);
    return FALSE;
  }
  PQsetNoticeProcessor(conn, ignore_notice, NULL);
  store->conn = conn;
  store->state = g_new0(PgState, 1);
  /* Refuse a newer database before changing anything about it. */
  int version = 0;
  gboolean ok =
      run(store, "SET client_min_messages = warning") && read_schema_version(store, &version);
  if (!ok)
    store_set_io_error(error, store, "cannot read the schema version");
  ok = ok && refuse_newer(store, version, error);
  gboolean done = version == store_pg_n_migrations;
  while (ok && !done)
    ok = migrate_step(store, &done, error);
  if (!ok) {
    clear_failure(state_of(store));
    g_free(store->state);
    PQfinish(conn);
    store->conn = NULL;
    store->state = NULL;
  }
  return ok;
}

static void pg_close(ModelStore *store) {
  clear_failure(state_of(store));
  g_free(store->state);
  PQfinish(conn_of(store));
}

/* ---- statements ------------------------------------------------------------- */

/* Appends parameter `index` (1-based) as $N and grows the statement's arrays. */
static void use_parameter(PgStmt *s, GString *out, int index, const char *name) {
  g_string_append_printf(out, "$%d", index);
  if (index > s->n_params) {
    s->names = g_renew(char *, s->names, index);
    for (int i = s->n_params; i < index; i++)
      s->names[i] = NULL;
    s->n_params = index;
  }
  if (name != NULL && s->names[index - 1] == NULL)
    s->names[index - 1] = g_strdup(name);
}

/* The index of the named parameter ":name" seen so far, or 0. */
static int named_index(const PgStmt *s, const char *name) {
  for (int i = 0; i < s->n_params; i++)
    if (s->names[i] != NULL && strcmp(s->names[i], name) == 0)
      return i + 1;
  return 0;
}

/* SQLite's JSON builders as the shared SQL calls them, and PostgreSQL's names: the
 * values keep their types (a number stays a number), which no function of the schema
 * can do under SQLite's name. */
static const struct {
  const char *sqlite;
  const char *pg;
} renamed_functions[] = {
    {"json_object(", "json_build_object("},
    {"json_group_array(", "json_agg("},
};

/* The PostgreSQL name of the function call starting at `c`, or NULL. */
static const char *renamed_call(const char *sql, const char *c, gsize *out_length) {
  if (c > sql && (g_ascii_isalnum(c[-1]) || c[-1] == '_'))
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS(renamed_functions); i++) {
    *out_length = strlen(renamed_functions[i].sqlite);
    if (strncmp(c, renamed_functions[i].sqlite, *out_length) == 0)
      return renamed_functions[i].pg;
  }
  return NULL;
}

/* Numbers the parameters as SQLite does: "?NNN" is NNN, "?" and a new ":name" the
 * highest so far plus one, a repeated ":name" its first number, and renames the calls
 * of renamed_functions.  Quoted text and identifiers pass unchanged. */
static char *translate(PgStmt *s, const char *sql) {
  GString *out = g_string_sized_new(strlen(sql) + 16);
  for (const char *c = sql; *c != '\0';) {
    gsize length = 0;
    const char *renamed = *c == 'j' ? renamed_call(sql, c, &length) : NULL;
    if (renamed != NULL) {
      g_string_append(out, renamed);
      c += length;
    } else if (*c == '\'' || *c == '"') {
      const char *end = strchr(c + 1, *c);
      end = end != NULL ? end + 1 : c + strlen(c);
      g_string_append_len(out, c, end - c);
      c = end;
    } else if (*c == '?') {
      c++;
      if (g_ascii_isdigit(*c)) {
        char *end = NULL;
        int index = (int)strtol(c, &end, 10);
        use_parameter(s, out, index, NULL);
        c = end;
      } else {
        use_parameter(s, out, s->n_params + 1, NULL);
      }
    } else if (*c == ':' && c[1] == ':') {
      g_string_append(out, "::"); /* a cast */
      c += 2;
    } else if (*c == ':' && (g_ascii_isalpha(c[1]) || c[1] == '_')) {
      const char *end = c + 1;
      while (g_ascii_isalnum(*end) || *end == '_')
        end++;
      g_autofree char *name = g_strndup(c, end - c);
      int index = named_index(s, name);
      use_parameter(s, out, index > 0 ? index : s->n_params + 1, name);
      c = end;
    } else {
      g_string_append_c(out, *c++);
    }
  }
  return g_string_free(out, FALSE);
}

static StoreStmt *pg_prepare(ModelStore *store, const char *sql, gboolean persistent) {
  (void)persistent; /* every execution is parsed afresh with the types bound */
  PgStmt *s = g_new0(PgStmt, 1);
  s->head = (StoreStmt){.driver = &store_driver_pg, .store = store};
  s->sql = translate(s, sql);
  s->values = g_new0(char *, MAX(s->n_params, 1));
  s->lengths = g_new0(int, MAX(s->n_params, 1));
  s->formats = g_new0(int, MAX(s->n_params, 1));
  s->types = g_new0(Oid, MAX(s->n_params, 1));
  s->row = -1;
  return &s->head;
}

static void clear_values(PgStmt *s) {
  for (int i = 0; i < s->n_params; i++) {
    g_clear_pointer(&s->values[i], g_free);
    s->lengths[i] = 0;
    s->formats[i] = 0;
    s->types[i] = 0;
  }
}

static void pg_reset(StoreStmt *stmt) {
  PgStmt *s = pg(stmt);
  g_clear_pointer(&s->result, PQclear);
  s->ran = FALSE;
  s->row = -1;
  clear_values(s);
}

static void pg_finalize(StoreStmt *stmt) {
  PgStmt *s = pg(stmt);
  pg_reset(stmt);
  if (s->name != NULL && s->session == state_of(stmt->store)->session) {
    /* In a failed transaction this fails too; the session's end frees it then. */
    g_autofree char *sql = g_strdup_printf("DEALLOCATE %s", s->name);
    PQclear(PQexec(conn_of(stmt->store), sql));
  }
  g_free(s->name);
  for (int i = 0; i < s->n_params; i++)
    g_free(s->names[i]);
  g_free(s->names);
  g_free(s->values);
  g_free(s->lengths);
  g_free(s->formats);
  g_free(s->types);
  g_free(s->sql);
  g_free(s);
}

static int pg_parameter_index(StoreStmt *stmt, const char *name) {
  return named_index(pg(stmt), name);
}

/* Sets parameter `index` to `value` (taken) of type `type`. */
static gboolean set_value(StoreStmt *stmt, int index, char *value, Oid type, int length,
                          int format) {
  PgStmt *s = pg(stmt);
  if (index < 1 || index > s->n_params) {
    g_free(value);
    PgState *state = state_of(stmt->store);
    clear_failure(state);
    state->message = g_strdup_printf("no parameter %d", index);
    return FALSE;
  }
  g_free(s->values[index - 1]);
  s->values[index - 1] = value;
  s->types[index - 1] = type;
  s->lengths[index - 1] = length;
  s->formats[index - 1] = format;
  return TRUE;
}

static gboolean pg_bind_text(StoreStmt *stmt, int index, const char *text) {
  return set_value(stmt, index, g_strdup(text), OID_TEXT, 0, 0);
}

static gboolean pg_bind_int(StoreStmt *stmt, int index, gint64 value) {
  return set_value(stmt, index, g_strdup_printf("%" G_GINT64_FORMAT, value), OID_INT8, 0, 0);
}

static gboolean pg_bind_double(StoreStmt *stmt, int index, double value) {
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd(text, sizeof text, "%.17g", value);
  return set_value(stmt, index, g_strdup(text), OID_FLOAT8, 0, 0);
}

static gboolean pg_bind_blob(StoreStmt *stmt, int index, const void *data, gsize size) {
  return set_value(stmt, index, g_memdup2(data, size > 0 ? size : 1), OID_BYTEA, (int)size, 1);
}

static gboolean pg_bind_null(StoreStmt *stmt, int index) {
  return set_value(stmt, index, NULL, 0, 0, 0);
}

/* Runs the statement with its values: the first time parsed with them, from the second
 * time on as a statement prepared on the server with the types then bound (a value
 * sent as text parses as any type, so later runs may bind NULL where that run did
 * not).  A failed prepare answers its own result. */
static PGresult *run_statement(PgStmt *s) {
  ModelStore *store = s->head.store;
  PGconn *conn = conn_of(store);
  const char *const *values = (const char *const *)s->values;
  reconnect(store);
  if (s->name != NULL && s->session != state_of(store)->session)
    g_clear_pointer(&s->name, g_free); /* prepared in a session that is gone */
  if (s->name == NULL && s->runs++ == 0)
    return PQexecParams(conn, s->sql, s->n_params, s->types, values, s->lengths, s->formats, 0);
  if (s->name == NULL) {
    g_autofree char *name = g_strdup_printf("handen_%u", ++state_of(store)->prepared);
    PGresult *prepared = PQprepare(conn, name, s->sql, s->n_params, s->types);
    if (prepared == NULL || PQresultStatus(prepared) != PGRES_COMMAND_OK)
      return prepared;
    PQclear(prepared);
    s->name = g_steal_pointer(&name);
    s->session = state_of(store)->session;
  }
  return PQexecPrepared(conn, s->name, s->n_params, values, s->lengths, s->formats, 0);
}

static StoreStepResult pg_step(StoreStmt *stmt) {
  PgStmt *s = pg(stmt);
  ModelStore *store = stmt->store;
  if (!s->ran) {
    s->ran = TRUE;
    s->row = -1;
    PGresult *result = run_statement(s);
    ExecStatusType status = result != NULL ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      record_failure(store, result);
      return STORE_ERROR;
    }
    const char *changed = PQcmdTuples(result);
    state_of(store)->changes =
        changed != NULL && *changed != '\0' ? g_ascii_strtoll(changed, NULL, 10) : 0;
    s->result = result;
  }
  if (s->result == NULL)
    return STORE_ERROR;
  if (s->row + 1 < PQntuples(s->result)) {
    s->row++;
    return STORE_ROW;
  }
  s->row = PQntuples(s->result);
  return STORE_DONE;
}

static int pg_column_count(StoreStmt *stmt) {
  PgStmt *s = pg(stmt);
  return s->result != NULL ? PQnfields(s->result) : 0;
}

static const char *pg_column_name(StoreStmt *stmt, int column) {
  return PQfname(pg(stmt)->result, column);
}

static gboolean pg_column_is_null(StoreStmt *stmt, int column) {
  PgStmt *s = pg(stmt);
  return PQgetisnull(s->result, s->row, column);
}

static const char *pg_column_text(StoreStmt *stmt, int column) {
  PgStmt *s = pg(stmt);
  if (s->result == NULL || s->row < 0 || PQgetisnull(s->result, s->row, column))
    return NULL;
  return PQgetvalue(s->result, s->row, column);
}

/* Integers, and booleans as 1 and 0 (SQLite's comparisons answer integers). */
static gint64 pg_column_int64(StoreStmt *stmt, int column) {
  const char *text = pg_column_text(stmt, column);
  if (text == NULL)
    return 0;
  if (strcmp(text, "t") == 0 || strcmp(text, "f") == 0)
    return text[0] == 't';
  return g_ascii_strtoll(text, NULL, 10);
}

static double pg_column_double(StoreStmt *stmt, int column) {
  const char *text = pg_column_text(stmt, column);
  return text != NULL ? g_ascii_strtod(text, NULL) : 0.0;
}

static guint8 *pg_column_blob(StoreStmt *stmt, int column, gsize *out_size) {
  const char *text = pg_column_text(stmt, column);
  *out_size = 0;
  if (text == NULL)
    return NULL;
  size_t size = 0;
  unsigned char *bytes = PQunescapeBytea((const unsigned char *)text, &size);
  if (bytes == NULL)
    return NULL;
  guint8 *copy = g_memdup2(bytes, size > 0 ? size : 1);
  PQfreemem(bytes);
  *out_size = size;
  return copy;
}

/* ---- transactions and the version -------------------------------------------- */

static gboolean pg_exec(ModelStore *store, const char *sql) {
  return run(store, sql);
}

static gboolean pg_begin_write(ModelStore *store) {
  return run(store, "BEGIN; UPDATE handen_version SET version = version + 1, xid = txid_current()");
}

static gboolean pg_begin_read(ModelStore *store) {
  return run(store, "BEGIN ISOLATION LEVEL REPEATABLE READ");
}

/* COMMIT of a failed transaction answers success and rolls back: tell them apart. */
static gboolean pg_commit(ModelStore *store) {
  PGresult *result = PQexec(conn_of(store), "COMMIT");
  if (result == NULL || PQresultStatus(result) != PGRES_COMMAND_OK) {
    record_failure(store, result);
    return FALSE;
  }
  gboolean committed = strcmp(PQcmdStatus(result), "COMMIT") == 0;
  PQclear(result);
  if (!committed) {
    PgState *state = state_of(store);
    clear_failure(state);
    state->message = g_strdup("the transaction failed and was rolled back");
  }
  return committed;
}

static void pg_rollback(ModelStore *store) {
  PGresult *result = PQexec(conn_of(store), "ROLLBACK");
  PQclear(result);
}

/* A lost connection (PQTRANS_UNKNOWN) holds no transaction any more. */
static gboolean pg_in_transaction(ModelStore *store) {
  PGTransactionStatusType status = PQtransactionStatus(conn_of(store));
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

static gint64 pg_changes(ModelStore *store) {
  return state_of(store)->changes;
}

static gboolean pg_version(ModelStore *store, gint64 *out_data_version, gint64 *out_changes) {
  gint64 version = -1;
  if (!query_int(store, "SELECT version FROM handen_version", &version))
    return FALSE;
  *out_data_version = version;
  *out_changes = 0; /* this connection's own commits bump the row too */
  return TRUE;
}

static gboolean pg_tune_for_reads(ModelStore *store) {
  (void)store; /* the server's own caches serve every connection */
  return TRUE;
}

const StoreDriver store_driver_pg = {
    .name = "postgresql",
    STORE_DRIVER_FUNCTIONS(pg),
    .prepare_bulk = store_pg_copy_prepare,
    .flush_bulk = store_pg_copy_flush,
    /* A server process and the microsecond it started: unique for the cluster's life. */
    .session_sql = "(SELECT pid || '@' || CAST(extract(epoch FROM backend_start) * 1000000 AS"
                   " bigint) FROM pg_stat_activity WHERE pid = pg_backend_pid())",
    /* A role without pg_read_all_stats sees other roles' sessions without their start:
     * such a session with the owner's pid is taken to be the owner. */
    .session_alive_sql = "EXISTS (SELECT 1 FROM pg_stat_activity a"
                         " WHERE CAST(a.pid AS text) = split_part(owner, '@', 1)"
                         " AND (a.backend_start IS NULL OR a.pid || '@' ||"
                         " CAST(extract(epoch FROM a.backend_start) * 1000000 AS bigint) = owner))",
};
