package dev.guise.tls.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK engine's own refusal message and name rules. Certificates, timeouts and peers that are
 * not TLS: the matrices of engine-conformance-tests, which run over every engine.
 */
class JdkEngineBehaviourTest {
  private static final JdkEngine ENGINE = new JdkEngine();
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("JDK engine CA");

  private static TlsConnectRequest request(String host, int port, String profile, Duration timeout)
      throws Exception {
    return new TlsConnectRequest(
        new TlsEndpoint(host, InetAddress.getByName("127.0.0.1"), port),
        profile,
        List.of("http/1.1"),
        CA.trustPolicy(),
        timeout);
  }

  private static Socket connect(ServerSocket server) throws Exception {
    Socket socket = new Socket();
    socket.connect(server.getLocalSocketAddress(), 2000);
    return socket;
  }

  @Test
  void aProfileItCannotSendIsAnInvalidRequestAndTheSocketIsClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = connect(server);
      var e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  ENGINE.connect(
                      socket,
                      request(
                          "www.example.test",
                          server.getLocalPort(),
                          "chrome",
                          Duration.ofSeconds(5))));
      assertEquals(FailureKind.INVALID_REQUEST, e.kind());
      assertFalse(e.failure().retryable());
      assertTrue(socket.isClosed(), "on failure the engine closes the socket");
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void theHostIsMatchedIgnoringCaseAndATrailingDotAndSentAsSni() throws Exception {
    IssuedCertificate cert = CA.issue("www.example.test");
    try (SSLServerSocket server =
        (SSLServerSocket)
            cert.serverSslContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String[] sni = new String[1];
      Thread peer =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                      s.startHandshake();
                      var session = (ExtendedSSLSession) s.getSession();
                      sni[0] =
                          session.getRequestedServerNames().isEmpty()
                              ? null
                              : new String(
                                  session.getRequestedServerNames().get(0).getEncoded(),
                                  StandardCharsets.US_ASCII);
                      s.getOutputStream().write('x');
                      s.getOutputStream().flush();
                      s.getInputStream().read();
                    } catch (Exception ignored) {
                      // the assertions below tell what went wrong
                    }
                  });
      try (TlsConnection c =
          ENGINE.connect(
              connect(server),
              request(
                  "WWW.Example.test.",
                  server.getLocalPort(),
                  "jdk-default",
                  Duration.ofSeconds(10)))) {
        InputStream in = c.input();
        assertEquals('x', in.read());
        assertEquals("www.example.test", sni[0]);
        assertEquals(
            "www.example.test",
            c.negotiated()
                .peerCertificates()
                .get(0)
                .getSubjectAlternativeNames()
                .iterator()
                .next()
                .get(1));
      }
      peer.join(5000);
    }
  }
}
