#!/bin/sh
# check-format.sh: fails when a C file of the tree differs from what clang-format makes
# of it with the root's .clang-format, naming each such file.  The planted examples of
# the layer checks (tests/layers/planted) are left out, except when they are the root.
# Usage: check-format.sh SOURCE_ROOT
set -eu
root=$1
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
  echo "check-format: clang-format not found (Debian package clang-format)" >&2
  exit 1
fi
# --style=file finds the .clang-format above each file: the root's, for the planted tree too.
style=--style=file
cd "$root"
list=$(find . \( -name build -o -name 'build-*' -o -name node_modules -o -path ./tests/layers/planted \) -prune \
  -o \( -name '*.c' -o -name '*.h' \) -type f -print | sort)
if [ -z "$list" ]; then
  echo "check-format: no C files under $root" >&2
  exit 1
fi
bad=0
n=0
for f in $list; do
  n=$((n + 1))
  if ! "$format" "$style" --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "$f: not formatted (run: $format -i $f)"
    bad=$((bad + 1))
  fi
done
echo "$n files checked, $bad not formatted"
[ "$bad" -eq 0 ]
