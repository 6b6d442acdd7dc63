#!/usr/bin/env bash
# Measures `switchboard run` from JVM launch to its "Switchboard ready" line, with every first-party bundle
# in the deploy folder, against a bare JVM running `switchboard --version` (launch to exit) in the same run.
# Usage: bench/startup.sh [runs]   (default 7; needs `mvn -DskipTests package` first)
set -euo pipefail
runs=${1:-7}
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/launcher/target/switchboard"
[ -d "$dist/lib" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

baseline=()
server=()
for i in $(seq "$runs"); do
  t0=$(now)
  "$java" -cp "$dist/lib/*" dev.switchboard.launcher.Main --version > /dev/null
  baseline+=($(( ($(now) - t0) / 1000000 )))

  rm -rf "$work/data"
  t0=$(now)
  coproc SERVER { SWITCHBOARD_HTTP_PORT=0 SWITCHBOARD_ADMIN_PORT=0 SWITCHBOARD_DATA_DIR="$work/data" \
    exec "$java" -Dswitchboard.home="$dist" -cp "$dist/lib/*" dev.switchboard.launcher.Main run 2>&1; }
  ready=""
  while IFS= read -r line <&"${SERVER[0]}"; do
    case $line in
      *"Switchboard ready"*) ready=$(( ($(now) - t0) / 1000000 )); break ;;
    esac
  done
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$ready" ] || { echo "run $i: the server never printed its ready line" >&2; exit 1; }
  server+=("$ready")
  bundles=$(ls "$dist/deploy"/*.jar | wc -l)
done

b=$(printf '%s\n' "${baseline[@]}" | median)
s=$(printf '%s\n' "${server[@]}" | median)
echo "runs: $runs, first-party bundles in deploy/: $bundles"
echo "bare JVM (switchboard --version, launch to exit), ms: ${baseline[*]}  median $b"
echo "switchboard run, launch to ready line, ms:           ${server[*]}  median $s"
awk -v s="$s" -v b="$b" 'BEGIN { printf "ratio run/bare JVM: %.2f   target: ready under 1500 ms -> %s\n", s/b, (s < 1500 ? "met" : "NOT met") }'
