#!/bin/sh
# bench-http.sh: the HTTP JSON API at national scale, measured with wrk on loopback next
# to a minimal libmicrohttpd server (bench/hello.c) in the same run.  It generates the
# national dataset (7,000 schools, 100,000 employees, 2 weeks), imports it into a
# temporary store, runs a matching round on it, creates a coordinator token, starts
# `handen serve` and `hello` on free loopback ports and measures:
#   hello        GET / (a fixed small JSON body)
#   proposals    GET /v1/proposals?district=D&limit=100 (D: the district with most proposals)
#   gzip         the same with Accept-Encoding: gzip, as browsers send it
#   approvals    POST /v1/proposals/{id}/approve, every proposal id once, in id order
#   cold         the page of proposals right after an approval (so computed afresh, as
#                the approval changed the store), one request at a time, COLD_SAMPLES
#                (default 40) times: the client's time (curl), median and 90th percentile
# printing requests/s and latency for each and the ratio to hello.  Everything runs on
# 127.0.0.1, each wrk run is bounded in time, and every process started here is
# stopped on exit (trap).
#
# Usage: bench/bench-http.sh [BUILD_DIR] (default: build).  Environment: DURATION
# (default 10s), APPROVALS_DURATION (default 5s: wrk divides by the whole duration, so
# the approvals must not run out of proposals before it ends; a run that runs out is
# flagged as a lower bound), CONNECTIONS (64), THREADS (2), SCHOOLS and EMPLOYEES
# (default 7000 and 100000: national), COMPARE (another handen program, e.g. an older
# build: its approvals are measured too, on a second copy of the same store, right
# after; it must know the store's schema version, as a program refuses a store migrated
# by a newer one).  Needs wrk and python3 (apt-get install -y wrk).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bench=bench-http
. "$here/bench-common.sh"
compare=${COMPARE:-}
hello="$build/bench/hello"

for program in "$handen" "$gen" "$hello"; do
  if [ ! -x "$program" ]; then
    echo "bench-http: $program is missing (meson compile -C $build)" >&2
    exit 2
  fi
done
bench_need_wrk

serve_pid=
hello_pid=
# shellcheck disable=SC2086 # no pid or an empty one
bench_cleanup() { bench_stop $serve_pid $hello_pid; }
bench_workspace

db="$work/nl.db"
start=$(date +%s)
"$gen" --schools "$schools" --employees "$employees" --weeks 2 --seed 1 >"$work/nl.json"
"$handen" import --replace --db "$db" "$work/nl.json" | tail -n 1
"$handen" match --db "$db" | tail -n 1
token=$("$handen" token create --db "$db" --role coordinator 2>/dev/null)
echo "data ready in $(($(date +%s) - start)) s"

# The district with most proposals, and every proposal id in id order.
district=$(python3 - "$db" "$work/ids" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
district = db.execute(
    "SELECT s.district_id FROM assignments a JOIN requests r ON r.id = a.request_id"
    " JOIN schools s ON s.id = r.school_id WHERE a.status = 'proposed'"
    " GROUP BY s.district_id ORDER BY count(*) DESC, s.district_id LIMIT 1").fetchone()[0]
with open(sys.argv[2], "w") as out:
    for (id,) in db.execute("SELECT id FROM assignments WHERE status = 'proposed' ORDER BY id"):
        out.write(id + "\n")
print(district)
EOF
)
proposals=$(wc -l <"$work/ids")

if [ -n "$compare" ]; then
  cp "$db" "$work/compare.db"
fi

"$handen" serve --db "$db" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
serve_pid=$!
"$hello" 0 >"$work/hello.out" &
hello_pid=$!
serve_port=$(bench_wait_for "$work/serve.out" "$bench_serve_port")
hello_port=$(bench_wait_for "$work/hello.out" 's|^\([0-9][0-9]*\)$|\1|p')

# Runs wrk with the given script and URL (and script arguments) for $run_for (default
# $duration); prints its RESULT line.
measure() {
  script=$1
  shift
  HANDEN_TOKEN=$token wrk -t "$threads" -c "$connections" -d "${run_for:-$duration}" --timeout 5s \
    --latency -s "$here/wrk/$script" "$@" >"$work/wrk.out"
  grep '^RESULT' "$work/wrk.out"
}

echo "machine: $(bench_machine)"
approvals_duration=${APPROVALS_DURATION:-5s}
echo "wrk -t $threads -c $connections -d $duration (approvals $approvals_duration) on 127.0.0.1;" \
  "district $district; $proposals proposals"
for coding in identity gzip; do
  echo "probe ($coding): $(curl -s -o /dev/null -w '%{http_code} %{size_download} bytes' \
    -H "Authorization: Bearer $token" -H "Accept-Encoding: $coding" \
    "http://127.0.0.1:$serve_port/v1/proposals?district=$district&limit=100" 2>/dev/null ||
    echo 'curl missing')"
done

hello_line=$(measure get.lua "http://127.0.0.1:$hello_port/")
read_line=$(measure get.lua "http://127.0.0.1:$serve_port/v1/proposals?district=$district&limit=100")
gzip_line=$(ACCEPT_ENCODING=gzip measure get.lua \
  "http://127.0.0.1:$serve_port/v1/proposals?district=$district&limit=100")
approve_line=$(run_for=$approvals_duration measure approve.lua "http://127.0.0.1:$serve_port" -- \
  "$work/ids" "$threads")

hello_rate=$(field requests_per_s "$hello_line")
report() { # report NAME LINE
  rate=$(field requests_per_s "$2")
  ratio=$(awk -v a="$rate" -v b="$hello_rate" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  printf '%-10s %10s req/s  p50 %8s ms  p99 %8s ms  %7s of hello' "$1" "$rate" \
    "$(field p50_ms "$2")" "$(field p99_ms "$2")" "$ratio"
  shift 2
  for extra in "$@"; do
    printf '  %s' "$extra"
  done
  printf '\n'
}
report hello "$hello_line" "non-2xx=$(field non2xx "$hello_line")" \
  "errors=$(field errors "$hello_line")"
report proposals "$read_line" "non-2xx=$(field non2xx "$read_line")" \
  "errors=$(field errors "$read_line")"
report gzip "$gzip_line" "non-2xx=$(field non2xx "$gzip_line")" \
  "errors=$(field errors "$gzip_line")"
# Approvals that ran out of proposals before wrk stopped give a lower bound (up to one
# request per connection may still be under way when it stops).
report_approvals() { # report_approvals LINE [EXTRA]
  line=$1
  shift
  if [ "$(field approved "$line")" -ge "$((proposals - connections))" ]; then
    set -- "$@" "(ran out of the $proposals proposals: a lower bound)"
  fi
  report approvals "$line" "2xx=$(field approved "$line")" "409=$(field conflict "$line")" \
    "other=$(field other "$line")" "$@"
}
report_approvals "$approve_line"

# Cold pages: approve a proposal from the end of the list (the approvals above went
# through it from the start), then read the page, which the approval made stale.
samples=${COLD_SAMPLES:-40}
tail -n "$samples" "$work/ids" | while read -r id; do
  curl -s -o /dev/null -X POST -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$serve_port/v1/proposals/$id/approve"
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$serve_port/v1/proposals?district=$district&limit=100"
done | sort -n | awk '{ t[NR] = $1 * 1000 } END {
  printf "cold       %10s        median %8.3f ms  p90 %8.3f ms  (%d pages after an approval)\n",
    "-", t[int((NR + 1) / 2)], t[int(NR * 0.9 + 0.5)], NR }'

if [ -n "$compare" ]; then
  bench_stop "$serve_pid"
  "$compare" serve --db "$work/compare.db" --port 0 >"$work/compare.out" 2>"$work/compare.err" &
  serve_pid=$!
  compare_port=$(bench_wait_for "$work/compare.out" "$bench_serve_port")
  compare_line=$(run_for=$approvals_duration measure approve.lua \
    "http://127.0.0.1:$compare_port" -- "$work/ids" "$threads")
  report_approvals "$compare_line" "($compare)"
fi
