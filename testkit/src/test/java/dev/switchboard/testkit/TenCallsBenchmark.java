package dev.switchboard.testkit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** bench/testkit.sh: a class of 10 tests like {@link OneCallBenchmark}'s, each with its own server. */
class TenCallsBenchmark {

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr").withFile(Flows.FILE, Flows.SALES);

  @RepeatedTest(10)
  void oneCall() {
    KitBenchmark.placeOneCall(kit);
  }
}
