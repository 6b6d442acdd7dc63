package dev.switchboard.media;

import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.media.Outcome;
import dev.switchboard.api.media.OperationStatus;
import java.time.Instant;

/** The {@link Outcome} of an operation that ended, as this version of the plugin publishes it. */
final class Outcomes {

  static final String CALL_ENDED = "The call ended.";

  private final String version;

  Outcomes(String version) {
    this.version = version;
  }

  Outcome of(String callId, Operation ended, String reason, ResultInfo resultInfo) {
    return new Outcome(callId, ended.id(), ended.clientContext(), ended.status(), reason, false, resultInfo,
        Instant.now(), version);
  }

  /** The operation failed because the call ended. */
  Outcome callEnded(String callId, Operation ended) {
    return new Outcome(callId, ended.id(), ended.clientContext(), OperationStatus.FAILED, CALL_ENDED, true, null,
        Instant.now(), version);
  }
}
