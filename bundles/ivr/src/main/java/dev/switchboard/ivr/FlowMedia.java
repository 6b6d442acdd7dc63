package dev.switchboard.ivr;

import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.PromptRef;
import io.vertx.core.Future;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The media commands of the calls in flows, sent to the media bundle; where the server cannot speak text
 * ({@code speechUnavailable}), the text prompts are replaced by beeps of about the same length, served by the ivr
 * plugin at {@code <publicUrl>/ivr/beeps/<ms>.wav}, so that flows still run with their timing.
 */
final class FlowMedia {

  private final MediaClient media;
  private final String publicUrl;

  FlowMedia(MediaClient media, String publicUrl) {
    this.media = media;
    this.publicUrl = publicUrl;
  }

  /**
   * Sends a media command; when the server cannot synthesise speech, sends it again with beeps of about the same
   * length in place of each text prompt, so that the flow goes on.
   */
  Future<Void> send(MediaCommand.OnCall command) {
    return request(command).recover(e -> {
      SwitchboardException failure = SwitchboardException.from(e);
      return "speechUnavailable".equals(failure.errorId()) ? request(withBeeps(command)) : Future.failedFuture(failure);
    });
  }

  private Future<Void> request(MediaCommand.OnCall command) {
    if (command instanceof MediaCommand.Play play) {
      return media.play(play).mapEmpty();
    }
    if (command instanceof MediaCommand.Gather gather) {
      return media.gather(gather).mapEmpty();
    }
    if (command instanceof MediaCommand.Record record) {
      return media.record(record).mapEmpty();
    }
    return Future.failedFuture(new IllegalArgumentException("the ivr plugin does not send " + command.name()));
  }

  private MediaCommand.OnCall withBeeps(MediaCommand.OnCall command) {
    if (command instanceof MediaCommand.Play play) {
      return play.withPrompts(play.prompts().stream().map(this::beepsFor).toList());
    }
    if (command instanceof MediaCommand.Gather gather) {
      return gather.withPrompts(gather.prompts().stream().map(this::beepsFor).toList());
    }
    if (command instanceof MediaCommand.Record record && record.prompt() != null) {
      return record.withPrompt(beepsFor(record.prompt()));
    }
    return command;
  }

  private PromptRef beepsFor(PromptRef prompt) {
    if (prompt instanceof PromptRef.Text text) {
      long ms = ToneWav.lengthFor(text.text());
      return new PromptRef.Hosted(publicUrl + "/ivr/beeps/" + URLEncoder.encode(ms + ".wav", StandardCharsets.UTF_8),
          "ivr-beeps-" + ms);
    }
    return prompt;
  }
}
