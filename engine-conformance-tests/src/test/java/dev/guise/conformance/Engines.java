package dev.guise.conformance;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.testing.Loopback;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The engines every conformance test runs over: each one found and usable on this machine. */
final class Engines {
  private Engines() {}

  /**
   * A connection from {@code engine}, presenting its first offer, to {@code host} served on
   * 127.0.0.1:{@code port}; the handshake bounded by 5 s.
   */
  static TlsConnection connect(String engine, String host, int port, TrustPolicy trust)
      throws IOException {
    TlsEngine tls = Providers.tlsEngine(engine);
    InetAddress ip = InetAddress.getByName("127.0.0.1");
    return tls.connect(
        Loopback.connect(new InetSocketAddress(ip, port)),
        new TlsConnectRequest(
            new TlsEndpoint(host, ip, port),
            tls.offers().get(0).profile(),
            List.of(),
            trust,
            Duration.ofSeconds(5)));
  }

  static Stream<String> usable() {
    return Providers.tlsEngines().stream()
        .filter(e -> e.unavailableReason().isEmpty())
        .map(TlsEngine::name);
  }
}
