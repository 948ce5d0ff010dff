package dev.guise.pool.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks the proxy for a connection from the proxies that may be used for it now (not resting, not
 * banned for the host, not the one the previous attempt failed through when another is left).
 * Implement it for a rotation of your own; the factories here are the usual rules.
 *
 * <p>Called on every lease, from many threads: keep it fast and thread-safe.
 */
@FunctionalInterface
public interface ProxyChoice {
  /**
   * @param target the host, port and pinned IP the connection is for
   * @param usable the proxies to choose from, in the configured order; never empty
   * @return one of {@code usable}; anything else is an error the request fails with
   */
  Proxy choose(ProxyTarget target, List<Proxy> usable);

  /** Each proxy in turn. */
  static ProxyChoice roundRobin() {
    AtomicLong next = new AtomicLong();
    return (target, usable) -> usable.get((int) (next.getAndIncrement() % usable.size()));
  }

  /** A proxy at random, each as likely. */
  static ProxyChoice random() {
    return (target, usable) -> usable.get(ThreadLocalRandom.current().nextInt(usable.size()));
  }

  /**
   * The same proxy for the same target (host, port and pinned IP), as long as it is usable: by a
   * hash of the target, so no table grows. Pooled tunnels are then reused, since a pinned IP is
   * always asked for through the same proxy; when that proxy rests, its targets spread over the
   * others and come back after.
   */
  static ProxyChoice sticky() {
    return (target, usable) -> {
      int h = Objects.hash(target.host(), target.port(), target.ip().orElse(null));
      return usable.get(Math.floorMod(h * 0x9E3779B9, usable.size()));
    };
  }

  /**
   * At random, in proportion to {@code weights}; a proxy missing from the map has weight 1.
   *
   * @throws IllegalArgumentException for a weight below 1
   */
  static ProxyChoice weighted(Map<Proxy, Integer> weights) {
    Map<Proxy, Integer> copy = Map.copyOf(weights);
    copy.forEach(
        (p, w) -> {
          if (w < 1) {
            throw new IllegalArgumentException("proxy weights are at least 1: " + p + " = " + w);
          }
        });
    return (target, usable) -> {
      List<Integer> ws = new ArrayList<>(usable.size());
      long total = 0;
      for (Proxy p : usable) {
        int w = copy.getOrDefault(p, 1);
        ws.add(w);
        total += w;
      }
      long pick = ThreadLocalRandom.current().nextLong(total);
      for (int i = 0; i < usable.size(); i++) {
        pick -= ws.get(i);
        if (pick < 0) {
          return usable.get(i);
        }
      }
      return usable.get(usable.size() - 1);
    };
  }
}
