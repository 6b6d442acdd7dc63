package dev.switchboard.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who made a REST request, as the platform authenticated it before the route's handler was called. Immutable.
 *
 * <p>The platform has already checked that the caller {@linkplain #allows holds} the scope the route was registered
 * with; a handler may check finer scopes of its own with {@link #allows(String)}.
 *
 * @param kind how the caller authenticated
 * @param name the API key's name, the OpenID Connect token's subject, {@code anonymous} when the API is open, or
 *     {@code public} on a public route
 * @param scopes the scopes the credential grants ({@code *}: all of them)
 */
public record Caller(Kind kind, String name, Set<String> scopes) {

  /** How a caller authenticated. */
  public enum Kind {
    /** An API key created through the admin API ({@code switchboard keys create}). */
    KEY,
    /** A bearer token of the configured OpenID Connect issuer ({@code api.oidc.*}). */
    OIDC,
    /** No credential: the API is open ({@code api.auth: none}), or the route is public. */
    NONE
  }

  /** The caller of every REST request while the API is open ({@code api.auth: none}): it holds every scope. */
  public static final Caller ANONYMOUS = new Caller(Kind.NONE, "anonymous", Set.of("*"));

  /**
   * The caller of a {@linkplain PluginContext#publicRoute public route}, which takes no credential: it holds no
   * scope.
   */
  public static final Caller PUBLIC = new Caller(Kind.NONE, "public", Set.of());

  public Caller {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    scopes = Set.copyOf(scopes);
  }

  /**
   * Whether this caller may use something that needs {@code scope} (e.g. {@code calls:write}). A scope is held
   * when it is granted as such, when {@code *} is granted, or when {@code <prefix>:*} is granted for a scope
   * {@code <prefix>:<anything>}.
   */
  public boolean allows(String scope) {
    if (scopes.contains(scope) || scopes.contains("*")) {
      return true;
    }
    int colon = scope.indexOf(':');
    return colon > 0 && scopes.contains(scope.substring(0, colon + 1) + "*");
  }
}
