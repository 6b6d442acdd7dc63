package dev.switchboard.platform.richdata;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.platform.jwt.JwksSource;
import dev.switchboard.platform.jwt.JwtVerifier;
import dev.switchboard.platform.jwt.TokenRejected;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Change notifications with resource data (Graph's rich notifications): the checks and the decryption the
 * subscription manager applies before a plugin sees one. The collection's {@code validationTokens} must all be
 * valid: RS256 JWTs signed by a key of {@code graph.validationTokenOpenIdConfigUrl}, unexpired, issued by
 * {@code graph.validationTokenIssuer} to this bot ({@code aud} = {@code graph.clientId}) for Graph's change-notification
 * publisher ({@code appid} or {@code azp} = {@value #PUBLISHER_APP_ID}); then the {@code encryptedContent} must be
 * signed and encrypted for one of this server's {@link EncryptionKeys} ({@link ResourceDataCipher}).
 *
 * <p>Thread-safe; the futures complete on the caller's context.
 */
public final class RichNotifications {

  /** The app id of Graph's change-notification publisher, in {@code appid}/{@code azp} of validation tokens. */
  public static final String PUBLISHER_APP_ID = "0bf30f3b-4a52-48df-9a82-234910c4a086";
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final int MAX_REMEMBERED = 1000;

  private final Vertx vertx;
  private final EncryptionKeys keys;
  private final JwtVerifier<Void> tokens;

  /**
   * @param tokenKeys the signing keys of validation tokens
   * @param issuer the {@code iss} validation tokens must have
   * @param audience the bot's client id, their {@code aud}
   */
  public RichNotifications(Vertx vertx, EncryptionKeys keys, JwksSource tokenKeys, String issuer, String audience) {
    this.vertx = vertx;
    this.keys = keys;
    this.tokens = new JwtVerifier<>(tokenKeys, List.of(JWSAlgorithm.RS256), SKEW, MAX_REMEMBERED,
        claims -> checkClaims(claims, issuer, audience));
  }

  /** The key pairs resource data is encrypted for. */
  public EncryptionKeys keys() {
    return keys;
  }

  /** Checks every token of {@code batch} (once per batch); fails with {@link RefusedResourceData}. */
  public Future<Void> verify(ValidationTokens batch) {
    return batch.once(list -> {
      if (list.isEmpty()) {
        return Future.failedFuture(new RefusedResourceData("invalidValidationToken", "the notification collection"
            + " has no validationTokens, which Graph always sends with resource data"));
      }
      List<Future<Void>> checks = new ArrayList<>();
      for (String token : list) {
        checks.add(tokens.verify(token));
      }
      return Future.all(checks).<Void>mapEmpty().recover(e -> Future.failedFuture(
          new RefusedResourceData("invalidValidationToken", "a validation token is refused: " + e.getMessage())));
    });
  }

  /**
   * The notification with its {@code encryptedContent} decrypted into {@code resourceData} (and removed), on a
   * worker thread; fails with {@link RefusedResourceData} when it has none or it does not pass the checks.
   */
  public Future<JsonObject> open(JsonObject notification) {
    if (!(notification.getValue("encryptedContent") instanceof JsonObject encrypted)) {
      return Future.failedFuture(new RefusedResourceData("missingEncryptedContent", "the subscription asked for"
          + " resource data but the notification has no encryptedContent"));
    }
    return vertx.executeBlocking(() -> {
      JsonObject resource = ResourceDataCipher.decrypt(encrypted, keys);
      JsonObject opened = notification.copy();
      opened.remove("encryptedContent");
      opened.put("resourceData", resource);
      return opened;
    }, false);
  }

  static Void checkClaims(JWTClaimsSet claims, String issuer, String audience) throws TokenRejected {
    if (!issuer.equals(claims.getIssuer())) {
      throw new TokenRejected("its issuer " + claims.getIssuer() + " is not " + issuer
          + " (graph.validationTokenIssuer)");
    }
    if (audience == null || !claims.getAudience().contains(audience)) {
      throw new TokenRejected("its audience " + claims.getAudience() + " is not this bot (graph.clientId "
          + audience + ")");
    }
    Object appId = claims.getClaim("appid") != null ? claims.getClaim("appid") : claims.getClaim("azp");
    if (!PUBLISHER_APP_ID.equals(appId)) {
      throw new TokenRejected("it was issued to app " + appId + ", not to Graph's change-notification publisher "
          + PUBLISHER_APP_ID);
    }
    return null;
  }
}
