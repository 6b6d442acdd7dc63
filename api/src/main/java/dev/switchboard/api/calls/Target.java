package dev.switchboard.api.calls;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whom a call, a redirect, a transfer or an invitation reaches. On the wire a target is
 * {@code {"user": "<id>"}}, {@code {"phone": "+14255550101"}}, {@code {"application": "<app id>"}} or
 * {@code {"applicationInstance": "<id>"}}, with optional {@code displayName}, {@code tenantId} and
 * {@code replacesCallId}; {@link #fromJson} also reads a Graph {@code invitationParticipantInfo} (an object with an
 * {@code identity} identity set).
 *
 * @param identity who is reached
 * @param replacesCallId the call the target is in now and leaves when it joins (consultative transfer, moving someone
 *     between calls), or {@code null}
 */
public record Target(Identity identity, String replacesCallId) {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  /**
   * @throws SwitchboardException 422 {@code invalidTarget} for a blank id or a phone number not in E.164 form
   */
  public Target {
    Objects.requireNonNull(identity, "identity");
    if (identity.id().isBlank()) {
      throw invalid("the " + identity.kind().wireName() + " of a target needs an id (a string)");
    }
    if (identity.kind() == IdentityKind.PHONE && !E164.matcher(identity.id()).matches()) {
      throw invalid("'" + identity.id() + "' is not a phone number in E.164 form (+ and 7 to 15 digits, e.g."
          + " +14255550101)");
    }
  }

  /** A Teams user, by object id. */
  public static Target user(String id) {
    return of(IdentityKind.USER, id);
  }

  /** A phone number in E.164 form, e.g. {@code +14255550101} (needs {@code plugins.calling.applicationInstanceId}). */
  public static Target phone(String number) {
    return of(IdentityKind.PHONE, number);
  }

  /** An application (bot), by app id. */
  public static Target application(String id) {
    return of(IdentityKind.APPLICATION, id);
  }

  /** An application instance (a bot with a phone number), by object id. */
  public static Target applicationInstance(String id) {
    return of(IdentityKind.APPLICATION_INSTANCE, id);
  }

  private static Target of(IdentityKind kind, String id) {
    return new Target(new Identity(kind, Objects.requireNonNull(id, "id"), null, null), null);
  }

  /** This target, leaving the call {@code callId} when it joins. */
  public Target replacing(String callId) {
    return new Target(identity, callId);
  }

  /** This target with a display name. */
  public Target named(String displayName) {
    return new Target(new Identity(identity.kind(), identity.id(), displayName, identity.tenantId()), replacesCallId);
  }

  /** The short wire form, e.g. {@code {"user": "<id>", "replacesCallId": "<call id>"}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(identity.kind().wireName(), identity.id());
    Wire.putIf(json, "displayName", identity.displayName());
    Wire.putIf(json, "tenantId", identity.tenantId());
    return Wire.putIf(json, "replacesCallId", replacesCallId);
  }

  /**
   * Reads a target in the short form or as a Graph {@code invitationParticipantInfo}.
   *
   * @throws SwitchboardException 422 {@code invalidTarget} when the object names no one, or several, callable
   */
  public static Target fromJson(JsonObject json) {
    Wire target = Wire.read(json, "a target");
    String replaces = target.string("replacesCallId");
    if (replaces != null && replaces.isBlank()) {
      throw Wire.bad("'replacesCallId' must be a call id");
    }
    if (target.has("identity")) {
      JsonObject set = target.object("identity");
      Identity identity = Identity.fromGraph(set);
      if (identity == null) {
        throw invalid("identity " + set.encode() + " names no user, phone, application or applicationInstance"
            + " with an id");
      }
      return new Target(identity, replaces);
    }
    List<IdentityKind> kinds = java.util.Arrays.stream(IdentityKind.values())
        .filter(k -> json.containsKey(k.wireName())).toList();
    if (kinds.size() != 1) {
      throw invalid("a target names exactly one of user, phone, application or applicationInstance; got "
          + json.encode());
    }
    IdentityKind kind = kinds.get(0);
    if (!(json.getValue(kind.wireName()) instanceof String id)) {
      throw invalid("the " + kind.wireName() + " of a target needs an id (a string); got "
          + json.getValue(kind.wireName()));
    }
    return new Target(new Identity(kind, id, target.string("displayName"), target.string("tenantId")), replaces);
  }

  private static SwitchboardException invalid(String message) {
    return new SwitchboardException(ErrorCode.UNPROCESSABLE, "invalidTarget", "Invalid target: " + message);
  }
}
