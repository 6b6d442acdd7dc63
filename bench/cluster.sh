#!/usr/bin/env bash
# Cluster failover and failure detection with three real members behind HAProxy (Debian's haproxy) and the emulator
# as Graph: kill -9 of a member -> the moved calls' next prompt (p50/p99 over the kills), and SIGSTOP of a member
# under the same traffic -> the moved calls' next prompt and removal by both others (p50/p99), false evictions, the
# resumed member stopping itself; lost leases of healthy members (false fencing). Needs haproxy and espeak-ng.
# Usage: bench/cluster.sh [kills, default 10] [SIGSTOP trials, default 20] [calls per round, default 9]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v haproxy > /dev/null || [ -x /usr/sbin/haproxy ] || { echo "bench/cluster.sh needs haproxy (apt-get install haproxy)"; exit 1; }
cp=$(mktemp)
trap 'rm -f "$cp"' EXIT
# One reactor run (nothing installed in ~/.m2): the modules launcher needs, its tests compiled, its class path (the
# launcher module comes last, so its class path is the one left in the file).
mvn -q -o -pl launcher -am package -DskipTests -Djacoco.skip=true dependency:build-classpath -Dmdep.outputFile="$cp" \
  -Dmdep.includeScope=test -Dmdep.excludeGroupIds=dev.switchboard.testbundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -Dswitchboard.jar="$root/launcher/target/switchboard.jar" -Dswitchboard.dist="$root/launcher/target/switchboard" \
  -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/launcher/target/test-classes:$root/platform/target/classes:$root/emulator/target/classes:$(cat "$cp")" \
  dev.switchboard.launcher.ClusterBenchmark "$@"
