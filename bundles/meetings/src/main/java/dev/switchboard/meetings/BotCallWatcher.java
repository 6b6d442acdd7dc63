package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallState;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.calls.Identity;
import dev.switchboard.api.calls.IdentityKind;
import dev.switchboard.api.calls.ParticipantView;
import dev.switchboard.api.calls.ResultInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Follows the calling bundle's events of the bot's calls in meetings (key: the call id), on its own keyed address:
 * tells the meeting's owner when the call is established or ended, and hangs up when the meeting's last attendee
 * left ({@code plugins.meetings.leaveWhenAlone}): the roster, once it held an attendee, holds nobody but bots.
 *
 * <p>The bundle places these calls with {@code by = "meetings:<meeting id>"}, so that an event that arrives before
 * the join's reply is recognised; events of every other call release their key at once.
 */
final class BotCallWatcher implements KeyedHandler {

  /** The keyed address the calls' events are followed on. */
  static final String ADDRESS = "switchboard.meetings.calls";
  /** The call events followed. */
  static final List<String> TOPICS = List.of(CallEvent.Established.TOPIC, CallEvent.ParticipantsChanged.TOPIC,
      CallEvent.Terminated.TOPIC);
  static final String LAST_ATTENDEE_LEFT = "the last attendee left the meeting";

  private final PluginContext context;
  private final MeetingsSettings settings;
  private final MeetingStore store;
  private final CallsClient calls;
  private final System.Logger log;

  BotCallWatcher(PluginContext context, MeetingsSettings settings, MeetingStore store) {
    this.context = context;
    this.settings = settings;
    this.store = store;
    this.calls = CallsClient.of(context);
    this.log = context.logger();
  }

  /** Who the bundle says places a join of {@code meetingId} ({@code by} of the call). */
  static String placer(String pluginName, String meetingId) {
    return pluginName + ":" + meetingId;
  }

  @Override
  public Future<JsonObject> handle(KeyedMessage message) {
    if (!(message instanceof KeyedMessage.Event e)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The meetings plugin's call"
          + " address takes followed call events only; got " + message.getClass().getSimpleName()));
    }
    CallEvent event = CallEvent.fromJson(e.body());
    return store.call(e.key()).compose(known -> {
      MeetingStore.BotCall call = known != null ? known : fromClaim(event);
      if (call == null) {
        context.releaseKey(ADDRESS, e.key());
        return Future.succeededFuture();
      }
      return on(event, call);
    }).map((JsonObject) null);
  }

  private MeetingStore.BotCall fromClaim(CallEvent event) {
    String by = event.call().claimedBy();
    String prefix = context.name() + ":";
    return by != null && by.startsWith(prefix) && by.length() > prefix.length()
        ? new MeetingStore.BotCall(event.callId(), by.substring(prefix.length()), false, null) : null;
  }

  private Future<Void> on(CallEvent event, MeetingStore.BotCall call) {
    if (event instanceof CallEvent.Established) {
      return store.putCall(call).compose(v -> tellOwner(call, MeetingOwner.NOTE_JOINED, null));
    }
    if (event instanceof CallEvent.ParticipantsChanged changed) {
      return roster(changed, call);
    }
    if (event instanceof CallEvent.Terminated ended) {
      String reason = call.leaving() != null ? call.leaving() : withCodes(ended);
      return tellOwner(call, MeetingOwner.NOTE_LEFT, reason).compose(v -> store.removeCall(call.callId()))
          .onComplete(ar -> context.releaseKey(ADDRESS, call.callId()));
    }
    return Future.succeededFuture();
  }

  private Future<Void> roster(CallEvent.ParticipantsChanged changed, MeetingStore.BotCall call) {
    long attendees = changed.participants().stream().filter(p -> !isBot(p, changed)).count();
    if (attendees > 0) {
      return call.sawAttendee() ? Future.succeededFuture()
          : store.putCall(new MeetingStore.BotCall(call.callId(), call.meetingId(), true, call.leaving()));
    }
    boolean live = changed.call().state() != CallState.TERMINATING && changed.call().state() != CallState.TERMINATED;
    if (!call.sawAttendee() || !settings.leaveWhenAlone() || call.leaving() != null || !live) {
      return Future.succeededFuture();
    }
    log.log(Level.INFO, "The last attendee left meeting " + call.meetingId() + ": the bot hangs up call "
        + call.callId());
    return store.putCall(new MeetingStore.BotCall(call.callId(), call.meetingId(), true, LAST_ATTENDEE_LEFT))
        .compose(v -> calls.hangUp(call.callId()).<Void>mapEmpty().recover(e -> {
          log.log(Level.WARNING, "Hanging up call " + call.callId() + " of meeting " + call.meetingId()
              + " failed: " + e.getMessage());
          return Future.succeededFuture();
        }));
  }

  /** Graph's reason with its code and subcode ("... (Graph 400/2203)"), so that a failed join says what Graph said. */
  private static String withCodes(CallEvent.Terminated ended) {
    ResultInfo result = ended.resultInfo();
    String reason = ended.reason() != null ? ended.reason() : "the call ended";
    return result == null || result.code() == null ? reason
        : reason + " (Graph " + result.code() + "/" + result.subcode() + ")";
  }

  private static boolean isBot(ParticipantView p, CallEvent.ParticipantsChanged changed) {
    if (p.bot() || p.id().equals(changed.call().myParticipantId())) {
      return true;
    }
    Identity who = p.identity();
    return who != null && (who.kind() == IdentityKind.APPLICATION || who.kind() == IdentityKind.APPLICATION_INSTANCE);
  }

  private Future<Void> tellOwner(MeetingStore.BotCall call, String note, String reason) {
    JsonObject body = new JsonObject().put("command", note).put("callId", call.callId());
    if (reason != null) {
      body.put("reason", reason);
    }
    return context.sendToKey(MeetingOwner.ADDRESS, call.meetingId(), body).mapEmpty();
  }
}
