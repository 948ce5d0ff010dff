package dev.guise.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, for code that takes a {@link Clock}. Reads and moves may come from
 * different threads (the code under test often reads it on its own), hence the volatile instant.
 */
public final class MutableClock extends Clock {
  private volatile Instant now;

  /** A clock at 2026-11-21T12:00:00Z, a fixed point so failures read the same on every run. */
  public MutableClock() {
    this(Instant.parse("2026-11-21T12:00:00Z"));
  }

  public MutableClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward by {@code d}; only a test thread moves it, so no lost updates. */
  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
