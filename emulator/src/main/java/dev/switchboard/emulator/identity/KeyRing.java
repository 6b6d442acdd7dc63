package dev.switchboard.emulator.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The signing keys of one purpose (access tokens or notification JWTs): the current key signs,
 * the current and the previous one verify and are published, as Entra ID keeps a rolled-over key
 * published for a while. Mutated only on the emulator's event-loop context; {@link #current()}
 * may be read from any thread.
 */
final class KeyRing {

  private final String purpose;
  private volatile SigningKey current;
  private volatile SigningKey previous;

  KeyRing(String purpose, SigningKey first) {
    this.purpose = purpose;
    this.current = first;
  }

  SigningKey current() {
    return current;
  }

  /** Installs {@code next} as the signing key; the current one stays published until the next rotation. */
  void rotate(SigningKey next) {
    previous = current;
    current = next;
  }

  Optional<SigningKey> find(String kid) {
    SigningKey c = current;
    SigningKey p = previous;
    if (c.kid().equals(kid)) {
      return Optional.of(c);
    }
    return p != null && p.kid().equals(kid) ? Optional.of(p) : Optional.empty();
  }

  JsonObject jwks(String issuer) {
    JsonArray keys = new JsonArray().add(current.jwk(issuer));
    SigningKey p = previous;
    if (p != null) {
      keys.add(p.jwk(issuer));
    }
    return new JsonObject().put("keys", keys);
  }

  String purpose() {
    return purpose;
  }
}
