package dev.switchboard.emulator.records;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a record's {@code GET} is made unusable, for tests of a client's handling of a broken answer: Graph answers
 * {@code 200 application/json} with a body that is not a usable callRecord. Set with {@code "malformed"} on
 * {@code POST /emulator/callRecords} or with {@code POST /emulator/callRecords/{id}/malformed}.
 */
enum MalformedBody {

  /** The record's JSON cut in the middle: not JSON at all. */
  TRUNCATED("truncated"),
  /** Valid JSON of the wrong types: {@code version} a string, {@code startDateTime} a number, {@code sessions} a string. */
  WRONG_TYPES("wrongTypes");

  private final String word;

  MalformedBody(String word) {
    this.word = word;
  }

  String word() {
    return word;
  }

  /** @throws IllegalArgumentException naming the valid words when {@code word} is none of them */
  static MalformedBody of(String word) {
    return Arrays.stream(values()).filter(m -> m.word.equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("malformed must be one of " + Arrays.stream(values())
            .map(MalformedBody::word).collect(Collectors.joining(", ")) + "; got '" + word + "'."));
  }

  /** The body to send instead of {@code record}. */
  String render(JsonObject record) {
    return switch (this) {
      case TRUNCATED -> {
        String json = record.encode();
        yield json.substring(0, json.length() / 2);
      }
      case WRONG_TYPES -> {
        JsonObject wrong = record.copy();
        wrong.put("version", String.valueOf(record.getValue("version")));
        wrong.put("startDateTime", 1_700_000_000L);
        if (wrong.containsKey("sessions")) {
          wrong.put("sessions", "sessions are listed at /sessions");
        }
        yield wrong.encode();
      }
    };
  }
}
