package dev.switchboard.records;

import dev.switchboard.api.records.QualityReason;
import java.util.EnumSet;
import java.util.Set;

/**
 * Microsoft's Call Quality Dashboard rule for audio streams: a stream that carried more than
 * {@value #MIN_PACKETS} packets is poor when its average round trip exceeds {@value #ROUND_TRIP_MS} ms, its
 * average packet loss rate exceeds {@value #PACKET_LOSS_RATE}, or its average jitter exceeds {@value #JITTER_MS} ms.
 * A stream with too few packets, or that is not audio, is never poor; a missing metric never makes one poor.
 */
final class StreamQuality {

  static final long MIN_PACKETS = 500;
  static final double ROUND_TRIP_MS = 500;
  static final double PACKET_LOSS_RATE = 0.1;
  static final double JITTER_MS = 30;

  private StreamQuality() {
  }

  /** Why the stream is poor; empty when it is not. */
  static Set<QualityReason> classify(boolean audio, Long packets, Double roundTripMs, Double packetLossRate,
      Double jitterMs) {
    Set<QualityReason> reasons = EnumSet.noneOf(QualityReason.class);
    if (!audio || packets == null || packets <= MIN_PACKETS) {
      return reasons;
    }
    if (roundTripMs != null && roundTripMs > ROUND_TRIP_MS) {
      reasons.add(QualityReason.ROUND_TRIP);
    }
    if (packetLossRate != null && packetLossRate > PACKET_LOSS_RATE) {
      reasons.add(QualityReason.PACKET_LOSS);
    }
    if (jitterMs != null && jitterMs > JITTER_MS) {
      reasons.add(QualityReason.JITTER);
    }
    return reasons;
  }
}
