package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.KeyType;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Certificate and host name verification against a JDK TLS server on loopback, with certificates
 * from the testkit's CA: what a browser accepts is accepted, what it rejects is a CERTIFICATE
 * failure that is never retried.
 */
class ConscryptCertificateTest {
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise cert test CA");
  private static final TrustPolicy TRUST = CA.trustPolicy();
  private static final ConscryptEngine ENGINE = new ConscryptEngine();

  private static String fetch(IssuedCertificate cert, String bind, String host, TrustPolicy trust)
      throws Exception {
    try (var server = LoopbackServers.https(bind, cert);
        TlsConnection c =
            LoopbackServers.connect(ENGINE, host, bind, server.port(), "chrome-156", trust)) {
      return LoopbackServers.get(c, host);
    }
  }

  private static void assertRejected(
      IssuedCertificate cert, String bind, String host, TrustPolicy trust) {
    var e = assertThrows(ClassifiedIOException.class, () -> fetch(cert, bind, host, trust));
    assertEquals(FailureKind.CERTIFICATE, e.kind(), e.getMessage());
    assertFalse(e.failure().retryable(), "a rejected certificate is never retried");
  }

  @Test
  void validCertificateAndRequest() throws Exception {
    IssuedCertificate cert = CA.issue("www.example.test");
    try (var server = LoopbackServers.https("127.0.0.1", cert);
        TlsConnection c =
            LoopbackServers.connect(
                ENGINE, "www.example.test", "127.0.0.1", server.port(), "chrome-156", TRUST)) {
      NegotiatedTls tls = c.negotiated();
      assertEquals("TLSv1.3", tls.protocol());
      assertTrue(
          tls.cipherSuite().startsWith("TLS_AES_") || tls.cipherSuite().startsWith("TLS_CHACHA20"),
          tls.cipherSuite());
      assertEquals(Optional.of("http/1.1"), tls.alpn());
      assertTrue(tls.namedGroup().isPresent(), "Conscrypt reports the group");
      assertEquals(List.of(cert.leaf()), tls.peerCertificates());
      assertEquals("chrome-156", tls.profile());
      assertEquals(Fidelity.APPROXIMATE, tls.fidelity());
      assertTrue(c.isOpen());
      String response = LoopbackServers.get(c, "www.example.test");
      assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
      assertTrue(response.endsWith("hello from 127.0.0.1"), response);
      assertFalse(c.isOpen(), "the server closed and the engine saw it");
      c.close();
      c.close(); // twice is harmless
    }
  }

  @Test
  void aliasIsReportedByCanonicalName() throws Exception {
    IssuedCertificate cert = CA.issue("www.example.test");
    try (var server = LoopbackServers.https("127.0.0.1", cert);
        TlsConnection c =
            LoopbackServers.connect(
                ENGINE, "www.example.test", "127.0.0.1", server.port(), "CHROME", TRUST)) {
      assertEquals("chrome-156", c.negotiated().profile());
    }
  }

  @Test
  void wildcardCertificateForOneLabel() throws Exception {
    String response = fetch(CA.issue("*.example.test"), "127.0.0.1", "api.example.test", TRUST);
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
  }

  @Test
  void wildcardDoesNotCoverTwoLabelsOrTheApex() {
    assertRejected(CA.issue("*.example.test"), "127.0.0.1", "a.b.example.test", TRUST);
    assertRejected(CA.issue("*.example.test"), "127.0.0.1", "example.test", TRUST);
  }

  @Test
  void wrongHost() {
    assertRejected(CA.issue("other.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @Test
  void expired() {
    assertRejected(CA.issueExpired("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @Test
  void notYetValid() {
    assertRejected(CA.issueNotYetValid("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @Test
  void selfSigned() {
    assertRejected(
        TestCertificateAuthority.selfSigned("www.example.test"),
        "127.0.0.1",
        "www.example.test",
        TRUST);
  }

  @Test
  void untrustedCa() {
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Someone else's CA");
    assertRejected(stranger.issue("www.example.test"), "127.0.0.1", "www.example.test", TRUST);
  }

  @Test
  void theSystemTrustStoreDoesNotKnowTheTestCa() {
    assertRejected(
        CA.issue("www.example.test"),
        "127.0.0.1",
        "www.example.test",
        TrustPolicy.systemDefaults());
  }

  @Test
  void extraAnchorsOnTopOfTheSystemTrustStore() throws Exception {
    String response =
        fetch(
            CA.issue("www.example.test"),
            "127.0.0.1",
            "www.example.test",
            TrustPolicy.systemDefaults().withExtraAnchors(List.of(CA.certificate())));
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
  }

  @Test
  void ipSanForAnIpLiteralHost() throws Exception {
    String response = fetch(CA.issue("127.0.0.1"), "127.0.0.1", "127.0.0.1", TRUST);
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
  }

  @Test
  void anIpLiteralHostNeedsAnIpSan() {
    assertRejected(CA.issue("www.example.test"), "127.0.0.1", "127.0.0.1", TRUST);
  }

  @Test
  void theNameIsCheckedAgainstTheHostNotTheConnectedIp() throws Exception {
    // Connected to 127.0.0.2, asking for www.example.test: a certificate for the name is right.
    String response = fetch(CA.issue("www.example.test"), "127.0.0.2", "www.example.test", TRUST);
    assertTrue(response.endsWith("hello from 127.0.0.2"), response);
    // A certificate only for the IP we are connected to is not a certificate for the host.
    assertRejected(CA.issue("127.0.0.2"), "127.0.0.2", "www.example.test", TRUST);
  }

  @Test
  void rsaServerOverTls12() throws Exception {
    IssuedCertificate rsa = CA.leaf("www.example.test").keyType(KeyType.RSA_2048).issue();
    try (var server = LoopbackServers.https("127.0.0.1", rsa, "TLSv1.2");
        TlsConnection c =
            LoopbackServers.connect(
                ENGINE, "www.example.test", "127.0.0.1", server.port(), "chrome-156", TRUST)) {
      assertEquals("TLSv1.2", c.negotiated().protocol());
      assertTrue(
          c.negotiated().cipherSuite().startsWith("TLS_ECDHE_RSA_WITH_"),
          c.negotiated().cipherSuite());
      assertTrue(LoopbackServers.get(c, "www.example.test").startsWith("HTTP/1.1 200"));
    }
  }
}
