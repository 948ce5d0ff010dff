package dev.guise.pool.internal;

import java.util.Arrays;
import java.util.List;

/**
 * The route with the fewest leases held and connections being opened serves first; ties go round
 * robin, so idle routes share the work. Loads are only exact under the host lock, so this strategy
 * gives up the unlocked lease: every request that names no IP decides under the lock. A fit for
 * slow exchanges of uneven length, where a free route matters more than a unlocked lease.
 */
final class LeastLoadedRotation implements RouteRotation {
  /** Where ties start; written under the host lock. */
  private int next;

  @Override
  public int firstChoice(List<RoutePool> routes) {
    return -1;
  }

  @Override
  public void order(List<RoutePool> routes, int[] order) {
    int n = order.length;
    int start = next < n ? next : 0;
    // Sort keys: the load above, the round-robin position below, so equal loads keep their turn.
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((long) routes.get((start + i) % n).load() << 32) | i;
    }
    Arrays.sort(keys);
    for (int i = 0; i < n; i++) {
      order[i] = (start + (int) keys[i]) % n;
    }
  }

  @Override
  public void served(int index, int size) {
    next = (index + 1) % size;
  }
}
