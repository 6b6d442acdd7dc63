package dev.switchboard.platform.richdata;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/richdata.sh}: the cost of opening one presence notification with resource data (RSA-OAEP of the
 * key, HMAC, AES) against parsing the same notification collection's JSON (the baseline, which every notification
 * costs), on one thread; then {@link RichNotifications#open} on Vert.x's worker pool, as the server does, as fast as
 * it goes. Prints one line per round and a RESULT line.
 */
public final class DecryptionBenchmark {

  private DecryptionBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    Vertx vertx = Vertx.vertx();
    EncryptionKeys keys = new EncryptionKeys(vertx, Files.createTempDirectory("richdata-bench").resolve("keys.json"),
        Duration.ofDays(30));
    EncryptionKey key = await(keys.current());
    JsonObject presence = new JsonObject().put("@odata.type", "#Microsoft.Graph.presence")
        .put("id", "6e1f7a53-8b5e-4d2a-9c41-0a1b2c3d4e01").put("availability", "Busy").put("activity", "InACall");
    List<JsonObject> notifications = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      notifications.add(new JsonObject().put("subscriptionId", "s").put("changeType", "updated")
          .put("resource", "communications/presences/" + presence.getString("id"))
          .put("encryptedContent", GraphEncryption.encrypt(presence, key.certificate(), key.id())));
    }
    String body = new JsonObject().put("value", new JsonArray().add(notifications.get(0))).encode();
    double parse = 0;
    double decrypt = 0;
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        new JsonObject(body);
      }
      long t1 = System.nanoTime();
      for (JsonObject notification : notifications) {
        ResourceDataCipher.decrypt(notification.getJsonObject("encryptedContent"), keys);
      }
      long t2 = System.nanoTime();
      parse = (t1 - t0) / 1e3 / n;
      decrypt = (t2 - t1) / 1e3 / n;
      System.out.printf("round %d: parse %.1f us, decrypt %.1f us per notification%n", round, parse, decrypt);
    }
    // No tokens are checked here: the key source is never asked.
    dev.switchboard.platform.jwt.JwksSource noTokens = new dev.switchboard.platform.jwt.JwksSource(() -> null,
        "http://127.0.0.1:9/unused", "unused", Duration.ofSeconds(1), Duration.ofHours(1));
    RichNotifications rich = new RichNotifications(vertx, keys, noTokens, "unused", "unused");
    long t0 = System.nanoTime();
    List<Future<JsonObject>> opened = new ArrayList<>();
    for (JsonObject notification : notifications) {
      opened.add(rich.open(notification));
    }
    Future.all(opened).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    double perSecond = n / ((System.nanoTime() - t0) / 1e9);
    System.out.printf("RESULT parse_us=%.1f decrypt_us=%.1f ratio=%.0f one_thread_per_s=%.0f workers_per_s=%.0f%n",
        parse, decrypt, decrypt / parse, 1e6 / decrypt, perSecond);
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
  }
}
