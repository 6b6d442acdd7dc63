package dev.switchboard.meetings;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The plugin's configuration, {@code plugins.meetings.*}.
 *
 * @param leaveWhenAlone whether the bot hangs up when the meeting's last attendee left (default true)
 * @param defaultJoinLead how long before the start a scheduled join fires when the request names no lead (default
 *     {@code PT0S}: at the start)
 * @param graphClockSpeed how many times faster Graph's clock runs than the server's: 1 against Graph (the default);
 *     the emulator's {@code --clock-speed} against an accelerated emulator
 */
record MeetingsSettings(boolean leaveWhenAlone, Duration defaultJoinLead, double graphClockSpeed) {

  static MeetingsSettings from(JsonObject config) {
    Object leave = config.getValue("leaveWhenAlone");
    if (leave != null && !(leave instanceof Boolean) && !leave.toString().matches("true|false")) {
      throw bad("leaveWhenAlone", "true or false", leave);
    }
    Duration lead = Duration.ZERO;
    Object leadValue = config.getValue("defaultJoinLead");
    if (leadValue != null) {
      try {
        lead = Duration.parse(leadValue.toString());
      } catch (DateTimeParseException e) {
        throw bad("defaultJoinLead", "an ISO-8601 duration such as PT1M", leadValue);
      }
      if (lead.isNegative()) {
        throw bad("defaultJoinLead", "a duration that is not negative", leadValue);
      }
    }
    double speed = 1;
    Object speedValue = config.getValue("graphClockSpeed");
    if (speedValue != null) {
      try {
        speed = Double.parseDouble(speedValue.toString());
      } catch (NumberFormatException e) {
        speed = -1;
      }
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw bad("graphClockSpeed", "a positive number (1 against Graph)", speedValue);
      }
    }
    return new MeetingsSettings(leave == null || Boolean.parseBoolean(leave.toString()), lead, speed);
  }

  private static SwitchboardException bad(String key, String expected, Object got) {
    return new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration", "plugins.meetings." + key
        + ": expected " + expected + "; got '" + got + "'");
  }
}
