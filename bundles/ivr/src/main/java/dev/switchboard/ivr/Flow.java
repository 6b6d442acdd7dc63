package dev.switchboard.ivr;

import java.util.List;
import java.util.Map;

/**
 * One loaded, valid flow file. Immutable: a call keeps the {@code Flow} it started with, whatever happens to the file
 * afterwards.
 *
 * @param name the flow's name ({@code name:}, else the file name without extension)
 * @param file the file name
 * @param version a short hash of the file's content
 * @param isDefault whether calls no other flow matches come here
 * @param matchTo called identities this flow takes (phone numbers or ids found in the call's targets)
 * @param matchFrom callers this flow takes
 * @param start the first node
 * @param steps the nodes by id, in file order
 */
record Flow(String name, String file, String version, boolean isDefault, List<String> matchTo,
    List<String> matchFrom, String start, Map<String, Step> steps) {

  Step step(String id) {
    return steps.get(id);
  }

  /** Whether this flow's {@code match:} takes a call to {@code called} from {@code caller}. */
  boolean matches(List<String> called, List<String> caller) {
    if (matchTo.isEmpty() && matchFrom.isEmpty()) {
      return false;
    }
    return (matchTo.isEmpty() || matchTo.stream().anyMatch(called::contains))
        && (matchFrom.isEmpty() || matchFrom.stream().anyMatch(caller::contains));
  }
}
