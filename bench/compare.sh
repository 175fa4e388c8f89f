#!/bin/sh
# compare.sh: the performance figures in one go, each next to its target and, where it
# has one, the reference measured in the same run, as one table:
#   store round    `handen match --db` on the national store: time, peak RSS, bytes per
#                  candidate arc built
#   file round     `handen match --input` on the national JSON: time, peak RSS
#   scale          `handen match --input` at 1x, 2x and 4x the schools and employees
#                  (2 weeks): nodes, arcs built, time, peak RSS, and the growth of time
#                  against the growth of arcs
#   solver         the round's whole flow network (`--dump-dimacs`) solved by handen's
#                  solver (bench-mcf) and by LEMON's NetworkSimplex (bench-lemon), both
#                  timed the same way (parsing untimed, best of REPEATS); the round's
#                  exact answer (`exact_ms`, without the continuity charge, which the
#                  dump leaves out: every component's relaxation, network built, solved
#                  and priced in) against LEMON on the whole network, the same problem;
#                  and every solve of that round (`solve_ms`: with the crossing search,
#                  a heuristic past the exact answer)
#   HTTP           bench-http.sh: reads and approvals next to a bare libmicrohttpd server
# Usage: bench/compare.sh [BUILD_DIR] (default build; it builds what it runs).
# Environment: SCHOOLS and EMPLOYEES (the 1x scale, default 7000 and 100000: national),
# FACTORS (default "1 2 4"), REPEATS (solver runs, default 3), SKIP (words among
# "scale solver http" to leave out), and bench-http.sh's DURATION, CONNECTIONS, THREADS.
# LEMON rows need liblemon-dev (optional in meson); HTTP needs wrk.  Everything runs in
# a temporary folder, removed on exit.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bench=compare
. "$here/bench-common.sh"
skip=${SKIP:-}
factors=${FACTORS:-1 2 4}
repeats=${REPEATS:-3}

meson compile -C "$build" api/handen fixtures/handen-gen bench/bench-mcf bench/hello >/dev/null
lemon="$build/bench/bench-lemon"
meson compile -C "$build" bench/bench-lemon >/dev/null 2>&1 || true # built only with LEMON
bench_need /usr/bin/time time

bench_cleanup() { :; }
bench_workspace

skipped() { case " $skip " in *" $1 "*) return 0 ;; esac; return 1; }

# timed NAME COMMAND...: runs COMMAND (output to $work/NAME.out, errors to .err) and
# sets $secs and $mib from GNU time; stops the script with the errors when it fails.
timed() {
  name=$1
  shift
  if ! /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "compare: $name failed:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
  read -r secs kib <"$work/$name.time"
  mib=$(awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1024 }')
}

# result_stat FILE KEY: a number from the result JSON's statistics (network.nodes, timings.solve_ms).
result_stat() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
value = json.load(open(sys.argv[1]))["statistics"]
for key in sys.argv[2].split("."):
    value = value[key]
print(value)
EOF
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "met" : "NOT met" }'; }

rows="$work/rows"
: >"$rows"
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" >>"$rows"; }

echo "machine: $(bench_machine); load average $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "1x: $schools schools, $employees employees, 2 weeks; factors $factors"

# ---- the national set, as a file and as a store ----------------------------------
"$gen" --schools "$schools" --employees "$employees" --weeks 2 --seed 1 >"$work/x1.json"
"$handen" import --replace --db "$work/store.db" "$work/x1.json" >/dev/null

timed store "$handen" match --db "$work/store.db" --quiet
store_secs=$secs store_mib=$mib
timed file "$handen" match --input "$work/x1.json" --timings --quiet -o "$work/x1.result.json"
arcs=$(result_stat "$work/x1.result.json" network.arcs)
per_arc=$(awk -v k="$kib" -v a="$arcs" 'BEGIN { printf "%.0f", k * 1024 / a }')
store_per_arc=$(awk -v m="$store_mib" -v a="$arcs" 'BEGIN { printf "%.0f", m * 1048576 / a }')
row "round on the store (\`match --db\`)" "$store_secs s, $store_mib MiB ($store_per_arc bytes per arc of $arcs)" \
  "<= 2 s, <= 80 bytes per arc" "$(met "$store_secs" 2), $(met "$store_per_arc" 80)"
row "round on the file (\`match --input\`)" "$secs s, $mib MiB ($per_arc bytes per arc)" "<= 3 s" "$(met "$secs" 3)"

# ---- scale --------------------------------------------------------------------------
if ! skipped scale; then
  echo
  echo "scale   schools employees    nodes      arcs   time s  peak MiB  time/arcs vs 1x"
  base_arcs= base_secs=
  for f in $factors; do
    if [ "$f" = 1 ]; then
      json="$work/x1.json"
    else
      json="$work/x$f.json"
      "$gen" --schools $((schools * f)) --employees $((employees * f)) --weeks 2 --seed 1 >"$json"
    fi
    timed "scale$f" "$handen" match --input "$json" --timings --quiet -o "$work/x$f.result.json"
    nodes=$(result_stat "$work/x$f.result.json" network.nodes)
    f_arcs=$(result_stat "$work/x$f.result.json" network.arcs)
    base_arcs=${base_arcs:-$f_arcs} base_secs=${base_secs:-$secs}
    growth=$(awk -v s="$secs" -v bs="$base_secs" -v a="$f_arcs" -v ba="$base_arcs" \
      'BEGIN { printf "%.2f", (s / bs) / (a / ba) }')
    printf '%-5s %9d %9d %8d %9d %8s %9s %18s\n' "${f}x" $((schools * f)) $((employees * f)) \
      "$nodes" "$f_arcs" "$secs" "$mib" "$growth"
    if [ "$f" = 4 ]; then
      row "4x national (\`match --input\`)" "$secs s, $mib MiB, $f_arcs arcs" "<= 10 s, <= 2048 MiB" \
        "$(met "$secs" 10), $(met "$mib" 2048)"
    fi
    [ "$f" = 1 ] || rm -f "$json"
  done
fi

# ---- the solver against LEMON ---------------------------------------------------------
if ! skipped solver; then
  echo
  # Without the continuity charge the dumped network is exactly the problem whose
  # optimum the round's exact answer is (the dump leaves that charge out).
  timed dump "$handen" match --input "$work/x1.json" --timings --quiet -o "$work/dump.result.json" \
    --no-continuity --dump-dimacs "$work/round.min"
  exact_ms=$(result_stat "$work/dump.result.json" timings.exact_ms)
  solves_ms=$(result_stat "$work/dump.result.json" timings.solve_ms)
  "$build/bench/bench-mcf" -r "$repeats" "$work/round.min" | tee "$work/mcf.out"
  handen_ms=$(sed -n 's/.* best=\([0-9.]*\) ms.*/\1/p' "$work/mcf.out")
  if [ -x "$lemon" ]; then
    "$lemon" -r "$repeats" "$work/round.min" | tee "$work/lemon.out"
    lemon_ms=$(sed -n 's/.* best=\([0-9.]*\) ms.*/\1/p' "$work/lemon.out")
    handen_cost=$(sed -n 's/.* cost=\([-0-9]*\) .*/\1/p' "$work/mcf.out")
    lemon_cost=$(sed -n 's/.* cost=\([-0-9]*\) .*/\1/p' "$work/lemon.out")
    same=$([ "$handen_cost" = "$lemon_cost" ] && echo "optima equal" || echo "OPTIMA DIFFER")
    whole=$(ratio "$handen_ms" "$lemon_ms")
    row "solver on the whole round network" "$handen_ms ms against LEMON $lemon_ms ms: $whole, $same" \
      "<= 0.8x LEMON" "$(met "${whole%x}" 0.8)"
    exact=$(ratio "$exact_ms" "$lemon_ms")
    row "the round's exact answer (decomposition, pricing)" \
      "$exact_ms ms against LEMON's whole network: $exact" "<= 0.1x LEMON" "$(met "${exact%x}" 0.1)"
    row "the round's solves in all (exact answer, crossing search)" \
      "$solves_ms ms against LEMON's whole network: $(ratio "$solves_ms" "$lemon_ms")" "-" "-"
  else
    row "solver on the whole round network" "$handen_ms ms (LEMON not built: install liblemon-dev)" \
      "<= 0.8x LEMON" "-"
  fi
fi

# ---- HTTP -------------------------------------------------------------------------------
if ! skipped http; then
  echo
  SCHOOLS=$schools EMPLOYEES=$employees "$here/bench-http.sh" "$build" | tee "$work/http.out"
  http_field() { # http_field NAME COLUMN: a column of bench-http.sh's line NAME
    awk -v name="$1" -v col="$2" '$1 == name { print $col }' "$work/http.out"
  }
  reads_share=$(http_field proposals 10)
  reads_p99=$(http_field proposals 8)
  row "GET /v1/proposals at $connections connections, Accept-Encoding: gzip" \
    "$(http_field gzip 2) req/s ($(http_field gzip 10) of hello), p99 $(http_field gzip 8) ms" \
    ">= 50% of hello, p99 < 10 ms" \
    "$(met 50 "$(http_field gzip 10 | tr -d %)"), $(met "$(http_field gzip 8)" 10)"
  row "GET /v1/proposals at $connections connections, no Accept-Encoding" \
    "$(http_field proposals 2) req/s ($reads_share of hello), p99 $reads_p99 ms" \
    ">= 50% of hello, p99 < 10 ms" "$(met 50 "${reads_share%\%}"), $(met "$reads_p99" 10)"
  cold_median=$(http_field cold 4)
  row "cold page of 100 proposals (after an approval; client's time)" \
    "median $cold_median ms, p90 $(http_field cold 7) ms" "< 0.5 ms of server time" \
    "$(met "$cold_median" 0.5)"
  approvals_p99=$(http_field approvals 8)
  approvals_rate=$(http_field approvals 2)
  row "approvals at $connections connections" "$approvals_rate req/s, p99 $approvals_p99 ms" \
    ">= 5000/s, p99 < 20 ms" "$(met 5000 "$approvals_rate"), $(met "$approvals_p99" 20)"
fi

echo
echo "| figure | measured | target | |"
echo "|---|---|---|---|"
cat "$rows"
