package dev.guise.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;

/**
 * A JDK TLS server on a loopback address, a real peer for the engines' tests: each connection is
 * handshaken, its HTTP/1.1 request head read, and answered with {@code 200} and a fixed body, then
 * closed. A client that rejects the certificate ends the handshake; that is expected in those tests
 * and the server goes on serving.
 *
 * <p>It takes the JDK {@link SSLContext} holding its certificate (the testkit's {@code
 * IssuedCertificate.serverSslContext()}), so this module stays JDK-only.
 */
public final class JdkTlsServer implements AutoCloseable {
  private final SSLServerSocket server;
  private final byte[] body;
  // One thread per connection: a client that stalls must not hold up the next test's handshake.
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().daemon().name("jdk-tls-server-", 0).factory());

  private JdkTlsServer(Builder b) throws IOException {
    this.body = b.body.clone();
    server = (SSLServerSocket) b.context.getServerSocketFactory().createServerSocket(0, 50, b.bind);
    if (b.protocols.length > 0) {
      server.setEnabledProtocols(b.protocols);
    }
    if (b.cipherSuites.length > 0) {
      server.setEnabledCipherSuites(b.cipherSuites);
    }
    if (b.alpn.length > 0) {
      SSLParameters params = server.getSSLParameters();
      params.setApplicationProtocols(b.alpn);
      server.setSSLParameters(params);
    }
    executor.execute(this::acceptLoop);
  }

  /** A server presenting the certificate of {@code context}, on 127.0.0.1 unless told otherwise. */
  public static Builder builder(SSLContext context) {
    return new Builder(context);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetAddress address() {
    return server.getInetAddress();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        executor.execute(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      // The request head ends at the first empty line: CR LF CR LF.
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        boolean next = b == '\r' ? state % 2 == 0 : b == '\n' && state % 2 == 1;
        state = next ? state + 1 : b == '\r' ? 1 : 0;
      }
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException e) {
      // a client that rejected our certificate hangs up mid-handshake: expected in those tests
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Options; each left unset keeps the JDK's default (no ALPN at all when none is given). */
  public static final class Builder {
    private final SSLContext context;
    private InetAddress bind = InetAddress.getLoopbackAddress();
    private String[] protocols = {};
    private String[] cipherSuites = {};
    private String[] alpn = {};
    private byte[] body = {'o', 'k'};

    private Builder(SSLContext context) {
      this.context = context;
    }

    /** The loopback address to listen on, e.g. "127.0.0.2". */
    public Builder bind(String address) throws IOException {
      this.bind = InetAddress.getByName(address);
      return this;
    }

    /** The only protocol versions accepted, e.g. "TLSv1.2". */
    public Builder protocols(String... protocols) {
      this.protocols = protocols.clone();
      return this;
    }

    /** The only cipher suites accepted, so a client cannot negotiate another. */
    public Builder cipherSuites(String... cipherSuites) {
      this.cipherSuites = cipherSuites.clone();
      return this;
    }

    /** The ALPN protocols the server selects from, e.g. "http/1.1". */
    public Builder alpn(String... alpn) {
      this.alpn = alpn.clone();
      return this;
    }

    /** The response body, "ok" unless told otherwise. */
    public Builder body(String body) {
      return body(body.getBytes(StandardCharsets.UTF_8));
    }

    public Builder body(byte[] body) {
      this.body = body.clone();
      return this;
    }

    public JdkTlsServer start() throws IOException {
      return new JdkTlsServer(this);
    }
  }
}
