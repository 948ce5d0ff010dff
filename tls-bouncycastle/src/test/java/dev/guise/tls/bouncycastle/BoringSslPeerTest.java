package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.codec.content.ContentDecoders;
import dev.guise.fingerprint.BrowserProfiles;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import dev.guise.tls.bouncycastle.internal.ConnectionFacts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshakes against BoringSSL (netty-tcnative-boringssl-static), the TLS library of Chrome and of
 * Google's front ends: the browsers' ClientHellos must be accepted, X25519MLKEM768 negotiated with
 * a real ML-KEM exchange when it is the only group the server allows, and the server's compressed
 * certificate (Chrome offers brotli, Firefox zlib first) taken apart and verified.
 *
 * <p>Not covered: ALPS. netty-tcnative 2.0.84 has no API to make BoringSSL negotiate it (see {@link
 * BoringSslServer}).
 */
@Timeout(60)
class BoringSslPeerTest {
  private static final String HOST = "www.guise.test";
  private static final BouncyCastleEngine ENGINE = new BouncyCastleEngine();
  private static IssuedCertificate certificate;
  private static TrustPolicy trust;
  private static BoringSslServer mlkemOnly;

  @BeforeAll
  static void start() throws Exception {
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise BoringSSL Test Root");
    certificate = ca.issue(HOST);
    trust = ca.trustPolicy();
    // Only the hybrid group: a handshake that completes proves the ML-KEM share was real. ALPN
    // http/1.1 only, so the browsers' default ALPN list (h2 first) is sent unchanged and the
    // server still picks the protocol the test speaks. Brotli first: BoringSSL takes its own
    // first algorithm the client offered, so Firefox (zlib, brotli, zstd) gets brotli too unless
    // the test asks for zlib on a server of its own.
    mlkemOnly =
        new BoringSslServer(
            certificate,
            List.of("X25519MLKEM768"),
            List.of("http/1.1"),
            List.of(BoringSslServer.BROTLI, BoringSslServer.ZLIB));
  }

  @AfterAll
  static void stop() throws Exception {
    if (mlkemOnly != null) {
      mlkemOnly.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void mlKemHandshakeWithACompressedCertificateAndARequest(String profile) throws Exception {
    List<Integer> offered =
        BrowserProfiles.get(profile).referenceHello().certificateCompressionAlgorithms();
    int compressionsBefore = mlkemOnly.compressions();
    try (TlsConnection c =
        ENGINE.connect(
            TestSupport.connect(mlkemOnly.port()),
            TestSupport.request(HOST, mlkemOnly.port(), profile, trust))) {
      String response = HandshakeTest.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.endsWith("group=X25519MLKEM768"), response);
      assertEquals("TLSv1.3", c.negotiated().protocol());
      assertEquals(Optional.of("X25519MLKEM768"), c.negotiated().namedGroup());
      assertEquals(Optional.of("http/1.1"), c.negotiated().alpn());
      assertEquals(certificate.leaf(), c.negotiated().peerCertificates().get(0));
      // The server compressed its certificate (its callback ran) and the client took the
      // compressed_certificate path with the algorithm both sides agree on.
      assertEquals(compressionsBefore + 1, mlkemOnly.compressions());
      int serverAlgorithm = mlkemOnly.compressedWith().get(mlkemOnly.compressedWith().size() - 1);
      assertTrue(offered.contains(serverAlgorithm), offered + " vs " + serverAlgorithm);
      assertEquals(serverAlgorithm, ConnectionFacts.certificateCompression(c));
    }
    BoringSslServer.Session session = mlkemOnly.nextSession();
    assertEquals(Optional.empty(), session.failure());
    assertEquals(Optional.of("X25519MLKEM768"), session.group());
    assertEquals(Optional.of("http/1.1"), session.alpn());
    assertTrue(session.request().startsWith("GET / HTTP/1.1\r\nHost: " + HOST), session.request());
  }

  @Test
  void firefoxTakesAZlibCompressedCertificate() throws Exception {
    assertTrue(
        BrowserProfiles.get("firefox")
            .referenceHello()
            .certificateCompressionAlgorithms()
            .contains(BoringSslServer.ZLIB));
    try (BoringSslServer zlib =
            new BoringSslServer(
                certificate,
                List.of("X25519MLKEM768", "X25519"),
                List.of("http/1.1"),
                List.of(BoringSslServer.ZLIB));
        TlsConnection c =
            ENGINE.connect(
                TestSupport.connect(zlib.port()),
                TestSupport.request(HOST, zlib.port(), "firefox", trust))) {
      assertTrue(HandshakeTest.get(c, HOST).startsWith("HTTP/1.1 200"));
      assertEquals(List.of(BoringSslServer.ZLIB), zlib.compressedWith());
      assertEquals(BoringSslServer.ZLIB, ConnectionFacts.certificateCompression(c));
      assertEquals(
          Optional.of("X25519MLKEM768"), c.negotiated().namedGroup(), "the first shared group");
    }
  }

  @Test
  void theTestServersBrotliStreamIsValidBrotli() throws Exception {
    // The server's brotli is uncompressed meta-blocks; a reference decoder must read it back, or
    // the Chrome case above would prove nothing about brotli.
    byte[] data = new byte[70_000];
    new Random(7).nextBytes(data);
    byte[] decoded =
        ContentDecoders.decompressCertificate(
            ContentDecoders.CERT_BROTLI, BoringSslServer.storedBrotli(data), data.length);
    assertTrue(Arrays.equals(data, decoded));
  }
}
