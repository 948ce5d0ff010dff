package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseBodies#read}'s output buffering: bodies around its block sizes, with and without a
 * size hint (right, short, long), against limits just under, at and over their size, failing or
 * truncating. Random content, so that every byte value lands on a block or hint boundary somewhere.
 */
class ResponseBodiesTest {
  private static final int[] SIZES = {
    0, 1, 16_383, 16_384, 16_385, 32_768, 49_153, 300_001, (1 << 20) + 3, (3 << 20) + 17
  };

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** Hands out at most 1000 bytes per read, as a socket might. */
  private static InputStream dribble(byte[] data) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1000));
      }
    };
  }

  @Test
  void everySizeAndHintReadsTheWholeBody() throws IOException {
    for (int size : SIZES) {
      byte[] body = random(size, size);
      byte[] gz = gzip(body);
      for (long hint : new long[] {-1, size, size / 2 + 1, size * 2L + 5}) {
        String at = "size " + size + ", hint " + hint;
        assertArrayEquals(
            body, ResponseBodies.read("gzip", dribble(gz), 64 << 20, false, false, hint), at);
        assertArrayEquals(
            body, ResponseBodies.read(null, dribble(body), 64 << 20, false, false, hint), at);
        if (size > 0) {
          assertArrayEquals(
              body, ResponseBodies.read("gzip", dribble(gz), size, false, false, hint), at);
        }
      }
    }
  }

  @Test
  void oneByteOverTheLimitFailsOrIsCutOff() throws IOException {
    for (int size : SIZES) {
      if (size == 0) {
        continue;
      }
      byte[] body = random(size, size + 1);
      byte[] gz = gzip(body);
      for (long hint : new long[] {-1, size, size - 1, size + 1L}) {
        String at = "size " + size + ", hint " + hint;
        for (String coding : new String[] {"gzip", null}) {
          byte[] raw = coding == null ? body : gz;
          assertEquals(
              FailureKind.RESPONSE_TOO_LARGE,
              assertThrows(
                      ClassifiedIOException.class,
                      () -> ResponseBodies.read(coding, dribble(raw), size - 1, false, false, hint),
                      at)
                  .kind());
          assertArrayEquals(
              Arrays.copyOf(body, size - 1),
              ResponseBodies.read(coding, dribble(raw), size - 1, true, false, hint),
              at);
        }
      }
    }
  }

  /** Records whether it was closed. */
  private static final class Watched extends ByteArrayInputStream {
    boolean closed;

    Watched(byte[] data) {
      super(data);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void closingADecodedStreamEndsTheDecoderAndLeavesTheRawBodyOpen() throws IOException {
    byte[] body = random(50_000, 7);
    byte[] gz = gzip(body);
    byte[] next = {'N', 'E', 'X', 'T'};
    byte[] wire = Arrays.copyOf(gz, gz.length + next.length);
    System.arraycopy(next, 0, wire, gz.length, next.length);

    Watched raw = new Watched(wire);
    InputStream decoded = ResponseBodies.stream("gzip", raw, 64 << 20);
    assertArrayEquals(Arrays.copyOf(body, 100), decoded.readNBytes(100));
    decoded.close();
    // The decoder is ended: it reads nothing more, while the raw body is its owner's to close.
    assertThrows(IOException.class, () -> decoded.read(new byte[10]));
    assertFalse(raw.closed);

    Watched whole = new Watched(gz);
    assertArrayEquals(body, ResponseBodies.read("gzip", whole, 64 << 20, false, false));
    assertFalse(whole.closed);
    Watched identity = new Watched(body);
    ResponseBodies.stream(null, identity, 64 << 20).close();
    assertFalse(identity.closed);
  }
}
