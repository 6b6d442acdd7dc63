package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.TestServer;
import dev.switchboard.platform.http.RouteTable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every REST route of the first-party bundles (calling, media, ivr, presence), found in the server's route table: refused
 * with 401 without a credential or with a wrong one, 403 with a valid key that lacks the route's scope, and let
 * through with a key that holds it.
 */
class FirstPartyApiSecurityIT {

  private static final String FLOW = """
      default: true
      nodes:
        bye:
          type: hangup
          say: Goodbye.
      """;

  @TempDir
  Path home;

  @Test
  void everyFirstPartyRouteNeedsACredentialWithItsScope() throws Exception {
    try (IvrHarness h = IvrHarness.start(home, FLOW, Map.of("SWITCHBOARD_API_FAILURE_LIMIT", "100000"))) {
      h.t.install(TestServer.bundle("presence"));
      List<RouteTable.Route> routes = h.t.server.apiRoutes();
      Set<String> owners = routes.stream().map(RouteTable.Route::owner).collect(Collectors.toSet());
      assertEquals(Set.of("calling", "media", "ivr", "presence"), owners, "the routes of the four bundles are all there");
      String unrelated = h.t.createKey("unrelated", new JsonArray().add("records:read"), null).getString("secret");

      for (RouteTable.Route route : routes) {
        assertTrue(route.scope().matches("(calls|media|ivr|presence):(read|write)"), route + " names its scope");
        String path = "/api/v1" + route.path().replaceAll(":[A-Za-z_0-9]+", "x");
        for (String wrong : new String[] {null, "Bearer not-a-key", "Bearer " + h.t.apiKey() + "0"}) {
          HttpResponse<Buffer> refused = h.t.http(route.method(), path, wrong);
          assertEquals(401, refused.statusCode(), route + " with " + wrong + ": " + refused.bodyAsString());
        }
        HttpResponse<Buffer> forbidden = h.t.http(route.method(), path, "Bearer " + unrelated);
        assertEquals(403, forbidden.statusCode(), route + ": " + forbidden.bodyAsString());
        assertTrue(forbidden.bodyAsJsonObject().getJsonObject("error").getString("message").contains(route.scope()),
            "the 403 names the missing scope: " + forbidden.bodyAsString());

        String holder = h.t.createKey("holder-" + Math.abs(route.hashCode()), new JsonArray().add(route.scope()), null)
            .getString("secret");
        int status = h.t.http(route.method(), path, "Bearer " + holder).statusCode();
        assertNotEquals(401, status, route.toString());
        assertNotEquals(403, status, route.toString());
      }
    }
  }
}
