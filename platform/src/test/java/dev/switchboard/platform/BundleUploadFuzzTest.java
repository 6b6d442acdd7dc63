package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.platform.fuzz.Fuzz;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of bundle uploads ({@code POST /admin/bundles}) on a real server: random bytes, jars with
 * random manifests and entry names, a zip bomb and jars with {@code ../} entries. Invariant: a clear 4xx (or 201 for
 * a jar that is a bundle), never a 5xx, and nothing written outside the server's folders.
 */
class BundleUploadFuzzTest {

  private static final Set<Integer> OK = Set.of(201, 400, 409, 413, 422);
  private static Path root;
  private static Path home;
  private static TestServer server;

  @BeforeContainer
  static void start() throws Exception {
    root = Files.createTempDirectory("upload-fuzz");
    home = Files.createDirectories(root.resolve("a/b/c/home"));
    server = TestServer.start(home, Map.of());
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      assertEquals(200, server.http(HttpMethod.GET, "/health/live", null).statusCode(), "the server still answers");
      try (Stream<Path> outside = Files.walk(root)) {
        assertEquals(java.util.List.of(), outside.filter(p -> !p.startsWith(home) && Files.isRegularFile(p)).toList(),
            "nothing written outside the server's home");
      }
    } finally {
      server.close();
    }
  }

  @Property(seed = Fuzz.SEED)
  void randomBytes(@ForAll("bytes") byte[] body) throws Exception {
    expect(upload(body), body.length + " bytes");
  }

  @Property(seed = Fuzz.SEED)
  void jarsWithRandomManifestsAndEntries(@ForAll Random random) throws Exception {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    String[] headers = {"Bundle-SymbolicName", "Bundle-Version", "Bundle-ManifestVersion", "Import-Package",
        "Export-Package", "Bundle-ClassPath", "Switchboard-Plugin", "Require-Capability", "Bundle-Activator"};
    for (String header : headers) {
      if (random.nextInt(3) > 0) {
        main.putValue(header, random.nextBoolean() ? encodable(Fuzz.randomString(random))
            : "fuzz.b" + random.nextInt(5) + ";x=" + random.nextInt(3));
      }
    }
    String[] names = {"a.txt", "../a.txt", "dir/../../b.txt", "/abs.txt", "c:\\\\win.txt", "ok/", "x/y/z.class",
        encodable(Fuzz.randomString(random)) + ".txt"};
    byte[] jar = jar(manifest, names[random.nextInt(names.length)], new byte[random.nextInt(100)], 1);
    HttpResponse<Buffer> r = upload(jar);
    expect(r, main.entrySet().toString());
    if (r.statusCode() == 201) {
      String name = new JsonObject(r.bodyAsString()).getString("name");
      server.admin(HttpMethod.DELETE, "/admin/bundles/" + name, null);
    }
  }

  @Example
  void aZipBombIsRefusedBeforeItIsInflated() throws Exception {
    byte[] bomb = jar(bundleManifest("fuzz.bomb"), "zeros.bin", null, 600);
    assertTrue(bomb.length < 4 * 1024 * 1024, "a small upload: " + bomb.length);
    HttpResponse<Buffer> r = upload(bomb);
    assertEquals(413, r.statusCode(), r.bodyAsString());
    assertEquals("jarTooLarge", new JsonObject(r.bodyAsString()).getJsonObject("error").getString("code"));
  }

  @Example
  void entriesPointingOutsideTheJarAreRefused() throws Exception {
    for (String entry : new String[] {"../../../../escaped.txt", "lib/../../escaped.txt", "/tmp/escaped.txt"}) {
      Manifest m = bundleManifest("fuzz.escape");
      m.getMainAttributes().putValue("Bundle-ClassPath", ".," + entry);
      HttpResponse<Buffer> r = upload(jar(m, entry, "escaped".getBytes(), 1));
      assertEquals(400, r.statusCode(), entry + ": " + r.bodyAsString());
      assertEquals("unsafeEntry", new JsonObject(r.bodyAsString()).getJsonObject("error").getString("code"));
    }
    Manifest traversal = bundleManifest("../../escaped");
    HttpResponse<Buffer> r = upload(jar(traversal, "a.txt", new byte[1], 1));
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertFalse(Files.exists(home.resolve("escaped.jar")) || Files.exists(home.getParent().resolve("escaped.jar")));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(3000).map(b -> {
          byte[] out = new byte[b.length + 4];
          out[0] = 'P';
          out[1] = 'K';
          out[2] = 3;
          out[3] = 4;
          System.arraycopy(b, 0, out, 4, b.length);
          return out;
        }));
  }

  /** Without what a jar cannot hold at all (controls, lone surrogates): the server never sees those. */
  private static String encodable(String text) {
    return text.replaceAll("[\\p{Cntrl}\\uD800-\\uDFFF\\uFFFE\\uFFFF]", "");
  }

  private static Manifest bundleManifest(String symbolicName) {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
    m.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
    m.getMainAttributes().putValue("Bundle-Version", "1.0.0");
    return m;
  }

  /** A jar with one entry: {@code content}, or {@code zeroMegabytes} MiB of zeros deflated (a bomb). */
  private static byte[] jar(Manifest manifest, String entry, byte[] content, int zeroMegabytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.setLevel(Deflater.BEST_COMPRESSION);
      jar.putNextEntry(new ZipEntry(entry));
      if (content != null) {
        jar.write(content);
      } else {
        byte[] zeros = new byte[1024 * 1024];
        for (int i = 0; i < zeroMegabytes; i++) {
          jar.write(zeros);
        }
      }
      jar.closeEntry();
    }
    return out.toByteArray();
  }

  private static HttpResponse<Buffer> upload(byte[] body) throws Exception {
    return server.admin(HttpMethod.POST, "/admin/bundles", Buffer.buffer(body));
  }

  private static void expect(HttpResponse<Buffer> r, String input) {
    assertTrue(OK.contains(r.statusCode()), "answered " + r.statusCode() + " " + r.bodyAsString() + " to " + input);
    if (r.statusCode() >= 400) {
      JsonObject error = new JsonObject(r.bodyAsString()).getJsonObject("error");
      assertTrue(error != null && error.getString("code") != null, "a clear error: " + r.bodyAsString());
    }
  }
}
