package dev.switchboard.platform.state;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A value of the state store as memory keeps it: its encoded JSON, or, from {@link #DEFLATE_FROM} bytes on, that JSON
 * deflated against a dictionary, an earlier large value of the same store ({@link #betterDictionary}). A plugin's
 * large values are alike (a call's identities, {@code @odata.type}s and field names, the same in every call), so each
 * keeps only what differs: a call's ~2.9 KB in the calling bundle and ~1.5 KB in the media bundle take ~1.1 KB
 * together. The log on the disk keeps the plain JSON.
 *
 * <p>Thread-safe and immutable; deflaters and inflaters (native memory) are pooled, a few at most.
 *
 * @param data the JSON, or its deflated form when {@code dictionary} is not null
 * @param dictionary the text {@code data} was deflated against, shared by the values of one store; null when plain
 * @param length the length of the JSON
 * @param logSize the length of its line in the store's log (what compaction weighs)
 */
record StoredValue(byte[] data, byte[] dictionary, int length, int logSize) {

  /** Values shorter than this are kept as they are: deflating them saves too little for its CPU. */
  static final int DEFLATE_FROM = 1024;
  /** Deflate looks back this far at most: a longer dictionary's head is never used. */
  private static final int WINDOW = 32 * 1024;
  private static final int POOLED = 4;
  private static final Queue<Deflater> DEFLATERS = new ConcurrentLinkedQueue<>();
  private static final Queue<Inflater> INFLATERS = new ConcurrentLinkedQueue<>();

  /**
   * {@code json} as memory keeps it: deflated against {@code dictionary} when it is long enough and that saves
   * space, else as it is (which it then owns).
   *
   * @param dictionary the store's dictionary (see {@link #dictionaryOf}), or null to keep {@code json} plain
   */
  static StoredValue of(byte[] json, byte[] dictionary, int logSize) {
    if (dictionary == null || json.length < DEFLATE_FROM) {
      return new StoredValue(json, null, json.length, logSize);
    }
    byte[] deflated = deflate(json, dictionary);
    return deflated.length < json.length ? new StoredValue(deflated, dictionary, json.length, logSize)
        : new StoredValue(json, null, json.length, logSize);
  }

  /**
   * Whether {@code json} should replace the store's dictionary {@code current} (null: none yet): it is the first value
   * of at least {@link #DEFLATE_FROM} bytes, or half as long again as the dictionary (a call established says more
   * than one ringing: the later values share more with it). So a store changes its dictionary a few times at most
   * (1 KB to 32 KB); values deflated against an earlier one keep it until they are written again.
   */
  static boolean betterDictionary(byte[] current, byte[] json) {
    return current == null ? json.length >= DEFLATE_FROM
        : current.length < WINDOW && json.length >= current.length + current.length / 2;
  }

  /** A dictionary made of {@code json} (its last 32 KB). */
  static byte[] dictionaryOf(byte[] json) {
    return json.length <= WINDOW ? json.clone() : Arrays.copyOfRange(json, json.length - WINDOW, json.length);
  }

  /** The JSON (a new array when it was deflated; the kept one otherwise, not to be changed). */
  byte[] json() {
    return dictionary == null ? data : inflate(data, dictionary, length);
  }

  private static byte[] deflate(byte[] json, byte[] dictionary) {
    Deflater deflater = DEFLATERS.poll();
    if (deflater == null) {
      deflater = new Deflater(Deflater.BEST_SPEED, true);
    }
    try {
      deflater.setDictionary(dictionary);
      deflater.setInput(json);
      deflater.finish();
      byte[] out = new byte[json.length + 64];
      int size = 0;
      while (!deflater.finished()) {
        if (size == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        size += deflater.deflate(out, size, out.length - size);
      }
      return Arrays.copyOf(out, size);
    } finally {
      deflater.reset();
      release(DEFLATERS, deflater, Deflater::end);
    }
  }

  private static byte[] inflate(byte[] data, byte[] dictionary, int length) {
    Inflater inflater = INFLATERS.poll();
    if (inflater == null) {
      inflater = new Inflater(true);
    }
    try {
      inflater.setDictionary(dictionary);
      inflater.setInput(data);
      byte[] out = new byte[length];
      int size = 0;
      while (size < length) {
        int n = inflater.inflate(out, size, length - size);
        if (n == 0 && (inflater.finished() || inflater.needsInput())) {
          throw new IllegalStateException("a stored value inflated to " + size + " of its " + length + " bytes");
        }
        size += n;
      }
      return out;
    } catch (DataFormatException e) {
      throw new IllegalStateException("a stored value could not be inflated: " + e.getMessage(), e);
    } finally {
      inflater.reset();
      release(INFLATERS, inflater, Inflater::end);
    }
  }

  private static <T> void release(Queue<T> pool, T item, java.util.function.Consumer<T> end) {
    if (pool.size() < POOLED) {
      pool.offer(item);
    } else {
      end.accept(item);
    }
  }
}
