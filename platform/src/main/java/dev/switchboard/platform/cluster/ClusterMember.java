package dev.switchboard.platform.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.config.SwitchboardConfig;
import dev.switchboard.platform.deploy.ClusterBundles;
import dev.switchboard.platform.metrics.SwitchboardMetrics;
import dev.switchboard.platform.routing.KeyPlacement;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.state.StateStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one member of a Switchboard cluster (Vert.x clustered over Hazelcast): its identity, its lease,
 * keyed routing across members, the replicated state stores, and what {@code GET /admin/cluster} shows. The only
 * entry to Hazelcast: nothing outside this package names a Hazelcast class, so a server with
 * {@code cluster.enabled: false} never loads one.
 */
public final class ClusterMember implements ClusterBundles.Peers {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
  private static final String LEAVING = "switchboard.cluster.leaving";
  private static final String INFO = "switchboard.cluster.info.";
  private static final String PEER = "switchboard.cluster.peer.";
  /** A bundle change on another member may drain keys and start plugins: give it time. */
  private static final Duration PEER_TIMEOUT = Duration.ofMinutes(2);
  /** How long start-up waits for enough members to act. */
  private static final Duration QUORUM_WAIT = Duration.ofSeconds(100);
  /** How long a leaving member waits for the others to accept the messages it held. */
  private static final Duration HAND_OFF_WAIT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final SwitchboardConfig.Cluster config;
  private final HazelcastInstance hazelcast;
  private final Membership membership;
  private final MemberLease lease;
  private final ClusterKeys keys;
  private final ClusterStats stats;
  private final Promise<Void> expelled = Promise.promise();

  private ClusterMember(Vertx vertx, SwitchboardConfig.Cluster config, KeyRouter router, Duration routeTimeout) {
    this.vertx = vertx;
    this.config = config;
    this.hazelcast = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
    String self = hazelcast.getCluster().getLocalMember().getAttribute(Membership.ATTRIBUTE);
    this.stats = new ClusterStats(SwitchboardMetrics.of(vertx).registry(),
        () -> hazelcast.getCluster().getMembers().size());
    ClusterKeys[] keysRef = new ClusterKeys[1];
    this.membership = new Membership(hazelcast, self, config.lease().plus(MemberLease.FENCE_MARGIN),
        departed -> keysRef[0].departed(departed));
    this.keys = new ClusterKeys(vertx, router, membership, hazelcast.getMap(OwnerClaims.MAP), routeTimeout, stats);
    keysRef[0] = keys;
    this.lease = new MemberLease(vertx, membership, config.lease(), config.effectiveQuorum(), keys::hold,
        keys::resume, awayLimit(config), () -> expelled.tryComplete());
  }

  /**
   * How long a member's lease may stay lapsed, with no peer answering it at all, before it stops itself: three times
   * {@code suspectAfter}, well past the others' removing it (a member that a peer answers "no" stops at once). Shorter
   * made members under a loaded machine's start-up stop themselves needlessly.
   */
  static Duration awayLimit(SwitchboardConfig.Cluster config) {
    return config.suspectAfter().multipliedBy(3);
  }

  /**
   * Starts a clustered Vert.x that joins {@code config.members} (see {@link HazelcastSettings}), with the clustered
   * event bus on {@code cluster.host:busPort}. Completes once this member has joined (or formed) the cluster.
   */
  public static Future<Vertx> vertx(SwitchboardConfig.Cluster config) {
    var hazelcastConfig = HazelcastSettings.of(config);
    hazelcastConfig.getMemberAttributeConfig().setAttribute(Membership.ATTRIBUTE,
        config.host() + ":" + config.port() + "-" + UUID.randomUUID().toString().substring(0, 8));
    VertxOptions options = new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(config.host())
        .setPort(config.effectiveBusPort()).setClusterPublicHost(config.host()));
    // Vert.x's builder has no hook for the node selector; its bootstrap (internal API) has.
    return SwitchboardMetrics.instrumented(options, (withMetrics, metrics) ->
        ((io.vertx.core.impl.VertxBootstrapImpl) VertxBootstrap.create().options(withMetrics).metricsFactory(metrics))
            .clusterNodeSelector(new LocalFirstNodeSelector())
            .clusterManager(new HazelcastClusterManager(hazelcastConfig)).init().clusteredVertx());
  }

  /**
   * This server's membership on a Vert.x made by {@link #vertx}: call {@link #start} once the key router has started.
   *
   * @param routeTimeout how long a keyed message may wait for its key's owner in the cluster
   */
  public static ClusterMember of(Vertx vertx, SwitchboardConfig.Cluster config, KeyRouter router,
      Duration routeTimeout) {
    return new ClusterMember(vertx, config, router, routeTimeout);
  }

  /**
   * Registers the membership listener and this member's bus addresses, and starts renewing the lease.
   *
   * @param describeNode this node's bundles and keys, for {@code GET /admin/cluster} on any member
   */
  public Future<Void> start(Supplier<Future<JsonObject>> describeNode) {
    hazelcast.getCluster().addMembershipListener(membership);
    vertx.eventBus().<String>consumer(LEAVING, m -> membership.leaving(m.body()));
    vertx.eventBus().<JsonObject>consumer(INFO + membership.self(), m -> describeNode.get()
        .compose(node -> keys.ownedCount().map(count -> node.put("ownedKeys", count)))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            m.fail(500, String.valueOf(ar.cause().getMessage()));
          }
        }));
    LOG.info("Cluster member {} joined cluster '{}' ({} members; quorum {}, lease {} ms, backups {})",
        membership.self(), config.name(), membership.size(), config.effectiveQuorum(), config.lease().toMillis(),
        config.backups());
    return keys.start(lease).compose(v -> lease.start()).compose(v -> awaitQuorum());
  }

  /**
   * Completes once this member holds its lease and the replicated maps answer (split-brain protection satisfied), so
   * that plugins start with their state readable. Fails after {@link #QUORUM_WAIT}.
   */
  private Future<Void> awaitQuorum() {
    Promise<Void> reached = Promise.promise();
    long began = System.nanoTime();
    long[] lastReport = {began};
    vertx.setPeriodic(200, timer -> {
      if (reached.future().isComplete()) {
        vertx.cancelTimer(timer);
        return;
      }
      if (lease.valid()) {
        vertx.executeBlocking(() -> hazelcast.getMap(OwnerClaims.MAP).get("switchboard.quorum-probe"), false)
            .onSuccess(x -> {
              if (reached.tryComplete()) {
                vertx.cancelTimer(timer);
              }
            });
      }
      long now = System.nanoTime();
      if (now - began > QUORUM_WAIT.toNanos()) {
        vertx.cancelTimer(timer);
        reached.tryFail("cluster '" + config.name() + "' has no quorum: " + membership.size() + " member(s) seen of the "
            + config.effectiveQuorum() + " needed within " + QUORUM_WAIT.toSeconds() + " s; start the other members "
            + "listed in cluster.members (" + String.join(", ", config.members()) + ")");
      } else if (now - lastReport[0] > Duration.ofSeconds(10).toNanos()) {
        lastReport[0] = now;
        LOG.info("Cluster member {} waits for a quorum: {} member(s) seen of the {} needed", membership.self(),
            membership.size(), config.effectiveQuorum());
      }
    });
    return reached.future();
  }

  @Override
  public List<String> others() {
    return membership.others();
  }

  @Override
  public Future<JsonObject> ask(String member, String topic, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(PEER + topic + "." + member, body, new DeliveryOptions()
        .setSendTimeout(PEER_TIMEOUT.toMillis())).map(reply -> reply.body());
  }

  @Override
  public void answer(String topic, Function<JsonObject, Future<JsonObject>> handler) {
    vertx.eventBus().<JsonObject>consumer(PEER + topic + "." + membership.self(), m -> handler.apply(m.body())
        .onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(ar.result());
          } else {
            SwitchboardException e = SwitchboardException.from(ar.cause());
            m.fail(e.status(), e.toJson().encode());
          }
        }));
  }

  /**
   * Completes if this member was cut off from the cluster longer than failure detection takes (the others have taken
   * its calls and removed it): the server must stop, and be started again as a new member.
   */
  public Future<Void> expelled() {
    return expelled.future();
  }

  /** Where keyed messages go in the cluster; give it to the router. */
  public KeyPlacement placement() {
    return keys;
  }

  /** The state stores in cluster mode, over this server's own {@code local} ones. */
  public StateStores stores(StateStores local) {
    return new ClusteredStateStores(vertx, hazelcast, local);
  }

  /** Why this member takes no callbacks now (readiness), or {@code null}. */
  public String problem() {
    return lease.problem();
  }

  /**
   * Every member as it describes itself (its bundles and how many keys it owns), this one first, with the cluster's
   * counters. A member that does not answer within 5 s is listed with the problem.
   */
  public Future<JsonObject> describe() {
    List<Future<JsonObject>> nodes = new ArrayList<>();
    List<String> ids = new ArrayList<>(membership.members());
    ids.remove(membership.self());
    ids.add(0, membership.self());
    for (String id : ids) {
      nodes.add(vertx.eventBus().<JsonObject>request(INFO + id, new JsonObject(), new DeliveryOptions()
          .setSendTimeout(5_000)).map(reply -> reply.body().put("id", id).put("self", id.equals(membership.self())))
          .recover(e -> Future.succeededFuture(new JsonObject().put("id", id).put("problem", e.getMessage()))));
    }
    return Future.join(nodes).transform(x -> {
      JsonArray members = new JsonArray();
      nodes.forEach(n -> members.add(n.result()));
      return Future.succeededFuture(new JsonObject().put("enabled", true).put("name", config.name())
          .put("self", membership.self()).put("quorum", config.effectiveQuorum()).put("leaseValid", lease.valid())
          .put("keyMigrations", stats.migrations()).put("forwarded", stats.forwardedCount()).put("members", members));
    });
  }

  /**
   * {@code bundles} (this member's, as {@code GET /admin/bundles} lists them), each with {@code members}: the version
   * and state of the bundle of that name on every member, this one included (absent where it is not installed).
   */
  public Future<JsonArray> withMembers(JsonArray bundles) {
    return describe().map(cluster -> {
      for (Object o : bundles) {
        JsonObject bundle = (JsonObject) o;
        JsonArray on = new JsonArray();
        for (Object m : cluster.getJsonArray("members")) {
          JsonObject member = (JsonObject) m;
          JsonObject there = new JsonObject().put("id", member.getString("id"));
          member.getJsonArray("bundles", new JsonArray()).stream().map(b -> (JsonObject) b)
              .filter(b -> bundle.getString("name").equals(b.getString("name"))).findFirst()
              .ifPresentOrElse(b -> there.put("version", b.getString("version")).put("state", b.getString("state")),
                  () -> there.put("state", member.getString("problem") == null ? "ABSENT" : "UNKNOWN"));
          on.add(there);
        }
        bundle.put("members", on);
      }
      return bundles;
    });
  }

  /**
   * Leaves gracefully: stops acting on keys, then tells the others, which take the keys at once instead of waiting
   * for failure detection, and hands them the messages queued here. The caller closes Vert.x afterwards (that leaves the Hazelcast cluster).
   */
  public Future<Void> leave() {
    lease.stop();
    Promise<Void> told = Promise.promise();
    // A moment for the handlers under way to write their state, then the others may take over, and the messages
    // held here go to them (given up on after HAND_OFF_WAIT: the server is stopping).
    vertx.setTimer(300, t -> {
      vertx.eventBus().publish(LEAVING, membership.self());
      Future<Void> handedOff = keys.handOffAll();
      long limit = vertx.setTimer(HAND_OFF_WAIT.toMillis(), x -> told.tryComplete());
      handedOff.onComplete(x -> vertx.setTimer(200, y -> {
        vertx.cancelTimer(limit);
        told.tryComplete();
      }));
    });
    LOG.info("Cluster member {} is leaving the cluster", membership.self());
    return told.future();
  }
}
