package dev.switchboard.platform.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GraphMetersTest {

  @Test
  void resourcesLeaveIdsAndQueriesOut() {
    assertEquals("communications/calls/{id}/answer", GraphMeters.resource(
        "https://graph.microsoft.com/v1.0/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a/answer"));
    assertEquals("communications/calls", GraphMeters.resource("https://graph.microsoft.com/v1.0/communications/calls"));
    assertEquals("users/{id}/presence", GraphMeters.resource(
        "https://127.0.0.1:9443/v1.0/users/6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01/presence?$select=availability"));
    assertEquals("communications/callRecords/{id}", GraphMeters.resource(
        "https://graph.microsoft.com/beta/communications/callRecords/e523d2ed-2966-4b6b-925b-754a88034cc5"));
    assertEquals("communications/callRecords/{id}", GraphMeters.resource("https://graph.microsoft.com/v1.0/"
        + "communications/callRecords/getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)"));
    assertEquals("subscriptions", GraphMeters.resource("https://graph.microsoft.com/v1.0/subscriptions"));
  }
}
