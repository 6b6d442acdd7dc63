package dev.switchboard.emulator.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.Locale;

/**
 * HTTP clients for what the emulator fetches or posts (prompt files, notifications).
 *
 * <p>Both {@code http://} and {@code https://} URLs are accepted. A loopback host (127.0.0.0/8,
 * {@code ::1}, {@code localhost}) is trusted whatever certificate it presents, since a bot under
 * test serves a self-signed one; any other host must present a certificate the JVM trusts.
 */
public final class OutboundClients {

  /** Connections at once to one host (a bot's callback URL, a prompt server). */
  static final int POOL_SIZE = 64;

  private final WebClient loopback;
  private final WebClient remote;

  public OutboundClients(Vertx vertx) {
    WebClientOptions base = new WebClientOptions()
        .setUserAgent("Switchboard-Graph-Emulator")
        .setConnectTimeout(5_000)
        .setFollowRedirects(true);
    // Graph delivers the notifications of different calls at once, from many machines; Vert.x's default pool (5
    // connections a host) made every call's notifications wait behind the slowest answers of the others.
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(POOL_SIZE);
    this.loopback = WebClient.create(vertx, new WebClientOptions(base).setTrustAll(true).setVerifyHost(false), pool);
    this.remote = WebClient.create(vertx, base, pool);
  }

  /** The client to use for {@code url}. */
  public WebClient forUrl(String url) {
    return isLoopback(URI.create(url).getHost()) ? loopback : remote;
  }

  /** Closes both clients. */
  public void close() {
    loopback.close();
    remote.close();
  }

  /**
   * Validates an absolute {@code http} or {@code https} URL.
   *
   * @return {@code null} when valid, else what is wrong with it
   */
  public static String checkUrl(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return "'" + url + "' is not an absolute http(s) URL";
      }
      if (uri.getHost() == null) {
        return "'" + url + "' has no host";
      }
      return null;
    } catch (Exception e) {
      return "'" + url + "' is not a valid URL";
    }
  }

  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
  }
}
