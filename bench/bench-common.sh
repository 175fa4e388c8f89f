# bench-common.sh: what the load benchmarks (bench-http.sh, bench-pg.sh) share, read
# with `. "$here/bench-common.sh"` after setting `bench` to the script's name (for its
# messages).  It sets the settings both take: the build folder from the script's first
# argument (default build), the programs in it, and DURATION (default 10s),
# CONNECTIONS (64), THREADS (2), SCHOOLS (7000) and EMPLOYEES (100000) from the
# environment; it starts nothing.
build=${1:-build}
handen="$build/api/handen"
gen="$build/fixtures/handen-gen"
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
schools=${SCHOOLS:-7000}
employees=${EMPLOYEES:-100000}

# bench_stop PID...: stops processes this script started and waits for them.
bench_stop() {
  for pid in "$@"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# bench_workspace: a new folder $work, removed on exit after the script's own
# bench_cleanup (which stops what it started); INT and TERM exit as well.
bench_workspace() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/handen-$bench-XXXXXX")
  trap 'bench_cleanup; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
}

# bench_need PROGRAM PACKAGE: makes sure PROGRAM is there (installs the Debian PACKAGE
# when run as root), else exits 2 naming the package.
bench_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y "$2" >/dev/null
  else
    echo "$bench: $1 is missing: apt-get install -y $2" >&2
    exit 2
  fi
}

# bench_need_wrk: makes sure wrk is there, else exits 2.
bench_need_wrk() {
  bench_need wrk wrk
}

# bench_wait_for FILE EXPR: waits up to 60 s for a line of FILE matching the sed
# expression EXPR (which prints what it matches) and prints the first match; fails
# with a message naming FILE otherwise.
bench_wait_for() {
  tries=0
  while [ $tries -lt 600 ]; do
    found=$(sed -n "$2" "$1" 2>/dev/null | head -n 1)
    if [ -n "$found" ]; then
      echo "$found"
      return 0
    fi
    tries=$((tries + 1))
    sleep 0.1
  done
  echo "$bench: no answer in $1" >&2
  return 1
}

# The sed expression that finds the port in what `handen serve` prints.
bench_serve_port='s|^handen: serving http://127.0.0.1:\([0-9]*\)/.*|\1|p'

# bench_machine: the cores and the processor, for the first line of a report.
bench_machine() {
  echo "$(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
}

# field NAME LINE: the value of NAME=VALUE in a RESULT line of the wrk scripts.
field() {
  echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}
