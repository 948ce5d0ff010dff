package dev.guise.tls.bouncycastle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.NegotiatedTls;
import dev.guise.api.TlsConnection;
import dev.guise.api.TrustPolicy;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Full handshakes and an HTTP/1.1 request against real TLS servers on loopback. */
@Timeout(60)
class HandshakeTest {
  private static final String HOST = "www.guise.test";
  private static final BouncyCastleEngine ENGINE = new BouncyCastleEngine();
  private static TestCertificateAuthority ca;
  private static IssuedCertificate certificate;
  private static TrustPolicy trust;
  private static JdkTlsServer jdk;
  private static JdkTlsServer jdkTls12;
  private static OpenSslServer openssl;
  private static OpenSslServer opensslHrr;
  private static OpenSslServer opensslTls12;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    ca = TestCertificateAuthority.create("Guise Handshake Test Root");
    certificate = ca.issue(HOST, "127.0.0.1");
    trust = ca.trustPolicy();
    jdk = JdkTlsServer.builder(certificate.serverSslContext()).start();
    jdkTls12 = JdkTlsServer.builder(certificate.serverSslContext()).protocols("TLSv1.2").start();
    IssuedCertificate.PemFiles pem = certificate.writePem(dir);
    openssl = new OpenSslServer(pem.certificateChain(), pem.privateKey());
    // Only P-256: neither profile's first key share fits Chrome, so the server must retry.
    opensslHrr = new OpenSslServer(pem.certificateChain(), pem.privateKey(), "-groups", "P-256");
    opensslTls12 = new OpenSslServer(pem.certificateChain(), pem.privateKey(), "-tls1_2");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {jdk, jdkTls12, openssl, opensslHrr, opensslTls12}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static String get(TlsConnection connection, String host) throws IOException {
    OutputStream out = connection.output();
    out.write(
        ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    byte[] response = connection.input().readAllBytes();
    return new String(response, StandardCharsets.ISO_8859_1);
  }

  private static NegotiatedTls handshakeAndGet(int port, String profile, String expectStatus)
      throws IOException {
    try (TlsConnection c =
        ENGINE.connect(
            TestSupport.connect(port), TestSupport.request(HOST, port, profile, trust))) {
      String response = get(c, HOST);
      assertTrue(response.startsWith(expectStatus), response);
      assertEquals(certificate.leaf(), c.negotiated().peerCertificates().get(0));
      return c.negotiated();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "firefox-153"})
  void jdkServer(String profile) throws Exception {
    NegotiatedTls tls = handshakeAndGet(jdk.port(), profile, "HTTP/1.1 200");
    assertEquals("TLSv1.3", tls.protocol());
    assertEquals(profile, tls.profile());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome", "firefox"})
  void opensslServer(String profile) throws Exception {
    NegotiatedTls tls = handshakeAndGet(openssl.port(), profile, "HTTP/1.0 200");
    assertEquals("TLSv1.3", tls.protocol());
    assertEquals(Optional.of("x25519"), tls.namedGroup(), "OpenSSL 3.0 has no ML-KEM: x25519");
  }

  @Test
  void helloRetryRequestForAGroupWithoutAKeyShare() throws Exception {
    // Chrome sends shares for X25519MLKEM768 and x25519 only; the server wants P-256.
    NegotiatedTls tls = handshakeAndGet(opensslHrr.port(), "chrome", "HTTP/1.0 200");
    assertEquals("TLSv1.3", tls.protocol());
    assertEquals(Optional.of("secp256r1"), tls.namedGroup());
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome", "firefox"})
  void tls12OnlyServers(String profile) throws Exception {
    NegotiatedTls viaOpenssl = handshakeAndGet(opensslTls12.port(), profile, "HTTP/1.0 200");
    assertEquals("TLSv1.2", viaOpenssl.protocol());
    assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", viaOpenssl.cipherSuite());
    NegotiatedTls viaJdk = handshakeAndGet(jdkTls12.port(), profile, "HTTP/1.1 200");
    assertEquals("TLSv1.2", viaJdk.protocol());
  }

  /**
   * Each TLS 1.3 AES-GCM suite, forced by the server, carrying more than a full 16 KiB record each
   * way: both directions run through the engine's own GHASH multiplier (CompactGcmTlsCrypto), so a
   * wrong product would fail the handshake's Finished or a record's tag.
   */
  @ParameterizedTest
  @CsvSource({
    "TLS_AES_128_GCM_SHA256, chrome-156",
    "TLS_AES_256_GCM_SHA384, chrome-156",
    "TLS_AES_128_GCM_SHA256, firefox-153",
    "TLS_AES_256_GCM_SHA384, firefox-153",
  })
  void aesGcmSuitesCarryWholeRecordsBothWays(String suite, String profile) throws Exception {
    byte[] body = new byte[70_000];
    new SplittableRandom(suite.hashCode()).nextBytes(body);
    try (JdkTlsServer server =
            JdkTlsServer.builder(certificate.serverSslContext())
                .body(body)
                .cipherSuites(suite)
                .protocols("TLSv1.3")
                .start();
        TlsConnection c =
            ENGINE.connect(
                TestSupport.connect(server.port()),
                TestSupport.request(HOST, server.port(), profile, trust))) {
      assertEquals(suite, c.negotiated().cipherSuite());
      assertEquals("TLSv1.3", c.negotiated().protocol());
      OutputStream out = c.output();
      // A 20 KiB header: the request alone fills one record and spills into another.
      out.write(
          ("GET / HTTP/1.1\r\nHost: "
                  + HOST
                  + "\r\nX-Pad: "
                  + "p".repeat(20_000)
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] response = c.input().readAllBytes();
      String head = "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n";
      assertEquals(
          head,
          new String(
              response, 0, Math.min(head.length(), response.length), StandardCharsets.ISO_8859_1));
      assertArrayEquals(body, Arrays.copyOfRange(response, head.length(), response.length));
    }
  }

  @Test
  void anIdleReadTimesOutWithoutBreakingTheConnection() throws Exception {
    // s_server -www waits for a request: the first read times out, the request still works after.
    try (TlsConnection c =
        ENGINE.connect(
            TestSupport.connect(openssl.port()),
            TestSupport.request(HOST, openssl.port(), "chrome", trust))) {
      c.setReadTimeout(Duration.ofMillis(200));
      try {
        c.input().read();
        throw new AssertionError("nothing was sent; the read must time out");
      } catch (SocketTimeoutException expected) {
        assertTrue(c.isOpen());
      }
      c.setReadTimeout(Duration.ofSeconds(10));
      assertTrue(get(c, HOST).startsWith("HTTP/1.0 200"));
    }
  }
}
