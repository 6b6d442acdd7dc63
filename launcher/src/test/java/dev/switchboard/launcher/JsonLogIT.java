package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logging.format: json}: the distribution's server writes one JSON object a line, from its first line on. */
class JsonLogIT {

  @TempDir
  Path dir;

  @Test
  void everyLineOfTheServerLogIsOneJsonObject() throws Exception {
    Map<String, String> env = Map.of("SWITCHBOARD_LOGGING_FORMAT", "json", "SWITCHBOARD_HTTP_PORT", "0",
        "SWITCHBOARD_HTTP_HOST", "127.0.0.1", "SWITCHBOARD_ADMIN_PORT", "0",
        "SWITCHBOARD_DATA_DIR", dir.resolve("data").toString(), "SWITCHBOARD_DEPLOY_DIR", dir.resolve("deploy").toString());
    try (Cli.Server server = Cli.Server.start(env)) {
      List<String> lines = server.log().lines().filter(l -> !l.isBlank()).toList();
      assertTrue(lines.size() >= 3, server.log());
      for (String line : lines) {
        JsonObject record = new JsonObject(line); // fails the test on a line that is not one JSON object
        assertTrue(record.containsKey("time") && record.containsKey("level") && record.containsKey("logger"), line);
      }
      JsonObject ready = lines.stream().map(JsonObject::new)
          .filter(r -> r.getString("message").startsWith("Switchboard ready")).findFirst().orElseThrow();
      assertEquals("INFO", ready.getString("level"));
      assertEquals("dev.switchboard.platform.SwitchboardServer", ready.getString("logger"));
    }
  }
}
