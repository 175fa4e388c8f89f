/* test-split.c: the decoder's quick reading (split.c: one strict pass, each root
 * array's element parsed on its own) against its whole-tree reading.  Documents the
 * encoder writes are read quickly; every document the quick reading leaves to the
 * whole tree is listed with why, and for all of them the decoder gives what the whole
 * tree gives: the same problems, or a dataset with the same encoding.  ' stands for ".
 */
#include "dataset-json.h"
#include "json-private.h"
#include "json-test.h"
#include "random-dataset.h"

#include <string.h>
#include "../test-table.h"

/* The number of root keys split.c is given (decode.c's root_keys). */
static const char *const root_keys[] = {"districts", "schools",  "organisations", "locations",
                                        "employees", "requests", "assignments",   NULL};

static gboolean splits(const char *json, gsize length) {
  GArray *spans[G_N_ELEMENTS(root_keys)];
  gboolean ok = model_json_split(json, length, root_keys, spans);
  for (gsize k = 0; k + 1 < G_N_ELEMENTS(root_keys); k++) {
    if (!ok)
      g_assert_null(spans[k]);
    g_clear_pointer(&spans[k], g_array_unref);
  }
  return ok;
}

/* Decodes `json` both ways and asserts the same outcome; returns the problems. */
static char *assert_same_reading(const char *json, gsize length) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(json, length, problems);
  g_autoptr(GPtrArray) whole_problems = model_problems_new();
  g_autoptr(ModelDataset) whole = model_json_decode_dataset_whole(json, length, whole_problems);
  g_autofree char *listed = model_problems_to_string(problems);
  g_autofree char *whole_listed = model_problems_to_string(whole_problems);
  g_assert_cmpstr(listed, ==, whole_listed);
  g_assert_true((dataset == NULL) == (whole == NULL));
  if (dataset != NULL) {
    g_autofree char *a = model_json_encode_dataset(dataset);
    g_autofree char *b = model_json_encode_dataset(whole);
    g_assert_cmpstr(a, ==, b);
  }
  return g_steal_pointer(&listed);
}

/* Every encoded dataset is read quickly, into the same dataset. */
static void test_random(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  for (guint round = 0; round < 6; round++) {
    g_autoptr(ModelDataset) dataset = json_test_random_dataset(seed + round);
    g_autofree char *text = model_json_encode_dataset(dataset);
    g_assert_true(splits(text, strlen(text)));
    g_autofree char *problems = assert_same_reading(text, strlen(text));
    g_assert_cmpstr(problems, ==, "");
  }
}

#define EMPLOYEE(extra) "{'id':'e1','organisation':'o1','name':'Sanne','district':'d1'" extra "}"
#define NAMED(name) "{'id':'e1','organisation':'o1','district':'d1','name':'" name "'}"
#define DOC(employee)                                                                              \
  "{'districts':[{'id':'d1','name':'Stad','lat':52.3796,'lon':5.2167}],"                           \
  "'organisations':[{'id':'o1','name':'De Boerderij','lrk':'205592041'}],"                         \
  "'employees':[" employee "]}"

typedef struct {
  const char *name;
  const char *json; /* ' standing for " */
  gboolean split;   /* the quick reading takes it */
  gboolean valid;   /* it decodes */
} SplitCase;

static const SplitCase cases[] = {
    {"plain", DOC(EMPLOYEE("")), TRUE, TRUE},
    {"spaces",
     " \n{ 'employees' : [ " EMPLOYEE(
         "") " ] ,\t'districts':[{'id':'d1','name':'Stad',"
             "'lat':52.3796,'lon':5.2167}],'organisations':[{'id':'o1','name':'O',"
             "'lrk':'205592041'}] }\r\n",
     TRUE, TRUE},
    {"empty", "{}", TRUE, TRUE},
    {"empty-arrays", "{'districts':[],'employees':[]}", TRUE, TRUE},
    {"escapes-in-values", DOC(NAMED("a\\u00e9\\/\\\\\\\"")), TRUE, TRUE},
    {"field-problem", DOC(EMPLOYEE(",'max_travel_km':'far'")), TRUE, FALSE},
    {"unknown-field", DOC(EMPLOYEE(",'shoe_size':42")), TRUE, FALSE},
    {"surrogate-pair", DOC(NAMED("\\ud83d\\ude00")), FALSE, TRUE},
    {"lone-surrogate", DOC(NAMED("\\ud83d")), FALSE, FALSE},
    {"escaped-key", DOC("{'id':'e1','organisation':'o1','district':'d1','n\\u0061me':'x'}"), FALSE,
     TRUE},
    {"repeated-key", DOC(EMPLOYEE(",'name':'Anna'")), FALSE, FALSE},
    {"repeated-root-key", "{'employees':[],'employees':[]}", FALSE, FALSE},
    {"unknown-root-key", "{'staff':[]}", FALSE, FALSE},
    {"root-array", "[]", FALSE, FALSE},
    {"root-member-not-array", "{'employees':{}}", FALSE, FALSE},
    {"element-not-object", "{'employees':[1]}", FALSE, FALSE},
    {"trailing-comma", DOC(EMPLOYEE("") ","), FALSE, FALSE},
    {"trailing-text", DOC(EMPLOYEE("")) " x", FALSE, FALSE},
    {"leading-zero", DOC(EMPLOYEE(",'max_travel_km':010")), FALSE, FALSE},
    {"bare-dot", DOC(EMPLOYEE(",'max_travel_km':1.")), FALSE, FALSE},
    {"bad-literal", DOC(EMPLOYEE(",'active':tru")), FALSE, FALSE},
    {"bad-escape", DOC(NAMED("\\x")), FALSE, FALSE},
    {"control-character", DOC(NAMED("a\tb")), FALSE, FALSE},
    {"truncated", "{'employees':[{'id':'e1'", FALSE, FALSE},
    {"deep", DOC(EMPLOYEE(",'name':[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")),
     FALSE, FALSE},
};

static void test_case(gconstpointer data) {
  const SplitCase *c = data;
  g_autofree char *json = json_test_tojson(c->json, -1);
  gsize length = strlen(json);
  g_assert_cmpint(splits(json, length), ==, c->split);
  g_autofree char *problems = assert_same_reading(json, length);
  g_assert_cmpint(problems[0] == '\0', ==, c->valid);
}

/* An element with more keys than the quick reading compares is left to the tree. */
static void test_many_keys(void) {
  g_autoptr(GString) extra = g_string_new("");
  for (guint i = 0; i < 70; i++)
    g_string_append_printf(extra, ",'k%u':%u", i, i);
  g_autofree char *doc = g_strdup_printf("{'employees':[{'id':'e1'%s}]}", extra->str);
  g_autofree char *json = json_test_tojson(doc, -1);
  g_assert_false(splits(json, strlen(json)));
  g_autofree char *problems = assert_same_reading(json, strlen(json));
  g_assert_nonnull(strstr(problems, "employees/0/k69"));
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = g_strdup_printf("/json/split/%s", cases[i].name);
    g_test_add_data_func(path, &cases[i], test_case);
  }
  g_test_add_func("/json/split/many-keys", test_many_keys);
  static const guint32 seeds[] = {1, 2, 3, 42, 20200316};
  TEST_ADD_SEEDS("/json/split/random/", seeds, test_random);
  return g_test_run();
}
