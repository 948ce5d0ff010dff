package dev.guise.pool.internal.http.h2;

import static dev.guise.pool.internal.http.HttpFailures.remaining;
import static dev.guise.pool.internal.http.h2.FrameBuffer.CONTINUATION;
import static dev.guise.pool.internal.http.h2.FrameBuffer.DATA;
import static dev.guise.pool.internal.http.h2.FrameBuffer.FLAG_ACK;
import static dev.guise.pool.internal.http.h2.FrameBuffer.FLAG_END_HEADERS;
import static dev.guise.pool.internal.http.h2.FrameBuffer.FLAG_END_STREAM;
import static dev.guise.pool.internal.http.h2.FrameBuffer.FLAG_PADDED;
import static dev.guise.pool.internal.http.h2.FrameBuffer.FLAG_PRIORITY;
import static dev.guise.pool.internal.http.h2.FrameBuffer.GOAWAY;
import static dev.guise.pool.internal.http.h2.FrameBuffer.HEADERS;
import static dev.guise.pool.internal.http.h2.FrameBuffer.PING;
import static dev.guise.pool.internal.http.h2.FrameBuffer.PRIORITY;
import static dev.guise.pool.internal.http.h2.FrameBuffer.PUSH_PROMISE;
import static dev.guise.pool.internal.http.h2.FrameBuffer.RST_STREAM;
import static dev.guise.pool.internal.http.h2.FrameBuffer.SETTINGS;
import static dev.guise.pool.internal.http.h2.FrameBuffer.WINDOW_UPDATE;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.fingerprint.AkamaiFingerprint.Http2Setting;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.http.ContentDecoding;
import dev.guise.pool.internal.http.HttpConnection;
import dev.guise.pool.internal.http.HttpFailures;
import dev.guise.pool.internal.http.WireProfile;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP/2 client connection (RFC 9113) over any {@link TlsConnection}, putting on the wire what
 * the {@link WireProfile}'s browser does: its SETTINGS in its order, its connection WINDOW_UPDATE,
 * its HEADERS priority, first stream id, pseudo-header and header order, and Firefox's stream
 * WINDOW_UPDATE after each request's HEADERS.
 *
 * <h2>Threads and locks</h2>
 *
 * One reader thread (virtual) per connection reads every frame and dispatches it under the state
 * lock; callers' threads encode and write their own frames under the write lock. A lock rather
 * than a writer queue: with 64 callers the lock hands the socket straight to the next writer (no
 * hop to a writer thread and back, no queue wake-ups), and a virtual thread parks cheaply on it.
 * The write lock is never taken while the state lock is held, so the reader (which writes ACKs and
 * WINDOW_UPDATEs after dispatching) cannot deadlock with a writer waiting for window.
 *
 * <h2>Timeouts</h2>
 *
 * Every wait is bounded by the exchange's deadline (stream slot, send window, response); a write
 * that blocks in the socket (a peer that stopped reading) is ended by a watchdog that closes the
 * connection once the write's deadline passed. The reader's reads time out every {@link
 * #READ_TICK} so that a stuck socket is never read without a bound; a tick on an open connection
 * just reads on.
 *
 * <h2>Failures</h2>
 *
 * A connection error (malformed frame, bad HPACK, flow-control violation, PUSH_PROMISE) sends
 * GOAWAY, fails every exchange with {@code PROTOCOL_ERROR} and closes. GOAWAY from the peer fails
 * exchanges above its last stream id with {@code NOT_PROCESSED} (retryable), lets the others
 * finish, and closes when they have. {@code REFUSED_STREAM} fails only that exchange with
 * {@code NOT_PROCESSED}.
 */
public final class Http2Connection implements HttpConnection {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DEFAULT_WINDOW = 65_535;
  private static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
  private static final long MAX_WINDOW = 0x7fffffffL;
  /** Our ceiling on concurrent streams, whatever the peer allows. */
  private static final int OWN_MAX_CONCURRENT_STREAMS = 1000;
  /** Used until the peer states its limit (RFC 9113 recommends at least 100). */
  private static final int ASSUMED_MAX_CONCURRENT_STREAMS = 100;
  /** Control frames (SETTINGS, PING, empty DATA, PRIORITY) tolerated between two real frames. */
  private static final int CONTROL_FLOOD_LIMIT = 10_000;
  static final Duration READ_TICK = Duration.ofSeconds(5);
  private static final ScheduledExecutorService WATCHDOG = dev.guise.pool.internal.http.IoDeadlines.timer();

  private final TlsConnection tls;
  private final TlsEndpoint endpoint;
  private final WireProfile profile;
  private final Http2Behaviour wire;
  private final Duration controlWriteTimeout;
  private final InputStream in;
  private final OutputStream out;
  private final Thread reader;
  private final ScheduledFuture<?> watchdog;

  // Guarded by writeLock.
  private final ReentrantLock writeLock = new ReentrantLock();
  private final FrameBuffer frames = new FrameBuffer();
  private final HpackEncoder encoder;
  private volatile long writeStartedNanos;
  private volatile long writeDeadlineNanos;
  private volatile boolean writeStallHandled;

  // Reader thread only.
  private final HpackDecoder decoder;
  private final int ownMaxFrameSize;
  private final long ownMaxHeaderListSize;
  private int continuationStream;
  private int continuationFlags;
  private ByteArrayOutputStream headerBlock;
  private int controlFrames;
  private boolean peerSettingsSeen;

  // Guarded by lock.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition windowOpened = lock.newCondition();
  private final Condition slotFreed = lock.newCondition();
  private final Map<Integer, Stream> streams = new HashMap<>();
  private final Map<Long, CompletableFuture<Long>> pings = new HashMap<>();
  private int reservedSlots;
  private int nextStreamId;
  private int highestStreamId;
  private long connectionSendWindow = DEFAULT_WINDOW;
  private long connectionRecvWindow;
  private long connectionRecvUnacked;
  private long peerInitialWindow = DEFAULT_WINDOW;
  private int peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  /**
   * One stream until the server's SETTINGS arrive: the first request leaves at once, as a
   * browser's does, but a burst of callers on a new connection cannot overrun a server whose limit
   * is below the assumed one (it would refuse the excess streams).
   */
  private int peerMaxConcurrentStreams = 1;
  private boolean peerSettingsApplied;
  private boolean goAwayReceived;
  private int goAwayLastStreamId = Integer.MAX_VALUE;
  private boolean closed;
  private IOException broken;

  private final long connectionWindowTarget;
  private final long streamWindowTarget;
  private final long ownInitialWindow;
  private final AtomicLong exchanges = new AtomicLong();

  private Http2Connection(TlsConnection tls, TlsEndpoint endpoint, WireProfile profile,
      Duration controlWriteTimeout) throws IOException {
    this.tls = tls;
    this.endpoint = endpoint;
    this.profile = profile;
    this.wire = profile.http2();
    this.controlWriteTimeout = controlWriteTimeout;
    this.in = new BufferedInputStream(tls.input(), 32 * 1024);
    this.out = tls.output();
    int headerTableSize = (int) profile.setting(1).orElse(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE);
    this.ownMaxHeaderListSize = profile.setting(6).orElse(256 * 1024);
    this.decoder = new HpackDecoder(headerTableSize, ownMaxHeaderListSize);
    // Browsers keep HPACK's default 4096-byte encoder table (they advertise a larger decoder table).
    this.encoder = new HpackEncoder();
    this.ownMaxFrameSize = (int) profile.setting(5).orElse(DEFAULT_MAX_FRAME_SIZE);
    this.ownInitialWindow = profile.setting(4).orElse(DEFAULT_WINDOW);
    this.connectionWindowTarget = DEFAULT_WINDOW + wire.connectionWindowUpdate().orElse(0);
    this.streamWindowTarget = ownInitialWindow + wire.streamWindowUpdate().orElse(0);
    this.connectionRecvWindow = connectionWindowTarget;
    this.nextStreamId = wire.firstStreamId();
    writePreface();
    tls.setReadTimeout(READ_TICK);
    this.reader = Thread.ofVirtual().name("guise-h2-reader " + endpoint).unstarted(this::readLoop);
    this.watchdog = WATCHDOG.scheduleWithFixedDelay(this::checkWriteStall, 50, 50, TimeUnit.MILLISECONDS);
    reader.start();
  }

  /**
   * Speaks HTTP/2 over {@code tls}: writes the profile's connection preface (magic, SETTINGS,
   * WINDOW_UPDATE, PRIORITY frames) and starts the reader. The connection owns {@code tls} from
   * here on and closes it when it closes.
   *
   * @param controlWriteTimeout how long the connection's own frames (ACKs, WINDOW_UPDATEs, GOAWAY)
   *     may take to write
   */
  public static Http2Connection open(
      TlsConnection tls, TlsEndpoint endpoint, WireProfile profile, Duration controlWriteTimeout)
      throws IOException {
    try {
      return new Http2Connection(tls, endpoint, profile, controlWriteTimeout);
    } catch (IOException | RuntimeException e) {
      closeQuietly(tls);
      throw e;
    }
  }

  private void writePreface() throws IOException {
    writeLock.lock();
    try {
      frames.raw(PREFACE);
      List<Http2Setting> settings = wire.settings();
      frames.header(settings.size() * 6, SETTINGS, 0, 0);
      for (Http2Setting s : settings) {
        frames.int16(s.id());
        frames.int32((int) s.value());
      }
      if (wire.connectionWindowUpdate().isPresent()) {
        frames.windowUpdate(0, wire.connectionWindowUpdate().getAsLong());
      }
      for (PriorityFrame p : wire.priorityFrames()) {
        frames.header(5, PRIORITY, 0, p.streamId());
        writePriority(p.priority());
      }
      timedWrite(System.nanoTime() + controlWriteTimeout.toNanos());
    } finally {
      writeLock.unlock();
    }
  }

  private void writePriority(Priority p) {
    frames.int32((p.exclusive() ? 0x80000000 : 0) | p.dependsOn());
    frames.byte1(p.weight() - 1);
  }

  // ---------------------------------------------------------------------------------------------
  // The seam
  // ---------------------------------------------------------------------------------------------

  @Override
  public HttpProtocol protocol() {
    return HttpProtocol.HTTP_2;
  }

  @Override
  public TlsEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public NegotiatedTls tls() {
    return tls.negotiated();
  }

  @Override
  public int maxConcurrentStreams() {
    lock.lock();
    try {
      return Math.min(peerMaxConcurrentStreams, OWN_MAX_CONCURRENT_STREAMS);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int activeStreams() {
    lock.lock();
    try {
      return streams.size() + reservedSlots;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isUsable() {
    lock.lock();
    try {
      return acceptsStreams() && tls.isOpen();
    } finally {
      lock.unlock();
    }
  }

  private boolean acceptsStreams() {
    return !closed && broken == null && !goAwayReceived && nextStreamId > 0;
  }

  @Override
  public boolean hasUnexpectedInput() {
    // The reader consumes everything as it arrives; what it found unexpected shows as state.
    lock.lock();
    try {
      return closed || broken != null || goAwayReceived || !reader.isAlive() || !tls.isOpen();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long exchangeCount() {
    return exchanges.get();
  }

  /** The profile this connection presents. */
  public WireProfile profile() {
    return profile;
  }

  @Override
  public HttpResponse exchange(HttpRequest request, ExchangeLimits limits, long deadlineNanos)
      throws IOException {
    boolean reused = exchanges.getAndIncrement() > 0;
    byte[] body = request.body().orElse(null);
    boolean hasBody = body != null && body.length > 0;
    List<Header> headerList;
    try {
      headerList = requestHeaderList(request, body);
    } catch (IllegalArgumentException e) {
      throw new ClassifiedIOException(FailureKind.INVALID_REQUEST, false, PoolAction.KEEP, e.getMessage(), e);
    }
    reserveSlot(deadlineNanos);
    Stream stream = new Stream(limits, request.method().equals("HEAD"), lock.newCondition());
    try {
      startStream(stream, headerList, hasBody, deadlineNanos);
      if (hasBody) {
        sendBody(stream, body, deadlineNanos);
      }
      awaitResponse(stream, deadlineNanos);
      byte[] decoded;
      if (request.method().equals("HEAD")) {
        decoded = new byte[0];
      } else {
        decoded = ContentDecoding.decode(stream.headers, stream.body.toByteArray(),
            limits.maxBodyBytes(), limits.truncateBody()).body();
      }
      return new HttpResponse(stream.status, stream.headers, decoded, stream.trailers,
          HttpProtocol.HTTP_2, endpoint, tls.negotiated().profile(), reused);
    } finally {
      if (stream.id == 0) {
        releaseReservation();
      } else {
        endStream(stream);
      }
    }
  }

  private List<Header> requestHeaderList(HttpRequest request, byte[] body) {
    List<Header> caller = new ArrayList<>(request.headers());
    if (body != null && caller.stream().noneMatch(h -> h.is("content-length"))) {
      caller.add(new Header("content-length", Integer.toString(body.length)));
    }
    List<Header> merged = profile.requestHeaders(caller);
    List<Header> list = new ArrayList<>(merged.size() + 4);
    for (String pseudo : wire.pseudoHeaderOrder()) {
      switch (pseudo) {
        case ":method" -> list.add(new Header(":method", request.method()));
        case ":authority" -> list.add(new Header(":authority", authority(request)));
        case ":scheme" -> list.add(new Header(":scheme", "https"));
        case ":path" -> list.add(new Header(":path", request.pathAndQuery()));
        default -> throw new IllegalStateException("unknown pseudo-header in profile: " + pseudo);
      }
    }
    list.addAll(merged);
    for (Header h : list) {
      // HPACK carries octets; a wider char would fail half-way through encoding and leave the
      // encoder's dynamic table out of step with the peer's.
      if (!isLatin1(h.name()) || !isLatin1(h.value())) {
        throw new IllegalArgumentException("header " + h.name() + " has characters outside ISO-8859-1");
      }
    }
    return list;
  }

  private static boolean isLatin1(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xff) {
        return false;
      }
    }
    return true;
  }

  private static String authority(HttpRequest request) {
    String host = request.host();
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return request.port() == 443 ? h : h + ":" + request.port();
  }

  private void reserveSlot(long deadlineNanos) throws IOException {
    lock.lock();
    try {
      while (true) {
        checkAcceptsStreams();
        if (streams.size() + reservedSlots < Math.min(peerMaxConcurrentStreams, OWN_MAX_CONCURRENT_STREAMS)) {
          reservedSlots++;
          return;
        }
        long left = remaining(deadlineNanos);
        if (left <= 0) {
          throw HttpFailures.deadline("no HTTP/2 stream slot free on " + endpoint + " before the deadline ("
              + peerMaxConcurrentStreams + " concurrent streams allowed)");
        }
        slotFreed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpFailures.cancelled("interrupted waiting for a stream slot");
    } finally {
      lock.unlock();
    }
  }

  /** Fails fast, before anything is sent, when the connection takes no new streams. Under lock. */
  private void checkAcceptsStreams() throws IOException {
    if (broken != null) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " is broken: " + broken.getMessage());
    }
    if (closed) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " is closed");
    }
    if (goAwayReceived) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " received GOAWAY; no new streams");
    }
    if (nextStreamId <= 0) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " ran out of stream ids");
    }
  }

  private void releaseReservation() {
    lock.lock();
    try {
      reservedSlots--;
      slotFreed.signal();
      closeIfDrained();
    } finally {
      lock.unlock();
    }
  }

  private void startStream(Stream stream, List<Header> headerList, boolean hasBody, long deadlineNanos)
      throws IOException {
    acquireWriteLock(deadlineNanos);
    try {
      lock.lock();
      try {
        checkAcceptsStreams();
        stream.id = nextStreamId;
        stream.sendWindow = peerInitialWindow;
        stream.recvWindow = streamWindowTarget;
        streams.put(stream.id, stream);
        reservedSlots--;
        highestStreamId = stream.id;
        nextStreamId = nextStreamId > Integer.MAX_VALUE - 2 ? -1 : nextStreamId + 2;
      } finally {
        lock.unlock();
      }
      byte[] block = encoder.encode(headerList);
      int flags = hasBody ? 0 : FLAG_END_STREAM;
      Priority priority = profile.headersPriority().orElse(null);
      int prefix = priority == null ? 0 : 5;
      int first = Math.min(block.length, peerMaxFrameSize() - prefix);
      boolean single = first == block.length;
      frames.header(first + prefix, HEADERS,
          flags | (single ? FLAG_END_HEADERS : 0) | (priority == null ? 0 : FLAG_PRIORITY), stream.id);
      if (priority != null) {
        writePriority(priority);
      }
      frames.bytes(block, 0, first);
      for (int off = first; off < block.length; ) {
        int n = Math.min(block.length - off, peerMaxFrameSize());
        frames.header(n, CONTINUATION, off + n == block.length ? FLAG_END_HEADERS : 0, stream.id);
        frames.bytes(block, off, n);
        off += n;
      }
      if (wire.streamWindowUpdate().isPresent()) {
        frames.windowUpdate(stream.id, wire.streamWindowUpdate().getAsLong());
      }
      timedWrite(deadlineNanos);
    } catch (IOException e) {
      throw writeFailed(e);
    } finally {
      writeLock.unlock();
    }
  }

  private int peerMaxFrameSize() {
    lock.lock();
    try {
      return peerMaxFrameSize;
    } finally {
      lock.unlock();
    }
  }

  private void sendBody(Stream stream, byte[] body, long deadlineNanos) throws IOException {
    int off = 0;
    while (off < body.length) {
      int n;
      lock.lock();
      try {
        while (true) {
          if (stream.failure != null) {
            throw stream.failure;
          }
          if (stream.remoteClosed) {
            // The server answered before reading everything (e.g. 413): stop sending, keep the answer.
            sendRstLater(stream.id, ErrorCodes.CANCEL);
            return;
          }
          long window = Math.min(stream.sendWindow, connectionSendWindow);
          if (window > 0) {
            n = (int) Math.min(Math.min(window, peerMaxFrameSize), body.length - off);
            stream.sendWindow -= n;
            connectionSendWindow -= n;
            break;
          }
          long left = remaining(deadlineNanos);
          if (left <= 0) {
            throw HttpFailures.deadline("HTTP/2 flow-control window of " + endpoint
                + " stayed closed until the deadline (" + off + " of " + body.length + " bytes sent)");
          }
          windowOpened.awaitNanos(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw HttpFailures.cancelled("interrupted waiting for flow-control window");
      } finally {
        lock.unlock();
      }
      boolean last = off + n == body.length;
      acquireWriteLock(deadlineNanos);
      try {
        frames.header(n, DATA, last ? FLAG_END_STREAM : 0, stream.id);
        frames.bytes(body, off, n);
        timedWrite(deadlineNanos);
      } catch (IOException e) {
        throw writeFailed(e);
      } finally {
        writeLock.unlock();
      }
      off += n;
    }
  }

  private void awaitResponse(Stream stream, long deadlineNanos) throws IOException {
    lock.lock();
    try {
      while (!stream.remoteClosed && !stream.truncated && stream.failure == null) {
        long left = remaining(deadlineNanos);
        if (left <= 0) {
          stream.failure = HttpFailures.readTimeout("no complete HTTP/2 response from " + endpoint
              + " on stream " + stream.id + " before the deadline");
          sendRstLater(stream.id, ErrorCodes.CANCEL);
          break;
        }
        stream.changed.awaitNanos(left);
      }
      if (stream.failure != null) {
        throw stream.failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendRstLater(stream.id, ErrorCodes.CANCEL);
      throw HttpFailures.cancelled("interrupted waiting for the response");
    } finally {
      lock.unlock();
    }
  }

  /** Removes the exchange's stream; the connection closes here if it was draining. */
  private void endStream(Stream stream) {
    int rst = -1;
    lock.lock();
    try {
      if (streams.remove(stream.id) != null) {
        slotFreed.signal();
      }
      rst = stream.pendingRst;
      stream.pendingRst = -1;
      closeIfDrained();
    } finally {
      lock.unlock();
    }
    if (rst >= 0) {
      writeControl(f -> f.rstStream(stream.id, stream.pendingRstCode));
    }
  }

  /** Records an RST_STREAM to send once the state lock is released. Under lock. */
  private void sendRstLater(int streamId, int code) {
    Stream s = streams.get(streamId);
    if (s != null && !s.rstSent) {
      s.rstSent = true;
      s.pendingRst = streamId;
      s.pendingRstCode = code;
    }
  }

  /** Under lock. */
  private void closeIfDrained() {
    if ((goAwayReceived || nextStreamId <= 0) && streams.isEmpty() && reservedSlots == 0 && !closed) {
      closed = true;
      // Not from under our lock: closing writes GOAWAY and waits for nothing else.
      Thread.ofVirtual().start(this::shutdown);
    }
  }

  @Override
  public Duration ping(Duration timeout) throws IOException {
    long payload = ThreadLocalRandom.current().nextLong();
    CompletableFuture<Long> ack = new CompletableFuture<>();
    lock.lock();
    try {
      if (broken != null || closed) {
        throw HttpFailures.closed("connection to " + endpoint + " is closed", broken);
      }
      pings.put(payload, ack);
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    long start = System.nanoTime();
    try {
      acquireWriteLock(deadline);
      try {
        frames.ping(false, longBytes(payload));
        timedWrite(deadline);
      } catch (IOException e) {
        throw writeFailed(e);
      } finally {
        writeLock.unlock();
      }
      ack.get(Math.max(0, remaining(deadline)), TimeUnit.NANOSECONDS);
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (TimeoutException e) {
      throw HttpFailures.readTimeout("no PING ACK from " + endpoint + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpFailures.cancelled("interrupted waiting for PING ACK");
    } finally {
      lock.lock();
      try {
        pings.remove(payload);
      } finally {
        lock.unlock();
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed && broken != null) {
        return;
      }
      closed = true;
      if (broken == null) {
        broken = HttpFailures.closed("connection to " + endpoint + " was closed", null);
      }
      failAll(broken, 0);
    } finally {
      lock.unlock();
    }
    shutdown();
  }

  /** Says GOAWAY (best effort, briefly), closes the TLS connection, stops the watchdog. */
  private void shutdown() {
    try {
      if (writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
        try {
          frames.clear();
          int last;
          lock.lock();
          try {
            last = 0; // we accept no server-initiated streams
          } finally {
            lock.unlock();
          }
          frames.goAway(last, ErrorCodes.NO_ERROR);
          timedWrite(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
        } catch (IOException ignored) {
          // the peer may already be gone; closing is what matters
        } finally {
          writeLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      closed = true;
      if (broken == null) {
        broken = HttpFailures.closed("connection to " + endpoint + " was closed", null);
      }
      failAll(broken, 0);
    } finally {
      lock.unlock();
    }
    watchdog.cancel(false);
    closeQuietly(tls);
  }

  /** Whether the reader thread has ended (tests). */
  boolean readerStopped(Duration wait) throws InterruptedException {
    return reader.join(wait);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing
  // ---------------------------------------------------------------------------------------------

  private void acquireWriteLock(long deadlineNanos) throws IOException {
    try {
      if (!writeLock.tryLock(Math.max(0, remaining(deadlineNanos)), TimeUnit.NANOSECONDS)) {
        throw HttpFailures.deadline("could not write to " + endpoint + " before the deadline");
      }
      // Whatever a failed holder left half-built must never reach the wire.
      frames.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpFailures.cancelled("interrupted waiting to write");
    }
  }

  /** Writes the gathered frames; the watchdog closes the connection if it blocks past the deadline. Under writeLock. */
  private void timedWrite(long deadlineNanos) throws IOException {
    writeDeadlineNanos = deadlineNanos;
    writeStartedNanos = System.nanoTime() | 1;
    try {
      frames.writeTo(out);
    } finally {
      writeStartedNanos = 0;
    }
  }

  private void checkWriteStall() {
    long started = writeStartedNanos;
    if (started != 0 && System.nanoTime() - writeDeadlineNanos > 0 && !writeStallHandled) {
      writeStallHandled = true;
      // Closing may itself block on the stuck write's TLS lock; never stall the shared watchdog.
      Thread.ofVirtual().start(() -> connectionError(HttpFailures.deadline("a write to " + endpoint
          + " blocked past its deadline (the peer stopped reading)"), -1));
    }
  }

  private IOException writeFailed(IOException e) {
    if (e instanceof ClassifiedIOException) {
      return e;
    }
    IOException failure;
    lock.lock();
    try {
      failure = broken != null ? broken : HttpFailures.reset("write to " + endpoint + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
    connectionError(failure, -1);
    return failure;
  }

  @FunctionalInterface
  private interface FrameWrite {
    void into(FrameBuffer f);
  }

  /** Writes a connection-level frame from the reader or a finishing exchange; failures break the connection. */
  private void writeControl(FrameWrite write) {
    long deadline = System.nanoTime() + controlWriteTimeout.toNanos();
    try {
      acquireWriteLock(deadline);
    } catch (IOException e) {
      connectionError(HttpFailures.deadline("could not write a control frame to " + endpoint + " in time"), -1);
      return;
    }
    try {
      write.into(frames);
      timedWrite(deadline);
    } catch (IOException e) {
      writeFailed(e);
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading
  // ---------------------------------------------------------------------------------------------

  private void readLoop() {
    byte[] head = new byte[9];
    try {
      while (true) {
        readFully(head, 9);
        int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | (head[2] & 0xff);
        int type = head[3] & 0xff;
        int flags = head[4] & 0xff;
        int streamId = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
        if (length > ownMaxFrameSize) {
          throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR,
              "frame of " + length + " bytes exceeds our SETTINGS_MAX_FRAME_SIZE " + ownMaxFrameSize);
        }
        byte[] payload = new byte[length];
        readFully(payload, length);
        if (!peerSettingsSeen) {
          if (type != SETTINGS || (flags & FLAG_ACK) != 0) {
            throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "the server's preface is not a SETTINGS frame");
          }
          peerSettingsSeen = true;
        }
        if (continuationStream != 0 && (type != CONTINUATION || streamId != continuationStream)) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "expected CONTINUATION for stream " + continuationStream);
        }
        dispatch(type, flags, streamId, payload);
      }
    } catch (ConnectionError e) {
      connectionError(e.failure, e.code);
    } catch (ClassifiedIOException e) {
      connectionError(e, ErrorCodes.PROTOCOL_ERROR);
    } catch (EOFException e) {
      connectionError(HttpFailures.closed("the server closed the connection " + endpoint, e), -1);
    } catch (IOException e) {
      connectionError(HttpFailures.reset("reading from " + endpoint + " failed: " + e.getMessage(), e), -1);
    } catch (RuntimeException | Error e) {
      connectionError(HttpFailures.protocol("HTTP/2 reader failed: " + e, e), ErrorCodes.INTERNAL_ERROR);
    }
  }

  private void readFully(byte[] b, int n) throws IOException {
    int off = 0;
    while (off < n) {
      int r;
      try {
        r = in.read(b, off, n - off);
      } catch (SocketTimeoutException tick) {
        if (isClosedOrBroken()) {
          throw tick;
        }
        continue;
      }
      if (r < 0) {
        throw new EOFException("end of stream after " + off + " of " + n + " bytes");
      }
      off += r;
    }
  }

  private boolean isClosedOrBroken() {
    lock.lock();
    try {
      return closed || broken != null;
    } finally {
      lock.unlock();
    }
  }

  private void dispatch(int type, int flags, int streamId, byte[] p) throws IOException {
    switch (type) {
      case DATA -> onData(flags, streamId, p);
      case HEADERS -> onHeaders(flags, streamId, p);
      case PRIORITY -> {
        if (p.length != 5) {
          throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "PRIORITY frame of " + p.length + " bytes");
        }
        countControl();
      }
      case RST_STREAM -> onRstStream(streamId, p);
      case SETTINGS -> onSettings(flags, streamId, p);
      case PUSH_PROMISE -> throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR,
          "PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH=0");
      case PING -> onPing(flags, streamId, p);
      case GOAWAY -> onGoAway(streamId, p);
      case WINDOW_UPDATE -> onWindowUpdate(streamId, p);
      case CONTINUATION -> onContinuation(flags, streamId, p);
      default -> countControl(); // unknown frame types are ignored (RFC 9113 section 4.1)
    }
  }

  private void countControl() throws ConnectionError {
    if (++controlFrames > CONTROL_FLOOD_LIMIT) {
      throw new ConnectionError(ErrorCodes.ENHANCE_YOUR_CALM,
          "more than " + CONTROL_FLOOD_LIMIT + " control frames without a response frame");
    }
  }

  private void onData(int flags, int streamId, byte[] p) throws IOException {
    if (streamId == 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "DATA on stream 0");
    }
    int padding = 0;
    int dataOffset = 0;
    if ((flags & FLAG_PADDED) != 0) {
      if (p.length < 1 || (p[0] & 0xff) >= p.length) {
        throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "DATA padding longer than the frame");
      }
      padding = p[0] & 0xff;
      dataOffset = 1;
    }
    int dataLength = p.length - dataOffset - padding;
    boolean endStream = (flags & FLAG_END_STREAM) != 0;
    if (p.length == 0 && !endStream) {
      countControl();
    } else {
      controlFrames = 0;
    }
    long connectionUpdate = 0;
    long streamUpdate = 0;
    int rst = -1;
    lock.lock();
    try {
      // Flow control counts the whole frame, padding included, whatever became of the stream.
      connectionRecvWindow -= p.length;
      if (connectionRecvWindow < 0) {
        throw new ConnectionError(ErrorCodes.FLOW_CONTROL_ERROR, "the server overran the connection window");
      }
      connectionRecvUnacked += p.length;
      if (connectionRecvUnacked >= connectionWindowTarget / 2) {
        connectionUpdate = connectionRecvUnacked;
        connectionRecvWindow += connectionRecvUnacked;
        connectionRecvUnacked = 0;
      }
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "DATA");
      } else if (s.remoteClosed) {
        throw new ConnectionError(ErrorCodes.STREAM_CLOSED, "DATA after END_STREAM on stream " + streamId);
      } else if (s.failure == null && !s.truncated) {
        if (s.headers == null) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "DATA before HEADERS on stream " + streamId);
        }
        s.recvWindow -= p.length;
        if (s.recvWindow < 0) {
          throw new ConnectionError(ErrorCodes.FLOW_CONTROL_ERROR, "the server overran stream " + streamId + "'s window");
        }
        s.recvUnacked += p.length;
        if (s.body.size() + dataLength > s.maxRawBody) {
          if (s.truncate) {
            int keep = (int) Math.max(0, s.maxRawBody - s.body.size());
            s.body.write(p, dataOffset, Math.min(keep, dataLength));
            // Not remoteClosed: DATA already in flight keeps coming until our RST_STREAM lands.
            s.truncated = true;
            s.changed.signalAll();
          } else {
            fail(s, HttpFailures.tooLarge("response body of stream " + streamId + " from " + endpoint
                + " exceeds the limit of " + s.limits.maxBodyBytes() + " bytes", PoolAction.KEEP));
          }
          s.rstSent = true;
          rst = streamId;
        } else {
          s.body.write(p, dataOffset, dataLength);
          if (endStream) {
            checkContentLength(s);
            complete(s);
          } else if (s.recvUnacked >= streamWindowTarget / 2) {
            streamUpdate = s.recvUnacked;
            s.recvWindow += s.recvUnacked;
            s.recvUnacked = 0;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (connectionUpdate > 0 || streamUpdate > 0 || rst >= 0) {
      final long cu = connectionUpdate;
      final long su = streamUpdate;
      final int r = rst;
      writeControl(f -> {
        if (cu > 0) {
          f.windowUpdate(0, cu);
        }
        if (su > 0) {
          f.windowUpdate(streamId, su);
        }
        if (r >= 0) {
          f.rstStream(r, ErrorCodes.CANCEL);
        }
      });
    }
  }

  /** A frame for a stream we do not track: fine if we closed it, an error if it never existed. Under lock. */
  private void checkKnownStream(int streamId, String frame) throws ConnectionError {
    if ((streamId & 1) == 0 || streamId > highestStreamId || streamId < wire.firstStreamId()) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, frame + " on stream " + streamId + ", which we never opened");
    }
  }

  private void checkContentLength(Stream s) throws ConnectionError {
    if (s.head || s.status == 204 || s.status == 304) {
      return;
    }
    for (Header h : s.headers) {
      if (h.is("content-length")) {
        long declared;
        try {
          declared = Long.parseLong(h.value().trim());
        } catch (NumberFormatException e) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "malformed content-length: " + h.value());
        }
        if (declared != s.body.size()) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "stream " + s.id + " carried " + s.body.size()
              + " body bytes but content-length said " + declared);
        }
        return;
      }
    }
  }

  private void onHeaders(int flags, int streamId, byte[] p) throws IOException {
    if (streamId == 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "HEADERS on stream 0");
    }
    controlFrames = 0;
    int off = 0;
    int padding = 0;
    if ((flags & FLAG_PADDED) != 0) {
      if (p.length < 1) {
        throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "HEADERS too short for its padding");
      }
      padding = p[0] & 0xff;
      off = 1;
    }
    if ((flags & FLAG_PRIORITY) != 0) {
      off += 5;
    }
    if (off + padding > p.length) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "HEADERS padding longer than the frame");
    }
    headerBlock = new ByteArrayOutputStream(Math.max(64, p.length));
    headerBlock.write(p, off, p.length - off - padding);
    continuationFlags = flags;
    continuationStream = streamId;
    checkBlockSize();
    if ((flags & FLAG_END_HEADERS) != 0) {
      headerBlockDone();
    }
  }

  private void onContinuation(int flags, int streamId, byte[] p) throws IOException {
    if (continuationStream == 0 || streamId != continuationStream) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "CONTINUATION without HEADERS on stream " + streamId);
    }
    headerBlock.write(p, 0, p.length);
    checkBlockSize();
    if ((flags & FLAG_END_HEADERS) != 0) {
      headerBlockDone();
    }
  }

  /**
   * A block far larger than the header list limit cannot decode to a list within it: stop before
   * buffering it (this is what ends an endless CONTINUATION sequence). We cannot decode what we do
   * not buffer, so HPACK state is lost and the connection must go.
   */
  private void checkBlockSize() throws ConnectionError {
    if (headerBlock.size() > ownMaxHeaderListSize + 1024) {
      throw new ConnectionError(ErrorCodes.ENHANCE_YOUR_CALM,
          HttpFailures.tooLarge("header block from " + endpoint + " larger than the header list limit of "
              + ownMaxHeaderListSize + " bytes", PoolAction.DISCARD_CONNECTION));
    }
  }

  private void headerBlockDone() throws IOException {
    int streamId = continuationStream;
    int flags = continuationFlags;
    byte[] block = headerBlock.toByteArray();
    continuationStream = 0;
    headerBlock = null;
    boolean endStream = (flags & FLAG_END_STREAM) != 0;
    List<Header> fields;
    ClassifiedIOException tooLarge = null;
    try {
      fields = decoder.decode(block);
    } catch (HpackException e) {
      if (e.kind() != FailureKind.RESPONSE_TOO_LARGE) {
        throw new ConnectionError(ErrorCodes.COMPRESSION_ERROR, e);
      }
      fields = null;
      tooLarge = HttpFailures.tooLarge(e.getMessage(), PoolAction.KEEP);
    }
    int rst = -1;
    lock.lock();
    try {
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "HEADERS");
        return; // a stream we reset; the block was decoded to keep HPACK in step
      }
      if (s.remoteClosed) {
        throw new ConnectionError(ErrorCodes.STREAM_CLOSED, "HEADERS after END_STREAM on stream " + streamId);
      }
      if (s.failure != null || s.truncated) {
        return;
      }
      if (tooLarge == null && listSize(fields) > s.limits.maxHeaderListSize()) {
        tooLarge = HttpFailures.tooLarge("response headers of stream " + streamId + " exceed the limit of "
            + s.limits.maxHeaderListSize() + " bytes", PoolAction.KEEP);
      }
      if (tooLarge != null) {
        fail(s, tooLarge);
        s.rstSent = true;
        rst = streamId;
      } else if (s.headers == null) {
        onResponseHead(s, fields, endStream);
      } else {
        if (!endStream) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "trailers without END_STREAM on stream " + streamId);
        }
        for (Header h : fields) {
          if (h.name().startsWith(":")) {
            throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "pseudo-header in trailers: " + h.name());
          }
        }
        s.trailers = fields;
        checkContentLength(s);
        complete(s);
      }
    } finally {
      lock.unlock();
    }
    if (rst >= 0) {
      writeControl(f -> f.rstStream(streamId, ErrorCodes.CANCEL));
    }
  }

  private static long listSize(List<Header> fields) {
    long size = 0;
    for (Header h : fields) {
      size += h.name().length() + h.value().length() + 32;
    }
    return size;
  }

  /** Under lock. */
  private void onResponseHead(Stream s, List<Header> fields, boolean endStream) throws ConnectionError {
    int status = -1;
    List<Header> regular = new ArrayList<>(fields.size());
    for (Header h : fields) {
      if (h.name().startsWith(":")) {
        if (!regular.isEmpty() || !h.name().equals(":status") || status != -1) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "malformed response pseudo-header " + h.name()
              + " on stream " + s.id);
        }
        String v = h.value();
        if (v.length() != 3 || !Character.isDigit(v.charAt(0)) || !Character.isDigit(v.charAt(1))
            || !Character.isDigit(v.charAt(2))) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "malformed :status " + v);
        }
        status = Integer.parseInt(v);
      } else {
        regular.add(h);
      }
    }
    if (status < 100) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "response without :status on stream " + s.id);
    }
    if (status < 200) {
      if (status == 101 || endStream) {
        throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "informational response " + status + " ends stream " + s.id);
      }
      return; // interim response (100, 103): the final one follows
    }
    s.status = status;
    s.headers = List.copyOf(regular);
    if (endStream) {
      checkContentLength(s);
      complete(s);
    }
  }

  private void onRstStream(int streamId, byte[] p) throws IOException {
    if (streamId == 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "RST_STREAM on stream 0");
    }
    if (p.length != 4) {
      throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "RST_STREAM of " + p.length + " bytes");
    }
    controlFrames = 0;
    int code = int32(p, 0);
    lock.lock();
    try {
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "RST_STREAM");
        return;
      }
      s.rstSent = true; // the stream is closed: no RST_STREAM from us any more
      if (s.remoteClosed && code == ErrorCodes.NO_ERROR) {
        return; // RFC 9113 section 8.1: the response is complete, the server wants no more body
      }
      if (s.failure != null || s.remoteClosed || s.truncated) {
        return;
      }
      String message = "server reset stream " + streamId + " on " + endpoint + " with " + ErrorCodes.name(code);
      ClassifiedIOException failure = switch (code) {
        case ErrorCodes.REFUSED_STREAM -> HttpFailures.notProcessed(message, PoolAction.KEEP);
        case ErrorCodes.PROTOCOL_ERROR, ErrorCodes.COMPRESSION_ERROR, ErrorCodes.FLOW_CONTROL_ERROR,
            ErrorCodes.FRAME_SIZE_ERROR, ErrorCodes.STREAM_CLOSED ->
            new ClassifiedIOException(FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP, message, null);
        default -> new ClassifiedIOException(FailureKind.CONNECTION_RESET, true, PoolAction.KEEP, message, null);
      };
      fail(s, failure);
      s.remoteClosed = true;
    } finally {
      lock.unlock();
    }
  }

  private void onSettings(int flags, int streamId, byte[] p) throws IOException {
    if (streamId != 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "SETTINGS on stream " + streamId);
    }
    countControl();
    if ((flags & FLAG_ACK) != 0) {
      if (p.length != 0) {
        throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload");
      }
      return;
    }
    if (p.length % 6 != 0) {
      throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "SETTINGS of " + p.length + " bytes");
    }
    int headerTableSize = -1;
    lock.lock();
    try {
      if (!peerSettingsApplied) {
        peerSettingsApplied = true;
        peerMaxConcurrentStreams = ASSUMED_MAX_CONCURRENT_STREAMS;
        slotFreed.signalAll();
      }
      for (int i = 0; i < p.length; i += 6) {
        int id = (p[i] & 0xff) << 8 | (p[i + 1] & 0xff);
        long value = int32(p, i + 2) & 0xffffffffL;
        switch (id) {
          case 1 -> headerTableSize = (int) Math.min(value, Integer.MAX_VALUE);
          case 2 -> {
            if (value > 1) {
              throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH " + value);
            }
          }
          case 3 -> {
            peerMaxConcurrentStreams = (int) Math.min(value, Integer.MAX_VALUE);
            slotFreed.signalAll();
          }
          case 4 -> {
            if (value > MAX_WINDOW) {
              throw new ConnectionError(ErrorCodes.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value);
            }
            long delta = value - peerInitialWindow;
            peerInitialWindow = value;
            for (Stream s : streams.values()) {
              s.sendWindow += delta;
              if (s.sendWindow > MAX_WINDOW) {
                throw new ConnectionError(ErrorCodes.FLOW_CONTROL_ERROR, "stream window overflow");
              }
            }
            windowOpened.signalAll();
          }
          case 5 -> {
            if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) {
              throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
            }
            peerMaxFrameSize = (int) value;
          }
          default -> {
            // MAX_HEADER_LIST_SIZE is advisory; unknown settings are ignored (RFC 9113 6.5.2)
          }
        }
      }
    } finally {
      lock.unlock();
    }
    final int tableSize = headerTableSize;
    writeControl(f -> {
      // Under the write lock, so no block is encoded between the new size and the ACK.
      if (tableSize >= 0) {
        encoder.setPeerHeaderTableSize(tableSize);
      }
      f.header(0, SETTINGS, FLAG_ACK, 0);
    });
  }

  private void onPing(int flags, int streamId, byte[] p) throws IOException {
    if (streamId != 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "PING on stream " + streamId);
    }
    if (p.length != 8) {
      throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "PING of " + p.length + " bytes");
    }
    if ((flags & FLAG_ACK) != 0) {
      long payload = ((long) int32(p, 0) << 32) | (int32(p, 4) & 0xffffffffL);
      CompletableFuture<Long> waiting;
      lock.lock();
      try {
        waiting = pings.remove(payload);
      } finally {
        lock.unlock();
      }
      if (waiting != null) {
        waiting.complete(payload);
      }
      return;
    }
    countControl();
    writeControl(f -> f.ping(true, p));
  }

  private void onGoAway(int streamId, byte[] p) throws IOException {
    if (streamId != 0) {
      throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "GOAWAY on stream " + streamId);
    }
    if (p.length < 8) {
      throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "GOAWAY of " + p.length + " bytes");
    }
    int lastStreamId = int32(p, 0) & 0x7fffffff;
    int code = int32(p, 4);
    lock.lock();
    try {
      goAwayReceived = true;
      goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
      for (Stream s : streams.values()) {
        if (s.id > goAwayLastStreamId && s.failure == null && !s.remoteClosed) {
          fail(s, HttpFailures.notProcessed("server sent GOAWAY (" + ErrorCodes.name(code) + ", last stream "
              + lastStreamId + ") before processing stream " + s.id + " on " + endpoint));
          s.rstSent = true;
        }
      }
      slotFreed.signalAll();
      closeIfDrained();
    } finally {
      lock.unlock();
    }
  }

  private void onWindowUpdate(int streamId, byte[] p) throws IOException {
    if (p.length != 4) {
      throw new ConnectionError(ErrorCodes.FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + p.length + " bytes");
    }
    long increment = int32(p, 0) & 0x7fffffffL;
    int rst = -1;
    lock.lock();
    try {
      if (streamId == 0) {
        if (increment == 0) {
          throw new ConnectionError(ErrorCodes.PROTOCOL_ERROR, "connection WINDOW_UPDATE of 0");
        }
        connectionSendWindow += increment;
        if (connectionSendWindow > MAX_WINDOW) {
          throw new ConnectionError(ErrorCodes.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
        }
        windowOpened.signalAll();
        return;
      }
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "WINDOW_UPDATE");
        return;
      }
      s.sendWindow += increment;
      if (increment == 0 || s.sendWindow > MAX_WINDOW) {
        fail(s, new ClassifiedIOException(FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP,
            "bad WINDOW_UPDATE (" + increment + ") on stream " + streamId, null));
        s.rstSent = true;
        rst = increment == 0 ? ErrorCodes.PROTOCOL_ERROR : ErrorCodes.FLOW_CONTROL_ERROR;
      }
      windowOpened.signalAll();
    } finally {
      lock.unlock();
    }
    if (rst >= 0) {
      int code = rst;
      writeControl(f -> f.rstStream(streamId, code));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stream and connection state
  // ---------------------------------------------------------------------------------------------

  /** Under lock. */
  private void complete(Stream s) {
    s.remoteClosed = true;
    s.changed.signalAll();
    windowOpened.signalAll();
  }

  /** Under lock. */
  private void fail(Stream s, IOException failure) {
    if (s.failure == null) {
      s.failure = failure;
    }
    s.changed.signalAll();
    windowOpened.signalAll();
  }

  /** Under lock. */
  private void failAll(IOException failure, int minStreamId) {
    for (Stream s : streams.values()) {
      if (s.id >= minStreamId && !s.remoteClosed) {
        fail(s, failure);
      }
      s.rstSent = true;
    }
    for (CompletableFuture<Long> p : pings.values()) {
      p.completeExceptionally(failure);
    }
    slotFreed.signalAll();
    windowOpened.signalAll();
  }

  /**
   * Ends the connection after an error: fails every open exchange with {@code failure}, sends
   * GOAWAY with {@code code} (none when negative) and closes.
   */
  private void connectionError(IOException failure, int code) {
    lock.lock();
    try {
      if (broken != null) {
        if (closed) {
          closeQuietly(tls);
        }
        return;
      }
      broken = failure;
      failAll(failure, 0);
    } finally {
      lock.unlock();
    }
    if (code >= 0) {
      // Best effort and short: the connection is going whatever the peer does.
      try {
        if (writeLock.tryLock(50, TimeUnit.MILLISECONDS)) {
          try {
            frames.clear();
            frames.goAway(0, code);
            timedWrite(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
          } catch (IOException ignored) {
            // closing anyway
          } finally {
            writeLock.unlock();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    watchdog.cancel(false);
    closeQuietly(tls);
  }

  private static int int32(byte[] b, int off) {
    return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
  }

  private static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  private static void closeQuietly(TlsConnection tls) {
    try {
      tls.close();
    } catch (IOException ignored) {
      // closing after the fact: nothing to tell anyone
    }
  }

  @Override
  public String toString() {
    return "h2 " + endpoint + " (" + profile.name() + ")";
  }

  /** A connection error found by the reader, with its GOAWAY code. */
  private static final class ConnectionError extends IOException {
    private static final long serialVersionUID = 1L;
    final int code;
    final transient ClassifiedIOException failure;

    ConnectionError(int code, String message) {
      this(code, HttpFailures.protocol("HTTP/2 " + ErrorCodes.name(code) + ": " + message));
    }

    ConnectionError(int code, ClassifiedIOException failure) {
      super(failure.getMessage(), failure);
      this.code = code;
      this.failure = failure;
    }
  }

  /** One exchange's stream. Fields guarded by the connection's state lock. */
  private static final class Stream {
    /** 0 until the stream is opened (under the write lock, so ids go out in order). */
    int id;
    final ExchangeLimits limits;
    final boolean head;
    final boolean truncate;
    final long maxRawBody;
    final Condition changed;
    long sendWindow;
    long recvWindow;
    long recvUnacked;
    int status;
    List<Header> headers;
    List<Header> trailers = List.of();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean remoteClosed;
    /** The body reached the limit with truncation on: the exchange has what it wants. */
    boolean truncated;
    boolean rstSent;
    int pendingRst = -1;
    int pendingRstCode;
    IOException failure;

    Stream(ExchangeLimits limits, boolean head, Condition changed) {
      this.limits = limits;
      this.head = head;
      this.truncate = limits.truncateBody();
      // The raw (possibly compressed) body is bounded too: compression never makes data much
      // larger, so a little slack above the decoded limit is enough for any honest server.
      this.maxRawBody = Math.min(Integer.MAX_VALUE - 16, limits.maxBodyBytes() + 64 * 1024);
      this.changed = changed;
    }
  }
}
