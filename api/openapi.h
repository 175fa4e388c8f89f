/* openapi.h: the OpenAPI document of the API (api/openapi.yaml), embedded in the
 * program at build time by embed.py, so the binary serves it without files. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The document's text, NUL-terminated (static storage); its length in *out_length. */
const char *api_openapi_yaml(gsize *out_length);

G_END_DECLS
