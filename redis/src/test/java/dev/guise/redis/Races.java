package dev.guise.redis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the race tests share: patient stores, and a bounded wait for a store's state. */
final class Races {
  private Races() {}

  /**
   * A store on {@code uri}; a long command bound, so a command or answer the relay holds is late,
   * not failed.
   */
  static RedisFleetStore open(String uri, String prefix) {
    return RedisFleetStore.open(
        RedisSettings.builder(uri)
            .keyPrefix(prefix)
            .commandTimeout(Duration.ofSeconds(10))
            .build());
  }

  /** Waits at most 10 s for {@code condition}; fails naming {@code what}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Connected, and reconciled with Redis at least once. */
  static boolean loaded(RedisFleetStore s) {
    return s.connected() && s.reconciliations() > 0;
  }
}
