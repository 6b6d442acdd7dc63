package dev.switchboard.testkit;

import io.vertx.core.json.JsonObject;

/** A Teams user of the emulator's directory, from the side of the user's own Teams client. */
public final class User {

  private final SwitchboardKit kit;
  private final String id;

  User(SwitchboardKit kit, String id) {
    this.kit = kit;
    this.id = id;
  }

  public String id() {
    return id;
  }

  /**
   * The user's Teams client reports {@code availability} and {@code activity} (Graph's values: {@code Available},
   * {@code Busy} / {@code InACall}, ...); presence subscriptions are notified when what the user shows changes.
   * The user as the emulator now has them.
   */
  public JsonObject setPresence(String availability, String activity) {
    return kit.control("POST /emulator/users/" + id + "/presence", c -> c.post("/emulator/users/" + id + "/presence",
        new JsonObject().put("availability", availability).put("activity", activity)), () -> "");
  }

  /** The user as the emulator's directory has them ({@code GET /emulator/users/{id}}). */
  public JsonObject view() {
    return kit.control("GET /emulator/users/" + id, c -> c.get("/emulator/users/" + id), () -> "");
  }
}
