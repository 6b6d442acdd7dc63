package dev.switchboard.test.greeter;

import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.PromptRef;
import dev.switchboard.api.meetings.MeetingEvent;
import io.vertx.core.Future;

/**
 * The meeting greeter of docs/meetings.md (a third-party bot acting in the bot's meeting call): the class below the
 * package line is the documented code, character for character (MeetingGreeterIT checks it and runs it).
 */
// docs:greeter
public class MeetingGreeter implements Plugin {

  private static final String MEETINGS = "greeter.meetings";

  @Override
  public Future<Void> start(PluginContext context) {
    MediaClient media = MediaClient.of(context);
    PromptRef greeting = PromptRef.hosted(context.config().getString("greeting")); // plugins.greeter.greeting
    // Each meeting's events arrive once, in order, on this plugin's own keyed address (key: the meeting id).
    context.keyedConsumer(MEETINGS, message -> {
      if (message instanceof KeyedMessage.Event event
          && MeetingEvent.fromJson(event.body()) instanceof MeetingEvent.BotJoined joined) {
        context.releaseKey(MEETINGS, joined.meetingId());
        // The bot's call in the meeting is an ordinary call: play the greeting to everyone in it.
        return media.play(MediaCommand.Play.of(joined.callId(), greeting)).mapEmpty();
      }
      return Future.succeededFuture();
    });
    context.follow(MeetingEvent.BotJoined.TOPIC, MEETINGS);
    return Future.succeededFuture();
  }
}
// docs:greeter
