package dev.switchboard.testkit;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A call as it happened, one line per step with the time since the test began: what the caller did (from the
 * {@link Caller}), what the bot asked Graph for on the call (the emulator's journal, with the prompts it played
 * resolved through the media bundle's store), and the events published about the call. What a failed await prints.
 */
final class CallTranscript {

  /** One line: when, who, what. */
  record Line(Instant at, String who, String text) {
  }

  private final KitRuntime runtime;
  private final Instant began;
  private final Map<String, Prompt> prompts = new ConcurrentHashMap<>();

  CallTranscript(KitRuntime runtime, Instant began) {
    this.runtime = runtime;
    this.began = began;
  }

  /** The prompts the caller of {@code callId} heard so far, in order. */
  List<Prompt> heard(String callId) throws Exception {
    List<Prompt> heard = new ArrayList<>();
    for (JsonObject request : runtime.journal.matching("/communications/calls/" + callId + "/")) {
      heard.addAll(promptsOf(request));
    }
    return heard;
  }

  /** The transcript of {@code callId} with the caller's own {@code actions}, as text. */
  String of(String callId, List<Line> actions) {
    List<Line> lines = new ArrayList<>(actions);
    try {
      for (JsonObject request : runtime.journal.matching("/communications/calls/" + callId)) {
        lines.add(new Line(Instant.parse(request.getString("time")), "bot", describe(request)));
      }
    } catch (Exception e) {
      lines.add(new Line(Instant.now(), "kit", "(the emulator's journal could not be read: " + e.getMessage() + ")"));
    }
    for (EventRecorder.Recorded event : runtime.events.all()) {
      if (callId.equals(event.callId())) {
        lines.add(new Line(event.at(), "event", describe(event)));
      }
    }
    lines.sort(Comparator.comparing(Line::at));
    StringBuilder out = new StringBuilder("transcript of call ").append(callId).append(":\n");
    for (Line line : lines) {
      double seconds = Duration.between(began, line.at()).toMillis() / 1000.0;
      out.append(String.format("  %7.2fs  %-6s %s%n", seconds, line.who(), line.text()));
    }
    return out.toString();
  }

  private String describe(JsonObject request) {
    String path = request.getString("path");
    String text = request.getString("method") + " " + path.substring(path.indexOf("/communications/") + 1) + " -> "
        + request.getValue("status");
    List<Prompt> played = promptsOf(request);
    return played.isEmpty() ? text : text + ": plays " + String.join(", ", played.stream().map(Prompt::toString)
        .toList());
  }

  private static String describe(EventRecorder.Recorded event) {
    Object typed = event.typed();
    if (typed instanceof CallEvent call) {
      String type = event.address().substring(event.address().lastIndexOf('.') + 1);
      return type + detail(call);
    }
    if (typed instanceof MediaEvent media) {
      String type = event.address().substring(event.address().lastIndexOf('.') + 1);
      String more = media instanceof MediaEvent.GatherCompleted g ? " digits '" + g.digits() + "' (" + g.endedBy().wire()
          + ")" : media instanceof MediaEvent.RecordCompleted r ? " (" + r.completionReason() + ")" : "";
      return type + " " + media.outcome().status().wire() + more
          + (media.outcome().reason() == null ? "" : ": " + media.outcome().reason());
    }
    JsonObject body = event.body().copy();
    body.remove("callId");
    String encoded = body.encode();
    return event.address() + " " + (encoded.length() > 200 ? encoded.substring(0, 200) + "..." : encoded);
  }

  private static String detail(CallEvent call) {
    if (call instanceof CallEvent.Incoming in) {
      return " from " + (in.call().caller() == null ? "?" : in.call().caller().id());
    }
    if (call instanceof CallEvent.Established) {
      return ", answered by " + call.call().claimedBy();
    }
    if (call instanceof CallEvent.StateChanged s) {
      return ": " + (s.previousState() == null ? "?" : s.previousState().wireName()) + " -> " + s.state().wireName();
    }
    if (call instanceof CallEvent.ToneReceived t) {
      return ": " + t.tone().wireName();
    }
    if (call instanceof CallEvent.OperationCompleted op) {
      return ": " + op.operation().type() + " " + op.operation().status();
    }
    if (call instanceof CallEvent.TransferAccepted t) {
      return " to " + t.transfer().target().encode();
    }
    if (call instanceof CallEvent.TransferFailed f) {
      return ": " + f.reason();
    }
    if (call instanceof CallEvent.Terminated t) {
      return ": " + t.reason() + (t.resultInfo() == null ? "" : " (" + t.resultInfo().code() + "/"
          + t.resultInfo().subcode() + ")") + (t.unclaimed() ? ", unclaimed" : "");
    }
    return "";
  }

  /** The prompts of a playPrompt or recordResponse request, resolved once each. */
  private List<Prompt> promptsOf(JsonObject request) {
    String path = request.getString("path", "");
    int status = request.getInteger("status", 0);
    if (!(path.endsWith("/playPrompt") || path.endsWith("/recordResponse")) || status >= 300
        || !(request.getValue("body") instanceof JsonObject body) || body.getJsonArray("prompts") == null) {
      return List.of();
    }
    List<Prompt> out = new ArrayList<>();
    for (Object p : body.getJsonArray("prompts", new JsonArray())) {
      JsonObject media = p instanceof JsonObject prompt ? prompt.getJsonObject("mediaInfo", new JsonObject())
          : new JsonObject();
      String uri = media.getString("uri");
      if (uri != null) {
        out.add(prompts.computeIfAbsent(uri, u -> resolve(u, media.getString("resourceId"))));
      }
    }
    return out;
  }

  private Prompt resolve(String uri, String resourceId) {
    int at = uri.indexOf("/media/prompts/");
    if (at < 0) {
      return new Prompt(resourceId, null, null, uri);
    }
    String id = uri.substring(at + "/media/prompts/".length()).replaceFirst("\\.wav$", "");
    try {
      HttpResponse<Buffer> described = runtime.http(HttpMethod.GET, "/api/v1/media/prompts/" + id, null);
      if (described.statusCode() == 200) {
        JsonObject prompt = described.bodyAsJsonObject();
        return new Prompt(id, prompt.getString("name"), prompt.getString("text"), uri);
      }
    } catch (Exception e) {
      // Shown by id: the store could not say more.
    }
    return new Prompt(id, null, null, uri);
  }
}
