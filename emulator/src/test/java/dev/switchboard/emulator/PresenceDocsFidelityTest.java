package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fidelity to Graph's documentation for presence (graph-reference §6): every request example of the
 * presence pages in shared/graph-docs-examples is sent to the emulator, with the documented users
 * registered and showing the documented presence. The emulator must answer the documented status,
 * with every documented field, of the documented JSON type, and the documented availability,
 * activity and status message (so every enum value shown in the docs is one the emulator serves).
 * The presence subscription and notification examples are SubscriptionDocsFidelityTest's.
 */
class PresenceDocsFidelityTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("graph.examples",
      "src/test/resources/graph-docs-examples"));
  private static final Pattern FILE = Pattern.compile("(.+)__(\\d+)__(request|response|notification)\\.json");
  private static final String DOCS_APP_ID = "22553876-f5ab-4529-bffb-cfe50aa89f87";
  private static final String FA8B = "fa8bf3dc-eca7-46b7-bad1-db199b62afc3";
  private static final String U6682 = "66825e03-7ef5-42da-9069-724602c31f6b";
  private static final String DC74 = "dc74d9bb-6afe-433d-8eaa-e39d80d3a647";
  private static final Set<String> AVAILABILITY = Set.of("Available", "AvailableIdle", "Away", "BeRightBack", "Busy",
      "BusyIdle", "DoNotDisturb", "Offline", "PresenceUnknown");
  private static final Set<String> ACTIVITY = Set.of("Available", "Away", "BeRightBack", "Busy", "DoNotDisturb",
      "InACall", "InAConferenceCall", "Inactive", "InAMeeting", "Offline", "OffWork", "OutOfOffice", "PresenceUnknown",
      "Presenting", "UrgentInterruptionsOnly");

  /** Where the emulator deliberately answers otherwise than an example, with why. */
  private static final Map<String, String> DIFFERS = Map.of(
      "presence-get__1__request.json",
      "GET /me/presence needs a signed-in user: with the app's token Graph (and the emulator) answer 400; the"
          + " documented response is compared with GET /users/{id}/presence of the same user",
      "presence-get__6__response.json",
      "the docs show GET /communications/presences/{id} answering a collection ({\"value\": [...]}); a GET by key"
          + " answers the entity, so the documented element is compared with the emulator's entity");

  private static EmulatorFixture fx;
  private static String appId;
  private static int requests;

  record Example(String file, String page, int n, String kind, JsonObject doc) {
  }

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(20);
    appId = fx.emulator.graphConfig().getString("clientId");
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    assertEquals(11, requests, "presence request examples exercised");
  }

  @TestFactory
  Stream<DynamicTest> everyPresenceExample() throws IOException {
    if (!Files.isDirectory(EXAMPLES)) {
      fail("The Graph doc examples are missing: expected " + EXAMPLES.toAbsolutePath().normalize()
          + " (a copy of shared/graph-docs-examples in the test resources), or -Dgraph.examples=DIR");
    }
    Map<String, List<Example>> pages = new TreeMap<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches() && (m.group(1).startsWith("presence-")
            || m.group(1).equals("cloudcommunications-getpresencesbyuserid"))) {
          pages.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new Example(p.getFileName().toString(),
              m.group(1), Integer.parseInt(m.group(2)), m.group(3), new JsonObject(Files.readString(p))));
        }
      }
    }
    assertEquals(7, pages.size(), "presence pages: " + pages.keySet());
    return pages.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
      e.getValue().sort(Comparator.comparingInt(Example::n));
      run(e.getKey(), e.getValue());
    }));
  }

  private static void run(String page, List<Example> examples) {
    fx.reset();
    for (String id : List.of(FA8B, U6682, DC74)) {
      assertEquals(201, fx.control("POST", "/emulator/users", new JsonObject().put("id", id)).status());
    }
    // the presence each page's responses show
    show(FA8B, page.startsWith("cloudcommunications") ? "Busy" : "Available",
        page.startsWith("cloudcommunications") ? "InAMeeting" : "Available");
    show(U6682, page.startsWith("cloudcommunications") ? "Away" : "DoNotDisturb",
        page.startsWith("cloudcommunications") ? "Away" : "Presenting");
    show(DC74, "Away", "BeRightBack");
    if (page.equals("presence-clearpresence")) {
      assertEquals(200, fx.graph("POST", "/v1.0/users/" + FA8B + "/presence/setPresence", new JsonObject()
          .put("sessionId", appId).put("availability", "Busy").put("activity", "InACall")).status());
    }
    for (int i = 0; i < examples.size(); i++) {
      Example req = examples.get(i);
      if (!req.kind().equals("request")) {
        continue;
      }
      Example res = i + 1 < examples.size() && examples.get(i + 1).kind().equals("response") ? examples.get(i + 1) : null;
      assertTrue(res != null, req.file() + " has no documented response");
      requests++;
      JsonObject body = req.doc().getValue("body") instanceof JsonObject o ? o.copy() : null;
      if (body != null && DOCS_APP_ID.equals(body.getString("sessionId"))) {
        body.put("sessionId", appId); // the docs' app id; the emulator's app has its own
      }
      String path = req.doc().getString("path");
      EmulatorFixture.Response r = fx.graph(req.doc().getString("method"), path, body);
      if (path.startsWith("/v1.0/me/")) {
        assertEquals(400, r.status(), req.file() + " (" + DIFFERS.get(req.file()) + "): " + r.body());
        r = fx.graph("GET", "/v1.0/users/" + FA8B + "/presence", null);
      }
      int status = res.doc().getInteger("status");
      assertEquals(status, r.status(), req.file() + ": " + r.body());
      Object doc = res.doc().getValue("body");
      if (doc == null) {
        assertTrue(r.body().isEmpty(), res.file() + " documents no body, got " + r.body());
        continue;
      }
      JsonObject actual = r.json();
      JsonObject documented = (JsonObject) doc;
      if (DIFFERS.containsKey(res.file())) {
        documented = documented.getJsonArray("value").getJsonObject(0);
      }
      List<String> problems = new ArrayList<>();
      GraphDocsFidelityTest.conforms(res.file(), "", documented, actual, problems, Map.of());
      assertTrue(problems.isEmpty(), res.file() + ": " + problems + "\nactual: " + actual.encodePrettily());
      JsonArray docPresences = documented.getValue("value") instanceof JsonArray a ? a : new JsonArray().add(documented);
      JsonArray actualPresences = actual.getValue("value") instanceof JsonArray a ? a : new JsonArray().add(actual);
      assertEquals(docPresences.size(), actualPresences.size(), res.file());
      for (int k = 0; k < docPresences.size(); k++) {
        JsonObject d = docPresences.getJsonObject(k);
        JsonObject a = actualPresences.getJsonObject(k);
        assertTrue(AVAILABILITY.contains(a.getString("availability")), a.encode());
        assertTrue(ACTIVITY.contains(a.getString("activity")), a.encode());
        for (String field : List.of("id", "availability", "activity", "statusMessage", "outOfOfficeSettings")) {
          if (d.containsKey(field)) {
            assertEquals(d.getValue(field), a.getValue(field), res.file() + ": " + field);
          }
        }
      }
    }
  }

  private static void show(String user, String availability, String activity) {
    EmulatorFixture.Response r = fx.control("POST", "/emulator/users/" + user + "/presence",
        new JsonObject().put("availability", availability).put("activity", activity));
    assertEquals(200, r.status(), r.body());
  }
}
