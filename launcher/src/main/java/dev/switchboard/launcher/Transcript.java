package dev.switchboard.launcher;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.Identity;
import dev.switchboard.api.media.Recording;
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

  /**
   * One event as received: the address, the body, and for the calling bundle's events the event read with its
   * contract ({@code null} for the ivr plugin's, which have no contract in the api).
   */
  record Event(String address, JsonObject body, CallEvent call) {
    String callId() {
      return call != null ? call.callId() : body.getString("callId");
    }
  }

  /** The calling bundle's events the transcript shows. */
  private static final List<String> CALL_TOPICS = List.of(CallEvent.Incoming.TOPIC, CallEvent.Established.TOPIC,
      CallEvent.TransferAccepted.TOPIC, CallEvent.TransferFailed.TOPIC, CallEvent.Terminated.TOPIC);

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
      for (String address : CALL_TOPICS) {
        consumers.add(vertx.eventBus().<JsonObject>consumer(address, m -> record(new Event(address, m.body(),
            CallEvent.fromJson(m.body())))));
      }
      consumers.add(vertx.eventBus().<JsonObject>consumer(IVR_EVENTS, m -> record(new Event(IVR_EVENTS, m.body(),
          null))));
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

  /** The first ivr event so far for {@code callId} that {@code test} accepts, or {@code null}. */
  JsonObject findIvr(String callId, Predicate<JsonObject> test) {
    for (Event e : events) {
      if (e.call() == null && callId.equals(e.callId()) && test.test(e.body())) {
        return e.body();
      }
    }
    return null;
  }

  /** The first calling event of {@code type} so far for {@code callId} that {@code test} accepts, or {@code null}. */
  <E extends CallEvent> E findCall(Class<E> type, String callId, Predicate<E> test) {
    for (Event e : events) {
      if (type.isInstance(e.call()) && callId.equals(e.callId()) && test.test(type.cast(e.call()))) {
        return type.cast(e.call());
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

  private synchronized void record(Event event) {
    events.add(event);
    if (event.call() instanceof CallEvent.Incoming incoming) {
      Identity caller = incoming.call().caller();
      String label = caller == null ? null : expected.remove(caller.id());
      if (label != null) {
        labels.putIfAbsent(incoming.callId(), label);
      }
    }
    String text = event.call() != null ? describe(event.call()) : describe(event.body());
    if (text != null) {
      line(label(event.callId()), text);
    }
  }

  private static String describe(CallEvent event) {
    if (event instanceof CallEvent.Incoming) {
      return "incoming call from " + identity(event.call().caller()) + " to the bot (call id " + event.callId() + ")";
    }
    if (event instanceof CallEvent.Established) {
      String by = event.call().claimedBy() == null ? "?" : event.call().claimedBy();
      // A long placer tag (the meetings bundle's "meetings:<meeting id>") is cut: the line is for reading.
      return "connected: answered by " + (by.length() > 32 ? by.substring(0, 32) + "..." : by);
    }
    if (event instanceof CallEvent.TransferAccepted) {
      return "transfer accepted: the caller now talks to the target";
    }
    if (event instanceof CallEvent.TransferFailed failed) {
      return "transfer failed: " + failed.reason();
    }
    if (event instanceof CallEvent.Terminated ended) {
      return "call ended: " + ended.reason() + " (" + (ended.resultInfo() == null ? "null/null"
          : ended.resultInfo().code() + "/" + ended.resultInfo().subcode()) + ")"
          + (ended.unclaimed() ? ", no bot claimed it" : "");
    }
    return null;
  }

  private String describe(JsonObject e) {
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
        Recording r = Recording.fromJson(e.getJsonObject("recording"));
        yield node + "recording stored: " + absolute(r.path()) + " (" + String.format("%.1f", r.durationMs() / 1000.0)
            + " s, " + r.bytes() + " bytes, " + e.getString("completionReason") + ")";
      }
      case "routed" -> node + e.getString("reason");
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

  private static String identity(Identity who) {
    if (who == null) {
      return "an unknown caller";
    }
    String kind = who.kind().wireName();
    return who.displayName() != null ? who.displayName() + " (" + kind + " " + who.id() + ")" : kind + " " + who.id();
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
