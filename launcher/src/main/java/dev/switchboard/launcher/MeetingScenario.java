package dev.switchboard.launcher;

import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.api.media.PromptRef;
import dev.switchboard.api.meetings.MeetingCommand;
import dev.switchboard.api.meetings.MeetingEvent;
import dev.switchboard.api.meetings.MeetingsClient;
import dev.switchboard.api.meetings.OnlineMeeting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The sandbox's meeting demo: the demo organizer's meeting is created through the meetings bundle, the bot's join is
 * scheduled at its start 5 seconds later (emulated clock), two attendees join through the emulator's control API,
 * the bot joins at the start and plays a welcome announcement in the meeting ({@link MediaClient}), and leaves when
 * the last attendee left. Runs on the calling thread (never an event loop); lines go to the transcript as
 * {@code meeting}.
 */
final class MeetingScenario implements AutoCloseable {

  /** The demo organizer, Adele Vance, and the attendees, Alex Wilber and Megan Bowen (the emulator's directory). */
  static final String ORGANIZER = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final String MEGAN = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  private static final String LABEL = "meeting";

  /** The emulator's control API, as the sandbox's scenario reaches it. */
  interface Control {
    JsonObject post(String path, JsonObject body) throws Exception;

    JsonObject get(String path) throws Exception;
  }

  private final Transcript transcript;
  private final Control control;
  private final MeetingsClient meetings;
  private final MediaClient media;
  private final Duration stepTimeout;
  /** The meetings' and the media bundle's events so far, read with their contracts. */
  private final List<Object> events = new ArrayList<>();
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private int steps;

  MeetingScenario(Vertx vertx, Transcript transcript, Control control, Duration stepTimeout) {
    this.transcript = transcript;
    this.control = control;
    this.stepTimeout = stepTimeout;
    this.meetings = MeetingsClient.of(vertx.eventBus());
    this.media = MediaClient.of(vertx.eventBus());
    for (String topic : MeetingEvent.TOPICS) {
      consume(vertx, topic, json -> MeetingEvent.fromJson(json));
    }
    consume(vertx, MediaEvent.PlayCompleted.TOPIC, json -> MediaEvent.fromJson(json));
  }

  private void consume(Vertx vertx, String topic, java.util.function.Function<JsonObject, Object> read) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(topic, m -> record(read.apply(m.body())));
    await(consumer.completion());
    consumers.add(consumer);
  }

  int steps() {
    return steps;
  }

  /** Plays the meeting; returns normally when every step happened. */
  void run() throws Exception {
    control.post("/emulator/access-policies", new JsonObject().put("userIds", new JsonArray().add(ORGANIZER)));
    transcript.sayAs(LABEL, "the tenant grants the bot an application access policy for Adele Vance");
    OnlineMeeting created = await(meetings.send(MeetingCommand.Create.of(ORGANIZER, "Sandbox standup", null, null)))
        .meeting();
    // Graph's creationDateTime is Graph's (the emulator's) "now": the meeting starts exactly 5 s of its time later.
    Instant start = created.creationDateTime().plusSeconds(5);
    OnlineMeeting meeting = await(meetings.send(new MeetingCommand.Update(created.id(), null, start,
        start.plus(Duration.ofMinutes(30)), null)));
    transcript.sayAs(LABEL, "Adele Vance's meeting '" + meeting.subject() + "' starts at " + start + " (join "
        + meeting.joinWebUrl().substring(0, 48) + "...)");
    OnlineMeeting scheduled = await(meetings.scheduleJoin(meeting.id(), Duration.ZERO));
    transcript.sayAs(LABEL, "the bot's join is scheduled at the start (" + scheduled.botJoin().dueAt() + ")");
    steps++;
    attendee(meeting.id(), ALEX, "Alex Wilber", true);
    attendee(meeting.id(), MEGAN, "Megan Bowen", true);

    MeetingEvent.BotJoined joined = expect(MeetingEvent.BotJoined.class, e -> e.meetingId().equals(meeting.id()),
        "the bot joins the meeting at its start");
    String callId = joined.callId();
    transcript.label(callId, LABEL);
    // When Graph (the emulator, on its clock) got the bot's create-call: at or after the start, never before.
    Instant placed = Instant.parse(control.get("/emulator/calls/" + callId).getString("createdDateTime"));
    step(!placed.isBefore(start), "the bot joined before the start: its call was placed at " + placed
        + " (Graph's clock), the meeting starts at " + start);
    transcript.sayAs(LABEL, "the bot joined at the start: its call was placed at " + placed + " (call " + callId + ")");
    String operation = await(media.play(MediaCommand.Play.of(callId,
        PromptRef.text("Welcome to the sandbox standup. This meeting is hosted by Switchboard.")))).operationId();
    MediaEvent.PlayCompleted played = expect(MediaEvent.PlayCompleted.class,
        e -> operation.equals(e.outcome().operationId()), "the welcome announcement is played in the meeting");
    step(played.outcome().status() == OperationStatus.COMPLETED, "the announcement completed; it "
        + played.outcome().status() + ": " + played.outcome().reason());
    transcript.sayAs(LABEL, "the bot played a welcome announcement in the meeting");

    attendee(meeting.id(), ALEX, "Alex Wilber", false);
    attendee(meeting.id(), MEGAN, "Megan Bowen", false);
    MeetingEvent.BotLeft left = expect(MeetingEvent.BotLeft.class, e -> e.meetingId().equals(meeting.id()),
        "the bot leaves the meeting");
    transcript.sayAs(LABEL, "the bot left: " + left.reason());
  }

  private void attendee(String meetingId, String userId, String name, boolean join) throws Exception {
    control.post("/emulator/meetings/" + meetingId + "/participants", new JsonObject().put("userId", userId)
        .put("action", join ? "join" : "leave"));
    transcript.sayAs(LABEL, name + (join ? " joins" : " leaves") + " the meeting");
  }

  private synchronized void record(Object event) {
    events.add(event);
    notifyAll();
  }

  private synchronized <E> E expect(Class<E> type, Predicate<E> test, String what) throws Exception {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (true) {
      for (Object e : events) {
        if (type.isInstance(e) && test.test(type.cast(e))) {
          steps++;
          return type.cast(e);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SandboxScenario.StepFailed("step failed: " + what + " (nothing within " + stepTimeout.toSeconds()
            + " s)");
      }
      wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }
  }

  private void step(boolean ok, String what) throws SandboxScenario.StepFailed {
    if (!ok) {
      throw new SandboxScenario.StepFailed("step failed: " + what);
    }
    steps++;
  }

  private <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    consumers.forEach(MessageConsumer::unregister);
  }
}
