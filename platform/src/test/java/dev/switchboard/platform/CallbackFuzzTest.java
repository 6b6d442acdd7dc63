package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.fuzz.Fuzz;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the callback door with a real server: mutated documented notifications, random bodies,
 * and random JWT headers and claims (correctly signed) posted to {@code /callbacks/calling},
 * {@code /callbacks/notifications} and {@code /callbacks/lifecycle}. Invariant: a clear 4xx (or the 2xx Graph
 * expects), never a 5xx; the server keeps answering.
 */
class CallbackFuzzTest {

  private static final String BOT = "bot-app-id";
  private static final Set<Integer> CALLING_OK = Set.of(202, 204, 400, 401, 413);
  private static final Set<Integer> CHANGE_OK = Set.of(200, 202, 400, 413);

  private static Path home;
  private static TestIssuer issuer;
  private static KeyPair key;
  private static TestServer server;
  private static String token;
  private static List<JsonObject> calling;
  private static List<JsonObject> changes;
  /**
   * One connection per request: the HTTP layer closes a connection after refusing an oversized header (431), and a
   * pooled connection closing under the next request would be the client's problem, not the server's.
   */
  private static io.vertx.ext.web.client.WebClient client;

  @BeforeContainer
  static void start() throws Exception {
    home = Files.createTempDirectory("callback-fuzz");
    issuer = new TestIssuer(Vertx.vertx());
    key = issuer.key("k1", true);
    token = TestIssuer.sign(key, "k1", "RS256", TestIssuer.claims(BOT));
    server = TestServer.start(home, Map.of("SWITCHBOARD_GRAPH_OPEN_ID_CONFIG_URL", issuer.openIdConfigUrl(),
        "SWITCHBOARD_GRAPH_CLIENT_ID", BOT, "SWITCHBOARD_HTTP_MAX_BODY_BYTES", "65536"));
    List<DocsExamplesIngressIT.Example> examples = DocsExamplesIngressIT.examples();
    calling = examples.stream().filter(DocsExamplesIngressIT.Example::calling)
        .map(DocsExamplesIngressIT.Example::body).toList();
    changes = examples.stream().filter(e -> !e.calling()).map(DocsExamplesIngressIT.Example::body).toList();
    client = io.vertx.ext.web.client.WebClient.create(server.vertx,
        new io.vertx.ext.web.client.WebClientOptions().setKeepAlive(false));
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      assertEquals(200, server.http(HttpMethod.GET, "/health/live", null).statusCode(), "the server still answers");
    } finally {
      server.close();
      issuer.close();
    }
  }

  @Property(seed = Fuzz.SEED)
  void mutatedCallingNotifications(@ForAll("callingExamples") JsonObject example, @ForAll Random random)
      throws Exception {
    JsonObject body = Fuzz.mutate(example, random, 1 + random.nextInt(4));
    expect(CALLING_OK, post("/callbacks/calling", "Bearer " + token, body.toBuffer()), body.encode());
  }

  @Property(seed = Fuzz.SEED)
  void mutatedChangeAndLifecycleNotifications(@ForAll("changeExamples") JsonObject example, @ForAll Random random)
      throws Exception {
    JsonObject body = Fuzz.mutate(example, random, 1 + random.nextInt(4));
    expect(CHANGE_OK, post("/callbacks/notifications", null, body.toBuffer()), body.encode());
    expect(CHANGE_OK, post("/callbacks/lifecycle", null, body.toBuffer()), body.encode());
  }

  @Property(seed = Fuzz.SEED)
  void randomBodies(@ForAll("bodies") byte[] body) throws Exception {
    Buffer b = Buffer.buffer(body);
    expect(CALLING_OK, post("/callbacks/calling", "Bearer " + token, b), "bytes");
    expect(CHANGE_OK, post("/callbacks/notifications", null, b), "bytes");
    expect(CHANGE_OK, post("/callbacks/lifecycle", null, b), "bytes");
  }

  @Property(seed = Fuzz.SEED)
  void validationTokens(@ForAll @Size(max = 6000) String validationToken) throws Exception {
    var request = client.post(server.server.httpPort(), "127.0.0.1", "/callbacks/notifications")
        .addQueryParam("validationToken", validationToken);
    HttpResponse<Buffer> r = TestServer.await(request.send());
    expect(CHANGE_OK, r, validationToken);
  }

  /** Correctly signed tokens whose header and claims are mutated: 401 unless they are still valid, never a 5xx. */
  @Property(seed = Fuzz.SEED)
  void mutatedJwtHeadersAndClaims(@ForAll Random random) throws Exception {
    JsonObject header = new JsonObject().put("typ", "JWT").put("alg", "RS256").put("kid", "k1");
    JsonObject claims = TestIssuer.claims(BOT);
    String headerText = (random.nextBoolean() ? Fuzz.mutate(header, random, 1 + random.nextInt(2)) : header).encode();
    String claimsText = (random.nextBoolean() ? Fuzz.mutate(claims, random, 1 + random.nextInt(3)) : claims).encode();
    if (random.nextInt(8) == 0) {
      headerText = Fuzz.randomString(random);
    }
    if (random.nextInt(8) == 0) {
      claimsText = Fuzz.randomString(random);
    }
    String jwt = TestIssuer.signRaw(key, headerText, claimsText);
    JsonObject body = new JsonObject().put("value", new JsonArray().add(new JsonObject().put("changeType", "updated")
        .put("resourceUrl", "/communications/calls/fuzz-" + random.nextInt(1000))));
    HttpResponse<Buffer> r;
    try {
      r = post("/callbacks/calling", "Bearer " + jwt, body.toBuffer());
    } catch (java.util.concurrent.ExecutionException e) {
      // A header beyond the HTTP layer's 8 KiB: it answers 431 and closes, sometimes before the answer is read.
      assertTrue(jwt.length() > 8000 && e.getCause() instanceof io.vertx.core.http.HttpClosedException,
          "the connection closed on a " + jwt.length() + "-character token: " + e.getCause());
      return;
    }
    expect(Set.of(202, 401), r, headerText + " . " + claimsText);
  }

  /** Tokens that are not well-formed JWTs at all. */
  @Property(seed = Fuzz.SEED)
  void malformedTokens(@ForAll("tokens") String authorization) throws Exception {
    HttpResponse<Buffer> r = post("/callbacks/calling", authorization, new JsonObject().put("value", new JsonArray())
        .toBuffer());
    expect(Set.of(401), r, authorization);
  }

  @Provide
  Arbitrary<JsonObject> callingExamples() {
    return Arbitraries.of(calling);
  }

  @Provide
  Arbitrary<JsonObject> changeExamples() {
    return Arbitraries.of(changes);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
        Arbitraries.of(Fuzz.deeplyNested(5000), "{\"value\":" + Fuzz.deeplyNested(3000) + "}", "{\"value\":null}",
            "{\"value\":[null]}", "{\"value\":[1,2]}", "{\"value\":{}}", "[]", "\"x\"", "1e99999", "{\"a\":1,\"a\":2}")
            .map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Arbitraries.just(new byte[70_000]));
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> part = Arbitraries.strings().withChars("ABCDEFabcdef0123456789-_=.+/ ").ofMaxLength(60);
    return Arbitraries.oneOf(part.map(p -> "Bearer " + p),
        net.jqwik.api.Combinators.combine(part, part, part).as((a, b, c) -> "Bearer " + a + "." + b + "." + c),
        Arbitraries.strings().ofMaxLength(200).map(s -> "Bearer " + s.replaceAll("\\p{Cntrl}", "")),
        Arbitraries.of("Bearer", "Basic abc", "bearer ", "Bearer eyJ.eyJ.", "Bearer ..", "Bearer e30.e30.",
            "Bearer eyJhbGciOiJub25lIn0.e30."));
  }

  private static HttpResponse<Buffer> post(String path, String authorization, Buffer body) throws Exception {
    var request = client.post(server.server.httpPort(), "127.0.0.1", path);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return TestServer.await(request.sendBuffer(body));
  }

  /**
   * The answer is one of {@code allowed}, or the HTTP layer's own refusal of an oversized request line or header
   * (414, 431); an error of ours has the one JSON error shape.
   */
  private static void expect(Set<Integer> allowed, HttpResponse<Buffer> r, String input) {
    if (r.statusCode() == 414 || r.statusCode() == 431) {
      return;
    }
    assertTrue(allowed.contains(r.statusCode()), "answered " + r.statusCode() + " " + r.bodyAsString() + " to "
        + (input.length() > 600 ? input.substring(0, 600) + "..." : input));
    if (r.statusCode() >= 400) {
      JsonObject error = new JsonObject(r.bodyAsString()).getJsonObject("error");
      assertTrue(error != null && error.getString("code") != null && error.getString("message") != null,
          "a clear error: " + r.bodyAsString());
    }
  }
}
