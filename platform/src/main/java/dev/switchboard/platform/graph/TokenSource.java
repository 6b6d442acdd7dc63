package dev.switchboard.platform.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalException;
import dev.switchboard.api.GraphException;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * App-only tokens for one tenant from one MSAL {@link ConfidentialClientApplication}, whose cache is reused by
 * every request: MSAL answers from the cache until the token nears expiry. For a non-Entra authority (the
 * emulator) MSAL is pointed at the OpenID configuration of {@code <authority>/v2.0} with instance discovery off,
 * which also keeps its cache working on a port other than 443.
 */
final class TokenSource {

  private static final Set<String> ENTRA_HOSTS = Set.of("login.microsoftonline.com", "login.microsoftonline.us",
      "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.windows.net");

  private final String tenant;
  private final Set<String> scopes;
  private final SwitchboardConfig.Graph graph;
  private final TrustSupport trust;
  private final ExecutorService executor;
  private volatile ConfidentialClientApplication app;
  private final Vertx vertx;

  TokenSource(Vertx vertx, String tenant, SwitchboardConfig.Graph graph, TrustSupport trust, ExecutorService executor) {
    this.vertx = vertx;
    this.tenant = tenant;
    this.scopes = Set.of(graph.scope());
    this.graph = graph;
    this.trust = trust;
    this.executor = executor;
  }

  /**
   * The MSAL application, built on first use (reading a certificate file and initialising MSAL are blocking:
   * {@link #token} builds it on a worker).
   *
   * @throws IllegalArgumentException when the authority or the credential is unusable
   */
  ConfidentialClientApplication application() {
    ConfidentialClientApplication a = app;
    if (a == null) {
      synchronized (this) {
        if (app == null) {
          app = build();
        }
        a = app;
      }
    }
    return a;
  }

  private ConfidentialClientApplication build() {
    IClientCredential credential = credential(graph);
    try {
      ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
          .builder(graph.clientId(), credential)
          .executorService(executor)
          .sslSocketFactory(trust.sslContext().getSocketFactory());
      URI authority = URI.create(graph.authority());
      String withTenant = authorityFor(authority, tenant);
      if (ENTRA_HOSTS.contains(authority.getHost())) {
        builder.authority(withTenant);
      } else {
        builder.oidcAuthority(withTenant + "v2.0").instanceDiscovery(false);
      }
      return builder.build();
    } catch (MalformedURLException | RuntimeException e) {
      throw new IllegalArgumentException("graph.authority " + graph.authority() + " cannot be used for tenant " + tenant
          + ": " + e.getMessage(), e);
    }
  }

  /** {@code https://host/} + tenant, or the authority with its tenant segment replaced. */
  static String authorityFor(URI authority, String tenant) {
    String path = authority.getPath() == null ? "" : authority.getPath().replaceAll("^/+|/+$", "");
    String base = authority.getScheme() + "://" + authority.getRawAuthority() + "/";
    if (path.isEmpty()) {
      return base + tenant + "/";
    }
    int last = path.lastIndexOf('/');
    return base + (last < 0 ? "" : path.substring(0, last + 1)) + tenant + "/";
  }

  private static IClientCredential credential(SwitchboardConfig.Graph graph) {
    if (graph.clientCertificatePath() != null) {
      Path file = Path.of(graph.clientCertificatePath());
      try (InputStream in = Files.newInputStream(file)) {
        String password = graph.clientCertificatePassword() == null ? "" : graph.clientCertificatePassword();
        return ClientCredentialFactory.createFromCertificate(in, password);
      } catch (Exception e) {
        throw new IllegalArgumentException("graph.clientCertificatePath " + file + " is not a readable PKCS#12 file "
            + "(check graph.clientCertificatePassword): " + e.getMessage(), e);
      }
    }
    return ClientCredentialFactory.createFromSecret(graph.clientSecret());
  }

  String tenant() {
    return tenant;
  }

  /** The bot application's client id ({@code graph.clientId}). */
  String clientId() {
    return graph.clientId();
  }

  /**
   * A token, from MSAL's cache when it holds a valid one.
   *
   * @param skipCache ask the authority even if the cache holds one (after Graph refused it)
   */
  Future<String> token(boolean skipCache) {
    ClientCredentialParameters parameters = ClientCredentialParameters.builder(scopes).skipCache(skipCache).build();
    ConfidentialClientApplication built = app;
    Future<ConfidentialClientApplication> application = built != null ? Future.succeededFuture(built)
        : vertx.executeBlocking(this::application, false);
    return application
        .compose(a -> Future.fromCompletionStage(a.acquireToken(parameters), vertx.getOrCreateContext()))
        .map(result -> result.accessToken())
        .recover(e -> Future.failedFuture(refused(e)));
  }

  private GraphException refused(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String detail = cause instanceof MsalException msal && msal.getMessage() != null ? msal.getMessage()
        : String.valueOf(cause.getMessage());
    return new GraphException(401, "tokenRefused", "Could not get a Graph token for tenant " + tenant
        + " from " + graph.authority() + ": " + detail.lines().findFirst().orElse(detail)
        + "; check graph.clientId and graph.clientSecret (or the certificate) for this tenant", null, null, cause);
  }
}
