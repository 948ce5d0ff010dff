package dev.guise.codec.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile peer: a compressed certificate (RFC 8879) that is a compression bomb. A few KiB of zlib
 * expand to 64 MiB; whatever the peer declares, decoding stops one byte past the declared length
 * (at most 2^24 - 1) and fails as PROTOCOL_ERROR, so the bomb costs at most the declared length.
 */
class CertificateBombTest {
  private static byte[] zlibZeros(int n) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(9))) {
      byte[] zeros = new byte[1 << 16];
      for (int written = 0; written < n; written += zeros.length) {
        z.write(zeros);
      }
    }
    return out.toByteArray();
  }

  @Test
  void bombDeclaredSmallStopsJustPastTheDeclaredLength() throws IOException {
    byte[] bomb = zlibZeros(64 << 20);
    assertTrue(bomb.length < 128 * 1024, "a real bomb: " + bomb.length + " bytes");
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () -> ContentDecoders.decompressCertificate(ContentDecoders.CERT_ZLIB, bomb, 4096));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void bombDeclaredAtTheFieldMaximumStillStops() throws IOException {
    byte[] bomb = zlibZeros(64 << 20);
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                ContentDecoders.decompressCertificate(ContentDecoders.CERT_ZLIB, bomb, 0xff_ffff));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void declaredLengthBeyondTheFieldIsRefusedBeforeDecoding() {
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                ContentDecoders.decompressCertificate(
                    ContentDecoders.CERT_ZLIB, new byte[10], 1 << 24));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }
}
