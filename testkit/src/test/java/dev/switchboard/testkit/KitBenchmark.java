package dev.switchboard.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.management.ManagementFactory;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * bench/testkit.sh: runs one test class with the JUnit launcher in this JVM and prints one line: the class, how many
 * tests passed and failed, the milliseconds from the JVM's start and from the launcher's start to the end, and the
 * CPU milliseconds the process used (which another load on the machine inflates less than wall time).
 */
public final class KitBenchmark {

  private KitBenchmark() {
  }

  /** The call each benchmark test places: the ivr answers, the caller hangs up. */
  static void placeOneCall(SwitchboardKit kit) {
    Caller caller = kit.dial("+14255550123");
    caller.awaitAnswered();
    caller.hangUp();
    caller.awaitEnded();
  }

  public static void main(String[] args) throws Exception {
    Class<?> test = Class.forName(args[0]);
    long junitStart = System.currentTimeMillis();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(test)).build(),
        listener);
    long end = System.currentTimeMillis();
    TestExecutionSummary summary = listener.getSummary();
    summary.getFailures().forEach(f -> f.getException().printStackTrace());
    long cpuMs = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
    System.out.printf("%s passed=%d failed=%d fromJvmStartMs=%d fromJunitStartMs=%d cpuMs=%d%n", test.getSimpleName(),
        summary.getTestsSucceededCount(), summary.getTestsFailedCount(),
        end - ManagementFactory.getRuntimeMXBean().getStartTime(), end - junitStart, cpuMs);
    System.exit(summary.getTestsFailedCount() == 0 ? 0 : 1);
  }
}
