package dev.switchboard.emulator;

import dev.switchboard.emulator.calls.CallsModule;
import dev.switchboard.emulator.control.ControlApi;
import dev.switchboard.emulator.faults.Faults;
import dev.switchboard.emulator.http.GraphErrors;
import dev.switchboard.emulator.http.GraphException;
import dev.switchboard.emulator.http.OutboundClients;
import dev.switchboard.emulator.http.RequestJournal;
import dev.switchboard.emulator.identity.Certificates;
import dev.switchboard.emulator.identity.IdentityService;
import dev.switchboard.emulator.media.PromptLoader;
import dev.switchboard.emulator.meetings.MeetingsModule;
import dev.switchboard.emulator.media.RecordingStore;
import dev.switchboard.emulator.notify.NotificationSender;
import dev.switchboard.emulator.permissions.GrantedRoles;
import dev.switchboard.emulator.permissions.GraphPermission;
import dev.switchboard.emulator.permissions.PermissionPolicy;
import dev.switchboard.emulator.presence.PresenceApi;
import dev.switchboard.emulator.presence.PresenceBook;
import dev.switchboard.emulator.records.CallRecordsModule;
import dev.switchboard.emulator.subscriptions.SubscriptionsModule;
import dev.switchboard.emulator.world.BotApplication;
import dev.switchboard.emulator.world.Directory;
import dev.switchboard.emulator.world.EmulatedClock;
import dev.switchboard.emulator.world.EmulatedTimers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator as one verticle: every request, timer and notification runs on its single
 * event-loop context, so the simulation's state needs no locking.
 */
final class EmulatorServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EmulatorServer.class);
  private static final int BODY_LIMIT = 4 * 1024 * 1024;
  /** Anything but the control API: journaled and subject to request faults. */
  private static final String NOT_CONTROL = "^/(?!emulator(/|$)).*";

  private final EmulatorOptions options;
  private volatile String botCallback;
  private volatile JsonObject graphConfig;
  private volatile int port;
  private volatile String baseUrl;
  private volatile EmulatedClock clock;
  private HttpServer server;
  private OutboundClients clients;
  private volatile SubscriptionsModule subscriptions;
  private volatile IdentityService identity;
  private Runnable resetAll = () -> { };

  private record Tls(String certificatePem, String keyPem) {
  }

  EmulatorServer(EmulatorOptions options) {
    this.options = new EmulatorOptions(options);
    this.botCallback = options.getBotCallback();
  }

  @Override
  public Future<?> start() {
    String publicHost = publicHost(options.getHost());
    // The three RSA keys (TLS, access tokens, notifications) are generated at once, on three workers.
    Future<IdentityService.SigningKeys> signingKeys = IdentityService.generateKeys(vertx);
    Future<Tls> tls = options.isTls()
        ? vertx.executeBlocking(() -> certificate(publicHost), false)
        : Future.succeededFuture(null);
    Router router = Router.router(vertx);
    return tls.compose(material -> {
      HttpServerOptions http = new HttpServerOptions().setCompressionSupported(false);
      if (material != null) {
        http.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
            .setCertValue(Buffer.buffer(material.certificatePem()))
            .setKeyValue(Buffer.buffer(material.keyPem())));
      }
      server = vertx.createHttpServer(http).requestHandler(router);
      return server.listen(options.getPort(), options.getHost()).map(s -> {
        port = s.actualPort();
        baseUrl = (material != null ? "https://" : "http://") + hostForUrl(publicHost) + ":" + port;
        return material;
      });
    }).compose(material -> {
      BotApplication app = new BotApplication(options.getTenant(), options.getClientId(), options.getClientSecret(),
          EmulatorOptions.DEFAULT_BOT_NAME, EmulatorOptions.DEFAULT_APPLICATION_INSTANCE_ID, EmulatorOptions.DEFAULT_BOT_PHONE);
      GrantedRoles roles = new GrantedRoles(GraphPermission.named(options.getRoles()));
      return IdentityService.create(vertx, app, roles, baseUrl, options.getTokenLifetimeSeconds(), signingKeys)
          .map(identity -> {
            wire(router, app, roles, identity, material);
            LOG.info("Graph emulator listening on {} (tenant {}, clock speed {})", baseUrl, app.tenantId(),
                options.getClockSpeed());
            return null;
          });
    });
  }

  @Override
  public Future<?> stop() {
    resetAll.run();
    if (clients != null) {
      clients.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  int port() {
    return port;
  }

  String baseUrl() {
    return baseUrl;
  }

  JsonObject graphConfig() {
    return graphConfig.copy();
  }

  String notificationToken() {
    return identity.notificationToken();
  }

  EmulatedClock clock() {
    return clock;
  }

  /** The subscriptions as {@code GET /emulator/subscriptions} lists them, read on the emulator's context. */
  Future<JsonArray> subscriptions() {
    Promise<JsonArray> p = Promise.promise();
    context.runOnContext(v -> p.complete(subscriptions.list()));
    return p.future();
  }

  void setBotCallback(String url) {
    if (url != null && OutboundClients.checkUrl(url) != null) {
      throw new IllegalArgumentException("bot callback: " + OutboundClients.checkUrl(url));
    }
    this.botCallback = url;
  }

  private void wire(Router router, BotApplication app, GrantedRoles roles, IdentityService identity, Tls tls) {
    this.identity = identity;
    graphConfig = new JsonObject()
        .put("baseUrl", baseUrl + "/v1.0")
        .put("authority", identity.authority())
        .put("tenantId", app.tenantId())
        .put("clientId", app.clientId())
        .put("clientSecret", app.clientSecret())
        .put("openIdConfigUrl", identity.notificationOpenIdConfigUrl())
        .put("validationTokenOpenIdConfigUrl", identity.validationTokenOpenIdConfigUrl())
        .put("callbackIssuers", new JsonArray().add(IdentityService.CALLBACK_ISSUER))
        .put("tlsCertificatePem", tls == null ? null : tls.certificatePem());

    clients = new OutboundClients(vertx);
    EmulatedClock clock = new EmulatedClock(options.getClockSpeed());
    this.clock = clock;
    EmulatedTimers timers = new EmulatedTimers(vertx, clock);
    Directory directory = new Directory();
    Faults faults = new Faults();
    RequestJournal journal = new RequestJournal(options.getLogCapacity());
    NotificationSender sender = new NotificationSender(vertx, clients, identity::notificationToken, faults,
        options.getLogCapacity());
    PromptLoader prompts = new PromptLoader(clients);
    RecordingStore recordings = new RecordingStore(baseUrl);
    CallsModule calls = new CallsModule(vertx, timers, app, directory, sender, prompts, recordings, baseUrl,
        () -> botCallback);
    PresenceBook presence = new PresenceBook(timers, directory);
    PresenceApi presenceApi = new PresenceApi(presence, directory, app.clientId(), baseUrl);
    SubscriptionsModule subs = new SubscriptionsModule(vertx, timers, app, identity.servicePrincipalId(), clients, faults,
        baseUrl, identity::validationToken, presenceApi::resource);
    subscriptions = subs;
    MeetingsModule meetings = new MeetingsModule(directory, clock, app.tenantId(), calls);
    CallRecordsModule records = new CallRecordsModule(timers, app, directory, calls,
        options.getCallRecordDelay(), baseUrl, subs::callRecordChanged);
    calls.onCallFinished(records::callEnded);
    directory.onPresenceChange(user -> subs.presenceChanged(user.id()));
    resetAll = () -> {
      subs.reset();
      presence.reset();
      records.reset();
      calls.reset();
      meetings.reset();
      directory.reset();
      faults.clear();
      journal.clear();
      sender.reset();
      prompts.clear();
      recordings.clear();
      roles.reset();
    };

    router.route().handler(GraphErrors.requestIds());
    router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.route().failureHandler(GraphErrors.failureHandler());
    router.routeWithRegex(NOT_CONTROL).handler(journal.recorder());
    router.routeWithRegex(NOT_CONTROL).handler(faults.requestInterceptor(vertx));
    identity.mount(router);
    recordings.mount(router);
    router.route("/v1.0/*").handler(identity.bearerAuth());
    router.route("/v1.0/*").handler(new PermissionPolicy(subs::resourceOf).enforcer(IdentityService::tokenRoles));
    calls.mount(router);
    subs.mount(router);
    meetings.mount(router);
    presenceApi.mount(router);
    records.mount(router);
    router.route("/v1.0/*").handler(ctx -> {
      String rest = ctx.request().path().substring("/v1.0".length());
      String segment = rest.replaceFirst("^/", "").split("/")[0];
      throw GraphException.badRequest("Resource not found for the segment '" + segment + "'. The emulator serves "
          + ctx.request().method() + " " + ctx.request().path() + " only if Graph's communications API has it"
          + " (see graph-reference §1-3, §7, §8).");
    });
    meetings.mountControl(router);
    records.mountControl(router);
    new ControlApi(calls, subs, directory, timers, faults, journal, sender, identity, roles, this::graphConfig, resetAll)
        .mount(router);
    router.route().handler(ctx -> {
      throw GraphException.notFound("Nothing is served at " + ctx.request().path()
          + ". Graph paths start with /v1.0/, the control API with /emulator/.");
    });
  }

  private static Tls certificate(String host) {
    KeyPair keys = Certificates.newRsaKeyPair();
    Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "localhost", "::1"));
    names.add(host);
    return new Tls(Certificates.pem(Certificates.selfSigned(keys, "Switchboard Graph emulator", List.copyOf(names),
        Duration.ofDays(365))), Certificates.pem(keys.getPrivate()));
  }

  private static String publicHost(String bindHost) {
    return bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1" : bindHost;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
