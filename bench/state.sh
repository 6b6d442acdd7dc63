#!/usr/bin/env bash
# What a durable state write costs: the platform's state store (append-only log, one force per group of writes)
# against memory only (the baseline) and H2's MVStore doing the same group commit, in one run.
# Usage: bench/state.sh [writes, default 20000] [concurrent owners, default 50] [value bytes, default 600]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -DskipTests install
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -pl platform dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test \
  -Dmdep.excludeGroupIds=dev.switchboard.testbundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/platform/target/test-classes:$root/platform/target/classes:$(cat "$cp")" \
  dev.switchboard.platform.state.StateStoreBenchmark "$@"
