/* test-gzip.c: the gzip content coding of response bodies (api/gzip.h): which
 * Accept-Encoding values ask for gzip (RFC 9110's list with weights, one table row per
 * rule), which bodies are worth compressing, and that a compressed body inflates to
 * the very bytes it came from, whether it compresses well or not at all.
 */
#include <string.h>

#include "gzip.h"
#include "http-client.h"
#include "../test-table.h"

typedef struct {
  const char *name;
  const char *header; /* NULL: no Accept-Encoding */
  gboolean accepted;
} AcceptCase;

static const AcceptCase accept_cases[] = {
    {"absent", NULL, FALSE},
    {"empty", "", FALSE},
    {"gzip", "gzip", TRUE},
    {"browser", "gzip, deflate, br", TRUE},
    {"case", "GZip", TRUE},
    {"x-gzip", "x-gzip", TRUE},
    {"others-only", "deflate, br", FALSE},
    {"identity", "identity", FALSE},
    {"star", "*", TRUE},
    {"star-zero", "*;q=0", FALSE},
    {"weight", "gzip;q=0.5", TRUE},
    {"weight-spaces", "br ; q=1, gzip ; q=0.001", TRUE},
    {"weight-upper", "gzip;Q=1.000", TRUE},
    {"weight-zero", "gzip;q=0", FALSE},
    {"weight-zero-decimals", "gzip;q=0.000", FALSE},
    {"zero-beats-star", "gzip;q=0, *", FALSE},
    {"star-then-gzip-zero", "*;q=1, gzip;q=0", FALSE},
    {"named-twice", "gzip;q=0, gzip;q=1", TRUE},
    {"weight-over-one", "gzip;q=1.5", FALSE},
    {"weight-four-decimals", "gzip;q=0.5000", FALSE},
    {"weight-not-number", "gzip;q=high", FALSE},
    {"weight-empty", "gzip;q=", FALSE},
    {"other-parameter", "gzip;level=9", TRUE},
    {"prefix-only", "gzipped", FALSE},
    {"commas", ",, gzip ,", TRUE},
};

static void test_accepted(gconstpointer data) {
  const AcceptCase *c = data;
  g_assert_cmpint(api_gzip_accepted(c->header), ==, c->accepted);
}

static void test_worth(void) {
  g_assert_true(api_gzip_worth(NULL, API_GZIP_MIN_BYTES));
  g_assert_false(api_gzip_worth(NULL, API_GZIP_MIN_BYTES - 1));
  g_assert_true(api_gzip_worth("application/json", 5000));
  g_assert_true(api_gzip_worth("application/json; charset=utf-8", 5000));
  g_assert_true(api_gzip_worth("text/html; charset=utf-8", 5000));
  g_assert_true(api_gzip_worth("text/csv", 5000));
  g_assert_true(api_gzip_worth("text/calendar", 5000));
  g_assert_true(api_gzip_worth("application/javascript", 5000));
  g_assert_true(api_gzip_worth("image/svg+xml", 5000));
  g_assert_true(api_gzip_worth("application/yaml", 5000));
  g_assert_false(api_gzip_worth("image/png", 5000));
  g_assert_false(api_gzip_worth("application/jsonx", 5000));
  g_assert_false(api_gzip_worth("application/octet-stream", 5000));
}

static void assert_round_trip(GBytes *body) {
  g_autoptr(GBytes) coded = api_gzip(body);
  const guint8 *head = g_bytes_get_data(coded, NULL);
  g_assert_cmpuint(g_bytes_get_size(coded), >=, 18); /* header and trailer */
  g_assert_cmpuint(head[0], ==, 0x1f);
  g_assert_cmpuint(head[1], ==, 0x8b);
  g_autoptr(GBytes) back = http_inflate_gzip(head, g_bytes_get_size(coded));
  g_assert_true(g_bytes_equal(back, body));
}

static void test_round_trip(void) {
  /* Text like a page of proposals: it shrinks well. */
  g_autoptr(GString) text = g_string_new("{\"items\":[");
  for (guint i = 0; i < 500; i++)
    g_string_append_printf(text, "%s{\"id\":\"p-%05u\",\"status\":\"proposed\",\"travel_m\":%u}",
                           i > 0 ? "," : "", i, i * 37 % 9000);
  g_string_append(text, "]}");
  g_autoptr(GBytes) page = g_bytes_new(text->str, text->len);
  assert_round_trip(page);
  g_autoptr(GBytes) coded = api_gzip(page);
  g_assert_cmpuint(g_bytes_get_size(coded) * 4, <, g_bytes_get_size(page));
  /* Bytes that do not compress: the output passes its first guess of the size. */
  GRand *rand = g_rand_new_with_seed(7);
  guint8 *noise = g_malloc(100000);
  for (guint i = 0; i < 100000; i++)
    noise[i] = (guint8)g_rand_int_range(rand, 0, 256);
  g_rand_free(rand);
  g_autoptr(GBytes) random = g_bytes_new_take(noise, 100000);
  assert_round_trip(random);
  g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
  assert_round_trip(empty);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, NULL);
  TEST_ADD_TABLE("/http/gzip/accepted", accept_cases, name, test_accepted);
  g_test_add_func("/http/gzip/worth", test_worth);
  g_test_add_func("/http/gzip/round-trip", test_round_trip);
  return g_test_run();
}
