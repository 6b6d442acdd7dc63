package dev.switchboard.emulator.control;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.permissions.GrantedRoles;
import dev.switchboard.emulator.permissions.GraphPermission;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code /emulator/roles}: the application permissions granted to the bot, as an administrator
 * grants and revokes them in Entra ID. A change applies to tokens issued afterwards.
 *
 * <ul>
 *   <li>{@code GET /emulator/roles}</li>
 *   <li>{@code PUT /emulator/roles} {@code {"roles": [...]}}: grants exactly these</li>
 *   <li>{@code POST /emulator/roles/grant}, {@code POST /emulator/roles/revoke} {@code {"roles": [...]}}</li>
 * </ul>
 * Each answers 200 with {@code {"roles": [granted], "configured": [granted at start and after a
 * reset], "available": [every permission the emulator knows]}}; an unknown name is a 400 that lists
 * the valid ones.
 */
final class RolesControl {

  private final GrantedRoles roles;

  RolesControl(GrantedRoles roles) {
    this.roles = roles;
  }

  void mount(Router router) {
    router.get("/emulator/roles").handler(this::describe);
    router.put("/emulator/roles").handler(ctx -> change(ctx, roles::replace));
    router.post("/emulator/roles/grant").handler(ctx -> change(ctx, roles::grant));
    router.post("/emulator/roles/revoke").handler(ctx -> change(ctx, roles::revoke));
  }

  private void change(RoutingContext ctx, Consumer<Set<GraphPermission>> change) {
    change.accept(permissions(Bodies.object(ctx)));
    describe(ctx);
  }

  private void describe(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("roles", names(roles.granted()))
        .put("configured", names(roles.configured()))
        .put("available", names(GraphPermission.all()))
        .encode());
  }

  private static Set<GraphPermission> permissions(JsonObject body) {
    if (!(body.getValue("roles") instanceof JsonArray array)) {
      throw GraphException.badRequest("The body must be {\"roles\": [\"Calls.Initiate.All\", ...]}: an array of"
          + " application permission names. Valid permissions: " + GraphPermission.names(GraphPermission.all()) + ".");
    }
    List<String> names = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String name)) {
        throw GraphException.badRequest("'roles' must hold permission names (strings), got " + o + ".");
      }
      names.add(name);
    }
    try {
      return GraphPermission.named(names);
    } catch (IllegalArgumentException e) {
      throw GraphException.badRequest(e.getMessage());
    }
  }

  private static JsonArray names(Set<GraphPermission> permissions) {
    JsonArray out = new JsonArray();
    permissions.stream().sorted().forEach(p -> out.add(p.scope()));
    return out;
  }
}
