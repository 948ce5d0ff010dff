package dev.guise.codec.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Batched frames leave in one write, byte for byte what unbatched writing produces. */
class Http2FrameWriterBatchTest {
  /** Records how many write calls reached it. */
  private static final class CountingStream extends ByteArrayOutputStream {
    int writes;

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes++;
      super.write(b, off, len);
    }
  }

  private static void someFrames(Http2FrameWriter w) throws IOException {
    w.writeClientPreface();
    w.writeSettings(
        List.of(
            new Http2Setting(Http2Setting.HEADER_TABLE_SIZE, 65536),
            new Http2Setting(Http2Setting.INITIAL_WINDOW_SIZE, 6291456)));
    w.writeWindowUpdate(0, 15663105);
    // 40 000 bytes of block: HEADERS and two CONTINUATIONs, growing the buffer mid-batch.
    byte[] block = new byte[40_000];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) i;
    }
    w.writeHeaders(1, block, false, Optional.of(new Http2Frame.PriorityFields(true, 0, 256)));
    w.writeData(1, new byte[] {1, 2, 3}, 0, 3, false);
    w.write(new Http2Frame.Data(1, new byte[] {4, 5}, true));
    w.writeWindowUpdate(1, 12517377);
  }

  @Test
  void aBatchIsOneWriteOfTheSameBytes() throws IOException {
    CountingStream plain = new CountingStream();
    someFrames(new Http2FrameWriter(plain, 16_384));

    CountingStream batched = new CountingStream();
    Http2FrameWriter w = new Http2FrameWriter(batched, 16_384);
    w.beginBatch();
    someFrames(w);
    assertEquals(0, batched.writes);
    assertEquals(plain.size(), w.batchedBytes());
    w.flush();
    assertEquals(1, batched.writes);
    assertArrayEquals(plain.toByteArray(), batched.toByteArray());

    // After the batch the writer writes frame by frame again.
    w.writeWindowUpdate(0, 1);
    assertEquals(2, batched.writes);
  }

  @Test
  void aDiscardedBatchNeverReachesTheStream() throws IOException {
    CountingStream out = new CountingStream();
    Http2FrameWriter w = new Http2FrameWriter(out, 16_384);
    w.beginBatch();
    w.writePing(false, 42);
    w.discardBatch();
    w.beginBatch();
    w.writeRstStream(3, Http2ErrorCode.CANCEL);
    w.endBatch();
    Http2FrameReader r = new Http2FrameReader(new ByteArrayInputStream(out.toByteArray()), 16_384);
    Http2Frame.RstStream rst = assertInstanceOf(Http2Frame.RstStream.class, r.readFrame());
    assertEquals(3, rst.streamId());
    assertNull(r.readFrame());
  }

  @Test
  void keptFramesSurviveADiscardAndLeaveFirstWithTheNextWrite() throws IOException {
    CountingStream out = new CountingStream();
    Http2FrameWriter w = new Http2FrameWriter(out, 16_384);
    w.beginBatch();
    w.writeHeaders(1, new byte[] {(byte) 0x82}, true, Optional.empty());
    w.keepBatch();
    assertEquals(w.batchedBytes(), w.keptBytes());
    // The next holder: a half-built frame of a failed holder is dropped, the kept HEADERS stay.
    w.discardBatch();
    w.beginBatch();
    w.writePing(false, 7);
    w.discardBatch();
    w.beginBatch();
    w.writeHeaders(3, new byte[] {(byte) 0x82}, true, Optional.empty());
    assertEquals(0, out.writes);
    w.flush();
    assertEquals(1, out.writes, "both requests in one write");
    assertEquals(0, w.keptBytes());
    Http2FrameReader r = new Http2FrameReader(new ByteArrayInputStream(out.toByteArray()), 16_384);
    assertEquals(1, assertInstanceOf(Http2Frame.Headers.class, r.readFrame()).streamId());
    assertEquals(3, assertInstanceOf(Http2Frame.Headers.class, r.readFrame()).streamId());
    assertNull(r.readFrame());
  }

  @Test
  void anAbandonedBatchDropsKeptFramesToo() throws IOException {
    CountingStream out = new CountingStream();
    Http2FrameWriter w = new Http2FrameWriter(out, 16_384);
    w.beginBatch();
    w.writeHeaders(1, new byte[] {(byte) 0x82}, true, Optional.empty());
    w.keepBatch();
    w.abandonBatch();
    w.beginBatch();
    w.writeGoAway(0, Http2ErrorCode.NO_ERROR, new byte[0]);
    w.flush();
    Http2FrameReader r = new Http2FrameReader(new ByteArrayInputStream(out.toByteArray()), 16_384);
    assertInstanceOf(Http2Frame.GoAway.class, r.readFrame());
    assertNull(r.readFrame());
  }
}
