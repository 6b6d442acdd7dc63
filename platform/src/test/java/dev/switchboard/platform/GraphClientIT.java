package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphException;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.graph.GraphClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Graph client against the emulator: token reuse and expiry, bad secrets, outages of the token endpoint, throttling
 * and its budget.
 */
class GraphClientIT {

  @TempDir
  Path home;

  private GraphClients clients(Vertx vertx, Emulated emulated, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(emulated.graphEnv());
    env.putAll(extra);
    SwitchboardConfig config = ConfigLoader.load(null, env, home);
    return new GraphClients(vertx, config.graph());
  }

  private static JsonObject p2pCall() {
    return new JsonObject()
        .put("@odata.type", "#microsoft.graph.call")
        .put("callbackUri", "http://127.0.0.1:9/callbacks/calling")
        .put("targets", new JsonArray().add(new JsonObject().put("identity", new JsonObject().put("user",
            new JsonObject().put("id", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01")))))
        .put("requestedModalities", new JsonArray().add("audio"))
        .put("mediaConfig", new JsonObject().put("@odata.type", "#microsoft.graph.serviceHostedMediaConfig"));
  }

  private static GraphException failure(io.vertx.core.Future<?> future) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> TestServer.await(future));
    assertTrue(e.getCause() instanceof GraphException, String.valueOf(e.getCause()));
    return (GraphException) e.getCause();
  }

  @Test
  void oneTokenServesManyRequestsAndEachRequestCarriesAClientRequestId() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      GraphClients clients = clients(vertx, emulated, Map.of());
      GraphClient graph = clients.client();
      GraphResponse created = TestServer.await(graph.post("/communications/calls", p2pCall()));
      assertEquals(201, created.status());
      assertNotNull(created.location());
      String id = created.body().getString("id");
      for (int i = 0; i < 5; i++) {
        assertEquals(id, TestServer.await(graph.get("/communications/calls/" + id)).body().getString("id"));
      }
      GraphException missing = failure(graph.get("/communications/calls/no-such-call"));
      assertEquals(404, missing.graphStatus());
      assertEquals("itemNotFound", missing.graphCode());
      assertNotNull(missing.requestId(), "Graph's request-id is kept for support");

      assertEquals(1, emulated.requests("/oauth2/v2.0/token").size(), "one token for seven Graph requests");
      JsonArray calls = emulated.requests("/communications/calls");
      assertEquals(7, calls.size());
      assertEquals(7, calls.stream().map(o -> ((JsonObject) o).getString("clientRequestId")).distinct().count());
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void anExpiredTokenIsReplaced() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions().setTokenLifetimeSeconds(1))) {
      GraphClients clients = clients(vertx, emulated, Map.of());
      failure(clients.client().get("/communications/calls/a"));
      Thread.sleep(1500);
      failure(clients.client().get("/communications/calls/b"));
      JsonArray tokens = emulated.requests("/oauth2/v2.0/token");
      assertTrue(tokens.size() >= 2, "a new token after expiry: " + tokens.size());
      assertEquals(0, emulated.requests("/communications/calls").stream()
          .filter(o -> ((JsonObject) o).getInteger("status") == 401).count(), "no request went out with an expired token");
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void aWrongSecretIsAClearErrorNamingTheTenant() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      GraphClients clients = clients(vertx, emulated, Map.of("SWITCHBOARD_GRAPH_CLIENT_SECRET", "not-the-secret"));
      String tenant = emulated.emulator.graphConfig().getString("tenantId");
      GraphException refused = failure(clients.client().get("/communications/calls/x"));
      assertEquals("tokenRefused", refused.graphCode());
      assertTrue(refused.getMessage().contains("tenant " + tenant), refused.getMessage());
      JsonObject check = TestServer.await(clients.checkToken());
      assertEquals(false, check.getBoolean("ok"));
      assertTrue(check.getString("problem").contains(tenant), check.encode());
      assertEquals(0, emulated.requests("/communications/calls").size(), "nothing reached Graph without a token");
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void throttledAndUnavailableRequestsSucceedAfterTheIndicatedWait() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      GraphClients clients = clients(vertx, emulated, Map.of());
      GraphClient graph = clients.client();
      String id = TestServer.await(graph.post("/communications/calls", p2pCall())).body().getString("id");
      emulated.post("/emulator/faults", new JsonObject().put("type", "throttle").put("method", "GET")
          .put("path", "/v1.0/communications/calls/*").put("count", 2).put("retryAfterSeconds", 0.4));
      emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("method", "POST")
          .put("path", "/v1.0/communications/calls/*/keepAlive").put("count", 1).put("retryAfterSeconds", 0.3));

      long began = System.nanoTime();
      assertEquals(id, TestServer.await(graph.get("/communications/calls/" + id)).body().getString("id"));
      long waited = (System.nanoTime() - began) / 1_000_000;
      assertTrue(waited >= 800, "waited the two Retry-After periods: " + waited + " ms");
      assertEquals(200, TestServer.await(graph.post("/communications/calls/" + id + "/keepAlive", new JsonObject()))
          .status(), "a POST answered 503 was not processed, so it is repeated");

      JsonArray gets = emulated.requests("/communications/calls/" + id);
      assertEquals(List3.of(429, 429, 200), gets.stream().filter(o -> "GET".equals(((JsonObject) o).getString("method")))
          .map(o -> ((JsonObject) o).getInteger("status")).toList());
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void requestsWaitOutAnOutageOfTheTokenEndpointWhichTheTokenCheckReportsUntilItEnds() throws Exception {
    Vertx vertx = Vertx.vertx();
    // Tokens of 60 s: MSAL renews any token within 5 minutes of its expiry, so every request needs the authority.
    try (Emulated emulated = Emulated.start(new EmulatorOptions().setTokenLifetimeSeconds(60))) {
      GraphClients clients = clients(vertx, emulated, Map.of());
      GraphClient graph = clients.client();
      String id = TestServer.await(graph.post("/communications/calls", p2pCall())).body().getString("id");
      assertEquals(null, clients.tokenProblem());
      emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("path", "/*/oauth2/**")
          .put("forMs", 3000));

      io.vertx.core.Future<GraphResponse> during = graph.get("/communications/calls/" + id);
      TestServer.awaitUntil("the outage is noticed", java.time.Duration.ofSeconds(10),
          () -> clients.tokenProblem() != null || during.isComplete());
      String problem = clients.tokenProblem();
      assertNotNull(problem, "the request did not finish before the outage was noticed: " + during);
      assertTrue(problem.contains("not obtainable") && problem.contains("unavailable"), problem);
      JsonObject check = TestServer.await(clients.checkToken());
      if (!check.getBoolean("ok")) { // false unless the outage ended meanwhile on a slow machine
        assertTrue(check.getString("problem").contains("not obtainable"), check.encode());
      }

      assertEquals(id, TestServer.await(during).body().getString("id"), "the request waited and then went out");
      assertEquals(null, clients.tokenProblem(), "obtainable again");
      assertEquals(true, TestServer.await(clients.checkToken()).getBoolean("ok"));
      JsonArray tokens = emulated.requests("/oauth2/v2.0/token");
      assertTrue(tokens.stream().anyMatch(o -> ((JsonObject) o).getInteger("status") == 503), tokens.encode());
      assertEquals(0, emulated.requests("/communications/calls").stream()
          .filter(o -> ((JsonObject) o).getInteger("status") == 401).count(), "no request went out without a token");
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void anOutageOfTheTokenEndpointLongerThanTheBudgetEndsInATypedFailure() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions().setTokenLifetimeSeconds(60))) {
      GraphClients clients = clients(vertx, emulated, Map.of("SWITCHBOARD_GRAPH_RETRY_BUDGET", "1s"));
      emulated.post("/emulator/faults", new JsonObject().put("type", "unavailable").put("path", "/*/oauth2/**")
          .put("forMs", 60_000));
      GraphException unavailable = failure(clients.client().get("/communications/calls/x"));
      assertEquals(503, unavailable.graphStatus());
      assertEquals("tokenUnavailable", unavailable.graphCode());
      assertTrue(unavailable.getMessage().contains("gave up on GET"), unavailable.getMessage());
      assertEquals(0, emulated.requests("/communications/calls").size(), "nothing reached Graph without a token");
      clients.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  @Test
  void theRetryBudgetEndsInATypedFailure() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      GraphClients clients = clients(vertx, emulated, Map.of("SWITCHBOARD_GRAPH_MAX_ATTEMPTS", "3"));
      emulated.post("/emulator/faults", new JsonObject().put("type", "throttle").put("path", "/v1.0/**")
          .put("count", 10).put("retryAfterSeconds", 0.1));
      GraphException throttled = failure(clients.client().get("/communications/calls/x"));
      assertEquals(429, throttled.graphStatus());
      assertEquals("TooManyRequests", throttled.graphCode());
      assertTrue(throttled.getMessage().contains("gave up after 3 attempts"), throttled.getMessage());

      GraphClients patient = clients(vertx, emulated, Map.of("SWITCHBOARD_GRAPH_RETRY_BUDGET", "1s"));
      emulated.post("/emulator/faults", new JsonObject().put("type", "throttle").put("path", "/v1.0/**")
          .put("count", 10).put("retryAfterSeconds", 5));
      long began = System.nanoTime();
      GraphException overBudget = failure(patient.client().get("/communications/calls/y"));
      // Waiting would take the 5 s Retry-After; anything well below it (a busy machine's token and TLS set-up
      // included) shows the client gave up at once.
      long tookMs = (System.nanoTime() - began) / 1_000_000;
      assertTrue(tookMs < 4000, "a Retry-After beyond the budget is not waited for (took " + tookMs + " ms)");
      assertEquals(429, overBudget.graphStatus());
      clients.close();
      patient.close();
    } finally {
      TestServer.await(vertx.close());
    }
  }

  /** {@code List.of} spelled so that a list of boxed integers compares with {@code toList()}. */
  private static final class List3 {
    static java.util.List<Integer> of(int a, int b, int c) {
      return java.util.List.of(a, b, c);
    }
  }
}
