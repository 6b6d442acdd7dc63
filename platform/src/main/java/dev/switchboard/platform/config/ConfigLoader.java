package dev.switchboard.platform.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Loads and validates the configuration: built-in defaults, then the YAML file, then environment
 * variables {@code SWITCHBOARD_<PATH>} (e.g. {@code SWITCHBOARD_GRAPH_CLIENT_SECRET} for
 * {@code graph.clientSecret}; list values comma-separated). Plugin sections take
 * {@code SWITCHBOARD_PLUGINS_<NAME>_<KEY>}, the key written in upper snake case
 * ({@code SWITCHBOARD_PLUGINS_CALLING_UNCLAIMED_REJECT_AFTER} sets {@code plugins.calling.unclaimedRejectAfter}).
 *
 * <p>Any problem — unreadable YAML, an unknown key, a value of the wrong type or out of range, an
 * environment variable that matches no key — is a {@link ConfigException} whose message is one line
 * naming the key.
 */
public final class ConfigLoader {

  /** Environment variables with the prefix that are not configuration keys. */
  private static final Set<String> NOT_KEYS = Set.of("SWITCHBOARD_HOME", "SWITCHBOARD_OPTS");
  private static final String PREFIX = "SWITCHBOARD_";
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonMapper BINDER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY) // "api.auth: none" is a list of one
      .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
      .build();

  private ConfigLoader() {
  }

  /**
   * Loads the configuration.
   *
   * @param file the YAML file, or {@code null} for defaults and environment only
   * @param env the environment (normally {@link System#getenv()})
   * @param home the installation folder that relative paths are resolved against
   * @throws ConfigException when anything is wrong, with a one-line message naming the key
   */
  public static SwitchboardConfig load(Path file, Map<String, String> env, Path home) {
    ObjectNode tree = defaults();
    if (file != null) {
      ObjectNode user = readFile(file);
      checkKnownKeys(tree, user, "");
      merge(tree, user);
    }
    applyEnvironment(tree, env);
    SwitchboardConfig bound = bind(tree);
    return ConfigValidator.validate(bound, home.toAbsolutePath().normalize());
  }

  private static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("built-in configuration defaults are unreadable", e);
    }
  }

  private static ObjectNode readFile(Path file) {
    JsonNode node;
    try {
      node = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new ConfigException(null, "configuration file " + file + " does not exist");
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new ConfigException(null, "configuration file " + file + " is not valid YAML at" + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse("syntax error"));
    } catch (IOException e) {
      throw new ConfigException(null, "configuration file " + file + " cannot be read: " + e.getMessage());
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(null, "configuration file " + file + " must hold a mapping of keys (like 'http:'), not "
          + node.getNodeType().toString().toLowerCase());
    }
    return (ObjectNode) node;
  }

  private static void checkKnownKeys(JsonNode defaults, JsonNode user, String path) {
    Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
      JsonNode known = defaults.get(field.getKey());
      if (known == null) {
        List<String> names = new ArrayList<>();
        defaults.fieldNames().forEachRemaining(names::add);
        throw new ConfigException(key, "unknown configuration key '" + key + "' (known keys"
            + (path.isEmpty() ? "" : " under '" + path + "'") + ": " + String.join(", ", names) + ")");
      }
      if (key.equals("plugins")) {
        checkPlugins(field.getValue());
      } else if (!known.isObject() && !known.isNull() && field.getValue().isNull()) {
        // Found by ConfigFuzzTest: an explicit null for a key with a default reached the validator as null.
        throw new ConfigException(key, key + " must have a value (its default is " + known
            + "); remove the line to keep the default");
      } else if (known.isObject() && field.getValue().isNull()) {
        continue; // a section with every key commented out: its defaults stand
      } else if (known.isObject()) {
        if (!field.getValue().isObject()) {
          throw new ConfigException(key, key + ": expected a mapping of keys, got " + describe(field.getValue()));
        }
        checkKnownKeys(known, field.getValue(), key);
      }
    }
  }

  private static void checkPlugins(JsonNode plugins) {
    if (plugins.isNull()) {
      return;
    }
    if (!plugins.isObject()) {
      throw new ConfigException("plugins", "plugins: expected a mapping of plugin names, got " + describe(plugins));
    }
    plugins.fields().forEachRemaining(e -> {
      if (!e.getValue().isObject()) {
        throw new ConfigException("plugins." + e.getKey(), "plugins." + e.getKey()
            + ": expected the plugin's mapping of keys, got " + describe(e.getValue()));
      }
    });
  }

  private static void merge(ObjectNode target, JsonNode source) {
    source.fields().forEachRemaining(e -> {
      JsonNode existing = target.get(e.getKey());
      if (existing != null && existing.isObject() && e.getValue().isObject()) {
        merge((ObjectNode) existing, e.getValue());
      } else if (!(existing != null && existing.isObject() && e.getValue().isNull())) {
        target.set(e.getKey(), e.getValue());
      }
    });
  }

  private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
    Map<String, List<String>> leaves = new LinkedHashMap<>();
    collectLeaves(tree, new ArrayList<>(), leaves);
    for (Map.Entry<String, String> var : new TreeMap<>(env).entrySet()) {
      String name = var.getKey();
      if (!name.startsWith(PREFIX) || NOT_KEYS.contains(name)) {
        continue;
      }
      List<String> path = leaves.get(name);
      if (path == null) {
        path = pluginPath(tree, name);
      }
      if (path == null) {
        throw new ConfigException(null, "environment variable " + name + " matches no configuration key (keys: "
            + String.join(", ", leaves.keySet()) + ", or SWITCHBOARD_PLUGINS_<NAME>_<KEY>)");
      }
      set(tree, path, var.getValue());
    }
  }

  private static void collectLeaves(JsonNode node, List<String> path, Map<String, List<String>> out) {
    node.fields().forEachRemaining(e -> {
      List<String> child = new ArrayList<>(path);
      child.add(e.getKey());
      if (e.getValue().isObject() && !e.getKey().equals("plugins")) {
        collectLeaves(e.getValue(), child, out);
      } else if (!e.getKey().equals("plugins")) {
        out.put(envName(child), child);
      }
    });
  }

  /** {@code SWITCHBOARD_PLUGINS_<NAME>_<KEY>}: a plugin named in the file first, else the first segment. */
  private static List<String> pluginPath(ObjectNode tree, String name) {
    String pluginsPrefix = PREFIX + "PLUGINS_";
    if (!name.startsWith(pluginsPrefix) || name.length() == pluginsPrefix.length()) {
      return null;
    }
    String rest = name.substring(pluginsPrefix.length());
    JsonNode plugins = tree.path("plugins");
    Iterator<String> names = plugins.fieldNames();
    while (names.hasNext()) {
      String plugin = names.next();
      String upper = toUpperSnake(plugin) + "_";
      if (rest.startsWith(upper) && rest.length() > upper.length()) {
        return List.of("plugins", plugin, keyFor(plugins.get(plugin), rest.substring(upper.length())));
      }
    }
    int split = rest.indexOf('_');
    if (split <= 0 || split == rest.length() - 1) {
      return null;
    }
    return List.of("plugins", rest.substring(0, split).toLowerCase(), toCamel(rest.substring(split + 1)));
  }

  private static String keyFor(JsonNode section, String upperSnake) {
    Iterator<String> keys = section.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (toUpperSnake(key).equals(upperSnake)) {
        return key;
      }
    }
    return toCamel(upperSnake);
  }

  private static void set(ObjectNode tree, List<String> path, String value) {
    ObjectNode node = tree;
    for (String segment : path.subList(0, path.size() - 1)) {
      JsonNode child = node.get(segment);
      if (child == null || !child.isObject()) {
        child = node.putObject(segment);
      }
      node = (ObjectNode) child;
    }
    String leaf = path.get(path.size() - 1);
    if (node.get(leaf) instanceof ArrayNode) {
      ArrayNode list = node.putArray(leaf);
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          list.add(item.trim());
        }
      }
    } else if (path.get(0).equals("plugins")) {
      // No schema to coerce against: read the value as a YAML scalar, so "true" and "5" keep their types.
      node.set(leaf, scalar(value));
    } else {
      node.set(leaf, TextNode.valueOf(value));
    }
  }

  private static JsonNode scalar(String value) {
    if (value.contains("\n")) {
      return TextNode.valueOf(value); // a certificate or other text block: never a YAML document of its own
    }
    try {
      JsonNode parsed = YAML.readTree(value);
      return parsed != null && parsed.isValueNode() ? parsed : TextNode.valueOf(value);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(value);
    }
  }

  /**
   * The {@code SWITCHBOARD_*} variables that set the keys of {@code section} to {@code values}: e.g. the
   * emulator's {@code graph:} section as environment overrides. Lists become comma-separated, {@code null}s are
   * left out.
   */
  public static Map<String, String> environmentOf(String section, JsonObject values) {
    Map<String, String> env = new LinkedHashMap<>();
    values.forEach(e -> {
      if (e.getValue() == null) {
        return;
      }
      String value = e.getValue() instanceof io.vertx.core.json.JsonArray list
          ? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : String.valueOf(e.getValue());
      env.put(envName(List.of(section, e.getKey())), value);
    });
    return env;
  }

  static String envName(List<String> path) {
    return PREFIX + path.stream().map(ConfigLoader::toUpperSnake).collect(Collectors.joining("_"));
  }

  private static String toUpperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').replace('.', '_').toUpperCase();
  }

  private static String toCamel(String upperSnake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : upperSnake.toLowerCase().toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static SwitchboardConfig bind(ObjectNode tree) {
    JsonNode plugins = tree.remove("plugins");
    RawConfig raw;
    try {
      raw = BINDER.treeToValue(tree, RawConfig.class);
    } catch (JsonMappingException e) {
      throw translate(e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(null, "configuration cannot be read: " + e.getOriginalMessage());
    }
    Map<String, JsonObject> sections = new LinkedHashMap<>();
    if (plugins != null && plugins.isObject()) {
      plugins.fields().forEachRemaining(e -> sections.put(e.getKey(),
          new JsonObject(BINDER.convertValue(e.getValue(), Map.class))));
    }
    return new SwitchboardConfig(raw.http(), raw.admin(), raw.graph(), raw.deploy(), raw.routing(), raw.data(),
        raw.cluster(), raw.api(), raw.audit(), raw.logging(),
        Map.copyOf(sections));
  }

  private static ConfigException translate(JsonMappingException e) {
    String key = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      return new ConfigException(key, key + ": " + e.getCause().getMessage());
    }
    String expected = e instanceof MismatchedInputException m ? expectation(m.getTargetType()) : "another value";
    String got;
    if (e instanceof InvalidFormatException f) {
      got = f.getValue() instanceof String s ? "\"" + s + "\"" : String.valueOf(f.getValue());
    } else {
      got = e.getOriginalMessage().contains("null") ? "nothing (null)" : "a value of another type";
    }
    return new ConfigException(key, key + ": expected " + expected + ", got " + got);
  }

  private static String expectation(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration like 500ms, 10s or 2m";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type == Path.class) {
      return "a folder path";
    }
    if (type.isRecord()) {
      return "a mapping of keys";
    }
    return "a " + type.getSimpleName().toLowerCase();
  }

  private static String describe(JsonNode node) {
    return node.isNull() ? "nothing (null)" : node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
  }

  /** The shape Jackson binds; plugins are handled separately. */
  private record RawConfig(
      SwitchboardConfig.Http http,
      SwitchboardConfig.Admin admin,
      SwitchboardConfig.Graph graph,
      SwitchboardConfig.Deploy deploy,
      SwitchboardConfig.Routing routing,
      SwitchboardConfig.Data data,
      SwitchboardConfig.Cluster cluster,
      SwitchboardConfig.Api api,
      SwitchboardConfig.Audit audit,
      SwitchboardConfig.Logging logging) {
  }
}
