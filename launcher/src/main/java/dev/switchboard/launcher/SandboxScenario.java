package dev.switchboard.launcher;

import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.media.Recording;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The sandbox's demo: two people call the bot through the emulator's control API and walk the default flow. Runs on
 * the calling thread (never an event loop), waiting for the transcript's events between steps. A step that does not
 * happen in time fails the scenario with a message that says which.
 */
final class SandboxScenario implements MeetingScenario.Control, AutoCloseable {

  /** A person of the emulator's directory who calls in (Alex Wilber). */
  static final String SECOND_CALLER = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  static final String FIRST_CALLER = "+14255550123";
  /** The sales agents of the default flow, in its order: Megan Bowen, Adele Vance. */
  static final java.util.List<String> SALES_AGENTS = java.util.List.of("6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03",
      "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01");

  /** A step that did not happen. */
  static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }

  private final Vertx vertx;
  private final Transcript transcript;
  private final String emulatorUrl;
  private final WebClient control;
  private final Duration stepTimeout;
  private final long keyDelayMillis;
  private final java.util.List<String> calls = new java.util.ArrayList<>();
  private int steps;

  SandboxScenario(Vertx vertx, Transcript transcript, String emulatorUrl, String emulatorPem, Duration stepTimeout,
      long keyDelayMillis) {
    this.vertx = vertx;
    this.transcript = transcript;
    this.emulatorUrl = emulatorUrl;
    this.stepTimeout = stepTimeout;
    this.keyDelayMillis = keyDelayMillis;
    this.control = WebClient.create(vertx, new WebClientOptions().setSsl(true)
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(emulatorPem))));
  }

  int steps() {
    return steps;
  }

  /** The ids of the calls placed so far, in order. */
  java.util.List<String> calls() {
    return java.util.List.copyOf(calls);
  }

  /** Plays both calls; returns normally when every step happened. */
  void run() throws Exception {
    leaveAMessage();
    transferToSales();
  }

  private void leaveAMessage() throws Exception {
    String call = incoming("call 1", new JsonObject().put("from", FIRST_CALLER).put("displayName", "Caller One")
        .put("behavior", new JsonObject().put("speakSeconds", 4)));
    expectMenu(call);
    // A bad line, so that its call record is classified poor (see SandboxRecords).
    transcript.say(call, "the caller's line turns bad: 15% packet loss, 45 ms jitter");
    post("/emulator/calls/" + call + "/network", new JsonObject().put("packetLossRate", 0.15).put("jitterMs", 45));
    press(call, "2");
    expectIvr(call, "digits", e -> "message".equals(e.getString("next")), "the menu sends key 2 to 'message'");
    JsonObject recorded = expectIvr(call, "recorded", e -> true, "the message is recorded and stored");
    Path file = transcript.absolute(Recording.fromJson(recorded.getJsonObject("recording")).path());
    step(Files.isRegularFile(file) && Files.size(file) > 44, "the recording file " + file + " exists and holds audio");
    expectIvr(call, "gathering", e -> "thanks".equals(e.getString("node")), "the bot thanks the caller");
    Thread.sleep(keyDelayMillis);
    transcript.say(call, "caller hangs up");
    post("/emulator/calls/" + call + "/hangup", new JsonObject());
    expectCall(CallEvent.Terminated.class, call, e -> true, "the call ends");
  }

  private void transferToSales() throws Exception {
    salesAgentsPresence();
    String call = incoming("call 2", new JsonObject().put("from", SECOND_CALLER));
    expectMenu(call);
    press(call, "1");
    expectIvr(call, "digits", e -> "sales".equals(e.getString("next")), "the menu sends key 1 to 'sales'");
    expectIvr(call, "routed", e -> e.getJsonObject("target") != null
        && SALES_AGENTS.get(1).equals(e.getJsonObject("target").getString("user")),
        "the first sales agent is Busy: the presence bundle's cache sends the call to the second");
    expectIvr(call, "transferring", e -> true, "the bot transfers the call");
    expectCall(CallEvent.TransferAccepted.class, call, e -> true, "the sales user accepts the transfer");
    expectCall(CallEvent.Terminated.class, call, e -> e.resultInfo() != null && e.resultInfo().subcode() != null
        && e.resultInfo().subcode() == 7015, "the bot's leg ends because the transfer completed (0/7015)");
  }

  /** The first sales agent is in a call, the second Available (as their Teams clients report it). */
  private void salesAgentsPresence() throws Exception {
    transcript.say(null, "Megan Bowen (sales) is in a call (Busy, InACall); Adele Vance (sales) is Available");
    report(SALES_AGENTS.get(0), "Busy", "InACall");
    report(SALES_AGENTS.get(1), "Available", "Available");
    PresenceClient presence = PresenceClient.of(vertx.eventBus()).withTimeout(1_000);
    expect(() -> {
      try {
        CachedPresences cached = presence.cached(SALES_AGENTS).toCompletionStage().toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
        return cached.value().size() == 2 && cached.value().get(0).presence().availability().equals("Busy")
            && cached.value().get(1).presence().available() ? cached : null;
      } catch (Exception e) {
        return null;
      }
    }, "the presence bundle sees the sales agents' presence");
  }

  private void report(String user, String availability, String activity) throws Exception {
    post("/emulator/users/" + user + "/presence", new JsonObject().put("availability", availability)
        .put("activity", activity));
  }

  private String incoming(String label, JsonObject body) throws Exception {
    transcript.expectCaller(body.getString("from"), label);
    transcript.sayAs(label, "dials the bot");
    JsonObject call = post("/emulator/calls/incoming", body);
    String id = call.getString("id");
    calls.add(id);
    transcript.label(id, label);
    expectCall(CallEvent.Established.class, id, e -> true, "the bot answers");
    return id;
  }

  private void expectMenu(String call) throws Exception {
    expectIvr(call, "gathering", e -> "menu".equals(e.getString("node")), "the caller hears the main menu");
  }

  private void press(String call, String keys) throws Exception {
    Thread.sleep(keyDelayMillis);
    transcript.say(call, "caller presses " + keys);
    post("/emulator/calls/" + call + "/tones", new JsonObject().put("tones", keys));
  }

  private JsonObject expectIvr(String call, String type, Predicate<JsonObject> test, String what) throws Exception {
    return expect(() -> transcript.findIvr(call, e -> type.equals(e.getString("type")) && test.test(e)), what);
  }

  private <E extends CallEvent> E expectCall(Class<E> type, String call, Predicate<E> test, String what)
      throws Exception {
    return expect(() -> transcript.findCall(type, call, test), what);
  }

  private <T> T expect(java.util.function.Supplier<T> find, String what) throws Exception {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      T event = find.get();
      if (event != null) {
        steps++;
        return event;
      }
      Thread.sleep(10);
    }
    throw new StepFailed("step failed: " + what + " (nothing within " + stepTimeout.toSeconds() + " s)");
  }

  private void step(boolean ok, String what) throws StepFailed {
    if (!ok) {
      throw new StepFailed("step failed: " + what);
    }
    steps++;
  }

  /** A control-API request to the emulator; its JSON answer, or a {@link StepFailed} naming the status. */
  @Override
  public JsonObject post(String path, JsonObject body) throws Exception {
    return answer("POST", path, control.postAbs(emulatorUrl + path).sendJsonObject(body));
  }

  /** A control-API read of the emulator; its JSON answer, or a {@link StepFailed} naming the status. */
  @Override
  public JsonObject get(String path) throws Exception {
    return answer("GET", path, control.getAbs(emulatorUrl + path).send());
  }

  private static JsonObject answer(String method, String path, Future<HttpResponse<Buffer>> response)
      throws Exception {
    Future<JsonObject> sent = response.compose(r -> {
      if (r.statusCode() >= 300) {
        return Future.failedFuture(new StepFailed("the emulator answered " + r.statusCode() + " to " + method + " "
            + path + ": " + r.bodyAsString()));
      }
      return Future.succeededFuture(r.body() == null || r.body().length() == 0 ? new JsonObject()
          : r.bodyAsJsonObject());
    });
    try {
      return sent.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public void close() {
    control.close();
  }
}
