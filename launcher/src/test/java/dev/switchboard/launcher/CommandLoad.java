package dev.switchboard.launcher;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keyed commands sent inside the cluster by the sequence sender test bundle ({@code testing/bundles/sequence-sender})
 * on each member, to the sequence recorder's keyed address: {@code chains} keys at once over the members, each key
 * opened (first claimed) by the next member and continued by this one, so that on more than one member nine commands
 * of ten are forwarded to the owner; {@code ratePerSecond} in all (0: as fast as answered), split evenly. Started and
 * stopped over each member's REST API; what each member sent is read when it stops.
 */
final class CommandLoad implements KeyedLoad {

  private final WebClient client;
  private final List<LocalCluster.Slot> members;
  private final List<String> apiKeys;
  private final String name;
  private final JsonObject settings;
  private final List<NotificationLoad.Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> failures = Collections.synchronizedMap(new TreeMap<>());
  private long retries;
  private long refusedOpens;

  /** @param apiKeys a key with the scope {@code sequence:write} for each of {@code members}, in order */
  CommandLoad(Vertx vertx, List<LocalCluster.Slot> members, List<String> apiKeys, String name, int messages,
      int chains, int ratePerSecond) {
    this.client = WebClient.create(vertx);
    this.members = members;
    this.apiKeys = apiKeys;
    this.name = name;
    this.settings = new JsonObject().put("messages", messages)
        .put("keys", Math.max(1, chains / members.size())).put("rate", ratePerSecond / members.size());
  }

  /** Starts the run on every member at once (each waits until the member that opens its keys runs too). */
  @Override
  public CommandLoad start() throws Exception {
    List<Future<HttpResponse<Buffer>>> started = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      JsonObject run = settings.copy().put("member", i).put("next", (i + 1) % members.size());
      started.add(request(i, HttpMethod.PUT).sendJsonObject(run));
    }
    for (int i = 0; i < members.size(); i++) {
      expect(201, i, EmulatedCalls.await(started.get(i)));
    }
    return this;
  }

  @Override
  public Future<Void> stop() {
    List<Future<Void>> stopped = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      int member = i;
      stopped.add(request(i, HttpMethod.DELETE).send().map(response -> {
        expect(200, member, response);
        collect(response.bodyAsJsonObject());
        return null;
      }));
    }
    return Future.all(stopped).<Void>mapEmpty().onComplete(x -> client.close());
  }

  private synchronized void collect(JsonObject report) {
    report.getJsonArray("sent").forEach(o -> {
      JsonObject s = (JsonObject) o;
      sent.add(new NotificationLoad.Sent(s.getString("key"), s.getInteger("seq"), s.getLong("sentMicros"),
          s.getLong("answeredMicros"), s.getInteger("attempts"), s.getInteger("status")));
    });
    retries += report.getLong("resends");
    refusedOpens += report.getLong("refusedOpens");
    report.getJsonObject("failures").forEach(e -> failures.merge(e.getKey(), ((Number) e.getValue()).longValue(),
        Long::sum));
  }

  private HttpRequest<Buffer> request(int member, io.vertx.core.http.HttpMethod method) {
    return client.request(method, members.get(member).httpPort, "127.0.0.1", "/api/v1/sequence-sender/runs/" + name)
        .bearerTokenAuthentication(apiKeys.get(member)).timeout(180_000);
  }

  private static void expect(int status, int member, HttpResponse<Buffer> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException("the sequence sender on member " + member + " answered "
          + response.statusCode() + " " + response.bodyAsString());
    }
  }

  @Override
  public List<NotificationLoad.Sent> sent() {
    synchronized (sent) {
      return new ArrayList<>(sent);
    }
  }

  @Override
  public synchronized long retries() {
    return retries;
  }

  /** Failed sends by the platform's error id, and keys not begun because the opening member's run was stopping. */
  synchronized String failures() {
    return failures + (refusedOpens == 0 ? "" : ", " + refusedOpens + " opens refused");
  }
}
