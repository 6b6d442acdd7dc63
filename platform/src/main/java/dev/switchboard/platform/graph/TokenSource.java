package dev.switchboard.platform.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import dev.switchboard.api.GraphException;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only tokens for one tenant from one MSAL {@link ConfidentialClientApplication}, whose cache is reused by
 * every request: MSAL answers from the cache until the token nears expiry. For a non-Entra authority (the
 * emulator) MSAL is pointed at the OpenID configuration of {@code <authority>/v2.0} with instance discovery off,
 * which also keeps its cache working on a port other than 443.
 *
 * <p>A failure is either a refusal (the authority answered 4xx: wrong credentials or tenant; {@code tokenRefused},
 * 401) or an outage (it answered 429 or 5xx, or did not answer: {@code tokenUnavailable}, 503), which callers wait
 * out. The source remembers whether its last attempt failed ({@link #problem()}, for readiness) and logs an outage
 * once when it begins and once when it ends.
 */
final class TokenSource {

  private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);

  /** The code of a token that could not be had because the authority is unavailable; worth waiting for. */
  static final String UNAVAILABLE = "tokenUnavailable";
  private static final Pattern STATUS = Pattern.compile("status code:? (\\d{3})");

  private static final Set<String> ENTRA_HOSTS = Set.of("login.microsoftonline.com", "login.microsoftonline.us",
      "login.chinacloudapi.cn", "login.partner.microsoftonline.cn", "login.windows.net");

  private final String tenant;
  private final Set<String> scopes;
  private final SwitchboardConfig.Graph graph;
  private final TrustSupport trust;
  private final ExecutorService executor;
  private volatile ConfidentialClientApplication app;
  private final Vertx vertx;
  /** Why the last attempt to get a token failed, and since when; null after a success. */
  private final AtomicReference<Outage> outage = new AtomicReference<>();

  private record Outage(String problem, long sinceNanos, int failures) {
  }

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
        .map(result -> {
          obtained();
          return result.accessToken();
        })
        .recover(e -> Future.failedFuture(failed(e)));
  }

  /**
   * Why the last attempt to get a token failed ({@code tokenRefused} or {@code tokenUnavailable}), or null when it
   * succeeded or none was made yet.
   */
  String problem() {
    Outage o = outage.get();
    return o == null ? null : o.problem();
  }

  private void obtained() {
    Outage ended = outage.getAndSet(null);
    if (ended != null) {
      LOG.info("Graph token for tenant {} obtainable again after {} ms ({} attempts failed)", tenant,
          (System.nanoTime() - ended.sinceNanos()) / 1_000_000, ended.failures());
    }
  }

  private GraphException failed(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String detail = cause instanceof MsalException msal && msal.getMessage() != null ? msal.getMessage()
        : String.valueOf(cause.getMessage());
    detail = detail.lines().findFirst().orElse(detail).replaceFirst(" with http body:.*", "");
    GraphException failure;
    if (unavailable(cause)) {
      failure = new GraphException(503, UNAVAILABLE, "Graph token for tenant " + tenant + " not obtainable: "
          + graph.authority() + " is unavailable (" + detail + "); Graph requests wait and retry with backoff, up to"
          + " graph.retryBudget", null, null, cause);
    } else {
      failure = new GraphException(401, "tokenRefused", "Could not get a Graph token for tenant " + tenant
          + " from " + graph.authority() + ": " + detail
          + "; check graph.clientId and graph.clientSecret (or the certificate) for this tenant", null, null, cause);
    }
    Outage before = outage.getAndUpdate(o -> new Outage(failure.getMessage(),
        o == null ? System.nanoTime() : o.sinceNanos(), o == null ? 1 : o.failures() + 1));
    if (before == null) {
      LOG.warn("{}", failure.getMessage());
    }
    return failure;
  }

  /**
   * Whether the authority is unavailable rather than refusing: it answered 429 or 5xx, or MSAL could not reach it
   * (an I/O error or a timeout somewhere in the cause chain). A 4xx is a refusal: waiting does not help.
   */
  static boolean unavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof MsalServiceException service) {
        // MSAL sets no status for an answer that is not an Entra error ("Http request returned status code: 503")
        Matcher m = STATUS.matcher(String.valueOf(service.getMessage()));
        Integer status = service.statusCode() != null ? service.statusCode()
            : m.find() ? Integer.valueOf(m.group(1)) : null;
        return status != null && (status == 429 || status >= 500);
      }
      if (t instanceof IOException || t instanceof TimeoutException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
