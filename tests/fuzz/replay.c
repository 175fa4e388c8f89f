/* replay.c: runs a fuzz target's LLVMFuzzerTestOneInput over saved inputs without
 * libFuzzer, one GTest case per file, so the seed corpus and every input that once
 * broke something are replayed by `meson test` with any compiler (and under ASan).
 *
 * Usage: replay-TARGET NAME DIR...  Each DIR's regular files become the cases
 * /fuzz/NAME/<dir's base name>/<file>, sorted by name; a missing DIR is skipped (a
 * target may have no regressions yet), but there must be at least one input.
 */
#include <string.h>

#include "fuzz.h"

static void test_input(gconstpointer data) {
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_assert_true(g_file_get_contents(path, &contents, &length, &error));
  g_assert_no_error(error);
  /* An exactly sized copy, as libFuzzer passes it, so ASan sees any over-read. */
  g_autofree uint8_t *input = g_memdup2(contents, length);
  g_assert_cmpint(LLVMFuzzerTestOneInput(input, length), ==, 0);
}

static int compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Registers one case per regular file of `dir`; returns how many. */
static guint add_dir(const char *target, const char *dir) {
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) handle = g_dir_open(dir, 0, &error);
  if (handle == NULL) {
    g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    return 0;
  }
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
  for (const char *name; (name = g_dir_read_name(handle)) != NULL;) {
    g_autofree char *path = g_build_filename(dir, name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      g_ptr_array_add(names, g_strdup(name));
  }
  g_ptr_array_sort(names, compare_names);
  g_autofree char *base = g_path_get_basename(dir);
  for (guint i = 0; i < names->len; i++) {
    const char *name = g_ptr_array_index(names, i);
    g_autofree char *test_path = g_strdup_printf("/fuzz/%s/%s/%s", target, base, name);
    g_test_add_data_func_full(test_path, g_build_filename(dir, name, NULL), test_input, g_free);
  }
  return names->len;
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (argc < 3) {
    g_printerr("usage: %s NAME DIR...\n", argv[0]);
    return 2;
  }
  guint inputs = 0;
  for (int i = 2; i < argc; i++)
    inputs += add_dir(argv[1], argv[i]);
  if (inputs == 0) {
    g_printerr("%s: no inputs in the directories given\n", argv[0]);
    return 1;
  }
  LLVMFuzzerInitialize(&argc, &argv);
  return g_test_run();
}
