package dev.switchboard.platform.plugin;

import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A plugin's {@link System.Logger}: writes through SLF4J under {@code plugin.<name>}, with the plugin's
 * name and version in the MDC key {@value #MDC_KEY}.
 *
 * <p>A keyed handler runs on a Vert.x duplicate of the plugin's context that carries its routing key (and, on the
 * calls address, the call id). Everything the handler starts from there continues on that duplicate (a Future's
 * callbacks, a Graph or event-bus answer, a timer set, a state write completing), so a line logged through this
 * logger after the handler returned still carries the key: {@link #write} puts it into the MDC from the current
 * context when the MDC has none.
 */
final class PluginLogger implements System.Logger {

  static final String MDC_KEY = "plugin";
  /** The MDC key of the routing key a keyed handler runs for. */
  static final String KEY_MDC_KEY = "key";
  /** The MDC key of the call a handler of the calls address runs for. */
  static final String CALL_MDC_KEY = "callId";

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
    KeyTag carried = MDC.get(KEY_MDC_KEY) == null ? KeyTag.current() : null;
    if (carried != null) {
      carried.put();
    }
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
      if (carried != null) {
        carried.remove();
      }
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

  /**
   * Computes {@code action} with this plugin and the routing key in the MDC ({@value #KEY_MDC_KEY}; for the calls
   * address also {@value #CALL_MDC_KEY}, which the JSON log format writes as the call id), on a duplicate of
   * {@code ctx} (the plugin's context, which the caller is on) that keeps the key for whatever continues from it.
   */
  <T> T withKey(Context ctx, String address, String key, java.util.function.Supplier<T> action) {
    KeyTag tag = new KeyTag(key, dev.switchboard.api.CallNotifications.ADDRESS.equals(address) ? key : null);
    ContextInternal keyed = ((ContextInternal) ctx).duplicate();
    keyed.localContextData().put(KeyTag.class, tag);
    ContextInternal previousContext = keyed.beginDispatch();
    String previousKey = MDC.get(KEY_MDC_KEY);
    String previousCall = MDC.get(CALL_MDC_KEY);
    tag.put();
    try {
      return withMdc(action);
    } finally {
      put(KEY_MDC_KEY, previousKey);
      put(CALL_MDC_KEY, previousCall);
      keyed.endDispatch(previousContext);
    }
  }

  /** The routing key (and call id, on the calls address) a duplicated context was made for. */
  private record KeyTag(String key, String callId) {

    /** The key the current Vert.x context carries, or {@code null}. */
    static KeyTag current() {
      ContextInternal current = ContextInternal.current();
      if (current == null || !current.isDuplicate()) {
        return null;
      }
      return current.localContextData().get(KeyTag.class) instanceof KeyTag tag ? tag : null;
    }

    void put() {
      MDC.put(KEY_MDC_KEY, key);
      if (callId != null) {
        MDC.put(CALL_MDC_KEY, callId);
      }
    }

    void remove() {
      MDC.remove(KEY_MDC_KEY);
      if (callId != null) {
        MDC.remove(CALL_MDC_KEY);
      }
    }
  }

  private static void put(String mdcKey, String value) {
    if (value == null) {
      MDC.remove(mdcKey);
    } else {
      MDC.put(mdcKey, value);
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
