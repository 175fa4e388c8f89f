/* entity-codec.h: one entity of the dataset format as a json-c object, exactly as it
 * stands in a dataset document (FORMAT.md: the same keys in the same order, defaults
 * written out, absent optional values left out).  model_json_encode_dataset() is built
 * from these, and the HTTP API shows entities through them, so an API client and an
 * import file speak the same JSON by construction.
 *
 * Ownership: every function returns a new object (transfer full) that the caller
 * releases with json_object_put(); the entity is only read.
 */
#pragma once

#include <json-c/json.h>

#include "model.h"

G_BEGIN_DECLS

json_object *model_json_encode_district(const ModelDistrict *district);
json_object *model_json_encode_school(const ModelSchool *school);
json_object *model_json_encode_organisation(const ModelOrganisation *organisation);
json_object *model_json_encode_employee(const ModelEmployee *employee);
json_object *model_json_encode_request(const ModelRequest *request);
json_object *model_json_encode_assignment(const ModelAssignment *assignment);

G_END_DECLS
