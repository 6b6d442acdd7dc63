package dev.switchboard.platform.richdata;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
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
 * Test side: encrypts resource data as Graph (and the emulator) does, written from Microsoft's description rather
 * than from the platform's decryption, so that the two meet only in the format.
 */
final class GraphEncryption {

  private static final SecureRandom RANDOM = new SecureRandom();

  private GraphEncryption() {
  }

  static JsonObject encrypt(JsonObject resource, X509Certificate certificate, String id) throws Exception {
    return encrypt(resource, certificate.getPublicKey(), id, HexFormat.of().withUpperCase()
        .formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())));
  }

  static JsonObject encrypt(JsonObject resource, PublicKey publicKey, String id, String thumbprint) throws Exception {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(Arrays.copyOf(key, 16)));
    byte[] data = aes.doFinal(resource.encode().getBytes(StandardCharsets.UTF_8));
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(key, "HmacSHA256"));
    Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    rsa.init(Cipher.ENCRYPT_MODE, publicKey,
        new OAEPParameterSpec("SHA-1", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
    Base64.Encoder b64 = Base64.getEncoder();
    return new JsonObject().put("data", b64.encodeToString(data))
        .put("dataSignature", b64.encodeToString(hmac.doFinal(data)))
        .put("dataKey", b64.encodeToString(rsa.doFinal(key)))
        .put("encryptionCertificateId", id).put("encryptionCertificateThumbprint", thumbprint);
  }
}
