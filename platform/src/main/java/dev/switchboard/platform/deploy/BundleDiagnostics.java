package dev.switchboard.platform.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.ExecutionEnvironmentNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;
import org.osgi.resource.Requirement;

/**
 * Explains, in plain words, why a bundle cannot resolve: for each mandatory requirement that nothing
 * installed provides, what is missing and what to do about it.
 */
final class BundleDiagnostics {

  private static final Pattern ATTR = Pattern.compile("\\(([\\w.-]+)(>=|<=|=|~=)([^)]*)\\)");
  private static final Pattern NOT_ATTR = Pattern.compile("\\(!\\(([\\w.-]+)(>=|<=|=)([^)]*)\\)\\)");

  private BundleDiagnostics() {
  }

  /** The mandatory requirements of {@code bundle}'s current revision that no installed bundle satisfies. */
  static List<MissingRequirement> missing(Bundle bundle, FrameworkWiring wiring) {
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    if (revision == null) {
      return List.of();
    }
    return missing(revision.getDeclaredRequirements(null), wiring);
  }

  /**
   * Of {@code requirements}, the mandatory ones, effective at resolve time, that no installed bundle satisfies.
   * Each is checked on its own: constraints between them ({@code uses}) are the resolver's business.
   */
  static List<MissingRequirement> missing(List<? extends Requirement> requirements, FrameworkWiring wiring) {
    List<MissingRequirement> missing = new ArrayList<>();
    for (Requirement requirement : requirements) {
      Map<String, String> directives = requirement.getDirectives();
      if (Namespace.RESOLUTION_OPTIONAL.equals(directives.get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))
          || !Namespace.EFFECTIVE_RESOLVE.equals(
              directives.getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE, Namespace.EFFECTIVE_RESOLVE))
          || requirement.getNamespace().startsWith("osgi.identity")) {
        continue;
      }
      if (wiring.findProviders(requirement).isEmpty()) {
        missing.add(describe(requirement));
      }
    }
    return missing;
  }

  static MissingRequirement describe(Requirement requirement) {
    String namespace = requirement.getNamespace();
    String filter = requirement.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
    String name = value(filter, namespace);
    String range = range(filter);
    String versionText = range == null ? "" : " (version " + range + ")";
    switch (namespace) {
      case PackageNamespace.PACKAGE_NAMESPACE:
        return new MissingRequirement(namespace, name, range, filter, "imports package " + name + versionText
            + ", which neither the platform nor any installed bundle exports; install a bundle that exports it, "
            + "embed it in this bundle, or drop the import");
      case BundleNamespace.BUNDLE_NAMESPACE:
        return new MissingRequirement(namespace, name, range, filter, "requires bundle " + name + versionText
            + ", which is not installed");
      case ExecutionEnvironmentNamespace.EXECUTION_ENVIRONMENT_NAMESPACE:
        String java = value(filter, "version");
        return new MissingRequirement(namespace, "Java " + java, null, filter, "needs Java " + java
            + " but this server runs Java " + Runtime.version().feature() + "; build the bundle for Java "
            + Runtime.version().feature() + " or run the server on a newer Java");
      default:
        return new MissingRequirement(namespace, name == null ? namespace : name, range, filter, "requires capability "
            + namespace + " matching " + filter + ", which nothing installed provides");
    }
  }

  private static String value(String filter, String attribute) {
    Matcher m = ATTR.matcher(filter);
    while (m.find()) {
      if (m.group(1).equals(attribute) && m.group(2).equals("=")) {
        return m.group(3);
      }
    }
    return null;
  }

  /** {@code (version>=1.0.0)(!(version>=2.0.0))} → {@code [1.0.0,2.0.0)}. */
  private static String range(String filter) {
    String low = null;
    String high = null;
    boolean highInclusive = false;
    Matcher not = NOT_ATTR.matcher(filter);
    String rest = filter;
    while (not.find()) {
      if (not.group(1).equals("version")) {
        if (not.group(2).equals(">=")) {
          high = not.group(3);
        } else if (not.group(2).equals("<=")) {
          low = low == null ? "(" + not.group(3) : low;
        }
      }
    }
    rest = NOT_ATTR.matcher(rest).replaceAll("");
    Matcher m = ATTR.matcher(rest);
    while (m.find()) {
      if (m.group(1).equals("version")) {
        if (m.group(2).equals(">=")) {
          low = "[" + m.group(3);
        } else if (m.group(2).equals("<=")) {
          high = m.group(3);
          highInclusive = true;
        } else if (m.group(2).equals("=")) {
          return "[" + m.group(3) + "," + m.group(3) + "]";
        }
      }
    }
    if (low == null && high == null) {
      return null;
    }
    if (high == null) {
      return low.substring(1) + " or later";
    }
    return (low == null ? "[0.0.0" : low) + "," + high + (highInclusive ? "]" : ")");
  }
}
