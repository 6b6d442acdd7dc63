package dev.switchboard.emulator.records;

import dev.switchboard.emulator.calls.EndedCall.Party;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Writes call records as Graph does (the callrecords examples of graph-docs-examples): the
 * record, its sessions and segments, their endpoints, media, devices, networks and streams, with
 * the {@code @odata.type} values of the {@code microsoft.graph.callRecords} namespace.
 */
final class RecordJson {

  private static final String NS = "#microsoft.graph.callRecords.";
  /** Packets per second of one audio stream (20 ms frames). */
  private static final int PACKETS_PER_SECOND = 50;

  private RecordJson() {
  }

  /** The record without its sessions, as {@code GET /communications/callRecords/{id}} returns it. */
  static JsonObject record(CallRecord r) {
    JsonArray participants = new JsonArray();
    r.participants().forEach(p -> participants.add(p.copy()));
    return new JsonObject()
        .put("@odata.type", NS + "callRecord")
        .put("id", r.id())
        .put("version", r.version())
        .put("type", r.type())
        .put("modalities", new JsonArray(List.copyOf(r.modalities())))
        .put("lastModifiedDateTime", r.lastModified().toString())
        .put("startDateTime", r.start().toString())
        .put("endDateTime", r.end().toString())
        .put("joinWebUrl", r.joinWebUrl())
        .put("organizer", r.organizer().copy())
        .put("participants", participants);
  }

  /** One session; with its segments when {@code segmentsContext} is not null (their {@code @odata.context}). */
  static JsonObject session(Session s, String segmentsContext) {
    JsonObject o = new JsonObject()
        .put("@odata.type", NS + "session")
        .put("id", s.id())
        .put("modalities", new JsonArray(List.copyOf(s.modalities())))
        .put("startDateTime", s.start().toString())
        .put("endDateTime", s.end().toString())
        .put("caller", endpoint(s.caller()))
        .put("callee", endpoint(s.callee()))
        .put("failureInfo", null);
    if (segmentsContext != null) {
      o.put("segments@odata.context", segmentsContext);
      o.put("segments", new JsonArray().add(segment(s)));
    }
    return o;
  }

  private static JsonObject segment(Session s) {
    return new JsonObject()
        .put("@odata.type", NS + "segment")
        .put("id", s.id())
        .put("startDateTime", s.start().toString())
        .put("endDateTime", s.end().toString())
        .put("caller", endpoint(s.caller()))
        .put("callee", endpoint(s.callee()))
        .put("failureInfo", null)
        .put("media", new JsonArray().add(media(s)));
  }

  private static JsonObject endpoint(Party p) {
    if (p == null) {
      return new JsonObject()
          .put("@odata.type", NS + "serviceEndpoint")
          .put("userAgent", new JsonObject()
              .put("@odata.type", NS + "serviceUserAgent")
              .put("headerValue", "Microsoft Teams conferencing service")
              .put("role", "conferencing"));
    }
    JsonObject identity = p.identity().copy();
    identity.put("@odata.type", "#microsoft.graph.identitySet");
    JsonObject agent = p.bot()
        ? new JsonObject()
            .put("@odata.type", NS + "clientUserAgent")
            .put("headerValue", "Switchboard/0.1 (Microsoft Graph communications bot)")
            .put("platform", "unknown")
            .put("productFamily", "unknown")
        : p.phone()
            ? new JsonObject()
                .put("@odata.type", NS + "clientUserAgent")
                .put("headerValue", "PSTN gateway")
                .put("platform", "unknown")
                .put("productFamily", "unknown")
            : new JsonObject()
                .put("@odata.type", NS + "clientUserAgent")
                .put("headerValue", "Teams/1.6.00.4472 (Windows 10)")
                .put("platform", "windows")
                .put("productFamily", "teams");
    return new JsonObject()
        .put("@odata.type", NS + "participantEndpoint")
        .put("identity", identity)
        .put("userAgent", agent)
        .put("feedback", null);
  }

  private static JsonObject media(Session s) {
    long seconds = Math.max(0, Duration.between(s.start(), s.end()).toSeconds());
    return new JsonObject()
        .put("label", "main-audio")
        .put("callerNetwork", network(1, s.network()))
        .put("calleeNetwork", network(2, s.network()))
        .put("callerDevice", device())
        .put("calleeDevice", device())
        .put("streams", new JsonArray()
            .add(stream(s, "callerToCallee", 1, seconds))
            .add(stream(s, "calleeToCaller", 2, seconds)));
  }

  private static JsonObject network(int side, NetworkConditions n) {
    boolean poor = n.packetLossRate() > 0.1 || n.jitterMs() > 30 || n.roundTripMs() > 500;
    return new JsonObject()
        .put("ipAddress", n.subnet().substring(0, n.subnet().lastIndexOf('.') + 1) + (10 + side))
        .put("subnet", n.subnet())
        .put("linkSpeed", "wired".equals(n.connectionType()) ? 1_000_000_000L : 54_000_000L)
        .put("connectionType", n.connectionType())
        .put("port", 50_000 + side)
        .put("reflexiveIPAddress", "203.0.113." + (10 + side))
        .put("relayIPAddress", "52.114.188." + (30 + side))
        .put("relayPort", 3478)
        .put("macAddress", "00-00-00-00-00-0" + side)
        .put("dnsSuffix", null)
        .put("sentQualityEventRatio", poor ? 0.3 : 0.0)
        .put("receivedQualityEventRatio", poor ? 0.3 : 0.0)
        .put("delayEventRatio", n.roundTripMs() > 500 ? 0.5 : 0.0)
        .put("bandwidthLowEventRatio", 0.0);
  }

  private static JsonObject device() {
    return new JsonObject()
        .put("captureDeviceName", "Default input device")
        .put("captureDeviceDriver", "Microsoft: 10.0.19041.1")
        .put("renderDeviceName", "Default output device")
        .put("renderDeviceDriver", "Microsoft: 10.0.19041.1")
        .put("receivedSignalLevel", -12)
        .put("receivedNoiseLevel", -72)
        .put("initialSignalLevelRootMeanSquare", 80.5)
        .put("renderZeroVolumeEventRatio", 0.0)
        .put("renderMuteEventRatio", 0.0)
        .put("micGlitchRate", 5)
        .put("speakerGlitchRate", 8);
  }

  private static JsonObject stream(Session s, String direction, int n, long seconds) {
    NetworkConditions c = s.network();
    return new JsonObject()
        .put("@odata.type", NS + "mediaStream")
        .put("streamId", String.valueOf(Math.abs((s.id() + direction).hashCode())))
        .put("streamDirection", direction)
        .put("startDateTime", s.start().toString())
        .put("endDateTime", s.end().toString())
        .put("averageAudioDegradation", c.audioDegradation())
        .put("averageJitter", duration(c.jitterMs()))
        .put("maxJitter", duration(c.jitterMs() * 1.6))
        .put("averagePacketLossRate", c.packetLossRate())
        .put("maxPacketLossRate", Math.min(1, c.packetLossRate() * 2.5))
        .put("averageRatioOfConcealedSamples", c.concealedRatio())
        .put("maxRatioOfConcealedSamples", Math.min(1, c.concealedRatio() * 2))
        .put("averageRoundTripTime", duration(c.roundTripMs()))
        .put("maxRoundTripTime", duration(c.roundTripMs() * 1.5))
        .put("packetUtilization", seconds * PACKETS_PER_SECOND)
        .put("averageBandwidthEstimate", 9_000_000L + n * 1000L)
        .put("wasMediaBypassed", false)
        .put("averageAudioNetworkJitter", duration(c.jitterMs() * 2))
        .put("maxAudioNetworkJitter", duration(c.jitterMs() * 3))
        .put("postForwardErrorCorrectionPacketLossRate", c.packetLossRate() / 2)
        .put("lowFrameRateRatio", null)
        .put("averageVideoFrameRate", null)
        .put("averageReceivedFrameRate", null)
        .put("averageVideoFrameLossPercentage", null)
        .put("averageVideoPacketLossRate", null)
        .put("lowVideoProcessingCapabilityRatio", null);
  }

  /** Milliseconds as an ISO-8601 duration the way Graph writes them: {@code PT0.016S}. */
  static String duration(double ms) {
    BigDecimal seconds = BigDecimal.valueOf(Math.round(ms)).movePointLeft(3).stripTrailingZeros();
    return "PT" + (seconds.signum() == 0 ? "0" : seconds.toPlainString()) + "S";
  }
}
