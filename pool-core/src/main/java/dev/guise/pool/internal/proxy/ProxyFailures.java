package dev.guise.pool.internal.proxy;

import dev.guise.api.ClassifiedFailure;
import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The failures of opening a tunnel, each with its retryability and pool action. A failure of the
 * proxy itself discards the would-be connection and leaves the site's IP alone (the site did
 * nothing); the proxy's own health is counted apart ({@link ProxyHealth}). Messages name the proxy
 * by {@link dev.guise.pool.proxy.Proxy#toString()}, which never holds the password.
 */
final class ProxyFailures {
  private ProxyFailures() {}

  static ClassifiedIOException unreachable(String proxy, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.PROXY_UNREACHABLE,
        true,
        PoolAction.DISCARD_CONNECTION,
        "proxy " + proxy + " unreachable: " + cause.getClass().getSimpleName(),
        cause);
  }

  static ClassifiedIOException timeout(String proxy, String what, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.PROXY_TIMEOUT,
        true,
        PoolAction.DISCARD_CONNECTION,
        "proxy " + proxy + " timed out " + what,
        cause);
  }

  static ClassifiedIOException authFailed(String proxy, String why) {
    return new ClassifiedIOException(
        FailureKind.PROXY_AUTH_FAILED,
        false,
        PoolAction.DISCARD_CONNECTION,
        "proxy " + proxy + " authentication failed: " + why,
        null);
  }

  static ClassifiedIOException garbled(String proxy, String what) {
    return new ClassifiedIOException(
        FailureKind.PROXY_PROTOCOL_ERROR,
        true,
        PoolAction.DISCARD_CONNECTION,
        "proxy " + proxy + " answered garbage: " + what,
        null);
  }

  /**
   * The connection to the proxy broke (reset, broken pipe) while the tunnel was being set up: the
   * proxy's fault, retryable through another; the site's IP did nothing.
   */
  static ClassifiedIOException broken(String proxy, Throwable cause) {
    return new ClassifiedIOException(
        FailureKind.PROXY_PROTOCOL_ERROR,
        true,
        PoolAction.DISCARD_CONNECTION,
        "proxy "
            + proxy
            + " broke the connection while setting up the tunnel: "
            + cause.getClass().getSimpleName(),
        cause);
  }

  /**
   * The TLS handshake with an HTTPS proxy failed: the engine's classification (a wrong certificate
   * stays {@code CERTIFICATE}, never retried: a proxy presenting one may be intercepting), with a
   * message that names the proxy. The engine's names only the endpoint, which reads like the site.
   */
  static ClassifiedIOException ownTls(String proxy, ClassifiedFailure failure) {
    return new ClassifiedIOException(
        new ClassifiedFailure(
            failure.kind(),
            failure.retryable(),
            failure.action(),
            failure.status(),
            failure.retryAfter(),
            "proxy " + proxy + " TLS: " + failure.message(),
            failure.cause()));
  }

  /**
   * An HTTP proxy answered CONNECT with {@code status}. A gateway answer (502 Bad Gateway, 504
   * Gateway Timeout, and 503, which squid sends when its connect to the target fails) says the
   * proxy works and the target did not answer it: that is the site's IP failing, counted against
   * the route as a direct connect failure would be ({@code CONNECTION_REFUSED}, or {@code
   * CONNECT_TIMEOUT} for 504), never against the proxy. A proxy's rest is shared by every host, so
   * blaming it for one site's outage would bench a healthy proxy for all of them. Every other
   * status is the proxy refusing ({@code PROXY_REJECTED}). All are retryable: another proxy may get
   * through.
   */
  static ClassifiedIOException connectRejected(String proxy, int status, String reason) {
    return switch (status) {
      case 502, 503, 504 ->
          rejected(
              status,
              true,
              PoolAction.PENALISE_IP,
              status == 504 ? FailureKind.CONNECT_TIMEOUT : FailureKind.CONNECTION_REFUSED,
              "proxy " + proxy + " could not reach the target: " + status + " " + reason);
      default ->
          rejected(
              status,
              true,
              PoolAction.DISCARD_CONNECTION,
              "proxy " + proxy + " rejected CONNECT: " + status + " " + reason);
    };
  }

  /**
   * A SOCKS5 reply other than success, code by code (RFC 1928 section 6). The ones about the target
   * (network or host unreachable, refused, timed out) are the site's IP failing and are classified
   * as a direct connect would be ({@code CONNECTION_REFUSED} as for a {@code
   * NoRouteToHostException} or a refusal, {@code CONNECT_TIMEOUT}), a strike against the route and
   * never against the proxy, as for an HTTP proxy's gateway answers; the ones about the proxy (its
   * rules, what it supports) are {@code PROXY_REJECTED} and only discard. Every one may succeed
   * through another proxy, so each is retryable.
   */
  static ClassifiedIOException socksReply(String proxy, int code) {
    String what;
    PoolAction action = PoolAction.DISCARD_CONNECTION;
    FailureKind kind = FailureKind.PROXY_REJECTED;
    switch (code) {
      case 0x01 -> what = "general SOCKS server failure";
      case 0x02 -> what = "connection not allowed by ruleset";
      case 0x03 -> {
        what = "network unreachable";
        kind = FailureKind.CONNECTION_REFUSED;
        action = PoolAction.PENALISE_IP;
      }
      case 0x04 -> {
        what = "host unreachable";
        kind = FailureKind.CONNECTION_REFUSED;
        action = PoolAction.PENALISE_IP;
      }
      case 0x05 -> {
        what = "connection refused by the target";
        kind = FailureKind.CONNECTION_REFUSED;
        action = PoolAction.PENALISE_IP;
      }
      case 0x06 -> {
        // microsocks sends it when its connect to the target times out: the target's silence.
        what = "TTL expired";
        kind = FailureKind.CONNECT_TIMEOUT;
        action = PoolAction.PENALISE_IP;
      }
      case 0x07 -> what = "command not supported";
      case 0x08 -> what = "address type not supported";
      default -> what = "unassigned reply code";
    }
    return rejected(
        code,
        true,
        action,
        kind,
        "proxy " + proxy + " SOCKS5 reply " + String.format("0x%02x", code) + ": " + what);
  }

  private static ClassifiedIOException rejected(
      int status, boolean retryable, PoolAction action, String message) {
    return rejected(status, retryable, action, FailureKind.PROXY_REJECTED, message);
  }

  private static ClassifiedIOException rejected(
      int status, boolean retryable, PoolAction action, FailureKind kind, String message) {
    return new ClassifiedIOException(
        new ClassifiedFailure(
            kind,
            retryable,
            action,
            OptionalInt.of(status),
            Optional.empty(),
            message,
            Optional.empty()));
  }
}
