#!/usr/bin/env bash
# Measures `switchboard run` from JVM launch to its "Switchboard ready" line, with every first-party bundle
# in the deploy folder, against a bare JVM running `switchboard --version` (launch to exit) in the same run:
# once as `java -cp lib/*` without the class-data-sharing archive, once as bin/switchboard (which uses
# lib/switchboard.jsa, written by the build, and SWITCHBOARD_OPTS). Also reports the server's RSS two seconds
# after its ready line, and the machine's load average.
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

# Starts the server with the given command, prints "<ms to ready> <RSS KiB 2 s after ready>".
ready_ms() {
  rm -rf "$work/data"
  local t0 ready="" rss
  t0=$(now)
  coproc SERVER { SWITCHBOARD_HTTP_PORT=0 SWITCHBOARD_ADMIN_PORT=0 SWITCHBOARD_DATA_DIR="$work/data" exec "$@" 2>&1; }
  while IFS= read -r line <&"${SERVER[0]}"; do
    case $line in
      *"Switchboard ready"*) ready=$(( ($(now) - t0) / 1000000 )); break ;;
    esac
  done
  sleep 2   # what it logs after its ready line fits in the pipe
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$ready" ] || { echo "the server never printed its ready line" >&2; exit 1; }
  echo "$ready $rss"
}

baseline=(); plain=(); cds=(); rss_plain=(); rss_cds=(); loads=()
for i in $(seq "$runs"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  t0=$(now)
  "$java" -cp "$dist/lib/*" dev.switchboard.launcher.Main --version > /dev/null
  baseline+=($(( ($(now) - t0) / 1000000 )))
  read -r ms kb < <(ready_ms "$java" -Dswitchboard.home="$dist" -cp "$dist/lib/*" dev.switchboard.launcher.Main run)
  plain+=("$ms"); rss_plain+=("$kb")
  read -r ms kb < <(ready_ms "$dist/bin/switchboard" run)
  cds+=("$ms"); rss_cds+=("$kb")
done
bundles=$(ls "$dist/deploy"/*.jar | wc -l)
archive=$([ -f "$dist/lib/switchboard.jsa" ] && echo "lib/switchboard.jsa present" || echo "NO lib/switchboard.jsa")

b=$(printf '%s\n' "${baseline[@]}" | median)
p=$(printf '%s\n' "${plain[@]}" | median)
c=$(printf '%s\n' "${cds[@]}" | median)
rp=$(printf '%s\n' "${rss_plain[@]}" | median)
rc=$(printf '%s\n' "${rss_cds[@]}" | median)
echo "runs: $runs, first-party bundles in deploy/: $bundles, $archive, SWITCHBOARD_OPTS='${SWITCHBOARD_OPTS:-}'"
echo "load average (1 min) at each run's start: ${loads[*]} on $(nproc) cores"
echo "bare JVM (switchboard --version, launch to exit), ms: ${baseline[*]}  median $b"
echo "java -cp lib/* ... run, launch to ready line, ms:    ${plain[*]}  median $p"
echo "bin/switchboard run (archive), launch to ready, ms:  ${cds[*]}  median $c"
echo "RSS 2 s after ready, MiB: java -cp $((rp / 1024)), bin/switchboard $((rc / 1024))"
awk -v p="$p" -v c="$c" -v b="$b" 'BEGIN {
  printf "ratio to bare JVM: java -cp %.2f, bin/switchboard %.2f   target: at most 3 -> %s\n", p/b, c/b, (c/b <= 3 ? "met" : "NOT met") }'
