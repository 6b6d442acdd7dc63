package dev.switchboard.testkit;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The emulated clock of the kit's Graph emulator ({@link SwitchboardKit#clock()}): the date Graph's timestamps and
 * timeouts follow, which runs at the kit's clock speed, and which a test can move forward by hand.
 *
 * <p><b>What {@link #advance} moves.</b> Graph's clock only. Every timer of the emulator that falls due meanwhile
 * fires, in order, before {@code advance} returns: an unanswered call's 15 s answer window, a call without keepAlive
 * for 45 minutes, a presence session's {@code expirationDuration} and idle times, a recording's silences and maximum
 * length, a call record's delay, a subscription's expiration. What Graph then sends the bot (notifications) is on its
 * way when {@code advance} returns: await its effect ({@link Caller#awaitEnded()}, {@link SwitchboardKit#awaitEvent}).
 * <br>The server and the bundles keep real time: their own timers (a bundle's {@code keyTimer}, subscription renewals,
 * the meetings bundle's join lead) do not fire early, and dates they compute (a subscription's
 * {@code expirationDateTime}) are on the real clock, so the emulator finds them that much nearer; advancing past a
 * subscription's expiration ends it, as Graph would. The clock never goes back, and the run's emulator serves every
 * test at this clock speed ({@code POST /emulator/reset} does not move it back): advance by what the test needs.
 *
 * <p>Use from the test's thread while the kit runs.
 */
public final class KitClock extends Clock {

  private final SwitchboardKit kit;
  private final ZoneId zone;

  KitClock(SwitchboardKit kit, ZoneId zone) {
    this.kit = kit;
    this.zone = zone;
  }

  KitClock(SwitchboardKit kit) {
    this(kit, ZoneOffset.UTC);
  }

  @Override
  public Instant instant() {
    return kit.runtime().emulator.clock().instant();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return new KitClock(kit, Objects.requireNonNull(zone, "zone"));
  }

  /** How many emulated seconds pass per real second. */
  public double speed() {
    return kit.clockSpeed();
  }

  /**
   * Moves Graph's clock forward by {@code emulated} (more than zero), firing every emulator timer that falls due
   * meanwhile, in order (see the class comment); the emulated date after it.
   *
   * @throws IllegalArgumentException when {@code emulated} is not positive
   */
  public Instant advance(Duration emulated) {
    Objects.requireNonNull(emulated, "emulated");
    if (emulated.isNegative() || emulated.isZero()) {
      throw new IllegalArgumentException("the emulated clock only goes forward: advance by more than zero, got "
          + emulated);
    }
    kit.note("the test advances Graph's clock by " + emulated);
    JsonObject clock = kit.control("POST /emulator/clock/advance", c -> c.post("/emulator/clock/advance",
        new JsonObject().put("seconds", emulated.toNanos() / 1e9)), () -> "");
    return Instant.parse(clock.getString("now"));
  }
}
