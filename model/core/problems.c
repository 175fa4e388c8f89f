/* problems.c: lists of input problems (JSON Pointer + human message) and their
 * canonical order.  A problem list is a GPtrArray owning its ModelProblem elements.
 * Sorting is total and deterministic, so the same input always reports the same lines
 * in the same order, whichever part of the code found them first.
 */
#include "model.h"

#include <string.h>

GPtrArray *model_problems_new(void) {
  return g_ptr_array_new_with_free_func((GDestroyNotify)model_problem_free);
}

void model_problem_free(ModelProblem *problem) {
  if (problem == NULL)
    return;
  g_free(problem->pointer);
  g_free(problem->message);
  g_free(problem);
}

void model_problems_add(GPtrArray *problems, const char *pointer, const char *fmt, ...) {
  g_return_if_fail(problems != NULL);
  g_return_if_fail(fmt != NULL);
  ModelProblem *problem = g_new0(ModelProblem, 1);
  problem->pointer = g_strdup(pointer != NULL ? pointer : "");
  va_list args;
  va_start(args, fmt);
  problem->message = g_strdup_vprintf(fmt, args);
  va_end(args);
  g_ptr_array_add(problems, problem);
}

char *model_problems_to_string(const GPtrArray *problems) {
  GString *out = g_string_new(NULL);
  if (problems == NULL)
    return g_string_free(out, FALSE);
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index((GPtrArray *)problems, i);
    if (i > 0)
      g_string_append_c(out, '\n');
    g_string_append_printf(out, "%s: %s", problem->pointer, problem->message);
  }
  return g_string_free(out, FALSE);
}

/* ---- document order ----------------------------------------------------- */

/* Top-level arrays in the order the format lists them. */
static const char *const top_level_order[] = {
    "districts", "schools", "organisations", "locations", "employees", "requests", "assignments",
};

/* Every object key of the format in one order that agrees with the key order of each
 * object in FORMAT.md (and of the encoder), so problems inside one object come out in
 * the order a reader meets the keys.  Keys not listed sort after these, bytewise. */
static const char *const key_order[] = {
    "id",
    "organisation",
    "request",
    "employee",
    "brin",
    "school",
    "slots",
    "name",
    "type",
    "lrk",
    "district",
    "postcode",
    "location",
    "lat",
    "lon",
    "load",
    "neighbours",
    "pupils",
    "qualifications",
    "availability",
    "staff_needed",
    "children_expected",
    "own_staff",
    "staff_present",
    "max_lend",
    "required",
    "preferred",
    "priority",
    "max_parts_per_week",
    "max_travel_km",
    "active",
    "confirmed",
    "note",
    "date",
    "from",
    "to",
    "weekdays",
    "part",
    "parts",
    "status",
    "decided_by",
    "decided_at",
    "reason",
};

/* Rank of segment [s, s + n) in `table`, or `count` when absent. */
static guint segment_rank(const char *s, gsize n, const char *const *table, guint count) {
  for (guint i = 0; i < count; i++) {
    if (strlen(table[i]) == n && memcmp(table[i], s, n) == 0)
      return i;
  }
  return count;
}

static gboolean segment_is_number(const char *s, gsize n) {
  if (n == 0)
    return FALSE;
  for (gsize i = 0; i < n; i++) {
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  }
  return TRUE;
}

static int compare_bytes(const char *a, gsize an, const char *b, gsize bn) {
  int c = memcmp(a, b, MIN(an, bn));
  if (c != 0)
    return c;
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/* Compares decimal digit strings as numbers, of any length (no overflow). */
static int compare_numbers(const char *a, gsize an, const char *b, gsize bn) {
  while (an > 1 && *a == '0') {
    a++;
    an--;
  }
  while (bn > 1 && *b == '0') {
    b++;
    bn--;
  }
  if (an != bn)
    return an < bn ? -1 : 1;
  return memcmp(a, b, an);
}

static int compare_segments(const char *a, gsize an, const char *b, gsize bn, guint depth) {
  gboolean a_num = segment_is_number(a, an), b_num = segment_is_number(b, bn);
  if (a_num && b_num)
    return compare_numbers(a, an, b, bn);
  if (a_num != b_num)
    return a_num ? -1 : 1;
  const char *const *table = depth == 0 ? top_level_order : key_order;
  guint count = depth == 0 ? G_N_ELEMENTS(top_level_order) : G_N_ELEMENTS(key_order);
  guint ra = segment_rank(a, an, table, count), rb = segment_rank(b, bn, table, count);
  if (ra != rb)
    return ra < rb ? -1 : 1;
  return compare_bytes(a, an, b, bn);
}

/* Compares two pointers segment by segment; a pointer sorts before its extensions. */
static int compare_pointers(const char *a, const char *b) {
  if (*a == '\0' || *b == '\0')
    return (*a != '\0') - (*b != '\0');
  for (guint depth = 0;; depth++) {
    gsize an = strcspn(a, "/"), bn = strcspn(b, "/");
    int c = compare_segments(a, an, b, bn, depth);
    if (c != 0)
      return c;
    gboolean a_more = a[an] == '/', b_more = b[bn] == '/';
    if (!a_more || !b_more)
      return a_more - b_more;
    a += an + 1;
    b += bn + 1;
  }
}

static int compare_problems(gconstpointer pa, gconstpointer pb) {
  const ModelProblem *a = *(const ModelProblem *const *)pa;
  const ModelProblem *b = *(const ModelProblem *const *)pb;
  int c = compare_pointers(a->pointer, b->pointer);
  if (c != 0)
    return c;
  return strcmp(a->message, b->message);
}

void model_problems_sort(GPtrArray *problems) {
  g_return_if_fail(problems != NULL);
  g_ptr_array_sort(problems, compare_problems);
}
