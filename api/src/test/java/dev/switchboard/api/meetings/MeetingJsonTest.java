package dev.switchboard.api.meetings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every meeting command and event survives a round trip through JSON; bad commands get a 400 that says why. */
class MeetingJsonTest {

  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final Instant START = Instant.parse("2030-05-01T10:00:00Z");
  private static final OnlineMeeting MEETING = new OnlineMeeting("m1", ADELE, "Review", START,
      START.plusSeconds(1800), START.minusSeconds(60), "https://teams.microsoft.com/l/meetup-join/x/0",
      "19:meeting_x@thread.v2", "123456789012", "abc123", "crm-1", List.of("u2", "u3"),
      new BotJoin(BotJoin.State.JOINED, Duration.ofSeconds(30), START.minusSeconds(30), START.minusSeconds(29),
          "call-1", null));

  @Test
  void everyCommandRoundTrips() {
    List<MeetingCommand<?>> all = List.of(
        MeetingCommand.Create.of(ADELE, "Review", START, START.plusSeconds(60)).withAttendees(List.of("u2")),
        MeetingCommand.Create.of(ADELE, null, null, null).withExternalId("crm-1"),
        new MeetingCommand.Find("https://teams.microsoft.com/l/meetup-join/x/0", null, null),
        new MeetingCommand.Find(null, "123456789012", ADELE),
        new MeetingCommand.Get("m1"),
        new MeetingCommand.Update("m1", "moved", START, START.plusSeconds(60), List.of("u3")),
        new MeetingCommand.Update("m1", "renamed", null, null, null),
        new MeetingCommand.Delete("m1"),
        new MeetingCommand.Join("m1"),
        new MeetingCommand.ScheduleJoin("m1", Duration.ofMinutes(1)),
        new MeetingCommand.ScheduleJoin("m1", null),
        new MeetingCommand.CancelJoin("m1"));
    for (MeetingCommand<?> command : all) {
      assertEquals(command, MeetingCommand.fromJson(command.toJson()), command.toJson().encode());
    }
    MeetingCommand.Create create = MeetingCommand.Create.of(ADELE, null, null, null);
    MeetingCommand.Created created = new MeetingCommand.Created(MEETING, true);
    assertEquals(created, create.replyFromJson(create.replyToJson(created)));
  }

  @Test
  void meetingsAndEventsRoundTrip() {
    assertEquals(MEETING, OnlineMeeting.fromJson(MEETING.toJson()));
    Instant at = Instant.parse("2030-05-01T10:00:01Z");
    for (MeetingEvent event : List.of(new MeetingEvent.Created(MEETING, at), new MeetingEvent.Updated(MEETING, at),
        new MeetingEvent.Deleted(MEETING, at), new MeetingEvent.BotJoined(MEETING, at, "call-1"),
        new MeetingEvent.BotLeft(MEETING, at, "call-1", "the last attendee left the meeting"),
        new MeetingEvent.BotLeft(MEETING, at, null, "the join failed"))) {
      JsonObject json = event.toJson();
      assertTrue(event.topic().endsWith("." + json.getString("type")), json.encode());
      assertEquals(event, MeetingEvent.fromJson(json));
    }
  }

  @Test
  void badCommandsAreRefusedWithAReason() {
    assertBad("end before start", () -> MeetingCommand.Create.of(ADELE, null, START, START.minusSeconds(1)),
        "must not be before");
    assertBad("end before start in an update", () -> new MeetingCommand.Update("m1", null, START,
        START.minusSeconds(1), null), "must not be before");
    assertBad("end without start", () -> MeetingCommand.Create.of(ADELE, null, null, START), "needs a 'startDateTime'");
    assertBad("no organizer", () -> MeetingCommand.Create.of(" ", null, null, null), "organizerId");
    assertBad("start alone in an update", () -> new MeetingCommand.Update("m1", null, START, null, null), "together");
    assertBad("an empty update", () -> new MeetingCommand.Update("m1", null, null, null, null), "nothing to change");
    assertBad("a new organizer", () -> MeetingCommand.fromJson(new JsonObject().put("command", "update")
        .put("meetingId", "m1").put("organizerId", "u2")), "cannot change");
    assertBad("a new organizer, as Graph's PATCH names it", () -> MeetingCommand.fromJson(new JsonObject()
        .put("command", "update").put("meetingId", "m1").put("subject", "x").put("participants", new JsonObject()
            .put("organizer", new JsonObject().put("identity", new JsonObject().put("user", new JsonObject()
                .put("id", "u2")))))), "cannot change");
    assertBad("both ways to find", () -> new MeetingCommand.Find("u", "1", null), "exactly one");
    assertBad("a negative lead", () -> new MeetingCommand.ScheduleJoin("m1", Duration.ofSeconds(-1)), "negative");
    assertBad("a bad date", () -> MeetingCommand.fromJson(new JsonObject().put("command", "create")
        .put("organizerId", ADELE).put("startDateTime", "tomorrow")), "ISO-8601");
    assertBad("an unknown command", () -> MeetingCommand.fromJson(new JsonObject().put("command", "dance")),
        "must be one of");
  }

  @Test
  void anEndEqualToTheStartIsAMeetingOfNoLengthAsGraphAcceptsIt() {
    assertEquals(START, MeetingCommand.Create.of(ADELE, null, START, START).endDateTime());
    MeetingCommand.Update update = new MeetingCommand.Update("m1", null, START, START, null);
    assertEquals(update, MeetingCommand.fromJson(update.toJson()));
  }

  private static void assertBad(String what, Runnable build, String says) {
    SwitchboardException e = assertThrows(SwitchboardException.class, build::run, what);
    assertEquals(400, e.status(), what);
    assertTrue(e.getMessage().contains(says), what + ": " + e.getMessage());
  }
}
