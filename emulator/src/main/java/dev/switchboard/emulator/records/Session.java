package dev.switchboard.emulator.records;

import dev.switchboard.emulator.calls.EndedCall.Party;
import java.time.Instant;
import java.util.List;

/**
 * One session of a call record: a caller and a callee (a participant, or the conferencing service
 * of a group call when {@code callee} is null), with one segment of the same span and one
 * {@code main-audio} media whose two streams crossed {@code network}.
 */
record Session(String id, Party caller, Party callee, List<String> modalities, Instant start, Instant end,
    NetworkConditions network) {

  Session {
    modalities = List.copyOf(modalities);
  }

  Session withNetwork(NetworkConditions n) {
    return new Session(id, caller, callee, modalities, start, end, n);
  }
}
