package dev.guise.pool.config;

import dev.guise.pool.failure.DefaultFailureClassifier;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the pool judges connections and IPs: the background health check, revalidation of idle
 * connections, and bans of IPs a site blocks, including which response statuses mean "this IP is
 * blocked" and "rate limited" (Guise's default classifier reads them from here). Immutable: each
 * {@code with...} method returns a copy and rejects an invalid value at once, naming the setting.
 *
 * <p>Defaults: a health check every 30 s, revalidation after 30 s idle, 10 errors retire a
 * connection, 3 strikes ban an IP for 10 min, {@code 403} is IP_BLOCKED, {@code 429} RATE_LIMITED.
 */
public final class HealthChecks {
  private static final HealthChecks DEFAULTS =
      new HealthChecks(
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          10,
          Duration.ofMinutes(10),
          3,
          DefaultFailureClassifier.DEFAULT_BAN_STATUSES,
          DefaultFailureClassifier.DEFAULT_RATE_LIMIT_STATUSES);

  private final Duration interval;
  private final Duration revalidateAfterIdle;
  private final int errorThreshold;
  private final Duration banDuration;
  private final int strikesToBan;
  private final Set<Integer> banStatuses;
  private final Set<Integer> rateLimitStatuses;

  private HealthChecks(
      Duration interval,
      Duration revalidateAfterIdle,
      int errorThreshold,
      Duration banDuration,
      int strikesToBan,
      Set<Integer> banStatuses,
      Set<Integer> rateLimitStatuses) {
    this.interval = Timeouts.positive("healthChecks.interval", interval);
    if (revalidateAfterIdle == null || revalidateAfterIdle.isNegative()) {
      throw new IllegalArgumentException(
          "healthChecks.revalidateAfterIdle must not be negative: " + revalidateAfterIdle);
    }
    this.revalidateAfterIdle = revalidateAfterIdle;
    this.errorThreshold = Limits.atLeast("healthChecks.errorThreshold", errorThreshold, 1);
    this.banDuration = Timeouts.positive("healthChecks.banDuration", banDuration);
    this.strikesToBan = Limits.atLeast("healthChecks.strikesToBan", strikesToBan, 1);
    this.banStatuses = statuses("healthChecks.banStatuses", banStatuses);
    this.rateLimitStatuses = statuses("healthChecks.rateLimitStatuses", rateLimitStatuses);
  }

  /** The documented defaults. */
  public static HealthChecks defaults() {
    return DEFAULTS;
  }

  /** How often the background checker looks at every connection. */
  public Duration interval() {
    return interval;
  }

  /** A connection idle longer than this is validated before it is handed out. */
  public Duration revalidateAfterIdle() {
    return revalidateAfterIdle;
  }

  /** Failed exchanges on one connection after which the health checker retires it. */
  public int errorThreshold() {
    return errorThreshold;
  }

  /** How long a banned IP stays banned for its host. */
  public Duration banDuration() {
    return banDuration;
  }

  /** Penalties (refused connections, rate limits) after which an IP is banned. */
  public int strikesToBan() {
    return strikesToBan;
  }

  /** Response statuses that mean the site blocks this IP: the IP is banned, the request retried. */
  public Set<Integer> banStatuses() {
    return banStatuses;
  }

  /** Response statuses that mean "slow down": the IP is penalised, Retry-After honoured. */
  public Set<Integer> rateLimitStatuses() {
    return rateLimitStatuses;
  }

  public HealthChecks withInterval(Duration d) {
    return new HealthChecks(
        d,
        revalidateAfterIdle,
        errorThreshold,
        banDuration,
        strikesToBan,
        banStatuses,
        rateLimitStatuses);
  }

  public HealthChecks withRevalidateAfterIdle(Duration d) {
    return new HealthChecks(
        interval, d, errorThreshold, banDuration, strikesToBan, banStatuses, rateLimitStatuses);
  }

  public HealthChecks withErrorThreshold(int n) {
    return new HealthChecks(
        interval,
        revalidateAfterIdle,
        n,
        banDuration,
        strikesToBan,
        banStatuses,
        rateLimitStatuses);
  }

  public HealthChecks withBanDuration(Duration d) {
    return new HealthChecks(
        interval,
        revalidateAfterIdle,
        errorThreshold,
        d,
        strikesToBan,
        banStatuses,
        rateLimitStatuses);
  }

  public HealthChecks withStrikesToBan(int n) {
    return new HealthChecks(
        interval,
        revalidateAfterIdle,
        errorThreshold,
        banDuration,
        n,
        banStatuses,
        rateLimitStatuses);
  }

  /** The statuses that ban the IP (empty: no status does). */
  public HealthChecks withBanStatuses(Set<Integer> statuses) {
    return new HealthChecks(
        interval,
        revalidateAfterIdle,
        errorThreshold,
        banDuration,
        strikesToBan,
        statuses,
        rateLimitStatuses);
  }

  /** The statuses that mean rate limited (empty: only a 503 with Retry-After does). */
  public HealthChecks withRateLimitStatuses(Set<Integer> statuses) {
    return new HealthChecks(
        interval,
        revalidateAfterIdle,
        errorThreshold,
        banDuration,
        strikesToBan,
        banStatuses,
        statuses);
  }

  private static Set<Integer> statuses(String name, Set<Integer> statuses) {
    if (statuses == null) {
      throw new IllegalArgumentException(name + " must be a set of HTTP statuses: null");
    }
    for (Integer s : statuses) {
      if (s == null || s < 100 || s > 599) {
        throw new IllegalArgumentException(name + " must hold HTTP statuses (100..599): " + s);
      }
    }
    return Set.copyOf(statuses);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthChecks h
        && interval.equals(h.interval)
        && revalidateAfterIdle.equals(h.revalidateAfterIdle)
        && errorThreshold == h.errorThreshold
        && banDuration.equals(h.banDuration)
        && strikesToBan == h.strikesToBan
        && banStatuses.equals(h.banStatuses)
        && rateLimitStatuses.equals(h.rateLimitStatuses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        interval,
        revalidateAfterIdle,
        errorThreshold,
        banDuration,
        strikesToBan,
        banStatuses,
        rateLimitStatuses);
  }

  @Override
  public String toString() {
    return "HealthChecks[interval="
        + interval
        + ", revalidateAfterIdle="
        + revalidateAfterIdle
        + ", errorThreshold="
        + errorThreshold
        + ", banDuration="
        + banDuration
        + ", strikesToBan="
        + strikesToBan
        + ", banStatuses="
        + new TreeSet<>(banStatuses)
        + ", rateLimitStatuses="
        + new TreeSet<>(rateLimitStatuses)
        + "]";
  }
}
