#!/usr/bin/env bash
# Keyed-message latency (p50/p99/max) at a steady rate, in steady state and during an update with drain, an
# update with takeover and a rollback, in one run, against a real server with the keyed test bundles.
# Usage: bench/hotswap.sh [rate per second, default 2000] [seconds per phase, default 4]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -DskipTests install
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -pl platform dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test \
  -Dmdep.excludeGroupIds=dev.switchboard.testbundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -Dtest.bundles.dir="$root/platform/target/test-bundles" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/platform/target/test-classes:$root/platform/target/classes:$(cat "$cp")" \
  dev.switchboard.platform.HotSwapBenchmark "$@"
