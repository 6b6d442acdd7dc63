package dev.switchboard.calling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The latest operations of a call reported finished (at most {@link Call#REMEMBERED}), so that a notification Graph
 * repeats reports each once. Kept as 64-bit hashes of the operation ids, not the ids: 11 characters each in the
 * store instead of a 38-character UUID string (an hour-long call has reported many operations; the store keeps
 * every live call). Two different ids share a hash with a chance of about 2^-58 among the 64 remembered. Immutable.
 */
final class ReportedOperations {

  static final ReportedOperations NONE = new ReportedOperations(new long[0]);

  private final long[] hashes; // oldest first

  private ReportedOperations(long[] hashes) {
    this.hashes = hashes;
  }

  /** The latest of {@code ids} (as the store kept them before it kept hashes), oldest first. */
  static ReportedOperations ofIds(List<String> ids) {
    ReportedOperations reported = NONE;
    for (String id : ids) {
      reported = reported.with(id);
    }
    return reported;
  }

  boolean contains(String operationId) {
    long hash = hash(operationId);
    for (long h : hashes) {
      if (h == hash) {
        return true;
      }
    }
    return false;
  }

  /** These with {@code operationId} added, the oldest dropped beyond {@link Call#REMEMBERED}. */
  ReportedOperations with(String operationId) {
    int keep = Math.min(hashes.length, Call.REMEMBERED - 1);
    long[] next = Arrays.copyOf(Arrays.copyOfRange(hashes, hashes.length - keep, hashes.length), keep + 1);
    next[keep] = hash(operationId);
    return new ReportedOperations(next);
  }

  int size() {
    return hashes.length;
  }

  /** The stored form: the hashes, 8 bytes each, big-endian, in Base64 without padding. */
  String encode() {
    ByteBuffer bytes = ByteBuffer.allocate(hashes.length * Long.BYTES);
    for (long h : hashes) {
      bytes.putLong(h);
    }
    return Base64.getEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** Reads {@link #encode}'s form; fails with {@link IllegalArgumentException} on anything else. */
  static ReportedOperations decode(String encoded) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded));
    if (bytes.remaining() % Long.BYTES != 0) {
      throw new IllegalArgumentException("reported operations of " + bytes.remaining() + " bytes, not 8 each");
    }
    long[] hashes = new long[bytes.remaining() / Long.BYTES];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = bytes.getLong();
    }
    return hashes.length <= Call.REMEMBERED ? new ReportedOperations(hashes)
        : new ReportedOperations(Arrays.copyOfRange(hashes, hashes.length - Call.REMEMBERED, hashes.length));
  }

  /**
   * {@link #decode}, or none when {@code encoded} is damaged: the call then goes on, and at worst reports once more
   * an operation that Graph notifies again.
   */
  static ReportedOperations decodeOrNone(String encoded) {
    try {
      return decode(encoded);
    } catch (IllegalArgumentException e) {
      return NONE;
    }
  }

  /** FNV-1a over the id's UTF-8 bytes, then a final mix so that ids differing in their end spread over all bits. */
  static long hash(String operationId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : operationId.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReportedOperations other && Arrays.equals(hashes, other.hashes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hashes);
  }

  @Override
  public String toString() {
    return "ReportedOperations[" + hashes.length + "]";
  }
}
