package dev.switchboard.ivr;

import dev.switchboard.platform.TestServer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the calling and media watchdogs found, read from the server's {@code /metrics}. */
final class Watchdogs {

  private Watchdogs() {
  }

  /**
   * The counts of {@code switchboard_<meter>_total} by its {@code found} tag (summed over plugin versions).
   *
   * @param meter {@code calls_watchdog} or {@code media_watchdog}
   */
  static Map<String, Double> found(TestServer t, String meter) throws Exception {
    String text = t.http(HttpMethod.GET, "/metrics").bodyAsString();
    Pattern line = Pattern.compile("switchboard_" + meter + "_total\\{[^}]*found=\"(\\w+)\"[^}]*} ([0-9.E+-]+)");
    Map<String, Double> found = new TreeMap<>();
    Matcher m = line.matcher(text);
    while (m.find()) {
      found.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
    }
    return found;
  }
}
