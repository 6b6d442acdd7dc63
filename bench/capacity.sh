#!/usr/bin/env bash
# Capacity probe: the emulator (`switchboard emulator`, clock x10) and the server (`bin/switchboard run` with
# every first-party bundle, wired to it as the sandbox wires them) in two processes; incoming calls at a steady
# rate, each answered by the default IVR flow and kept alive by a tone '9' every 4 s (the menu replays). Every
# step reports, for the server, the live heap after a full GC per live call over the same run's baseline (before
# any call), RSS, CPU per call-second, and p99 of tone -> the flow's next request at the emulator (sampled); and
# the emulator's heap per call. With --sandbox, one `switchboard sandbox` process instead (emulator included).
# Usage: bench/capacity.sh [calls, default 2000] [calls per second, default 50] [step, default 500] [--sandbox]
#        (needs `mvn -DskipTests package` first; JVM options for both in SWITCHBOARD_OPTS; BENCH_DIST=<folder> runs
#        another distribution than launcher/target/switchboard, e.g. a copy of an earlier build for a before/after;
#        BENCH_HISTOGRAMS=<folder> keeps the server's whole class histogram of each step there;
#        BENCH_HEAP_DUMP=<file.hprof> writes the server's heap dump at the last step; BENCH_TONE_EVERY=<seconds>
#        (default 4) is each call's time between tones: above 4, the server's flows are the shipped ones with the
#        menu's timeout at twice that, so that a call waiting for its next tone stays; BENCH_KEEP_ALIVE (default 1m)
#        is the calling bundle's keepAlive interval, against the emulator's 45 minutes at x10, 4.5 real minutes;
#        BENCH_HOLD=<seconds> keeps the calls and their tones going after the last step and reports CPU per tone of
#        the server and the emulator; BENCH_PROFILE=<file.jfr> records the server's JFR profile over that hold)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist=${BENCH_DIST:-$root/launcher/target/switchboard}
[ -x "$dist/bin/switchboard" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 2; }
# A full GC (what the probe's class histogram runs) may leave up to 5% of the old generation as dead objects in
# place, as int[] fillers (MarkSweepDeadRatio): they counted as "live" heap (~3 KB per call at 1,000 calls, the
# int[] whose holder was not found: a heap dump shows them unreferenced). Every full GC compacts fully here.
export SWITCHBOARD_OPTS="-XX:MarkSweepDeadRatio=0 ${SWITCHBOARD_OPTS:-}"
work=$(mktemp -d)
pids=()
stop() {
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 30); do kill -0 "${pids[@]}" 2>/dev/null || break; sleep 0.5; done
  kill -9 "${pids[@]}" 2>/dev/null || true   # one that did not stop within 15 s
  echo "logs: $work/*.log"
}
trap stop EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
await() { # file, line, pid
  until grep -qs "$2" "$1"; do kill -0 "$3" 2>/dev/null || { cat "$1" >&2; exit 1; }; sleep 0.5; done
}
emu=$(port); http=$(port)
tone_every=${BENCH_TONE_EVERY:-4}; keep_alive=${BENCH_KEEP_ALIVE:-1m}; flows=$dist/conf/flows
if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 4 else 1)" "$tone_every"; then
  flows=$work/flows; mkdir -p "$flows"
  timeout=$(python3 -c "import sys, math; print(math.ceil(2 * float(sys.argv[1])))" "$tone_every")
  # The first 'timeout:' of the shipped main flow is its menu's (5s).
  sed "0,/^    timeout: 5s/s//    timeout: ${timeout}s/" "$dist/conf/flows/main.yaml" > "$flows/main.yaml"
  grep -q "timeout: ${timeout}s" "$flows/main.yaml" || { echo "the main flow's menu has no 'timeout: 5s'" >&2; exit 2; }
fi
if [ "${4:-}" = "--sandbox" ]; then
  "$dist/bin/switchboard" sandbox --port "$http" --admin-port "$(port)" --emulator-port "$emu" --dir "$work" \
    > "$work/sandbox.log" 2>&1 &
  server=$!; pids+=($server); emulator_args=()
  await "$work/sandbox.log" "Still serving" $server
else
  "$dist/bin/switchboard" emulator --port "$emu" --clock-speed 10 --bot-callback "http://127.0.0.1:$http/callbacks/calling" \
    > "$work/emulator.log" 2>&1 &
  emulator=$!; pids+=($emulator); emulator_args=(--emulator-pid $emulator)
  await "$work/emulator.log" "listening on" $emulator
  # The graph: section the emulator prints, as SWITCHBOARD_GRAPH_* variables (as the sandbox does).
  graph_env=$(curl -sk "https://127.0.0.1:$emu/emulator/config" | python3 -c '
import json, re, shlex, sys
for k, v in json.load(sys.stdin).items():
    if v is None: continue
    v = ",".join(map(str, v)) if isinstance(v, list) else str(v)
    print("export SWITCHBOARD_GRAPH_%s=%s" % (re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", k).upper(), shlex.quote(v)))')
  ( eval "$graph_env"
    export SWITCHBOARD_HTTP_HOST=127.0.0.1 SWITCHBOARD_HTTP_PORT=$http SWITCHBOARD_HTTP_PUBLIC_URL=http://127.0.0.1:$http \
      SWITCHBOARD_ADMIN_PORT=0 SWITCHBOARD_DATA_DIR="$work/data" \
      SWITCHBOARD_PLUGINS_CALLING_KEEP_ALIVE_INTERVAL=$keep_alive SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR="$flows"
    exec "$dist/bin/switchboard" run > "$work/server.log" 2>&1 ) &
  server=$!; pids+=($server)
  await "$work/server.log" "Switchboard ready" $server
  sleep 5 # the records bundle finishes its database after the ready line
fi
echo "server pid $server, SWITCHBOARD_OPTS='${SWITCHBOARD_OPTS:-}', $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)," \
  "a tone every ${tone_every} s per call, keepAlive every $keep_alive"
python3 "$root/bench/capacity.py" --emulator-port "$emu" --pid "$server" "${emulator_args[@]}" --calls "${1:-2000}" \
  --rate "${2:-50}" --step "${3:-500}" --tone-every "$tone_every" ${BENCH_WORKERS:+--workers "$BENCH_WORKERS"} ${BENCH_HISTOGRAMS:+--histograms "$BENCH_HISTOGRAMS"} \
  ${BENCH_HEAP_DUMP:+--heap-dump "$BENCH_HEAP_DUMP"} ${BENCH_HOLD:+--hold "$BENCH_HOLD"} ${BENCH_PROFILE:+--profile "$BENCH_PROFILE"}
