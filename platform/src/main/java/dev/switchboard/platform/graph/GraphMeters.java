package dev.switchboard.platform.graph;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Graph requests on {@code /metrics}: {@code switchboard_graph_requests_total{method,resource,status,retry}} for each
 * attempt's answer ({@code status} {@code 0} when none came; {@code retry} {@code true} for the second attempt on) and
 * {@code switchboard_graph_throttled_seconds_total{status}}, the time requests waited before a retry Graph asked for
 * (429, 503, 504). {@code resource} is the path with ids replaced by {@code {id}}
 * ({@code communications/calls/{id}/answer}), so the series stay few.
 */
final class GraphMeters {

  private static final Pattern ID = Pattern.compile(".*[0-9=%:@].*|.{25,}");
  private static final Pattern ORIGIN = Pattern.compile("^[a-z]+://[^/]+");

  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> throttled = new ConcurrentHashMap<>();

  GraphMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void answered(HttpMethod method, String url, int status, int attempt) {
    String resource = resource(url);
    boolean retry = attempt > 1;
    requests.computeIfAbsent(method + " " + resource + " " + status + " " + retry, k -> Counter
        .builder("switchboard.graph.requests")
        .description("Graph request attempts by method, resource (ids replaced), answer status (0: none) and retry")
        .tag("method", method.name()).tag("resource", resource).tag("status", Integer.toString(status))
        .tag("retry", Boolean.toString(retry)).register(registry)).increment();
  }

  void waited(int status, Duration delay) {
    throttled.computeIfAbsent(status, s -> Counter.builder("switchboard.graph.throttled.seconds")
        .description("Time Graph requests waited before a retry Graph asked for, by the status that asked")
        .tag("status", Integer.toString(s)).register(registry)).increment(delay.toNanos() / 1e9);
  }

  /** The path of {@code url} after its version segment, ids replaced by {@code {id}}, without the query. */
  static String resource(String url) {
    String path = ORIGIN.matcher(url).replaceFirst("");
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    StringBuilder out = new StringBuilder();
    String[] segments = path.split("/");
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty() || (out.isEmpty() && (segment.equals("v1.0") || segment.equals("beta")))) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(ID.matcher(segment).matches() ? "{id}" : segment);
    }
    return out.toString();
  }
}
