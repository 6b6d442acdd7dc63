package dev.switchboard.platform.cluster;

import dev.switchboard.platform.vertx.LocalConsumers;
import io.vertx.core.Completable;
import io.vertx.core.eventbus.impl.clustered.DefaultNodeSelector;
import io.vertx.core.eventbus.impl.clustered.NodeSelector;
import io.vertx.core.spi.cluster.ClusteredNode;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;

/**
 * Where the clustered event bus sends a point-to-point message: to a plugin's consumer on this member when there is
 * one ({@link LocalConsumers}), else
 * round robin over the members that have one (Vert.x's own choice). Every member runs the same bundles, so a plugin's
 * request to another plugin's service is served here, and does not wait for a member that just died (a request sent
 * to a dead member fails only by its timeout); what must reach one member in particular (a key's owner) is routed by
 * key. Publishing is left to Vert.x. Uses Vert.x's internal node-selector hook: check it on each Vert.x upgrade.
 */
final class LocalFirstNodeSelector implements NodeSelector {

  private final DefaultNodeSelector roundRobin = new DefaultNodeSelector();
  private ClusteredNode node;

  @Override
  public void init(ClusteredNode node) {
    this.node = node;
    roundRobin.init(node);
  }

  @Override
  public void eventBusStarted() {
    roundRobin.eventBusStarted();
  }

  @Override
  public void selectForSend(String address, Completable<String> promise) {
    // Known in memory: asking the cluster manager would be a remote read on every send, which stalls while a
    // member is unreachable.
    if (LocalConsumers.has(address)) {
      promise.succeed(node.getNodeId());
    } else {
      roundRobin.selectForSend(address, promise);
    }
  }

  @Override
  public void selectForPublish(String address, Completable<Iterable<String>> promise) {
    roundRobin.selectForPublish(address, promise);
  }

  @Override
  public boolean wantsUpdatesFor(String address) {
    return roundRobin.wantsUpdatesFor(address);
  }

  @Override
  public void registrationsUpdated(RegistrationUpdateEvent event) {
    roundRobin.registrationsUpdated(event);
  }
}
