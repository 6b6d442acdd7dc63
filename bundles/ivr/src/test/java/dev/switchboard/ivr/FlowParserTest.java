package dev.switchboard.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FlowParserTest {

  private static final String MENU = """
      name: main
      default: true
      nodes:
        menu:
          type: gather
          say: Press 1 for sales, 2 to leave a message, 9 to hear this again.
          timeout: 4s
          retries: 1
          branches:
            "1": sales
            "2": message
            "9": menu
          default: goodbye
        sales:
          type: transfer
          say: Connecting you to sales.
          target: {user: 6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e03, displayName: Megan Bowen}
          next: goodbye
        message:
          type: record
          say: Please leave a message after the tone.
          maxDuration: 30s
          maxSilence: 2s
          stopTones: ["#"]
          next: goodbye
        goodbye:
          type: hangup
          say: Goodbye.
      """;

  @Test
  void aValidFlowHasItsNodesInOrderAndItsDefaults() throws Exception {
    Flow flow = FlowParser.parse("main.yaml", MENU);
    assertEquals("main", flow.name());
    assertTrue(flow.isDefault());
    assertEquals("menu", flow.start());
    Step.Gather menu = assertInstanceOf(Step.Gather.class, flow.step("menu"));
    assertEquals(4000, menu.timeoutMs());
    assertEquals(1, menu.maxDigits());
    assertEquals("message", menu.branches().get("2"));
    assertEquals("goodbye", menu.fallback());
    assertEquals(4, menu.line());
    Step.Transfer sales = assertInstanceOf(Step.Transfer.class, flow.step("sales"));
    assertEquals("Megan Bowen", sales.target().getString("displayName"));
    Step.Record message = assertInstanceOf(Step.Record.class, flow.step("message"));
    assertEquals(30, message.maxDurationSeconds());
    assertEquals(2, message.maxSilenceSeconds());
    assertEquals(java.util.List.of("#"), message.stopTones());
    assertEquals(8, flow.version().length());
  }

  /** Found by FlowFuzzTest: a 20-digit duration threw NumberFormatException out of the parser. */
  @Test
  void aHugeDurationIsAProblemNotACrash() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("main.yaml",
        MENU.replace("timeout: 4s", "timeout: 99999999999999999999s")));
    assertTrue(e.getMessage().contains("'99999999999999999999s' is not a duration"), e.getMessage());
  }

  @Test
  void anUnknownNodeTypeNamesFileLineAndTheKnownTypes() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("main.yaml", """
        nodes:
          hello:
            type: ply
            say: Hi
        """));
    assertEquals("main.yaml:3:11: node 'hello' has unknown type 'ply' (types: gather, hangup, invite, play, record, "
        + "redirect, transfer)", e.getMessage());
  }

  @Test
  void aBranchToAMissingNodeNamesFileLineAndTheNodes() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("main.yaml", MENU.replace(
        "\"1\": sales", "\"1\": salse")));
    assertEquals(1, e.problems().size(), e.getMessage());
    assertEquals("main.yaml:10:12: node 'menu': branch '1' goes to node 'salse', which is not defined (nodes: menu, "
        + "sales, message, goodbye)", e.getMessage());
  }

  @Test
  void aDigitOutsideTheKeypadNamesFileAndLine() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("main.yaml", MENU.replace(
        "\"9\": menu", "\"A\": menu")));
    assertEquals("main.yaml:12:7: node 'menu': branch 'A' is not a key sequence: use 0-9, * and # only (quote * and #, "
        + "e.g. \"*\")", e.getMessage());
  }

  @Test
  void aYamlSyntaxErrorNamesFileAndLine() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("broken.yaml", """
        nodes:
          hello:
            type: play
            say: "Hi
        """));
    assertTrue(e.getMessage().startsWith("broken.yaml:5:1: not valid YAML: "), e.getMessage());
    FlowException tabs = assertThrows(FlowException.class, () -> FlowParser.parse("tabs.yaml",
        "nodes:\n  a:\n\ttype: play\n"));
    assertTrue(tabs.getMessage().startsWith("tabs.yaml:3:1: not valid YAML"), tabs.getMessage());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("main.yaml", """
        start: nowhere
        nodes:
          a:
            type: play
            nxt: b
          b:
            type: transfer
            target: "+1"
          c:
            type: redirect
            target: someone
        """));
    String m = e.getMessage();
    assertTrue(m.contains("main.yaml:5:5: unknown field 'nxt' in a play node"), m);
    assertTrue(m.contains("main.yaml:3:3: node 'a': a play node needs 'say', 'prompt' or 'url'"), m);
    assertTrue(m.contains("main.yaml:8:13: node 'b': '+1' is not an E.164 phone number"), m);
    assertTrue(m.contains("main.yaml:1:8: 'start' goes to node 'nowhere', which is not defined"), m);
    assertTrue(m.contains("main.yaml:9:3: node 'c': a redirect can only be the flow's start node"), m);
  }

  @Test
  void aFlowWithoutNodesOrAnEmptyFileIsRefused() {
    assertEquals("empty.yaml: the file is empty; a flow needs 'nodes:'",
        assertThrows(FlowException.class, () -> FlowParser.parse("empty.yaml", "")).getMessage());
    assertEquals("list.yaml:1:1: a flow file is a mapping with 'nodes:' (and optionally name, default, match, start)",
        assertThrows(FlowException.class, () -> FlowParser.parse("list.yaml", "- a\n- b\n")).getMessage());
  }

  @Test
  void matchTakesCallsToANumberOrFromACaller() throws Exception {
    Flow flow = FlowParser.parse("support.yaml", """
        match:
          to: ["+14255550100"]
        nodes:
          bye: {type: hangup, say: Bye}
        """);
    assertTrue(flow.matches(java.util.List.of("x", "+14255550100"), java.util.List.of()));
    assertTrue(!flow.matches(java.util.List.of("+14255550199"), java.util.List.of()));
  }

  @Test
  void aTransferToSeveralUsersRoutesByPresence() throws Exception {
    Flow flow = FlowParser.parse("sales.yaml", """
        nodes:
          sales:
            type: transfer
            strategy: longestAvailable
            presenceTimeout: 500ms
            targets:
              - {user: a1, displayName: agent1}
              - a2
            fallback: voicemail
          voicemail:
            type: record
        """);
    Step.Transfer sales = assertInstanceOf(Step.Transfer.class, flow.step("sales"));
    assertEquals(Step.Routing.LONGEST_AVAILABLE, sales.routing().strategy());
    assertEquals(500, sales.routing().presenceTimeoutMs());
    assertEquals("voicemail", sales.routing().fallback());
    assertEquals(List.of("a1", "a2"), PresenceRouting.userIds(sales.routing()));
    org.junit.jupiter.api.Assertions.assertNull(sales.target());
  }

  @Test
  void aRoutedTransferNeedsUsersAKnownStrategyAndAnExistingFallback() {
    FlowException e = assertThrows(FlowException.class, () -> FlowParser.parse("sales.yaml", """
        nodes:
          sales:
            type: transfer
            strategy: random
            presenceTimeout: 1m
            targets: ["+14255550101", a2]
            fallback: nowhere
        """));
    assertTrue(e.getMessage().contains("phones have no presence"), e.getMessage());
    assertTrue(e.getMessage().contains("'strategy' is firstAvailable or longestAvailable, not 'random'"),
        e.getMessage());
    assertTrue(e.getMessage().contains("'presenceTimeout' is 100ms to 10s"), e.getMessage());
    assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
  }
}
