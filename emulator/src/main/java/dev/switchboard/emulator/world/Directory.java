package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The emulated tenant's people: directory users and phone numbers, each with a {@link Behavior}.
 *
 * <p>Starts with a few {@linkplain #SEEDED seeded users} so that a call can be placed without any
 * set-up. A party the directory does not know (an unregistered user id or phone number) behaves
 * as {@link Behavior#DEFAULT}.
 *
 * <p>Not thread-safe: used only on the emulator's event-loop context.
 */
public final class Directory {

  /** E.164: a plus sign and 2 to 15 digits. */
  public static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

  /** The users present after start and after every reset. */
  public static final List<DirectoryUser> SEEDED = List.of(
      new DirectoryUser("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01", "Adele Vance", "+14255550101", Behavior.DEFAULT, null),
      new DirectoryUser("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02", "Alex Wilber", "+14255550102", Behavior.DEFAULT, null),
      new DirectoryUser("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03", "Megan Bowen", "+14255550103", Behavior.DEFAULT, null));

  private static final Set<String> FIELDS = Set.of("id", "displayName", "phone", "behavior", "behaviour", "presence");
  /** graph-reference §6. */
  private static final List<String> AVAILABILITY = List.of("Available", "AvailableIdle", "Away", "BeRightBack", "Busy",
      "BusyIdle", "DoNotDisturb", "Offline", "PresenceUnknown");
  /** graph-reference §6. */
  private static final List<String> ACTIVITY = List.of("Available", "Away", "BeRightBack", "Busy", "DoNotDisturb",
      "InACall", "InAConferenceCall", "Inactive", "InAMeeting", "Offline", "OffWork", "OutOfOffice", "PresenceUnknown",
      "Presenting", "UrgentInterruptionsOnly");

  private final Map<String, DirectoryUser> byKey = new LinkedHashMap<>();
  private Consumer<DirectoryUser> presenceListener = u -> { };
  private BiFunction<String, JsonObject, JsonObject> presenceModel = (id, reported) -> reported;

  public Directory() {
    reset();
  }

  /** Forgets every registered user and restores the seeded ones. */
  public void reset() {
    byKey.clear();
    SEEDED.forEach(this::put);
  }

  /**
   * Sets what is told when a Teams user's presence changes (its availability or activity differs
   * from before, through {@link #register} or {@link #setPresence}); called after the change.
   */
  public void onPresenceChange(Consumer<DirectoryUser> listener) {
    this.presenceListener = listener == null ? u -> { } : listener;
  }

  /**
   * Sets how the presence a user's own Teams client reports (given through {@link #register} or
   * {@link #setPresence}, already checked; {@code null} when a registration names none) becomes the
   * presence the user shows. The model returns the presence to show ({@code null}: none yet). By
   * default the reported presence is shown as is. The presence module installs one that aggregates
   * it with the apps' presence sessions and the user's preferred presence.
   */
  public void presenceModel(BiFunction<String, JsonObject, JsonObject> model) {
    this.presenceModel = model == null ? (id, reported) -> reported : model;
  }

  /**
   * Registers (or replaces) a user from its control-API JSON: {@code id} (generated when absent and
   * no {@code phone} is given), {@code displayName}, {@code phone} (E.164), {@code behavior}
   * (see {@link Behavior#fromJson}) and {@code presence} (see {@link #setPresence}).
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public DirectoryUser register(JsonObject json) {
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "'; expected one of " + FIELDS);
      }
    }
    String id = stringField(json, "id");
    String phone = stringField(json, "phone");
    if (phone != null && !E164.matcher(phone).matches()) {
      throw new IllegalArgumentException("phone must be an E.164 number such as +14255550123, got '" + phone + "'");
    }
    if (id == null && phone == null) {
      id = UUID.randomUUID().toString();
    }
    Object presence = json.getValue("presence");
    if (presence != null) {
      presence = checkPresence(presence);
    }
    Object b = json.containsKey("behavior") ? json.getValue("behavior") : json.getValue("behaviour");
    if (b != null && !(b instanceof JsonObject)) {
      throw new IllegalArgumentException("behavior must be an object");
    }
    String displayName = stringField(json, "displayName");
    Behavior behavior = Behavior.fromJson((JsonObject) b, Behavior.DEFAULT);
    if (id != null) {
      presence = presenceModel.apply(id, (JsonObject) presence); // once the registration is known to be valid
    }
    DirectoryUser user = new DirectoryUser(id, displayName, phone, behavior, (JsonObject) presence);
    JsonObject before = find(user.id()).map(DirectoryUser::presence).orElse(null);
    remove(user.id());
    remove(user.phone());
    put(user);
    firePresenceChange(user, before);
    return user;
  }

  /**
   * Changes a Teams user's presence: {@code {"availability": ..., "activity": ...}}, both required,
   * with the values of graph-reference §6.
   *
   * @return the updated user, or empty when no user has this id
   * @throws IllegalArgumentException when the presence is malformed
   */
  public Optional<DirectoryUser> setPresence(String id, JsonObject presence) {
    JsonObject checked = checkPresence(presence);
    if (find(id).filter(u -> id.equals(u.id())).isEmpty()) {
      return Optional.empty();
    }
    return showPresence(id, presenceModel.apply(id, checked));
  }

  /**
   * Shows a presence the presence model computed (after a presence session, a preferred presence
   * or a timer changed it), telling the listener when it differs from before.
   *
   * @return the updated user, or empty when no user has this id
   */
  public Optional<DirectoryUser> showPresence(String id, JsonObject shown) {
    DirectoryUser old = find(id).filter(u -> id.equals(u.id())).orElse(null);
    if (old == null) {
      return Optional.empty();
    }
    DirectoryUser user = new DirectoryUser(old.id(), old.displayName(), old.phone(), old.behavior(), shown);
    put(user);
    firePresenceChange(user, old.presence());
    return Optional.of(user);
  }

  /** Looks a user up by id or by phone number. */
  public Optional<DirectoryUser> find(String idOrPhone) {
    return Optional.ofNullable(idOrPhone == null ? null : byKey.get(idOrPhone));
  }

  /**
   * The party an {@code identitySet} names: the registered user with that id or phone number,
   * else an unregistered party with {@link Behavior#DEFAULT}. Returns empty when the identity set
   * names neither a user nor a phone.
   */
  public Optional<DirectoryUser> resolve(JsonObject identitySet) {
    if (identitySet == null) {
      return Optional.empty();
    }
    JsonObject user = identitySet.getJsonObject("user");
    if (user != null && user.getString("id") != null) {
      String id = user.getString("id");
      return Optional.of(find(id).orElseGet(
          () -> new DirectoryUser(id, user.getString("displayName"), null, Behavior.DEFAULT, null)));
    }
    JsonObject phone = identitySet.getJsonObject("phone");
    if (phone != null && phone.getString("id") != null) {
      String number = phone.getString("id");
      return Optional.of(find(number).map(u -> new DirectoryUser(null, u.displayName(), number, u.behavior(), null))
          .orElseGet(() -> new DirectoryUser(null, null, number, Behavior.DEFAULT, null)));
    }
    return Optional.empty();
  }

  /** Removes the user with this id or phone number; returns whether one was removed. */
  public boolean remove(String idOrPhone) {
    DirectoryUser u = idOrPhone == null ? null : byKey.get(idOrPhone);
    if (u == null) {
      return false;
    }
    if (u.id() != null) {
      byKey.remove(u.id());
    }
    if (u.phone() != null) {
      byKey.remove(u.phone());
    }
    return true;
  }

  /** Every user, in registration order. */
  public List<DirectoryUser> all() {
    return new ArrayList<>(new java.util.LinkedHashSet<>(byKey.values()));
  }

  private void firePresenceChange(DirectoryUser user, JsonObject before) {
    JsonObject after = user.presence();
    if (user.id() == null || after == null) {
      return;
    }
    boolean same = before != null && before.getString("availability").equals(after.getString("availability"))
        && before.getString("activity").equals(after.getString("activity"));
    if (!same) {
      presenceListener.accept(user);
    }
  }

  private static JsonObject checkPresence(Object value) {
    if (!(value instanceof JsonObject p) || !(p.getValue("availability") instanceof String a)
        || !(p.getValue("activity") instanceof String act) || p.size() != 2) {
      throw new IllegalArgumentException("presence must be an object with exactly 'availability' and 'activity', such as"
          + " {\"availability\":\"Busy\",\"activity\":\"InACall\"}");
    }
    if (!AVAILABILITY.contains(a)) {
      throw new IllegalArgumentException("presence availability must be one of " + AVAILABILITY + ", got '" + a + "'");
    }
    if (!ACTIVITY.contains(act)) {
      throw new IllegalArgumentException("presence activity must be one of " + ACTIVITY + ", got '" + act + "'");
    }
    return new JsonObject().put("availability", a).put("activity", act);
  }

  private void put(DirectoryUser u) {
    if (u.id() != null) {
      byKey.put(u.id(), u);
    }
    if (u.phone() != null) {
      byKey.put(u.phone(), u);
    }
  }

  private static String stringField(JsonObject json, String name) {
    Object v = json.getValue(name);
    if (v != null && !(v instanceof String)) {
      throw new IllegalArgumentException(name + " must be a string");
    }
    return (String) v;
  }
}
