package dev.guise.tls.conscrypt;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
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
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** Loopback peers for the engine's tests. */
final class LoopbackServers {
  private LoopbackServers() {}

  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

  /** Connects a plain socket to {@code ip:port} and hands it to the engine. */
  static TlsConnection connect(
      ConscryptTlsProvider engine, String host, String ip, int port, String profile, TrustPolicy trust)
      throws IOException {
    return connect(engine, host, ip, port, profile, List.of(), trust);
  }

  static TlsConnection connect(ConscryptTlsProvider engine, String host, String ip, int port,
      String profile, List<String> alpn, TrustPolicy trust) throws IOException {
    InetAddress address = InetAddress.getByName(ip);
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(address, port), 2000);
    return engine.connect(socket, new TlsConnectRequest(
        new TlsEndpoint(host, address, port), profile, alpn, trust, HANDSHAKE_TIMEOUT));
  }

  /** Sends {@code GET /} with HTTP/1.1 and returns the whole response (the server closes). */
  static String get(TlsConnection connection, String host) throws IOException {
    connection.setReadTimeout(Duration.ofSeconds(5));
    OutputStream out = connection.output();
    out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
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
   * A JDK TLS server on a loopback address presenting one certificate. Each connection: handshake,
   * read the request head, answer {@code 200} with body {@code hello from <address>}, close.
   * Handshake failures (the client rejecting the certificate) are expected and ignored.
   */
  static final class JdkHttpsServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final Thread acceptor;

    JdkHttpsServer(String bindAddress, IssuedCertificate certificate) throws IOException {
      this(bindAddress, certificate, "TLSv1.3", "TLSv1.2");
    }

    JdkHttpsServer(String bindAddress, IssuedCertificate certificate, String... protocols)
        throws IOException {
      server = (SSLServerSocket) certificate.serverSslContext().getServerSocketFactory()
          .createServerSocket(0, 16, InetAddress.getByName(bindAddress));
      server.setEnabledProtocols(protocols);
      var params = server.getSSLParameters();
      params.setApplicationProtocols(new String[] {"http/1.1"});
      server.setSSLParameters(params);
      acceptor = Thread.ofPlatform().daemon().name("jdk-https-" + bindAddress).start(this::serve);
    }

    int port() {
      return server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (SSLSocket s = (SSLSocket) server.accept()) {
          s.setSoTimeout(5000);
          s.startHandshake();
          InputStream in = s.getInputStream();
          int state = 0;
          while (state < 4) {
            int b = in.read();
            if (b < 0) {
              break;
            }
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                ? state + 1 : 0;
          }
          String body = "hello from " + server.getInetAddress().getHostAddress();
          s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length()
              + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        } catch (IOException expected) {
          // a rejected certificate ends the handshake from the client side
        }
      }
    }

    @Override
    public void close() throws Exception {
      server.close();
      acceptor.join(5000);
    }
  }
}
