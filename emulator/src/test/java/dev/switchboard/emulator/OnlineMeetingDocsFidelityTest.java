package dev.switchboard.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fidelity to Graph's documentation for onlineMeetings (graph-reference §5): every request example
 * of the onlinemeeting pages in shared/graph-docs-examples is sent to the emulator for a meeting of
 * a seeded organizer (the documented {@code /me}, {@code /beta} and {@code /v1} paths become
 * {@code /v1.0/users/{organizer}}, documented ids and filter values become the emulated meeting's),
 * and the answer must have the documented status and every documented field with the documented
 * JSON type, as {@link GraphDocsFidelityTest#conforms} checks.
 */
class OnlineMeetingDocsFidelityTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("graph.examples", "src/test/resources/graph-docs-examples"));
  private static final Pattern FILE = Pattern.compile("(application-post-onlinemeetings|onlinemeeting-[a-z]+)__(\\d+)__"
      + "(request|response)\\.json");
  private static final String ORGANIZER = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ATTENDEE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";
  private static final Pattern FILTER_VALUE = Pattern.compile("(?i)(\\$filter=[A-Za-z/]+%20eq%20)'[^']*'");

  /** Documented fields the emulator does not produce, each with why ("file:field.path"). */
  private static final Map<String, String> NOT_PRODUCED = Map.of();

  private static EmulatorFixture fx;
  private static int exercised;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(100);
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    // create, createOrGet, delete, get x4 (VTC id, /me id, /users id, /me join URL, /users join URL), update x2
    assertEquals(10, exercised, "request examples exercised");
  }

  record Example(String file, String page, int n, String kind, JsonObject doc) {
  }

  @TestFactory
  Stream<DynamicTest> everyOnlineMeetingExample() throws IOException {
    if (!Files.isDirectory(EXAMPLES)) {
      fail("The Graph doc examples are missing: expected " + EXAMPLES.toAbsolutePath().normalize()
          + " (a copy of shared/graph-docs-examples in the test resources), or -Dgraph.examples=DIR");
    }
    List<Example> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = FILE.matcher(p.getFileName().toString());
        if (m.matches()) {
          all.add(new Example(p.getFileName().toString(), m.group(1), Integer.parseInt(m.group(2)), m.group(3),
              new JsonObject(Files.readString(p))));
        }
      }
    }
    all.sort(Comparator.comparing(Example::page).thenComparing(Example::n));
    assertTrue(all.size() >= 18, "expected the onlinemeeting examples, found " + all.size());
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      Example e = all.get(i);
      if (e.kind().equals("request")) {
        // the response documented for a request is the next response block of its page
        Example response = all.subList(i + 1, all.size()).stream()
            .filter(x -> x.page().equals(e.page()) && x.kind().equals("response")).findFirst().orElse(null);
        tests.add(DynamicTest.dynamicTest(e.file(), () -> run(e, response)));
      }
    }
    return tests.stream();
  }

  private void run(Example request, Example response) {
    assertTrue(response != null, "no documented response for " + request.file());
    fx.reset();
    fx.control("POST", "/emulator/access-policies", new JsonObject().put("global", true));
    EmulatorFixture.Response setUp = fx.graph("POST", "/v1.0/users/" + ORGANIZER + "/onlineMeetings", new JsonObject()
        .put("subject", "Fidelity").put("participants", new JsonObject().put("attendees", new JsonArray()
            .add(new JsonObject().put("identity", new JsonObject().put("user", new JsonObject().put("id", ATTENDEE)))
                .put("upn", "alex@contoso.com")))));
    assertEquals(201, setUp.status(), setUp.body());
    JsonObject meeting = setUp.json();
    JsonObject doc = request.doc();
    String method = doc.getString("method");
    String path = path(doc.getString("path"), meeting);
    Object body = doc.getValue("body") instanceof JsonObject b ? b.copy() : null;
    EmulatorFixture.Response r = fx.graph(method, path, body);
    int documented = response.doc().getInteger("status");
    if (request.page().equals("onlinemeeting-createorget") && documented == 200) {
      assertEquals(201, r.status(), "the first createOrGet creates: " + r.body());
      r = fx.graph(method, path, body); // the documented 200: the externalId exists
    }
    assertEquals(documented, r.status(), method + " " + path + ": " + r.body());
    exercised++;
    if (response.doc().getValue("body") instanceof JsonObject expected) {
      List<String> problems = new ArrayList<>();
      Object actual = r.json();
      if (!expected.containsKey("value") && path.contains("$filter=")) {
        // onlinemeeting-get's VideoTeleconferenceId example shows a bare object; a $filter answers a collection
        // (graph-reference §5 table), so the documented meeting is compared with the collection's element
        JsonArray value = r.json().getJsonArray("value");
        assertEquals(1, value.size(), r.body());
        actual = value.getJsonObject(0);
      }
      GraphDocsFidelityTest.conforms(response.file(), "", expected, actual, problems, NOT_PRODUCED);
      enums(response.file() + " (documented)", expected, problems);
      enums(method + " " + path, actual, problems);
      assertTrue(problems.isEmpty(), response.file() + " vs " + method + " " + path + ": " + problems + "\n" + r.body());
    }
  }

  /** Enum members of onlineMeeting (graph-reference §5), by property name; autoAdmittedUsers is cased as documented. */
  private static final Map<String, List<String>> ENUMS = Map.of(
      "allowedPresenters", List.of("everyone", "organization", "roleIsPresenter", "organizer"),
      "scope", List.of("organizer", "organization", "organizationAndFederated", "everyone", "invited",
          "organizationExcludingGuests"),
      "role", List.of("attendee", "presenter", "producer", "coorganizer"),
      "autoAdmittedUsers", List.of("everyone", "everyoneInSameAndFederatedCompany", "everyoneInCompany",
          "invitedUsersInCompany", "organizer"),
      "allowMeetingChat", List.of("enabled", "disabled", "limited"));

  /** Every enum-valued property anywhere in {@code json} holds one of its members. */
  private static void enums(String where, Object json, List<String> problems) {
    if (json instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        Object v = o.getValue(k);
        if (ENUMS.containsKey(k) && v instanceof String s
            && ENUMS.get(k).stream().noneMatch(member -> member.equalsIgnoreCase(s))) {
          problems.add(where + ": " + k + " '" + s + "' is not one of " + ENUMS.get(k));
        }
        enums(where, v, problems);
      }
    } else if (json instanceof JsonArray a) {
      a.forEach(v -> enums(where, v, problems));
    }
  }

  /** The documented path, on the emulated organizer and meeting. */
  private static String path(String documented, JsonObject meeting) {
    String p = documented.replaceFirst("^/(beta|v1|v1\\.0)/", "/v1.0/")
        .replaceFirst("^/v1\\.0/me/", "/v1.0/users/" + ORGANIZER + "/")
        .replaceFirst("^/v1\\.0/users/[^/]+/", "/v1.0/users/" + ORGANIZER + "/");
    p = p.replaceFirst("/onlineMeetings/(?!createOrGet|\\?)[^/?]+$", "/onlineMeetings/" + meeting.getString("id"));
    Matcher f = FILTER_VALUE.matcher(p);
    if (f.find()) {
      String property = f.group(1).toLowerCase();
      String value = property.contains("joinweburl") ? meeting.getString("joinWebUrl")
          : property.contains("videoteleconferenceid") ? meeting.getString("videoTeleconferenceId")
          : meeting.getJsonObject("joinMeetingIdSettings").getString("joinMeetingId");
      p = p.substring(0, f.start()) + f.group(1) + "'" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "'"
          + p.substring(f.end());
    }
    return p;
  }
}
