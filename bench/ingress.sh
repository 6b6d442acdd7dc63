#!/usr/bin/env bash
# Throughput and latency of POST /callbacks/calling (RS256 token verified, envelope checked, every notification
# delivered by key to a consumer bundle) against a bare Vert.x handler that only parses the same JSON, in one
# run, with wrk over loopback; then the ingress alone at a paced 5,000 notifications/s.
# Usage: bench/ingress.sh [seconds per run, default 10]; BENCH_SCRAPE_MS=N also reads /metrics every N ms meanwhile.
set -euo pipefail
seconds=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -qq wrk > /dev/null; }
# BENCH_NO_BUILD=1: the caller built the platform's classes and test bundles (e.g. to compare two trees).
[ -n "${BENCH_NO_BUILD:-}" ] || mvn -q -DskipTests install
source bench/harness.sh
start_harness dev.switchboard.platform.IngressBenchmark
ingress=${ready[1]}; bare=${ready[2]}; tokenfile=${ready[3]}
export TOKEN=$(cat "$tokenfile")

cpu() { # the harness's CPU time so far, in clock ticks (1/100 s)
  awk '{ print $14 + $15 }' "/proc/$harness/stat"
}
run() { # name url connections rate; also prints the harness's CPU time per request (less sensitive to other load)
  local before out
  before=$(cpu)
  out=$(CONNECTIONS=$3 RATE=$4 wrk -t2 -c"$3" -d"${seconds}s" --latency -s bench/ingress.lua "$2" | grep '^RESULT' | sed "s|^RESULT|$1|")
  awk -v out="$out" -v ticks=$(( $(cpu) - before )) 'BEGIN { match(out, /requests=[0-9]+/); n = substr(out, RSTART + 9, RLENGTH - 9)
    printf "%s cpu_us_per_request=%.1f load=%s\n", out, ticks * 10000 / n, "'"$(cut -d' ' -f1 /proc/loadavg)"'" }'
}
echo "warm-up"; run warm-ingress "http://127.0.0.1:$ingress" 32 0 > /dev/null; run warm-bare "http://127.0.0.1:$bare" 32 0 > /dev/null
b=$(run bare "http://127.0.0.1:$bare" 32 0)
i=$(run ingress "http://127.0.0.1:$ingress" 32 0)
p=$(run "ingress@5000/s" "http://127.0.0.1:$ingress" 50 5000)
echo "$b"; echo "$i"; echo "$p"
rb=$(sed 's/.*rps=\([0-9]*\).*/\1/' <<< "$b"); ri=$(sed 's/.*rps=\([0-9]*\).*/\1/' <<< "$i")
awk -v i="$ri" -v b="$rb" 'BEGIN { printf "throughput ratio ingress/bare: %.2f (target at least 0.70)\n", i / b }'
cb=$(sed 's/.*cpu_us_per_request=\([0-9.]*\).*/\1/' <<< "$b"); ci=$(sed 's/.*cpu_us_per_request=\([0-9.]*\).*/\1/' <<< "$i")
awk -v i="$ci" -v b="$cb" 'BEGIN { printf "CPU per request bare/ingress: %.2f (the same ratio by CPU time, which other load moves less)\n", b / i }'
stop_harness
grep -E '^ACCEPTED' "$harness_out"
