package dev.switchboard.platform;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;

/** A real Graph emulator for platform tests, and the configuration that points a server at it. */
public final class Emulated implements AutoCloseable {

  public final Vertx vertx;
  public final GraphEmulator emulator;
  public final WebClient control;

  private Emulated(Vertx vertx, GraphEmulator emulator) {
    this.vertx = vertx;
    this.emulator = emulator;
    String pem = emulator.graphConfig().getString("tlsCertificatePem");
    this.control = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pem))));
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
    var response = TestServer.await(control.postAbs(emulator.baseUrl() + path).sendJsonObject(body));
    if (response.statusCode() >= 300) {
      throw new AssertionError("emulator " + path + " answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }

  /** What the bot sent whose path contains {@code pathPart}. */
  public JsonArray requests(String pathPart) throws Exception {
    return TestServer.await(control.getAbs(emulator.baseUrl() + "/emulator/requests").addQueryParam("path", pathPart)
        .send()).bodyAsJsonObject().getJsonArray("value");
  }

  @Override
  public void close() throws Exception {
    control.close();
    TestServer.await(emulator.close());
    TestServer.await(vertx.close());
  }
}
