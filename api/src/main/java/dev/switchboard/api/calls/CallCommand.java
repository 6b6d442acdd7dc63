package dev.switchboard.api.calls;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * A command to the calling bundle: request its {@link #toJson() JSON} on {@link #ADDRESS} (or use
 * {@link CallsClient}, which does that and reads the reply as {@code R}). Commands on one call
 * ({@link OnCall}) are carried out by the version of the calling plugin that owns the call, one at a time and in
 * order with the call's notifications; {@link Create} and {@link ListCalls} by whichever version receives them.
 *
 * <p>On the wire a command is a JSON object whose {@code command} field names it ({@link #name()}), with
 * {@code callId} for a command on a call and the command's own fields, e.g.
 * {@code {"command": "answer", "callId": "…", "by": "my-bot", "subscribeToTones": true}}. The records check their
 * fields when built, so a command that cannot be carried out fails before it is sent, with the same error the
 * bundle would answer.
 *
 * <p>A failed command fails the reply with a {@link SwitchboardException} (rebuild it with
 * {@link SwitchboardException#from(Throwable)}): {@code 400 badRequest} for a malformed command, {@code 404
 * callNotFound} or {@code participantNotFound}, {@code 409 illegalState} when the call's state forbids the command
 * (the message names the state), {@code 409 alreadyClaimed}, {@code 422 invalidTarget} or {@code invalidJoinUrl},
 * and Graph's own failures with Graph's status, error code and a message ending with Graph's {@code request-id}.
 *
 * @param <R> what the command replies
 */
public sealed interface CallCommand<R> {

  /** Where commands are requested (request/reply, point to point). */
  String ADDRESS = "switchboard.calls.commands";

  /** The command's name on the wire ({@code answer}, {@code hangUp}, ...). */
  String name();

  /** The wire form. */
  JsonObject toJson();

  /** Reads this command's reply from its wire form. */
  R replyFromJson(JsonObject reply);

  /** The wire form of this command's reply. */
  JsonObject replyToJson(R reply);

  /**
   * Reads a command.
   *
   * @throws SwitchboardException 400 for a body that is not a command (no {@code command}, an unknown one, a
   *     missing {@code callId}, a field of the wrong type), 422 for a target that names no one callable
   */
  static CallCommand<?> fromJson(JsonObject json) {
    return CallCommandParser.parse(json);
  }

  /**
   * Reads the command {@code name} on the call {@code callId} ({@code null} for {@code create} and {@code list})
   * whose other fields are {@code fields}: what a REST route makes of its path and body.
   *
   * @throws SwitchboardException as {@link #fromJson(JsonObject)}
   */
  static CallCommand<?> fromJson(String name, String callId, JsonObject fields) {
    JsonObject json = (fields == null ? new JsonObject() : fields.copy()).put("command", name);
    return CallCommandParser.parse(callId == null ? json : json.put("callId", callId));
  }

  /** A command on one call, carried out by the call's owner. */
  sealed interface OnCall<R> extends CallCommand<R> {
    /** The call. */
    String callId();
  }

  /** A command on a call that replies the call as it is once the command was carried out. */
  sealed interface ReplyingCall extends OnCall<CallView> {
    @Override
    default CallView replyFromJson(JsonObject reply) {
      return CallView.fromJson(reply);
    }

    @Override
    default JsonObject replyToJson(CallView reply) {
      return reply.toJson();
    }
  }

  /** A command that starts a Graph operation on a call and replies it. */
  sealed interface ReplyingOperation extends OnCall<OperationView> {
    @Override
    default OperationView replyFromJson(JsonObject reply) {
      return OperationView.fromJson(reply);
    }

    @Override
    default JsonObject replyToJson(OperationView reply) {
      return reply.toJson();
    }
  }

  // ------------------------------------------------------------------ commands without a call

  /**
   * Places a call, in exactly one of three ways: {@code targets} (one: peer-to-peer, or PSTN for a phone, which
   * needs {@code plugins.calling.applicationInstanceId}; several: a group call, with an optional {@code subject}),
   * {@code joinUrl} (a Teams meeting join URL) or {@code meetingId} with an optional {@code passcode}. Replies the
   * new call (state {@code establishing}).
   *
   * @param targets whom to call (1–25), or {@code null}
   * @param joinUrl a Teams meeting join URL, or {@code null}
   * @param meetingId a meeting's join id, or {@code null}
   * @param passcode the meeting's passcode, or {@code null}
   * @param subject a group call's subject, or {@code null}
   * @param tenantId the tenant to call in, or {@code null} (the join URL's, else the bot's)
   * @param requestedModalities modalities ({@code audio}, {@code video}, {@code videoBasedScreenSharing},
   *     {@code data}); empty for audio
   * @param preFetchMedia prompts Graph should fetch ahead; may be empty
   * @param by who places the call (its {@link CallView#claimedBy()}), or {@code null}
   */
  record Create(List<Target> targets, String joinUrl, String meetingId, String passcode, String subject,
      String tenantId, List<String> requestedModalities, List<MediaInfo> preFetchMedia, String by)
      implements CallCommand<CallView> {

    public Create {
      targets = targets == null ? null : CommandChecks.targets(targets, "targets");
      int ways = (targets != null ? 1 : 0) + (joinUrl != null ? 1 : 0) + (meetingId != null ? 1 : 0);
      if (ways != 1) {
        throw Wire.bad("a new call needs exactly one of 'targets' (a person, a number or a group),"
            + " 'joinUrl' (a Teams meeting) or 'meetingId' (with 'passcode')");
      }
      if (meetingId != null && meetingId.isBlank()) {
        throw Wire.bad("'meetingId' must be the meeting's join id (a string)");
      }
      requestedModalities = CommandChecks.modalities(requestedModalities, "requestedModalities");
      preFetchMedia = Wire.copy(preFetchMedia);
    }

    /** A call to one target (peer-to-peer or PSTN) or several (a group call). */
    public static Create to(Target... targets) {
      return new Create(List.of(targets), null, null, null, null, null, null, null, null);
    }

    /** Joins the Teams meeting of a join URL. */
    public static Create joining(String joinUrl) {
      return new Create(null, Objects.requireNonNull(joinUrl, "joinUrl"), null, null, null, null, null, null, null);
    }

    /** Joins a meeting by its join id and passcode (which may be {@code null}). */
    public static Create meeting(String meetingId, String passcode) {
      return new Create(null, null, Objects.requireNonNull(meetingId, "meetingId"), passcode, null, null, null,
          null, null);
    }

    /** This command with a group call's subject. */
    public Create withSubject(String value) {
      return new Create(targets, joinUrl, meetingId, passcode, value, tenantId, requestedModalities, preFetchMedia,
          by);
    }

    /** This command naming who places the call. */
    public Create by(String who) {
      return new Create(targets, joinUrl, meetingId, passcode, subject, tenantId, requestedModalities, preFetchMedia,
          who);
    }

    @Override
    public String name() {
      return "create";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = CommandChecks.command(name(), null);
      Wire.putIf(json, "targets", targets == null ? null : Wire.array(targets, Target::toJson));
      Wire.putIf(json, "joinUrl", joinUrl);
      Wire.putIf(json, "meetingId", meetingId);
      Wire.putIf(json, "passcode", passcode);
      Wire.putIf(json, "subject", subject);
      Wire.putIf(json, "tenantId", tenantId);
      CommandChecks.putMedia(json, "requestedModalities", requestedModalities, preFetchMedia);
      return Wire.putIf(json, "by", by);
    }

    @Override
    public CallView replyFromJson(JsonObject reply) {
      return CallView.fromJson(reply);
    }

    @Override
    public JsonObject replyToJson(CallView reply) {
      return reply.toJson();
    }
  }

  /**
   * Every call the bundle knows: live ones, and ended ones for {@code plugins.calling.endedCallRetention}, oldest
   * first. On the wire the reply is {@code {"value": [calls]}}.
   *
   * @param state only calls in this state, or {@code null} for all
   */
  record ListCalls(CallState state) implements CallCommand<List<CallView>> {

    @Override
    public String name() {
      return "list";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), null), "state", state);
    }

    @Override
    public List<CallView> replyFromJson(JsonObject reply) {
      return Wire.read(reply, "the reply to 'list'").objects("value", CallView::fromJson);
    }

    @Override
    public JsonObject replyToJson(List<CallView> reply) {
      return new JsonObject().put("value", Wire.array(reply, CallView::toJson));
    }
  }

  // ------------------------------------------------------------------ claims

  /**
   * Answers (claims) an incoming call. Replies the call.
   *
   * @param by who claims it (its {@link CallView#claimedBy()}, and the logs), or {@code null}
   * @param acceptedModalities empty for audio
   * @param preFetchMedia may be empty
   * @param subscribeToTones whether to subscribe to DTMF tones once the call is established
   */
  record Answer(String callId, String by, List<String> acceptedModalities, List<MediaInfo> preFetchMedia,
      boolean subscribeToTones) implements ReplyingCall {

    public Answer {
      CommandChecks.callId(callId, "answer");
      acceptedModalities = CommandChecks.modalities(acceptedModalities, "acceptedModalities");
      preFetchMedia = Wire.copy(preFetchMedia);
    }

    /** Answers with audio, claimed {@code by}, subscribing to tones or not. */
    public static Answer of(String callId, String by, boolean subscribeToTones) {
      return new Answer(callId, by, null, null, subscribeToTones);
    }

    @Override
    public String name() {
      return "answer";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = Wire.putIf(CommandChecks.command(name(), callId), "by", by);
      CommandChecks.putMedia(json, "acceptedModalities", acceptedModalities, preFetchMedia);
      return json.put("subscribeToTones", subscribeToTones);
    }
  }

  /**
   * Rejects (claims) an incoming call. Replies the call.
   *
   * @param reason {@code null} for {@link RejectReason#NONE}
   * @param by who claims it, or {@code null}
   */
  record Reject(String callId, RejectReason reason, String by) implements ReplyingCall {

    public Reject {
      CommandChecks.callId(callId, "reject");
      reason = reason == null ? RejectReason.NONE : reason;
    }

    @Override
    public String name() {
      return "reject";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), callId).put("reason", reason.wireName()), "by", by);
    }
  }

  /**
   * Redirects (claims) an incoming call to 1–25 targets, which ring at once. Replies the call.
   *
   * @param timeoutSeconds how long they ring, 15–90, or {@code null} for Graph's default
   * @param by who claims it, or {@code null}
   */
  record Redirect(String callId, List<Target> targets, Integer timeoutSeconds, String by) implements ReplyingCall {

    public Redirect {
      CommandChecks.callId(callId, "redirect");
      targets = CommandChecks.targets(targets, "targets");
      if (timeoutSeconds != null && (timeoutSeconds < 15 || timeoutSeconds > 90)) {
        throw Wire.bad("'timeout' must be a number of seconds from 15 to 90; got " + timeoutSeconds);
      }
    }

    @Override
    public String name() {
      return "redirect";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = CommandChecks.command(name(), callId).put("targets", Wire.array(targets, Target::toJson));
      Wire.putIf(json, "timeout", timeoutSeconds);
      return Wire.putIf(json, "by", by);
    }
  }

  // ------------------------------------------------------------------ the call

  /**
   * Transfers an established call. Replies the call (its {@link CallView#transfer()} {@code requested}); the outcome
   * comes as {@link CallEvent.TransferAccepted} then {@link CallEvent.Terminated}, or {@link CallEvent.TransferFailed}.
   *
   * @param target whom to transfer to
   * @param replacesCallId for a consultative transfer, the bot's call with the target, or {@code null}
   * @param transferee Graph's {@code participantInfo} of who is transferred (group calls; a copy), or {@code null}
   */
  record Transfer(String callId, Target target, String replacesCallId, JsonObject transferee)
      implements ReplyingCall {

    public Transfer {
      CommandChecks.callId(callId, "transfer");
      if (target == null) {
        throw Wire.bad("command 'transfer' needs 'target'");
      }
      transferee = Wire.copy(transferee);
    }

    @Override
    public JsonObject transferee() {
      return Wire.copy(transferee);
    }

    @Override
    public String name() {
      return "transfer";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = CommandChecks.command(name(), callId).put("target", target.toJson());
      Wire.putIf(json, "replacesCallId", replacesCallId);
      return Wire.putIf(json, "transferee", transferee());
    }
  }

  /** Hangs up the bot's leg (the whole call, peer-to-peer). Replies the call; {@link CallEvent.Terminated} follows. */
  record HangUp(String callId) implements ReplyingCall {
    public HangUp {
      CommandChecks.callId(callId, "hangUp");
    }

    @Override
    public String name() {
      return "hangUp";
    }

    @Override
    public JsonObject toJson() {
      return CommandChecks.command(name(), callId);
    }
  }

  /** Sends Graph a keepAlive now (the bundle also sends them by itself). Replies the call. */
  record KeepAlive(String callId) implements ReplyingCall {
    public KeepAlive {
      CommandChecks.callId(callId, "keepAlive");
    }

    @Override
    public String name() {
      return "keepAlive";
    }

    @Override
    public JsonObject toJson() {
      return CommandChecks.command(name(), callId);
    }
  }

  /** Replies the call. */
  record Get(String callId) implements ReplyingCall {
    public Get {
      CommandChecks.callId(callId, "get");
    }

    @Override
    public String name() {
      return "get";
    }

    @Override
    public JsonObject toJson() {
      return CommandChecks.command(name(), callId);
    }
  }

  /** Server-mutes the bot (group calls). Replies the operation. */
  record Mute(String callId, String clientContext) implements ReplyingOperation {
    public Mute {
      CommandChecks.callId(callId, "mute");
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "mute";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), callId), "clientContext", clientContext);
    }
  }

  /** Unmutes the bot (group calls). Replies the operation. */
  record Unmute(String callId, String clientContext) implements ReplyingOperation {
    public Unmute {
      CommandChecks.callId(callId, "unmute");
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "unmute";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), callId), "clientContext", clientContext);
    }
  }

  /**
   * Sends DTMF tones into the call. Replies the operation; {@link CallEvent.OperationCompleted} follows.
   *
   * @param tones at least one
   * @param delayBetweenTonesMs or {@code null} for Graph's default
   */
  record SendDtmfTones(String callId, List<Tone> tones, Integer delayBetweenTonesMs, String clientContext)
      implements ReplyingOperation {

    public SendDtmfTones {
      CommandChecks.callId(callId, "sendDtmfTones");
      if (tones == null || tones.isEmpty()) {
        throw Wire.bad("'tones' must be a non-empty array of tones such as [\"tone1\", \"pound\"]");
      }
      tones = List.copyOf(tones);
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "sendDtmfTones";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = CommandChecks.command(name(), callId).put("tones", Wire.names(tones));
      Wire.putIf(json, "delayBetweenTonesMs", delayBetweenTonesMs);
      return Wire.putIf(json, "clientContext", clientContext);
    }
  }

  /** Subscribes the call to DTMF tones (then {@link CallEvent.ToneReceived}). Replies the operation. */
  record SubscribeToTone(String callId, String clientContext) implements ReplyingOperation {
    public SubscribeToTone {
      CommandChecks.callId(callId, "subscribeToTone");
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "subscribeToTone";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), callId), "clientContext", clientContext);
    }
  }

  // ------------------------------------------------------------------ participants

  /** The roster. On the wire the reply is {@code {"value": [participants]}}. */
  record ListParticipants(String callId) implements OnCall<List<ParticipantView>> {
    public ListParticipants {
      CommandChecks.callId(callId, "listParticipants");
    }

    @Override
    public String name() {
      return "listParticipants";
    }

    @Override
    public JsonObject toJson() {
      return CommandChecks.command(name(), callId);
    }

    @Override
    public List<ParticipantView> replyFromJson(JsonObject reply) {
      return Wire.read(reply, "the reply to 'listParticipants'").objects("value", ParticipantView::fromJson);
    }

    @Override
    public JsonObject replyToJson(List<ParticipantView> reply) {
      return new JsonObject().put("value", Wire.array(reply, ParticipantView::toJson));
    }
  }

  /** Invites 1–25 participants (each may leave another call: {@link Target#replacing}). Replies the operation. */
  record InviteParticipants(String callId, List<Target> participants, String clientContext)
      implements ReplyingOperation {

    public InviteParticipants {
      CommandChecks.callId(callId, "inviteParticipants");
      participants = CommandChecks.targets(participants, "participants");
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "inviteParticipants";
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = CommandChecks.command(name(), callId).put("participants", Wire.array(participants, Target::toJson));
      return Wire.putIf(json, "clientContext", clientContext);
    }
  }

  /** Server-mutes a participant. Replies the operation. */
  record MuteParticipant(String callId, String participantId, String clientContext) implements ReplyingOperation {
    public MuteParticipant {
      CommandChecks.callId(callId, "muteParticipant");
      CommandChecks.participantId(participantId);
      CommandChecks.clientContext(clientContext);
    }

    @Override
    public String name() {
      return "muteParticipant";
    }

    @Override
    public JsonObject toJson() {
      return Wire.putIf(CommandChecks.command(name(), callId).put("participantId", participantId), "clientContext",
          clientContext);
    }
  }

  /** Removes a participant from the call. Replies nothing ({@code {}} on the wire). */
  record RemoveParticipant(String callId, String participantId) implements OnCall<Void> {
    public RemoveParticipant {
      CommandChecks.callId(callId, "removeParticipant");
      CommandChecks.participantId(participantId);
    }

    @Override
    public String name() {
      return "removeParticipant";
    }

    @Override
    public JsonObject toJson() {
      return CommandChecks.command(name(), callId).put("participantId", participantId);
    }

    @Override
    public Void replyFromJson(JsonObject reply) {
      return null;
    }

    @Override
    public JsonObject replyToJson(Void reply) {
      return new JsonObject();
    }
  }
}
