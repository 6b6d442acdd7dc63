package dev.switchboard.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * What {@link LogControl} does when Logback is the logging binding (the distribution's): {@code logging.format json}
 * applied to the console appenders, and logger levels read and changed ({@code GET}/{@code PUT /admin/logging}).
 * Level changes last until the server stops; the configuration file is not written.
 */
final class LogbackControl {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogbackControl.class);
  private static final Pattern LOGGER_NAME = Pattern.compile("ROOT|[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  private LogbackControl() {
  }

  /** Writes the console appenders' records as JSON lines when {@code json}; does nothing for text. */
  static void applyFormat(boolean json) {
    LoggerContext context = logback();
    if (!json) {
      return;
    }
    if (context == null) {
      LOG.warn("logging.format json needs Logback as the logging binding; records stay as the binding writes them");
      return;
    }
    for (Logger logger : context.getLoggerList()) {
      for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
        if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out && !(out.getEncoder() instanceof JsonLogEncoder)) {
          JsonLogEncoder encoder = new JsonLogEncoder();
          encoder.setContext(context);
          encoder.start();
          out.setEncoder(encoder);
        }
      }
    }
  }

  /** The loggers with a level set ({@code ROOT} included), by name: {@code {"levels": {...}}}. */
  static JsonObject levels() {
    LoggerContext context = requireLogback();
    JsonObject levels = new JsonObject();
    for (Logger logger : context.getLoggerList()) {
      if (logger.getLevel() != null) {
        levels.put(logger.getName(), logger.getLevel().toString());
      }
    }
    return new JsonObject().put("levels", levels);
  }

  /**
   * Sets levels from {@code {"levels": {"dev.switchboard.platform.routing": "DEBUG", "ROOT": "INFO", "x": null}}}
   * ({@code null} clears a logger's own level: it inherits again). Checks everything before changing anything.
   *
   * @return the levels afterwards, as {@link #levels()}
   * @throws SwitchboardException 400 for a body of another shape, a bad logger name or an unknown level; 503 when
   *     Logback is not the binding
   */
  static JsonObject setLevels(JsonObject body) {
    LoggerContext context = requireLogback();
    Object raw = body == null ? null : body.getValue("levels");
    if (!(raw instanceof JsonObject requested) || requested.isEmpty()) {
      throw bad("missingLevels", "The body must be {\"levels\": {\"<logger>\": \"<level>\", ...}} with at least one "
          + "logger; levels: " + String.join(", ", LEVELS) + ", or null to inherit");
    }
    Map<String, Level> changes = new LinkedHashMap<>();
    for (String name : requested.fieldNames()) {
      if (!LOGGER_NAME.matcher(name).matches()) {
        throw bad("invalidLogger", "'" + name + "' is not a logger name (a Java package or class name, or ROOT)");
      }
      Object level = requested.getValue(name);
      if (level == null) {
        changes.put(name, null);
      } else if (level instanceof String text && LEVELS.contains(text.toUpperCase(java.util.Locale.ROOT))) {
        changes.put(name, Level.toLevel(text.toUpperCase(java.util.Locale.ROOT)));
      } else {
        throw bad("invalidLevel", "Logger " + name + ": '" + level + "' is not a level; use one of "
            + String.join(", ", LEVELS) + ", or null to inherit");
      }
    }
    if (changes.containsKey("ROOT") && changes.get("ROOT") == null) {
      throw bad("invalidLevel", "ROOT always has a level; give it one of " + String.join(", ", LEVELS));
    }
    changes.forEach((name, level) -> {
      context.getLogger(name).setLevel(level);
      LOG.info("Log level of {} set to {}", name, level == null ? "inherited" : level);
    });
    return levels();
  }

  private static SwitchboardException bad(String id, String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, id, message);
  }

  private static LoggerContext requireLogback() {
    LoggerContext context = logback();
    if (context == null) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "noLogback", "Log levels can be changed only with Logback "
          + "as the logging binding (the distribution's); this server logs through "
          + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    return context;
  }

  private static LoggerContext logback() {
    try {
      return LoggerFactory.getILoggerFactory() instanceof LoggerContext context ? context : null;
    } catch (NoClassDefFoundError e) {
      return null; // Logback is not on the classpath at all
    }
  }
}
