package dev.switchboard.platform.security;

import dev.switchboard.api.Caller;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The REST API keys, kept in {@code <data.dir>/api-keys.json} (written atomically, off the event loop).
 *
 * <p>A key's secret is {@code sb_<id>_<43 characters>}: the id (public, 48 random bits) finds the stored key, the
 * rest is 256 random bits. Only the SHA-256 of the whole secret is stored, and it is compared in constant time. A
 * plain SHA-256 is the right hash here: slow password hashes (bcrypt, scrypt) exist to protect low-entropy secrets
 * people choose, whereas guessing a 256-bit random secret from its hash is out of reach whatever the hash speed, and a
 * fast hash keeps the check on every request at about a microsecond.
 *
 * <p>Lookups read an immutable snapshot without locking; changes are made one at a time on a worker, written to disk,
 * and then take effect at once for every later request.
 */
final class ApiKeyStore {

  static final String PREFIX = "sb_";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key just created, with the secret that is shown this once. */
  record Created(ApiKey key, String secret) {
  }

  /** What a presented secret turned out to be. */
  sealed interface Lookup {
  }

  record Valid(ApiKey key, Caller caller) implements Lookup {
  }

  record Expired(ApiKey key) implements Lookup {
  }

  record Unknown() implements Lookup {
  }

  private static final Unknown UNKNOWN = new Unknown();
  // MessageDigest.getInstance looks the provider up each time: one digest per thread instead, on every request.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(ApiKeyStore::newDigest);

  /** A key with the caller it authenticates, made once. */
  private record Known(ApiKey key, Valid valid) {
    Known(ApiKey key) {
      this(key, new Valid(key, new Caller(Caller.Kind.KEY, key.name(), Set.copyOf(key.scopes()))));
    }
  }

  private final Vertx vertx;
  private final Path file;
  private volatile Map<String, Known> byId = Map.of();

  ApiKeyStore(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** Reads the key file, if there is one. */
  Future<Void> load() {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (!Files.exists(file)) {
          return null;
        }
        Map<String, Known> loaded = new LinkedHashMap<>();
        for (Object o : new JsonObject(Files.readString(file)).getJsonArray("keys", new JsonArray())) {
          ApiKey key = ApiKey.fromStored((JsonObject) o);
          loaded.put(key.id(), new Known(key));
        }
        byId = Map.copyOf(loaded);
        return null;
      }
    }, false);
  }

  /** Whether {@code token} looks like one of our keys (so that it is not tried as a JWT). */
  static boolean looksLikeKey(String token) {
    return token.startsWith(PREFIX);
  }

  /** Finds the key whose secret is {@code token}. Never blocks. */
  Lookup find(String token) {
    int end = token.indexOf('_', PREFIX.length());
    if (!token.startsWith(PREFIX) || end < 0) {
      return UNKNOWN;
    }
    Known known = byId.get(token.substring(PREFIX.length(), end));
    if (known == null || !MessageDigest.isEqual(known.key().hash(), sha256(token))) {
      return UNKNOWN;
    }
    return known.key().expired(Instant.now()) ? new Expired(known.key()) : known.valid();
  }

  /** The keys, oldest first. */
  List<ApiKey> list() {
    return byId.values().stream().map(Known::key).sorted(Comparator.comparing(ApiKey::createdAt)).toList();
  }

  /**
   * Creates a key.
   *
   * @throws SwitchboardException (in the future) 400 for a bad name, scope, expiry or rate; 409 when the name is taken
   */
  Future<Created> create(String name, List<String> scopes, Instant expiresAt, Double ratePerSecond) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidKeyName", "A key needs a "
          + "name of letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit), like crm"));
    }
    if (name.matches("[0-9a-f]{12}")) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidKeyName", "'" + name
          + "' would be mistaken for a key id (12 hexadecimal digits); choose a name that says who uses the key"));
    }
    if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(s -> s == null || s.isBlank()
        || s.chars().anyMatch(Character::isWhitespace))) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidScopes", "A key needs at "
          + "least one scope, each a word without spaces, like calls:write or records:read ('*' grants all)"));
    }
    if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidExpiry",
          "expiresAt " + expiresAt + " is not in the future"));
    }
    if (ratePerSecond != null && !(ratePerSecond > 0 && ratePerSecond <= 1_000_000)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidRate",
          "ratePerSecond must be a number above 0, got " + ratePerSecond));
    }
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        if (byId.values().stream().anyMatch(k -> k.key().name().equals(name))) {
          throw new SwitchboardException(ErrorCode.CONFLICT, "keyExists", "An API key named '" + name
              + "' exists; revoke it first (switchboard keys revoke " + name + ") or choose another name");
        }
        String id;
        do {
          id = HexFormat.of().formatHex(random(6));
        } while (byId.containsKey(id));
        String secret = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        ApiKey key = new ApiKey(id, name, sha256(secret), scopes,
            Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), expiresAt, ratePerSecond);
        Map<String, Known> next = new LinkedHashMap<>(byId);
        next.put(id, new Known(key));
        save(next);
        return new Created(key, secret);
      }
    }, false);
  }

  /** Revokes the key named {@code nameOrId} (its name or its id); 404 when there is none. */
  Future<ApiKey> revoke(String nameOrId) {
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        ApiKey key = byId.values().stream().map(Known::key)
            .filter(k -> k.name().equals(nameOrId) || k.id().equals(nameOrId)).findFirst().orElseThrow(() -> new SwitchboardException(ErrorCode.NOT_FOUND, "noSuchKey",
                "No API key is named or has the id '" + nameOrId + "'; GET /admin/keys (switchboard keys list) lists "
                    + "them"));
        Map<String, Known> next = new LinkedHashMap<>(byId);
        next.remove(key.id());
        save(next);
        return key;
      }
    }, false);
  }

  /** Writes {@code keys} and makes them current. Holding the lock, on a worker. */
  private void save(Map<String, Known> keys) throws java.io.IOException {
    JsonArray stored = new JsonArray();
    keys.values().forEach(k -> stored.add(k.key().stored()));
    AtomicFiles.write(file, new JsonObject().put("keys", stored).encodePrettily().getBytes(StandardCharsets.UTF_8));
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: the data folder's permissions apply.
    }
    byId = Map.copyOf(keys);
  }

  private static byte[] random(int bytes) {
    byte[] out = new byte[bytes];
    RANDOM.nextBytes(out);
    return out;
  }

  private static byte[] sha256(String secret) {
    return SHA256.get().digest(secret.getBytes(StandardCharsets.UTF_8));
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
