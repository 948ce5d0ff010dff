package dev.guise.pool.internal;

import dev.guise.api.HttpProtocol;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.pool.config.ReaderThreads;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.exchange.RequestTemplate;
import dev.guise.pool.internal.http1.Http1Connection;
import dev.guise.pool.internal.http2.Http2Connection;
import java.io.IOException;
import java.time.Duration;

/** Opens the {@link HttpConnection} that the TLS handshake's ALPN agreed on. */
public final class HttpConnections {
  /** How long the connection's own frames (preface, ACKs, WINDOW_UPDATEs) may take to write. */
  public static final Duration DEFAULT_CONTROL_WRITE_TIMEOUT = Duration.ofSeconds(10);

  private HttpConnections() {}

  /**
   * HTTP/2 when ALPN chose {@code h2}, HTTP/1.1 otherwise, speaking as {@code profile}. The
   * returned connection owns {@code tls}; if opening fails, {@code tls} is closed.
   */
  public static HttpConnection open(
      TlsConnection tls, TlsEndpoint endpoint, RequestTemplate profile) throws IOException {
    return open(tls, endpoint, profile, DEFAULT_CONTROL_WRITE_TIMEOUT, ReaderThreads.ADAPTIVE);
  }

  /**
   * As {@link #open(TlsConnection, TlsEndpoint, RequestTemplate)}, with the control write timeout
   * and the kind of thread that reads an HTTP/2 connection.
   */
  public static HttpConnection open(
      TlsConnection tls,
      TlsEndpoint endpoint,
      RequestTemplate profile,
      Duration controlWriteTimeout,
      ReaderThreads readerThreads)
      throws IOException {
    if (tls.negotiated().httpProtocol() == HttpProtocol.HTTP_2) {
      return Http2Connection.open(tls, endpoint, profile, controlWriteTimeout, readerThreads);
    }
    return Http1Connection.open(tls, endpoint, profile);
  }

  /**
   * As {@link #open(TlsConnection, TlsEndpoint, RequestTemplate)}, with the profile the engine
   * presented and the kind of thread that reads an HTTP/2 connection.
   */
  public static HttpConnection open(
      TlsConnection tls, TlsEndpoint endpoint, ReaderThreads readerThreads) throws IOException {
    return open(
        tls,
        endpoint,
        RequestTemplate.forName(tls.negotiated().profile()),
        DEFAULT_CONTROL_WRITE_TIMEOUT,
        readerThreads);
  }
}
