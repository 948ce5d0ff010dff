package dev.guise.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.FailureKind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClientHelloMalformedTest {
  private static byte[] chromeRecord() {
    return Captures.all().stream()
        .filter(c -> c.name().equals("chromium1-conn03"))
        .findFirst()
        .orElseThrow()
        .bin();
  }

  @Test
  void everyTruncationIsAClearError() {
    byte[] full = chromeRecord();
    byte[] handshake = Arrays.copyOfRange(full, 5, full.length);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      MalformedClientHelloException e =
          assertThrows(
              MalformedClientHelloException.class, () -> ClientHello.parse(cut), "len " + n);
      assertTrue(e.getMessage().contains("offset"), e.getMessage());
      assertEquals(FailureKind.PROTOCOL_ERROR, e.kind());
    }
    for (int n = 1; n < handshake.length; n++) {
      byte[] cut = Arrays.copyOf(handshake, n);
      assertThrows(MalformedClientHelloException.class, () -> ClientHello.parse(cut), "len " + n);
    }
  }

  @Test
  void randomCorruptionNeverEscapesAsAnotherException() {
    byte[] full = chromeRecord();
    Random random = new Random(42);
    int parsed = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] bad = full.clone();
      int flips = 1 + random.nextInt(3);
      for (int f = 0; f < flips; f++) {
        bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      }
      try {
        ClientHello hello = ClientHello.parse(bad);
        // Whatever still parses must round-trip exactly.
        assertArrayEquals(Arrays.copyOfRange(bad, 5, bad.length), hello.toBytes());
        parsed++;
      } catch (MalformedClientHelloException expected) {
        assertTrue(
            expected.getMessage().contains("malformed ClientHello at "), expected.getMessage());
      }
    }
    assertTrue(parsed > 0, "some corruptions only touch opaque bytes and must still parse");
  }

  @Test
  void namesTheProblem() {
    MalformedClientHelloException e =
        assertThrows(
            MalformedClientHelloException.class, () -> ClientHello.parse(new byte[] {0x17, 3, 3}));
    assertEquals(0, e.offset());
    assertTrue(e.inRecordLayer());
    assertTrue(e.getMessage().contains("0x17"), e.getMessage());

    assertThrows(MalformedClientHelloException.class, () -> ClientHello.parse(new byte[0]));

    byte[] full = chromeRecord();
    byte[] badVersion = full.clone();
    badVersion[1] = 4;
    e = assertThrows(MalformedClientHelloException.class, () -> ClientHello.parse(badVersion));
    assertTrue(e.getMessage().contains("record version"), e.getMessage());

    byte[] trailing = Arrays.copyOf(full, full.length + 1);
    e = assertThrows(MalformedClientHelloException.class, () -> ClientHello.parse(trailing));
    assertTrue(e.getMessage().contains("follow"), e.getMessage());

    assertThrows(MalformedClientHelloException.class, () -> ClientHello.parseHex("16 03 zz"));
    assertThrows(MalformedClientHelloException.class, () -> ClientHello.parseHex("160"));
  }

  @Test
  void duplicateExtensionIsRejected() throws Exception {
    ClientHello hello = ClientHello.parse(chromeRecord());
    List<TlsExtension> twice = new ArrayList<>(hello.extensions());
    twice.add(hello.extensions().get(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hello.withExtensions(twice));
    assertTrue(e.getCause() instanceof MalformedClientHelloException);
    assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
  }

  @Test
  void helloSpanningSeveralRecordsParsesTheSame() throws Exception {
    byte[] full = chromeRecord();
    byte[] handshake = Arrays.copyOfRange(full, 5, full.length);
    ByteArrayOutputStream split = new ByteArrayOutputStream();
    int[] cuts = {0, 2, 300, 301, handshake.length};
    for (int i = 0; i + 1 < cuts.length; i++) {
      int n = cuts[i + 1] - cuts[i];
      split.write(new byte[] {0x16, 3, 1, (byte) (n >> 8), (byte) n});
      split.write(handshake, cuts[i], n);
    }
    ClientHello hello = ClientHello.parse(split.toByteArray());
    assertArrayEquals(handshake, hello.toBytes());
    assertEquals(ClientHello.parse(full), hello);
  }

  @Test
  void greaseValues() {
    for (int i = 0; i < 16; i++) {
      int g = (i << 12) | 0x0a00 | (i << 4) | 0x0a;
      assertTrue(ClientHello.isGrease(g), Integer.toHexString(g));
    }
    assertFalse(ClientHello.isGrease(0x0a1a));
    assertFalse(ClientHello.isGrease(0x1301));
    assertFalse(ClientHello.isGrease(0x1a1a1a1a));
  }

  @Test
  void ja4EdgeCasesFromTheSpec() throws Exception {
    ClientHello chrome = ClientHello.parse(chromeRecord());
    List<TlsExtension> noSniNoAlpn = new ArrayList<>();
    for (TlsExtension e : chrome.extensions()) {
      if (e.type() != ClientHello.EXT_SERVER_NAME && e.type() != ClientHello.EXT_ALPN) {
        noSniNoAlpn.add(e);
      }
    }
    Ja4 ja4 = Ja4.of(chrome.withExtensions(noSniNoAlpn));
    // No SNI: 'i'; no ALPN: "00"; GREASE not counted: 15 suites, 15 extensions.
    assertTrue(ja4.ja4().startsWith("t13i151500_8daaf6152771_"), ja4.ja4());
    // SNI and ALPN never enter the sorted hash, so part c is unchanged.
    assertEquals(Ja4.of(chrome).ja4().substring(24), ja4.ja4().substring(24));

    List<TlsExtension> oddAlpn = new ArrayList<>(chrome.extensions());
    for (int i = 0; i < oddAlpn.size(); i++) {
      if (oddAlpn.get(i).type() == ClientHello.EXT_ALPN) {
        // one protocol "\u00ab-" -> not alphanumeric, use first/last hex digit of "ab2d" -> "ad"
        oddAlpn.set(i, new TlsExtension(16, new byte[] {0, 3, 2, (byte) 0xab, '-'}));
      }
    }
    assertEquals("t13d1517ad", Ja4.of(chrome.withExtensions(oddAlpn)).ja4().substring(0, 10));
    assertEquals('q', Ja4.of(chrome, 'q').ja4().charAt(0));
  }
}
