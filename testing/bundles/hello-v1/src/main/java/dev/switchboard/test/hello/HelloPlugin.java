package dev.switchboard.test.hello;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Test plugin: answers on the bus and over REST with its bundle version, round-trips its own record type
 * through Vert.x's shared Jackson mapper, and deliberately leaks a consumer and a timer registered straight
 * on Vert.x, so that tests prove the platform cleans up after it. {@code POST /hello/:name} needs the scope
 * {@code greetings:write} and answers with who called.
 */
public class HelloPlugin implements Plugin {

  /** A type of this bundle's own that Jackson caches would pin if the platform did not flush them. */
  public record Greeting(String text, String version) {
  }

  @Override
  public Future<Void> start(PluginContext context) {
    boolean jackson = context.config().getBoolean("jackson", true);
    context.consumer("test.hello", message -> {
      if (!jackson) {
        message.reply(new JsonObject().put("text", "hello").put("version", context.version()));
        return;
      }
      JsonObject json = JsonObject.mapFrom(new Greeting("hello", context.version()));
      Greeting back = json.mapTo(Greeting.class);
      message.reply(JsonObject.mapFrom(back));
    });
    context.route(HttpMethod.GET, "/hello/:name", request -> Future.succeededFuture(ApiResponse.ok(
        new JsonObject().put("hello", request.pathParam("name")).put("version", context.version()))));
    // A route with a scope of its own that says who called: for the REST security tests.
    context.route(HttpMethod.POST, "/hello/:name", "greetings:write", request -> Future.succeededFuture(ApiResponse.ok(
        new JsonObject().put("greeted", request.pathParam("name")).put("caller", new JsonObject()
            .put("kind", request.caller().kind().name()).put("name", request.caller().name())
            .put("scopes", new io.vertx.core.json.JsonArray(List.copyOf(request.caller().scopes())))
            .put("authorizationSeen", request.headers().contains("Authorization"))))));
    context.publicRoute(HttpMethod.GET, "/hello-public/:name", request -> Future.succeededFuture(ApiResponse.of(200,
        "text/plain", io.vertx.core.buffer.Buffer.buffer("hello " + request.pathParam("name") + " from "
            + context.version()))));
    if (context.config().getBoolean("leak", true)) {
      // Forgotten on purpose: not obtained through the context and never released by the plugin.
      context.vertx().eventBus().consumer("test.hello.forgotten", message -> message.reply(context.version()));
      context.vertx().setPeriodic(60_000, id -> context.logger().log(System.Logger.Level.DEBUG, "tick"));
    }
    context.logger().log(System.Logger.Level.INFO, "hello plugin " + context.version() + " started");
    return Future.succeededFuture();
  }
}
