/* cli-run.c: see cli-run.h. */
#include "cli-run.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "store-target.h"

void run_clear(Run *run) {
  g_clear_pointer(&run->out, g_free);
  g_clear_pointer(&run->err, g_free);
}

static const char *handen_path(void) {
  const char *path = g_getenv("HANDEN_BIN");
  g_assert_nonnull(path);
  return path;
}

char *fixture(const char *name) {
  return g_build_filename(g_getenv("HANDEN_FIXTURES"), name, NULL);
}

void run_handen_argv(Run *run, const char *const *args) {
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (char *)handen_path());
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add(argv, (char *)args[i]);
  g_ptr_array_add(argv, NULL);
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  gboolean ok = g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                             &run->out, &run->err, &wait_status, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_true(WIFEXITED(wait_status));
  run->status = WEXITSTATUS(wait_status);
}

void run_handen(Run *run, ...) {
  g_autoptr(GPtrArray) args = g_ptr_array_new();
  va_list list;
  va_start(list, run);
  for (const char *arg = va_arg(list, const char *); arg; arg = va_arg(list, const char *))
    g_ptr_array_add(args, (char *)arg);
  va_end(list);
  g_ptr_array_add(args, NULL);
  run_handen_argv(run, (const char *const *)args->pdata);
}

/* G_TEST_OPTION_ISOLATE_DIRS gives every test case fresh XDG folders, removed
 * afterwards, so runs never see each other's files. */
char *tmp_path(const char *name) {
  const char *dir = g_get_user_runtime_dir();
  g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
  return g_build_filename(dir, name, NULL);
}

char *tmp_store(const char *name) {
  if (!store_target_is_pg())
    return tmp_path(name);
  const char *dir = g_get_user_runtime_dir();
  g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
  return store_target_new(dir);
}

void write_file(const char *path, const char *text) {
  g_autoptr(GError) error = NULL;
  g_file_set_contents(path, text, -1, &error);
  g_assert_no_error(error);
}

char *read_file(const char *path) {
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  g_file_get_contents(path, &text, NULL, &error);
  g_assert_no_error(error);
  return text;
}
