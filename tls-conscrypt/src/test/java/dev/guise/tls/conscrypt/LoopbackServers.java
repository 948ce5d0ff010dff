package dev.guise.tls.conscrypt;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.testing.JdkTlsServer;
import dev.guise.testkit.tls.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Loopback peers for the engine's tests. */
final class LoopbackServers {
  private LoopbackServers() {}

  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** Connects a plain socket to {@code ip:port} and hands it to the engine. */
  static TlsConnection connect(
      ConscryptEngine engine, String host, String ip, int port, String profile, TrustPolicy trust)
      throws IOException {
    return connect(engine, host, ip, port, profile, List.of(), trust);
  }

  static TlsConnection connect(
      ConscryptEngine engine,
      String host,
      String ip,
      int port,
      String profile,
      List<String> alpn,
      TrustPolicy trust)
      throws IOException {
    InetAddress address = InetAddress.getByName(ip);
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), 2000);
    return engine.connect(
        socket,
        new TlsConnectRequest(
            new TlsEndpoint(host, address, port), profile, alpn, trust, HANDSHAKE_TIMEOUT));
  }

  /** Sends {@code GET /} with HTTP/1.1 and returns the whole response (the server closes). */
  static String get(TlsConnection connection, String host) throws IOException {
    connection.setReadTimeout(Duration.ofSeconds(5));
    OutputStream out = connection.output();
    out.write(
        ("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = connection.input();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      response.write(buffer, 0, n);
      if (response.size() > 1 << 20) {
        throw new IOException("response over 1 MiB");
      }
    }
    return response.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * A JDK TLS server on loopback address {@code bind} presenting {@code certificate}, TLS 1.3 and
   * 1.2 unless {@code protocols} are given, ALPN http/1.1. Each connection: handshake, read the
   * request head, answer {@code 200} with body {@code hello from <bind>}, close.
   */
  static JdkTlsServer https(String bind, IssuedCertificate certificate, String... protocols)
      throws IOException {
    return JdkTlsServer.builder(certificate.serverSslContext())
        .bind(bind)
        .protocols(protocols.length > 0 ? protocols : new String[] {"TLSv1.3", "TLSv1.2"})
        .alpn("http/1.1")
        .body("hello from " + bind)
        .start();
  }
}
