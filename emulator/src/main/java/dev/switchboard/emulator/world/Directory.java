package dev.switchboard.emulator.world;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

  private final Map<String, DirectoryUser> byKey = new LinkedHashMap<>();

  public Directory() {
    reset();
  }

  /** Forgets every registered user and restores the seeded ones. */
  public void reset() {
    byKey.clear();
    SEEDED.forEach(this::put);
  }

  /**
   * Registers (or replaces) a user from its control-API JSON: {@code id} (generated when absent and
   * no {@code phone} is given), {@code displayName}, {@code phone} (E.164), {@code behavior}
   * (see {@link Behavior#fromJson}) and {@code presence}.
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
    if (presence != null && !(presence instanceof JsonObject)) {
      throw new IllegalArgumentException("presence must be an object such as {\"availability\":\"Available\",\"activity\":\"Available\"}");
    }
    Object b = json.containsKey("behavior") ? json.getValue("behavior") : json.getValue("behaviour");
    if (b != null && !(b instanceof JsonObject)) {
      throw new IllegalArgumentException("behavior must be an object");
    }
    DirectoryUser user = new DirectoryUser(id, stringField(json, "displayName"), phone,
        Behavior.fromJson((JsonObject) b, Behavior.DEFAULT), (JsonObject) presence);
    remove(user.id());
    remove(user.phone());
    put(user);
    return user;
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
