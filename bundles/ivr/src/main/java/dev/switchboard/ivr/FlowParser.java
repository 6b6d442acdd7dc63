package dev.switchboard.ivr;

import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and validates a flow file (format: {@code docs/ivr.md}). Works on SnakeYAML's node tree rather than on
 * constructed objects, so that every problem names the line and column it is on. Collects every problem it finds
 * before failing. Stateless and thread-safe.
 */
final class FlowParser {

  static final Set<String> TYPES = Set.of("play", "gather", "record", "transfer", "redirect", "invite", "hangup");
  private static final Pattern KEYS = Pattern.compile("[0-9*#]+");
  private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
  /** At most 9 digits: any longer amount is no IVR duration, and would overflow once in milliseconds. */
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m)?");
  private static final Set<String> TOP = Set.of("name", "default", "match", "start", "nodes");
  private static final Set<String> PROMPT_FIELDS = Set.of("say", "prompt", "url", "voice");
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "play", Set.of("next"),
      "gather", Set.of("branches", "maxDigits", "timeout", "interDigitTimeout", "terminator", "retries", "retrySay",
          "default"),
      "record", Set.of("maxDuration", "maxSilence", "initialSilence", "stopTones", "beep", "next"),
      "transfer", Set.of("target", "targets", "strategy", "presenceTimeout", "fallback", "next"),
      "redirect", Set.of("target", "targets", "timeout"),
      "invite", Set.of("target", "next"),
      "hangup", Set.of());

  /** A node reference to check once every node is known. */
  private record Ref(String target, Node at, String what) {
  }

  private final String file;
  private final List<FlowProblem> problems = new ArrayList<>();
  private final List<Ref> refs = new ArrayList<>();

  private FlowParser(String file) {
    this.file = file;
  }

  /**
   * Parses {@code text}, the content of {@code file}.
   *
   * @throws FlowException listing every problem, each with file, line and column
   */
  static Flow parse(String file, String text) throws FlowException {
    return new FlowParser(file).parse(text);
  }

  private Flow parse(String text) throws FlowException {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
      problems.add(mark == null ? new FlowProblem(file, 0, 0, "not valid YAML: " + what)
          : new FlowProblem(file, mark.getLine() + 1, mark.getColumn() + 1, "not valid YAML: " + what
              + (e.getContext() != null ? " (" + e.getContext() + ")" : "")));
      throw new FlowException(problems);
    } catch (YAMLException e) {
      problems.add(new FlowProblem(file, 0, 0, "not valid YAML: " + e.getMessage()));
      throw new FlowException(problems);
    }
    if (!(root instanceof MappingNode top)) {
      problems.add(root == null ? new FlowProblem(file, 0, 0, "the file is empty; a flow needs 'nodes:'")
          : problem(root, "a flow file is a mapping with 'nodes:' (and optionally name, default, match, start)"));
      throw new FlowException(problems);
    }
    Map<String, NodeTuple> fields = fields(top, TOP, "a flow file");
    String name = fields.containsKey("name") ? scalar(fields.get("name").getValueNode(), "name")
        : file.replaceFirst("\\.ya?ml$", "");
    boolean isDefault = fields.containsKey("default") && bool(fields.get("default").getValueNode(), "default");
    List<String> matchTo = new ArrayList<>();
    List<String> matchFrom = new ArrayList<>();
    if (fields.containsKey("match")) {
      Node match = fields.get("match").getValueNode();
      if (match instanceof MappingNode m) {
        Map<String, NodeTuple> mf = fields(m, Set.of("to", "from"), "'match'");
        if (mf.containsKey("to")) {
          matchTo.addAll(strings(mf.get("to").getValueNode(), "match.to"));
        }
        if (mf.containsKey("from")) {
          matchFrom.addAll(strings(mf.get("from").getValueNode(), "match.from"));
        }
      } else {
        problems.add(problem(match, "'match' is a mapping with 'to' and/or 'from' (lists of numbers or ids)"));
      }
    }
    Map<String, Step> steps = new LinkedHashMap<>();
    Node nodesNode = fields.containsKey("nodes") ? fields.get("nodes").getValueNode() : null;
    if (nodesNode == null) {
      problems.add(problem(top, "a flow needs 'nodes:', a mapping of node ids to nodes"));
    } else if (!(nodesNode instanceof MappingNode nodes) || nodes.getValue().isEmpty()) {
      problems.add(problem(nodesNode, "'nodes' must be a mapping of node ids to nodes, with at least one node"));
    } else {
      for (NodeTuple t : nodes.getValue()) {
        String id = scalar(t.getKeyNode(), "a node id");
        if (id == null) {
          continue;
        }
        if (steps.containsKey(id) || id.equals("hangup")) {
          problems.add(problem(t.getKeyNode(), id.equals("hangup") ? "'hangup' is reserved (it means: hang up); "
              + "name the node differently" : "node '" + id + "' is defined twice"));
          continue;
        }
        Step step = step(id, t.getKeyNode(), t.getValueNode());
        if (step != null) {
          steps.put(id, step);
        }
      }
    }
    String start = null;
    if (fields.containsKey("start")) {
      Node s = fields.get("start").getValueNode();
      start = scalar(s, "start");
      refs.add(new Ref(start, s, "'start'"));
    } else if (!steps.isEmpty()) {
      start = steps.keySet().iterator().next();
    }
    for (Ref ref : refs) {
      if (ref.target() != null && !ref.target().equals("hangup") && !steps.containsKey(ref.target())
          && (nodesNode instanceof MappingNode)) {
        problems.add(problem(ref.at(), ref.what() + " goes to node '" + ref.target() + "', which is not defined (nodes: "
            + String.join(", ", steps.keySet()) + ")"));
      }
    }
    String first = start;
    steps.values().stream().filter(s -> s instanceof Step.Redirect).forEach(s -> {
      if (!s.id().equals(first)) {
        problems.add(new FlowProblem(file, s.line(), 3, "node '" + s.id() + "': a redirect can only be the flow's "
            + "start node (a call is redirected instead of being answered)"));
      }
    });
    if (!problems.isEmpty()) {
      throw new FlowException(problems);
    }
    return new Flow(name, file, hash(text), isDefault, List.copyOf(matchTo), List.copyOf(matchFrom), start,
        Map.copyOf(steps));
  }

  private Step step(String id, Node key, Node node) {
    if (!(node instanceof MappingNode map)) {
      problems.add(problem(node, "node '" + id + "' must be a mapping with a 'type' (one of " + types() + ")"));
      return null;
    }
    NodeTuple typeTuple = map.getValue().stream().filter(t -> t.getKeyNode() instanceof ScalarNode k
        && k.getValue().equals("type")).findFirst().orElse(null);
    if (typeTuple == null) {
      problems.add(problem(key, "node '" + id + "' has no 'type' (one of " + types() + ")"));
      return null;
    }
    String type = scalar(typeTuple.getValueNode(), "type");
    if (type == null) {
      return null;
    }
    if (!TYPES.contains(type)) {
      problems.add(problem(typeTuple.getValueNode(), "node '" + id + "' has unknown type '" + type + "' (types: "
          + types() + ")"));
      return null;
    }
    Set<String> allowed = new java.util.HashSet<>(FIELDS.get(type));
    allowed.add("type");
    if (!type.equals("redirect")) {
      allowed.addAll(PROMPT_FIELDS);
    }
    Map<String, NodeTuple> f = fields(map, allowed, "a " + type + " node");
    int line = key.getStartMark().getLine() + 1;
    Prompt prompt = prompt(id, key, f, "say");
    String where = "node '" + id + "'";
    switch (type) {
      case "play":
        if (prompt == null) {
          problems.add(problem(key, where + ": a play node needs 'say', 'prompt' or 'url'"));
        }
        return new Step.Play(id, line, prompt, next(f, "next", where));
      case "gather": {
        Map<String, String> branches = new LinkedHashMap<>();
        int longest = 1;
        NodeTuple b = f.get("branches");
        if (b == null || !(b.getValueNode() instanceof MappingNode bm) || bm.getValue().isEmpty()) {
          problems.add(problem(b == null ? key : b.getValueNode(), where + ": a gather node needs 'branches', a "
              + "mapping of keys to node ids, e.g. \"1\": sales"));
        } else {
          for (NodeTuple t : bm.getValue()) {
            String keys = scalar(t.getKeyNode(), "a branch key");
            String target = scalar(t.getValueNode(), "a branch target");
            if (keys == null || target == null) {
              continue;
            }
            if (!KEYS.matcher(keys).matches()) {
              problems.add(problem(t.getKeyNode(), where + ": branch '" + keys + "' is not a key sequence: use "
                  + "0-9, * and # only (quote * and #, e.g. \"*\")"));
              continue;
            }
            if (branches.put(keys, target) != null) {
              problems.add(problem(t.getKeyNode(), where + ": branch '" + keys + "' is defined twice"));
            }
            longest = Math.max(longest, keys.length());
            refs.add(new Ref(target, t.getValueNode(), where + ": branch '" + keys + "'"));
          }
        }
        int maxDigits = f.containsKey("maxDigits") ? integer(f.get("maxDigits").getValueNode(), "maxDigits", 1, 64)
            : longest;
        String terminator = null;
        if (f.containsKey("terminator")) {
          Node t = f.get("terminator").getValueNode();
          terminator = scalar(t, "terminator");
          if (terminator != null && !terminator.matches("[0-9*#]")) {
            problems.add(problem(t, where + ": 'terminator' is one key of 0-9, * or # (quoted)"));
          }
        }
        Prompt retry = prompt(id, key, f, "retrySay");
        return new Step.Gather(id, line, prompt, Map.copyOf(branches), maxDigits,
            duration(f.get("timeout"), 5000), duration(f.get("interDigitTimeout"), 3000), terminator,
            f.containsKey("retries") ? integer(f.get("retries").getValueNode(), "retries", 0, 10) : 2, retry,
            next(f, "default", where));
      }
      case "record": {
        List<String> stopTones = new ArrayList<>();
        if (f.containsKey("stopTones")) {
          Node st = f.get("stopTones").getValueNode();
          for (String tone : strings(st, "stopTones")) {
            if (!tone.matches("[0-9*#]")) {
              problems.add(problem(st, where + ": stop tone '" + tone + "' is not one key of 0-9, * or #"));
            }
            stopTones.add(tone);
          }
        }
        return new Step.Record(id, line, prompt, seconds(f.get("maxDuration"), 60, where),
            seconds(f.get("maxSilence"), 5, where), seconds(f.get("initialSilence"), 5, where), List.copyOf(stopTones),
            !f.containsKey("beep") || bool(f.get("beep").getValueNode(), "beep"), next(f, "next", where));
      }
      case "transfer":
        return f.containsKey("targets") ? routedTransfer(id, line, prompt, key, f, where)
            : new Step.Transfer(id, line, prompt, target(f.get("target"), key, where), null, next(f, "next", where));
      case "invite":
        return new Step.Invite(id, line, prompt, target(f.get("target"), key, where), next(f, "next", where));
      case "redirect": {
        List<JsonObject> targets = f.containsKey("targets") ? targets(f.get("targets").getValueNode(), where)
            : List.of(target(f.get("target"), key, where));
        Integer timeout = f.containsKey("timeout") ? seconds(f.get("timeout"), 0, where) : null;
        if (timeout != null && (timeout < 15 || timeout > 90)) {
          problems.add(problem(f.get("timeout").getValueNode(), where + ": a redirect's timeout is 15s to 90s"));
        }
        return new Step.Redirect(id, line, null, List.copyOf(targets), timeout);
      }
      default:
        return new Step.HangUp(id, line, prompt);
    }
  }

  /** A transfer to the first or the longest available of several users (their presence decides). */
  private Step.Transfer routedTransfer(String id, int line, Prompt prompt, Node key, Map<String, NodeTuple> f,
      String where) {
    if (f.containsKey("target")) {
      problems.add(problem(f.get("target").getKeyNode(), where + ": give 'target' or 'targets', not both"));
    }
    List<JsonObject> targets = targets(f.get("targets").getValueNode(), where);
    if (targets.stream().anyMatch(t -> t.getString("user") == null)) {
      problems.add(problem(f.get("targets").getValueNode(), where + ": routing by presence needs users as "
          + "'targets' (a user id or {user: <id>, displayName: ...}); phones have no presence"));
    }
    String strategy = f.containsKey("strategy") ? scalar(f.get("strategy").getValueNode(), "strategy")
        : Step.Routing.FIRST_AVAILABLE;
    if (strategy != null && !Set.of(Step.Routing.FIRST_AVAILABLE, Step.Routing.LONGEST_AVAILABLE).contains(strategy)) {
      problems.add(problem(f.get("strategy").getValueNode(), where + ": 'strategy' is firstAvailable or "
          + "longestAvailable, not '" + strategy + "'"));
    }
    long timeout = duration(f.get("presenceTimeout"), 2000);
    if (timeout < 100 || timeout > 10_000) {
      problems.add(problem(f.get("presenceTimeout").getValueNode(), where + ": 'presenceTimeout' is 100ms to 10s"));
    }
    return new Step.Transfer(id, line, prompt, null, new Step.Routing(targets, strategy, timeout,
        next(f, "fallback", where)), next(f, "next", where));
  }

  /** A list of 1 to 25 targets. */
  private List<JsonObject> targets(Node ts, String where) {
    List<JsonObject> targets = new ArrayList<>();
    if (ts instanceof SequenceNode seq && !seq.getValue().isEmpty() && seq.getValue().size() <= 25) {
      seq.getValue().forEach(n -> targets.add(target(n, where)));
    } else {
      problems.add(problem(ts, where + ": 'targets' is a list of 1 to 25 targets"));
    }
    return List.copyOf(targets);
  }

  private Prompt prompt(String id, Node map, Map<String, NodeTuple> f, String sayField) {
    if (sayField.equals("retrySay")) {
      return f.containsKey("retrySay") ? new Prompt(Prompt.Kind.SAY, scalar(f.get("retrySay").getValueNode(),
          "retrySay"), voice(f)) : null;
    }
    List<String> given = new ArrayList<>();
    for (String k : List.of("say", "prompt", "url")) {
      if (f.containsKey(k)) {
        given.add(k);
      }
    }
    if (given.size() > 1) {
      problems.add(problem(map, "node '" + id + "' has " + String.join(" and ", given) + "; give only one"));
    }
    if (given.isEmpty()) {
      return null;
    }
    String kind = given.get(0);
    Node v = f.get(kind).getValueNode();
    String value = scalar(v, kind);
    if (value == null) {
      return null;
    }
    if (kind.equals("url") && !value.startsWith("http://") && !value.startsWith("https://")) {
      problems.add(problem(v, "node '" + id + "': 'url' must be an absolute http(s) URL"));
    }
    return new Prompt(kind.equals("say") ? Prompt.Kind.SAY : kind.equals("prompt") ? Prompt.Kind.PROMPT
        : Prompt.Kind.URL, value, kind.equals("say") ? voice(f) : null);
  }

  private String voice(Map<String, NodeTuple> f) {
    return f.containsKey("voice") ? scalar(f.get("voice").getValueNode(), "voice") : null;
  }

  private String next(Map<String, NodeTuple> f, String field, String where) {
    NodeTuple t = f.get(field);
    if (t == null) {
      return null;
    }
    String target = scalar(t.getValueNode(), field);
    refs.add(new Ref(target, t.getValueNode(), where + ": '" + field + "'"));
    return target;
  }

  private JsonObject target(NodeTuple t, Node parent, String where) {
    if (t == null) {
      problems.add(problem(parent, where + " needs a 'target': a phone number (+E.164), a user id, or "
          + "{user: <id>} / {phone: <number>} with an optional displayName"));
      return new JsonObject();
    }
    return target(t.getValueNode(), where);
  }

  private JsonObject target(Node n, String where) {
    if (n instanceof ScalarNode s) {
      String v = s.getValue();
      if (v.startsWith("+")) {
        if (!PHONE.matcher(v).matches()) {
          problems.add(problem(n, where + ": '" + v + "' is not an E.164 phone number (+ and 7 to 15 digits)"));
        }
        return new JsonObject().put("phone", v);
      }
      if (v.isBlank()) {
        problems.add(problem(n, where + ": the target is empty"));
      }
      return new JsonObject().put("user", v);
    }
    if (n instanceof MappingNode m) {
      Map<String, NodeTuple> f = fields(m, Set.of("user", "phone", "application", "applicationInstance",
          "displayName"), "a target");
      JsonObject target = new JsonObject();
      f.forEach((k, v) -> target.put(k, scalar(v.getValueNode(), k)));
      long kinds = f.keySet().stream().filter(k -> !k.equals("displayName")).count();
      if (kinds != 1) {
        problems.add(problem(n, where + ": a target names exactly one of user, phone, application, "
            + "applicationInstance"));
      } else if (target.getString("phone") != null && !PHONE.matcher(target.getString("phone")).matches()) {
        problems.add(problem(f.get("phone").getValueNode(), where + ": '" + target.getString("phone")
            + "' is not an E.164 phone number (+ and 7 to 15 digits)"));
      }
      return target;
    }
    problems.add(problem(n, where + ": a target is a phone number, a user id, or a mapping {user: <id>}"));
    return new JsonObject();
  }

  private Map<String, NodeTuple> fields(MappingNode map, Set<String> allowed, String what) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = scalar(t.getKeyNode(), "a key");
      if (key == null) {
        continue;
      }
      if (!allowed.contains(key)) {
        problems.add(problem(t.getKeyNode(), "unknown field '" + key + "' in " + what + " (fields: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")"));
      } else if (out.put(key, t) != null) {
        problems.add(problem(t.getKeyNode(), "'" + key + "' is given twice"));
      }
    }
    return out;
  }

  private String scalar(Node n, String what) {
    if (n instanceof ScalarNode s && !s.getValue().isEmpty()) {
      return s.getValue();
    }
    problems.add(problem(n, what + " must be a single value" + (n instanceof ScalarNode ? ", not empty" : "")));
    return null;
  }

  private List<String> strings(Node n, String what) {
    if (n instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    List<String> out = new ArrayList<>();
    if (n instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        String v = scalar(item, "an item of '" + what + "'");
        if (v != null) {
          out.add(v);
        }
      }
    } else {
      problems.add(problem(n, "'" + what + "' must be a value or a list of values"));
    }
    return out;
  }

  private boolean bool(Node n, String what) {
    String v = scalar(n, what);
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean(v);
    }
    if (v != null) {
      problems.add(problem(n, "'" + what + "' must be true or false, not '" + v + "'"));
    }
    return false;
  }

  private int integer(Node n, String what, int min, int max) {
    String v = scalar(n, what);
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    if (v != null) {
      problems.add(problem(n, "'" + what + "' must be a whole number from " + min + " to " + max + ", not '" + v
          + "'"));
    }
    return min;
  }

  /** A duration in milliseconds: {@code 500ms}, {@code 5s}, {@code 2m}, or a number of seconds. */
  private long duration(NodeTuple t, long fallback) {
    if (t == null) {
      return fallback;
    }
    String v = scalar(t.getValueNode(), t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "duration");
    var m = v == null ? null : DURATION.matcher(v.trim());
    if (m == null || !m.matches()) {
      if (v != null) {
        problems.add(problem(t.getValueNode(), "'" + v + "' is not a duration (e.g. 500ms, 5s, 2m)"));
      }
      return fallback;
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> amount;
      case "m" -> amount * 60_000;
      default -> amount * 1000;
    };
  }

  private int seconds(NodeTuple t, int fallback, String where) {
    if (t == null) {
      return fallback;
    }
    long ms = duration(t, fallback * 1000L);
    if (ms < 1000 || ms > 120_000 || ms % 1000 != 0) {
      problems.add(problem(t.getValueNode(), where + ": '" + ((ScalarNode) t.getKeyNode()).getValue()
          + "' is whole seconds from 1s to 120s"));
      return fallback;
    }
    return (int) (ms / 1000);
  }

  private FlowProblem problem(Node at, String message) {
    Mark mark = at.getStartMark();
    return new FlowProblem(file, mark.getLine() + 1, mark.getColumn() + 1, message);
  }

  private static String types() {
    return String.join(", ", new java.util.TreeSet<>(TYPES));
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
