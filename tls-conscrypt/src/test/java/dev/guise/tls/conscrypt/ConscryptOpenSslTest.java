package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnection;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  private static final TestCertificateAuthority CA = TestCertificateAuthority.create("Guise openssl CA");
  private static final ConscryptEngine ENGINE = new ConscryptEngine();
  private static final List<Process> SERVERS = new ArrayList<>();

  @TempDir static Path dir;
  private static int tls13Port;
  private static int tls12Port;

  @BeforeAll
  static void startOpenSsl() throws Exception {
    IssuedCertificate cert = CA.issue(HOST);
    IssuedCertificate.PemFiles pem = cert.writePem(dir.resolve("pem"));
    tls13Port = start(pem, "-tls1_3");
    tls12Port = start(pem, "-tls1_2");
  }

  private static int start(IssuedCertificate.PemFiles pem, String version) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    Process p;
    try {
      p = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port,
          "-cert", pem.certificateChain().toString(), "-key", pem.privateKey().toString(),
          version, "-www", "-alpn", "http/1.1", "-quiet")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl-" + port + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new AssertionError("openssl is needed for this test and could not be started: " + e, e);
    }
    SERVERS.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return port;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("openssl s_server did not start: "
              + Files.readString(dir.resolve("openssl-" + port + ".log")));
        }
        Thread.sleep(50);
      }
    }
  }

  @AfterAll
  static void stopOpenSsl() throws InterruptedException {
    for (Process p : SERVERS) {
      p.destroy();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"chrome-156", "conscrypt-default"})
  void handshakeAndGetOverTls13(String profile) throws Exception {
    try (TlsConnection c = LoopbackServers.connect(ENGINE, HOST, "127.0.0.1", tls13Port, profile,
        CA.trustPolicy())) {
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
    try (TlsConnection c = LoopbackServers.connect(ENGINE, HOST, "127.0.0.1", tls12Port,
        "chrome-156", CA.trustPolicy())) {
      assertEquals("TLSv1.2", c.negotiated().protocol());
      assertTrue(c.negotiated().cipherSuite().startsWith("TLS_ECDHE_ECDSA_WITH_"),
          c.negotiated().cipherSuite());
      String response = LoopbackServers.get(c, HOST);
      assertTrue(response.startsWith("HTTP/1.0 200 ok"), response);
    }
  }

  @Test
  void wrongHostIsRejectedByOpenSslToo() {
    var e = assertThrows(ClassifiedIOException.class, () -> LoopbackServers.connect(
        ENGINE, "other.example.test", "127.0.0.1", tls13Port, "chrome-156", CA.trustPolicy()));
    assertEquals(FailureKind.CERTIFICATE, e.kind(), e.getMessage());
  }

}
