package dev.switchboard.platform.richdata;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code validationTokens} of one change-notification collection, checked once for all the notifications in
 * it that carry resource data ({@link RichNotifications#verify}). Thread-safe.
 */
public final class ValidationTokens {

  private final List<String> tokens;
  private Future<Void> verified;

  private ValidationTokens(List<String> tokens) {
    this.tokens = tokens;
  }

  /** The tokens of a collection: its {@code validationTokens} array, or none when it has none. */
  public static ValidationTokens of(Object validationTokens) {
    if (!(validationTokens instanceof JsonArray array)) {
      return new ValidationTokens(List.of());
    }
    return new ValidationTokens(array.stream().map(t -> t instanceof String s ? s : "").toList());
  }

  List<String> tokens() {
    return tokens;
  }

  /** The result of {@code check}, run on the first call only. */
  synchronized Future<Void> once(Function<List<String>, Future<Void>> check) {
    if (verified == null) {
      verified = check.apply(tokens);
    }
    return verified;
  }
}
