package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the targets of commands ({@code {"user": id}}, {@code {"phone": "+E.164"}}, {@code {"application": id}},
 * {@code {"applicationInstance": id}}, or a Graph {@code invitationParticipantInfo}) into Graph's
 * {@code invitationParticipantInfo}. A target that is not an object is malformed (400); an object that names no one
 * callable is an invalid target (422).
 */
final class Targets {

  static final List<String> KINDS = List.of("user", "phone", "application", "applicationInstance");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private Targets() {
  }

  static JsonArray parseAll(Object value, String field, int max) {
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'" + field + "' must be a non-empty array of targets");
    }
    if (array.size() > max) {
      throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "'" + field + "' has " + array.size()
          + " targets; at most " + max + " are allowed");
    }
    JsonArray out = new JsonArray();
    for (Object t : array) {
      out.add(parse(t, field));
    }
    return out;
  }

  static JsonObject parse(Object value, String field) {
    if (!(value instanceof JsonObject target)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "each of '" + field + "' must be an object such as"
          + " {\"user\": \"<id>\"} or {\"phone\": \"+14255550101\"}; got " + value);
    }
    JsonObject identity;
    if (target.getValue("identity") instanceof JsonObject given) {
      identity = given.copy();
      String kind = KINDS.stream().filter(k -> given.getValue(k) != null).findFirst().orElseThrow(() -> invalid(
          "identity " + given.encode() + " names no user, phone, application or applicationInstance"));
      Object id = given.getValue(kind) instanceof JsonObject o ? o.getValue("id") : null;
      check(kind, id);
    } else {
      List<String> kinds = KINDS.stream().filter(target::containsKey).toList();
      if (kinds.size() != 1) {
        throw invalid("a target names exactly one of user, phone, application or applicationInstance; got "
            + target.encode());
      }
      String kind = kinds.get(0);
      Object id = target.getValue(kind);
      check(kind, id);
      JsonObject who = new JsonObject().put("@odata.type", "#microsoft.graph.identity").put("id", id);
      if (target.getString("displayName") != null) {
        who.put("displayName", target.getString("displayName"));
      }
      if (target.getString("tenantId") != null) {
        who.put("tenantId", target.getString("tenantId"));
      }
      identity = new JsonObject().put(kind, who);
    }
    identity.put("@odata.type", "#microsoft.graph.identitySet");
    JsonObject info = new JsonObject().put("@odata.type", "#microsoft.graph.invitationParticipantInfo")
        .put("identity", identity);
    Object replaces = target.getValue("replacesCallId");
    if (replaces != null) {
      if (!(replaces instanceof String s) || s.isBlank()) {
        throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'replacesCallId' must be a call id");
      }
      info.put("replacesCallId", replaces);
    }
    return info;
  }

  /** Whether an {@code invitationParticipantInfo} calls a phone number. */
  static boolean isPhone(JsonObject info) {
    return info.getJsonObject("identity").getValue("phone") != null;
  }

  private static void check(String kind, Object id) {
    if (!(id instanceof String s) || s.isBlank()) {
      throw invalid("the " + kind + " of a target needs an id (a string); got " + id);
    }
    if (kind.equals("phone") && !E164.matcher(s).matches()) {
      throw invalid("'" + s + "' is not a phone number in E.164 form (+ and 7 to 15 digits, e.g. +14255550101)");
    }
  }

  private static SwitchboardException invalid(String message) {
    return new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "Invalid target: " + message);
  }
}
