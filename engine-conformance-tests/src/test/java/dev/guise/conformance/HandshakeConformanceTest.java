package dev.guise.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.Providers;
import dev.guise.testing.Loopback;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Handshakes that cannot succeed, in one place for every engine: each must end them within the
 * handshake timeout, close the socket, and report them as the SPI says ({@code READ_TIMEOUT} for a
 * peer too slow, {@code TLS_HANDSHAKE} for a peer that is not TLS, {@code INVALID_REQUEST} for a
 * profile the engine does not offer). The deadline and the classification are shared code (the
 * tls-support module and codec's DeadlineGuard); this matrix checks every engine wires them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeConformanceTest {
  private static final TestCertificateAuthority CA =
      TestCertificateAuthority.create("Guise handshake conformance CA");

  static Stream<String> engines() {
    return Engines.usable();
  }

  private static String profile(String engine) {
    return Providers.tlsEngine(engine).offers().get(0).profile();
  }

  private static TlsConnectRequest request(int port, String profile, Duration timeout)
      throws Exception {
    return new TlsConnectRequest(
        new TlsEndpoint("www.example.test", InetAddress.getByName("127.0.0.1"), port),
        profile,
        List.of(),
        CA.trustPolicy(),
        timeout);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aSilentServerIsAReadTimeout(String engine) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = Loopback.connect(server);
      try (Socket accepted = server.accept()) {
        TlsConnectRequest request =
            request(server.getLocalPort(), profile(engine), Duration.ofMillis(300));
        var e =
            assertThrows(
                ClassifiedIOException.class,
                () -> Providers.tlsEngine(engine).connect(socket, request));
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), engine + ": " + e.getMessage());
        assertTrue(socket.isClosed(), engine + ": on failure the engine closes the socket");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aDrippingServerCannotStretchTheHandshakePastItsDeadline(String engine) throws Exception {
    // One byte of a never-ending record every 100 ms: each read is quick, the handshake never ends.
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = Loopback.connect(server);
      try (Socket accepted = server.accept()) {
        Thread dripper =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
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
        TlsConnectRequest request =
            request(server.getLocalPort(), profile(engine), Duration.ofMillis(700));
        long start = System.nanoTime();
        var e =
            assertThrows(
                ClassifiedIOException.class,
                () -> Providers.tlsEngine(engine).connect(socket, request));
        assertEquals(FailureKind.READ_TIMEOUT, e.kind(), engine + ": " + e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, engine + ": ended by the deadline");
        assertTrue(socket.isClosed(), engine + ": on failure the engine closes the socket");
        accepted.close();
        dripper.join(5000);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aServerThatIsNotTlsIsAHandshakeFailure(String engine) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = Loopback.connect(server);
      try (Socket accepted = server.accept()) {
        accepted
            .getOutputStream()
            .write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        accepted.getOutputStream().flush();
        TlsConnectRequest request =
            request(server.getLocalPort(), profile(engine), Duration.ofSeconds(5));
        var e =
            assertThrows(
                ClassifiedIOException.class,
                () -> Providers.tlsEngine(engine).connect(socket, request));
        assertEquals(FailureKind.TLS_HANDSHAKE, e.kind(), engine + ": " + e.getMessage());
        assertTrue(socket.isClosed(), engine + ": on failure the engine closes the socket");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engines")
  void aProfileTheEngineDoesNotOfferIsAnInvalidRequest(String engine) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Socket socket = Loopback.connect(server);
      TlsConnectRequest request =
          request(server.getLocalPort(), "no-such-browser-1", Duration.ofSeconds(5));
      var e =
          assertThrows(
              ClassifiedIOException.class,
              () -> Providers.tlsEngine(engine).connect(socket, request));
      assertEquals(FailureKind.INVALID_REQUEST, e.kind(), engine + ": " + e.getMessage());
      assertFalse(e.failure().retryable(), engine);
      assertTrue(socket.isClosed(), engine + ": on failure the engine closes the socket");
    }
  }
}
