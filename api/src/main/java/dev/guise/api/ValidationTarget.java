package dev.guise.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A pooled connection as a {@link dev.guise.api.spi.ConnectionValidator} sees it: enough to probe
 * it, nothing to take it out of the pool.
 *
 * <p>The pool hands a target to one validator at a time and does not lend the connection to a
 * request meanwhile. Every blocking method takes a timeout and fails with {@link
 * java.net.SocketTimeoutException} (or a {@link ClassifiedIOException} of kind {@link
 * FailureKind#READ_TIMEOUT}) when it passes. On any failure the pool discards the connection, so a
 * validator never needs to clean up after one.
 */
public interface ValidationTarget {

  /** Host, pinned IP and port. */
  TlsEndpoint endpoint();

  /** The protocol spoken on the connection. */
  HttpProtocol protocol();

  /** The negotiated TLS facts. */
  NegotiatedTls tls();

  /** When the connection finished its handshake. */
  Instant openedAt();

  /** When the connection last carried a request or a successful validation. */
  Instant lastUsedAt();

  /** The pool's clock, for comparing with {@link #openedAt()} and {@link #lastUsedAt()}. */
  Instant now();

  /** The longest the pool keeps a connection, from {@link #openedAt()}. */
  Duration maxLifetime();

  /**
   * True until either side closed the connection, and (for HTTP/2) until the peer sent GOAWAY.
   * Costs no I/O.
   */
  boolean isOpen();

  /**
   * Whether bytes the peer sent unasked are waiting (on HTTP/1.1 an idle connection with readable
   * data, or end of stream, is half-closed or broken). Costs no blocking I/O.
   */
  boolean hasUnexpectedInput();

  /**
   * Sends one request and reads the response head and at most {@code request.maxBodyBytes()} of the
   * body. The rest of the body is read and discarded if it fits the timeout and the connection can
   * be kept; otherwise the connection is marked for closing. Either way, no half-read response is
   * left on a connection that goes back to the pool.
   */
  ProbeResponse exchange(ProbeRequest request, Duration timeout) throws IOException;

  /**
   * Sends an HTTP/2 PING and waits for its acknowledgement; returns the round-trip time.
   *
   * @throws UnsupportedOperationException on HTTP/1.1 connections
   */
  Duration ping(Duration timeout) throws IOException;
}
