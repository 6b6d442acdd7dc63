package dev.switchboard.platform.logging;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

/**
 * The server log at run time: {@code logging.format json} applied to the console appenders, and logger levels read
 * and changed ({@code GET}/{@code PUT /admin/logging}). Both need Logback as the logging binding (the distribution's);
 * with another binding, or none (a third party's tests through the test kit), the format stays the binding's and the
 * levels answer 503. Logback's classes are touched only when it is present ({@link LogbackControl}). Level changes
 * last until the server stops; the configuration file is not written.
 */
public final class LogControl {

  private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogControl.class);
  private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

  private LogControl() {
  }

  /** Writes the console appenders' records as JSON lines when {@code json}; does nothing for text. */
  public static void applyFormat(boolean json) {
    if (!json) {
      return;
    }
    if (!logbackBound()) {
      LOG.warn("logging.format json needs Logback as the logging binding; records stay as the binding writes them");
      return;
    }
    LogbackControl.applyFormat(true);
  }

  /** The loggers with a level set ({@code ROOT} included), by name: {@code {"levels": {...}}}. */
  public static JsonObject levels() {
    requireLogback();
    return LogbackControl.levels();
  }

  /**
   * Sets the levels of {@code {"levels": {"<logger>": "<LEVEL>"|null}}} (null: inherit) after checking every name and
   * level; the loggers' levels afterwards. A 400 changes nothing.
   */
  public static JsonObject setLevels(JsonObject body) {
    requireLogback();
    return LogbackControl.setLevels(body);
  }

  private static void requireLogback() {
    if (!logbackBound()) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "noLogback", "Log levels can be changed only with Logback "
          + "as the logging binding (the distribution's); this server logs through "
          + LoggerFactory.getILoggerFactory().getClass().getName());
    }
  }

  private static boolean logbackBound() {
    return LOGBACK_CONTEXT.equals(LoggerFactory.getILoggerFactory().getClass().getName());
  }
}
