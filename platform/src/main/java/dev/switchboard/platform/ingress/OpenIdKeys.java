package dev.switchboard.platform.ingress;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RSA signing keys of an OpenID configuration ({@code jwks_uri}), cached. An unknown key id triggers one
 * re-fetch (concurrent askers share it; at most one fetch per {@code minInterval}, so forged key ids cannot
 * make the server hammer the key endpoint), and the keys are refreshed every {@code refreshEvery}.
 */
final class OpenIdKeys {

  private static final Logger LOG = LoggerFactory.getLogger(OpenIdKeys.class);

  private final Vertx vertx;
  private final java.util.function.Supplier<WebClient> webFactory;
  private WebClient web;
  private final String configUrl;
  private final Duration minInterval;
  private final Duration refreshEvery;
  private volatile Map<String, PublicKey> keys = Map.of();
  private volatile long fetchedAt;
  private Future<Map<String, PublicKey>> inFlight;

  /** @param web creates the client for the key endpoints, on the first fetch */
  OpenIdKeys(Vertx vertx, java.util.function.Supplier<WebClient> web, String configUrl, Duration minInterval,
      Duration refreshEvery) {
    this.vertx = vertx;
    this.webFactory = web;
    this.configUrl = configUrl;
    this.minInterval = minInterval;
    this.refreshEvery = refreshEvery;
  }

  /** The key {@code kid}; fails when it is not published even after a re-fetch. */
  Future<PublicKey> key(String kid) {
    PublicKey known = keys.get(kid);
    long age = System.nanoTime() - fetchedAt;
    if (known != null && age < refreshEvery.toNanos()) {
      return Future.succeededFuture(known);
    }
    if (known == null && fetchedAt != 0 && age < minInterval.toNanos()) {
      return Future.failedFuture(new TokenRejected("signing key '" + kid + "' is not published at " + configUrl));
    }
    return fetch().compose(fresh -> {
      PublicKey key = fresh.get(kid);
      if (key == null && known != null) {
        return Future.succeededFuture(known);
      }
      return key != null ? Future.succeededFuture(key)
          : Future.failedFuture(new TokenRejected("signing key '" + kid + "' is not published at " + configUrl));
    });
  }

  /** Fetches the keys now (shared with any fetch in flight). */
  synchronized Future<Map<String, PublicKey>> fetch() {
    if (inFlight != null) {
      return inFlight;
    }
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
            LOG.warn("Could not fetch the callback signing keys from {}: {}; callbacks cannot be verified until it works",
                configUrl, ar.cause().getMessage());
            promise.fail(new TokenRejected("the signing keys could not be fetched from " + configUrl));
          }
        });
    return promise.future();
  }

  private static Map<String, PublicKey> parse(JsonObject jwks) {
    Map<String, PublicKey> parsed = new HashMap<>();
    JsonArray listed = jwks.getJsonArray("keys", new JsonArray());
    for (Object o : listed) {
      if (!(o instanceof JsonObject jwk) || jwk.getString("kid") == null || !"RSA".equals(jwk.getString("kty"))) {
        continue;
      }
      try {
        parsed.put(jwk.getString("kid"), RSAKey.parse(jwk.encode()).toRSAPublicKey());
      } catch (ParseException | JOSEException ex) {
        LOG.warn("Ignoring unreadable signing key {}: {}", jwk.getString("kid"), ex.getMessage());
      }
    }
    return Map.copyOf(parsed);
  }
}
