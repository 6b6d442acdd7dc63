package com.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.testkit.Caller;
import dev.switchboard.testkit.SwitchboardKit;
import dev.switchboard.testkit.SwitchboardTest;
import org.junit.jupiter.api.Test;

/** hello-bot in a real server, with the calling and media bundles and the Graph emulator. */
@SwitchboardTest(bundles = {"calling", "media"})
class HelloBotTest {

  @Test
  void answersAndGreetsTheCaller(SwitchboardKit kit) {
    Caller caller = kit.dial("+14255550123");
    assertEquals("hello-bot", caller.awaitAnswered().call().claimedBy());
    caller.awaitPrompt("Hello from hello-bot!");
    caller.hangUp();
    caller.awaitEnded();
  }
}
