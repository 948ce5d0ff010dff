package dev.guise.pool.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
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

  /**
   * Opens a connection on {@code route}, through its proxy when it has one. A factory that knows no
   * proxies refuses a route through one: failing closed, it never goes out directly instead.
   */
  default HttpConnection open(Route route, String profile, long deadlineNanos) throws IOException {
    if (route.proxy() != null) {
      throw new ClassifiedIOException(
          FailureKind.INVALID_REQUEST,
          false,
          PoolAction.DISCARD_CONNECTION,
          "this connection factory cannot open connections through a proxy; nothing goes direct",
          null);
    }
    return open(route.endpoint(), profile, deadlineNanos);
  }
}
