package dev.switchboard.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.records.QualityReason;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamQualityTest {

  @Test
  void eachThresholdIsExclusiveAndNeedsMoreThan500Packets() {
    assertEquals(Set.of(), StreamQuality.classify(true, 501L, 500.0, 0.1, 30.0), "at the thresholds: not poor");
    assertEquals(Set.of(QualityReason.ROUND_TRIP), StreamQuality.classify(true, 501L, 500.1, 0.1, 30.0));
    assertEquals(Set.of(QualityReason.PACKET_LOSS), StreamQuality.classify(true, 501L, 10.0, 0.1001, 1.0));
    assertEquals(Set.of(QualityReason.JITTER), StreamQuality.classify(true, 501L, 10.0, 0.0, 30.5));
    assertEquals(EnumSet.allOf(QualityReason.class), StreamQuality.classify(true, 10_000L, 900.0, 0.5, 90.0));
    assertEquals(Set.of(), StreamQuality.classify(true, 500L, 900.0, 0.5, 90.0), "500 packets is too few");
    assertEquals(Set.of(), StreamQuality.classify(true, null, 900.0, 0.5, 90.0), "unknown packet count");
    assertEquals(Set.of(), StreamQuality.classify(false, 10_000L, 900.0, 0.5, 90.0), "video is not classified");
    assertEquals(Set.of(QualityReason.JITTER), StreamQuality.classify(true, 600L, null, null, 31.0),
        "a missing metric is not a reason");
  }
}
