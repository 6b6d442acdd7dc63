package dev.switchboard.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The claims map's rules, on a real (single, unjoined) Hazelcast member's map. */
class OwnerClaimsTest {

  private static HazelcastInstance hazelcast;
  private static Vertx vertx;
  private IMap<String, String> owners;
  private OwnerClaims claims;

  @BeforeAll
  static void start() {
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config config = new Config().setClusterName("owner-claims-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getNetworkConfig().setPort(0).setPortAutoIncrement(true).getJoin().getAutoDetectionConfig()
        .setEnabled(false);
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    hazelcast = Hazelcast.newHazelcastInstance(config);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
    hazelcast.shutdown();
  }

  private OwnerClaims claims(String self) {
    owners = hazelcast.getMap("owners-" + UUID.randomUUID());
    return new OwnerClaims(vertx, vertx::getOrCreateContext, owners, self);
  }

  @Test
  void aKeyAdoptedAgainAfterItsReleaseKeepsItsNewClaimWhenTheOldRemovalLandsLate() throws Exception {
    claims = claims("a:1-self");
    String first = await(claims.claim("call-1"));
    assertNotNull(first);
    assertEquals("a:1-self", OwnerClaims.memberOf(first));

    // A late message re-adopts the key between the release and its (asynchronous) removal of the claim.
    String again = await(claims.replace("call-1", first));
    assertNotNull(again, "the key's claim was still the first one: it is replaced");
    assertNotEquals(first, again, "a claim is never written twice");
    assertEquals(false, await(claims.release("call-1", first)));

    assertEquals(again, owners.get("call-1"), "the old claim's removal cannot delete the claim the key lives on");
    assertEquals(true, await(claims.release("call-1", again)));
    assertNull(owners.get("call-1"));
  }

  @Test
  void aClaimIsMadeOnceAndAReplaceOfAChangedClaimFails() throws Exception {
    claims = claims("a:1-self");
    OwnerClaims other = new OwnerClaims(vertx, vertx::getOrCreateContext, owners, "b:1-other");
    String mine = await(claims.claim("call-2"));
    assertNull(await(other.claim("call-2")), "the key is claimed already");
    String theirs = await(other.replace("call-2", mine));
    assertEquals("b:1-other", OwnerClaims.memberOf(theirs));
    assertNull(await(claims.replace("call-2", mine)), "the claim changed meanwhile");
    assertEquals(Map.of("call-2", theirs), await(claims.getAll(Set.of("call-2", "call-3"))));
    assertEquals(Map.of("call-2", theirs), await(claims.find((key, claim) ->
        OwnerClaims.memberOf(claim).equals("b:1-other"))));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
