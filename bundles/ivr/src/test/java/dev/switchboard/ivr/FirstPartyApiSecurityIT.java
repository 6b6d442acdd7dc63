package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.http.RouteTable;
import dev.switchboard.testkit.SwitchboardKit;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension
  final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media", "presence")
      .withFile("conf/flows/main.yaml", FLOW)
      .setting("SWITCHBOARD_API_FAILURE_LIMIT", "100000");

  @Test
  void everyFirstPartyRouteNeedsACredentialWithItsScope() {
    List<RouteTable.Route> routes = kit.server().apiRoutes();
    Set<String> owners = routes.stream().map(RouteTable.Route::owner).collect(Collectors.toSet());
    assertEquals(Set.of("calling", "media", "ivr", "presence"), owners, "the routes of the four bundles are all there");
    String unrelated = kit.createApiKey("unrelated", "records:read");

    for (RouteTable.Route route : routes) {
      assertTrue(route.scope().matches("(calls|media|ivr|presence):(read|write)"), route + " names its scope");
      String path = "/api/v1" + route.path().replaceAll(":[A-Za-z_0-9]+", "x");
      for (String wrong : new String[] {null, "Bearer not-a-key", "Bearer " + kit.apiKey() + "0"}) {
        HttpResponse<Buffer> refused = kit.httpAs(wrong, route.method(), path);
        assertEquals(401, refused.statusCode(), route + " with " + wrong + ": " + refused.bodyAsString());
      }
      HttpResponse<Buffer> forbidden = kit.httpAs("Bearer " + unrelated, route.method(), path);
      assertEquals(403, forbidden.statusCode(), route + ": " + forbidden.bodyAsString());
      assertTrue(forbidden.bodyAsJsonObject().getJsonObject("error").getString("message").contains(route.scope()),
          "the 403 names the missing scope: " + forbidden.bodyAsString());

      String holder = kit.createApiKey("holder-" + Math.abs(route.hashCode()), route.scope());
      int status = kit.httpAs("Bearer " + holder, route.method(), path).statusCode();
      assertNotEquals(401, status, route.toString());
      assertNotEquals(403, status, route.toString());
    }
  }
}
