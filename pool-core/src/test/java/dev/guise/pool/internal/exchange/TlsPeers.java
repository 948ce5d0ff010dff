package dev.guise.pool.internal.exchange;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.Providers;
import dev.guise.pool.internal.HttpConnections;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

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
}
