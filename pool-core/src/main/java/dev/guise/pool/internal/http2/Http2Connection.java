package dev.guise.pool.internal.http2;

import static dev.guise.pool.internal.exchange.HttpFailures.remaining;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.HttpProtocol;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.codec.http2.FlowWindow;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameWriter;
import dev.guise.codec.http2.Http2Setting;
import dev.guise.codec.http2.ReceiveWindow;
import dev.guise.codec.http2.SendWindows;
import dev.guise.codec.io.DeadlineWait;
import dev.guise.fingerprint.AkamaiFingerprint.Priority;
import dev.guise.fingerprint.AkamaiFingerprint.PriorityFrame;
import dev.guise.fingerprint.Http2Behaviour;
import dev.guise.fingerprint.StreamDependency;
import dev.guise.pool.config.ReaderThreads;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.http.HttpResponse;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.RequestTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP/2 client connection (RFC 9113) over any {@link TlsConnection}, putting on the wire what
 * the {@link RequestTemplate}'s browser does: its SETTINGS in its order, its connection
 * WINDOW_UPDATE, its HEADERS priority, first stream id, pseudo-header and header order, and
 * Firefox's stream WINDOW_UPDATE after each request's HEADERS.
 *
 * <p>This class is the session: it owns the state shared by the caller threads and the reader (the
 * streams, stream slots, send windows, the peer's settings, GOAWAY and close) under one state lock,
 * and its life from preface to close. The parts: {@link Http2Exchange} (one request and its
 * response, on the caller's thread), {@link Http2Stream} (one exchange's stream), {@link
 * Http2Writer} (write lock, batching, watchdog), {@link Http2Reader} (the reader thread and its
 * frame handlers) and {@link Http2Messages} (requests and responses to and from header lists). Who
 * may hold which lock, wait where and complete a stream is written down in {@code
 * docs/concurrency.md}, "The HTTP/2 session".
 *
 * <h2>Timeouts</h2>
 *
 * Every wait is bounded by the exchange's deadline (stream slot, send window, response); a write
 * that blocks in the socket (a peer that stopped reading) is ended by the writer's watchdog, which
 * closes the connection once the write's deadline passed.
 *
 * <h2>Failures</h2>
 *
 * A connection error (malformed frame, bad HPACK, flow-control violation, PUSH_PROMISE) sends
 * GOAWAY, fails every exchange with {@code PROTOCOL_ERROR} and closes. GOAWAY from the peer fails
 * exchanges above its last stream id with {@code NOT_PROCESSED} (retryable), lets the others
 * finish, and closes when they have. {@code REFUSED_STREAM} fails only that exchange with {@code
 * NOT_PROCESSED}.
 */
public final class Http2Connection implements HttpConnection {
  static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

  /** Our ceiling on concurrent streams, whatever the peer allows. */
  private static final int OWN_MAX_CONCURRENT_STREAMS = 1000;

  /** Used once the peer's SETTINGS came without a limit (RFC 9113 recommends at least 100). */
  static final int ASSUMED_MAX_CONCURRENT_STREAMS = 100;

  final TlsConnection tls;
  final TlsEndpoint endpoint;
  final Http2Behaviour wire;
  final Http2Writer writer;
  private final RequestTemplate template;
  private final Http2Reader reader;
  private final Optional<Http2Frame.PriorityFields> headersPriority;

  /** Whether HEADERS depend on open streams (Chromium) rather than on stream 0. */
  private final boolean urgencyChain;

  private final long streamWindowTarget;
  private final AtomicLong exchanges = new AtomicLong();

  // Guarded by lock.
  final ReentrantLock lock = new ReentrantLock();

  /** Signalled when send credit may have appeared, or a stream waiting for it ended. */
  final Condition windowOpened = lock.newCondition();

  final Condition slotFreed = lock.newCondition();

  /** The open streams in the order they opened (ascending ids): the urgency chain looks back. */
  final SequencedMap<Integer, Http2Stream> streams = new LinkedHashMap<>();

  final Map<Long, CompletableFuture<Long>> pings = new HashMap<>();
  final SendWindows sendWindows = new SendWindows();
  final ReceiveWindow connectionReceiveWindow;
  private int reservedSlots;
  private int nextStreamId;
  int highestStreamId;

  /**
   * One stream until the server's SETTINGS arrive: the first request leaves at once, as a browser's
   * does, but a burst of callers on a new connection cannot overrun a server whose limit is below
   * the assumed one (it would refuse the excess streams).
   */
  int peerMaxConcurrentStreams = 1;

  boolean peerSettingsApplied;
  int peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  boolean goAwayReceived;
  int goAwayLastStreamId = Integer.MAX_VALUE;
  boolean closed;
  IOException broken;

  private Http2Connection(
      TlsConnection tls,
      TlsEndpoint endpoint,
      RequestTemplate template,
      Duration controlWriteTimeout,
      ReaderThreads readerThreads)
      throws IOException {
    this.tls = tls;
    this.endpoint = endpoint;
    this.template = template;
    this.wire = template.http2();
    long ownInitialWindow =
        template.setting(Http2Setting.INITIAL_WINDOW_SIZE).orElse(FlowWindow.DEFAULT_SIZE);
    long connectionWindowTarget = FlowWindow.DEFAULT_SIZE + wire.connectionWindowUpdate().orElse(0);
    this.streamWindowTarget = ownInitialWindow + wire.streamWindowUpdate().orElse(0);
    this.connectionReceiveWindow = new ReceiveWindow(0, connectionWindowTarget);
    this.nextStreamId = wire.firstStreamId();
    this.headersPriority = template.headersPriority().map(Http2Connection::priorityFields);
    this.urgencyChain = template.streamDependency() == StreamDependency.URGENCY_CHAIN;
    this.writer =
        new Http2Writer(
            tls.output(),
            DEFAULT_MAX_FRAME_SIZE,
            endpoint,
            controlWriteTimeout,
            template.headerCompression(),
            new Http2Writer.Failures() {
              @Override
              public IOException writeFailed(IOException e) {
                return Http2Connection.this.writeFailed(e);
              }

              @Override
              public void unwritable(IOException failure) {
                connectionError(failure, null);
              }
            });
    writePreface(System.nanoTime() + controlWriteTimeout.toNanos());
    this.reader = new Http2Reader(this, template, readerThreads);
    reader.start();
  }

  /**
   * Speaks HTTP/2 over {@code tls}: writes the template's connection preface (magic, SETTINGS,
   * WINDOW_UPDATE, PRIORITY frames) and starts the reader. The connection owns {@code tls} from
   * here on and closes it when it closes.
   *
   * @param controlWriteTimeout how long the connection's own frames (ACKs, WINDOW_UPDATEs, GOAWAY)
   *     may take to write
   * @param readerThreads the kind of thread that reads the connection's frames
   */
  public static Http2Connection open(
      TlsConnection tls,
      TlsEndpoint endpoint,
      RequestTemplate template,
      Duration controlWriteTimeout,
      ReaderThreads readerThreads)
      throws IOException {
    try {
      return new Http2Connection(tls, endpoint, template, controlWriteTimeout, readerThreads);
    } catch (IOException | RuntimeException e) {
      closeQuietly(tls);
      throw e;
    }
  }

  private void writePreface(long deadlineNanos) throws IOException {
    writer.acquire(deadlineNanos);
    try {
      Http2FrameWriter frames = writer.frames();
      frames.writeClientPreface();
      List<Http2Setting> settings = new ArrayList<>();
      for (var s : wire.settings()) {
        settings.add(new Http2Setting(s.id(), s.value()));
      }
      frames.writeSettings(settings);
      if (wire.connectionWindowUpdate().isPresent()) {
        frames.writeWindowUpdate(0, (int) wire.connectionWindowUpdate().getAsLong());
      }
      for (PriorityFrame p : wire.priorityFrames()) {
        frames.write(new Http2Frame.Priority(p.streamId(), priorityFields(p.priority())));
      }
      writer.write(deadlineNanos);
    } finally {
      writer.release();
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
  public OptionalInt ticketsKept() {
    return tls.ticketsKept();
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
      return !closed
          && broken == null
          && !goAwayReceived
          && nextStreamId > 0
          && peerMaxConcurrentStreams != 0
          && tls.isOpen();
    } finally {
      lock.unlock();
    }
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

  // ---------------------------------------------------------------------------------------------
  // One exchange, on the caller's thread
  // ---------------------------------------------------------------------------------------------

  @Override
  public HttpResponse exchange(HttpRequest request, ExchangeLimits limits, long deadlineNanos)
      throws IOException {
    boolean reused = exchanges.getAndIncrement() > 0;
    return new Http2Exchange(this, template, headersPriority)
        .run(request, limits, deadlineNanos, reused);
  }

  @Override
  public StreamedBody exchangeStreaming(
      HttpRequest request,
      ExchangeLimits limits,
      long deadlineNanos,
      Duration readTimeout,
      BodyListener ended)
      throws IOException {
    exchanges.getAndIncrement();
    return new Http2Exchange(this, template, headersPriority)
        .runStreaming(request, limits, deadlineNanos, readTimeout, ended);
  }

  // ---------------------------------------------------------------------------------------------
  // Stream slots and the stream table
  // ---------------------------------------------------------------------------------------------

  /** Waits for a free stream slot and reserves it; the exchange's first step. */
  void reserveSlot(long deadlineNanos) throws IOException {
    lock.lock();
    try (DeadlineWait wait = new DeadlineWait(lock, slotFreed, deadlineNanos)) {
      while (true) {
        checkAcceptsStreams();
        int limit = Math.min(peerMaxConcurrentStreams, OWN_MAX_CONCURRENT_STREAMS);
        if (streams.size() + reservedSlots < limit) {
          reservedSlots++;
          return;
        }
        if (wait.expired()) {
          throw HttpFailures.deadline(
              "no HTTP/2 stream slot free on "
                  + endpoint
                  + " before the deadline ("
                  + peerMaxConcurrentStreams
                  + " concurrent streams allowed)");
        }
        wait.await();
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
      throw HttpFailures.notProcessed(
          "connection to " + endpoint + " is broken: " + broken.getMessage());
    }
    if (closed) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " is closed");
    }
    if (goAwayReceived) {
      throw HttpFailures.notProcessed(
          "connection to " + endpoint + " received GOAWAY; no new streams");
    }
    if (nextStreamId <= 0) {
      throw HttpFailures.notProcessed("connection to " + endpoint + " ran out of stream ids");
    }
    if (peerMaxConcurrentStreams == 0) {
      // RFC 9113 6.5.2: 0 prevents every new stream, and a server that means it for long SHOULD
      // close the connection instead. Waiting for it to rise held requests to their deadlines on
      // a connection that may never take another: fail now, with nothing sent, and the pool
      // retires the connection, so a retry opens a fresh one (or goes to another IP).
      throw HttpFailures.notProcessed(
          "the server at " + endpoint + " allows 0 concurrent streams on this connection");
    }
  }

  /** Gives back a slot whose stream never opened. */
  void releaseReservation() {
    lock.lock();
    try {
      reservedSlots--;
      slotFreed.signal();
      closeIfDrained();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Gives the stream its id and windows and enters it in the table, in place of its reserved slot.
   * Called under the write lock, so ids reach the wire in increasing order (RFC 9113 section
   * 5.1.1).
   *
   * <p>Under a profile whose streams form an urgency chain, the stream's {@code dependsOn} is
   * chosen here, among the streams open at this moment, as the browser chooses it when it creates
   * the stream.
   *
   * @param urgency the urgency of the request's {@code priority} header
   * @return the streams in flight now, this one included
   */
  int openStream(Http2Stream stream, boolean endStream, int urgency) throws IOException {
    lock.lock();
    try {
      checkAcceptsStreams();
      stream.urgency = urgency;
      stream.dependsOn = urgencyChain ? UrgencyChain.parent(streams.sequencedValues(), urgency) : 0;
      int id = nextStreamId;
      stream.open(
          id,
          sendWindows.openStream(id),
          new ReceiveWindow(id, streamWindowTarget),
          streamWindowTarget,
          endStream);
      streams.put(id, stream);
      reservedSlots--;
      highestStreamId = id;
      nextStreamId = nextStreamId > Integer.MAX_VALUE - 2 ? -1 : nextStreamId + 2;
      return streams.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes the exchange's stream and sends the RST_STREAM it left pending; the connection closes
   * here if it was draining.
   */
  void endStream(Http2Stream stream) {
    Http2ErrorCode reset;
    lock.lock();
    try {
      if (streams.remove(stream.id) != null) {
        slotFreed.signal();
      }
      reset = stream.takePendingReset();
      closeIfDrained();
    } finally {
      lock.unlock();
    }
    if (reset != null) {
      writer.writeControl(f -> f.writeRstStream(stream.id, reset));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stream and connection state
  // ---------------------------------------------------------------------------------------------

  /** The stream's response is complete: wakes its caller. Under lock. */
  void complete(Http2Stream s) {
    s.complete();
    windowOpened.signalAll();
  }

  /** Fails one exchange and wakes its caller, also from a wait for send window. Under lock. */
  void fail(Http2Stream s, IOException failure) {
    s.fail(failure);
    windowOpened.signalAll();
  }

  /**
   * Fails every exchange whose response is not complete, and every PING waiting for its ACK; the
   * streams are given up (frames still arriving for them are ignored). Under lock.
   */
  private void failAll(IOException failure) {
    for (Http2Stream s : streams.values()) {
      if (!s.responded) {
        fail(s, failure);
      }
      s.state.abandon();
    }
    for (CompletableFuture<Long> p : pings.values()) {
      p.completeExceptionally(failure);
    }
    slotFreed.signalAll();
    windowOpened.signalAll();
  }

  /** Starts the shutdown once GOAWAY (or running out of ids) left no stream. Under lock. */
  void closeIfDrained() {
    if ((goAwayReceived || nextStreamId <= 0)
        && streams.isEmpty()
        && reservedSlots == 0
        && !closed) {
      closed = true;
      // Not from under our lock: closing writes GOAWAY and waits for nothing else.
      Thread.ofVirtual().start(this::shutdown);
    }
  }

  /**
   * Waits until the server's first SETTINGS frame has been read, the connection broke, or {@code
   * timeout} passed; whether the SETTINGS arrived. Warm-up waits so on a host's first connection: a
   * TLS 1.3 server sends its session tickets after the handshake, and the engine takes them in only
   * as the reader reads; once the SETTINGS that follow them are read, the ticket is in the engine's
   * cache for the host's other connections to resume with. Nothing is written.
   */
  public boolean awaitPeerSettings(Duration timeout) throws InterruptedException {
    lock.lock();
    try (DeadlineWait wait =
        new DeadlineWait(lock, slotFreed, System.nanoTime() + timeout.toNanos())) {
      // The reader signals slotFreed when it applies the first SETTINGS, failAll when it breaks.
      while (!peerSettingsApplied && !closed && broken == null && !wait.expired()) {
        wait.await();
      }
      return peerSettingsApplied;
    } finally {
      lock.unlock();
    }
  }

  /** Whether the connection is closing or broken (the reader then stops at the next tick). */
  boolean isClosedOrBroken() {
    lock.lock();
    try {
      return closed || broken != null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the connection after an error: fails every open exchange with {@code failure}, sends
   * GOAWAY with {@code code} (none when null: the socket is the problem) and closes. Only the first
   * failure counts; a later call just makes sure the socket is closed.
   */
  void connectionError(IOException failure, Http2ErrorCode code) {
    lock.lock();
    try {
      if (broken != null) {
        if (closed) {
          closeQuietly(tls);
        }
        return;
      }
      broken = failure;
      failAll(failure);
    } finally {
      lock.unlock();
    }
    if (code != null) {
      writer.tryGoAway(0, code, 50);
    }
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
    closeQuietly(tls);
  }

  /** A write failed: breaks the connection, and returns the failure the caller throws. */
  IOException writeFailed(IOException e) {
    if (e instanceof ClassifiedIOException) {
      return e;
    }
    IOException failure;
    lock.lock();
    try {
      failure =
          broken != null
              ? broken
              : HttpFailures.reset("write to " + endpoint + " failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
    connectionError(failure, null);
    return failure;
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
      writer.acquire(deadline);
      try {
        writer.frames().writePing(false, payload);
        writer.write(deadline);
      } catch (IOException e) {
        throw writeFailed(e);
      } finally {
        writer.release();
      }
      ack.get(Math.max(0, remaining(deadline)), TimeUnit.NANOSECONDS);
      return Duration.ofNanos(System.nanoTime() - start);
    } catch (TimeoutException e) {
      throw HttpFailures.readTimeout(
          "no PING ACK from " + endpoint + " within " + timeout.toMillis() + " ms");
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
      failAll(broken);
    } finally {
      lock.unlock();
    }
    shutdown();
  }

  /** Says GOAWAY (best effort, briefly), closes the TLS connection, stops the watchdog. */
  private void shutdown() {
    // Last stream 0: we accept no server-initiated streams.
    writer.tryGoAway(0, Http2ErrorCode.NO_ERROR, 100);
    lock.lock();
    try {
      closed = true;
      if (broken == null) {
        broken = HttpFailures.closed("connection to " + endpoint + " was closed", null);
      }
      failAll(broken);
    } finally {
      lock.unlock();
    }
    closeQuietly(tls);
  }

  static void closeQuietly(TlsConnection tls) {
    try {
      tls.close();
    } catch (IOException ignored) {
      // closing after the fact: nothing to tell anyone
    }
  }

  @Override
  public String toString() {
    return "h2 " + endpoint + " (" + template.name() + ")";
  }
}
