package dev.switchboard.testkit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** bench/testkit.sh: {@link TenCallsBenchmark}'s 10 tests with one server for the class (the emulator reset per test). */
class TenCallsSharedServerBenchmark {

  @RegisterExtension
  static final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr")
      .withFile(Flows.FILE, Flows.SALES).sharedServer();

  @RepeatedTest(10)
  void oneCall() {
    KitBenchmark.placeOneCall(kit);
  }
}
