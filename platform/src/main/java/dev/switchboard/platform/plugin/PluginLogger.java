package dev.switchboard.platform.plugin;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A plugin's {@link System.Logger}: writes through SLF4J under {@code plugin.<name>}, with the plugin's
 * name and version in the MDC key {@value #MDC_KEY}.
 */
final class PluginLogger implements System.Logger {

  static final String MDC_KEY = "plugin";

  private final Logger delegate;
  private final String tag;
  private final PluginHealth health;

  PluginLogger(String name, String version, PluginHealth health) {
    this.delegate = LoggerFactory.getLogger("plugin." + name);
    this.tag = name + "@" + version;
    this.health = health;
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    switch (level) {
      case ALL:
      case TRACE:
        return delegate.isTraceEnabled();
      case DEBUG:
        return delegate.isDebugEnabled();
      case INFO:
        return delegate.isInfoEnabled();
      case WARNING:
        return delegate.isWarnEnabled();
      case ERROR:
        return delegate.isErrorEnabled();
      default:
        return false;
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    write(level, msg, thrown);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    write(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params), null);
  }

  @Override
  public void log(Level level, Supplier<String> msgSupplier) {
    if (isLoggable(level)) {
      write(level, msgSupplier.get(), null);
    }
  }

  private void write(Level level, String msg, Throwable thrown) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, tag);
    try {
      switch (level) {
        case ALL:
        case TRACE:
          delegate.trace(msg, thrown);
          break;
        case DEBUG:
          delegate.debug(msg, thrown);
          break;
        case INFO:
          delegate.info(msg, thrown);
          break;
        case WARNING:
          delegate.warn(msg, thrown);
          break;
        case ERROR:
          delegate.error(msg, thrown);
          break;
        default:
          break;
      }
    } finally {
      restore(previous);
    }
  }

  /**
   * Runs {@code action} with this plugin in the MDC, timed and counted in its {@link PluginHealth}: every handler
   * the plugin registers through its context runs through here.
   */
  void withMdc(Runnable action) {
    withMdc(() -> {
      action.run();
      return null;
    });
  }

  /** Computes {@code action} as {@link #withMdc(Runnable)} runs one. */
  <T> T withMdc(java.util.function.Supplier<T> action) {
    String previous = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, tag);
    health.enter();
    try {
      return action.get();
    } finally {
      health.exit();
      restore(previous);
    }
  }

  private static void restore(String previous) {
    if (previous == null) {
      MDC.remove(MDC_KEY);
    } else {
      MDC.put(MDC_KEY, previous);
    }
  }
}
