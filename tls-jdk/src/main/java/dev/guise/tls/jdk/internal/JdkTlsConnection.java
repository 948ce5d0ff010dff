package dev.guise.tls.jdk.internal;

import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import javax.net.ssl.SSLSocket;

/** A {@link TlsConnection} over a JDK {@link SSLSocket}. */
final class JdkTlsConnection implements TlsConnection {
  private final SSLSocket socket;
  private final NegotiatedTls negotiated;

  JdkTlsConnection(SSLSocket socket, NegotiatedTls negotiated) {
    this.socket = socket;
    this.negotiated = negotiated;
  }

  @Override
  public InputStream input() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public OutputStream output() throws IOException {
    return socket.getOutputStream();
  }

  @Override
  public NegotiatedTls negotiated() {
    return negotiated;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  @Override
  public void setReadTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
  }

  @Override
  public boolean isOpen() {
    return !socket.isClosed() && !socket.isInputShutdown();
  }

  @Override
  public void close() throws IOException {
    // SSLSocket.close() sends close_notify and may wait on a peer that does not read; a short
    // linger keeps that bounded, and the underlying socket is closed either way (autoClose).
    try {
      socket.setSoLinger(true, 1);
    } catch (IOException ignored) {
      // already closed
    }
    socket.close();
  }
}
