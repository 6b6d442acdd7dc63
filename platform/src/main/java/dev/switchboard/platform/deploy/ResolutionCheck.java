package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.framework.FelixLogBridge;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.apache.felix.framework.util.manifestparser.ManifestParser;
import org.osgi.framework.BundleException;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * Checks, before an upload goes into the deploy folder, that its manifest is one the framework accepts and that
 * something installed provides each of its mandatory requirements, without installing it (the framework installs
 * the jar once, from the deploy folder). The manifest is read with the parser Felix itself installs bundles with,
 * so the checked requirements are exactly the ones the resolver will see.
 *
 * <p>Each requirement is checked on its own; a conflict between them (a {@code uses} constraint) shows only
 * when the installed bundle fails to resolve, which the deployer reports and undoes as well. Blocking (reads the
 * jar, queries the framework): call from a worker.
 */
final class ResolutionCheck {

  private ResolutionCheck() {
  }

  /**
   * @throws SwitchboardException {@link ErrorCode#BAD_REQUEST} {@code invalidManifest} when the framework would
   *     refuse the manifest, {@link ErrorCode#UNPROCESSABLE} {@code bundleUnresolved} naming every missing
   *     requirement
   */
  static void check(BundleJar jar, FrameworkWiring wiring) {
    ManifestParser parsed = parse(jar);
    List<BundleRequirement> external = parsed.getRequirements().stream()
        .filter(requirement -> !providedByItself(requirement, parsed.getCapabilities())).toList();
    List<MissingRequirement> missing = BundleDiagnostics.missing(external, wiring);
    if (!missing.isEmpty()) {
      throw new SwitchboardException(ErrorCode.UNPROCESSABLE, "bundleUnresolved", "Bundle " + jar.symbolicName()
          + " " + jar.version() + " cannot be installed: it "
          + missing.stream().map(MissingRequirement::message).collect(Collectors.joining("; ")));
    }
  }

  private static ManifestParser parse(BundleJar jar) {
    Manifest manifest;
    try (JarFile file = new JarFile(jar.path().toFile())) {
      manifest = file.getManifest();
    } catch (IOException e) {
      throw new SwitchboardException(ErrorCode.INTERNAL, "storageError", "Cannot read the uploaded jar: " + e, e);
    }
    Map<String, Object> headers = new HashMap<>();
    manifest.getMainAttributes().forEach((name, value) -> headers.put(name.toString(), value));
    try {
      // No revision yet: the requirements are only matched against what is installed, never wired.
      return new ManifestParser(new FelixLogBridge(), Map.of(), null, headers);
    } catch (BundleException | RuntimeException e) {
      throw new SwitchboardException(ErrorCode.BAD_REQUEST, "invalidManifest", "The bundle's manifest is invalid: "
          + e.getMessage());
    }
  }

  /** A package the bundle both exports and imports (bnd's default) may be wired to its own export. */
  private static boolean providedByItself(BundleRequirement requirement, List<BundleCapability> capabilities) {
    String filter = requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
    if (filter == null) {
      return false;
    }
    Filter parsed;
    try {
      parsed = FrameworkUtil.createFilter(filter);
    } catch (InvalidSyntaxException e) {
      return false;
    }
    return capabilities.stream().anyMatch(c -> c.getNamespace().equals(requirement.getNamespace())
        && parsed.matches(c.getAttributes()));
  }
}
