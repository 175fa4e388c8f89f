/* test-dimacs.c: tests of the DIMACS min-cost-flow reader and writers (engine/dimacs.c).
 *
 * Malformed input comes from a static table with the exact line number and message
 * each file must produce; well-formed input must survive a parse/format round trip
 * byte for byte.
 */
#include "mcf.h"

#include <glib.h>
#include <string.h>
#include "../test-table.h"

typedef struct {
  const char *name;
  const char *text;
  gsize length; /* 0: strlen(text) */
  const char *message;
} BadFile;

#define INF_TEXT "2305843009213693951"
#define COST_RANGE "from -1099511627776 to 1099511627776"

static const BadFile bad_files[] = {
    {"empty", "", 0, "line 1: end of input without a problem line, expected 'p min NODES ARCS'"},
    {"comments-only", "c one\nc two\n", 0,
     "line 2: end of input without a problem line, expected 'p min NODES ARCS'"},
    {"arc-before-p", "c x\na 1 2 0 1 1\np min 2 1\n", 0,
     "line 2: arc line before the problem line, expected 'p min NODES ARCS' first"},
    {"node-before-p", "n 1 5\np min 2 0\n", 0,
     "line 1: node line before the problem line, expected 'p min NODES ARCS' first"},
    {"duplicate-p", "p min 2 0\n\np min 2 0\n", 0,
     "line 3: second problem line, expected exactly one 'p min NODES ARCS' line (the first is "
     "on line 1)"},
    {"p-max", "p max 2 0\n", 0, "line 1: problem type 'max', expected 'p min NODES ARCS'"},
    {"p-bare", "p\n", 0, "line 1: problem type '', expected 'p min NODES ARCS'"},
    {"p-missing-arcs", "p min 2\n", 0, "line 1: missing arc count, expected 'p min NODES ARCS'"},
    {"p-negative-nodes", "p min -2 0\n", 0,
     "line 1: node count '-2' is out of range, expected an integer from 0 to 16777216"},
    {"p-too-many-nodes", "p min 16777217 0\n", 0,
     "line 1: node count '16777217' is out of range, expected an integer from 0 to 16777216"},
    {"p-huge-arcs", "p min 2 99999999999999999999\n", 0,
     "line 1: arc count '99999999999999999999' is out of range, expected an integer from 0 to "
     "268435456"},
    {"p-non-integer", "p min 2x 0\n", 0,
     "line 1: node count '2x' is not an integer, expected an integer from 0 to 16777216"},
    {"p-plus-sign", "p min +2 0\n", 0,
     "line 1: node count '+2' is not an integer, expected an integer from 0 to 16777216"},
    {"p-trailing", "p min 2 0 extra\n", 0,
     "line 1: unexpected 'extra' after the problem line, expected the end of the line"},
    {"unknown-type", "p min 2 0\nx 1 2\n", 0,
     "line 2: unknown line type 'x', expected 'c', 'p', 'n' or 'a'"},
    {"unknown-long-type", "p min 2 0\nabcdefghijklmnopqrstuvwxyz0123 1\n", 0,
     "line 2: unknown line type 'abcdefghijklmnopqrstuvwx...', expected 'c', 'p', 'n' or 'a'"},
    {"comment-glued", "comment\np min 1 0\n", 0,
     "line 1: unknown line type 'comment', expected 'c', 'p', 'n' or 'a'"},
    {"node-id-zero", "p min 2 0\nn 0 1\n", 0,
     "line 2: node id '0' is out of range, expected an integer from 1 to 2"},
    {"node-id-high", "p min 2 0\nn 3 1\n", 0,
     "line 2: node id '3' is out of range, expected an integer from 1 to 2"},
    {"node-duplicate", "p min 2 0\nn 1 1\nn 1 -1\n", 0,
     "line 3: node 1 already has a supply, expected one 'n' line per node"},
    {"node-supply-float", "p min 2 0\nn 1 1.5\n", 0,
     "line 2: node supply '1.5' is not an integer, expected an integer from -" INF_TEXT
     " to " INF_TEXT},
    {"node-supply-range", "p min 2 0\nn 1 -2305843009213693952\n", 0,
     "line 2: node supply '-2305843009213693952' is out of range, expected an integer from "
     "-" INF_TEXT " to " INF_TEXT},
    {"node-missing-supply", "p min 2 0\nn 1\n", 0,
     "line 2: missing node supply, expected 'n ID SUPPLY'"},
    {"node-trailing", "p min 2 0\nn 1 4 4\n", 0,
     "line 2: unexpected '4' after the node supply, expected the end of the line"},
    {"node-nul-byte", "p min 2 0\nn 1 \0\n", 16,
     "line 2: node supply '?' is not an integer, expected an integer from -" INF_TEXT
     " to " INF_TEXT},
    {"arc-source-range", "p min 2 1\na 3 1 0 1 1\n", 0,
     "line 2: source node '3' is out of range, expected an integer from 1 to 2"},
    {"arc-target-range", "p min 2 1\na 1 0 0 1 1\n", 0,
     "line 2: target node '0' is out of range, expected an integer from 1 to 2"},
    {"arc-low-gt-cap", "p min 2 1\na 1 2 5 3 1\n", 0,
     "line 2: lower bound 5 exceeds capacity 3, expected LOW <= CAP"},
    {"arc-negative-low", "p min 2 1\na 1 2 -1 3 1\n", 0,
     "line 2: lower bound '-1' is out of range, expected an integer from 0 to " INF_TEXT},
    {"arc-negative-cap", "p min 2 1\na 1 2 0 -1 1\n", 0,
     "line 2: capacity '-1' is out of range, expected an integer from 0 to 9223372036854775807"},
    {"arc-cap-overflow", "p min 2 1\na 1 2 0 9223372036854775808 1\n", 0,
     "line 2: capacity '9223372036854775808' is out of range, expected an integer from 0 to "
     "9223372036854775807"},
    {"arc-cost-range", "p min 2 1\na 1 2 0 1 1099511627777\n", 0,
     "line 2: cost '1099511627777' is out of range, expected an integer " COST_RANGE},
    {"arc-cost-non-integer", "p min 2 1\na 1 2 0 1 x\n", 0,
     "line 2: cost 'x' is not an integer, expected an integer " COST_RANGE},
    {"arc-cost-minus", "p min 2 1\na 1 2 0 1 -\n", 0,
     "line 2: cost '-' is not an integer, expected an integer " COST_RANGE},
    {"arc-missing-cost", "p min 2 1\na 1 2 0 1\n", 0,
     "line 2: missing cost, expected 'a SRC DST LOW CAP COST'"},
    {"arc-trailing", "p min 2 1\na 1 2 0 1 1 junk\n", 0,
     "line 2: unexpected 'junk' after the arc, expected the end of the line"},
    {"too-few-arcs", "p min 2 3\nc\na 1 2 0 1 1\n", 0,
     "line 3: end of input after 1 of the 3 arcs declared on line 1, expected one 'a' line per "
     "arc"},
    {"too-few-arcs-no-newline", "p min 2 3", 0,
     "line 1: end of input after 0 of the 3 arcs declared on line 1, expected one 'a' line per "
     "arc"},
    {"too-many-arcs", "p min 2 1\na 1 2 0 1 1\na 2 1 0 1 1\n", 0,
     "line 3: too many arcs, expected 1 as declared on line 1"},
    {"crlf-error-line", "p min 2 1\r\n\r\na 1 2 0 1 1 x\r\n", 0,
     "line 3: unexpected 'x' after the arc, expected the end of the line"},
};

static void test_bad_file(gconstpointer data) {
  const BadFile *bad = data;
  gsize length = bad->length != 0 ? bad->length : strlen(bad->text);
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(bad->text, length, &error);
  g_assert_null(mcf);
  g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE);
  g_assert_cmpstr(error->message, ==, bad->message);
}

/* Well-formed files whose numbers are each in range but together exceed what the
 * solver can represent: refused by the reader, never passed to the solver. */
static void test_out_of_range(void) {
  static const char *const files[] = {
      /* A lower bound of exactly INF moves INF units of supply. */
      "p min 8 1\na 3 1 " INF_TEXT " 9109951162777722337 1\n",
      /* Two large lower bounds into one node overflow its supply. */
      "p min 3 2\na 1 2 " INF_TEXT " " INF_TEXT " 0\na 3 2 " INF_TEXT " " INF_TEXT " 0\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
    g_autoptr(GError) error = NULL;
    g_autoptr(EngineMcf) mcf = engine_dimacs_parse(files[i], strlen(files[i]), &error);
    g_assert_null(mcf);
    g_assert_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID);
    g_assert_true(g_str_has_prefix(error->message, "the supplies and lower bounds are too large"));
  }
  /* Just inside the range: accepted and solvable. */
  const char *ok = "p min 2 1\nn 1 1000\nn 2 -1000\na 1 2 1000 2000 3\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(ok, strlen(ok), &error);
  g_assert_no_error(error);
  g_assert_true(engine_mcf_in_range(mcf));
}

static const char sample[] = "c a sample\n"
                             "c\n"
                             "c with every feature\n"
                             "p min 4 6\n"
                             "n 1 7\n"
                             "n 4 -7\n"
                             "a 1 2 0 5 -3\n"
                             "a 1 2 2 " INF_TEXT " 4\n"
                             "a 2 4 0 10 1\n"
                             "a 3 3 0 2 -1\n"
                             "a 1 3 1 1 0\n"
                             "a 3 4 0 0 1099511627776\n";

static void test_round_trip(void) {
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(sample, strlen(sample), &error);
  g_assert_no_error(error);
  g_assert_cmpuint(engine_mcf_n_nodes(mcf), ==, 4);
  g_assert_cmpuint(engine_mcf_n_arcs(mcf), ==, 6);
  g_assert_cmpint(engine_mcf_supply(mcf, 0), ==, 7);
  g_assert_cmpint(engine_mcf_supply(mcf, 1), ==, 0);
  g_assert_cmpuint(engine_mcf_arc_source(mcf, 3), ==, 2);
  g_assert_cmpuint(engine_mcf_arc_target(mcf, 3), ==, 2);
  g_assert_cmpint(engine_mcf_arc_lower(mcf, 1), ==, 2);
  g_assert_cmpint(engine_mcf_arc_capacity(mcf, 1), ==, ENGINE_MCF_INF);
  g_assert_cmpint(engine_mcf_arc_cost(mcf, 0), ==, -3);

  g_autofree char *text = engine_dimacs_format(mcf, "a sample\n\nwith every feature");
  g_assert_cmpstr(text, ==, sample);

  /* The unit forced over 1->3 cannot leave node 3 (its exit has capacity 0). */
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_INFEASIBLE);
}

static void test_solution(void) {
  static const char text[] = "c no supplies at the start of node lines\r\n"
                             "p min 3 4\r\n"
                             "n 1 4\r\n"
                             "   n 3 -4\r\n"
                             "a 1 2 0 3 1\r\n"
                             "a 2 3 0 9223372036854775807 1\r\n"
                             "a 1 3 0 10 5\r\n"
                             "a 3 3 0 2 -1\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(EngineMcf) mcf = engine_dimacs_parse(text, strlen(text), &error);
  g_assert_no_error(error);
  g_assert_cmpint(engine_mcf_arc_capacity(mcf, 1), ==, ENGINE_MCF_INF);
  g_assert_cmpint(engine_mcf_solve(mcf), ==, ENGINE_MCF_OPTIMAL);
  g_autofree char *full = engine_dimacs_format_solution(mcf, TRUE);
  g_assert_cmpstr(full, ==, "s 9\nf 1 2 3\nf 2 3 3\nf 1 3 1\nf 3 3 2\n");
  g_autofree char *cost_only = engine_dimacs_format_solution(mcf, FALSE);
  g_assert_cmpstr(cost_only, ==, "s 9\n");

  g_autofree char *again = engine_dimacs_format(mcf, NULL);
  g_assert_cmpstr(again, ==,
                  "p min 3 4\nn 1 4\nn 3 -4\na 1 2 0 3 1\na 2 3 0 " INF_TEXT " 1\n"
                  "a 1 3 0 10 5\na 3 3 0 2 -1\n");
}

static void test_round_trip_file(void) {
  const char *data = g_getenv("HANDEN_TEST_DATA");
  g_assert_nonnull(data);
  g_autofree char *path = g_build_filename(data, "dimacs", "netgen_8_08a.min", NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_get_contents(path, &text, &length, &error));
  g_autoptr(EngineMcf) first = engine_dimacs_parse(text, length, &error);
  g_assert_no_error(error);
  g_assert_cmpuint(engine_mcf_n_nodes(first), ==, 256);
  g_assert_cmpuint(engine_mcf_n_arcs(first), ==, 2048);
  g_autofree char *once = engine_dimacs_format(first, "copy");
  g_autoptr(EngineMcf) second = engine_dimacs_parse(once, strlen(once), &error);
  g_assert_no_error(error);
  g_autofree char *twice = engine_dimacs_format(second, "copy");
  g_assert_cmpstr(once, ==, twice);
  g_assert_true(g_str_has_prefix(once, "c copy\np min 256 2048\n"));
}

static void test_quark(void) {
  g_assert_cmpstr(g_quark_to_string(ENGINE_ERROR), ==, "engine-error-quark");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_TABLE("/engine/dimacs/invalid", bad_files, name, test_bad_file);
  g_test_add_func("/engine/dimacs/out-of-range", test_out_of_range);
  g_test_add_func("/engine/dimacs/round-trip", test_round_trip);
  g_test_add_func("/engine/dimacs/round-trip-file", test_round_trip_file);
  g_test_add_func("/engine/dimacs/solution", test_solution);
  g_test_add_func("/engine/dimacs/quark", test_quark);
  return g_test_run();
}
