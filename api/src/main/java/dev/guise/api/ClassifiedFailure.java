package dev.guise.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A failure put into Guise's taxonomy: what kind it is, whether retrying it is safe, and what the
 * pool should do with the connection and the IP.
 *
 * <p>{@code retryable} means "a retry may succeed and is safe for any method" only when the kind is
 * {@link FailureKind#NOT_PROCESSED} or a connect-phase failure; for failures after the request was
 * sent, the client retries only idempotent requests, whatever this flag says.
 *
 * @param kind what went wrong
 * @param retryable whether another attempt (on another connection) may succeed
 * @param action what the pool does with the connection and IP
 * @param status the HTTP status, for failures classified from a response
 * @param retryAfter the delay the server asked for ({@code Retry-After}), if any
 * @param message a one-line description, fit to show a user
 * @param cause the exception, for failures classified from one
 */
public record ClassifiedFailure(
    FailureKind kind,
    boolean retryable,
    PoolAction action,
    OptionalInt status,
    Optional<Duration> retryAfter,
    String message,
    Optional<Throwable> cause) {

  public ClassifiedFailure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(cause, "cause");
    retryAfter.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + d);
          }
        });
  }

  /** A failure from an exception. */
  public static ClassifiedFailure of(
      FailureKind kind, boolean retryable, PoolAction action, String message, Throwable cause) {
    return new ClassifiedFailure(
        kind,
        retryable,
        action,
        OptionalInt.empty(),
        Optional.empty(),
        message,
        Optional.ofNullable(cause));
  }

  /** A failure from a response status. */
  public static ClassifiedFailure ofStatus(
      FailureKind kind,
      boolean retryable,
      PoolAction action,
      int status,
      Optional<Duration> retryAfter,
      String message) {
    return new ClassifiedFailure(
        kind, retryable, action, OptionalInt.of(status), retryAfter, message, Optional.empty());
  }

  /** {@code KIND: message}, the one-line form Guise prints. */
  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
