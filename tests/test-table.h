/* test-table.h: registers one test per row of a static table of cases, at the path
 * PREFIX/NAME where NAME is the row's name field, in the table's order.  Header only;
 * every test folder includes it as "../test-table.h".  Property tests register their
 * committed seeds and one fresh seed through it, the seed in the test path; command
 * line rows give their arguments in shell syntax, parsed by test_table_argv().
 */
#pragma once

#include <glib.h>

/* One g_test_add_data_func per row of TABLE, each given its row. */
#define TEST_ADD_TABLE(prefix, table, name, func)                                                  \
  for (gsize table_row_ = 0; table_row_ < G_N_ELEMENTS(table); table_row_++) {                     \
    g_autofree char *table_path_ = g_strconcat((prefix), "/", (table)[table_row_].name, NULL);     \
    g_test_add_data_func(table_path_, &(table)[table_row_], (func));                               \
  }

/* One g_test_add with fixture TYPE per row of TABLE, each given its row. */
#define TEST_ADD_FIXTURE_TABLE(prefix, table, name, type, setup, func, teardown)                   \
  for (gsize table_row_ = 0; table_row_ < G_N_ELEMENTS(table); table_row_++) {                     \
    g_autofree char *table_path_ = g_strconcat((prefix), "/", (table)[table_row_].name, NULL);     \
    g_test_add(table_path_, type, &(table)[table_row_], (setup), (func), (teardown));              \
  }

/* One test per committed seed and one for a fresh seed from g_test_rand_int, each at
 * PREFIX followed by the seed in decimal, given the seed by GUINT_TO_POINTER. */
static inline void test_add_seeds(const char *prefix, const guint32 *seeds, gsize n_seeds,
                                  GTestDataFunc func) {
  for (gsize i = 0; i <= n_seeds; i++) {
    guint32 seed = i < n_seeds ? seeds[i] : (guint32)g_test_rand_int();
    g_autofree char *path = g_strdup_printf("%s%" G_GUINT32_FORMAT, prefix, seed);
    g_test_add_data_func(path, GUINT_TO_POINTER(seed), func);
  }
}

/* The arguments of a row given in shell syntax (g_shell_parse_argv()), as a
 * NULL-terminated array (transfer full); "" gives none.  Fails the test on bad syntax. */
static inline char **test_table_argv(const char *args) {
  if (*args == '\0')
    return g_new0(char *, 1);
  char **argv = NULL;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_shell_parse_argv(args, NULL, &argv, &error));
  g_assert_no_error(error);
  return argv;
}

#define TEST_ADD_SEEDS(prefix, seeds, func)                                                        \
  test_add_seeds((prefix), (seeds), G_N_ELEMENTS(seeds), (func))
