package dev.switchboard.meetings;

import static dev.switchboard.meetings.MeetingsHarness.ALEX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party bundle acts in the bot's meeting call: the greeter of docs/meetings.md (built from
 * testing/bundles/meeting-greeter, installed next to calling, media and meetings) plays its greeting in the call the
 * meetings bundle joined, through the media bundle, as in any call. The documented code is the greeter's source.
 */
class MeetingGreeterIT {

  private static final Path REPO = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
  private static final String MARK = "// docs:greeter\n";

  @TempDir
  Path home;

  @Test
  void theGreeterOfTheDocsIsTheCodeThatRuns() throws Exception {
    String source = Files.readString(REPO.resolve(
        "testing/bundles/meeting-greeter/src/main/java/dev/switchboard/test/greeter/MeetingGreeter.java"));
    int from = source.indexOf(MARK) + MARK.length();
    String greeter = source.substring(from, source.indexOf(MARK, from));
    assertTrue(greeter.contains("class MeetingGreeter"), greeter);
    String docs = Files.readString(REPO.resolve("docs/meetings.md"));
    assertTrue(docs.contains("```java\n" + greeter + "```\n"), "docs/meetings.md must show MeetingGreeter exactly"
        + " as testing/bundles/meeting-greeter has it (between the '// docs:greeter' lines)");
  }

  @Test
  void aThirdPartyBundleGreetsTheMeetingTheBotJoined() throws Exception {
    try (MeetingsHarness h = MeetingsHarness.start(home, 1, Map.of())) {
      h.t.install(TestServer.bundle("media"));
      h.t.install(TestServer.bundle("meeting-greeter"));
      JsonObject m = h.createMeeting(new JsonObject().put("subject", "greeted"));
      String id = m.getString("id");
      h.move(id, ALEX, true);
      HttpResponse<Buffer> joining = h.rest(HttpMethod.POST, "/meetings/" + id + "/join", null);
      assertEquals(200, joining.statusCode(), joining.bodyAsString());
      String callId = h.awaitEvent("botJoined", id, Duration.ofSeconds(20), e -> true).getString("callId");

      JsonObject played = h.awaitEvent("playCompleted", callId, Duration.ofSeconds(30), e -> true);
      assertEquals("completed", played.getString("status"), played.encode());
      JsonArray plays = h.emulated.requests("/communications/calls/" + callId + "/playPrompt");
      assertEquals(1, plays.size(), plays.encode());
      String uri = plays.getJsonObject(0).getJsonObject("body").getJsonArray("prompts").getJsonObject(0)
          .getJsonObject("mediaInfo").getString("uri");
      assertEquals(MeetingsHarness.GREETING.apply(h.emulated), uri);
      assertEquals(1, h.events("botJoined", id, e -> true).size());
    }
  }
}
