package dev.switchboard.media;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.fuzz.Fuzz;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of WAV files as they arrive in prompt uploads and as recordings: headers with random
 * formats, sizes and chunk layouts, bit flips and truncations of a valid file, and random bytes. Invariant: decoded
 * audio, or a 415/422 {@link SwitchboardException} saying what is wrong; never another exception, never an
 * allocation out of proportion to the input, never a hang (the bound is generous, not a timing assertion).
 */
class WavFuzzTest {

  private static final Duration BOUND = Duration.ofSeconds(20);
  private final PromptConverter converter = new PromptConverter();

  @Property(seed = Fuzz.SEED)
  void randomHeaders(@ForAll Random random) {
    int[] tags = {1, 3, 0xFFFE, 2, 6, 7, 0x55, 0, 0xFFFF, random.nextInt(0x10000)};
    int[] rates = {8000, 16000, 44100, 192000, 0, 1, -1, Integer.MAX_VALUE, 7999, 192001, random.nextInt()};
    int[] bits = {8, 16, 24, 32, 64, 0, 1, 12, 65535, random.nextInt(0x10000)};
    int channels = random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(9);
    int bitsPerSample = bits[random.nextInt(bits.length)];
    int blockAlign = random.nextBoolean() ? channels * bitsPerSample / 8 : random.nextInt(0x10000);
    int fmtSize = random.nextInt(4) == 0 ? random.nextInt(64) : random.nextBoolean() ? 16 : 40;
    byte[] data = new byte[random.nextInt(4000)];
    random.nextBytes(data);
    long declaredData = random.nextInt(4) == 0 ? random.nextLong() & 0xFFFFFFFFL : data.length;
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + Math.max(fmtSize, 40) + 8 + data.length + 16)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(random.nextInt()).put("WAVE".getBytes());
    if (random.nextInt(5) == 0) {
      b.put("LIST".getBytes()).putInt(random.nextInt(8)).putLong(random.nextLong());
    }
    boolean dataFirst = random.nextInt(8) == 0;
    if (dataFirst) {
      b.put("data".getBytes()).putInt((int) declaredData).put(data);
    }
    b.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) tags[random.nextInt(tags.length)])
        .putShort((short) channels).putInt(rates[random.nextInt(rates.length)]).putInt(random.nextInt())
        .putShort((short) blockAlign).putShort((short) bitsPerSample);
    for (int i = 16; i < Math.max(fmtSize, 16); i++) {
      b.put((byte) random.nextInt());
    }
    if (!dataFirst) {
      b.put("data".getBytes()).putInt((int) declaredData).put(data);
    }
    byte[] file = new byte[b.position() - (random.nextInt(4) == 0 ? random.nextInt(Math.min(b.position(), 60)) : 0)];
    System.arraycopy(b.array(), 0, file, 0, file.length);
    check(file);
  }

  @Property(seed = Fuzz.SEED)
  void flippedAndTruncatedValidFiles(@ForAll Random random) {
    float[] tone = new float[1600 + random.nextInt(16000)];
    for (int i = 0; i < tone.length; i++) {
      tone[i] = (float) Math.sin(i / 10.0);
    }
    byte[] file = WavEncoder.pcm16Mono(tone, random.nextBoolean() ? 16000 : 8000);
    for (int i = 1 + random.nextInt(6); i > 0; i--) {
      int at = random.nextInt(random.nextBoolean() ? Math.min(44, file.length) : file.length);
      file[at] = (byte) random.nextInt();
    }
    if (random.nextBoolean()) {
      file = java.util.Arrays.copyOf(file, random.nextInt(file.length + 1));
    }
    check(file);
  }

  @Property(seed = Fuzz.SEED)
  void randomBytes(@ForAll @Size(max = 3000) byte[] file) {
    check(file);
  }

  private void check(byte[] file) {
    assertTimeoutPreemptively(BOUND, () -> {
      try {
        PromptConverter.Converted converted = converter.convert(file);
        // 16 kHz 16-bit mono out; from an input of at least 8 kHz, at most a few times the input's samples
        assertTrue(converted.wav().length <= 16L * file.length + 1024, "output " + converted.wav().length
            + " bytes from an input of " + file.length);
      } catch (SwitchboardException e) {
        int status = e.code().status();
        assertTrue(status == 415 || status == 422, e.code() + " " + e.getMessage());
      }
      Recordings.durationMillis(file);
    }, () -> "did not end for a file of " + file.length + " bytes");
  }
}
