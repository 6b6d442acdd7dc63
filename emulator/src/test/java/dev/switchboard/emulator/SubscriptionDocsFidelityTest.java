package dev.switchboard.emulator;

import static dev.switchboard.emulator.EmulatorFixture.serviceHosted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.switchboard.emulator.identity.Certificates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fidelity to Graph's documentation for change-notification subscriptions (graph-reference §8):
 * every request example of the subscription, webhooks and change-notification pages in
 * shared/graph-docs-examples is sent to the emulator, and every notification example is provoked.
 * The emulator must answer the documented status, and what it answers and notifies must have every
 * documented field with the documented JSON type ({@link GraphDocsFidelityTest#conforms}).
 *
 * <p>Requests are rewritten only where the docs cannot be taken literally: URLs point at the test's
 * receiver, expiration dates are moved into the allowed window of the emulated clock, {@code /beta/}
 * becomes {@code /v1.0/}, {@code {id}} becomes a real id, and resources outside the communications
 * API (mail, Teams messages, users) become {@code /communications/callRecords}.
 */
class SubscriptionDocsFidelityTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("graph.examples", "src/test/resources/graph-docs-examples"));
  private static final List<String> PAGES = List.of("subscription-", "webhooks", "change-notifications-lifecycle-events__",
      "changenotifications-for-callrecords__", "changenotifications-for-presence__");
  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";

  /** Examples not exercised, with why. */
  private static final Map<String, String> NOT_EXERCISED = Map.of(
      "webhooks-with-resource-data__1__request.json",
      "a Teams channel-message subscription; rich presence subscriptions are exercised with the presence page's",
      "webhooks-with-resource-data__2__response.json", "the response to the channel-message subscription above",
      "webhooks-with-resource-data__3__notification.json",
      "a channel-message notification; its validationTokens shape is checked with the presence page's",
      "webhooks-with-resource-data__4__notification.json",
      "a channel-message notification; its encryptedContent shape is checked with the presence page's");

  private static final String CERTIFICATE = "the docs show \"\" for a certificate the request never sent;"
      + " the emulator answers null (a basic subscription has no certificate)";

  /** Documented fields the emulator does not produce, with why (keyed "file:field.path"). */
  private static final Map<String, String> NOT_PRODUCED = Map.of(
      "subscription-get__2__response.json:encryptionCertificate", CERTIFICATE,
      "subscription-get__2__response.json:encryptionCertificateId", CERTIFICATE,
      "subscription-list__2__response.json:value.encryptionCertificate", CERTIFICATE,
      "subscription-list__2__response.json:value.encryptionCertificateId", CERTIFICATE,
      "subscription-update__2__response.json:encryptionCertificate", CERTIFICATE,
      "subscription-update__2__response.json:encryptionCertificateId", CERTIFICATE);

  private static final Set<String> USED = new ConcurrentSkipListSet<>();
  private static EmulatorFixture fx;
  private static WebhookReceiver bot;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(100);
    bot = new WebhookReceiver(fx.vertx, false);
  }

  @AfterAll
  static void stop() throws IOException {
    bot.close();
    fx.close();
    Set<String> all;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      all = files.map(p -> p.getFileName().toString()).filter(f -> PAGES.stream().anyMatch(f::startsWith))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    assertEquals(35, all.size(), "subscription examples in " + EXAMPLES);
    Set<String> missed = new TreeSet<>(all);
    missed.removeAll(USED);
    missed.removeAll(NOT_EXERCISED.keySet());
    assertTrue(missed.isEmpty(), "examples neither exercised nor listed in NOT_EXERCISED: " + missed);
  }

  @AfterEach
  void reset() {
    fx.reset();
    bot.clear();
  }

  // ---------------------------------------------------------------- pages

  @Test
  void subscriptionApiPages() {
    String mail = created(send("subscription-post-subscriptions__1__request.json", null),
        "subscription-post-subscriptions__2__response.json");
    String withLifecycle = created(send("changenotifications-for-callrecords__1__request.json", null), null);
    expect(send("subscription-get__1__request.json", withLifecycle), "subscription-get__2__response.json");
    expect(send("subscription-list__1__request.json", null), "subscription-list__2__response.json");
    expect(send("subscription-update__1__request.json", withLifecycle), "subscription-update__2__response.json");
    expect(send("subscription-delete__1__request.json", mail), "subscription-delete__2__response.json");
    assertEquals(404, fx.graph("GET", "/v1.0/subscriptions/" + mail, null).status());
  }

  @Test
  void webhooksPage() {
    String id = created(send("webhooks__1__request.json", null), null);
    expect(send("webhooks__2__request.json", id), null);
    JsonObject documented = notification("webhooks__4__notification.json");
    int m = bot.mark();
    assertEquals(202, fx.control("POST", "/emulator/subscriptions/" + id + "/notify", new JsonObject()
        .put("changeType", documented.getString("changeType")).put("resource", documented.getString("resource"))
        .put("resourceData", documented.getJsonObject("resourceData"))).status());
    check("webhooks__4__notification.json", m, r -> id.equals(r.notification().getString("subscriptionId")));
    expect(send("webhooks__3__request.json", id), null);
  }

  @Test
  void lifecyclePages() {
    String a = created(send("webhooks-lifecycle__1__request.json", null), null);
    String b = created(send("change-notifications-lifecycle-events__1__request.json", null), null);
    expect(send("webhooks-lifecycle__5__request.json", a), null);
    expect(send("change-notifications-lifecycle-events__3__request.json", b), null);
    expect(send("webhooks-lifecycle__6__request.json", a), null);
    expect(send("change-notifications-lifecycle-events__4__request.json", b), null);

    for (String[] c : new String[][] {
        {"reauthorizationRequired", "webhooks-lifecycle__4__notification.json"},
        {"reauthorizationRequired", "change-notifications-lifecycle-events__2__notification.json"},
        {"missed", "webhooks-lifecycle__3__notification.json"},
        {"subscriptionRemoved", "webhooks-lifecycle__2__notification.json"}}) {
      int m = bot.mark();
      assertEquals(202, fx.control("POST", "/emulator/subscriptions/" + a + "/lifecycle",
          new JsonObject().put("event", c[0])).status());
      check(c[1], m, r -> c[0].equals(r.notification().getString("lifecycleEvent")));
    }
  }

  @Test
  void callRecordsPage() {
    String id = created(send("changenotifications-for-callrecords__1__request.json", null), null);
    int m = bot.mark();
    String call = fx.establishedOutgoingCall(ADELE, serviceHosted());
    fx.graph("DELETE", "/v1.0/communications/calls/" + call, null);
    check("changenotifications-for-callrecords__2__notification.json", m,
        r -> id.equals(r.notification().getString("subscriptionId")));
  }

  @Test
  void presencePage() {
    String one = created(send("changenotifications-for-presence__1__request.json", null), null);
    String many = created(send("changenotifications-for-presence__2__request.json", null), null);
    int m = bot.mark();
    fx.control("POST", "/emulator/users/" + ADELE + "/presence",
        new JsonObject().put("availability", "DoNotDisturb").put("activity", "Presenting"));
    for (String id : List.of(one, many)) {
      check("changenotifications-for-presence__3__notification.json", m,
          r -> id.equals(r.notification().getString("subscriptionId")));
    }
  }

  @Test
  void richPresencePage() throws Exception {
    KeyPair keys = Certificates.newRsaKeyPair();
    X509Certificate cert = Certificates.selfSigned(keys, "bot encryption", List.of(), Duration.ofDays(1));
    JsonObject body = rewrite(doc("changenotifications-for-presence__2__request.json").getJsonObject("body").copy())
        .put("includeResourceData", true)
        .put("encryptionCertificate", Base64.getEncoder().encodeToString(cert.getEncoded()))
        .put("encryptionCertificateId", "{certificate id}");
    String id = created(fx.graph("POST", "/v1.0/subscriptions", body), null);
    int m = bot.mark();
    fx.control("POST", "/emulator/users/" + ADELE + "/presence",
        new JsonObject().put("availability", "Busy").put("activity", "InACall"));
    WebhookReceiver.Received got = check("changenotifications-for-presence__4__notification.json", m,
        r -> id.equals(r.notification().getString("subscriptionId")));
    assertEquals(1, got.envelope().getJsonArray("validationTokens").size(), got.envelope().encode());
    JsonObject data = RichNotificationsTest.decrypt(got.notification().getJsonObject("encryptedContent"), keys.getPrivate());
    List<String> problems = new ArrayList<>();
    String file = "changenotifications-for-presence__5__notification.json";
    GraphDocsFidelityTest.conforms(file, "", doc(file).getJsonObject("body"), data, problems, NOT_PRODUCED);
    assertTrue(problems.isEmpty(), file + ": " + problems + "\nactual: " + data.encode());
  }

  // ---------------------------------------------------------------- helpers

  private static JsonObject doc(String file) {
    USED.add(file);
    try {
      return new JsonObject(Files.readString(EXAMPLES.resolve(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonObject notification(String file) {
    return doc(file).getJsonObject("body").getJsonArray("value").getJsonObject(0);
  }

  /** Sends a documented request, rewritten for the emulator; {@code id} replaces the subscription id of the path. */
  private static EmulatorFixture.Response send(String file, String id) {
    JsonObject d = doc(file);
    String method = d.getString("method") == null ? "POST" : d.getString("method"); // bare subscription bodies
    String path = d.getString("path") == null ? "/v1.0/subscriptions" : d.getString("path");
    path = path.replaceFirst("^/(beta|v1)/", "/v1.0/").replaceFirst("(/subscriptions/)[^/]+", "$1" + id);
    JsonObject body = d.getValue("body") instanceof JsonObject b ? rewrite(b.copy()) : null;
    return fx.graph(method, path, body);
  }

  private static JsonObject rewrite(JsonObject body) {
    if (body.containsKey("notificationUrl")) {
      body.put("notificationUrl", bot.url("/notifications"));
    }
    if (body.containsKey("lifecycleNotificationUrl")) {
      body.put("lifecycleNotificationUrl", bot.url("/lifecycle"));
    }
    if (body.containsKey("expirationDateTime")) {
      body.put("expirationDateTime", fx.inFuture(Duration.ofMinutes(45)));
    }
    String resource = body.getString("resource");
    if (resource != null && resource.contains("communications/presences")) {
      body.put("resource", resource.replace("('{id}', '{id}',...)", "('" + ADELE + "', '" + ALEX + "')")
          .replace("{id}", ADELE));
    } else if (resource != null && !resource.contains("communications/callRecords")) {
      body.put("resource", "/communications/callRecords");
    }
    body.remove("includeResourceData");
    body.remove("encryptionCertificate");
    body.remove("encryptionCertificateId");
    return body;
  }

  /** Asserts the documented response (or any 2xx when there is none); returns the created id. */
  private static String created(EmulatorFixture.Response r, String responseFile) {
    expect(r, responseFile);
    String id = r.json().getString("id");
    assertNotNull(id, r.body());
    return id;
  }

  private static void expect(EmulatorFixture.Response r, String responseFile) {
    if (responseFile == null) {
      assertTrue(r.status() / 100 == 2, r.status() + " " + r.body());
      return;
    }
    JsonObject d = doc(responseFile);
    assertEquals(d.getInteger("status"), r.status(), responseFile + ": " + r.body());
    if (d.getValue("body") instanceof JsonObject documented) {
      List<String> problems = new ArrayList<>();
      GraphDocsFidelityTest.conforms(responseFile, "", documented, r.json(), problems, NOT_PRODUCED);
      assertTrue(problems.isEmpty(), responseFile + ": " + problems + "\nactual: " + r.body());
    } else {
      assertEquals("", r.body(), responseFile + " documents no body");
    }
  }

  /** Waits for the notification {@code which} selects and checks it (and its collection) against the example. */
  private static WebhookReceiver.Received check(String file, int from, Predicate<WebhookReceiver.Received> which) {
    JsonObject documented = doc(file).getJsonObject("body");
    WebhookReceiver.Received got = bot.await(from, which, 3000);
    List<String> problems = new ArrayList<>();
    JsonArray value = got.envelope().getJsonArray("value");
    assertEquals(1, value.size());
    GraphDocsFidelityTest.conforms(file, "", documented.getJsonArray("value").getJsonObject(0), value.getJsonObject(0),
        problems, NOT_PRODUCED);
    if (!problems.isEmpty()) {
      fail(file + ": " + problems + "\nactual: " + got.envelope().encode());
    }
    return got;
  }
}
