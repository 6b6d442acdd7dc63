package dev.switchboard.platform;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
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

  /**
   * A Graph request as the registered application (a fresh client-credentials token each time), for a test that
   * prepares what the bot will find (an online meeting); {@code path} starts at {@code /v1.0}. The answer, whatever
   * its status.
   */
  public HttpResponse<Buffer> graph(HttpMethod method, String path, JsonObject body) throws Exception {
    JsonObject config = emulator.graphConfig();
    String token = TestServer.await(control.postAbs(config.getString("authority") + "oauth2/v2.0/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("client_id", config.getString("clientId")).add("client_secret", config.getString("clientSecret"))
        .add("grant_type", "client_credentials").add("scope", "https://graph.microsoft.com/.default")))
        .bodyAsJsonObject().getString("access_token");
    var request = control.requestAbs(method, emulator.baseUrl() + path).putHeader("Authorization", "Bearer " + token);
    return TestServer.await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** Grants the application access policy for everyone and creates an online meeting of {@code organizerId}. */
  public JsonObject createMeeting(String organizerId, JsonObject body) throws Exception {
    post("/emulator/access-policies", new JsonObject().put("global", true));
    HttpResponse<Buffer> created = graph(HttpMethod.POST, "/v1.0/users/" + organizerId + "/onlineMeetings", body);
    if (created.statusCode() != 201) {
      throw new AssertionError("creating a meeting answered " + created.statusCode() + ": " + created.bodyAsString());
    }
    return created.bodyAsJsonObject();
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
