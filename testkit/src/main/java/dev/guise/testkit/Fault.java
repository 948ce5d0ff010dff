package dev.guise.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * One misbehaviour the {@link TestServer} can inject, installed with {@link Faults#add}.
 *
 * <p>Request faults ({@link Kind#STATUS}, {@link Kind#RESET}, {@link Kind#STALL}, {@link
 * Kind#GOAWAY}) are checked for every request whose address and path match the rule's {@link
 * FaultScope}. Connection faults ({@link Kind#TLS_ALERT}, {@link Kind#IDLE_CLOSE}, {@link
 * Kind#REFUSE}) are checked per connection or per listening address; a path in their scope never
 * matches (there is no path yet when they act).
 *
 * <p>{@code afterRequests} lets the first N matching requests <em>per server address</em> through
 * untouched ("403 after 5 requests to that IP"); {@code maxInjections} stops the rule after it
 * fired that many times in total (0 means no limit), e.g. "one 503, then healthy".
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what happens
 * @param status the status code of a {@link Kind#STATUS} fault
 * @param retryAfterSeconds the {@code Retry-After} value sent with a STATUS fault, or -1 for none
 * @param bytesBeforeReset for {@link Kind#RESET}: how many body bytes are written before the TCP
 *     reset
 * @param idleTimeout for {@link Kind#IDLE_CLOSE}: connections idle longer than this are closed
 * @param afterRequests matching requests per address let through before the fault applies
 * @param maxInjections how many times the rule fires at most, 0 for unlimited
 */
public record Fault(
    Kind kind,
    int status,
    int retryAfterSeconds,
    int bytesBeforeReset,
    Duration idleTimeout,
    int afterRequests,
    int maxInjections) {

  /** The kinds of fault, as counted by {@link Faults#injected(Kind)}. */
  public enum Kind {
    /** Answer with a chosen status code (403, 429 with Retry-After, 500, 502, 503, ...). */
    STATUS,
    /** Write the response head and part of the body, then reset the TCP connection (RST). */
    RESET,
    /** Accept the request and never answer; ends when the client closes or the server stops. */
    STALL,
    /**
     * HTTP/2: send GOAWAY whose last-stream-id excludes the matching stream, which is never
     * processed, then close once earlier streams are done. HTTP/1.1: answer with {@code Connection:
     * close} and close.
     */
    GOAWAY,
    /** Abort the handshake with a fatal {@code handshake_failure} alert after the ClientHello. */
    TLS_ALERT,
    /** Close connections that carried no request for longer than the idle timeout. */
    IDLE_CLOSE,
    /** Stop listening on the matching addresses: connecting there gets "connection refused". */
    REFUSE,
    /** Counted once per {@link TestServer#down()} (the whole server went away). */
    DOWN;

    /** Whether the fault acts on connections or listeners rather than on single requests. */
    public boolean connectionLevel() {
      return this == TLS_ALERT || this == IDLE_CLOSE || this == REFUSE || this == DOWN;
    }
  }

  public Fault {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.STATUS && (status < 100 || status > 999)) {
      throw new IllegalArgumentException("status must be 100..999: " + status);
    }
    if (kind == Kind.IDLE_CLOSE && (idleTimeout == null || idleTimeout.isNegative())) {
      throw new IllegalArgumentException("IDLE_CLOSE needs a non-negative idle timeout");
    }
    if (bytesBeforeReset < 0 || afterRequests < 0 || maxInjections < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
    if (kind == Kind.DOWN) {
      throw new IllegalArgumentException("DOWN is TestServer.down(), not a rule");
    }
  }

  /** Every matching request is answered with {@code status} and a short text body. */
  public static Fault status(int status) {
    return new Fault(Kind.STATUS, status, -1, 0, null, 0, 0);
  }

  /** 429 Too Many Requests with {@code Retry-After: retryAfterSeconds}. */
  public static Fault tooManyRequests(int retryAfterSeconds) {
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds < 0");
    }
    return new Fault(Kind.STATUS, 429, retryAfterSeconds, 0, null, 0, 0);
  }

  /** The response head and {@code bytesBeforeReset} body bytes, then a TCP reset. */
  public static Fault reset(int bytesBeforeReset) {
    return new Fault(Kind.RESET, 0, -1, bytesBeforeReset, null, 0, 0);
  }

  /** The request is read and never answered. */
  public static Fault stall() {
    return new Fault(Kind.STALL, 0, -1, 0, null, 0, 0);
  }

  /** HTTP/2 GOAWAY that leaves the matching stream unprocessed; HTTP/1.1 Connection: close. */
  public static Fault goAway() {
    return new Fault(Kind.GOAWAY, 0, -1, 0, null, 0, 0);
  }

  /** A fatal TLS alert instead of the ServerHello. */
  public static Fault tlsAlert() {
    return new Fault(Kind.TLS_ALERT, 0, -1, 0, null, 0, 0);
  }

  /**
   * Connections idle (no request in flight, none received) for longer than {@code idle} are closed.
   */
  public static Fault idleClose(Duration idle) {
    return new Fault(Kind.IDLE_CLOSE, 0, -1, 0, idle, 0, 0);
  }

  /** Matching addresses stop listening; connects are refused until the rule is removed. */
  public static Fault refuse() {
    return new Fault(Kind.REFUSE, 0, -1, 0, null, 0, 0);
  }

  /** This fault, applied only after {@code n} matching requests per address went through. */
  public Fault afterRequests(int n) {
    return new Fault(
        kind, status, retryAfterSeconds, bytesBeforeReset, idleTimeout, n, maxInjections);
  }

  /** This fault, firing at most {@code n} times in total (TLS alerts: n connections). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1");
    }
    return new Fault(
        kind, status, retryAfterSeconds, bytesBeforeReset, idleTimeout, afterRequests, n);
  }
}
