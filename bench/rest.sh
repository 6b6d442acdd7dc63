#!/usr/bin/env bash
# What REST authentication costs: GET of a trivial route (the hello test bundle's /api/v1/hello/:name) on a server
# with api.auth: none against the same route on a server (same JVM) that checks an API key on every request, with
# wrk over loopback; the two alternate, twice each, after a warm-up, and the best run of each is compared.
# Usage: bench/rest.sh [seconds per run, default 10]
set -euo pipefail
seconds=${1:-10}
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
best_open=0; best_key=0
for round in 1 2; do
  o=$(run "api.auth=none#$round" "$open" ""); echo "$o"
  k=$(run "api-key#$round" "$keyed" "$key"); echo "$k"
  [ "$(rps "$o")" -gt "$best_open" ] && best_open=$(rps "$o")
  [ "$(rps "$k")" -gt "$best_key" ] && best_key=$(rps "$k")
done
awk -v k="$best_key" -v o="$best_open" 'BEGIN { printf "best requests/s: none %d, key %d; key/none %.3f (cost %.1f%%, target under 5%%)\n", o, k, k / o, (1 - k / o) * 100 }'
stop_harness
