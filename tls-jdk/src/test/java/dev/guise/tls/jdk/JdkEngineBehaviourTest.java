package dev.guise.tls.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.testing.Loopback;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK engine's own name rules. Certificates, timeouts, peers that are not TLS and profiles it
 * does not offer: the matrices of engine-conformance-tests, which run over every engine.
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
              Loopback.connect(server),
              request(
                  "WWW.Example.test.",
                  server.getLocalPort(),
                  "jdk-default",
                  Duration.ofSeconds(10)))) {
        InputStream in = c.input();
        assertEquals('x', in.read());
        assertEquals("www.example.test", sni[0]);
        // The server sent its ticket before 'x'. The JDK keeps tickets in its session cache
        // without saying how many a connection brought: unknown.
        assertEquals(OptionalInt.empty(), c.ticketsKept());
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
