package dev.switchboard.ivr;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.KeyedMessage;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.calls.Identity;
import dev.switchboard.api.calls.Target;
import dev.switchboard.api.media.MediaClient;
import dev.switchboard.api.media.MediaCommand;
import dev.switchboard.api.media.MediaEvent;
import dev.switchboard.api.presence.CachedPresences;
import dev.switchboard.api.presence.PresenceClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ivr plugin: claims the bot's incoming calls that a flow takes and runs each through its flow.
 *
 * <p>It follows the calling bundle's and the media bundle's events by call on its keyed address {@link #ADDRESS}: the
 * events of a call reach the version of the plugin that owns the call, once each and in order, however many versions
 * of calling or media run side by side. A run is stored after each event ({@link RunStore}): a version that takes a
 * call over, or the plugin after a restart of the server, continues it where it was. A call the plugin does not run is
 * released at once.
 *
 * <p>Configuration ({@code plugins.ivr.*}, see {@code docs/ivr.md}): {@code flowsDir} (default {@code conf/flows}
 * of the installation, i.e. beside the data folder; a relative path is resolved against the installation folder),
 * {@code reloadIntervalMs} (default 1000), {@code publicUrl} (the server's public base URL, where Graph downloads the
 * beeps that stand in for text prompts when espeak-ng is missing; default the server's public URL).
 */
public final class IvrPlugin implements Plugin {

  /** The keyed address on which the plugin follows calls; the key is the call id. */
  static final String ADDRESS = "switchboard.ivr.calls";

  /** The events the plugin follows. */
  static final List<String> FOLLOWED = Stream.concat(Stream.of(CallEvent.Incoming.TOPIC, CallEvent.Established.TOPIC,
      CallEvent.TransferAccepted.TOPIC, CallEvent.TransferFailed.TOPIC, CallEvent.Terminated.TOPIC),
      MediaEvent.TOPICS.stream()).toList();

  private final Map<String, CallRun> runs = new HashMap<>();
  private PluginContext context;
  private CallsClient calls;
  private FlowMedia media;
  private FlowLibrary library;
  private RunStore stored;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    JsonObject config = context.config();
    Path home = context.dataDir().toAbsolutePath().getParent();
    Path flows = config.getString("flowsDir") == null ? home.resolve("conf").resolve("flows")
        : home.resolve(config.getString("flowsDir"));
    String publicUrl = config.getString("publicUrl", context.publicUrl()).replaceAll("/+$", "");
    long interval = Long.parseLong(String.valueOf(config.getValue("reloadIntervalMs", 1000)));
    library = new FlowLibrary(flows.normalize());
    stored = new RunStore(context.state(), library, context.logger());
    calls = CallsClient.of(context);
    media = new FlowMedia(MediaClient.of(context), publicUrl);
    context.keyedConsumer(ADDRESS, this::handle);
    FOLLOWED.forEach(topic -> context.follow(topic, ADDRESS));
    context.route(HttpMethod.GET, "/ivr/flows", "ivr:read", request -> Future.succeededFuture(ApiResponse.ok(
        new JsonObject().put("folder", library.folder().toString()).put("flows", library.describe()))));
    context.publicRoute(HttpMethod.GET, "/ivr/beeps/:file", request -> {
      String file = request.pathParam("file");
      if (file == null || !file.matches("[0-9]{1,5}\\.wav")) {
        return Future.failedFuture(new SwitchboardException(ErrorCode.NOT_FOUND, "No such beeps: " + file));
      }
      return Future.succeededFuture(ApiResponse.of(200, "audio/wav",
          ToneWav.beeps(Long.parseLong(file.substring(0, file.length() - 4)))));
    });
    context.setPeriodic(Math.max(100, interval), t -> reload());
    return reload().compose(v -> stored.pruneFlows().recover(e -> {
      context.logger().log(Level.WARNING, "Removing stored flow versions no call uses failed: {0}", e.getMessage());
      return Future.succeededFuture();
    }));
  }

  private Future<Void> reload() {
    return context.vertx().executeBlocking(library::scan, false).map(changes -> {
      for (Flow flow : changes.loaded()) {
        context.logger().log(Level.INFO, "Flow ''{0}'' loaded from {1} (version {2}{3})", flow.name(),
            library.folder().resolve(flow.file()), flow.version(), flow.isDefault() ? ", default" : "");
      }
      changes.removed().forEach(file -> context.logger().log(Level.INFO, "Flow file {0} was removed", file));
      changes.rejected().forEach((file, e) -> context.logger().log(Level.WARNING,
          "Flow file {0} was not loaded{1}:\n{2}", library.folder().resolve(file),
          library.flow(file) == null ? "" : " (the previous version keeps serving)", e.getMessage()));
      return (Void) null;
    }).recover(e -> {
      context.logger().log(Level.WARNING, "Reading flows from {0} failed: {1}", library.folder(), e.toString());
      return Future.succeededFuture();
    });
  }

  /** One event of a call, in order with the call's others; a call no run needs is released. */
  private Future<JsonObject> handle(KeyedMessage message) {
    if (!(message instanceof KeyedMessage.Event event)) {
      return Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "The ivr plugin takes only the "
          + "events it follows on " + ADDRESS + "; it has no commands."));
    }
    String callId = event.key();
    Future<CallRun> run = runs.containsKey(callId) ? Future.succeededFuture(runs.get(callId))
        : stored.load(callId, bus()).onSuccess(restored -> {
          if (restored != null) {
            runs.put(callId, restored);
          }
        });
    return run.compose(r -> {
      if (MediaEvent.TOPICS.contains(event.topic())) {
        onRun(callId, found -> found.onMedia(MediaEvent.fromJson(event.body())));
      } else {
        onCall(CallEvent.fromJson(event.body()));
      }
      return save(callId);
    }).map(v -> new JsonObject()).onComplete(done -> {
      if (!runs.containsKey(callId)) {
        context.releaseKey(ADDRESS, callId);
      }
    });
  }

  /** Stores the run of {@code callId}, or forgets it when the plugin no longer runs the call. */
  private Future<Void> save(String callId) {
    CallRun run = runs.get(callId);
    return run == null ? stored.remove(callId) : stored.save(run);
  }

  private void onCall(CallEvent event) {
    if (event instanceof CallEvent.Incoming incoming) {
      claim(incoming);
    } else if (event instanceof CallEvent.Established) {
      Identity caller = event.call().caller();
      onRun(event.callId(), run -> run.start(caller == null ? "unknown" : caller.id()));
    } else if (event instanceof CallEvent.TransferFailed failed) {
      onRun(event.callId(), run -> run.onTransferFailed(failed));
    } else if (event instanceof CallEvent.TransferAccepted) {
      onRun(event.callId(), CallRun::onTransferAccepted);
    } else if (event instanceof CallEvent.Terminated terminated) {
      CallRun run = runs.remove(event.callId());
      if (run != null) {
        run.onTerminated(terminated);
      }
    }
  }

  private void claim(CallEvent.Incoming event) {
    String callId = event.callId();
    Identity caller = event.call().caller();
    Flow flow = library.select(strings(event.call().targets()), caller == null ? List.of() : List.of(caller.id()));
    if (flow == null || runs.containsKey(callId)) {
      return; // Not ours: another bot may claim it.
    }
    Step first = flow.step(flow.start());
    if (first instanceof Step.Redirect redirect) {
      List<Target> targets = redirect.targets().stream().map(Target::fromJson).toList();
      context.eventBus().publish(IvrEvents.ADDRESS, new JsonObject().put("type", "redirecting").put("callId", callId)
          .put("flow", flow.name()).put("flowVersion", flow.version()).put("file", flow.file())
          .put("node", first.id()).put("targets", new JsonArray(targets.stream().map(Target::toJson).toList()))
          .put("at", java.time.Instant.now().toString()));
      calls.send(new CallCommand.Redirect(callId, targets, redirect.timeoutSeconds(), context.name()))
          .onFailure(e -> context.logger().log(Level.WARNING, "Call {0}: redirect failed: {1}", callId,
              e.getMessage()));
      return;
    }
    runs.put(callId, new CallRun(callId, flow, bus()));
    calls.send(CallCommand.Answer.of(callId, context.name(), true)).onFailure(e -> {
      runs.remove(callId);
      save(callId);
      context.releaseKey(ADDRESS, callId);
      context.logger().log(Level.INFO, "Call {0}: not answered: {1}", callId, e.getMessage());
    });
  }

  private void onRun(String callId, java.util.function.Consumer<CallRun> action) {
    CallRun run = runs.get(callId);
    if (run != null) {
      action.accept(run);
    }
  }

  private CallRun.Bus bus() {
    return new CallRun.Bus() {
      @Override
      public Future<?> media(MediaCommand.OnCall command) {
        return media.send(command);
      }

      @Override
      public Future<?> calls(CallCommand<?> command) {
        return calls.send(command);
      }

      @Override
      public void publish(JsonObject event) {
        if ("routed".equals(event.getString("type")) && !event.getBoolean("presenceAnswered", true)) {
          context.logger().log(Level.WARNING, "Call {0}: {1}", event.getString("callId"), event.getString("reason"));
        }
        context.eventBus().publish(IvrEvents.ADDRESS, event);
      }

      @Override
      public Future<CachedPresences> presence(List<String> userIds, long timeoutMs) {
        return PresenceClient.of(context).withTimeout(timeoutMs).cached(userIds);
      }

      @Override
      public void changed(CallRun run) {
        if (runs.get(run.callId()) == run) {
          save(run.callId()).onFailure(e -> context.logger().log(Level.WARNING, "Call {0}: its run could not be "
              + "stored ({1}); a restart or takeover now would not know where it is", run.callId(), e.getMessage()));
        }
      }
    };
  }

  /** Every string value inside {@code json}: the ids and numbers of an identity set, for matching. */
  private static List<String> strings(Object json) {
    List<String> out = new ArrayList<>();
    collect(json, out);
    return out;
  }

  private static void collect(Object json, List<String> out) {
    if (json instanceof JsonObject o) {
      o.forEach(e -> {
        if (!e.getKey().startsWith("@odata") && !e.getKey().equals("displayName")) {
          collect(e.getValue(), out);
        }
      });
    } else if (json instanceof JsonArray a) {
      a.forEach(v -> collect(v, out));
    } else if (json instanceof String s) {
      out.add(s);
    }
  }
}
