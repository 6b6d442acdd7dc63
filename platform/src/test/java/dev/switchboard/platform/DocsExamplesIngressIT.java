package dev.switchboard.platform;

import static dev.switchboard.platform.TestServer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every notification example of Microsoft's documentation (test resources {@code graph-docs-examples/}, copied
 * verbatim from shared/graph-docs-examples) is posted, correctly signed, to a real server: each
 * {@code commsNotifications} to {@code /callbacks/calling} with its {@code resourceUrl} as documented, without a
 * leading slash and as an absolute URL, and each must reach the call's owner under the right call id; each change
 * notification to {@code /callbacks/notifications} and each lifecycle notification to {@code /callbacks/lifecycle},
 * which must answer 202 (Graph's contract: unknown subscriptions are ignored, not refused).
 */
class DocsExamplesIngressIT {

  private static final String BOT = "bot-app-id";
  private static final Pattern CALL_ID = Pattern.compile("communications/calls/([^/?#]+)");
  /** Examples that are not notification envelopes, with why (see the examples' INDEX.md). */
  private static final Set<String> NOT_ENVELOPES = Set.of(
      "changenotifications-for-presence__5__notification.json", // the decrypted resourceData, a presence
      "webhooks-with-resource-data__3__notification.json"); // '...' placeholders: not JSON

  @TempDir
  Path home;

  record Example(String file, JsonObject doc) {
    JsonObject body() {
      return doc.getJsonObject("body");
    }

    boolean calling() {
      return "#microsoft.graph.commsNotifications".equals(body().getString("@odata.type"));
    }

    boolean lifecycle() {
      return body().getJsonArray("value").stream().map(JsonObject.class::cast)
          .anyMatch(n -> n.containsKey("lifecycleEvent"));
    }

    /** The per-call routing hint the documented callback URL carries ({@code /api/calls/{hint}}), or "". */
    String routeHint() {
      JsonObject callback = doc.getJsonObject("callback");
      if (callback == null) {
        return "";
      }
      String path = URI.create(callback.getString("url")).getPath();
      return path.matches("/api/calls/.+") ? path.substring("/api/calls".length()) : "";
    }
  }

  static List<Example> examples() throws IOException {
    List<String> names;
    try (InputStream index = DocsExamplesIngressIT.class.getResourceAsStream("/graph-docs-examples/files.txt")) {
      names = new String(index.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
    List<Example> out = new ArrayList<>();
    for (String name : names) {
      if (NOT_ENVELOPES.contains(name)) {
        continue;
      }
      try (InputStream in = DocsExamplesIngressIT.class.getResourceAsStream("/graph-docs-examples/" + name)) {
        out.add(new Example(name, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8))));
      }
    }
    return out;
  }

  /** The forms of a resourceUrl Graph writes: as documented, without the leading slash, absolute. */
  static final Map<String, UnaryOperator<String>> URL_FORMS = Map.of(
      "documented", url -> url,
      "no leading slash", url -> url.startsWith("/") ? url.substring(1) : url,
      "absolute", url -> "https://graph.microsoft.com/v1.0" + (url.startsWith("/") ? url : "/" + url));

  private static JsonObject withResourceUrls(JsonObject body, UnaryOperator<String> form) {
    JsonObject copy = body.copy();
    copy.getJsonArray("value").stream().map(JsonObject.class::cast)
        .forEach(n -> n.put("resourceUrl", form.apply(n.getString("resourceUrl"))));
    return copy;
  }

  @Test
  void everyDocumentedNotificationIsAccepted() throws Exception {
    List<Example> examples = examples();
    List<Example> calling = examples.stream().filter(Example::calling).toList();
    assertEquals(59, calling.size(), "commsNotifications examples");
    assertEquals(9, examples.size() - calling.size(), "change and lifecycle notification examples");
    try (TestIssuer issuer = new TestIssuer(Vertx.vertx())) {
      KeyPair key = issuer.key("k1", true);
      String token = TestIssuer.sign(key, "k1", "RS256", TestIssuer.claims(BOT));
      Map<String, String> env = Map.of("SWITCHBOARD_GRAPH_OPEN_ID_CONFIG_URL", issuer.openIdConfigUrl(),
          "SWITCHBOARD_GRAPH_CLIENT_ID", BOT);
      try (TestServer t = TestServer.start(home, env)) {
        List<JsonObject> recorded = new CopyOnWriteArrayList<>();
        TestServer.await(t.vertx.eventBus().<JsonObject>consumer("test.calls.recorded", m -> recorded.add(m.body()))
            .completion());
        t.drop(TestServer.bundle("call-recorder"), "recorder.jar");
        awaitUntil("the recorder runs", Duration.ofSeconds(15), () -> t.server.plugins().all().stream()
            .anyMatch(p -> p.name().equals("recorder") && p.state().name().equals("ACTIVE")));

        List<String> expectedCallIds = new ArrayList<>();
        for (Example e : calling) {
          for (Map.Entry<String, UnaryOperator<String>> form : URL_FORMS.entrySet()) {
            JsonObject body = withResourceUrls(e.body(), form.getValue());
            HttpResponse<Buffer> r = post(t, "/callbacks/calling" + e.routeHint(), token, body);
            assertEquals(202, r.statusCode(), e.file() + " (" + form.getKey() + "): " + r.bodyAsString());
            for (Object n : e.body().getJsonArray("value")) {
              Matcher m = CALL_ID.matcher(((JsonObject) n).getString("resourceUrl"));
              assertTrue(m.find(), e.file());
              expectedCallIds.add(m.group(1));
            }
          }
        }
        awaitUntil("every documented notification reached the call's owner", Duration.ofSeconds(30),
            () -> recorded.size() >= expectedCallIds.size());
        assertEquals(expectedCallIds.stream().sorted().toList(),
            recorded.stream().map(r -> r.getString("callId")).sorted().toList(), "under the documented call ids");

        for (Example e : examples) {
          if (e.calling()) {
            continue;
          }
          String path = e.lifecycle() ? "/callbacks/lifecycle" : "/callbacks/notifications";
          HttpResponse<Buffer> r = post(t, path, null, e.body());
          assertEquals(202, r.statusCode(), e.file() + " at " + path + ": " + r.bodyAsString());
        }
        assertEquals(0, t.server.ingressStats().get("calling", "malformed"));
        assertEquals(0, t.server.ingressStats().get("notifications", "failed")
            + t.server.ingressStats().get("lifecycle", "failed"), "no documented notification failed to be handled");
      }
    }
  }

  private static HttpResponse<Buffer> post(TestServer t, String path, String token, JsonObject body) throws Exception {
    var request = t.client.post(t.server.httpPort(), "127.0.0.1", path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return TestServer.await(request.sendBuffer(body.toBuffer()));
  }
}
