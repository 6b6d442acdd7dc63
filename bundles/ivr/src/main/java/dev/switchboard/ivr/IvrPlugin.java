package dev.switchboard.ivr;

import dev.switchboard.api.ApiResponse;
import dev.switchboard.api.CallCommands;
import dev.switchboard.api.CallEvents;
import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.MediaCommands;
import dev.switchboard.api.MediaEvents;
import dev.switchboard.api.Plugin;
import dev.switchboard.api.PluginContext;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ivr plugin: claims the bot's incoming calls that a flow takes and runs each through its flow.
 *
 * <p>Configuration ({@code plugins.ivr.*}, see {@code docs/ivr.md}): {@code flowsDir} (default {@code conf/flows}
 * of the installation, i.e. beside the data folder; a relative path is resolved against the installation folder),
 * {@code reloadIntervalMs} (default 1000), {@code publicUrl} (the server's public base URL, where Graph downloads the
 * beeps that stand in for text prompts when espeak-ng is missing; default {@code http://127.0.0.1:8080}).
 */
public final class IvrPlugin implements Plugin {


  private final Map<String, CallRun> runs = new HashMap<>();
  private PluginContext context;
  private FlowLibrary library;
  private String publicUrl;

  @Override
  public Future<Void> start(PluginContext context) {
    this.context = context;
    JsonObject config = context.config();
    Path home = context.dataDir().toAbsolutePath().getParent();
    Path flows = config.getString("flowsDir") == null ? home.resolve("conf").resolve("flows")
        : home.resolve(config.getString("flowsDir"));
    publicUrl = config.getString("publicUrl", context.publicUrl()).replaceAll("/+$", "");
    long interval = Long.parseLong(String.valueOf(config.getValue("reloadIntervalMs", 1000)));
    library = new FlowLibrary(flows.normalize());
    context.<JsonObject>consumer(CallEvents.INCOMING, m -> claim(m.body()));
    context.<JsonObject>consumer(CallEvents.ESTABLISHED, m -> onRun(m.body(), run -> run.start(caller(m.body()))));
    context.<JsonObject>consumer(CallEvents.TRANSFER_FAILED, m -> onRun(m.body(), run -> run.onTransferFailed(m.body())));
    context.<JsonObject>consumer(CallEvents.TRANSFER_ACCEPTED, m -> onRun(m.body(), CallRun::onTransferAccepted));
    context.<JsonObject>consumer(CallEvents.TERMINATED, m -> {
      CallRun run = runs.remove(m.body().getString("callId"));
      if (run != null) {
        run.onTerminated(m.body());
      }
    });
    for (String address : MediaEvents.ALL) {
      context.<JsonObject>consumer(address, m -> onRun(m.body(), run -> run.onMedia(address, m.body())));
    }
    context.route(HttpMethod.GET, "/ivr/flows", request -> Future.succeededFuture(ApiResponse.ok(
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
    return reload();
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

  private void claim(JsonObject event) {
    String callId = event.getString("callId");
    JsonObject call = event.getJsonObject("call", new JsonObject());
    Flow flow = library.select(strings(call.getValue("targets")), strings(call.getValue("source")));
    if (flow == null || callId == null || runs.containsKey(callId)) {
      return; // Not ours: another bot may claim it.
    }
    Step first = flow.step(flow.start());
    if (first instanceof Step.Redirect redirect) {
      JsonObject command = new JsonObject().put(CallCommands.COMMAND, CallCommands.REDIRECT)
          .put(CallCommands.CALL_ID, callId).put("by", context.name()).put("targets", new JsonArray(
              new ArrayList<>(redirect.targets())));
      if (redirect.timeoutSeconds() != null) {
        command.put("timeout", redirect.timeoutSeconds());
      }
      context.eventBus().publish(IvrEvents.ADDRESS, new JsonObject().put("type", "redirecting").put("callId", callId)
          .put("flow", flow.name()).put("flowVersion", flow.version()).put("file", flow.file())
          .put("node", first.id()).put("targets", command.getJsonArray("targets"))
          .put("at", java.time.Instant.now().toString()));
      calls(command).onFailure(e -> context.logger().log(Level.WARNING, "Call {0}: redirect failed: {1}", callId,
          SwitchboardException.from(e).getMessage()));
      return;
    }
    runs.put(callId, new CallRun(callId, flow, bus()));
    calls(new JsonObject().put(CallCommands.COMMAND, CallCommands.ANSWER).put(CallCommands.CALL_ID, callId)
        .put("by", context.name()).put("subscribeToTones", true)).onFailure(e -> {
          runs.remove(callId);
          context.logger().log(Level.INFO, "Call {0}: not answered: {1}", callId,
              SwitchboardException.from(e).getMessage());
        });
  }

  private void onRun(JsonObject event, java.util.function.Consumer<CallRun> action) {
    CallRun run = runs.get(event.getString("callId"));
    if (run != null) {
      action.accept(run);
    }
  }

  private CallRun.Bus bus() {
    return new CallRun.Bus() {
      @Override
      public Future<JsonObject> media(JsonObject command) {
        return IvrPlugin.this.media(command);
      }

      @Override
      public Future<JsonObject> calls(JsonObject command) {
        return IvrPlugin.this.calls(command);
      }

      @Override
      public void publish(JsonObject event) {
        context.eventBus().publish(IvrEvents.ADDRESS, event);
      }
    };
  }

  private Future<JsonObject> calls(JsonObject command) {
    return context.eventBus().<JsonObject>request(CallCommands.ADDRESS, command).map(m -> m.body());
  }

  /**
   * Sends a media command; when the server cannot synthesise speech, sends it again with beeps of about the same
   * length in place of each text prompt, so that the flow goes on.
   */
  private Future<JsonObject> media(JsonObject command) {
    return context.eventBus().<JsonObject>request(MediaCommands.ADDRESS, command).map(m -> m.body()).recover(e -> {
      SwitchboardException failure = SwitchboardException.from(e);
      if (!"speechUnavailable".equals(failure.errorId())) {
        return Future.failedFuture(failure);
      }
      JsonObject beeps = command.copy();
      if (beeps.getValue("prompts") instanceof JsonArray prompts) {
        beeps.put("prompts", new JsonArray(prompts.stream().map(this::beepsFor).toList()));
      }
      if (beeps.getValue("prompt") != null) {
        beeps.put("prompt", beepsFor(beeps.getValue("prompt")));
      }
      return context.eventBus().<JsonObject>request(MediaCommands.ADDRESS, beeps).map(m -> m.body());
    });
  }

  private Object beepsFor(Object prompt) {
    if (prompt instanceof JsonObject o && o.getString("text") != null) {
      long ms = ToneWav.lengthFor(o.getString("text"));
      return new JsonObject().put("uri", publicUrl + "/ivr/beeps/" + URLEncoder.encode(ms + ".wav",
          StandardCharsets.UTF_8)).put("resourceId", "ivr-beeps-" + ms);
    }
    return prompt;
  }

  private static String caller(JsonObject event) {
    List<String> ids = strings(event.getJsonObject("call", new JsonObject()).getValue("source"));
    return ids.isEmpty() ? "unknown" : ids.get(0);
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
