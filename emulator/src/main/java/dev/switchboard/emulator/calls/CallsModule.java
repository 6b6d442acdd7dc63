package dev.switchboard.emulator.calls;

import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import dev.switchboard.emulator.media.PromptLoader;
import dev.switchboard.emulator.media.RecordingStore;
import dev.switchboard.emulator.media.Utterance;
import dev.switchboard.emulator.notify.NotificationSender;
import dev.switchboard.emulator.world.Behavior;
import dev.switchboard.emulator.world.BotApplication;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.DirectoryUser;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The emulated calling service: Graph's calls, participants and IVR routes, plus what the control
 * API does to calls (a person calls the bot, presses keys, hangs up).
 *
 * <p>All methods run on the emulator's event-loop context. Control methods throw
 * {@link GraphException} for bad input (404 for an unknown call or user, 400 for malformed values).
 */
public final class CallsModule {

  private final CallEnv env;
  private final CallBook book = new CallBook();
  private final Signalling signalling;
  private final Ivr ivr;
  private final CallsApi api;
  private final Supplier<String> botCallback;

  /**
   * @param baseUrl the emulator's base URL, used in {@code Location} headers and recording locations
   * @param botCallback the bot's calling webhook, where incoming calls are notified (may supply null)
   */
  public CallsModule(Vertx vertx, EmulatedTimers timers, BotApplication app, Directory directory,
      NotificationSender sender, PromptLoader prompts, RecordingStore recordings, String baseUrl,
      Supplier<String> botCallback) {
    this.env = new CallEnv(vertx, timers, app, directory, sender, prompts, recordings, baseUrl);
    this.ivr = new Ivr(env);
    this.signalling = new Signalling(env, book, ivr);
    this.api = new CallsApi(env, book, signalling, ivr, new Roster(env, book, signalling));
    this.botCallback = botCallback;
  }

  /**
   * Sets what is told, with what the call-records service needs (its record id is the call's
   * {@code callChainId}, graph-reference §7), when a call terminates; not when {@link #reset()} discards it.
   */
  public void onCallFinished(Consumer<EndedCall> calls) {
    env.callFinished = calls == null ? c -> { } : calls;
  }

  /**
   * Whether the call exists and has not ended; when {@code participantId} is given, whether it is
   * one of its current remote participants.
   *
   * @throws GraphException 404 when the call is unknown or has ended, or has no such remote participant
   */
  public void requireLive(String callId, String participantId) {
    Call call = book.live(callId);
    if (participantId != null) {
      remoteParticipant(call, participantId);
    }
  }

  /** Sets who admits the joins of meetings and tells who is in them (default {@link MeetingJoins#NONE}). */
  public void onMeetingJoins(MeetingJoins joins) {
    env.meetingJoins = joins == null ? MeetingJoins.NONE : joins;
  }

  /**
   * A person joins an emulated meeting: every established call of the bot in that meeting gets
   * the participant and a roster notification (a call still establishing finds them present).
   */
  public void personJoinedMeeting(String meetingId, JsonObject identitySet) {
    for (Call call : book.liveCalls()) {
      if (meetingId.equals(call.onlineMeetingId) && call.state == CallState.ESTABLISHED) {
        env.addParticipant(call, identitySet.copy(), env.behaviorOf(identitySet));
        env.notifyRoster(call);
      }
    }
  }

  /** A person (by user id) leaves an emulated meeting: they leave each of the bot's calls in it. */
  public void personLeftMeeting(String meetingId, String userId) {
    for (Call call : book.liveCalls()) {
      if (meetingId.equals(call.onlineMeetingId)) {
        call.remoteParticipants().stream()
            .filter(p -> p.identity.getJsonObject("user") != null
                && userId.equals(p.identity.getJsonObject("user").getString("id")))
            .findFirst().ifPresent(p -> signalling.remoteLeaves(call, p));
      }
    }
  }

  /** Mounts the {@code /v1.0/communications/calls} routes (behind the bearer check the caller installs). */
  public void mount(Router router) {
    api.mount(router);
  }

  /**
   * A person calls the bot: {@code from} (a directory user id, or an E.164 number), optional
   * {@code behavior} overriding the person's, {@code callbackUri} overriding the bot callback,
   * {@code requestedModalities} (default audio), {@code viaApplicationInstance} (a Teams user calls the
   * bot's application instance rather than the bot; calls from a phone number always do). Sends the
   * {@code created} notification.
   *
   * @return the call resource
   */
  public JsonObject placeIncomingCall(JsonObject body) {
    String from = Bodies.string(body, "from", true);
    DirectoryUser caller = caller(from);
    Behavior behavior;
    try {
      Object b = body.getValue("behavior");
      if (b != null && !(b instanceof JsonObject)) {
        throw new IllegalArgumentException("behavior must be an object");
      }
      behavior = Behavior.fromJson((JsonObject) b, caller.behavior());
    } catch (IllegalArgumentException e) {
      throw GraphException.badRequest(e.getMessage());
    }
    String callback = Bodies.string(body, "callbackUri", false);
    if (callback == null) {
      callback = botCallback.get();
    }
    if (callback == null) {
      throw GraphException.badRequest("No bot callback is configured: start the emulator with --bot-callback URL"
          + " (EmulatorOptions.setBotCallback), or pass \"callbackUri\" in this request.");
    }
    String bad = OutboundClients.checkUrl(callback);
    if (bad != null) {
      throw GraphException.badRequest("The bot callback must be an absolute http(s) URL: " + bad + ".");
    }
    JsonArray modalities = body.getValue("requestedModalities") instanceof JsonArray a ? a : new JsonArray().add("audio");
    String name = Bodies.string(body, "displayName", false);
    if (name != null) {
      caller = new DirectoryUser(caller.id(), name, caller.phone(), caller.behavior(), null);
    }
    boolean viaInstance = Boolean.TRUE.equals(body.getValue("viaApplicationInstance"));
    return signalling.incoming(caller, behavior, callback, modalities, viaInstance).toJson(env.baseUrl);
  }

  /** The remote side of the call presses keys, one after another, {@code gapMs} emulated ms apart. */
  public void pressKeys(String callId, List<String> tones, long gapMs) {
    Call call = book.live(callId);
    if (call.state != CallState.ESTABLISHED) {
      throw GraphException.conflict("Call " + callId + " is " + call.state.json() + "; keys can only be pressed"
          + " in an established call.");
    }
    for (int i = 0; i < tones.size(); i++) {
      String tone = tones.get(i);
      if (i == 0) {
        ivr.press(call, tone);
      } else {
        env.schedule(call, i * (double) gapMs, () -> ivr.press(call, tone));
      }
    }
  }

  /**
   * The remote side of the call will say {@code utterance} when the bot next records it (after what it was already
   * told to say); how many utterances are waiting now. A recording under way is not changed.
   *
   * @throws GraphException 404 when the call is unknown or has ended
   */
  public int say(String callId, Utterance utterance) {
    Call call = book.live(callId);
    call.speech.addLast(utterance);
    return call.speech.size();
  }

  /**
   * The remote side hangs up: one participant ({@code participantId}), or every remote participant
   * when null. An unanswered incoming call is abandoned by its caller.
   */
  public void hangUp(String callId, String participantId) {
    Call call = book.live(callId);
    if (participantId != null) {
      signalling.remoteLeaves(call, remoteParticipant(call, participantId));
      return;
    }
    List<Participant> remote = call.remoteParticipants();
    if (remote.isEmpty()) {
      signalling.terminate(call, ResultInfo.OTHER_ENDED, null);
    }
    remote.forEach(p -> signalling.remoteLeaves(call, p));
  }

  /** Every call the emulator knows (the most recent ended ones too), with its participants. */
  public JsonArray list() {
    JsonArray out = new JsonArray();
    book.all().forEach(c -> out.add(describe(c)));
    return out;
  }

  /**
   * One call, ended or not, with its participants.
   *
   * @throws GraphException 404 when unknown
   */
  public JsonObject get(String callId) {
    Call c = book.any(callId);
    if (c == null) {
      throw GraphException.notFound("Call " + callId + " was not found.");
    }
    return describe(c);
  }

  /** Ends every call silently and forgets them. */
  public void reset() {
    book.liveCalls().forEach(signalling::discard);
    book.clear();
  }

  private JsonObject describe(Call c) {
    JsonArray participants = new JsonArray();
    c.participants.values().forEach(p -> participants.add(p.toJson()));
    // createdDateTime: when the call was created, on the emulated clock (not in Graph's call resource)
    return c.toJson(env.baseUrl).put("participants", participants).put("createdDateTime", c.created.toString());
  }

  private static Participant remoteParticipant(Call call, String participantId) {
    Participant p = call.participants.get(participantId);
    if (p == null || p.isBot()) {
      throw GraphException.notFound("Call " + call.id + " has no remote participant " + participantId + ".");
    }
    return p;
  }

  private DirectoryUser caller(String from) {
    if (Directory.E164.matcher(from).matches()) {
      return env.directory.find(from)
          .map(u -> new DirectoryUser(null, u.displayName(), from, u.behavior(), null))
          .orElseGet(() -> new DirectoryUser(null, null, from, Behavior.DEFAULT, null));
    }
    return env.directory.find(from).filter(u -> u.id() != null).orElseThrow(() -> GraphException.notFound(
        "No directory user with id '" + from + "'. Register it with POST /emulator/users, or call from an E.164"
            + " number such as +14255550123."));
  }
}
