package dev.switchboard.api.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Commands read from the JSON that docs/media.md shows, written back, and refused with a sentence. */
class MediaCommandTest {

  private static MediaCommand read(String json) {
    return MediaCommand.fromJson(new JsonObject(json));
  }

  private static void roundTrip(MediaCommand command) {
    assertEquals(command, MediaCommand.fromJson(command.toJson()));
  }

  @Test
  void documentedCommandsParseWithTheirDefaults() {
    MediaCommand.Play play = (MediaCommand.Play) read("""
        {"command": "play", "callId": "c1", "clientContext": "mine", "prompts": ["welcome", {"id": "0f1e"},
         {"text": "Press one.", "voice": "en"}, {"uri": "https://cdn.example.com/a.wav", "resourceId": "r1"}]}""");
    assertEquals(List.of(PromptRef.stored("welcome"), PromptRef.stored("0f1e"), new PromptRef.Text("Press one.", "en"),
        new PromptRef.Hosted("https://cdn.example.com/a.wav", "r1")), play.prompts());
    assertEquals("mine", play.clientContext());

    MediaCommand.Record record = (MediaCommand.Record) read("""
        {"command": "record", "callId": "c1", "stopTones": ["#", "star"], "maxSilenceSeconds": 2}""");
    assertEquals(new MediaCommand.Record("c1", null, 60, 5, 2, List.of("#", "*"), true, null), record);

    MediaCommand.Gather gather = (MediaCommand.Gather) read("""
        {"command": "gather", "callId": "c1", "maxDigits": 4, "terminator": "#", "timeoutMs": 5000}""");
    assertEquals(MediaCommand.Gather.of("c1").withMaxDigits(4).withTerminator("#").withTimeouts(3_000, 5_000), gather);

    assertEquals(new MediaCommand.Cancel("c1"), read("{\"command\": \"cancel\", \"callId\": \"c1\"}"));
    assertEquals(new MediaCommand.Status("c1"), read("{\"command\": \"status\", \"callId\": \"c1\"}"));
    assertEquals(new MediaCommand.ResolvePrompts(List.of(PromptRef.stored("welcome"), PromptRef.stored("menu"))),
        read("{\"command\": \"resolvePrompts\", \"prompts\": [\"welcome\", \"menu\"]}"));
  }

  @Test
  void everyCommandSurvivesARoundTrip() {
    roundTrip(MediaCommand.Play.of("c1", PromptRef.text("Hi"), PromptRef.hosted("https://x.example/a.wav"))
        .withClientContext("ivr:1"));
    roundTrip(MediaCommand.Record.of("c1").withPrompt(PromptRef.stored("beep")).withLimits(30, 3, 2)
        .withStopTones(List.of("#")).withBeep(false).withClientContext("ivr:2"));
    roundTrip(MediaCommand.Gather.of("c1").withPrompts(List.of(new PromptRef.Text("Menu", "fr"))).withMaxDigits(2)
        .withTerminator("*").withTimeouts(1_000, 2_000).withBargeIn(false).withClientContext("ivr:3"));
    roundTrip(MediaCommand.Gather.of("c1"));
    roundTrip(new MediaCommand.Cancel("c1"));
    roundTrip(new MediaCommand.Status("c1"));
    roundTrip(new MediaCommand.ResolvePrompts(List.of(PromptRef.stored("welcome"))));
  }

  private static String refusal(String json) {
    SwitchboardException e = assertThrows(SwitchboardException.class, () -> read(json));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    return e.getMessage();
  }

  @Test
  void malformedCommandsAreRefusedWithWhatIsWrong() {
    assertTrue(refusal("{}").contains("needs 'command'"));
    assertTrue(refusal("{\"command\": \"dance\", \"callId\": \"c1\"}").contains("Unknown media command 'dance'"));
    assertTrue(refusal("{\"command\": \"play\", \"prompts\": [\"a\"]}").contains("needs 'callId'"));
    assertTrue(refusal("{\"command\": \"play\", \"callId\": \"c1\"}").contains("'prompts' must be an array of 1-20"));
    assertTrue(refusal("{\"command\": \"play\", \"callId\": \"c1\", \"prompts\": [3]}").contains("A prompt is"));
    assertTrue(refusal("{\"command\": \"play\", \"callId\": \"c1\", \"prompts\": [{\"uri\": \"ftp://x\"}]}")
        .contains("absolute http(s) URL"));
    assertTrue(refusal("{\"command\": \"gather\", \"callId\": \"c1\", \"maxDigits\": 65}")
        .contains("'maxDigits' must be from 1 to 64; got 65"));
    assertTrue(refusal("{\"command\": \"gather\", \"callId\": \"c1\", \"terminator\": \"x\"}")
        .contains("'terminator' must be one of 0-9 * # A-D"));
    assertTrue(refusal("{\"command\": \"gather\", \"callId\": \"c1\", \"timeoutMs\": 0}").contains("positive"));
    assertTrue(refusal("{\"command\": \"gather\", \"callId\": \"c1\", \"maxDigits\": \"two\"}")
        .contains("'maxDigits' must be a whole number; got \"two\""));
    assertTrue(refusal("{\"command\": \"record\", \"callId\": \"c1\", \"maxDurationSeconds\": 121}")
        .contains("'maxDurationSeconds' must be a number of seconds from 1 to 120; got 121"));
    assertTrue(refusal("{\"command\": \"record\", \"callId\": \"c1\", \"stopTones\": \"#\"}")
        .contains("'stopTones' must be an array"));
    assertTrue(refusal("{\"command\": \"record\", \"callId\": \"c1\", \"beep\": \"yes\"}")
        .contains("'beep' must be true or false"));
  }
}
