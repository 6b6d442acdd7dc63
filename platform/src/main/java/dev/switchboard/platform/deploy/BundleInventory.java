package dev.switchboard.platform.deploy;

import dev.switchboard.api.ErrorCode;
import dev.switchboard.api.SwitchboardException;
import dev.switchboard.platform.framework.FelixHost;
import dev.switchboard.platform.plugin.PluginInfo;
import dev.switchboard.platform.plugin.PluginRegistry;
import dev.switchboard.platform.plugin.PluginState;
import dev.switchboard.platform.routing.KeyRouter;
import dev.switchboard.platform.routing.Member;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;

/**
 * What is installed, as operators see it: bundles by name, their plugins and problems, and readiness.
 * Thread-safe; reads only.
 */
public final class BundleInventory {

  private final FelixHost host;
  private final PluginRegistry registry;
  private final Path deployDir;
  private final KeyRouter router;
  private final Supplier<Set<String>> grantedRoles;

  /**
   * @param grantedRoles the Graph application permissions the bot's token carries, {@code null} while unknown
   */
  public BundleInventory(FelixHost host, PluginRegistry registry, KeyRouter router, Path deployDir,
      Supplier<Set<String>> grantedRoles) {
    this.host = host;
    this.registry = registry;
    this.router = router;
    this.deployDir = deployDir;
    this.grantedRoles = grantedRoles;
  }

  /** The bundles operators manage: everything but the framework and FileInstall. */
  List<Bundle> bundles() {
    return Stream.of(host.context().getBundles())
        .filter(b -> !FelixHost.isInfrastructure(b))
        .filter(b -> b.getState() != Bundle.UNINSTALLED)
        .sorted(Comparator.comparing(Bundle::getSymbolicName).thenComparing(Bundle::getVersion))
        .collect(Collectors.toList());
  }

  /**
   * Finds a bundle by symbolic name, by the last segment of its symbolic name when unique
   * ({@code calling} for {@code dev.switchboard.calling}), or by the name of one of its plugins.
   *
   * @throws SwitchboardException {@link ErrorCode#NOT_FOUND} when none matches
   */
  Bundle find(String name) {
    List<Bundle> all = bundles();
    Optional<Bundle> exact = current(all.stream().filter(b -> b.getSymbolicName().equals(name)).toList());
    if (exact.isPresent()) {
      return exact.get();
    }
    List<Bundle> bySegment = all.stream().filter(b -> b.getSymbolicName().endsWith("." + name)).toList();
    if (bySegment.stream().map(Bundle::getSymbolicName).distinct().count() == 1) {
      return current(bySegment).orElseThrow();
    }
    for (Bundle b : all) {
      if (registry.pluginsOf(b.getBundleId()).stream().anyMatch(p -> p.name().equals(name))) {
        return b;
      }
    }
    throw new SwitchboardException(ErrorCode.NOT_FOUND, "bundleNotFound", "No bundle named '" + name
        + "' is installed" + (bySegment.size() > 1 ? " (ambiguous: use the full symbolic name)" : "")
        + "; GET /admin/bundles lists them");
  }

  /**
   * Of several installed versions of one bundle (during a drain), the current one: not draining, most
   * recently installed.
   */
  private Optional<Bundle> current(List<Bundle> versions) {
    return versions.stream().max(Comparator.comparing((Bundle b) -> !draining(b)).thenComparing(Bundle::getBundleId));
  }

  private boolean draining(Bundle bundle) {
    return router.membersOf(bundle.getBundleId()).stream().anyMatch(m -> m.state() != Member.State.ACTIVE);
  }

  /** The bundle installed from {@code jar} in the deploy folder, if any. */
  Optional<Bundle> installedFrom(Path jar) {
    return bundles().stream().filter(b -> jar.equals(fileOf(b))).findFirst();
  }

  /** The deploy-folder file a bundle was installed from, or {@code null}. */
  Path fileOf(Bundle bundle) {
    String location = bundle.getLocation();
    if (!location.startsWith("file:")) {
      return null;
    }
    try {
      return Path.of(URI.create(location)).toAbsolutePath().normalize();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Every managed bundle, as in {@code GET /admin/bundles}. Calls the framework: run on a worker. */
  public List<BundleView> list() {
    return bundles().stream().map(this::view).toList();
  }

  /** One bundle with its plugins and problems, as it is now. */
  BundleView view(Bundle bundle) {
    List<Member> members = router.membersOf(bundle.getBundleId());
    boolean draining = bundle.getState() == Bundle.ACTIVE
        && members.stream().anyMatch(m -> m.state() != Member.State.ACTIVE);
    Path file = fileOf(bundle);
    boolean deployed = file != null && file.startsWith(deployDir);
    List<PluginInfo> plugins = registry.pluginsOf(bundle.getBundleId());
    List<String> problems = new ArrayList<>();
    if (bundle.getState() == Bundle.INSTALLED) {
      List<MissingRequirement> missing = BundleDiagnostics.missing(bundle, host.wiring());
      missing.forEach(m -> problems.add(m.message()));
      if (missing.isEmpty()) {
        problems.add("installed but not resolved: a bundle it depends on cannot resolve itself");
      }
    }
    plugins.stream().filter(p -> p.state() == PluginState.FAILED)
        .forEach(p -> problems.add("plugin " + p.name() + " failed: " + p.failure()));
    plugins.stream().filter(p -> p.state() != PluginState.FAILED && p.degraded())
        .forEach(p -> problems.add("plugin " + p.name() + " is degraded: " + p.health().degraded()));
    problems.addAll(missingPermissions(bundle));
    return new BundleView(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
        draining ? BundleView.State.DRAINING : state(bundle.getState()),
        members.stream().mapToInt(Member::ownedKeys).sum(),
        deployed ? deployDir.relativize(file).toString() : null,
        deployed ? null : bundle.getLocation(),
        plugins.stream().map(p -> new BundleView.Plugin(p, members.stream()
            .filter(m -> m.pluginName().equals(p.name())).mapToInt(Member::ownedKeys).sum())).toList(),
        problems);
  }

  /** {@code GET /admin/bundles/{name}/diag}. Calls the framework: run on a worker. */
  public BundleDiagnosis diag(String name) {
    Bundle bundle = find(name);
    BundleView view = view(bundle);
    boolean resolved = bundle.getState() != Bundle.INSTALLED;
    List<MissingRequirement> missing = resolved ? List.of() : BundleDiagnostics.missing(bundle, host.wiring());
    String message = "Bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " " + (view.problems().isEmpty()
        ? "is " + stateName(bundle.getState()) + " with no problems" : String.join("; ", view.problems()));
    return new BundleDiagnosis(view, resolved, missing, message);
  }

  /**
   * Readiness: the framework runs and every jar in the deploy folder is an active bundle.
   *
   * @return {@code {"ready": bool, "problems": [...]}}
   */
  public JsonObject readiness() {
    List<String> problems = new ArrayList<>();
    if (!host.isActive()) {
      problems.add("the OSGi framework is not running");
    } else {
      for (Path jar : deployedJars()) {
        Optional<Bundle> bundle = installedFrom(jar);
        String file = deployDir.relativize(jar).toString();
        if (bundle.isEmpty()) {
          problems.add(file + " is not installed yet");
        } else if (bundle.get().getState() != Bundle.ACTIVE) {
          problems.add(file + " (" + bundle.get().getSymbolicName() + ") is " + stateName(bundle.get().getState()));
        } else if (!registry.settled(bundle.get().getBundleId())) {
          problems.add(file + " (" + bundle.get().getSymbolicName() + ") is still starting its plugins");
        } else {
          problems.addAll(missingPermissions(bundle.get()));
        }
      }
    }
    // A degraded plugin is listed, but does not make the node unready: one misbehaving bundle taking the whole
    // node out of service is what isolation is meant to prevent.
    List<String> degraded = registry.all().stream().filter(p -> p.degraded() && p.state() == PluginState.ACTIVE)
        .map(p -> p.name() + " " + p.version() + ": " + p.health().degraded()).toList();
    return new JsonObject().put("ready", problems.isEmpty()).put("problems", new JsonArray(problems))
        .put("degraded", new JsonArray(degraded));
  }

  /** What the bundle needs of Graph that the bot's token lacks, in sentences naming the bundle by its plugins. */
  private List<String> missingPermissions(Bundle bundle) {
    List<PluginInfo> plugins = registry.pluginsOf(bundle.getBundleId());
    String name = plugins.isEmpty() ? bundle.getSymbolicName()
        : plugins.stream().map(PluginInfo::name).distinct().collect(Collectors.joining(", "));
    return GraphPermissions.missing(bundle, name, grantedRoles.get());
  }

  List<Path> deployedJars() {
    if (!Files.isDirectory(deployDir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(deployDir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
          .map(p -> p.toAbsolutePath().normalize())
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      return List.of();
    }
  }

  static String stateName(int state) {
    return state(state).name();
  }

  private static BundleView.State state(int state) {
    return switch (state) {
      case Bundle.INSTALLED -> BundleView.State.INSTALLED;
      case Bundle.RESOLVED -> BundleView.State.RESOLVED;
      case Bundle.STARTING -> BundleView.State.STARTING;
      case Bundle.STOPPING -> BundleView.State.STOPPING;
      case Bundle.ACTIVE -> BundleView.State.ACTIVE;
      default -> BundleView.State.UNINSTALLED;
    };
  }
}
