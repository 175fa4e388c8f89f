/* decode-values.c: the typed value readers of the dataset decoder, and the JSON Pointer
 * and message helpers they share.  Every reader checks the JSON type before reading
 * (json-c would turn "3" or 2.5 into an integer without a word), reports one problem
 * per bad value in the FORMAT.md wording, and leaves its output untouched on failure.
 */
#include "json-private.h"

#include <math.h>
#include <string.h>

/* Every value of a document gets its pointer, whether or not a problem is found at it,
 * so these two are written out by hand: a national dataset makes millions of them. */
char *model_json_pointer_key(const char *base, const char *key) {
  g_return_val_if_fail(base != NULL && key != NULL, NULL);
  gsize base_length = strlen(base), key_length = strlen(key), escapes = 0;
  for (const char *c = key; *c != '\0'; c++)
    escapes += *c == '~' || *c == '/';
  gsize sep = base_length > 0 ? 1 : 0;
  char *out = g_malloc(base_length + sep + key_length + escapes + 1);
  memcpy(out, base, base_length);
  char *to = out + base_length;
  if (sep)
    *to++ = '/';
  for (const char *c = key; *c != '\0'; c++) {
    if (*c == '~' || *c == '/') {
      *to++ = '~';
      *to++ = *c == '~' ? '0' : '1';
    } else {
      *to++ = *c;
    }
  }
  *to = '\0';
  return out;
}

char *model_json_pointer_index(const char *base, gsize index) {
  g_return_val_if_fail(base != NULL, NULL);
  char digits[24];
  gsize n = 0;
  do {
    digits[n++] = (char)('0' + index % 10);
    index /= 10;
  } while (index > 0);
  gsize base_length = strlen(base), sep = base_length > 0 ? 1 : 0;
  char *out = g_malloc(base_length + sep + n + 1);
  memcpy(out, base, base_length);
  char *to = out + base_length;
  if (sep)
    *to++ = '/';
  while (n > 0)
    *to++ = digits[--n];
  *to = '\0';
  return out;
}

/* `text` as a JSON string literal (transfer full), cut to MODEL_JSON_QUOTE_MAX
 * characters with "..." so that a huge value never floods a message. */
static char *quote_text(const char *text, gsize length) {
  g_autofree char *cut = NULL;
  const char *shown = text;
  gsize shown_length = length;
  if (g_utf8_strlen(text, (gssize)length) > MODEL_JSON_QUOTE_MAX) {
    const char *end = g_utf8_offset_to_pointer(text, MODEL_JSON_QUOTE_MAX);
    cut = g_strdup_printf("%.*s...", (int)(end - text), text);
    shown = cut;
    shown_length = strlen(cut);
  }
  json_object *string = json_object_new_string_len(shown, (int)shown_length);
  char *quoted = g_strdup(json_object_to_json_string_ext(
      string, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  json_object_put(string);
  return quoted;
}

static char *quote_string_value(json_object *value) {
  return quote_text(json_object_get_string(value), (gsize)json_object_get_string_len(value));
}

char *model_json_describe(json_object *value) {
  switch (json_object_get_type(value)) {
  case json_type_null:
    return g_strdup("null");
  case json_type_array:
    return g_strdup("an array");
  case json_type_object:
    return g_strdup("an object");
  case json_type_string:
    return quote_string_value(value);
  case json_type_boolean:
  case json_type_int:
  case json_type_double:
    break;
  }
  /* Numbers keep their source text for doubles (2.50, NaN) in json-c. */
  return g_strdup(json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN));
}

void model_json_report_type(GPtrArray *problems, const char *pointer, json_object *value,
                            const char *what) {
  g_autofree char *found = model_json_describe(value);
  model_problems_add(problems, pointer, "found %s (expected %s)", found, what);
}

gboolean model_json_check_keys(GPtrArray *problems, json_object *value, const char *pointer,
                               const char *const *keys) {
  if (!json_object_is_type(value, json_type_object)) {
    model_json_report_type(problems, pointer, value, "an object");
    return FALSE;
  }
  json_object_object_foreach(value, key, member) {
    (void)member;
    gboolean known = FALSE;
    for (gsize i = 0; keys[i] != NULL && !known; i++)
      known = strcmp(keys[i], key) == 0;
    if (known)
      continue;
    g_autoptr(GString) expected = g_string_new(NULL);
    for (gsize i = 0; keys[i] != NULL; i++)
      g_string_append_printf(expected, "%s%s", i > 0 ? ", " : "", keys[i]);
    g_autofree char *at = model_json_pointer_key(pointer, key);
    model_problems_add(problems, at, "unknown key (expected one of %s)", expected->str);
  }
  return TRUE;
}

gboolean model_json_read_string(GPtrArray *problems, json_object *value, const char *pointer,
                                char **out) {
  if (!json_object_is_type(value, json_type_string)) {
    model_json_report_type(problems, pointer, value, "a string");
    return FALSE;
  }
  const char *text = json_object_get_string(value);
  gsize length = (gsize)json_object_get_string_len(value);
  /* "\u0000" decodes to a NUL byte; the model holds C strings, so refuse it. */
  if (strlen(text) != length) {
    g_autofree char *found = quote_string_value(value);
    model_problems_add(problems, pointer,
                       "%s contains a NUL character (expected text without NUL characters)", found);
    return FALSE;
  }
  *out = g_strdup(text);
  return TRUE;
}

gboolean model_json_read_int(GPtrArray *problems, json_object *value, const char *pointer,
                             gint32 min, gint32 max, gint32 *out) {
  if (!json_object_is_type(value, json_type_int)) {
    model_json_report_type(problems, pointer, value, "an integer");
    return FALSE;
  }
  /* Values inside gint32 are range-checked by model_dataset_check() in the same words;
   * json-c saturates beyond 64 bits, so those still land outside gint32 here. */
  gint64 number = json_object_get_int64(value);
  if (number < G_MININT32 || number > G_MAXINT32) {
    g_autofree char *found = model_json_describe(value);
    model_problems_add(problems, pointer,
                       "%s is out of range (expected an integer from %" G_GINT32_FORMAT
                       " to %" G_GINT32_FORMAT ")",
                       found, min, max);
    return FALSE;
  }
  *out = (gint32)number;
  return TRUE;
}

gboolean model_json_read_number(GPtrArray *problems, json_object *value, const char *pointer,
                                double *out) {
  double number;
  if (json_object_is_type(value, json_type_int)) {
    number = (double)json_object_get_int64(value);
  } else if (json_object_is_type(value, json_type_double)) {
    number = json_object_get_double(value);
  } else {
    model_json_report_type(problems, pointer, value, "a number");
    return FALSE;
  }
  /* json-c accepts NaN, Infinity and overflowing exponents even in strict mode. */
  if (!isfinite(number)) {
    model_json_report_type(problems, pointer, value, "a finite number");
    return FALSE;
  }
  *out = number;
  return TRUE;
}

gboolean model_json_read_bool(GPtrArray *problems, json_object *value, const char *pointer,
                              gboolean *out) {
  if (!json_object_is_type(value, json_type_boolean)) {
    model_json_report_type(problems, pointer, value, "a boolean");
    return FALSE;
  }
  *out = json_object_get_boolean(value) ? TRUE : FALSE;
  return TRUE;
}

/* The string of `value` if it is one, else NULL after reporting the wrong type. */
static const char *string_or_report(GPtrArray *problems, json_object *value, const char *pointer) {
  if (!json_object_is_type(value, json_type_string)) {
    model_json_report_type(problems, pointer, value, "a string");
    return NULL;
  }
  return json_object_get_string(value);
}

gboolean model_json_read_date(GPtrArray *problems, json_object *value, const char *pointer,
                              ModelDate *out) {
  const char *text = string_or_report(problems, value, pointer);
  if (text == NULL)
    return FALSE;
  if (!model_date_parse(text, out)) {
    g_autofree char *found = quote_string_value(value);
    model_problems_add(problems, pointer, "%s is not a valid date (expected YYYY-MM-DD)", found);
    return FALSE;
  }
  return TRUE;
}

gboolean model_json_read_part(GPtrArray *problems, json_object *value, const char *pointer,
                              ModelPart *out) {
  const char *text = string_or_report(problems, value, pointer);
  if (text == NULL)
    return FALSE;
  if (!model_part_parse(text, out)) {
    g_autofree char *found = quote_string_value(value);
    model_problems_add(problems, pointer, "%s is not a day part (expected morning or afternoon)",
                       found);
    return FALSE;
  }
  return TRUE;
}

/* True when `text` is exactly YYYY-MM-DDTHH:MM:SSZ in shape (digits where digits go). */
static gboolean is_utc_time_shape(const char *text) {
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  for (gsize i = 0; i < sizeof shape - 1; i++) {
    if (text[i] == '\0')
      return FALSE;
    if (shape[i] == 'd' ? !g_ascii_isdigit(text[i]) : text[i] != shape[i])
      return FALSE;
  }
  return text[sizeof shape - 1] == '\0';
}

gboolean model_json_read_time(GPtrArray *problems, json_object *value, const char *pointer,
                              gint64 *out) {
  const char *text = string_or_report(problems, value, pointer);
  if (text == NULL)
    return FALSE;
  g_autoptr(GDateTime) time = NULL;
  if (is_utc_time_shape(text))
    time = g_date_time_new_from_iso8601(text, NULL);
  /* Before 1970 would collide with the -1 "not decided" marker. */
  if (time == NULL || g_date_time_to_unix(time) < 0) {
    g_autofree char *found = quote_string_value(value);
    model_problems_add(problems, pointer,
                       "%s is not an RFC 3339 UTC time from 1970 on "
                       "(expected YYYY-MM-DDTHH:MM:SSZ, e.g. 2020-04-14T09:30:00Z)",
                       found);
    return FALSE;
  }
  *out = g_date_time_to_unix(time);
  return TRUE;
}

char *model_json_format_time(gint64 seconds) {
  if (seconds < 0)
    return NULL;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(seconds);
  if (time == NULL)
    return NULL;
  return g_date_time_format(time, "%Y-%m-%dT%H:%M:%SZ");
}

/* One element kind of a name array: how to parse a name into a bit index. */
typedef struct {
  const char *noun;     /* "a qualification" */
  const char *expected; /* "one of vog, pm, ..." */
  gboolean (*parse)(const char *text, guint *bit);
} NameKind;

/* Reads an array of names without repeats into a bit set (bits < 32).  Every element
 * is checked; *out is written only when all of them were valid. */
static gboolean read_names(GPtrArray *problems, json_object *value, const char *pointer,
                           const NameKind *kind, guint32 *out) {
  if (!json_object_is_type(value, json_type_array)) {
    model_json_report_type(problems, pointer, value, "an array");
    return FALSE;
  }
  guint32 set = 0;
  gsize first_at[32];
  gboolean ok = TRUE;
  gsize n = json_object_array_length(value);
  for (gsize i = 0; i < n; i++) {
    json_object *element = json_object_array_get_idx(value, i);
    g_autofree char *at = model_json_pointer_index(pointer, i);
    const char *text = string_or_report(problems, element, at);
    guint bit = 0;
    if (text == NULL) {
      ok = FALSE;
    } else if (!kind->parse(text, &bit)) {
      g_autofree char *found = quote_string_value(element);
      model_problems_add(problems, at, "%s is not %s (expected %s)", found, kind->noun,
                         kind->expected);
      ok = FALSE;
    } else if (set & (1u << bit)) {
      g_autofree char *found = quote_string_value(element);
      g_autofree char *first = model_json_pointer_index(pointer, first_at[bit]);
      model_problems_add(problems, at, "repeated %s (first at %s)", found, first);
      ok = FALSE;
    } else {
      g_assert(bit < 32);
      set |= 1u << bit;
      first_at[bit] = i;
    }
  }
  if (ok)
    *out = set;
  return ok;
}

static gboolean parse_qual_bit(const char *text, guint *bit) {
  ModelQual qual;
  if (!model_qual_parse(text, &qual))
    return FALSE;
  *bit = (guint)qual;
  return TRUE;
}

static gboolean parse_weekday_bit(const char *text, guint *bit) {
  int weekday;
  if (!model_weekday_parse(text, &weekday))
    return FALSE;
  g_assert(weekday >= 1 && weekday <= 7);
  *bit = (guint)(weekday - 1);
  return TRUE;
}

static gboolean parse_part_bit(const char *text, guint *bit) {
  ModelPart part;
  if (!model_part_parse(text, &part))
    return FALSE;
  *bit = (guint)part;
  return TRUE;
}

gboolean model_json_read_quals(GPtrArray *problems, json_object *value, const char *pointer,
                               ModelQualSet *out) {
  g_autofree char *expected = g_strdup_printf("one of %s", model_qual_vocabulary());
  const NameKind kind = {"a qualification", expected, parse_qual_bit};
  guint32 set;
  if (!read_names(problems, value, pointer, &kind, &set))
    return FALSE;
  *out = set;
  return TRUE;
}

gboolean model_json_read_weekdays(GPtrArray *problems, json_object *value, const char *pointer,
                                  guint8 *out) {
  const NameKind kind = {"a weekday", "one of mon, tue, wed, thu, fri, sat, sun",
                         parse_weekday_bit};
  guint32 set;
  if (!read_names(problems, value, pointer, &kind, &set))
    return FALSE;
  *out = (guint8)set;
  return TRUE;
}

gboolean model_json_read_parts(GPtrArray *problems, json_object *value, const char *pointer,
                               guint8 *out) {
  const NameKind kind = {"a day part", "morning or afternoon", parse_part_bit};
  guint32 set;
  if (!read_names(problems, value, pointer, &kind, &set))
    return FALSE;
  *out = (guint8)set;
  return TRUE;
}
