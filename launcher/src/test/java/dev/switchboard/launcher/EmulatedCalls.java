package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The emulator as Graph for the cluster tests and benchmark: callers dialling the bot, pressing keys, and what the
 * bot did on each call as the emulator saw it.
 */
final class EmulatedCalls implements AutoCloseable {

  /** An IVR flow of two menus: 1 moves on to the second, 2 says goodbye; any other key hangs up early. */
  static final String FLOW = """
      name: cluster
      default: true
      start: first
      nodes:
        first:
          type: gather
          say: One.
          timeout: 120s
          retries: 0
          branches:
            "1": second
          default: bye
        second:
          type: gather
          say: Two.
          timeout: 120s
          retries: 0
          branches:
            "2": bye
          default: bye
        bye:
          type: hangup
          say: Bye.
      """;

  final GraphEmulator emulator;
  private final WebClient control;
  private int dialled;

  private EmulatedCalls(GraphEmulator emulator, WebClient control) {
    this.emulator = emulator;
    this.control = control;
  }

  /** Starts the emulator, calling the bot back at {@code callbackUrl}. */
  static EmulatedCalls start(Vertx vertx, String callbackUrl) throws Exception {
    GraphEmulator emulator = await(GraphEmulator.start(vertx, new EmulatorOptions().setClockSpeed(1)
        .setBotCallback(callbackUrl)));
    WebClient control = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(
        new PemTrustOptions().addCertValue(Buffer.buffer(emulator.graphConfig().getString("tlsCertificatePem")))));
    return new EmulatedCalls(emulator, control);
  }

  /** {@code count} callers dial the bot; their call ids. */
  List<String> dial(int count) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(post("/emulator/calls/incoming", new JsonObject().put("from", String.format("+1425555%04d", dialled++)))
          .getString("id"));
    }
    return ids;
  }

  void press(String callId, String tones) throws Exception {
    post("/emulator/calls/" + callId + "/tones", new JsonObject().put("tones", tones));
  }

  /** How many prompts the bot played on call {@code id}. */
  int prompts(String id) {
    return played(id).size();
  }

  /** The audio URIs of the prompts played on call {@code id}, in order (one file per prompt text). */
  List<String> promptUris(String id) {
    List<String> uris = new ArrayList<>();
    for (Object request : played(id)) {
      Object body = ((JsonObject) request).getValue("body");
      JsonObject json = body instanceof JsonObject o ? o : new JsonObject(String.valueOf(body));
      uris.add(json.getJsonArray("prompts").getJsonObject(0).getJsonObject("mediaInfo").getString("uri"));
    }
    return uris;
  }

  boolean terminated(String id) {
    try {
      return "terminated".equals(await(control.getAbs(emulator.baseUrl() + "/emulator/calls/" + id).send())
          .bodyAsJsonObject().getString("state"));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The emulator's delivery attempts of notifications about call {@code id}: what the balancer answered. */
  String callbacks(String id) {
    try {
      JsonArray all = await(control.getAbs(emulator.baseUrl() + "/emulator/notifications").send()).bodyAsJsonObject()
          .getJsonArray("value");
      JsonArray ofCall = new JsonArray();
      all.forEach(d -> {
        if (String.valueOf(((JsonObject) d).getString("resourceUrl")).contains(id)) {
          ofCall.add(d);
        }
      });
      return ofCall.encode();
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Waits until {@code done} holds for every call; fails naming one that never got there. */
  void awaitAll(List<String> calls, String what, Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = new ArrayList<>(calls);
    while (System.nanoTime() < deadline) {
      waiting.removeIf(done);
      if (waiting.isEmpty()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(waiting.size() + " of " + calls.size() + " calls never " + what + ", e.g. "
        + waiting.get(0) + "; Graph's callbacks for it: " + callbacks(waiting.get(0)));
  }

  private JsonArray played(String id) {
    try {
      return await(control.getAbs(emulator.baseUrl() + "/emulator/requests?method=POST&path=/communications/calls/"
          + id + "/playPrompt").send()).bodyAsJsonObject().getJsonArray("value");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = await(control.postAbs(emulator.baseUrl() + path).sendJsonObject(body));
    assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": "
        + response.bodyAsString());
    return response.bodyAsString().isEmpty() ? new JsonObject() : response.bodyAsJsonObject();
  }

  @Override
  public void close() throws Exception {
    control.close();
    await(emulator.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
