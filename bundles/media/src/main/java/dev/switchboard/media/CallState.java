package dev.switchboard.media;

import dev.switchboard.api.media.MediaStatus;
import dev.switchboard.api.media.OperationStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The media of one call, as the owner of the call's key keeps it in the state store: immutable, each message makes a
 * new one ({@link Step}).
 *
 * @param tenantId the call's tenant (Graph actions on the call are made in it)
 * @param toneSubscribed whether the call's keys are subscribed to
 * @param ended whether the call has ended (it is forgotten once no recording is still downloading)
 * @param operations the call's operations by id, oldest first: every one not yet ended, and the latest
 *     {@value #FINISHED_KEPT} that ended (those that ended earlier are forgotten, so that a long call's state stays small; a late
 *     notification of a forgotten operation is ignored, as one of an unknown operation)
 * @param gather the gather under way, or {@code null}
 */
record CallState(String callId, String tenantId, boolean toneSubscribed, boolean ended,
    Map<String, Operation> operations, GatherState gather) {

  /** How many ended operations a call keeps (the latest). */
  static final int FINISHED_KEPT = 4;

  CallState {
    Objects.requireNonNull(callId, "callId");
    operations = java.util.Collections.unmodifiableMap(withoutOldFinished(operations));
  }

  static CallState begin(String callId, String tenantId, boolean toneSubscribed) {
    return new CallState(callId, tenantId, toneSubscribed, false, Map.of(), null);
  }

  CallState with(Operation operation) {
    Map<String, Operation> ops = new LinkedHashMap<>(operations);
    ops.put(operation.id(), operation);
    return new CallState(callId, tenantId, toneSubscribed, ended, ops, gather);
  }

  /** The call without the operation, nor the gather, if it was that operation's. */
  CallState without(String operationId) {
    Map<String, Operation> ops = new LinkedHashMap<>(operations);
    ops.remove(operationId);
    return new CallState(callId, tenantId, toneSubscribed, ended, ops,
        gather != null && gather.operationId().equals(operationId) ? null : gather);
  }

  CallState withGather(GatherState gather) {
    return new CallState(callId, tenantId, toneSubscribed, ended, operations, gather);
  }

  CallState withToneSubscribed() {
    return new CallState(callId, tenantId, true, ended, operations, gather);
  }

  CallState withEnded() {
    return new CallState(callId, tenantId, toneSubscribed, true, operations, gather);
  }

  Operation operation(String operationId) {
    return operations.get(operationId);
  }

  /** The operation a Graph operation belongs to: by the client context it was started with, else by its id. */
  Optional<Operation> forGraphOperation(String clientContext, String graphOperationId) {
    if (clientContext != null && operations.containsKey(clientContext)) {
      return Optional.of(operations.get(clientContext));
    }
    return operations.values().stream().filter(op -> op.graphOperationIds().contains(graphOperationId)).findFirst();
  }

  List<Operation> withStatus(OperationStatus status) {
    return new ArrayList<>(operations.values().stream().filter(op -> op.status() == status).toList());
  }

  /** Whether the call can be forgotten: it ended and no recording is still being downloaded. */
  boolean finished() {
    return ended && withStatus(OperationStatus.DOWNLOADING).isEmpty();
  }

  private static Map<String, Operation> withoutOldFinished(Map<String, Operation> operations) {
    Map<String, Operation> ops = new LinkedHashMap<>(operations);
    List<Operation> finished = ops.values().stream().filter(op -> op.status().isFinal())
        .sorted(java.util.Comparator.comparing(Operation::endedAt, java.util.Comparator.nullsFirst(
            java.util.Comparator.naturalOrder()))).toList();
    finished.subList(0, Math.max(0, finished.size() - FINISHED_KEPT)).forEach(op -> ops.remove(op.id()));
    return ops;
  }

  MediaStatus view() {
    return new MediaStatus(callId, toneSubscribed, ended, operations.values().stream().map(Operation::view).toList(),
        gather == null ? null : gather.view());
  }
}
