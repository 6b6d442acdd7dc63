package dev.switchboard.meetings;

import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.meetings.BotJoin;
import dev.switchboard.api.meetings.MeetingCommand;
import io.vertx.core.Future;
import java.time.Clock;

/**
 * The meetings plugin ({@code plugins.meetings}): owns Graph's {@code /users/{organizer}/onlineMeetings}. Serves
 * {@link MeetingCommand}s on the bus and under {@code /api/v1/meetings}; owns each meeting by its id
 * ({@link MeetingOwner}, with the scheduled join's key timer); follows the calling bundle's events of the bot's calls
 * in meetings ({@link BotCallWatcher}). At start it re-arms the join timer of every scheduled join from the state
 * store (a timer of the same name replaces the one an older version armed), so that a join survives a restart and an
 * update.
 */
public class MeetingsPlugin implements Plugin {

  @Override
  public Future<Void> start(PluginContext context) {
    MeetingsSettings settings = MeetingsSettings.from(context.config());
    MeetingStore store = new MeetingStore(context.state());
    GraphClock clock = new GraphClock(Clock.systemUTC(), settings.graphClockSpeed());
    GraphMeetings graph = new GraphMeetings(context.graph());
    MeetingOwner owner = new MeetingOwner(context, settings, store, graph, clock);
    context.keyedConsumer(MeetingOwner.ADDRESS, owner);
    context.keyedConsumer(BotCallWatcher.ADDRESS, new BotCallWatcher(context, settings, store));
    BotCallWatcher.TOPICS.forEach(topic -> context.follow(topic, BotCallWatcher.ADDRESS));
    MeetingCommandGateway gateway = new MeetingCommandGateway(context, store, graph, clock);
    context.serve(MeetingCommand.ADDRESS, gateway::execute);
    new MeetingRoutes(gateway).register(context);
    return store.clockAnchor().compose(anchor -> {
      clock.restore(anchor);
      return store.all();
    }).map(meetings -> {
      meetings.stream().filter(m -> m.botJoin() != null && m.botJoin().state() == BotJoin.State.SCHEDULED)
          .forEach(owner::arm);
      context.logger().log(System.Logger.Level.INFO, "meetings " + context.version() + " started");
      return null;
    });
  }
}
