#!/usr/bin/env bash
# The well-behaved hello bundle's REST latency (p50/p99/max) beside four misbehaving test bundles, each in turn:
# one blocking its event loop, one throwing on every message, one allocating without bound, one never answering
# stop (uninstalled). The baseline is the same run with them idle. Runs twice: plugins on the shared event loops
# (the default), then with a thread per plugin (-Dswitchboard.plugins.isolation=thread).
# Usage: bench/misbehaving.sh [rate per second, default 200] [seconds per phase, default 10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# One invocation: the reactor's own test bundles and classes, never the shared local repository's.
mvn -q -pl platform -am -DskipTests package dependency:build-classpath -Dmdep.outputFile="$cp" \
  -Dmdep.includeScope=test -Dmdep.excludeGroupIds=dev.switchboard.testbundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for isolation in eventLoop thread; do
  "$java" -Dswitchboard.plugins.isolation="$isolation" -Dtest.bundles.dir="$root/platform/target/test-bundles" \
    -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
    -cp "$root/api/target/classes:$root/platform/target/test-classes:$root/platform/target/classes:$(cat "$cp")" \
    dev.switchboard.platform.MisbehavingBenchmark "$@"
done
