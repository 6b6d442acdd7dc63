package dev.switchboard.calling;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.calls.CallDirection;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallKind;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.CallView;
import dev.switchboard.api.calls.OperationView;
import dev.switchboard.api.calls.ParticipantView;
import dev.switchboard.api.calls.ResultInfo;
import dev.switchboard.api.calls.Tone;
import dev.switchboard.api.calls.TransferStatus;
import dev.switchboard.api.calls.TransferView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one Graph calling notification to a call and says which events follow. A pure function: no I/O, no clock
 * (the time is an argument), so the rules for duplicates and out-of-order notifications are in one place and
 * testable with Graph's own examples.
 *
 * <ul>
 *   <li>A state older than the call's (Graph sometimes sends {@code established} before {@code establishing}) is
 *       ignored; so is anything after {@code terminated}. A repeated state changes nothing.
 *   <li>A tone whose {@code sequenceId} was seen is dropped; one older than the newest seen is delivered, flagged
 *       {@code outOfOrder}.
 *   <li>A roster equal to the call's publishes nothing; an operation already reported is not reported again.
 * </ul>
 */
final class NotificationApplier {

  /**
   * What applying a notification produced.
   *
   * @param call the call afterwards ({@code null} only if there was none and the notification created none)
   * @param events the events to publish once the call is stored, in order
   * @param changed whether the call changed (it must be stored)
   * @param incoming whether the notification announced a new incoming call (the claim window starts)
   * @param established whether the call just reached {@code established} for the first time (keepAlive starts)
   */
  record Applied(Call call, List<PendingEvent> events, boolean changed, boolean incoming, boolean established) {
  }

  /** The reason of a call the bundle rejected because no bot claimed it. */
  static final String UNCLAIMED_REASON = "rejected busy by the calling bundle: no bot claimed the call in time";

  private Call call;
  private final List<PendingEvent> events = new ArrayList<>();
  private boolean changed;
  private boolean established;
  private final Instant now;

  private NotificationApplier(Call call, Instant now) {
    this.call = call;
    this.now = now;
  }

  /**
   * @param call the call as stored, or {@code null} when the notification is the first about it
   * @param notification the verified notification (its key is the call id)
   * @param now the time to record
   * @param claimWindow how long a new incoming call waits for a bot to claim it
   */
  static Applied apply(Call call, KeyedMessage.Notification notification, Instant now, Duration claimWindow) {
    JsonObject body = notification.notification();
    Object data = body.getValue("resourceData");
    if (call == null) {
      GraphCall graph = new GraphCall(data instanceof JsonObject o ? o : null);
      boolean incoming = "created".equals(body.getString("changeType")) && graph.says(CallState.INCOMING);
      CallView.Builder fresh = CallView.builder(notification.key()).tenantId(notification.tenantId())
          .kind(CallKind.PEER_TO_PEER).createdAt(now).updatedAt(now);
      if (incoming) {
        CallView view = graph.copyPropertiesTo(fresh.state(CallState.INCOMING).direction(CallDirection.INCOMING),
            fresh.build()).build();
        Instant deadline = now.plus(claimWindow);
        return new Applied(Call.of(view), List.of(h -> new CallEvent.Incoming(h, notification.receivedAt(),
            deadline)), true, true, false);
      }
      call = Call.of(fresh.build());
    }
    if (call.terminated()) {
      return new Applied(call, List.of(), false, false, false);
    }
    NotificationApplier applier = new NotificationApplier(call, now);
    String resourceUrl = body.getValue("resourceUrl") instanceof String u ? u
        : body.getValue("resource") instanceof String r ? r : "";
    if (resourceUrl.contains("/operations/")) {
      applier.operation(resourceUrl, data instanceof JsonObject o ? o : new JsonObject());
    } else if (resourceUrl.endsWith("/participants") || data instanceof JsonArray) {
      applier.roster(data instanceof JsonArray a ? a : new JsonArray().add(data));
    } else if (data instanceof JsonObject o) {
      applier.callUpdated(new GraphCall(o));
    }
    if (applier.changed) {
      applier.call = applier.call.with(b -> b.updatedAt(now));
    }
    return new Applied(applier.call, List.copyOf(applier.events), applier.changed, false, applier.established);
  }

  private void change(java.util.function.UnaryOperator<CallView.Builder> edit) {
    call = call.with(edit);
    changed = true;
  }

  private void callUpdated(GraphCall graph) {
    CallView before = call.view();
    call = call.withView(graph.copyPropertiesTo(before.toBuilder(), before).build());
    changed |= !call.view().equals(before);
    CallState next = graph.state().orElse(null);
    if (next != null && next != call.state()) {
      if (call.state() == null || !call.isStale(next)) {
        changeState(next, graph);
      }
    } else if (next == CallState.ESTABLISHED && graph.resultInfo() != null && transferPending()) {
      // A failed transfer whose 'transferring' is late or lost: the call never left established here.
      transferFailed(graph.resultInfo());
    }
    Tone tone = graph.tone();
    if (tone != null && !call.terminated()) {
      tone(tone, graph.toneSequenceId());
    }
  }

  private void changeState(CallState next, GraphCall graph) {
    CallState previous = call.state();
    change(b -> b.state(next));
    events.add(h -> new CallEvent.StateChanged(h, next, previous));
    switch (next) {
      case ESTABLISHED -> {
        if (graph.resultInfo() != null && transferPending()) {
          transferFailed(graph.resultInfo());
        }
        if (call.view().establishedAt() == null) {
          change(b -> b.establishedAt(now));
          established = true;
          events.add(CallEvent.Established::new);
        }
      }
      case TRANSFERRING -> change(b -> b.transfer(transfer().withStatus(TransferStatus.TRANSFERRING)));
      case TRANSFER_ACCEPTED -> {
        TransferView accepted = transfer().withStatus(TransferStatus.ACCEPTED);
        change(b -> b.transfer(accepted));
        events.add(h -> new CallEvent.TransferAccepted(h, accepted));
      }
      case TERMINATED -> terminated(graph);
      default -> {
      }
    }
  }

  private void terminated(GraphCall graph) {
    ResultInfo result = graph.resultInfo();
    boolean unclaimed = call.view().unclaimed();
    String reason = unclaimed ? UNCLAIMED_REASON : ResultReasons.of(result);
    TransferView transfer = call.view().transfer();
    TransferView finalTransfer = transfer != null && result != null && Integer.valueOf(7015).equals(result.subcode())
        ? transfer.withStatus(TransferStatus.COMPLETED) : transfer;
    if (transfer != null && transfer.pending() && transfer.status() != TransferStatus.ACCEPTED
        && finalTransfer.status() == TransferStatus.COMPLETED) {
      // The transfer completed, but its transferAccepted came late (after this, so ignored) or not at all: report it
      // first, so that whoever waits for the acceptance hears of it.
      TransferView accepted = transfer.withStatus(TransferStatus.ACCEPTED);
      events.add(h -> new CallEvent.TransferAccepted(h, accepted));
    }
    change(b -> b.resultInfo(result).terminatedAt(now).reason(reason).transfer(finalTransfer)
        .pendingOperations(List.of()));
    if (graph.terminationReason() != null) {
      change(b -> b.terminationReason(graph.terminationReason()));
    }
    events.add(h -> new CallEvent.Terminated(h, result, reason, unclaimed));
  }

  private boolean transferPending() {
    return call.view().transfer() != null && call.view().transfer().pending();
  }

  private TransferView transfer() {
    TransferView transfer = call.view().transfer();
    return transfer != null ? transfer : new TransferView(TransferStatus.REQUESTED, null, false, null, null);
  }

  private void transferFailed(ResultInfo result) {
    TransferView failed = transfer().failed(result);
    change(b -> b.transfer(failed));
    String reason = ResultReasons.of(result);
    events.add(h -> new CallEvent.TransferFailed(h, failed, result, reason));
  }

  private void tone(Tone tone, Long sequence) {
    if (sequence != null && call.tonesSeen().contains(sequence)) {
      return; // a duplicate
    }
    Long last = call.view().lastToneSequenceId();
    long newest = last == null ? 0 : last;
    boolean outOfOrder = sequence != null && sequence < newest;
    if (sequence != null) {
      call = call.withToneSeen(sequence);
      change(b -> b.lastToneSequenceId(Math.max(newest, sequence)));
    }
    changed = true;
    events.add(h -> new CallEvent.ToneReceived(h, tone, sequence, outOfOrder));
  }

  private void roster(JsonArray data) {
    String me = call.view().myParticipantId();
    Map<String, ParticipantView> before = new LinkedHashMap<>();
    call.view().participants().forEach(p -> before.put(p.id(), p));
    List<ParticipantView> roster = new ArrayList<>();
    List<String> added = new ArrayList<>();
    List<String> changedIds = new ArrayList<>();
    for (Object o : data) {
      if (!(o instanceof JsonObject p) || !(p.getValue("id") instanceof String id)) {
        continue;
      }
      ParticipantView participant = new ParticipantView(id, p.getValue("info") instanceof JsonObject i ? i : null,
          p.getBoolean("isMuted", false), p.getBoolean("isInLobby", false), id.equals(me),
          p.getValue("mediaStreams") instanceof JsonArray s ? s : null);
      roster.add(participant);
      ParticipantView old = before.remove(id);
      if (old == null) {
        added.add(id);
      } else if (!old.equals(participant)) {
        changedIds.add(id);
      }
    }
    List<String> removed = before.keySet().stream().sorted().toList();
    if (added.isEmpty() && removed.isEmpty() && changedIds.isEmpty()) {
      return;
    }
    change(b -> b.participants(roster));
    events.add(h -> new CallEvent.ParticipantsChanged(h, roster, added, removed, changedIds));
  }

  private void operation(String resourceUrl, JsonObject data) {
    String id = resourceUrl.substring(resourceUrl.lastIndexOf('/') + 1);
    if (call.operationsReported().contains(id)) {
      return; // a duplicate
    }
    OperationView operation = OperationView.fromGraph(data, id);
    List<OperationView> pending = new ArrayList<>(call.view().pendingOperations());
    pending.removeIf(p -> id.equals(p.id()));
    if (!operation.finished()) {
      pending.add(operation); // not a final state: remember it as pending and wait for the outcome
      change(b -> b.pendingOperations(pending));
      return;
    }
    call = call.withOperationReported(id);
    change(b -> b.pendingOperations(pending));
    events.add(h -> new CallEvent.OperationCompleted(h, operation));
  }
}
