#!/bin/sh
# planted.sh: the layer and format checks must find every violation planted in
# tests/layers/planted and fail on it; a check that passes there, or misses one, fails.
# Usage: planted.sh CHECK_INCLUDES CHECK_FORMAT PLANTED_ROOT
set -u
includes=$1
format=$2
root=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
expect() { # expect WHAT PATTERN: the last output must contain PATTERN
  if ! grep -qF -- "$2" "$out"; then
    echo "planted: the $1 check missed: $2"
    fail=1
  fi
}
refuse() { # refuse WHAT COMMAND...: the check must fail on the planted tree
  what=$1
  shift
  if "$@" >"$out" 2>&1; then
    echo "planted: the $what check passed on the planted tree"
    fail=1
  fi
  cat "$out"
}
refuse layer python3 "$includes" "$root"
expect layer 'engine/reaches-up.c:2: engine/ may not include <sqlite3.h>'
expect layer 'engine/reaches-up.c:4: "dataset-json.h" is not a header of engine/'
expect layer 'engine/reaches-up.c:5: engine/ may not include "../model/store/store.h"'
expect layer 'model/core/reaches-beside.c:2: model/core/ may not include <json-c/json.h>'
expect layer '4 layer violation(s)'
refuse format sh "$format" "$root"
expect format './model/core/reaches-beside.c: not formatted'
expect format '5 files checked, 1 not formatted'
exit $fail
