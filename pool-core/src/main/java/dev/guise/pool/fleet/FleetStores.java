package dev.guise.pool.fleet;

import dev.guise.pool.internal.fleet.MemoryFleetStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds and opens {@link FleetStore}s: the in-memory one, and the providers found with {@link
 * ServiceLoader} (on the module path and the class path, through the thread's context class loader
 * or, when it has none, this module's loader).
 */
public final class FleetStores {
  /** The name of the in-memory store in a spec. */
  public static final String MEMORY = "memory";

  private FleetStores() {}

  /**
   * A store in this process's memory, which is every pool's default: nothing is shared with other
   * processes. Rate-limit buckets and strike expiry follow {@code clock}.
   */
  public static FleetStore inMemory(Clock clock) {
    return new MemoryFleetStore(clock);
  }

  /**
   * Opens the store a spec names: {@code memory}, or a provider's name with its options, {@code
   * name[:key=value[,key=value]...]} (such as {@code redis:url=redis://127.0.0.1:6379}).
   *
   * @throws IllegalArgumentException when no provider has that name (listing those found), or the
   *     options are invalid
   */
  public static FleetStore open(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("a fleet store spec must name a store");
    }
    int colon = spec.indexOf(':');
    String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
    Map<String, String> options =
        colon < 0 ? Map.of() : parseOptions(name, spec.substring(colon + 1));
    if (name.equals(MEMORY)) {
      if (!options.isEmpty()) {
        throw new IllegalArgumentException("the memory fleet store takes no options");
      }
      return inMemory(Clock.systemUTC());
    }
    List<String> found = new ArrayList<>(List.of(MEMORY));
    for (FleetStoreProvider p : providers()) {
      if (p.name().equals(name)) {
        return p.open(options);
      }
      found.add(p.name());
    }
    throw new IllegalArgumentException(
        "no fleet store named '" + name + "'; found: " + String.join(", ", found));
  }

  /** Every provider found (the in-memory store is not among them). */
  public static List<FleetStoreProvider> providers() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = FleetStores.class.getClassLoader();
    }
    List<FleetStoreProvider> out = new ArrayList<>();
    ServiceLoader.load(FleetStoreProvider.class, loader).forEach(out::add);
    return List.copyOf(out);
  }

  private static Map<String, String> parseOptions(String name, String text) {
    Map<String, String> options = new LinkedHashMap<>();
    String[] pairs = text.split(",");
    for (int i = 0; i < pairs.length; i++) {
      String pair = pairs[i];
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        // The text is not echoed: it may be part of a password.
        throw new IllegalArgumentException(
            "fleet store '" + name + "': option " + (i + 1) + " is not key=value");
      }
      options.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return options;
  }
}
