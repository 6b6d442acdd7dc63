package dev.switchboard.platform.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How memory keeps a stored value: large ones deflated against the store's first, read back byte for byte. */
class StoredValueTest {

  /** A call-like value: the same shape and field names every time, its ids different. */
  private static byte[] call() {
    StringBuilder text = new StringBuilder("{\"id\":\"" + UUID.randomUUID() + "\",\"participants\":[");
    for (int i = 0; i < 6; i++) {
      text.append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"info\":{\"@odata.type\":")
          .append("\"#microsoft.graph.participantInfo\",\"identity\":{\"@odata.type\":\"#microsoft.graph.identitySet\"")
          .append(",\"phone\":{\"id\":\"+1425555").append(1000 + i).append("\"}}},\"isMuted\":false},");
    }
    return text.append("{}],\"state\":\"established\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aLargeValueIsDeflatedAgainstTheDictionaryAndReadsBackTheSame() {
    byte[] first = call();
    byte[] dictionary = StoredValue.dictionaryOf(first);
    byte[] other = call();
    StoredValue kept = StoredValue.of(other, dictionary, 0);
    assertSame(dictionary, kept.dictionary());
    assertTrue(kept.data().length * 3 < other.length, kept.data().length + " of " + other.length + " bytes");
    assertArrayEquals(other, kept.json());
    assertArrayEquals(first, StoredValue.of(first, dictionary, 0).json());
  }

  @Test
  void aSmallValueOrOneWithoutADictionaryStaysAsItIs() {
    byte[] small = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
    StoredValue kept = StoredValue.of(small, StoredValue.dictionaryOf(call()), 0);
    assertNull(kept.dictionary());
    assertSame(small, kept.json());
    byte[] large = call();
    assertSame(large, StoredValue.of(large, null, 0).json());
  }

  @Test
  void aValueThatDoesNotDeflateStaysAsItIs() {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    StoredValue kept = StoredValue.of(noise, StoredValue.dictionaryOf(call()), 0);
    assertNull(kept.dictionary());
    assertArrayEquals(noise, kept.json());
  }

  @Test
  void aStoreTakesALargerValueAsItsDictionaryAFewTimesAtMost() {
    byte[] kilobyte = new byte[StoredValue.DEFLATE_FROM];
    assertTrue(StoredValue.betterDictionary(null, kilobyte));
    assertTrue(!StoredValue.betterDictionary(null, new byte[StoredValue.DEFLATE_FROM - 1]));
    assertTrue(!StoredValue.betterDictionary(kilobyte, new byte[1400]), "not much larger");
    assertTrue(StoredValue.betterDictionary(kilobyte, new byte[1536]));
    int changes = 0;
    byte[] dictionary = null;
    for (int size = StoredValue.DEFLATE_FROM; size < 1_000_000; size += 100) {
      byte[] json = new byte[size];
      if (StoredValue.betterDictionary(dictionary, json)) {
        dictionary = StoredValue.dictionaryOf(json);
        changes++;
      }
    }
    assertTrue(changes <= 10, changes + " dictionaries for values growing from 1 KB to 1 MB");
  }

  @Test
  void valuesLargerThanTheWindowAndTheirDictionariesRoundTrip() {
    StringBuilder text = new StringBuilder("[");
    while (text.length() < 100_000) {
      text.append('"').append(UUID.randomUUID()).append("\",\"completed\",");
    }
    byte[] huge = text.append("0]").toString().getBytes(StandardCharsets.UTF_8);
    byte[] dictionary = StoredValue.dictionaryOf(huge);
    assertTrue(dictionary.length <= 32 * 1024);
    assertArrayEquals(huge, StoredValue.of(huge, dictionary, 0).json());
    byte[] other = call();
    assertArrayEquals(other, StoredValue.of(other, dictionary, 0).json());
  }
}
