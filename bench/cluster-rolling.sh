#!/usr/bin/env bash
# Keyed notifications through HAProxy to three real members (the sequence recorder test bundle reports each one it
# handled): a rolling update (drain, takeover, rollback) at a steady rate with lost/duplicated/out-of-order counts and
# per-window p50/p99, then keyed notifications per second and p99 on three members vs one, in one run. Needs haproxy.
# BENCH_SOURCE=commands: the same with keyed commands that the members send themselves (the sequence sender test
# bundle, sendToKey; each key opened by the next member), no HTTP ingress, HAProxy or emulator in the path.
# BENCH_KEYS: keys (calls) live at once in the paced runs (default rate / 10: a message of each every 100 ms).
# Usage: [BENCH_SOURCE=notifications|commands] bench/cluster-rolling.sh [rate per second, default 2000]
#        [seconds per phase, default 4] [seconds per throughput run, default 10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v haproxy > /dev/null || [ -x /usr/sbin/haproxy ] || { echo "bench/cluster-rolling.sh needs haproxy (apt-get install haproxy)"; exit 1; }
cp=$(mktemp)
bundles=$(mktemp -d)
trap 'rm -rf "$cp" "$bundles"' EXIT
# One reactor run (nothing installed in ~/.m2), as bench/cluster.sh: the launcher's class path is the one left in $cp.
mvn -q -o -pl launcher -am package -DskipTests -Djacoco.skip=true dependency:build-classpath -Dmdep.outputFile="$cp" \
  -Dmdep.includeScope=test -Dmdep.excludeGroupIds=dev.switchboard.testbundles
for v in 1 2 3; do
  cp testing/bundles/sequence-recorder-v$v/target/sequence-recorder-v$v-*.jar "$bundles/sequence-recorder-v$v.jar"
done
cp testing/bundles/sequence-sender/target/sequence-sender-*.jar "$bundles/sequence-sender.jar"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java" -Dswitchboard.jar="$root/launcher/target/switchboard.jar" -Dswitchboard.dist="$root/launcher/target/switchboard" \
  -Dtest.bundles.dir="$bundles" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/launcher/target/test-classes:$root/platform/target/classes:$root/emulator/target/classes:$(cat "$cp")" \
  dev.switchboard.launcher.ClusterRollingBenchmark "$@"
