package dev.guise.pool.internal.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** How a buffered stream keeps its raw body: large payloads as they are, small ones gathered. */
class Http2StreamTest {
  private static Http2Stream stream() {
    return new Http2Stream(ExchangeLimits.DEFAULT, false, new ReentrantLock().newCondition());
  }

  @Test
  void tinyPayloadsCostArraysPer16KibNotPerFrame() throws IOException {
    Http2Stream s = stream();
    byte[] body = new byte[100_000];
    new Random(7).nextBytes(body);
    for (byte b : body) {
      s.keepBody(new byte[] {b}, 1);
    }
    var chunks = s.bodyChunks();
    // The first payload kept as it is, then one array per 16 KiB gathered (7 for 100,000 bytes).
    assertTrue(chunks.size() <= 8, chunks.size() + " arrays for 100,000 one-byte payloads");
    assertEquals(body.length, s.buffered);
    assertArrayEquals(body, new ChunkInputStream(chunks).readAllBytes());
  }

  @Test
  void largePayloadsAreKeptAsTheyAreAndOrderHolds() throws IOException {
    Http2Stream s = stream();
    byte[] big = new byte[16_384];
    new Random(8).nextBytes(big);
    s.keepBody(new byte[] {1, 2, 3}, 3);
    s.keepBody(big, big.length);
    s.keepBody(new byte[] {4, 5, 6, 7}, 2); // a cut payload: only its first bytes count
    var chunks = s.bodyChunks();
    assertEquals(3, chunks.size());
    assertSame(big, chunks.toArray()[1], "a large payload is not copied");
    byte[] all = new ChunkInputStream(chunks).readAllBytes();
    assertEquals(3 + big.length + 2, all.length);
    assertEquals(5, all[all.length - 1]);
    assertEquals(3, all[2]);
  }

  @Test
  void aBodyOfOneSmallPayloadIsKeptAsItIs() throws IOException {
    Http2Stream s = stream();
    byte[] small = {9, 8, 7};
    s.keepBody(small, small.length);
    var chunks = s.bodyChunks();
    assertEquals(1, chunks.size());
    assertSame(small, chunks.peekFirst(), "a lone small payload is not copied");
  }

  @Test
  void smallPayloadsAfterTheFirstAreGatheredThroughEverySizeOfTheGatheringArray()
      throws IOException {
    Random r = new Random(9);
    for (int size : new int[] {1, 100, 1023, 1024, 1025, 3000, 4095}) {
      Http2Stream s = stream();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      for (int i = 0; i < 40; i++) {
        byte[] payload = new byte[size];
        r.nextBytes(payload);
        expected.writeBytes(payload);
        s.keepBody(payload, size);
      }
      var chunks = s.bodyChunks();
      assertArrayEquals(expected.toByteArray(), new ChunkInputStream(chunks).readAllBytes());
      assertTrue(
          chunks.size() <= 2 + 40 * size / (16 * 1024), chunks.size() + " arrays, payload " + size);
    }
  }
}
