package dev.switchboard.records;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The plugin's configuration, {@code plugins.records.*}.
 *
 * @param databaseUrl {@code database.url}: a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL; default an embedded H2
 *     database in {@code <data.dir>/records/}
 * @param databaseUser {@code database.user}, or {@code null}
 * @param databasePassword {@code database.password}, or {@code null} (set it with
 *     {@code SWITCHBOARD_PLUGINS_RECORDS_DATABASE_PASSWORD})
 * @param poolSize {@code database.poolSize}: connections, and threads that run SQL (default 4)
 * @param fetchConcurrency {@code fetchConcurrency}: records fetched from Graph at once (default 8)
 * @param retryInitial {@code retry.initial}: the first wait after a failed fetch or insert (default 1s), doubled
 *     after every further failure
 * @param retryMax {@code retry.max}: the longest wait between two attempts (default 5m)
 */
record RecordsSettings(String databaseUrl, String databaseUser, String databasePassword, int poolSize,
    int fetchConcurrency, Duration retryInitial, Duration retryMax) {

  /**
   * Reads nested keys ({@code database.url}, as written in {@code switchboard.yaml}) or their flat form
   * ({@code databaseUrl}, which is what {@code SWITCHBOARD_PLUGINS_RECORDS_DATABASE_URL} sets).
   */
  static RecordsSettings from(JsonObject config, Path dataDir) {
    JsonObject database = section(config, "database");
    JsonObject retry = section(config, "retry");
    String url = database.getValue("url") == null ? null : database.getValue("url").toString();
    if (url == null || url.isBlank()) {
      url = "jdbc:h2:file:" + dataDir.resolve("records").resolve("records").toAbsolutePath()
          + ";AUTO_SERVER=TRUE";
    } else if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
      throw bad("plugins.records.database.url must be a jdbc:postgresql: or jdbc:h2: URL; got '" + url + "'");
    }
    return new RecordsSettings(url, text(database, "user"), text(database, "password"),
        positive(database, "database.poolSize", 4), positive(config, "fetchConcurrency", 8),
        duration(retry, "initial", Duration.ofSeconds(1)), duration(retry, "max", Duration.ofMinutes(5)));
  }

  /** {@code config.<name>} merged with the flat keys {@code <name><Key>} (flat ones win: the environment's). */
  private static JsonObject section(JsonObject config, String name) {
    JsonObject section = config.getValue(name) instanceof JsonObject nested ? nested.copy() : new JsonObject();
    for (String key : config.fieldNames()) {
      if (key.startsWith(name) && key.length() > name.length() && Character.isUpperCase(key.charAt(name.length()))) {
        String inner = Character.toLowerCase(key.charAt(name.length())) + key.substring(name.length() + 1);
        section.put(inner, config.getValue(key));
      }
    }
    return section;
  }

  private static String text(JsonObject json, String key) {
    return json.getValue(key) == null ? null : json.getValue(key).toString();
  }

  boolean postgres() {
    return databaseUrl.startsWith("jdbc:postgresql:");
  }

  private static int positive(JsonObject json, String name, int fallback) {
    String key = name.substring(name.lastIndexOf('.') + 1);
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.toString());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("plugins.records." + name + " must be a positive whole number; got '" + value + "'");
  }

  /** {@code 500ms}, {@code 2s}, {@code 5m}, or ISO-8601 ({@code PT2S}). */
  private static Duration duration(JsonObject json, String key, Duration fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    String text = value.toString().trim();
    try {
      if (text.startsWith("P") || text.startsWith("p")) {
        return Duration.parse(text);
      }
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      return switch (text.charAt(text.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException(text);
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw bad("plugins.records.retry." + key + " must be a duration such as 500ms, 2s or 5m; got '" + text + "'");
    }
  }

  private static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration", message);
  }
}
