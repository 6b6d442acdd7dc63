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
 * Fidelity to Graph's documentation of call records (graph-reference §7): every request example
 * of the callrecords pages in shared/graph-docs-examples is sent to the emulator, against records
 * set up the way the example needs (a real call for the basic record; records made through the
 * control API for the paged examples and the PSTN and Direct Routing logs of the docs' range).
 * The answer must have the documented status and every documented field with the documented JSON
 * type ({@link GraphDocsFidelityTest#conforms}), the documented {@code @odata.type} values, and
 * enum values Graph defines (checked for the docs' values too, so a wrong table fails).
 */
class CallRecordsDocsFidelityTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("graph.examples", "src/test/resources/graph-docs-examples"));
  private static final Pattern FILE = Pattern.compile("(callrecords-.+)__(\\d+)__(request|response)\\.json");
  private static final String ADELE = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01";
  private static final String ALEX = "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e02";

  /** The values Graph defines for the enum-valued properties of microsoft.graph.callRecords. */
  private static final Map<String, Set<String>> ENUMS = Map.of(
      "type", Set.of("unknown", "groupCall", "peerToPeer", "unknownFutureValue"),
      "modalities", Set.of("audio", "video", "videoBasedScreenSharing", "data", "screenSharing", "unknownFutureValue"),
      "streamDirection", Set.of("callerToCallee", "calleeToCaller"),
      "connectionType", Set.of("unknown", "wired", "wifi", "mobile", "tunnel", "unknownFutureValue"),
      "platform", Set.of("unknown", "windows", "macOS", "iOS", "android", "web", "ipPhone", "roomSystem", "surfaceHub",
          "holoLens", "unknownFutureValue"),
      "productFamily", Set.of("unknown", "teams", "skypeForBusiness", "lync", "unknownFutureValue",
          "azureCommunicationServices"),
      // pstnCallLogRow.callType and directRoutingLogRow.callType are strings with documented values
      "callType", Set.of("user_in", "user_out", "user_out_conf", "ucap_in", "ucap_out", "conf_in", "conf_out",
          "ByotIn", "ByotOut", "ByotInUcap", "ByotOutUcap", "ByotOutUserForwarding", "ByotOutUserTransfer"));

  /** Documented fields the emulator does not produce, with why ("file:field.path"). */
  private static final Map<String, String> NOT_PRODUCED = Map.of(
      "callrecords-callrecord-get__4__response.json:sessions.callee.feedback",
      "nobody rates an emulated call; Graph leaves feedback out when no user gave any",
      "callrecords-session-list__2__response.json:value.callee.feedback",
      "nobody rates an emulated call; Graph leaves feedback out when no user gave any",
      "callrecords-session-list__4__response.json:value.callee.feedback",
      "nobody rates an emulated call; Graph leaves feedback out when no user gave any");

  private static EmulatorFixture fx;
  /** The record of a real call from Adele to the bot. */
  private static String realRecord;
  /** A peer-to-peer record between Adele and Alex with more sessions than a page. */
  private static String pagedRecord;
  private static int exercised;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(new EmulatorOptions().setClockSpeed(20).setCallRecordDelay(java.time.Duration.ofSeconds(2)));
    String callId = fx.answeredIncomingCall(new JsonObject().put("from", ADELE));
    realRecord = fx.control("GET", "/emulator/calls/" + callId, null).json().getString("callChainId");
    int hangup = fx.control("POST", "/emulator/calls/" + callId + "/hangup", null).status();
    assertTrue(hangup == 202 || hangup == 404, "Adele hangs up, unless the fast clock ended the call already");
    pagedRecord = create(new JsonObject().put("type", "peerToPeer").put("sessions", 21)
        .put("participants", new JsonArray().add(ADELE).add(ALEX)));
    // the docs' range is November 2019; more than a page of rows in it
    for (boolean direct : List.of(false, true)) {
      EmulatorFixture.Response r = fx.control("POST", "/emulator/callRecords", new JsonObject()
          .put("participants", new JsonArray().add("+14255550123")).put("count", 1001).put("directRouting", direct)
          .put("endDateTime", "2019-11-01T00:03:47.2589935Z").put("durationSeconds", 219));
      assertEquals(201, r.status(), r.body());
    }
    long deadline = System.currentTimeMillis() + 5000;
    while (fx.graph("GET", "/v1.0/communications/callRecords/" + realRecord, null).status() != 200) {
      assertTrue(System.currentTimeMillis() < deadline, "the real call's record never became available");
      EmulatorFixture.sleep(20);
    }
  }

  @AfterAll
  static void stop() {
    if (fx != null) {
      fx.close();
    }
    assertEquals(6, exercised, "request examples of the callrecords pages exercised");
  }

  private static String create(JsonObject body) {
    EmulatorFixture.Response r = fx.control("POST", "/emulator/callRecords", body);
    assertEquals(201, r.status(), r.body());
    return r.json().getString("id");
  }

  @TestFactory
  Stream<DynamicTest> everyCallRecordsExample() throws IOException {
    if (!Files.isDirectory(EXAMPLES)) {
      fail("The Graph doc examples are missing: expected " + EXAMPLES.toAbsolutePath().normalize()
          + " (a copy of shared/graph-docs-examples in the test resources), or -Dgraph.examples=DIR");
    }
    Map<String, Path> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(EXAMPLES)) {
      list.filter(p -> FILE.matcher(p.getFileName().toString()).matches())
          .forEach(p -> files.put(p.getFileName().toString(), p));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (String name : files.keySet()) {
      Matcher m = FILE.matcher(name);
      if (!m.matches() || !m.group(3).equals("request")) {
        continue;
      }
      String response = m.group(1) + "__" + (Integer.parseInt(m.group(2)) + 1) + "__response.json";
      assertTrue(files.containsKey(response), "no response example after " + name);
      tests.add(DynamicTest.dynamicTest(name, () -> run(name, files.get(name), response, files.get(response))));
    }
    assertEquals(6, tests.size(), "request examples found: " + files.keySet());
    return tests.stream();
  }

  private void run(String requestFile, Path request, String responseFile, Path response) throws IOException {
    JsonObject req = new JsonObject(Files.readString(request));
    JsonObject res = new JsonObject(Files.readString(response));
    String record = requestFile.startsWith("callrecords-callrecord-get__1") ? realRecord : pagedRecord;
    String path = req.getString("path").replace("{id}", record);
    EmulatorFixture.Response got = fx.graph(req.getString("method"), path, null);
    assertEquals(res.getInteger("status"), got.status(), path + ": " + got.body());
    JsonObject actual = got.json();
    List<String> problems = new ArrayList<>();
    GraphDocsFidelityTest.conforms(responseFile, "", res.getJsonObject("body"), actual, problems, NOT_PRODUCED);
    values(responseFile, "", res.getJsonObject("body"), actual, problems);
    assertTrue(problems.isEmpty(), responseFile + " vs GET " + path + ":\n  " + String.join("\n  ", problems));
    exercised++;
  }

  /**
   * Where the docs give an {@code @odata.type}, the emulator gives the same; every enum value, the
   * docs' and the emulator's, is one Graph defines. Array elements are matched to the documented
   * element's position kind-wise: every actual element is checked against the first documented one.
   */
  private static void values(String file, String path, Object doc, Object actual, List<String> problems) {
    if (doc instanceof JsonObject d && actual instanceof JsonObject a) {
      for (String k : d.fieldNames()) {
        String p = path.isEmpty() ? k : path + "." + k;
        Object dv = d.getValue(k);
        Object av = a.getValue(k);
        if (k.equals("@odata.type") && !dv.equals(av)) {
          problems.add(p + " is " + av + ", documented " + dv);
        } else if (ENUMS.containsKey(k)) {
          checkEnum(p, k, dv, problems, "the docs' ");
          checkEnum(p, k, av, problems, "");
        } else {
          values(file, p, dv, av, problems);
        }
      }
    } else if (doc instanceof JsonArray d && actual instanceof JsonArray a && !d.isEmpty()) {
      for (Object element : a) {
        values(file, path, d.getValue(0), element, problems);
      }
    }
  }

  private static void checkEnum(String path, String key, Object value, List<String> problems, String whose) {
    List<Object> values = value instanceof JsonArray arr ? arr.getList() : value == null ? List.of() : List.of(value);
    for (Object v : values) {
      if (!ENUMS.get(key).contains(String.valueOf(v))) {
        problems.add(whose + path + " = " + v + " is not one of " + ENUMS.get(key));
      }
    }
  }
}
