package dev.guise.pool.internal.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Every content coding the profiles advertise (gzip, deflate, br, zstd): round trips, truncated
 * input and decompression bombs. The brotli fixtures were made with the brotli 1.0 command-line
 * tool ({@code text.br}: 5000 lines "guise content line N"; {@code bomb.br}: 100 MB of zeros).
 */
class ContentDecodingTest {
  private static final byte[] TEXT = text();
  private static final long LIMIT = 1 << 20;

  private static byte[] text() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      sb.append("guise content line ").append(i).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  interface Encoder {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] encode(Encoder e, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = e.wrap(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  private static byte[] zeros(int n) {
    return new byte[n];
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ContentDecodingTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static List<Header> coding(String c) {
    return List.of(new Header("Content-Encoding", c));
  }

  private static byte[] decode(String coding, byte[] body, long limit) throws ClassifiedIOException {
    return ContentDecoding.decode(coding(coding), body, limit, false).body();
  }

  @Test
  void everyAdvertisedCodingRoundTrips() throws IOException {
    assertArrayEquals(TEXT, decode("gzip", encode(GZIPOutputStream::new, TEXT), LIMIT));
    assertArrayEquals(TEXT, decode("deflate", encode(DeflaterOutputStream::new, TEXT), LIMIT));
    assertArrayEquals(TEXT, decode("deflate",
        encode(out -> new DeflaterOutputStream(out, new Deflater(6, true)), TEXT), LIMIT), "raw deflate too");
    assertArrayEquals(TEXT, decode("br", resource("text.br"), LIMIT));
    assertArrayEquals(TEXT, decode("zstd", encode(ZstdOutputStream::new, TEXT), LIMIT));
    assertArrayEquals(TEXT, ContentDecoding.decode(List.of(new Header("content-encoding", "gzip, zstd")),
        encode(ZstdOutputStream::new, encode(GZIPOutputStream::new, TEXT)), LIMIT, false).body(), "stacked codings");
    assertArrayEquals(TEXT, decode("identity", TEXT, LIMIT));
  }

  @Test
  void truncatedInputIsAProtocolError() throws IOException {
    byte[][] encoded = {
      encode(GZIPOutputStream::new, TEXT), encode(DeflaterOutputStream::new, TEXT), resource("text.br"),
      encode(ZstdOutputStream::new, TEXT)};
    String[] codings = {"gzip", "deflate", "br", "zstd"};
    for (int i = 0; i < codings.length; i++) {
      byte[] cut = Arrays.copyOf(encoded[i], encoded[i].length / 2);
      String coding = codings[i];
      ClassifiedIOException e = assertThrows(ClassifiedIOException.class, () -> decode(coding, cut, LIMIT), coding);
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), coding);
    }
  }

  @Test
  void garbageIsAProtocolError() {
    byte[] garbage = "this is not compressed at all, not even a little".getBytes(StandardCharsets.US_ASCII);
    for (String coding : List.of("gzip", "deflate", "br", "zstd")) {
      ClassifiedIOException e = assertThrows(ClassifiedIOException.class, () -> decode(coding, garbage, LIMIT), coding);
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), coding);
    }
    assertEquals(FailureKind.PROTOCOL_ERROR,
        assertThrows(ClassifiedIOException.class, () -> decode("compress", garbage, LIMIT)).kind());
  }

  @Test
  void bombsStopAtTheLimit() throws IOException {
    byte[][] bombs = {
      encode(GZIPOutputStream::new, zeros(50_000_000)),
      encode(DeflaterOutputStream::new, zeros(50_000_000)),
      resource("bomb.br"),
      encode(ZstdOutputStream::new, zeros(50_000_000))};
    String[] codings = {"gzip", "deflate", "br", "zstd"};
    for (int i = 0; i < codings.length; i++) {
      assertTrue(bombs[i].length < 100_000, codings[i] + " bomb is small on the wire");
      byte[] bomb = bombs[i];
      String coding = codings[i];
      ClassifiedIOException e = assertThrows(ClassifiedIOException.class, () -> decode(coding, bomb, LIMIT), coding);
      assertEquals(FailureKind.RESPONSE_TOO_LARGE, e.kind(), coding);
      ContentDecoding.Decoded cut = ContentDecoding.decode(coding(coding), bomb, 1000, true);
      assertTrue(cut.truncated());
      assertArrayEquals(zeros(1000), cut.body(), coding);
    }
  }

  @Test
  void plainBodiesObeyTheLimitToo() throws ClassifiedIOException {
    assertEquals(FailureKind.RESPONSE_TOO_LARGE, assertThrows(ClassifiedIOException.class,
        () -> ContentDecoding.decode(List.of(), zeros(2000), 1000, false)).kind());
    assertEquals(1000, ContentDecoding.decode(List.of(), zeros(2000), 1000, true).body().length);
  }
}
