package dev.switchboard.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;

/** {@code switchboard cluster}: the members of a running server's cluster, their bundles and keys. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Lists the members of the server's cluster (itself alone when cluster.enabled is false), the "
        + "bundles each runs and how many keys each owns.")
final class ClusterCommand extends BundlesCommand.Sub {

  @Override
  Object execute(AdminClient client) throws AdminClient.Failure {
    return client.get("admin/cluster");
  }

  @Override
  void print(PrintWriter out, Object result) {
    JsonObject cluster = (JsonObject) result;
    if (cluster.getBoolean("enabled", false)) {
      out.println("cluster '" + cluster.getString("name") + "': " + cluster.getJsonArray("members").size()
          + " members, quorum " + cluster.getValue("quorum") + ", key migrations " + cluster.getValue("keyMigrations"));
    } else {
      out.println("cluster mode is off (cluster.enabled: false): one server");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"MEMBER", "READY", "OWNED KEYS", "LIVE KEYS", "BUNDLES"});
    for (Object o : cluster.getJsonArray("members")) {
      JsonObject m = (JsonObject) o;
      String id = m.getString("id", "this server") + (m.getBoolean("self", false) ? " (this)" : "");
      if (m.getString("problem") != null) {
        rows.add(new String[] {id, "?", "?", "?", "did not answer: " + m.getString("problem")});
        continue;
      }
      String bundles = m.getJsonArray("bundles", new JsonArray()).stream().map(b -> (JsonObject) b)
          .map(b -> b.getString("name") + " " + b.getString("version") + " " + b.getString("state"))
          .collect(Collectors.joining(", "));
      rows.add(new String[] {id, String.valueOf(m.getBoolean("ready")), String.valueOf(m.getValue("ownedKeys", "-")),
          String.valueOf(m.getValue("liveKeys")), bundles});
    }
    Table.print(out, rows);
  }
}
