package dev.switchboard.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.platform.config.ConfigException;
import dev.switchboard.platform.config.ConfigLoader;
import dev.switchboard.platform.fuzz.Fuzz;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based fuzzing of the configuration: YAML files made of the real keys with values of every type, random
 * text, YAML bombs, and random {@code SWITCHBOARD_*} environment overrides. Invariant: the configuration loads, or
 * {@link ConfigException} says which key is wrong; never another exception.
 */
class ConfigFuzzTest {

  private static final YAMLMapper YAML = new YAMLMapper();
  private static JsonObject defaults;
  private static List<List<String>> keys;

  @BeforeContainer
  static void readDefaults() throws Exception {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
      JsonNode tree = YAML.readTree(in);
      defaults = new JsonObject(tree.toString());
      keys = new ArrayList<>();
      collect((ObjectNode) tree, new ArrayList<>());
    }
  }

  private static void collect(ObjectNode node, List<String> path) {
    node.fields().forEachRemaining(e -> {
      List<String> child = new ArrayList<>(path);
      child.add(e.getKey());
      keys.add(child);
      if (e.getValue() instanceof ObjectNode o) {
        collect(o, child);
      }
    });
  }

  @Property(seed = Fuzz.SEED)
  void filesOfRealKeysWithRandomValues(@ForAll Random random) throws Exception {
    JsonObject file = new JsonObject();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      List<String> key = keys.get(random.nextInt(keys.size()));
      JsonObject node = file;
      for (String segment : key.subList(0, key.size() - 1)) {
        if (!(node.getValue(segment) instanceof JsonObject)) {
          node.put(segment, new JsonObject());
        }
        node = node.getJsonObject(segment);
      }
      node.put(key.get(key.size() - 1), Fuzz.value(random, 0));
    }
    if (random.nextBoolean()) {
      file = Fuzz.mutate(file.isEmpty() ? defaults : file, random, 1 + random.nextInt(3));
    }
    load(YAML.writeValueAsString(new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.encode())), Map.of());
  }

  @Property(seed = Fuzz.SEED)
  void randomText(@ForAll("text") String yaml) throws Exception {
    load(yaml, Map.of());
  }

  @Property(seed = Fuzz.SEED)
  void environmentOverrides(@ForAll Random random) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      List<String> key = keys.get(random.nextInt(keys.size()));
      String name = random.nextInt(4) == 0 ? "SWITCHBOARD_" + Fuzz.randomString(random).toUpperCase()
          : random.nextInt(4) == 0 ? "SWITCHBOARD_PLUGINS_" + Fuzz.randomString(random).toUpperCase().replace(' ', '_')
          : "SWITCHBOARD_" + String.join("_", key.stream().map(k -> k.replaceAll("([a-z])([A-Z])", "$1_$2")
              .toUpperCase()).toList());
      Object value = Fuzz.value(random, 2);
      env.put(name, value == null ? "" : String.valueOf(value));
    }
    load(null, env);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
        Arbitraries.strings().withChars("{}[]:,-&*!|>'\"#% \n\tabchttp0123.").ofMaxLength(200),
        Arbitraries.of(Fuzz.billionLaughs(""), "a: &a [*a]", "http: {port: [1, 2]}", "---\n---\n", "!!javaobject x",
            "http:\n  port: !!binary AAAA", "? [a, b]\n: c", "http: " + "[".repeat(5000), "\uFEFFhttp: {}",
            "graph: {callbackIssuers: " + Fuzz.deeplyNested(500) + "}"));
  }

  private static void load(String yaml, Map<String, String> env) throws Exception {
    Path home = Files.createTempDirectory("config-fuzz");
    try {
      Path file = null;
      if (yaml != null) {
        file = Files.writeString(home.resolve("switchboard.yaml"), yaml);
      }
      ConfigLoader.load(file, env, home);
    } catch (ConfigException e) {
      assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a clear message");
    } finally {
      try (var files = Files.walk(home)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
