package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnection;
import dev.guise.testing.OpenSslServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshakes and requests against {@code openssl s_server -www} (the machine's OpenSSL) on
 * loopback, with a certificate from the testkit's CA. Fails, clearly, when openssl is missing.
 */
class ConscryptOpenSslTest {
  private static final String HOST = "www.example.test";
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise openssl CA");
  private static final ConscryptEngine ENGINE = new ConscryptEngine();
  private static OpenSslServer tls13;
  private static OpenSslServer tls12;

  @TempDir static Path dir;
  private static int tls13Port;
  private static int tls12Port;

  @BeforeAll
  static void startOpenSsl() throws Exception {
    IssuedCertificate cert = CA.issue(HOST);
    IssuedCertificate.PemFiles pem = cert.writePem(dir.resolve("pem"));
    tls13 = start(pem, "-tls1_3");
    tls13Port = tls13.port();
    tls12 = start(pem, "-tls1_2");
    tls12Port = tls12.port();
  }

  private static OpenSslServer start(IssuedCertificate.PemFiles pem, String version)
      throws Exception {
    return new OpenSslServer(
        pem.certificateChain(), pem.privateKey(), version, "-alpn", "http/1.1", "-quiet");
  }

  @AfterAll
  static void stopOpenSsl() throws InterruptedException {
    for (OpenSslServer server : new OpenSslServer[] {tls13, tls12}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "conscrypt-default"})
  void handshakeAndGetOverTls13(String profile) throws Exception {
    try (TlsConnection c =
        LoopbackServers.connect(ENGINE, HOST, "127.0.0.1", tls13Port, profile, CA.trustPolicy())) {
      assertEquals("TLSv1.3", c.negotiated().protocol());
      assertEquals(Optional.of("http/1.1"), c.negotiated().alpn());
      // OpenSSL 3.0 has no ML-KEM: it takes the x25519 share Conscrypt also sends.
      assertEquals(Optional.of("X25519"), c.negotiated().namedGroup());
      String response = LoopbackServers.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.0 200 ok"), response);
      assertTrue(response.contains("TLSv1.3"), "s_server's status page names the protocol");
    }
  }

  @Test
  void handshakeAndGetOverTls12() throws Exception {
    try (TlsConnection c =
        LoopbackServers.connect(
            ENGINE, HOST, "127.0.0.1", tls12Port, "chrome-156", CA.trustPolicy())) {
      assertEquals("TLSv1.2", c.negotiated().protocol());
      assertTrue(
          c.negotiated().cipherSuite().startsWith("TLS_ECDHE_ECDSA_WITH_"),
          c.negotiated().cipherSuite());
      String response = LoopbackServers.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.0 200 ok"), response);
    }
  }

  @Test
  void wrongHostIsRejectedByOpenSslToo() {
    var e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                LoopbackServers.connect(
                    ENGINE,
                    "other.example.test",
                    "127.0.0.1",
                    tls13Port,
                    "chrome-156",
                    CA.trustPolicy()));
    assertEquals(FailureKind.CERTIFICATE, e.kind(), e.getMessage());
  }
}
