package dev.switchboard.platform.richdata;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opens a notification's {@code encryptedContent} as Graph makes it: {@code dataKey} is a random 32-byte key
 * encrypted with the certificate's RSA public key (OAEP, SHA-1); {@code dataSignature} is the HMAC-SHA256 of the
 * encrypted {@code data} keyed with that key; {@code data} is the resource's JSON encrypted with AES-256-CBC,
 * PKCS7 padding, the IV being the key's first 16 bytes. The signature is checked before anything is decrypted.
 * Blocking for about a millisecond (the RSA decryption): call it off the event loop. Stateless and thread-safe.
 */
final class ResourceDataCipher {

  private static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 16;
  private static final OAEPParameterSpec OAEP_SHA1 =
      new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT);

  private ResourceDataCipher() {
  }

  /** The resource {@code encryptedContent} holds; refused with the reason when any check fails. */
  static JsonObject decrypt(JsonObject encryptedContent, EncryptionKeys keys) throws RefusedResourceData {
    byte[] data = base64(encryptedContent, "data");
    byte[] signature = base64(encryptedContent, "dataSignature");
    byte[] dataKey = base64(encryptedContent, "dataKey");
    String id = encryptedContent.getString("encryptionCertificateId");
    EncryptionKey key = id == null ? null : keys.find(id);
    if (key == null) {
      String thumbprint = encryptedContent.getString("encryptionCertificateThumbprint");
      key = thumbprint == null ? null : keys.find(thumbprint);
    }
    if (key == null) {
      throw new RefusedResourceData("unknownEncryptionCertificate", "the resource data is encrypted for certificate "
          + id + ", which this server does not have (any more): was encryption-keys.json in data.dir deleted or"
          + " replaced? Its subscription gets the current certificate at its next renewal");
    }
    byte[] symmetric;
    try {
      Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
      rsa.init(Cipher.DECRYPT_MODE, key.privateKey(), OAEP_SHA1);
      symmetric = rsa.doFinal(dataKey);
    } catch (GeneralSecurityException e) {
      throw new RefusedResourceData("undecryptableDataKey", "the dataKey does not decrypt with the private key of"
          + " certificate " + key.id() + " (RSA-OAEP-SHA1): it was not encrypted for this certificate, or altered");
    }
    if (symmetric.length != KEY_BYTES) {
      throw new RefusedResourceData("undecryptableDataKey", "the dataKey holds a " + symmetric.length
          + "-byte key; Graph's are " + KEY_BYTES + " bytes");
    }
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(symmetric, "HmacSHA256"));
      if (!MessageDigest.isEqual(hmac.doFinal(data), signature)) {
        throw new RefusedResourceData("invalidDataSignature", "the dataSignature (HMAC-SHA256) does not match the"
            + " encrypted data: the data was altered, or not sent by Graph");
      }
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(symmetric, "AES"),
          new IvParameterSpec(Arrays.copyOf(symmetric, IV_BYTES)));
      return new JsonObject(new String(aes.doFinal(data), StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | DecodeException | ClassCastException e) {
      throw new RefusedResourceData("undecryptableData", "the data, though correctly signed, does not decrypt to a"
          + " JSON object (AES-256-CBC): " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(symmetric, (byte) 0);
    }
  }

  private static byte[] base64(JsonObject encryptedContent, String field) throws RefusedResourceData {
    Object value = encryptedContent.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new RefusedResourceData("malformedEncryptedContent", "the encryptedContent has no " + field);
    }
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new RefusedResourceData("malformedEncryptedContent", "the encryptedContent's " + field
          + " is not base64");
    }
  }
}
