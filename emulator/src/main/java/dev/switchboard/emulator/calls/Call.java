package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.media.Utterance;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** One call as the emulator knows it: the Graph {@code call} resource plus the simulation's state. */
final class Call {

  /** What kind of conversation it is; decides what ends it. */
  enum Kind { PEER_TO_PEER, GROUP, MEETING }

  final String id = UUID.randomUUID().toString();
  /** When the call was created, on the emulated clock. */
  final java.time.Instant created;
  final boolean incoming;
  final Kind kind;
  final String tenantId;
  final String myParticipantId = UUID.randomUUID().toString();
  final String callChainId = UUID.randomUUID().toString();
  final JsonObject source;
  final JsonArray targets;
  final JsonArray requestedModalities;
  final JsonObject chatInfo;
  final JsonObject meetingInfo;
  final String subject;
  final JsonObject callOptions;
  /** Whether the bot takes part as an application instance (it can place and transfer to PSTN). */
  final boolean pstn;

  CallState state;
  String callbackUri;
  JsonObject mediaConfig;
  ResultInfo resultInfo;
  JsonObject toneInfo;
  String terminationReason;
  JsonObject answeredBy;

  /** The emulated onlineMeeting a meeting call landed in, or null. */
  String onlineMeetingId;
  /** Why the meeting refused this join (unknown meeting, wrong passcode): it ends so once established would be. */
  ResultInfo joinRefusal;

  final Map<String, Participant> participants = new LinkedHashMap<>();
  /** Everyone who ever joined, the bot included (participants who left are kept): for the call record. */
  final List<Participant> everyone = new ArrayList<>();
  final Map<String, Operation> operations = new LinkedHashMap<>();
  final Set<Long> timers = new HashSet<>();
  long keepAliveTimer = -1;
  int nextSourceId = 1;

  // IVR state, driven by Ivr
  boolean toneSubscribed;
  long toneSequence;
  MediaJob currentJob;
  final Deque<MediaJob> mediaQueue = new ArrayDeque<>();
  /**
   * What the remote party will say, one utterance per recording, in order (control API); when it is empty, a
   * recording hears the party's behavior ({@code speakSeconds}).
   */
  final Deque<Utterance> speech = new ArrayDeque<>();

  Call(java.time.Instant created, boolean incoming, Kind kind, String tenantId, JsonObject source, JsonArray targets, JsonArray requestedModalities,
      JsonObject chatInfo, JsonObject meetingInfo, String subject, JsonObject callOptions, boolean pstn,
      CallState state, String callbackUri, JsonObject mediaConfig) {
    this.created = created;
    this.incoming = incoming;
    this.kind = kind;
    this.tenantId = tenantId;
    this.source = source;
    this.targets = targets;
    this.requestedModalities = requestedModalities;
    this.chatInfo = chatInfo;
    this.meetingInfo = meetingInfo;
    this.subject = subject;
    this.callOptions = callOptions;
    this.pstn = pstn;
    this.state = state;
    this.callbackUri = callbackUri;
    this.mediaConfig = mediaConfig;
  }

  String path() {
    return "/communications/calls/" + id;
  }

  boolean live() {
    return state != CallState.TERMINATED;
  }

  boolean serviceHostedMedia() {
    return mediaConfig == null
        || !"#microsoft.graph.appHostedMediaConfig".equals(mediaConfig.getString("@odata.type"));
  }

  /** The participants other than the bot. */
  List<Participant> remoteParticipants() {
    List<Participant> out = new ArrayList<>();
    participants.values().forEach(p -> {
      if (!p.isBot()) {
        out.add(p);
      }
    });
    return out;
  }

  Participant bot() {
    return participants.get(myParticipantId);
  }

  /** The call as the call-records service sees it once it has ended at {@code end} (emulated). */
  EndedCall ended(java.time.Instant end) {
    java.time.Instant start = created;
    JsonObject organizer;
    if (meetingInfo != null && meetingInfo.getJsonObject("organizer") != null) {
      organizer = meetingInfo.getJsonObject("organizer").copy();
    } else {
      organizer = source.getJsonObject("identity").copy();
    }
    List<EndedCall.Party> parties = new ArrayList<>();
    everyone.forEach(p -> parties.add(new EndedCall.Party(p.id, p.identity.copy(), p.isBot())));
    List<String> modalities = new ArrayList<>();
    requestedModalities.forEach(m -> modalities.add(String.valueOf(m)));
    return new EndedCall(id, callChainId, kind != Kind.PEER_TO_PEER,
        chatInfo == null ? null : chatInfo.getString("threadId"), modalities, start, end, organizer, parties);
  }

  /** The full {@code call} resource, as GET and create return it. */
  JsonObject toJson(String baseUrl) {
    JsonArray fullTargets = new JsonArray();
    targets.forEach(t -> {
      JsonObject target = ((JsonObject) t).copy();
      target.put("endpointType", target.getValue("endpointType"));
      target.put("replacesCallId", target.getValue("replacesCallId"));
      fullTargets.add(target);
    });
    return new JsonObject()
        .put("@odata.type", "#microsoft.graph.call")
        .put("@odata.context", baseUrl + "/v1.0/$metadata#communications/calls/$entity")
        .put("@odata.id", path())
        .put("id", id)
        .put("state", state.json())
        .put("direction", incoming ? "incoming" : "outgoing")
        .put("callbackUri", callbackUri)
        .put("callChainId", callChainId)
        .put("callRoutes", new JsonArray())
        .put("source", source.copy())
        .put("targets", fullTargets)
        .put("requestedModalities", requestedModalities.copy())
        .put("activeModalities", state == CallState.ESTABLISHED ? requestedModalities.copy() : new JsonArray())
        .put("mediaConfig", mediaConfig == null ? null : mediaConfig.copy())
        .put("routingPolicies", new JsonArray())
        .put("tenantId", tenantId)
        .put("myParticipantId", myParticipantId)
        .put("subject", subject)
        .put("terminationReason", terminationReason)
        .put("ringingTimeoutInSeconds", null)
        .put("mediaState", state == CallState.ESTABLISHED
            ? new JsonObject().put("@odata.type", "#microsoft.graph.callMediaState").put("audio", "active") : null)
        .put("resultInfo", resultInfo == null ? null : resultInfo.toJson())
        .put("answeredBy", answeredBy == null ? null : answeredBy.copy())
        .put("chatInfo", chatInfo == null ? null : chatInfo.copy())
        .put("meetingInfo", meetingInfo == null ? null : meetingInfo.copy())
        .put("callOptions", callOptions == null ? null : callOptions.copy())
        .put("transcription", kind == Kind.MEETING ? new JsonObject()
            .put("@odata.type", "#microsoft.graph.callTranscriptionInfo")
            .put("state", "inactive")
            .put("lastModifiedDateTime", created.toString()) : null)
        .put("meetingCapability", null)
        .put("toneInfo", toneInfo == null ? null : toneInfo.copy())
        .put("incomingContext", null);
  }

  /** The {@code resourceData} of a state notification: what changed, as Graph's examples show it. */
  JsonObject stateData() {
    JsonObject d = new JsonObject()
        .put("@odata.type", "#microsoft.graph.call")
        .put("@odata.id", path())
        .put("id", id)
        .put("state", state.json())
        .put("direction", incoming ? "incoming" : "outgoing");
    if (chatInfo != null) {
      d.put("chatInfo", chatInfo.copy());
    }
    if (meetingInfo != null) {
      d.put("meetingInfo", meetingInfo.copy());
    }
    return d;
  }
}
