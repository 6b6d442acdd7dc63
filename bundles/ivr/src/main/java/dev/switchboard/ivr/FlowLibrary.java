package dev.switchboard.ivr;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The flows of a folder ({@code *.yaml}, {@code *.yml}), kept in step with the files by {@link #scan()}.
 *
 * <p>A file that fails validation never replaces the flow it held before: the last good version keeps serving and
 * the problems are kept (and returned) until the file is fixed. A deleted file's flow goes away. Calls hold the
 * {@link Flow} object they started with, so nothing here affects a call in progress.
 *
 * <p>A changed file is read only once its content is the same on two scans in a row (after the first scan, which
 * loads what is there): an editor that writes a file in several steps is never caught half-way, so a flow is not
 * refused for being empty or cut short while it is being saved.
 *
 * <p>{@link #scan()} reads files: call it off the event loop. It is synchronized; the other methods read an
 * immutable snapshot and may be called from any thread.
 */
final class FlowLibrary {

  /** What one scan changed. */
  record Changes(List<Flow> loaded, List<String> removed, Map<String, FlowException> rejected) {
    boolean isEmpty() {
      return loaded.isEmpty() && removed.isEmpty() && rejected.isEmpty();
    }
  }

  private final Path folder;
  private final Map<String, String> seen = new HashMap<>();
  /** Content that differed from {@link #seen} at the last scan, waiting to be seen again unchanged. */
  private final Map<String, String> settling = new HashMap<>();
  private boolean scannedOnce;
  private volatile Map<String, Flow> flows = Map.of();
  /** The text of each loaded flow, by version. */
  private volatile Map<String, String> sources = Map.of();
  private volatile Map<String, FlowException> errors = Map.of();

  FlowLibrary(Path folder) {
    this.folder = folder;
  }

  Path folder() {
    return folder;
  }

  /** Reads the files that are new or changed since the last scan and forgets deleted ones. Blocking. */
  synchronized Changes scan() throws IOException {
    List<Flow> loaded = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, FlowException> rejected = new TreeMap<>();
    Map<String, Flow> nextFlows = new TreeMap<>(flows);
    Map<String, String> nextSources = new HashMap<>(sources);
    Map<String, FlowException> nextErrors = new TreeMap<>(errors);
    List<Path> files = List.of();
    if (Files.isDirectory(folder)) {
      try (Stream<Path> list = Files.list(folder)) {
        files = list.filter(f -> {
          String n = f.getFileName().toString();
          return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(f);
        }).sorted().toList();
      }
    }
    List<String> present = files.stream().map(f -> f.getFileName().toString()).toList();
    for (String gone : new ArrayList<>(seen.keySet())) {
      if (!present.contains(gone)) {
        seen.remove(gone);
        settling.remove(gone);
        nextErrors.remove(gone);
        if (nextFlows.remove(gone) != null) {
          removed.add(gone);
        }
      }
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      try {
        // Flow files are small: comparing contents is cheaper than trusting modification times to the millisecond.
        String text = Files.readString(file);
        if (text.equals(seen.get(name))) {
          settling.remove(name);
          continue;
        }
        if (scannedOnce && !text.equals(settling.put(name, text))) {
          continue; // changed since the last scan: read it once it has stopped changing
        }
        settling.remove(name);
        seen.put(name, text);
        Flow flow = FlowParser.parse(name, text);
        nextSources.put(flow.version(), text);
        Flow before = nextFlows.put(name, flow);
        nextErrors.remove(name);
        if (before == null || !before.version().equals(flow.version())) {
          loaded.add(flow);
        }
      } catch (FlowException e) {
        nextErrors.put(name, e);
        rejected.put(name, e);
      } catch (IOException | RuntimeException e) {
        seen.remove(name);
        FlowException unreadable = new FlowException(List.of(new FlowProblem(name, 0, 0, "cannot be read: " + e)));
        nextErrors.put(name, unreadable);
        rejected.put(name, unreadable);
      }
    }
    flows = Map.copyOf(nextFlows);
    nextSources.keySet().retainAll(nextFlows.values().stream().map(Flow::version).toList());
    sources = Map.copyOf(nextSources);
    errors = Map.copyOf(nextErrors);
    scannedOnce = true;
    return new Changes(loaded, removed, rejected);
  }

  /**
   * The flow for a call to one of {@code called} from one of {@code caller}: the first flow (by file name) whose
   * {@code match:} takes it, else the first default flow, else {@code null}.
   */
  Flow select(List<String> called, List<String> caller) {
    Map<String, Flow> snapshot = new TreeMap<>(flows);
    for (Flow flow : snapshot.values()) {
      if (flow.matches(called, caller)) {
        return flow;
      }
    }
    return snapshot.values().stream().filter(Flow::isDefault).findFirst().orElse(null);
  }

  /** The text {@code flow} was read from, while it is loaded; else {@code null}. */
  String source(Flow flow) {
    return sources.get(flow.version());
  }

  /** Whether a flow of version {@code version} is loaded now. */
  boolean isLoaded(String version) {
    return sources.containsKey(version);
  }

  /** The flow loaded from {@code file}, or {@code null}. */
  Flow flow(String file) {
    return flows.get(file);
  }

  /** Every file: its flow (name, version, default, match) and the problems of its last rejected version. */
  JsonArray describe() {
    Map<String, JsonObject> out = new TreeMap<>();
    flows.forEach((file, flow) -> out.put(file, new JsonObject().put("file", file).put("name", flow.name())
        .put("version", flow.version()).put("default", flow.isDefault()).put("start", flow.start())
        .put("nodes", new JsonArray(new ArrayList<>(flow.steps().keySet())))
        .put("match", new JsonObject().put("to", new JsonArray(flow.matchTo()))
            .put("from", new JsonArray(flow.matchFrom())))));
    errors.forEach((file, e) -> {
      JsonArray problems = new JsonArray();
      e.problems().forEach(p -> problems.add(new JsonObject().put("line", p.line()).put("column", p.column())
          .put("message", p.message()).put("text", p.toString())));
      out.computeIfAbsent(file, f -> new JsonObject().put("file", f)).put("errors", problems);
    });
    return new JsonArray(new ArrayList<>(out.values()));
  }
}
