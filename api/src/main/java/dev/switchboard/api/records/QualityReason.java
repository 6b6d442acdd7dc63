package dev.switchboard.api.records;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Why an audio stream is poor, by the rules of Microsoft's Call Quality Dashboard: a stream of more than 500 packets
 * ({@code packetUtilization}) is poor when any of these metrics is past its threshold.
 */
public enum QualityReason {
  /** {@code averageRoundTripTime} over 500 ms. */
  ROUND_TRIP("roundTrip"),
  /** {@code averagePacketLossRate} over 0.1 (10 %). */
  PACKET_LOSS("packetLoss"),
  /** {@code averageJitter} over 30 ms. */
  JITTER("jitter");

  private final String wire;

  QualityReason(String wire) {
    this.wire = wire;
  }

  /** The JSON spelling ({@code roundTrip}, {@code packetLoss}, {@code jitter}). */
  public String wire() {
    return wire;
  }

  /** @throws SwitchboardException {@code 400} naming the accepted spellings when {@code wire} is none of them */
  public static QualityReason fromWire(String wire) {
    for (QualityReason reason : values()) {
      if (reason.wire.equals(wire)) {
        return reason;
      }
    }
    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "A quality reason is one of "
        + Arrays.stream(values()).map(QualityReason::wire).collect(Collectors.joining(", ")) + "; got '" + wire + "'");
  }
}
