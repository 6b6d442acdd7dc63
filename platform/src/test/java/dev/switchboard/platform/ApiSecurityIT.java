package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.http.RouteTable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API's API keys over real HTTP against a real server: every route needs a credential, scopes are checked,
 * revoked and expired keys stop working at once, secrets stay out of logs, answers and files, guessing is slowed
 * down, and each key's rate limit holds; {@code api.auth: none} opens the API with a warning.
 */
class ApiSecurityIT {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir
  Path home;

  private static TestServer withHello(Path home, Map<String, String> env) throws Exception {
    TestServer t = TestServer.start(home, env);
    t.drop(TestServer.bundle("hello-v1"), "hello.jar");
    TestServer.awaitUntil("hello serves its routes", WAIT, () -> t.server.apiRoutes().size() >= 2);
    return t;
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertNotNull(error, response.bodyAsString());
    assertEquals(code, error.getString("code"), response.bodyAsString());
    assertFalse(error.getString("message").isBlank());
  }

  private static HttpResponse<Buffer> call(TestServer t, HttpMethod method, String path, String key) throws Exception {
    return t.http(method, path, key == null ? null : "Bearer " + key);
  }

  @Test
  void everyApiRouteRefusesRequestsWithoutAValidCredential() throws Exception {
    try (TestServer t = withHello(home, Map.of("SWITCHBOARD_API_FAILURE_LIMIT", "100000"))) {
      List<RouteTable.Route> routes = t.server.apiRoutes();
      assertFalse(routes.isEmpty());
      List<String> wrong = Stream.of(null, "Bearer sb_0123456789ab_notTheSecretOfAnyKeyAtAll0000000000000000",
          "Bearer " + t.apiKey().substring(0, t.apiKey().length() - 2) + "xx", "Bearer not-a-key", "Basic dXNlcjpwYXNz",
          "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.").toList();
      for (RouteTable.Route route : routes) {
        String path = "/api/v1" + route.path().replaceAll(":[A-Za-z_0-9]+", "x");
        for (String authorization : wrong) {
          HttpResponse<Buffer> refused = t.http(route.method(), path, authorization);
          assertEquals(401, refused.statusCode(), route + " with " + authorization + ": " + refused.bodyAsString());
          assertTrue(refused.getHeader("WWW-Authenticate").startsWith("Bearer"), route.toString());
          assertNotNull(refused.bodyAsJsonObject().getJsonObject("error").getString("code"));
        }
        assertTrue(t.http(route.method(), path).statusCode() < 400, route + " with the test key");
      }
      // Authentication comes before routing: nothing tells a stranger which paths exist.
      assertError(t.http(HttpMethod.GET, "/api/v1/nothing/here", null), 401, "missingCredential");
      // The platform's and plugins' public paths need nothing.
      assertEquals(200, t.http(HttpMethod.GET, "/hello-public/x").statusCode());
      assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode());
      assertEquals(200, t.http(HttpMethod.GET, "/metrics").statusCode());
    }
  }

  @Test
  void scopesAreCheckedAndRevokedOrExpiredKeysStopWorkingAtOnce() throws Exception {
    try (TestServer t = withHello(home, Map.of())) {
      assertEquals("hello:read", t.server.apiRoutes().stream().filter(r -> r.method() == HttpMethod.GET)
          .findFirst().orElseThrow().scope(), "the derived default scope");
      String reader = t.createKey("reader", new JsonArray().add("hello:read"), null).getString("secret");
      String writer = t.createKey("writer", new JsonArray().add("greetings:write"), null).getString("secret");
      String wildcard = t.createKey("wild", new JsonArray().add("hello:*"), null).getString("secret");

      assertEquals(200, call(t, HttpMethod.GET, "/api/v1/hello/x", reader).statusCode());
      assertError(call(t, HttpMethod.POST, "/api/v1/hello/x", reader), 403, "missingScope");
      assertTrue(call(t, HttpMethod.POST, "/api/v1/hello/x", reader).bodyAsJsonObject().getJsonObject("error")
          .getString("message").contains("greetings:write"));
      assertEquals(200, call(t, HttpMethod.GET, "/api/v1/hello/x", wildcard).statusCode());
      assertError(call(t, HttpMethod.GET, "/api/v1/hello/x", writer), 403, "missingScope");

      HttpResponse<Buffer> greeted = call(t, HttpMethod.POST, "/api/v1/hello/x", writer);
      assertEquals(200, greeted.statusCode(), greeted.bodyAsString());
      JsonObject caller = greeted.bodyAsJsonObject().getJsonObject("caller");
      assertEquals("KEY", caller.getString("kind"));
      assertEquals("writer", caller.getString("name"));
      assertEquals(new JsonArray().add("greetings:write"), caller.getJsonArray("scopes"));
      assertFalse(caller.getBoolean("authorizationSeen"), "the credential is not handed to plugins");
      assertNotNull(greeted.getHeader("X-Request-Id"));

      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/keys/reader", null).statusCode());
      assertError(call(t, HttpMethod.GET, "/api/v1/hello/x", reader), 401, "invalidKey");
      assertError(t.admin(HttpMethod.DELETE, "/admin/keys/reader", null), 404, "noSuchKey");
      String wildId = t.admin(HttpMethod.GET, "/admin/keys", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(k -> k.getString("name").equals("wild")).findFirst().orElseThrow()
          .getString("id");
      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/keys/" + wildId, null).statusCode(), "revoked by id");
      assertError(call(t, HttpMethod.GET, "/api/v1/hello/x", wildcard), 401, "invalidKey");

      String shortLived = t.createKey("brief", new JsonArray().add("*"), new JsonObject().put("ttl", 1))
          .getString("secret");
      assertEquals(200, call(t, HttpMethod.GET, "/api/v1/hello/x", shortLived).statusCode());
      Thread.sleep(1100);
      HttpResponse<Buffer> expired = call(t, HttpMethod.GET, "/api/v1/hello/x", shortLived);
      assertError(expired, 401, "keyExpired");
      assertTrue(expired.bodyAsJsonObject().getJsonObject("error").getString("message").contains("'brief'"));
      JsonObject listed = t.admin(HttpMethod.GET, "/admin/keys", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(k -> k.getString("name").equals("brief")).findFirst().orElseThrow();
      assertTrue(listed.getBoolean("expired"));

      assertError(t.admin(HttpMethod.POST, "/admin/keys", new JsonObject().put("name", "writer")
          .put("scopes", new JsonArray().add("x:y")).toBuffer()), 409, "keyExists");
      assertError(t.admin(HttpMethod.POST, "/admin/keys", new JsonObject().put("name", "bad name")
          .put("scopes", new JsonArray().add("x:y")).toBuffer()), 400, "invalidKeyName");
      assertError(t.admin(HttpMethod.POST, "/admin/keys", new JsonObject().put("name", "noscope").toBuffer()), 400,
          "invalidScopes");
      assertError(t.admin(HttpMethod.POST, "/admin/keys", null, Buffer.buffer("{}")), 401, "missingToken");
    }
  }

  @Test
  void keySecretsAppearInNoLogNoOtherAnswerAndNoFileButAsHashes() throws Exception {
    try (LogCapture logs = new LogCapture(); TestServer t = withHello(home, Map.of())) {
      JsonObject created = t.createKey("crm", new JsonArray().add("greetings:write"), new JsonObject()
          .put("ttl", "90d").put("ratePerSecond", 100));
      String secret = created.getString("secret");
      assertTrue(secret.startsWith("sb_" + created.getString("id") + "_"));
      assertTrue(secret.length() >= 3 + 12 + 1 + 43, "256 random bits and more");
      List<String> answers = new java.util.ArrayList<>();
      answers.add(call(t, HttpMethod.POST, "/api/v1/hello/x", secret).bodyAsString());
      answers.add(call(t, HttpMethod.GET, "/api/v1/hello/x", secret).bodyAsString());
      answers.add(call(t, HttpMethod.POST, "/api/v1/hello/x", secret + "x").bodyAsString());
      answers.add(t.admin(HttpMethod.GET, "/admin/keys", null).bodyAsString());
      answers.add(t.admin(HttpMethod.POST, "/admin/keys", new JsonObject().put("name", "crm")
          .put("scopes", new JsonArray().add("*")).toBuffer()).bodyAsString());
      answers.add(t.admin(HttpMethod.GET, "/admin/audit?limit=1000", null).bodyAsString());
      assertEquals(204, t.admin(HttpMethod.DELETE, "/admin/keys/crm", null).statusCode());
      answers.add(t.admin(HttpMethod.GET, "/admin/audit?limit=1000", null).bodyAsString());
      // sb_<id>_<random>: the random part may itself hold '_' (base64url), so it starts after the second '_'
      String random = secret.substring(secret.indexOf('_', "sb_".length()) + 1);
      for (String answer : answers) {
        assertFalse(answer.contains(random), answer);
      }
      assertFalse(logs.lines().isEmpty());
      for (String line : logs.lines()) {
        assertFalse(line.contains(random), line);
      }
      try (Stream<Path> files = Files.walk(home)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          assertFalse(content.contains(random), file.toString());
        }
      }
      assertFalse(Files.readString(home.resolve("data/api-keys.json")).contains("\"crm\""), "revoked keys are gone");
    }
  }

  @Test
  void theKeyFileHoldsHashesOnly() throws Exception {
    try (TestServer t = TestServer.start(home, Map.of())) {
      String secret = t.createKey("stored", new JsonArray().add("*"), null).getString("secret");
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(secret.getBytes(StandardCharsets.UTF_8)));
      String file = Files.readString(home.resolve("data/api-keys.json"));
      assertTrue(file.contains(hash), file);
      assertFalse(file.contains(secret.substring(secret.length() - 43)), file);
    }
    // Keys survive a restart.
    try (TestServer t = TestServer.start(home, Map.of())) {
      assertTrue(t.admin(HttpMethod.GET, "/admin/keys", null).bodyAsString().contains("\"stored\""));
    }
  }

  @Test
  void guessingKeysIsSlowedDownForTheGuesserOnly() throws Exception {
    try (TestServer t = withHello(home, Map.of("SWITCHBOARD_API_FAILURE_LIMIT", "5",
        "SWITCHBOARD_API_FAILURE_WINDOW", "1m"))) {
      WebClient other = WebClient.create(t.vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
      try {
        for (int i = 0; i < 5; i++) {
          HttpResponse<Buffer> guess = await(other.get(t.server.httpPort(), "127.0.0.1", "/api/v1/hello/x")
              .putHeader("Authorization", "Bearer sb_0123456789ab_guess" + i).send());
          assertError(guess, 401, "invalidKey");
        }
        HttpResponse<Buffer> slowed = await(other.get(t.server.httpPort(), "127.0.0.1", "/api/v1/hello/x")
            .putHeader("Authorization", "Bearer sb_0123456789ab_guess6").send());
        assertError(slowed, 429, "tooManyFailures");
        long retryAfter = Long.parseLong(slowed.getHeader("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
        HttpResponse<Buffer> evenGood = await(other.get(t.server.httpPort(), "127.0.0.1", "/api/v1/hello/x")
            .putHeader("Authorization", "Bearer " + t.apiKey()).send());
        assertEquals(429, evenGood.statusCode(), "a blocked address is refused whatever it sends");
      } finally {
        other.close();
      }
      assertEquals(200, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode(), "other addresses are not blocked");
    }
  }

  @Test
  void aKeysRateLimitGives429WithRetryAfter() throws Exception {
    try (TestServer t = withHello(home, Map.of())) {
      String limited = t.createKey("limited", new JsonArray().add("*"), new JsonObject().put("ratePerSecond", 2))
          .getString("secret");
      assertEquals(2.0, t.admin(HttpMethod.GET, "/admin/keys", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(k -> k.getString("name").equals("limited")).findFirst().orElseThrow()
          .getDouble("ratePerSecond"));
      int ok = 0;
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 6; i++) {
        last = call(t, HttpMethod.GET, "/api/v1/hello/x", limited);
        ok += last.statusCode() == 200 ? 1 : 0;
      }
      assertTrue(ok >= 2 && ok < 6, ok + " of 6 allowed");
      assertError(last, 429, "rateLimited");
      assertTrue(Long.parseLong(last.getHeader("Retry-After")) >= 1);
      assertEquals(200, t.http(HttpMethod.GET, "/api/v1/hello/x").statusCode(), "other keys are not limited");
      Thread.sleep(1100);
      assertEquals(200, call(t, HttpMethod.GET, "/api/v1/hello/x", limited).statusCode(), "the bucket refills");
    }
  }

  @Test
  void anOpenApiIsWrittenExplicitlyAndWarnedAboutAtStart() throws Exception {
    try (LogCapture logs = new LogCapture(); TestServer t = withHello(home, Map.of("SWITCHBOARD_API_AUTH", "none"))) {
      assertTrue(logs.any("WARN", "api.auth is none"), String.join("\n", logs.lines()));
      HttpResponse<Buffer> open = t.http(HttpMethod.POST, "/api/v1/hello/x", null);
      assertEquals(200, open.statusCode(), open.bodyAsString());
      assertEquals("NONE", open.bodyAsJsonObject().getJsonObject("caller").getString("kind"));
      assertNull(t.http(HttpMethod.GET, "/api/v1/hello/x", null).getHeader("WWW-Authenticate"));
    }
  }
}
