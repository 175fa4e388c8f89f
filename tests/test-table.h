/* test-table.h: registers one test per row of a static table of cases, at the path
 * PREFIX/NAME where NAME is the row's name field, in the table's order.  Header only;
 * every test folder includes it as "../test-table.h".
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
