package dev.switchboard.platform.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys (RSA and EC) an OpenID configuration publishes at its {@code jwks_uri}, cached: the one JWKS
 * fetcher of the platform, used for Graph's callback tokens and for the REST API's OpenID Connect tokens.
 *
 * <p>An unknown key id triggers one re-fetch (concurrent askers share it; at most one fetch per
 * {@code minInterval}, so forged key ids cannot make the server hammer the key endpoint), and the keys are
 * refreshed every {@code refreshEvery}. A key that disappears from a re-fetch stays usable until the next successful
 * fetch that still lacks it. Thread-safe; never blocks.
 */
public final class JwksSource {

  private static final Logger LOG = LoggerFactory.getLogger(JwksSource.class);

  private final Supplier<WebClient> webFactory;
  private final String configUrl;
  private final String purpose;
  private final Duration minInterval;
  private final Duration refreshEvery;
  private WebClient web;
  private volatile Map<String, PublicKey> keys = Map.of();
  private volatile long fetchedAt;
  private volatile long attemptedAt;
  private Future<Map<String, PublicKey>> inFlight;

  /**
   * @param web creates the client for the key endpoints, on the first fetch
   * @param configUrl the OpenID configuration ({@code .../.well-known/openid-configuration}) naming the {@code jwks_uri}
   * @param purpose what the keys verify, for log lines ("callback tokens", "REST API tokens")
   */
  public JwksSource(Supplier<WebClient> web, String configUrl, String purpose, Duration minInterval,
      Duration refreshEvery) {
    this.webFactory = web;
    this.configUrl = configUrl;
    this.purpose = purpose;
    this.minInterval = minInterval;
    this.refreshEvery = refreshEvery;
  }

  /** The key {@code kid}; fails with {@link TokenRejected} when it is not published even after a re-fetch. */
  public Future<PublicKey> key(String kid) {
    PublicKey known = keys.get(kid);
    long now = System.nanoTime();
    if (known != null && now - fetchedAt < refreshEvery.toNanos()) {
      return Future.succeededFuture(known);
    }
    Future<Map<String, PublicKey>> fetching;
    synchronized (this) {
      if (inFlight != null) {
        fetching = inFlight; // a fetch under way (e.g. the one at start) may bring the key
      } else if (known == null && attemptedAt != 0 && now - attemptedAt < minInterval.toNanos()) {
        return Future.failedFuture(notPublished(kid));
      } else {
        fetching = fetch();
      }
    }
    return fetching.compose(fresh -> {
      PublicKey key = fresh.get(kid);
      if (key == null && known != null) {
        return Future.succeededFuture(known);
      }
      return key != null ? Future.succeededFuture(key) : Future.failedFuture(notPublished(kid));
    }, failure -> known != null ? Future.succeededFuture(known) : Future.failedFuture(failure));
  }

  private TokenRejected notPublished(String kid) {
    return new TokenRejected("signing key '" + kid + "' is not published at " + configUrl);
  }

  /** Fetches the keys now (shared with any fetch in flight). */
  public synchronized Future<Map<String, PublicKey>> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
    attemptedAt = System.nanoTime();
    Promise<Map<String, PublicKey>> promise = Promise.promise();
    inFlight = promise.future();
    if (web == null) {
      web = webFactory.get();
    }
    web.getAbs(configUrl).send()
        .compose(config -> {
          String jwksUri = config.statusCode() == 200 ? config.bodyAsJsonObject().getString("jwks_uri") : null;
          if (jwksUri == null) {
            return Future.failedFuture("the OpenID configuration " + configUrl + " answered " + config.statusCode()
                + " without a jwks_uri");
          }
          return web.getAbs(jwksUri).send();
        })
        .map(jwks -> parse(jwks.bodyAsJsonObject()))
        .onComplete(ar -> {
          synchronized (this) {
            inFlight = null;
          }
          if (ar.succeeded()) {
            keys = ar.result();
            fetchedAt = System.nanoTime();
            promise.complete(ar.result());
          } else {
            LOG.warn("Could not fetch the signing keys of {} from {}: {}; they cannot be verified until it works",
                purpose, configUrl, ar.cause().getMessage());
            promise.fail(new TokenRejected("the signing keys could not be fetched from " + configUrl));
          }
        });
    return promise.future();
  }

  private static Map<String, PublicKey> parse(JsonObject jwks) {
    Map<String, PublicKey> parsed = new HashMap<>();
    JsonArray listed = jwks.getJsonArray("keys", new JsonArray());
    for (Object o : listed) {
      if (!(o instanceof JsonObject json) || json.getString("kid") == null) {
        continue;
      }
      try {
        JWK jwk = JWK.parse(json.encode());
        if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
          continue;
        }
        if (jwk instanceof RSAKey rsa) {
          parsed.put(jwk.getKeyID(), rsa.toRSAPublicKey());
        } else if (jwk instanceof ECKey ec) {
          parsed.put(jwk.getKeyID(), ec.toECPublicKey());
        }
      } catch (ParseException | JOSEException ex) {
        LOG.warn("Ignoring unreadable signing key {}: {}", json.getString("kid"), ex.getMessage());
      }
    }
    return Map.copyOf(parsed);
  }
}
