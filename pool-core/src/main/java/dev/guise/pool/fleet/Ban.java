package dev.guise.pool.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * A ban: {@link #key()} is not used until {@link #until()}.
 *
 * @param key what is banned: an IP or a proxy exit, for a host
 * @param reason why, for people (a failure's message; never a secret)
 * @param at when the ban was made, by the clock of the process that made it (a receiver measures
 *     how long the ban took to reach it from this)
 * @param until when the ban ends; a ban is in force while the reader's clock is before it
 */
public record Ban(BanKey key, String reason, Instant at, Instant until) {
  /** Checks the fields; a null reason becomes empty. */
  public Ban {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(until, "until");
    reason = reason == null ? "" : reason;
  }

  /** Whether the ban is in force at {@code now}. */
  public boolean inForceAt(Instant now) {
    return now.isBefore(until);
  }
}
