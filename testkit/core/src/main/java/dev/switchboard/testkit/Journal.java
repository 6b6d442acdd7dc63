package dev.switchboard.testkit;

import dev.switchboard.emulator.EmulatorClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulator's journal of what the bot sent ({@code GET /emulator/requests}), fetched incrementally: each
 * {@link #refresh()} asks only for the entries after the last one it has. Used from the test's thread only.
 */
final class Journal {

  private final EmulatorClient emulator;
  private final List<JsonObject> entries = new ArrayList<>();
  private long lastSequence;

  Journal(EmulatorClient emulator) {
    this.emulator = emulator;
  }

  /** Fetches what is new; every entry so far, oldest first. */
  synchronized List<JsonObject> refresh() throws Exception {
    for (Object o : KitRuntime.await(emulator.requests(null, lastSequence), "GET /emulator/requests")) {
      JsonObject entry = (JsonObject) o;
      entries.add(entry);
      lastSequence = Math.max(lastSequence, entry.getLong("sequence", 0L));
    }
    return List.copyOf(entries);
  }

  /** The entries whose path contains {@code pathPart}, after a refresh. */
  synchronized List<JsonObject> matching(String pathPart) throws Exception {
    return refresh().stream().filter(e -> e.getString("path", "").contains(pathPart)).toList();
  }

  /** Forgets the entries (after an emulator reset, which restarts its numbering). */
  synchronized void clear() {
    entries.clear();
    lastSequence = 0;
  }
}
