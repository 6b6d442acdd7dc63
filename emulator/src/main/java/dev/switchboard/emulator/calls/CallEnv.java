package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.media.PromptLoader;
import dev.switchboard.emulator.media.RecordingStore;
import dev.switchboard.emulator.notify.NotificationSender;
import dev.switchboard.emulator.world.Behavior;
import dev.switchboard.emulator.world.BotApplication;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What the call logic shares: the emulated clock and per-call timers, the world (directory, bot
 * application), notifications and media services.
 */
final class CallEnv {

  /** Emulated milliseconds between an answer and {@code established}. */
  static final long SETUP_MS = 200;
  /** Emulated milliseconds between {@code terminating} and {@code terminated}. */
  static final long TEARDOWN_MS = 200;
  /** Emulated milliseconds a callee rings before the caller gives up. */
  static final long RING_TIMEOUT_MS = 60_000;
  /** Graph's answer window for incoming calls. */
  static final long ANSWER_WINDOW_MS = 15_000;
  /** Graph's keepAlive limit. */
  static final long KEEPALIVE_LIMIT_MS = 45 * 60_000;
  /** How many finished operations a call keeps (its running ones are all kept). */
  static final int FINISHED_OPERATIONS_KEPT = 32;

  final Vertx vertx;
  final EmulatedClock clock;
  final EmulatedTimers timers;
  final BotApplication app;
  final Directory directory;
  final NotificationSender sender;
  final PromptLoader prompts;
  final RecordingStore recordings;
  final String baseUrl;
  /** Told what the call-records service needs of every call that terminates. */
  Consumer<EndedCall> callFinished = c -> { };
  MeetingJoins meetingJoins = MeetingJoins.NONE;
  private long etag;

  CallEnv(Vertx vertx, EmulatedTimers timers, BotApplication app, Directory directory, NotificationSender sender,
      PromptLoader prompts, RecordingStore recordings, String baseUrl) {
    this.vertx = vertx;
    this.timers = timers;
    this.clock = timers.clock();
    this.app = app;
    this.directory = directory;
    this.sender = sender;
    this.prompts = prompts;
    this.recordings = recordings;
    this.baseUrl = baseUrl;
  }

  /**
   * Runs {@code action} after {@code emulatedMs}, unless the call has terminated by then or the
   * timer is cancelled. Timers die with their call.
   */
  long schedule(Call call, double emulatedMs, Runnable action) {
    long[] id = new long[1];
    id[0] = timers.setTimer(emulatedMs, t -> {
      call.timers.remove(id[0]);
      if (call.live()) {
        action.run();
      }
    });
    call.timers.add(id[0]);
    return id[0];
  }

  void cancel(Call call, long timer) {
    if (timer >= 0 && call.timers.remove(timer)) {
      timers.cancelTimer(timer);
    }
  }

  void cancelAll(Call call) {
    call.timers.forEach(timers::cancelTimer);
    call.timers.clear();
  }

  /**
   * Rings a simulated person as their behavior says: {@code onAnswer} after {@code answerAfterMs}
   * when they accept; {@code onFail} with why otherwise (declined after {@code answerAfterMs}, no
   * answer after the ringing timeout).
   */
  void ring(Call call, Behavior behavior, Runnable onAnswer, Consumer<ResultInfo> onFail) {
    switch (behavior.answer()) {
      case ACCEPT -> schedule(call, behavior.answerAfterMs(), onAnswer);
      case DECLINE -> schedule(call, behavior.answerAfterMs(), () -> onFail.accept(ResultInfo.DECLINED));
      default -> schedule(call, RING_TIMEOUT_MS, () -> onFail.accept(ResultInfo.NO_ANSWER));
    }
  }

  /** How the person an identity set names behaves: their directory behavior or the default. */
  Behavior behaviorOf(JsonObject identitySet) {
    return directory.resolve(identitySet).map(u -> u.behavior()).orElse(Behavior.DEFAULT);
  }

  Participant addParticipant(Call call, JsonObject identity, Behavior behavior) {
    Participant p = new Participant(UUID.randomUUID().toString(), identity, behavior, call.nextSourceId++);
    call.participants.put(p.id, p);
    call.everyone.add(p);
    return p;
  }

  void addBot(Call call) {
    if (call.bot() == null) {
      JsonObject identity = call.pstn ? app.applicationInstanceIdentitySet() : app.applicationIdentitySet();
      Participant bot = new Participant(call.myParticipantId, identity, null, call.nextSourceId++);
      call.participants.put(call.myParticipantId, bot);
      call.everyone.add(bot);
    }
  }

  /** Sends one {@code commsNotification} about the call to its callback URI. */
  void notify(Call call, String changeType, String resourceUrl, Object resourceData) {
    if (resourceData instanceof JsonObject o && !o.containsKey("@odata.etag")) {
      o.put("@odata.etag", "W/\"" + (++etag) + "\"");
    }
    JsonObject n = new JsonObject()
        .put("@odata.type", "#microsoft.graph.commsNotification")
        .put("changeType", changeType)
        .put("resource", resourceUrl.replaceFirst("^/communications/calls", "/app/calls"))
        .put("resourceUrl", resourceUrl)
        .put("callbackUri", call.callbackUri)
        .put("resourceData", resourceData);
    sender.send(call.id, call.callbackUri, resourceUrl, new JsonObject()
        .put("@odata.type", "#microsoft.graph.commsNotifications")
        .put("value", new JsonArray().add(n)));
  }

  void notifyState(Call call) {
    notify(call, "updated", call.path(), call.stateData());
  }

  /** A roster notification: the full participant list. */
  void notifyRoster(Call call) {
    JsonArray roster = new JsonArray();
    call.participants.values().forEach(p -> roster.add(p.toJson()));
    notify(call, "updated", call.path() + "/participants", roster);
  }

  /** The {@code deleted} notification that reports an operation's outcome. */
  void notifyOperation(Call call, Operation op) {
    notify(call, "deleted", op.path(), op.toJson());
  }

  Operation newOperation(Call call, String type, String clientContext, String status) {
    if (clientContext != null && clientContext.length() > 256) {
      throw GraphException.badRequest("clientContext must be at most 256 characters.");
    }
    Operation op = new Operation(type, call.id, clientContext, status);
    call.operations.put(op.id, op);
    forgetOldOperations(call);
    return op;
  }

  /**
   * Keeps a call's running operations and its latest {@link #FINISHED_OPERATIONS_KEPT} finished ones ({@code GET
   * .../operations/{id}} answers 404 for an older one): a long call that plays a prompt or gathers a key every few
   * seconds would otherwise grow without bound (a capacity run holds 10,000 of them).
   */
  private static void forgetOldOperations(Call call) {
    int finished = 0;
    for (Operation op : call.operations.values()) {
      if (op.finished()) {
        finished++;
      }
    }
    var ops = call.operations.values().iterator();
    while (finished > FINISHED_OPERATIONS_KEPT && ops.hasNext()) {
      if (ops.next().finished()) {
        ops.remove();
        finished--;
      }
    }
  }

  /**
   * @throws GraphException 409 naming the action and the state it needs
   */
  static void requireState(Call call, CallState required, String action) {
    if (call.state != required) {
      throw GraphException.conflict("Cannot " + action + " call " + call.id + ": it is " + call.state.json()
          + ", and " + action + " is only allowed while it is " + required.json() + ".");
    }
  }
}
