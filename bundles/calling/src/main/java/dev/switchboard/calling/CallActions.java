package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.GraphClient;
import dev.switchboard.api.GraphResponse;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.Claim;
import dev.switchboard.api.calls.OperationView;
import dev.switchboard.api.calls.TransferStatus;
import dev.switchboard.api.calls.TransferView;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands on one call, carried out by its owner: checks the call's state (409 naming it), sends Graph the
 * request and returns the call as the command left it, with the command's reply. The caller stores the call.
 */
final class CallActions {

  /**
   * What carrying out a command did.
   *
   * @param call the call afterwards
   * @param reply the command's reply, in the contract's JSON
   */
  record Acted(Call call, JsonObject reply) {
  }

  private final GraphClient graph;
  private final CallingSettings settings;
  private final Clock clock;
  private final System.Logger log;

  CallActions(GraphClient graph, CallingSettings settings, Clock clock, System.Logger log) {
    this.graph = graph;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
  }

  Future<Acted> run(Call call, CallCommand.OnCall<?> command) {
    try {
      return dispatch(call, command);
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Acted> dispatch(Call call, CallCommand.OnCall<?> command) {
    String path = "/communications/calls/" + call.id();
    if (command instanceof CallCommand.Get get) {
      return done(get, call, call.view());
    }
    if (command instanceof CallCommand.ListParticipants list) {
      return done(list, call, call.view().participants());
    }
    if (command instanceof CallCommand.Answer answer) {
      claimable(call, answer);
      JsonObject body = new JsonObject().put("acceptedModalities", GraphRequests.modalities(answer.acceptedModalities()))
          .put("mediaConfig", GraphRequests.mediaConfig(answer.preFetchMedia()));
      withCallback(body);
      return graph.post(path + "/answer", body).map(r -> {
        Call answered = claimed(call, answer.by(), Claim.ANSWERED).withSubscribeOnEstablished(answer.subscribeToTones());
        return acted(answer, answered, answered.view());
      });
    }
    if (command instanceof CallCommand.Reject reject) {
      claimable(call, reject);
      return graph.post(path + "/reject", new JsonObject().put("reason", reject.reason().wireName()))
          .map(r -> {
            Call rejected = claimed(call, reject.by(), Claim.REJECTED);
            return acted(reject, rejected, rejected.view());
          });
    }
    if (command instanceof CallCommand.Redirect redirect) {
      claimable(call, redirect);
      JsonObject body = new JsonObject().put("targets", GraphRequests.invitations(redirect.targets()));
      if (redirect.timeoutSeconds() != null) {
        body.put("timeout", redirect.timeoutSeconds());
      }
      withCallback(body);
      return graph.post(path + "/redirect", body).map(r -> {
        Call redirected = claimed(call, redirect.by(), Claim.REDIRECTED)
            .with(b -> b.redirectTargets(body.getJsonArray("targets")));
        return acted(redirect, redirected, redirected.view());
      });
    }
    if (command instanceof CallCommand.Transfer transfer) {
      requireState(call, transfer, CallState.ESTABLISHED);
      String replaces = transfer.replacesCallId() != null ? transfer.replacesCallId()
          : transfer.target().replacesCallId();
      JsonObject target = GraphRequests.invitation(transfer.target(), replaces);
      JsonObject body = new JsonObject().put("transferTarget", target);
      if (transfer.transferee() != null) {
        body.put("transferee", transfer.transferee());
      }
      return graph.post(path + "/transfer", body).map(r -> {
        Call requested = call.with(b -> b.transfer(new TransferView(TransferStatus.REQUESTED, target,
            replaces != null, replaces, null)).updatedAt(clock.instant()));
        return acted(transfer, requested, requested.view());
      });
    }
    if (command instanceof CallCommand.HangUp hangUp) {
      if (call.terminated()) {
        throw illegal(call, hangUp, "any state but terminated");
      }
      if (call.state() == CallState.TERMINATING) {
        return done(hangUp, call, call.view());
      }
      return graph.delete(path).map(r -> acted(hangUp, call, call.view()));
    }
    if (command instanceof CallCommand.KeepAlive keepAlive) {
      if (call.terminated() || call.state() == CallState.INCOMING) {
        throw illegal(call, keepAlive, "any state from establishing to terminating");
      }
      return graph.post(path + "/keepAlive", null).map(r -> {
        Call kept = call.with(b -> b.lastKeepAliveAt(clock.instant()));
        return acted(keepAlive, kept, kept.view());
      });
    }
    return operation(call, path, command);
  }

  /** The commands that start a Graph operation (or remove a participant): all need an established call. */
  private Future<Acted> operation(Call call, String path, CallCommand.OnCall<?> command) {
    requireState(call, command, CallState.ESTABLISHED);
    if (command instanceof CallCommand.Mute mute) {
      return started(mute, call, graph.post(path + "/mute", GraphRequests.clientContext(mute.clientContext())));
    }
    if (command instanceof CallCommand.Unmute unmute) {
      return started(unmute, call, graph.post(path + "/unmute", GraphRequests.clientContext(unmute.clientContext())));
    }
    if (command instanceof CallCommand.SendDtmfTones tones) {
      JsonObject body = GraphRequests.clientContext(tones.clientContext()).put("tones",
          new io.vertx.core.json.JsonArray(tones.tones().stream().map(t -> (Object) t.wireName()).toList()));
      if (tones.delayBetweenTonesMs() != null) {
        body.put("delayBetweenTonesMs", tones.delayBetweenTonesMs());
      }
      return started(tones, call, graph.post(path + "/sendDtmfTones", body));
    }
    if (command instanceof CallCommand.SubscribeToTone subscribe) {
      return subscribeToTone(call, subscribe);
    }
    if (command instanceof CallCommand.InviteParticipants invite) {
      JsonObject body = GraphRequests.clientContext(invite.clientContext())
          .put("participants", GraphRequests.invitations(invite.participants()));
      return started(invite, call, graph.post(path + "/participants/invite", body));
    }
    if (command instanceof CallCommand.MuteParticipant mute) {
      return started(mute, call, graph.post(path + "/participants/" + participant(call, mute.participantId())
          + "/mute", GraphRequests.clientContext(mute.clientContext())));
    }
    if (command instanceof CallCommand.RemoveParticipant remove) {
      return graph.delete(path + "/participants/" + participant(call, remove.participantId()))
          .map(r -> acted(remove, call, null));
    }
    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "command '" + command.name() + "' is not a command on a"
        + " call");
  }

  /** Subscribes the call to tones; also used once an answered call that asked for it is established. */
  Future<Acted> subscribeToTone(Call call, CallCommand.SubscribeToTone command) {
    return started(command, call.with(b -> b.toneSubscribed(true)), graph.post("/communications/calls/" + call.id()
        + "/subscribeToTone", GraphRequests.clientContext(command.clientContext())));
  }

  /** A started operation: the reply, and a pending operation of the call until Graph reports it finished. */
  private Future<Acted> started(CallCommand<OperationView> command, Call call, Future<GraphResponse> request) {
    return request.map(r -> {
      OperationView op = OperationView.fromGraph(r.body(), null);
      List<OperationView> pending = new ArrayList<>(call.view().pendingOperations());
      if (op.id() != null && !op.finished()) {
        pending.removeIf(p -> op.id().equals(p.id()));
        pending.add(op);
      }
      return acted(command, call.with(b -> b.pendingOperations(pending).updatedAt(clock.instant())), op);
    });
  }

  private void withCallback(JsonObject body) {
    if (settings.callbackUri() != null) {
      body.put("callbackUri", settings.callbackUri());
    }
  }

  private Call claimed(Call call, String by, Claim how) {
    String who = by == null ? "unnamed" : by;
    log.log(System.Logger.Level.INFO, "Call " + call.id() + " " + how.wireName() + " by " + who);
    return call.with(b -> b.claimedBy(who).claim(how).updatedAt(clock.instant()));
  }

  private static void claimable(Call call, CallCommand<?> command) {
    requireState(call, command, CallState.INCOMING);
    if (call.view().claim() != null) {
      throw new SwitchboardException(ErrorCode.CONFLICT, "alreadyClaimed", "Cannot " + command.name() + " call "
          + call.id() + ": it is incoming but was already " + call.view().claim().wireName() + " by "
          + call.view().claimedBy());
    }
  }

  private static void requireState(Call call, CallCommand<?> command, CallState state) {
    if (call.state() != state) {
      throw illegal(call, command, state.wireName());
    }
  }

  private static SwitchboardException illegal(Call call, CallCommand<?> command, String allowed) {
    return new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Cannot " + command.name() + " call "
        + call.id() + ": it is " + (call.state() == null ? "not yet known to Graph" : call.state().wireName())
        + ", and " + command.name() + " is only possible while it is " + allowed);
  }

  private static String participant(Call call, String participantId) {
    if (call.view().participants().stream().noneMatch(p -> p.id().equals(participantId))) {
      throw new SwitchboardException(ErrorCode.NOT_FOUND, "participantNotFound",
          "Participant " + participantId + " is not in call " + call.id());
    }
    return participantId;
  }

  private static <R> Acted acted(CallCommand<R> command, Call call, R reply) {
    return new Acted(call, command.replyToJson(reply));
  }

  private static <R> Future<Acted> done(CallCommand<R> command, Call call, R reply) {
    return Future.succeededFuture(acted(command, call, reply));
  }
}
