#!/usr/bin/env bash
# Call setup latency: incoming calls from the emulator at a steady rate to a real server with the calling bundle
# and a bot that answers each at once; per call, the incoming-call notification arriving at the platform → the
# answer request arriving at the emulator (p50/p99/max), with the inbound HTTP hop of the same run as baseline.
# Usage: bench/call-setup.sh [calls per second, default 100] [seconds measured, default 10] [seconds of warm-up, default 2]
# BENCH_NO_BUILD=1: the caller built the reactor (e.g. `mvn -o -pl bundles/calling -am verify -DskipTests`); nothing is
# installed into the local repository, and the reactor's classes come first on the class path.
# BENCH_CODE_ROOT=<another tree, built the same way>: its api, platform, emulator and calling bundle are measured
# with this tree's benchmark (a before/after in one session).
# BENCH_JFR=<file>: a flight recording of the measured run. BENCH_JAVA_OPTS: extra JVM options for the benchmark's JVM (e.g. -XX:StartFlightRecording=...).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  mvn -q -pl bundles/calling -am install -DskipTests
  mvn -q -pl bundles/calling test-compile
fi
code=${BENCH_CODE_ROOT:-$root}
reactor=""
if [ -n "${BENCH_NO_BUILD:-}" ]; then
  reactor="$code/api/target/classes:$code/platform/target/classes:$code/emulator/target/classes"
  reactor="$reactor:$code/testkit/core/target/classes"
fi
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -pl bundles/calling dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" ${BENCH_JAVA_OPTS:-} -Dcalling.jar="$code/bundles/calling/target/calling-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/bundles/calling/target/test-classes:${reactor:+$reactor:}$(cat "$cp")" \
  dev.switchboard.calling.CallSetupBenchmark "$@"
