/* json-test.c: the helpers of json-test.h, shared by the codec's test programs.  They
 * only copy and create; they assert on failure, so a test never runs half set up.
 */
#include "json-test.h"

#include <string.h>

char *json_test_tojson(const char *text, gssize length) {
  gsize size = length >= 0 ? (gsize)length : strlen(text);
  char *out = g_malloc(size + 1);
  memcpy(out, text, size);
  out[size] = '\0';
  for (gsize i = 0; i < size; i++) {
    if (out[i] == '\'')
      out[i] = '"';
  }
  return out;
}

const char *json_test_dir(void) {
  const char *dir = g_get_user_runtime_dir();
  g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
  return dir;
}
