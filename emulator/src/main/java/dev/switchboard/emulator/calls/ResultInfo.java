package dev.switchboard.emulator.calls;

import io.vertx.core.json.JsonObject;

/**
 * Graph's {@code resultInfo}. The constants use the codes of graph-reference §1.10 where it has
 * one; the others (marked "emulator") are the emulator's choice, listed in docs/emulator.md.
 */
record ResultInfo(int code, int subcode, String message) {

  static final ResultInfo SUCCESS = new ResultInfo(200, 0, "Action completed successfully.");
  static final ResultInfo ENDED_BY_APP = new ResultInfo(200, 7000, "The call was ended by the application.");
  static final ResultInfo TRANSFER_COMPLETED = new ResultInfo(0, 7015, "GracefulTransferCompleted");
  static final ResultInfo REPLACED_BY_TRANSFER = new ResultInfo(200, 7015, "The call was replaced by a transfer.");
  static final ResultInfo KEEPALIVE_TIMEOUT =
      new ResultInfo(408, 8537, "The call was inactive: no keepAlive for 45 minutes. It was cleaned up.");
  static final ResultInfo ANSWER_TIMEOUT = new ResultInfo(408, 1106,
      "The incoming call was not answered, rejected or redirected within 15 seconds of the incoming notification.");
  /** Emulator: a called person declined. */
  static final ResultInfo DECLINED = new ResultInfo(603, 0, "The callee declined the call.");
  static final ResultInfo NO_ANSWER = new ResultInfo(408, 10057,
      "No answer: no signalling from the callee's endpoints before the ringing timeout.");
  static final ResultInfo OTHER_ENDED_P2P = new ResultInfo(200, 4521, "The other participant ended the call.");
  static final ResultInfo OTHER_ENDED = new ResultInfo(200, 4097, "The call was ended by the other participant.");
  static final ResultInfo PSTN_USER_ENDED = new ResultInfo(200, 540000, "The call was ended by the PSTN user.");
  static final ResultInfo ALL_LEFT = new ResultInfo(200, 5002, "All other participants left the call.");
  static final ResultInfo NOBODY_JOINED = new ResultInfo(200, 5013, "Nobody else joined the group call.");
  static final ResultInfo ONLY_ONE_LEFT = new ResultInfo(200, 5010, "Only one participant remained in the call.");
  static final ResultInfo OTHER_LEFT_P2P = new ResultInfo(200, 18503, "The other participant left the call.");
  static final ResultInfo CANCELLED = new ResultInfo(400, 8508, "Action failed, the operation was cancelled.");
  static final ResultInfo MAX_RECORD_DURATION = new ResultInfo(200, 8515, "Action completed, max record duration reached.");
  /** Emulator. */
  static final ResultInfo STOP_TONE = new ResultInfo(200, 8514, "Action completed, stop tone detected.");
  /** Emulator. */
  static final ResultInfo MAX_SILENCE = new ResultInfo(200, 8516, "Action completed, max silence timeout reached.");
  /** Emulator. */
  static final ResultInfo INITIAL_SILENCE = new ResultInfo(400, 8510, "Action failed, initial silence timeout reached.");

  ResultInfo withMessage(String m) {
    return new ResultInfo(code, subcode, m);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("@odata.type", "#microsoft.graph.resultInfo")
        .put("code", code)
        .put("subcode", subcode)
        .put("message", message);
  }
}
