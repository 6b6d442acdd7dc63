package dev.switchboard.launcher;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard keys ...}: the REST API keys of a running server, through its admin API. */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Creates, lists and revokes the API keys that callers of the REST API (/api/v1) send as "
        + "'Authorization: Bearer <key>'.",
    subcommands = {KeysCommand.Create.class, KeysCommand.List.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", description = "Creates a key and prints its secret, which is shown this once and stored "
      + "by the server only as a hash.")
  static final class Create extends BundlesCommand.Sub {
    @Parameters(paramLabel = "NAME", description = "The key's name, e.g. crm (letters, digits, '.', '_', '-').")
    String name;

    @Option(names = "--scope", paramLabel = "SCOPE", required = true, split = ",",
        description = "A scope the key grants, e.g. calls:write or records:read; repeat or comma-separate for more. "
            + "'calls:*' grants every calls scope, '*' every scope.")
    java.util.List<String> scopes;

    @ArgGroup(exclusive = true)
    Expiry expiry;

    static final class Expiry {
      @Option(names = "--ttl", paramLabel = "DURATION", description = "Expires after this long, e.g. 90d, 12h, 30m.")
      String ttl;

      @Option(names = "--expires-at", paramLabel = "INSTANT", description = "Expires at this ISO-8601 instant, e.g. "
          + "2027-01-31T00:00:00Z.")
      String expiresAt;
    }

    @Option(names = "--rate", paramLabel = "PER_SECOND",
        description = "Most requests per second the key may make (bursts of one second's worth); default no limit.")
    Double rate;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      JsonObject request = new JsonObject().put("name", name).put("scopes", new JsonArray(scopes));
      if (expiry != null) {
        request.put("ttl", expiry.ttl).put("expiresAt", expiry.expiresAt);
      }
      if (rate != null) {
        request.put("ratePerSecond", rate);
      }
      return client.post("admin/keys", request);
    }

    @Override
    void print(PrintWriter out, Object result) {
      JsonObject key = (JsonObject) result;
      out.println("Created API key '" + key.getString("name") + "' (id " + key.getString("id") + "), scopes "
          + String.join(", ", key.getJsonArray("scopes").stream().map(String::valueOf).toList())
          + (key.getString("expiresAt") == null ? ", no expiry" : ", expires " + key.getString("expiresAt"))
          + (key.getValue("ratePerSecond") == null ? "" : ", at most " + rate(key) + " requests/s") + ".");
      out.println("Its secret follows, shown this once: callers send it as 'Authorization: Bearer <secret>'.");
      out.println(key.getString("secret"));
    }
  }

  @Command(name = "list", description = "Lists the keys (never their secrets).")
  static final class List extends BundlesCommand.Sub {
    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.get("admin/keys");
    }

    @Override
    void print(PrintWriter out, Object result) {
      java.util.List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "ID", "EXPIRES", "RATE", "SCOPES"});
      for (Object o : (JsonArray) result) {
        JsonObject k = (JsonObject) o;
        rows.add(new String[] {k.getString("name"), k.getString("id"),
            k.getBoolean("expired", false) ? "expired" : k.getString("expiresAt") == null ? "never" : k.getString("expiresAt"),
            k.getValue("ratePerSecond") == null ? "-" : rate(k) + "/s",
            String.join(",", k.getJsonArray("scopes").stream().map(String::valueOf).toList())});
      }
      Table.print(out, rows);
    }
  }

  @Command(name = "revoke", description = "Revokes a key: requests with it are refused from now on.")
  static final class Revoke extends BundlesCommand.Sub {
    @Parameters(paramLabel = "NAME", description = "The key's name or id.")
    String name;

    @Override
    Object execute(AdminClient client) throws AdminClient.Failure {
      return client.delete("admin/keys/" + AdminClient.encode(name));
    }

    @Override
    void print(PrintWriter out, Object result) {
      out.println("Revoked API key '" + name + "'");
    }
  }

  static String rate(JsonObject key) {
    double rate = key.getDouble("ratePerSecond");
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }
}
