/* split.c: the quick reading of a dataset document.  One strict pass over the raw text
 * checks it against RFC 8259 and finds the elements of its root arrays, so that each
 * element can be parsed and decoded on its own and the whole document never becomes
 * one tree.  The pass refuses, for the whole-tree reading of scan.c and decode.c,
 * everything it does not read exactly as that reading would: text that is not strict
 * JSON, a raw control character, a surrogate escape, a key with an escape or one
 * repeated in its object, an object with more than SPLIT_MAX_KEYS keys, nesting
 * near MODEL_JSON_MAX_DEPTH, a root that is not an object of known keys holding arrays
 * of objects.  Invariant: a document the pass accepts is one the whole-tree reading
 * parses without a problem of its own, its elements the same values.
 */
#include "dataset-json.h"
#include "json-private.h"

#include <string.h>

/* Objects with more keys are left to the whole-tree reading (repeats are found by
 * comparing every key with those before it). */
#define SPLIT_MAX_KEYS 64

typedef struct {
  const char *text;
  gsize length, pos;
  guint depth;
} Split;

static void skip_space(Split *s) {
  while (s->pos < s->length) {
    char c = s->text[s->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
      return;
    s->pos++;
  }
}

static gboolean at(const Split *s, char c) {
  return s->pos < s->length && s->text[s->pos] == c;
}

static gboolean hex4(const Split *s, gsize from, guint *out) {
  if (from + 4 > s->length)
    return FALSE;
  guint unit = 0;
  for (gsize i = from; i < from + 4; i++) {
    gint digit = g_ascii_xdigit_value(s->text[i]);
    if (digit < 0)
      return FALSE;
    unit = unit * 16 + (guint)digit;
  }
  *out = unit;
  return TRUE;
}

/* A string at pos (its opening quote); FALSE on anything refused.  `plain` asks for a
 * string without escapes (a key). */
static gboolean string(Split *s, gboolean plain) {
  s->pos++;
  while (s->pos < s->length) {
    unsigned char c = (unsigned char)s->text[s->pos];
    if (c == '"') {
      s->pos++;
      return TRUE;
    }
    if (c < 0x20)
      return FALSE;
    if (c != '\\') {
      s->pos++;
      continue;
    }
    if (plain || s->pos + 1 >= s->length)
      return FALSE;
    char e = s->text[s->pos + 1];
    if (e == 'u') {
      guint unit = 0;
      if (!hex4(s, s->pos + 2, &unit) || (unit >= 0xD800 && unit <= 0xDFFF))
        return FALSE;
      s->pos += 6;
    } else if (strchr("\"\\/bfnrt", e) != NULL && e != '\0') {
      s->pos += 2;
    } else {
      return FALSE;
    }
  }
  return FALSE;
}

static gboolean digits(Split *s) {
  gsize from = s->pos;
  while (s->pos < s->length && g_ascii_isdigit(s->text[s->pos]))
    s->pos++;
  return s->pos > from;
}

static gboolean number(Split *s) {
  if (at(s, '-'))
    s->pos++;
  if (at(s, '0'))
    s->pos++;
  else if (!digits(s))
    return FALSE;
  if (at(s, '.')) {
    s->pos++;
    if (!digits(s))
      return FALSE;
  }
  if (at(s, 'e') || at(s, 'E')) {
    s->pos++;
    if (at(s, '+') || at(s, '-'))
      s->pos++;
    if (!digits(s))
      return FALSE;
  }
  return TRUE;
}

static gboolean literal(Split *s, const char *word) {
  gsize n = strlen(word);
  if (s->pos + n > s->length || memcmp(s->text + s->pos, word, n) != 0)
    return FALSE;
  s->pos += n;
  return TRUE;
}

static gboolean value(Split *s);

/* Passes the opening bracket at pos and the space after it; FALSE when the closing
 * `close` follows at once (passed too), TRUE when an item does. */
static gboolean enter(Split *s, char close) {
  s->pos++;
  skip_space(s);
  if (!at(s, close))
    return TRUE;
  s->pos++;
  return FALSE;
}

/* After an item: passes the comma and the space after it (*more) or the closing
 * `close` (!*more); FALSE on anything else. */
static gboolean leave_item(Split *s, char close, gboolean *more) {
  skip_space(s);
  *more = !at(s, close);
  if (*more && !at(s, ','))
    return FALSE;
  s->pos++;
  skip_space(s);
  return TRUE;
}

/* An object's members; every key is read into keys[] (at most SPLIT_MAX_KEYS) and
 * compared with those before it.  With `each`, called for every member instead of
 * reading its value (the root). */
typedef gboolean (*MemberFunc)(Split *s, const ModelJsonSpan *key, gpointer user);

static gboolean object(Split *s, MemberFunc each, gpointer user) {
  ModelJsonSpan keys[SPLIT_MAX_KEYS];
  guint n = 0;
  gboolean more = enter(s, '}');
  while (more) {
    if (!at(s, '"') || n == SPLIT_MAX_KEYS)
      return FALSE;
    ModelJsonSpan key = {s->pos + 1, 0};
    if (!string(s, TRUE))
      return FALSE;
    key.length = s->pos - 1 - key.start;
    for (guint k = 0; k < n; k++)
      if (keys[k].length == key.length &&
          memcmp(s->text + keys[k].start, s->text + key.start, key.length) == 0)
        return FALSE;
    keys[n++] = key;
    skip_space(s);
    if (!at(s, ':'))
      return FALSE;
    s->pos++;
    skip_space(s);
    if (!(each != NULL ? each(s, &key, user) : value(s)) || !leave_item(s, '}', &more))
      return FALSE;
  }
  return TRUE;
}

/* An array's elements; with `spans`, each must be an object and its (start, length)
 * is appended. */
static gboolean array(Split *s, GArray *spans) {
  gboolean more = enter(s, ']');
  while (more) {
    ModelJsonSpan span = {s->pos, 0};
    if ((spans != NULL && !at(s, '{')) || !value(s))
      return FALSE;
    if (spans != NULL) {
      span.length = s->pos - span.start;
      g_array_append_val(spans, span);
    }
    if (!leave_item(s, ']', &more))
      return FALSE;
  }
  return TRUE;
}

/* One value at pos (no space before it).  Nesting stops well before the tokener's
 * limit, so that an element parsed on its own is never refused for its depth. */
static gboolean value(Split *s) {
  if (s->pos >= s->length)
    return FALSE;
  switch (s->text[s->pos]) {
  case '{':
  case '[': {
    if (s->depth + 4 >= MODEL_JSON_MAX_DEPTH)
      return FALSE;
    s->depth++;
    gboolean ok = s->text[s->pos] == '{' ? object(s, NULL, NULL) : array(s, NULL);
    s->depth--;
    return ok;
  }
  case '"':
    return string(s, FALSE);
  case 't':
    return literal(s, "true");
  case 'f':
    return literal(s, "false");
  case 'n':
    return literal(s, "null");
  default:
    return number(s);
  }
}

typedef struct {
  const char *const *keys;
  GArray **spans;
} Root;

static gboolean root_member(Split *s, const ModelJsonSpan *key, gpointer user) {
  Root *root = user;
  for (gsize k = 0; root->keys[k] != NULL; k++) {
    if (strlen(root->keys[k]) != key->length ||
        memcmp(root->keys[k], s->text + key->start, key->length) != 0)
      continue;
    if (!at(s, '['))
      return FALSE;
    root->spans[k] = g_array_new(FALSE, FALSE, sizeof(ModelJsonSpan));
    s->depth++;
    gboolean ok = array(s, root->spans[k]);
    s->depth--;
    return ok;
  }
  return FALSE; /* an unknown key: the whole-tree reading reports it */
}

gboolean model_json_split(const char *text, gsize length, const char *const *keys, GArray **spans) {
  g_return_val_if_fail(text != NULL && keys != NULL && spans != NULL, FALSE);
  gsize n_keys = g_strv_length((char **)keys);
  for (gsize k = 0; k < n_keys; k++)
    spans[k] = NULL;
  Split s = {text, length, 0, 1};
  Root root = {keys, spans};
  skip_space(&s);
  gboolean ok = at(&s, '{') && object(&s, root_member, &root);
  skip_space(&s);
  if (ok && s.pos == length)
    return TRUE;
  for (gsize k = 0; k < n_keys; k++)
    g_clear_pointer(&spans[k], g_array_unref);
  return FALSE;
}
