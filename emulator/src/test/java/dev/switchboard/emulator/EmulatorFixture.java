package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.emulator.media.WavSynth;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real emulator on an ephemeral HTTPS port, a fake bot (plain HTTP on loopback) that records
 * every notification it is sent, and a prompt server. Clients trust only the emulator's own
 * certificate, so a certificate without the right SAN fails every test.
 */
final class EmulatorFixture implements AutoCloseable {

  /** A notification the bot received. */
  record Received(String authorization, JsonObject envelope, long nanos) {
    JsonObject notification() {
      return envelope.getJsonArray("value").getJsonObject(0);
    }
  }

  /** An HTTP answer. */
  record Response(int status, Map<String, List<String>> headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  final Vertx vertx = Vertx.vertx();
  final GraphEmulator emulator;
  final String botUrl;
  final String promptBase;
  final Map<String, Buffer> prompts = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer bot;
  private final HttpClient http;
  private String token;

  EmulatorFixture(double clockSpeed) {
    this(new EmulatorOptions().setClockSpeed(clockSpeed));
  }

  EmulatorFixture(EmulatorOptions options) {
    prompts.put("ok.wav", WavSynth.toneThenSilence(0.5, 0));
    bot = vertx.createHttpServer().requestHandler(req -> {
      if (req.method().name().equals("GET") && req.path().startsWith("/prompts/")) {
        Buffer b = prompts.get(req.path().substring("/prompts/".length()));
        req.response().setStatusCode(b == null ? 404 : 200).end(b == null ? Buffer.buffer() : b);
        return;
      }
      req.body().onSuccess(body -> {
        received.add(new Received(req.getHeader("Authorization"), new JsonObject(body), System.nanoTime()));
        req.response().setStatusCode(202).end();
      });
    }).listen(0, "127.0.0.1").await();
    botUrl = "http://127.0.0.1:" + bot.actualPort() + "/callbacks/calling";
    promptBase = "http://127.0.0.1:" + bot.actualPort() + "/prompts/";
    emulator = GraphEmulator.start(vertx, new EmulatorOptions(options).setBotCallback(botUrl)).await();
    String pem = emulator.graphConfig().getString("tlsCertificatePem");
    HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    http = (pem == null ? client : client.sslContext(trusting(pem))).build();
  }

  String tenant() {
    return emulator.graphConfig().getString("tenantId");
  }

  /** A Graph access token from the token endpoint (cached). */
  String token() {
    if (token == null) {
      Response r = form("/" + tenant() + "/oauth2/v2.0/token", Map.of(
          "client_id", EmulatorOptions.DEFAULT_CLIENT_ID,
          "client_secret", EmulatorOptions.DEFAULT_CLIENT_SECRET,
          "grant_type", "client_credentials",
          "scope", "openid profile offline_access https://graph.microsoft.com/.default"));
      assertEquals(200, r.status(), r.body());
      token = r.json().getString("access_token");
    }
    return token;
  }

  /** Forgets the cached token: the next Graph request gets a new one, with the roles granted by then. */
  void forgetToken() {
    token = null;
  }

  Response form(String path, Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(b.toString())));
  }

  /** A Graph request with the bearer token; {@code body} may be null. */
  Response graph(String method, String path, Object body) {
    return request(method, path, body, "Bearer " + token());
  }

  /** A control-API (or unauthenticated) request. */
  Response control(String method, String path, Object body) {
    return request(method, path, body, null);
  }

  Response request(String method, String path, Object body, String authorization) {
    return request(method, path, body, authorization, Map.of());
  }

  Response request(String method, String path, Object body, String authorization, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    headers.forEach(b::header);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    String text = body == null ? null : body instanceof String s ? s : body.toString();
    if (text != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    return send(b);
  }

  /** A control-API request whose body is {@code bytes} of {@code contentType} (a WAV file). */
  Response controlBytes(String path, byte[] bytes, String contentType) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
  }

  Response getAbsolute(String url, String authorization) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return send(b.GET());
  }

  byte[] bytes(String url, String authorization) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers().map(), r.body());
    } catch (Exception e) {
      throw new AssertionError("request failed: " + e, e);
    }
  }

  URI uri(String path) {
    return URI.create(emulator.baseUrl() + path);
  }

  // ---------------------------------------------------------------- notifications

  int mark() {
    return received.size();
  }

  /** The first notification at or after {@code from} that matches, waiting up to 5 s. */
  Received await(int from, Predicate<JsonObject> match) {
    return await(from, match, 5000);
  }

  Received await(int from, Predicate<JsonObject> match, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    do {
      for (int i = from; i < received.size(); i++) {
        if (match.test(received.get(i).notification())) {
          return received.get(i);
        }
      }
      sleep(5);
    } while (System.currentTimeMillis() < deadline);
    StringBuilder seen = new StringBuilder();
    for (int i = from; i < received.size(); i++) {
      JsonObject n = received.get(i).notification();
      seen.append("\n  ").append(n.getString("changeType")).append(' ').append(n.getString("resourceUrl")).append(' ')
          .append(n.getValue("resourceData").toString(), 0, Math.min(200, n.getValue("resourceData").toString().length()));
    }
    fail("no matching notification within " + timeoutMs + " ms; received:" + seen);
    return null;
  }

  static Predicate<JsonObject> callState(String callId, String state) {
    return n -> n.getString("resourceUrl").equals("/communications/calls/" + callId)
        && n.getValue("resourceData") instanceof JsonObject d && state.equals(d.getString("state"));
  }

  static Predicate<JsonObject> operation(String callId, String opId) {
    return n -> n.getString("resourceUrl").equals("/communications/calls/" + callId + "/operations/" + opId);
  }

  static Predicate<JsonObject> roster(String callId, Predicate<JsonArray> match) {
    return n -> n.getString("resourceUrl").equals("/communications/calls/" + callId + "/participants")
        && n.getValue("resourceData") instanceof JsonArray a && match.test(a);
  }

  // ---------------------------------------------------------------- scenarios

  static JsonObject serviceHosted() {
    return new JsonObject().put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig");
  }

  static JsonObject userTarget(String id) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.invitationParticipantInfo")
        .put("identity", new JsonObject().put("user", new JsonObject().put("id", id)));
  }

  /** Places an outgoing P2P call to {@code userId}; returns its id once established. */
  String establishedOutgoingCall(String userId, JsonObject mediaConfig) {
    int m = mark();
    Response r = graph("POST", "/v1.0/communications/calls", new JsonObject()
        .put("callbackUri", botUrl)
        .put("targets", new JsonArray().add(userTarget(userId)))
        .put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", mediaConfig));
    assertEquals(201, r.status(), r.body());
    String id = r.json().getString("id");
    await(m, callState(id, "established"));
    return id;
  }

  /** Registers a user with the given behavior; returns its id. */
  String user(JsonObject behavior) {
    Response r = control("POST", "/emulator/users", new JsonObject().put("displayName", "Test User").put("behavior", behavior));
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  /** A person calls the bot and the bot answers with service-hosted media; returns the established call's id. */
  String answeredIncomingCall(JsonObject incomingBody) {
    int m = mark();
    Response r = control("POST", "/emulator/calls/incoming", incomingBody);
    assertEquals(201, r.status(), r.body());
    String id = r.json().getString("id");
    await(m, n -> n.getString("changeType").equals("created"));
    Response a = graph("POST", "/v1.0/communications/calls/" + id + "/answer", new JsonObject()
        .put("callbackUri", botUrl).put("acceptedModalities", new JsonArray().add("audio")).put("mediaConfig", serviceHosted()));
    assertEquals(202, a.status(), a.body());
    await(m, callState(id, "established"));
    return id;
  }

  /** An emulated date {@code ahead} from now, as Graph writes them. */
  String inFuture(Duration ahead) {
    return emulator.clock().instant().plus(ahead).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  /** A subscription request body expiring {@code lifetime} from now (emulated), with a client state. */
  JsonObject subscription(String resource, String changeType, String notificationUrl, Duration lifetime) {
    return new JsonObject().put("changeType", changeType).put("notificationUrl", notificationUrl)
        .put("resource", resource).put("expirationDateTime", inFuture(lifetime)).put("clientState", "secret-" + resource.length());
  }

  /** Creates a subscription; returns it (201 asserted). */
  JsonObject subscribe(JsonObject body) {
    Response r = graph("POST", "/v1.0/subscriptions", body);
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  /** The deliveries of a subscription, as the control API lists them. */
  List<JsonObject> deliveries(String subscriptionId) {
    return control("GET", "/emulator/subscriptions/deliveries?subscriptionId=" + subscriptionId, null).json()
        .getJsonArray("value").stream().map(JsonObject.class::cast).toList();
  }

  /** Waits up to {@code timeoutMs} for a delivery with this id to be in {@code state}; returns it. */
  JsonObject awaitDelivery(String deliveryId, String state, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    JsonObject last = null;
    do {
      for (Object o : control("GET", "/emulator/subscriptions/deliveries", null).json().getJsonArray("value")) {
        JsonObject d = (JsonObject) o;
        if (d.getString("id").equals(deliveryId)) {
          last = d;
          if (state.equals(d.getString("state"))) {
            return d;
          }
        }
      }
      sleep(10);
    } while (System.currentTimeMillis() < deadline);
    fail("delivery " + deliveryId + " not " + state + " within " + timeoutMs + " ms: " + (last == null ? "unknown" : last.encode()));
    return null;
  }

  /**
   * Moves Graph's clock forward by {@code seconds} ({@code POST /emulator/clock/advance}); the timers that fall due
   * have fired when it returns. The answer: the clock afterwards.
   */
  JsonObject advance(double seconds) {
    Response r = control("POST", "/emulator/clock/advance", new JsonObject().put("seconds", seconds));
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  void reset() {
    Response r = control("POST", "/emulator/reset", null);
    assertEquals(204, r.status(), r.body());
    sleep(30); // let notifications already in flight land before clearing
    received.clear();
    token = null;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    emulator.close().await();
    vertx.close().await();
  }

  /** An SSL context that trusts exactly this PEM certificate (with hostname verification left on). */
  static SSLContext trusting(String pem) {
    try {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      ks.setCertificateEntry("emulator", CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new AssertionError("cannot trust the emulator certificate", e);
    }
  }
}
