package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.meetings.MeetingCommand;
import dev.switchboard.api.meetings.MeetingEvent;
import dev.switchboard.api.meetings.OnlineMeeting;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where every command enters, from the bus or from REST: creates and finds meetings itself (any version), and sends
 * a command on a meeting to the meeting's owner on the keyed address, so that it runs in order with the meeting's
 * join timer.
 */
final class MeetingCommandGateway {

  private final PluginContext context;
  private final MeetingStore store;
  private final GraphMeetings graph;
  private final GraphClock clock;

  MeetingCommandGateway(PluginContext context, MeetingStore store, GraphMeetings graph, GraphClock clock) {
    this.context = context;
    this.store = store;
    this.graph = graph;
    this.clock = clock;
  }

  /** Runs a command given in the contract's JSON; its reply, or a failure with a {@link SwitchboardException}. */
  Future<JsonObject> execute(JsonObject command) {
    try {
      return execute(MeetingCommand.fromJson(command));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  Future<JsonObject> execute(MeetingCommand<?> command) {
    try {
      if (command instanceof MeetingCommand.Create create) {
        return create(create).map(create::replyToJson);
      }
      if (command instanceof MeetingCommand.Find find) {
        return find(find).map(OnlineMeeting::toJson);
      }
      MeetingCommand.OnMeeting<?> onMeeting = (MeetingCommand.OnMeeting<?>) command;
      return context.sendToKey(MeetingOwner.ADDRESS, onMeeting.meetingId(), onMeeting.toJson())
          .recover(e -> Future.failedFuture(SwitchboardException.from(e)));
    } catch (SwitchboardException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<MeetingCommand.Created> create(MeetingCommand.Create command) {
    return graph.create(command).compose(created -> {
      OnlineMeeting fresh = created.meeting();
      Future<Void> anchored = created.created() && fresh.creationDateTime() != null
          ? store.putClockAnchor(clock.anchor(fresh.creationDateTime())) : Future.succeededFuture();
      return anchored.compose(v -> remember(fresh)).map(m -> {
        if (created.created()) {
          context.publishKeyed(MeetingEvent.Created.TOPIC, m.id(), new MeetingEvent.Created(m, clock.localNow())
              .toJson());
        }
        return new MeetingCommand.Created(m, created.created());
      });
    });
  }

  private Future<OnlineMeeting> find(MeetingCommand.Find command) {
    Future<String> organizer;
    if (command.joinWebUrl() != null) {
      organizer = Future.succeededFuture(JoinUrls.organizer(command.joinWebUrl()));
    } else {
      organizer = store.byJoinMeetingId(command.joinMeetingId())
          .compose(id -> id == null ? Future.succeededFuture(null) : store.get(id))
          .map(known -> {
            if (known != null) {
              return known.organizerId();
            }
            if (command.organizerId() == null) {
              throw new SwitchboardException(ErrorCode.BAD_REQUEST, "The meetings bundle does not know join meeting id "
                  + command.joinMeetingId() + "; name its organizer too (organizerId): Graph finds meetings per"
                  + " organizer");
            }
            return command.organizerId();
          });
    }
    return organizer.compose(org -> graph.find(org, command.joinWebUrl(), command.joinMeetingId()))
        .compose(found -> {
          if (found == null) {
            return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "meetingNotFound",
                "Graph has no meeting " + (command.joinWebUrl() != null ? "with join URL " + command.joinWebUrl()
                    : "with join meeting id " + command.joinMeetingId())));
          }
          return remember(found);
        });
  }

  /**
   * Stores a meeting the bundle did not know; for one it knows, only answers Graph's fields with the stored bot
   * join (the meeting's owner is the only writer of a known meeting).
   */
  private Future<OnlineMeeting> remember(OnlineMeeting fresh) {
    return store.get(fresh.id()).compose(known -> known != null
        ? Future.succeededFuture(fresh.withBotJoin(known.botJoin())) : store.put(fresh));
  }
}
