package dev.guise.testkit.internal;

import static dev.guise.testkit.internal.Http2Wire.*;

import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.fingerprint.AkamaiFingerprint;
import dev.guise.testkit.Http2FrameRecord;
import dev.guise.testkit.Http2HeadersRecord;
import dev.guise.testkit.RequestRecord;
import dev.guise.testkit.TestRequest;
import dev.guise.testkit.TestResponse;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>One reader thread (the connection's) reads and logs every client frame; each request runs on
 * its own virtual thread. Writes are serialised by {@link #writeLock} (HPACK state must change in
 * the order blocks hit the wire); send windows are guarded by {@link #flowLock}, a separate lock
 * so that a writer blocked on TCP never stops the reader from crediting windows.
 */
final class Http2Session {
  private static final int DEFAULT_WINDOW = 65_535;
  private static final int DEFAULT_MAX_FRAME = 16_384;
  private static final long GOAWAY_DRAIN_MILLIS = 5_000;

  private final ServerEngine engine;
  private final LiveConnection connection;
  private final ConnectionLog log;
  private final DataInputStream in;
  private final OutputStream out;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock flowLock = new ReentrantLock();
  private final Condition windowOpened = flowLock.newCondition();
  private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicInteger activeStreams = new AtomicInteger();
  private final HpackDecoder decoder;
  private final HpackEncoder encoder = new HpackEncoder();
  private final int ourMaxFrame;
  private final int maxConcurrentStreams;

  // Guarded by flowLock.
  private long connectionSendWindow = DEFAULT_WINDOW;
  private int peerInitialWindow = DEFAULT_WINDOW;
  private volatile int peerMaxFrame = DEFAULT_MAX_FRAME;

  /** Streams above this are ignored once we sent GOAWAY; MAX_VALUE until then. */
  private volatile int goAwayLastStream = Integer.MAX_VALUE;

  private volatile boolean closed;
  // Reader thread only.
  private volatile int lastClientStream;
  private PendingHeaders pending;

  private static final class Stream {
    final int id;
    final List<Header> headers;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    long sendWindow; // guarded by flowLock
    volatile boolean reset;
    boolean dispatched;

    Stream(int id, List<Header> headers, long sendWindow) {
      this.id = id;
      this.headers = headers;
      this.sendWindow = sendWindow;
    }
  }

  /** A HEADERS frame waiting for its CONTINUATIONs. */
  private static final class PendingHeaders {
    final int streamId;
    final int flags;
    final int length;
    final AkamaiFingerprint.Priority priority;
    final ByteArrayOutputStream block = new ByteArrayOutputStream();
    final List<int[]> continuations = new ArrayList<>(); // {flags, length}

    PendingHeaders(int streamId, int flags, int length, AkamaiFingerprint.Priority priority) {
      this.streamId = streamId;
      this.flags = flags;
      this.length = length;
      this.priority = priority;
    }
  }

  /** A connection error: GOAWAY with this code, then close. */
  private static final class ConnectionError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    ConnectionError(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  Http2Session(ServerEngine engine, LiveConnection connection, SSLSocket tls) throws IOException {
    this.engine = engine;
    this.connection = connection;
    this.log = connection.log;
    this.in = new DataInputStream(new java.io.BufferedInputStream(tls.getInputStream(), 16 * 1024));
    this.out = new BufferedOutputStream(tls.getOutputStream(), 16 * 1024);
    ServerConfig config = engine.config();
    this.decoder =
        new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, config.maxHeaderBytes());
    this.ourMaxFrame = config.http2Setting(5, DEFAULT_MAX_FRAME);
    this.maxConcurrentStreams = config.http2Setting(3, Integer.MAX_VALUE);
  }

  void run() throws IOException {
    connection.gracefulClose = this::goAwayAndClose;
    try {
      byte[] preface = new byte[PREFACE.length];
      try {
        in.readFully(preface);
      } catch (EOFException e) {
        log.failure("EOF before the HTTP/2 preface");
        return;
      }
      if (!Arrays.equals(preface, PREFACE)) {
        log.failure("bad HTTP/2 preface: " + HexFormat.of().formatHex(preface));
        return;
      }
      List<int[]> settings = engine.config().http2Settings();
      int[][] table = settings.toArray(int[][]::new);
      write(SETTINGS, 0, 0, settingsPayload(table));
      try {
        readLoop();
      } catch (ConnectionError e) {
        log.failure("HTTP/2 connection error " + e.code + ": " + e.getMessage());
        sendGoAway(lastClientStream, e.code);
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

  private void readLoop() throws IOException, ConnectionError {
    byte[] header = new byte[9];
    while (true) {
      try {
        in.readFully(header);
      } catch (EOFException e) {
        return;
      }
      int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
      int type = header[3] & 0xff;
      int flags = header[4] & 0xff;
      int streamId = getInt(header, 5) & 0x7fffffff;
      if (length > ourMaxFrame) {
        throw new ConnectionError(FRAME_SIZE_ERROR, "frame of " + length + " bytes");
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      connection.touch();
      if (pending != null && (type != CONTINUATION || streamId != pending.streamId)) {
        throw new ConnectionError(PROTOCOL_ERROR, "header block interrupted by " + typeName(type));
      }
      switch (type) {
        case HEADERS -> onHeaders(flags, streamId, payload);
        case CONTINUATION -> onContinuation(flags, streamId, payload);
        case DATA -> onData(flags, streamId, payload);
        case SETTINGS -> onSettings(flags, streamId, payload);
        case WINDOW_UPDATE -> onWindowUpdate(flags, streamId, payload);
        case PING -> onPing(flags, streamId, payload);
        case PRIORITY -> onPriority(flags, streamId, payload);
        case RST_STREAM -> onRstStream(flags, streamId, payload);
        case GOAWAY -> {
          String detail =
              length >= 8
                  ? "last_stream=" + (getInt(payload, 0) & 0x7fffffff) + ";error=" + getInt(payload, 4)
                  : "";
          logFrame(type, flags, streamId, length, detail);
        }
        case PUSH_PROMISE -> {
          logFrame(type, flags, streamId, length, "");
          throw new ConnectionError(PROTOCOL_ERROR, "PUSH_PROMISE from a client");
        }
        default -> logFrame(type, flags, streamId, length, "");
      }
    }
  }

  private void logFrame(int type, int flags, int streamId, int length, String detail) {
    log.frame(new Http2FrameRecord(type, typeName(type), flags, streamId, length, detail));
  }

  // ---------------------------------------------------------------------------------------------
  // Client frames

  private void onHeaders(int flags, int streamId, byte[] p) throws IOException, ConnectionError {
    int off = 0;
    int end = p.length;
    if ((flags & FLAG_PADDED) != 0) {
      if (p.length < 1) {
        throw new ConnectionError(PROTOCOL_ERROR, "padded HEADERS without pad length");
      }
      off = 1;
      end -= p[0] & 0xff;
    }
    AkamaiFingerprint.Priority priority = null;
    if ((flags & FLAG_PRIORITY) != 0) {
      if (end - off < 5) {
        throw new ConnectionError(PROTOCOL_ERROR, "HEADERS too short for its priority");
      }
      priority = priority(p, off);
      off += 5;
    }
    if (end < off || streamId == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "bad HEADERS frame");
    }
    pending = new PendingHeaders(streamId, flags, p.length, priority);
    pending.block.write(p, off, end - off);
    if ((flags & FLAG_END_HEADERS) != 0) {
      completeHeaders();
    }
  }

  private void onContinuation(int flags, int streamId, byte[] p) throws IOException, ConnectionError {
    if (pending == null) {
      logFrame(CONTINUATION, flags, streamId, p.length, "");
      throw new ConnectionError(PROTOCOL_ERROR, "CONTINUATION without HEADERS");
    }
    if (pending.block.size() + p.length > engine.config().maxHeaderBytes()) {
      throw new ConnectionError(ENHANCE_YOUR_CALM, "header block too large");
    }
    pending.block.write(p);
    pending.continuations.add(new int[] {flags, p.length});
    if ((flags & FLAG_END_HEADERS) != 0) {
      completeHeaders();
    }
  }

  private void completeHeaders() throws IOException, ConnectionError {
    PendingHeaders h = pending;
    pending = null;
    List<Header> headers;
    try {
      headers = decoder.decode(h.block.toByteArray());
    } catch (HpackException e) {
      logFrame(HEADERS, h.flags, h.streamId, h.length, "undecodable: " + e.getMessage());
      throw new ConnectionError(9, "HPACK: " + e.getMessage()); // COMPRESSION_ERROR
    }
    String priorityText =
        h.priority == null
            ? ""
            : "priority=" + (h.priority.exclusive() ? 1 : 0) + ":" + h.priority.dependsOn() + ":"
                + h.priority.weight() + ";";
    logFrame(HEADERS, h.flags, h.streamId, h.length, priorityText + "headers=" + headers);
    for (int[] c : h.continuations) {
      logFrame(CONTINUATION, c[0], h.streamId, c[1], "");
    }
    boolean endStream = (h.flags & FLAG_END_STREAM) != 0;
    Stream existing = streams.get(h.streamId);
    if (existing != null) {
      // Trailers: nothing to answer yet; they end the request body.
      if (endStream && !existing.dispatched) {
        dispatch(existing);
      }
      return;
    }
    if (h.streamId % 2 == 0 || h.streamId <= lastClientStream) {
      throw new ConnectionError(PROTOCOL_ERROR, "bad client stream id " + h.streamId);
    }
    lastClientStream = h.streamId;
    log.headers(
        new Http2HeadersRecord(h.streamId, h.flags, Optional.ofNullable(h.priority), headers));
    log.request(new RequestRecord(HttpProtocol.HTTP_2, h.streamId, "", headers));
    if (h.streamId > goAwayLastStream) {
      return; // after our GOAWAY: ignored, the client retries it elsewhere
    }
    if (activeStreams.get() >= maxConcurrentStreams) {
      write(RST_STREAM, 0, h.streamId, intPayload(REFUSED_STREAM));
      return;
    }
    long window;
    flowLock.lock();
    try {
      window = peerInitialWindow;
    } finally {
      flowLock.unlock();
    }
    Stream stream = new Stream(h.streamId, headers, window);
    streams.put(h.streamId, stream);
    if (endStream) {
      dispatch(stream);
    }
  }

  private void onData(int flags, int streamId, byte[] p) throws IOException, ConnectionError {
    logFrame(DATA, flags, streamId, p.length, "");
    if (streamId == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "DATA on stream 0");
    }
    int off = 0;
    int end = p.length;
    if ((flags & FLAG_PADDED) != 0) {
      if (p.length < 1 || (p[0] & 0xff) >= p.length) {
        throw new ConnectionError(PROTOCOL_ERROR, "bad DATA padding");
      }
      off = 1;
      end -= p[0] & 0xff;
    }
    boolean endStream = (flags & FLAG_END_STREAM) != 0;
    // Credit what the client spent at once: tests want data to flow, not receive-side pressure.
    if (p.length > 0) {
      write(WINDOW_UPDATE, 0, 0, intPayload(p.length));
    }
    Stream stream = streams.get(streamId);
    if (stream == null || stream.dispatched) {
      return; // refused, ignored after GOAWAY, or already answered: nothing to collect
    }
    if (p.length > 0 && !endStream) {
      write(WINDOW_UPDATE, 0, streamId, intPayload(p.length));
    }
    if (stream.body.size() + (end - off) > engine.config().maxBodyBytes()) {
      streams.remove(streamId);
      write(RST_STREAM, 0, streamId, intPayload(ENHANCE_YOUR_CALM));
      return;
    }
    stream.body.write(p, off, end - off);
    if (endStream) {
      dispatch(stream);
    }
  }

  private void onSettings(int flags, int streamId, byte[] p) throws IOException, ConnectionError {
    if ((flags & FLAG_ACK) != 0) {
      logFrame(SETTINGS, flags, streamId, p.length, "ACK");
      return;
    }
    if (p.length % 6 != 0 || streamId != 0) {
      logFrame(SETTINGS, flags, streamId, p.length, "");
      throw new ConnectionError(FRAME_SIZE_ERROR, "bad SETTINGS frame");
    }
    List<AkamaiFingerprint.Http2Setting> settings = new ArrayList<>();
    StringBuilder detail = new StringBuilder();
    for (int i = 0; i < p.length; i += 6) {
      int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
      long value = getInt(p, i + 2) & 0xffffffffL;
      settings.add(new AkamaiFingerprint.Http2Setting(id, value));
      if (detail.length() > 0) {
        detail.append(';');
      }
      detail.append(id).append(':').append(value);
    }
    logFrame(SETTINGS, flags, streamId, p.length, detail.toString());
    log.settings(settings);
    for (AkamaiFingerprint.Http2Setting s : settings) {
      switch (s.id()) {
        case 1 -> {
          writeLock.lock();
          try {
            encoder.setPeerHeaderTableSize((int) Math.min(s.value(), Integer.MAX_VALUE));
          } finally {
            writeLock.unlock();
          }
        }
        case 4 -> {
          if (s.value() > 0x7fffffffL) {
            throw new ConnectionError(FLOW_CONTROL_ERROR, "INITIAL_WINDOW_SIZE too large");
          }
          flowLock.lock();
          try {
            long delta = s.value() - peerInitialWindow;
            peerInitialWindow = (int) s.value();
            for (Stream st : streams.values()) {
              st.sendWindow += delta;
            }
            windowOpened.signalAll();
          } finally {
            flowLock.unlock();
          }
        }
        case 5 -> {
          if (s.value() < DEFAULT_MAX_FRAME || s.value() > 16_777_215) {
            throw new ConnectionError(PROTOCOL_ERROR, "bad MAX_FRAME_SIZE " + s.value());
          }
          peerMaxFrame = (int) s.value();
        }
        default -> {
          // Not needed by the server; recorded above.
        }
      }
    }
    write(SETTINGS, FLAG_ACK, 0, new byte[0]);
  }

  private void onWindowUpdate(int flags, int streamId, byte[] p) throws ConnectionError {
    if (p.length != 4) {
      logFrame(WINDOW_UPDATE, flags, streamId, p.length, "");
      throw new ConnectionError(FRAME_SIZE_ERROR, "WINDOW_UPDATE of " + p.length + " bytes");
    }
    long increment = getInt(p, 0) & 0x7fffffffL;
    logFrame(WINDOW_UPDATE, flags, streamId, p.length, "increment=" + increment);
    log.windowUpdate(streamId, increment);
    flowLock.lock();
    try {
      if (streamId == 0) {
        connectionSendWindow += increment;
      } else {
        Stream s = streams.get(streamId);
        if (s != null) {
          s.sendWindow += increment;
        }
      }
      windowOpened.signalAll();
    } finally {
      flowLock.unlock();
    }
  }

  private void onPing(int flags, int streamId, byte[] p) throws IOException, ConnectionError {
    logFrame(PING, flags, streamId, p.length, HexFormat.of().formatHex(p));
    if (p.length != 8) {
      throw new ConnectionError(FRAME_SIZE_ERROR, "PING of " + p.length + " bytes");
    }
    if ((flags & FLAG_ACK) == 0) {
      write(PING, FLAG_ACK, 0, p);
    }
  }

  private void onPriority(int flags, int streamId, byte[] p) throws ConnectionError {
    if (p.length != 5) {
      logFrame(PRIORITY, flags, streamId, p.length, "");
      throw new ConnectionError(FRAME_SIZE_ERROR, "PRIORITY of " + p.length + " bytes");
    }
    AkamaiFingerprint.Priority pr = priority(p, 0);
    logFrame(
        PRIORITY,
        flags,
        streamId,
        p.length,
        "exclusive=" + (pr.exclusive() ? 1 : 0) + ";depends_on=" + pr.dependsOn() + ";weight="
            + pr.weight());
    if (streamId == 0) {
      throw new ConnectionError(PROTOCOL_ERROR, "PRIORITY on stream 0");
    }
    log.priority(new AkamaiFingerprint.PriorityFrame(streamId, pr));
  }

  private void onRstStream(int flags, int streamId, byte[] p) throws ConnectionError {
    logFrame(RST_STREAM, flags, streamId, p.length, p.length == 4 ? "error=" + getInt(p, 0) : "");
    if (p.length != 4) {
      throw new ConnectionError(FRAME_SIZE_ERROR, "RST_STREAM of " + p.length + " bytes");
    }
    Stream s = streams.get(streamId);
    if (s != null) {
      s.reset = true;
      flowLock.lock();
      try {
        windowOpened.signalAll();
      } finally {
        flowLock.unlock();
      }
    }
  }

  private static AkamaiFingerprint.Priority priority(byte[] p, int off) {
    int dep = getInt(p, off);
    return new AkamaiFingerprint.Priority(dep < 0, dep & 0x7fffffff, (p[off + 4] & 0xff) + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  private void dispatch(Stream stream) {
    stream.dispatched = true;
    activeStreams.incrementAndGet();
    connection.requestStarted();
    engine.spawn("testkit-h2-" + log.id() + "-" + stream.id, () -> respond(stream));
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
      ServerEngine.Decision decision = engine.decide(request);
      boolean head = method.equals("HEAD");
      if (decision.fault() == null) {
        writeResponse(stream, decision.response(), head, Integer.MAX_VALUE);
        return;
      }
      switch (decision.fault().kind()) {
        case STALL -> {
          while (!stream.reset && !connection.awaitClosed(50)) {
            // Never answer; ends when the client resets the stream or the connection closes.
          }
        }
        case GOAWAY -> {
          // Leave this stream (and every later one) unprocessed; earlier ones may finish.
          int last = Math.max(0, stream.id - 2);
          goAwayLastStream = last;
          sendGoAway(last, NO_ERROR);
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
    byte[] body = head ? new byte[0] : r.body();
    int end = Math.min(bodyLimit, body.length);
    boolean complete = end == body.length;
    List<Header> fields = new ArrayList<>();
    fields.add(new Header(":status", Integer.toString(r.status())));
    for (Header h : r.headers()) {
      fields.add(new Header(h.name().toLowerCase(Locale.ROOT), h.value()));
    }
    if (!head) {
      fields.add(new Header("content-length", Integer.toString(body.length)));
    }
    writeLock.lock();
    try {
      byte[] block = encoder.encode(fields);
      int max = peerMaxFrame;
      int first = Math.min(block.length, max);
      boolean endStream = body.length == 0 && complete;
      int flags = (first == block.length ? FLAG_END_HEADERS : 0) | (endStream ? FLAG_END_STREAM : 0);
      writeFrame(out, HEADERS, flags, stream.id, block, 0, first);
      for (int off = first; off < block.length; off += max) {
        int n = Math.min(max, block.length - off);
        writeFrame(out, CONTINUATION, off + n == block.length ? FLAG_END_HEADERS : 0, stream.id,
            block, off, n);
      }
      out.flush();
    } finally {
      writeLock.unlock();
    }
    int off = 0;
    while (off < end) {
      int n = acquireWindow(stream, Math.min(end - off, peerMaxFrame));
      if (n == 0) {
        return; // stream reset or connection closed
      }
      boolean last = complete && off + n == body.length;
      writeLock.lock();
      try {
        writeFrame(out, DATA, last ? FLAG_END_STREAM : 0, stream.id, body, off, n);
        out.flush();
      } finally {
        writeLock.unlock();
      }
      off += n;
    }
  }

  /** Up to {@code want} bytes of send window, blocking until some is open; 0 if the stream died. */
  private int acquireWindow(Stream stream, int want) throws InterruptedIOException {
    flowLock.lock();
    try {
      while (!closed && !stream.reset && (connectionSendWindow <= 0 || stream.sendWindow <= 0)) {
        try {
          windowOpened.await(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("server stopping");
        }
      }
      if (closed || stream.reset) {
        return 0;
      }
      int n = (int) Math.min(want, Math.min(connectionSendWindow, stream.sendWindow));
      connectionSendWindow -= n;
      stream.sendWindow -= n;
      return n;
    } finally {
      flowLock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  private void write(int type, int flags, int streamId, byte[] payload) throws IOException {
    writeLock.lock();
    try {
      writeFrame(out, type, flags, streamId, payload);
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  private void sendGoAway(int lastStreamId, int errorCode) {
    try {
      write(GOAWAY, 0, 0, goAwayPayload(lastStreamId, errorCode));
    } catch (IOException e) {
      // Best effort: the connection closes right after anyway.
    }
  }

  /** For the idle reaper: GOAWAY(NO_ERROR) then close, not waiting on a writer for long. */
  private void goAwayAndClose() {
    try {
      if (writeLock.tryLock(100, TimeUnit.MILLISECONDS)) {
        try {
          writeFrame(out, GOAWAY, 0, 0, goAwayPayload(lastStreamSeen(), NO_ERROR));
          out.flush();
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
