package dev.switchboard.emulator.records;

import dev.switchboard.emulator.calls.CallsModule;
import dev.switchboard.emulator.calls.EndedCall;
import dev.switchboard.emulator.calls.EndedCall.Party;
import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.world.Behavior;
import dev.switchboard.emulator.world.BotApplication;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.DirectoryUser;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated call-records service (graph-reference §7): every call that ends gets a callRecord,
 * served from {@code delay} (emulated) after the end, when its {@code created} change notification
 * goes out; an update raises its version and sends {@code updated}. Network conditions set on a
 * live call (or one of its participants) show in its record's streams.
 *
 * <p>All methods run on the emulator's event-loop context. Control methods throw
 * {@link GraphException}: 404 for an unknown call or record, 400 for malformed input.
 */
public final class CallRecordsModule {

  private static final Logger LOG = LoggerFactory.getLogger(CallRecordsModule.class);
  /** Records kept; the oldest are forgotten beyond this (Graph keeps them 30 days). */
  private static final int KEPT = 20_000;
  private static final int MAX_SESSIONS = 10_000;
  private static final int MAX_COUNT = 5_000;

  final EmulatedClock clock;
  final String baseUrl;
  private final EmulatedTimers clockTimers;
  private final BotApplication app;
  private final Directory directory;
  private final CallsModule calls;
  private final Duration delay;
  private final BiConsumer<String, String> notifier;
  private final Map<String, CallRecord> records = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, CallRecord> eldest) {
      return size() > KEPT;
    }
  };
  /** Network conditions of live calls: per call (key "") and per participant id. */
  private final Map<String, Map<String, NetworkConditions>> networks = new HashMap<>();
  private final Set<Long> timers = new HashSet<>();
  /**
   * Records made but not yet served: released when their timer fires (not by comparing clocks, so
   * a record is served as soon as its {@code created} notification is sent).
   */
  private final Set<String> pending = new HashSet<>();
  /** Records whose {@code GET} answers a broken body ({@link MalformedBody}), by id. */
  private final Map<String, MalformedBody> malformed = new HashMap<>();

  /**
   * @param delay how long (emulated) after a call ends its record becomes available
   * @param notifier told {@code (callRecordId, changeType)} when a record becomes available
   *     ({@code created}) or is updated ({@code updated})
   */
  public CallRecordsModule(EmulatedTimers clockTimers, BotApplication app, Directory directory,
      CallsModule calls, Duration delay, String baseUrl, BiConsumer<String, String> notifier) {
    this.clockTimers = clockTimers;
    this.clock = clockTimers.clock();
    this.app = app;
    this.directory = directory;
    this.calls = calls;
    this.delay = Objects.requireNonNull(delay, "delay");
    this.baseUrl = baseUrl;
    this.notifier = notifier;
  }

  /** Mounts the Graph routes under {@code /v1.0/communications/callRecords} (behind the bearer and permission checks). */
  public void mount(Router router) {
    new CallRecordsApi(this).mount(router);
  }

  /** Mounts the control routes ({@code /emulator/callRecords...}, {@code /emulator/calls/{id}/network}). */
  public void mountControl(Router router) {
    new RecordsControl(this).mount(router);
  }

  // ---------------------------------------------------------------- from the calling service

  /** A call ended: its record is made now and becomes available after the delay. */
  public void callEnded(EndedCall call) {
    Map<String, NetworkConditions> net = networks.remove(call.callId());
    Instant now = clock.now();
    List<Session> sessions = sessionsOf(call, net == null ? Map.of() : net);
    List<JsonObject> participants = new ArrayList<>();
    call.parties().forEach(p -> {
      if (participants.stream().noneMatch(q -> q.equals(p.identity()))) {
        participants.add(p.identity().copy());
      }
    });
    boolean organizerIsBot = call.organizer().getJsonObject("application") != null
        || call.organizer().getJsonObject("applicationInstance") != null;
    String joinWebUrl = call.meetingThreadId() == null ? null : "https://teams.microsoft.com/l/meetup-join/"
        + URLEncoder.encode(call.meetingThreadId(), StandardCharsets.UTF_8) + "/0";
    CallRecord r = new CallRecord(call.callRecordId(), 1, call.callId(), call.group(), call.modalities(),
        call.start(), call.end(), now.plus(delay), call.organizer(), participants, joinWebUrl, sessions,
        now.plus(delay), false, !organizerIsBot);
    records.put(r.id(), r);
    announce(r);
  }

  private List<Session> sessionsOf(EndedCall call, Map<String, NetworkConditions> net) {
    NetworkConditions callWide = net.getOrDefault("", NetworkConditions.GOOD);
    List<Session> out = new ArrayList<>();
    List<Party> parties = call.parties();
    if (!call.group() && parties.size() == 1 && !parties.get(0).bot()) {
      // the bot never joined (not answered, rejected, redirected): the caller still reached it
      Party caller = parties.get(0);
      Party bot = new Party(null, caller.phone() ? app.applicationInstanceIdentitySet() : app.applicationIdentitySet(), true);
      out.add(new Session(UUID.randomUUID().toString(), caller, bot, call.modalities(), call.start(), call.end(),
          net.getOrDefault(caller.participantId(), callWide)));
    } else if (!call.group() && parties.size() >= 2) {
      Party bot = parties.stream().filter(Party::bot).findFirst().orElse(parties.get(1));
      Party other = parties.stream().filter(p -> p != bot).findFirst().orElse(parties.get(0));
      boolean botCalled = call.organizer().getJsonObject("application") != null
          || call.organizer().getJsonObject("applicationInstance") != null;
      out.add(new Session(UUID.randomUUID().toString(), botCalled ? bot : other, botCalled ? other : bot,
          call.modalities(), call.start(), call.end(), net.getOrDefault(other.participantId(), callWide)));
    } else {
      for (Party p : parties) {
        out.add(new Session(UUID.randomUUID().toString(), p, null, call.modalities(), call.start(), call.end(),
            net.getOrDefault(p.participantId(), callWide)));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Graph reads

  /**
   * A record Graph serves now.
   *
   * @throws GraphException 404 as Graph words it when unknown or not yet available
   */
  CallRecord available(String id) {
    CallRecord r = records.get(id);
    if (r == null || pending.contains(id)) {
      throw GraphException.notFound("Could not find the requested call record. Records about calls or online"
          + " meetings that started more than 30 days ago are not available.");
    }
    return r;
  }

  /** How the record's {@code GET} is broken on purpose, or null when it is served as it is. */
  MalformedBody malformed(String id) {
    return malformed.get(id);
  }

  /** The available records, oldest first. */
  List<CallRecord> availableRecords() {
    return records.values().stream().filter(r -> !pending.contains(r.id())).toList();
  }

  String botName() {
    return app.displayName();
  }

  String botInstanceId() {
    return app.applicationInstanceId();
  }

  String botPhone() {
    return app.phoneNumber();
  }

  /** The tenant's emulated domain, for user principal names. */
  String tenantDomain() {
    return "contoso.onmicrosoft.com";
  }

  // ---------------------------------------------------------------- control API

  /** Every record (not yet available ones too), as the control API lists them. */
  public JsonArray list() {
    JsonArray out = new JsonArray();
    records.values().forEach(r -> out.add(summary(r)));
    return out;
  }

  JsonObject describe(String id) {
    return summary(require(id));
  }

  /**
   * Makes the record's {@code GET} answer a broken body ({@code {"malformed": "truncated" | "wrongTypes"}}), or
   * serves it as it is again ({@code {"malformed": null}}).
   */
  JsonObject setMalformed(String id, JsonObject body) {
    CallRecord r = require(id);
    String word = Bodies.string(body, "malformed", false);
    if (word == null) {
      malformed.remove(id);
    } else {
      malformed.put(id, MalformedBody.of(word));
    }
    return summary(r);
  }

  /**
   * Sets the network conditions of a live call, or of one of its remote participants.
   *
   * @return the conditions now in force for it
   */
  JsonObject setNetwork(String callId, JsonObject body) {
    String participantId = Bodies.string(body, "participantId", false);
    calls.requireLive(callId, participantId);
    Map<String, NetworkConditions> net = networks.computeIfAbsent(callId, k -> new HashMap<>());
    String key = participantId == null ? "" : participantId;
    NetworkConditions base = net.getOrDefault(key, net.getOrDefault("", NetworkConditions.GOOD));
    NetworkConditions n = base.with(body);
    net.put(key, n);
    return n.toJson().put("callId", callId).put("participantId", participantId);
  }

  /**
   * Updates a record: the network conditions in {@code body} replace those of every session (or
   * of the sessions of {@code participantId}); the version goes up, and an {@code updated}
   * notification follows when the record is already available.
   */
  JsonObject update(String id, JsonObject body) {
    CallRecord r = require(id);
    String participantId = Bodies.string(body, "participantId", false);
    JsonObject network = Bodies.object(body, "network", false);
    for (String f : body.fieldNames()) {
      if (!Set.of("participantId", "network").contains(f)) {
        throw new IllegalArgumentException("Unknown field '" + f + "'; expected network, participantId.");
      }
    }
    List<Session> sessions = new ArrayList<>();
    boolean matched = participantId == null;
    for (Session s : r.sessions()) {
      boolean hit = participantId == null || involves(s, participantId);
      matched |= hit;
      sessions.add(hit && network != null ? s.withNetwork(s.network().with(network)) : s);
    }
    if (!matched) {
      throw GraphException.notFound("Call record " + id + " has no session of participant " + participantId + ".");
    }
    boolean available = !pending.contains(id);
    CallRecord next = r.updated(sessions, available ? clock.now() : r.availableAt());
    records.put(id, next);
    if (available) {
      notifier.accept(id, "updated");
    }
    LOG.info("Call record {} updated to version {}", id, next.version());
    return summary(next);
  }

  /**
   * Creates records directly (tests): {@code sessions} (default 1), {@code type} (default
   * {@code groupCall} for more than one session), {@code participants} (user ids or E.164 numbers,
   * default Adele Vance), {@code durationSeconds} (60), {@code endDateTime} (now), {@code network},
   * {@code directRouting}, {@code joinWebUrl}, {@code count} (records alike). A peer-to-peer record
   * of two or more people is between the first two; otherwise the bot takes part (each session
   * links a person to the bot, or to the conferencing service in a group call). They are available
   * at once and announced with {@code created}. {@code malformed} ({@code truncated}, {@code wrongTypes}) makes their
   * {@code GET} answer a broken body ({@link MalformedBody}).
   */
  JsonObject create(JsonObject body) {
    Set<String> known = Set.of("sessions", "type", "participants", "durationSeconds", "endDateTime", "network",
        "directRouting", "joinWebUrl", "count", "malformed");
    for (String f : body.fieldNames()) {
      if (!known.contains(f)) {
        throw new IllegalArgumentException("Unknown field '" + f + "'; expected " + known + ".");
      }
    }
    int sessionCount = Bodies.integer(body, "sessions", 1, 1, MAX_SESSIONS);
    int count = Bodies.integer(body, "count", 1, 1, MAX_COUNT);
    String malformedWord = Bodies.string(body, "malformed", false);
    MalformedBody broken = malformedWord == null ? null : MalformedBody.of(malformedWord);
    String type = Bodies.string(body, "type", false);
    type = type != null ? type : sessionCount > 1 ? "groupCall" : "peerToPeer";
    if (!type.equals("groupCall") && !type.equals("peerToPeer")) {
      throw new IllegalArgumentException("type must be groupCall or peerToPeer; got '" + type + "'.");
    }
    int seconds = Bodies.integer(body, "durationSeconds", 60, 0, 86_400);
    String endText = Bodies.string(body, "endDateTime", false);
    Instant end = endText == null ? clock.now() : Instant.parse(endText);
    NetworkConditions network = NetworkConditions.GOOD.with(Bodies.object(body, "network", false) == null
        ? new JsonObject() : body.getJsonObject("network"));
    List<Party> people = new ArrayList<>();
    JsonArray given = body.getValue("participants") instanceof JsonArray a ? a
        : new JsonArray().add(Directory.SEEDED.get(0).id());
    for (Object o : given) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException("participants must be user ids or E.164 numbers.");
      }
      people.add(new Party(UUID.randomUUID().toString(), identityOf(s), false));
    }
    Party bot = new Party(UUID.randomUUID().toString(), people.stream().anyMatch(Party::phone)
        ? app.applicationInstanceIdentitySet() : app.applicationIdentitySet(), true);
    boolean group = type.equals("groupCall");
    // a peer-to-peer call between two people has no bot in it; otherwise the bot takes part
    boolean withBot = group || people.size() < 2;
    JsonArray out = new JsonArray();
    for (int c = 0; c < count; c++) {
      Instant start = end.minusSeconds(seconds);
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < sessionCount; i++) {
        Party p = people.get(i % people.size());
        Party callee = group ? null : withBot ? bot : people.get(1);
        sessions.add(new Session(UUID.randomUUID().toString(), withBot ? p : people.get(0), callee, List.of("audio"),
            start, end, network));
      }
      List<JsonObject> participants = new ArrayList<>();
      people.forEach(p -> participants.add(p.identity()));
      if (withBot) {
        participants.add(bot.identity());
      }
      Instant now = clock.now();
      CallRecord r = new CallRecord(UUID.randomUUID().toString(), 1, null, group, List.of("audio"), start, end, now,
          people.get(0).identity(), participants, Bodies.string(body, "joinWebUrl", false), sessions, now,
          Boolean.TRUE.equals(body.getValue("directRouting")), true);
      records.put(r.id(), r);
      if (broken != null) {
        malformed.put(r.id(), broken);
      }
      notifier.accept(r.id(), "created");
      out.add(summary(r));
    }
    return body.containsKey("count") ? new JsonObject().put("value", out) : out.getJsonObject(0);
  }

  /** Forgets every record and network condition; pending announcements are cancelled. */
  public void reset() {
    timers.forEach(clockTimers::cancelTimer);
    timers.clear();
    records.clear();
    malformed.clear();
    networks.clear();
    pending.clear();
  }

  // ---------------------------------------------------------------- internals

  private void announce(CallRecord r) {
    pending.add(r.id());
    long[] id = new long[1];
    id[0] = clockTimers.setTimer(Duration.between(clock.now(), r.availableAt()), t -> {
      timers.remove(id[0]);
      pending.remove(r.id());
      LOG.info("Call record {} available", r.id());
      notifier.accept(r.id(), "created");
    });
    timers.add(id[0]);
  }

  private CallRecord require(String id) {
    CallRecord r = records.get(id);
    if (r == null) {
      throw GraphException.notFound("No call record " + id + "; GET /emulator/callRecords lists them.");
    }
    return r;
  }

  private static boolean involves(Session s, String participantId) {
    return (s.caller() != null && participantId.equals(s.caller().participantId()))
        || (s.callee() != null && participantId.equals(s.callee().participantId()));
  }

  private JsonObject identityOf(String idOrPhone) {
    if (Directory.E164.matcher(idOrPhone).matches()) {
      return new DirectoryUser(null, null, idOrPhone, Behavior.DEFAULT, null).identitySet(app.tenantId());
    }
    return directory.find(idOrPhone).filter(u -> u.id() != null).map(u -> u.identitySet(app.tenantId()))
        .orElseThrow(() -> GraphException.notFound("No directory user '" + idOrPhone + "'; register it with"
            + " POST /emulator/users, or give an E.164 number."));
  }

  private JsonObject summary(CallRecord r) {
    JsonArray sessions = new JsonArray();
    r.sessions().forEach(s -> sessions.add(new JsonObject().put("id", s.id())
        .put("caller", s.caller() == null ? null : s.caller().participantId())
        .put("callee", s.callee() == null ? null : s.callee().participantId())
        .put("network", s.network().toJson())));
    return new JsonObject()
        .put("id", r.id())
        .put("version", r.version())
        .put("type", r.type())
        .put("callId", r.callId())
        .put("startDateTime", r.start().toString())
        .put("endDateTime", r.end().toString())
        .put("availableDateTime", r.availableAt().toString())
        .put("available", !pending.contains(r.id()))
        .put("phoneNumbers", new JsonArray(List.copyOf(r.phoneNumbers())))
        .put("directRouting", r.directRouting())
        .put("malformed", malformed.containsKey(r.id()) ? malformed.get(r.id()).word() : null)
        .put("sessionCount", r.sessions().size())
        .put("sessions", r.sessions().size() > 100 ? null : sessions);
  }
}
