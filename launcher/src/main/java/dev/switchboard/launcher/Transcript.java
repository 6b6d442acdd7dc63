package dev.switchboard.launcher;

import dev.switchboard.api.calls.CallEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The sandbox's transcript: what happens on every call, one line per step, with the time since the sandbox began,
 * built from the calling bundle's events and the ivr bundle's ({@code switchboard.ivr.events}). Also keeps every
 * event, so that the scenario can wait for one. Thread-safe; lines are printed as events arrive.
 */
final class Transcript implements AutoCloseable {

  static final String IVR_EVENTS = "switchboard.ivr.events";

  /** One event as received: the address and the body. */
  record Event(String address, JsonObject body) {
    String type() {
      return body.getString("type");
    }

    String callId() {
      return body.getString("callId");
    }
  }

  private final PrintWriter out;
  private final Path dataDir;
  private final long began = System.nanoTime();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Map<String, String> labels = new ConcurrentHashMap<>();
  private final Map<String, String> expected = new ConcurrentHashMap<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  Transcript(Vertx vertx, PrintWriter out, Path dataDir) {
    this.out = out;
    this.dataDir = dataDir;
    // All on one context, so that events are transcribed in the order they were published.
    java.util.concurrent.CompletableFuture<Void> registered = new java.util.concurrent.CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      for (String address : List.of(CallEvent.Incoming.TOPIC, CallEvent.Established.TOPIC,
          CallEvent.TransferAccepted.TOPIC, CallEvent.TransferFailed.TOPIC, CallEvent.Terminated.TOPIC, IVR_EVENTS)) {
        consumers.add(vertx.eventBus().<JsonObject>consumer(address, m -> record(address, m.body())));
      }
      registered.complete(null);
    });
    registered.join();
  }

  /** Names a call in the transcript (e.g. "call 1"); other calls are named by the start of their id. */
  void label(String callId, String label) {
    labels.put(callId, label);
  }

  /**
   * Names the next call from {@code caller} (a phone number or user id), which may be announced before the
   * scenario learns its id.
   */
  void expectCaller(String caller, String label) {
    expected.put(caller, label);
  }

  /** Prints a line of the scenario's own (what the other side does). */
  synchronized void say(String callId, String text) {
    line(callId == null ? null : label(callId), text);
  }

  /** Prints a line of the scenario's own for the call named {@code label}. */
  synchronized void sayAs(String label, String text) {
    line(label, text);
  }

  /** A plain line, no time. */
  synchronized void print(String text) {
    out.println(text);
    out.flush();
  }

  /** The first event so far on {@code address} for {@code callId} that {@code test} accepts, or {@code null}. */
  Event find(String address, String callId, Predicate<JsonObject> test) {
    for (Event e : events) {
      if (e.address().equals(address) && callId.equals(e.callId()) && test.test(e.body())) {
        return e;
      }
    }
    return null;
  }

  /** Seconds since the sandbox began. */
  double elapsed() {
    return (System.nanoTime() - began) / 1e9;
  }

  Path absolute(String pathBelowData) {
    return dataDir.resolve(pathBelowData).toAbsolutePath().normalize();
  }

  private synchronized void record(String address, JsonObject body) {
    events.add(new Event(address, body));
    if (address.equals(CallEvent.Incoming.TOPIC) && body.getString("callId") != null) {
      JsonObject identity = body.getJsonObject("call", new JsonObject()).getJsonObject("source", new JsonObject())
          .getJsonObject("identity", new JsonObject());
      for (String kind : identity.fieldNames()) {
        Object who = identity.getValue(kind);
        String label = who instanceof JsonObject w && w.getString("id") != null ? expected.remove(w.getString("id")) : null;
        if (label != null) {
          labels.putIfAbsent(body.getString("callId"), label);
        }
      }
    }
    String text = describe(address, body);
    if (text != null) {
      line(label(body.getString("callId")), text);
    }
  }

  private String describe(String address, JsonObject e) {
    JsonObject call = e.getJsonObject("call", new JsonObject());
    if (address.equals(CallEvent.Incoming.TOPIC)) {
      return "incoming call from " + identity(call.getJsonObject("source")) + " to the bot (call id "
          + e.getString("callId") + ")";
    }
    if (address.equals(CallEvent.Established.TOPIC)) {
      return "connected: answered by " + call.getString("claimedBy", "?");
    }
    if (address.equals(CallEvent.TransferAccepted.TOPIC)) {
      return "transfer accepted: the caller now talks to the target";
    }
    if (address.equals(CallEvent.TransferFailed.TOPIC)) {
      return "transfer failed: " + e.getString("reason");
    }
    if (address.equals(CallEvent.Terminated.TOPIC)) {
      JsonObject result = e.getJsonObject("resultInfo", new JsonObject());
      return "call ended: " + e.getString("reason") + " (" + result.getValue("code") + "/" + result.getValue("subcode")
          + ")" + (e.getBoolean("unclaimed", false) ? ", no bot claimed it" : "");
    }
    String node = "[" + e.getString("node") + "] ";
    return switch (e.getString("type", "")) {
      case "flowStarted" -> "flow '" + e.getString("flow") + "' (" + e.getString("file") + ", version "
          + e.getString("flowVersion") + ") starts at node '" + e.getString("start") + "'";
      case "playing" -> node + "plays " + e.getString("prompt");
      case "gathering" -> node + "plays " + e.getString("prompt") + (e.getInteger("attempt", 1) > 1 ? " (again)" : "")
          + " and waits for " + e.getInteger("maxDigits") + " key(s)";
      case "digits" -> node + (e.getBoolean("fallback", false)
          ? "no valid key ('" + e.getString("digits") + "', " + e.getString("endedBy") + "): goes to '"
          : "got '" + e.getString("digits") + "': goes to '") + e.getString("next") + "'";
      case "retry" -> node + "no valid key ('" + e.getString("digits") + "', " + e.getString("endedBy")
          + "): asks again";
      case "recording" -> node + "plays " + e.getString("prompt") + " and records the caller";
      case "recorded" -> {
        JsonObject r = e.getJsonObject("recording", new JsonObject());
        yield node + "recording stored: " + absolute(r.getString("path", "?")) + " ("
            + String.format("%.1f", r.getLong("durationMs", 0L) / 1000.0) + " s, " + r.getValue("bytes") + " bytes, "
            + e.getString("completionReason") + ")";
      }
      case "transferring" -> node + "transfers the call to " + target(e.getJsonObject("target"));
      case "transferFailed" -> node + "transfer failed (" + e.getString("reason") + "): goes to '" + e.getString("next")
          + "'";
      case "inviting" -> node + "invites " + target(e.getJsonObject("target"));
      case "redirecting" -> node + "redirects the call to " + e.getValue("targets");
      case "hangingUp" -> node + "the bot hangs up";
      case "error" -> node + "problem: " + e.getString("message");
      default -> null;
    };
  }

  private static String identity(JsonObject source) {
    JsonObject identity = source == null ? null : source.getJsonObject("identity");
    if (identity == null) {
      return "an unknown caller";
    }
    for (String kind : List.of("phone", "user", "application", "applicationInstance")) {
      JsonObject who = identity.getJsonObject(kind);
      if (who != null) {
        String name = who.getString("displayName");
        String id = who.getString("id");
        return name != null ? name + " (" + kind + " " + id + ")" : kind + " " + id;
      }
    }
    return identity.encode();
  }

  private static String target(JsonObject target) {
    if (target == null) {
      return "?";
    }
    String name = target.getString("displayName");
    String who = target.getString("user") != null ? "user " + target.getString("user")
        : target.getString("phone") != null ? target.getString("phone") : target.encode();
    return name == null ? who : name + " (" + who + ")";
  }

  private String label(String callId) {
    if (callId == null) {
      return "";
    }
    return labels.computeIfAbsent(callId, id -> "call " + id.substring(0, Math.min(8, id.length())));
  }

  private void line(String label, String text) {
    out.printf("%8.2fs  %-8s %s%n", elapsed(), label == null ? "" : label, text);
    out.flush();
  }

  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
  }
}
