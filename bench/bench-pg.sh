#!/bin/sh
# bench-pg.sh: the two backends side by side at national scale.  Run inside a
# throwaway PostgreSQL cluster:
#   tests/pg/with-pg.sh bench/bench-pg.sh [BUILD_DIR]
# It generates the national dataset (7,000 schools, 100,000 employees, 2 weeks) and
# imports it into an SQLite file and into two schemas of the cluster's database, then
# measures, printing one line each:
#   import       `handen import` into each store
#   round        `handen match --db` (load the store, match, save the proposals)
#   proposals    GET /v1/proposals?district=D&limit=100 with wrk
#   approvals    POST /v1/proposals/{id}/approve, every proposal id once
# on SQLite with one `handen serve`, on PostgreSQL with one, and with two instances on
# one database (two wrk processes, half the connections and half the ids each).
# Environment: DURATION (default 10s), CONNECTIONS (64), THREADS (2), SCHOOLS (7000)
# and EMPLOYEES (100000) for a smaller trial.  Every process started here is stopped on
# exit (trap).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bench=bench-pg
. "$here/bench-common.sh"
if [ -z "${HANDEN_TEST_PG:-}" ]; then
  echo "bench-pg: run it as tests/pg/with-pg.sh bench/bench-pg.sh" >&2
  exit 2
fi
bench_need_wrk

pids=
# shellcheck disable=SC2086 # pids: numbers
bench_cleanup() { bench_stop $pids; }
bench_workspace

psql_run() { psql -X -q -v ON_ERROR_STOP=1 "$HANDEN_TEST_PG" "$@"; }
psql_run -c "CREATE SCHEMA one" -c "CREATE SCHEMA two"
sqlite_db="$work/nl.db"
pg_one="$HANDEN_TEST_PG&options=-csearch_path%3Done"
pg_two="$HANDEN_TEST_PG&options=-csearch_path%3Dtwo"

seconds() { # seconds COMMAND...: runs it quietly, prints the wall time
  start=$(date +%s.%N)
  "$@" >/dev/null
  echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }'
}

"$gen" --schools "$schools" --employees "$employees" --weeks 2 --seed 1 \
  >"$work/nl.json"
echo "machine: $(bench_machine); wrk -t $threads -c $connections -d $duration on 127.0.0.1"
printf '%-28s %8s s %8s s %8s s\n' "" sqlite pg pg
printf '%-28s %8s s %8s s %8s s\n' import "$(seconds "$handen" import --replace --db "$sqlite_db" "$work/nl.json")" \
  "$(seconds "$handen" import --replace --db "$pg_one" "$work/nl.json")" \
  "$(seconds "$handen" import --replace --db "$pg_two" "$work/nl.json")"
printf '%-28s %8s s %8s s %8s s\n' "round (load, match, save)" "$(seconds "$handen" match --db "$sqlite_db")" \
  "$(seconds "$handen" match --db "$pg_one")" "$(seconds "$handen" match --db "$pg_two")"

# The district with most proposals and every proposal id: the same in every store, as
# the round is deterministic.
district=$(psql_run -At -c "SET search_path = one" -c "SELECT s.district_id FROM assignments a
  JOIN requests r ON r.id = a.request_id JOIN schools s ON s.id = r.school_id
  WHERE a.status = 'proposed' GROUP BY s.district_id ORDER BY count(*) DESC, s.district_id LIMIT 1")
psql_run -At -c "SET search_path = one" \
  -c "SELECT id FROM assignments WHERE status = 'proposed' ORDER BY id" >"$work/ids"
awk 'NR % 2 == 1' "$work/ids" >"$work/ids.0"
awk 'NR % 2 == 0' "$work/ids" >"$work/ids.1"

serve() { # serve DB NAME: starts an instance in the background
  "$handen" serve --db "$1" --port 0 >"$work/$2.out" 2>"$work/$2.err" &
  pids="$pids $!"
}

port_of() { # port_of NAME: waits for the instance to listen, prints its port
  bench_wait_for "$work/$1.out" "$bench_serve_port" || {
    cat "$work/$1.err" >&2
    exit 1
  }
}

# measure NAME CONNECTIONS SCRIPT URL [ARGS]: one wrk run in the background, its
# RESULT line in $work/NAME.result.
measure() {
  name=$1 c=$2 script=$3
  shift 3
  HANDEN_TOKEN=$token wrk -t "$threads" -c "$c" -d "$duration" --timeout 5s --latency \
    -s "$here/wrk/$script" "$@" >"$work/$name.wrk" 2>&1
  grep '^RESULT' "$work/$name.wrk" >"$work/$name.result"
}

report() { # report LABEL RESULT-FILES...: the sum of the rates, the worst p99
  line_label=$1
  shift
  cat "$@" | awk -v label="$line_label" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rate += v["requests_per_s"]; if (v["p99_ms"] > p99) p99 = v["p99_ms"]
      if (v["p50_ms"] > p50) p50 = v["p50_ms"]
      ok += v["approved"]; conflict += v["conflict"]; other += v["other"] + v["non2xx"]
    } END {
      printf "%-28s %9.0f req/s  p50 %7s ms  p99 %7s ms", label, rate, p50, p99
      if (ok > 0) printf "  2xx=%d 409=%d", ok, conflict
      printf "  other=%d\n", other }'
}

# each_instance WHAT SCRIPT PATH: one wrk run of SCRIPT per instance at the same time,
# on PATH; approvals take the proposal ids (half each with two instances).  Uses the
# configuration's name, ports and connections per instance.
each_instance() {
  what=$1 script=$2 path=$3
  i=0
  for port in $ports; do
    args=
    if [ "$what" = approve ]; then
      args="$work/ids $threads"
      [ "$instances" -gt 1 ] && args="$work/ids.$i $threads"
    fi
    # shellcheck disable=SC2086 # args: paths of mktemp's, without spaces
    measure "$name-$what-$i" "$per" "$script" "http://127.0.0.1:$port$path" ${args:+--} $args &
    wrks="$wrks $!"
    i=$((i + 1))
  done
  wait $wrks
  wrks=
}

# One configuration: NAME (for files) LABEL DB INSTANCES.
run_config() {
  name=$1 label=$2 db=$3 instances=$4
  token=$("$handen" token create --db "$db" --role coordinator 2>/dev/null)
  ports=
  i=0
  while [ $i -lt "$instances" ]; do
    serve "$db" "$name-$i"
    ports="$ports $(port_of "$name-$i")"
    i=$((i + 1))
  done
  per=$((connections / instances))
  each_instance read get.lua "/v1/proposals?district=$district&limit=100"
  report "$label proposals" "$work/$name"-read-*.result
  each_instance approve approve.lua ""
  report "$label approvals" "$work/$name"-approve-*.result
  # shellcheck disable=SC2086 # pids: numbers
  bench_stop $pids
  pids=
}

wrks=
run_config sqlite "sqlite" "$sqlite_db" 1
run_config pg1 "pg, 1 instance" "$pg_one" 1
run_config pg2 "pg, 2 instances" "$pg_two" 2
