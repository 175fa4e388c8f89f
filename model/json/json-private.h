/* json-private.h: helpers shared inside the JSON codec: JSON Pointer building, the
 * typed readers the decoder uses for every value, and the strict scan of the raw text.  Each reader
 * checks the exact JSON type first (json-c converts silently otherwise), reports at most one
 * problem at the value's pointer in the FORMAT.md conventions, and writes *out only on success.
 */
#pragma once

#include <json-c/json.h>

#include "model.h"

G_BEGIN_DECLS

/* Longest excerpt of a found string quoted in a message, in characters. */
#define MODEL_JSON_QUOTE_MAX 40

/* The pointer of member `key` / element `index` under `base` (transfer full); `base`
 * "" is the document.  Keys are escaped as RFC 6901 says ("~" -> "~0", "/" -> "~1"). */
char *model_json_pointer_key(const char *base, const char *key);
char *model_json_pointer_index(const char *base, gsize index);

/* A found value as a message shows it (transfer full): scalars as JSON (strings cut to
 * MODEL_JSON_QUOTE_MAX characters), arrays and objects as "an array" / "an object". */
char *model_json_describe(json_object *value);

/* Reports "found VALUE (expected WHAT)" at `pointer`. */
void model_json_report_type(GPtrArray *problems, const char *pointer, json_object *value,
                            const char *what);

/* Reports every key of `object` not in the NULL-terminated `keys` as unknown.  Returns
 * FALSE (and reports) when `value` is not an object. */
gboolean model_json_check_keys(GPtrArray *problems, json_object *value, const char *pointer,
                               const char *const *keys);

/* Typed readers: `value` is present; on a wrong value they report at `pointer` and
 * return FALSE without writing *out. */
/* An integer that fits gint32; `min`..`max` is the field's range, named in the message
 * for larger values (the model check judges the range of the others). */
gboolean model_json_read_int(GPtrArray *problems, json_object *value, const char *pointer,
                             gint32 min, gint32 max, gint32 *out);

/* The readers without further parameters, as X(NAME, TYPE): each is
 *   gboolean model_json_read_NAME(GPtrArray *problems, json_object *value,
 *                                 const char *pointer, TYPE *out);
 * and decode.c builds its member readers from the same list.  A time is RFC 3339 UTC
 * "YYYY-MM-DDTHH:MM:SSZ" from 1970 on, as Unix seconds; quals, weekdays and parts are
 * arrays of names without repeats, as bit sets, every element checked and reported
 * and the set written only when all were valid. */
#define MODEL_JSON_READERS(X)                                                                      \
  X(string, char *) /* transfer full */                                                            \
  X(number, double)                                                                                \
  X(bool, gboolean)                                                                                \
  X(date, ModelDate)                                                                               \
  X(part, ModelPart)                                                                               \
  X(time, gint64)                                                                                  \
  X(quals, ModelQualSet)                                                                           \
  X(weekdays, guint8)                                                                              \
  X(parts, guint8)

#define MODEL_JSON_DECLARE_READER(name, type)                                                      \
  gboolean model_json_read_##name(GPtrArray *problems, json_object *value, const char *pointer,    \
                                  type *out);
MODEL_JSON_READERS(MODEL_JSON_DECLARE_READER)
#undef MODEL_JSON_DECLARE_READER

/* ---- scan.c: the raw text -------------------------------------------------- */

/* Checks the raw bytes' size, that they hold no NUL and that they are UTF-8; FALSE after
 * adding one problem at "" that names the byte offset. */
gboolean model_json_check_bytes(const char *text, gsize length, GPtrArray *problems);

/* Checks the raw bytes (size, NUL, UTF-8, control characters in strings) and parses
 * them strictly; returns the document (transfer full), or NULL after adding one
 * problem at "" that names the byte offset. */
json_object *model_json_parse(const char *text, gsize length, GPtrArray *problems);

/* Walks `text`, which json-c's strict tokener accepted within MODEL_JSON_MAX_DEPTH, and
 * reports to `surrogates` every string with a lone surrogate escape (at the string's
 * pointer; a key's at its object), and to `repeated` every later occurrence of a key in
 * one object (at the member's pointer).  Both may be the same list. */
void model_json_scan(const char *text, gsize length, GPtrArray *surrogates, GPtrArray *repeated);

/* ---- split.c: the quick reading ------------------------------------------- */

/* A stretch of the document's bytes: an element of a root array (or, inside split.c,
 * a key). */
typedef struct {
  gsize start, length;
} ModelJsonSpan;

/* Reads `text` (checked by model_json_check_bytes()) in one strict pass as an object
 * whose members are among the NULL-terminated `keys`, each an array of objects, and
 * sets spans[k] to the elements of member keys[k] (ModelJsonSpan, transfer full; NULL
 * when absent).  FALSE, every spans[k] NULL, for any document this pass does not read
 * exactly as the whole-tree reading would (split.c lists them): that reading then
 * decides, and reports the problems. */
gboolean model_json_split(const char *text, gsize length, const char *const *keys, GArray **spans);

/* model_json_decode_dataset() by the whole-tree reading alone (for the tests that
 * compare the two readings). */
ModelDataset *model_json_decode_dataset_whole(const char *text, gsize length, GPtrArray *problems);

/* The RFC 3339 form the encoder writes for Unix seconds (transfer full), or NULL when
 * the time is outside what the decoder accepts. */
char *model_json_format_time(gint64 seconds);

G_END_DECLS
