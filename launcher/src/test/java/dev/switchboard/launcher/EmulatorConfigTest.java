package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's {@code graph:} section (GET /emulator/config) is a valid section of the server's configuration. */
class EmulatorConfigTest {

  @TempDir
  Path home;

  @Test
  void theEmulatorsGraphSectionConfiguresTheServer() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      GraphEmulator emulator = GraphEmulator.start(vertx, new EmulatorOptions().setPort(0))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      JsonObject graph = emulator.graphConfig();
      Path file = home.resolve("switchboard.yaml");
      YAMLMapper yaml = new YAMLMapper();
      Files.writeString(file, yaml.writeValueAsString(Map.of("graph", yaml.readTree(graph.encode()))));
      SwitchboardConfig config = ConfigLoader.load(file, Map.of(), home);
      assertEquals(graph.getString("baseUrl"), config.graph().baseUrl());
      assertEquals(graph.getString("clientSecret"), config.graph().clientSecret());
      assertEquals(graph.getString("openIdConfigUrl"), config.graph().openIdConfigUrl());
      assertEquals(graph.getJsonArray("callbackIssuers").getList(), config.graph().callbackIssuers());
      assertEquals(graph.getString("tlsCertificatePem"), config.graph().tlsCertificatePem());
      emulator.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
