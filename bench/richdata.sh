#!/usr/bin/env bash
# Rich notifications: the cost of opening one presence notification with resource data (RSA-OAEP, HMAC, AES)
# against parsing the same collection's JSON in the same run, then on Vert.x's worker pool as the server does.
# Usage: bench/richdata.sh [notifications, default 2000]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -q -pl platform -am test-compile
cp=$(mktemp); trap 'rm -f "$cp"' EXIT
mvn -q -pl platform dependency:build-classpath -Dmdep.outputFile="$cp" -Dmdep.includeScope=test \
  -Dmdep.excludeGroupIds=dev.switchboard.testbundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
  -cp "$root/api/target/classes:$root/platform/target/test-classes:$root/platform/target/classes:$(cat "$cp")" \
  dev.switchboard.platform.richdata.DecryptionBenchmark "${1:-2000}"
