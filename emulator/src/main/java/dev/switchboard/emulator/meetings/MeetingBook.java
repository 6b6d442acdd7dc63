package dev.switchboard.emulator.meetings;

import dev.switchboard.emulator.calls.MeetingJoins;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.DirectoryUser;
import dev.switchboard.emulator.world.EmulatedClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The emulated online meetings, who is in each, and how a bot's join finds its meeting. Used on
 * the emulator's context only.
 */
final class MeetingBook implements MeetingJoins {

  private final Directory directory;
  private final EmulatedClock clock;
  private final String tenantId;
  private final AccessPolicies policies = new AccessPolicies();
  private final Map<String, OnlineMeeting> byId = new LinkedHashMap<>();
  /** Per meeting, the people in it now (identity sets), keyed by user id. */
  private final Map<String, Map<String, JsonObject>> present = new LinkedHashMap<>();

  MeetingBook(Directory directory, EmulatedClock clock, String tenantId) {
    this.directory = directory;
    this.clock = clock;
    this.tenantId = tenantId;
  }

  AccessPolicies policies() {
    return policies;
  }

  String tenantId() {
    return tenantId;
  }

  Instant now() {
    return clock.now();
  }

  /**
   * A directory user by id.
   *
   * @throws GraphException 404 when there is no such user
   */
  DirectoryUser user(String id) {
    return directory.find(id).filter(u -> id.equals(u.id())).orElseThrow(() -> GraphException.notFound(
        "User '" + id + "' was not found in the directory. The emulator knows the seeded users and those registered"
            + " with POST /emulator/users."));
  }

  void add(OnlineMeeting m) {
    byId.put(m.id, m);
  }

  void remove(OnlineMeeting m) {
    byId.remove(m.id);
    present.remove(m.id);
  }

  OnlineMeeting byId(String id) {
    return byId.get(id);
  }

  OnlineMeeting byExternalId(String organizerId, String externalId) {
    return byId.values().stream().filter(m -> m.organizerId.equals(organizerId) && externalId.equals(m.externalId))
        .findFirst().orElse(null);
  }

  List<OnlineMeeting> all() {
    return new ArrayList<>(byId.values());
  }

  void clear() {
    byId.clear();
    present.clear();
    policies.clear();
  }

  // ---------------------------------------------------------------- participants of the resource

  /** The organizer as a meetingParticipantInfo. */
  JsonObject organizer(DirectoryUser user) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.meetingParticipantInfo")
        .put("identity", identitySet(user.id(), user.displayName()))
        .put("upn", upn(user.id(), user.displayName()))
        .put("role", "presenter");
  }

  /** An attendee as a meetingParticipantInfo, named as the directory names them when the request did not. */
  JsonObject attendee(String id, String displayName, String upn, String role) {
    String name = displayName != null ? displayName
        : directory.find(id).map(DirectoryUser::displayName).orElse(null);
    return new JsonObject().put("@odata.type", "#microsoft.graph.meetingParticipantInfo")
        .put("identity", identitySet(id, name))
        .put("upn", upn != null ? upn : upn(id, name))
        .put("role", role);
  }

  private JsonObject identitySet(String id, String displayName) {
    return new JsonObject().put("@odata.type", "#microsoft.graph.identitySet")
        .put("user", new JsonObject().put("@odata.type", "#microsoft.graph.identity")
            .put("id", id).put("displayName", displayName).put("tenantId", tenantId).put("identityProvider", "AAD"));
  }

  private static String upn(String id, String displayName) {
    String local = displayName == null ? id : displayName.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".");
    return local + "@emulator.onmicrosoft.com";
  }

  // ---------------------------------------------------------------- people in meetings

  /**
   * A person joins (true) or leaves; returns their identity set, or null when they were already in
   * (or not in) the meeting.
   */
  JsonObject move(OnlineMeeting m, String userId, boolean join) {
    Map<String, JsonObject> people = present.computeIfAbsent(m.id, k -> new LinkedHashMap<>());
    if (join) {
      if (people.containsKey(userId)) {
        return null;
      }
      DirectoryUser u = directory.find(userId).filter(d -> userId.equals(d.id())).orElse(null);
      JsonObject identity = identitySet(userId, u == null ? null : u.displayName());
      people.put(userId, identity);
      return identity;
    }
    return people.remove(userId);
  }

  List<JsonObject> peopleIn(String meetingId) {
    return new ArrayList<>(present.getOrDefault(meetingId, Map.of()).values());
  }

  // ---------------------------------------------------------------- joins

  @Override
  public String admit(JsonObject chatInfo, JsonObject meetingInfo) {
    String type = meetingInfo.getString("@odata.type", "");
    OnlineMeeting m;
    if (type.equals("#microsoft.graph.joinMeetingIdMeetingInfo")) {
      String joinId = meetingInfo.getString("joinMeetingId");
      m = byId.values().stream().filter(x -> x.joinMeetingId.equals(joinId)).findFirst().orElse(null);
      if (m != null && m.passcodeRequired && !m.passcode.equals(meetingInfo.getValue("passcode"))) {
        throw MeetingJoins.Refused.passcode(joinId, meetingInfo.getValue("passcode") == null);
      }
      if (m == null) {
        throw MeetingJoins.Refused.unknownMeeting("the join meeting id " + joinId);
      }
    } else if (type.equals("#microsoft.graph.organizerMeetingInfo")) {
      String thread = chatInfo.getString("threadId");
      m = byId.values().stream().filter(x -> x.threadId.equals(thread)).findFirst().orElse(null);
      if (m == null) {
        throw MeetingJoins.Refused.unknownMeeting("the chat thread " + thread);
      }
    } else {
      return null; // tokenMeetingInfo: rejoining a call the bot was told about
    }
    return m.id;
  }

  @Override
  public List<JsonObject> present(String meetingId) {
    return peopleIn(meetingId);
  }
}
