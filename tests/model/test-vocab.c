/* test-vocab.c: qualification tags, enumerations, identifier validators and the error
 * domain.  Valid and invalid inputs are static tables, one test per row.
 */
#include "model.h"

static void test_quals(void) {
  static const char *const tags[MODEL_N_QUALS] = {"vog", "pm",        "bso",
                                                  "kdv", "first-aid", "special-needs"};
  GString *joined = g_string_new(NULL);
  for (int q = 0; q < MODEL_N_QUALS; q++) {
    ModelQual out = MODEL_N_QUALS;
    g_assert_cmpstr(model_qual_name((ModelQual)q), ==, tags[q]);
    g_assert_true(model_qual_parse(tags[q], &out));
    g_assert_cmpint(out, ==, q);
    g_string_append_printf(joined, "%s%s", q > 0 ? ", " : "", tags[q]);
  }
  g_assert_cmpstr(model_qual_vocabulary(), ==, "vog, pm, bso, kdv, first-aid, special-needs");
  g_assert_cmpstr(model_qual_vocabulary(), ==, joined->str);
  g_string_free(joined, TRUE);
  ModelQual out = MODEL_QUAL_PM;
  g_assert_false(model_qual_parse("ehbo", &out));
  g_assert_false(model_qual_parse("VOG", &out));
  g_assert_false(model_qual_parse("", &out));
  g_assert_false(model_qual_parse(NULL, &out));
  g_assert_cmpint(out, ==, MODEL_QUAL_PM);
  g_assert_cmpuint(MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID), ==, 16);
}

static void test_enums(void) {
  ModelSchoolType type = MODEL_SCHOOL_PO;
  g_assert_cmpstr(model_school_type_name(MODEL_SCHOOL_SO), ==, "so");
  g_assert_true(model_school_type_parse("vo", &type));
  g_assert_cmpint(type, ==, MODEL_SCHOOL_VO);
  g_assert_false(model_school_type_parse("mbo", &type));
  g_assert_cmpint(type, ==, MODEL_SCHOOL_VO);

  ModelPriority priority = MODEL_PRIORITY_NORMAL;
  g_assert_cmpstr(model_priority_name(MODEL_PRIORITY_HIGH), ==, "high");
  g_assert_true(model_priority_parse("high", &priority));
  g_assert_cmpint(priority, ==, MODEL_PRIORITY_HIGH);
  g_assert_false(model_priority_parse("urgent", &priority));
  g_assert_false(model_priority_parse(NULL, &priority));

  ModelRequestStatus rs = MODEL_REQUEST_OPEN;
  g_assert_cmpstr(model_request_status_name(MODEL_REQUEST_OPEN), ==, "open");
  g_assert_true(model_request_status_parse("cancelled", &rs));
  g_assert_cmpint(rs, ==, MODEL_REQUEST_CANCELLED);
  g_assert_false(model_request_status_parse("closed", &rs));

  static const char *const statuses[] = {"proposed", "approved", "rejected", "cancelled"};
  for (int i = 0; i < 4; i++) {
    ModelAssignmentStatus as = MODEL_ASSIGNMENT_PROPOSED;
    g_assert_cmpstr(model_assignment_status_name((ModelAssignmentStatus)i), ==, statuses[i]);
    g_assert_true(model_assignment_status_parse(statuses[i], &as));
    g_assert_cmpint(as, ==, i);
  }
  ModelAssignmentStatus as = MODEL_ASSIGNMENT_REJECTED;
  g_assert_false(model_assignment_status_parse("open", &as));
  g_assert_cmpint(as, ==, MODEL_ASSIGNMENT_REJECTED);
}

/* The one role vocabulary of tokens and the API; parse leaves *out alone on failure. */
static void test_roles(void) {
  static const char *const names[MODEL_N_ROLES] = {"coordinator", "school", "organisation"};
  for (int i = 0; i < MODEL_N_ROLES; i++) {
    ModelRole role = MODEL_ROLE_ORGANISATION;
    g_assert_cmpstr(model_role_name((ModelRole)i), ==, names[i]);
    g_assert_true(model_role_parse(names[i], &role));
    g_assert_cmpint(role, ==, i);
  }
  ModelRole untouched = MODEL_ROLE_SCHOOL;
  g_assert_false(model_role_parse("admin", &untouched));
  g_assert_false(model_role_parse("School", &untouched));
  g_assert_false(model_role_parse("", &untouched));
  g_assert_false(model_role_parse(NULL, &untouched));
  g_assert_cmpint(untouched, ==, MODEL_ROLE_SCHOOL);
}

typedef struct {
  gboolean (*valid)(const char *);
  const char *text;
  gboolean expected;
} FormatCase;

static const FormatCase format_cases[] = {
    {model_id_is_valid, "r-1", TRUE},
    {model_id_is_valid, "A.z_0:9-", TRUE},
    {model_id_is_valid, "x", TRUE},
    {model_id_is_valid, "0123456789012345678901234567890123456789012345678901234567890123", TRUE},
    {model_id_is_valid, "01234567890123456789012345678901234567890123456789012345678901234", FALSE},
    {model_id_is_valid, "", FALSE},
    {model_id_is_valid, "r 1", FALSE},
    {model_id_is_valid, "r/1", FALSE},
    {model_id_is_valid, "café", FALSE},
    {model_id_is_valid, NULL, FALSE},
    {model_brin_is_valid, "07NU", TRUE},
    {model_brin_is_valid, "07NU00", TRUE},
    {model_brin_is_valid, "24EJ01", TRUE},
    {model_brin_is_valid, "7NU", FALSE},
    {model_brin_is_valid, "07nu", FALSE},
    {model_brin_is_valid, "07NU0", FALSE},
    {model_brin_is_valid, "07NU000", FALSE},
    {model_brin_is_valid, "07N1", FALSE},
    {model_brin_is_valid, "0ANU", FALSE},
    {model_brin_is_valid, "07NUAB", FALSE},
    {model_brin_is_valid, NULL, FALSE},
    {model_lrk_is_valid, "205592041", TRUE},
    {model_lrk_is_valid, "20559204", FALSE},
    {model_lrk_is_valid, "2055920411", FALSE},
    {model_lrk_is_valid, "20559204a", FALSE},
    {model_lrk_is_valid, "", FALSE},
    {model_lrk_is_valid, NULL, FALSE},
    {model_postcode_is_valid, "1324 HA", TRUE},
    {model_postcode_is_valid, "1324HA", TRUE},
    {model_postcode_is_valid, "1324", TRUE},
    {model_postcode_is_valid, "1324 ha", FALSE},
    {model_postcode_is_valid, "1324  HA", FALSE},
    {model_postcode_is_valid, "1324 H", FALSE},
    {model_postcode_is_valid, "132 HA", FALSE},
    {model_postcode_is_valid, "12345", FALSE},
    {model_postcode_is_valid, "1324 HAB", FALSE},
    {model_postcode_is_valid, "", FALSE},
    {model_postcode_is_valid, NULL, FALSE},
};

static void test_format(gconstpointer data) {
  const FormatCase *c = data;
  g_assert_cmpint(c->valid(c->text), ==, c->expected);
}

static void test_error_quark(void) {
  g_assert_cmpstr(g_quark_to_string(MODEL_ERROR), ==, "model-error-quark");
  g_autoptr(GError) error = g_error_new(MODEL_ERROR, MODEL_ERROR_NOT_FOUND, "no school");
  g_assert_error(error, MODEL_ERROR, MODEL_ERROR_NOT_FOUND);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/model/vocab/quals", test_quals);
  g_test_add_func("/model/vocab/enums", test_enums);
  g_test_add_func("/model/vocab/roles", test_roles);
  for (guint i = 0; i < G_N_ELEMENTS(format_cases); i++) {
    g_autofree char *path = g_strdup_printf("/model/vocab/format/%u", i);
    g_test_add_data_func(path, &format_cases[i], test_format);
  }
  g_test_add_func("/model/vocab/error-quark", test_error_quark);
  return g_test_run();
}
