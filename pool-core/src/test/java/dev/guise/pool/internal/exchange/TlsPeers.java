package dev.guise.pool.internal.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.Providers;
import dev.guise.pool.http.HttpRequest;
import dev.guise.pool.internal.HttpConnections;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The test CA, a server certificate for {@code localhost}, and JDK-engine client connections to
 * loopback.
 */
final class TlsPeers {
  static final TestCertificateAuthority CA = TestCertificateAuthority.create("Guise HTTP test CA");
  static final IssuedCertificate SERVER = CA.issue("localhost");

  private TlsPeers() {}

  static TlsEndpoint endpoint(int port) {
    return new TlsEndpoint("localhost", InetAddress.getLoopbackAddress(), port);
  }

  /** A verified TLS connection (JDK engine, test CA as the only anchor) offering {@code alpn}. */
  static TlsConnection tls(int port, List<String> alpn) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
    // Found by name, as the pool finds it: on the module path the engine's module is not read by
    // dev.guise.pool.
    return Providers.tlsEngine("jdk")
        .connect(
            socket,
            new TlsConnectRequest(
                endpoint(port), "jdk-default", alpn, CA.trustPolicy(), Duration.ofSeconds(5)));
  }

  static HttpConnection connect(int port, List<String> alpn, RequestTemplate profile)
      throws IOException {
    return HttpConnections.open(tls(port, alpn), endpoint(port), profile);
  }

  static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  /** A 32 MiB upload: far more than loopback's socket buffers hold. */
  private static HttpRequest largeUpload() {
    return HttpRequest.newBuilder(URI.create("https://localhost/upload"))
        .POST(new byte[32 << 20])
        .build();
  }

  /**
   * Sends {@link #largeUpload()} over {@code c} to a server that stopped reading, with a 700 ms
   * deadline: the write blocks in the socket, where no read timeout reaches it, and only the
   * write's deadline guard (which closes the connection) ends it.
   */
  static void assertStalledWriteEndsAtItsDeadline(HttpConnection c) {
    long start = System.nanoTime();
    ClassifiedIOException e =
        assertThrows(
            ClassifiedIOException.class,
            () ->
                c.exchange(
                    largeUpload(),
                    HttpConnection.ExchangeLimits.DEFAULT,
                    deadline(Duration.ofMillis(700))));
    assertEquals(FailureKind.DEADLINE_EXCEEDED, e.kind(), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(4));
    assertFalse(c.isUsable(), "the guard closed the connection");
  }
}
