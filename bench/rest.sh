#!/usr/bin/env bash
# What REST authentication costs: GET of a trivial route (the hello test bundle's /api/v1/hello/:name) on a server
# with api.auth: none against the same route on a server (same JVM) that checks an API key on every request, with
# wrk over loopback; after a warm-up the two alternate for some rounds (4) and the median of the rounds' ratios is given.
# Usage: bench/rest.sh [seconds per run, default 10] [rounds, default 4]
set -euo pipefail
seconds=${1:-10}
rounds=${2:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -qq wrk > /dev/null; }
mvn -q -pl platform -am verify -DskipTests
source bench/harness.sh
start_harness dev.switchboard.platform.RestBenchmark
open=${ready[1]}; keyed=${ready[2]}; keyfile=${ready[3]}
key=$(cat "$keyfile")

run() { # name port key
  KEY=$3 wrk -t2 -c32 -d"${seconds}s" --latency -s bench/rest.lua "http://127.0.0.1:$2/api/v1/hello/bench" \
    | grep '^RESULT' | sed "s|^RESULT|$1|"
}
rps() { sed 's/.*rps=\([0-9]*\).*/\1/' <<< "$1"; }
echo "warm-up"; run warm-open "$open" "" > /dev/null; run warm-key "$keyed" "$key" > /dev/null
# Rounds alternate which goes first, so that drift on a shared machine weighs on both alike.
ratios=()
for round in $(seq "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then
    o=$(run "api.auth=none#$round" "$open" ""); k=$(run "api-key#$round" "$keyed" "$key")
  else
    k=$(run "api-key#$round" "$keyed" "$key"); o=$(run "api.auth=none#$round" "$open" "")
  fi
  echo "$o"; echo "$k"
  ratios+=("$(awk -v k="$(rps "$k")" -v o="$(rps "$o")" 'BEGIN { printf "%.3f", k / o }')")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1; all = all " " $1 } END {
  m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  printf "key/none throughput per round (sorted):%s; median %.3f (cost %.1f%%, target under 5%%)\n", all, m, (1 - m) * 100 }'
stop_harness
