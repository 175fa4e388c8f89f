/* resources-fixture.h: the fixture of the resource tests: a temporary store imported
 * from fixtures/almere.json, the API services on it, and one bearer token per kind of
 * caller, plus helpers that dispatch a request in memory and read the JSON answer.
 */
#pragma once

#include "handlers.h"
#include "store-tokens.h"

G_BEGIN_DECLS

/* The fixture's services take 2020-04-13, a Monday, as today. */
typedef struct {
  char *dir;
  char *db_path;
  ApiServices *services;
  char *coordinator;  /* every district */
  char *haven;        /* coordinator of district haven only */
  char *school;       /* school 31DJ00 (duin): request r-002, approved a-01, a-02 */
  char *other_school; /* school 12XA00 (stad) */
  char *org;          /* organisation org-01 */
  char *other_org;    /* organisation org-17 */
} Fixture;

void fixture_setup(Fixture *f, gconstpointer data);
void fixture_teardown(Fixture *f, gconstpointer data);
/* Registers test `fn` at `path` on a fresh Fixture. */
#define FIXTURE_ADD(path, fn) g_test_add(path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
/* Adds one fixture test of `func` per line of `cases`, "NAME WORD ... [| MORE ...]",
 * at PREFIX/NAME, given the line split at " | " (a GStrv).  Returns the split lines;
 * free them with g_ptr_array_unref() after g_test_run(). */
GPtrArray *fixture_add_text_cases(const char *prefix, const char *cases,
                                  void (*func)(Fixture *f, gconstpointer data));
/* The words of a case's first part (transfer full), asserted to be `n`. */
GStrv fixture_case_words(gconstpointer data, guint n);
/* Removes the store every fixture is copied from; call after g_test_run(). */
void fixture_template_free(void);

/* The token secret of a role of the fixture by name: "coordinator", "haven",
 * "school", "other-school", "organisation" or "other-organisation" (asserted). */
const char *fixture_role_token(const Fixture *f, const char *role);
/* The Authorization header for a token secret (transfer full). */
char *fixture_bearer(const char *secret);

/* Dispatches a request with `token` (a secret or NULL) and a JSON body (or NULL);
 * returns the status and, when `out_json` is not NULL, the parsed JSON body
 * (transfer full; NULL when the body is not JSON). */
guint fixture_call(Fixture *f, const char *token, const char *method, const char *path,
                   const char *query, const char *body, json_object **out_json);
/* The same, keeping the whole response (cleared by the caller). */
void fixture_call_raw(Fixture *f, const char *token, const char *method, const char *path,
                      const char *query, const char *body, ApiResponse *response);

/* Sends `n` POSTs at once as the coordinator, paths[i] with bodies[i] (NULL: none),
 * each from a thread that opens its store connection before any of them goes; returns
 * the index of the one answered 200, asserting that exactly one was and that every
 * other was refused with 409 and the code `loser_code`. */
guint fixture_race(Fixture *f, guint n, const char *const *paths, const char *const *bodies,
                   const char *loser_code);

/* The string at a path of keys in `object` ("error", "code"), or NULL. */
const char *fixture_string(json_object *object, ...) G_GNUC_NULL_TERMINATED;

/* Runs fixed SQL on the test database behind the store's back; asserts success. */
void fixture_sql(Fixture *f, const char *sql);
/* The single integer a query returns. */
gint64 fixture_sql_int(Fixture *f, const char *sql);

/* Creates, as organisation org-01, an employee with `id`, vog and pm, available on
 * `date` in both parts and at most `max_parts` day parts a week. */
void fixture_employee(Fixture *f, const char *id, const char *date, int max_parts);
/* Creates, as school 31DJ00, request `id` needing `staff` on `date` morning. */
void fixture_request(Fixture *f, const char *id, const char *date, int staff);
/* Inserts a proposed assignment directly. */
void fixture_proposal(Fixture *f, const char *id, const char *request, const char *employee,
                      const char *date);

G_END_DECLS
