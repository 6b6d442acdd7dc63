package dev.switchboard.emulator.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class WavInfoTest {

  @Test
  void readsTheFormatAndDurationOfWhatWavSynthWrites() {
    WavInfo info = WavInfo.parse(WavSynth.toneThenSilence(1.5, 0.5));
    assertTrue(info.isGraphPromptFormat());
    assertEquals(2000, info.durationMillis(), 0.01);
    WavInfo cd = WavInfo.parse(WavSynth.silence(44100, 2, 1));
    assertFalse(cd.isGraphPromptFormat());
    assertEquals("PCM, 2 channels, 16-bit, 44100 Hz", cd.describe());
    assertEquals(1000, cd.durationMillis(), 0.01);
  }

  @Test
  void skipsUnknownChunksAndReadsExtensiblePcm() {
    Buffer fmt = Buffer.buffer().appendShortLE((short) 0xFFFE).appendShortLE((short) 1).appendIntLE(16000)
        .appendIntLE(32000).appendShortLE((short) 2).appendShortLE((short) 16).appendShortLE((short) 22)
        .appendShortLE((short) 16).appendIntLE(4).appendShortLE((short) 1).appendBytes(new byte[14]);
    Buffer wav = Buffer.buffer().appendString("RIFF").appendIntLE(0).appendString("WAVE")
        .appendString("LIST").appendIntLE(3).appendBytes(new byte[4]) // odd size: padded to 4
        .appendString("fmt ").appendIntLE(fmt.length()).appendBuffer(fmt)
        .appendString("data").appendIntLE(32000).appendBytes(new byte[32000]);
    WavInfo info = WavInfo.parse(wav);
    assertTrue(info.isGraphPromptFormat(), info.describe());
    assertEquals(1000, info.durationMillis(), 0.01);
  }

  @Test
  void rejectsWhatIsNotAWavFile() {
    assertThrows(IllegalArgumentException.class, () -> WavInfo.parse(Buffer.buffer("ID3 an mp3")));
    assertThrows(IllegalArgumentException.class, () -> WavInfo.parse(Buffer.buffer().appendString("RIFF")
        .appendIntLE(4).appendString("WAVE")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WavInfo.parse(Buffer.buffer()
        .appendString("RIFF").appendIntLE(12).appendString("WAVE").appendString("data").appendIntLE(0)));
    assertTrue(e.getMessage().contains("fmt"));
  }
}
