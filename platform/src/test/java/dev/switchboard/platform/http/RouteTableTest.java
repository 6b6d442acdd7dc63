package dev.switchboard.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.Registration;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  private final RouteTable routes = new RouteTable();

  private static RouteTable.Target target() {
    return request -> Future.succeededFuture(ApiResponse.noContent());
  }

  @Test
  void matchesParametersAndDecodesThem() {
    RouteTable.Target t = target();
    routes.add("calling", HttpMethod.GET, "/calls/:id", "s:x", t);
    RouteTable.Match match = routes.find(HttpMethod.GET, "/calls/a%20b");
    assertSame(t, match.target());
    assertEquals(Map.of("id", "a b"), match.params());
    assertFalse(routes.find(HttpMethod.GET, "/calls").found());
    assertFalse(routes.find(HttpMethod.GET, "/calls/a/b").found());
  }

  @Test
  void literalSegmentsBeatParameters() {
    RouteTable.Target byId = target();
    RouteTable.Target active = target();
    routes.add("calling", HttpMethod.GET, "/calls/:id", "s:x", byId);
    routes.add("calling", HttpMethod.GET, "/calls/active", "s:x", active);
    assertSame(active, routes.find(HttpMethod.GET, "/calls/active").target());
    assertSame(byId, routes.find(HttpMethod.GET, "/calls/other").target());
  }

  @Test
  void theNewestRegistrationOfOnePluginWinsAndTheOlderReturnsWhenItGoes() {
    RouteTable.Target v1 = target();
    RouteTable.Target v2 = target();
    routes.add("hello", HttpMethod.GET, "/hello", "s:x", v1);
    Registration second = routes.add("hello", HttpMethod.GET, "/hello", "s:x", v2);
    assertSame(v2, routes.find(HttpMethod.GET, "/hello").target());
    second.close();
    assertSame(v1, routes.find(HttpMethod.GET, "/hello").target());
  }

  @Test
  void anotherPluginOnTheSameRouteIsAConflict() {
    routes.add("hello", HttpMethod.GET, "/x/:a", "s:x", target());
    SwitchboardException e = assertThrows(SwitchboardException.class,
        () -> routes.add("other", HttpMethod.GET, "/x/:b", "s:x", target()));
    assertEquals(ErrorCode.CONFLICT, e.code());
    assertEquals("routeConflict", e.errorId());
    routes.add("other", HttpMethod.POST, "/x/:b", "s:x", target());
  }

  @Test
  void reportsTheAllowedMethodsWhenOnlyTheMethodIsWrong() {
    routes.add("hello", HttpMethod.GET, "/hello", "s:x", target());
    routes.add("hello", HttpMethod.DELETE, "/hello", "s:x", target());
    RouteTable.Match match = routes.find(HttpMethod.POST, "/hello");
    assertFalse(match.found());
    assertEquals(Set.of("GET", "DELETE"), match.allowed());
  }

  @Test
  void rejectsMalformedPaths() {
    for (String bad : new String[] {"hello", "/a//b", "/a?b=c", "/a/{id}", "/a/:1x"}) {
      assertThrows(IllegalArgumentException.class, () -> routes.add("p", HttpMethod.GET, bad, "s:x", target()), bad);
    }
  }
}
