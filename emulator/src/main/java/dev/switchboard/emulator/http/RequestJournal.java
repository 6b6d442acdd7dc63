package dev.switchboard.emulator.http;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * What the bot sent: every request to the Graph and token endpoints, with the status it got.
 *
 * <p>Keeps the most recent entries, {@value #CAPACITY} unless told otherwise. Secrets ({@code client_secret}) and bearer
 * tokens are redacted. Not thread-safe: used on the emulator's event-loop context only.
 */
public final class RequestJournal {

  /** How many requests are kept by default. */
  public static final int CAPACITY = 20_000;

  private static final Pattern SECRET = Pattern.compile("(client_secret=)[^&]*");

  private final Deque<JsonObject> entries = new ArrayDeque<>();
  private final int capacity;
  private long sequence;

  /** A journal of the most recent {@value #CAPACITY} requests. */
  public RequestJournal() {
    this(CAPACITY);
  }

  /** A journal of the most recent {@code capacity} requests. */
  public RequestJournal(int capacity) {
    this.capacity = capacity;
  }

  /** Records the request when its response ends; then continues. */
  public Handler<RoutingContext> recorder() {
    return ctx -> {
      JsonObject entry = new JsonObject()
          .put("sequence", ++sequence)
          .put("time", Instant.now().toString())
          .put("requestId", GraphErrors.requestId(ctx))
          .put("method", ctx.request().method().name())
          .put("path", ctx.request().path())
          .put("query", ctx.request().query())
          .put("clientRequestId", ctx.request().getHeader("client-request-id"))
          .put("body", body(ctx));
      ctx.addEndHandler(v -> {
        entry.put("status", ctx.response().getStatusCode());
        add(entry);
      });
      ctx.next();
    };
  }

  /**
   * The recorded requests, oldest first, optionally filtered.
   *
   * @param method only this HTTP method, or {@code null} for all
   * @param pathContains only paths containing this text, or {@code null} for all
   * @param sinceSequence only entries with a larger {@code sequence}, or 0 for all
   */
  public JsonArray list(String method, String pathContains, long sinceSequence) {
    JsonArray out = new JsonArray();
    for (JsonObject e : entries) {
      if (method != null && !method.equalsIgnoreCase(e.getString("method"))) {
        continue;
      }
      if (pathContains != null && !e.getString("path").contains(pathContains)) {
        continue;
      }
      if (e.getLong("sequence") <= sinceSequence) {
        continue;
      }
      out.add(e.copy());
    }
    return out;
  }

  /** Forgets everything. */
  public void clear() {
    entries.clear();
  }

  private void add(JsonObject entry) {
    entries.addLast(entry);
    while (entries.size() > capacity) {
      entries.removeFirst();
    }
  }

  private static Object body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().isEmpty()) {
      return null;
    }
    String text = ctx.body().asString();
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
      return SECRET.matcher(text).replaceAll("$1<redacted>");
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text.length() > 2000 ? text.substring(0, 2000) : text;
    }
  }
}
