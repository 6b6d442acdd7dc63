package dev.switchboard.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against the Graph emulator and a Switchboard server started in-process on free loopback ports,
 * with the first-party bundles named in {@link #bundles()} and the bundle under test (see {@link SwitchboardKit}).
 * Test methods (and {@code @BeforeEach} methods and constructors) receive the {@link SwitchboardKit} as a parameter.
 *
 * <pre>{@code
 * @SwitchboardTest(bundles = {"calling", "media"})
 * class HelloBotTest {
 *   @Test
 *   void greetsTheCaller(SwitchboardKit kit) {
 *     Caller caller = kit.dial("+14255550123");
 *     caller.awaitPrompt("Hello from hello-bot!");
 *     caller.hangUp().awaitEnded();
 *   }
 * }
 * }</pre>
 *
 * <p>For a kit configured in code (settings, extra event addresses), register one instead:
 * {@code @RegisterExtension static final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media");}
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SwitchboardKit.class)
public @interface SwitchboardTest {

  /** First-party bundles to run besides the bundle under test: calling, media, presence, records, meetings, ivr. */
  String[] bundles() default {};

  /** How many emulated seconds pass per real second (Graph's timeouts, ringing, call records). */
  double clockSpeed() default SwitchboardKit.DEFAULT_CLOCK_SPEED;

  /** One server for the whole class (the emulator is reset before each test) instead of one per test. */
  boolean sharedServer() default false;

  /** How long each {@code await} waits, in seconds. */
  long timeoutSeconds() default SwitchboardKit.DEFAULT_TIMEOUT_SECONDS;

  /** Whether to install the bundle under test (the module's own); false for a test of first-party bundles only. */
  boolean bundleUnderTest() default true;
}
