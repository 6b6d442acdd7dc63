package dev.switchboard.media;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Text to speech with espeak-ng, when it is installed (Graph has none). Detected once, at start. The text goes to
 * espeak-ng on standard input, never on its command line. Blocking: call it off the event loop. Thread-safe.
 */
final class Speech {

  static final int MAX_TEXT = 2_000;
  private static final Pattern VOICE = Pattern.compile("[A-Za-z][A-Za-z0-9_+-]{0,39}");
  private static final long TIMEOUT_SECONDS = 30;

  private final String command;
  private final String version;

  private Speech(String command, String version) {
    this.command = command;
    this.version = version;
  }

  /** Looks for {@code command} ({@code espeak-ng} on the PATH by default). */
  static Speech detect(String command) {
    try {
      Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return new Speech(command, out.lines().findFirst().orElse(out));
      }
    } catch (IOException e) {
      // not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Speech(command, null);
  }

  boolean available() {
    return version != null;
  }

  /** What espeak-ng said its version was, or {@code null}. */
  String version() {
    return version;
  }

  String command() {
    return command;
  }

  static void check(String text, String voice) {
    if (text == null || text.isBlank()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'text' must be a non-empty string.");
    }
    if (text.length() > MAX_TEXT) {
      throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "textTooLong",
          "The text is " + text.length() + " characters; at most " + MAX_TEXT + " are synthesised at once.");
    }
    if (!VOICE.matcher(voice).matches()) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "'voice' must be an espeak-ng voice name such as 'en' "
          + "or 'en-us'; got '" + voice + "'.");
    }
  }

  /** Synthesises {@code text} as a WAV file (espeak-ng writes 22.05 kHz mono 16-bit). */
  byte[] synthesize(String text, String voice) {
    check(text, voice);
    if (!available()) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "speechUnavailable", "Text prompts need espeak-ng, which "
          + "was not found ('" + command + "' did not run) when the media plugin started; install it (e.g. 'apt-get "
          + "install espeak-ng') and restart or update the media bundle, or upload a WAV file instead.");
    }
    Path out = null;
    try {
      out = Files.createTempFile("switchboard-tts-", ".wav");
      Process p = new ProcessBuilder(List.of(command, "-v", voice, "--stdin", "-w", out.toString()))
          .redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String messages = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SwitchboardException(ErrorCode.TIMEOUT, "espeak-ng did not finish within " + TIMEOUT_SECONDS + " s.");
      }
      byte[] wav = Files.readAllBytes(out);
      if (p.exitValue() != 0 || wav.length <= WavEncoder.HEADER_BYTES || !messages.isEmpty() && messages.contains("rror")) {
        throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "speechFailed", "espeak-ng failed (exit "
            + p.exitValue() + ") for voice '" + voice + "': " + (messages.isEmpty() ? "no audio produced" : messages));
      }
      return wav;
    } catch (IOException e) {
      throw new SwitchboardException(ErrorCode.INTERNAL, "speechFailed", "Running espeak-ng failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SwitchboardException(ErrorCode.INTERNAL, "speechFailed", "Interrupted while running espeak-ng.", e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file; the OS cleans it
        }
      }
    }
  }
}
