package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import java.util.Locale;

/** How the keys of a bundle's old version move to the new one during an update. */
public enum UpdateMode {
  /** The old version gets no new keys and keeps its own until they end (or the drain timeout). */
  DRAIN,
  /** The new version takes every key at once, continuing from the state store. */
  TAKEOVER;

  /**
   * Parses {@code drain} or {@code takeover}; {@code null} is {@link #DRAIN}.
   *
   * @throws SwitchboardException {@link ErrorCode#BAD_REQUEST} for anything else
   */
  public static UpdateMode parse(String text) {
    if (text == null || text.isEmpty()) {
      return DRAIN;
    }
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidMode", "mode must be drain or takeover, not '"
          + text + "'");
    }
  }
}
