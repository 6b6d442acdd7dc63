package dev.switchboard.platform.framework;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * Computes, from the host's classpath, the packages the system bundle exports to bundles, each with a
 * version, so that bnd-generated import ranges such as {@code io.vertx.core;version="[5.0,6)"} resolve.
 *
 * <p>For jars (or class folders) that are already bundles the {@code Export-Package} header is reused;
 * for plain jars (Vert.x) the packages are listed from their {@code .class} entries and given the jar's
 * Maven version in OSGi syntax. Only the packages a given selection accepts are exported (see
 * {@link FelixHost#EXPORTED_PACKAGES}): the platform's own classes, Felix and the libraries it uses privately stay
 * hidden. When two entries of the classpath hold the same package, the first wins, as it does for class loading.
 */
public final class SystemPackages {

  private static final Pattern MAVEN_VERSION =
      Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[.-]([A-Za-z0-9_.-]+))?");

  private SystemPackages() {
  }

  /**
   * The value for {@code org.osgi.framework.system.packages.extra}.
   *
   * @param loader the class loader whose classpath is scanned
   * @param exported which packages to export
   */
  public static String exportsFor(ClassLoader loader, Predicate<String> exported) {
    Map<String, String> packages = new TreeMap<>();
    try {
      Enumeration<URL> manifests = loader.getResources(JarFile.MANIFEST_NAME);
      while (manifests.hasMoreElements()) {
        scan(manifests.nextElement(), exported, packages);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot scan the classpath for packages to export", e);
    }
    return packages.entrySet().stream()
        .map(e -> e.getKey() + ";version=\"" + e.getValue() + "\"")
        .collect(Collectors.joining(","));
  }

  /** Packages named {@code name} or below it: {@code under("io.vertx")} accepts {@code io.vertx.core}. */
  public static Predicate<String> under(String... names) {
    List<String> roots = List.of(names);
    return pkg -> roots.stream().anyMatch(root -> pkg.equals(root) || pkg.startsWith(root + "."));
  }

  /**
   * Packages none of whose segments is one of {@code segments}: {@code withoutSegments("impl")} refuses
   * {@code io.vertx.core.impl} and {@code io.vertx.core.net.impl.pool}.
   */
  public static Predicate<String> withoutSegments(String... segments) {
    List<String> refused = List.of(segments);
    return pkg -> Stream.of(pkg.split("\\.")).noneMatch(refused::contains);
  }

  private static void scan(URL manifestUrl, Predicate<String> exported, Map<String, String> out) throws IOException {
    Path root = rootOf(manifestUrl);
    if (root == null) {
      return;
    }
    Manifest manifest;
    try (InputStream in = manifestUrl.openStream()) {
      manifest = new Manifest(in);
    }
    Attributes main = manifest.getMainAttributes();
    String exports = main.getValue("Export-Package");
    if (exports != null && main.getValue("Bundle-SymbolicName") != null) {
      for (String clause : OsgiHeaders.clauses(exports)) {
        String version = OsgiHeaders.attribute(clause, "version");
        for (String pkg : OsgiHeaders.paths(clause)) {
          if (exported.test(pkg)) {
            out.putIfAbsent(pkg, version == null ? "0.0.0" : version);
          }
        }
      }
      return;
    }
    List<String> packages = listPackages(root, exported);
    if (!packages.isEmpty()) {
      String version = osgiVersion(mavenVersion(root, main));
      packages.forEach(pkg -> out.putIfAbsent(pkg, version));
    }
  }

  private static Path rootOf(URL manifestUrl) {
    try {
      String spec = manifestUrl.toString();
      if (spec.startsWith("jar:file:")) {
        return Path.of(new URI(spec.substring(4, spec.indexOf("!/"))));
      }
      if (spec.startsWith("file:")) {
        return Path.of(manifestUrl.toURI()).getParent().getParent();
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
    return null;
  }

  private static List<String> listPackages(Path root, Predicate<String> exported) throws IOException {
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(p -> p.toString().endsWith(".class"))
            .map(p -> root.relativize(p).toString().replace('\\', '/'))
            .forEach(names::add);
      }
    } else {
      try (JarFile jar = new JarFile(root.toFile())) {
        jar.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class")).forEach(names::add);
      }
    }
    return names.stream()
        .filter(n -> !n.startsWith("META-INF/") && n.indexOf('/') > 0)
        .map(n -> n.substring(0, n.lastIndexOf('/')).replace('/', '.'))
        .distinct()
        .filter(exported)
        .collect(Collectors.toList());
  }

  private static String mavenVersion(Path root, Attributes main) throws IOException {
    String version = main.getValue("Maven-Version");
    if (version == null && !Files.isDirectory(root)) {
      try (JarFile jar = new JarFile(root.toFile())) {
        ZipEntry pom = jar.stream()
            .filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/pom.properties"))
            .findFirst().orElse(null);
        if (pom != null) {
          Properties props = new Properties();
          try (InputStream in = jar.getInputStream(pom)) {
            props.load(in);
          }
          version = props.getProperty("version");
        }
      }
    }
    if (version == null) {
      version = main.getValue("Implementation-Version");
    }
    return version;
  }

  /** {@code 5.0.7} stays, {@code 4.2.9.Final} stays, {@code 2.0-SNAPSHOT} becomes {@code 2.0.0.SNAPSHOT}. */
  static String osgiVersion(String maven) {
    if (maven == null) {
      return "0.0.0";
    }
    Matcher m = MAVEN_VERSION.matcher(maven.trim());
    if (!m.matches()) {
      return "0.0.0";
    }
    String v = m.group(1) + "." + (m.group(2) == null ? "0" : m.group(2)) + "." + (m.group(3) == null ? "0" : m.group(3));
    String qualifier = m.group(4);
    return qualifier == null ? v : v + "." + qualifier.replace('.', '_');
  }
}
