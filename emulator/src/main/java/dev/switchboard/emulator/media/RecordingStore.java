package dev.switchboard.emulator.media;

import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Recordings made by {@code recordResponse}, served at {@code GET /recordings/{id}} to a client that
 * presents the recording's access token as {@code Authorization: Bearer <token>} (else 401).
 *
 * <p>Keeps the {@value #CAPACITY} most recent recordings, until reset. (Graph discards a recording
 * shortly after the call ends; a bot must fetch it promptly either way.) Not thread-safe: used on
 * the emulator's event-loop context only.
 */
public final class RecordingStore {

  /** How many recordings are kept. */
  public static final int CAPACITY = 200;

  /** Where a recording is and the token that opens it. */
  public record Recording(String location, String accessToken) {
  }

  private record Stored(String token, Buffer audio) {
  }

  private final SecureRandom random = new SecureRandom();
  private final String baseUrl;
  private final Map<String, Stored> recordings = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Stored> eldest) {
      return size() > CAPACITY;
    }
  };

  public RecordingStore(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Stores a recording and returns its location and access token. */
  public Recording put(Buffer wav) {
    String id = UUID.randomUUID().toString();
    byte[] t = new byte[32];
    random.nextBytes(t);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    recordings.put(id, new Stored(token, wav));
    return new Recording(baseUrl + "/recordings/" + id, token);
  }

  /** Mounts {@code GET /recordings/:id}. */
  public void mount(Router router) {
    router.get("/recordings/:id").handler(ctx -> {
      Stored s = recordings.get(ctx.pathParam("id"));
      if (s == null) {
        throw GraphException.notFound("No recording " + ctx.pathParam("id") + " (recordings are kept until reset, "
            + CAPACITY + " at most).");
      }
      String auth = ctx.request().getHeader("Authorization");
      if (auth == null || !auth.equals("Bearer " + s.token())) {
        throw new GraphException(401, "InvalidAuthenticationToken",
            "Send the operation's recordingAccessToken as 'Authorization: Bearer <recordingAccessToken>'.");
      }
      ctx.response().putHeader("Content-Type", "application/octet-stream").end(s.audio());
    });
  }

  /** Deletes every recording. */
  public void clear() {
    recordings.clear();
  }
}
