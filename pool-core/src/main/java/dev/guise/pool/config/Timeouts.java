package dev.guise.pool.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the pool waits for each step, and how long a connection may live. Immutable: each {@code
 * with...} method returns a copy and rejects an invalid value at once, naming the setting.
 *
 * <p>Defaults: connect 30 s, validation 10 s, acquire 10 s, request 30 s, idle 60 s, maximum
 * lifetime 300 s. {@link PoolConfig.Builder#build()} also checks that the maximum lifetime is not
 * shorter than the idle timeout (a rule across two settings, so it cannot be checked per setting).
 */
public final class Timeouts {
  private static final Timeouts DEFAULTS =
      new Timeouts(
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(60),
          Duration.ofSeconds(300));

  private final Duration connect;
  private final Duration validation;
  private final Duration acquire;
  private final Duration request;
  private final Duration idle;
  private final Duration maxLifetime;

  private Timeouts(
      Duration connect,
      Duration validation,
      Duration acquire,
      Duration request,
      Duration idle,
      Duration maxLifetime) {
    this.connect = positive("timeouts.connect", connect);
    this.validation = positive("timeouts.validation", validation);
    this.acquire = positive("timeouts.acquire", acquire);
    this.request = positive("timeouts.request", request);
    this.idle = positive("timeouts.idle", idle);
    this.maxLifetime = positive("timeouts.maxLifetime", maxLifetime);
  }

  /** The documented defaults. */
  public static Timeouts defaults() {
    return DEFAULTS;
  }

  /** Opening a connection: TCP, TLS and the HTTP set-up. */
  public Duration connect() {
    return connect;
  }

  /** One validation by the configured validator. */
  public Duration validation() {
    return validation;
  }

  /** The longest a caller waits for a connection when the limits are reached. */
  public Duration acquire() {
    return acquire;
  }

  /** The default deadline of a request, retries included. */
  public Duration request() {
    return request;
  }

  /** An idle connection older than this is closed. */
  public Duration idle() {
    return idle;
  }

  /** A connection older than this is retired, however busy. */
  public Duration maxLifetime() {
    return maxLifetime;
  }

  public Timeouts withConnect(Duration d) {
    return new Timeouts(d, validation, acquire, request, idle, maxLifetime);
  }

  public Timeouts withValidation(Duration d) {
    return new Timeouts(connect, d, acquire, request, idle, maxLifetime);
  }

  public Timeouts withAcquire(Duration d) {
    return new Timeouts(connect, validation, d, request, idle, maxLifetime);
  }

  public Timeouts withRequest(Duration d) {
    return new Timeouts(connect, validation, acquire, d, idle, maxLifetime);
  }

  public Timeouts withIdle(Duration d) {
    return new Timeouts(connect, validation, acquire, request, d, maxLifetime);
  }

  public Timeouts withMaxLifetime(Duration d) {
    return new Timeouts(connect, validation, acquire, request, idle, d);
  }

  static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration: " + d);
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeouts t
        && connect.equals(t.connect)
        && validation.equals(t.validation)
        && acquire.equals(t.acquire)
        && request.equals(t.request)
        && idle.equals(t.idle)
        && maxLifetime.equals(t.maxLifetime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connect, validation, acquire, request, idle, maxLifetime);
  }

  @Override
  public String toString() {
    return "Timeouts[connect="
        + connect
        + ", validation="
        + validation
        + ", acquire="
        + acquire
        + ", request="
        + request
        + ", idle="
        + idle
        + ", maxLifetime="
        + maxLifetime
        + "]";
  }
}
