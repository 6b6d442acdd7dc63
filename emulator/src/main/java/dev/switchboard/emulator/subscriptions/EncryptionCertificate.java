package dev.switchboard.emulator.subscriptions;

import dev.switchboard.emulator.http.GraphException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The certificate a rich subscription gave ({@code encryptionCertificate}, {@code encryptionCertificateId})
 * and the encryption Graph applies with it to resource data ({@code changeNotificationEncryptedContent}):
 * a fresh random 32-byte key per notification; the resource's JSON (UTF-8) encrypted with
 * AES-256/CBC/PKCS7 (Java's PKCS5Padding), the IV being the key's first 16 bytes; the key encrypted
 * with the certificate's RSA public key, RSA/ECB/OAEPWithSHA1AndMGF1Padding; an HMAC-SHA256 of the
 * encrypted bytes keyed with the key. Immutable and thread-safe.
 *
 * @param id the subscription's {@code encryptionCertificateId}, echoed in each notification
 * @param base64 the certificate as the subscription gave it (base64 DER), echoed by the subscription resource
 * @param publicKey the certificate's RSA public key
 * @param thumbprint the SHA-1 of the DER certificate, uppercase hex
 */
record EncryptionCertificate(String id, String base64, RSAPublicKey publicKey, String thumbprint) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 16;
  /** The key sizes Graph's documentation requires of the certificate. */
  private static final int MIN_KEY_BITS = 2048;
  private static final int MAX_KEY_BITS = 4096;
  private static final OAEPParameterSpec OAEP_SHA1 =
      new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);

  /**
   * Parses a subscription's certificate.
   *
   * @throws GraphException 400 when it is not base64 of a DER X.509 certificate with an RSA public key
   */
  static EncryptionCertificate parse(String base64, String id) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw invalid("it is not base64");
    }
    X509Certificate cert;
    try {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      throw invalid("it is not a DER-encoded X.509 certificate");
    }
    if (!(cert.getPublicKey() instanceof RSAPublicKey rsa)) {
      throw invalid("its public key is " + cert.getPublicKey().getAlgorithm() + ", not RSA");
    }
    int bits = rsa.getModulus().bitLength();
    if (bits < MIN_KEY_BITS || bits > MAX_KEY_BITS) {
      throw invalid("its RSA key has " + bits + " bits; Graph takes " + MIN_KEY_BITS + " to " + MAX_KEY_BITS);
    }
    try {
      String thumbprint = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(der));
      return new EncryptionCertificate(id, base64, rsa, thumbprint);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available in this JVM", e);
    }
  }

  /** The {@code encryptedContent} of a notification whose resource data is {@code resource}. */
  JsonObject encrypt(JsonObject resource) {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, IV_BYTES)));
      byte[] data = aes.doFinal(resource.encode().getBytes(StandardCharsets.UTF_8));
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] signature = hmac.doFinal(data);
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.ENCRYPT_MODE, publicKey, OAEP_SHA1);
      byte[] dataKey = rsa.doFinal(key);
      Base64.Encoder b64 = Base64.getEncoder();
      return new JsonObject()
          .put("data", b64.encodeToString(data))
          .put("dataSignature", b64.encodeToString(signature))
          .put("dataKey", b64.encodeToString(dataKey))
          .put("encryptionCertificateId", id)
          .put("encryptionCertificateThumbprint", thumbprint);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encrypt resource data for certificate " + thumbprint, e);
    }
  }

  /** Graph's wording for a certificate it cannot load, then what the emulator found wrong. */
  private static GraphException invalid(String why) {
    return GraphException.badRequest("Certificate validation error: Cannot find the requested object. (encryptionCertificate:"
        + " " + why + "; give the base64 of a DER-encoded X.509 certificate with an RSA public key, without PEM"
        + " header lines.)");
  }
}
