package dev.guise.pool.internal;

import dev.guise.pool.config.IpRotation;
import java.util.List;
import java.util.function.Supplier;

/**
 * How a request that names no IP picks among its host's routes. Each host has its own instance
 * (made by the factory the pool is given), so a strategy may keep state, as round robin keeps its
 * cursor. Banned routes are skipped by the pool, not by the strategy.
 *
 * <p>Siblings: {@link RoundRobinRotation} (the default), {@link LeastLoadedRotation}; a random or
 * sticky one is another implementation of these three methods, a constant of {@link IpRotation} and
 * a case in {@link #of}. Concurrency: {@link #firstChoice} runs without the host lock, {@link
 * #order} with it, {@link #served} either way; see {@code docs/concurrency.md}, "The pool".
 */
interface RouteRotation {
  /** Round robin, the default. */
  Supplier<RouteRotation> ROUND_ROBIN = RoundRobinRotation::new;

  /** Least loaded first. */
  Supplier<RouteRotation> LEAST_LOADED = LeastLoadedRotation::new;

  /** The strategy a configuration names. */
  static Supplier<RouteRotation> of(IpRotation rotation) {
    return switch (rotation) {
      case ROUND_ROBIN -> ROUND_ROBIN;
      case LEAST_LOADED -> LEAST_LOADED;
    };
  }

  /**
   * Without the host lock: the index of the route whose idle HTTP/1.1 connection the unlocked lease
   * may take, or -1 to let the locked path decide. {@code routes} only grows, so an index below its
   * size stays valid.
   */
  int firstChoice(List<RoutePool> routes);

  /**
   * With the host lock: the order in which the locked path asks the routes, as indexes into {@code
   * routes} written to {@code order} ({@code order.length == routes.size()}). The first route that
   * can serve (a connection with room, or a new one within the limits) does.
   */
  void order(List<RoutePool> routes, int[] order);

  /** {@code routes.get(index)} served a request that named no IP (with or without the lock). */
  void served(int index, int size);
}
