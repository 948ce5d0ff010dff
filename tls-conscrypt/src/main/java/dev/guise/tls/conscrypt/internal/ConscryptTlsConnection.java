package dev.guise.tls.conscrypt.internal;

import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/**
 * A {@link TlsConnection} over a Conscrypt {@link SSLSocket} layered on a plain socket.
 *
 * <p>Close is bounded: Conscrypt's close writes close_notify, which blocks while a peer that does
 * not read keeps the send buffer full; a watchdog closes the plain socket after
 * {@link #CLOSE_NOTIFY_LIMIT}, and the plain socket is closed in every case.
 */
final class ConscryptTlsConnection implements TlsConnection {
  static final Duration CLOSE_NOTIFY_LIMIT = Duration.ofSeconds(1);

  private final SSLSocket ssl;
  private final Socket raw;
  private final NegotiatedTls negotiated;
  private final InputStream input;
  private volatile boolean peerClosed;

  ConscryptTlsConnection(SSLSocket ssl, Socket raw, NegotiatedTls negotiated) throws IOException {
    this.ssl = ssl;
    this.raw = raw;
    this.negotiated = negotiated;
    this.input = new EofWatchingInput(ssl.getInputStream());
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() throws IOException {
    return ssl.getOutputStream();
  }

  @Override
  public NegotiatedTls negotiated() {
    return negotiated;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) raw.getRemoteSocketAddress();
  }

  @Override
  public void setReadTimeout(Duration timeout) throws IOException {
    ssl.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  @Override
  public boolean isOpen() {
    return !peerClosed && !ssl.isClosed() && !raw.isClosed();
  }

  @Override
  public void close() throws IOException {
    if (raw.isClosed() && ssl.isClosed()) {
      return;
    }
    try (Watchdog watchdog = Watchdog.arm(raw, CLOSE_NOTIFY_LIMIT)) {
      ssl.close();
    } catch (IOException ignored) {
      // close_notify could not be sent (peer gone, or the watchdog closed the socket): the
      // connection is closed all the same, which is all close() promises
    } finally {
      raw.close();
    }
  }

  /** Remembers that the peer closed its side, so that {@link #isOpen()} can say so without I/O. */
  private final class EofWatchingInput extends FilterInputStream {
    EofWatchingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b < 0) {
        peerClosed = true;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        peerClosed = true;
      }
      return n;
    }
  }
}
