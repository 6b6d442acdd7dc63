package dev.switchboard.media;

import dev.switchboard.api.media.MediaEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What handling one message of a call produced: the call's new state (stored before anything else happens), the reply
 * to the sender, and the events to publish once the state is stored. Immutable.
 *
 * @param reply the reply to a command; an empty object for messages nobody waits on
 */
record Step(CallState state, JsonObject reply, List<MediaEvent> events) {

  Step {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(reply, "reply");
    events = List.copyOf(events);
  }

  /** Nothing more than {@code state}. */
  static Step of(CallState state) {
    return new Step(state, new JsonObject(), List.of());
  }

  Step with(CallState state) {
    return new Step(state, reply, events);
  }

  Step replying(JsonObject reply) {
    return new Step(state, reply, events);
  }

  Step publishing(MediaEvent event) {
    List<MediaEvent> more = new ArrayList<>(events);
    more.add(event);
    return new Step(state, reply, more);
  }
}
