/* fuzz-dataset.c: the dataset JSON decoder under arbitrary bytes.  Every input must
 * either fail with at least one problem, each with a well-formed JSON Pointer and a
 * message, or decode into a dataset whose encoding decodes again and re-encodes to
 * the very same bytes (dataset-json.h: decode(encode(d)) equals d, and encoding is
 * deterministic).  The decoder's quick reading and its whole-tree reading must give
 * the same problems and the same dataset.  Anything else aborts.
 */
#include <string.h>

#include "dataset-json.h"
#include "fuzz.h"
#include "json-private.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  g_log_set_writer_func(fuzz_log_writer, NULL, NULL);
  return 0;
}

/* Whether `pointer` is a JSON Pointer as model.h writes it: RFC 6901 without the
 * leading '/', so no segment starts the text with '/', and every '~' is escaped as
 * "~0" or "~1". */
static gboolean is_pointer(const char *pointer) {
  if (pointer[0] == '/')
    return FALSE;
  for (const char *p = pointer; *p != '\0'; p++)
    if (*p == '~' && p[1] != '0' && p[1] != '1')
      return FALSE;
  return TRUE;
}

/* Aborts unless `problems` is a non-empty list of well-formed problems. */
static void check_problems(const GPtrArray *problems) {
  if (problems->len == 0)
    fuzz_fail("the decoder failed without reporting a problem");
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    if (problem->pointer == NULL || problem->message == NULL || problem->message[0] == '\0')
      fuzz_fail("problem %u has no pointer or no message", i);
    if (!is_pointer(problem->pointer))
      fuzz_fail("problem %u has the pointer \"%s\"", i, problem->pointer);
    if (!g_utf8_validate(problem->message, -1, NULL) ||
        !g_utf8_validate(problem->pointer, -1, NULL))
      fuzz_fail("problem %u is not valid UTF-8", i);
  }
}

/* The offset of the first byte where `a` and `b` differ. */
static gsize first_difference(const char *a, const char *b) {
  gsize i = 0;
  while (a[i] != '\0' && a[i] == b[i])
    i++;
  return i;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset((const char *)data, size, problems);
  g_autoptr(GPtrArray) whole_problems = model_problems_new();
  g_autoptr(ModelDataset) whole =
      model_json_decode_dataset_whole((const char *)data, size, whole_problems);
  g_autofree char *listed = model_problems_to_string(problems);
  g_autofree char *whole_listed = model_problems_to_string(whole_problems);
  if (strcmp(listed, whole_listed) != 0 || (dataset == NULL) != (whole == NULL))
    fuzz_fail("the two readings differ:\n%s\n---\n%s", listed, whole_listed);
  if (dataset != NULL) {
    g_autofree char *a = model_json_encode_dataset(dataset);
    g_autofree char *b = model_json_encode_dataset(whole);
    if (strcmp(a, b) != 0)
      fuzz_fail("the two readings decode different datasets:\n%s\n---\n%s", a, b);
  }
  if (dataset == NULL) {
    check_problems(problems);
    return 0;
  }
  if (problems->len != 0)
    fuzz_fail("the decoder returned a dataset and %u problems", problems->len);

  g_autofree char *first = model_json_encode_dataset(dataset);
  gsize length = strlen(first);
  if (length == 0 || first[length - 1] != '\n')
    fuzz_fail("the encoding does not end with a newline");
  g_autoptr(GPtrArray) again_problems = model_problems_new();
  g_autoptr(ModelDataset) again = model_json_decode_dataset(first, length, again_problems);
  if (again == NULL) {
    g_autofree char *again_listed = model_problems_to_string(again_problems);
    fuzz_fail("the encoding of a decoded dataset does not decode:\n%s\n---\n%s", again_listed,
              first);
  }
  g_autofree char *second = model_json_encode_dataset(again);
  if (strcmp(first, second) != 0)
    fuzz_fail("re-encoding differs at byte %" G_GSIZE_FORMAT ":\n%s\n---\n%s",
              first_difference(first, second), first, second);
  return 0;
}
