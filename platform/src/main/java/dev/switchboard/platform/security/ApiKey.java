package dev.switchboard.platform.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * An API key as stored: its metadata and the SHA-256 of its secret, never the secret itself.
 *
 * @param ratePerSecond the most requests per second it may make on average (bursts of up to one second's worth), or
 *     {@code null} for no limit
 */
record ApiKey(String id, String name, byte[] hash, List<String> scopes, Instant createdAt, Instant expiresAt,
    Double ratePerSecond) {

  ApiKey {
    scopes = List.copyOf(scopes);
  }

  boolean expired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /** What the admin API shows: everything but the hash. */
  JsonObject metadata(Instant now) {
    return new JsonObject().put("id", id).put("name", name).put("scopes", new JsonArray(scopes))
        .put("createdAt", createdAt.toString()).put("expiresAt", expiresAt == null ? null : expiresAt.toString())
        .put("expired", expired(now)).put("ratePerSecond", ratePerSecond);
  }

  /** What the key file holds. */
  JsonObject stored() {
    JsonObject stored = metadata(createdAt);
    stored.remove("expired");
    return stored.put("sha256", HexFormat.of().formatHex(hash));
  }

  static ApiKey fromStored(JsonObject json) {
    String expires = json.getString("expiresAt");
    Number rate = json.getNumber("ratePerSecond");
    return new ApiKey(json.getString("id"), json.getString("name"), HexFormat.of().parseHex(json.getString("sha256")),
        json.getJsonArray("scopes").stream().map(String::valueOf).toList(), Instant.parse(json.getString("createdAt")),
        expires == null ? null : Instant.parse(expires), rate == null ? null : rate.doubleValue());
  }
}
