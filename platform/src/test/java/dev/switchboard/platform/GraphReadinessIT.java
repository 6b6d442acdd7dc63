package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.EmulatorOptions;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness includes "a Graph token can be had", and says which tenant's credentials are wrong. */
class GraphReadinessIT {

  @TempDir
  Path home;

  @Test
  void readyOnlyWhenTheTenantsCredentialsWork() throws Exception {
    try (Emulated emulated = Emulated.start(new EmulatorOptions())) {
      try (TestServer t = TestServer.start(home.resolve("good"), emulated.graphEnv())) {
        var ready = t.http(HttpMethod.GET, "/health/ready");
        assertEquals(200, ready.statusCode(), ready.bodyAsString());
      }
      Map<String, String> wrong = new HashMap<>(emulated.graphEnv());
      wrong.put("SWITCHBOARD_GRAPH_CLIENT_SECRET", "wrong-secret");
      try (TestServer t = TestServer.start(home.resolve("bad"), wrong)) {
        var ready = t.http(HttpMethod.GET, "/health/ready");
        assertEquals(503, ready.statusCode());
        String tenant = emulated.emulator.graphConfig().getString("tenantId");
        assertTrue(ready.bodyAsString().contains("Could not get a Graph token for tenant " + tenant), ready.bodyAsString());
        assertEquals(200, t.http(HttpMethod.GET, "/health/live").statusCode());
      }
    }
  }
}
