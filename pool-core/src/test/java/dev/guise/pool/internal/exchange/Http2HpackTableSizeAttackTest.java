package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.exchange.HttpConnection.ExchangeLimits;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peer: HPACK dynamic table size updates (RFC 7541 section 4.2, 6.3) used as an attack,
 * over a real TLS connection. A server may only shrink or restore the table up to the
 * SETTINGS_HEADER_TABLE_SIZE we sent, only at the start of a block, at most twice; anything else
 * would let it make us hold a table of its choosing (memory) or desynchronise the decoder. Each
 * case must end the connection with PROTOCOL_ERROR (COMPRESSION_ERROR), promptly.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class Http2HpackTableSizeAttackTest {
  private static final RequestTemplate CHROME =
      RequestTemplate.of(BrowserProfiles.get("chrome-156"));
  private static final HttpRequest GET = HttpRequest.get("https://localhost/");

  /** :status 200, indexed from the static table. */
  private static final byte STATUS_200 = (byte) 0x88;

  /** A dynamic table size update to {@code size}: 001xxxxx with a 5-bit prefix integer. */
  private static byte[] sizeUpdate(long size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (size < 31) {
      out.write((int) (0x20 | size));
    } else {
      out.write(0x3f);
      long rest = size - 31;
      while (rest >= 128) {
        out.write((int) (rest % 128 + 128));
        rest /= 128;
      }
      out.write((int) rest);
    }
    return out.toByteArray();
  }

  private static ClassifiedIOException answeredWith(byte[] headerBlock) throws Exception {
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  s.readUntil(1);
                  s.settingsAndAck();
                  s.write(1, 0x4 | 0x1, 1, headerBlock); // HEADERS, END_HEADERS | END_STREAM
                  s.awaitClientClose();
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      ClassifiedIOException e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  c.exchange(
                      GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(5))));
      assertFalse(c.isUsable(), "a compression error ends the connection");
      return e;
    }
  }

  @Test
  void growingTheTableBeyondOurSettingIsACompressionError() throws Exception {
    // 16 MiB: far above the 65536 Chrome's profile advertises
    ClassifiedIOException e =
        answeredWith(ScriptedH2Server.concat(sizeUpdate(1 << 24), new byte[] {STATUS_200}));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void sizeUpdateWithAnOverflowingIntegerIsACompressionError() throws Exception {
    byte[] huge =
        ScriptedH2Server.concat(
            new byte[] {0x3f},
            new byte[] {
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              (byte) 0xff,
              0x7f
            });
    ClassifiedIOException e = answeredWith(ScriptedH2Server.concat(huge, new byte[] {STATUS_200}));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void moreThanTwoSizeUpdatesInABlockIsACompressionError() throws Exception {
    ClassifiedIOException e =
        answeredWith(
            ScriptedH2Server.concat(
                sizeUpdate(0), sizeUpdate(4096), sizeUpdate(0), new byte[] {STATUS_200}));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void aSizeUpdateAfterAFieldIsACompressionError() throws Exception {
    ClassifiedIOException e =
        answeredWith(ScriptedH2Server.concat(new byte[] {STATUS_200}, sizeUpdate(0)));
    assertEquals(FailureKind.PROTOCOL_ERROR, e.kind(), e.getMessage());
  }

  @Test
  void legalShrinkAndRestoreIsAccepted() throws Exception {
    try (ScriptedH2Server server =
            new ScriptedH2Server(
                "h2",
                s -> {
                  s.readPreface();
                  s.readUntil(1);
                  s.settingsAndAck();
                  s.write(
                      1,
                      0x4 | 0x1,
                      1,
                      ScriptedH2Server.concat(
                          sizeUpdate(0), sizeUpdate(4096), new byte[] {STATUS_200}));
                  s.awaitClientClose();
                });
        HttpConnection c = TlsPeers.connect(server.port(), List.of("h2"), CHROME)) {
      var response =
          c.exchange(GET, ExchangeLimits.DEFAULT, TlsPeers.deadline(Duration.ofSeconds(5)));
      assertEquals(200, response.status());
      assertTrue(c.isUsable());
    }
  }
}
