package dev.switchboard.platform.http;

import dev.switchboard.api.ApiRequest;
import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.Registration;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The REST routes plugins serve under {@code /api/v1}. Thread-safe; lookups do not lock.
 *
 * <p>When several routes match a path, the one with more literal segments wins ({@code /calls/active}
 * over {@code /calls/:id}); between equal routes of the same owner (two versions of one plugin) the one
 * registered last wins. The same route registered by two owners is a conflict.
 */
public final class RouteTable {

  private static final Pattern PARAM = Pattern.compile(":[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=@-]+");

  /** Runs a routed request, normally on the owning plugin's context. */
  @FunctionalInterface
  public interface Target {
    Future<ApiResponse> dispatch(ApiRequest request);
  }

  /**
   * The outcome of a lookup. Exactly one of {@code target} or {@code allowed} is meaningful; {@code scope} is the
   * scope a caller needs ({@code null} for routes that need no credential).
   */
  public record Match(Target target, String owner, String scope, Map<String, String> params, Set<String> allowed) {

    public boolean found() {
      return target != null;
    }
  }

  private record Entry(String owner, HttpMethod method, String[] segments, String shape, String scope, long seq,
      Target target) {
  }

  /** A route as listed by {@link #list()}: {@code path} with {@code :name} segments, below the table's prefix. */
  public record Route(String owner, HttpMethod method, String path, String scope) {
  }

  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final AtomicLong sequence = new AtomicLong();

  /**
   * Adds a route.
   *
   * @param owner the plugin name; routes of one owner may shadow each other, others conflict
   * @param scope the scope a caller needs, or {@code null} when the route needs no credential
   * @throws IllegalArgumentException when {@code path} is malformed
   * @throws SwitchboardException {@link ErrorCode#CONFLICT} when another owner serves the same route
   */
  public Registration add(String owner, HttpMethod method, String path, String scope, Target target) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    String[] segments = parse(path);
    String shape = method.name() + " " + shapeOf(segments);
    synchronized (entries) {
      for (Entry e : entries) {
        if (e.shape.equals(shape) && !e.owner.equals(owner)) {
          throw new SwitchboardException(ErrorCode.CONFLICT, "routeConflict", "Route " + method.name() + " /api/v1"
              + path + " is already served by plugin '" + e.owner + "'; rename one of them");
        }
      }
      Entry entry = new Entry(owner, method, segments, shape, scope, sequence.incrementAndGet(), target);
      entries.add(entry);
      return () -> entries.remove(entry);
    }
  }

  /** Finds the route for {@code method path}; {@code path} is below {@code /api/v1}, not decoded. */
  public Match find(HttpMethod method, String path) {
    String[] actual = split(path);
    Entry best = null;
    Map<String, String> bestParams = null;
    Set<String> allowed = new TreeSet<>();
    for (Entry e : entries) {
      Map<String, String> params = match(e.segments, actual);
      if (params == null) {
        continue;
      }
      if (!e.method.equals(method)) {
        allowed.add(e.method.name());
        continue;
      }
      if (best == null || better(e, best)) {
        best = e;
        bestParams = params;
      }
    }
    return best == null ? new Match(null, null, null, Map.of(), Collections.unmodifiableSet(allowed))
        : new Match(best.target, best.owner, best.scope, bestParams, Set.of());
  }

  /** How many routes are registered. */
  public int size() {
    return entries.size();
  }

  /** Every registered route, in registration order; a snapshot. */
  public List<Route> list() {
    List<Route> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(new Route(e.owner, e.method, "/" + String.join("/", e.segments), e.scope));
    }
    return out;
  }

  /** The scope of a route registered without one: {@code <owner>:read} for GET and HEAD, else {@code <owner>:write}. */
  public static String defaultScope(String owner, HttpMethod method) {
    return owner + (method == HttpMethod.GET || method == HttpMethod.HEAD ? ":read" : ":write");
  }

  /**
   * Checks a scope a plugin names for a route.
   *
   * @throws IllegalArgumentException when it is blank or holds whitespace (scopes travel space-separated in tokens)
   */
  public static String checkScope(String scope) {
    if (scope == null || scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("A route's scope must be a word without spaces, like calls:write; got '"
          + scope + "'");
    }
    return scope;
  }

  private static boolean better(Entry candidate, Entry current) {
    int literals = literals(candidate) - literals(current);
    return literals > 0 || (literals == 0 && candidate.seq > current.seq);
  }

  private static int literals(Entry e) {
    int n = 0;
    for (String s : e.segments) {
      if (!s.startsWith(":")) {
        n++;
      }
    }
    return n;
  }

  private static Map<String, String> match(String[] pattern, String[] actual) {
    if (pattern.length != actual.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      if (pattern[i].startsWith(":")) {
        params.put(pattern[i].substring(1), URLDecoder.decode(actual[i], StandardCharsets.UTF_8));
      } else if (!pattern[i].equals(actual[i])) {
        return null;
      }
    }
    return params;
  }

  private static String[] parse(String path) {
    if (path == null || !path.startsWith("/") || path.contains("//") || path.contains("?")) {
      throw new IllegalArgumentException("Route path must start with '/' and hold non-empty segments: " + path);
    }
    String[] segments = split(path);
    for (String s : segments) {
      if (!(PARAM.matcher(s).matches() || LITERAL.matcher(s).matches())) {
        throw new IllegalArgumentException("Route path segment '" + s + "' of " + path
            + " is neither a literal nor a :name parameter");
      }
    }
    return segments;
  }

  private static String[] split(String path) {
    List<String> parts = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        parts.add(s);
      }
    }
    return parts.toArray(new String[0]);
  }

  private static String shapeOf(String[] segments) {
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      b.append('/').append(s.startsWith(":") ? ":" : s);
    }
    return b.toString();
  }
}
