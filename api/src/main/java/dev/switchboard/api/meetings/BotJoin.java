package dev.switchboard.api.meetings;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The bot's presence in a meeting: a join scheduled for the meeting's start, or carried out.
 *
 * @param state where the join is
 * @param lead how long before the meeting's start a scheduled join fires ({@code PT0S}: at the start), or
 *     {@code null} for a join asked for now
 * @param dueAt when a scheduled join fires, on Graph's clock ({@code startDateTime - lead}), or {@code null}
 * @param firedAt when the join was carried out (the join command sent), on Graph's clock, or {@code null}
 * @param callId the bot's call in the meeting once the calling bundle placed it, or {@code null}
 * @param reason why the join failed or the bot left, in words, or {@code null}
 */
public record BotJoin(State state, Duration lead, Instant dueAt, Instant firedAt, String callId, String reason) {

  /** Where a join is. */
  public enum State {
    /** Waiting for {@code dueAt}. */
    SCHEDULED,
    /** The join was sent; the call is being set up. */
    JOINING,
    /** The bot's call is established in the meeting. */
    JOINED,
    /** The bot's call ended. */
    LEFT,
    /** The join failed ({@code reason} says why). */
    FAILED,
    /** A scheduled join was cancelled before it fired. */
    CANCELLED;

    /** The wire name, e.g. {@code scheduled}. */
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State fromWire(String value) {
      for (State s : values()) {
        if (s.wire().equals(value)) {
          return s;
        }
      }
      throw Json.bad("'state' must be one of scheduled, joining, joined, left, failed, cancelled; got '" + value
          + "'.");
    }
  }

  public BotJoin {
    java.util.Objects.requireNonNull(state, "state");
  }

  /** A join scheduled to fire at {@code dueAt}. */
  public static BotJoin scheduled(Duration lead, Instant dueAt) {
    return new BotJoin(State.SCHEDULED, lead, dueAt, null, null, null);
  }

  /** This join in another state, with the same schedule. */
  public BotJoin with(State newState, Instant fired, String call, String why) {
    return new BotJoin(newState, lead, dueAt, fired != null ? fired : firedAt, call != null ? call : callId, why);
  }

  /** Whether the bot is in the meeting or on its way ({@code joining} or {@code joined}). */
  public boolean active() {
    return state == State.JOINING || state == State.JOINED;
  }

  /** {@code {"state", "lead", "dueAt", "firedAt", "callId", "reason"}}, absent fields left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state.wire());
    Json.putIf(json, "lead", lead);
    Json.putIf(json, "dueAt", dueAt);
    Json.putIf(json, "firedAt", firedAt);
    Json.putIf(json, "callId", callId);
    return Json.putIf(json, "reason", reason);
  }

  public static BotJoin fromJson(JsonObject json) {
    return new BotJoin(State.fromWire(Json.required(json, "state")), Json.duration(json, "lead"),
        Json.instant(json, "dueAt"), Json.instant(json, "firedAt"), Json.string(json, "callId"),
        Json.string(json, "reason"));
  }
}
