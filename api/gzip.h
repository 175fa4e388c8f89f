/* gzip.h: gzip content coding of response bodies (RFC 9110, Accept-Encoding and
 * Content-Encoding).  A JSON page of 100 proposals is 42 KB and 4 KB compressed; every
 * browser, and the web pages' own requests, ask for gzip.  Compression uses GIO's zlib
 * converter at its fastest level: a page takes well under a tenth of a millisecond,
 * and the response cache keeps the compressed body next to the plain one.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bodies smaller than this are sent as they are: the header and the coding would eat
 * what compression saves. */
#define API_GZIP_MIN_BYTES 1024

/* Whether an Accept-Encoding header value asks for gzip (or x-gzip) with a weight
 * above 0, or for "*" above 0 without naming gzip; NULL (no header): FALSE, and a
 * coding whose weight does not parse counts as refused. */
gboolean api_gzip_accepted(const char *accept_encoding);

/* Whether a body of `content_type` (NULL: JSON) and `length` bytes is worth
 * compressing: text of any kind (JSON, HTML, CSS, JavaScript, SVG, YAML, calendars,
 * CSV) of at least API_GZIP_MIN_BYTES. */
gboolean api_gzip_worth(const char *content_type, gsize length);

/* `body` in gzip coding (transfer full). */
GBytes *api_gzip(GBytes *body);

G_END_DECLS
