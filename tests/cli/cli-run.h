/* cli-run.h: what the end-to-end tests of the command line share: running the real
 * `handen` binary ($HANDEN_BIN) to completion with its output captured, and files in
 * the test case's own folder (fresh under G_TEST_OPTION_ISOLATE_DIRS).  Every helper
 * asserts that what it does works, so a test reads as the steps a user takes.
 */
#pragma once

#include <glib.h>

/* SQL on the store behind handen's back: store_target_exec(), store_target_int(). */
#include "store-target.h"

G_BEGIN_DECLS

/* One finished run of handen: its exit status and everything it printed. */
typedef struct {
  int status;
  char *out;
  char *err;
} Run;

void run_clear(Run *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Run, run_clear)

/* Runs handen with the NULL-terminated arguments into `run` (cleared by the caller,
 * g_auto(Run)); asserts that it ran and exited normally. */
void run_handen(Run *run, ...) G_GNUC_NULL_TERMINATED;
/* The same with the arguments as a NULL-terminated array. */
void run_handen_argv(Run *run, const char *const *args);

/* The path of a file of the fixtures folder ($HANDEN_FIXTURES) (transfer full). */
char *fixture(const char *name);

/* A path in this test case's own folder, which exists (transfer full). */
char *tmp_path(const char *name);

/* A new store for --db: the file `name` in this test case's folder, or a fresh
 * PostgreSQL schema when the tests run on PostgreSQL (tests/pg) (transfer full). */
char *tmp_store(const char *name);

void write_file(const char *path, const char *text);
char *read_file(const char *path); /* transfer full */

G_END_DECLS
