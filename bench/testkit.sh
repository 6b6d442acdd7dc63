#!/usr/bin/env bash
# The test kit's speed: wall time from JUnit start (the launcher's execute, in a fresh JVM, as a build's test run
# starts it) to the end, for one kit test that starts a server (calling, media, ivr) and places one call, and for a
# class of 10 such tests (a server each; and one server for the class); baseline of the same run: a JUnit test that
# starts nothing. Also the time from JVM start and the process's CPU time (less sensitive to other load on the
# machine). Runs are alternated and medians reported. Nothing is installed into ~/.m2.
# Usage: bench/testkit.sh [runs, default 5]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
runs=${1:-5}
cp=$(mktemp)
out=$(mktemp)
trap 'rm -f "$cp" "$out"' EXIT
# The testkit module is the reactor's last here, so its class path is what the file holds at the end.
mvn -q -o -pl testkit -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$cp" \
  -Dmdep.includeScope=test -Dmdep.excludeGroupIds=dev.switchboard.bundles
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
classpath="$root/testkit/target/test-classes:$root/testkit/target/switchboard-testkit-0.1.0-SNAPSHOT.jar:$(cat "$cp")"
for ((i = 1; i <= runs; i++)); do
  for test in EmptyBenchmark OneCallBenchmark TenCallsBenchmark TenCallsSharedServerBenchmark; do
    "$java" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" -cp "$classpath" \
      dev.switchboard.testkit.KitBenchmark "dev.switchboard.testkit.$test" | tee -a "$out"
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
field() { grep "^$1 " "$out" | sed "s/.*$2=\([0-9]*\).*/\1/" | median; }
base=$(field EmptyBenchmark fromJunitStartMs)
echo
printf '%-30s %22s %22s %8s %8s\n' test "from JUnit start, ms" "from JVM start, ms" ratio "CPU, ms"
for test in EmptyBenchmark OneCallBenchmark TenCallsBenchmark TenCallsSharedServerBenchmark; do
  junit=$(field $test fromJunitStartMs)
  printf '%-30s %22s %22s %8s %8s\n' "$test" "$junit" "$(field $test fromJvmStartMs)" \
    "$(awk -v a="$junit" -v b="$base" 'BEGIN {printf "%.1f", a / b}')" "$(field $test cpuMs)"
done
