package dev.guise.pool.internal.http2;

import static dev.guise.pool.internal.exchange.HttpFailures.remaining;

import dev.guise.api.TlsEndpoint;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.codec.http2.Http2ErrorCode;
import dev.guise.codec.http2.Http2FrameWriter;
import dev.guise.codec.io.DeadlineGuard;
import dev.guise.fingerprint.HeaderCompression;
import dev.guise.pool.internal.exchange.HttpFailures;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connection's only way to the socket: the write lock, the frame batch, the HPACK encoder (its
 * table must change in the order blocks reach the wire), the shared flush of requests that find
 * others in flight, and the deadline guard that ends a write the peer stopped reading.
 *
 * <p>A lock rather than a writer queue: with 64 callers the lock hands the socket straight to the
 * next writer (no hop to a writer thread and back, no queue wake-ups), and a virtual thread parks
 * cheaply on it. The session never takes this lock while it holds its state lock. The rules are in
 * {@code docs/concurrency.md}, "The HTTP/2 session".
 */
final class Http2Writer {
  /** Up to this many bytes of frames may wait in the batch for the next write (one TLS record). */
  private static final int DEFERRED_BATCH_LIMIT = 8 * 1024;

  /** How the session reacts when writing fails; called without the write lock held. */
  interface Failures {
    /** A write failed with {@code e}: break the connection; returns what the caller throws. */
    IOException writeFailed(IOException e);

    /** The connection cannot be written to any more (stalled write, lock not had in time). */
    void unwritable(IOException failure);
  }

  /** One step of frames written under the write lock. */
  @FunctionalInterface
  interface FrameWrite {
    void into(Http2FrameWriter frames) throws IOException;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final TlsEndpoint endpoint;
  private final Duration controlWriteTimeout;
  private final Failures failures;

  // Guarded by lock.
  /** Gathers each write's frames into one batch, so they leave in one TLS write. */
  private final Http2FrameWriter frames;

  private final HpackEncoder encoder;

  /** A {@link #flushKept} thread is started and has not yet taken the lock. */
  private boolean flushScheduled;

  /** What a write's deadline guard closes: it fails the connection, off the timer's thread. */
  private final Closeable stalled;

  Http2Writer(
      OutputStream out,
      int maxFrameSize,
      TlsEndpoint endpoint,
      Duration controlWriteTimeout,
      HeaderCompression compression,
      Failures failures) {
    this.encoder = encoder(compression);
    this.frames = new Http2FrameWriter(out, maxFrameSize);
    this.endpoint = endpoint;
    this.controlWriteTimeout = controlWriteTimeout;
    this.failures = failures;
    // Ending the connection may itself block on the stuck write's TLS lock: never on the timer.
    this.stalled =
        () ->
            Thread.ofVirtual()
                .start(
                    () ->
                        failures.unwritable(
                            HttpFailures.deadline(
                                "a write to "
                                    + endpoint
                                    + " blocked past its deadline (the peer stopped reading)")));
  }

  /** An encoder with the browser's HPACK habits, as the session captures show them. */
  private static HpackEncoder encoder(HeaderCompression compression) {
    Set<String> without = compression.withoutIndexing();
    Set<String> never = compression.neverIndexed();
    HpackEncoder.IndexingPolicy policy =
        (name, value) ->
            never.contains(name)
                ? HpackEncoder.Indexing.NEVER_INDEXED
                : without.contains(name)
                    ? HpackEncoder.Indexing.WITHOUT_INDEXING
                    : HpackEncoder.Indexing.INCREMENTAL;
    return new HpackEncoder(
        HpackDecoder.DEFAULT_HEADER_TABLE_SIZE,
        policy,
        switch (compression.huffman()) {
          case WHEN_SHORTER -> HpackEncoder.HuffmanPolicy.WHEN_SHORTER;
          case WHEN_NOT_LONGER -> HpackEncoder.HuffmanPolicy.WHEN_NOT_LONGER;
        },
        switch (compression.nameReference()) {
          case STATIC_THEN_NEWEST_DYNAMIC -> HpackEncoder.NameReference.STATIC_THEN_NEWEST_DYNAMIC;
          case HIGHEST_INDEX -> HpackEncoder.NameReference.HIGHEST_INDEX;
        });
  }

  /**
   * Takes the write lock by the deadline and starts a batch after the frames earlier requests kept
   * for the next write (see {@link #flushKept}); whatever a failed holder left half-built never
   * reaches the wire. The caller writes its frames, calls {@link #write}, then {@link #release}.
   */
  void acquire(long deadlineNanos) throws IOException {
    try {
      if (!lock.tryLock(Math.max(0, remaining(deadlineNanos)), TimeUnit.NANOSECONDS)) {
        throw HttpFailures.deadline("could not write to " + endpoint + " before the deadline");
      }
      frames.discardBatch();
      frames.beginBatch();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpFailures.cancelled("interrupted waiting to write");
    }
  }

  void release() {
    lock.unlock();
  }

  /** The frame writer. Under the write lock. */
  Http2FrameWriter frames() {
    return frames;
  }

  /** The HPACK encoder. Under the write lock. */
  HpackEncoder encoder() {
    return encoder;
  }

  /**
   * Writes the batch; a {@link DeadlineGuard} fails the connection if the write blocks past the
   * deadline. Only a write arms one: an idle connection has nothing on the timer. Under the write
   * lock.
   */
  void write(long deadlineNanos) throws IOException {
    try (DeadlineGuard guard = DeadlineGuard.closeAt(deadlineNanos, stalled)) {
      frames.flush();
    }
  }

  /**
   * Leaves the batch (a request's HEADERS) for the next write when other streams are in flight and
   * the batch is small, and makes sure a write follows. Under the write lock.
   *
   * @return whether the batch was kept; when not, the caller writes it now
   */
  boolean keepForSharedWrite(int streamsInFlight) {
    if (streamsInFlight <= 1 || frames.batchedBytes() > DEFERRED_BATCH_LIMIT) {
      return false;
    }
    frames.keepBatch();
    if (!flushScheduled) {
      flushScheduled = true;
      Thread.ofVirtual().name("guise-h2-flush").start(this::flushKept);
    }
    return true;
  }

  /**
   * Sends the HEADERS that requests left in the batch (see {@link #keepForSharedWrite}). Runs on a
   * virtual thread started by the first of them, so it runs after the callers already waiting to
   * run: when the reader has just woken many callers, each adds its next request to the batch and
   * this sends them all in one TLS record and one socket write. With every request writing its own,
   * a third of the client's CPU at 64 callers went to {@code write}. Any other write that takes the
   * lock first sends them too.
   */
  private void flushKept() {
    // Adds nothing: the kept frames are the batch, and the write sends them (or nothing, if
    // another write sent them first).
    writeControl(f -> flushScheduled = false);
  }

  /**
   * Writes frames of the connection's own (ACKs, WINDOW_UPDATEs, RST_STREAMs) from the reader or a
   * finishing exchange, within the control write timeout; a failure breaks the connection.
   */
  void writeControl(FrameWrite write) {
    long deadline = System.nanoTime() + controlWriteTimeout.toNanos();
    try {
      acquire(deadline);
    } catch (IOException e) {
      failures.unwritable(
          HttpFailures.deadline("could not write a control frame to " + endpoint + " in time"));
      return;
    }
    try {
      write.into(frames);
      write(deadline);
    } catch (IOException e) {
      failures.writeFailed(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Says GOAWAY as the connection ends: best effort and short, the connection goes whatever the
   * peer does. Frames kept in the batch are dropped: their streams have failed.
   */
  void tryGoAway(int lastStreamId, Http2ErrorCode code, long lockWaitMillis) {
    try {
      if (!lock.tryLock(lockWaitMillis, TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      frames.abandonBatch();
      frames.beginBatch();
      frames.writeGoAway(lastStreamId, code, new byte[0]);
      write(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
    } catch (IOException ignored) {
      // the peer may already be gone; closing is what matters
    } finally {
      lock.unlock();
    }
  }
}
