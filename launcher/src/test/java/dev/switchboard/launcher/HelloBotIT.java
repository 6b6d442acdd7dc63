package dev.switchboard.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party example: {@code examples/hello-bot} built by its own, offline Maven build against the api in a
 * temporary local repository, installed through the admin API into a running sandbox, answers a call; and
 * {@code docs/writing-a-bundle.md} with {@code docs/testing-a-bundle.md} show exactly the example's files.
 */
class HelloBotIT {

  private static final String TOKEN = "hello-bot-test-token-0123456789";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient web = WebClient.create(vertx, new WebClientOptions().setTrustAll(true)
      .setVerifyHost(false));

  @AfterEach
  void close() {
    web.close();
    vertx.close();
  }

  @Test
  void theDocShowsTheExampleFilesVerbatim() throws Exception {
    // writing-a-bundle.md writes the bundle, testing-a-bundle.md then its test (and the pom again, with the test kit):
    // the last version of each file is the example's.
    String doc = Files.readString(ExampleRepository.root().resolve("docs/writing-a-bundle.md"))
        + Files.readString(ExampleRepository.root().resolve("docs/testing-a-bundle.md"));
    Matcher files = Pattern.compile("cat > (\\S+) <<'EOF'\\n(.*?)\\nEOF\\n", Pattern.DOTALL).matcher(doc);
    Map<String, String> last = new java.util.LinkedHashMap<>();
    while (files.find()) {
      last.put(files.group(1), files.group(2));
    }
    assertEquals(List.of("pom.xml", "src/main/java/com/example/hello/HelloBot.java",
        "src/test/java/com/example/hello/HelloBotTest.java", "src/test/java/com/example/hello/HelloBotClockTest.java"),
        List.copyOf(last.keySet()), "the docs write the pom, the plugin class and its two tests");
    for (Map.Entry<String, String> written : last.entrySet()) {
      Path file = ExampleRepository.root().resolve("examples/hello-bot").resolve(written.getKey());
      assertEquals(Files.readString(file).stripTrailing(), written.getValue().stripTrailing(),
          "the docs write " + written.getKey() + " as examples/hello-bot has it");
    }
  }

  @Test
  void helloBotBuildsOnItsOwnInstallsIntoARunningServerAndAnswersACall() throws Exception {
    Path root = ExampleRepository.root();
    // The example resolves switchboard-api and the test kit from a local repository, as a third party would (its kit
    // tests run in TestingABundleIT).
    Path repo = ExampleRepository.create(dir);
    ExampleRepository.mvn(root, repo, "-q", "-f", "examples/hello-bot/pom.xml", "package", "-DskipTests");
    Path jar = root.resolve("examples/hello-bot/target/hello-bot-1.0.0.jar");
    assertTrue(Files.isRegularFile(jar), jar + " was built");

    int http = Cli.freePort();
    int admin = Cli.freePort();
    int emulatorPort = Cli.freePort();
    Path log = dir.resolve("sandbox.log");
    Process sandbox = Cli.command(Map.of(), "sandbox", "--port", Integer.toString(http), "--admin-port",
        Integer.toString(admin), "--admin-token", TOKEN, "--emulator-port", Integer.toString(emulatorPort), "--dir",
        dir.resolve("sandbox").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitLog(sandbox, log, "Still serving", Duration.ofSeconds(40));

      // The sandbox's IVR answers every call: take it out, then put hello-bot in, both through the admin API.
      assertEquals(204, send(web.deleteAbs("http://127.0.0.1:" + admin + "/admin/bundles/ivr")
          .bearerTokenAuthentication(TOKEN), null).statusCode());
      HttpResponse<Buffer> installed = send(web.postAbs("http://127.0.0.1:" + admin + "/admin/bundles")
          .bearerTokenAuthentication(TOKEN), Buffer.buffer(Files.readAllBytes(jar)));
      assertEquals(201, installed.statusCode(), installed.bodyAsString());

      HttpResponse<Buffer> key = send(web.postAbs("http://127.0.0.1:" + admin + "/admin/keys")
          .bearerTokenAuthentication(TOKEN), new JsonObject().put("name", "hello-bot-it")
          .put("scopes", new io.vertx.core.json.JsonArray().add("*")).toBuffer());
      assertEquals(201, key.statusCode(), key.bodyAsString());
      String apiKey = key.bodyAsJsonObject().getString("secret");

      String emulator = "https://127.0.0.1:" + emulatorPort;
      HttpResponse<Buffer> placed = send(web.postAbs(emulator + "/emulator/calls/incoming"),
          new JsonObject().put("from", "+14255550123").toBuffer());
      assertEquals(201, placed.statusCode(), placed.bodyAsString());
      String callId = placed.bodyAsJsonObject().getString("id");

      JsonObject call = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<Buffer> got = send(web.getAbs("http://127.0.0.1:" + http + "/api/v1/calls/" + callId)
            .bearerTokenAuthentication(apiKey), null);
        call = got.statusCode() == 200 ? got.bodyAsJsonObject() : null;
        if (call != null && "established".equals(call.getString("state"))) {
          break;
        }
        Thread.sleep(50);
      }
      assertTrue(call != null && "established".equals(call.getString("state")), "the call is answered: " + call);
      assertEquals("hello-bot", call.getString("claimedBy"));
      awaitLog(sandbox, log, "connected: answered by hello-bot", Duration.ofSeconds(5));
      if (onPath("espeak-ng")) {
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonArray plays = new JsonArray();
        while (System.nanoTime() < deadline && plays.isEmpty()) {
          plays = send(web.getAbs(emulator + "/emulator/requests?method=POST&path=/communications/calls/" + callId
              + "/playPrompt"), null).bodyAsJsonObject().getJsonArray("value");
          Thread.sleep(50);
        }
        assertEquals(1, plays.size(), "hello-bot played its greeting");
      }
    } finally {
      sandbox.destroy();
      if (!sandbox.waitFor(30, TimeUnit.SECONDS)) {
        sandbox.destroyForcibly();
      }
    }
  }

  private HttpResponse<Buffer> send(io.vertx.ext.web.client.HttpRequest<Buffer> request, Buffer body)
      throws Exception {
    return (body == null ? request.send() : request.sendBuffer(body)).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static void awaitLog(Process process, Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String now = Files.readString(log);
      if (now.contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        fail("the sandbox exited with " + process.exitValue() + ":\n" + now);
      }
      Thread.sleep(50);
    }
    fail("the sandbox did not print '" + text + "' within " + timeout.toSeconds() + " s:\n" + Files.readString(log));
  }

  private static boolean onPath(String program) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
