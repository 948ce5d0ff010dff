package dev.guise.codec.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import io.airlift.compress.zstd.ZstdCompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecodersTest {
  private static final int MB = 1 << 20;

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ContentDecodersTest.class.getResourceAsStream("/content/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource " + name);
      }
      return in.readAllBytes();
    }
  }

  private static byte[] sample() {
    Random r = new Random(42);
    byte[] b = new byte[200_000];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) ("abcdefgh ".charAt(r.nextInt(9)));
    }
    return b;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, deflater)) {
      d.write(data);
    }
    deflater.end();
    return out.toByteArray();
  }

  static byte[] zstd(byte[] data) {
    ZstdCompressor c = new ZstdCompressor();
    byte[] out = new byte[c.maxCompressedLength(data.length)];
    int n = c.compress(data, 0, data.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  private static byte[] decode(String coding, byte[] body, long limit) throws IOException {
    try (InputStream in = ContentDecoders.decode(coding, new ByteArrayInputStream(body), limit)) {
      return in.readAllBytes();
    }
  }

  private static ClassifiedIOException fails(
      FailureKind kind, String coding, byte[] body, long limit) {
    ClassifiedIOException e =
        assertThrows(ClassifiedIOException.class, () -> decode(coding, body, limit));
    assertEquals(kind, e.kind(), e.getMessage());
    return e;
  }

  @Test
  void roundTripsOfEveryCoding() throws Exception {
    byte[] data = sample();
    assertArrayEquals(data, decode("gzip", gzip(data), MB));
    assertArrayEquals(data, decode("x-gzip", gzip(data), MB));
    assertArrayEquals(data, decode("deflate", deflate(data, false), MB));
    assertArrayEquals(data, decode("deflate", deflate(data, true), MB));
    assertArrayEquals(data, decode("zstd", zstd(data), MB));
    assertArrayEquals(data, decode("identity", data, MB));
    assertArrayEquals(data, decode(null, data, MB));
    byte[] text = resource("text.txt");
    assertArrayEquals(text, decode("br", resource("text.txt.br"), MB));
    assertArrayEquals(new byte[0], decode("gzip", gzip(new byte[0]), MB));
  }

  @Test
  void stackedCodingsAreUndoneInReverse() throws Exception {
    byte[] text = resource("text.txt");
    // gzip applied first, then br.
    assertArrayEquals(text, decode("gzip, br", resource("text.txt.gz.br"), MB));
    byte[] data = sample();
    assertArrayEquals(data, decode("deflate, gzip", gzip(deflate(data, false)), MB));
    assertArrayEquals(data, decode("zstd,identity , gzip", gzip(zstd(data)), MB));
    // In the wrong order it is corrupt.
    fails(FailureKind.PROTOCOL_ERROR, "gzip, deflate", gzip(deflate(data, false)), MB);
  }

  @Test
  void exactlyTheLimitIsFineOneMoreIsNot() throws Exception {
    byte[] data = sample();
    assertArrayEquals(data, decode("gzip", gzip(data), data.length));
    ClassifiedIOException e =
        fails(FailureKind.RESPONSE_TOO_LARGE, "gzip", gzip(data), data.length - 1);
    assertEquals(PoolAction.DISCARD_CONNECTION, e.failure().action());
  }

  @Test
  void bombsStopAtTheLimit() throws Exception {
    byte[] zeros = new byte[10 * MB];
    fails(FailureKind.RESPONSE_TOO_LARGE, "gzip", gzip(zeros), MB);
    fails(FailureKind.RESPONSE_TOO_LARGE, "deflate", deflate(zeros, false), MB);
    fails(FailureKind.RESPONSE_TOO_LARGE, "deflate", deflate(zeros, true), MB);
    fails(FailureKind.RESPONSE_TOO_LARGE, "zstd", zstd(zeros), MB);
    fails(FailureKind.RESPONSE_TOO_LARGE, "br", resource("zeros-10MiB.br"), MB);
    // A bomb inside a bomb: each layer is limited.
    fails(FailureKind.RESPONSE_TOO_LARGE, "gzip, gzip", gzip(gzip(zeros)), MB);
    // The 10 MiB Brotli fixture really is 10 MiB (so the test above is not passing by accident).
    assertEquals(10 * MB, decode("br", resource("zeros-10MiB.br"), 11 * MB).length);
  }

  @Test
  void truncatedInputIsAProtocolError() throws Exception {
    byte[] data = sample();
    for (String coding : new String[] {"gzip", "deflate", "zstd", "br"}) {
      byte[] encoded =
          switch (coding) {
            case "gzip" -> gzip(data);
            case "deflate" -> deflate(data, false);
            case "zstd" -> zstd(data);
            default -> resource("text.txt.br");
          };
      for (int cut : new int[] {1, 2, encoded.length / 2, encoded.length - 1}) {
        fails(FailureKind.PROTOCOL_ERROR, coding, Arrays.copyOf(encoded, cut), MB);
      }
    }
    fails(FailureKind.PROTOCOL_ERROR, "gzip", new byte[0], MB);
  }

  @Test
  void corruptInputIsAProtocolError() throws Exception {
    byte[] junk = "this is not compressed at all, not in any format".getBytes();
    for (String coding : new String[] {"gzip", "deflate", "zstd", "br"}) {
      fails(FailureKind.PROTOCOL_ERROR, coding, junk, MB);
    }
    byte[] gz = gzip(sample());
    gz[gz.length / 2] ^= 0x55;
    gz[gz.length / 2 + 1] ^= 0x55;
    fails(FailureKind.PROTOCOL_ERROR, "gzip", gz, MB);
    byte[] crc = gzip(sample());
    crc[crc.length - 6] ^= 1; // CRC32 in the trailer
    fails(FailureKind.PROTOCOL_ERROR, "gzip", crc, MB);
    fails(FailureKind.PROTOCOL_ERROR, "compress", gzip(sample()), MB);
  }

  @Test
  void classifiedFailuresOfTheBodyPassThrough() {
    InputStream closing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new ClassifiedIOException(
                FailureKind.CONNECTION_CLOSED,
                false,
                PoolAction.DISCARD_CONNECTION,
                "closed",
                null);
          }
        };
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () -> ContentDecoders.decode("gzip", closing, MB).readAllBytes());
    assertEquals(FailureKind.CONNECTION_CLOSED, e.kind());
  }

  @Test
  void certificateDecompression() throws Exception {
    byte[] cert = resource("text.txt"); // any bytes: the decoder does not parse certificates
    assertArrayEquals(
        cert,
        ContentDecoders.decompressCertificate(
            ContentDecoders.CERT_ZLIB, deflate(cert, false), cert.length));
    assertArrayEquals(
        cert,
        ContentDecoders.decompressCertificate(
            ContentDecoders.CERT_BROTLI, resource("text.txt.br"), cert.length));
    assertArrayEquals(
        cert,
        ContentDecoders.decompressCertificate(ContentDecoders.CERT_ZSTD, zstd(cert), cert.length));
    for (int declared : new int[] {cert.length - 1, cert.length + 1, 0}) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  ContentDecoders.decompressCertificate(
                      ContentDecoders.CERT_ZSTD, zstd(cert), declared));
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
    }
    // zlib here means RFC 1950 exactly: raw deflate is corrupt.
    assertThrows(
        ClassifiedIOException.class,
        () -> ContentDecoders.decompressCertificate(1, deflate(cert, true), cert.length));
    assertThrows(
        ClassifiedIOException.class,
        () -> ContentDecoders.decompressCertificate(4, cert, cert.length));
    assertThrows(
        ClassifiedIOException.class, () -> ContentDecoders.decompressCertificate(1, cert, 1 << 24));
    // A bomb declared small stops one byte past the declared length.
    assertThrows(
        ClassifiedIOException.class,
        () ->
            ContentDecoders.decompressCertificate(
                ContentDecoders.CERT_BROTLI, resource("zeros-10MiB.br"), 1000));
  }
}
