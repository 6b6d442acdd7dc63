package dev.switchboard.api.calls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A call as the calling bundle knows it: what {@code get} and most other commands reply, and what every
 * {@link CallEvent} carries ({@link CallEvent#call()}). A snapshot: the call goes on changing after it was taken.
 *
 * <p>Properties named after Graph's ({@code source}, {@code targets}, {@code chatInfo}, ...) hold Graph's JSON as
 * Graph sent it (copies); the others are the calling bundle's. On the wire a field that is {@code null} is left out.
 * Build one with {@link #builder(String)} or change a copy with {@link #toBuilder()}.
 *
 * @param id the call id
 * @param tenantId the tenant of the call
 * @param state Graph's state of the call, or {@code null} before Graph named one
 * @param direction who placed the call, or {@code null} when not known yet
 * @param kind peer-to-peer, PSTN, group or meeting
 * @param subject the subject of a group call, or {@code null}
 * @param source Graph's {@code participantInfo} of who placed the call (for incoming calls, the caller; see {@link #caller()}), or {@code null}
 * @param targets Graph's {@code invitationParticipantInfo}s the call was placed to, or {@code null}
 * @param myParticipantId the bot's participant id in the call, or {@code null}
 * @param callChainId Graph's call chain id (the call record's id), or {@code null}
 * @param requestedModalities the modalities Graph reported (e.g. {@code audio}); empty when not known
 * @param chatInfo Graph's {@code chatInfo} of a meeting call, or {@code null}
 * @param meetingInfo Graph's {@code meetingInfo} of a meeting call, or {@code null}
 * @param incomingContext Graph's {@code incomingContext} of a transferred or forwarded incoming call, or {@code null}
 * @param callbackUri where Graph sends the call's notifications, or {@code null}
 * @param meeting the meeting a join targeted, or {@code null}
 * @param participants the roster, as the last roster notification gave it
 * @param claimedBy who claimed an incoming call (its {@code by}), or placed an outgoing one; {@code null} if nobody
 * @param claim how an incoming call was claimed, or {@code null}
 * @param unclaimed whether the calling bundle rejected the call busy because no bot claimed it in time
 * @param redirectTargets Graph's {@code invitationParticipantInfo}s a redirect sent the call to, or {@code null}
 * @param toneSubscribed whether DTMF tones of the call are reported ({@link CallEvent.ToneReceived})
 * @param lastToneSequenceId the highest tone sequence id seen, or {@code null}
 * @param pendingOperations operations started on the call that Graph has not reported finished
 * @param transfer the call's latest transfer, or {@code null}
 * @param resultInfo how the call ended, or {@code null}
 * @param reason why the call ended, in words, or {@code null}
 * @param terminationReason Graph's {@code terminationReason}, or {@code null}
 * @param createdAt when the calling bundle first knew the call
 * @param updatedAt when the call last changed
 * @param establishedAt when it reached {@code established}, or {@code null}
 * @param terminatedAt when it ended, or {@code null}
 * @param lastKeepAliveAt when the last keepAlive succeeded, or {@code null}
 * @param nextKeepAliveAt when the next keepAlive is due, or {@code null}
 * @param handledBy the version of the calling plugin that last handled the call
 */
public record CallView(String id, String tenantId, CallState state, CallDirection direction, CallKind kind, String subject, JsonObject source, JsonArray targets, String myParticipantId, String callChainId, List<String> requestedModalities, JsonObject chatInfo, JsonObject meetingInfo, JsonObject incomingContext, String callbackUri, MeetingView meeting, List<ParticipantView> participants, String claimedBy, Claim claim, boolean unclaimed, JsonArray redirectTargets, boolean toneSubscribed, Long lastToneSequenceId, List<OperationView> pendingOperations, TransferView transfer, ResultInfo resultInfo, String reason, String terminationReason, Instant createdAt, Instant updatedAt, Instant establishedAt, Instant terminatedAt, Instant lastKeepAliveAt, Instant nextKeepAliveAt, String handledBy) {

  public CallView {
    Objects.requireNonNull(id, "id");
    source = Wire.copy(source);
    targets = targets == null ? null : targets.copy();
    requestedModalities = Wire.copy(requestedModalities);
    chatInfo = Wire.copy(chatInfo);
    meetingInfo = Wire.copy(meetingInfo);
    incomingContext = Wire.copy(incomingContext);
    participants = Wire.copy(participants);
    redirectTargets = redirectTargets == null ? null : redirectTargets.copy();
    pendingOperations = Wire.copy(pendingOperations);
  }

  @Override
  public JsonObject source() {
    return Wire.copy(source);
  }

  @Override
  public JsonArray targets() {
    return targets == null ? null : targets.copy();
  }

  @Override
  public JsonObject chatInfo() {
    return Wire.copy(chatInfo);
  }

  @Override
  public JsonObject meetingInfo() {
    return Wire.copy(meetingInfo);
  }

  @Override
  public JsonObject incomingContext() {
    return Wire.copy(incomingContext);
  }

  @Override
  public JsonArray redirectTargets() {
    return redirectTargets == null ? null : redirectTargets.copy();
  }

  /** Who placed the call ({@code source.identity}): for an incoming call, the caller; {@code null} if not known. */
  public Identity caller() {
    return source == null || !(source.getValue("identity") instanceof JsonObject set) ? null : Identity.fromGraph(set);
  }

  /** Whether the call has ended. */
  public boolean terminated() {
    return state == CallState.TERMINATED;
  }

  /** A builder of a call with this id and nothing else known. */
  public static Builder builder(String id) {
    return new Builder(Objects.requireNonNull(id, "id"));
  }

  /** A builder holding this call's properties. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.tenantId = tenantId;
    b.state = state;
    b.direction = direction;
    b.kind = kind;
    b.subject = subject;
    b.source = source;
    b.targets = targets;
    b.myParticipantId = myParticipantId;
    b.callChainId = callChainId;
    b.requestedModalities = requestedModalities;
    b.chatInfo = chatInfo;
    b.meetingInfo = meetingInfo;
    b.incomingContext = incomingContext;
    b.callbackUri = callbackUri;
    b.meeting = meeting;
    b.participants = participants;
    b.claimedBy = claimedBy;
    b.claim = claim;
    b.unclaimed = unclaimed;
    b.redirectTargets = redirectTargets;
    b.toneSubscribed = toneSubscribed;
    b.lastToneSequenceId = lastToneSequenceId;
    b.pendingOperations = pendingOperations;
    b.transfer = transfer;
    b.resultInfo = resultInfo;
    b.reason = reason;
    b.terminationReason = terminationReason;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    b.establishedAt = establishedAt;
    b.terminatedAt = terminatedAt;
    b.lastKeepAliveAt = lastKeepAliveAt;
    b.nextKeepAliveAt = nextKeepAliveAt;
    b.handledBy = handledBy;
    return b;
  }

  /** The wire form. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    Wire.putIf(json, "id", id);
    Wire.putIf(json, "tenantId", tenantId);
    Wire.putIf(json, "state", state);
    Wire.putIf(json, "direction", direction);
    Wire.putIf(json, "kind", kind);
    Wire.putIf(json, "subject", subject);
    Wire.putIf(json, "source", Wire.copy(source));
    Wire.putIf(json, "targets", targets == null ? null : targets.copy());
    Wire.putIf(json, "myParticipantId", myParticipantId);
    Wire.putIf(json, "callChainId", callChainId);
    json.put("requestedModalities", new JsonArray(new ArrayList<>(requestedModalities)));
    Wire.putIf(json, "chatInfo", Wire.copy(chatInfo));
    Wire.putIf(json, "meetingInfo", Wire.copy(meetingInfo));
    Wire.putIf(json, "incomingContext", Wire.copy(incomingContext));
    Wire.putIf(json, "callbackUri", callbackUri);
    Wire.putIf(json, "meeting", meeting == null ? null : meeting.toJson());
    json.put("participants", Wire.array(participants, ParticipantView::toJson));
    Wire.putIf(json, "claimedBy", claimedBy);
    Wire.putIf(json, "claim", claim);
    json.put("unclaimed", unclaimed);
    Wire.putIf(json, "redirectTargets", redirectTargets == null ? null : redirectTargets.copy());
    json.put("toneSubscribed", toneSubscribed);
    Wire.putIf(json, "lastToneSequenceId", lastToneSequenceId);
    json.put("pendingOperations", Wire.array(pendingOperations, OperationView::toJson));
    Wire.putIf(json, "transfer", transfer == null ? null : transfer.toJson());
    Wire.putIf(json, "resultInfo", resultInfo == null ? null : resultInfo.toJson());
    Wire.putIf(json, "reason", reason);
    Wire.putIf(json, "terminationReason", terminationReason);
    Wire.putIf(json, "createdAt", createdAt);
    Wire.putIf(json, "updatedAt", updatedAt);
    Wire.putIf(json, "establishedAt", establishedAt);
    Wire.putIf(json, "terminatedAt", terminatedAt);
    Wire.putIf(json, "lastKeepAliveAt", lastKeepAliveAt);
    Wire.putIf(json, "nextKeepAliveAt", nextKeepAliveAt);
    Wire.putIf(json, "handledBy", handledBy);
    return json;
  }

  /**
   * Reads the wire form.
   *
   * @throws dev.switchboard.api.SwitchboardException 400 naming a field of the wrong type
   */
  public static CallView fromJson(JsonObject json) {
    Wire c = Wire.read(json, "a call"); // read in place: the canonical constructor copies
    return new CallView(
        c.requiredString("id"),
        c.string("tenantId"),
        c.enumValue("state", CallState.class),
        c.enumValue("direction", CallDirection.class),
        c.enumValue("kind", CallKind.class),
        c.string("subject"),
        c.objectAsIs("source"),
        c.arrayAsIs("targets"),
        c.string("myParticipantId"),
        c.string("callChainId"),
        c.strings("requestedModalities"),
        c.objectAsIs("chatInfo"),
        c.objectAsIs("meetingInfo"),
        c.objectAsIs("incomingContext"),
        c.string("callbackUri"),
        c.object("meeting", MeetingView::fromJson),
        c.objects("participants", ParticipantView::fromJson),
        c.string("claimedBy"),
        c.enumValue("claim", Claim.class),
        c.bool("unclaimed"),
        c.arrayAsIs("redirectTargets"),
        c.bool("toneSubscribed"),
        c.longValue("lastToneSequenceId"),
        c.objects("pendingOperations", OperationView::fromJson),
        c.object("transfer", TransferView::fromJson),
        c.object("resultInfo", ResultInfo::fromJson),
        c.string("reason"),
        c.string("terminationReason"),
        c.instant("createdAt"),
        c.instant("updatedAt"),
        c.instant("establishedAt"),
        c.instant("terminatedAt"),
        c.instant("lastKeepAliveAt"),
        c.instant("nextKeepAliveAt"),
        c.string("handledBy"));
  }

  /** Builds a {@link CallView}; not thread-safe. Setters take what the record's components take. */
  public static final class Builder {
    private final String id;
    private String tenantId;
    private CallState state;
    private CallDirection direction;
    private CallKind kind;
    private String subject;
    private JsonObject source;
    private JsonArray targets;
    private String myParticipantId;
    private String callChainId;
    private List<String> requestedModalities = List.of();
    private JsonObject chatInfo;
    private JsonObject meetingInfo;
    private JsonObject incomingContext;
    private String callbackUri;
    private MeetingView meeting;
    private List<ParticipantView> participants = List.of();
    private String claimedBy;
    private Claim claim;
    private boolean unclaimed;
    private JsonArray redirectTargets;
    private boolean toneSubscribed;
    private Long lastToneSequenceId;
    private List<OperationView> pendingOperations = List.of();
    private TransferView transfer;
    private ResultInfo resultInfo;
    private String reason;
    private String terminationReason;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant establishedAt;
    private Instant terminatedAt;
    private Instant lastKeepAliveAt;
    private Instant nextKeepAliveAt;
    private String handledBy;

    private Builder(String id) {
      this.id = id;
    }

    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    public Builder state(CallState state) {
      this.state = state;
      return this;
    }

    public Builder direction(CallDirection direction) {
      this.direction = direction;
      return this;
    }

    public Builder kind(CallKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    public Builder source(JsonObject source) {
      this.source = source;
      return this;
    }

    public Builder targets(JsonArray targets) {
      this.targets = targets;
      return this;
    }

    public Builder myParticipantId(String myParticipantId) {
      this.myParticipantId = myParticipantId;
      return this;
    }

    public Builder callChainId(String callChainId) {
      this.callChainId = callChainId;
      return this;
    }

    public Builder requestedModalities(List<String> requestedModalities) {
      this.requestedModalities = requestedModalities;
      return this;
    }

    public Builder chatInfo(JsonObject chatInfo) {
      this.chatInfo = chatInfo;
      return this;
    }

    public Builder meetingInfo(JsonObject meetingInfo) {
      this.meetingInfo = meetingInfo;
      return this;
    }

    public Builder incomingContext(JsonObject incomingContext) {
      this.incomingContext = incomingContext;
      return this;
    }

    public Builder callbackUri(String callbackUri) {
      this.callbackUri = callbackUri;
      return this;
    }

    public Builder meeting(MeetingView meeting) {
      this.meeting = meeting;
      return this;
    }

    public Builder participants(List<ParticipantView> participants) {
      this.participants = participants;
      return this;
    }

    public Builder claimedBy(String claimedBy) {
      this.claimedBy = claimedBy;
      return this;
    }

    public Builder claim(Claim claim) {
      this.claim = claim;
      return this;
    }

    public Builder unclaimed(boolean unclaimed) {
      this.unclaimed = unclaimed;
      return this;
    }

    public Builder redirectTargets(JsonArray redirectTargets) {
      this.redirectTargets = redirectTargets;
      return this;
    }

    public Builder toneSubscribed(boolean toneSubscribed) {
      this.toneSubscribed = toneSubscribed;
      return this;
    }

    public Builder lastToneSequenceId(Long lastToneSequenceId) {
      this.lastToneSequenceId = lastToneSequenceId;
      return this;
    }

    public Builder pendingOperations(List<OperationView> pendingOperations) {
      this.pendingOperations = pendingOperations;
      return this;
    }

    public Builder transfer(TransferView transfer) {
      this.transfer = transfer;
      return this;
    }

    public Builder resultInfo(ResultInfo resultInfo) {
      this.resultInfo = resultInfo;
      return this;
    }

    public Builder reason(String reason) {
      this.reason = reason;
      return this;
    }

    public Builder terminationReason(String terminationReason) {
      this.terminationReason = terminationReason;
      return this;
    }

    public Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    public Builder updatedAt(Instant updatedAt) {
      this.updatedAt = updatedAt;
      return this;
    }

    public Builder establishedAt(Instant establishedAt) {
      this.establishedAt = establishedAt;
      return this;
    }

    public Builder terminatedAt(Instant terminatedAt) {
      this.terminatedAt = terminatedAt;
      return this;
    }

    public Builder lastKeepAliveAt(Instant lastKeepAliveAt) {
      this.lastKeepAliveAt = lastKeepAliveAt;
      return this;
    }

    public Builder nextKeepAliveAt(Instant nextKeepAliveAt) {
      this.nextKeepAliveAt = nextKeepAliveAt;
      return this;
    }

    public Builder handledBy(String handledBy) {
      this.handledBy = handledBy;
      return this;
    }

    public CallView build() {
      return new CallView(id, tenantId, state, direction, kind, subject, source, targets, myParticipantId, callChainId, requestedModalities, chatInfo, meetingInfo, incomingContext, callbackUri, meeting, participants, claimedBy, claim, unclaimed, redirectTargets, toneSubscribed, lastToneSequenceId, pendingOperations, transfer, resultInfo, reason, terminationReason, createdAt, updatedAt, establishedAt, terminatedAt, lastKeepAliveAt, nextKeepAliveAt, handledBy);
    }
  }
}
