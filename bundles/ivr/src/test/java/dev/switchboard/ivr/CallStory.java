package dev.switchboard.ivr;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.platform.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to one call, from both sides: the notifications Graph (the emulator) sent it, with the faults
 * applied, when each was made and how long its delivery took, and the events the bot published. For a chaos test's
 * failure messages, and to tell a key delivered late from one the bot miscounted.
 */
final class CallStory {

  private CallStory() {
  }

  /** The emulator's log of notification deliveries ({@code GET /emulator/notifications}). */
  static JsonArray notificationLog(IvrHarness h) {
    try {
      return TestServer.json(TestServer.await(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
          + "/emulator/notifications").send())).getJsonArray("value");
    } catch (Exception e) {
      throw new AssertionError("the emulator's notification log could not be read", e);
    }
  }

  /** The notifications one delivery of the log carried (none when its body is not a notification collection). */
  static List<JsonObject> notifications(JsonObject delivery) {
    List<JsonObject> carried = new ArrayList<>();
    if (delivery.getValue("body") instanceof JsonObject body && body.getValue("value") instanceof JsonArray value) {
      value.forEach(n -> {
        if (n instanceof JsonObject notification) {
          carried.add(notification);
        }
      });
    }
    return carried;
  }

  /**
   * Whether the gather that ended in {@code retry} took a key Graph made before that gather began: a tone whose
   * notification reached the bot after the gather it was pressed for had ended (its inter-digit timeout passed while
   * the notification waited behind others of the call). Graph's tones carry no time, so no bot can tell such a key
   * from one meant for the gather under way; the flow asks again, as it says. Keys pressed for this gather are pressed
   * after it began (the caller waits for the prompt), so this never excuses a key the bot made up or counted twice.
   */
  static boolean tookAnEarlierKey(IvrHarness h, String call, JsonObject retry) {
    Instant ended = Instant.parse(retry.getString("at"));
    Instant began = h.events(IvrEvents.ADDRESS, call, "gathering").stream()
        .filter(g -> retry.getString("node").equals(g.getString("node")))
        .map(g -> Instant.parse(g.getString("at"))).filter(at -> at.isBefore(ended))
        .max(Comparator.naturalOrder()).orElse(null);
    if (began == null) {
      return false;
    }
    Map<Long, Instant> made = toneMadeAt(h, call);
    return h.events(CallEvent.ToneReceived.TOPIC, call, null).stream()
        .filter(t -> {
          Instant at = Instant.parse(t.getString("at"));
          return at.isAfter(began) && !at.isAfter(ended) && t.getValue("sequenceId") instanceof Number;
        })
        .map(t -> made.get(((Number) t.getValue("sequenceId")).longValue()))
        .anyMatch(at -> at != null && at.isBefore(began));
  }

  /** When Graph made each tone notification of {@code call}, by the tone's {@code sequenceId}. */
  private static Map<Long, Instant> toneMadeAt(IvrHarness h, String call) {
    Map<Long, Instant> made = new HashMap<>();
    for (Object o : notificationLog(h)) {
      JsonObject d = (JsonObject) o;
      if (!d.getString("resourceUrl", "").endsWith(call) || d.getString("createdAt") == null) {
        continue;
      }
      Instant at = Instant.parse(d.getString("createdAt"));
      for (JsonObject n : notifications(d)) {
        JsonObject tone = n.getJsonObject("resourceData", new JsonObject()).getJsonObject("toneInfo");
        if (tone != null && tone.getValue("sequenceId") instanceof Number seq) {
          made.merge(seq.longValue(), at, (a, b) -> a.isBefore(b) ? a : b);
        }
      }
    }
    return made;
  }

  /**
   * A failed call's story, for the failure message: the call's notifications Graph sent (with the faults applied,
   * how long each waited and the door's answer), then every event the bot published for it.
   */
  static String of(IvrHarness h, String call) {
    StringBuilder out = new StringBuilder();
    try {
      for (Object o : notificationLog(h)) {
        JsonObject d = (JsonObject) o;
        if (!d.getString("resourceUrl", "").contains(call)) {
          continue;
        }
        String created = d.getString("createdAt");
        String waited = created == null ? "" : " (answered after "
            + Duration.between(Instant.parse(created), Instant.parse(d.getString("time"))).toMillis() + " ms)";
        for (JsonObject n : notifications(d)) {
          JsonObject data = n.getJsonObject("resourceData", new JsonObject());
          JsonObject tone = data.getJsonObject("toneInfo");
          String what = tone != null ? "tone " + tone.getValue("tone") + " seq " + tone.getValue("sequenceId")
              : data.getString("@odata.type", "") + " " + data.getString("status", data.getString("state", ""));
          out.append("  graph #").append(d.getValue("sequence")).append(' ').append(created).append(waited)
              .append(' ').append(n.getString("changeType")).append(' ').append(what)
              .append(" -> ").append(d.getValue("status"))
              .append(d.getValue("fault") == null ? "" : " fault " + d.getValue("fault")).append('\n');
        }
      }
    } catch (AssertionError unreadable) {
      out.append("  (").append(unreadable.getMessage()).append(": ").append(unreadable.getCause()).append(")\n");
    }
    for (JsonObject e : h.events) {
      if (call.equals(e.getString("callId"))) {
        JsonObject shown = e.copy();
        shown.remove("callId");
        shown.remove("tenantId");
        JsonObject view = shown.getJsonObject("call");
        if (view != null) {
          shown.put("call", view.getString("state"));
        }
        out.append("  bot ").append(shown.encode()).append('\n');
      }
    }
    return out.toString();
  }
}
