package dev.switchboard.calling;

import dev.switchboard.api.calls.ResultInfo;
import java.util.Map;

/** Human-readable reasons for Graph's call-end codes (graph-reference §1.10, from the Delete-call page). */
final class ResultReasons {

  private static final Map<String, String> REASONS = Map.ofEntries(
      Map.entry("200/4097", "ended by the other participant"),
      Map.entry("200/4521", "the other participant ended the peer-to-peer call"),
      Map.entry("200/5000", "removed from the conversation by another participant"),
      Map.entry("200/5300", "removed from the conversation by another participant"),
      Map.entry("200/5001", "the conversation ended"),
      Map.entry("200/5003", "the conversation ended"),
      Map.entry("200/5002", "all other participants left"),
      Map.entry("200/5007", "the group-call initiator left"),
      Map.entry("200/5010", "only one participant remained"),
      Map.entry("200/5012", "no participants in the incoming roster"),
      Map.entry("200/5020", "no non-hidden participants in the incoming roster"),
      Map.entry("200/5013", "nobody else joined the group call"),
      Map.entry("200/5014", "no potential host found"),
      Map.entry("200/5030", "the breakout room's duration elapsed"),
      Map.entry("200/5855", "lobby participant removed after the lobby inactivity timeout"),
      Map.entry("200/7000", "ended by the bot"),
      Map.entry("200/10550", "ended by the bot"),
      Map.entry("200/7015", "the transfer completed"),
      Map.entry("0/7015", "the transfer completed"),
      Map.entry("200/18503", "the other peer-to-peer participant left"),
      Map.entry("200/540000", "ended by the PSTN user"),
      Map.entry("200/560000", "ended by the PSTN user"),
      Map.entry("408/8537", "keep-alive timeout: the inactive call was cleaned up"),
      Map.entry("408/1106", "the acknowledgement of call acceptance was not received in time"),
      Map.entry("408/10057", "no signalling from the callee's endpoints"),
      Map.entry("410/301005", "media connectivity failure"),
      Map.entry("480/10037", "no callee endpoints"),
      Map.entry("480/10076", "the callee is unreachable"),
      Map.entry("480/10134", "the call could not be routed"),
      Map.entry("480/10199", "private calling is disabled for the user"),
      Map.entry("500/1005", "the server could not reach the bot's application-hosted media"),
      Map.entry("500/7000", "the transfer target did not accept"),
      Map.entry("500/7700", "the consultative transfer target did not accept"));

  private ResultReasons() {
  }

  /** The reason for a {@code resultInfo}: the table's, else Graph's message, else the codes. */
  static String of(ResultInfo resultInfo) {
    if (resultInfo == null) {
      return "ended without a result";
    }
    Integer code = resultInfo.code();
    Integer subcode = resultInfo.subcode();
    String known = REASONS.get(code + "/" + subcode);
    if (known != null) {
      return known;
    }
    String message = resultInfo.message();
    return message != null && !message.isBlank() ? message : "code " + code + ", subcode " + subcode;
  }
}
