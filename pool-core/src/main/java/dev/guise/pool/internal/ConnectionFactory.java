package dev.guise.pool.internal;

import dev.guise.api.TlsEndpoint;
import dev.guise.pool.internal.exchange.HttpConnection;
import java.io.IOException;

/**
 * Opens a new HTTP connection: TCP connect to the pinned IP, TLS handshake with the chosen profile,
 * HTTP/1.1 or HTTP/2 set-up by ALPN. The pool calls it without holding any lock.
 */
@FunctionalInterface
public interface ConnectionFactory {
  /**
   * @param deadlineNanos a {@link System#nanoTime()} value nothing may block past
   * @throws IOException classified where the layer knows the kind; the socket is closed on failure
   */
  HttpConnection open(TlsEndpoint endpoint, String profile, long deadlineNanos) throws IOException;
}
