package dev.guise.pool.internal.http2;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.api.PoolAction;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackException;
import dev.guise.codec.http2.FlowWindow;
import dev.guise.codec.http2.HeaderBlockAssembler;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2Exception;
import dev.guise.codec.http2.Http2Frame;
import dev.guise.codec.http2.Http2FrameReader;
import dev.guise.codec.http2.Http2Setting;
import dev.guise.codec.io.InputStreams;
import dev.guise.codec.io.PooledBufferedInputStream;
import dev.guise.pool.config.ReaderThreads;
import dev.guise.pool.internal.exchange.HttpFailures;
import dev.guise.pool.internal.exchange.RequestTemplate;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The connection's reader thread: reads every frame the server sends and applies it to the
 * session's streams and windows under the state lock, then writes what the frame calls for (ACKs,
 * WINDOW_UPDATEs, RST_STREAMs) after releasing it. Its own fields are confined to the thread. The
 * rules are in {@code docs/concurrency.md}, "The HTTP/2 session".
 */
final class Http2Reader {
  /**
   * Control frames (SETTINGS, PING, empty DATA, PRIORITY, RST_STREAM on a closed stream) tolerated
   * between two real frames.
   */
  private static final int CONTROL_FLOOD_LIMIT = 10_000;

  /**
   * The socket's read timeout: a read never waits without a bound; on an open connection a tick
   * just reads on (see {@link TickingInput}), on a closing one it ends the reader.
   */
  private static final Duration READ_TICK = Duration.ofSeconds(5);

  private final Http2Connection session;
  private final ReaderThreads kind;
  private final String threadName;

  /**
   * The thread reading now. An adaptive reader hands the loop to a thread of the other kind between
   * two frames: it starts the next thread and then publishes it here, so {@link #isAlive} always
   * sees a live reader while the loop goes on.
   */
  private volatile Thread thread;

  // Reader thread only.
  private final TickingInput ticking;
  private final PooledBufferedInputStream in;
  private final HpackDecoder decoder;
  private final Http2FrameReader frameReader;
  private final HeaderBlockAssembler headerBlocks;
  private int controlFrames;
  private boolean peerSettingsSeen;

  Http2Reader(Http2Connection session, RequestTemplate template, ReaderThreads kind)
      throws IOException {
    this.kind = kind;
    this.session = session;
    int headerTableSize =
        (int)
            template
                .setting(Http2Setting.HEADER_TABLE_SIZE)
                .orElse(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE);
    long ownMaxHeaderListSize =
        template.setting(Http2Setting.MAX_HEADER_LIST_SIZE).orElse(256 * 1024);
    this.decoder = new HpackDecoder(headerTableSize, ownMaxHeaderListSize);
    int ownMaxFrameSize =
        (int)
            template
                .setting(Http2Setting.MAX_FRAME_SIZE)
                .orElse(Http2Connection.DEFAULT_MAX_FRAME_SIZE);
    // The buffer is borrowed only while decrypted bytes wait to be parsed: the reader of an idle
    // connection waits for the next frame with none (it reads straight into the frame header).
    this.ticking = new TickingInput(session.tls.input());
    this.in = new PooledBufferedInputStream(ticking, true);
    this.frameReader = new Http2FrameReader(in, ownMaxFrameSize);
    // A block far larger than the header list limit cannot decode to a list within it: stop
    // before buffering it (this is what ends an endless CONTINUATION sequence).
    this.headerBlocks =
        new HeaderBlockAssembler(
            (int) Math.min(Integer.MAX_VALUE - 1024, ownMaxHeaderListSize) + 1024);
    session.tls.setReadTimeout(READ_TICK);
    // A platform reader wakes from its read in the kernel and hands the response to the caller in
    // one step; a virtual one is woken by the JDK's poller and scheduled onto a carrier first,
    // which at one busy stream cost 35-45 % more CPU per request. An adaptive one starts virtual,
    // as a connection is idle until its first response (ReaderThreads).
    this.threadName = "guise-h2-reader " + session.endpoint;
    this.thread =
        (kind == ReaderThreads.PLATFORM ? platform() : virtual())
            .name(threadName)
            .unstarted(this::readLoop);
  }

  private static Thread.Builder platform() {
    return Thread.ofPlatform().daemon();
  }

  private static Thread.Builder virtual() {
    return Thread.ofVirtual();
  }

  /**
   * Goes on reading on a new thread of the other kind. True when it started: the caller's loop must
   * then return at once and touch none of the reader's fields after (the new thread owns them from
   * its start). False when no thread could be started (the system is out of threads): the caller
   * reads on where it is.
   */
  private boolean continueOn(Thread.Builder builder) {
    Thread next = builder.name(threadName).unstarted(this::readLoop);
    try {
      next.start();
    } catch (OutOfMemoryError noThread) {
      return false;
    }
    thread = next;
    return true;
  }

  void start() {
    thread.start();
  }

  boolean isAlive() {
    return thread.isAlive();
  }

  private void readLoop() {
    try {
      while (true) {
        Http2Frame frame;
        // An adaptive platform reader may give up its thread at the next quiet tick, but only
        // before the first byte of a frame: nothing of the frame is read yet.
        ticking.quietTickEnds =
            kind == ReaderThreads.ADAPTIVE
                && !Thread.currentThread().isVirtual()
                && in.buffered() == 0;
        try {
          frame = frameReader.readFrame();
        } catch (QuietTick quiet) {
          if (continueOn(virtual())) {
            return;
          }
          continue;
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
            throw new Http2ConnectionError(
                Http2ErrorCode.PROTOCOL_ERROR, "the server's preface is not a SETTINGS frame");
          }
          peerSettingsSeen = true;
        }
        if (frame instanceof Http2Frame.PushPromise) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR,
              "PUSH_PROMISE although we sent SETTINGS_ENABLE_PUSH=0");
        }
        HeaderBlockAssembler.HeaderBlock block = headerBlocks.accept(frame);
        if (block != null) {
          onHeaderBlock(block);
          if (kind == ReaderThreads.ADAPTIVE
              && Thread.currentThread().isVirtual()
              && session.activeStreams() > 0
              && continueOn(platform())) {
            return; // a response began: the connection is busy, read it on a platform thread
          }
        } else if (!(frame instanceof Http2Frame.Headers)
            && !(frame instanceof Http2Frame.Continuation)) {
          dispatch(frame);
        } else {
          controlFrames = 0;
        }
      }
    } catch (Http2ConnectionError e) {
      session.connectionError(e.failure, e.code);
    } catch (Http2Exception e) {
      session.connectionError(e, e.errorCode());
    } catch (ClassifiedIOException e) {
      session.connectionError(
          e, e.kind() == FailureKind.PROTOCOL_ERROR ? Http2ErrorCode.PROTOCOL_ERROR : null);
    } catch (EOFException e) {
      session.connectionError(
          HttpFailures.closed("the server closed the connection " + session.endpoint, e), null);
    } catch (IOException e) {
      session.connectionError(
          HttpFailures.reset("reading from " + session.endpoint + " failed: " + e.getMessage(), e),
          null);
    } catch (RuntimeException | Error e) {
      session.connectionError(
          HttpFailures.protocol("HTTP/2 reader failed: " + e, e), Http2ErrorCode.INTERNAL_ERROR);
    }
  }

  /**
   * A read tick that found the connection without streams while an adaptive platform reader waited
   * for the first byte of a frame: the reader moves to a virtual thread (nothing was read).
   */
  private static final class QuietTick extends IOException {
    QuietTick() {
      super("a quiet tick on a connection without streams");
    }
  }

  /**
   * The connection's input with the reader's periodic read timeout turned into "read on" while the
   * connection is open, so a frame split across a tick is never lost half-read. The one exception:
   * {@link #quietTickEnds}.
   */
  private final class TickingInput extends FilterInputStream {
    /**
     * Set by the reader before a frame when no byte of it is buffered; cleared by the first byte
     * read. While set, a tick on a connection without streams ends the read with {@link QuietTick}.
     * Reader thread only.
     */
    boolean quietTickEnds;

    TickingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      return InputStreams.readByte(this);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        try {
          int n = in.read(b, off, len);
          if (n > 0) {
            quietTickEnds = false;
          }
          return n;
        } catch (SocketTimeoutException tick) {
          if (session.isClosedOrBroken()) {
            throw tick;
          }
          if (quietTickEnds && session.activeStreams() == 0) {
            throw new QuietTick();
          }
        }
      }
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
      // Unknown frame types are ignored (RFC 9113 section 4.1); header frames went to the
      // assembler.
      default -> countControl();
    }
  }

  private void countControl() throws Http2ConnectionError {
    if (++controlFrames > CONTROL_FLOOD_LIMIT) {
      throw new Http2ConnectionError(
          Http2ErrorCode.ENHANCE_YOUR_CALM,
          "more than " + CONTROL_FLOOD_LIMIT + " control frames without a response frame");
    }
  }

  /**
   * Moves the stream's state on for a HEADERS or DATA frame. A frame after the server ended the
   * stream is a connection error here: a server that loses track of its streams cannot be trusted
   * with the others. Under lock.
   *
   * @return false for a frame on a stream we reset or gave up (ignored)
   */
  private static boolean receive(Http2Stream s, String frameType, boolean endStream)
      throws Http2ConnectionError {
    try {
      return s.state.receive(frameType, endStream);
    } catch (Http2Exception e) {
      throw new Http2ConnectionError(
          Http2ErrorCode.STREAM_CLOSED, frameType + " after END_STREAM on stream " + s.id);
    }
  }

  /**
   * A frame for a stream we do not track: fine if we closed it, an error if it never existed. Under
   * lock.
   */
  private void checkKnownStream(int streamId, String frame) throws Http2ConnectionError {
    if ((streamId & 1) == 0
        || streamId > session.highestStreamId
        || streamId < session.wire.firstStreamId()) {
      throw new Http2ConnectionError(
          Http2ErrorCode.PROTOCOL_ERROR,
          frame + " on stream " + streamId + ", which we never opened");
    }
  }

  /**
   * A stream error the frame reader found (bad PRIORITY length, zero WINDOW_UPDATE): reset that
   * stream.
   */
  private void onStreamError(Http2Exception e) {
    int streamId = e.streamId();
    boolean reset = false;
    session.lock.lock();
    try {
      Http2Stream s = session.streams.get(streamId);
      if (s != null && s.state.sendReset()) {
        session.fail(
            s,
            new ClassifiedIOException(
                FailureKind.PROTOCOL_ERROR,
                false,
                PoolAction.KEEP,
                e.getMessage() + " from " + session.endpoint,
                e));
        reset = true;
      }
    } finally {
      session.lock.unlock();
    }
    if (reset) {
      session.writer.writeControl(f -> f.writeRstStream(streamId, e.errorCode()));
    }
  }

  private void onHeaderBlock(HeaderBlockAssembler.HeaderBlock headerBlock) throws IOException {
    controlFrames = 0;
    int streamId = headerBlock.streamId();
    boolean endStream = headerBlock.endStream();
    List<Header> fields;
    ClassifiedIOException tooLarge = null;
    try {
      // Decoded whatever became of the stream, to keep HPACK in step.
      fields = decoder.decode(headerBlock.block());
    } catch (HpackException e) {
      if (e.kind() != FailureKind.RESPONSE_TOO_LARGE) {
        throw new Http2ConnectionError(Http2ErrorCode.COMPRESSION_ERROR, e);
      }
      fields = null;
      tooLarge = HttpFailures.tooLarge(e.getMessage(), PoolAction.KEEP);
    }
    boolean reset = false;
    session.lock.lock();
    try {
      Http2Stream s = session.streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "HEADERS");
        return; // a stream we reset
      }
      if (!receive(s, "HEADERS", endStream) || !s.wantsFrames()) {
        return;
      }
      if (tooLarge == null && Http2Messages.listSize(fields) > s.limits.maxHeaderListSize()) {
        tooLarge =
            HttpFailures.tooLarge(
                "response headers of stream "
                    + streamId
                    + " exceed the limit of "
                    + s.limits.maxHeaderListSize()
                    + " bytes",
                PoolAction.KEEP);
      }
      if (tooLarge != null) {
        session.fail(s, tooLarge);
        reset = s.state.sendReset();
      } else if (s.headers == null) {
        Http2Messages.ResponseHead head = Http2Messages.responseHead(streamId, fields, endStream);
        if (head == null && ++s.interimResponses > Http2Messages.MAX_INTERIM) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR,
              "more than "
                  + Http2Messages.MAX_INTERIM
                  + " interim responses on stream "
                  + streamId);
        }
        if (head != null) {
          s.status = head.status();
          s.headers = head.headers();
          if (endStream) {
            Http2Messages.checkContentLength(s);
            session.complete(s);
          } else if (s.streaming) {
            s.wake(); // the caller may start reading the body
          }
        }
      } else {
        Http2Messages.checkTrailers(streamId, fields, endStream);
        s.trailers = fields;
        Http2Messages.checkContentLength(s);
        session.complete(s);
      }
    } finally {
      session.lock.unlock();
    }
    if (reset) {
      session.writer.writeControl(f -> f.writeRstStream(streamId, Http2ErrorCode.CANCEL));
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
    int connectionUpdate;
    int streamUpdate = 0;
    boolean reset = false;
    session.lock.lock();
    try {
      // Counted whatever became of the stream: the server spent the window either way.
      session.connectionReceiveWindow.receive(flowLength);
      connectionUpdate = session.connectionReceiveWindow.updateDue();
      Http2Stream s = session.streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "DATA");
      } else if (receive(s, "DATA", endStream) && s.wantsFrames()) {
        if (s.headers == null) {
          throw new Http2ConnectionError(
              Http2ErrorCode.PROTOCOL_ERROR, "DATA before HEADERS on stream " + streamId);
        }
        s.receiveWindow.receive(flowLength);
        if (s.streaming) {
          streamUpdate = onStreamedData(s, data, endStream);
          reset = s.failure != null && s.state.sendReset();
        } else if (s.buffered + dataLength > s.maxRawBody) {
          if (s.limits.truncateBody()) {
            int keep = (int) Math.max(0, s.maxRawBody - s.buffered);
            s.keepBody(data, Math.min(keep, dataLength));
            // DATA already in flight keeps coming until our RST_STREAM lands; it is ignored.
            s.truncated = true;
            s.wake();
          } else {
            session.fail(
                s,
                HttpFailures.tooLarge(
                    "response body of stream "
                        + streamId
                        + " from "
                        + session.endpoint
                        + " exceeds the limit of "
                        + s.limits.maxBodyBytes()
                        + " bytes",
                    PoolAction.KEEP));
          }
          reset = s.state.sendReset();
        } else {
          s.keepBody(data, dataLength);
          s.received += dataLength;
          if (endStream) {
            Http2Messages.checkContentLength(s);
            session.complete(s);
          } else {
            streamUpdate = s.receiveWindow.updateDue();
          }
        }
      }
    } catch (Http2Exception e) {
      // An overrun of a receive window.
      throw new Http2ConnectionError(e.errorCode(), e.getMessage());
    } finally {
      session.lock.unlock();
    }
    if (connectionUpdate > 0 || streamUpdate > 0 || reset) {
      final int cu = connectionUpdate;
      final int su = streamUpdate;
      final boolean r = reset;
      session.writer.writeControl(
          f -> {
            if (cu > 0) {
              f.writeWindowUpdate(0, cu);
            }
            if (su > 0) {
              f.writeWindowUpdate(streamId, su);
            }
            if (r) {
              f.writeRstStream(streamId, Http2ErrorCode.CANCEL);
            }
          });
    }
  }

  /**
   * DATA for a streamed body: queued for the caller, who gives the window back as it reads (see
   * {@link Http2Stream#streamingUpdateDue}). Under lock.
   *
   * @return the stream WINDOW_UPDATE increment to send, or 0
   */
  private int onStreamedData(Http2Stream s, byte[] data, boolean endStream)
      throws Http2ConnectionError {
    s.received += data.length;
    if (s.received > s.maxRawBody) {
      session.fail(
          s,
          HttpFailures.tooLarge(
              "response body of stream "
                  + s.id
                  + " from "
                  + session.endpoint
                  + " exceeds the limit of "
                  + s.limits.maxBodyBytes()
                  + " bytes",
              PoolAction.KEEP));
      return 0;
    }
    if (data.length > 0) {
      // The frame reader made this array for this frame alone: queued as it is, not copied.
      s.chunks.add(data);
      s.buffered += data.length;
    }
    if (endStream) {
      Http2Messages.checkContentLength(s);
      session.complete(s);
      return 0;
    }
    s.wake();
    return s.streamingUpdateDue();
  }

  private void onRstStream(int streamId, int code) throws IOException {
    session.lock.lock();
    try {
      Http2Stream s = session.streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "RST_STREAM");
        // A reset of a stream already closed tells us nothing; a storm of them (each once reset
        // the flood counter) kept the reader busy forever while no response came.
        countControl();
        return;
      }
      controlFrames = 0;
      boolean wasComplete = s.responded;
      // The stream is closed: no RST_STREAM from us any more.
      s.state.receiveReset();
      if (wasComplete && code == Http2ErrorCode.NO_ERROR.code()) {
        return; // RFC 9113 section 8.1: the response is complete, the server wants no more body
      }
      if (!s.wantsFrames() || wasComplete) {
        return;
      }
      String message =
          "server reset stream "
              + streamId
              + " on "
              + session.endpoint
              + " with "
              + errorName(code);
      ClassifiedIOException failure =
          switch (Http2ErrorCode.of(code)) {
            case REFUSED_STREAM -> HttpFailures.notProcessed(message, PoolAction.KEEP);
            case PROTOCOL_ERROR,
                COMPRESSION_ERROR,
                FLOW_CONTROL_ERROR,
                FRAME_SIZE_ERROR,
                STREAM_CLOSED ->
                new ClassifiedIOException(
                    FailureKind.PROTOCOL_ERROR, false, PoolAction.KEEP, message, null);
            default ->
                new ClassifiedIOException(
                    FailureKind.CONNECTION_RESET, true, PoolAction.KEEP, message, null);
          };
      session.fail(s, failure);
    } finally {
      session.lock.unlock();
    }
  }

  /** The frame reader has checked each value's range (RFC 9113 section 6.5.2). */
  private void onSettings(Http2Frame.Settings settings) throws IOException {
    countControl();
    if (settings.ack()) {
      return;
    }
    int headerTableSize = -1;
    int frameSize;
    session.lock.lock();
    try {
      if (!session.peerSettingsApplied) {
        session.peerSettingsApplied = true;
        session.peerMaxConcurrentStreams = Http2Connection.ASSUMED_MAX_CONCURRENT_STREAMS;
        session.slotFreed.signalAll();
      }
      for (Http2Setting setting : settings.settings()) {
        long value = setting.value();
        switch (setting.id()) {
          case Http2Setting.HEADER_TABLE_SIZE ->
              headerTableSize = (int) Math.min(value, Integer.MAX_VALUE);
          case Http2Setting.MAX_CONCURRENT_STREAMS -> {
            session.peerMaxConcurrentStreams = (int) Math.min(value, Integer.MAX_VALUE);
            session.slotFreed.signalAll();
          }
          case Http2Setting.INITIAL_WINDOW_SIZE -> {
            List<FlowWindow> open = new ArrayList<>(session.streams.size());
            for (Http2Stream s : session.streams.values()) {
              open.add(s.sendWindow);
            }
            session.sendWindows.initialStreamWindowChanged(value, open);
            session.windowOpened.signalAll();
          }
          case Http2Setting.MAX_FRAME_SIZE -> session.peerMaxFrameSize = (int) value;
          default -> {
            // ENABLE_PUSH was range-checked; MAX_HEADER_LIST_SIZE is advisory; unknown settings
            // are ignored (RFC 9113 section 6.5.2)
          }
        }
      }
      frameSize = session.peerMaxFrameSize;
    } finally {
      session.lock.unlock();
    }
    final int tableSize = headerTableSize;
    session.writer.writeControl(
        f -> {
          // Under the write lock, so no block is encoded between the new size and the ACK.
          if (tableSize >= 0) {
            session.writer.encoder().setPeerHeaderTableSize(tableSize);
          }
          f.setMaxFrameSize(frameSize);
          f.writeSettingsAck();
        });
  }

  private void onPing(Http2Frame.Ping ping) throws IOException {
    if (ping.ack()) {
      long payload = ping.opaqueData();
      CompletableFuture<Long> waiting;
      session.lock.lock();
      try {
        waiting = session.pings.remove(payload);
      } finally {
        session.lock.unlock();
      }
      if (waiting != null) {
        waiting.complete(payload);
      }
      return;
    }
    countControl();
    session.writer.writeControl(f -> f.writePing(true, ping.opaqueData()));
  }

  private void onGoAway(Http2Frame.GoAway goAway) {
    int lastStreamId = goAway.lastStreamId();
    int code = goAway.errorCode();
    session.lock.lock();
    try {
      session.goAwayReceived = true;
      session.goAwayLastStreamId = Math.min(session.goAwayLastStreamId, lastStreamId);
      for (Http2Stream s : session.streams.values()) {
        if (s.id > session.goAwayLastStreamId && s.failure == null && !s.responded) {
          session.fail(
              s,
              HttpFailures.notProcessed(
                  "server sent GOAWAY ("
                      + errorName(code)
                      + ", last stream "
                      + lastStreamId
                      + ") before processing stream "
                      + s.id
                      + " on "
                      + session.endpoint));
          // The server will not answer it: nothing to reset.
          s.state.abandon();
        }
      }
      session.slotFreed.signalAll();
      session.closeIfDrained();
    } finally {
      session.lock.unlock();
    }
  }

  /** The frame reader has rejected zero increments (a connection or stream error of its own). */
  private void onWindowUpdate(int streamId, long increment) throws IOException {
    boolean reset = false;
    session.lock.lock();
    try {
      if (streamId == 0) {
        session.sendWindows.connection().expand(increment);
        session.windowOpened.signalAll();
        return;
      }
      Http2Stream s = session.streams.get(streamId);
      if (s == null) {
        checkKnownStream(streamId, "WINDOW_UPDATE");
        return;
      }
      try {
        s.sendWindow.expand(increment);
      } catch (Http2Exception e) {
        session.fail(
            s,
            new ClassifiedIOException(
                FailureKind.PROTOCOL_ERROR,
                false,
                PoolAction.KEEP,
                "bad WINDOW_UPDATE (" + increment + ") on stream " + streamId,
                null));
        reset = s.state.sendReset();
      }
      session.windowOpened.signalAll();
    } finally {
      session.lock.unlock();
    }
    if (reset) {
      session.writer.writeControl(
          f -> f.writeRstStream(streamId, Http2ErrorCode.FLOW_CONTROL_ERROR));
    }
  }

  /** The code's name, or its hex value when RFC 9113 does not define it. */
  private static String errorName(int code) {
    Http2ErrorCode known = Http2ErrorCode.of(code);
    return known.code() == code ? known.name() : "0x" + Integer.toHexString(code);
  }
}
