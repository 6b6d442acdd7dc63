# Sourced by the bench scripts: starts a benchmark harness class of the platform's test classes (after the build
# step of the calling script) with the test bundles and quiet logging, and waits for its READY line.
# After start_harness CLASS: $harness is its pid, $harness_out its output file, $ready its READY line's words; the
# harness stops when the calling script closes file descriptor 3 (stop_harness).
start_harness() { # main class
  local java
  harness_cp=$(mktemp)
  harness_out=$(mktemp)
  harness_fifo=$(mktemp -u)
  mkfifo "$harness_fifo"
  trap 'rm -f "$harness_cp" "$harness_out" "$harness_fifo"; kill "$harness" 2> /dev/null || true' EXIT
  mvn -q -pl platform dependency:build-classpath -Dmdep.outputFile="$harness_cp" -Dmdep.includeScope=test \
    -Dmdep.excludeGroupIds=dev.switchboard.testbundles
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
  # The reactor's api classes first: the local repository may hold an older build of it.
  # BENCH_JAVA_OPTS: extra JVM options for the harness (e.g. a flight recording).
  "$java" ${BENCH_JAVA_OPTS:-} -Dtest.bundles.dir="$root/platform/target/test-bundles" -Dlogback.configurationFile="$root/bench/logback-quiet.xml" \
    -cp "$root/api/target/classes:$root/platform/target/test-classes:$root/platform/target/classes:$(cat "$harness_cp")" \
    "$1" < "$harness_fifo" > "$harness_out" &
  harness=$!
  exec 3> "$harness_fifo"
  for _ in $(seq 600); do grep -q '^READY' "$harness_out" && break; sleep 0.1; done
  read -r -a ready < <(grep '^READY' "$harness_out")
}

stop_harness() {
  exec 3>&-
  wait "$harness" || true
}
