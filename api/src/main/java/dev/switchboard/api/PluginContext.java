package dev.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the platform gives a running {@link Plugin}: its identity, its configuration, and the means to
 * obtain resources that the platform tracks and releases when the plugin stops.
 *
 * <h2>Tracking</h2>
 * Every consumer, route and timer obtained through this context is recorded against the plugin
 * instance and released when it stops, even if the plugin forgets to. Resources a plugin creates
 * directly through {@link #vertx()} while running on its own context (consumers, timers, clients) are
 * also released, because each plugin instance runs as its own Vert.x deployment; prefer the methods
 * here, which also put the plugin's name in the logging context of every handler.
 *
 * <h2>Threading</h2>
 * All handlers registered here run on the plugin's own event-loop context, one at a time, and must not
 * block. Methods of this interface may be called from any thread.
 *
 * <h2>After stop</h2>
 * Once the plugin has stopped, the methods that obtain resources throw {@link IllegalStateException}.
 */
public interface PluginContext {

  /** The plugin's name: stable across versions, the key of its configuration section. */
  String name();

  /** The version of the bundle that provides this plugin instance, in OSGi syntax (e.g. {@code 1.2.0}). */
  String version();

  /**
   * The plugin's configuration section, {@code plugins.<name>} of {@code switchboard.yaml} with
   * environment overrides applied. Empty when the section is absent. A copy: changing it has no effect.
   */
  JsonObject config();

  /** The server's Vert.x instance. */
  Vertx vertx();

  /**
   * The event bus, for sending and publishing. Consumers should be registered with
   * {@link #consumer(String, Handler)} so that they are tracked and logged under the plugin's name.
   */
  EventBus eventBus();

  /**
   * Registers a tracked consumer on {@code address}, cluster-wide when the server is clustered.
   * The handler runs on the plugin's context. The consumer is unregistered when the plugin stops.
   *
   * @throws IllegalStateException if the plugin has stopped
   */
  <T> MessageConsumer<T> consumer(String address, Handler<Message<T>> handler);

  /**
   * Registers a tracked consumer that receives only messages sent from this node.
   *
   * @see #consumer(String, Handler)
   */
  <T> MessageConsumer<T> localConsumer(String address, Handler<Message<T>> handler);

  /**
   * Serves requests on {@code address} with a tracked {@linkplain #consumer consumer}: each request's body (a JSON
   * object) goes to {@code handler}, and the value of the future it returns is the reply. A failure of that future, an
   * exception thrown by {@code handler}, or a body that is not a JSON object answers the requester with the
   * platform's error ({@link SwitchboardException#toReplyException()}: its status and JSON), which the requester reads
   * back with {@link SwitchboardException#from}. Requests are handled on the plugin's context, each as it arrives
   * (the handler decides whether to wait for one before the next).
   *
   * @since 2.2.0
   * @throws IllegalStateException if the plugin has stopped
   */
  default MessageConsumer<Object> serve(String address, Function<JsonObject, Future<JsonObject>> handler) {
    Objects.requireNonNull(handler, "handler");
    return this.<Object>consumer(address, message -> {
      Future<JsonObject> reply;
      try {
        reply = message.body() instanceof JsonObject body ? handler.apply(body)
            : Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "A request to " + address
                + " must be a JSON object, such as {\"command\": \"...\", ...}"));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      (reply == null ? Future.<JsonObject>failedFuture(new IllegalStateException("handler returned null")) : reply)
          .onComplete(ar -> {
            if (ar.succeeded()) {
              message.reply(ar.result() == null ? new JsonObject() : ar.result());
            } else {
              message.reply(SwitchboardException.from(ar.cause()).toReplyException());
            }
          });
    });
  }

  /**
   * Consumes {@code address} by key. Each key has exactly one live owner, which gets the key's messages in
   * order, one at a time (see {@link KeyedHandler}). A key seen for the first time goes to the newest active
   * version of this plugin. While an update moves keys between versions, messages wait and reach the new
   * owner: none lost, none duplicated, order kept. One plugin name per keyed address.
   *
   * <p>The owner keeps a key until it {@linkplain #releaseKey releases} it (e.g. the call ended), until the
   * plugin stops, or until an update in {@code takeover} mode hands it to a newer version.
   *
   * @return a registration that stops consuming when closed (keys owned are handed on)
   * @throws SwitchboardException with {@link ErrorCode#CONFLICT} if a plugin of another name consumes the address
   * @throws IllegalStateException if the plugin has stopped
   */
  Registration keyedConsumer(String address, KeyedHandler handler);

  /**
   * Sends {@code body} to the owner of {@code key} on {@code address}, whoever that is. The owner receives it as a
   * {@link KeyedMessage.Command} that names this plugin as its sender.
   *
   * @return the owner's reply once it has handled the message; a failure if it failed, or if no plugin
   *     consumed the address within the platform's wait limit
   */
  Future<JsonObject> sendToKey(String address, String key, JsonObject body);

  /**
   * Gives up ownership of {@code key} on {@code address} once the message being handled (if any) is done, and
   * cancels the key's timers. A later message for the key goes to the newest version as a new key. Releasing a key
   * this plugin does not own does nothing.
   */
  void releaseKey(String address, String key);

  /**
   * Sets the timer {@code name} of {@code key} on the keyed address {@code address}: after {@code delay}, the key's
   * owner receives a {@link KeyedMessage.Timer} carrying {@code payload}, in order with the key's other messages.
   * The timer belongs to the key, not to this plugin instance: if an update moves the key to another version
   * meanwhile, that version receives it; it fires once. Setting a timer of the same name again replaces it (so
   * re-arming is idempotent). Releasing the key cancels its timers. The timer is written down with the key: after a
   * restart of the server it fires on whichever version then consumes {@code address} (at once if it fell due
   * meanwhile); a crash just after its handling may make it fire once more, so handle timers idempotently.
   *
   * @throws IllegalArgumentException if {@code delay} is negative
   * @throws IllegalStateException if the plugin has stopped
   */
  void keyTimer(String address, String key, String name, Duration delay, JsonObject payload);

  /** Cancels the timer {@code name} of {@code key} on {@code address}; nothing happens if there is none. */
  void cancelKeyTimer(String address, String key, String name);

  /**
   * Follows {@code topic}: every event a plugin {@linkplain #publishKeyed publishes} on it for a key is delivered
   * to the owner of the same key on {@code address} (a keyed address this plugin consumes with
   * {@link #keyedConsumer}) as a {@link KeyedMessage.Event}. Each event reaches this plugin once, whatever the
   * number of its running versions and of the publisher's, and the events of one key arrive in the order they were
   * published, interleaved in order with the key's commands and timers. An event for a key this plugin does not
   * own yet makes it a new key (it goes to the newest version); release keys you do not care about.
   *
   * <p>Following belongs to the plugin's name: while one version of this plugin still follows the topic, events
   * keep arriving (they wait for an owner during an update, like any keyed message).
   *
   * @return a registration that stops following when closed (and when the plugin stops)
   * @throws IllegalStateException if the plugin has stopped
   */
  Registration follow(String topic, String address);

  /**
   * Publishes {@code event} on {@code topic} for {@code key}: it is delivered once to each plugin that
   * {@linkplain #follow follows} the topic, and also published on the event bus at {@code topic} (with the key in
   * the {@link KeyedMessage#KEY_HEADER} header) for plain {@linkplain #consumer consumers}, which get it once per
   * running consumer. Events published from one context for one key are delivered in the order published.
   */
  void publishKeyed(String topic, String key, JsonObject event);

  /** This plugin's state store, shared by all its versions. */
  StateStore state();

  /**
   * Declares a Graph change-notification subscription this plugin needs and where its notifications go. The
   * platform creates it (or reuses the one it made before, also across restarts), renews it, reacts to its
   * lifecycle events and delivers its notifications to {@code handler}. When the plugin stops the handler is
   * detached but the subscription stays (a new version attaches again); it is deleted when the plugin's bundle
   * is uninstalled and no other bundle provides a plugin of the same name.
   *
   * @return a registration that detaches the handler when closed
   * @throws IllegalStateException if the plugin has stopped
   */
  Registration subscribe(SubscriptionRequest request, ChangeHandler handler);

  /**
   * Deletes a subscription this plugin asked for with {@link #subscribe} and no longer needs (e.g. the set of users
   * it watches changed, so the old filter is obsolete): the platform detaches every handler of it, stops renewing it
   * and deletes it in Graph. Notifications of it that were waiting are dropped. Deleting a subscription that does
   * not exist succeeds.
   *
   * <p>The default implementation exists for implementations written before this method; it fails.
   *
   * @return completed once the subscription is deleted in Graph (or Graph could not be reached; it then expires)
   * @since 2.2.0
   */
  default Future<Void> unsubscribe(SubscriptionRequest request) {
    return Future.failedFuture(new UnsupportedOperationException("this PluginContext cannot delete subscriptions"));
  }

  /** Graph, as the configured bot application in the configured tenant ({@code graph.tenantId}). */
  GraphClient graph();

  /** Graph, as the configured bot application in another tenant (one token cache per tenant). */
  GraphClient graph(String tenantId);

  /**
   * Serves {@code method path} under the public REST prefix {@code /api/v1}, for callers holding the default scope
   * ({@code <plugin name>:read} for {@code GET}/{@code HEAD}, {@code <plugin name>:write} otherwise; see
   * {@link #route(HttpMethod, String, String, ApiHandler)}). {@code path} starts with
   * {@code /} and may hold named segments ({@code /calls/:id}). The route is removed when the plugin
   * stops. Requests are handled on the plugin's context; the body is read (up to the platform's limit)
   * before the handler is called.
   *
   * <p>While two versions of the same plugin run side by side, the newest serves a route they share.
   * A route already served by a plugin of another name is a conflict.
   *
   * @return a registration that removes the route early when closed
   * @throws SwitchboardException with {@link ErrorCode#CONFLICT} if another plugin serves the route
   * @throws IllegalArgumentException if {@code path} is malformed
   * @throws IllegalStateException if the plugin has stopped
   */
  Registration route(HttpMethod method, String path, ApiHandler handler);

  /**
   * Serves {@code method path} under {@code /api/v1}, like {@link #route(HttpMethod, String, ApiHandler)}, for
   * callers that hold {@code scope}. Every REST request carries a credential (an API key or an OpenID Connect
   * token; see {@link ApiRequest#caller()}); the platform answers 401 to a request without a valid one and 403 to a
   * caller without {@code scope} ({@link Caller#allows}), before the handler is called, so the handler never sees
   * either. Scopes are written {@code <area>:<verb>}, e.g. {@code calls:write}, {@code records:read}.
   *
   * <p>The three-argument {@link #route(HttpMethod, String, ApiHandler)} registers with the default scope
   * {@code <plugin name>:read} for {@code GET} and {@code HEAD} and {@code <plugin name>:write} for every other
   * method.
   *
   * <p>The default implementation exists so that this package stays compatible for implementations written before
   * scopes; it accepts only the default scope. The platform's own context implements it fully.
   *
   * @param scope the scope a caller needs: not blank, without spaces
   * @return a registration that removes the route early when closed
   * @throws SwitchboardException with {@link ErrorCode#CONFLICT} if another plugin serves the route
   * @throws IllegalArgumentException if {@code path} is malformed or {@code scope} is blank or holds a space
   * @throws IllegalStateException if the plugin has stopped
   */
  default Registration route(HttpMethod method, String path, String scope, ApiHandler handler) {
    String derived = name() + (method == HttpMethod.GET || method == HttpMethod.HEAD ? ":read" : ":write");
    if (!derived.equals(scope)) {
      throw new UnsupportedOperationException("this PluginContext serves routes with their default scope only");
    }
    return route(method, path, handler);
  }

  /**
   * Serves {@code method path} on the public port <em>outside</em> {@code /api/v1}, for content that Graph or a
   * browser fetches at a fixed URL (e.g. {@code /media/prompts/:file}). Same rules as
   * {@link #route(HttpMethod, String, ApiHandler)}, except that no credential is asked for: anyone who reaches the
   * public port can call it, so serve nothing secret and change nothing here. Paths under {@code /api}, {@code /callbacks},
   * {@code /health}, {@code /metrics} and {@code /admin} belong to the platform and are refused.
   *
   * @throws IllegalArgumentException if {@code path} is malformed or reserved
   */
  Registration publicRoute(HttpMethod method, String path, ApiHandler handler);

  /**
   * The base URL at which Graph and callers reach this server's public port, without a trailing slash:
   * {@code http.publicUrl} when configured, else {@code http://<host>:<port>} of the public port (the actual port
   * when {@code http.port} is 0). Use it for callback URIs ({@code <publicUrl>/callbacks/calling}) and for files
   * served with {@link #publicRoute}.
   */
  String publicUrl();

  /**
   * The certificates the platform trusts toward Graph: the JVM's authorities plus {@code graph.tlsCertificatePem}
   * (the emulator's self-signed certificate). For a plugin's own HTTP clients that fetch from Graph's hosts, e.g.
   * recordings at their {@code recordingLocation}: {@code new HttpClientOptions().setTrustOptions(trustOptions())}.
   */
  io.vertx.core.net.TrustOptions trustOptions();

  /**
   * The server's data folder ({@code data.dir}), where a plugin may keep files. Plugins use a subfolder of their
   * own (e.g. {@code recordings/}, {@code prompts/}); the folder survives restarts and updates.
   */
  java.nio.file.Path dataDir();

  /**
   * Calls {@code handler} once after {@code delayMillis}, on the plugin's context; cancelled when the
   * plugin stops.
   *
   * @return the timer id, for {@link #cancelTimer(long)}
   */
  long setTimer(long delayMillis, Handler<Long> handler);

  /**
   * Calls {@code handler} every {@code delayMillis}, on the plugin's context; cancelled when the plugin
   * stops.
   *
   * @return the timer id, for {@link #cancelTimer(long)}
   */
  long setPeriodic(long delayMillis, Handler<Long> handler);

  /** Cancels a timer obtained here; returns whether it was still pending. */
  boolean cancelTimer(long timerId);

  /**
   * The plugin's logger. Its records carry the plugin's name and version; it writes to the server's
   * log with the rest of the platform.
   */
  System.Logger logger();

  /**
   * The plugin's meters, on the server's {@code GET /metrics} as {@code switchboard_<name>} with the tag
   * {@code plugin=<this plugin's name>}; released when the plugin stops. See {@link Meters}.
   *
   * <p>The default implementation exists for implementations written before this method; its meters count nothing
   * and are not exposed. The platform's own context implements it.
   *
   * @since 2.3.0
   */
  default Meters meters() {
    return NoMeters.INSTANCE;
  }
}
