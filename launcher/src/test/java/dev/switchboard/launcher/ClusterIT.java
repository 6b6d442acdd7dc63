package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.emulator.EmulatorOptions;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real cluster: three (then four) {@code switchboard run} processes on the loopback interface, each with its own
 * data folder, joined over Hazelcast, behind a real HAProxy to which the emulator (Graph) sends every callback. Live
 * IVR calls go on, in order and exactly once, while members are killed ({@code kill -9}), stopped with SIGTERM, or
 * join later.
 */
class ClusterIT {

  private static final String TOKEN = "cluster-test-token-0123456789";
  private static final int CALLS = 30;
  private static final String FLOW = """
      name: cluster
      default: true
      start: first
      nodes:
        first:
          type: gather
          say: One.
          timeout: 120s
          retries: 0
          branches:
            "1": second
          default: bye
        second:
          type: gather
          say: Two.
          timeout: 120s
          retries: 0
          branches:
            "2": bye
          default: bye
        bye:
          type: hangup
          say: Bye.
      """;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient admin = WebClient.create(vertx);
  private GraphEmulator emulator;
  private WebClient control;
  private LocalCluster cluster;

  @AfterEach
  void close() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (emulator != null) {
      await(emulator.close());
    }
    await(vertx.close());
  }

  @Test
  void callsGoOnWhenMembersDieLeaveAndJoin() throws Exception {
    assumeTrue(LocalCluster.haproxyInstalled(), "HAProxy is not installed (.ci/run installs Debian's haproxy); the "
        + "cluster test needs it as the load balancer and is skipped");
    assumeTrue(onPath("espeak-ng"), "the flow's prompts are text (say:), which needs espeak-ng; .ci/run installs it");
    int balancerPort = Cli.freePort();
    emulator = await(GraphEmulator.start(vertx, new EmulatorOptions().setClockSpeed(1)
        .setBotCallback("http://127.0.0.1:" + balancerPort + "/callbacks/calling")));
    control = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustOptions(new PemTrustOptions()
        .addCertValue(Buffer.buffer(emulator.graphConfig().getString("tlsCertificatePem")))));
    cluster = new LocalCluster(dir, 4, baseEnv(), balancerPort);
    cluster.startBalancer();
    cluster.start(0, 1, 2);
    for (int i = 0; i < 3; i++) {
      int member = i;
      awaitTrue("member " + i + " ready (in the cluster, holding its lease)", () -> ready(member),
          Duration.ofSeconds(60));
    }
    JsonObject view = clusterView(0);
    assertEquals(3, view.getJsonArray("members").size(), view.encodePrettily());

    // 30 calls arrive through HAProxy, round robin: each member takes the calls whose first callback it got.
    List<String> calls = newCalls(CALLS, 0);
    awaitAll(calls, "heard the first prompt", id -> prompts(id) >= 1, Duration.ofSeconds(90));
    Map<Integer, Set<String>> owned = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      owned.put(i, liveCalls(i));
    }
    for (int i = 0; i < 3; i++) {
      assertFalse(owned.get(i).isEmpty(), "member " + i + " owns some of the calls: " + owned);
      for (int j = i + 1; j < 3; j++) {
        Set<String> both = new HashSet<>(owned.get(i));
        both.retainAll(owned.get(j));
        assertTrue(both.isEmpty(), "no call is owned by two members: " + both);
      }
    }

    // kill -9 of member 1 while the callers press 1: every call moves on to the second menu, the moved ones too.
    long killedAt = System.nanoTime();
    cluster.signal(1, "KILL");
    for (String id : calls) {
      post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "1"));
    }
    List<String> moved = new ArrayList<>(owned.get(1));
    awaitAll(moved.subList(0, 1), "of the killed member reached the second menu", id -> prompts(id) >= 2,
        Duration.ofSeconds(60));
    System.out.printf("ClusterIT: kill -9 -> first moved call handled its tone in %d ms%n",
        (System.nanoTime() - killedAt) / 1_000_000);
    awaitAll(calls, "moved to the second menu", id -> prompts(id) >= 2, Duration.ofSeconds(90));

    // A member started later joins and takes new calls.
    cluster.start(3);
    awaitTrue("member 3 ready", () -> ready(3), Duration.ofSeconds(60));
    List<String> later = newCalls(12, CALLS);
    awaitAll(later, "heard the first prompt", id -> prompts(id) >= 1, Duration.ofSeconds(90));
    assertFalse(liveCalls(3).isEmpty(), "the member that joined later took some of the new calls");

    // SIGTERM of member 0: it leaves gracefully, its keys move at once (no failure detection).
    Set<String> ofLeaving = liveCalls(0);
    cluster.signal(0, "TERM");
    assertTrue(cluster.slots.get(0).server.process.waitFor(60, TimeUnit.SECONDS), "member 0 stopped on SIGTERM");
    awaitTrue("the others heard member 0 announce its leaving", () -> logged(2, "is leaving; its keys move now"),
        Duration.ofSeconds(30));
    assertFalse(ofLeaving.isEmpty(), "member 0 owned calls when it was stopped");

    for (String id : calls) {
      assertEquals(2, prompts(id), "call " + id + " is in the second menu, having heard One and Two once each");
    }
    List<String> all = new ArrayList<>(calls);
    all.addAll(later);
    for (String id : calls) {
      post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "2"));
    }
    for (String id : later) {
      post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "1"));
    }
    awaitAll(later, "moved to the second menu", id -> prompts(id) >= 2, Duration.ofSeconds(90));
    for (String id : later) {
      post("/emulator/calls/" + id + "/tones", new JsonObject().put("tones", "2"));
    }
    awaitAll(all, "hung up by its flow", id -> "terminated".equals(emulatorCall(id).getString("state")),
        Duration.ofSeconds(90));
    // A tone delivered twice, lost or out of order would have sent a flow down another branch (a second "1" in the
    // second menu hangs up early; a lost one leaves it waiting): every call heard the same three prompts, in order.
    List<String> expected = promptUris(all.get(0));
    assertEquals(3, Set.copyOf(expected).size(), "One, Two and Bye are three prompt files: " + expected);
    for (String id : all) {
      assertEquals(expected, promptUris(id), "call " + id + " heard One, Two and Bye, each once and in order");
    }
    for (int i : List.of(2, 3)) {
      assertFalse(cluster.log(i).contains("Exception in thread"), cluster.log(i));
    }
  }

  private Map<String, String> baseEnv() throws Exception {
    Path deploy = Files.createDirectories(dir.resolve("deploy"));
    Path dist = Path.of(System.getProperty("switchboard.dist", "target/switchboard"));
    for (String bundle : List.of("calling", "media", "ivr")) {
      Files.copy(dist.resolve("deploy").resolve(bundle + ".jar"), deploy.resolve(bundle + ".jar"));
    }
    Path flows = Files.createDirectories(dir.resolve("flows"));
    Files.writeString(flows.resolve("cluster.yaml"), FLOW);
    Map<String, String> env = new HashMap<>(ConfigLoader.environmentOf("graph", emulator.graphConfig()));
    env.put("SWITCHBOARD_ADMIN_TOKEN", TOKEN);
    env.put("SWITCHBOARD_DEPLOY_DIR", deploy.toString());
    env.put("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
    return env;
  }

  private List<String> newCalls(int count, int first) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = first; i < first + count; i++) {
      ids.add(post("/emulator/calls/incoming", new JsonObject().put("from", String.format("+1425555%04d", i)))
          .getString("id"));
    }
    return ids;
  }

  private boolean ready(int member) {
    try {
      return await(admin.get(cluster.slots.get(member).httpPort, "127.0.0.1", "/health/ready").send())
          .statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private boolean logged(int member, String text) {
    try {
      return cluster.log(member).contains(text);
    } catch (Exception e) {
      return false;
    }
  }

  private JsonObject clusterView(int member) throws Exception {
    return adminGet(member, "/admin/cluster").bodyAsJsonObject();
  }

  /** The calls member {@code i} holds routing state for, as its admin API lists them. */
  private Set<String> liveCalls(int member) throws Exception {
    JsonArray calls = adminGet(member, "/admin/calls").bodyAsJsonArray();
    Set<String> ids = new HashSet<>();
    calls.forEach(c -> ids.add(((JsonObject) c).getString("id")));
    return ids;
  }

  private HttpResponse<Buffer> adminGet(int member, String path) throws Exception {
    HttpResponse<Buffer> response = await(admin.get(cluster.slots.get(member).server.adminPort, "127.0.0.1", path)
        .bearerTokenAuthentication(TOKEN).send());
    assertEquals(200, response.statusCode(), path + ": " + response.bodyAsString());
    return response;
  }

  /** The prompts the bot played on call {@code id}, as the emulator saw them. */
  private JsonArray played(String id) {
    try {
      return await(control.getAbs(emulator.baseUrl() + "/emulator/requests?method=POST&path=/communications/calls/"
          + id + "/playPrompt").send()).bodyAsJsonObject().getJsonArray("value");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int prompts(String id) {
    return played(id).size();
  }

  /** The audio URIs of the prompts played on call {@code id}, in order (one file per prompt text). */
  private List<String> promptUris(String id) {
    List<String> uris = new ArrayList<>();
    for (Object request : played(id)) {
      Object body = ((JsonObject) request).getValue("body");
      JsonObject json = body instanceof JsonObject o ? o : new JsonObject(String.valueOf(body));
      uris.add(json.getJsonArray("prompts").getJsonObject(0).getJsonObject("mediaInfo").getString("uri"));
    }
    return uris;
  }

  private JsonObject emulatorCall(String id) {
    try {
      return await(control.getAbs(emulator.baseUrl() + "/emulator/calls/" + id).send()).bodyAsJsonObject();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonObject post(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> response = await(control.postAbs(emulator.baseUrl() + path).sendJsonObject(body));
    assertTrue(response.statusCode() / 100 == 2, path + " answered " + response.statusCode() + ": "
        + response.bodyAsString());
    return response.bodyAsString().isEmpty() ? new JsonObject() : response.bodyAsJsonObject();
  }

  private static void awaitTrue(String what, BooleanSupplier done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (done.getAsBoolean()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("never " + what + " within " + timeout.toSeconds() + " s");
  }

  private void awaitAll(List<String> calls, String what, Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> waiting = new ArrayList<>(calls);
    while (System.nanoTime() < deadline) {
      waiting.removeIf(done);
      if (waiting.isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(waiting.size() + " of " + calls.size() + " calls never " + what + ", e.g. "
        + waiting.get(0) + "; Graph's callbacks for it: " + callbacks(waiting.get(0)));
  }

  /** The emulator's delivery attempts of notifications about call {@code id}: what HAProxy answered. */
  private String callbacks(String id) {
    try {
      JsonArray all = await(control.getAbs(emulator.baseUrl() + "/emulator/notifications").send()).bodyAsJsonObject()
          .getJsonArray("value");
      JsonArray ofCall = new JsonArray();
      all.forEach(d -> {
        if (String.valueOf(((JsonObject) d).getString("resourceUrl")).contains(id)) {
          ofCall.add(d);
        }
      });
      return ofCall.encode();
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
