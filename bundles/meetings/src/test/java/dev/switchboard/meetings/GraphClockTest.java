package dev.switchboard.meetings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.SwitchboardException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Graph's clock as the plugin estimates it, and what the bundle reads from join URLs and meeting ids. */
class GraphClockTest {

  private static final Instant LOCAL = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void atSpeedOneGraphsClockIsTheServers() {
    GraphClock clock = new GraphClock(Clock.fixed(LOCAL, ZoneOffset.UTC), 1);
    clock.anchor(LOCAL.plusSeconds(3600));
    assertEquals(LOCAL, clock.now());
    assertEquals(Duration.ofSeconds(90), clock.until(LOCAL.plusSeconds(90)));
    assertEquals(Duration.ZERO, clock.until(LOCAL.minusSeconds(1)));
  }

  @Test
  void anAcceleratedClockIsExtrapolatedFromItsAnchorAndTheAnchorIsRestored() {
    Instant graphNow = Instant.parse("2030-01-01T05:00:00Z");
    GraphClock clock = new GraphClock(Clock.fixed(LOCAL, ZoneOffset.UTC), 20);
    var anchor = clock.anchor(graphNow);
    // 60 s of Graph's time are 3 s of the server's at 20x
    assertEquals(Duration.ofSeconds(3), clock.until(graphNow.plusSeconds(60)));
    GraphClock later = new GraphClock(Clock.fixed(LOCAL.plusSeconds(1), ZoneOffset.UTC), 20);
    later.restore(anchor);
    assertEquals(graphNow.plusSeconds(20), later.now());
    assertEquals(Duration.ofSeconds(2), later.until(graphNow.plusSeconds(60)));
  }

  @Test
  void theOrganizerOfAJoinUrlAndOfAMeetingId() {
    String url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22"
        + "%2c%22Oid%22%3a%22org-1%22%7d";
    assertEquals("org-1", JoinUrls.organizer(url));
    for (String bad : new String[] {"https://example.com/l/meetup-join/19%3ameeting_X%40thread.v2/0?context=%7b%7d",
        "http://teams.microsoft.com/l/meetup-join/x/0", "https://teams.microsoft.com/l/chat/x",
        "https://teams.microsoft.com/l/meetup-join/x/0?context=%7b%22Tid%22%3a%22t%22%7d", "not a url at all"}) {
      SwitchboardException e = assertThrows(SwitchboardException.class, () -> JoinUrls.organizer(bad), bad);
      assertEquals(422, e.status(), bad);
      assertEquals("invalidJoinUrl", e.errorId(), bad);
    }
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString("1*org-2*0**19:meeting_Y@thread.v2"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals("org-2", JoinUrls.organizerOfMeetingId(id));
    assertNull(JoinUrls.organizerOfMeetingId("nosuch"));
    assertNull(JoinUrls.organizerOfMeetingId("!!!"));
  }
}
