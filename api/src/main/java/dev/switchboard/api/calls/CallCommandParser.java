package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads {@link CallCommand}s from their wire form: the field types here, the rules in the records. */
final class CallCommandParser {

  private static final Map<String, Function<Wire, CallCommand<?>>> COMMANDS = Map.ofEntries(
      Map.entry("create", c -> new CallCommand.Create(targets(c, "targets"), c.string("joinUrl"),
          c.string("meetingId"), c.string("passcode"), c.string("subject"), c.string("tenantId"),
          c.strings("requestedModalities"), c.objects("preFetchMedia", MediaInfo::fromJson), c.string("by"))),
      Map.entry("list", c -> new CallCommand.ListCalls(c.enumValue("state", CallState.class))),
      Map.entry("answer", c -> new CallCommand.Answer(callId(c), c.string("by"), c.strings("acceptedModalities"),
          c.objects("preFetchMedia", MediaInfo::fromJson), c.bool("subscribeToTones"))),
      Map.entry("reject", c -> new CallCommand.Reject(callId(c), c.enumValue("reason", RejectReason.class),
          c.string("by"))),
      Map.entry("redirect", c -> new CallCommand.Redirect(callId(c), targets(c, "targets"), c.integer("timeout"),
          c.string("by"))),
      Map.entry("transfer", c -> new CallCommand.Transfer(callId(c), c.object("target", Target::fromJson),
          c.string("replacesCallId"), c.object("transferee"))),
      Map.entry("hangUp", c -> new CallCommand.HangUp(callId(c))),
      Map.entry("keepAlive", c -> new CallCommand.KeepAlive(callId(c))),
      Map.entry("get", c -> new CallCommand.Get(callId(c))),
      Map.entry("mute", c -> new CallCommand.Mute(callId(c), c.string("clientContext"))),
      Map.entry("unmute", c -> new CallCommand.Unmute(callId(c), c.string("clientContext"))),
      Map.entry("sendDtmfTones", c -> new CallCommand.SendDtmfTones(callId(c), c.enums("tones", Tone.class),
          c.integer("delayBetweenTonesMs"), c.string("clientContext"))),
      Map.entry("subscribeToTone", c -> new CallCommand.SubscribeToTone(callId(c), c.string("clientContext"))),
      Map.entry("listParticipants", c -> new CallCommand.ListParticipants(callId(c))),
      Map.entry("inviteParticipants", c -> new CallCommand.InviteParticipants(callId(c), targets(c, "participants"),
          c.string("clientContext"))),
      Map.entry("muteParticipant", c -> new CallCommand.MuteParticipant(callId(c), c.string("participantId"),
          c.string("clientContext"))),
      Map.entry("removeParticipant", c -> new CallCommand.RemoveParticipant(callId(c), c.string("participantId"))));

  private CallCommandParser() {
  }

  static CallCommand<?> parse(JsonObject json) {
    Wire command = Wire.read(json, "a command");
    if (!(json.getValue("command") instanceof String name)) {
      throw Wire.bad("a command needs 'command' naming it, one of " + COMMANDS.keySet().stream().sorted().toList()
          + "; got " + json.encode());
    }
    Function<Wire, CallCommand<?>> reader = COMMANDS.get(name);
    if (reader == null) {
      throw Wire.bad("unknown command '" + name + "'; the calling bundle knows "
          + COMMANDS.keySet().stream().sorted().toList());
    }
    return reader.apply(Wire.read(command.json(), "command '" + name + "'"));
  }

  private static String callId(Wire c) {
    return c.string("callId");
  }

  private static List<Target> targets(Wire c, String field) {
    if (c.has(field) && !(c.json().getValue(field) instanceof io.vertx.core.json.JsonArray)) {
      throw Wire.bad("'" + field + "' must be a non-empty array of targets such as [{\"user\": \"<id>\"}]; got "
          + c.json().getValue(field));
    }
    return c.objects(field, Target::fromJson);
  }
}
