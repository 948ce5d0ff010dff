package dev.guise.cli.internal;

/**
 * The nearest-rank percentile every report of the CLI gives (the demo's latencies, the fleet's ban
 * propagation): the smallest value with at least {@code p} of the values at or below it, so a p99
 * of 100 values is the 99th, never a value between two that were measured.
 */
final class NearestRank {
  private NearestRank() {}

  /**
   * Where the {@code p} percentile (0 to 1) stands in {@code size} sorted values: {@code ceil(p *
   * size) - 1}, kept within the values.
   *
   * @throws IllegalArgumentException if there are no values
   */
  static int index(int size, double p) {
    if (size <= 0) {
      throw new IllegalArgumentException("no values to rank");
    }
    int i = (int) Math.ceil(p * size) - 1;
    return Math.max(0, Math.min(size - 1, i));
  }
}
