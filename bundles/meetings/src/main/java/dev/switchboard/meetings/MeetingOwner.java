package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedHandler;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.meetings.BotJoin;
import dev.switchboard.api.meetings.MeetingCommand;
import dev.switchboard.api.meetings.MeetingEvent;
import dev.switchboard.api.meetings.OnlineMeeting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

/**
 * The owner of a meeting (key: the meeting id): carries out the commands on it one at a time, and its scheduled
 * join's key timer. The join timer fires once: the meeting's {@code botJoin} is set to {@code joining} in the state
 * store before the calling bundle is asked to join, and a timer (or a second version's timer) that finds it in any
 * other state than {@code scheduled} does nothing. A restart between the two leaves the join recorded as fired and
 * not sent, never sent twice.
 */
final class MeetingOwner implements KeyedHandler {

  /** The keyed address of meetings. */
  static final String ADDRESS = "switchboard.meetings.owners";
  static final String JOIN_TIMER = "join";
  /** The join timer's payload field counting the attempts made while the calling bundle was not consuming yet. */
  private static final String ATTEMPT = "attempt";
  /**
   * How many times, a second apart, a due join waits for the calling bundle (a server starting up starts its
   * bundles side by side: a join that came due while it was down fires before calling consumes its commands).
   */
  static final int CALLING_WAITS = 30;
  /** What a bot call's watcher tells the owner (commands from this plugin only). */
  static final String NOTE_JOINED = "botJoined";
  static final String NOTE_LEFT = "botLeft";
  /** How the reason of a failed join starts. */
  static final String FAILED_PREFIX = "the join failed: ";

  private final PluginContext context;
  private final MeetingsSettings settings;
  private final MeetingStore store;
  private final GraphMeetings graph;
  private final GraphClock clock;
  private final CallsClient calls;
  private final System.Logger log;

  MeetingOwner(PluginContext context, MeetingsSettings settings, MeetingStore store, GraphMeetings graph,
      GraphClock clock) {
    this.context = context;
    this.settings = settings;
    this.store = store;
    this.graph = graph;
    this.clock = clock;
    this.calls = CallsClient.of(context);
    this.log = context.logger();
  }

  @Override
  public Future<JsonObject> handle(KeyedMessage message) {
    try {
      if (message instanceof KeyedMessage.Timer timer && timer.name().equals(JOIN_TIMER)) {
        return fire(timer.key(), timer.payload() == null ? 0 : timer.payload().getInteger(ATTEMPT, 0))
            .map((JsonObject) null);
      }
      if (message instanceof KeyedMessage.Command command) {
        return command(command);
      }
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The meetings plugin's keyed address"
          + " takes meeting commands and its join timer; got " + message.getClass().getSimpleName()));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  /** Arms (or re-arms: same name, so it replaces) the join timer of a scheduled meeting. */
  void arm(OnlineMeeting meeting) {
    Duration delay = clock.until(meeting.botJoin().dueAt());
    context.keyTimer(ADDRESS, meeting.id(), JOIN_TIMER, delay, new JsonObject());
    log.log(Level.INFO, "Bot join of meeting " + meeting.id() + " scheduled at " + meeting.botJoin().dueAt()
        + " (Graph's clock), in " + delay.toMillis() + " ms");
  }

  private Future<JsonObject> command(KeyedMessage.Command command) {
    String name = command.body().getString("command");
    if (context.name().equals(command.sender()) && (NOTE_JOINED.equals(name) || NOTE_LEFT.equals(name))) {
      return note(command.key(), name, command.body().getString("callId"), command.body().getString("reason"))
          .map(new JsonObject());
    }
    MeetingCommand<?> parsed = MeetingCommand.fromJson(command.body());
    if (!(parsed instanceof MeetingCommand.OnMeeting<?> onMeeting) || !onMeeting.meetingId().equals(command.key())) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "A command sent to meeting " + command.key()
          + " must be a command on that meeting; got " + parsed.name());
    }
    return run(onMeeting).map(m -> m == null ? new JsonObject() : m.toJson());
  }

  private Future<OnlineMeeting> run(MeetingCommand.OnMeeting<?> command) {
    String id = command.meetingId();
    if (command instanceof MeetingCommand.Get) {
      // A start changed outside the bundle (in Teams) moves a scheduled join like an update does.
      return known(id).compose(m -> graph.get(m.organizerId(), id).compose(fresh ->
          Objects.equals(m.startDateTime(), fresh.startDateTime()) ? store.put(fresh.withBotJoin(m.botJoin()))
              : moved(m, fresh)));
    }
    if (command instanceof MeetingCommand.Update update) {
      return known(id).compose(m -> graph.update(m.organizerId(), update).compose(fresh -> moved(m, fresh)));
    }
    if (command instanceof MeetingCommand.Delete) {
      return known(id).compose(m -> graph.delete(m.organizerId(), id).compose(v -> {
        context.cancelKeyTimer(ADDRESS, id, JOIN_TIMER);
        return store.remove(m);
      }).map(v -> {
        publish(new MeetingEvent.Deleted(m, clock.localNow()));
        context.releaseKey(ADDRESS, id);
        return (OnlineMeeting) null;
      }));
    }
    if (command instanceof MeetingCommand.Join) {
      return known(id).compose(m -> {
        requireNotActive(m);
        context.cancelKeyTimer(ADDRESS, id, JOIN_TIMER);
        return join(m, true);
      });
    }
    if (command instanceof MeetingCommand.ScheduleJoin schedule) {
      return known(id).compose(m -> {
        requireNotActive(m);
        Duration lead = schedule.lead() != null ? schedule.lead() : settings.defaultJoinLead();
        return save(m.withBotJoin(BotJoin.scheduled(lead, m.startDateTime().minus(lead))));
      }).map(m -> {
        arm(m);
        return m;
      });
    }
    if (command instanceof MeetingCommand.CancelJoin) {
      return known(id).compose(m -> {
        if (m.botJoin() == null || m.botJoin().state() != BotJoin.State.SCHEDULED) {
          throw new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "Meeting " + id + " has no scheduled"
              + " join to cancel (bot join: " + (m.botJoin() == null ? "none" : m.botJoin().state().wire()) + ")");
        }
        context.cancelKeyTimer(ADDRESS, id, JOIN_TIMER);
        return save(m.withBotJoin(m.botJoin().with(BotJoin.State.CANCELLED, null, null, "cancelled")));
      });
    }
    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "Unknown meeting command " + command.name());
  }

  /** After an update: keeps the bot join, and moves a scheduled join with the meeting's start. */
  private Future<OnlineMeeting> moved(OnlineMeeting before, OnlineMeeting fresh) {
    BotJoin join = before.botJoin();
    boolean reschedule = join != null && join.state() == BotJoin.State.SCHEDULED
        && !Objects.equals(before.startDateTime(), fresh.startDateTime());
    BotJoin kept = reschedule ? BotJoin.scheduled(join.lead(), fresh.startDateTime().minus(join.lead())) : join;
    return save(fresh.withBotJoin(kept)).map(m -> {
      if (reschedule) {
        arm(m);
      }
      return m;
    });
  }

  /** Stores the meeting and publishes that it changed. */
  private Future<OnlineMeeting> save(OnlineMeeting meeting) {
    return store.put(meeting).map(m -> {
      publish(new MeetingEvent.Updated(m, clock.localNow()));
      return m;
    });
  }

  private Future<Void> fire(String meetingId, int attempt) {
    return store.get(meetingId).compose(m -> {
      if (m == null || m.botJoin() == null || m.botJoin().state() != BotJoin.State.SCHEDULED) {
        log.log(Level.INFO, "Join timer of meeting " + meetingId + " came due but the join is "
            + (m == null ? "gone with the meeting" : m.botJoin() == null ? "not scheduled" : m.botJoin().state().wire())
            + ": nothing to do");
        return Future.succeededFuture();
      }
      return join(m, false, attempt < CALLING_WAITS ? attempt : -1).<Void>mapEmpty()
          .recover(e -> Future.succeededFuture());
    });
  }

  /**
   * Records the join as fired, then asks the calling bundle to join by the meeting's join URL. A failure is
   * recorded ({@code failed}, a {@link MeetingEvent.BotLeft} without a call) and, when {@code reportFailure}, also
   * returned.
   */
  private Future<OnlineMeeting> join(OnlineMeeting m, boolean reportFailure) {
    return join(m, reportFailure, -1);
  }

  /**
   * As {@link #join(OnlineMeeting, boolean)}; a join fired by its timer passes its {@code attempt} (of
   * {@link #CALLING_WAITS}; -1 for no more waiting): while the calling bundle does not consume its commands yet, such
   * a join stays scheduled and its timer fires again a second later.
   */
  private Future<OnlineMeeting> join(OnlineMeeting m, boolean reportFailure, int attempt) {
    BotJoin before = m.botJoin() != null ? m.botJoin() : new BotJoin(BotJoin.State.JOINING, null, null, null, null,
        null);
    BotJoin fired = new BotJoin(BotJoin.State.JOINING, before.lead(), before.dueAt(), clock.now(), null, null);
    return store.put(m.withBotJoin(fired)).compose(saved -> calls.send(CallCommand.Create.joining(m.joinWebUrl())
            .by(BotCallWatcher.placer(context.name(), m.id())))
        .compose(call -> save(saved.withBotJoin(fired.with(BotJoin.State.JOINING, null, call.id(), null))))
        .recover(e -> {
          if (attempt >= 0 && "noHandler".equals(SwitchboardException.from(e).errorId())) {
            log.log(Level.INFO, "Bot join of meeting " + m.id() + " is due, but the calling bundle does not take"
                + " commands yet (starting?): trying again in 1 s");
            context.keyTimer(ADDRESS, m.id(), JOIN_TIMER, Duration.ofSeconds(1), new JsonObject().put(ATTEMPT,
                attempt + 1));
            return store.put(m);
          }
          String reason = FAILED_PREFIX + e.getMessage();
          log.log(Level.WARNING, "Bot join of meeting " + m.id() + " failed: " + e.getMessage());
          OnlineMeeting failed = saved.withBotJoin(fired.with(BotJoin.State.FAILED, null, null, reason));
          return store.put(failed).compose(f -> {
            publish(new MeetingEvent.BotLeft(f, clock.localNow(), null, reason));
            return reportFailure ? Future.failedFuture(SwitchboardException.from(e)) : Future.succeededFuture(f);
          });
        }));
  }

  /**
   * A watcher's note: the bot's call was established, or ended. A call that ends before it was established is a
   * failed join (Graph refuses a join to an unknown meeting or with a wrong passcode this way: the call is created,
   * then terminated): the join is recorded {@code failed}, and {@link MeetingEvent.BotLeft} says why.
   */
  private Future<Void> note(String meetingId, String note, String callId, String reason) {
    return store.get(meetingId).compose(m -> {
      if (m == null || m.botJoin() == null) {
        return Future.succeededFuture();
      }
      boolean joined = note.equals(NOTE_JOINED);
      boolean failed = !joined && m.botJoin().state() == BotJoin.State.JOINING;
      String why = failed ? FAILED_PREFIX + reason : reason;
      if (failed) {
        log.log(Level.WARNING, "Bot join of meeting " + meetingId + " failed: call " + callId + " ended before it"
            + " was established: " + reason);
      }
      OnlineMeeting updated = m.withBotJoin(m.botJoin().with(joined ? BotJoin.State.JOINED
          : failed ? BotJoin.State.FAILED : BotJoin.State.LEFT, null, callId, joined ? null : why));
      return store.put(updated).map(u -> {
        publish(joined ? new MeetingEvent.BotJoined(u, clock.localNow(), callId)
            : new MeetingEvent.BotLeft(u, clock.localNow(), callId, why));
        return null;
      });
    });
  }

  /**
   * The meeting as the bundle knows it; a meeting it does not know is adopted when its id names its organizer
   * (Graph's id form), else {@code 404 meetingNotFound}.
   */
  private Future<OnlineMeeting> known(String meetingId) {
    return store.get(meetingId).compose(m -> {
      if (m != null) {
        return Future.succeededFuture(m);
      }
      String organizer = JoinUrls.organizerOfMeetingId(meetingId);
      if (organizer == null) {
        context.releaseKey(ADDRESS, meetingId);
        return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "meetingNotFound", "No meeting "
            + meetingId + " is known to the meetings bundle; create it, or find it by join URL"
            + " (GET /api/v1/meetings?joinWebUrl=...)"));
      }
      return graph.get(organizer, meetingId).compose(store::put);
    });
  }

  private static void requireNotActive(OnlineMeeting m) {
    if (m.botJoin() != null && m.botJoin().active()) {
      throw new SwitchboardException(ErrorCode.CONFLICT, "illegalState", "The bot is already "
          + m.botJoin().state().wire() + " meeting " + m.id() + " (call " + m.botJoin().callId() + ")");
    }
  }

  private void publish(MeetingEvent event) {
    context.publishKeyed(event.topic(), event.meetingId(), event.toJson());
  }
}
