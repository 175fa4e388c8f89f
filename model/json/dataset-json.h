/* dataset-json.h: the dataset interchange format, one JSON document with top-level
 * arrays "districts", "schools", "organisations", "employees", "requests" and
 * "assignments" (see README.md, "Dataset format"), decoded and encoded with json-c.
 *
 * Decoding validates everything and reports every problem in the document, each with
 * the JSON Pointer of the offending value and what was expected; encoding writes the
 * same format back, so decode(encode(d)) equals d.  Output is deterministic: arrays
 * in dataset order, keys in a fixed order, no whitespace variance.
 */
#pragma once

#include "model.h"

G_BEGIN_DECLS

/* Caps on user-controlled input. */
#define MODEL_JSON_MAX_BYTES ((gsize)512 * 1024 * 1024)
#define MODEL_JSON_MAX_DEPTH 32

/* Decodes and checks a dataset (structure, types, unknown keys, then
 * model_dataset_check()).  On success returns the dataset (transfer full, indexed).
 * On failure returns NULL and appends every ModelProblem to `problems` (which must
 * be non-NULL), in document order; a syntax error yields one problem with pointer ""
 * and the byte offset in the message. */
ModelDataset *model_json_decode_dataset(const char *text, gsize length, GPtrArray *problems);

/* For JSON that arrives outside a dataset file (an HTTP body): reports in `text`, which
 * json-c's strict tokener accepted within MODEL_JSON_MAX_DEPTH, what that tokener lets
 * through and the decoder refuses: a raw control character in a string (one problem at
 * "" with its byte offset, and nothing else is looked at), else every lone surrogate
 * escape and repeated key, in document order, at its pointer (as in FORMAT.md).
 * Returns TRUE when there is none, else FALSE after appending to `problems`. */
gboolean model_json_check_text(const char *text, gsize length, GPtrArray *problems);

/* Reads and decodes a file; problems as above, an unreadable file yields one problem
 * with pointer "" naming the file. */
ModelDataset *model_json_load_dataset(const char *path, GPtrArray *problems);

/* Encodes a dataset as JSON text (transfer full), pretty-printed with two-space
 * indentation and a final newline. */
char *model_json_encode_dataset(const ModelDataset *dataset);

G_END_DECLS
