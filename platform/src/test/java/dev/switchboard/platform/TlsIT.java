package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.emulator.identity.Certificates;
import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.storage.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the public port from PEM files generated here: the configured certificate is served, a replaced one is
 * picked up without a restart, a broken replacement is refused (logged) while the previous certificate keeps serving,
 * and a key that does not fit its certificate stops the start naming {@code http.tls.key}.
 */
class TlsIT {

  @TempDir
  Path home;

  private record Pair(X509Certificate certificate, String certificatePem, String keyPem) {
  }

  private static Pair pair(String name, boolean pkcs8) {
    KeyPair keys = Certificates.newRsaKeyPair();
    X509Certificate certificate = Certificates.selfSigned(keys, name, List.of("127.0.0.1"), Duration.ofDays(1));
    String key = pkcs8 ? "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"
        : Certificates.pem(keys.getPrivate()); // PKCS#1: -----BEGIN RSA PRIVATE KEY-----
    return new Pair(certificate, Certificates.pem(certificate), key);
  }

  private void write(Pair pair) throws Exception {
    AtomicFiles.write(home.resolve("tls/key.pem"), pair.keyPem().getBytes(StandardCharsets.US_ASCII));
    AtomicFiles.write(home.resolve("tls/cert.pem"), pair.certificatePem().getBytes(StandardCharsets.US_ASCII));
  }

  private Map<String, String> env() {
    return Map.of("SWITCHBOARD_HTTP_TLS_CERTIFICATE", "tls/cert.pem", "SWITCHBOARD_HTTP_TLS_KEY", "tls/key.pem",
        "SWITCHBOARD_HTTP_TLS_RELOAD_INTERVAL", "100ms");
  }

  /** The certificate the port presents, and the status of GET /health/live over HTTPS. */
  private static X509Certificate served(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void servesTheConfiguredCertificateAndPicksUpAReplacedOne() throws Exception {
    Pair first = pair("first", false);
    write(first);
    try (LogCapture logs = new LogCapture(); TestServer t = TestServer.start(home, env())) {
      assertTrue(t.server.publicUrl().startsWith("https://"), t.server.publicUrl());
      assertEquals(first.certificate(), served(t.server.httpPort()));

      Pair second = pair("second", true);
      write(second);
      TestServer.awaitUntil("the replaced certificate is served", Duration.ofSeconds(10),
          () -> second.certificate().equals(ignoringFailures(() -> served(t.server.httpPort()))));

      // A broken replacement (a key of another pair) is refused, logged, and the current certificate kept.
      Pair third = pair("third", true);
      AtomicFiles.write(home.resolve("tls/cert.pem"), third.certificatePem().getBytes(StandardCharsets.US_ASCII));
      TestServer.awaitUntil("the refused reload is logged", Duration.ofSeconds(10),
          () -> logs.any("ERROR", "Could not reload the TLS certificate"));
      assertTrue(logs.any("ERROR", "does not belong to the certificate"), String.join("\n", logs.lines()));
      assertEquals(second.certificate(), served(t.server.httpPort()));
    }
  }

  @Test
  void aKeyThatDoesNotFitTheCertificateStopsTheStartNamingTheKey() throws Exception {
    Pair one = pair("one", true);
    Pair other = pair("other", true);
    write(new Pair(one.certificate(), one.certificatePem(), other.keyPem()));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> TestServer.start(home, env()));
    ConfigException bad = assertInstanceOf(ConfigException.class, failed.getCause());
    assertEquals("http.tls.key", bad.key());
    assertTrue(bad.getMessage().startsWith("http.tls.key: "), bad.getMessage());
    Files.delete(home.resolve("tls/key.pem"));
    ConfigException missing = assertThrows(ConfigException.class, () -> TestServer.start(home, env()));
    assertEquals("http.tls.key", missing.key());
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  private static <T> T ignoringFailures(Probe<T> probe) {
    try {
      return probe.get();
    } catch (Exception e) {
      return null;
    }
  }
}
