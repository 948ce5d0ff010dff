package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja4;
import dev.guise.testing.HelloCatcher;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JA4 each offer reports is the JA4 of the hello Conscrypt really sends: a loopback server
 * captures the ClientHello bytes, the fingerprint module computes the JA4, and it must equal the
 * offer's. A Conscrypt upgrade that changes the hello fails here.
 */
class ConscryptJa4Test {
  private static final String HOST = "www.example.test";
  private static final ConscryptEngine ENGINE = new ConscryptEngine();
  private static final TrustPolicy TRUST =
      TestCertificateAuthority.create("Guise JA4 test CA").trustPolicy();
  private static HelloCatcher capture;

  @BeforeAll
  static void start() throws Exception {
    capture = new HelloCatcher();
  }

  @AfterAll
  static void stop() throws Exception {
    capture.close();
  }

  /** Lets the engine start a handshake towards the capturing server and returns what it sent. */
  private static ClientHello sentHello(String host, String profile, List<String> alpn)
      throws Exception {
    // The capturing server closes after the hello: the handshake must fail, never succeed.
    var failure =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                LoopbackServers.connect(
                    ENGINE, host, "127.0.0.1", capture.port(), profile, alpn, TRUST));
    assertNotEquals(FailureKind.CERTIFICATE, failure.kind(), failure.getMessage());
    return ClientHello.parse(capture.nextHello());
  }

  @Test
  void theDefaultOfferReportsTheJa4ItSends() throws Exception {
    FingerprintOffer offer = ENGINE.offer("conscrypt-default").orElseThrow();
    ClientHello hello = sentHello(HOST, "conscrypt-default", List.of());
    String measured = Ja4.of(hello).ja4();
    assertEquals(offer.ja4(), Optional.of(measured), "measured " + Ja4.of(hello));
    assertEquals(Fidelity.NONE, offer.fidelity());
    assertEquals(Optional.of(HOST), hello.serverName());
    assertEquals(List.of("h2", "http/1.1"), hello.alpn());
  }

  @Test
  void theChromeOfferReportsTheJa4ItSends() throws Exception {
    FingerprintOffer offer = ENGINE.offer("chrome-156").orElseThrow();
    ClientHello hello = sentHello(HOST, "chrome-156", List.of());
    String measured = Ja4.of(hello).ja4();
    assertEquals(offer.ja4(), Optional.of(measured), "measured " + Ja4.of(hello));
    assertEquals(Fidelity.APPROXIMATE, offer.fidelity());
  }

  @Test
  void theChromeApproximationSendsChromesSuitesGroupsAndAlpn() throws Exception {
    BrowserProfile chrome = BrowserProfiles.get("chrome-156");
    ClientHello reference = chrome.referenceHello();
    ClientHello hello = sentHello(HOST, "chrome", List.of());

    assertEquals(
        withoutGrease(reference.cipherSuites()),
        hello.cipherSuites(),
        "Chrome's cipher suites in Chrome's order");
    assertEquals(withoutGrease(reference.supportedGroups()), hello.supportedGroups());
    assertEquals(
        List.of(0x11ec, 0x001d),
        hello.keyShares().stream().map(k -> k.group()).toList(),
        "key shares for X25519MLKEM768 and x25519, as Chrome sends (minus GREASE)");
    assertEquals(reference.alpn(), hello.alpn());
    assertTrue(hello.hasExtension(ClientHello.EXT_SESSION_TICKET), "session tickets as Chrome");
    assertEquals(Optional.of(HOST), hello.serverName());
    // What cannot be matched, and what the note therefore must admit to.
    assertFalse(hello.hasExtension(ClientHello.EXT_COMPRESS_CERTIFICATE));
    assertFalse(hello.hasExtension(ClientHello.EXT_ALPS));
    assertFalse(hello.cipherSuites().stream().anyMatch(ClientHello::isGrease));
    assertNotEquals(chrome.expectedJa4(), Ja4.of(hello).ja4());
    String note = ENGINE.offer("chrome").orElseThrow().note();
    for (String admitted :
        List.of(
            "GREASE",
            "extension order",
            "certificate compression",
            "ALPS",
            "ECH",
            "signature algorithms")) {
      assertTrue(note.contains(admitted), "note must admit to " + admitted + ": " + note);
    }
  }

  @Test
  void theCallersAlpnReplacesTheProfilesAndIsReflectedInTheJa4() throws Exception {
    ClientHello hello = sentHello(HOST, "chrome-156", List.of("http/1.1"));
    assertEquals(List.of("http/1.1"), hello.alpn());
    assertTrue(Ja4.of(hello).ja4().startsWith("t13d1512h1_"), Ja4.of(hello).ja4());
  }

  @Test
  void noServerNameForAnIpLiteralHost() throws Exception {
    ClientHello hello = sentHello("127.0.0.1", "chrome-156", List.of());
    assertEquals(Optional.empty(), hello.serverName(), "RFC 6066: SNI never carries an IP");
  }

  private static List<Integer> withoutGrease(List<Integer> values) {
    return values.stream().filter(v -> !ClientHello.isGrease(v)).toList();
  }
}
