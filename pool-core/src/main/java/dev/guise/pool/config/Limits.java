package dev.guise.pool.config;

import java.util.Objects;

/**
 * How much the pool may hold and read: connections per IP and per host, warm-up parallelism,
 * response sizes. Immutable: each {@code with...} method returns a copy and rejects an invalid
 * value at once, naming the setting.
 *
 * <p>Defaults: 6 connections per IP, 1000 per host, warm-up parallelism 32, response bodies up to
 * 64 MiB, header lists up to 256 KiB.
 */
public final class Limits {
  private static final Limits DEFAULTS = new Limits(6, 1000, 32, 64L * 1024 * 1024, 256 * 1024);

  private final int maxConnectionsPerIp;
  private final int maxConnectionsPerHost;
  private final int warmUpParallelism;
  private final long maxResponseBodyBytes;
  private final int maxHeaderListSize;

  private Limits(
      int maxConnectionsPerIp,
      int maxConnectionsPerHost,
      int warmUpParallelism,
      long maxResponseBodyBytes,
      int maxHeaderListSize) {
    this.maxConnectionsPerIp = atLeast("limits.maxConnectionsPerIp", maxConnectionsPerIp, 1);
    this.maxConnectionsPerHost = atLeast("limits.maxConnectionsPerHost", maxConnectionsPerHost, 1);
    this.warmUpParallelism = atLeast("limits.warmUpParallelism", warmUpParallelism, 1);
    if (maxResponseBodyBytes < 0) {
      throw new IllegalArgumentException(
          "limits.maxResponseBodyBytes must not be negative: " + maxResponseBodyBytes);
    }
    this.maxResponseBodyBytes = maxResponseBodyBytes;
    // Below 1 KiB not even an ordinary response's headers fit: surely a mistake in units.
    this.maxHeaderListSize = atLeast("limits.maxHeaderListSize", maxHeaderListSize, 1024);
  }

  /** The documented defaults. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public int maxConnectionsPerHost() {
    return maxConnectionsPerHost;
  }

  /** How many IPs {@code warmUp} connects to at once. */
  public int warmUpParallelism() {
    return warmUpParallelism;
  }

  /** The largest decoded response body a request accepts. */
  public long maxResponseBodyBytes() {
    return maxResponseBodyBytes;
  }

  /** The largest response header list (HPACK-decoded size) a request accepts. */
  public int maxHeaderListSize() {
    return maxHeaderListSize;
  }

  public Limits withMaxConnectionsPerIp(int n) {
    return new Limits(
        n, maxConnectionsPerHost, warmUpParallelism, maxResponseBodyBytes, maxHeaderListSize);
  }

  public Limits withMaxConnectionsPerHost(int n) {
    return new Limits(
        maxConnectionsPerIp, n, warmUpParallelism, maxResponseBodyBytes, maxHeaderListSize);
  }

  public Limits withWarmUpParallelism(int n) {
    return new Limits(
        maxConnectionsPerIp, maxConnectionsPerHost, n, maxResponseBodyBytes, maxHeaderListSize);
  }

  public Limits withMaxResponseBodyBytes(long n) {
    return new Limits(
        maxConnectionsPerIp, maxConnectionsPerHost, warmUpParallelism, n, maxHeaderListSize);
  }

  public Limits withMaxHeaderListSize(int n) {
    return new Limits(
        maxConnectionsPerIp, maxConnectionsPerHost, warmUpParallelism, maxResponseBodyBytes, n);
  }

  static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Limits l
        && maxConnectionsPerIp == l.maxConnectionsPerIp
        && maxConnectionsPerHost == l.maxConnectionsPerHost
        && warmUpParallelism == l.warmUpParallelism
        && maxResponseBodyBytes == l.maxResponseBodyBytes
        && maxHeaderListSize == l.maxHeaderListSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxConnectionsPerIp,
        maxConnectionsPerHost,
        warmUpParallelism,
        maxResponseBodyBytes,
        maxHeaderListSize);
  }

  @Override
  public String toString() {
    return "Limits[maxConnectionsPerIp="
        + maxConnectionsPerIp
        + ", maxConnectionsPerHost="
        + maxConnectionsPerHost
        + ", warmUpParallelism="
        + warmUpParallelism
        + ", maxResponseBodyBytes="
        + maxResponseBodyBytes
        + ", maxHeaderListSize="
        + maxHeaderListSize
        + "]";
  }
}
