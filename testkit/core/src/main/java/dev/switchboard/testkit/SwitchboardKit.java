package dev.switchboard.testkit;

import dev.switchboard.api.calls.CallCommand;
import dev.switchboard.api.calls.CallEvent;
import dev.switchboard.api.calls.CallsClient;
import dev.switchboard.api.records.RecordStored;
import dev.switchboard.emulator.EmulatorClient;
import dev.switchboard.emulator.GraphEmulator;
import dev.switchboard.platform.SwitchboardServer;
import dev.switchboard.platform.framework.FelixHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that runs the Graph emulator and a Switchboard server in the test's JVM, on free loopback
 * ports, with first-party bundles and the bundle under test, on an accelerated clock; and the test's typed handle on
 * the other side of the call ({@link #dial}, {@link #meeting}, {@link #user}, {@link #graph}, {@link #awaitEvent}).
 *
 * <p>Use it through {@link SwitchboardTest @SwitchboardTest}, or register one configured in code:
 * <pre>{@code
 * @RegisterExtension
 * static final SwitchboardKit kit = SwitchboardKit.withBundles("calling", "media").sharedServer()
 *     .setting("SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR", flows.toString());
 * }</pre>
 *
 * <p><b>Lifecycle.</b> By default each test gets its own server, started before it and stopped after it. With
 * {@link #sharedServer()} (a {@code static} field, or {@code sharedServer = true}) one server serves the class. One
 * emulator per clock speed serves the whole test run (making its keys takes a second); before each test it is reset
 * ({@code POST /emulator/reset}: calls end silently, users, faults, meetings and records are forgotten) and the
 * recorded events are cleared, so every test starts from the emulator's initial state. The server's home is a
 * temporary folder, deleted after.
 *
 * <p><b>Bundles.</b> First-party bundles by name (calling, media, presence, records, meetings, ivr) come from the
 * {@code switchboard-testkit} artifact, or from the folder named by {@code -Dswitchboard.testkit.bundles.dir}. The
 * bundle under test is {@code -Dswitchboard.testkit.bundle} (a jar or classes folder), else the module's
 * {@code target/classes} when bnd wrote an OSGi manifest there. All are in the deploy folder before the server starts.
 *
 * <p><b>Waiting.</b> Every {@code await} waits at most {@link #timeout(Duration)} (10 s by default) and fails with an
 * {@link AssertionError} that holds the transcript of the call concerned. Nothing here asserts a duration.
 *
 * <p>Methods are called from the test's thread. Tests must not run in parallel (JUnit's parallel execution) in one
 * JVM: the run's emulator is reset before each test.
 */
public final class SwitchboardKit implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, ParameterResolver {

  /** The clock speed unless told otherwise: 10 emulated seconds per real second. */
  public static final double DEFAULT_CLOCK_SPEED = 10;
  /** How long an await waits unless told otherwise. */
  public static final long DEFAULT_TIMEOUT_SECONDS = 10;

  private final KitOptions options = new KitOptions();
  private final boolean declarative;
  private final List<Caller> callers = new ArrayList<>();
  private Path home;
  private KitRuntime runtime;
  private CallTranscript transcripts;
  private boolean startedForClass;

  /** For {@code @ExtendWith} (what {@link SwitchboardTest} does): configured by the test class's annotation. */
  public SwitchboardKit() {
    this.declarative = true;
  }

  private SwitchboardKit(List<String> bundles) {
    this.declarative = false;
    options.bundles.addAll(bundles);
  }

  /** A kit with these first-party bundles (and the bundle under test), to register with {@code @RegisterExtension}. */
  public static SwitchboardKit withBundles(String... names) {
    return new SwitchboardKit(List.of(names));
  }

  /** How many emulated seconds pass per real second (default {@value #DEFAULT_CLOCK_SPEED}). */
  public SwitchboardKit clockSpeed(double speed) {
    if (!(speed > 0)) {
      throw new IllegalArgumentException("clock speed must be > 0, got " + speed);
    }
    options.clockSpeed = speed;
    return this;
  }

  /** One server for the whole class (register the kit in a {@code static} field); the emulator is reset per test. */
  public SwitchboardKit sharedServer() {
    options.sharedServer = true;
    return this;
  }

  /** A server setting as its environment variable, e.g. {@code SWITCHBOARD_PLUGINS_IVR_FLOWS_DIR} (configuration.md). */
  public SwitchboardKit setting(String variable, String value) {
    if (!variable.startsWith("SWITCHBOARD_")) {
      throw new IllegalArgumentException("settings are SWITCHBOARD_* variables (docs/configuration.md), got "
          + variable);
    }
    options.settings.put(variable, Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * A file the server finds in its home when it starts, e.g. {@code conf/flows/main.yaml} (the ivr bundle's default
   * flows folder); {@link #home()} is where, to change it during a test.
   */
  public SwitchboardKit withFile(String pathInHome, String content) {
    Path relative = Path.of(pathInHome);
    if (relative.isAbsolute() || relative.normalize().startsWith("..")) {
      throw new IllegalArgumentException("a file of the server's home is a relative path inside it, got " + pathInHome);
    }
    options.files.put(pathInHome, Objects.requireNonNull(content, "content"));
    return this;
  }

  /** How long each await waits (default {@value #DEFAULT_TIMEOUT_SECONDS} s). */
  public SwitchboardKit timeout(Duration timeout) {
    options.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** The bundle under test: a jar, or a classes folder with an OSGi manifest. */
  public SwitchboardKit bundleUnderTest(Path jarOrClasses) {
    options.bundleUnderTest = Objects.requireNonNull(jarOrClasses, "jarOrClasses");
    return this;
  }

  /** Runs first-party bundles only (a test of the platform's own bundles). */
  public SwitchboardKit withoutBundleUnderTest() {
    options.installBundleUnderTest = false;
    return this;
  }

  /** Also records the events on these bus addresses (a bundle's own), for {@link #awaitMessage} and transcripts. */
  public SwitchboardKit recordEvents(String... addresses) {
    options.recordedAddresses.addAll(List.of(addresses));
    return this;
  }

  // ---- JUnit lifecycle ----

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (declarative) {
      AnnotationSupport.findAnnotation(context.getRequiredTestClass(), SwitchboardTest.class)
          .ifPresent(options::apply);
    }
    if (options.sharedServer) {
      start(context);
      startedForClass = true;
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    callers.clear();
    if (runtime == null) {
      start(context);
    } else {
      runtime.reset();
    }
    transcripts = new CallTranscript(runtime, Instant.now());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (!startedForClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SwitchboardKit.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return this;
  }

  private void start(ExtensionContext context) throws Exception {
    // The class-path scan for the OSGi system packages runs meanwhile (the first server of a run waits for it).
    FelixHost.prefetchSystemPackages();
    SharedEmulator emulator = SharedEmulator.of(context, options.clockSpeed);
    home = Files.createTempDirectory("switchboard-testkit");
    Path jars = Files.createDirectories(home.resolve("jars"));
    List<Path> deploy = new ArrayList<>();
    for (String name : options.bundles) {
      deploy.add(BundleJars.firstParty(name, jars));
    }
    if (options.installBundleUnderTest) {
      Path underTest = BundleJars.underTest(options.bundleUnderTest, jars);
      if (underTest != null) {
        deploy.add(underTest);
      }
    }
    try {
      runtime = KitRuntime.start(options, emulator, Files.createDirectories(home.resolve("server")), deploy);
    } catch (Exception | Error e) {
      deleteHome();
      throw e;
    }
  }

  private void stop() throws Exception {
    try {
      if (runtime != null) {
        runtime.close();
      }
    } finally {
      runtime = null;
      deleteHome();
    }
  }

  private void deleteHome() throws IOException {
    if (home != null && Files.exists(home)) {
      try (Stream<Path> files = Files.walk(home)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
    home = null;
  }

  // ---- The other side of the call ----

  /**
   * A person calls the bot from {@code from} (an E.164 number, or a user id of the emulator's directory), behaving as
   * the emulator's directory says (by default: speaks for 3 emulated seconds when recorded).
   */
  public Caller dial(String from) {
    return dial(from, new JsonObject());
  }

  /**
   * A person calls the bot from {@code from} and, when the bot records them, speaks for {@code speaking} (emulated)
   * and then stays silent; {@link Duration#ZERO} for a caller who says nothing.
   */
  public Caller dialSpeaking(String from, Duration speaking) {
    return dial(from, new JsonObject().put("speakSeconds", speaking.toMillis() / 1000.0));
  }

  private Caller dial(String from, JsonObject behavior) {
    Objects.requireNonNull(from, "from");
    JsonObject body = new JsonObject().put("from", from);
    if (!behavior.isEmpty()) {
      body.put("behavior", behavior);
    }
    JsonObject call = control("dialling from " + from, c -> c.post("/emulator/calls/incoming", body), () -> "");
    Caller caller = new Caller(this, call.getString("id"), from);
    callers.add(caller);
    return caller;
  }

  /**
   * A person calls from {@code from} and the test itself answers, as a bot named {@code bot} (the calling bundle's
   * typed {@code Answer}, service-hosted media): for tests of a bundle that works on calls another bot answered (the
   * media bundle's plays and gathers, the records bundle's records). Needs the calling bundle. The caller, once the
   * call is established.
   */
  public Caller answeredCall(String from, String bot) {
    Objects.requireNonNull(bot, "bot");
    Caller caller = dial(from);
    caller.awaitEvent(CallEvent.Incoming.class, e -> true);
    caller.note("the test answers as the bot " + bot);
    control("answering call " + caller.id() + " as " + bot, c -> CallsClient.of(runtime().vertx.eventBus())
        .send(CallCommand.Answer.of(caller.id(), bot, false)), caller::transcript);
    caller.awaitAnswered();
    return caller;
  }

  /**
   * An online meeting of {@code organizerId} (a user of the emulator's directory), created as the registered
   * application would (the application access policy is granted for everyone first).
   */
  public Meeting meeting(String organizerId) {
    return meeting(organizerId, new JsonObject().put("subject", "Test meeting"));
  }

  /** An online meeting of {@code organizerId} with the given Graph {@code onlineMeeting} body. */
  public Meeting meeting(String organizerId, JsonObject body) {
    JsonObject created = control("creating a meeting of " + organizerId, c -> c.createMeeting(organizerId, body),
        () -> "");
    return new Meeting(this, created);
  }

  /** A user of the emulator's directory, to change what their Teams client reports. */
  public User user(String id) {
    return new User(this, Objects.requireNonNull(id, "id"));
  }

  /** Graph as the bot sees it: faults to inject, and the requests the bot made. */
  public GraphFaults graph() {
    return new GraphFaults(this);
  }

  /**
   * Waits until the records bundle stores the call record of {@code caller}'s call (its call chain id), which
   * Graph makes available some emulated time after the call ends; the record.
   */
  public RecordStored awaitRecord(Caller caller) {
    String chain = Await.until(options.timeout, "the emulator gives call " + caller.id() + " a call chain id",
        () -> caller.emulatorView().getString("callChainId"), caller::transcript);
    return Await.until(options.timeout, "the call record " + chain + " of call " + caller.id() + " is stored",
        () -> runtime().events.typed(RecordStored.class).stream().filter(r -> chain.equals(r.id())).findFirst()
            .orElse(null), caller::transcript);
  }

  /** Waits for the first event of {@code type} (a contract's event record) that {@code test} accepts; the event. */
  public <E> E awaitEvent(Class<E> type, Predicate<? super E> test) {
    Objects.requireNonNull(type, "type");
    return Await.until(options.timeout, "a " + type.getSimpleName() + " that the test accepts",
        () -> runtime().events.typed(type).stream().filter(test).findFirst().orElse(null), this::allTranscripts);
  }

  /** The events of {@code type} so far in this test, in the order published. */
  public <E> List<E> events(Class<E> type) {
    return runtime().events.typed(type);
  }

  /**
   * Waits for the first message on {@code address} (one of {@link #recordEvents}) that {@code test} accepts; its
   * body. For a bundle's own events, which have no contract in the api.
   */
  public JsonObject awaitMessage(String address, Predicate<JsonObject> test) {
    if (!options.recordedAddresses.contains(address)) {
      throw new IllegalArgumentException("the kit does not record " + address + ": name it in recordEvents(...)");
    }
    return Await.until(options.timeout, "a message on " + address + " that the test accepts",
        () -> runtime().events.on(address).stream().map(EventRecorder.Recorded::body).filter(test).findFirst()
            .orElse(null), this::allTranscripts);
  }

  /** The messages on {@code address} (one of {@link #recordEvents}) so far in this test, in the order received. */
  public List<JsonObject> messages(String address) {
    if (!options.recordedAddresses.contains(address)) {
      throw new IllegalArgumentException("the kit does not record " + address + ": name it in recordEvents(...)");
    }
    return runtime().events.on(address).stream().map(EventRecorder.Recorded::body).toList();
  }

  // ---- Clock ----

  /**
   * The emulated clock (UTC), which runs at the clock speed: what Graph's timestamps and timeouts follow;
   * {@link KitClock#advance} moves it forward by hand, firing Graph's timers that fall due.
   */
  public KitClock clock() {
    runtime();
    return new KitClock(this);
  }

  /** How many emulated seconds pass per real second. */
  public double clockSpeed() {
    return options.clockSpeed;
  }

  /** Lets {@code emulated} time pass (sleeps for it divided by the clock speed). */
  public void pass(Duration emulated) {
    try {
      Thread.sleep(Math.max(1, (long) (emulated.toMillis() / options.clockSpeed)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  // ---- What runs ----

  /** The server's Vert.x (its event bus is the one the bundles use). */
  public Vertx vertx() {
    return runtime().vertx;
  }

  public SwitchboardServer server() {
    return runtime().server;
  }

  public GraphEmulator emulator() {
    return runtime().emulator;
  }

  /** A client of the emulator's control API and of Graph as the registered application. */
  public EmulatorClient emulatorClient() {
    return runtime().emulatorClient;
  }

  /** The secret of an API key with every scope ({@code *}); {@link #http} sends it on {@code /api/v1} requests. */
  public String apiKey() {
    return runtime().apiKey;
  }

  /** The server's home (config, data, deploy folder), deleted when the kit stops. */
  public Path home() {
    return runtime().home;
  }

  /** A request to the server's public port ({@code /api/v1/...} with the kit's API key); the answer. */
  public HttpResponse<Buffer> http(HttpMethod method, String path) {
    return http(method, path, null);
  }

  /** A request with a JSON body to the server's public port; the answer, whatever its status. */
  public HttpResponse<Buffer> http(HttpMethod method, String path, JsonObject body) {
    return answer(method + " " + path, () -> runtime().http(method, path, body == null ? null : body.toBuffer()));
  }

  /**
   * A request to the server's public port with {@code authorization} as its {@code Authorization} header
   * ({@code null}: none), e.g. {@code "Bearer " + kit.createApiKey("reader", "greetings:read")} to test a route's
   * scope; the answer, whatever its status.
   */
  public HttpResponse<Buffer> httpAs(String authorization, HttpMethod method, String path) {
    return answer(method + " " + path, () -> runtime().http(method, path, null, authorization));
  }

  /** Creates an API key named {@code name} with exactly {@code scopes} through the admin API; its secret. */
  public String createApiKey(String name, String... scopes) {
    return answer("creating the API key " + name, () -> KitRuntime.await(KitRuntime.createKey(runtime().vertx,
        runtime().server, name, List.of(scopes)), "creating the API key " + name));
  }

  /** A request to the admin API with the kit's admin token; the answer, whatever its status. */
  public HttpResponse<Buffer> admin(HttpMethod method, String path, Buffer body) {
    return answer(method + " " + path, () -> runtime().admin(method, path, body));
  }

  /** The value of a request that must be answered, or an {@link AssertionError} naming {@code what}. */
  private static <T> T answer(String what, java.util.concurrent.Callable<T> request) {
    try {
      return request.call();
    } catch (Exception e) {
      throw new AssertionError(what + " failed: " + e.getMessage(), e);
    }
  }

  // ---- For the kit's other classes ----

  KitRuntime runtime() {
    if (runtime == null) {
      throw new IllegalStateException("The kit is not running: use it inside a test (register it with "
          + "@RegisterExtension or @SwitchboardTest), not in a static initializer or @BeforeAll");
    }
    return runtime;
  }

  CallTranscript transcripts() {
    runtime();
    return transcripts;
  }

  Duration timeout() {
    return options.timeout;
  }

  /** A control-API request; its answer, or an {@link AssertionError} naming {@code what} with {@code transcript}. */
  <T> T control(String what, Function<EmulatorClient, Future<T>> request, Supplier<String> transcript) {
    try {
      return KitRuntime.await(request.apply(runtime().emulatorClient), what);
    } catch (Exception e) {
      throw new AssertionError(what + " failed: " + e.getMessage() + "\n" + transcript.get(), e);
    }
  }

  /** Adds {@code what} (something the test did to every call, such as advancing the clock) to each call's transcript. */
  void note(String what) {
    callers.forEach(c -> c.note(what));
  }

  /** The transcripts of every call of this test. */
  private String allTranscripts() {
    if (callers.isEmpty()) {
      return "(no call was placed in this test)";
    }
    StringBuilder out = new StringBuilder();
    callers.forEach(c -> out.append(c.transcript()));
    return out.toString();
  }
}
