package dev.switchboard.testkit;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.meetings.MeetingEvent;
import dev.switchboard.api.presence.PresenceEvent;
import dev.switchboard.api.records.RecordStored;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Records every event published on the contracts' topics (calls, media, meetings, presence, records) and on the
 * extra addresses a test names, each read with its contract when it has one. Thread-safe: events are added on the
 * event loop, read from the test's thread.
 */
final class EventRecorder {

  /** One event as received: the address, the body, the typed event ({@code null} without a contract), when. */
  record Recorded(String address, JsonObject body, Object typed, Instant at) {

    /** The call the event is about, or {@code null}. */
    String callId() {
      if (typed instanceof CallEvent call) {
        return call.callId();
      }
      if (typed instanceof MediaEvent media) {
        return media.outcome().callId();
      }
      if (typed instanceof MeetingEvent.BotJoined joined) {
        return joined.callId();
      }
      return body.getString("callId");
    }
  }

  /** The contracts' topics, recorded by every kit. */
  static final List<String> CONTRACT_TOPICS = Stream.of(CallEvent.TOPICS, MediaEvent.TOPICS, MeetingEvent.TOPICS,
      PresenceEvent.TOPICS, List.of(RecordStored.TOPIC)).flatMap(List::stream).toList();

  private final List<Recorded> events = new CopyOnWriteArrayList<>();

  private EventRecorder() {
  }

  /** Registers the consumers; the future completes when every one is registered. */
  static Future<EventRecorder> start(Vertx vertx, Collection<String> extraAddresses) {
    EventRecorder recorder = new EventRecorder();
    Set<String> addresses = new LinkedHashSet<>(CONTRACT_TOPICS);
    addresses.addAll(extraAddresses);
    List<Future<Void>> registered = new ArrayList<>();
    for (String address : addresses) {
      registered.add(vertx.eventBus().<Object>consumer(address, m -> {
        if (m.body() instanceof JsonObject body) {
          recorder.events.add(new Recorded(address, body.copy(), read(address, body), Instant.now()));
        }
      }).completion());
    }
    return Future.all(registered).map(recorder);
  }

  /** The event read with its contract, or {@code null} when its address has none (or it does not read). */
  private static Object read(String address, JsonObject body) {
    try {
      if (CallEvent.TOPICS.contains(address)) {
        return CallEvent.fromJson(body);
      }
      if (MediaEvent.TOPICS.contains(address)) {
        return MediaEvent.fromJson(body);
      }
      if (MeetingEvent.TOPICS.contains(address)) {
        return MeetingEvent.fromJson(body);
      }
      if (PresenceEvent.TOPICS.contains(address)) {
        return PresenceEvent.fromJson(body);
      }
      if (RecordStored.TOPIC.equals(address)) {
        return RecordStored.fromJson(body);
      }
    } catch (RuntimeException malformed) {
      // Kept untyped: the transcript shows the body as it came, which is what a test of bad output wants to see.
    }
    return null;
  }

  /** Every event so far, in the order received. */
  List<Recorded> all() {
    return List.copyOf(events);
  }

  /** The typed events of {@code type} so far, in order. */
  <E> List<E> typed(Class<E> type) {
    return events.stream().filter(e -> type.isInstance(e.typed())).map(e -> type.cast(e.typed())).toList();
  }

  /** The events so far on {@code address}, in order. */
  List<Recorded> on(String address) {
    return events.stream().filter(e -> e.address().equals(address)).toList();
  }

  void clear() {
    events.clear();
  }
}
