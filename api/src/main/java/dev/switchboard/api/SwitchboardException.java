package dev.switchboard.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The one failure type of the platform and its plugins: a {@link ErrorCode kind} (which fixes the HTTP
 * status), a specific machine-readable {@linkplain #errorId() code} and a message a person can act on.
 *
 * <p>Its JSON form is the platform's error shape, used by every HTTP endpoint and as the body of failed
 * event-bus replies: {@code {"error":{"code":"...","message":"..."}}}.
 */
public class SwitchboardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String errorId;

  /** A failure whose code is the kind's own identifier. */
  public SwitchboardException(ErrorCode code, String message) {
    this(code, code.id(), message, null);
  }

  /**
   * A failure with a specific code, e.g. {@code (UNPROCESSABLE, "bundleUnresolved", "...")}.
   *
   * @param errorId camelCase identifier, stable across releases
   */
  public SwitchboardException(ErrorCode code, String errorId, String message) {
    this(code, errorId, message, null);
  }

  public SwitchboardException(ErrorCode code, String errorId, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.errorId = Objects.requireNonNull(errorId, "errorId");
  }

  /** The kind of failure. */
  public ErrorCode code() {
    return code;
  }

  /** The specific code a program can act on. */
  public String errorId() {
    return errorId;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return code.status();
  }

  /** The platform's JSON error shape for this failure. */
  public JsonObject toJson() {
    return new JsonObject().put("error", new JsonObject().put("code", errorId).put("message", getMessage()));
  }

  /**
   * Fails an event-bus reply with this exception, so that the sender can rebuild it with
   * {@link #from(Throwable)}.
   */
  public ReplyException toReplyException() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code.status(), toJson().encode());
  }

  /**
   * Recovers a {@code SwitchboardException} from a failure: itself if it is one, the original from a
   * reply failed with {@link #toReplyException()}, a {@link ErrorCode#TIMEOUT} or
   * {@link ErrorCode#NOT_READY} for a reply timeout or a missing consumer, and an
   * {@link ErrorCode#INTERNAL} wrapping anything else.
   */
  public static SwitchboardException from(Throwable failure) {
    if (failure instanceof SwitchboardException e) {
      return e;
    }
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case TIMEOUT:
          return new SwitchboardException(ErrorCode.TIMEOUT, "No reply in time: " + reply.getMessage());
        case NO_HANDLERS:
          return new SwitchboardException(ErrorCode.NOT_READY, "noHandler",
              "Nothing is consuming that address; is the bundle that serves it installed and active? ("
                  + reply.getMessage() + ")");
        default:
          SwitchboardException decoded = decode(reply);
          if (decoded != null) {
            return decoded;
          }
      }
    }
    return new SwitchboardException(ErrorCode.INTERNAL, ErrorCode.INTERNAL.id(),
        String.valueOf(failure.getMessage()), failure);
  }

  private static SwitchboardException decode(ReplyException reply) {
    String body = reply.getMessage();
    if (body == null || !body.startsWith("{")) {
      return null;
    }
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error == null || error.getString("code") == null || error.getString("message") == null) {
        return null;
      }
      return new SwitchboardException(ErrorCode.forStatus(reply.failureCode()), error.getString("code"),
          error.getString("message"));
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
