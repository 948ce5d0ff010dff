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
import dev.guise.api.spi.TlsFingerprintProvider;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Refusals, timeouts and the unknown-profile error. */
class ConscryptEngineBehaviourTest {
  private static final ConscryptTlsProvider ENGINE = new ConscryptTlsProvider();
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise behaviour CA");

  @Test
  void aProfileItCannotSendIsAnInvalidRequestAndTheSocketIsClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = new Socket();
      socket.connect(server.getLocalSocketAddress(), 2000);
      var e = assertThrows(ClassifiedIOException.class, () -> ENGINE.connect(socket, request(
          "www.example.test", server.getLocalPort(), "firefox-153", Duration.ofSeconds(5))));
      assertEquals(FailureKind.INVALID_REQUEST, e.kind());
      assertFalse(e.failure().retryable());
      assertTrue(e.getMessage().contains("'firefox-153'")
          && e.getMessage().contains("conscrypt-default")
          && e.getMessage().contains("chrome-156"), e.getMessage());
      assertTrue(socket.isClosed(), "on failure the engine closes the socket");
    }
  }

  @Test
  void theErrorNamesTheEnginesThatCanSendTheProfile() {
    TlsFingerprintProvider firefoxCapable = new FakeEngine("bouncycastle",
        new FingerprintOffer("firefox-153", List.of("firefox"), Fidelity.EXACT,
            Optional.empty(), ""));
    TlsFingerprintProvider other = new FakeEngine("jdk",
        new FingerprintOffer("jdk-default", List.of(), Fidelity.NONE, Optional.empty(), ""));
    String message = ConscryptTlsProvider.cannotSendMessage(
        "firefox", ENGINE.offers(), List.of(other, ENGINE, firefoxCapable));
    assertTrue(message.contains("engines that can: bouncycastle (exact)"), message);
    assertFalse(message.contains("jdk"), message);
    String none = ConscryptTlsProvider.cannotSendMessage("safari", ENGINE.offers(), List.of(other));
    assertTrue(none.contains("no installed TLS engine offers it"), none);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aSilentServerIsAReadTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = new Socket();
      socket.connect(server.getLocalSocketAddress(), 2000);
      try (Socket accepted = server.accept()) {
        var e = assertThrows(ClassifiedIOException.class, () -> ENGINE.connect(socket, request(
            "www.example.test", server.getLocalPort(), "chrome-156", Duration.ofMillis(300))));
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), e.getMessage());
        assertTrue(socket.isClosed());
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aDrippingServerCannotStretchTheHandshakePastItsDeadline() throws Exception {
    // One byte of a never-ending record every 100 ms: each read is quick, the handshake never ends.
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = new Socket();
      socket.connect(server.getLocalSocketAddress(), 2000);
      try (Socket accepted = server.accept()) {
        Thread dripper = Thread.ofPlatform().daemon().start(() -> {
          try {
            OutputStream out = accepted.getOutputStream();
            byte[] head = {0x16, 0x03, 0x03, 0x40, 0x00};
            for (int i = 0; ; i++) {
              out.write(i < head.length ? head[i] : 0);
              out.flush();
              Thread.sleep(100);
            }
          } catch (Exception stopped) {
            // the client closed
          }
        });
        var e = assertThrows(ClassifiedIOException.class, () -> ENGINE.connect(socket, request(
            "www.example.test", server.getLocalPort(), "chrome-156", Duration.ofMillis(700))));
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), e.getMessage());
        assertTrue(socket.isClosed());
        accepted.close();
        dripper.join(5000);
      }
    }
  }

  @Test
  void aServerThatIsNotTlsIsAHandshakeFailure() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = new Socket();
      socket.connect(server.getLocalSocketAddress(), 2000);
      try (Socket accepted = server.accept()) {
        accepted.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
        accepted.getOutputStream().flush();
        var e = assertThrows(ClassifiedIOException.class, () -> ENGINE.connect(socket, request(
            "www.example.test", server.getLocalPort(), "chrome-156", Duration.ofSeconds(5))));
        assertEquals(FailureKind.TLS_HANDSHAKE, e.kind(), e.getMessage());
      }
    }
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void closeIsBoundedAndClosesTheSocketWhenThePeerNeverReads() throws Exception {
    var cert = CA.issue("www.example.test");
    try (var server = LoopbackServers.https("127.0.0.1", cert)) {
      TlsConnection c = LoopbackServers.connect(ENGINE, "www.example.test", "127.0.0.1",
          server.port(), "conscrypt-default", CA.trustPolicy());
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
    return new TlsConnectRequest(new TlsEndpoint(host, InetAddress.getByName("127.0.0.1"), port),
        profile, List.of(), CA.trustPolicy(), timeout);
  }

  private record FakeEngine(String name, FingerprintOffer only) implements TlsFingerprintProvider {
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
