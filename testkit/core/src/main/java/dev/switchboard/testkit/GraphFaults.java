package dev.switchboard.testkit;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Graph (the emulator) as the bot meets it: faults on its requests ({@code POST /emulator/faults}, docs/emulator.md
 * "Faults"), and what the bot asked for. Faults last until used up or until the next test (the emulator is reset).
 */
public final class GraphFaults {

  private final SwitchboardKit kit;

  GraphFaults(SwitchboardKit kit) {
    this.kit = kit;
  }

  /**
   * The next {@code count} requests whose path matches {@code path} (a glob: {@code *} one segment, {@code **} any,
   * e.g. {@code /v1.0/communications/calls/{@literal *}/playPrompt}) answer {@code 429} with {@code Retry-After: 1}.
   */
  public GraphFaults throttle(String path, int count) {
    return fault(new JsonObject().put("type", "throttle").put("path", path).put("count", count)
        .put("retryAfterSeconds", 1));
  }

  /** The next {@code count} requests matching {@code path} answer {@code 503} with {@code Retry-After: 1}. */
  public GraphFaults unavailable(String path, int count) {
    return fault(new JsonObject().put("type", "unavailable").put("path", path).put("count", count)
        .put("retryAfterSeconds", 1));
  }

  /** Any fault the emulator knows, as its JSON (docs/emulator.md "Faults"). */
  public GraphFaults fault(JsonObject fault) {
    kit.control("POST /emulator/faults " + fault.encode(), c -> c.post("/emulator/faults", fault), () -> "");
    return this;
  }

  /** Removes every fault. */
  public GraphFaults clear() {
    kit.control("DELETE /emulator/faults", c -> c.delete("/emulator/faults"), () -> "");
    return this;
  }

  /**
   * The requests the bot sent Graph so far whose path contains {@code pathPart}, oldest first: {@code method},
   * {@code path}, {@code body}, {@code status} (the emulator's journal).
   */
  public List<JsonObject> requests(String pathPart) {
    try {
      return kit.runtime().journal.matching(pathPart);
    } catch (Exception e) {
      throw new AssertionError("the emulator's journal could not be read: " + e.getMessage(), e);
    }
  }
}
