package dev.switchboard.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard audit}: the newest entries of a running server's audit log, through its admin API. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Prints the newest entries of the audit log (admin actions and state-changing REST calls), "
        + "newest last.")
final class AuditCommand extends BundlesCommand.Sub {

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "How many entries at most (default ${DEFAULT-VALUE}, at most 10000).")
  int limit;

  @Option(names = "--since", paramLabel = "INSTANT", description = "Only entries at or after this ISO-8601 instant.")
  String since;

  @Override
  Object execute(AdminClient client) throws AdminClient.Failure {
    return client.get("admin/audit?limit=" + limit + (since == null ? "" : "&since=" + AdminClient.encode(since)));
  }

  @Override
  void print(PrintWriter out, Object result) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TIME", "WHO", "ACTION", "STATUS", "CLIENT", "DETAIL"});
    for (Object o : (JsonArray) result) {
      JsonObject e = (JsonObject) o;
      JsonObject who = e.getJsonObject("who");
      String action = e.getString("action") != null ? e.getString("action") + " " + e.getString("path")
          : e.getString("method") + " " + e.getString("path");
      rows.add(new String[] {e.getString("time"), who == null ? "(no credential)" : who.getString("kind") + ":"
          + who.getString("name"), action, String.valueOf(e.getValue("status")), e.getString("client"), detail(e)});
    }
    Table.print(out, rows);
  }

  private static String detail(JsonObject e) {
    if (e.getJsonObject("jar") != null) {
      JsonObject jar = e.getJsonObject("jar");
      return "jar " + jar.getString("symbolicName") + " " + jar.getString("version") + " sha256:"
          + jar.getString("sha256", "").substring(0, Math.min(12, jar.getString("sha256", "").length()));
    }
    if (e.getJsonObject("key") != null) {
      return "key " + e.getJsonObject("key").getString("name");
    }
    return e.getString("requestId", e.getString("bundle", ""));
  }
}
