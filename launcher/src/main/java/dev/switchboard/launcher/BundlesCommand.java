package dev.switchboard.launcher;

import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.config.SwitchboardConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code switchboard bundles ...}: a client of a running server's admin API. */
@Command(name = "bundles", mixinStandardHelpOptions = true,
    description = "Lists, installs, updates, uninstalls and diagnoses bundles of a running server.",
    subcommands = {BundlesCommand.List.class, BundlesCommand.Install.class, BundlesCommand.Update.class,
        BundlesCommand.Rollback.class, BundlesCommand.Uninstall.class, BundlesCommand.Diag.class})
final class BundlesCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the admin API is and how to authenticate. */
  static final class Target {
    @Option(names = "--admin-url", paramLabel = "URL",
        description = "Admin API base URL (default: from admin.host and admin.port of the configuration).")
    URI adminUrl;

    @Option(names = "--token", paramLabel = "TOKEN",
        description = "Admin token (default: SWITCHBOARD_ADMIN_TOKEN, admin.token, or data/admin.token).")
    String token;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file of the server.")
    Path config;

    @Option(names = "--json", description = "Print the admin API's JSON instead of a summary.")
    boolean json;

    AdminClient client() throws AdminClient.Failure {
      Path home = Home.locate();
      SwitchboardConfig loaded;
      try {
        loaded = ConfigLoader.load(Home.configFile(home, config), System.getenv(), home);
      } catch (ConfigException e) {
        throw new AdminClient.Failure("bad configuration: " + e.getMessage(), 2);
      }
      URI base = adminUrl;
      if (base == null) {
        String host = loaded.admin().host();
        host = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + loaded.admin().port() + "/");
      } else if (!base.toString().endsWith("/")) {
        base = URI.create(base + "/");
      }
      String bearer = token != null ? token : loaded.admin().token();
      if (bearer == null) {
        Path file = loaded.data().dir().resolve("admin.token");
        try {
          bearer = Files.exists(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
          throw new AdminClient.Failure("cannot read the admin token from " + file + ": " + e.getMessage(), 2);
        }
      }
      return new AdminClient(base, bearer);
    }
  }

  /**
   * Runs a command of the admin API (here, in {@code keys} and {@code audit}), turning failures into a message on
   * stderr and an exit code.
   */
  abstract static class Sub implements Callable<Integer> {
    @Mixin
    Target target;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try {
        Object result = execute(target.client());
        if (target.json && result != null) {
          out.println(result instanceof JsonObject o ? o.encodePrettily() : ((JsonArray) result).encodePrettily());
        } else {
          print(out, result);
        }
        out.flush();
        return 0;
      } catch (AdminClient.Failure e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("switchboard: " + e.getMessage());
        err.flush();
        return e.exitCode;
      }
    }

    abstract Object execute(AdminClient client) throws AdminClient.Failure;

    abstract void print(PrintWriter out, Object result);
  }

  @Command(name = "list", description = "Lists installed bundles, their plugins and problems.")
  static final class List extends Sub {
    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.get("admin/bundles");
    }

    @Override
    void print(PrintWriter out, Object result) {
      JsonArray bundles = (JsonArray) result;
      java.util.List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "VERSION", "STATE", "KEYS", "PLUGINS"});
      for (Object o : bundles) {
        JsonObject b = (JsonObject) o;
        rows.add(new String[] {b.getString("name"), b.getString("version"), b.getString("state"),
            String.valueOf(b.getInteger("keys", 0)), plugins(b)});
      }
      Table.print(out, rows);
      for (Object o : bundles) {
        JsonObject b = (JsonObject) o;
        b.getJsonArray("problems", new JsonArray()).forEach(p -> out.println("! " + b.getString("name") + ": " + p));
      }
    }
  }

  @Command(name = "install", description = "Installs and starts a bundle jar.")
  static final class Install extends Sub {
    @Parameters(paramLabel = "JAR", description = "The bundle jar.")
    Path jar;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.upload("POST", "admin/bundles", jar);
    }

    @Override
    void print(PrintWriter out, Object result) {
      out.println("Installed " + summary((JsonObject) result));
    }
  }

  @Command(name = "update", description = "Updates a bundle to a new jar (a new Bundle-Version), side by side: the old "
      + "version keeps serving if the new one fails to start.")
  static final class Update extends Sub {
    @Parameters(index = "0", paramLabel = "NAME", description = "Bundle name (symbolic name, its last segment, or a plugin name).")
    String name;

    @Parameters(index = "1", paramLabel = "JAR", description = "The new bundle jar.")
    Path jar;

    @Option(names = "--mode", paramLabel = "drain|takeover", description = "How live keys move to the new version: "
        + "drain (default) lets the old version finish its keys, takeover hands them over at once.")
    String mode;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.upload("PUT", "admin/bundles/" + AdminClient.encode(name) + query(mode), jar);
    }

    @Override
    void print(PrintWriter out, Object result) {
      out.println("Updated to " + summary((JsonObject) result));
    }
  }

  @Command(name = "rollback", description = "Goes back to the version a bundle had before its last update.")
  static final class Rollback extends Sub {
    @Parameters(paramLabel = "NAME", description = "Bundle name.")
    String name;

    @Option(names = "--mode", paramLabel = "drain|takeover", description = "As for update (default drain).")
    String mode;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.post("admin/bundles/" + AdminClient.encode(name) + "/rollback" + query(mode));
    }

    @Override
    void print(PrintWriter out, Object result) {
      out.println("Rolled back to " + summary((JsonObject) result));
    }
  }

  static String query(String mode) {
    return mode == null ? "" : "?mode=" + AdminClient.encode(mode);
  }

  @Command(name = "uninstall", description = "Stops and removes a bundle.")
  static final class Uninstall extends Sub {
    @Parameters(paramLabel = "NAME", description = "Bundle name.")
    String name;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.delete("admin/bundles/" + AdminClient.encode(name));
    }

    @Override
    void print(PrintWriter out, Object result) {
      out.println("Uninstalled " + name);
    }
  }

  @Command(name = "diag", description = "Explains why a bundle is not running: missing packages, failed plugins.")
  static final class Diag extends Sub {
    @Parameters(paramLabel = "NAME", description = "Bundle name.")
    String name;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.get("admin/bundles/" + AdminClient.encode(name) + "/diag");
    }

    @Override
    void print(PrintWriter out, Object result) {
      JsonObject diag = (JsonObject) result;
      out.println(diag.getString("message"));
      for (Object m : diag.getJsonArray("missing", new JsonArray())) {
        out.println("  missing: " + ((JsonObject) m).getString("namespace") + " " + ((JsonObject) m).getString("name")
            + (((JsonObject) m).getString("versionRange") == null ? "" : " " + ((JsonObject) m).getString("versionRange")));
      }
    }
  }

  static String summary(JsonObject bundle) {
    int keys = bundle.getInteger("keys", 0);
    return bundle.getString("name") + " " + bundle.getString("version") + " (" + bundle.getString("state")
        + (keys > 0 ? ", " + keys + " keys" : "") + ")"
        + (bundle.getJsonArray("plugins").isEmpty() ? "" : ", plugins: " + plugins(bundle));
  }

  static String plugins(JsonObject bundle) {
    JsonArray plugins = bundle.getJsonArray("plugins", new JsonArray());
    if (plugins.isEmpty()) {
      return "-";
    }
    return plugins.stream().map(JsonObject.class::cast)
        .map(p -> p.getString("name") + " " + p.getString("state") + (p.containsKey("degraded") ? " DEGRADED" : ""))
        .collect(Collectors.joining(", "));
  }
}
