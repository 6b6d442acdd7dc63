package dev.switchboard.platform.richdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decryption of Graph's encryptedContent, and each way it is refused. */
class ResourceDataCipherTest {

  private static final JsonObject PRESENCE = new JsonObject().put("@odata.type", "#Microsoft.Graph.presence")
      .put("id", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01").put("availability", "Busy").put("activity", "InACall");

  @TempDir
  static Path dir;
  static Vertx vertx;
  static EncryptionKeys keys;
  static EncryptionKey key;

  @BeforeAll
  static void keys() throws Exception {
    vertx = Vertx.vertx();
    keys = new EncryptionKeys(vertx, dir.resolve("encryption-keys.json"), Duration.ofDays(30));
    key = await(keys.current());
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static JsonObject encrypted() throws Exception {
    return GraphEncryption.encrypt(PRESENCE, key.certificate(), key.id());
  }

  private static String refusal(JsonObject encryptedContent) {
    return assertThrows(RefusedResourceData.class, () -> ResourceDataCipher.decrypt(encryptedContent, keys)).outcome();
  }

  @Test
  void decryptsWhatGraphEncrypts() throws Exception {
    assertEquals(PRESENCE, ResourceDataCipher.decrypt(encrypted(), keys));
  }

  @Test
  void findsTheKeyByThumbprintWhenTheIdIsUnknown() throws Exception {
    JsonObject content = encrypted().put("encryptionCertificateId", "renamed");
    assertEquals(PRESENCE, ResourceDataCipher.decrypt(content, keys));
  }

  @Test
  void tamperedDataIsRefusedByTheSignature() throws Exception {
    JsonObject content = encrypted();
    byte[] data = Base64.getDecoder().decode(content.getString("data"));
    data[data.length - 1] ^= 1;
    assertEquals("invalidDataSignature", refusal(content.put("data", Base64.getEncoder().encodeToString(data))));
  }

  @Test
  void aWrongSignatureIsRefused() throws Exception {
    JsonObject content = encrypted();
    JsonObject other = encrypted();
    assertEquals("invalidDataSignature", refusal(content.put("dataSignature", other.getString("dataSignature"))));
  }

  @Test
  void anUnknownCertificateIsRefused() throws Exception {
    JsonObject content = encrypted().put("encryptionCertificateId", "nope").put("encryptionCertificateThumbprint",
        "00");
    assertEquals("unknownEncryptionCertificate", refusal(content));
  }

  @Test
  void aKeyEncryptedForAnotherCertificateIsRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    JsonObject content = GraphEncryption.encrypt(PRESENCE, g.generateKeyPair().getPublic(), key.id(), key.id());
    assertEquals("undecryptableDataKey", refusal(content));
  }

  @Test
  void missingOrNonBase64FieldsAreRefused() throws Exception {
    JsonObject content = encrypted();
    content.remove("dataKey");
    assertEquals("malformedEncryptedContent", refusal(content));
    assertEquals("malformedEncryptedContent", refusal(encrypted().put("data", "not base64!")));
  }

  @Test
  void theKeysAreKeptOwnerOnlyAndReadAgainAfterARestart() throws Exception {
    Path file = dir.resolve("encryption-keys.json");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file)));
    EncryptionKeys again = new EncryptionKeys(vertx, file, Duration.ofDays(30));
    await(again.load());
    assertEquals(key.id(), await(again.current()).id(), "the same certificate after a restart");
    assertEquals(PRESENCE, ResourceDataCipher.decrypt(encrypted(), again));
    assertFalse(key.toString().contains(Base64.getEncoder().encodeToString(key.privateKey().getEncoded())));
  }

  /** A clock the test moves. */
  private static final class TestClock extends java.time.Clock {
    private java.time.Instant now = java.time.Instant.now();

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public java.time.Instant instant() {
      return now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }
  }

  @Test
  void rotationKeepsTheOldKeyUntilItIsNoLongerUsedAndTheGraceIsOver(@TempDir Path own) throws Exception {
    TestClock clock = new TestClock();
    Duration lifetime = Duration.ofDays(8);
    EncryptionKeys rotating = new EncryptionKeys(vertx, own.resolve("keys.json"), lifetime, clock);
    EncryptionKey first = await(rotating.current());
    clock.advance(Duration.ofDays(5));
    assertEquals(first.id(), await(rotating.current()).id(), "not yet due");
    clock.advance(Duration.ofDays(1));
    EncryptionKey second = await(rotating.current());
    assertFalse(first.id().equals(second.id()), "a new certificate after three quarters of the lifetime");
    assertEquals(second.id(), await(rotating.current()).id());
    JsonObject old = GraphEncryption.encrypt(PRESENCE, first.certificate(), first.id());
    assertEquals(PRESENCE, ResourceDataCipher.decrypt(old, rotating), "the retired key still decrypts");

    await(rotating.prune(java.util.Set.of()));
    assertTrue(rotating.find(first.id()) != null, "kept during the grace period");
    clock.advance(EncryptionKeys.GRACE.plusMinutes(1));
    await(rotating.prune(java.util.Set.of(first.id())));
    assertTrue(rotating.find(first.id()) != null, "kept while a subscription uses it");
    await(rotating.prune(java.util.Set.of()));
    assertEquals(null, rotating.find(first.id()), "dropped once unused and the grace is over");
    assertEquals(second.id(), rotating.find(second.id()).id());
    EncryptionKeys reread = new EncryptionKeys(vertx, own.resolve("keys.json"), lifetime, clock);
    await(reread.load());
    assertEquals(null, reread.find(first.id()), "the file was rewritten without it");
    assertEquals(second.id(), await(reread.current()).id());
  }
}
