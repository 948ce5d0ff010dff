package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseBodies#gzipSize}: the gzip size hint read from a body held as the DATA payloads
 * that carried it (HTTP/2), or whole (HTTP/1.1).
 */
class GzipSizeHintTest {
  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /** {@code body} cut into payloads with the last {@code tail} bytes a payload of their own. */
  private static ArrayDeque<byte[]> frames(byte[] body, int tail) {
    ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    int split = body.length - tail;
    chunks.add(Arrays.copyOfRange(body, 0, split / 2));
    chunks.add(Arrays.copyOfRange(body, split / 2, split));
    if (tail > 0) {
      chunks.add(Arrays.copyOfRange(body, split, body.length));
    }
    return chunks;
  }

  @Test
  void theTrailerIsFoundWhereverTheFramesSplitIt() throws IOException {
    byte[] text = "guise page ".repeat(7_000).getBytes(StandardCharsets.US_ASCII);
    byte[] body = gzip(text);
    for (int tail = 0; tail <= 5; tail++) {
      assertEquals(
          text.length,
          ResponseBodies.gzipSize("gzip", frames(body, tail), body.length),
          "last payload of " + tail + " bytes");
    }
    assertEquals(text.length, ResponseBodies.gzipSize(" X-Gzip ", frames(body, 0), body.length));
    assertEquals(text.length, ResponseBodies.gzipSize("gzip", List.of(body), body.length));
  }

  @Test
  void otherCodingsAndShortBodiesHaveNoHint() throws IOException {
    byte[] body = gzip(new byte[100]);
    assertEquals(-1, ResponseBodies.gzipSize("br", frames(body, 1), body.length));
    assertEquals(-1, ResponseBodies.gzipSize("gzip, br", frames(body, 1), body.length));
    assertEquals(-1, ResponseBodies.gzipSize(null, frames(body, 1), body.length));
    byte[] tiny = Arrays.copyOf(body, 17);
    assertEquals(-1, ResponseBodies.gzipSize("gzip", frames(tiny, 1), tiny.length));
  }

  @Test
  void aTrailerClaimingMoreThanDeflateCanExpandIsCapped() throws IOException {
    byte[] body = gzip(new byte[100]);
    body[body.length - 1] = (byte) 0x7f; // ISIZE now claims about 2 GiB
    assertEquals(
        body.length * 1032L, ResponseBodies.gzipSize("gzip", frames(body, 2), body.length));
  }
}
