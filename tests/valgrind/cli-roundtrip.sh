#!/bin/sh
# Runs the command line's round trip under valgrind memcheck: validate, import, export,
# import of the export, a matching round on the store, an offline round with its check.
# Any memcheck error or definite leak fails the test.  Skipped (exit 77) without
# valgrind.  Usage: cli-roundtrip.sh HANDEN FIXTURES_DIR
set -eu
handen=$1
fixture=$2/almere.json
command -v valgrind >/dev/null 2>&1 || { echo "1..0 # SKIP valgrind is not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

n=0
fail=0
check() {
  n=$((n + 1))
  name=$1
  shift
  if G_SLICE=always-malloc G_DEBUG=gc-friendly valgrind --quiet --error-exitcode=99 \
       --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
       --track-origins=yes --log-file="$work/$name.log" "$handen" "$@" >"$work/$name.out" 2>&1; then
    echo "ok $n $name"
  else
    echo "not ok $n $name"
    sed 's/^/# /' "$work/$name.log" "$work/$name.out" | head -60
    fail=1
  fi
}

echo "1..7"
check validate validate "$fixture"
check import import --replace --db "$work/a.db" "$fixture"
check export export --db "$work/a.db" --output "$work/export.json"
check reimport import --db "$work/a.db" "$work/export.json"
check match-store match --db "$work/a.db"
check match-offline match --input "$fixture" --output "$work/result.json"
check check check --input "$fixture" --result "$work/result.json"
exit $fail
