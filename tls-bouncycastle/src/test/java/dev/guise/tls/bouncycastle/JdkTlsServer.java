package dev.guise.tls.bouncycastle;

import dev.guise.testkit.tls.IssuedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;

/**
 * A loopback JDK TLS server answering each HTTP/1.1 request with {@code 200} and a body ({@code ok}
 * unless told otherwise), and closing.
 */
final class JdkTlsServer implements AutoCloseable {
  private final SSLServerSocket server;
  private final byte[] body;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jdk-tls-server");
    t.setDaemon(true);
    return t;
  });

  JdkTlsServer(IssuedCertificate certificate, String... protocols) throws IOException {
    this(certificate, "ok".getBytes(StandardCharsets.US_ASCII), new String[0], protocols);
  }

  /**
   * A server that only accepts {@code cipherSuites} (so the client cannot negotiate another) and
   * answers with {@code body}.
   */
  JdkTlsServer(IssuedCertificate certificate, byte[] body, String[] cipherSuites, String... protocols)
      throws IOException {
    this.body = body.clone();
    server =
        (SSLServerSocket)
            certificate.serverSslContext().getServerSocketFactory().createServerSocket(0, 50, TestSupport.LOOPBACK);
    if (protocols.length > 0) {
      server.setEnabledProtocols(protocols);
    }
    if (cipherSuites.length > 0) {
      server.setEnabledCipherSuites(cipherSuites);
    }
    executor.execute(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        executor.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        head.append((char) b);
      }
      OutputStream out = s.getOutputStream();
      out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // a client that rejected our certificate hangs up mid-handshake: expected in those tests
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
