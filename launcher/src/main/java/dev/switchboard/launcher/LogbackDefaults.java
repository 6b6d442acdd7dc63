package dev.switchboard.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The distribution's logging: text lines on standard output, the platform's at {@code INFO} (or the
 * {@code switchboard.log.level} system property), the libraries' at {@code WARN}. Set up in code, found by Logback as a
 * service, because parsing an XML configuration took 40-75 ms of a start-up of ~0.75 s (bench/README.md, "Start-up").
 * A {@code logback.configurationFile} system property, or a {@code logback.xml} or {@code logback-test.xml} on the
 * class path, still wins: this configurator then leaves the work to Logback's own.
 * {@code logging.format: json} and the log levels set at run time act on what this sets up, as on any configuration.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24}%replace( [%X{plugin}]){' \\[\\]', ''} - %msg%n";

  /**
   * Libraries' loggers and their levels. Vert.x's Micrometer binding registers its event-bus handler gauge again for
   * each address (one series, no address label); Micrometer warns once about that. Its errors still show.
   */
  private static final Map<String, Level> LEVELS = Map.of("io.netty", Level.WARN, "io.vertx", Level.WARN,
      "com.hazelcast", Level.WARN, "com.microsoft.aad.msal4j", Level.WARN,
      "io.micrometer.core.instrument.MeterRegistry", Level.ERROR);

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogbackDefaults.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(System.getProperty("switchboard.log.level"), Level.INFO));
    root.addAppender(console);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
