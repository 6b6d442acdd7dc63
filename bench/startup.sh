#!/usr/bin/env bash
# Measures `switchboard run` from JVM launch to /health/ready answering 200 (every bundle in deploy/ installed, its
# plugins started), with every first-party bundle in the deploy folder, against a bare JVM running
# `switchboard --version` (launch to exit) in the same run: once as `java -cp lib/*` without the class-data-sharing
# archive, once as bin/switchboard (which uses lib/switchboard.jsa, written by the build, and SWITCHBOARD_OPTS).
# Also reports when the "Switchboard ready" log line came (ports and admin API up, plugins maybe still starting),
# the server's RSS two seconds after it was ready, and the machine's load average.
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

# Starts the server with the given command, prints "<ms to /health/ready answering 200> <RSS KiB 2 s after that>
# <ms to the ready log line>". The log line says the ports and the admin API are up; /health/ready answers 200 once
# every bundle in deploy/ is installed and its plugins have started: that is the figure.
ready_ms() {
  rm -rf "$work/data"
  local t0 ready="" line_ms="" url rss
  t0=$(now)
  coproc SERVER { SWITCHBOARD_HTTP_PORT=0 SWITCHBOARD_ADMIN_PORT=0 SWITCHBOARD_DATA_DIR="$work/data" exec "$@" 2>&1; }
  while IFS= read -r line <&"${SERVER[0]}"; do
    case $line in
      *"Switchboard ready"*) line_ms=$(( ($(now) - t0) / 1000000 )); url=${line#*public }; url=${url%%,*}; break ;;
    esac
  done
  if [ -n "$line_ms" ]; then
    for _ in $(seq 3000); do
      curl -sf -o /dev/null "$url/health/ready" && { ready=$(( ($(now) - t0) / 1000000 )); break; }
      sleep 0.005
    done
  fi
  # What it logs meanwhile goes to a file, so that the pipe never fills.
  cat <&"${SERVER[0]}" > "$work/server.log" &
  sleep 2
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0)
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$ready" ] || { echo "the server never answered 200 on /health/ready" >&2; exit 1; }
  echo "$ready $rss $line_ms"
}

baseline=(); plain=(); cds=(); cds_line=(); rss_plain=(); rss_cds=(); loads=()
for i in $(seq "$runs"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  t0=$(now)
  "$java" -cp "$dist/lib/*" dev.switchboard.launcher.Main --version > /dev/null
  baseline+=($(( ($(now) - t0) / 1000000 )))
  read -r ms kb line_ms < <(ready_ms "$java" -Dswitchboard.home="$dist" -cp "$dist/lib/*" dev.switchboard.launcher.Main run)
  plain+=("$ms"); rss_plain+=("$kb")
  read -r ms kb line_ms < <(ready_ms "$dist/bin/switchboard" run)
  cds+=("$ms"); rss_cds+=("$kb"); cds_line+=("$line_ms")
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
echo "java -cp lib/* ... run, launch to /health/ready 200, ms:    ${plain[*]}  median $p"
echo "bin/switchboard run (archive), launch to /health/ready 200, ms:  ${cds[*]}  median $c"
echo "  (its 'Switchboard ready' log line, ports and admin API up, ms: ${cds_line[*]}  median $(printf '%s\n' "${cds_line[@]}" | median))"
echo "RSS 2 s after /health/ready, MiB: java -cp $((rp / 1024)), bin/switchboard $((rc / 1024))"
awk -v p="$p" -v c="$c" -v b="$b" 'BEGIN {
  printf "ratio to bare JVM: java -cp %.2f, bin/switchboard %.2f   target: at most 3 -> %s\n", p/b, c/b, (c/b <= 3 ? "met" : "NOT met") }'
