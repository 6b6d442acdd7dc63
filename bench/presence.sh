#!/usr/bin/env bash
# Presence: a real server with the presence bundle watching 2,000 emulator users (four subscriptions); presence
# changes of random users at a steady rate → the PresenceChanged event at a bus consumer (p50/p99/max), against the
# control request that makes the change (same run); and PresenceClient.fetch of 650 users against the same
# getPresencesByUserId sent straight to the emulator (same run).
# Usage: bench/presence.sh [changes per second, default 500] [seconds measured, default 10] [users, default 2000]
#        [batch gets, default 200]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# Nothing is installed into the local repository: the reactor's own classes come first on the classpath.
mvn -q -pl bundles/presence -am package -DskipTests   # compiles the tests too; runs none
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
mvn -q -pl bundles/presence dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -Dpresence.bundle.jar="$root/bundles/presence/target/presence-0.1.0-SNAPSHOT.jar" \
  -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/api/target/classes:$root/platform/target/classes:$root/platform/target/test-classes:$root/emulator/target/classes:$root/bundles/presence/target/test-classes:$(cat "$cp")" \
  dev.switchboard.presence.PresenceBenchmark "$@"
