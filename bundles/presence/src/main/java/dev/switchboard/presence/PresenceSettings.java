package dev.switchboard.presence;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * {@code plugins.presence.*}: {@code watch}, the users watched by configuration (a YAML list, or a comma-separated
 * string from the environment), and {@code sessionId}, the {@code setPresence} session id when it must differ from the
 * application's client id ({@code graph.clientId}, the default).
 */
record PresenceSettings(List<String> watch, String sessionId) {

  static PresenceSettings of(JsonObject config) {
    return new PresenceSettings(watch(config.getValue("watch")), sessionId(config.getValue("sessionId")));
  }

  private static List<String> watch(Object value) {
    List<Object> items = new ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(items::add);
    } else if (value instanceof String text) {
      for (String part : text.split(",")) {
        items.add(part.strip());
      }
    } else if (value != null) {
      throw bad("plugins.presence.watch: expected a list of user ids, got " + value);
    }
    LinkedHashSet<String> ids = new LinkedHashSet<>();
    for (Object item : items) {
      if (!(item instanceof String id)) {
        throw bad("plugins.presence.watch: expected user ids (strings), got " + item);
      }
      if (!id.isBlank()) {
        ids.add(id);
      }
    }
    return List.copyOf(ids);
  }

  private static String sessionId(Object value) {
    if (value != null && !(value instanceof String)) {
      throw bad("plugins.presence.sessionId: expected the application (client) id, got " + value);
    }
    return (String) value;
  }

  private static SwitchboardException bad(String message) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration", message);
  }
}
