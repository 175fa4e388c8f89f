#!/bin/sh
# run.sh [SECONDS]: builds the fuzz targets (build.sh) and fuzzes each for SECONDS
# (default 60), starting from corpus/<target>/ and regressions/<target>/.  New corpus
# entries, crash reproducers and logs go to a scratch directory, never into the tree:
# $FUZZ_WORK, else a new temporary directory.  $FUZZ_TARGETS picks targets (default
# "dataset dimacs http csv").  Prints one TAP line per target with its runs, executions
# per second and coverage; exits non-zero when a target crashed, naming the reproducer.
# Replay one with: DIR/tests/fuzz/fuzz-TARGET REPRODUCER.
set -eu
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
work=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/handen-fuzz-XXXXXX")}
targets=${FUZZ_TARGETS:-dataset dimacs http csv}
mkdir -p "$work"

if ! FUZZ_TARGETS="$targets" "$here/build.sh" "$build" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  echo "Bail out! building the fuzz targets failed, see $work/build.log"
  exit 1
fi

# Sanitizers: stop at the first error with a full report; leaks are errors too.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export HANDEN_FIXTURES="$root/fixtures"
export G_DEBUG=fatal-criticals

max_len() {
  case $1 in
    dataset) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

n=0
failed=0
for t in $targets; do
  n=$((n + 1))
  corpus="$work/corpus/$t"
  artifacts="$work/artifacts/$t"
  log="$work/$t.log"
  mkdir -p "$corpus" "$artifacts"
  set -- "$corpus" "$here/corpus/$t"
  [ -d "$here/regressions/$t" ] && set -- "$@" "$here/regressions/$t"
  [ -f "$here/$t.dict" ] && set -- "-dict=$here/$t.dict" "$@"
  status=0
  "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$@" >"$log" 2>&1 || status=$?
  inited=$(sed -n 's/^#[0-9]*[[:space:]]*INITED cov: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  if [ "$status" -eq 0 ] && [ -n "$done_line" ]; then
    runs=$(echo "$done_line" | sed 's/^#\([0-9]*\).*/\1/')
    cov=$(echo "$done_line" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$done_line" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$done_line" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
    speed=$(echo "$done_line" | sed -n 's/.* exec\/s: \([0-9]*\).*/\1/p')
    echo "ok $n fuzz-$t: $runs runs in $seconds s ($speed exec/s), cov ${inited:-?} -> $cov," \
      "ft $ft, corpus $corp"
  else
    failed=$((failed + 1))
    reproducer=$(ls -t "$artifacts" 2>/dev/null | head -n 1)
    echo "not ok $n fuzz-$t: exit status $status, reproducer: ${reproducer:+$artifacts/$reproducer}"
    grep -E 'ERROR|SUMMARY|^fuzz:|runtime error|#[0-9]+ 0x' "$log" | head -n 30 | sed 's/^/# /'
    echo "# log: $log"
    [ -n "$reproducer" ] && echo "# replay: $build/tests/fuzz/fuzz-$t $artifacts/$reproducer"
  fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
