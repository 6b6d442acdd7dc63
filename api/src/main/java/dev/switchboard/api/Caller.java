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
 * @param name the API key's name, the OpenID Connect token's subject, or {@code anonymous} when the API is open
 * @param scopes the scopes the credential grants (empty for {@link Kind#NONE}, which is allowed everything)
 */
public record Caller(Kind kind, String name, Set<String> scopes) {

  /** How a caller authenticated. */
  public enum Kind {
    /** An API key created through the admin API ({@code switchboard keys create}). */
    KEY,
    /** A bearer token of the configured OpenID Connect issuer ({@code api.oidc.*}). */
    OIDC,
    /** No credential: the API is open ({@code api.auth: none}). */
    NONE
  }

  /** The caller of every request while the API is open ({@code api.auth: none}). */
  public static final Caller ANONYMOUS = new Caller(Kind.NONE, "anonymous", Set.of());

  public Caller {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    scopes = Set.copyOf(scopes);
  }

  /**
   * Whether this caller may use something that needs {@code scope} (e.g. {@code calls:write}). A scope is held
   * when it is granted as such, when {@code *} is granted, or when {@code <prefix>:*} is granted for a scope
   * {@code <prefix>:<anything>}. A caller of kind {@link Kind#NONE} is allowed everything.
   */
  public boolean allows(String scope) {
    if (kind == Kind.NONE || scopes.contains(scope) || scopes.contains("*")) {
      return true;
    }
    int colon = scope.indexOf(':');
    return colon > 0 && scopes.contains(scope.substring(0, colon + 1) + "*");
  }
}
