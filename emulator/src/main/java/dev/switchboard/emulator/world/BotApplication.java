package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The one application (the bot) registered in the emulated tenant.
 *
 * @param tenantId the tenant the application and every call belong to
 * @param clientId the application (client) id; audience of the notification JWTs
 * @param clientSecret the secret the token endpoint accepts for {@code clientId}
 * @param displayName how the bot appears in call resources and rosters
 * @param applicationInstanceId the object id of the bot's application instance (used for PSTN calls)
 * @param phoneNumber the E.164 number assigned to the application instance
 */
public record BotApplication(
    String tenantId,
    String clientId,
    String clientSecret,
    String displayName,
    String applicationInstanceId,
    String phoneNumber) {

  public BotApplication {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(applicationInstanceId, "applicationInstanceId");
    Objects.requireNonNull(phoneNumber, "phoneNumber");
  }

  /** The bot as an {@code identitySet} with an {@code application} identity. */
  public JsonObject applicationIdentitySet() {
    return identitySet("application", clientId);
  }

  /** The bot as an {@code identitySet} with an {@code applicationInstance} identity (PSTN). */
  public JsonObject applicationInstanceIdentitySet() {
    return identitySet("applicationInstance", applicationInstanceId);
  }

  private JsonObject identitySet(String kind, String id) {
    return new JsonObject()
        .put("@odata.type", "#microsoft.graph.identitySet")
        .put(kind, new JsonObject()
            .put("@odata.type", "#microsoft.graph.identity")
            .put("displayName", displayName)
            .put("id", id)
            .put("tenantId", tenantId));
  }
}
