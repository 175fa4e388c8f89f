/* json-test.h: what the codec's tests share.  Their documents are written with ' for "
 * so that they stay readable in C; json_test_tojson() turns them into JSON.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `text` with every ' turned into " (transfer full): `length` bytes, which may hold
 * NULs, or up to the first NUL when `length` is -1.  The copy ends in a NUL either way. */
char *json_test_tojson(const char *text, gssize length);

/* This test's own directory, created on first use (isolated per test case by
 * G_TEST_OPTION_ISOLATE_DIRS). */
const char *json_test_dir(void);

G_END_DECLS
