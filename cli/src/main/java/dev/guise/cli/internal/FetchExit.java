package dev.guise.cli.internal;

import dev.guise.api.FailureKind;

/**
 * The exit codes of {@code guise fetch}: curl's numbers where curl has the same failure, so scripts
 * written for curl read them the same way. {@code guise fetch --help} and the README list them.
 */
final class FetchExit {
  static final int OK = 0;

  /** A usage error (curl uses 2 for "failed to initialise"; ours is the bad command line). */
  static final int USAGE = CliException.USAGE;

  /** A failure curl has no number for (pool exhausted, cancelled, an invalid request). */
  static final int OTHER = CliException.REQUEST_FAILED;

  static final int CANNOT_RESOLVE = 6;
  static final int CANNOT_CONNECT = 7;
  static final int PROTOCOL = 8;
  static final int HTTP_ERROR = 22;
  static final int WRITE_ERROR = 23;
  static final int TIMEOUT = 28;
  static final int TLS = 35;
  static final int RECEIVE = 56;
  static final int CERTIFICATE = 60;
  static final int TOO_LARGE = 63;

  /** curl's CURLE_PROXY: the proxy refused the tunnel, the credentials, or broke its protocol. */
  static final int PROXY = 97;

  private FetchExit() {}

  /** The exit code of a transfer that ended with a failure of {@code kind}. */
  static int of(FailureKind kind) {
    return switch (kind) {
      case UNKNOWN_HOST -> CANNOT_RESOLVE;
      case CONNECTION_REFUSED, PROXY_UNREACHABLE -> CANNOT_CONNECT;
      case CONNECT_TIMEOUT, READ_TIMEOUT, DEADLINE_EXCEEDED, PROXY_TIMEOUT -> TIMEOUT;
      case PROXY_AUTH_FAILED, PROXY_REJECTED, PROXY_PROTOCOL_ERROR -> PROXY;
      case TLS_HANDSHAKE -> TLS;
      case CERTIFICATE -> CERTIFICATE;
      case PROTOCOL_ERROR -> PROTOCOL;
      case CONNECTION_RESET, CONNECTION_CLOSED, NOT_PROCESSED -> RECEIVE;
      case RESPONSE_TOO_LARGE -> TOO_LARGE;
      // IP_BLOCKED, RATE_LIMITED and SERVER_ERROR come from statuses, which fetch takes as answers
      // (see FetchCommand); only a ban the pool already holds could bring them here.
      default -> OTHER;
    };
  }

  /** The table for {@code --help}. */
  static String help() {
    return """
      0   a response came (whatever its status, unless --fail)
      2   usage error: unknown option, bad value, unreadable --data file, unknown engine
      3   another failure (pool exhausted, the IP banned, invalid request, ...)
      6   could not resolve the host
      7   could not connect (refused; or no --proxy could be reached)
      8   the server broke the HTTP protocol
      22  --fail and a status of 400 or more
      23  could not write the output (-o)
      28  timed out (connect, read, a proxy, or the --timeout deadline)
      35  TLS handshake failed
      56  the connection was reset or closed before the response ended
      60  the server's certificate was not trusted or not for the host
      63  the response was larger than the pool's limit
      97  the proxy refused the tunnel or the credentials, or broke its protocol
    """;
  }
}
