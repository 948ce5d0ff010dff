package dev.guise.pool.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the profile for each new connection: the only one, or one drawn by weight from a rotation.
 * Thread-safe.
 */
public final class FingerprintSelector {
  private final List<String> names = new ArrayList<>();
  private final int[] cumulative;
  private final int total;
  private final SplittableRandom random;

  public FingerprintSelector(Map<String, Integer> weights, long seed) {
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("at least one profile is needed");
    }
    cumulative = new int[weights.size()];
    int sum = 0;
    int i = 0;
    for (var e : weights.entrySet()) {
      names.add(e.getKey());
      sum += e.getValue();
      cumulative[i++] = sum;
    }
    total = sum;
    random = new SplittableRandom(seed);
  }

  public String next() {
    if (names.size() == 1) {
      return names.get(0);
    }
    int r;
    synchronized (random) {
      r = random.nextInt(total);
    }
    for (int i = 0; i < cumulative.length; i++) {
      if (r < cumulative[i]) {
        return names.get(i);
      }
    }
    throw new AssertionError("unreachable");
  }

  /** The profiles in rotation. */
  public List<String> profiles() {
    return List.copyOf(names);
  }
}
