package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Header;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Content codings through a whole exchange, over HTTP/1.1 and HTTP/2: every coding the profiles
 * advertise decodes, corrupt bodies are PROTOCOL_ERROR, bombs stop at the limit, and truncation
 * keeps a decoded prefix even when the compressed body is far longer than the limit (codec's own
 * tests cover the decoders themselves). Fixtures made with the brotli 1.0 and zstd command-line
 * tools: {@code text.*} hold 5000 lines "guise content line N", {@code bomb.br} 100 MB and {@code
 * bomb.zst} 50 MB of zeros.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContentCodingExchangeTest {
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));
  private static final HttpRequest GET = HttpRequest.get("https://localhost/");
  private static final byte[] TEXT = text();
  private static final List<String> CODINGS = List.of("gzip", "deflate", "br", "zstd");

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

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ContentCodingExchangeTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static byte[] encodedText(String coding) throws IOException {
    return switch (coding) {
      case "gzip" -> encode(GZIPOutputStream::new, TEXT);
      case "deflate" -> encode(DeflaterOutputStream::new, TEXT);
      case "raw-deflate" ->
          encode(out -> new DeflaterOutputStream(out, new Deflater(6, true)), TEXT);
      case "br" -> resource("text.br");
      case "zstd" -> resource("text.zst");
      default -> throw new IllegalArgumentException(coding);
    };
  }

  private static byte[] bomb(String coding) throws IOException {
    return switch (coding) {
      case "gzip" -> encode(GZIPOutputStream::new, new byte[50_000_000]);
      case "deflate" -> encode(DeflaterOutputStream::new, new byte[50_000_000]);
      case "br" -> resource("bomb.br");
      case "zstd" -> resource("bomb.zst");
      default -> throw new IllegalArgumentException(coding);
    };
  }

  /** Serves one response with {@code body} as the given coding and runs one exchange against it. */
  private static byte[] fetch(boolean h2, String coding, byte[] body, ExchangeLimits limits)
      throws Exception {
    return fetch(h2, coding, body, limits, new int[] {16_384});
  }

  /** As above; over HTTP/2 the body goes in DATA frames of {@code frameSizes}, in turn. */
  private static byte[] fetch(
      boolean h2, String coding, byte[] body, ExchangeLimits limits, int[] frameSizes)
      throws Exception {
    String wireCoding = coding.equals("raw-deflate") ? "deflate" : coding;
    ScriptedH2Server.Script script =
        h2
            ? s -> {
              s.readPreface();
              s.readUntil(1);
              s.settingsAndAck();
              byte[] block =
                  s.encoder.encode(
                      List.of(
                          new Header(":status", "200"),
                          new Header("content-encoding", wireCoding),
                          new Header("content-length", Integer.toString(body.length))));
              s.write(1, 0x4, 1, block);
              s.drainInBackground();
              for (int off = 0, i = 0;
                  off < body.length;
                  off += frameSizes[i++ % frameSizes.length]) {
                int n = Math.min(frameSizes[i % frameSizes.length], body.length - off);
                try {
                  s.write(
                      0, off + n == body.length ? 1 : 0, 1, Arrays.copyOfRange(body, off, off + n));
                } catch (IOException reset) {
                  return; // the client stopped reading (truncation or a failure): fine
                }
              }
            }
            : s -> {
              int state = 0;
              while (state < 4) {
                int b = s.rawIn().read();
                state =
                    (b == '\r' && (state == 0 || state == 2))
                            || (b == '\n' && (state == 1 || state == 3))
                        ? state + 1
                        : 0;
              }
              s.out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Encoding: "
                          + wireCoding
                          + "\r\nContent-Length: "
                          + body.length
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
              try {
                s.out.write(body);
                s.out.flush();
              } catch (IOException reset) {
                return;
              }
              s.awaitClientClose();
            };
    try (ScriptedH2Server server = new ScriptedH2Server(h2 ? "h2" : "http/1.1", script);
        HttpConnection c =
            TlsPeers.connect(server.port(), List.of(h2 ? "h2" : "http/1.1"), CHROME)) {
      return c.exchange(GET, limits, TlsPeers.deadline(Duration.ofSeconds(10))).body();
    }
  }

  private static ExchangeLimits limit(long maxBody, boolean truncate) {
    return new ExchangeLimits(65_536, maxBody, truncate);
  }

  @Test
  void everyAdvertisedCodingDecodesOverBothProtocols() throws Exception {
    for (boolean h2 : new boolean[] {false, true}) {
      for (String coding : List.of("gzip", "deflate", "raw-deflate", "br", "zstd")) {
        assertArrayEquals(
            TEXT,
            fetch(h2, coding, encodedText(coding), ExchangeLimits.DEFAULT),
            coding + " h2=" + h2);
      }
    }
  }

  @Test
  void cutOrCorruptBodiesAreProtocolErrors() throws Exception {
    byte[] garbage =
        "this is not compressed at all, not even a little".getBytes(StandardCharsets.US_ASCII);
    for (boolean h2 : new boolean[] {false, true}) {
      for (String coding : CODINGS) {
        byte[] full = encodedText(coding);
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        assertEquals(
            FailureKind.PROTOCOL_ERROR,
            assertThrows(
                    ClassifiedIOException.class,
                    () -> fetch(h2, coding, cut, ExchangeLimits.DEFAULT),
                    coding + " cut, h2=" + h2)
                .kind());
        assertEquals(
            FailureKind.PROTOCOL_ERROR,
            assertThrows(
                    ClassifiedIOException.class,
                    () -> fetch(h2, coding, garbage, ExchangeLimits.DEFAULT),
                    coding + " garbage, h2=" + h2)
                .kind());
      }
      assertEquals(
          FailureKind.PROTOCOL_ERROR,
          assertThrows(
                  ClassifiedIOException.class,
                  () -> fetch(h2, "compress", garbage, ExchangeLimits.DEFAULT))
              .kind(),
          "unknown coding");
    }
  }

  @Test
  void bombsStopAtTheLimitAndTruncationKeepsTheDecodedPrefix() throws Exception {
    for (boolean h2 : new boolean[] {false, true}) {
      for (String coding : CODINGS) {
        byte[] bomb = bomb(coding);
        assertTrue(bomb.length < 100_000, coding + " bomb is small on the wire");
        assertEquals(
            FailureKind.RESPONSE_TOO_LARGE,
            assertThrows(
                    ClassifiedIOException.class,
                    () -> fetch(h2, coding, bomb, limit(1 << 20, false)),
                    coding + " h2=" + h2)
                .kind());
        assertArrayEquals(
            new byte[1000], fetch(h2, coding, bomb, limit(1000, true)), coding + " h2=" + h2);
      }
    }
  }

  /**
   * Incompressible content: the compressed body is longer than the limit plus the raw slack, so
   * cutting the compressed bytes (what the stop-gap did) left the decoder with a truncated stream
   * and failed the exchange with PROTOCOL_ERROR. Truncation cuts the decoded output instead.
   */
  @Test
  void truncatingALongCompressedBodyReturnsItsDecodedPrefix() throws Exception {
    byte[] random = new byte[400_000];
    new Random(42).nextBytes(random);
    byte[] gzipped = encode(GZIPOutputStream::new, random);
    long limit = 150_000;
    assertTrue(gzipped.length > limit + ResponseBodies.RAW_SLACK);
    for (boolean h2 : new boolean[] {false, true}) {
      assertArrayEquals(
          Arrays.copyOf(random, (int) limit),
          fetch(h2, "gzip", gzipped, limit(limit, true)),
          "h2=" + h2);
    }
  }

  /**
   * A whole gzip body (over HTTP/2, or over HTTP/1.1 with a Content-Length, read whole first) is
   * decoded into an array sized by its ISIZE trailer; the trailer is only a hint. A trailer that
   * lies either way, several members (ISIZE is the last one's), and bodies at, under and over the
   * limit all decode exactly as without it, over both protocols.
   */
  @Test
  void theGzipSizeTrailerIsOnlyAHint() throws Exception {
    byte[] gzip = encodedText("gzip");
    byte[] tooBig = Arrays.copyOf(gzip, gzip.length);
    byte[] tooSmall = Arrays.copyOf(gzip, gzip.length);
    writeIsize(tooBig, TEXT.length * 3);
    writeIsize(tooSmall, 100);
    byte[] half = Arrays.copyOf(TEXT, TEXT.length / 2);
    byte[] rest = Arrays.copyOfRange(TEXT, TEXT.length / 2, TEXT.length);
    byte[] twoMembers =
        concat(encode(GZIPOutputStream::new, half), encode(GZIPOutputStream::new, rest));
    for (boolean h2 : new boolean[] {false, true}) {
      // The decoder checks ISIZE against what it produced: a lying trailer is still corrupt.
      for (byte[] lying : List.of(tooBig, tooSmall)) {
        assertEquals(
            FailureKind.PROTOCOL_ERROR,
            assertThrows(
                    ClassifiedIOException.class,
                    () -> fetch(h2, "gzip", lying, ExchangeLimits.DEFAULT),
                    "h2=" + h2)
                .kind());
      }
      // A lying trailer with truncation on: the prefix up to the limit is still genuine.
      assertArrayEquals(
          Arrays.copyOf(TEXT, 1000), fetch(h2, "gzip", tooBig, limit(1000, true)), "h2=" + h2);
      assertArrayEquals(TEXT, fetch(h2, "gzip", twoMembers, ExchangeLimits.DEFAULT), "h2=" + h2);
      assertArrayEquals(TEXT, fetch(h2, "gzip", gzip, limit(TEXT.length, false)), "h2=" + h2);
      assertArrayEquals(TEXT, fetch(h2, "gzip", gzip, limit(TEXT.length, true)), "h2=" + h2);
      assertEquals(
          FailureKind.RESPONSE_TOO_LARGE,
          assertThrows(
                  ClassifiedIOException.class,
                  () -> fetch(h2, "gzip", gzip, limit(TEXT.length - 1, false)),
                  "h2=" + h2)
              .kind());
      assertArrayEquals(
          Arrays.copyOf(TEXT, TEXT.length - 1),
          fetch(h2, "gzip", gzip, limit(TEXT.length - 1, true)),
          "h2=" + h2);
    }
  }

  private static void writeIsize(byte[] gzip, int size) {
    for (int i = 0; i < 4; i++) {
      gzip[gzip.length - 4 + i] = (byte) (size >>> (8 * i));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * A body in DATA frames of mixed sizes, down to one byte: small payloads are gathered, large ones
   * kept as they are, and the decoder reads them all in order, coded or not.
   */
  @Test
  void bodiesInTinyAndMixedDataFramesArriveWholeAndInOrder() throws Exception {
    int[] sizes = {1, 7, 5000, 3, 16_384, 100, 4095, 4096, 1};
    for (String coding : List.of("gzip", "br")) {
      assertArrayEquals(
          TEXT, fetch(true, coding, encodedText(coding), ExchangeLimits.DEFAULT, sizes), coding);
    }
    assertArrayEquals(TEXT, fetch(true, "identity", TEXT, ExchangeLimits.DEFAULT, sizes));
    byte[] start = Arrays.copyOf(TEXT, 5000); // a frame per byte: kept short
    assertArrayEquals(start, fetch(true, "identity", start, ExchangeLimits.DEFAULT, new int[] {1}));
  }
}
