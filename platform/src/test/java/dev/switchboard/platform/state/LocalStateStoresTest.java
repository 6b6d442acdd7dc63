package dev.switchboard.platform.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.StateStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single-node state store on a real disk: what a restart finds, torn and damaged files, compaction. */
class LocalStateStoresTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private LocalStateStores open() throws Exception {
    return await(LocalStateStores.open(vertx, dir, true));
  }

  @Test
  void whatWasWrittenIsThereAfterAReopenAndRemovalsStayRemoved() throws Exception {
    try (LocalStateStores stores = open()) {
      StateStore calling = stores.forPlugin("calling");
      await(calling.put("call-1", new JsonObject().put("state", "established")));
      await(calling.put("call-2", new JsonObject().put("state", "incoming")));
      await(calling.put("call-1", new JsonObject().put("state", "terminated")));
      await(calling.remove("call-2"));
      await(stores.forPlugin("odd/name é").put("k", new JsonObject().put("v", 1)));
    }
    try (LocalStateStores stores = open()) {
      StateStore calling = stores.forPlugin("calling");
      assertEquals(Set.of("call-1"), await(calling.keys()));
      assertEquals("terminated", await(calling.get("call-1")).getString("state"));
      assertNull(await(calling.get("call-2")));
      assertEquals(1, await(stores.forPlugin("odd/name é").get("k")).getInteger("v"), "names are kept as given");
      assertNull(await(stores.forPlugin("media").get("call-1")), "each plugin name has its own entries");
    }
  }

  @Test
  void valuesAreCopiedInAndOut() throws Exception {
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      JsonObject value = new JsonObject().put("n", 1);
      await(store.put("k", value));
      value.put("n", 2);
      await(store.get("k")).put("n", 3);
      assertEquals(1, await(store.get("k")).getInteger("n"));
    }
  }

  @Test
  void aValueReadBackEqualsTheOneWrittenBeforeAndAfterAReopen() throws Exception {
    JsonObject value = new JsonObject().put("text", "é \"quoted\" \n").put("int", 7).put("long", 1L << 40)
        .put("double", 2.5).put("flag", true).put("nothing", (Object) null)
        .put("nested", new JsonObject().put("3f2a-id-as-a-field-name", new JsonObject().put("status", "completed")))
        .put("list", new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3)).add(new JsonArray()));
    try (LocalStateStores stores = open()) {
      await(stores.forPlugin("p").put("k", value));
      assertEquals(value, await(stores.forPlugin("p").get("k")));
      assertEquals("completed", await(stores.forPlugin("p").get("k")).getJsonObject("nested")
          .getJsonObject("3f2a-id-as-a-field-name").getString("status"));
    }
    try (LocalStateStores stores = open()) {
      assertEquals(value, await(stores.forPlugin("p").get("k")));
    }
  }

  @Test
  void largeValuesKeptDeflatedReadBackTheSameBeforeAndAfterAReopen() throws Exception {
    List<JsonObject> values = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      JsonArray participants = new JsonArray();
      for (int j = 0; j < 8; j++) {
        participants.add(new JsonObject().put("id", UUID.randomUUID().toString()).put("info", new JsonObject()
            .put("@odata.type", "#microsoft.graph.participantInfo").put("region", "amer").put("n", i * j)));
      }
      values.add(new JsonObject().put("id", "call-" + i).put("participants", participants));
    }
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      for (int i = 0; i < values.size(); i++) {
        await(store.put("k" + i, values.get(i)));
      }
      for (int i = 0; i < values.size(); i++) {
        assertEquals(values.get(i), await(store.get("k" + i)));
      }
    }
    try (LocalStateStores stores = open()) {
      for (int i = 0; i < values.size(); i++) {
        assertEquals(values.get(i), await(stores.forPlugin("p").get("k" + i)));
      }
    }
  }

  @Test
  void aLastLineCutShortByACrashIsDroppedAndTheFileStaysUsable() throws Exception {
    try (LocalStateStores stores = open()) {
      await(stores.forPlugin("p").put("a", new JsonObject().put("n", 1)));
    }
    Path log = dir.resolve("p.log");
    Files.writeString(log, "{\"k\":\"b\",\"v\":{\"n\":", StandardOpenOption.APPEND);
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      assertEquals(Set.of("a"), await(store.keys()));
      await(store.put("c", new JsonObject().put("n", 3)));
    }
    try (LocalStateStores stores = open()) {
      assertEquals(Set.of("a", "c"), await(stores.forPlugin("p").keys()), "the write after the torn line is readable");
    }
  }

  @Test
  void aDamagedLineInTheMiddleIsSkippedAndTheRestKept() throws Exception {
    Files.writeString(dir.resolve("p.log"), "{\"k\":\"a\",\"v\":{\"n\":1}}\nnot json\n{\"k\":\"b\",\"v\":{\"n\":2}}\n",
        StandardCharsets.UTF_8);
    try (LocalStateStores stores = open()) {
      assertEquals(Set.of("a", "b"), await(stores.forPlugin("p").keys()));
    }
  }

  @Test
  void aLogOfManyOverwritesIsCompactedToItsLiveEntries() throws Exception {
    String padding = "x".repeat(2000);
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      List<Future<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        writes.add(store.put("k" + (i % 10), new JsonObject().put("i", i).put("pad", padding)));
      }
      await(Future.all(writes));
    }
    long size = Files.size(dir.resolve("p.log"));
    assertTrue(size < 4L << 20, "10 entries of ~2 KB after 10 MB of writes, but the log has " + size + " bytes");
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      assertEquals(10, await(store.keys()).size());
      for (int k = 0; k < 10; k++) {
        assertEquals(4990 + k, await(store.get("k" + k)).getInteger("i"), "the last write of k" + k + " is kept");
      }
    }
  }

  @Test
  void writesFromManyThreadsReachTheDiskInTheOrderTheStoreSawThem() throws Exception {
    try (LocalStateStores stores = open()) {
      StateStore store = stores.forPlugin("p");
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        Thread thread = new Thread(() -> {
          for (int i = 0; i < 500; i++) {
            store.put("shared", new JsonObject().put("writer", id).put("i", i));
            store.put("own-" + id, new JsonObject().put("i", i));
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
      JsonObject last = await(store.get("shared"));
      await(store.put("barrier", new JsonObject()));
      stores.close();
      try (LocalStateStores reopened = open()) {
        StateStore again = reopened.forPlugin("p");
        assertEquals(last, await(again.get("shared")), "memory and disk agree on the last write");
        for (int t = 0; t < 4; t++) {
          assertEquals(499, await(again.get("own-" + t)).getInteger("i"));
        }
      }
    }
  }
}
