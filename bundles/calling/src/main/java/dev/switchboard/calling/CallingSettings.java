package dev.switchboard.calling;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The plugin's configuration, {@code plugins.calling.*}.
 *
 * @param callbackUri where Graph sends the notifications of calls the bot places or answers; default the
 *     server's {@code <publicUrl>/callbacks/calling}
 * @param applicationInstanceId the bot's application instance, the caller id of PSTN calls; required to call phones
 * @param unclaimedRejectAfter how long an incoming call waits for a bot to claim it before it is rejected busy
 * @param keepAliveInterval how often an established call is kept alive (Graph ends a call after 45 minutes without)
 * @param endedCallRetention how long an ended call stays visible in {@code list}/{@code get}
 * @param watchdogQuietFor after how long without progress a live call is read again from Graph
 *     ({@code watchdog.quietFor}); {@code null} when {@code watchdog.enabled} is {@code false}
 */
record CallingSettings(String callbackUri, String applicationInstanceId, Duration unclaimedRejectAfter,
    Duration keepAliveInterval, Duration endedCallRetention, Duration watchdogQuietFor) {

  static CallingSettings from(JsonObject config, String publicUrl) {
    String callbackUri = config.getValue("callbackUri") == null ? publicUrl + "/callbacks/calling"
        : config.getValue("callbackUri").toString();
    if (callbackUri != null && !callbackUri.startsWith("https://") && !callbackUri.startsWith("http://")) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration",
          "plugins.calling.callbackUri must be an absolute http(s) URL; got '" + callbackUri + "'");
    }
    Duration keepAlive = Durations.get(config, "keepAliveInterval", Duration.ofMinutes(15));
    if (keepAlive.compareTo(Duration.ofMinutes(45)) >= 0) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration",
          "plugins.calling.keepAliveInterval must be under Graph's 45-minute limit; got " + keepAlive);
    }
    Object instance = config.getValue("applicationInstanceId");
    return new CallingSettings(callbackUri, instance == null ? null : instance.toString(),
        Durations.get(config, "unclaimedRejectAfter", Duration.ofSeconds(5)), keepAlive,
        Durations.get(config, "endedCallRetention", Duration.ofMinutes(10)), watchdog(config));
  }

  /**
   * {@code watchdog.quietFor} (default 2 minutes), or {@code null} when {@code watchdog.enabled} is false; the
   * environment's flat form ({@code SWITCHBOARD_PLUGINS_CALLING_WATCHDOG_QUIET_FOR}, read as {@code watchdogQuietFor})
   * sets the same keys.
   */
  private static Duration watchdog(JsonObject config) {
    Object value = config.getValue("watchdog");
    if (value != null && !(value instanceof JsonObject)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration",
          "plugins.calling.watchdog must be a section (enabled, quietFor); got '" + value + "'");
    }
    JsonObject watchdog = value == null ? new JsonObject() : (JsonObject) value;
    Object enabled = config.getValue("watchdogEnabled", watchdog.getValue("enabled", Boolean.TRUE));
    if (!(enabled instanceof Boolean) && !"true".equals(enabled) && !"false".equals(enabled)) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "badConfiguration",
          "plugins.calling.watchdog.enabled must be true or false; got '" + enabled + "'");
    }
    if (Boolean.FALSE.equals(enabled) || "false".equals(enabled)) {
      return null;
    }
    return Durations.get(new JsonObject().put("watchdog.quietFor",
        config.getValue("watchdogQuietFor", watchdog.getValue("quietFor"))),
        "watchdog.quietFor", Duration.ofMinutes(2));
  }

  String requireCallbackUri() {
    if (callbackUri == null) {
      throw new SwitchboardException(ErrorCode.NOT_READY, "notConfigured", "Placing calls needs"
          + " plugins.calling.callbackUri: the URL of this server's /callbacks/calling as Graph reaches it");
    }
    return callbackUri;
  }
}
