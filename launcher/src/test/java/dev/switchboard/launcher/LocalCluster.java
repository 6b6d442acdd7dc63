package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switchboard cluster members as real processes on the loopback interface, each with its own data folder and ports,
 * behind a real HAProxy (Debian's {@code haproxy}) that Graph's callbacks go to. Slots are fixed at creation (so
 * HAProxy knows every member, started or not); {@link #start} runs the member of a slot.
 */
final class LocalCluster implements AutoCloseable {

  /** One member's slot: its ports and folders, and its process once started. */
  static final class Slot {
    final int index;
    final int httpPort;
    final int clusterPort;
    final int busPort;
    final Path dir;
    Cli.Server server;

    Slot(int index, Path dir) throws IOException {
      this.index = index;
      this.httpPort = Cli.freePort();
      this.clusterPort = Cli.freePort();
      this.busPort = Cli.freePort();
      this.dir = dir;
    }

    long pid() {
      return server.process.pid();
    }
  }

  final List<Slot> slots = new ArrayList<>();
  final int balancerPort;
  /** Members a side needs to act: a majority of those that run at once, not of every slot. */
  int quorum = 2;
  /** Slots below this start with the bundles of the base environment's deploy folder; the others with none. */
  int seededSlots = Integer.MAX_VALUE;
  private final Path dir;
  private final Map<String, String> baseEnv;
  private final WebClient admin;
  private Process haproxy;
  /** HAProxy's statistics page, on which {@link #routable} reads whether it sends requests to a member. */
  private final int statsPort;

  /**
   * @param baseEnv every member's environment (Graph, deploy folder, plugins, admin token); the cluster, ports and
   *     data folder are added per member
   * @param balancerPort where HAProxy listens (Graph's callback URL points at it)
   */
  LocalCluster(Vertx vertx, Path dir, int size, Map<String, String> baseEnv, int balancerPort) throws IOException {
    this.admin = WebClient.create(vertx);
    this.dir = dir;
    this.baseEnv = baseEnv;
    this.balancerPort = balancerPort;
    this.statsPort = Cli.freePort();
    for (int i = 0; i < size; i++) {
      slots.add(new Slot(i, Files.createDirectories(dir.resolve("node" + i))));
    }
  }

  /** Whether HAProxy is installed (.ci/run installs Debian's haproxy). */
  static boolean haproxyInstalled() {
    return haproxyBinary() != null;
  }

  private static String haproxyBinary() {
    for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** The URL Graph calls back: HAProxy's. */
  String publicUrl() {
    return "http://127.0.0.1:" + balancerPort;
  }

  /**
   * Starts HAProxy in front of every slot's public port: round robin over the members whose readiness answers 200
   * (checked every 300 ms; down after 2 checks that failed or took over 2 s: a member busy taking a killed member's
   * calls over answers slowly, not never), a request that found no connection or a 503 tried again on another member.
   */
  void startBalancer() throws Exception {
    StringBuilder config = new StringBuilder("""
        global
          maxconn 2000
        defaults
          mode http
          timeout connect 1s
          timeout client 30s
          timeout server 30s
          timeout check 2s
          retries 3
          option redispatch 1
          retry-on conn-failure empty-response 503
          option http-buffer-request
        frontend callbacks
          bind 127.0.0.1:%d
          use_backend prompts if { path_beg /media/prompts/ }
          default_backend members
        frontend stats
          bind 127.0.0.1:%d
          stats enable
          stats uri /stats
        """.formatted(balancerPort, statsPort));
    // Prompt files live on the member that converted them (docs/cluster.md): a miss is tried on the next member.
    for (String backend : List.of("members", "prompts")) {
      config.append("backend ").append(backend).append('\n')
          .append("  balance roundrobin\n")
          .append("  option httpchk GET /health/ready\n")
          .append("  http-check expect status 200\n")
          .append("  default-server inter 300ms fall 2 rise 1\n");
      if (backend.equals("prompts")) {
        config.append("  retries ").append(slots.size()).append('\n')
            .append("  retry-on conn-failure empty-response 404 503\n");
      }
      for (Slot slot : slots) {
        config.append("  server node").append(slot.index).append(" 127.0.0.1:").append(slot.httpPort)
            .append(" check\n");
      }
    }
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, config.toString());
    haproxy = new ProcessBuilder(haproxyBinary(), "-db", "-f", file.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (var socket = new java.net.Socket("127.0.0.1", balancerPort)) {
        return;
      } catch (IOException notYet) {
        if (!haproxy.isAlive()) {
          fail("haproxy exited: " + Files.readString(dir.resolve("haproxy.log")));
        }
        Thread.sleep(50);
      }
    }
    fail("haproxy did not listen on " + balancerPort + ": " + Files.readString(dir.resolve("haproxy.log")));
  }

  /**
   * Starts the members of {@code slots} together (a member's start-up waits for a quorum of them) and returns once
   * each printed its ready line.
   */
  void start(int... indexes) throws Exception {
    for (int i : indexes) {
      launch(i);
    }
    for (int i : indexes) {
      slots.get(i).server.awaitReady();
    }
  }

  private Slot launch(int i) throws Exception {
    Slot slot = slots.get(i);
    Map<String, String> env = new HashMap<>(baseEnv);
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(slot.httpPort));
    env.put("SWITCHBOARD_HTTP_PUBLIC_URL", publicUrl());
    env.put("SWITCHBOARD_ADMIN_PORT", "0");
    env.put("SWITCHBOARD_DATA_DIR", slot.dir.resolve("data").toString());
    Path deploy = slot.dir.resolve("deploy");
    if (!Files.exists(deploy)) {
      Files.createDirectories(deploy);
      if (i < seededSlots) {
        try (var jars = Files.list(Path.of(baseEnv.get("SWITCHBOARD_DEPLOY_DIR")))) {
          for (Path jar : jars.toList()) {
            Files.copy(jar, deploy.resolve(jar.getFileName()));
          }
        }
      }
    }
    env.put("SWITCHBOARD_DEPLOY_DIR", deploy.toString());
    env.put("SWITCHBOARD_CLUSTER_ENABLED", "true");
    env.put("SWITCHBOARD_CLUSTER_QUORUM", Integer.toString(quorum));
    env.put("SWITCHBOARD_CLUSTER_NAME", "it-" + balancerPort);
    env.put("SWITCHBOARD_CLUSTER_PORT", Integer.toString(slot.clusterPort));
    env.put("SWITCHBOARD_CLUSTER_BUS_PORT", Integer.toString(slot.busPort));
    env.put("SWITCHBOARD_CLUSTER_MEMBERS", String.join(",", slots.stream()
        .map(s -> "127.0.0.1:" + s.clusterPort).toList()));
    slot.server = Cli.Server.launch(env);
    return slot;
  }

  /** Sends {@code signal} (KILL, TERM, STOP, CONT) to the member of slot {@code i}. */
  void signal(int i, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(slots.get(i).pid())).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      fail("kill -" + signal + " of member " + i + " failed");
    }
  }

  /** Every log line of member {@code i} so far. */
  String log(int i) throws IOException {
    return slots.get(i).server.log();
  }

  /** Whether member {@code i} answers 200 on readiness (in the cluster, holding its lease, bundles active). */
  boolean ready(int i) {
    try {
      return EmulatedCalls.await(admin.get(slots.get(i).httpPort, "127.0.0.1", "/health/ready").send())
          .statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Whether member {@code i} is ready and HAProxy's health checks have seen it so: until they have, HAProxy sends
   * Graph's callbacks elsewhere, or answers 503 itself when it has seen no member up yet (Graph does not redeliver
   * a call's notifications).
   */
  boolean routable(int i) {
    return ready(i) && balancerSeesUp(i);
  }

  /** Whether HAProxy's health checks count member {@code i} as up now (asks HAProxy only, not the member). */
  boolean balancerSeesUp(int i) {
    try {
      String csv = EmulatedCalls.await(admin.get(statsPort, "127.0.0.1", "/stats;csv").send()).bodyAsString();
      for (String line : csv.split("\n")) {
        String[] fields = line.split(",", -1);
        // pxname, svname, ..., status is the 18th field
        if (fields.length > 17 && fields[0].equals("members") && fields[1].equals("node" + i)) {
          return fields[17].startsWith("UP");
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  /** {@code GET /admin/cluster} of member {@code i}. */
  JsonObject clusterView(int i) throws Exception {
    return adminGet(i, "/admin/cluster").bodyAsJsonObject();
  }

  /** {@code GET /admin/bundles} of member {@code i}. */
  io.vertx.core.json.JsonArray bundleList(int i) throws Exception {
    return adminGet(i, "/admin/bundles").bodyAsJsonArray();
  }

  /** The calls member {@code i} holds routing state for, as its admin API lists them. */
  Set<String> liveCalls(int i) throws Exception {
    Set<String> ids = new HashSet<>();
    adminGet(i, "/admin/calls").bodyAsJsonArray().forEach(c -> ids.add(((JsonObject) c).getString("id")));
    return ids;
  }

  private HttpResponse<Buffer> adminGet(int i, String path) throws Exception {
    return admin(i, io.vertx.core.http.HttpMethod.GET, path, null);
  }

  /** An admin API request to member {@code i}; fails unless it answers 2xx. */
  HttpResponse<Buffer> admin(int i, io.vertx.core.http.HttpMethod method, String path, Buffer body) throws Exception {
    var request = admin.request(method, slots.get(i).server.adminPort, "127.0.0.1", path)
        .bearerTokenAuthentication(baseEnv.get("SWITCHBOARD_ADMIN_TOKEN"));
    HttpResponse<Buffer> response = EmulatedCalls.await(body == null ? request.send() : request.sendBuffer(body));
    if (response.statusCode() / 100 != 2) {
      fail(method + " " + path + " of member " + i + ": " + response.statusCode() + " " + response.bodyAsString());
    }
    return response;
  }

  /** Whether member {@code i} logged {@code text}. */
  boolean logged(int i, String text) {
    try {
      return log(i).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** The member id that member {@code i} logged when it (last) joined. */
  String memberId(int i) throws IOException {
    Matcher m = Pattern.compile("Cluster member (\\S+) joined cluster").matcher(log(i));
    String id = null;
    while (m.find()) {
      id = m.group(1);
    }
    if (id == null) {
      fail("member " + i + " logged no member id");
    }
    return id;
  }

  @Override
  public void close() throws Exception {
    admin.close();
    for (Slot slot : slots) {
      if (slot.server != null && slot.server.process.isAlive()) {
        slot.server.process.destroyForcibly();
        slot.server.process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (haproxy != null) {
      haproxy.destroy();
      if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
        haproxy.destroyForcibly();
      }
    }
  }
}
