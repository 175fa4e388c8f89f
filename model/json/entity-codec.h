/* entity-codec.h: one entity of the dataset format as a json-c object, exactly as it
 * stands in a dataset document (FORMAT.md: the same keys in the same order, defaults
 * written out, absent optional values left out), encoded and decoded.  The dataset
 * codec is built from the same functions, and the HTTP API shows and reads entities
 * through them, so an API client and an import file speak the same JSON by
 * construction and are held to the same rules, with the same messages.
 *
 * Ownership: every encoder returns a new object (transfer full) that the caller
 * releases with json_object_put(); the entity is only read.  Decoders borrow the object.
 */
#pragma once

#include <json-c/json.h>

#include "model.h"

G_BEGIN_DECLS

json_object *model_json_encode_district(const ModelDistrict *district);
json_object *model_json_encode_school(const ModelSchool *school);
json_object *model_json_encode_organisation(const ModelOrganisation *organisation);
json_object *model_json_encode_location(const ModelLocation *location);
json_object *model_json_encode_employee(const ModelEmployee *employee);
json_object *model_json_encode_request(const ModelRequest *request);
json_object *model_json_encode_assignment(const ModelAssignment *assignment);

/* The writers the encoders are made of, for views that add keys after them. */

/* Adds `value` (taken; NULL is JSON null) under `key`, after the keys already there
 * (json-c keeps insertion order); `key` must be new. */
void model_json_put(json_object *object, const char *key, json_object *value);
/* Adds a string member; a NULL value is left out. */
void model_json_put_string(json_object *object, const char *key, const char *value);
/* Adds string members from key, value pairs ending with a NULL key, in that order;
 * each NULL value is left out. */
void model_json_put_strings(json_object *object, const char *key, ...) G_GNUC_NULL_TERMINATED;
/* Adds a date as "YYYY-MM-DD". */
void model_json_put_date(json_object *object, const char *key, ModelDate date);
/* A new JSON string (transfer full), or NULL (JSON null) for NULL text. */
json_object *model_json_new_string_or_null(const char *text);

/* Decodes `object` (NULL being a JSON null), one request as it stands in a dataset's
 * "requests" array, with every rule of an import: each field as
 * model_json_decode_dataset() reads it, then model_dataset_check() against the rest of
 * `dataset` (the districts, schools and organisations it may refer to, taken as
 * valid).  On success appends the request to dataset->requests, re-indexes and returns
 * it (transfer none; valid until that array next changes).  On failure returns NULL,
 * leaves `dataset` as it was and appends every problem of the object to `problems`, in
 * document order, with pointers relative to the object ("slots/0/date"; "" for the
 * object itself).  The rules on raw text (control characters, repeated keys, lone
 * surrogates) are model_json_check_text()'s, on the text the object was parsed from. */
ModelRequest *model_json_decode_request(ModelDataset *dataset, json_object *object,
                                        GPtrArray *problems);
/* The same for one employee of a dataset's "employees" array. */
ModelEmployee *model_json_decode_employee(ModelDataset *dataset, json_object *object,
                                          GPtrArray *problems);
/* The same for one location of a dataset's "locations" array (its load included). */
ModelLocation *model_json_decode_location(ModelDataset *dataset, json_object *object,
                                          GPtrArray *problems);

G_END_DECLS
