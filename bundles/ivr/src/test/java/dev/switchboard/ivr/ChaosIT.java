package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.platform.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos at reduced size (bench/chaos.sh runs it at full size): concurrent callers walk an IVR flow (leave a message,
 * be transferred to sales, key in an account number) while the emulator throttles (429 with Retry-After), refuses
 * (503) and slows down requests on every Graph path, duplicates, redelivers, reorders and drops notifications (Graph
 * does not send a calling notification again), and, mid-run, takes its token endpoint down for a while (its tokens are
 * short-lived, so the platform must renew one during the outage and cannot: requests wait, readiness says why) and
 * its callback JWKS while it rotates its notification key (what is signed with the new key is refused until the JWKS
 * is back).
 * Every call must take its flow's path to its end, each step once (no prompt played twice, no transfer sent twice:
 * Graph accepted as many of each request per call as a call of the same path without faults, plus a prompt for a menu
 * asked again because keys were lost), or end early with a reason; every call the bot was offered ends once (the
 * calling watchdog closes those whose end was lost, and its counter says so); and every notification the callback
 * door accepted must have been handled.
 */
class ChaosIT {

  static final String SALES = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03";
  static final String FLOW = """
      default: true
      nodes:
        menu:
          type: gather
          say: Press 1 to leave a message, 2 for sales, 3 for your account.
          timeout: 100s
          retries: 1
          branches: {"1": message, "2": sales, "3": account}
          default: bye
        message:
          type: record
          say: Leave a message after the tone.
          maxDuration: 10s
          maxSilence: 1s
          next: bye
        sales:
          type: transfer
          say: Connecting you to sales.
          target: {user: %s}
          next: bye
        account:
          type: gather
          say: Key in your four digit account number.
          maxDigits: 4
          timeout: 100s
          branches: {"1234": bye}
          default: bye
        bye:
          type: hangup
          say: Goodbye.
      """.formatted(SALES);

  /** What each path's caller presses, and the ivr events (type@node) the call must go through, in order. */
  enum Path3 {
    MESSAGE("1", null, List.of("gathering@menu", "digits@menu", "recording@message", "recorded@message",
        "hangingUp@bye")),
    SALES("2", null, List.of("gathering@menu", "digits@menu", "transferring@sales", "transferred@sales")),
    ACCOUNT("3", "1234", List.of("gathering@menu", "digits@menu", "gathering@account", "digits@account",
        "hangingUp@bye"));

    final String menuKeys;
    final String accountKeys;
    final List<String> steps;

    Path3(String menuKeys, String accountKeys, List<String> steps) {
      this.menuKeys = menuKeys;
      this.accountKeys = accountKeys;
      this.steps = steps;
    }
  }

  /** The Graph requests whose count per call must not grow under faults (each one a side effect). */
  static final List<String> SIDE_EFFECTS = List.of("/answer", "/playPrompt", "/recordResponse", "/transfer",
      "/subscribeToTone");

  /** The ivr events that are steps of a call (the others describe them: prompts, versions). */
  static final java.util.Set<String> STEPS = java.util.Set.of("gathering", "digits", "recording", "recorded",
      "transferring", "transferred", "transferFailed", "hangingUp", "retry", "error");

  /**
   * The watchdogs that find calls and operations whose notifications were dropped or refused: 5 s without progress
   * (the defaults are 2 minutes; a short flow at this clock speed must not wait that long).
   */
  static final Map<String, String> WATCHDOGS = Map.of("SWITCHBOARD_PLUGINS_CALLING_WATCHDOG_QUIET_FOR", "5s",
      "SWITCHBOARD_PLUGINS_MEDIA_WATCHDOG_QUIET_FOR_MS", "5000");

  /** The fault that takes the callback JWKS down; the emulator rotates its notification key as it begins. */
  static final int JWKS_OUTAGE = 6;

  /** The fault that takes the token endpoint down, once a third of the calls are up. */
  static final int TOKEN_OUTAGE = 7;

  /**
   * The emulator's access tokens live 302 s: MSAL renews a token once it is within 5 minutes of its expiry, so each
   * is used for about 2 s and the platform must get new ones during the token endpoint's outage (with tokens of an
   * hour, the outage never bites: the cached token serves).
   */
  static final long TOKEN_LIFETIME_SECONDS = 302;

  @TempDir
  Path home;

  @Test
  void everyCallEndsAsItsFlowSaysUnderFaultsAndNoStepHappensTwice() throws Exception {
    int calls = Integer.getInteger("chaos.calls", 24);
    String only = System.getProperty("chaos.fault", "all"); // bench/chaos.sh runs each fault alone, then all
    long began = System.nanoTime();
    double clockSpeed = Double.parseDouble(System.getProperty("chaos.clockSpeed", "5"));
    try (IvrHarness h = IvrHarness.start(home, FLOW, WATCHDOGS,
        new EmulatorOptions().setClockSpeed(clockSpeed).setTokenLifetimeSeconds(TOKEN_LIFETIME_SECONDS))) {
      h.emulated.post("/emulator/users", new JsonObject().put("id", "caller").put("phone", "+14255550100")
          .put("behavior", new JsonObject().put("speakSeconds", 2)));
      // One call of each path without faults: what a call of that path asks of Graph.
      Map<Path3, Map<String, Long>> baseline = new HashMap<>();
      for (Path3 path : Path3.values()) {
        Walked walked = walk(h, path);
        assertEquals(null, walked.endedEarly(), "without faults every call takes its path");
        baseline.put(path, sideEffects(h, walked.callId()));
      }

      List<JsonObject> faults = faults(calls);
      for (int i = 0; i < faults.size(); i++) {
        if (i != JWKS_OUTAGE && i != TOKEN_OUTAGE && (only.equals("all") || only.equals(String.valueOf(i)))) {
          h.emulated.post("/emulator/faults", faults.get(i));
        }
      }
      ExecutorService callers = Executors.newFixedThreadPool(calls + 1);
      Map<String, Integer> endedEarly = new TreeMap<>();
      boolean tokenOutage = only.equals("all") || only.equals(String.valueOf(TOKEN_OUTAGE));
      List<String> notReady = List.of();
      try {
        List<Future<Walked>> done = new ArrayList<>();
        long before = established(h);
        if (only.equals("all") || only.equals(String.valueOf(JWKS_OUTAGE))) {
          callers.submit(() -> jwksOutageWithKeyRotation(h, faults.get(JWKS_OUTAGE), before + calls / 2));
        }
        Future<List<String>> readiness = null;
        if (tokenOutage) {
          readiness = callers.submit(() -> tokenOutage(h, faults.get(TOKEN_OUTAGE), before + calls / 3));
        }
        for (int i = 0; i < calls; i++) {
          Path3 path = Path3.values()[i % Path3.values().length];
          done.add(callers.submit(() -> walk(h, path)));
        }
        Map<String, String> problems = new TreeMap<>();
        for (Future<Walked> f : done) {
          Walked walked = f.get();
          Map<String, Long> effects = sideEffects(h, walked.callId());
          Map<String, Long> needed = walked.needs(baseline.get(walked.path()));
          boolean ok = walked.endedEarly() == null ? effects.equals(needed)
              : effects.entrySet().stream().allMatch(e -> e.getValue() <= needed.getOrDefault(e.getKey(), 0L));
          if (!ok) {
            problems.put(walked.callId(), "Graph accepted " + effects + " where a call of its path needs " + needed);
          } else if (walked.endedEarly() != null) {
            endedEarly.merge(walked.endedEarly(), 1, Integer::sum);
          }
        }
        assertTrue(problems.isEmpty(), "duplicate side effects: " + problems);
        for (Future<Walked> f : done) {
          String id = f.get().callId();
          int ends = h.events(CallEvent.Terminated.TOPIC, id, null).size();
          boolean offered = !h.events(CallEvent.Incoming.TOPIC, id, null).isEmpty();
          assertEquals(offered ? 1 : 0, ends, "call " + id + ": one terminated event for a call the bot was offered");
        }
        int early = endedEarly.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(early * 2 < calls, "most calls take their flow's path; ended early: " + endedEarly);
        if (readiness != null) {
          notReady = readiness.get();
        }
      } finally {
        callers.shutdownNow();
      }
      if (tokenOutage) {
        // Readiness said why while no token could be had, and is ready again after.
        assertTrue(notReady.stream().anyMatch(p -> p.contains("Graph token") && p.contains("not obtainable")),
            "readiness reported the token outage: " + notReady);
        TestServer.awaitUntil("ready again after the token outage", Duration.ofSeconds(30),
            () -> notReadyBecause(h).isEmpty());
      }
      long refused = h.t.server.ingressStats().get("calling", "unauthorized");
      if (!only.equals("all") && !only.equals(String.valueOf(JWKS_OUTAGE))) {
        assertEquals(0, refused, "no notification refused without the JWKS outage");
      }
      assertEquals(0, h.t.server.ingressStats().get("calling", "malformed"), "no notification refused");
      // Every notification the door accepted (answered 202) was handed over to its call's owner: none lost.
      // (Both read again until they agree: a redelivery may still be on its way when the last call has ended.)
      TestServer.awaitUntil("handed over exactly what the door accepted", Duration.ofSeconds(30),
          () -> h.t.server.ingressStats().notifications("calling", "handedOver") == acceptedByTheDoorNow(h));
      long accepted = acceptedByTheDoor(h);
      assertEquals(0, h.t.server.ingressStats().notifications("calling", "lost"));
      JsonArray applied = TestServer.json(TestServer.await(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
          + "/emulator/faults").send())).getJsonArray("value");
      Map<String, Integer> times = new TreeMap<>();
      for (Object f : applied) {
        JsonObject fault = (JsonObject) f;
        times.merge(fault.getString("type") + " " + fault.getString("path")
            + (fault.getString("changeType") == null ? "" : " " + fault.getString("changeType")),
            fault.getInteger("applied"), Integer::sum);
        // A rate fault surely applied when it had the chance often enough (at 10 expected applications, the chance
        // of none is e^-10); a small run may give a rare fault too few chances, and that proves nothing.
        boolean surely = fault.getValue("rate") == null
            ? fault.getString("path").contains("oauth2")
            : fault.getDouble("rate") * fault.getInteger("matched") >= 10;
        if (surely) {
          assertTrue(fault.getInteger("applied") > 0, "the fault applied: " + fault.encode());
        }
      }
      // Every call whose end was dropped was closed by the calling watchdog, which counted it. The caller may hang up
      // a moment ago, and the watchdog looks only after the call has been quiet for its quiet time (5 s): await it.
      // (A call whose incoming notification was refused during the JWKS outage was never the bot's: if its end is
      // dropped too, there is nothing to close.)
      long endsDropped = endsDroppedOfOfferedCalls(h);
      try {
        TestServer.awaitUntil("the watchdog closed every call whose end was dropped (" + endsDropped + ")",
            Duration.ofSeconds(30), () -> closedByTheWatchdog(h) >= endsDropped);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + ": " + Watchdogs.found(h.t, "calls_watchdog"), e);
      }
      Map<String, Double> calling = Watchdogs.found(h.t, "calls_watchdog");
      Map<String, Double> media = Watchdogs.found(h.t, "media_watchdog");
      // One line for bench/chaos.sh and bench/README.md.
      System.out.printf("CHAOS calls=%d fault=%s seconds=%.1f endedEarly=%s lateKeys=%d notificationsAccepted=%d "
          + "handedOver=%d lost=%d refused=%d callWatchdog=%s mediaWatchdog=%s applied=%s%n", calls, only,
          (System.nanoTime() - began) / 1e9, endedEarly, LATE_KEYS.get(), accepted,
          h.t.server.ingressStats().notifications("calling", "handedOver"),
          h.t.server.ingressStats().notifications("calling", "lost"), refused, calling, media, times);
    }
  }

  /** How many calls the bot was offered had their {@code deleted} notification dropped by the emulator. */
  static long endsDroppedOfOfferedCalls(IvrHarness h) throws Exception {
    JsonArray log = CallStory.notificationLog(h);
    return log.stream().map(JsonObject.class::cast)
        .filter(d -> "drop".equals(d.getString("fault")) && "deleted".equals(d.getString("changeType")))
        .map(d -> d.getString("resourceUrl", ""))
        .map(url -> url.substring(url.lastIndexOf('/') + 1)).distinct()
        .filter(call -> !h.events(CallEvent.Incoming.TOPIC, call, null).isEmpty()).count();
  }

  /** Calls the calling watchdog found ended or gone at Graph, and closed. */
  static double closedByTheWatchdog(IvrHarness h) {
    try {
      Map<String, Double> calling = Watchdogs.found(h.t, "calls_watchdog");
      return calling.getOrDefault("ended", 0.0) + calling.getOrDefault("gone", 0.0);
    } catch (Exception e) {
      throw new IllegalStateException("could not read the watchdog's meters from /metrics", e);
    }
  }

  /** The faults, together: every Graph path, every notification, and outages of the JWKS and token endpoints. */
  static List<JsonObject> faults() {
    return faults(200);
  }

  /**
   * The faults for a run of {@code calls} calls: the ends of one call in ten are dropped (by count, so that a small run
   * drops some for certain).
   */
  static List<JsonObject> faults(int calls) {
    return List.of(
        new JsonObject().put("type", "throttle").put("path", "/v1.0/**").put("rate", 0.1).put("retryAfterSeconds", 0.2),
        new JsonObject().put("type", "unavailable").put("path", "/v1.0/**").put("rate", 0.05)
            .put("retryAfterSeconds", 0.2),
        new JsonObject().put("type", "latency").put("path", "/v1.0/**").put("rate", 0.2).put("latencyMs", 300),
        new JsonObject().put("type", "duplicate").put("path", "/communications/calls/**").put("rate", 0.1),
        new JsonObject().put("type", "redeliver").put("path", "/communications/calls/**").put("rate", 0.1)
            .put("latencyMs", 400),
        new JsonObject().put("type", "reorder").put("path", "/communications/calls/*").put("rate", 0.05)
            .put("latencyMs", 300),
        new JsonObject().put("type", "unavailable").put("path", "/calling/**").put("forMs", 5000),
        new JsonObject().put("type", "unavailable").put("path", "/*/oauth2/**").put("forMs", 5000),
        // Lost for good (Graph does not retry calling notifications): updates and operation results, and ends.
        new JsonObject().put("type", "drop").put("path", "/communications/calls/**").put("changeType", "updated")
            .put("rate", 0.03),
        new JsonObject().put("type", "drop").put("path", "/communications/calls/*").put("changeType", "deleted")
            .put("count", Math.max(2, calls / 10)));
  }

  /**
   * Once {@code established} calls are up (the chaos is in full swing), takes the callback JWKS down and rotates the
   * emulator's notification key: notifications signed with the new key are refused until the JWKS is back, and Graph
   * does not send them again, so the calls under way lose them and the watchdogs must find out.
   */
  static Void jwksOutageWithKeyRotation(IvrHarness h, JsonObject outage, long established) throws Exception {
    TestServer.awaitUntil(established + " calls established", Duration.ofSeconds(120),
        () -> established(h) >= established);
    h.emulated.post("/emulator/faults", outage);
    h.emulated.post("/emulator/keys/rotate", new JsonObject().put("keys", "notification"));
    return null;
  }

  /**
   * Once {@code established} calls are up, takes the token endpoint down for its {@code forMs}; meanwhile asks for
   * readiness every 200 ms, until 3 s after the outage's end.
   *
   * @return the problems readiness named while it was not ready
   */
  static List<String> tokenOutage(IvrHarness h, JsonObject outage, long established) throws Exception {
    TestServer.awaitUntil(established + " calls established", Duration.ofSeconds(120),
        () -> established(h) >= established);
    h.emulated.post("/emulator/faults", outage);
    long until = System.nanoTime() + Duration.ofMillis(outage.getLong("forMs") + 3000).toNanos();
    List<String> problems = new ArrayList<>();
    while (System.nanoTime() < until) {
      problems.addAll(notReadyBecause(h));
      Thread.sleep(200);
    }
    return problems;
  }

  /** The problems {@code /health/ready} names; none when ready. */
  static List<String> notReadyBecause(IvrHarness h) {
    try {
      JsonObject ready = h.t.http(io.vertx.core.http.HttpMethod.GET, "/health/ready").bodyAsJsonObject();
      JsonArray problems = ready.getJsonArray("problems", new JsonArray());
      return Boolean.TRUE.equals(ready.getBoolean("ready")) ? List.of()
          : problems.stream().map(String::valueOf).toList();
    } catch (Exception e) {
      return List.of("readiness did not answer: " + e);
    }
  }

  /** How many calls have been established so far. */
  static long established(IvrHarness h) {
    return h.events.stream().filter(e -> CallEvent.Established.TOPIC.equals(e.getString("address"))).count();
  }

  /**
   * How one call went: it took its flow's path to the end ({@code endedEarly} null), or it ended before with a reason
   * (e.g. not answered within Graph's 15 s window on a machine this busy), having taken no step twice.
   */
  record Walked(String callId, Path3 path, String endedEarly, int askedAgain) {
    Walked(String callId, Path3 path, String endedEarly) {
      this(callId, path, endedEarly, 0);
    }

    /** What Graph must have accepted for this call: its path's baseline, and a prompt for each menu asked again. */
    Map<String, Long> needs(Map<String, Long> baseline) {
      Map<String, Long> needed = new TreeMap<>(baseline);
      if (askedAgain > 0) {
        needed.merge("/playPrompt", (long) askedAgain, Long::sum);
      }
      return needed;
    }
  }

  /**
   * One caller: dials the bot, waits for each menu (as a person waits for the prompt), presses its keys (again if
   * they went unheard), and waits until the call ends; checks the steps it took.
   */
  static Walked walk(IvrHarness h, Path3 path) throws Exception {
    String call = h.call("+14255550100");
    NeverOffered never = new NeverOffered(h, call);
    boolean reached = pressWhenGathering(h, call, "menu", path.menuKeys, never)
        && (path.accountKeys == null || pressWhenGathering(h, call, "account", path.accountKeys, never));
    try {
      TestServer.awaitUntil("call " + call + " (" + path + ") ends", Duration.ofSeconds(120),
          () -> !h.events(CallEvent.Terminated.TOPIC, call, null).isEmpty()
              && (h.events(IvrEvents.ADDRESS, call, "flowStarted").isEmpty()
                  || !h.events(IvrEvents.ADDRESS, call, "ended").isEmpty()) || never.get());
    } catch (AssertionError notEnded) {
      throw new AssertionError(notEnded.getMessage() + "; what went on:\n" + CallStory.of(h, call), notEnded);
    }
    if (h.events(CallEvent.Incoming.TOPIC, call, null).isEmpty()) {
      // Graph offered the call, its notification was refused (the JWKS outage) and never sent again: no bot knew it.
      return new Walked(call, path, "never offered: its incoming-call notification was refused");
    }
    List<String> steps = h.events(IvrEvents.ADDRESS, call, null).stream()
        .map(e -> e.getString("type") + "@" + e.getString("node")
            + (e.containsKey("digits") && e.getString("type").equals("retry")
                ? "(" + (CallStory.tookAnEarlierKey(h, call, e) ? LATE : "") + e.getString("digits") + ")" : ""))
        .filter(s -> STEPS.contains(s.substring(0, s.indexOf('@'))))
        .collect(Collectors.toList());
    int askedAgain = unheardRetries(steps, path.menuKeys, path.accountKeys);
    int error = steps.indexOf(steps.stream().filter(st -> st.startsWith("error@")).findFirst().orElse(""));
    if (error >= 0) {
      // A command failed for good (e.g. Graph refused it past the retries): the flow hangs up and says why.
      String message = h.events(IvrEvents.ADDRESS, call, "error").get(0).getString("message");
      List<String> before = steps.subList(0, error);
      assertTrue(message != null && !message.isBlank(), "call " + call + " failed without a reason");
      assertTrue(before.size() <= path.steps.size() && path.steps.subList(0, before.size()).equals(before),
          "call " + call + " (" + path + ") failed (" + message + ") after " + before + ", each step once");
      return new Walked(call, path, "error: " + message, askedAgain);
    }
    boolean cutShort = steps.size() < path.steps.size() && path.steps.subList(0, steps.size()).equals(steps);
    if (!reached || cutShort) {
      String reason = h.events(CallEvent.Terminated.TOPIC, call, null).get(0).getString("reason");
      assertTrue(reason != null && !reason.isBlank(), "call " + call + " ended early without a reason");
      assertTrue(steps.size() <= path.steps.size() && path.steps.subList(0, steps.size()).equals(steps),
          "call " + call + " (" + path + ") ended early (" + reason + ") after " + steps + ", each step once");
      return new Walked(call, path, reason, askedAgain);
    }
    if (!path.steps.equals(steps)) {
      assertEquals(path.steps, steps, "call " + call + " (" + path + ") took its flow's path, each step once;"
          + " what went on:\n" + CallStory.of(h, call));
    }
    return new Walked(call, path, null, askedAgain);
  }

  /**
   * Presses {@code keys} once each time {@code node} gathers (as a caller does when prompted: if the keys went
   * unheard, the flow asks again and the caller presses again); false if the call ended first.
   */
  private static boolean pressWhenGathering(IvrHarness h, String call, String node, String keys, NeverOffered never)
      throws Exception {
    int pressed = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (System.nanoTime() < deadline && !heard(h, call, node)
        && h.events(CallEvent.Terminated.TOPIC, call, null).isEmpty() && !never.get()) {
      long attempts = h.events(IvrEvents.ADDRESS, call, "gathering").stream()
          .filter(e -> node.equals(e.getString("node"))).count();
      if (attempts > pressed) {
        pressed++;
        h.press(call, keys); // waits a moment first, as a person does
      }
      Thread.sleep(50);
    }
    return heard(h, call, node);
  }

  /**
   * Drops from {@code steps} each retry whose keys went unheard, and the gathering that follows it: no digits (pressed
   * before the tones were subscribed), or some of the keys the caller pressed with others lost (a tone notification
   * dropped: Graph does not send it again); the flow asked again, as it says. A retry with other digits is kept
   * (wrong digits are a fault of ours).
   *
   * @return how many retries were dropped (each one a prompt played again, as the flow says)
   */
  static int unheardRetries(List<String> steps, String... pressed) {
    int dropped = 0;
    for (int i = 0; i + 1 < steps.size(); i++) {
      String step = steps.get(i);
      String heard = step.endsWith(")") ? step.substring(step.indexOf('(') + 1, step.length() - 1) : "";
      boolean late = heard.startsWith(LATE);
      if (late) {
        LATE_KEYS.incrementAndGet();
      }
      if (step.startsWith("retry@") && step.endsWith(")") && steps.get(i + 1).startsWith("gathering@")
          && (late || lostSome(heard, pressed))) {
        steps.remove(i + 1);
        steps.remove(i);
        i--;
        dropped++;
      }
    }
    return dropped;
  }

  /** How a retry whose gather took a key pressed before it began is marked in a call's steps. */
  private static final String LATE = "late:";
  /** Retries whose gather took a key pressed before it began (in this JVM, for the CHAOS line). */
  static final java.util.concurrent.atomic.AtomicInteger LATE_KEYS = new java.util.concurrent.atomic.AtomicInteger();

  /** Whether {@code heard} is {@code keys} with some keys missing (none heard included), for one of the presses. */
  private static boolean lostSome(String heard, String... pressed) {
    if (heard.isEmpty()) {
      return true;
    }
    for (String keys : pressed) {
      if (keys == null || heard.length() >= keys.length()) {
        continue;
      }
      int k = 0;
      for (int j = 0; j < keys.length() && k < heard.length(); j++) {
        if (keys.charAt(j) == heard.charAt(k)) {
          k++;
        }
      }
      if (k == heard.length()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether Graph ended a call no bot was offered (no {@code incoming} event, the emulator says it is over); asks the
   * emulator at most once a second.
   */
  static final class NeverOffered {
    private final IvrHarness h;
    private final String call;
    private long askedAt;
    private boolean over;

    NeverOffered(IvrHarness h, String call) {
      this.h = h;
      this.call = call;
    }

    boolean get() {
      if (!h.events(CallEvent.Incoming.TOPIC, call, null).isEmpty()) {
        // Offered after all (its incoming notification came late): its end reaches the bot as an event, or the
        // calling watchdog finds it gone. (Answering "over" here left the walker without a terminated event.)
        return false;
      }
      if (over) {
        return true;
      }
      if (System.nanoTime() - askedAt < 1_000_000_000L) {
        return false;
      }
      askedAt = System.nanoTime();
      try {
        JsonObject emulated = TestServer.json(TestServer.await(h.emulated.control.getAbs(h.emulated.emulator.baseUrl()
            + "/emulator/calls/" + call).send()));
        over = "terminated".equals(emulated.getString("state"));
      } catch (Exception e) {
        over = false;
      }
      return over;
    }
  }

  private static boolean heard(IvrHarness h, String call, String node) {
    return h.events(IvrEvents.ADDRESS, call, "digits").stream().anyMatch(e -> node.equals(e.getString("node")));
  }

  private static long acceptedByTheDoorNow(IvrHarness h) {
    try {
      return acceptedByTheDoor(h);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** How many calling notifications the emulator delivered and the callback door answered 202. */
  static long acceptedByTheDoor(IvrHarness h) throws Exception {
    JsonArray log = CallStory.notificationLog(h);
    return log.stream().map(JsonObject.class::cast).filter(d -> d.getString("url", "").contains("/callbacks/calling")
        && Integer.valueOf(202).equals(d.getInteger("status"))).mapToLong(d -> CallStory.notifications(d).size()).sum();
  }

  /** How many of each side-effect request Graph accepted (2xx) for {@code call}. */
  static Map<String, Long> sideEffects(IvrHarness h, String call) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (Object o : h.emulated.requests("/communications/calls/" + call + "/")) {
      JsonObject r = (JsonObject) o;
      String path = r.getString("path");
      int status = r.getInteger("status", 0);
      if (!"POST".equals(r.getString("method")) || status / 100 != 2) {
        continue;
      }
      SIDE_EFFECTS.stream().filter(path::endsWith).findFirst().ifPresent(s -> counts.merge(s, 1L, Long::sum));
    }
    return counts;
  }
}
