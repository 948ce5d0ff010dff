package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnection;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Profiles built at run time from raw ClientHello bytes. */
@Timeout(60)
class CapturedProfileTest {
  @Test
  void aCaptureIsSentAsCapturedWithPaddingRecomputedAndCompletesAHandshake() throws Exception {
    byte[] original = TestSupport.referenceBytes("curl1-conn01.bin");
    // curl offers post-handshake client authentication, which the engine cannot honour: refused.
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BouncyCastleEngine().withCapturedProfile("curl", original));
    assertTrue(refused.getMessage().contains("post_handshake_auth"), refused.getMessage());
    ClientHello captured = ClientHello.parse(original);
    ClientHello reference =
        captured.withExtensions(
            captured.extensions().stream().filter(e -> e.type() != 49).toList());
    byte[] curl = reference.toRecordBytes();
    BouncyCastleEngine engine =
        new BouncyCastleEngine().withCapturedProfileHex("curl", HexFormat.of().formatHex(curl));
    // Same host as the capture: the padding comes out at the captured length.
    ClientHello sent =
        ClientHello.parse(TestSupport.catchHello(engine, "www.fp-oracle.test", "curl", List.of()));
    assertEquals(Ja4.of(reference).ja4(), Ja4.of(sent).ja4());
    assertEquals(reference.extensionTypes(), sent.extensionTypes());
    assertEquals(512, sent.toBytes().length, "padded to 512 as OpenSSL pads");
    ClientHelloFidelityTest.assertSameApartFromRandomisedFields(reference, sent);
    // A longer host: the padding shrinks so the hello still ends at 512 bytes.
    ClientHello longer =
        ClientHello.parse(
            TestSupport.catchHello(engine, "a-much-longer-name.fp-oracle.test", "curl", List.of()));
    assertEquals(512, longer.toBytes().length);

    TestCertificateAuthority ca = TestCertificateAuthority.create("Capture Root");
    try (JdkTlsServer server =
            JdkTlsServer.builder(ca.issue("www.guise.test").serverSslContext()).start();
        TlsConnection c =
            engine.connect(
                TestSupport.connect(server.port()),
                TestSupport.request("www.guise.test", server.port(), "curl", ca.trustPolicy()))) {
      assertTrue(HandshakeTest.get(c, "www.guise.test").startsWith("HTTP/1.1 200"));
      assertEquals("curl", c.negotiated().profile());
    }
  }

  @Test
  void unsupportedContentIsAnErrorNamingTheExtension() throws Exception {
    ClientHello chrome = TestSupport.reference("chromium1-conn03.bin");
    List<TlsExtension> withPsk = new ArrayList<>(chrome.extensions());
    // A well-formed offer (one 4-byte identity, age 0, one 2-byte binder): the hello parses, and
    // it is the engine that refuses a capture carrying a ticket.
    withPsk.add(
        new TlsExtension(41, HexFormat.of().parseHex("000a00040102030400000000000302aaaa")));
    byte[] bad = chrome.withExtensions(withPsk).toBytes();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BouncyCastleEngine().withCapturedProfile("resumed", bad));
    assertTrue(e.getMessage().contains("pre_shared_key"), e.getMessage());

    List<TlsExtension> withUnknown = new ArrayList<>(chrome.extensions());
    withUnknown.add(1, new TlsExtension(0x7777, new byte[0]));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BouncyCastleEngine()
                    .withCapturedProfile("odd", chrome.withExtensions(withUnknown).toBytes()));
    assertTrue(unknown.getMessage().contains("0x7777"), unknown.getMessage());
  }
}
