package dev.switchboard.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which held keys go on after a lapse: only those whose claim in the map is still the very one this member made. */
class HeldClaimsTest {

  private final HeldClaims held = new HeldClaims();
  private final List<String> stillOurs = new ArrayList<>();
  private final List<String> moved = new ArrayList<>();

  private int[] settle(Map<String, String> snapshot, Map<String, String> current) {
    return held.settle(snapshot, current, (key, claim) -> stillOurs.add(key + "=" + claim), moved::add);
  }

  private Map<String, String> owned() {
    Map<String, String> owned = new HashMap<>();
    owned.put("same", "a#1");
    owned.put("taken", "a#2");
    owned.put("reclaimed", "a#3");
    owned.put("released", "a#4");
    return owned;
  }

  @Test
  void onlyAnUnchangedClaimGoesOnHereAnyOtherOrNoneMovesTheHeldWork() {
    Map<String, String> owned = owned();
    assertEquals(4, held.holdAll(owned));
    assertTrue(owned.isEmpty(), "nothing is acted on while held");
    assertTrue(held.contains("same"));

    Map<String, String> current = Map.of("same", "a#1", "taken", "b#7", "reclaimed", "a#9");
    assertArrayEquals(new int[] {1, 3}, settle(held.snapshot(), current));
    assertEquals(List.of("same=a#1"), stillOurs);
    assertEquals(List.of("reclaimed", "released", "taken"), moved.stream().sorted().toList(),
        "another member's claim, a newer claim of this member's id and no claim all mean the key moved");
    assertTrue(held.isEmpty());
  }

  @Test
  void aKeyForgottenOrHeldAgainSinceTheSnapshotIsLeftToALaterSettling() {
    held.holdAll(owned());
    Map<String, String> snapshot = held.snapshot();
    held.forget("released"); // its routing state emptied meanwhile
    held.forget("same");
    held.holdAll(new HashMap<>(Map.of("same", "a#5"))); // claimed afresh, then a second lapse
    Map<String, String> current = Map.of("same", "a#5", "taken", "a#2", "reclaimed", "a#3");

    assertArrayEquals(new int[] {2, 0}, settle(snapshot, current));
    assertEquals(List.of("reclaimed=a#3", "taken=a#2"), stillOurs.stream().sorted().toList());
    assertTrue(moved.isEmpty());
    assertTrue(held.contains("same"), "held with a claim the snapshot did not have: settled later");
    assertFalse(held.contains("released"));
    assertEquals(List.of("same"), held.releaseAll());
    assertTrue(held.isEmpty());
  }
}
