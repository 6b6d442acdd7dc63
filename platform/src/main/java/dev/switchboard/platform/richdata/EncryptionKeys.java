package dev.switchboard.platform.richdata;

import dev.switchboard.platform.storage.AtomicFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key pairs Graph encrypts resource data for, kept in one owner-only file under {@code data.dir} so that a
 * restart decrypts what subscriptions made before it send. The current key (RSA 2048, self-signed certificate) is
 * the one new subscriptions and renewals are given; once three quarters of {@code lifetime} have passed, a new one
 * replaces it and the old one is retired. A retired key still decrypts the notifications of subscriptions not yet
 * renewed with the new certificate and those Graph is still retrying; it is dropped once no subscription uses it
 * and it has been retired for longer than {@link #GRACE} (Graph's retry window).
 *
 * <p>Thread-safe: lookups ({@link #find}) read an immutable list; changes (generation, pruning, writing the file)
 * run on worker threads, one at a time. Key material is never logged.
 */
public final class EncryptionKeys {

  /** How long Graph retries a notification (graph-reference §8.4): a retired key is kept at least this long. */
  static final Duration GRACE = Duration.ofHours(4);
  private static final Logger LOG = LoggerFactory.getLogger(EncryptionKeys.class);
  private static final int KEY_BITS = 2048;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Path file;
  private final Duration lifetime;
  private final Clock clock;
  private volatile List<EncryptionKey> keys = List.of();
  /** A rotation under way, shared by whoever asks meanwhile; touched under {@code this}. */
  private Future<EncryptionKey> rotating;

  /**
   * @param file where the keys are kept ({@code <data.dir>/encryption-keys.json})
   * @param lifetime how long a key is the current one, at most ({@code graph.encryptionCertificateLifetime})
   */
  public EncryptionKeys(Vertx vertx, Path file, Duration lifetime) {
    this(vertx, file, lifetime, Clock.systemUTC());
  }

  EncryptionKeys(Vertx vertx, Path file, Duration lifetime, Clock clock) {
    this.vertx = vertx;
    this.file = file;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Reads the keys kept by a previous run; an unreadable file is reported and replaced by new keys. */
  public Future<Void> load() {
    return vertx.executeBlocking(() -> {
      if (!Files.exists(file)) {
        return null;
      }
      List<EncryptionKey> read = new ArrayList<>();
      for (Object o : new JsonObject(Files.readString(file)).getJsonArray("keys", new JsonArray())) {
        read.add(EncryptionKey.fromStored((JsonObject) o));
      }
      keys = List.copyOf(read);
      LOG.info("Read {} resource-data encryption key(s) from {}; current: {}", read.size(), file,
          current(keys) == null ? "none" : current(keys).id());
      return null;
    }, false).recover(e -> {
      LOG.error("Could not read the resource-data encryption keys from {} ({}); new ones will be made, and"
          + " notifications encrypted for the old ones are refused until their subscriptions are renewed", file,
          e.getMessage());
      return Future.succeededFuture();
    }).mapEmpty();
  }

  /** The key to give new subscriptions and renewals, made (or replaced, when old) first if needed. */
  public Future<EncryptionKey> current() {
    EncryptionKey current = current(keys);
    if (current != null && clock.instant().isBefore(rotationDue(current))) {
      return Future.succeededFuture(current);
    }
    synchronized (this) {
      if (rotating == null) {
        rotating = vertx.executeBlocking(this::rotate, false).andThen(ar -> {
          synchronized (this) {
            rotating = null;
          }
        });
      }
      return rotating;
    }
  }

  /** The key {@code id} (a subscription's {@code encryptionCertificateId}, which is the thumbprint), or null. */
  public EncryptionKey find(String id) {
    for (EncryptionKey key : keys) {
      if (key.id().equalsIgnoreCase(id)) {
        return key;
      }
    }
    return null;
  }

  /**
   * Drops the retired keys no subscription uses any more ({@code inUse}: their {@code encryptionCertificateId}s)
   * that were retired more than {@link #GRACE} ago.
   */
  public Future<Void> prune(Set<String> inUse) {
    Instant limit = clock.instant().minus(GRACE);
    if (keys.stream().noneMatch(k -> droppable(k, inUse, limit))) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        List<EncryptionKey> kept = new ArrayList<>();
        for (EncryptionKey k : keys) {
          if (droppable(k, inUse, limit)) {
            LOG.info("Dropped resource-data encryption key {}, retired {}: no subscription uses it", k.id(),
                k.retired());
          } else {
            kept.add(k);
          }
        }
        save(kept);
      }
      return null;
    }, false).mapEmpty();
  }

  private static boolean droppable(EncryptionKey k, Set<String> inUse, Instant limit) {
    return k.retired() != null && k.retired().isBefore(limit) && !inUse.contains(k.id());
  }

  /** Blocking: makes a new current key, retires the old one and writes the file. */
  private EncryptionKey rotate() throws Exception {
    synchronized (this) {
      EncryptionKey old = current(keys);
      if (old != null && clock.instant().isBefore(rotationDue(old))) {
        return old; // another rotation just made it
      }
      Instant now = clock.instant();
      KeyPair pair = newKeyPair();
      EncryptionKey fresh = EncryptionKey.of(selfSigned(pair, now), pair.getPrivate(), now);
      List<EncryptionKey> next = new ArrayList<>();
      for (EncryptionKey k : keys) {
        next.add(k.retired() == null ? k.retiredAt(now) : k);
      }
      next.add(fresh);
      save(next);
      LOG.info("Made resource-data encryption certificate {} (RSA {}), kept in {}; {}", fresh.id(), KEY_BITS, file,
          old == null ? "the first one" : "it replaces " + old.id() + ", which still decrypts until no subscription"
              + " uses it");
      return fresh;
    }
  }

  /** Writes {@code next} (owner-only, atomically) and makes it the list; called under {@code this}. */
  private void save(List<EncryptionKey> next) throws java.io.IOException {
    JsonArray stored = new JsonArray(next.stream().map(EncryptionKey::toStored).toList());
    AtomicFiles.writeOwnerOnly(file, new JsonObject().put("keys", stored).encodePrettily()
        .getBytes(StandardCharsets.UTF_8));
    keys = List.copyOf(next);
  }

  private Instant rotationDue(EncryptionKey key) {
    return key.created().plus(lifetime.multipliedBy(3).dividedBy(4));
  }

  private static EncryptionKey current(List<EncryptionKey> list) {
    EncryptionKey current = null;
    for (EncryptionKey k : list) {
      if (k.retired() == null) {
        current = k;
      }
    }
    return current;
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(KEY_BITS, RANDOM);
    return generator.generateKeyPair();
  }

  /** Valid from an hour ago (clock skew) for twice the lifetime: a retired key's certificate is still valid. */
  private X509Certificate selfSigned(KeyPair pair, Instant now) throws Exception {
    X500Name name = new X500Name("CN=Switchboard change notifications");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).abs(),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(lifetime.multipliedBy(2))), name,
        pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment));
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
  }
}
