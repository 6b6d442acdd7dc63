package dev.switchboard.emulator.identity;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/** One RSA signing key with its self-signed certificate, identified by {@code kid} (= its {@code x5t}). */
record SigningKey(String kid, KeyPair keys, X509Certificate certificate) {

  static SigningKey generate(String purpose) {
    KeyPair keys = Certificates.newRsaKeyPair();
    X509Certificate cert = Certificates.selfSigned(keys, "Switchboard emulator " + purpose, List.of(), Duration.ofDays(365));
    try {
      byte[] thumb = MessageDigest.getInstance("SHA-1").digest(cert.getEncoded());
      return new SigningKey(Base64.getUrlEncoder().withoutPadding().encodeToString(thumb), keys, cert);
    } catch (Exception e) {
      throw new IllegalStateException("Could not fingerprint a certificate", e);
    }
  }

  RSAPublicKey publicKey() {
    return (RSAPublicKey) keys.getPublic();
  }

  /** The key as a JWK, shaped like the entries of Entra ID's JWKS. */
  JsonObject jwk(String issuer) {
    try {
      JsonObject jwk = new JsonObject()
          .put("kty", "RSA")
          .put("use", "sig")
          .put("kid", kid)
          .put("x5t", kid)
          .put("alg", "RS256")
          .put("n", b64(publicKey().getModulus()))
          .put("e", b64(publicKey().getPublicExponent()))
          .put("x5c", new JsonArray().add(Base64.getEncoder().encodeToString(certificate.getEncoded())));
      if (issuer != null) {
        jwk.put("issuer", issuer);
      }
      return jwk;
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(BigInteger i) {
    byte[] bytes = i.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
