package dev.guise.pool.internal.proxy;

import dev.guise.api.TlsConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;

/**
 * A TLS connection to an HTTPS proxy, as the {@link java.net.Socket} a TLS engine runs the site's
 * handshake over: the site's TLS records go inside the proxy's, through the tunnel. Only what the
 * engines use is answered (streams, read timeout, state, close); the rest are no-ops, since the
 * socket underneath belongs to the proxy's TLS connection.
 */
final class TlsSocket extends Socket {
  private final TlsConnection tls;
  private volatile int timeoutMillis;
  private volatile boolean closed;

  TlsSocket(TlsConnection tls) {
    this.tls = tls;
  }

  @Override
  public InputStream getInputStream() throws IOException {
    return tls.input();
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return tls.output();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    try {
      tls.setReadTimeout(Duration.ofMillis(timeout));
      timeoutMillis = timeout;
    } catch (IOException e) {
      SocketException s = new SocketException("cannot set the read timeout");
      s.initCause(e);
      throw s;
    }
  }

  @Override
  public int getSoTimeout() {
    return timeoutMillis;
  }

  @Override
  public void setTcpNoDelay(boolean on) {}

  @Override
  public void setSoLinger(boolean on, int linger) {}

  @Override
  public boolean isConnected() {
    return true;
  }

  @Override
  public boolean isClosed() {
    return closed || !tls.isOpen();
  }

  @Override
  public boolean isInputShutdown() {
    return isClosed();
  }

  @Override
  public boolean isOutputShutdown() {
    return isClosed();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return tls.remoteAddress();
  }

  @Override
  public InetAddress getInetAddress() {
    return tls.remoteAddress().getAddress();
  }

  @Override
  public int getPort() {
    return tls.remoteAddress().getPort();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    tls.close();
  }
}
