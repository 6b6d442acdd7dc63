package dev.switchboard.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Chunks of at most 650 watched users, stable when users come and go, and the same for the next version. */
class WatchListTest {

  private static List<String> users(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "u" + i).toList();
  }

  @Test
  void twoThousandUsersAreFourChunksAndAChangeMovesOnlyOneChunk() {
    MemoryState state = new MemoryState();
    WatchList list = new WatchList(state, users(0, 2000));
    list.load().result();
    List<List<String>> chunks = list.chunks();
    assertEquals(List.of(650, 650, 650, 50), chunks.stream().map(List::size).toList());

    assertEquals(List.of(), list.remove(List.of("u700")).result(), "a configured user stays watched");
    assertTrue(chunks.equals(list.chunks()), "nothing moved");
    assertEquals(List.of("new"), list.add(List.of("new", "u5")).result(), "u5 was watched already (by configuration)");
    List<List<String>> after = list.chunks();
    assertTrue(chunks.subList(0, 3).equals(after.subList(0, 3)), "the full chunks did not move");
    assertEquals("new", after.get(3).get(50), "the new user joined the chunk with room");

    // The next version (same state) finds the same chunks; a user removed over REST leaves its chunk only.
    WatchList next = new WatchList(state, users(0, 2000));
    next.load().result();
    assertTrue(after.equals(next.chunks()), "the next version has the same chunks");
    assertEquals(List.of("new", "u5"), next.describe().added(), "u5 is kept as asked: it stays watched without the configuration");
    assertEquals(List.of("new"), next.remove(List.of("new")).result());
    assertTrue(chunks.equals(next.chunks()), "back to the first chunks");
  }

  @Test
  void aConfigurationWithoutSomeUsersFreesTheirPlacesAndKeepsTheRest() {
    MemoryState state = new MemoryState();
    WatchList first = new WatchList(state, users(0, 700));
    first.load().result();
    List<String> kept = new ArrayList<>(users(0, 700));
    kept.remove("u3");
    WatchList second = new WatchList(state, kept);
    second.load().result();
    assertTrue(first.chunks().equals(second.storedChunks()), "what the first stored");
    assertTrue(first.chunks().get(1).equals(second.chunks().get(1)), "the second chunk did not move");
    assertEquals(649, second.chunks().get(0).size());
  }
}
