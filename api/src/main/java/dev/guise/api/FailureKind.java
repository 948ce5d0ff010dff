package dev.guise.api;

/**
 * What went wrong with a request or a connection. The kind decides, together with whether the
 * server may have processed the request, if a retry is safe; see {@link ClassifiedFailure}.
 */
public enum FailureKind {
  /** The host name could not be resolved. */
  UNKNOWN_HOST,
  /** TCP connect did not complete within the connect timeout. */
  CONNECT_TIMEOUT,
  /** The peer refused the TCP connection. */
  CONNECTION_REFUSED,
  /** The connection was reset or broke (RST, broken pipe) while in use. */
  CONNECTION_RESET,
  /** The peer closed the connection cleanly before the response was complete. */
  CONNECTION_CLOSED,
  /** A read waited longer than its timeout. */
  READ_TIMEOUT,
  /** The TLS handshake failed for a reason other than the certificate (alert, version, cipher). */
  TLS_HANDSHAKE,
  /** The server's certificate was rejected: chain, validity, or host name. Never retried. */
  CERTIFICATE,
  /** The peer broke HTTP/1.1, HTTP/2, HPACK or content-coding rules. */
  PROTOCOL_ERROR,
  /**
   * The server provably did not process the request (GOAWAY above the last stream, REFUSED_STREAM).
   */
  NOT_PROCESSED,
  /** The site blocks this IP (for example 403 from a bot defence). */
  IP_BLOCKED,
  /** The site asks us to slow down (429, or 503 with Retry-After). */
  RATE_LIMITED,
  /** The server failed (5xx). */
  SERVER_ERROR,
  /** The response was larger than the configured limit (body or header list). */
  RESPONSE_TOO_LARGE,
  /**
   * The request itself is invalid (bad URL, header, or a body that cannot be replayed). Never
   * retried.
   */
  INVALID_REQUEST,
  /**
   * A redirect cannot be followed: no or an unparsable {@code Location}, or one that leaves {@code
   * https}. Never retried.
   */
  INVALID_REDIRECT,
  /** A redirect leads back to a URL the chain already visited with the same method. */
  REDIRECT_LOOP,
  /** More redirects than the limit (20, as browsers allow). */
  TOO_MANY_REDIRECTS,
  /** No connection could be had within the pool's wait limit. */
  POOL_EXHAUSTED,
  /** The request's overall deadline passed. */
  DEADLINE_EXCEEDED,
  /** The caller cancelled or interrupted the request. */
  CANCELLED,
  /**
   * The proxy could not be reached: refused, unreachable, or its name did not resolve. Retried
   * through another proxy; never directly.
   */
  PROXY_UNREACHABLE,
  /**
   * The proxy turned the credentials down (HTTP {@code 407} after they were sent, a SOCKS5
   * username/password failure), or asked for credentials none were configured for. Never retried:
   * the same credentials fail again.
   */
  PROXY_AUTH_FAILED,
  /**
   * The proxy refused to open the tunnel: an HTTP {@code CONNECT} answered with another status than
   * 2xx ({@link ClassifiedFailure#status()} holds it), or a SOCKS5 reply other than success (the
   * reply code is the status). Retryable through another proxy.
   */
  PROXY_REJECTED,
  /** The proxy did not accept the connection or answer the tunnel request in time. */
  PROXY_TIMEOUT,
  /** The proxy answered with bytes that are not its protocol (a garbled reply, a wrong version). */
  PROXY_PROTOCOL_ERROR,
  /** Anything the classifiers could not place. */
  UNKNOWN
}
