package dev.guise.tls.support;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.io.BufferPool;
import dev.guise.codec.io.DeadlineGuard;
import dev.guise.codec.io.PooledBufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * A {@link TlsConnection} that drives an {@link SSLEngine} over a plain connected socket: the JDK's
 * own (the {@code jdk} engine) or Conscrypt's.
 *
 * <p>Why not the engines' {@code SSLSocket}s: both keep buffers of about a TLS record per direction
 * for the life of the socket (the JDK's socket 11 KiB and more once a large record has passed,
 * Conscrypt's two heap buffers of 16 KiB each), so every idle pooled connection kept them. Here the
 * network buffers are borrowed from {@link BufferPool} only while a record is in flight and given
 * back as soon as the engine has consumed it (inbound) or the socket has taken it (outbound).
 *
 * <p>Decrypted bytes go straight into the caller's array when the engine accepts it. Conscrypt
 * always does: what does not fit stays inside its native SSL object and comes out on the next
 * unwrap. The JDK's engine refuses an array smaller than the record's plaintext; then the record is
 * decrypted into a pooled buffer that this connection holds until the caller has read it all, and
 * gives back then.
 *
 * <p>Waiting without a buffer: a reader that has nothing to return waits for the next record by
 * reading its 5-byte header into a small array of its own; only then, with the length known and
 * checked, is a pooled buffer borrowed for the record. An idle connection (no reader, or a reader
 * parked on the socket) therefore holds no 16 KiB buffer. The one exception is the first wait after
 * the owner said a reply is due ({@link #replyDue()}): that wait reads into a pooled buffer, so
 * that one read brings header and body (it holds the buffer at most until the read timeout). A read
 * timeout while waiting leaves the connection intact (a partly read header or record is kept and
 * completed by the next read).
 *
 * <p>Threading: one reader and one writer may work at the same time (the HTTP/2 client reads on one
 * thread while others write). Each side has its own lock; both engines serialise their own wrap and
 * unwrap internally. Post-handshake messages (TLS 1.3 NewSessionTicket, KeyUpdate) are consumed by
 * reads; when the engine has something to send in reply (a KeyUpdate answer), the reader sends it
 * if the write side is free, and otherwise leaves it to the writer, whose next wrap sends it first
 * (the engine drains what it has pending before new records). A reader never waits for the write
 * lock, so a writer blocked on a peer that does not read cannot stall reads.
 *
 * <p>Close is bounded: close_notify is written under a {@link DeadlineGuard} that closes the socket
 * after {@link #CLOSE_NOTIFY_LIMIT}, and the socket is closed in every case.
 */
public final class SslEngineConnection implements TlsConnection {
  static final Duration CLOSE_NOTIFY_LIMIT = Duration.ofSeconds(1);

  /** TLS record header: type (1), legacy version (2), length (2). */
  static final int HEADER_LENGTH = 5;

  /** The largest record body RFC 8446/5246 allow a peer to send (2^14 + 2048). */
  static final int MAX_RECORD_BODY = 16 * 1024 + 2048;

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SSLEngine engine;
  private final Socket raw;
  private final InputStream rawIn;

  /**
   * The same socket's bytes through a buffer borrowed for a wait that expects a reply ({@link
   * #replyDue}): one read brings the record's header and body, where a read of the header alone
   * needs a second for the body. Read from first while it holds bytes; empty otherwise.
   */
  private final PooledBufferedInputStream rawBuffered;

  private final OutputStream rawOut;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private final InputStream input = new Input();
  private final OutputStream output = new Output();
  private volatile boolean peerClosed;

  /** Why the connection cannot be read any more (a fatal TLS error); null while it can. */
  private volatile IOException broken;

  private NegotiatedTls negotiated;

  // Inbound record state, guarded by readLock. The header array is the only inbound memory kept
  // while idle; record is a pooled buffer (or, for a record longer than a pooled buffer, a
  // one-off array) present only while a record is being read or waits to be unwrapped.
  private final byte[] header = new byte[HEADER_LENGTH];
  private int headerFilled;
  private byte[] record;
  private int recordLength;
  private int recordFilled;

  /** The whole record read, not yet (completely) consumed by the engine; null when none. */
  private ByteBuffer unconsumed;

  /**
   * The last unwrap filled the caller's array and the engine said it holds more plaintext: a read
   * can return at least one byte without touching the socket.
   */
  private boolean plaintextWaiting;

  // Decrypted bytes not yet read, for an engine that needs room for a whole record's plaintext and
  // a caller who gave less; guarded by readLock. held is a pooled buffer, present only from that
  // unwrap until the caller has read bytes heldStart..heldEnd.
  private byte[] held;
  private int heldStart;
  private int heldEnd;

  // Empty when the engine may keep this connection's tickets (an SSLEngine does not say how many).
  private final OptionalInt ticketsKept;

  private SslEngineConnection(SSLEngine engine, Socket raw, boolean resumes) throws IOException {
    this.ticketsKept = resumes ? OptionalInt.empty() : OptionalInt.of(0);
    this.engine = engine;
    this.raw = raw;
    this.rawIn = raw.getInputStream();
    this.rawBuffered = new PooledBufferedInputStream(rawIn, false);
    this.rawOut = raw.getOutputStream();
  }

  /** What an engine reports of its finished handshake (its profile and fidelity among it). */
  @FunctionalInterface
  public interface Negotiation {
    NegotiatedTls of(SSLEngine engine) throws SSLException;
  }

  /**
   * Handshakes {@code engine} (in client mode, configured, not yet handshaking) over {@code
   * socket}, which the returned connection then owns. On failure the socket is closed and the
   * failure classified by {@link TlsFailures}. Blocks at most {@code request.handshakeTimeout()}:
   * each read by the socket's timeout, the whole handshake (a peer dripping bytes) and its writes
   * (a peer that does not read) by a {@link DeadlineGuard} that closes the socket.
   */
  public static SslEngineConnection open(
      SSLEngine engine, Socket socket, TlsConnectRequest request, Negotiation negotiation)
      throws IOException {
    return open(engine, socket, request, negotiation, true);
  }

  /**
   * As {@link #open(SSLEngine, Socket, TlsConnectRequest, Negotiation)}, for an engine that may or
   * may not resume sessions: with {@code resumes} false the connection reports that it keeps no
   * tickets ({@link #ticketsKept()} is zero), so nothing waits for them.
   */
  public static SslEngineConnection open(
      SSLEngine engine,
      Socket socket,
      TlsConnectRequest request,
      Negotiation negotiation,
      boolean resumes)
      throws IOException {
    TlsEndpoint endpoint = request.endpoint();
    SslEngineConnection connection;
    try {
      connection = new SslEngineConnection(engine, socket, resumes);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new IOException("cannot set up a TLS connection to " + endpoint + ": " + e, e);
    }
    try (DeadlineGuard guard = DeadlineGuard.closeAfter(request.handshakeTimeout(), socket)) {
      try {
        int previousTimeout = socket.getSoTimeout();
        socket.setSoTimeout(Math.toIntExact(Math.max(1, request.handshakeTimeout().toMillis())));
        connection.handshake();
        socket.setSoTimeout(previousTimeout);
        connection.negotiated = negotiation.of(engine);
        if (guard.fired()) {
          throw new SSLException("handshake deadline passed");
        }
        return connection;
      } catch (IOException | RuntimeException e) {
        try {
          connection.close();
        } catch (IOException ignored) {
          // closing after a failure: the failure is what the caller needs to see
        }
        closeQuietly(socket);
        throw TlsFailures.handshakeFailure(e, endpoint, request.handshakeTimeout(), guard.fired());
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing after a failure: the failure is what the caller needs to see
    }
  }

  /**
   * Runs the handshake to completion. Every read is bounded by the socket's read timeout; {@link
   * #open} bounds the whole and classifies failures.
   */
  private void handshake() throws IOException {
    try {
      engine.beginHandshake();
      runHandshake();
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      // Conscrypt's native code throws the trust manager's CertificateException undeclared.
      throw (SSLHandshakeException)
          new SSLHandshakeException(String.valueOf(e.getMessage())).initCause(e);
    }
  }

  private void runHandshake() throws IOException {
    readLock.lock();
    try {
      for (; ; ) {
        HandshakeStatus status = engine.getHandshakeStatus();
        switch (status) {
          case NEED_WRAP -> {
            writeLock.lock();
            try {
              wrapAndSend(EMPTY);
            } finally {
              writeLock.unlock();
            }
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapHandshakeRecord();
          case NEED_TASK -> runDelegatedTasks();
          case FINISHED, NOT_HANDSHAKING -> {
            return;
          }
        }
      }
    } finally {
      readLock.unlock();
    }
  }

  private void unwrapHandshakeRecord() throws IOException {
    if (unconsumed == null) {
      unconsumed = nextRecord();
      if (unconsumed == null) {
        throw new SSLHandshakeException("the server closed the connection during the handshake");
      }
    }
    // No room for plaintext: application data arriving with the last handshake flight stays in
    // the engine, which hands it out on the first read.
    SSLEngineResult result = engine.unwrap(unconsumed, EMPTY);
    releaseRecordIfConsumed();
    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
      throw new SSLHandshakeException("the server closed the TLS session during the handshake");
    }
    if (result.bytesConsumed() == 0
        && result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
      // Never expected: the engine was given one whole record.
      throw new SSLHandshakeException("the TLS engine did not accept a whole record");
    }
  }

  @Override
  public void replyDue() {
    rawBuffered.replyDue();
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public NegotiatedTls negotiated() {
    return negotiated;
  }

  @Override
  public OptionalInt ticketsKept() {
    return ticketsKept;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return (InetSocketAddress) raw.getRemoteSocketAddress();
  }

  @Override
  public void setReadTimeout(Duration timeout) throws IOException {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative read timeout: " + timeout);
    }
    raw.setSoTimeout(
        timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
  }

  @Override
  public boolean isOpen() {
    return !closed.get() && !peerClosed && broken == null && !raw.isClosed();
  }

  @Override
  public void close() throws IOException {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // Armed before taking the write lock: a writer blocked on a peer that does not read holds it,
    // and closing the socket is what frees that writer (and then this closer).
    try (DeadlineGuard guard = DeadlineGuard.closeAfter(CLOSE_NOTIFY_LIMIT, raw)) {
      writeLock.lock();
      try {
        engine.closeOutbound();
        wrapAndSend(EMPTY); // close_notify
      } catch (IOException | RuntimeException ignored) {
        // the peer may be gone, or the guard closed the socket: closed all the same
      } finally {
        writeLock.unlock();
      }
    } finally {
      try {
        raw.close(); // also ends a blocked read
      } finally {
        try {
          // Lets Conscrypt free its native SSL object now rather than at garbage collection.
          engine.closeInbound();
        } catch (SSLException | RuntimeException ignored) {
          // no close_notify from the peer: irrelevant once we are closing
        }
        // A reader holds the lock while it uses the record buffer; it gives it back on its way
        // out. With no reader, nobody will: give it back here.
        if (readLock.tryLock()) {
          try {
            releaseRecord();
            releaseHeld();
          } finally {
            readLock.unlock();
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Inbound

  private int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    readLock.lock();
    try {
      checkReadable();
      if (len == 0) {
        return 0;
      }
      if (held != null) {
        return takeHeld(b, off, len);
      }
      if (peerClosed) {
        return -1;
      }
      ByteBuffer dst = ByteBuffer.wrap(b, off, len);
      ByteBuffer into = dst;
      for (; ; ) {
        ByteBuffer src = unconsumed != null ? unconsumed : EMPTY;
        SSLEngineResult result = engine.unwrap(src, into);
        releaseRecordIfConsumed();
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          runDelegatedTasks();
        }
        int produced = result.bytesProduced();
        switch (result.getStatus()) {
          case CLOSED -> {
            // close_notify: the end of the stream (after anything decrypted with it).
            peerClosed = true;
            releaseRecord();
            if (produced > 0) {
              return delivered(into != dst, b, off, len, produced);
            }
            if (into != dst) {
              releaseHeld();
            }
            return -1;
          }
          case BUFFER_OVERFLOW -> {
            if (produced > 0 && into == dst) {
              // The caller's array is full and the engine holds more plaintext (Conscrypt).
              plaintextWaiting = true;
              return produced;
            }
            if (into != dst) {
              throw new SSLException(
                  "a TLS record's plaintext does not fit " + held.length + " bytes");
            }
            // The engine wants room for the whole record's plaintext (the JDK's): decrypt into a
            // buffer held until the caller has read it.
            into = holdPlaintext();
          }
          case OK, BUFFER_UNDERFLOW -> {
            plaintextWaiting = false;
            if (produced > 0) {
              return delivered(into != dst, b, off, len, produced);
            }
            if (into != dst) {
              releaseHeld();
              into = dst;
            }
            if (result.bytesConsumed() > 0) {
              // A record with no application data: a post-handshake message (session ticket,
              // KeyUpdate). Send whatever answer the engine queued, if the write side is free.
              sendPendingIfWriterIdle();
              continue;
            }
            if (src.hasRemaining()) {
              // Never expected: the engine was given one whole record and took none of it.
              throw new SSLException("the TLS engine did not accept a whole record");
            }
            unconsumed = nextRecord();
            if (unconsumed == null) {
              // The peer closed TCP at a record boundary without close_notify. Conscrypt's own
              // socket reports that as the end of the stream too; a truncated record is an error.
              peerClosed = true;
              return -1;
            }
          }
        }
      }
    } catch (SSLException e) {
      throw broken(e);
    } catch (IOException | RuntimeException e) {
      if (closed.get()) {
        throw new SocketException("connection closed");
      }
      throw e;
    } catch (Exception e) {
      // a checked exception Conscrypt's native code threw undeclared
      throw broken(new SSLException(e));
    } finally {
      if (closed.get() || broken != null) {
        releaseRecord();
        releaseHeld();
      } else if (held != null && heldStart == heldEnd) {
        releaseHeld(); // an unwrap into it failed: nothing in it to hand out
      }
      readLock.unlock();
    }
  }

  /**
   * The bytes an unwrap just produced, as the caller's count: straight in the caller's array, or
   * (when {@code aside}) in the held buffer, from which as much as fits is copied.
   */
  private int delivered(boolean aside, byte[] b, int off, int len, int produced) {
    if (!aside) {
      return produced;
    }
    heldEnd = produced;
    return takeHeld(b, off, len);
  }

  /** Borrows the buffer for a record's plaintext the caller's array cannot take at once. */
  private ByteBuffer holdPlaintext() {
    int size = engine.getSession().getApplicationBufferSize();
    held = size <= BufferPool.BUFFER_SIZE ? BufferPool.acquire() : new byte[size];
    heldStart = 0;
    heldEnd = 0;
    return ByteBuffer.wrap(held);
  }

  /** Copies held plaintext to the caller; gives the buffer back once it is all read. */
  private int takeHeld(byte[] b, int off, int len) {
    int n = Math.min(len, heldEnd - heldStart);
    System.arraycopy(held, heldStart, b, off, n);
    heldStart += n;
    if (heldStart == heldEnd) {
      releaseHeld();
    }
    return n;
  }

  private void releaseHeld() {
    byte[] h = held;
    held = null;
    heldStart = 0;
    heldEnd = 0;
    BufferPool.release(h);
  }

  private void checkReadable() throws IOException {
    if (closed.get()) {
      throw new SocketException("connection closed");
    }
    IOException failure = broken;
    if (failure != null) {
      throw new SocketException(
          "connection broken by an earlier TLS error: " + failure.getMessage());
    }
  }

  /** A fatal error after the handshake: the connection can no longer be read. */
  private ClassifiedIOException broken(SSLException e) {
    ClassifiedIOException failure =
        new ClassifiedIOException(
            FailureKind.PROTOCOL_ERROR,
            true,
            PoolAction.DISCARD_CONNECTION,
            "TLS error from " + raw.getRemoteSocketAddress() + ": " + e.getMessage(),
            e);
    broken = failure;
    return failure;
  }

  /**
   * Reads one whole record (header and body) and returns it, or null when the stream ends before
   * its first byte. Waits for the header without a pooled buffer, unless a reply is due (then the
   * wait's buffer is held at most until the read timeout); borrows one for the body once the length
   * is known and valid. May time out at any point: what was read is kept for the next call.
   */
  private ByteBuffer nextRecord() throws IOException {
    while (headerFilled < HEADER_LENGTH) {
      rawBuffered.awaitReply(); // when a reply is due: header and body in one read
      int n = rawSource().read(header, headerFilled, HEADER_LENGTH - headerFilled);
      if (n < 0) {
        if (headerFilled == 0) {
          return null;
        }
        throw new SSLException("the connection ended inside a TLS record header");
      }
      headerFilled += n;
    }
    if (record == null) {
      int type = header[0] & 0xff;
      int major = header[1] & 0xff;
      int length = ((header[3] & 0xff) << 8) | (header[4] & 0xff);
      // change_cipher_spec, alert, handshake, application_data: anything else is not TLS.
      if (type < 20 || type > 23 || major != 3) {
        throw new SSLException(
            String.format(
                "not a TLS record: type %d, version %d.%d", type, major, header[2] & 0xff));
      }
      if (length > MAX_RECORD_BODY) {
        throw new SSLException(
            "TLS record of " + length + " bytes (the limit is " + MAX_RECORD_BODY + ")");
      }
      recordLength = HEADER_LENGTH + length;
      // A pooled buffer holds any TLS 1.3 record and any TLS 1.2 record a real server sends; the
      // rare longer TLS 1.2 record (allowed up to 2^14 + 2048) gets an array of its own.
      record =
          recordLength <= BufferPool.BUFFER_SIZE ? BufferPool.acquire() : new byte[recordLength];
      System.arraycopy(header, 0, record, 0, HEADER_LENGTH);
      recordFilled = HEADER_LENGTH;
    }
    while (recordFilled < recordLength) {
      int n = rawSource().read(record, recordFilled, recordLength - recordFilled);
      if (n < 0) {
        throw new SSLException(
            new EOFException(
                "the connection ended inside a TLS record ("
                    + recordFilled
                    + " of "
                    + recordLength
                    + " bytes)"));
      }
      recordFilled += n;
    }
    headerFilled = 0;
    return ByteBuffer.wrap(record, 0, recordLength);
  }

  /**
   * Where the next bytes of the socket are: the buffer while it holds some, else the socket itself,
   * read straight into the header's or the record's array.
   */
  private InputStream rawSource() {
    return rawBuffered.buffered() > 0 ? rawBuffered : rawIn;
  }

  private void releaseRecordIfConsumed() {
    if (unconsumed != null && !unconsumed.hasRemaining()) {
      releaseRecord();
    }
  }

  /** Gives the record buffer back (and drops a partly read record: only after a fatal error). */
  private void releaseRecord() {
    byte[] b = record;
    record = null;
    unconsumed = null;
    recordFilled = 0;
    recordLength = 0;
    BufferPool.release(b);
  }

  private void runDelegatedTasks() {
    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
      task.run();
    }
  }

  /** Called by the reader after a post-handshake message; never waits for the writer. */
  private void sendPendingIfWriterIdle() throws IOException {
    if (!writeLock.tryLock()) {
      return; // the writer's next wrap sends what the engine has pending
    }
    try {
      if (!closed.get()) {
        wrapAndSend(EMPTY);
      }
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Outbound

  private void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return;
    }
    writeLock.lock();
    try {
      if (closed.get()) {
        throw new SocketException("connection closed");
      }
      wrapAndSend(ByteBuffer.wrap(b, off, len));
    } catch (SSLException e) {
      throw writeFailure(e);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // a checked exception Conscrypt's native code threw undeclared
      throw writeFailure(e);
    } finally {
      writeLock.unlock();
    }
  }

  private ClassifiedIOException writeFailure(Exception e) {
    return new ClassifiedIOException(
        FailureKind.PROTOCOL_ERROR,
        true,
        PoolAction.DISCARD_CONNECTION,
        "TLS error writing to " + raw.getRemoteSocketAddress() + ": " + e.getMessage(),
        e);
  }

  /**
   * Wraps all of {@code src} (nothing, for handshake messages, close_notify or a pending answer)
   * and writes every record to the socket. Caller holds the write lock. The network buffer is
   * borrowed for the call only.
   */
  private void wrapAndSend(ByteBuffer src) throws IOException {
    boolean appData = src.hasRemaining();
    byte[] net = BufferPool.acquire();
    try {
      ByteBuffer dst = ByteBuffer.wrap(net);
      for (; ; ) {
        dst.clear();
        SSLEngineResult result = engine.wrap(src, dst);
        if (dst.position() > 0) {
          rawOut.write(net, 0, dst.position());
        }
        if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
          runDelegatedTasks();
        }
        switch (result.getStatus()) {
          case OK -> {
            if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
              if (src.hasRemaining()) {
                throw new SSLException("the TLS engine took no application data");
              }
              // Nothing (more) to send: an empty wrap drained what the engine had pending, or the
              // engine waits for the peer during a handshake.
              rawOut.flush();
              return;
            }
          }
          case CLOSED -> {
            if (src.hasRemaining()) {
              throw new SocketException("the TLS session is closed");
            }
            rawOut.flush();
            return;
          }
          case BUFFER_OVERFLOW ->
              throw new SSLException("a TLS record does not fit a " + net.length + "-byte buffer");
          case BUFFER_UNDERFLOW -> throw new SSLException("unexpected BUFFER_UNDERFLOW from wrap");
        }
        if (!src.hasRemaining() && (appData || result.bytesProduced() == 0)) {
          rawOut.flush();
          return;
        }
        // Data left, or an empty wrap that produced something: wrap again until the engine has
        // nothing more (a handshake flight or a pending answer may take more than one call).
      }
    } finally {
      BufferPool.release(net);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Decrypted bytes; {@link #available()} counts held plaintext, and is 1 when the engine is known
   * to hold some.
   */
  private final class Input extends InputStream {
    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
      readLock.lock();
      try {
        int n = SslEngineConnection.this.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      } finally {
        readLock.unlock();
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return SslEngineConnection.this.read(b, off, len);
    }

    @Override
    public int available() {
      // A lower bound, cheap and exact enough for "can a read return without blocking": an engine
      // that keeps plaintext itself does not say how much, only that it holds some.
      if (!readLock.tryLock()) {
        return 0;
      }
      try {
        if (closed.get()) {
          return 0;
        }
        return held != null ? heldEnd - heldStart : plaintextWaiting ? 1 : 0;
      } finally {
        readLock.unlock();
      }
    }

    @Override
    public void close() throws IOException {
      SslEngineConnection.this.close();
    }
  }

  /** Each write is wrapped and sent at once (as Conscrypt's socket did); flush has no work. */
  private final class Output extends OutputStream {
    private final byte[] one = new byte[1];

    @Override
    public void write(int b) throws IOException {
      writeLock.lock();
      try {
        one[0] = (byte) b;
        SslEngineConnection.this.write(one, 0, 1);
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      SslEngineConnection.this.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      if (closed.get()) {
        throw new SocketException("connection closed");
      }
      rawOut.flush();
    }

    @Override
    public void close() throws IOException {
      SslEngineConnection.this.close();
    }
  }
}
