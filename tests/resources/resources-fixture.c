/* resources-fixture.c: see resources-fixture.h. */
#include "resources-fixture.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "store-target.h"

static char *make_token(ModelStore *store, ModelRole role, const char *school,
                        const char *organisation, const char *const *districts) {
  gint64 id = 0;
  char *secret = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(model_store_token_create(store, "test", role, school, organisation, districts, &id,
                                         &secret, &error));
  g_assert_no_error(error);
  return secret;
}

/* The imported store with its tokens, built once per test binary and copied for
 * every test: importing the fixture is the slow part (fsync per transaction). */
typedef struct {
  char *dir;
  char *db_path;
  char *secrets[6];
} Template;

static Template template_store;

/* Imports the Almere fixture into the store `target` and makes the six tokens. */
static void build_store(const char *target, char **secrets) {
  g_autoptr(GError) error = NULL;
  const char *fixtures = g_getenv("HANDEN_FIXTURES");
  g_assert_nonnull(fixtures);
  g_autofree char *json = g_build_filename(fixtures, "almere.json", NULL);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_load_dataset(json, problems);
  g_assert_cmpuint(problems->len, ==, 0);
  ModelStore *store = model_store_open(target, &error);
  g_assert_no_error(error);
  g_assert_true(model_store_import(store, dataset, MODEL_STORE_IMPORT_REPLACE, &error));
  g_assert_no_error(error);
  const char *const haven[] = {"haven", NULL};
  char **s = secrets;
  s[0] = make_token(store, MODEL_ROLE_COORDINATOR, NULL, NULL, NULL);
  s[1] = make_token(store, MODEL_ROLE_COORDINATOR, NULL, NULL, haven);
  s[2] = make_token(store, MODEL_ROLE_SCHOOL, "31DJ00", NULL, NULL);
  s[3] = make_token(store, MODEL_ROLE_SCHOOL, "12XA00", NULL, NULL);
  s[4] = make_token(store, MODEL_ROLE_ORGANISATION, NULL, "org-01", NULL);
  s[5] = make_token(store, MODEL_ROLE_ORGANISATION, NULL, "org-17", NULL);
  /* Closing the only connection checkpoints the WAL into the file, so the file alone
   * is the whole store. */
  model_store_free(store);
}

static void build_template(void) {
  g_autoptr(GError) error = NULL;
  template_store.dir = g_dir_make_tmp("handen-resources-template-XXXXXX", &error);
  g_assert_no_error(error);
  template_store.db_path = g_build_filename(template_store.dir, "handen.db", NULL);
  build_store(template_store.db_path, template_store.secrets);
}

void fixture_template_free(void) {
  if (template_store.dir == NULL)
    return;
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(template_store.db_path, suffixes[i], NULL);
    (void)g_remove(path);
  }
  (void)g_rmdir(template_store.dir);
  for (gsize i = 0; i < G_N_ELEMENTS(template_store.secrets); i++)
    g_free(template_store.secrets[i]);
  g_free(template_store.db_path);
  g_free(template_store.dir);
  template_store = (Template){0};
}

void fixture_setup(Fixture *f, gconstpointer data) {
  (void)data;
  g_autoptr(GError) error = NULL;
  f->dir = g_dir_make_tmp("handen-resources-XXXXXX", &error);
  g_assert_no_error(error);
  f->db_path = store_target_new(f->dir);
  char *fresh[G_N_ELEMENTS(template_store.secrets)] = {0};
  char **s = fresh;
  if (store_target_is_pg()) {
    /* A PostgreSQL schema is not a file to copy: import into each. */
    build_store(f->db_path, fresh);
  } else {
    if (template_store.dir == NULL)
      build_template();
    g_autofree char *contents = NULL;
    gsize length = 0;
    g_assert_true(g_file_get_contents(template_store.db_path, &contents, &length, &error));
    g_assert_true(g_file_set_contents(f->db_path, contents, (gssize)length, &error));
    g_assert_no_error(error);
    s = template_store.secrets;
  }
  f->coordinator = g_strdup(s[0]);
  f->haven = g_strdup(s[1]);
  f->school = g_strdup(s[2]);
  f->other_school = g_strdup(s[3]);
  f->org = g_strdup(s[4]);
  f->other_org = g_strdup(s[5]);
  for (gsize i = 0; i < G_N_ELEMENTS(fresh); i++)
    g_free(fresh[i]);
  f->services = api_services_new(f->db_path, &error);
  g_assert_no_error(error);
  api_services_set_today(f->services, model_date_from_ymd(2020, 4, 13));
}

void fixture_teardown(Fixture *f, gconstpointer data) {
  (void)data;
  api_services_free(f->services);
  g_free(f->coordinator);
  g_free(f->haven);
  g_free(f->school);
  g_free(f->other_school);
  g_free(f->org);
  g_free(f->other_org);
  static const char *const suffixes[] = {"", "-wal", "-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(f->db_path, suffixes[i], NULL);
    (void)g_remove(path);
  }
  g_assert_cmpint(g_rmdir(f->dir), ==, 0);
  g_free(f->db_path);
  g_free(f->dir);
}

const char *fixture_role_token(const Fixture *f, const char *role) {
  const struct {
    const char *role;
    const char *secret;
  } roles[] = {
      {"coordinator", f->coordinator}, {"haven", f->haven},
      {"school", f->school},           {"other-school", f->other_school},
      {"organisation", f->org},        {"other-organisation", f->other_org},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(roles); i++)
    if (g_str_equal(roles[i].role, role))
      return roles[i].secret;
  g_error("no role %s in the fixture", role);
}

GPtrArray *fixture_add_text_cases(const char *prefix, const char *cases,
                                  void (*func)(Fixture *f, gconstpointer data)) {
  GPtrArray *parts = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
  g_auto(GStrv) lines = g_strsplit(cases, "\n", -1);
  for (GStrv line = lines; *line != NULL; line++) {
    if (**line == '\0')
      continue;
    GStrv split = g_strsplit(*line, " | ", -1);
    g_ptr_array_add(parts, split);
    g_autofree char *name = g_strndup(*line, strcspn(*line, " "));
    g_autofree char *path = g_strconcat(prefix, "/", name, NULL);
    g_test_add(path, Fixture, split, fixture_setup, func, fixture_teardown);
  }
  return parts;
}

GStrv fixture_case_words(gconstpointer data, guint n) {
  GStrv words = g_strsplit(((char *const *)data)[0], " ", -1);
  g_assert_cmpuint(g_strv_length(words), ==, n);
  return words;
}

char *fixture_bearer(const char *secret) {
  return g_strdup_printf("Bearer %s", secret);
}

void fixture_call_raw(Fixture *f, const char *token, const char *method, const char *path,
                      const char *query, const char *body, ApiResponse *response) {
  g_autofree char *authorization = token != NULL ? fixture_bearer(token) : NULL;
  api_router_dispatch(f->services, method, path, query, authorization,
                      body != NULL ? "application/json" : NULL, body != NULL ? body : "",
                      body != NULL ? strlen(body) : 0, response);
}

guint fixture_call(Fixture *f, const char *token, const char *method, const char *path,
                   const char *query, const char *body, json_object **out_json) {
  ApiResponse response = {0};
  fixture_call_raw(f, token, method, path, query, body, &response);
  guint status = response.status;
  if (out_json != NULL)
    *out_json = response.body != NULL ? json_tokener_parse(response.body) : NULL;
  api_response_clear(&response);
  return status;
}

const char *fixture_string(json_object *object, ...) {
  va_list args;
  va_start(args, object);
  const char *key;
  while (object != NULL && (key = va_arg(args, const char *)) != NULL)
    if (!json_object_object_get_ex(object, key, &object))
      object = NULL;
  va_end(args);
  return object != NULL && json_object_is_type(object, json_type_string)
             ? json_object_get_string(object)
             : NULL;
}

void fixture_sql(Fixture *f, const char *sql) {
  store_target_exec(f->db_path, sql);
}

gint64 fixture_sql_int(Fixture *f, const char *sql) {
  return store_target_int(f->db_path, sql);
}

void fixture_employee(Fixture *f, const char *id, const char *date, int max_parts) {
  g_autofree char *body = g_strdup_printf(
      "{\"id\": \"%s\", \"name\": \"Test %s\", \"district\": \"duin\","
      " \"qualifications\": [\"vog\", \"pm\"], \"max_parts_per_week\": %d,"
      " \"availability\": [{\"from\": \"%s\", \"to\": \"%s\", \"weekdays\": [\"mon\", \"tue\","
      " \"wed\", \"thu\", \"fri\"], \"parts\": [\"morning\", \"afternoon\"]}]}",
      id, id, max_parts, date, date);
  json_object *json = NULL;
  g_assert_cmpuint(fixture_call(f, f->org, "POST", "/v1/employees", NULL, body, &json), ==, 201);
  json_object_put(json);
}

void fixture_request(Fixture *f, const char *id, const char *date, int staff) {
  g_autofree char *body = g_strdup_printf(
      "{\"id\": \"%s\", \"staff_needed\": %d, \"slots\": [{\"date\": \"%s\", \"part\":"
      " \"morning\"}]}",
      id, staff, date);
  g_assert_cmpuint(fixture_call(f, f->school, "POST", "/v1/requests", NULL, body, NULL), ==, 201);
}

void fixture_proposal(Fixture *f, const char *id, const char *request, const char *employee,
                      const char *date) {
  g_autofree char *sql =
      g_strdup_printf("INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
                      " VALUES ('%s', '%s', '%s', '%s', 0, 'proposed')",
                      id, request, employee, date);
  fixture_sql(f, sql);
}

/* ---- races ------------------------------------------------------------------ */

typedef struct {
  Fixture *f;
  const char *path, *body;
  gint *ready;
  guint n;
  guint status;
  char *code;
} Racer;

static gpointer race(gpointer data) {
  Racer *racer = data;
  /* Everyone first opens a connection, then all go at once. */
  g_assert_nonnull(api_services_store(racer->f->services, NULL));
  g_atomic_int_inc(racer->ready);
  while ((guint)g_atomic_int_get(racer->ready) < racer->n)
    g_thread_yield();
  json_object *json = NULL;
  racer->status =
      fixture_call(racer->f, racer->f->coordinator, "POST", racer->path, NULL, racer->body, &json);
  racer->code = g_strdup(fixture_string(json, "error", "code", NULL));
  json_object_put(json);
  return NULL;
}

guint fixture_race(Fixture *f, guint n, const char *const *paths, const char *const *bodies,
                   const char *loser_code) {
  g_autofree Racer *racers = g_new0(Racer, n);
  g_autofree GThread **threads = g_new0(GThread *, n);
  gint ready = 0;
  for (guint i = 0; i < n; i++) {
    racers[i] = (Racer){.f = f, .path = paths[i], .body = bodies[i], .ready = &ready, .n = n};
    threads[i] = g_thread_new("racer", race, &racers[i]);
  }
  guint winners = 0, winner = 0;
  for (guint i = 0; i < n; i++) {
    g_thread_join(threads[i]);
    if (racers[i].status == 200) {
      winners++;
      winner = i;
    } else {
      g_assert_cmpuint(racers[i].status, ==, 409);
      g_assert_cmpstr(racers[i].code, ==, loser_code);
    }
    g_free(racers[i].code);
  }
  g_assert_cmpuint(winners, ==, 1);
  return winner;
}
