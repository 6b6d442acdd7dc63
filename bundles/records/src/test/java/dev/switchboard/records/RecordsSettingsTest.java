package dev.switchboard.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecordsSettingsTest {

  private static final Path DATA = Path.of("/srv/switchboard/data");

  @Test
  void defaultsToAnEmbeddedH2DatabaseInTheDataFolder() {
    RecordsSettings s = RecordsSettings.from(new JsonObject(), DATA);
    assertTrue(s.databaseUrl().startsWith("jdbc:h2:file:/srv/switchboard/data/records/records"), s.databaseUrl());
    assertFalse(s.postgres());
    assertEquals(4, s.poolSize());
    assertEquals(8, s.fetchConcurrency());
    assertEquals(Duration.ofSeconds(1), s.retryInitial());
    assertEquals(Duration.ofMinutes(5), s.retryMax());
  }

  @Test
  void nestedKeysFromTheFileAndFlatOnesFromTheEnvironment() {
    RecordsSettings nested = RecordsSettings.from(new JsonObject().put("database", new JsonObject()
        .put("url", "jdbc:postgresql://db:5432/sb").put("user", "sb").put("poolSize", 2))
        .put("retry", new JsonObject().put("initial", "250ms").put("max", "PT30S")), DATA);
    assertTrue(nested.postgres());
    assertEquals("sb", nested.databaseUser());
    assertEquals(2, nested.poolSize());
    assertEquals(Duration.ofMillis(250), nested.retryInitial());
    assertEquals(Duration.ofSeconds(30), nested.retryMax());
    // SWITCHBOARD_PLUGINS_RECORDS_DATABASE_URL arrives as databaseUrl, and wins over the file's database.url.
    RecordsSettings flat = RecordsSettings.from(new JsonObject().put("databaseUrl", "jdbc:postgresql://env/sb")
        .put("database", new JsonObject().put("url", "jdbc:postgresql://file/sb")).put("retryMax", "2m"), DATA);
    assertEquals("jdbc:postgresql://env/sb", flat.databaseUrl());
    assertEquals(Duration.ofMinutes(2), flat.retryMax());
  }

  @Test
  void badValuesNameTheirKey() {
    assertTrue(assertThrows(SwitchboardException.class, () -> RecordsSettings.from(new JsonObject()
        .put("databaseUrl", "jdbc:mysql://db/sb"), DATA)).getMessage().startsWith("plugins.records.database.url"));
    assertTrue(assertThrows(SwitchboardException.class, () -> RecordsSettings.from(new JsonObject()
        .put("fetchConcurrency", 0), DATA)).getMessage().startsWith("plugins.records.fetchConcurrency"));
    assertTrue(assertThrows(SwitchboardException.class, () -> RecordsSettings.from(new JsonObject()
        .put("retryInitial", "soon"), DATA)).getMessage().startsWith("plugins.records.retry.initial"));
  }
}
