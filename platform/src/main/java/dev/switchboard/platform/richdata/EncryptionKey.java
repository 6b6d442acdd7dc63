package dev.switchboard.platform.richdata;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One key pair resource data is encrypted for: the self-signed certificate given to Graph and the private key that
 * decrypts. Its id, the certificate's SHA-1 thumbprint in uppercase hex, is both the subscriptions'
 * {@code encryptionCertificateId} and what Graph calls the {@code encryptionCertificateThumbprint}. Immutable.
 *
 * @param created when it was made; it is replaced when it gets old ({@link EncryptionKeys})
 * @param retired when a newer key replaced it, or null while it is the current one
 */
public record EncryptionKey(String id, X509Certificate certificate, PrivateKey privateKey, Instant created,
    Instant retired) {

  static EncryptionKey of(X509Certificate certificate, PrivateKey privateKey, Instant created) {
    return new EncryptionKey(thumbprint(certificate), certificate, privateKey, created, null);
  }

  /** The certificate as Graph takes it: base64 of the DER encoding, no PEM lines. */
  public String certificateBase64() {
    try {
      return Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encode certificate " + id, e);
    }
  }

  EncryptionKey retiredAt(Instant when) {
    return new EncryptionKey(id, certificate, privateKey, created, when);
  }

  /** The stored form; it holds the private key: keep it owner-only. */
  JsonObject toStored() {
    return new JsonObject().put("id", id).put("certificate", certificateBase64())
        .put("privateKey", Base64.getEncoder().encodeToString(privateKey.getEncoded()))
        .put("created", created.toString()).put("retired", retired == null ? null : retired.toString());
  }

  static EncryptionKey fromStored(JsonObject json) throws GeneralSecurityException {
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(json.getString("certificate"))));
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(
        new PKCS8EncodedKeySpec(Base64.getDecoder().decode(json.getString("privateKey"))));
    String retired = json.getString("retired");
    return new EncryptionKey(thumbprint(certificate), certificate, key, Instant.parse(json.getString("created")),
        retired == null ? null : Instant.parse(retired));
  }

  static String thumbprint(X509Certificate certificate) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not compute a certificate thumbprint", e);
    }
  }

  @Override
  public String toString() {
    return "EncryptionKey[" + id + ", created " + created + (retired == null ? "" : ", retired " + retired) + "]";
  }
}
