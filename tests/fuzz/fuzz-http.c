/* fuzz-http.c: the HTTP API in memory, through api_router_dispatch(): routing, query
 * strings, tokens and JSON bodies, down to the handlers and the store.  The store is
 * fixtures/almere.json imported once into a temporary directory, with one token per
 * role; every RESET_EVERY inputs it is put back to that state, so what the inputs
 * create (requests, employees, rounds, audit lines) cannot grow without bound.
 *
 * An input is: one byte choosing the token by its value modulo 5 (none, coordinator,
 * school, organisation, coordinator of one district: 'A' to 'E' in the seeds), then
 * method '\n' path[?query] '\n' content type '\n' body (missing parts are empty; an
 * empty content type is none).
 * Every response must have a status 200-599; a JSON response must be one valid JSON
 * value, and an error response (4xx/5xx) the documented error object with the same
 * status.  A 500 is a failure too: no input should break the server.  Rounds run to
 * completion before the next input, so nothing runs in the background.
 *
 * The target keeps its store in file-level state: libFuzzer's entry points take no
 * context.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "fuzz.h"
#include "handlers.h"
#include "store-tokens.h"

#define RESET_EVERY 500

typedef enum {
  TOKEN_NONE,
  TOKEN_COORDINATOR,
  TOKEN_SCHOOL,
  TOKEN_ORGANISATION,
  TOKEN_DISTRICT, /* a coordinator of one district */
  TOKEN_KINDS
} TokenKind;

typedef struct {
  char *dir;
  char *db_path;
  char *pristine_path;
  char *authorization[TOKEN_KINDS]; /* "Bearer <secret>", NULL for TOKEN_NONE */
  ApiServices *services;
  guint runs;     /* since the last reset */
  gboolean trace; /* $FUZZ_HTTP_TRACE set: print each status, method and target */
} FuzzState;

static FuzzState state;

static char *fixtures_path(void) {
  const char *dir = g_getenv("HANDEN_FIXTURES");
  return g_build_filename(dir != NULL ? dir : FUZZ_FIXTURES_DIR, "almere.json", NULL);
}

static void remove_database(const char *path) {
  static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *file = g_strconcat(path, suffixes[i], NULL);
    g_remove(file);
  }
}

static void cleanup(void) {
  api_services_free(state.services);
  remove_database(state.db_path);
  remove_database(state.pristine_path);
  g_rmdir(state.dir);
  for (gsize i = 0; i < TOKEN_KINDS; i++)
    g_free(state.authorization[i]);
  g_free(state.pristine_path);
  g_free(state.db_path);
  g_free(state.dir);
}

static char *create_token(ModelStore *store, ModelRole role, const char *school,
                          const char *organisation, const char *const *districts) {
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  g_autofree char *secret = NULL;
  if (!model_store_token_create(store, "fuzz", role, school, organisation, districts, &id, &secret,
                                &error))
    fuzz_fail("creating a token: %s", error->message);
  return g_strconcat("Bearer ", secret, NULL);
}

/* Builds the pristine store: the Almere fixtures and a token per kind.  Closing the
 * only connection checkpoints the WAL, so the one file is the whole database. */
static void make_pristine(void) {
  g_autoptr(GError) error = NULL;
  g_autofree char *fixtures = fixtures_path();
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_load_dataset(fixtures, problems);
  if (dataset == NULL) {
    g_autofree char *listed = model_problems_to_string(problems);
    fuzz_fail("loading %s:\n%s", fixtures, listed);
  }
  g_autoptr(ModelStore) store = model_store_open(state.pristine_path, &error);
  if (store == NULL || !model_store_import(store, dataset, MODEL_STORE_IMPORT_REPLACE, &error))
    fuzz_fail("importing %s: %s", fixtures, error->message);
  static const char *const haven[] = {"haven", NULL};
  state.authorization[TOKEN_COORDINATOR] =
      create_token(store, MODEL_ROLE_COORDINATOR, NULL, NULL, NULL);
  state.authorization[TOKEN_SCHOOL] = create_token(store, MODEL_ROLE_SCHOOL, "31DJ00", NULL, NULL);
  state.authorization[TOKEN_ORGANISATION] =
      create_token(store, MODEL_ROLE_ORGANISATION, NULL, "org-01", NULL);
  state.authorization[TOKEN_DISTRICT] =
      create_token(store, MODEL_ROLE_COORDINATOR, NULL, NULL, haven);
}

/* Puts the working store back to the pristine one and opens the services on it. */
static void reset_store(void) {
  api_services_free(state.services);
  state.services = NULL;
  remove_database(state.db_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents(state.pristine_path, &contents, &length, &error) ||
      !g_file_set_contents(state.db_path, contents, (gssize)length, &error))
    fuzz_fail("copying the store: %s", error->message);
  state.services = api_services_new(state.db_path, &error);
  if (state.services == NULL)
    fuzz_fail("opening the store: %s", error->message);
  api_services_set_today(state.services, model_date_from_ymd(2020, 4, 13));
  state.runs = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_log_set_writer_func(fuzz_log_writer, NULL, NULL);
  g_autoptr(GError) error = NULL;
  state.dir = g_dir_make_tmp("handen-fuzz-http-XXXXXX", &error);
  if (state.dir == NULL)
    fuzz_fail("making a temporary directory: %s", error->message);
  state.db_path = g_build_filename(state.dir, "handen.db", NULL);
  state.pristine_path = g_build_filename(state.dir, "pristine.db", NULL);
  state.trace = g_getenv("FUZZ_HTTP_TRACE") != NULL;
  make_pristine();
  reset_store();
  atexit(cleanup);
  return 0;
}

/* Splits off the text up to the next '\n' (or the end) as a NUL-terminated copy
 * (transfer full) and advances *data / *size past it and its '\n'. */
static char *next_line(const uint8_t **data, size_t *size) {
  const uint8_t *eol = memchr(*data, '\n', *size);
  size_t length = eol != NULL ? (size_t)(eol - *data) : *size;
  char *line = g_strndup((const char *)*data, length);
  size_t consumed = eol != NULL ? length + 1 : length;
  *data += consumed;
  *size -= consumed;
  return line;
}

/* Aborts unless `response` keeps the contract of http.h for any input. */
static void check_response(const ApiResponse *response, const char *method, const char *target) {
  guint status = response->status;
  if (status < 200 || status > 599)
    fuzz_fail("%s %s: status %u", method, target, status);
  if (status == 500)
    fuzz_fail("%s %s: 500 %s", method, target, response->body != NULL ? response->body : "");
  if (response->body == NULL && response->body_length != 0)
    fuzz_fail("%s %s: no body but a body length", method, target);
  if (status == 405 && response->allow == NULL)
    fuzz_fail("%s %s: 405 without Allow", method, target);
  if (g_strcmp0(response->content_type, "application/json") != 0)
    return;
  if (response->body == NULL || strlen(response->body) != response->body_length)
    fuzz_fail("%s %s: a JSON body with a NUL byte or a wrong length", method, target);
  json_tokener *tokener = json_tokener_new();
  json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
  json_object *json =
      json_tokener_parse_ex(tokener, response->body, (int)response->body_length + 1);
  enum json_tokener_error jerr = json_tokener_get_error(tokener);
  json_tokener_free(tokener);
  if (jerr != json_tokener_success)
    fuzz_fail("%s %s: %u with invalid JSON (%s): %s", method, target, status,
              json_tokener_error_desc(jerr), response->body);
  if (status >= 400) {
    json_object *error = NULL, *code = NULL, *message = NULL, *error_status = NULL;
    if (!json_object_object_get_ex(json, "error", &error) ||
        !json_object_object_get_ex(error, "status", &error_status) ||
        !json_object_object_get_ex(error, "code", &code) ||
        !json_object_object_get_ex(error, "message", &message) ||
        !json_object_is_type(error_status, json_type_int) ||
        json_object_get_int(error_status) != (int)status ||
        !json_object_is_type(code, json_type_string) ||
        !json_object_is_type(message, json_type_string))
      fuzz_fail("%s %s: %u without the error object: %s", method, target, status, response->body);
  }
  json_object_put(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  if (state.runs++ >= RESET_EVERY)
    reset_store();
  TokenKind token = (TokenKind)(data[0] % TOKEN_KINDS);
  data++;
  size--;
  g_autofree char *method = next_line(&data, &size);
  g_autofree char *target = next_line(&data, &size);
  g_autofree char *content_type = next_line(&data, &size);
  char *query = strchr(target, '?');
  g_autofree char *path =
      g_strndup(target, query != NULL ? (gsize)(query - target) : strlen(target));

  ApiResponse response = {0};
  api_router_dispatch(state.services, method, path, query != NULL ? query + 1 : NULL,
                      state.authorization[token], content_type[0] != '\0' ? content_type : NULL,
                      (const char *)data, size, &response);
  api_services_wait_rounds(state.services);
  if (state.trace)
    fprintf(stderr, "%u %s %s (token %d)\n", response.status, method, target, (int)token);
  check_response(&response, method, target);
  api_response_clear(&response);
  return 0;
}
