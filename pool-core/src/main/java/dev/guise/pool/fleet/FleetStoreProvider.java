package dev.guise.pool.fleet;

import java.util.Map;

/**
 * Opens a kind of {@link FleetStore}, found by name with {@link java.util.ServiceLoader}: a module
 * that {@code provides dev.guise.pool.fleet.FleetStoreProvider}, or a {@code META-INF/services}
 * file on the class path. {@link FleetStores#open(String)} picks one by a spec such as {@code
 * redis:url=redis://127.0.0.1:6379,prefix=fleet1}.
 */
public interface FleetStoreProvider {

  /** The stable name a spec uses, such as {@code redis}. */
  String name();

  /**
   * A new store configured with {@code options} (the spec's {@code key=value} pairs; read them with
   * {@code dev.guise.api.spi.ProviderOptions}). Opening must not wait on the backend: a backend
   * that is not up yet is an outage the store reports, not an exception here.
   *
   * @throws IllegalArgumentException naming an unknown option or an invalid value
   */
  FleetStore open(Map<String, String> options);
}
