package dev.switchboard.emulator.identity;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.Optional;

/** Compact RS256 JWTs: signing, and parsing plus signature verification. */
final class Jwt {

  private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DEC = Base64.getUrlDecoder();

  /** A parsed token whose signature has not been checked yet. */
  record Parsed(JsonObject header, JsonObject claims, String signingInput, byte[] signature) {
  }

  private Jwt() {
  }

  static String sign(SigningKey key, JsonObject claims) {
    JsonObject header = new JsonObject().put("typ", "JWT").put("alg", "RS256").put("kid", key.kid()).put("x5t", key.kid());
    String input = ENC.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + ENC.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key.keys().getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + ENC.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RS256 signing failed", e);
    }
  }

  /** Splits and decodes a token; empty when it is not a well-formed JWS. */
  static Optional<Parsed> parse(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonObject header = new JsonObject(new String(DEC.decode(parts[0]), StandardCharsets.UTF_8));
      JsonObject claims = new JsonObject(new String(DEC.decode(parts[1]), StandardCharsets.UTF_8));
      return Optional.of(new Parsed(header, claims, parts[0] + "." + parts[1], DEC.decode(parts[2])));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  static boolean verify(Parsed jwt, SigningKey key) {
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key.publicKey());
      s.update(jwt.signingInput().getBytes(StandardCharsets.US_ASCII));
      return s.verify(jwt.signature());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
