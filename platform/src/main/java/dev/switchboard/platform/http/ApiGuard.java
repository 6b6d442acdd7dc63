package dev.switchboard.platform.http;

import dev.switchboard.api.Caller;
import dev.switchboard.api.SwitchboardException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call the REST API: the public server asks it about every request under {@value PublicServer#API_PREFIX},
 * first to authenticate (before the route is looked up or the body read), then, once the route is known, whether the
 * caller holds the route's scope.
 */
public interface ApiGuard {

  /**
   * Authenticates the request on its event loop. On success it puts the {@link Caller} in the context under
   * {@link PublicServer#CALLER} and calls {@code ctx.next()}; otherwise it answers (401, 429) itself. It may complete
   * later (an unknown token signing key is fetched first); the request is paused meanwhile.
   */
  void authenticate(RoutingContext ctx);

  /**
   * Why {@code caller} may not call {@code method path} (below {@code /api/v1}), which needs {@code scope}: a 403 to
   * answer with, or {@code null} when it may.
   */
  SwitchboardException refusal(Caller caller, String scope, HttpMethod method, String path);
}
