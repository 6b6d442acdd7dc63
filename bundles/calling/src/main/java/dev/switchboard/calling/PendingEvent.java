package dev.switchboard.calling;

import dev.switchboard.api.calls.CallEvent;

/**
 * An event decided while a message is handled, published once the call is stored: it gets its {@link CallEvent.Header}
 * (the call as stored, the time, the plugin's version) then.
 */
@FunctionalInterface
interface PendingEvent {

  CallEvent complete(CallEvent.Header header);
}
