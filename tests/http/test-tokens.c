/* test-tokens.c: the access tokens in the store: secrets have 256 random bits and the
 * documented shape, only their SHA-256 is stored (read back with sqlite3 directly),
 * lookups find exactly the right token, scopes are checked against the store,
 * revocation sticks, and every change is in the audit log. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "store-tokens.h"

typedef struct {
  char *dir;
  char *db_path;
  ModelStore *store;
} Fixture;

static void run_sql(const char *db_path, const char *statements) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(db_path, &db), ==, SQLITE_OK);
  char *message = NULL;
  if (sqlite3_exec(db, statements, NULL, NULL, &message) != SQLITE_OK)
    g_error("%s: %s", statements, message);
  sqlite3_close(db);
}

/* The rows of a one-column query, joined by '\n' (NULL as "NULL"), transfer full. */
static char *query_text(const char *db_path, const char *sql) {
  sqlite3 *db = NULL;
  g_assert_cmpint(sqlite3_open(db_path, &db), ==, SQLITE_OK);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  GString *out = g_string_new(NULL);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    const char *text = (const char *)sqlite3_column_text(stmt, 0);
    g_string_append_printf(out, "%s%s", out->len > 0 ? "\n" : "", text ? text : "NULL");
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return g_string_free(out, FALSE);
}

static void fixture_set_up(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp("handen-tokens-XXXXXX", &error);
  g_assert_no_error(error);
  f->db_path = g_build_filename(f->dir, "handen.db", NULL);
  f->store = model_store_open(f->db_path, &error);
  g_assert_no_error(error);
  run_sql(f->db_path,
          "INSERT INTO districts (id, name, lat, lon) VALUES ('d-1', 'Centrum', 52.37, 5.21),"
          " ('d-2', 'Haven', 52.36, 5.22);"
          "INSERT INTO schools (id, brin, name, district_id, lat, lon)"
          " VALUES ('s-1', '07NU', 'De Regenboog', 'd-1', 52.37, 5.21);"
          "INSERT INTO organisations (id, name) VALUES ('o-1', 'Kinderopvang Zon');");
}

static void fixture_tear_down(Fixture *f, gconstpointer data) {
  (void)data;
  model_store_free(f->store);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(f->db_path, suffixes[i], NULL);
    g_remove(path);
  }
  g_rmdir(f->dir);
  g_free(f->db_path);
  g_free(f->dir);
}

static char *create(Fixture *f, ModelRole role, const char *school, const char *org,
                    const char *const *districts, gint64 *out_id) {
  g_autoptr(GError) error = NULL;
  char *secret = NULL;
  gint64 id = 0;
  g_assert_true(model_store_token_create(f->store, "tester", role, school, org, districts, &id,
                                         &secret, &error));
  g_assert_no_error(error);
  if (out_id != NULL)
    *out_id = id;
  return secret;
}

static void test_secret_shape(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 first_id = 0, second_id = 0;
  g_autofree char *first = create(f, MODEL_ROLE_COORDINATOR, NULL, NULL, NULL, &first_id);
  g_autofree char *second = create(f, MODEL_ROLE_COORDINATOR, NULL, NULL, NULL, &second_id);
  g_assert_cmpint(second_id, >, first_id);
  g_assert_cmpstr(first, !=, second);
  const char *secrets[] = {first, second};
  for (gsize s = 0; s < G_N_ELEMENTS(secrets); s++) {
    g_assert_cmpuint(strlen(secrets[s]), ==, MODEL_TOKEN_LENGTH);
    g_assert_true(g_str_has_prefix(secrets[s], "hnd_"));
    for (const char *p = secrets[s] + 4; *p != '\0'; p++)
      g_assert_true(g_ascii_isalnum(*p) || *p == '-' || *p == '_');
  }
}

static void test_only_hash_stored(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = 0;
  g_autofree char *secret = create(f, MODEL_ROLE_SCHOOL, "s-1", NULL, NULL, &id);
  g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(checksum, (const guchar *)secret, -1);
  g_autofree char *expected = g_ascii_strup(g_checksum_get_string(checksum), -1);
  g_autofree char *sql =
      g_strdup_printf("SELECT hex(hash) FROM tokens WHERE id = %" G_GINT64_FORMAT, id);
  g_autofree char *stored = query_text(f->db_path, sql);
  g_assert_cmpstr(stored, ==, expected);
  /* Nowhere in the database file's tables is the secret, or its random part. */
  g_autofree char *everything = query_text(
      f->db_path, "SELECT quote(hash) || role || ifnull(label, '') || ifnull(district_id, '') ||"
                  " ifnull(school_id, '') || ifnull(organisation_id, '') || created_at ||"
                  " ifnull(revoked_at, '') FROM tokens UNION ALL SELECT actor || action ||"
                  " ifnull(object, '') || ifnull(detail, '') FROM audit_log");
  g_assert_null(strstr(everything, secret + 4));
  g_assert_null(strstr(everything, secret + 20));
}

static void test_lookup(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 school_id = 0, org_id = 0, coordinator_id = 0;
  g_autofree char *school = create(f, MODEL_ROLE_SCHOOL, "s-1", NULL, NULL, &school_id);
  g_autofree char *org = create(f, MODEL_ROLE_ORGANISATION, NULL, "o-1", NULL, &org_id);
  const char *const districts[] = {"d-2", "d-1", "d-2", NULL};
  g_autofree char *coordinator =
      create(f, MODEL_ROLE_COORDINATOR, NULL, NULL, districts, &coordinator_id);
  g_autoptr(GError) error = NULL;

  g_autoptr(ModelTokenInfo) info = model_store_token_lookup(f->store, school, &error);
  g_assert_no_error(error);
  g_assert_cmpint(info->id, ==, school_id);
  g_assert_cmpint(info->role, ==, MODEL_ROLE_SCHOOL);
  g_assert_cmpstr(info->school_id, ==, "s-1");
  g_assert_null(info->organisation_id);
  g_assert_null(info->districts);
  g_assert_null(info->revoked_at);
  g_assert_true(info->scope_exists);
  g_assert_true(
      g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", info->created_at, 0, 0));

  g_autoptr(ModelTokenInfo) org_info = model_store_token_lookup(f->store, org, &error);
  g_assert_no_error(error);
  g_assert_cmpint(org_info->id, ==, org_id);
  g_assert_cmpint(org_info->role, ==, MODEL_ROLE_ORGANISATION);
  g_assert_cmpstr(org_info->organisation_id, ==, "o-1");
  g_assert_null(org_info->school_id);

  g_autoptr(ModelTokenInfo) coordinator_info =
      model_store_token_lookup(f->store, coordinator, &error);
  g_assert_no_error(error);
  g_assert_cmpint(coordinator_info->id, ==, coordinator_id);
  g_assert_nonnull(coordinator_info->districts);
  g_autofree char *joined = g_strjoinv(",", coordinator_info->districts);
  g_assert_cmpstr(joined, ==, "d-1,d-2");

  /* One character off, or not a token at all: no such token. */
  static const char *const wrong[] = {"", "hnd_", "Bearer", "hnd_AAAA"};
  for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
    g_autoptr(GError) miss = NULL;
    g_assert_null(model_store_token_lookup(f->store, wrong[i], &miss));
    g_assert_error(miss, MODEL_ERROR, MODEL_ERROR_NOT_FOUND);
  }
  g_autofree char *changed = g_strdup(school);
  changed[MODEL_TOKEN_LENGTH - 1] = changed[MODEL_TOKEN_LENGTH - 1] == 'A' ? 'B' : 'A';
  g_assert_null(model_store_token_lookup(f->store, changed, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND);
  g_assert_cmpstr(error->message, ==, "no such token");
}

static void test_scope_gone(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *school = create(f, MODEL_ROLE_SCHOOL, "s-1", NULL, NULL, NULL);
  g_autofree char *org = create(f, MODEL_ROLE_ORGANISATION, NULL, "o-1", NULL, NULL);
  run_sql(f->db_path, "DELETE FROM schools; DELETE FROM organisations;");
  g_autoptr(GError) error = NULL;
  g_autoptr(ModelTokenInfo) info = model_store_token_lookup(f->store, school, &error);
  g_assert_no_error(error);
  g_assert_false(info->scope_exists);
  g_autoptr(ModelTokenInfo) org_info = model_store_token_lookup(f->store, org, &error);
  g_assert_no_error(error);
  g_assert_false(org_info->scope_exists);
}

static void test_revoke(Fixture *f, gconstpointer data) {
  (void)data;
  gint64 id = 0;
  g_autofree char *secret = create(f, MODEL_ROLE_COORDINATOR, NULL, NULL, NULL, &id);
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_token_revoke(f->store, "tester", id, &error));
  g_assert_no_error(error);
  g_autoptr(ModelTokenInfo) info = model_store_token_lookup(f->store, secret, &error);
  g_assert_no_error(error);
  g_assert_nonnull(info->revoked_at);

  g_assert_false(model_store_token_revoke(f->store, "tester", id, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT);
  g_autofree char *conflict =
      g_strdup_printf("tokens/%" G_GINT64_FORMAT ": the token is already revoked", id);
  g_assert_cmpstr(error->message, ==, conflict);
  g_clear_error(&error);
  g_assert_false(model_store_token_revoke(f->store, "tester", 999, &error));
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND);
  g_assert_cmpstr(error->message, ==, "tokens/999: no such token");

  g_autofree char *audit = query_text(
      f->db_path, "SELECT actor || ' ' || action || ' ' || object || ' ' || ifnull(detail, '-')"
                  " FROM audit_log ORDER BY id");
  g_autofree char *expected = g_strdup_printf("tester token.create tokens/%1$" G_GINT64_FORMAT
                                              " role coordinator, every district\n"
                                              "tester token.revoke tokens/%1$" G_GINT64_FORMAT " -",
                                              id);
  g_assert_cmpstr(audit, ==, expected);
}

static void test_list(Fixture *f, gconstpointer data) {
  (void)data;
  g_autofree char *a = create(f, MODEL_ROLE_SCHOOL, "s-1", NULL, NULL, NULL);
  const char *const districts[] = {"d-1", NULL};
  gint64 id = 0;
  g_autofree char *b = create(f, MODEL_ROLE_COORDINATOR, NULL, NULL, districts, &id);
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_token_revoke(f->store, "tester", id, &error));
  g_autoptr(GPtrArray) tokens = model_store_token_list(f->store, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(tokens->len, ==, 2);
  const ModelTokenInfo *first = g_ptr_array_index(tokens, 0);
  const ModelTokenInfo *second = g_ptr_array_index(tokens, 1);
  g_assert_cmpint(first->id, <, second->id);
  g_assert_cmpstr(first->school_id, ==, "s-1");
  g_assert_null(first->revoked_at);
  g_assert_cmpstr(second->districts[0], ==, "d-1");
  g_assert_null(second->districts[1]);
  g_assert_nonnull(second->revoked_at);
}

typedef struct {
  const char *name;
  ModelRole role;
  const char *school;
  const char *organisation;
  const char *districts; /* comma-separated; "" for an empty list */
  int code;
  const char *message;
} InvalidCase;

static const InvalidCase invalid_cases[] = {
    {"school-missing", MODEL_ROLE_SCHOOL, NULL, NULL, NULL, MODEL_ERROR_INVALID,
     "a school token needs a school"},
    {"school-unknown", MODEL_ROLE_SCHOOL, "s-9", NULL, NULL, MODEL_ERROR_NOT_FOUND,
     "schools/s-9: no such school"},
    {"school-and-org", MODEL_ROLE_SCHOOL, "s-1", "o-1", NULL, MODEL_ERROR_INVALID,
     "a school token cannot name an organisation"},
    {"org-missing", MODEL_ROLE_ORGANISATION, NULL, NULL, NULL, MODEL_ERROR_INVALID,
     "an organisation token needs an organisation"},
    {"org-unknown", MODEL_ROLE_ORGANISATION, NULL, "o-9", NULL, MODEL_ERROR_NOT_FOUND,
     "organisations/o-9: no such organisation"},
    {"coordinator-school", MODEL_ROLE_COORDINATOR, "s-1", NULL, NULL, MODEL_ERROR_INVALID,
     "a coordinator token cannot name a school"},
    {"district-unknown", MODEL_ROLE_COORDINATOR, NULL, NULL, "d-1,d-9", MODEL_ERROR_NOT_FOUND,
     "districts/d-9: no such district"},
    {"district-bad-id", MODEL_ROLE_COORDINATOR, NULL, NULL, "d 1", MODEL_ERROR_INVALID,
     "\"d 1\" is not a valid district id"},
    {"districts-empty", MODEL_ROLE_COORDINATOR, NULL, NULL, "", MODEL_ERROR_INVALID,
     "the list of districts is empty"},
    {"districts-for-school", MODEL_ROLE_SCHOOL, "s-1", NULL, "d-1", MODEL_ERROR_INVALID,
     "only a coordinator token can be limited to districts"},
};

static void test_invalid(Fixture *f, gconstpointer data) {
  const InvalidCase *c = data;
  g_auto(GStrv) districts = NULL;
  if (c->districts != NULL)
    districts = c->districts[0] == '\0' ? g_new0(char *, 1) : g_strsplit(c->districts, ",", -1);
  g_autoptr(GError) error = NULL;
  gint64 id = -1;
  char *secret = NULL;
  g_assert_false(model_store_token_create(f->store, "tester", c->role, c->school, c->organisation,
                                          (const char *const *)districts, &id, &secret, &error));
  g_assert_error(error, MODEL_ERROR, c->code);
  g_assert_cmpstr(error->message, ==, c->message);
  g_assert_cmpint(id, ==, -1);
  g_assert_null(secret);
  g_autofree char *count = query_text(
      f->db_path, "SELECT (SELECT count(*) FROM tokens) + (SELECT count(*) FROM audit_log)");
  g_assert_cmpstr(count, ==, "0");
}

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  ADD("/http/tokens/secret-shape", test_secret_shape);
  ADD("/http/tokens/only-hash-stored", test_only_hash_stored);
  ADD("/http/tokens/lookup", test_lookup);
  ADD("/http/tokens/scope-gone", test_scope_gone);
  ADD("/http/tokens/revoke", test_revoke);
  ADD("/http/tokens/list", test_list);
  for (gsize i = 0; i < G_N_ELEMENTS(invalid_cases); i++) {
    g_autofree char *path = g_strconcat("/http/tokens/invalid/", invalid_cases[i].name, NULL);
    g_test_add(path, Fixture, &invalid_cases[i], fixture_set_up, test_invalid, fixture_tear_down);
  }
  return g_test_run();
}
