package dev.guise.codec.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.codec.http1.Http1Input;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PooledStreamsTest {

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /**
   * Hands out at most {@code chunk} bytes per read and says how much is available, like a TLS
   * stream.
   */
  private static class Chunked extends InputStream {
    final byte[] data;
    final int chunk;
    final boolean reportAvailable;
    int pos;
    final List<Integer> asked = new ArrayList<>();

    /** Runs as a single-byte read begins (a wait for input), to look at or act on the reader. */
    Runnable onByteRead = () -> {};

    Chunked(byte[] data, int chunk, boolean reportAvailable) {
      this.data = data;
      this.chunk = chunk;
      this.reportAvailable = reportAvailable;
    }

    @Override
    public int read() {
      onByteRead.run();
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      asked.add(len);
      if (pos == data.length) {
        return -1;
      }
      int n = Math.min(Math.min(len, chunk), data.length - pos);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return reportAvailable ? Math.min(chunk, data.length - pos) : 0;
    }
  }

  @Test
  void readsEverythingInOrderAndGivesTheBufferBackWhenEmpty() throws IOException {
    byte[] data = random(3 * BufferPool.BUFFER_SIZE + 123);
    PooledBufferedInputStream in =
        new PooledBufferedInputStream(new Chunked(data, 5000, true), true);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] small = new byte[9];
    int n;
    while ((n = in.read(small, 0, small.length)) > 0) {
      got.write(small, 0, n);
      assertEquals(
          in.buffered() > 0, in.holdsBuffer(), "a buffer is held exactly while bytes are buffered");
      int b = in.read();
      if (b < 0) {
        break;
      }
      got.write(b);
    }
    assertArrayEquals(data, got.toByteArray());
    assertFalse(in.holdsBuffer());
  }

  @Test
  void withNothingAvailableAReadGoesStraightToTheCallerWithoutABuffer() throws IOException {
    byte[] data = random(100);
    Chunked raw = new Chunked(data, 1000, false);
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, true);
    byte[] header = new byte[9];
    assertEquals(9, in.read(header, 0, 9));
    assertEquals(List.of(9), raw.asked, "the read went to the caller's array, not into a buffer");
    assertFalse(in.holdsBuffer());
    // A stream that cannot wait unbuffered fills a buffer instead.
    Chunked raw2 = new Chunked(data, 1000, false);
    PooledBufferedInputStream filling = new PooledBufferedInputStream(raw2, false);
    assertEquals(9, filling.read(header, 0, 9));
    assertEquals(List.of(BufferPool.BUFFER_SIZE), raw2.asked);
    assertTrue(filling.holdsBuffer());
    assertEquals(91, filling.readAllBytes().length);
    assertFalse(filling.holdsBuffer());
  }

  @Test
  void awaitInputHoldsOneByteAndNoBuffer() throws IOException {
    byte[] data = random(40);
    Chunked raw = new Chunked(data, 1000, false);
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, false);
    raw.onByteRead =
        () -> assertFalse(in.holdsBuffer(), "no buffer while waiting for the first byte");
    in.awaitInput();
    assertEquals(1, in.buffered());
    assertFalse(in.holdsBuffer());
    in.awaitInput(); // something is buffered: returns at once, consumes nothing
    assertEquals(1, in.buffered());
    assertArrayEquals(data, in.readAllBytes());
    in.awaitInput(); // end of stream: nothing kept
    assertEquals(-1, in.read());
  }

  /**
   * A hint given while bytes are buffered goes to the next wait, which need not block: the wait
   * after it, an idle connection's, holds no buffer. Kept for later, the hint made every idle
   * HTTP/2 connection of the BouncyCastle engine hold a buffer (IdleMemory, fourteenth session).
   */
  @Test
  void aHintTakenByAWaitWithBytesInHandLeavesTheIdleWaitWithoutABuffer() throws IOException {
    byte[] data = random(700);
    Chunked raw = new Chunked(data, 500, false);
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, false);
    in.replyDue();
    in.awaitInput();
    assertEquals(500, in.buffered());
    in.replyDue(); // a stream opens while the reader still has bytes in hand
    in.awaitInput();
    assertEquals(1, raw.asked.size(), "bytes were buffered: no read");
    assertEquals(500, in.read(new byte[500], 0, 500));
    assertFalse(in.holdsBuffer());
    in.awaitInput(); // the connection's next wait: no reply is due
    assertEquals(List.of(BufferPool.BUFFER_SIZE), raw.asked, "a one-byte wait, not a buffer's");
    assertFalse(in.holdsBuffer());
    assertEquals(1, in.buffered());
    assertEquals(200, in.readAllBytes().length);
  }

  /**
   * A hint given while a wait is under way (an HTTP/2 stream opening while the reader waits) ends
   * with that wait: the wait after it, perhaps an idle connection's, holds no buffer. Kept for the
   * next wait, it could leave an HTTP/2 connection used by one caller at a time holding a buffer
   * when it went idle.
   */
  @Test
  void aHintGivenDuringAWaitEndsWithThatWait() throws IOException {
    byte[] data = random(40);
    Chunked raw = new Chunked(data, 1000, false);
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, false);
    raw.onByteRead =
        () -> {
          if (raw.pos == 0) {
            in.replyDue(); // the stream opens while the reader waits for its first byte
          }
        };
    in.awaitInput();
    assertEquals(data[0] & 0xff, in.read());
    in.awaitInput(); // the next wait: no hint is left for it
    assertEquals(List.of(), raw.asked, "a one-byte wait, not a buffer's");
    assertFalse(in.holdsBuffer());
    assertEquals(1, in.buffered());

    // The same with a read that goes straight to the caller: the hint ends with that read.
    Chunked direct = new Chunked(data, 1000, false);
    PooledBufferedInputStream in2 = new PooledBufferedInputStream(direct, true);
    in2.replyDue();
    byte[] big = new byte[BufferPool.BUFFER_SIZE];
    assertEquals(40, in2.read(big, 0, big.length));
    assertFalse(in2.awaitReply(), "the read took the hint");
  }

  /** A wait for a reply: one read into a buffer fetches everything that read gives. */
  @Test
  void aWaitForAReplyReadsWhatOneReadGivesIntoABufferHeldOnlyWhileBytesWait() throws IOException {
    byte[] data = random(700);
    Chunked raw = new Chunked(data, 500, false);
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, false);
    assertFalse(in.awaitReply(), "no reply due: no wait");
    assertEquals(List.of(), raw.asked);
    in.replyDue();
    in.awaitInput();
    assertEquals(List.of(BufferPool.BUFFER_SIZE), raw.asked, "one read, into a whole buffer");
    assertEquals(500, in.buffered());
    assertTrue(in.holdsBuffer());
    in.replyDue();
    assertTrue(in.awaitReply(), "something is buffered: takes the hint at once, reads nothing");
    assertEquals(1, raw.asked.size());
    byte[] first = new byte[500];
    assertEquals(500, in.read(first, 0, 500));
    assertEquals(1, raw.asked.size(), "the bytes came from the buffer");
    assertFalse(in.holdsBuffer(), "read empty: the buffer went back");
    assertArrayEquals(Arrays.copyOf(data, 500), first);
    assertFalse(in.awaitReply(), "the hint went to the wait that found bytes buffered");
    assertEquals(1, raw.asked.size());
    in.replyDue();
    assertTrue(in.awaitReply());
    assertEquals(200, in.buffered());
    assertEquals(200, in.readAllBytes().length);
    in.replyDue();
    assertTrue(in.awaitReply()); // end of stream: nothing kept
    assertFalse(in.holdsBuffer());
    assertEquals(0, in.buffered());
    assertEquals(-1, in.read());
  }

  @Test
  void aWaitForAReplyThatTimesOutGivesTheBufferBackAndLosesNothing() throws IOException {
    byte[] data = random(30);
    ByteArrayInputStream bytes = new ByteArrayInputStream(data);
    boolean[] timeOut = {true};
    InputStream raw =
        new InputStream() {
          @Override
          public int read() {
            return bytes.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (timeOut[0]) {
              timeOut[0] = false;
              throw new SocketTimeoutException("read timed out");
            }
            return bytes.read(b, off, len);
          }
        };
    PooledBufferedInputStream in = new PooledBufferedInputStream(raw, false);
    in.replyDue();
    assertThrows(SocketTimeoutException.class, in::awaitReply);
    assertFalse(in.holdsBuffer());
    in.replyDue();
    assertTrue(in.awaitReply());
    assertArrayEquals(data, in.readAllBytes());
  }

  @Test
  void aFailedFillGivesTheBufferBack() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("reset");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            throw new IOException("reset");
          }
        };
    PooledBufferedInputStream in = new PooledBufferedInputStream(failing, false);
    assertThrows(IOException.class, () -> in.read(new byte[10], 0, 10));
    assertFalse(in.holdsBuffer());
  }

  @Test
  void outputGathersWritesUntilFlushThenGivesTheBufferBack() throws IOException {
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    OutputStream raw =
        new OutputStream() {
          @Override
          public void write(int b) {
            writes.add(1);
            sink.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            writes.add(len);
            sink.write(b, off, len);
          }
        };
    PooledBufferedOutputStream out = new PooledBufferedOutputStream(raw);
    byte[] head = random(300);
    byte[] body = random(2000);
    out.write(head);
    out.write('x');
    out.write(body);
    assertTrue(out.holdsBuffer());
    assertEquals(List.of(), writes);
    out.flush();
    assertEquals(List.of(2301), writes, "head and body leave in one write");
    assertFalse(out.holdsBuffer());
    byte[] big = random(BufferPool.BUFFER_SIZE + 1);
    out.write(head);
    out.write(big);
    out.flush();
    assertEquals(List.of(2301, 300, big.length), writes, "what was buffered goes first");
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(head);
    expected.write('x');
    expected.write(body);
    expected.write(head);
    expected.write(big);
    assertArrayEquals(expected.toByteArray(), sink.toByteArray());
  }

  @Test
  void poolReusesReturnedBuffersAndIgnoresForeignOnes() {
    byte[] a = BufferPool.acquire();
    assertEquals(BufferPool.BUFFER_SIZE, a.length);
    int before = BufferPool.pooled();
    BufferPool.release(new byte[10]);
    BufferPool.release(null);
    assertEquals(before, BufferPool.pooled());
    BufferPool.release(a);
    // Another test class may run concurrently in this JVM; at least it is pooled or reused.
    byte[] b = BufferPool.acquire();
    assertEquals(BufferPool.BUFFER_SIZE, b.length);
  }

  @Test
  void http1InputKeepsBufferedBytesAcrossARelease() throws IOException {
    byte[] data = "HTTP/1.1 200 OK\r\nrest".getBytes(StandardCharsets.ISO_8859_1);
    Http1Input in = new Http1Input(new ByteArrayInputStream(data), 16 * 1024);
    assertFalse(in.holdsBuffer());
    assertEquals('H', in.read());
    in.releaseBuffer(); // bytes are buffered: nothing is given back
    assertTrue(in.holdsBuffer());
    byte[] rest = in.readAllBytes();
    assertEquals(data.length - 1, rest.length);
    in.releaseBuffer();
    assertFalse(in.holdsBuffer());
    assertEquals(-1, in.read());
  }
}
