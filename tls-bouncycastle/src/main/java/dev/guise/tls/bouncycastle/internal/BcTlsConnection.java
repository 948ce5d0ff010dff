package dev.guise.tls.bouncycastle.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.codec.io.DeadlineGuard;
import dev.guise.codec.io.PooledBufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.TlsException;
import org.bouncycastle.tls.TlsNoCloseNotifyException;

/**
 * A TLS connection driven by BouncyCastle in blocking mode over a socket.
 *
 * <p>Read timeouts: a read with nothing buffered first waits on the raw socket before BouncyCastle
 * is asked to read a record: for the next byte (a one-byte peek, {@link
 * PooledBufferedInputStream#awaitInput()}), or, when the owner said a reply is due ({@link
 * #replyDue()}), for whatever one read brings ({@link PooledBufferedInputStream#awaitReply()}). An
 * idle timeout therefore surfaces as a {@link java.net.SocketTimeoutException} while the connection
 * stays usable. Once application data flows, BouncyCastle also survives a timeout in the middle of
 * a record (its {@code handleException} lets an {@code InterruptedIOException} pass without failing
 * the connection, and the record stream keeps what it read): {@code StreamConformanceTest} checks
 * both over every engine.
 *
 * <p>Closing sends close_notify, bounded by {@link #CLOSE_NOTIFY_LIMIT} (a peer that stopped
 * reading cannot block the closer: a {@link DeadlineGuard} closes the socket), and always closes
 * the socket. Closing unblocks a blocked reader, which then fails with an IOException.
 */
final class BcTlsConnection implements TlsConnection {
  static final Duration CLOSE_NOTIFY_LIMIT = Duration.ofSeconds(1);

  private final Socket socket;
  private final PooledBufferedInputStream rawInput;
  private final GuiseClientProtocol protocol;
  private final NegotiatedTls negotiated;
  private final InputStream input;
  private final OutputStream output;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final boolean resumed;

  BcTlsConnection(
      Socket socket,
      PooledBufferedInputStream rawInput,
      FlightCoalescer flight,
      GuiseClientProtocol protocol,
      NegotiatedTls negotiated,
      boolean resumed) {
    this.resumed = resumed;
    this.socket = socket;
    this.rawInput = rawInput;
    this.protocol = protocol;
    this.negotiated = negotiated;
    this.input = new Input(protocol.getInputStream());
    this.output = new Output(protocol.getOutputStream(), flight);
  }

  /** The BouncyCastle protocol under this connection (what it retains, for tests). */
  GuiseClientProtocol protocol() {
    return protocol;
  }

  /** Whether the handshake resumed a session with a ticket (no certificate was sent). */
  boolean resumed() {
    return resumed;
  }

  @Override
  public void replyDue() {
    rawInput.replyDue();
  }

  @Override
  public InputStream input() throws IOException {
    return input;
  }

  @Override
  public OutputStream output() throws IOException {
    return output;
  }

  @Override
  public NegotiatedTls negotiated() {
    return negotiated;
  }

  /**
   * The RFC 8879 algorithm (1 zlib, 2 brotli, 3 zstd) of the server's compressed certificate, or -1
   * when the certificate came uncompressed (or the server sent none: TLS 1.2).
   */
  int certificateCompression() {
    return protocol.certificateCompression();
  }

  @Override
  public OptionalInt ticketsKept() {
    return OptionalInt.of(protocol.ticketsKept());
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  @Override
  public void setReadTimeout(Duration timeout) throws IOException {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative read timeout: " + timeout);
    }
    long millis = timeout.toMillis();
    socket.setSoTimeout(
        timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && !protocol.isClosed() && !socket.isClosed();
  }

  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try (DeadlineGuard guard = DeadlineGuard.closeAfter(CLOSE_NOTIFY_LIMIT, socket)) {
      protocol.close(); // close_notify, then closes the streams
    } catch (IOException | RuntimeException ignored) {
      // the peer may be gone already; the socket is closed below either way
    } finally {
      closeSocketQuietly();
    }
  }

  /**
   * A TLS failure after the handshake (a record that fails authentication or is not TLS, a stream
   * ending inside a record, a fatal alert), classified as every engine classifies it; a timeout
   * BouncyCastle wrapped stays a timeout.
   */
  private IOException broken(IOException e) {
    if (e instanceof TlsNoCloseNotifyException) {
      // The peer closed TCP between records without close_notify: reported as before, an end of
      // stream that is not clean.
      return e;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return e;
      }
    }
    if (closed.get()) {
      return new SocketException("connection closed");
    }
    return new ClassifiedIOException(
        FailureKind.PROTOCOL_ERROR,
        true,
        PoolAction.DISCARD_CONNECTION,
        "TLS error from " + socket.getRemoteSocketAddress() + ": " + e.getMessage(),
        e);
  }

  private void closeSocketQuietly() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing more to release
    }
  }

  /** Waits for the first byte outside BouncyCastle, so that an idle timeout is not fatal. */
  private final class Input extends InputStream {
    private final InputStream tls;

    Input(InputStream tls) {
      this.tls = tls;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (closed.get()) {
        throw new SocketException("connection closed");
      }
      if (len == 0) {
        return 0;
      }
      if (protocol.applicationDataAvailable() == 0 && !protocol.isClosed()) {
        synchronized (rawInput) {
          // May time out: nothing is consumed and the connection stays intact. At end of stream
          // BouncyCastle's own read below reports the close (clean or without close_notify). The
          // wait holds no buffer (an idle connection's reader keeps none), unless a reply is due.
          rawInput.awaitInput();
        }
      }
      try {
        return tls.read(b, off, len);
      } catch (TlsException | EOFException e) {
        throw broken(e);
      }
    }

    @Override
    public int available() throws IOException {
      return protocol.applicationDataAvailable();
    }

    @Override
    public void close() throws IOException {
      BcTlsConnection.this.close();
    }
  }

  /**
   * BouncyCastle's application data stream; its first flush also sends the handshake's last flight
   * the {@link FlightCoalescer} held, with the bytes written before it.
   */
  private final class Output extends OutputStream {
    private final OutputStream tls;
    private final FlightCoalescer flight;

    Output(OutputStream tls, FlightCoalescer flight) {
      this.tls = tls;
      this.flight = flight;
    }

    @Override
    public void write(int b) throws IOException {
      tls.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      tls.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      tls.flush();
      flight.release();
    }

    @Override
    public void close() throws IOException {
      BcTlsConnection.this.close();
    }
  }
}
