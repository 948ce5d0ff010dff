package dev.guise.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Guise meters in one registry: registers each once, finds it again without going through the
 * registry on every event, and removes them all when the binding closes.
 */
public final class RegistryMeters {
  private record Key(String name, Tags tags) {}

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Meter> meters = new ConcurrentHashMap<>();

  public RegistryMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  public Timer timer(String name, String description, Tags tags) {
    return (Timer)
        meters.computeIfAbsent(
            new Key(name, tags),
            k -> Timer.builder(name).description(description).tags(tags).register(registry));
  }

  /**
   * @param baseUnit the unit, or null when the name says it (Prometheus appends a unit to names)
   */
  public Counter counter(String name, String description, String baseUnit, Tags tags) {
    return (Counter)
        meters.computeIfAbsent(
            new Key(name, tags),
            k ->
                Counter.builder(name)
                    .description(description)
                    .baseUnit(baseUnit)
                    .tags(tags)
                    .register(registry));
  }

  /**
   * Registers a gauge reading {@code value}, unless this one is registered already.
   *
   * @param baseUnit the unit, or null when the name says it (Prometheus appends a unit to names)
   */
  public void gauge(
      String name, String description, String baseUnit, Tags tags, Supplier<Number> value) {
    meters.computeIfAbsent(
        new Key(name, tags),
        k ->
            Gauge.builder(name, value)
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .register(registry));
  }

  /** Removes every meter this binding registered. */
  public void removeAll() {
    meters.values().forEach(registry::remove);
    meters.clear();
  }
}
