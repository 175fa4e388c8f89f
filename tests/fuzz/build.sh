#!/bin/sh
# build.sh [DIR]: builds the libFuzzer binaries fuzz-dataset, fuzz-dimacs, fuzz-http and fuzz-csv
# (or those named in $FUZZ_TARGETS: "dataset dimacs http csv") into DIR/tests/fuzz
# (DIR: $FUZZ_BUILD, else build-fuzz at the top of the tree).
# DIR is a meson build of the whole project with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer, and coverage instrumentation in every library
# (-fsanitize=fuzzer-no-link), so libFuzzer is guided by the code under test and not
# only by the target; meson itself says which sources each target needs.
# Needs the Debian packages clang and libclang-rt-14-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-${FUZZ_BUILD:-$root/build-fuzz}}

if ! command -v clang >/dev/null 2>&1; then
  echo "build.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$root" \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Doptimization=1 -Ddebug=true \
    -Dc_args=-fsanitize=fuzzer-no-link
else
  # An older build may not know a target added since: meson compile looks targets up
  # before ninja would regenerate the build, so regenerate it first.
  ninja -C "$build" build.ninja >/dev/null
fi
set --
for t in ${FUZZ_TARGETS:-dataset dimacs http csv}; do
  set -- "$@" "fuzz-$t"
done
meson compile -C "$build" "$@"
