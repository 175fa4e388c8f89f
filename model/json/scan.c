/* scan.c: the strict reading of JSON text around json-c's tokener, which in strict mode
 * still lets through raw control characters, repeated keys (keeping the last value) and
 * lone surrogate escapes (storing U+FFFD).  Invariants: a tree is returned only for text
 * within MODEL_JSON_MAX_BYTES, without NUL bytes, valid UTF-8 and strict JSON within
 * MODEL_JSON_MAX_DEPTH; the walk over strings and keys runs only on such text.
 */
#include "dataset-json.h"
#include "json-private.h"

#include <string.h>

/* The offset of the first raw control character inside a string of the (otherwise
 * valid) document `text`, or -1.  json-c lets them through even in strict mode, RFC 8259
 * does not. */
static gssize find_raw_control(const char *text, gsize length) {
  gboolean in_string = FALSE, escaped = FALSE;
  for (gsize i = 0; i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    if (!in_string)
      in_string = c == '"';
    else if (escaped)
      escaped = FALSE;
    else if (c == '\\')
      escaped = TRUE;
    else if (c == '"')
      in_string = FALSE;
    else if (c < 0x20)
      return (gssize)i;
  }
  return -1;
}

/* Reports the first raw control character in a string of `text` at "" with its byte
 * offset; TRUE when there is none. */
static gboolean check_raw_control(const char *text, gsize length, GPtrArray *problems) {
  gssize control = find_raw_control(text, length);
  if (control < 0)
    return TRUE;
  model_problems_add(problems, "",
                     "invalid JSON at byte %" G_GSSIZE_FORMAT
                     ": control character in a string (expected it escaped, e.g. \\n)",
                     control);
  return FALSE;
}

/* ---- the walk: repeated keys and lone surrogates --------------------------- */

/* json-c keeps only the last value of a key that occurs twice in an object, and turns
 * an escaped surrogate without its other half into U+FFFD, with no flag to refuse
 * either, so the parsed tree cannot tell.  model_json_scan() walks the raw text once
 * more (already known to be strict JSON within the depth cap, so the walk trusts its
 * structure) and reports both.  A key is compared after unescaping, as json-c stores
 * it ("a" and "\u0061" are the same). */

/* Where the walk is: a chain of parents, turned into a JSON Pointer only on a report. */
typedef struct RawPath RawPath;
struct RawPath {
  const RawPath *parent;
  const char *key; /* member name, or NULL for array element `index` */
  gsize index;
};

typedef struct {
  const char *text;
  gsize length, pos;
  GPtrArray *surrogates; /* where lone surrogates are reported */
  GPtrArray *repeated;   /* where repeated keys are reported */
} RawScan;

static char *raw_path_pointer(const RawPath *path) {
  if (path == NULL)
    return g_strdup("");
  g_autofree char *base = raw_path_pointer(path->parent);
  return path->key != NULL ? model_json_pointer_key(base, path->key)
                           : model_json_pointer_index(base, path->index);
}

static void raw_skip_space(RawScan *scan) {
  while (scan->pos < scan->length && g_ascii_isspace(scan->text[scan->pos]))
    scan->pos++;
}

/* The UTF-16 code unit of the escape at `at` when it is a \u escape, else -1.  Strict
 * JSON guarantees four hex digits after "\u". */
static gint32 escape_unit(const RawScan *scan, gsize at) {
  if (at + 6 > scan->length || scan->text[at] != '\\' || scan->text[at + 1] != 'u')
    return -1;
  gint32 unit = 0;
  for (gsize i = at + 2; i < at + 6; i++)
    unit = unit * 16 + g_ascii_xdigit_value(scan->text[i]);
  return unit;
}

/* Moves pos past the escape at pos; returns FALSE when it is a lone surrogate: a high
 * one (D800-DBFF) not followed by a low one (DC00-DFFF), or a low one on its own. */
static gboolean raw_escape(RawScan *scan) {
  gint32 unit = escape_unit(scan, scan->pos);
  if (unit < 0) {
    scan->pos += 2;
    return TRUE;
  }
  scan->pos += 6;
  if (unit < 0xD800 || unit > 0xDFFF)
    return TRUE;
  gint32 next = unit <= 0xDBFF ? escape_unit(scan, scan->pos) : -1;
  if (next < 0xDC00 || next > 0xDFFF)
    return FALSE;
  scan->pos += 6;
  return TRUE;
}

/* The string at pos (its opening quote) as json-c decodes it (transfer full), pos
 * moved past its closing quote.  The first lone surrogate in it is reported at `path`. */
static GBytes *raw_string(RawScan *scan, const RawPath *path) {
  gsize start = scan->pos++;
  gboolean escaped = FALSE, reported = FALSE;
  while (scan->pos < scan->length && scan->text[scan->pos] != '"') {
    if (scan->text[scan->pos] != '\\') {
      scan->pos++;
      continue;
    }
    escaped = TRUE;
    gsize at = scan->pos;
    if (!raw_escape(scan) && !reported) {
      g_autofree char *pointer = raw_path_pointer(path);
      model_problems_add(scan->surrogates, pointer,
                         "lone surrogate %.6s (expected a high surrogate \\uD800-\\uDBFF "
                         "followed by a low one \\uDC00-\\uDFFF)",
                         scan->text + at);
      reported = TRUE;
    }
  }
  scan->pos++;
  if (!escaped)
    return g_bytes_new(scan->text + start + 1, scan->pos - start - 2);
  g_autofree char *literal = g_strndup(scan->text + start, scan->pos - start);
  enum json_tokener_error error;
  json_object *decoded = json_tokener_parse_verbose(literal, &error);
  g_assert(decoded != NULL && json_object_is_type(decoded, json_type_string));
  GBytes *bytes =
      g_bytes_new(json_object_get_string(decoded), (gsize)json_object_get_string_len(decoded));
  json_object_put(decoded);
  return bytes;
}

static void raw_value(RawScan *scan, const RawPath *path);

static void raw_object(RawScan *scan, const RawPath *path) {
  g_autoptr(GHashTable) keys =
      g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
  scan->pos++; /* { */
  raw_skip_space(scan);
  while (scan->pos < scan->length && scan->text[scan->pos] != '}') {
    GBytes *key = raw_string(scan, path); /* a key's surrogate: at its object */
    gsize size = 0;
    const char *data = g_bytes_get_data(key, &size);
    g_autofree char *name = g_strndup(data, size); /* cut at a NUL, as the decoder reads it */
    RawPath member = {path, name, 0};
    if (g_hash_table_contains(keys, key)) {
      g_autofree char *pointer = raw_path_pointer(&member);
      model_problems_add(scan->repeated, pointer,
                         "repeated key (expected each key once in an object)");
      g_bytes_unref(key);
    } else {
      g_hash_table_add(keys, key);
    }
    raw_skip_space(scan);
    scan->pos++; /* : */
    raw_value(scan, &member);
    raw_skip_space(scan);
    if (scan->pos < scan->length && scan->text[scan->pos] == ',')
      scan->pos++;
    raw_skip_space(scan);
  }
  scan->pos++; /* } */
}

static void raw_array(RawScan *scan, const RawPath *path) {
  scan->pos++; /* [ */
  raw_skip_space(scan);
  for (gsize i = 0; scan->pos < scan->length && scan->text[scan->pos] != ']'; i++) {
    RawPath element = {path, NULL, i};
    raw_value(scan, &element);
    raw_skip_space(scan);
    if (scan->pos < scan->length && scan->text[scan->pos] == ',')
      scan->pos++;
    raw_skip_space(scan);
  }
  scan->pos++; /* ] */
}

/* One value at pos; depth is bounded by MODEL_JSON_MAX_DEPTH, which the tokener
 * enforced on this very text. */
static void raw_value(RawScan *scan, const RawPath *path) {
  raw_skip_space(scan);
  if (scan->pos >= scan->length)
    return;
  switch (scan->text[scan->pos]) {
  case '{':
    raw_object(scan, path);
    break;
  case '[':
    raw_array(scan, path);
    break;
  case '"':
    g_bytes_unref(raw_string(scan, path));
    break;
  default: /* a number or a literal */
    while (scan->pos < scan->length && strchr(",]} \t\r\n", scan->text[scan->pos]) == NULL)
      scan->pos++;
  }
}

void model_json_scan(const char *text, gsize length, GPtrArray *surrogates, GPtrArray *repeated) {
  RawScan scan = {text, length, 0, surrogates, repeated};
  raw_value(&scan, NULL);
}

gboolean model_json_check_bytes(const char *text, gsize length, GPtrArray *problems) {
  if (length > MODEL_JSON_MAX_BYTES) {
    model_problems_add(problems, "",
                       "document of %" G_GSIZE_FORMAT
                       " bytes is too large (expected at most %" G_GSIZE_FORMAT " bytes)",
                       length, MODEL_JSON_MAX_BYTES);
    return FALSE;
  }
  const char *nul = length > 0 ? memchr(text, '\0', length) : NULL;
  if (nul != NULL) {
    model_problems_add(problems, "",
                       "NUL byte at byte %" G_GSIZE_FORMAT " (expected text without NUL bytes)",
                       (gsize)(nul - text));
    return FALSE;
  }
  const char *end = NULL;
  if (!g_utf8_validate_len(text, length, &end)) {
    model_problems_add(problems, "",
                       "invalid UTF-8 at byte %" G_GSIZE_FORMAT " (expected UTF-8 text)",
                       (gsize)(end - text));
    return FALSE;
  }
  return TRUE;
}

json_object *model_json_parse(const char *text, gsize length, GPtrArray *problems) {
  if (!model_json_check_bytes(text, length, problems))
    return NULL;
  json_tokener *tokener = json_tokener_new_ex(MODEL_JSON_MAX_DEPTH);
  json_tokener_set_flags(tokener, JSON_TOKENER_STRICT);
  json_object *root = json_tokener_parse_ex(tokener, text, (int)length);
  enum json_tokener_error error = json_tokener_get_error(tokener);
  gsize offset = json_tokener_get_parse_end(tokener);
  if (root == NULL && error == json_tokener_continue) {
    /* A NUL after the last byte tells json-c the input ended: it completes a bare
     * number or literal, or reports the truncation. */
    root = json_tokener_parse_ex(tokener, "", 1);
    error = json_tokener_get_error(tokener);
    offset = length;
  }
  json_tokener_free(tokener);
  if (root == NULL) {
    model_problems_add(problems, "", "invalid JSON at byte %" G_GSIZE_FORMAT ": %s", offset,
                       json_tokener_error_desc(error));
    return NULL;
  }
  if (!check_raw_control(text, length, problems)) {
    json_object_put(root);
    return NULL;
  }
  /* Strict mode refuses trailing characters itself; this guards the invariant. */
  for (gsize i = offset; i < length; i++) {
    if (!g_ascii_isspace(text[i])) {
      json_object_put(root);
      model_problems_add(
          problems, "",
          "invalid JSON at byte %" G_GSIZE_FORMAT ": trailing characters after the document", i);
      return NULL;
    }
  }
  return root;
}

gboolean model_json_check_text(const char *text, gsize length, GPtrArray *problems) {
  g_return_val_if_fail(text != NULL && problems != NULL, FALSE);
  if (!check_raw_control(text, length, problems))
    return FALSE;
  guint before = problems->len;
  model_json_scan(text, length, problems, problems);
  return problems->len == before;
}
