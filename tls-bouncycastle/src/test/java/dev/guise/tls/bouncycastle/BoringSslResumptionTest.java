package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import dev.guise.tls.bouncycastle.internal.ConnectionFacts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resumption against BoringSSL (the TLS of Google's and Cloudflare's front ends): the second
 * connection offers the first one's ticket and BoringSSL itself reports the session reused, over an
 * X25519MLKEM768 key exchange (psk_dhe_ke, as both browsers ask).
 */
@Timeout(60)
class BoringSslResumptionTest {
  private static final String HOST = "www.guise.test";

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void theSecondConnectionResumes(String profile) throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise BoringSSL Resumption");
    IssuedCertificate certificate = ca.issue(HOST);
    TrustPolicy trust = ca.trustPolicy();
    BouncyCastleEngine engine = new BouncyCastleEngine();
    try (BoringSslServer server =
        new BoringSslServer(
            certificate,
            List.of("X25519MLKEM768"),
            List.of("http/1.1"),
            List.of(BoringSslServer.BROTLI, BoringSslServer.ZLIB))) {
      for (int i = 0; i < 2; i++) {
        try (TlsConnection c =
            engine.connect(
                TestSupport.connect(server.port()),
                TestSupport.request(HOST, server.port(), profile, trust))) {
          String response = HandshakeTest.get(c, HOST);
          assertTrue(response.startsWith("HTTP/1.1 200"), response);
          assertEquals(i == 1, ConnectionFacts.resumed(c), "connection " + i);
          assertEquals(Optional.of("X25519MLKEM768"), c.negotiated().namedGroup());
          assertEquals(certificate.leaf(), c.negotiated().peerCertificates().get(0));
        }
        BoringSslServer.Session session = server.nextSession();
        assertEquals(Optional.empty(), session.failure());
        assertEquals(i == 1, session.reused(), "BoringSSL says connection " + i + " resumed");
      }
      assertFalse(server.compressedWith().size() > 1, "no certificate on the resumed connection");
    }
  }
}
