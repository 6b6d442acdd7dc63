package dev.switchboard.emulator.permissions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The application permissions an operation needs: every clause must be met, and a clause is met by
 * any one of its permissions ({@code (Calls.JoinGroupCall.All or Calls.JoinGroupCallAsGuest.All)
 * and Calls.AccessMedia.All}). {@link #NONE} has no clause.
 *
 * @param clauses the clauses, each a non-empty set of alternatives
 */
record Requirement(List<Set<GraphPermission>> clauses) {

  /** Nothing beyond a valid token. */
  static final Requirement NONE = new Requirement(List.of());

  public Requirement {
    clauses = clauses.stream().map(c -> {
      if (c.isEmpty()) {
        throw new IllegalArgumentException("a clause needs at least one permission");
      }
      return Set.copyOf(EnumSet.copyOf(c));
    }).toList();
  }

  /** One clause: any of these permissions. */
  static Requirement anyOf(GraphPermission first, GraphPermission... more) {
    return new Requirement(List.of(EnumSet.of(first, more)));
  }

  /** This requirement and {@code other}'s. */
  Requirement and(Requirement other) {
    List<Set<GraphPermission>> all = new ArrayList<>(clauses);
    all.addAll(other.clauses);
    return new Requirement(all);
  }

  /** The clauses that none of {@code roles} (permission names, as in a token's {@code roles} claim) meets. */
  List<Set<GraphPermission>> unmetBy(Collection<String> roles) {
    return clauses.stream().filter(c -> c.stream().noneMatch(p -> roles.contains(p.scope()))).toList();
  }

  @Override
  public String toString() {
    return clauses.isEmpty() ? "none" : clauses.stream()
        .map(c -> c.size() == 1 ? GraphPermission.names(c) : "one of (" + GraphPermission.names(c) + ")")
        .collect(Collectors.joining(" and "));
  }
}
