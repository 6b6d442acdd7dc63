package dev.switchboard.ivr;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * A node of a flow. Every step has an id (its key under {@code nodes:}), the line it is declared on, and an
 * optional prompt played first. A {@code next} of {@code null} means: hang up.
 */
sealed interface Step {

  String id();

  int line();

  Prompt prompt();

  /** Plays its prompt, then goes on. */
  record Play(String id, int line, Prompt prompt, String next) implements Step {
  }

  /**
   * Plays its prompt and collects keys. A key sequence that matches a branch goes there; no input or one that
   * matches none asks again ({@code retries} times, saying {@code retryPrompt} first), then goes to
   * {@code fallback} (the {@code default:} of the file).
   */
  record Gather(String id, int line, Prompt prompt, Map<String, String> branches, int maxDigits, long timeoutMs,
      long interDigitTimeoutMs, String terminator, int retries, Prompt retryPrompt, String fallback)
      implements Step {
  }

  /** Records the caller (voicemail), then goes on. */
  record Record(String id, int line, Prompt prompt, int maxDurationSeconds, int maxSilenceSeconds,
      int initialSilenceSeconds, List<String> stopTones, boolean beep, String next) implements Step {
  }

  /**
   * Transfers the call to {@code target}, or to the user {@code routing} chooses by presence; goes to {@code next}
   * only if the transfer fails.
   *
   * @param target the one target, or {@code null} when {@code routing} chooses
   * @param routing how to choose among several users, or {@code null} for the one {@code target}
   */
  record Transfer(String id, int line, Prompt prompt, JsonObject target, Routing routing, String next)
      implements Step {
  }

  /**
   * Presence-aware routing of a transfer: the user {@code targets} to choose from, how, and where the call goes when
   * nobody is available (or the presence bundle does not answer within {@code presenceTimeoutMs}).
   *
   * @param strategy {@link #FIRST_AVAILABLE} (the first of {@code targets}, in order, who shows Available) or
   *     {@link #LONGEST_AVAILABLE} (who has shown Available the longest)
   * @param fallback the node when nobody is available; {@code null}: hang up
   */
  record Routing(List<JsonObject> targets, String strategy, long presenceTimeoutMs, String fallback) {
    static final String FIRST_AVAILABLE = "firstAvailable";
    static final String LONGEST_AVAILABLE = "longestAvailable";
  }

  /** Redirects the incoming call instead of answering it; only a flow's start node. */
  record Redirect(String id, int line, Prompt prompt, List<JsonObject> targets, Integer timeoutSeconds)
      implements Step {
  }

  /** Invites someone into the call, then goes on. */
  record Invite(String id, int line, Prompt prompt, JsonObject target, String next) implements Step {
  }

  /** Plays its prompt, then hangs up. */
  record HangUp(String id, int line, Prompt prompt) implements Step {
  }
}
