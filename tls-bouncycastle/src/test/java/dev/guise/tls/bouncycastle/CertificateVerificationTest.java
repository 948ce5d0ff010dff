package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server certificates a browser accepts or rejects, accepted or rejected the same way. */
@Timeout(60)
class CertificateVerificationTest {
  private static final BouncyCastleEngine ENGINE = new BouncyCastleEngine();
  private static TestCertificateAuthority ca;

  @BeforeAll
  static void createAuthority() {
    ca = TestCertificateAuthority.create("Guise Verification Test Root");
  }

  private static String fetch(IssuedCertificate served, String host, TrustPolicy trust)
      throws Exception {
    try (JdkTlsServer server = JdkTlsServer.builder(served.serverSslContext()).start();
        TlsConnection c =
            ENGINE.connect(
                TestSupport.connect(server.port()),
                TestSupport.request(host, server.port(), "chrome", trust))) {
      return HandshakeTest.get(c, host);
    }
  }

  private static void assertRejected(IssuedCertificate served, String host, TrustPolicy trust) {
    ClassifiedIOException e =
        assertThrows(ClassifiedIOException.class, () -> fetch(served, host, trust));
    assertEquals(FailureKind.CERTIFICATE, e.kind(), e.getMessage());
    assertFalse(e.failure().retryable());
    // A bad certificate is the site's problem, not a block of the IP: drop the connection only.
    assertEquals(PoolAction.DISCARD_CONNECTION, e.failure().action(), e.getMessage());
  }

  @Test
  void validCertificateIsAccepted() throws Exception {
    assertTrue(
        fetch(ca.issue("www.example.test"), "www.example.test", ca.trustPolicy())
            .startsWith("HTTP/1.1 200"));
  }

  @Test
  void hostNameIsMatchedCaseInsensitivelyAndWithoutTrailingDot() throws Exception {
    assertTrue(
        fetch(ca.issue("www.example.test"), "WWW.Example.test.", ca.trustPolicy())
            .startsWith("HTTP/1.1 200"));
  }

  @Test
  void ipLiteralMatchesOnlyAnIpSan() throws Exception {
    assertTrue(
        fetch(ca.issue("127.0.0.1"), "127.0.0.1", ca.trustPolicy()).startsWith("HTTP/1.1 200"));
    assertRejected(ca.issue("localhost"), "127.0.0.1", ca.trustPolicy());
  }

  @Test
  void wildcardMatchesExactlyOneLeftMostLabel() throws Exception {
    IssuedCertificate wildcard = ca.issue("*.example.test");
    assertTrue(fetch(wildcard, "api.example.test", ca.trustPolicy()).startsWith("HTTP/1.1 200"));
    assertRejected(wildcard, "example.test", ca.trustPolicy());
    assertRejected(wildcard, "a.b.example.test", ca.trustPolicy());
  }

  @Test
  void wrongHostIsRejected() {
    assertRejected(ca.issue("other.example.test"), "www.example.test", ca.trustPolicy());
  }

  @Test
  void expiredAndNotYetValidAreRejected() {
    assertRejected(ca.issueExpired("www.example.test"), "www.example.test", ca.trustPolicy());
    assertRejected(ca.issueNotYetValid("www.example.test"), "www.example.test", ca.trustPolicy());
  }

  @Test
  void selfSignedIsRejected() {
    assertRejected(
        TestCertificateAuthority.selfSigned("www.example.test"),
        "www.example.test",
        ca.trustPolicy());
  }

  @Test
  void untrustedAuthorityIsRejectedAlsoByTheSystemTrustStore() {
    TestCertificateAuthority stranger = TestCertificateAuthority.create("Untrusted Root");
    assertRejected(stranger.issue("www.example.test"), "www.example.test", ca.trustPolicy());
    assertRejected(
        stranger.issue("www.example.test"), "www.example.test", TrustPolicy.systemDefaults());
  }

  @Test
  void extraAnchorsAddToTheSystemTrustStore() throws Exception {
    TrustPolicy policy = TrustPolicy.systemDefaults().withExtraAnchors(List.of(ca.certificate()));
    assertTrue(
        fetch(ca.issue("www.example.test"), "www.example.test", policy).startsWith("HTTP/1.1 200"));
  }
}
