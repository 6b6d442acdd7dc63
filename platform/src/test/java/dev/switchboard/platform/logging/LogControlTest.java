package dev.switchboard.platform.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogControlTest {

  private static final String NAME = "dev.switchboard.test.logcontrol";

  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void reset() {
    context.getLogger(NAME).setLevel(null);
    context.getLogger(NAME + ".other").setLevel(null);
  }

  @Test
  void levelsChangeAndClear() {
    JsonObject after = LogControl.setLevels(new JsonObject().put("levels", new JsonObject().put(NAME, "debug")));
    assertEquals("DEBUG", after.getJsonObject("levels").getString(NAME));
    assertEquals(Level.DEBUG, context.getLogger(NAME).getLevel());
    LogControl.setLevels(new JsonObject().put("levels", new JsonObject().putNull(NAME)));
    assertNull(context.getLogger(NAME).getLevel());
    assertTrue(!LogControl.levels().getJsonObject("levels").containsKey(NAME));
  }

  @Test
  void badInputChangesNothing() {
    SwitchboardException level = assertThrows(SwitchboardException.class, () -> LogControl.setLevels(
        new JsonObject().put("levels", new JsonObject().put(NAME + ".other", "INFO").put(NAME, "LOUD"))));
    assertEquals(400, level.status());
    assertEquals("invalidLevel", level.errorId());
    assertNull(context.getLogger(NAME + ".other").getLevel(), "checked before anything changed");
    assertEquals("invalidLogger", assertThrows(SwitchboardException.class, () -> LogControl.setLevels(
        new JsonObject().put("levels", new JsonObject().put("not a logger", "INFO")))).errorId());
    assertEquals("missingLevels", assertThrows(SwitchboardException.class, () -> LogControl.setLevels(
        new JsonObject().put("levels", "DEBUG"))).errorId());
    assertEquals("invalidLevel", assertThrows(SwitchboardException.class, () -> LogControl.setLevels(
        new JsonObject().put("levels", new JsonObject().putNull("ROOT")))).errorId());
  }

  @Test
  void jsonLinesCarryThePluginItsVersionAndTheCall() {
    Logger logger = context.getLogger(NAME);
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "call {} \"ended\"",
        new IllegalStateException("boom"), new Object[] {"c-1"});
    event.setMDCPropertyMap(Map.of("plugin", "calling@1.2.0", "callId", "c-1", "key", "c-1", "tenant", "t"));
    String line = JsonLogEncoder.line(event);
    assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
    JsonObject json = new JsonObject(line);
    assertEquals("WARN", json.getString("level"));
    assertEquals(NAME, json.getString("logger"));
    assertEquals("call c-1 \"ended\"", json.getString("message"));
    assertEquals("calling", json.getString("plugin"));
    assertEquals("1.2.0", json.getString("version"));
    assertEquals("c-1", json.getString("callId"));
    assertEquals("t", json.getJsonObject("mdc").getString("tenant"));
    assertTrue(json.getString("exception").contains("IllegalStateException: boom"));
  }
}
