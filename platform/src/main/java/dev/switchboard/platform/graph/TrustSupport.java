package dev.switchboard.platform.graph;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for Graph's hosts: the JVM's certificate authorities plus, optionally, one more certificate given as
 * PEM ({@code graph.tlsCertificatePem}, e.g. the emulator's self-signed one).
 */
final class TrustSupport {

  private final TrustManagerFactory factory;

  TrustSupport(String extraPem) {
    try {
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      if (extraPem == null || extraPem.isBlank()) {
        factory = defaults;
        return;
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (TrustManager tm : defaults.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          for (X509Certificate ca : x509.getAcceptedIssuers()) {
            store.setCertificateEntry("ca-" + i++, ca);
          }
        }
      }
      Collection<? extends Certificate> extra = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(extraPem.getBytes(StandardCharsets.US_ASCII)));
      if (extra.isEmpty()) {
        throw new IllegalArgumentException("graph.tlsCertificatePem holds no certificate");
      }
      for (Certificate c : extra) {
        store.setCertificateEntry("extra-" + i++, c);
      }
      factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("graph.tlsCertificatePem is not a readable PEM certificate: " + e.getMessage(), e);
    }
  }

  TrustManagerFactory factory() {
    return factory;
  }

  SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create a TLS context", e);
    }
  }
}
