package dev.switchboard.api.calls;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Someone or something a call can reach: a Teams user, a phone number, an application or an application instance.
 *
 * @param kind what {@code id} names
 * @param id the user's object id, the E.164 phone number ({@code +14255550101}), the app id or the instance id
 * @param displayName the name shown, or {@code null}
 * @param tenantId the identity's tenant when it is not the bot's, or {@code null}
 */
public record Identity(IdentityKind kind, String id, String displayName, String tenantId) {

  public Identity {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  /**
   * The identity a Graph {@code identitySet} names (the first of {@code user}, {@code phone}, {@code application},
   * {@code applicationInstance} it holds), or {@code null} when it names none of them, e.g.
   * {@code {"user": {"id": "8A34…", "displayName": "Test User"}}}. Graph's identity sets in call sources and
   * participants have this shape; use it to tell who is calling: {@code Identity.fromGraph(call.source()...)} is
   * done for you by {@link CallView#caller()} and {@link ParticipantView#identity()}.
   */
  public static Identity fromGraph(JsonObject identitySet) {
    if (identitySet == null) {
      return null;
    }
    for (IdentityKind kind : IdentityKind.values()) {
      if (identitySet.getValue(kind.wireName()) instanceof JsonObject who && who.getValue("id") instanceof String id) {
        return new Identity(kind, id, who.getValue("displayName") instanceof String n ? n : null,
            who.getValue("tenantId") instanceof String t ? t : null);
      }
    }
    return null;
  }
}
