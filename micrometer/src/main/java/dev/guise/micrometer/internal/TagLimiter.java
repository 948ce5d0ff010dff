package dev.guise.micrometer.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cardinality guard of one tag: the first {@code limit} distinct keys keep their own value,
 * every later one reads {@link #OTHER}. A value once given never changes, so a series never moves
 * between tags; memory stays bounded because keys past the limit are not remembered.
 */
public final class TagLimiter {
  /** The value every key past the limit shares. */
  public static final String OTHER = "other";

  private final int limit;
  private final ConcurrentHashMap<Object, String> admitted = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();

  public TagLimiter(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("a tag limit must be at least 0: " + limit);
    }
    this.limit = limit;
  }

  /** The tag value for {@code key}: {@code value} while there is room, else {@link #OTHER}. */
  public String tag(Object key, String value) {
    String known = admitted.get(key);
    if (known != null) {
      return known;
    }
    if (count.get() >= limit) {
      return OTHER;
    }
    // Two threads may race for the last places: the counter, not the map, decides who gets one,
    // and a loser is remembered as OTHER (at most one entry per racing thread past the limit).
    return admitted.computeIfAbsent(key, k -> count.getAndIncrement() < limit ? value : OTHER);
  }

  public int limit() {
    return limit;
  }
}
