#!/usr/bin/env bash
# Call records end to end: records made in the emulator at a steady rate, each announced to a real server with the
# records bundle (embedded H2), fetched with its sessions, classified and stored; then the summary over all of them.
# Figures: records/s stored and notification → stored p50/p99 (baseline: the same records fetched straight from the
# emulator), GET /api/v1/records/summary p50/p99 (baseline: a REST route of the bundle without SQL).
# Usage: bench/records.sh [records per second, default 100] [records, default 10000] [summary requests, default 300]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Build the reactor's modules the bundle needs (nothing is installed into the local repository) and the test classes.
mvn -q -o -pl bundles/records -am package -DskipTests
mvn -q -o -pl bundles/records dependency:copy-dependencies -DincludeArtifactIds=calling \
  -DoutputDirectory=target/test-bundles -Dmdep.stripVersion=true
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -o -pl bundles/records dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test \
  -Dmdep.excludeArtifactIds=calling
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
# The reactor's classes first: the local repository may hold older builds of api, platform and emulator.
# BENCH_FSYNC=false: state writes are not forced to the disk (data.fsync false), to see what the forces cost.
exec "$java" -Dbench.fsync="${BENCH_FSYNC:-true}" -Drecords.jar="$root/bundles/records/target/records-0.1.0-SNAPSHOT.jar" \
  -Dtest.bundles.dir="$root/bundles/records/target/test-bundles" \
  -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/bundles/records/target/test-classes:$root/api/target/classes:$root/platform/target/classes:$root/platform/target/test-classes:$root/emulator/target/classes:$(cat "$cp")" \
  dev.switchboard.records.RecordsBenchmark "$@"
