#!/usr/bin/env bash
# Capacity probe: `bin/switchboard sandbox` (emulator, server and every first-party bundle in one JVM, emulator
# clock x10) takes incoming calls at a steady rate, each answered by the default IVR flow and kept alive by a
# tone '9' every few seconds (the menu replays); every step the probe reports the live heap after a full GC per
# live call over the same run's baseline (before any call), RSS, CPU per call-second, and p99 of tone -> the
# flow's next request at the emulator (sampled). The emulator's share is in the figures (one process).
# Usage: bench/capacity.sh [calls, default 2000] [calls per second, default 50] [step, default 500]
#        (needs `mvn -DskipTests package` first; extra JVM options in SWITCHBOARD_OPTS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/launcher/target/switchboard"
[ -x "$dist/bin/switchboard" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
work=$(mktemp -d)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
emu=$(port)
"$dist/bin/switchboard" sandbox --port "$(port)" --admin-port "$(port)" --emulator-port "$emu" --dir "$work" \
  > "$work/sandbox.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -qs "Still serving" "$work/sandbox.log"; do
  kill -0 $pid 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.5
done
echo "sandbox pid $pid, SWITCHBOARD_OPTS='${SWITCHBOARD_OPTS:-}', $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
python3 "$root/bench/capacity.py" --emulator-port "$emu" --pid $pid --calls "${1:-2000}" --rate "${2:-50}" \
  --step "${3:-500}"
