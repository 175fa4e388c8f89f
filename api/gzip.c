/* gzip.c: gzip content coding of response bodies (see gzip.h).  The Accept-Encoding
 * parser follows RFC 9110 section 12.5.3: a list of codings, each with an optional
 * weight "q=" from 0 to 1 with at most three decimals; codings compare without regard
 * to case; a weight that does not parse refuses the coding, other parameters are
 * ignored.
 */
#include <gio/gio.h>
#include <string.h>

#include "gzip.h"

/* The weight of one list element's parameters (`params` after the coding, up to
 * `end`): 1000 without a q parameter, the q value in thousandths, or -1 when
 * malformed. */
static gint weight(const char *params, const char *end) {
  gint q = 1000;
  while (params < end) {
    while (params < end && (*params == ' ' || *params == '\t'))
      params++;
    if (params == end)
      break;
    if (*params != ';')
      return -1;
    params++;
    while (params < end && (*params == ' ' || *params == '\t'))
      params++;
    const char *next = params;
    while (next < end && *next != ';')
      next++;
    const char *stop = next;
    while (stop > params && (stop[-1] == ' ' || stop[-1] == '\t'))
      stop--;
    gsize n = (gsize)(stop - params);
    if (n >= 2 && g_ascii_tolower(params[0]) == 'q' && params[1] == '=') {
      const char *v = params + 2;
      gsize len = n - 2;
      if (len == 0 || (v[0] != '0' && v[0] != '1') || (len > 1 && v[1] != '.') || len > 5)
        return -1;
      gint value = (v[0] - '0') * 1000;
      for (gsize i = 2, scale = 100; i < len; i++, scale /= 10) {
        if (!g_ascii_isdigit(v[i]))
          return -1;
        value += (v[i] - '0') * (gint)scale;
      }
      if (value > 1000)
        return -1;
      q = value;
    }
    params = next;
  }
  return q;
}

gboolean api_gzip_accepted(const char *accept_encoding) {
  if (accept_encoding == NULL)
    return FALSE;
  gint gzip = -2, any = -2; /* -2: not named */
  const char *p = accept_encoding;
  while (*p != '\0') {
    const char *comma = strchr(p, ',');
    const char *end = comma != NULL ? comma : p + strlen(p);
    while (p < end && (*p == ' ' || *p == '\t'))
      p++;
    const char *name = p;
    while (p < end && *p != ';' && *p != ' ' && *p != '\t')
      p++;
    gsize n = (gsize)(p - name);
    gint q = n > 0 ? weight(p, end) : -1;
    if ((n == 4 && g_ascii_strncasecmp(name, "gzip", 4) == 0) ||
        (n == 6 && g_ascii_strncasecmp(name, "x-gzip", 6) == 0))
      gzip = MAX(gzip, q);
    else if (n == 1 && name[0] == '*')
      any = MAX(any, q);
    p = comma != NULL ? comma + 1 : end;
  }
  return gzip != -2 ? gzip > 0 : any > 0;
}

gboolean api_gzip_worth(const char *content_type, gsize length) {
  if (length < API_GZIP_MIN_BYTES)
    return FALSE;
  if (content_type == NULL)
    return TRUE; /* the API's default: JSON */
  static const char *const types[] = {"application/json", "application/javascript",
                                      "application/yaml", "image/svg+xml"};
  if (g_ascii_strncasecmp(content_type, "text/", 5) == 0)
    return TRUE;
  gsize n = strcspn(content_type, "; \t");
  for (gsize i = 0; i < G_N_ELEMENTS(types); i++)
    if (strlen(types[i]) == n && g_ascii_strncasecmp(content_type, types[i], n) == 0)
      return TRUE;
  return FALSE;
}

GBytes *api_gzip(GBytes *body) {
  g_return_val_if_fail(body != NULL, NULL);
  gsize length = 0;
  const guint8 *data = g_bytes_get_data(body, &length);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  /* Text compresses well; the buffer grows when it does not. */
  gsize capacity = length / 4 + 64, used = 0, read = 0;
  guint8 *out = g_malloc(capacity);
  for (;;) {
    gsize in_now = 0, out_now = 0;
    g_autoptr(GError) error = NULL;
    GConverterResult result =
        g_converter_convert(G_CONVERTER(compressor), data + read, length - read, out + used,
                            capacity - used, G_CONVERTER_INPUT_AT_END, &in_now, &out_now, &error);
    read += in_now;
    used += out_now;
    if (result == G_CONVERTER_FINISHED)
      break;
    /* Only a full buffer stops zlib before it has finished (G_IO_ERROR_NO_SPACE). */
    g_assert(result != G_CONVERTER_ERROR ||
             g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE));
    capacity *= 2;
    out = g_realloc(out, capacity);
  }
  /* The cache counts what it keeps by the coded size. */
  return g_bytes_new_take(g_realloc(out, MAX(used, 1)), used);
}
