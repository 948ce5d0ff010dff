package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.fingerprint.BrowserProfile;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.fingerprint.ClientHello;
import dev.guise.fingerprint.Ja3;
import dev.guise.fingerprint.Ja4;
import dev.guise.fingerprint.PskIdentity;
import dev.guise.fingerprint.TlsExtension;
import dev.guise.fingerprint.TlsRandomisation;
import dev.guise.testing.HelloCatcher;
import dev.guise.testing.OpenSslServer;
import dev.guise.testing.ReferenceCaptures;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resumed ClientHello on the wire against the browsers' own resumed hellos (the session
 * captures {@code sessions/chromium1/conn06} and {@code sessions/firefox1/conn20}), field by field,
 * ignoring only what the browser randomises and what the ticket decides (its bytes, age, binder).
 * The ticket is a real one from OpenSSL 3.0, the server of the captures.
 */
@Timeout(60)
class ResumedHelloFidelityTest {
  private static final String HOST = "www.fp-oracle.test"; // the captures' host
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static OpenSslServer openssl;
  private static TrustPolicy trust;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Resumed Hello Root");
    IssuedCertificate certificate = ca.issue(HOST, "127.0.0.1");
    trust = ca.trustPolicy();
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    // As in the captures, the client's cipher order decides (AES-128-GCM: 32-byte binders).
    openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey());
  }

  @AfterAll
  static void stop() throws Exception {
    if (openssl != null) {
      openssl.close();
    }
  }

  @Test
  void chromeResumedHelloIsChromiumsResumedHello() throws Exception {
    ClientHello reference = capture("sessions/chromium1/conn06.bin");
    ClientHello sent = resumedHello("chrome-156");

    assertEquals("t13d1518h2_8daaf6152771_e2d80978ab2e", Ja4.of(reference).ja4());
    assertEquals(Ja4.of(reference).ja4(), Ja4.of(sent).ja4());
    assertEquals(Ja3.of(reference).normalized(), Ja3.of(sent).normalized());
    BrowserProfile chrome = BrowserProfiles.get("chrome-156");
    assertEquals(
        List.of(),
        asProfile(chrome, reference, chrome.tlsRandomisation()).differencesFrom(sent),
        "differences from Chromium's resumed hello");
    // Chromium keeps an empty session_ticket when it resumes; GREASE first and second-last.
    assertEquals(0, sent.extension(ClientHello.EXT_SESSION_TICKET).orElseThrow().length());
    List<TlsExtension> ext = sent.extensions();
    assertTrue(ext.get(0).isGrease());
    assertTrue(ext.get(ext.size() - 2).isGrease());
    assertPskLayout(reference, sent);
  }

  @Test
  void firefoxResumedHelloIsFirefoxsResumedHello() throws Exception {
    ClientHello reference = capture("sessions/firefox1/conn20.bin");
    ClientHello sent = resumedHello("firefox-153");

    assertEquals("t13d1617h2_86a278354501_e6dcd7ae0a9e", Ja4.of(reference).ja4());
    assertEquals(Ja4.of(reference).ja4(), Ja4.of(sent).ja4());
    assertEquals(Ja3.of(reference).string(), Ja3.of(sent).string());
    assertEquals(reference.extensionTypes(), sent.extensionTypes(), "Firefox's order is fixed");
    BrowserProfile firefox = BrowserProfiles.get("firefox-153");
    TlsRandomisation resumed =
        new TlsRandomisation(
            false, false, List.of(reference.echPayloadLength().orElseThrow()), true);
    assertEquals(List.of(), asProfile(firefox, reference, resumed).differencesFrom(sent));
    assertFalse(sent.hasExtension(ClientHello.EXT_SESSION_TICKET), "Firefox drops session_ticket");
    assertTrue(HelloTemplate.sendsOneX25519Key(reference), "Firefox resumes with one X25519 key");
    assertTrue(HelloTemplate.sendsOneX25519Key(sent));
    assertPskLayout(reference, sent);
    // With OpenSSL's 192-byte ticket, as in the capture, every length is the browser's.
    assertEquals(reference.toRecordBytes().length, sent.toRecordBytes().length);
  }

  @Test
  void fullHellosAreUnchangedWhenNoTicketIsHeld() throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new ResumptionTest.HandClock());
    try (HelloCatcher catcher = new HelloCatcher()) {
      ClientHello sent = ClientHello.parse(sendTo(engine, catcher, "chrome-156"));
      assertFalse(sent.hasExtension(ClientHello.EXT_PRE_SHARED_KEY));
      assertEquals(
          BrowserProfiles.get("chrome-156").expectedJa4(), Ja4.of(sent).ja4(), "full-hello JA4");
    }
  }

  /** Same identity, binder and modes layout as the browser; no early_data (neither sent it). */
  private static void assertPskLayout(ClientHello reference, ClientHello sent) {
    List<Integer> types = sent.extensionTypes();
    assertEquals(ClientHello.EXT_PRE_SHARED_KEY, types.get(types.size() - 1), "psk is last");
    assertFalse(sent.hasExtension(42), "no early_data");
    assertEquals(reference.pskKeyExchangeModes(), sent.pskKeyExchangeModes());
    assertEquals(List.of(1), sent.pskKeyExchangeModes());
    Psk ref = Psk.of(reference);
    Psk got = Psk.of(sent);
    assertEquals(1, got.identities());
    assertEquals(ref.identities(), got.identities());
    assertEquals(ref.binderLengths(), got.binderLengths());
    assertEquals(ref.identityLength(), got.identityLength(), "OpenSSL 3.0's ticket, as captured");
    assertNotEquals(0L, got.obfuscatedAge(), "the age is obfuscated with ticket_age_add");
    assertEquals(reference.sessionId().length, sent.sessionId().length);
  }

  /** pre_shared_key decoded: identity count, first identity's length and age, binder lengths. */
  record Psk(int identities, int identityLength, long obfuscatedAge, List<Integer> binderLengths) {
    static Psk of(ClientHello hello) {
      List<PskIdentity> ids = hello.pskIdentities();
      assertFalse(ids.isEmpty(), "pre_shared_key offers an identity");
      PskIdentity first = ids.get(0);
      return new Psk(
          ids.size(), first.ticketLength(), first.obfuscatedTicketAge(), hello.pskBinderLengths());
    }
  }

  private static BrowserProfile asProfile(
      BrowserProfile browser, ClientHello reference, TlsRandomisation randomisation) {
    return new BrowserProfile(
        browser.name(),
        List.of(),
        "resumed",
        reference,
        randomisation,
        browser.http2(),
        browser.defaultHeaders(),
        browser.knownHeaderOrder(),
        browser.pinnedLastHeaders());
  }

  private static ClientHello capture(String path) throws Exception {
    return ClientHello.parse(ReferenceCaptures.bytes(path));
  }

  /** A real ticket from OpenSSL, then the hello that offers it, caught on the wire. */
  private static ClientHello resumedHello(String profile) throws Exception {
    BcConnector engine = BcConnector.builtIn().withTicketClock(new ResumptionTest.HandClock());
    TlsConnectRequest first =
        new TlsConnectRequest(
            new TlsEndpoint(HOST, InetAddress.getLoopbackAddress(), openssl.port()),
            profile,
            List.of(),
            trust,
            TIMEOUT);
    ResumptionTest.Result full = ResumptionTest.exchange(engine, first);
    assertFalse(full.resumed());
    ResumptionTicket ticket =
        engine
            .tickets()
            .take(new TicketCache.Key(profile, TlsConnectRequest.DIRECT, HOST, openssl.port()))
            .orElseThrow();
    try (HelloCatcher catcher = new HelloCatcher()) {
      engine
          .tickets()
          .put(
              new TicketCache.Key(profile, TlsConnectRequest.DIRECT, HOST, catcher.port()), ticket);
      return ClientHello.parse(sendTo(engine, catcher, profile));
    }
  }

  private static byte[] sendTo(BcConnector engine, HelloCatcher catcher, String profile)
      throws Exception {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), catcher.port()),
        (int) TIMEOUT.toMillis());
    TlsConnectRequest request =
        new TlsConnectRequest(
            new TlsEndpoint(HOST, InetAddress.getLoopbackAddress(), catcher.port()),
            profile,
            List.of(),
            trust,
            TIMEOUT);
    try {
      engine.connect(socket, request).close();
      throw new AssertionError("a server that hangs up after the hello cannot complete it");
    } catch (IOException expected) {
      // the catcher hung up after the hello
    }
    return catcher.nextHello();
  }
}
