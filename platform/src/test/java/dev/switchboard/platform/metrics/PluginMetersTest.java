package dev.switchboard.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.api.Meters;
import dev.switchboard.api.Registration;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PluginMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @Test
  void metersAreNamedUnderSwitchboardWithThePluginAndVersionAsTags() {
    PluginMeters meters = new PluginMeters(registry, "greeter", "1.0.0");
    meters.counter("greetings.sent", "Greetings sent", "language", "en").increment(2);
    meters.timer("crm_lookup", "CRM lookups").record(Duration.ofMillis(30));
    AtomicInteger pending = new AtomicInteger(7);
    meters.gauge("greetings.pending", "Waiting", pending::get);
    String text = registry.scrape();
    assertTrue(text.contains("switchboard_greetings_sent_total{language=\"en\",plugin=\"greeter\",version=\"1.0.0\"} 2.0"),
        text);
    assertTrue(text.contains("switchboard_crm_lookup_seconds_count{plugin=\"greeter\",version=\"1.0.0\"} 1"), text);
    assertTrue(text.contains("switchboard_crm_lookup_seconds_bucket{plugin=\"greeter\",version=\"1.0.0\",le=\"0.05\"} 1"),
        text);
    assertTrue(text.contains("switchboard_greetings_pending{plugin=\"greeter\",version=\"1.0.0\"} 7.0"), text);
    pending.set(3);
    assertTrue(registry.scrape().contains("switchboard_greetings_pending{plugin=\"greeter\",version=\"1.0.0\"} 3.0"));
  }

  @Test
  void releaseRemovesOneVersionsMetersAndLeavesTheOthers() {
    PluginMeters v1 = new PluginMeters(registry, "greeter", "1.0.0");
    PluginMeters v2 = new PluginMeters(registry, "greeter", "2.0.0");
    Meters.Counter old = v1.counter("greetings.sent", "Greetings sent");
    v2.counter("greetings.sent", "Greetings sent").increment();
    old.increment();
    v1.release();
    old.increment(); // after stop: counts nothing visible, does not fail
    String text = registry.scrape();
    assertFalse(text.contains("version=\"1.0.0\""), text);
    assertTrue(text.contains("switchboard_greetings_sent_total{plugin=\"greeter\",version=\"2.0.0\"} 1.0"), text);
    v1.counter("late", "registered after stop").increment();
    assertFalse(registry.scrape().contains("switchboard_late"), "a meter asked for after release is not exposed");
  }

  @Test
  void aNameKeepsOneKindAndOneSetOfTagKeys() {
    PluginMeters meters = new PluginMeters(registry, "greeter", "1.0.0");
    meters.counter("greetings.sent", "Greetings sent", "language", "en");
    assertThrows(IllegalArgumentException.class, () -> meters.timer("greetings.sent", "as a timer"));
    assertThrows(IllegalArgumentException.class, () -> meters.counter("greetings.sent", "other keys", "channel", "x"));
  }

  @Test
  void aClosedGaugeIsGone() {
    PluginMeters meters = new PluginMeters(registry, "greeter", "1.0.0");
    Registration gauge = meters.gauge("queue", "Queue", () -> 1);
    gauge.close();
    gauge.close();
    assertFalse(registry.scrape().contains("switchboard_queue"));
  }

  @Test
  void badNamesAndTagsAreRefusedSayingWhy() {
    PluginMeters meters = new PluginMeters(registry, "greeter", "1.0.0");
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
        () -> meters.counter("Greetings Sent", "x"));
    assertTrue(name.getMessage().contains("lower case words"), name.getMessage());
    assertThrows(IllegalArgumentException.class, () -> meters.counter("a.b", "x", "odd"));
    IllegalArgumentException reserved = assertThrows(IllegalArgumentException.class,
        () -> meters.counter("a.b", "x", "plugin", "other"));
    assertTrue(reserved.getMessage().contains("'plugin'"), reserved.getMessage());
    assertThrows(IllegalArgumentException.class, () -> meters.counter("a.b", "x").increment(-1));
    assertTrue(registry.scrape().contains("switchboard_a_b_total{plugin=\"greeter\",version=\"1.0.0\"} 0.0"),
        "a refused negative increment counts nothing");
  }
}
