package dev.switchboard.emulator.control;

import dev.switchboard.emulator.calls.CallsModule;
import dev.switchboard.emulator.faults.Faults;
import dev.switchboard.emulator.http.Bodies;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.RequestJournal;
import dev.switchboard.emulator.identity.IdentityService;
import dev.switchboard.emulator.media.Utterance;
import dev.switchboard.emulator.media.WavSynth;
import dev.switchboard.emulator.notify.NotificationSender;
import dev.switchboard.emulator.permissions.GrantedRoles;
import dev.switchboard.emulator.subscriptions.SubscriptionsModule;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.DirectoryUser;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import dev.switchboard.emulator.world.Tones;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Supplier;

/**
 * The emulator's own API under {@code /emulator/} (DESIGN.md §4): a test or a person acts as the
 * other side of the bot's calls, shapes the simulated world and inspects what the bot did.
 *
 * <p>No authentication. Errors use Graph's error JSON: 400 {@code invalidRequest} for malformed
 * input, 404 {@code itemNotFound} for an unknown call, user, fault or subscription, 409 for an
 * action the call's (or subscription's) state does not allow.
 */
public final class ControlApi {

  private static final String ENDPOINTS = "POST /emulator/calls/incoming, GET /emulator/calls[/{id}],"
      + " POST /emulator/calls/{id}/tones, POST /emulator/calls/{id}/speech, POST /emulator/calls/{id}/hangup, POST /emulator/calls/{id}/network,"
      + " GET|POST /emulator/callRecords, GET /emulator/callRecords/{id}, POST /emulator/callRecords/{id}/update, POST /emulator/callRecords/{id}/malformed,"
      + " POST|GET /emulator/users,"
      + " GET|DELETE /emulator/users/{id}, POST /emulator/users/{id}/presence, POST|GET|DELETE /emulator/faults[/{id}],"
      + " GET /emulator/requests, GET /emulator/notifications, GET /emulator/subscriptions[/{id}],"
      + " POST /emulator/subscriptions/{id}/notify, POST /emulator/subscriptions/{id}/lifecycle,"
      + " GET /emulator/subscriptions/deliveries, GET /emulator/clock, POST /emulator/clock/advance, POST|GET /emulator/webhook,"
      + " POST /emulator/keys/rotate, GET|PUT /emulator/roles, POST /emulator/roles/grant, POST /emulator/roles/revoke,"
      + " POST /emulator/reset, " + dev.switchboard.emulator.meetings.MeetingsModule.ENDPOINTS + ","
      + " GET /emulator/config, GET /emulator/certificate, GET /emulator/samples/{prompt.wav|cd-quality.wav}";

  /** The longest a single {@code POST /emulator/clock/advance} moves the clock: a year. */
  private static final long MAX_ADVANCE_SECONDS = 366L * 24 * 3600;

  private final CallsModule calls;
  private final SubscriptionsModule subscriptions;
  private final Directory directory;
  private final EmulatedTimers timers;
  private final EmulatedClock clock;
  private final Faults faults;
  private final RequestJournal journal;
  private final NotificationSender sender;
  private final IdentityService identity;
  private final RolesControl roles;
  private final Supplier<JsonObject> config;
  private final Runnable reset;
  private final WebhookSink webhook = new WebhookSink();

  /**
   * @param roles the application's granted permissions, changed under {@code /emulator/roles}
   * @param config the {@code graph:} configuration section served at {@code GET /emulator/config}
   * @param reset what {@code POST /emulator/reset} does
   */
  public ControlApi(CallsModule calls, SubscriptionsModule subscriptions, Directory directory, EmulatedTimers timers,
      Faults faults, RequestJournal journal, NotificationSender sender, IdentityService identity, GrantedRoles roles,
      Supplier<JsonObject> config, Runnable reset) {
    this.calls = calls;
    this.subscriptions = subscriptions;
    this.directory = directory;
    this.timers = timers;
    this.clock = timers.clock();
    this.faults = faults;
    this.journal = journal;
    this.sender = sender;
    this.identity = identity;
    this.roles = new RolesControl(roles);
    this.config = config;
    this.reset = reset;
  }

  /** Mounts every {@code /emulator/...} route. */
  public void mount(Router router) {
    router.post("/emulator/calls/incoming").handler(ctx -> json(ctx, 201, calls.placeIncomingCall(Bodies.object(ctx))));
    router.get("/emulator/calls").handler(ctx -> json(ctx, 200, new JsonObject().put("value", calls.list())));
    router.get("/emulator/calls/:id").handler(ctx -> json(ctx, 200, calls.get(ctx.pathParam("id"))));
    router.post("/emulator/calls/:id/tones").handler(badInput(ctx -> {
      JsonObject body = Bodies.object(ctx);
      List<String> tones = Tones.parse(body.getValue("tones"));
      long gap = body.getLong("gapMs", 200L);
      if (gap < 0) {
        throw new IllegalArgumentException("gapMs must be >= 0");
      }
      calls.pressKeys(ctx.pathParam("id"), tones, gap);
      json(ctx, 202, new JsonObject().put("tones", new JsonArray(tones)));
    }));
    router.post("/emulator/calls/:id/speech").handler(badInput(ctx -> {
      Utterance said = utterance(ctx);
      int waiting = calls.say(ctx.pathParam("id"), said);
      json(ctx, 202, new JsonObject().put("seconds", said.seconds()).put("audio", said.samples() != null)
          .put("waiting", waiting));
    }));
    router.post("/emulator/calls/:id/hangup").handler(ctx -> {
      calls.hangUp(ctx.pathParam("id"), Bodies.string(Bodies.object(ctx), "participantId", false));
      ctx.response().setStatusCode(202).end();
    });

    router.post("/emulator/users").handler(badInput(ctx -> {
      JsonObject body = Bodies.object(ctx);
      if (body.getValue("value") instanceof JsonArray many) {
        JsonArray out = new JsonArray();
        for (Object o : many) {
          if (!(o instanceof JsonObject u)) {
            throw new IllegalArgumentException("value must be an array of user objects");
          }
          out.add(directory.register(u).toJson());
        }
        json(ctx, 201, new JsonObject().put("value", out));
      } else {
        json(ctx, 201, directory.register(body).toJson());
      }
    }));
    router.get("/emulator/users").handler(ctx -> {
      JsonArray out = new JsonArray();
      directory.all().forEach(u -> out.add(u.toJson()));
      json(ctx, 200, new JsonObject().put("value", out));
    });
    router.get("/emulator/users/:id").handler(ctx -> json(ctx, 200, user(ctx.pathParam("id")).toJson()));
    router.post("/emulator/users/:id/presence").handler(badInput(ctx -> {
      String id = ctx.pathParam("id");
      DirectoryUser u = directory.setPresence(id, Bodies.object(ctx)).orElseThrow(() -> GraphException.notFound(
          "No directory user with id '" + id + "' (phone-only parties have no presence)."));
      json(ctx, 200, u.toJson());
    }));
    router.delete("/emulator/users/:id").handler(ctx -> {
      user(ctx.pathParam("id"));
      directory.remove(ctx.pathParam("id"));
      ctx.response().setStatusCode(204).end();
    });

    router.post("/emulator/faults").handler(badInput(ctx -> json(ctx, 201, faults.add(Bodies.object(ctx)).toJson())));
    router.get("/emulator/faults").handler(ctx -> json(ctx, 200, new JsonObject().put("value", faults.list())));
    router.delete("/emulator/faults").handler(ctx -> {
      faults.clear();
      ctx.response().setStatusCode(204).end();
    });
    router.delete("/emulator/faults/:id").handler(ctx -> {
      if (!faults.remove(ctx.pathParam("id"))) {
        throw GraphException.notFound("Fault " + ctx.pathParam("id") + " was not found.");
      }
      ctx.response().setStatusCode(204).end();
    });

    router.get("/emulator/requests").handler(badInput(ctx -> {
      String since = ctx.request().getParam("since");
      json(ctx, 200, new JsonObject().put("value", journal.list(ctx.request().getParam("method"),
          ctx.request().getParam("path"), since == null ? 0 : Long.parseLong(since))));
    }));
    router.get("/emulator/notifications").handler(ctx -> json(ctx, 200, new JsonObject().put("value", sender.deliveries())));
    mountSubscriptions(router);
    router.get("/emulator/clock").handler(ctx -> json(ctx, 200, clockJson()));
    router.post("/emulator/clock/advance").handler(badInput(ctx -> {
      Object seconds = Bodies.object(ctx).getValue("seconds");
      if (!(seconds instanceof Number n) || !(n.doubleValue() > 0) || n.doubleValue() > MAX_ADVANCE_SECONDS) {
        throw new IllegalArgumentException("seconds must be a number of emulated seconds, > 0 and at most "
            + MAX_ADVANCE_SECONDS + " (a year); got " + seconds);
      }
      timers.advance(java.time.Duration.ofNanos(Math.round(n.doubleValue() * 1e9)));
      json(ctx, 200, clockJson());
    }));
    router.post("/emulator/keys/rotate").handler(ctx -> {
      String which = Bodies.string(Bodies.object(ctx), "keys", false);
      identity.rotate(which == null ? "all" : which).onSuccess(kids -> json(ctx, 200, kids)).onFailure(ctx::fail);
    });
    roles.mount(router);
    webhook.mount(router);
    router.post("/emulator/reset").handler(ctx -> {
      reset.run();
      webhook.clear();
      ctx.response().setStatusCode(204).end();
    });
    router.get("/emulator/config").handler(ctx -> json(ctx, 200, config.get()));
    router.get("/emulator/certificate").handler(ctx -> {
      String pem = config.get().getString("tlsCertificatePem");
      if (pem == null) {
        throw GraphException.notFound("The emulator serves plain HTTP: it has no certificate.");
      }
      ctx.response().putHeader("Content-Type", "application/x-pem-file").end(pem);
    });
    router.get("/emulator/samples/:file").handler(badInput(ctx -> {
      String seconds = ctx.request().getParam("seconds");
      double s = seconds == null ? 2 : Double.parseDouble(seconds);
      Buffer wav = switch (ctx.pathParam("file")) {
        case "prompt.wav" -> WavSynth.toneThenSilence(Math.min(Math.max(s, 0), 60), 0);
        case "cd-quality.wav" -> WavSynth.silence(44100, 2, Math.min(Math.max(s, 0), 60));
        default -> throw GraphException.notFound("Samples are prompt.wav (16 kHz mono, Graph's format) and"
            + " cd-quality.wav (44.1 kHz stereo, which Graph rejects); both take ?seconds=N.");
      };
      ctx.response().putHeader("Content-Type", "audio/wav").end(wav);
    }));
    router.route("/emulator/*").handler(ctx -> {
      throw GraphException.notFound("No control endpoint " + ctx.request().method() + " " + ctx.request().path()
          + ". The control API has: " + ENDPOINTS + ".");
    });
  }

  private void mountSubscriptions(Router router) {
    router.get("/emulator/subscriptions").handler(ctx -> json(ctx, 200, new JsonObject().put("value", subscriptions.list())));
    router.get("/emulator/subscriptions/deliveries").handler(badInput(ctx -> {
      String since = ctx.request().getParam("since");
      json(ctx, 200, new JsonObject().put("value", subscriptions.deliveries(ctx.request().getParam("subscriptionId"),
          since == null ? 0 : Long.parseLong(since))));
    }));
    router.get("/emulator/subscriptions/:id").handler(ctx -> json(ctx, 200, subscriptions.describe(ctx.pathParam("id"))));
    router.post("/emulator/subscriptions/:id/notify").handler(ctx -> json(ctx, 202, new JsonObject()
        .put("deliveryId", subscriptions.notify(ctx.pathParam("id"), Bodies.object(ctx)))));
    router.post("/emulator/subscriptions/:id/lifecycle").handler(ctx -> {
      String event = Bodies.string(Bodies.object(ctx), "event", true);
      json(ctx, 202, new JsonObject().put("deliveryId", subscriptions.lifecycle(ctx.pathParam("id"), event)));
    });
  }

  private JsonObject clockJson() {
    return new JsonObject().put("now", clock.now().toString()).put("speed", clock.speed())
        .put("advancedSeconds", clock.advanced().toNanos() / 1e9);
  }

  /** What a caller will say: the WAV file that is the body ({@code audio/wav}), or {@code {"seconds": n}} of voice. */
  private static Utterance utterance(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && (type.startsWith("audio/wav") || type.startsWith("audio/x-wav")
        || type.startsWith("audio/wave"))) {
      return Utterance.ofWav(ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer());
    }
    JsonObject body = Bodies.object(ctx);
    for (String name : body.fieldNames()) {
      if (!name.equals("seconds")) {
        throw new IllegalArgumentException("unknown field " + name + ": the body is {\"seconds\": n} (simulated"
            + " voice), or a WAV file sent as Content-Type: audio/wav");
      }
    }
    if (!(body.getValue("seconds") instanceof Number n)) {
      throw new IllegalArgumentException("seconds is required, a number (0: the caller says nothing); or send a WAV"
          + " file as Content-Type: audio/wav");
    }
    return Utterance.tone(n.doubleValue());
  }

  private DirectoryUser user(String id) {
    return directory.find(id).orElseThrow(() -> GraphException.notFound("No directory user '" + id + "'."));
  }

  /** Maps IllegalArgumentException (invalid values found while parsing) to 400. */
  private static Handler<RoutingContext> badInput(Handler<RoutingContext> h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (IllegalArgumentException e) {
        throw GraphException.badRequest(e.getMessage());
      }
    };
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
