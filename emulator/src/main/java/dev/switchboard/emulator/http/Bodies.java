package dev.switchboard.emulator.http;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads request bodies at the boundary, turning bad input into a 400 with Graph's error JSON. */
public final class Bodies {

  private Bodies() {
  }

  /**
   * The body as a JSON object; an empty body is an empty object.
   *
   * @throws GraphException 400 when the body is not a JSON object
   */
  public static JsonObject object(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().isEmpty() || ctx.body().asString().isBlank()) {
      return new JsonObject();
    }
    String text = ctx.body().asString();
    Object value;
    try {
      value = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      throw GraphException.badRequest("Unable to read JSON request payload: " + firstLine(e.getMessage())
          + ". Send a valid JSON object with Content-Type: application/json.");
    }
    if (!(value instanceof JsonObject o)) {
      throw GraphException.badRequest("The request body must be a JSON object, got: " + abbreviate(text));
    }
    return o;
  }

  /**
   * A string property.
   *
   * @throws GraphException 400 when present but not a string, or absent and {@code required}
   */
  public static String string(JsonObject body, String name, boolean required) {
    Object v = body.getValue(name);
    if (v == null) {
      if (required) {
        throw GraphException.badRequest("The request body misses the required property '" + name + "'.");
      }
      return null;
    }
    if (!(v instanceof String s)) {
      throw GraphException.badRequest("Property '" + name + "' must be a string.");
    }
    return s;
  }

  /**
   * A JSON-object property.
   *
   * @throws GraphException 400 when present but not an object, or absent and {@code required}
   */
  public static JsonObject object(JsonObject body, String name, boolean required) {
    Object v = body.getValue(name);
    if (v == null) {
      if (required) {
        throw GraphException.badRequest("The request body misses the required property '" + name + "'.");
      }
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw GraphException.badRequest("Property '" + name + "' must be an object.");
    }
    return o;
  }

  /**
   * An integer property within {@code [min, max]}, or {@code def} when absent.
   *
   * @throws GraphException 400 when not an integer or out of range
   */
  public static int integer(JsonObject body, String name, int def, int min, int max) {
    Object v = body.getValue(name);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw GraphException.badRequest("Property '" + name + "' must be an integer.");
    }
    long l = n.longValue();
    if (l < min || l > max) {
      throw GraphException.badRequest("Property '" + name + "' must be between " + min + " and " + max + ", got " + l + ".");
    }
    return (int) l;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "malformed JSON";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "...";
  }
}
