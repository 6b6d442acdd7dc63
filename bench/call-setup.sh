#!/usr/bin/env bash
# Call setup latency: incoming calls from the emulator at a steady rate to a real server with the calling bundle
# and a bot that answers each at once; per call, the incoming-call notification arriving at the platform → the
# answer request arriving at the emulator (p50/p99/max), with the inbound HTTP hop of the same run as baseline.
# Usage: bench/call-setup.sh [calls per second, default 100] [seconds measured, default 10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -pl bundles/calling -am install -DskipTests
mvn -q -pl bundles/calling test-compile
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -pl bundles/calling dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -Dcalling.jar="$root/bundles/calling/target/calling-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/bundles/calling/target/test-classes:$(cat "$cp")" \
  dev.switchboard.calling.CallSetupBenchmark "$@"
