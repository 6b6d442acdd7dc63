package dev.switchboard.platform.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The console's series: what a sample holds, the rate between samples, and the ten minutes kept. */
class ConsoleSeriesTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Counter accepted = Counter.builder("switchboard.ingress.requests").tag("endpoint", "calling")
      .tag("outcome", "accepted").register(registry);
  private final AtomicInteger liveOnV1 = new AtomicInteger();
  private final AtomicInteger liveOnV2 = new AtomicInteger();

  ConsoleSeriesTest() {
    registry.gauge("switchboard.calls.active", io.micrometer.core.instrument.Tags.of("version", "1"), liveOnV1);
    registry.gauge("switchboard.calls.active", io.micrometer.core.instrument.Tags.of("version", "2"), liveOnV2);
  }

  @Test
  void aSampleHoldsItsTimeTheLiveCallsOfEveryVersionAndTheCallbacksPerSecondSinceThePrevious() {
    ConsoleSeries series = new ConsoleSeries(registry);
    accepted.increment(7);
    series.take(1_000);
    liveOnV1.set(2);
    liveOnV2.set(1);
    accepted.increment(50);
    series.take(6_000);

    JsonArray samples = series.samples();
    assertEquals(2, samples.size());
    JsonObject first = samples.getJsonObject(0);
    assertEquals(1_000L, first.getLong("at"));
    assertEquals(0L, first.getLong("callsActive"));
    assertEquals(0.0, first.getDouble("callbacksPerSecond"), "no previous sample: no rate");
    JsonObject second = samples.getJsonObject(1);
    assertEquals(6_000L, second.getLong("at"));
    assertEquals(3L, second.getLong("callsActive"));
    assertEquals(10.0, second.getDouble("callbacksPerSecond"), "50 callbacks in 5 s");
  }

  @Test
  void tenMinutesAreKeptTheOldestDropped() {
    ConsoleSeries series = new ConsoleSeries(registry);
    for (int i = 0; i < ConsoleSeries.KEPT + 30; i++) {
      series.take(i * ConsoleSeries.EVERY_MS);
    }
    JsonArray samples = series.samples();
    assertEquals(120, samples.size());
    assertEquals(30 * ConsoleSeries.EVERY_MS, samples.getJsonObject(0).getLong("at"));
    assertEquals((ConsoleSeries.KEPT + 29) * ConsoleSeries.EVERY_MS, samples.getJsonObject(119).getLong("at"));
  }
}
