package dev.switchboard.calling;

import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.TransferStatus;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One call as the calling bundle keeps it: the public view ({@link CallView}, what commands reply and events carry)
 * and the bookkeeping that lets any version of the plugin continue the call. Immutable.
 *
 * @param view the call as bots see it
 * @param tonesSeen the sequence ids of the latest tones, to drop duplicates (at most {@link #REMEMBERED})
 * @param operationsReported the latest operations reported finished, to report each once
 * @param subscribeOnEstablished whether to subscribe to tones once the call is established (an answer asked for it)
 */
record Call(CallView view, List<Long> tonesSeen, ReportedOperations operationsReported,
    boolean subscribeOnEstablished) {

  /** How many tone sequence ids and operation ids a call remembers. */
  static final int REMEMBERED = 64;

  Call {
    Objects.requireNonNull(view, "view");
    tonesSeen = lastOf(tonesSeen);
    operationsReported = operationsReported == null ? ReportedOperations.NONE : operationsReported;
  }

  static Call of(CallView view) {
    return new Call(view, List.of(), ReportedOperations.NONE, false);
  }

  String id() {
    return view.id();
  }

  CallState state() {
    return view.state();
  }

  boolean terminated() {
    return view.terminated();
  }

  /** This call with its view changed by {@code change}. */
  Call with(UnaryOperator<CallView.Builder> change) {
    return withView(change.apply(view.toBuilder()).build());
  }

  Call withView(CallView next) {
    return new Call(next, tonesSeen, operationsReported, subscribeOnEstablished);
  }

  Call withToneSeen(long sequenceId) {
    return new Call(view, append(tonesSeen, sequenceId), operationsReported, subscribeOnEstablished);
  }

  Call withOperationReported(String operationId) {
    return new Call(view, tonesSeen, operationsReported.with(operationId), subscribeOnEstablished);
  }

  Call withSubscribeOnEstablished(boolean subscribe) {
    return new Call(view, tonesSeen, operationsReported, subscribe);
  }

  /** Whether a notification saying {@code next} is older than what the call already knows. */
  boolean isStale(CallState next) {
    CallState current = state();
    if (terminated()) {
      return true;
    }
    if (next == CallState.ESTABLISHED && (current == CallState.TRANSFERRING
        || current == CallState.TRANSFER_ACCEPTED || current == CallState.HOLD)) {
      return false; // a failed transfer, or the end of a hold, goes back to established
    }
    TransferStatus transfer = view.transfer() == null ? null : view.transfer().status();
    if ((next == CallState.TRANSFERRING || next == CallState.TRANSFER_ACCEPTED) && transfer != null
        && transfer != TransferStatus.REQUESTED && transfer != TransferStatus.TRANSFERRING) {
      return true; // a late notification of a transfer that has already failed
    }
    return rank(next) < rank(current);
  }

  /** Graph's call states in their order of progress; a state that ranks lower than the call's is stale. */
  private static int rank(CallState state) {
    if (state == null) {
      return -1;
    }
    return switch (state) {
      case INCOMING -> 0;
      case ESTABLISHING -> 1;
      case RINGING, REDIRECTING -> 2;
      case ESTABLISHED, HOLD -> 3;
      case TRANSFERRING -> 4;
      case TRANSFER_ACCEPTED -> 5;
      case TERMINATING -> 6;
      case TERMINATED -> 7;
    };
  }

  private static <T> List<T> append(List<T> list, T value) {
    List<T> out = new java.util.ArrayList<>(list);
    out.add(value);
    return out;
  }

  private static <T> List<T> lastOf(List<T> list) {
    List<T> copy = list == null ? List.of() : List.copyOf(list);
    return copy.size() <= REMEMBERED ? copy : copy.subList(copy.size() - REMEMBERED, copy.size());
  }
}
