package dev.switchboard.platform;

import dev.switchboard.emulator.EmulatorClient;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.HashMap;
import java.util.Map;

/** A real Graph emulator for platform tests, and the configuration that points a server at it. */
public final class Emulated implements AutoCloseable {

  public final Vertx vertx;
  public final GraphEmulator emulator;
  public final EmulatorClient client;
  public final WebClient control;

  private Emulated(Vertx vertx, GraphEmulator emulator) {
    this.vertx = vertx;
    this.emulator = emulator;
    this.client = EmulatorClient.of(vertx, emulator);
    this.control = client.web();
  }

  public static Emulated start(EmulatorOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    return new Emulated(vertx, TestServer.await(GraphEmulator.start(vertx, options.setPort(0))));
  }

  /** The emulator's graph section as SWITCHBOARD_GRAPH_* variables. */
  public Map<String, String> graphEnv() {
    return new HashMap<>(ConfigLoader.environmentOf("graph", emulator.graphConfig()));
  }

  /** A control-API call; the JSON answer. */
  public JsonObject post(String path, JsonObject body) throws Exception {
    return TestServer.await(client.post(path, body));
  }

  /**
   * A Graph request as the registered application (a fresh client-credentials token each time), for a test that
   * prepares what the bot will find (an online meeting); {@code path} starts at {@code /v1.0}. The answer, whatever
   * its status.
   */
  public HttpResponse<Buffer> graph(HttpMethod method, String path, JsonObject body) throws Exception {
    return TestServer.await(client.asApplication(method, path, body));
  }

  /** Grants the application access policy for everyone and creates an online meeting of {@code organizerId}. */
  public JsonObject createMeeting(String organizerId, JsonObject body) throws Exception {
    return TestServer.await(client.createMeeting(organizerId, body));
  }

  /** What the bot sent whose path contains {@code pathPart}. */
  public JsonArray requests(String pathPart) throws Exception {
    return TestServer.await(client.requests(pathPart, 0));
  }

  @Override
  public void close() throws Exception {
    client.close();
    TestServer.await(emulator.close());
    TestServer.await(vertx.close());
  }
}
