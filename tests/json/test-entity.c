/* test-entity.c: decoding one request or one employee against a context dataset, as
 * the HTTP API does with a body.  The property that matters is sameness with an import:
 * every row decodes the object both ways, inside a dataset document and on its own,
 * and the problems must be the same, pointers made relative to the object.  A failed
 * decode leaves the context as it was; a valid one appends exactly the import's entity.
 */
#include "dataset-json.h"
#include "entity-codec.h"
#include "json-test.h"

#include <string.h>
#include "../test-table.h"

/* The context: what an entity may refer to, ' standing for ". */
#define CONTEXT                                                                                    \
  "'districts':[{'id':'d1','name':'Stad','lat':52.3796,'lon':5.2167}],"                            \
  "'schools':[{'id':'s1','brin':'24EJ00','name':'Al Iman','district':'d1','lat':52.36,"            \
  "'lon':5.2}],'organisations':[{'id':'o1','name':'De Boerderij'}]"
#define SLOT "{'date':'2020-04-14','part':'morning'}"

typedef struct {
  const char *name;    /* test path below /json/entity/ */
  const char *key;     /* "requests" or "employees" */
  const char *object;  /* the entity, ' standing for " */
  const char *problem; /* the first problem as "pointer: message" relative to the object,
                          ' standing for "; NULL when the entity is valid */
} EntityCase;

static const EntityCase cases[] = {
    {"request/valid", "requests", "{'id':'r1','school':'s1','staff_needed':2,'slots':[" SLOT "]}",
     NULL},
    {"request/valid-pattern", "requests",
     "{'id':'r1','school':'s1','children_expected':24,'own_staff':1,'priority':'high',"
     "'slots':[{'from':'2020-04-13','to':'2020-04-24','weekdays':['mon','thu'],"
     "'parts':['morning','afternoon']}],'note':'Groep 3\\nen 4'}",
     NULL},
    {"request/bad-date", "requests",
     "{'id':'r1','school':'s1','staff_needed':2,'slots':[{'date':'2020-02-30','part':'morning'}]}",
     "slots/0/date: '2020-02-30' is not a valid date (expected YYYY-MM-DD)"},
    {"request/unknown-school", "requests",
     "{'id':'r1','school':'s9','staff_needed':2,'slots':[" SLOT "]}",
     "school: no school with id 's9'"},
    {"request/no-echo", "requests",
     "{'id':'r1','school':'s1','staff_needed':'2','slots':[" SLOT "]}",
     "staff_needed: found '2' (expected an integer)"},
    {"request/unknown-key", "requests",
     "{'id':'r1','school':'s1','staff_needed':2,'colour':1,'slots':[" SLOT "]}",
     "colour: unknown key (expected one of id, school, slots, staff_needed, children_expected, "
     "own_staff, required, preferred, priority, max_travel_km, note, status)"},
    {"request/repeated-tag", "requests",
     "{'id':'r1','school':'s1','staff_needed':2,'required':['pm','pm'],'slots':[" SLOT "]}",
     "required/1: repeated 'pm' (first at requests/0/required/0)"},
    {"request/not-object", "requests", "[]", ": found an array (expected an object)"},
    {"employee/null", "employees", "null", ": found null (expected an object)"},
    {"employee/valid", "employees",
     "{'id':'e1','organisation':'o1','name':'Sanne','district':'d1','qualifications':['vog'],"
     "'availability':[" SLOT "],'lat':52.3,'lon':5.2,'confirmed':'2020-04-01'}",
     NULL},
    {"employee/unknown-organisation", "employees",
     "{'id':'e1','organisation':'o9','name':'Sanne','district':'d1'}",
     "organisation: no organisation with id 'o9'"},
    {"employee/bad-availability", "employees",
     "{'id':'e1','organisation':'o1','name':'Sanne','district':'d1',"
     "'availability':[{'date':'2020-04-14','part':'noon'}]}",
     "availability/0/part: 'noon' is not a day part (expected morning or afternoon)"},
    {"employee/missing-name", "employees", "{'id':'e1','organisation':'o1','district':'d1'}",
     "name: missing (expected a name)"},
};

/* The JSON text of `object`, which it releases (transfer full). */
static char *to_text(json_object *object) {
  char *text = g_strdup(json_object_to_json_string(object));
  json_object_put(object);
  return text;
}

static ModelDataset *decode_context(void) {
  g_autofree char *json = json_test_tojson("{" CONTEXT "}", -1);
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelDataset *context = model_json_decode_dataset(json, strlen(json), problems);
  g_assert_cmpuint(problems->len, ==, 0);
  g_assert_nonnull(context);
  return context;
}

/* The import's problems for the object, prefix "KEY/0" cut (transfer full). */
static char *import_problems(const EntityCase *c, ModelDataset **out_dataset) {
  g_autofree char *text = g_strdup_printf("{" CONTEXT ",'%s':[%s]}", c->key, c->object);
  g_autofree char *json = json_test_tojson(text, -1);
  g_autoptr(GPtrArray) problems = model_problems_new();
  *out_dataset = model_json_decode_dataset(json, strlen(json), problems);
  g_autofree char *prefix = g_strdup_printf("%s/0", c->key);
  GString *all = g_string_new(NULL);
  for (guint i = 0; i < problems->len; i++) {
    const ModelProblem *problem = g_ptr_array_index(problems, i);
    g_assert_true(g_str_has_prefix(problem->pointer, prefix));
    const char *rest = problem->pointer + strlen(prefix);
    g_string_append_printf(all, "%s%s: %s", i > 0 ? "\n" : "", rest[0] == '/' ? rest + 1 : rest,
                           problem->message);
  }
  return g_string_free(all, FALSE);
}

static void test_entity(gconstpointer data) {
  const EntityCase *c = data;
  g_autoptr(ModelDataset) imported = NULL;
  g_autofree char *expected = import_problems(c, &imported);

  g_autoptr(ModelDataset) context = decode_context();
  g_autofree char *json = json_test_tojson(c->object, -1);
  json_object *object = json_tokener_parse(json); /* NULL for null */
  g_autoptr(GPtrArray) problems = model_problems_new();
  gboolean is_request = strcmp(c->key, "requests") == 0;
  g_autofree char *decoded = NULL;
  if (is_request) {
    ModelRequest *request = model_json_decode_request(context, object, problems);
    if (request != NULL)
      decoded = to_text(model_json_encode_request(request));
  } else {
    ModelEmployee *employee = model_json_decode_employee(context, object, problems);
    if (employee != NULL)
      decoded = to_text(model_json_encode_employee(employee));
  }
  json_object_put(object);
  g_autofree char *found = model_problems_to_string(problems);
  g_assert_cmpstr(found, ==, expected);
  GArray *array = is_request ? context->requests : context->employees;

  if (c->problem == NULL) {
    /* Appended, indexed, and the very entity an import makes. */
    g_assert_nonnull(imported);
    g_assert_nonnull(decoded);
    g_assert_cmpuint(array->len, ==, 1);
    g_autofree char *reference = to_text(
        is_request
            ? model_json_encode_request(&g_array_index(imported->requests, ModelRequest, 0))
            : model_json_encode_employee(&g_array_index(imported->employees, ModelEmployee, 0)));
    g_assert_cmpstr(decoded, ==, reference);
    g_assert_cmpint(is_request ? model_dataset_find_request(context, "r1")
                               : model_dataset_find_employee(context, "e1"),
                    ==, 0);
    return;
  }
  /* Refused with the import's problems, the first one as the row says, and the
   * context left as it was. */
  g_assert_null(imported);
  g_assert_null(decoded);
  g_autofree char *first = json_test_tojson(c->problem, -1);
  if (!g_str_has_prefix(found, first))
    g_test_message("problems:\n%s", found);
  g_assert_true(g_str_has_prefix(found, first));
  g_assert_cmpuint(array->len, ==, 0);
  g_assert_cmpint(model_dataset_find_request(context, "r1"), ==, -1);
  g_assert_cmpint(model_dataset_find_employee(context, "e1"), ==, -1);
  g_assert_cmpint(model_dataset_find_school(context, "s1"), ==, 0);
}

/* A second entity is checked against the first: the duplicate id is refused. */
static void test_duplicate(void) {
  g_autoptr(ModelDataset) context = decode_context();
  g_autofree char *json =
      json_test_tojson("{'id':'r1','school':'s1','staff_needed':1,'slots':[" SLOT "]}", -1);
  json_object *object = json_tokener_parse(json);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_nonnull(model_json_decode_request(context, object, problems));
  g_assert_null(model_json_decode_request(context, object, problems));
  json_object_put(object);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, "id: duplicate id \"r1\" (first at requests/0)");
  g_assert_cmpuint(context->requests->len, ==, 1);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_TABLE("/json/entity", cases, name, test_entity);
  g_test_add_func("/json/entity/duplicate-id", test_duplicate);
  return g_test_run();
}
