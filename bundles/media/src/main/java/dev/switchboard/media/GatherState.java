package dev.switchboard.media;

import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaStatus;
import java.util.Objects;

/**
 * The gather under way on a call: what it waits for, and the digits so far.
 *
 * @param promptDone whether its prompts have finished (or were cut short by a key): the overall timeout runs from
 *     then
 */
record GatherState(String operationId, int maxDigits, String terminator, long interDigitTimeoutMs, long timeoutMs,
    boolean bargeIn, String digits, boolean promptDone) {

  GatherState {
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(digits, "digits");
  }

  static GatherState of(String operationId, MediaCommand.Gather command) {
    return new GatherState(operationId, command.maxDigits(), command.terminator(), command.interDigitTimeoutMs(),
        command.timeoutMs(), command.bargeIn(), "", command.prompts().isEmpty());
  }

  GatherState withDigit(String key) {
    return new GatherState(operationId, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, digits + key,
        promptDone);
  }

  GatherState withPromptDone() {
    return new GatherState(operationId, maxDigits, terminator, interDigitTimeoutMs, timeoutMs, bargeIn, digits, true);
  }

  MediaStatus.Gathering view() {
    return new MediaStatus.Gathering(operationId, digits, maxDigits, terminator, promptDone);
  }
}
