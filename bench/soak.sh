#!/usr/bin/env bash
# Soak: ChaosSoakIT (bundles/ivr) runs ChaosIT's calls and faults at a steady rate for a configurable time, with the
# ivr bundle updated (drain) and rolled back every few minutes, and prints one SOAK line per sample: heap in use
# after a full GC, classes loaded, bundle versions installed, threads. They must stay flat; every call must take its
# flow's path. The one-hour run: bench/soak.sh 60
# Usage: bench/soak.sh [minutes, default 10] [calls per second, default 1] [minutes between update cycles, default 2]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
mvn -o -pl bundles/ivr -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosSoakIT -Dfailsafe.failIfNoSpecifiedTests=false -Dsoak.minutes="${1:-10}" \
  -Dsoak.callsPerSecond="${2:-1}" -Dsoak.cycleMinutes="${3:-2}" > "$log" 2>&1 || status=$?
grep -a '^SOAK' "$log"
if [ "$status" -ne 0 ]; then
  grep -a -E 'took its|expected|timed out' "$log" | head -5
  echo "SOAK FAILED (exit $status)"
fi
exit "$status"
