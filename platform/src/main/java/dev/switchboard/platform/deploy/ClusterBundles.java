package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundle changes across a cluster: an install, update, rollback or uninstall is made on this member first, with
 * its usual guarantees (an update's drain or takeover of this member's keys), then on each other member in turn, so
 * that an update rolls through the cluster one member at a time. A member that joins takes the bundle set of a
 * member already running ({@link #takeBundleSet}) before its framework starts.
 *
 * <p>When the change fails here, no other member is asked; when it fails on another member, the others are still
 * asked and the caller gets a failure naming where it was and was not made, so that it can be made there again.
 */
public final class ClusterBundles implements BundleOperations {

  /** How this member reaches the others (the cluster's event bus). */
  public interface Peers {
    /** The other live members' ids. */
    List<String> others();

    /** Sends {@code body} to {@code topic}'s handler on {@code member}; its reply. */
    Future<JsonObject> ask(String member, String topic, JsonObject body);

    /** Answers {@code topic} on this member with {@code handler}. */
    void answer(String topic, Function<JsonObject, Future<JsonObject>> handler);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClusterBundles.class);
  private static final String OPERATION = "bundle-operation";
  private static final String SET = "bundle-set";

  private final Vertx vertx;
  private final BundleOperations local;
  private final Peers peers;
  private final Path deployDir;

  public ClusterBundles(Vertx vertx, BundleOperations local, Peers peers, Path deployDir) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.local = Objects.requireNonNull(local, "local");
    this.peers = Objects.requireNonNull(peers, "peers");
    this.deployDir = Objects.requireNonNull(deployDir, "deployDir");
  }

  /** Answers the other members' changes. */
  public ClusterBundles serve() {
    peers.answer(OPERATION, this::applyHere);
    return this;
  }

  /** Answers the bundle-set requests of members that join with the jars of {@code deployDir}. */
  public static void shareBundleSet(Vertx vertx, Peers peers, Path deployDir) {
    peers.answer(SET, x -> bundleSet(vertx, deployDir));
  }

  @Override
  public Future<BundleView> install(Buffer jar) {
    return local.install(jar).compose(view -> onOthers(operation("install").put("jar", encode(jar)), view));
  }

  @Override
  public Future<BundleView> update(String name, Buffer jar, UpdateMode mode) {
    return local.update(name, jar, mode).compose(view -> onOthers(operation("update").put("name", name)
        .put("mode", mode.name()).put("jar", encode(jar)), view));
  }

  @Override
  public Future<BundleView> rollback(String name, UpdateMode mode) {
    return local.rollback(name, mode).compose(view -> onOthers(operation("rollback").put("name", name)
        .put("mode", mode.name()), view));
  }

  @Override
  public Future<BundleView> uninstall(String name) {
    return local.uninstall(name).compose(view -> onOthers(operation("uninstall").put("name", name), view));
  }

  private static JsonObject operation(String op) {
    return new JsonObject().put("op", op);
  }

  private static String encode(Buffer jar) {
    return Base64.getEncoder().encodeToString(jar.getBytes());
  }

  /** Makes {@code op} on each other member in turn; {@code view} if it was made everywhere. */
  private Future<BundleView> onOthers(JsonObject op, BundleView view) {
    List<String> done = new ArrayList<>(List.of("this member"));
    List<String> failed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (String member : peers.others()) {
      chain = chain.compose(x -> peers.ask(member, OPERATION, op).transform(ar -> {
        if (ar.succeeded()) {
          done.add(member);
        } else {
          failed.add(member + " (" + SwitchboardException.from(ar.cause()).getMessage() + ")");
        }
        return Future.succeededFuture();
      }));
    }
    return chain.compose(x -> {
      if (failed.isEmpty()) {
        return Future.succeededFuture(view);
      }
      LOG.warn("Bundle {} of {} was made on {} but failed on {}", op.getString("op"), view.name(), done, failed);
      return Future.failedFuture(new SwitchboardException(ErrorCode.UNPROCESSABLE, "notOnEveryMember", "The "
          + op.getString("op") + " of bundle " + view.name() + " was made on " + String.join(", ", done)
          + " but failed on " + String.join(", ", failed) + "; make it again on those members (their admin API)"));
    });
  }

  private Future<JsonObject> applyHere(JsonObject op) {
    String name = op.getString("name");
    UpdateMode mode = op.getString("mode") == null ? null : UpdateMode.valueOf(op.getString("mode"));
    Future<BundleView> made = switch (op.getString("op", "")) {
      case "install" -> local.install(decode(op));
      case "update" -> local.update(name, decode(op), mode);
      case "rollback" -> local.rollback(name, mode);
      case "uninstall" -> local.uninstall(name);
      default -> Future.failedFuture(new SwitchboardException(ErrorCode.BAD_REQUEST, "unknownOperation",
          "Unknown bundle operation " + op.getString("op")));
    };
    return made.map(view -> new JsonObject().put("name", view.name()).put("version", view.version())
        .put("state", view.state().name()));
  }

  private static Buffer decode(JsonObject op) {
    return Buffer.buffer(Base64.getDecoder().decode(op.getString("jar", "")));
  }

  /** The jars of this member's deploy folder, for a member that joins. */
  private static Future<JsonObject> bundleSet(Vertx vertx, Path deployDir) {
    return vertx.executeBlocking(() -> {
      JsonArray jars = new JsonArray();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(deployDir, "*.jar")) {
        for (Path file : files) {
          jars.add(new JsonObject().put("file", file.getFileName().toString())
              .put("jar", Base64.getEncoder().encodeToString(Files.readAllBytes(file))));
        }
      }
      return new JsonObject().put("jars", jars);
    }, false);
  }

  /**
   * Copies into this member's deploy folder the bundle jars a running member has in its own (those missing here or
   * different), before this member's framework starts: a member that joins runs the cluster's bundle set.
   *
   * @return how many jars were written; 0 when this is the only member
   */
  public static Future<Integer> takeBundleSet(Vertx vertx, Peers peers, Path deployDir) {
    List<String> others = peers.others();
    if (others.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return peers.ask(others.get(0), SET, new JsonObject()).compose(set -> vertx.executeBlocking(() -> {
      Files.createDirectories(deployDir);
      int written = 0;
      for (Object o : set.getJsonArray("jars", new JsonArray())) {
        JsonObject entry = (JsonObject) o;
        Path target = deployDir.resolve(Path.of(entry.getString("file")).getFileName().toString());
        byte[] jar = Base64.getDecoder().decode(entry.getString("jar"));
        if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), jar)) {
          Path part = deployDir.resolve(target.getFileName() + ".part");
          Files.write(part, jar);
          Files.move(part, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
              java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          written++;
        }
      }
      LOG.info("Took the cluster's bundle set from member {}: {} jars written to {}", others.get(0), written,
          deployDir);
      return written;
    }, false)).recover(e -> {
      // Members started together may not answer yet: each then starts with its own deploy folder.
      LOG.warn("Could not take the cluster's bundle set from member {} ({}); starting with the jars of {}",
          others.get(0), e.getMessage(), deployDir);
      return Future.succeededFuture(0);
    });
  }
}
