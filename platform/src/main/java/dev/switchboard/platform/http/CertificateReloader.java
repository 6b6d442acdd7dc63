package dev.switchboard.platform.http;

import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's certificate from {@code http.tls.certificate} and {@code http.tls.key}: loaded and checked (the
 * key must fit the certificate), then watched. Every {@code http.tls.reloadInterval} the two files are read off the
 * event loop; once their content has changed and then stayed the same for one more check (so a half-copied pair is
 * not taken), the new pair is loaded into the running server. A pair that cannot be used is logged once and the
 * previous certificate kept.
 */
final class CertificateReloader {

  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  /** A loaded pair: the options for Vert.x, what the log says of it, and the digest of the files it came from. */
  private record Loaded(PemKeyCertOptions options, String description, byte[] digest) {
  }

  private final Vertx vertx;
  private final SwitchboardConfig.Tls tls;
  private volatile Loaded current;
  private byte[] pending;
  private byte[] refused;
  private long timer = -1;
  private boolean checking;

  CertificateReloader(Vertx vertx, SwitchboardConfig.Tls tls) {
    this.vertx = vertx;
    this.tls = tls;
  }

  /** Loads the pair for the server's start; fails with a {@link ConfigException} naming the key at fault. */
  Future<PemKeyCertOptions> load() {
    return vertx.executeBlocking(() -> {
      Loaded loaded = read();
      current = loaded;
      LOG.info("HTTPS on the public port with {}", loaded.description());
      return loaded.options();
    }, false);
  }

  /** Starts checking the files for changes, reloading them into {@code server}. */
  synchronized void watch(HttpServer server) {
    timer = vertx.setPeriodic(tls.reloadInterval().toMillis(), id -> check(server));
  }

  synchronized void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private synchronized void check(HttpServer server) {
    if (checking) {
      return;
    }
    checking = true;
    vertx.executeBlocking(this::digest, false).compose(digest -> {
      synchronized (this) {
        if (Arrays.equals(digest, current.digest()) || Arrays.equals(digest, refused)) {
          pending = null;
          return Future.succeededFuture();
        }
        if (!Arrays.equals(digest, pending)) {
          pending = digest; // changed: wait one more check for the copy to settle
          return Future.succeededFuture();
        }
        pending = null;
      }
      return reload(server, digest);
    }).onComplete(ar -> {
      synchronized (this) {
        checking = false;
      }
      if (ar.failed()) {
        LOG.warn("Could not check the TLS files {} and {} for changes: {}", tls.certificate(), tls.key(),
            ar.cause().getMessage());
      }
    });
  }

  private Future<Void> reload(HttpServer server, byte[] digest) {
    return vertx.executeBlocking(this::read, false)
        .compose(loaded -> server.updateSSLOptions(new ServerSSLOptions().setKeyCertOptions(loaded.options()), true)
            .map(updated -> {
              current = loaded;
              LOG.info("Reloaded the public port's TLS certificate: now {}", loaded.description());
              return (Void) null;
            }))
        .recover(failure -> {
          synchronized (this) {
            refused = digest;
          }
          LOG.error("Could not reload the TLS certificate from http.tls.certificate {} and http.tls.key {}: {}; still "
              + "serving {}", tls.certificate(), tls.key(), failure.getMessage(), current.description());
          return Future.succeededFuture();
        });
  }

  /** The digest of both files' content. Blocking. */
  private byte[] digest() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(Files.readAllBytes(tls.certificate()));
    sha.update((byte) 0);
    sha.update(Files.readAllBytes(tls.key()));
    return sha.digest();
  }

  /** Reads and checks the pair. Blocking. */
  private Loaded read() throws Exception {
    byte[] certificate;
    byte[] key;
    try {
      certificate = Files.readAllBytes(tls.certificate());
    } catch (java.io.IOException e) {
      throw new ConfigException("http.tls.certificate", "http.tls.certificate: " + tls.certificate()
          + " cannot be read (" + e.getMessage() + ")");
    }
    try {
      key = Files.readAllBytes(tls.key());
    } catch (java.io.IOException e) {
      throw new ConfigException("http.tls.key", "http.tls.key: " + tls.key() + " cannot be read (" + e.getMessage()
          + ")");
    }
    X509Certificate leaf;
    try {
      leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(certificate)).stream().findFirst()
          .orElseThrow(() -> new IllegalArgumentException("it holds no certificate"));
    } catch (Exception e) {
      throw new ConfigException("http.tls.certificate", "http.tls.certificate: " + tls.certificate()
          + " is not a readable PEM certificate (" + e.getMessage() + ")");
    }
    PemKeyCertOptions options = new PemKeyCertOptions().addCertValue(Buffer.buffer(certificate))
        .addKeyValue(Buffer.buffer(key));
    PrivateKey privateKey;
    try {
      X509KeyManager manager = null;
      for (KeyManager m : options.getKeyManagerFactory(vertx).getKeyManagers()) {
        if (m instanceof X509KeyManager x509) {
          manager = x509;
        }
      }
      String[] aliases = manager == null ? null : manager.getServerAliases(leaf.getPublicKey().getAlgorithm(), null);
      privateKey = aliases == null || aliases.length == 0 ? null : manager.getPrivateKey(aliases[0]);
      if (privateKey == null) {
        throw new IllegalArgumentException("no " + leaf.getPublicKey().getAlgorithm() + " key like the certificate's");
      }
    } catch (Exception e) {
      throw new ConfigException("http.tls.key", "http.tls.key: " + tls.key() + " is not a usable PEM private key ("
          + e.getMessage() + ")");
    }
    if (!fits(privateKey, leaf)) {
      throw new ConfigException("http.tls.key", "http.tls.key: " + tls.key() + " does not belong to the certificate "
          + "in http.tls.certificate " + tls.certificate() + " (" + leaf.getSubjectX500Principal().getName() + ")");
    }
    if (leaf.getNotAfter().toInstant().isBefore(Instant.now())) {
      LOG.warn("The TLS certificate {} expired at {}; clients will refuse it", tls.certificate(),
          leaf.getNotAfter().toInstant());
    }
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(certificate);
    sha.update((byte) 0);
    sha.update(key);
    return new Loaded(options, leaf.getSubjectX500Principal().getName() + " (valid until "
        + leaf.getNotAfter().toInstant() + ", from " + tls.certificate() + ")", sha.digest());
  }

  /** Whether the key signs what the certificate's public key verifies. */
  private static boolean fits(PrivateKey key, X509Certificate certificate) {
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    try {
      byte[] probe = "switchboard tls key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (Exception e) {
      return false;
    }
  }
}
