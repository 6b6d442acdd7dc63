package dev.switchboard.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * bench/testkit.sh: one kit test that starts a server (calling, media, ivr) and places one call the ivr answers.
 * Not run by the build (no *Test / *IT name).
 */
class OneCallBenchmark {

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "ivr").withFile(Flows.FILE, Flows.SALES);

  @Test
  void oneCall() {
    KitBenchmark.placeOneCall(kit);
  }
}
