package dev.switchboard.platform.vertx;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * A fresh event-loop context for a component that keeps its state on one thread (a subscription manager, the
 * bundle deployer), obtained through public Vert.x API only: an empty deployment whose context the component
 * then uses with {@link Context#runOnContext}. Unlike {@link Vertx#getOrCreateContext()}, the result never
 * depends on the calling thread: each call gives a context of its own, even from an event loop.
 *
 * <p>The deployment lives until Vert.x closes.
 */
public final class OwnContext {

  private OwnContext() {
  }

  /** Deploys an empty verticle; the future holds its context (it fails only if Vert.x is closing). */
  public static Future<Context> create(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    Promise<Context> context = Promise.promise();
    Deployable owner = ctx -> {
      context.complete(ctx);
      return Future.succeededFuture();
    };
    vertx.deployVerticle(owner).onFailure(context::tryFail);
    return context.future();
  }
}
