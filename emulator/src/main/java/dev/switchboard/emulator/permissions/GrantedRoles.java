package dev.switchboard.emulator.permissions;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The application permissions granted (admin-consented) to the emulator's registered application:
 * what the token endpoint puts in the {@code roles} claim of the tokens it issues from then on.
 * Tokens already issued keep their roles, as with Entra ID.
 *
 * <p>Changed on the emulator's event loop (control API, reset); read from any thread.
 */
public final class GrantedRoles {

  private final Set<GraphPermission> configured;
  private volatile Set<GraphPermission> granted;

  /** @param configured what the application is granted at start and after {@link #reset()} */
  public GrantedRoles(Collection<GraphPermission> configured) {
    this.configured = copy(configured);
    this.granted = this.configured;
  }

  /** What is granted now. */
  public Set<GraphPermission> granted() {
    return granted;
  }

  /** What is granted at start and after a reset. */
  public Set<GraphPermission> configured() {
    return configured;
  }

  /** The granted permissions' names, as a token's {@code roles} claim lists them. */
  public List<String> names() {
    return granted.stream().map(GraphPermission::scope).toList();
  }

  /** Grants exactly these. */
  public void replace(Collection<GraphPermission> permissions) {
    granted = copy(permissions);
  }

  /** Grants these too. */
  public void grant(Collection<GraphPermission> permissions) {
    Set<GraphPermission> next = EnumSet.noneOf(GraphPermission.class);
    next.addAll(granted);
    next.addAll(permissions);
    granted = copy(next);
  }

  /** Takes these away. */
  public void revoke(Collection<GraphPermission> permissions) {
    Set<GraphPermission> next = EnumSet.noneOf(GraphPermission.class);
    next.addAll(granted);
    next.removeAll(permissions);
    granted = copy(next);
  }

  /** Back to the configured grants. */
  public void reset() {
    granted = configured;
  }

  /** An unmodifiable copy, in declaration order. */
  private static Set<GraphPermission> copy(Collection<GraphPermission> permissions) {
    Set<GraphPermission> out = EnumSet.noneOf(GraphPermission.class);
    out.addAll(permissions);
    return Collections.unmodifiableSet(out);
  }
}
