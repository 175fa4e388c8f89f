/* engine-assert.h: what the engine tests assert of a round's output alike.  Header
 * only; the folders that test the engine include it as "../engine-assert.h".
 */
#pragma once

#include "match.h"

/* The independent checker finds no violation in `proposals`; each one it finds is
 * logged as "RULE: message" before the test fails. */
static inline void assert_no_violation(const ModelDataset *dataset, const GArray *proposals) {
  EngineOptions options;
  engine_options_init(&options);
  g_autoptr(GPtrArray) violations = engine_check(dataset, &options, proposals);
  for (guint i = 0; i < violations->len; i++) {
    const EngineViolation *v = g_ptr_array_index(violations, i);
    g_test_message("%s: %s", v->rule, v->message);
  }
  g_assert_cmpuint(violations->len, ==, 0);
}
