package dev.guise.tls.conscrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.TlsEngine;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Refusals, the bounded close and the unknown-profile error. Timeouts and peers that are not TLS:
 * engine-conformance-tests' HandshakeConformanceTest, which runs over every engine.
 */
class ConscryptEngineBehaviourTest {
  private static final ConscryptEngine ENGINE = new ConscryptEngine();
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise behaviour CA");

  @Test
  void aProfileItCannotSendIsAnInvalidRequestAndTheSocketIsClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = new Socket();
      socket.connect(server.getLocalSocketAddress(), 2000);
      var e =
          assertThrows(
              ClassifiedIOException.class,
              () ->
                  ENGINE.connect(
                      socket,
                      request(
                          "www.example.test",
                          server.getLocalPort(),
                          "firefox-153",
                          Duration.ofSeconds(5))));
      assertEquals(FailureKind.INVALID_REQUEST, e.kind());
      assertFalse(e.failure().retryable());
      assertTrue(
          e.getMessage().contains("'firefox-153'")
              && e.getMessage().contains("conscrypt-default")
              && e.getMessage().contains("chrome-156"),
          e.getMessage());
      assertTrue(socket.isClosed(), "on failure the engine closes the socket");
    }
  }

  @Test
  void theErrorNamesTheEnginesThatCanSendTheProfile() {
    TlsEngine firefoxCapable =
        new FakeEngine(
            "bouncycastle",
            new FingerprintOffer(
                "firefox-153", List.of("firefox"), Fidelity.EXACT, Optional.empty(), ""));
    TlsEngine other =
        new FakeEngine(
            "jdk",
            new FingerprintOffer("jdk-default", List.of(), Fidelity.NONE, Optional.empty(), ""));
    String message =
        ConscryptEngine.cannotSendMessage(
            "firefox", ENGINE.offers(), List.of(other, ENGINE, firefoxCapable));
    assertTrue(message.contains("engines that can: bouncycastle (exact)"), message);
    assertFalse(message.contains("jdk"), message);
    String none = ConscryptEngine.cannotSendMessage("safari", ENGINE.offers(), List.of(other));
    assertTrue(none.contains("no installed TLS engine offers it"), none);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void closeIsBoundedAndClosesTheSocketWhenThePeerNeverReads() throws Exception {
    var cert = CA.issue("www.example.test");
    try (var server = LoopbackServers.https("127.0.0.1", cert)) {
      TlsConnection c =
          LoopbackServers.connect(
              ENGINE,
              "www.example.test",
              "127.0.0.1",
              server.port(),
              "conscrypt-default",
              CA.trustPolicy());
      assertEquals("conscrypt-default", c.negotiated().profile());
      assertEquals(Fidelity.NONE, c.negotiated().fidelity());
      assertEquals(Optional.of("http/1.1"), c.negotiated().alpn());
      c.close();
      assertFalse(c.isOpen());
      assertThrows(IOException.class, () -> c.input().read());
    }
  }

  private static TlsConnectRequest request(String host, int port, String profile, Duration timeout)
      throws Exception {
    return new TlsConnectRequest(
        new TlsEndpoint(host, InetAddress.getByName("127.0.0.1"), port),
        profile,
        List.of(),
        CA.trustPolicy(),
        timeout);
  }

  private record FakeEngine(String name, FingerprintOffer only) implements TlsEngine {
    @Override
    public List<FingerprintOffer> offers() {
      return List.of(only);
    }

    @Override
    public TlsConnection connect(Socket socket, TlsConnectRequest request) {
      throw new UnsupportedOperationException();
    }
  }
}
