package dev.guise.pool.internal.http2;

import static dev.guise.pool.internal.exchange.HttpFailures.remaining;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.http2.HeaderBlockAssembler;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2Exception;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameReader;
import dev.guise.codec.http2.Http2FrameWriter;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.codec.io.PooledBufferedInputStream;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.ResponseBodies;
import dev.guise.pool.internal.exchange.RequestTemplate;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
 * the {@link RequestTemplate}'s browser does: its SETTINGS in its order, its connection WINDOW_UPDATE,
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
  private static final ScheduledExecutorService WATCHDOG = dev.guise.codec.io.IoDeadlines.timer();

  private final TlsConnection tls;
  private final TlsEndpoint endpoint;
  private final RequestTemplate profile;
  private final Http2Behaviour wire;
  private final Duration controlWriteTimeout;
  private final InputStream in;
  private final Thread reader;
  private final ScheduledFuture<?> watchdog;

  /** Up to this many bytes of frames may wait in the batch for the next write (one TLS record). */
  private static final int DEFERRED_BATCH_LIMIT = 8 * 1024;

  // Guarded by writeLock.
  private final ReentrantLock writeLock = new ReentrantLock();
  /** A {@link #flushKept} thread is started and has not yet taken the lock. */
  private boolean flushScheduled;
  /** Gathers each write's frames into one batch, so they leave in one TLS write. */
  private final Http2FrameWriter frames;
  private final HpackEncoder encoder;
  private volatile long writeStartedNanos;
  private volatile long writeDeadlineNanos;
  private volatile boolean writeStallHandled;

  // Reader thread only.
  private final HpackDecoder decoder;
  private final int ownMaxFrameSize;
  private final long ownMaxHeaderListSize;
  private final Http2FrameReader frameReader;
  private final HeaderBlockAssembler headerBlocks;
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

  private final java.util.Optional<Http2Frame.PriorityFields> headersPriority;
  private final long connectionWindowTarget;
  private final long streamWindowTarget;
  private final long ownInitialWindow;
  private final AtomicLong exchanges = new AtomicLong();

  private Http2Connection(TlsConnection tls, TlsEndpoint endpoint, RequestTemplate profile,
      Duration controlWriteTimeout) throws IOException {
    this.tls = tls;
    this.endpoint = endpoint;
    this.profile = profile;
    this.wire = profile.http2();
    this.controlWriteTimeout = controlWriteTimeout;
    // The buffer is borrowed only while decrypted bytes wait to be parsed: the reader of an idle
    // connection waits for the next frame with none (it reads straight into the frame header).
    this.in = new PooledBufferedInputStream(new TickingInput(tls.input()), true);
    this.frames = new Http2FrameWriter(tls.output(), DEFAULT_MAX_FRAME_SIZE);
    int headerTableSize = (int) profile.setting(1).orElse(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE);
    this.ownMaxHeaderListSize = profile.setting(6).orElse(256 * 1024);
    this.decoder = new HpackDecoder(headerTableSize, ownMaxHeaderListSize);
    // Browsers keep HPACK's default 4096-byte encoder table (they advertise a larger decoder table).
    this.encoder = new HpackEncoder();
    this.ownMaxFrameSize = (int) profile.setting(5).orElse(DEFAULT_MAX_FRAME_SIZE);
    this.frameReader = new Http2FrameReader(in, ownMaxFrameSize);
    // A block far larger than the header list limit cannot decode to a list within it: stop before
    // buffering it (this is what ends an endless CONTINUATION sequence).
    this.headerBlocks = new HeaderBlockAssembler((int) Math.min(Integer.MAX_VALUE - 1024, ownMaxHeaderListSize) + 1024);
    this.ownInitialWindow = profile.setting(4).orElse(DEFAULT_WINDOW);
    this.connectionWindowTarget = DEFAULT_WINDOW + wire.connectionWindowUpdate().orElse(0);
    this.streamWindowTarget = ownInitialWindow + wire.streamWindowUpdate().orElse(0);
    this.connectionRecvWindow = connectionWindowTarget;
    this.nextStreamId = wire.firstStreamId();
    this.headersPriority = profile.headersPriority().map(Http2Connection::priorityFields);
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
      TlsConnection tls, TlsEndpoint endpoint, RequestTemplate profile, Duration controlWriteTimeout)
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
      frames.beginBatch();
      frames.writeClientPreface();
      List<dev.guise.codec.http2.Http2Setting> settings = new ArrayList<>();
      for (var s : wire.settings()) {
        settings.add(new dev.guise.codec.http2.Http2Setting(s.id(), s.value()));
      }
      frames.writeSettings(settings);
      if (wire.connectionWindowUpdate().isPresent()) {
        frames.writeWindowUpdate(0, (int) wire.connectionWindowUpdate().getAsLong());
      }
      for (PriorityFrame p : wire.priorityFrames()) {
        frames.write(new Http2Frame.Priority(p.streamId(), priorityFields(p.priority())));
      }
      timedWrite(System.nanoTime() + controlWriteTimeout.toNanos());
    } finally {
      writeLock.unlock();
    }
  }

  private static Http2Frame.PriorityFields priorityFields(Priority p) {
    return new Http2Frame.PriorityFields(p.exclusive(), p.dependsOn(), p.weight());
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
  public RequestTemplate profile() {
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
        decoded = decodeBody(stream, limits);
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

  /**
   * The whole raw body is already here, so a body over the limit leaves the connection in step:
   * the failure keeps it.
   */
  private byte[] decodeBody(Stream stream, ExchangeLimits limits) throws IOException {
    byte[] raw = stream.body.toByteArray();
    String coding = ResponseBodies.contentEncoding(stream.headers);
    if (ResponseBodies.isIdentity(coding) && raw.length <= limits.maxBodyBytes()) {
      return raw;
    }
    try {
      return ResponseBodies.read(coding, new ByteArrayInputStream(raw), limits.maxBodyBytes(),
          limits.truncateBody(), stream.truncated);
    } catch (ClassifiedIOException e) {
      if (e.kind() == FailureKind.RESPONSE_TOO_LARGE) {
        throw HttpFailures.tooLarge("response body of stream " + stream.id + " from " + endpoint
            + " exceeds the limit of " + limits.maxBodyBytes() + " bytes", PoolAction.KEEP);
      }
      throw e;
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
    boolean deferred = false;
    int inFlight;
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
        inFlight = streams.size();
      } finally {
        lock.unlock();
      }
      byte[] block = encoder.encode(headerList);
      frames.writeHeaders(stream.id, block, !hasBody, headersPriority);
      if (wire.streamWindowUpdate().isPresent()) {
        frames.writeWindowUpdate(stream.id, (int) wire.streamWindowUpdate().getAsLong());
      }
      deferred = !hasBody && inFlight > 1 && frames.batchedBytes() <= DEFERRED_BATCH_LIMIT;
      if (deferred) {
        frames.keepBatch();
        if (!flushScheduled) {
          flushScheduled = true;
          Thread.ofVirtual().name("guise-h2-flush").start(this::flushKept);
        }
      } else {
        timedWrite(deadlineNanos);
      }
    } catch (IOException e) {
      throw writeFailed(e);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Sends the HEADERS that requests left in the batch (see {@link #startStream}). Runs on a virtual
   * thread started by the first of them, so it runs after the callers already waiting to run: when
   * the reader has just woken many callers, each adds its next request to the batch and this sends
   * them all in one TLS record and one socket write. With every request writing its own, a third of
   * the client's CPU at 64 callers went to {@code write}. Any other write that takes the lock first
   * sends them too.
   */
  private void flushKept() {
    // Adds nothing: the kept frames are the batch, and the write sends them (or nothing, if
    // another write sent them first).
    writeControl(f -> flushScheduled = false);
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
            sendRstLater(stream.id, Http2ErrorCode.CANCEL);
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
        // The writer learns a new peer frame size only with our SETTINGS ACK; until then it may
        // still hold the old (smaller) one.
        for (int sent = 0; sent < n; ) {
          int piece = Math.min(n - sent, frames.maxFrameSize());
          frames.writeData(stream.id, body, off + sent, piece, last && sent + piece == n);
          sent += piece;
        }
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
          sendRstLater(stream.id, Http2ErrorCode.CANCEL);
          break;
        }
        stream.changed.awaitNanos(left);
      }
      if (stream.failure != null) {
        throw stream.failure;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sendRstLater(stream.id, Http2ErrorCode.CANCEL);
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
      writeControl(f -> f.writeRstStream(stream.id, stream.pendingRstCode));
    }
  }

  /** Records an RST_STREAM to send once the state lock is released. Under lock. */
  private void sendRstLater(int streamId, Http2ErrorCode code) {
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
        frames.writePing(false, payload);
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
          frames.abandonBatch(); // the streams are failed: their kept HEADERS must not go out
          frames.beginBatch();
          int last;
          lock.lock();
          try {
            last = 0; // we accept no server-initiated streams
          } finally {
            lock.unlock();
          }
          frames.writeGoAway(last, Http2ErrorCode.NO_ERROR, new byte[0]);
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
      startBatch();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpFailures.cancelled("interrupted waiting to write");
    }
  }

  /**
   * Starts a batch after the frames earlier requests kept for the next write (see {@link
   * #flushKept}); whatever a failed holder left half-built must never reach the wire. Under
   * writeLock.
   */
  private void startBatch() {
    frames.discardBatch();
    frames.beginBatch();
  }

  /** Writes the gathered frames; the watchdog closes the connection if it blocks past the deadline. Under writeLock. */
  private void timedWrite(long deadlineNanos) throws IOException {
    writeDeadlineNanos = deadlineNanos;
    writeStartedNanos = System.nanoTime() | 1;
    try {
      frames.flush();
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
          + " blocked past its deadline (the peer stopped reading)"), null));
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
    connectionError(failure, null);
    return failure;
  }

  @FunctionalInterface
  private interface FrameWrite {
    void into(Http2FrameWriter f) throws IOException;
  }

  /** Writes a connection-level frame from the reader or a finishing exchange; failures break the connection. */
  private void writeControl(FrameWrite write) {
    long deadline = System.nanoTime() + controlWriteTimeout.toNanos();
    try {
      acquireWriteLock(deadline);
    } catch (IOException e) {
      connectionError(HttpFailures.deadline("could not write a control frame to " + endpoint + " in time"), null);
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
    try {
      while (true) {
        Http2Frame frame;
        try {
          frame = frameReader.readFrame();
        } catch (Http2Exception e) {
          if (e.isConnectionError()) {
            throw e;
          }
          // The frame was read whole: the connection is in step, only that stream is in error.
          onStreamError(e);
          continue;
        }
        if (frame == null) {
          throw new EOFException("end of stream between frames");
        }
        if (!peerSettingsSeen) {
          if (!(frame instanceof Http2Frame.Settings settings) || settings.ack()) {
            throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "the server's preface is not a SETTINGS frame");
          }
          peerSettingsSeen = true;
        }
        if (frame instanceof Http2Frame.PushPromise) {
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH=0");
        }
        HeaderBlockAssembler.HeaderBlock block = headerBlocks.accept(frame);
        if (block != null) {
          onHeaderBlock(block);
        } else if (!(frame instanceof Http2Frame.Headers) && !(frame instanceof Http2Frame.Continuation)) {
          dispatch(frame);
        } else {
          controlFrames = 0;
        }
      }
    } catch (ConnectionError e) {
      connectionError(e.failure, e.code);
    } catch (Http2Exception e) {
      connectionError(e, e.errorCode());
    } catch (ClassifiedIOException e) {
      connectionError(e, e.kind() == FailureKind.PROTOCOL_ERROR ? Http2ErrorCode.PROTOCOL_ERROR : null);
    } catch (EOFException e) {
      connectionError(HttpFailures.closed("the server closed the connection " + endpoint, e), null);
    } catch (IOException e) {
      connectionError(HttpFailures.reset("reading from " + endpoint + " failed: " + e.getMessage(), e), null);
    } catch (RuntimeException | Error e) {
      connectionError(HttpFailures.protocol("HTTP/2 reader failed: " + e, e), Http2ErrorCode.INTERNAL_ERROR);
    }
  }

  /**
   * The connection's input with the reader's periodic read timeout turned into "read on" while the
   * connection is open, so a frame split across a tick is never lost half-read.
   */
  private final class TickingInput extends FilterInputStream {
    TickingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        try {
          return in.read(b, off, len);
        } catch (SocketTimeoutException tick) {
          if (isClosedOrBroken()) {
            throw tick;
          }
        }
      }
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

  private void dispatch(Http2Frame frame) throws IOException {
    switch (frame) {
      case Http2Frame.Data d -> onData(d);
      case Http2Frame.Priority ignored -> countControl();
      case Http2Frame.RstStream r -> onRstStream(r.streamId(), r.errorCode());
      case Http2Frame.Settings settings -> onSettings(settings);
      case Http2Frame.Ping ping -> onPing(ping);
      case Http2Frame.GoAway g -> onGoAway(g);
      case Http2Frame.WindowUpdate w -> onWindowUpdate(w.streamId(), w.increment());
      // Unknown frame types are ignored (RFC 9113 section 4.1); header frames went to the assembler.
      default -> countControl();
    }
  }

  /** A stream error the frame reader found (bad PRIORITY length, zero WINDOW_UPDATE): reset that stream. */
  private void onStreamError(Http2Exception e) {
    int streamId = e.streamId();
    boolean reset = false;
    lock.lock();
    try {
      Stream s = streams.get(streamId);
      if (s != null && !s.rstSent) {
        fail(s, new ClassifiedIOException(FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP,
            e.getMessage() + " from " + endpoint, e));
        s.rstSent = true;
        reset = true;
      }
    } finally {
      lock.unlock();
    }
    if (reset) {
      writeControl(f -> f.writeRstStream(streamId, e.errorCode()));
    }
  }

  private void countControl() throws ConnectionError {
    if (++controlFrames > CONTROL_FLOOD_LIMIT) {
      throw new ConnectionError(Http2ErrorCode.ENHANCE_YOUR_CALM,
          "more than " + CONTROL_FLOOD_LIMIT + " control frames without a response frame");
    }
  }

  private void onData(Http2Frame.Data d) throws IOException {
    int streamId = d.streamId();
    byte[] data = d.data();
    int dataLength = data.length;
    // Flow control counts the whole frame, padding included.
    int flowLength = d.flowControlledLength();
    boolean endStream = d.endStream();
    if (flowLength == 0 && !endStream) {
      countControl();
    } else {
      controlFrames = 0;
    }
    long connectionUpdate = 0;
    long streamUpdate = 0;
    int rst = -1;
    lock.lock();
    try {
      // Whatever became of the stream.
      connectionRecvWindow -= flowLength;
      if (connectionRecvWindow < 0) {
        throw new ConnectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "the server overran the connection window");
      }
      connectionRecvUnacked += flowLength;
      if (connectionRecvUnacked >= connectionWindowTarget / 2) {
        connectionUpdate = connectionRecvUnacked;
        connectionRecvWindow += connectionRecvUnacked;
        connectionRecvUnacked = 0;
      }
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "DATA");
      } else if (s.remoteClosed) {
        throw new ConnectionError(Http2ErrorCode.STREAM_CLOSED, "DATA after END_STREAM on stream " + streamId);
      } else if (s.failure == null && !s.truncated) {
        if (s.headers == null) {
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "DATA before HEADERS on stream " + streamId);
        }
        s.recvWindow -= flowLength;
        if (s.recvWindow < 0) {
          throw new ConnectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "the server overran stream " + streamId + "'s window");
        }
        s.recvUnacked += flowLength;
        if (s.body.size() + dataLength > s.maxRawBody) {
          if (s.truncate) {
            int keep = (int) Math.max(0, s.maxRawBody - s.body.size());
            s.body.write(data, 0, Math.min(keep, dataLength));
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
          s.body.write(data, 0, dataLength);
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
          f.writeWindowUpdate(0, (int) cu);
        }
        if (su > 0) {
          f.writeWindowUpdate(streamId, (int) su);
        }
        if (r >= 0) {
          f.writeRstStream(r, Http2ErrorCode.CANCEL);
        }
      });
    }
  }

  /** A frame for a stream we do not track: fine if we closed it, an error if it never existed. Under lock. */
  private void checkKnownStream(int streamId, String frame) throws ConnectionError {
    if ((streamId & 1) == 0 || streamId > highestStreamId || streamId < wire.firstStreamId()) {
      throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, frame + " on stream " + streamId + ", which we never opened");
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
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "malformed content-length: " + h.value());
        }
        if (declared != s.body.size()) {
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "stream " + s.id + " carried " + s.body.size()
              + " body bytes but content-length said " + declared);
        }
        return;
      }
    }
  }

  private void onHeaderBlock(HeaderBlockAssembler.HeaderBlock headerBlock) throws IOException {
    controlFrames = 0;
    int streamId = headerBlock.streamId();
    byte[] block = headerBlock.block();
    boolean endStream = headerBlock.endStream();
    List<Header> fields;
    ClassifiedIOException tooLarge = null;
    try {
      fields = decoder.decode(block);
    } catch (HpackException e) {
      if (e.kind() != FailureKind.RESPONSE_TOO_LARGE) {
        throw new ConnectionError(Http2ErrorCode.COMPRESSION_ERROR, e);
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
        throw new ConnectionError(Http2ErrorCode.STREAM_CLOSED, "HEADERS after END_STREAM on stream " + streamId);
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
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "trailers without END_STREAM on stream " + streamId);
        }
        for (Header h : fields) {
          if (h.name().startsWith(":")) {
            throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "pseudo-header in trailers: " + h.name());
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
      writeControl(f -> f.writeRstStream(streamId, Http2ErrorCode.CANCEL));
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
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "malformed response pseudo-header " + h.name()
              + " on stream " + s.id);
        }
        String v = h.value();
        if (v.length() != 3 || !Character.isDigit(v.charAt(0)) || !Character.isDigit(v.charAt(1))
            || !Character.isDigit(v.charAt(2))) {
          throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "malformed :status " + v);
        }
        status = Integer.parseInt(v);
      } else {
        regular.add(h);
      }
    }
    if (status < 100) {
      throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "response without :status on stream " + s.id);
    }
    if (status < 200) {
      if (status == 101 || endStream) {
        throw new ConnectionError(Http2ErrorCode.PROTOCOL_ERROR, "informational response " + status + " ends stream " + s.id);
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

  private void onRstStream(int streamId, int code) throws IOException {
    controlFrames = 0;
    lock.lock();
    try {
      Stream s = streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "RST_STREAM");
        return;
      }
      s.rstSent = true; // the stream is closed: no RST_STREAM from us any more
      if (s.remoteClosed && code == Http2ErrorCode.NO_ERROR.code()) {
        return; // RFC 9113 section 8.1: the response is complete, the server wants no more body
      }
      if (s.failure != null || s.remoteClosed || s.truncated) {
        return;
      }
      String message = "server reset stream " + streamId + " on " + endpoint + " with " + errorName(code);
      ClassifiedIOException failure = switch (Http2ErrorCode.of(code)) {
        case REFUSED_STREAM -> HttpFailures.notProcessed(message, PoolAction.KEEP);
        case PROTOCOL_ERROR, COMPRESSION_ERROR, FLOW_CONTROL_ERROR, FRAME_SIZE_ERROR, STREAM_CLOSED ->
            new ClassifiedIOException(FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP, message, null);
        default -> new ClassifiedIOException(FailureKind.CONNECTION_RESET, true, PoolAction.KEEP, message, null);
      };
      fail(s, failure);
      s.remoteClosed = true;
    } finally {
      lock.unlock();
    }
  }

  /** The reader has checked each value's range (RFC 9113 section 6.5.2). */
  private void onSettings(Http2Frame.Settings settings) throws IOException {
    countControl();
    if (settings.ack()) {
      return;
    }
    int headerTableSize = -1;
    lock.lock();
    try {
      if (!peerSettingsApplied) {
        peerSettingsApplied = true;
        peerMaxConcurrentStreams = ASSUMED_MAX_CONCURRENT_STREAMS;
        slotFreed.signalAll();
      }
      for (dev.guise.codec.http2.Http2Setting setting : settings.settings()) {
        long value = setting.value();
        switch (setting.id()) {
          case dev.guise.codec.http2.Http2Setting.HEADER_TABLE_SIZE ->
              headerTableSize = (int) Math.min(value, Integer.MAX_VALUE);
          case dev.guise.codec.http2.Http2Setting.MAX_CONCURRENT_STREAMS -> {
            peerMaxConcurrentStreams = (int) Math.min(value, Integer.MAX_VALUE);
            slotFreed.signalAll();
          }
          case dev.guise.codec.http2.Http2Setting.INITIAL_WINDOW_SIZE -> {
            long delta = value - peerInitialWindow;
            peerInitialWindow = value;
            for (Stream s : streams.values()) {
              s.sendWindow += delta;
              if (s.sendWindow > MAX_WINDOW) {
                throw new ConnectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "stream window overflow");
              }
            }
            windowOpened.signalAll();
          }
          case dev.guise.codec.http2.Http2Setting.MAX_FRAME_SIZE -> peerMaxFrameSize = (int) value;
          default -> {
            // ENABLE_PUSH was range-checked; MAX_HEADER_LIST_SIZE is advisory; unknown settings are ignored (RFC 9113 6.5.2)
          }
        }
      }
    } finally {
      lock.unlock();
    }
    final int tableSize = headerTableSize;
    final int frameSize = peerMaxFrameSize;
    writeControl(f -> {
      // Under the write lock, so no block is encoded between the new size and the ACK.
      if (tableSize >= 0) {
        encoder.setPeerHeaderTableSize(tableSize);
      }
      f.setMaxFrameSize(frameSize);
      f.writeSettingsAck();
    });
  }

  private void onPing(Http2Frame.Ping ping) throws IOException {
    if (ping.ack()) {
      long payload = ping.opaqueData();
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
    writeControl(f -> f.writePing(true, ping.opaqueData()));
  }

  private void onGoAway(Http2Frame.GoAway goAway) throws IOException {
    int lastStreamId = goAway.lastStreamId();
    int code = goAway.errorCode();
    lock.lock();
    try {
      goAwayReceived = true;
      goAwayLastStreamId = Math.min(goAwayLastStreamId, lastStreamId);
      for (Stream s : streams.values()) {
        if (s.id > goAwayLastStreamId && s.failure == null && !s.remoteClosed) {
          fail(s, HttpFailures.notProcessed("server sent GOAWAY (" + errorName(code) + ", last stream "
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

  /** The reader has rejected zero increments (a connection or stream error of its own). */
  private void onWindowUpdate(int streamId, long increment) throws IOException {
    int rst = -1;
    lock.lock();
    try {
      if (streamId == 0) {
        connectionSendWindow += increment;
        if (connectionSendWindow > MAX_WINDOW) {
          throw new ConnectionError(Http2ErrorCode.FLOW_CONTROL_ERROR, "connection window above 2^31-1");
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
      if (s.sendWindow > MAX_WINDOW) {
        fail(s, new ClassifiedIOException(FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP,
            "bad WINDOW_UPDATE (" + increment + ") on stream " + streamId, null));
        s.rstSent = true;
        rst = streamId;
      }
      windowOpened.signalAll();
    } finally {
      lock.unlock();
    }
    if (rst >= 0) {
      writeControl(f -> f.writeRstStream(streamId, Http2ErrorCode.FLOW_CONTROL_ERROR));
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
  private void connectionError(IOException failure, Http2ErrorCode code) {
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
    if (code != null) {
      // Best effort and short: the connection is going whatever the peer does.
      try {
        if (writeLock.tryLock(50, TimeUnit.MILLISECONDS)) {
          try {
            frames.abandonBatch();
            frames.beginBatch();
            frames.writeGoAway(0, code, new byte[0]);
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

  /** The code's name, or its hex value when RFC 9113 does not define it. */
  private static String errorName(int code) {
    Http2ErrorCode known = Http2ErrorCode.of(code);
    return known.code() == code ? known.name() : "0x" + Integer.toHexString(code);
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
    final transient Http2ErrorCode code;
    final transient ClassifiedIOException failure;

    ConnectionError(Http2ErrorCode code, String message) {
      this(code, HttpFailures.protocol("HTTP/2 " + code + ": " + message));
    }

    ConnectionError(Http2ErrorCode code, ClassifiedIOException failure) {
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
    Http2ErrorCode pendingRstCode;
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
