package dev.guise.testkit.internal;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.codec.http2.FlowWindow;
import dev.guise.codec.http2.HeaderBlockAssembler;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2Exception;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameHeader;
import dev.guise.codec.http2.Http2FrameReader;
import dev.guise.codec.http2.Http2FrameWriter;
import dev.guise.codec.http2.Http2Setting;
import dev.guise.codec.http2.Http2StreamState;
import dev.guise.codec.http2.SendWindows;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.testkit.Http2FrameRecord;
import dev.guise.testkit.Http2HeadersRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestBody;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/2 on one TLS connection (RFC 9113), enough for tests: SETTINGS exchange, HEADERS and
 * CONTINUATION, DATA with flow control both ways, PING, RST_STREAM, GOAWAY, concurrent streams.
 * Framing is the codec's ({@link Http2FrameReader}, {@link Http2FrameWriter}, {@link
 * HeaderBlockAssembler}); this class adds the server's stream handling and the frame log.
 *
 * <p>One reader thread (the connection's) reads and logs every client frame; each request runs on
 * its own virtual thread. Writes are serialised by {@link #writeLock} (HPACK state must change in
 * the order blocks hit the wire, and the frame writer is not thread-safe); the send windows and the
 * streams' states (the codec's {@link SendWindows} and {@link Http2StreamState}, shared with the
 * client) are guarded by {@link #flowLock}, a separate lock so that a writer blocked on TCP never
 * stops the reader from crediting windows ({@code docs/concurrency.md}, "The HTTP/2 session").
 *
 * <p>The log takes each frame's flags and length from {@link Http2FrameReader#lastFrameHeader()},
 * the octets as sent: the frame objects keep only the flags their type defines, and a fingerprint
 * must show whatever the client set.
 */
final class Http2Session {
  private static final long GOAWAY_DRAIN_MILLIS = 5_000;

  private final ServerRuntime runtime;
  private final LiveConnection connection;
  private final ConnectionLog log;
  private final Http2FrameReader reader;
  private final Http2FrameWriter writer; // guarded by writeLock
  private final BufferedOutputStream out;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock flowLock = new ReentrantLock();
  private final Condition windowOpened = flowLock.newCondition();
  private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final HpackDecoder decoder;
  private final HpackEncoder encoder = new HpackEncoder();
  private final HeaderBlockAssembler assembler;
  private final int maxConcurrentStreams;

  // Guarded by flowLock.
  private final SendWindows sendWindows = new SendWindows();
  private volatile int peerMaxFrame = Http2FrameReader.DEFAULT_MAX_FRAME_SIZE;

  /** Streams above this are ignored once we sent GOAWAY; MAX_VALUE until then. */
  private volatile int goAwayLastStream = Integer.MAX_VALUE;

  private volatile boolean closed;
  // Reader thread only.
  private volatile int lastClientStream;

  /** The raw headers of the open header block's frames (HEADERS, then CONTINUATIONs). */
  private final List<Http2FrameHeader> openBlock = new ArrayList<>();

  private static final class Stream {
    final int id;
    final List<Header> headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    // Guarded by flowLock.
    final FlowWindow sendWindow;
    final Http2StreamState state;
    boolean dispatched;

    Stream(int id, List<Header> headers, FlowWindow sendWindow, Http2StreamState state) {
      this.id = id;
      this.headers = headers;
      this.sendWindow = sendWindow;
      this.state = state;
    }
  }

  Http2Session(ServerRuntime runtime, LiveConnection connection, SSLSocket tls) throws IOException {
    this.runtime = runtime;
    this.connection = connection;
    this.log = connection.log;
    ServerConfig config = runtime.config();
    // The reader enforces our SETTINGS_MAX_FRAME_SIZE; a configured value outside what the
    // protocol allows is still sent as configured (a test may want that) but read as the nearest
    // legal one.
    int ourMaxFrame =
        Math.clamp(
            config.http2Setting(
                Http2Setting.MAX_FRAME_SIZE, Http2FrameReader.DEFAULT_MAX_FRAME_SIZE),
            Http2FrameReader.DEFAULT_MAX_FRAME_SIZE,
            Http2FrameReader.MAX_MAX_FRAME_SIZE);
    this.reader =
        new Http2FrameReader(new BufferedInputStream(tls.getInputStream(), 16 * 1024), ourMaxFrame);
    this.out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
    this.writer = new Http2FrameWriter(out, Http2FrameReader.DEFAULT_MAX_FRAME_SIZE);
    this.decoder =
        new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, config.maxHeaderBytes());
    this.assembler = new HeaderBlockAssembler(config.maxHeaderBytes());
    this.maxConcurrentStreams =
        config.http2Setting(Http2Setting.MAX_CONCURRENT_STREAMS, Integer.MAX_VALUE);
  }

  void run() throws IOException {
    connection.gracefulClose = this::goAwayAndClose;
    try {
      try {
        reader.readClientPreface();
      } catch (Http2Exception e) {
        log.failure("bad or missing HTTP/2 preface: " + e.getMessage());
        return;
      }
      List<Http2Setting> settings = new ArrayList<>();
      for (int[] s : runtime.config().http2Settings()) {
        settings.add(new Http2Setting(s[0], s[1] & 0xffff_ffffL));
      }
      writeLock.lock();
      try {
        writer.writeSettings(settings);
        writer.flush();
      } finally {
        writeLock.unlock();
      }
      try {
        readLoop();
      } catch (Http2Exception e) {
        log.failure("HTTP/2 connection error " + e.errorCode().code() + ": " + e.getMessage());
        sendGoAway(lastClientStream, e.errorCode());
      }
    } finally {
      closed = true;
      flowLock.lock();
      try {
        windowOpened.signalAll();
      } finally {
        flowLock.unlock();
      }
    }
  }

  private void readLoop() throws IOException {
    while (true) {
      Http2Frame frame;
      try {
        frame = reader.readFrame();
      } catch (Http2Exception e) {
        // The frame broke a single-frame rule; it is still part of what the client sent.
        Http2FrameHeader raw = reader.lastFrameHeader();
        if (raw != null) {
          logFrame(raw, "");
        }
        if (e.isConnectionError()) {
          throw e;
        }
        resetStream(e.streamId(), e.errorCode());
        continue;
      }
      if (frame == null) {
        return;
      }
      connection.touch();
      Http2FrameHeader raw = reader.lastFrameHeader();
      if (frame instanceof Http2Frame.PushPromise) {
        logFrame(raw, "");
        throw Http2Exception.connectionError(
            Http2ErrorCode.PROTOCOL_ERROR, "PUSH_PROMISE from a client");
      }
      HeaderBlockAssembler.HeaderBlock block;
      try {
        block = assembler.accept(frame);
      } catch (Http2Exception e) {
        if (frame instanceof Http2Frame.Continuation && openBlock.isEmpty()) {
          logFrame(raw, ""); // a CONTINUATION without HEADERS
        }
        throw e;
      }
      switch (frame) {
        case Http2Frame.Headers h -> onHeaderBlockFrame(raw, block);
        case Http2Frame.Continuation c -> onHeaderBlockFrame(raw, block);
        case Http2Frame.Data d -> onData(raw, d);
        case Http2Frame.Settings s -> onSettings(raw, s);
        case Http2Frame.WindowUpdate w -> onWindowUpdate(raw, w);
        case Http2Frame.Ping p -> onPing(raw, p);
        case Http2Frame.Priority p -> onPriority(raw, p);
        case Http2Frame.RstStream r -> onRstStream(raw, r);
        case Http2Frame.GoAway g ->
            logFrame(raw, "last_stream=" + g.lastStreamId() + ";error=" + g.errorCode());
        default -> logFrame(raw, ""); // unknown types are ignored (RFC 9113 section 4.1)
      }
    }
  }

  private void logFrame(Http2FrameHeader raw, String detail) {
    log.frame(
        new Http2FrameRecord(
            raw.type(), typeName(raw.type()), raw.flags(), raw.streamId(), raw.length(), detail));
  }

  static String typeName(int type) {
    return Http2Frame.typeName(type).orElse("UNKNOWN_" + type);
  }

  /** A stream error: RST_STREAM, and the stream (if we know it) stops. */
  private void resetStream(int streamId, Http2ErrorCode code) throws IOException {
    Stream s = streams.remove(streamId);
    if (s != null) {
      flowLock.lock();
      try {
        s.state.sendReset();
        windowOpened.signalAll();
      } finally {
        flowLock.unlock();
      }
    }
    write(w -> w.writeRstStream(streamId, code));
  }

  /** Whether the stream is closed: for one we never answer, reset by either side. */
  private boolean isClosed(Stream s) {
    flowLock.lock();
    try {
      return s.state.isClosed();
    } finally {
      flowLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Client frames

  /** HEADERS or CONTINUATION; the block is logged and handled once it is complete. */
  private void onHeaderBlockFrame(Http2FrameHeader raw, HeaderBlockAssembler.HeaderBlock block)
      throws IOException {
    openBlock.add(raw);
    if (block != null) {
      List<Http2FrameHeader> frames = List.copyOf(openBlock);
      openBlock.clear();
      completeHeaders(frames, (Http2Frame.Headers) block.first(), block.block());
    }
  }

  private void completeHeaders(
      List<Http2FrameHeader> frames, Http2Frame.Headers first, byte[] block) throws IOException {
    Http2FrameHeader headersFrame = frames.get(0);
    int streamId = first.streamId();
    List<Header> headers;
    try {
      headers = decoder.decode(block);
    } catch (HpackException e) {
      logFrame(headersFrame, "undecodable: " + e.getMessage());
      throw Http2Exception.connectionError(
          Http2ErrorCode.COMPRESSION_ERROR, "HPACK: " + e.getMessage());
    }
    AkamaiFingerprint.Priority priority = first.priority().map(Http2Session::priority).orElse(null);
    String priorityText =
        priority == null
            ? ""
            : "priority="
                + (priority.exclusive() ? 1 : 0)
                + ":"
                + priority.dependsOn()
                + ":"
                + priority.weight()
                + ";";
    logFrame(headersFrame, priorityText + "headers=" + headers);
    for (Http2FrameHeader continuation : frames.subList(1, frames.size())) {
      logFrame(continuation, "");
    }
    boolean endStream = first.endStream();
    Stream existing = streams.get(streamId);
    if (existing != null) {
      // Trailers: nothing to answer yet; they end the request body.
      if (!receive(existing, "HEADERS", endStream)) {
        return;
      }
      if (endStream && !existing.dispatched) {
        dispatch(existing);
      }
      return;
    }
    if (streamId % 2 == 0 || streamId <= lastClientStream) {
      throw Http2Exception.connectionError(
          Http2ErrorCode.PROTOCOL_ERROR, "bad client stream id " + streamId);
    }
    lastClientStream = streamId;
    log.headers(
        new Http2HeadersRecord(
            streamId, headersFrame.flags(), Optional.ofNullable(priority), headers));
    log.request(new RequestRecord(HttpProtocol.HTTP_2, streamId, "", headers, HpackTags.of(block)));
    if (streamId > goAwayLastStream) {
      return; // after our GOAWAY: ignored, the client retries it elsewhere
    }
    if (activeStreams.get() >= maxConcurrentStreams) {
      write(w -> w.writeRstStream(streamId, Http2ErrorCode.REFUSED_STREAM));
      return;
    }
    Stream stream;
    flowLock.lock();
    try {
      Http2StreamState state = new Http2StreamState(streamId);
      state.receive("HEADERS", endStream);
      stream = new Stream(streamId, headers, sendWindows.openStream(streamId), state);
    } finally {
      flowLock.unlock();
    }
    streams.put(streamId, stream);
    if (endStream) {
      dispatch(stream);
    }
  }

  private void onData(Http2FrameHeader raw, Http2Frame.Data d) throws IOException {
    logFrame(raw, "");
    int streamId = d.streamId();
    // Padding counts against flow control as well (RFC 9113 section 6.9.1).
    int spent = d.flowControlledLength();
    // Credit what the client spent at once: tests want data to flow, not receive-side pressure.
    if (spent > 0) {
      write(w -> w.writeWindowUpdate(0, spent));
    }
    Stream stream = streams.get(streamId);
    if (stream == null || !receive(stream, "DATA", d.endStream()) || stream.dispatched) {
      return; // refused, ignored after GOAWAY, reset, or already answered: nothing to collect
    }
    if (spent > 0 && !d.endStream()) {
      write(w -> w.writeWindowUpdate(streamId, spent));
    }
    byte[] data = d.data();
    if (stream.body.size() + data.length > runtime.config().maxBodyBytes()) {
      streams.remove(streamId);
      write(w -> w.writeRstStream(streamId, Http2ErrorCode.ENHANCE_YOUR_CALM));
      return;
    }
    stream.body.write(data, 0, data.length);
    if (d.endStream()) {
      dispatch(stream);
    }
  }

  private void onSettings(Http2FrameHeader raw, Http2Frame.Settings s) throws IOException {
    if (s.ack()) {
      logFrame(raw, "ACK");
      return;
    }
    List<AkamaiFingerprint.Http2Setting> settings = new ArrayList<>();
    StringBuilder detail = new StringBuilder();
    for (Http2Setting setting : s.settings()) {
      settings.add(new AkamaiFingerprint.Http2Setting(setting.id(), setting.value()));
      if (detail.length() > 0) {
        detail.append(';');
      }
      detail.append(setting.id()).append(':').append(setting.value());
    }
    logFrame(raw, detail.toString());
    log.settings(settings);
    // The reader has checked the values (window within 31 bits, frame size within range).
    for (Http2Setting setting : s.settings()) {
      switch (setting.id()) {
        case Http2Setting.HEADER_TABLE_SIZE -> {
          writeLock.lock();
          try {
            encoder.setPeerHeaderTableSize((int) Math.min(setting.value(), Integer.MAX_VALUE));
          } finally {
            writeLock.unlock();
          }
        }
        case Http2Setting.INITIAL_WINDOW_SIZE -> {
          flowLock.lock();
          try {
            List<FlowWindow> open = new ArrayList<>();
            for (Stream st : streams.values()) {
              open.add(st.sendWindow);
            }
            // Past 2^31-1 is a connection error (RFC 9113 section 6.9.2): GOAWAY from run().
            sendWindows.initialStreamWindowChanged(setting.value(), open);
            windowOpened.signalAll();
          } finally {
            flowLock.unlock();
          }
        }
        case Http2Setting.MAX_FRAME_SIZE -> {
          writeLock.lock();
          try {
            writer.setMaxFrameSize((int) setting.value());
            peerMaxFrame = (int) setting.value();
          } finally {
            writeLock.unlock();
          }
        }
        default -> {
          // Not needed by the server; recorded above.
        }
      }
    }
    write(Http2FrameWriter::writeSettingsAck);
  }

  private void onWindowUpdate(Http2FrameHeader raw, Http2Frame.WindowUpdate w) throws IOException {
    long increment = w.increment();
    int streamId = w.streamId();
    logFrame(raw, "increment=" + increment);
    log.windowUpdate(streamId, increment);
    Http2Exception streamError = null;
    flowLock.lock();
    try {
      // Past 2^31-1 is an error (RFC 9113 section 6.9.1): the connection's goes to run() as
      // GOAWAY, a stream's resets that stream.
      if (streamId == 0) {
        sendWindows.connection().expand(increment);
      } else {
        Stream s = streams.get(streamId);
        if (s != null) {
          try {
            s.sendWindow.expand(increment);
          } catch (Http2Exception e) {
            streamError = e;
          }
        }
      }
      windowOpened.signalAll();
    } finally {
      flowLock.unlock();
    }
    if (streamError != null) {
      resetStream(streamId, streamError.errorCode());
    }
  }

  private void onPing(Http2FrameHeader raw, Http2Frame.Ping p) throws IOException {
    logFrame(raw, HexFormat.of().toHexDigits(p.opaqueData()));
    if (!p.ack()) {
      write(w -> w.writePing(true, p.opaqueData()));
    }
  }

  private void onPriority(Http2FrameHeader raw, Http2Frame.Priority p) {
    AkamaiFingerprint.Priority pr = priority(p.priority());
    logFrame(
        raw,
        "exclusive="
            + (pr.exclusive() ? 1 : 0)
            + ";depends_on="
            + pr.dependsOn()
            + ";weight="
            + pr.weight());
    log.priority(new AkamaiFingerprint.PriorityFrame(p.streamId(), pr));
  }

  private void onRstStream(Http2FrameHeader raw, Http2Frame.RstStream r) {
    logFrame(raw, "error=" + r.errorCode());
    Stream s = streams.get(r.streamId());
    if (s != null) {
      flowLock.lock();
      try {
        s.state.receiveReset();
        windowOpened.signalAll();
      } finally {
        flowLock.unlock();
      }
    }
  }

  /**
   * Moves the stream's state on for a client HEADERS or DATA frame. A frame after the client ended
   * the stream is a STREAM_CLOSED stream error (RFC 9113 section 5.1).
   *
   * @return whether the frame is for the stream (false after it was reset)
   */
  private boolean receive(Stream s, String frameType, boolean endStream) throws IOException {
    Http2Exception error;
    flowLock.lock();
    try {
      return s.state.receive(frameType, endStream);
    } catch (Http2Exception e) {
      error = e;
    } finally {
      flowLock.unlock();
    }
    resetStream(s.id, error.errorCode());
    return false;
  }

  private static AkamaiFingerprint.Priority priority(Http2Frame.PriorityFields p) {
    return new AkamaiFingerprint.Priority(p.exclusive(), p.streamDependency(), p.weight());
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  private void dispatch(Stream stream) {
    stream.dispatched = true;
    activeStreams.incrementAndGet();
    connection.requestStarted();
    runtime.spawn("testkit-h2-" + log.id() + "-" + stream.id, () -> respond(stream));
  }

  private void respond(Stream stream) {
    boolean counted = true;
    try {
      String method = "";
      String path = "";
      String authority = "";
      for (Header h : stream.headers) {
        switch (h.name()) {
          case ":method" -> method = h.value();
          case ":path" -> path = h.value();
          case ":authority" -> authority = h.value();
          default -> {
            // other fields are in the header list
          }
        }
      }
      TestRequest request =
          new TestRequest(
              log,
              HttpProtocol.HTTP_2,
              stream.id,
              method,
              path,
              authority,
              stream.headers,
              stream.body.toByteArray());
      ServerRuntime.Decision decision = runtime.decide(request);
      boolean head = method.equals("HEAD");
      if (decision.fault() == null) {
        writeResponse(stream, decision.response(), head, Integer.MAX_VALUE);
        return;
      }
      switch (decision.fault().kind()) {
        case STALL -> {
          while (!isClosed(stream) && !connection.awaitClosed(50)) {
            // Never answer; ends when the client resets the stream or the connection closes.
          }
        }
        case GOAWAY -> {
          // Leave this stream (and every later one) unprocessed; earlier ones may finish.
          int last = Math.max(0, stream.id - 2);
          goAwayLastStream = last;
          sendGoAway(last, Http2ErrorCode.NO_ERROR);
          counted = false;
          activeStreams.decrementAndGet();
          connection.requestFinished();
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GOAWAY_DRAIN_MILLIS);
          while (activeStreams.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          connection.close();
        }
        case RESET -> {
          writeResponse(stream, decision.response(), false, decision.fault().bytesBeforeReset());
          connection.reset();
        }
        default -> writeResponse(stream, decision.response(), head, Integer.MAX_VALUE);
      }
    } catch (IOException e) {
      // The connection went away under us: nothing left to answer.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.remove(stream.id);
      if (counted) {
        activeStreams.decrementAndGet();
        connection.requestFinished();
      }
    }
  }

  /** HEADERS, then DATA within the client's windows; at most {@code bodyLimit} body bytes. */
  private void writeResponse(Stream stream, TestResponse r, boolean head, int bodyLimit)
      throws IOException, InterruptedException {
    TestBody body = head ? TestBody.of(new byte[0]) : r.bodySource();
    long length = body.length();
    long end = Math.min(bodyLimit, length);
    boolean complete = end == length;
    List<Header> fields = new ArrayList<>();
    fields.add(new Header(":status", Integer.toString(r.status())));
    for (Header h : r.headers()) {
      fields.add(new Header(h.name().toLowerCase(Locale.ROOT), h.value()));
    }
    if (!head && body.declaresLength()) {
      fields.add(new Header("content-length", Long.toString(length)));
    }
    boolean endStream = length == 0 && complete;
    writeLock.lock();
    try {
      byte[] block = encoder.encode(fields);
      writer.writeHeaders(stream.id, block, endStream, Optional.empty());
      writer.flush();
    } finally {
      writeLock.unlock();
    }
    if (endStream) {
      sentEndStream(stream);
    }
    long off = 0;
    byte[] piece = new byte[0];
    while (off < end) {
      int n = acquireWindow(stream, (int) Math.min(end - off, peerMaxFrame));
      if (n == 0) {
        return; // stream reset or connection closed
      }
      if (piece.length < n) {
        piece = new byte[n];
      }
      // Generated a window's worth at a time, outside the write lock (it may block: a stall).
      body.fill(off, piece, 0, n);
      writeLock.lock();
      try {
        // The peer may have lowered its maximum frame size since the window was taken.
        for (int o = 0, max = writer.maxFrameSize(); o < n; o += max) {
          int len = Math.min(max, n - o);
          boolean last = complete && off + o + len == length;
          writer.writeData(stream.id, piece, o, len, last);
        }
        writer.flush();
      } finally {
        writeLock.unlock();
      }
      off += n;
    }
    if (complete && length > 0) {
      sentEndStream(stream);
    }
  }

  /** Our END_STREAM went out: the stream's state moves on, unless a reset closed it meanwhile. */
  private void sentEndStream(Stream stream) {
    flowLock.lock();
    try {
      if (stream.state.canSend()) {
        stream.state.sendEndStream();
      }
    } finally {
      flowLock.unlock();
    }
  }

  /** Up to {@code want} bytes of send window, blocking until some is open; 0 if the stream died. */
  private int acquireWindow(Stream stream, int want) throws InterruptedIOException {
    flowLock.lock();
    try {
      while (!closed && !stream.state.isClosed()) {
        int n = sendWindows.take(stream.sendWindow, want);
        if (n > 0) {
          return n;
        }
        try {
          windowOpened.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("server stopping");
        }
      }
      return 0;
    } finally {
      flowLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** One frame-writing step, run under the write lock. */
  @FunctionalInterface
  private interface FrameWrite {
    void writeTo(Http2FrameWriter writer) throws IOException;
  }

  /** Writes under the write lock and flushes. */
  private void write(FrameWrite step) throws IOException {
    writeLock.lock();
    try {
      step.writeTo(writer);
      writer.flush();
    } finally {
      writeLock.unlock();
    }
  }

  private void sendGoAway(int lastStreamId, Http2ErrorCode code) {
    try {
      write(w -> w.writeGoAway(lastStreamId, code, new byte[0]));
    } catch (IOException e) {
      // Best effort: the connection closes right after anyway.
    }
  }

  /** For the idle reaper: GOAWAY(NO_ERROR) then close, not waiting on a writer for long. */
  private void goAwayAndClose() {
    try {
      if (writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
        try {
          writer.writeGoAway(lastStreamSeen(), Http2ErrorCode.NO_ERROR, new byte[0]);
          writer.flush();
        } catch (IOException e) {
          // Closing anyway.
        } finally {
          writeLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }

  private int lastStreamSeen() {
    // Read without the reader's confinement: a stale value only makes the GOAWAY more lenient.
    return lastClientStream;
  }
}
