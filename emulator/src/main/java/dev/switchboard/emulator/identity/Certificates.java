package dev.switchboard.emulator.identity;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * RSA keys and self-signed X.509 certificates: the emulator's TLS certificate and the certificates
 * published ({@code x5c}) with its signing keys. All methods block for tens of milliseconds (RSA
 * key generation): call them off the event loop.
 */
public final class Certificates {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {
  }

  /** A new 2048-bit RSA key pair. */
  public static KeyPair newRsaKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048, RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  /**
   * A self-signed certificate for {@code keys}, valid from an hour ago for {@code validity}.
   *
   * @param commonName the subject and issuer CN
   * @param hosts subject alternative names: IP literals become IP entries, others DNS entries
   */
  public static X509Certificate selfSigned(KeyPair keys, String commonName, List<String> hosts, Duration validity) {
    try {
      X500Name name = new X500Name("CN=" + commonName);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, RANDOM).abs(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), name, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (!hosts.isEmpty()) {
        List<GeneralName> names = new ArrayList<>();
        for (String h : hosts) {
          boolean ip = h.matches("[0-9.]+") || h.contains(":");
          names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException("Could not create a self-signed certificate for " + commonName, e);
    }
  }

  /** PEM text ({@code -----BEGIN ...}) for a certificate or a private key. */
  public static String pem(Object certificateOrKey) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(certificateOrKey);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Could not write PEM", e);
    }
    return out.toString();
  }
}
