package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.media.OperationStatus;
import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import dev.switchboard.testkit.SwitchboardTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** hello-bot on Graph's clock, moved by hand. */
@SwitchboardTest(bundles = {"calling", "media"})
class HelloBotClockTest {

  @Test
  void theGreetingIsPlayedToItsEndAndTheCallerHangsUp(SwitchboardKit kit) {
    Caller caller = kit.dial("+14255550123");
    caller.awaitPrompt("Hello from hello-bot!");
    kit.clock().advance(Duration.ofSeconds(30)); // Graph's clock jumps: a prompt of less than 30 s has ended
    MediaEvent.PlayCompleted played = caller.awaitEvent(MediaEvent.PlayCompleted.class, e -> true);
    assertEquals(OperationStatus.COMPLETED, played.outcome().status());
    caller.say(Duration.ofSeconds(2));           // what the caller says when a bot records them (hello-bot does not)
    caller.hangUp();
    caller.awaitEnded();
  }
}
