package dev.guise.pool.failure;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.ResponseInfo;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.FailureClassifier;
import dev.guise.api.spi.ProviderOptions;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Guise's default classifier, named {@code default}; always last in a chain, it always has an
 * opinion.
 *
 * <h2>Exceptions</h2>
 *
 * A {@link ClassifiedIOException} keeps its classification. Otherwise, looking through causes:
 *
 * <table>
 *   <caption>Exception mapping</caption>
 *   <tr><th>exception</th><th>kind</th><th>retryable</th><th>pool action</th></tr>
 *   <tr><td>UnknownHostException</td><td>UNKNOWN_HOST</td><td>no</td><td>discard</td></tr>
 *   <tr><td>ConnectException (refused)</td><td>CONNECTION_REFUSED</td><td>yes</td>
 *       <td>penalise IP</td></tr>
 *   <tr><td>SocketTimeoutException, "connect timed out"</td><td>CONNECT_TIMEOUT</td><td>yes</td>
 *       <td>penalise IP</td></tr>
 *   <tr><td>other SocketTimeoutException</td><td>READ_TIMEOUT</td><td>yes</td><td>discard</td></tr>
 *   <tr><td>certificate problems in a handshake</td><td>CERTIFICATE</td><td>no</td>
 *       <td>discard</td></tr>
 *   <tr><td>other SSLException</td><td>TLS_HANDSHAKE</td><td>yes</td><td>discard</td></tr>
 *   <tr><td>SocketException (reset, broken pipe)</td><td>CONNECTION_RESET</td><td>yes</td>
 *       <td>discard</td></tr>
 *   <tr><td>EOFException</td><td>CONNECTION_CLOSED</td><td>yes</td><td>discard</td></tr>
 *   <tr><td>interrupt, cancellation</td><td>CANCELLED</td><td>no</td><td>discard</td></tr>
 *   <tr><td>anything else</td><td>UNKNOWN</td><td>no</td><td>discard</td></tr>
 * </table>
 *
 * <h2>Responses</h2>
 *
 * The ban statuses ({@code 403} by default; option {@code ban-statuses}, or a pool's {@code
 * HealthChecks.banStatuses()}) are IP_BLOCKED: retryable on another IP, ban this one. The
 * rate-limit statuses ({@code 429} by default; option {@code rate-limit-statuses}, or {@code
 * HealthChecks.rateLimitStatuses()}) are RATE_LIMITED: retryable, penalise the IP, with the
 * server's Retry-After. {@code 503} with a Retry-After is RATE_LIMITED too; {@code 502}, {@code
 * 503} and {@code 504} are retryable SERVER_ERRORs that keep the connection; other 5xx are
 * SERVER_ERRORs not retried. Every other status is accepted: it is the caller's answer.
 *
 * <p>Immutable and thread-safe.
 */
public final class DefaultFailureClassifier implements FailureClassifier {
  public static final String NAME = "default";

  /** The statuses that mean IP_BLOCKED unless configured otherwise: {@code 403}. */
  public static final Set<Integer> DEFAULT_BAN_STATUSES = Set.of(403);

  /** The statuses that mean RATE_LIMITED unless configured otherwise: {@code 429}. */
  public static final Set<Integer> DEFAULT_RATE_LIMIT_STATUSES = Set.of(429);

  private final Set<Integer> banStatuses;
  private final Set<Integer> rateLimitStatuses;
  private final Clock clock;

  /** With the default statuses; a pool's classifier takes its statuses from its configuration. */
  public DefaultFailureClassifier() {
    this(DEFAULT_BAN_STATUSES, DEFAULT_RATE_LIMIT_STATUSES, Clock.systemUTC());
  }

  /**
   * @param banStatuses statuses classified IP_BLOCKED (ban the IP, retry elsewhere)
   * @param rateLimitStatuses statuses classified RATE_LIMITED (penalise the IP, honour Retry-After)
   * @param clock reads the time for Retry-After given as an HTTP date
   */
  public DefaultFailureClassifier(
      Set<Integer> banStatuses, Set<Integer> rateLimitStatuses, Clock clock) {
    this.banStatuses = Set.copyOf(banStatuses);
    this.rateLimitStatuses = Set.copyOf(rateLimitStatuses);
    this.clock = clock;
  }

  /** The statuses classified IP_BLOCKED. */
  public Set<Integer> banStatuses() {
    return banStatuses;
  }

  /** The statuses classified RATE_LIMITED (besides a 503 with Retry-After). */
  public Set<Integer> rateLimitStatuses() {
    return rateLimitStatuses;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Optional<ClassifiedFailure> classify(Throwable error, TlsEndpoint endpoint) {
    return Optional.of(classifyException(error, endpoint));
  }

  private static ClassifiedFailure classifyException(Throwable error, TlsEndpoint endpoint) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ClassifiedIOException c) {
        return c.failure();
      }
    }
    String where = " (" + endpoint + ")";
    String msg = String.valueOf(error.getMessage());
    if (has(error, UnknownHostException.class)) {
      return fail(
          FailureKind.UNKNOWN_HOST,
          false,
          PoolAction.DISCARD_CONNECTION,
          "unknown host " + endpoint.host(),
          error);
    }
    if (has(error, ConnectException.class)
        || has(error, NoRouteToHostException.class)
        || has(error, PortUnreachableException.class)) {
      return fail(
          FailureKind.CONNECTION_REFUSED,
          true,
          PoolAction.PENALISE_IP,
          "connection refused" + where,
          error);
    }
    if (error instanceof SocketTimeoutException) {
      if (msg.toLowerCase(Locale.ROOT).contains("connect")) {
        return fail(
            FailureKind.CONNECT_TIMEOUT,
            true,
            PoolAction.PENALISE_IP,
            "connect timed out" + where,
            error);
      }
      return fail(
          FailureKind.READ_TIMEOUT,
          true,
          PoolAction.DISCARD_CONNECTION,
          "read timed out" + where,
          error);
    }
    if (isCertificateProblem(error)) {
      return fail(
          FailureKind.CERTIFICATE,
          false,
          PoolAction.DISCARD_CONNECTION,
          "certificate rejected" + where + ": " + rootMessage(error),
          error);
    }
    if (error instanceof SSLException) {
      return fail(
          FailureKind.TLS_HANDSHAKE,
          true,
          PoolAction.DISCARD_CONNECTION,
          "TLS failed" + where + ": " + msg,
          error);
    }
    if (error instanceof InterruptedIOException
        || error instanceof InterruptedException
        || error instanceof CancellationException) {
      return fail(
          FailureKind.CANCELLED, false, PoolAction.DISCARD_CONNECTION, "cancelled" + where, error);
    }
    if (error instanceof EOFException) {
      return fail(
          FailureKind.CONNECTION_CLOSED,
          true,
          PoolAction.DISCARD_CONNECTION,
          "connection closed by peer" + where,
          error);
    }
    if (error instanceof SocketException) {
      return fail(
          FailureKind.CONNECTION_RESET,
          true,
          PoolAction.DISCARD_CONNECTION,
          "connection broken" + where + ": " + msg,
          error);
    }
    return fail(
        FailureKind.UNKNOWN,
        false,
        PoolAction.DISCARD_CONNECTION,
        error.getClass().getSimpleName() + where + ": " + msg,
        error);
  }

  private static boolean isCertificateProblem(Throwable error) {
    if (has(error, CertificateException.class)
        || has(error, CertPathValidatorException.class)
        || has(error, SSLPeerUnverifiedException.class)) {
      return true;
    }
    // The JDK reports a failed chain as an SSLHandshakeException whose cause was dropped by some
    // engines; its alert text is then the only witness.
    if (error instanceof SSLHandshakeException) {
      String m = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
      return m.contains("certificate")
          || m.contains("pkix")
          || m.contains("no subject alternative");
    }
    return false;
  }

  private static boolean has(Throwable error, Class<? extends Throwable> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static ClassifiedFailure fail(
      FailureKind kind, boolean retryable, PoolAction action, String message, Throwable cause) {
    return ClassifiedFailure.of(kind, retryable, action, message, cause);
  }

  @Override
  public ResponseVerdict classify(ResponseInfo response) {
    int status = response.status();
    boolean ban = banStatuses.contains(status);
    boolean serverError = status >= 500 && status <= 599;
    if (!ban && !serverError && !rateLimitStatuses.contains(status)) {
      // Most answers: no rule names the status, so there is nothing to parse or describe.
      return ResponseVerdict.accept();
    }
    Optional<Duration> retryAfter = response.header("retry-after").flatMap(this::parseRetryAfter);
    String where = " from " + response.endpoint();
    if (ban) {
      return ResponseVerdict.fail(
          ClassifiedFailure.ofStatus(
              FailureKind.IP_BLOCKED,
              true,
              PoolAction.BAN_IP,
              status,
              retryAfter,
              "status " + status + where + ": IP blocked"));
    }
    if (rateLimitStatuses.contains(status) || status == 503 && retryAfter.isPresent()) {
      return ResponseVerdict.fail(
          ClassifiedFailure.ofStatus(
              FailureKind.RATE_LIMITED,
              true,
              PoolAction.PENALISE_IP,
              status,
              retryAfter,
              "status " + status + where + ": rate limited"));
    }
    if (serverError) {
      boolean transientError = status == 502 || status == 503 || status == 504;
      return ResponseVerdict.fail(
          ClassifiedFailure.ofStatus(
              FailureKind.SERVER_ERROR,
              transientError,
              PoolAction.KEEP,
              status,
              retryAfter,
              "status " + status + where + ": server error"));
    }
    return ResponseVerdict.accept();
  }

  /** Delta-seconds or an HTTP date (RFC 9110 section 10.2.3); empty when unparseable. */
  Optional<Duration> parseRetryAfter(String value) {
    String v = value.trim();
    try {
      long seconds = Long.parseLong(v);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (DateTimeParseException unparseable) {
        return Optional.empty();
      }
    }
  }

  @Override
  public FailureClassifier withOptions(Map<String, String> options) {
    ProviderOptions o = ProviderOptions.read(NAME, options, "ban-statuses", "rate-limit-statuses");
    return new DefaultFailureClassifier(
        statuses(o, "ban-statuses", banStatuses),
        statuses(o, "rate-limit-statuses", rateLimitStatuses),
        clock);
  }

  /** A '|'-separated list of HTTP statuses, such as {@code 403|451}; empty for none. */
  private static Set<Integer> statuses(ProviderOptions o, String option, Set<Integer> fallback) {
    return Set.copyOf(o.getIntList(option, List.copyOf(fallback), 100, 599));
  }
}
