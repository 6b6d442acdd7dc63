package dev.switchboard.platform.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SystemPackagesTest {

  private static Map<String, String> exports() {
    String header = SystemPackages.exportsFor(SystemPackagesTest.class.getClassLoader(), FelixHost.EXPORTED_PACKAGES);
    return Arrays.stream(header.split(",")).collect(Collectors.toMap(
        clause -> clause.substring(0, clause.indexOf(';')),
        clause -> OsgiHeaders.attribute(clause, "version")));
  }

  @Test
  void plainJarsGetTheirMavenVersion() {
    Map<String, String> exports = exports();
    assertEquals("5.0.7", exports.get("io.vertx.core"));
    assertEquals("5.0.7", exports.get("io.vertx.core.eventbus"));
  }

  @Test
  void bundlesKeepTheirOwnExportVersions() {
    Map<String, String> exports = exports();
    assertTrue(exports.get("com.fasterxml.jackson.databind").startsWith("2.18.2"), exports.get("com.fasterxml.jackson.databind"));
    assertEquals("2.3.0", exports.get("dev.switchboard.api"));
    assertTrue(exports.get("org.slf4j").startsWith("2.0"), exports.get("org.slf4j"));
  }

  @Test
  void onlyTheSharedPackagesAreExported() {
    Map<String, String> exports = exports();
    assertFalse(exports.keySet().stream().anyMatch(p -> p.startsWith("dev.switchboard.platform")));
    assertFalse(exports.keySet().stream().anyMatch(p -> p.startsWith("org.apache.felix")));
    assertFalse(exports.keySet().stream().anyMatch(p -> p.startsWith("org.junit")));
    assertFalse(exports.containsKey("org.slf4j.bridge"), "the JUL bridge is the host's business");
  }

  @Test
  void vertxIsExportedWithoutItsInternalsAndNettyNotAtAll() {
    Map<String, String> exports = exports();
    for (String pkg : List.of("io.vertx.core", "io.vertx.core.json", "io.vertx.core.http", "io.vertx.core.net",
        "io.vertx.core.buffer", "io.vertx.ext.web", "io.vertx.ext.web.client")) {
      assertTrue(exports.containsKey(pkg), pkg + " is public API: " + exports.keySet());
    }
    assertFalse(exports.containsKey("io.vertx.core.internal"));
    assertEquals(List.of(), exports.keySet().stream().filter(p -> p.startsWith("io.vertx.")).filter(p ->
        p.contains(".internal") || p.endsWith(".impl") || p.contains(".impl.") || p.contains(".spi")).toList(),
        "no internal, impl or spi package of Vert.x is exported");
    assertEquals(List.of(), exports.keySet().stream().filter(p -> p.startsWith("io.netty")).toList(),
        "Netty is not exported");
  }

  @Test
  void everyPackageOfTheApiIsExportedAndNothingThatMerelyStartsLikeIt() {
    assertTrue(FelixHost.EXPORTED_PACKAGES.test("dev.switchboard.api"));
    assertTrue(FelixHost.EXPORTED_PACKAGES.test("dev.switchboard.api.calls"));
    assertTrue(FelixHost.EXPORTED_PACKAGES.test("dev.switchboard.api.media.events"));
    assertFalse(FelixHost.EXPORTED_PACKAGES.test("dev.switchboard.apix"));
    assertFalse(FelixHost.EXPORTED_PACKAGES.test("io.vertx.core.net.impl.pool"));
    assertFalse(FelixHost.EXPORTED_PACKAGES.test("io.vertx.spi.cluster.hazelcast"));
  }

  @Test
  void mavenVersionsBecomeOsgiVersions() {
    assertEquals("5.0.7", SystemPackages.osgiVersion("5.0.7"));
    assertEquals("4.2.9.Final", SystemPackages.osgiVersion("4.2.9.Final"));
    assertEquals("2.0.0.SNAPSHOT", SystemPackages.osgiVersion("2.0-SNAPSHOT"));
    assertEquals("1.0.0.beta-1", SystemPackages.osgiVersion("1-beta-1"));
    assertEquals("0.0.0", SystemPackages.osgiVersion(null));
    assertEquals("0.0.0", SystemPackages.osgiVersion("latest"));
  }

  @Test
  void headerClausesSplitOutsideQuotes() {
    var clauses = OsgiHeaders.clauses("a.b;version=\"[1.0,2)\";uses:=\"x,y\",c.d;e.f;version=3");
    assertEquals(2, clauses.size());
    assertEquals("[1.0,2)", OsgiHeaders.attribute(clauses.get(0), "version"));
    assertEquals(java.util.List.of("c.d", "e.f"), OsgiHeaders.paths(clauses.get(1)));
    assertEquals("3", OsgiHeaders.attribute(clauses.get(1), "version"));
    assertEquals(null, OsgiHeaders.attribute(clauses.get(0), "uses"));
  }
}
