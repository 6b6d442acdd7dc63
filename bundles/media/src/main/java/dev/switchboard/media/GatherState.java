package dev.switchboard.media;

import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaStatus;
import java.util.List;
import java.util.Objects;

/**
 * The gather under way on a call: what it waits for, and the digits so far.
 *
 * @param promptDone whether its prompts have finished (or were cut short by a key): the overall timeout runs from
 *     then
 * @param sequenceIds Graph's {@code toneInfo.sequenceId} of each digit, in the digits' order ({@code -1} when unknown):
 *     a tone Graph delivers late is put back in its place
 */
record GatherState(String operationId, int maxDigits, String terminator, long interDigitTimeoutMs, long timeoutMs,
    boolean bargeIn, String digits, boolean promptDone, List<Long> sequenceIds) {

  GatherState {
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(digits, "digits");
    sequenceIds = sequenceIds == null || sequenceIds.size() != digits.length()
        ? java.util.Collections.nCopies(digits.length(), -1L) : List.copyOf(sequenceIds);
  }

  GatherState(String operationId, int maxDigits, String terminator, long interDigitTimeoutMs, long timeoutMs,
      boolean bargeIn, String digits, boolean promptDone) {
    this(operationId, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, digits, promptDone, null);
  }

  static GatherState of(String operationId, MediaCommand.Gather command) {
    return new GatherState(operationId, command.maxDigits(), command.terminator(), command.interDigitTimeoutMs(),
        command.timeoutMs(), command.bargeIn(), "", command.prompts().isEmpty());
  }

  GatherState withDigit(String key) {
    return withDigit(key, null);
  }

  /**
   * With {@code key} added: after the others, or, when Graph delivered it late (its {@code sequenceId} is lower than
   * one already collected), before the first digit pressed after it.
   */
  GatherState withDigit(String key, Long sequenceId) {
    long seq = sequenceId == null ? -1 : sequenceId;
    int at = digits.length();
    if (seq >= 0) {
      while (at > 0 && sequenceIds.get(at - 1) > seq) {
        at--;
      }
    }
    List<Long> ids = new java.util.ArrayList<>(sequenceIds);
    ids.add(at, seq);
    return new GatherState(operationId, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn,
        digits.substring(0, at) + key + digits.substring(at), promptDone, ids);
  }

  GatherState withPromptDone() {
    return new GatherState(operationId, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, digits, true,
        sequenceIds);
  }

  MediaStatus.Gathering view() {
    return new MediaStatus.Gathering(operationId, digits, maxDigits, terminator, promptDone);
  }
}
