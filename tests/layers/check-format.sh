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
# One clang-format run for every file (a process per file is slow on a loaded machine);
# it names each file that differs in its "FILE:LINE:COL: error:" lines.
n=$(printf '%s\n' "$list" | wc -l)
# shellcheck disable=SC2086
report=$("$format" "$style" --dry-run --Werror $list 2>&1 >/dev/null || true)
unformatted=$(printf '%s\n' "$report" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u)
bad=0
for f in $unformatted; do
  echo "$f: not formatted (run: $format -i $f)"
  bad=$((bad + 1))
done
# A run that failed for another reason (an unreadable file, a bad .clang-format) is
# not a pass either.
if [ "$bad" -eq 0 ] && [ -n "$report" ]; then
  printf '%s\n' "$report" >&2
  bad=1
fi
echo "$n files checked, $bad not formatted"
[ "$bad" -eq 0 ]
