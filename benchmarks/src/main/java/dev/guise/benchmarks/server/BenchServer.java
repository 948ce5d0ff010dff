package dev.guise.benchmarks.server;

import dev.guise.testkit.TestServer;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.RateControl;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server every client of a benchmark talks to, run in its own JVM so that its CPU is never
 * counted as the client's. Started by {@link ServerProcess}; prints {@code CA <base64 DER>} (the
 * test root the clients trust) and {@code READY <port>}, then serves until its standard input
 * closes (the parent JVM died or closed it), so it never outlives the benchmark.
 *
 * <ul>
 *   <li>{@code jetty}: Jetty 12 on 127.0.0.1, HTTP/2 and HTTP/1.1 by ALPN over JDK TLS, a
 *       certificate for {@code localhost} and 127.0.0.1 from a testkit CA. Every request gets 200
 *       and a 64-byte text body, but {@code /page/<size>.<coding>}: an HTML page of {@link Pages},
 *       gzip or br. It issues no TLS 1.3 session tickets, so every new connection is a full
 *       handshake for every client.
 *   <li>{@code testkit N}: the testkit's server on N loopback addresses (127.0.1.1 ...), for
 *       benchmarks that need one connection per IP (warm-up, idle memory).
 * </ul>
 */
public final class BenchServer {
  /** The body every Jetty response carries. */
  static final byte[] BODY =
      "Guise benchmark response body: 64 bytes of plain ASCII text....\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** Where the {@code Download} benchmark's pages are: {@code /page/<size>.<coding>}. */
  public static final String PAGE_PATH = "/page/";

  /** The codings the pages are served in. */
  public static final List<String> CODINGS = List.of("gzip", "br");

  private BenchServer() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "jetty";
    TestCertificateAuthority ca = TestCertificateAuthority.create("Guise Benchmark Root");
    AutoCloseable running;
    int port;
    switch (mode) {
      case "jetty" -> {
        Server server = jetty(ca.issue("localhost", "127.0.0.1"));
        server.start();
        port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        running = server::stop;
      }
      case "testkit" -> {
        int n = Integer.parseInt(args[1]);
        TestServer server =
            TestServer.builder()
                .loopbackAddresses(n)
                .hostNames("localhost")
                .certificateAuthority(ca)
                .build()
                .start();
        port = server.port();
        running = server;
      }
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
    System.out.println("CA " + Base64.getEncoder().encodeToString(ca.certificate().getEncoded()));
    System.out.println("READY " + port);
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // wait for the parent to go away
    }
    running.close();
    System.exit(0);
  }

  static Server jetty(IssuedCertificate cert) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("bench-server");
    Server server = new Server(threads);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "bench".toCharArray();
    keys.setKeyEntry(
        "server", cert.privateKey(), password, cert.chain().toArray(Certificate[]::new));
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keys);
    tls.setKeyStorePassword("bench");
    tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
    // A ticket lifetime above the JDK's 7-day maximum makes the JDK server send no
    // NewSessionTicket: no client can resume, so every new connection is a full handshake.
    tls.setSslSessionTimeout(7 * 24 * 3600 + 1);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    http.addCustomizer(secure);
    HttpConnectionFactory h1 = new HttpConnectionFactory(http);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
    // Jetty counts a WINDOW_UPDATE for a stream it has already closed as a possible flood and, past
    // 128 such events a second, resets the connection (ENHANCE_YOUR_CALM, then a TCP reset that
    // the client sees first). Apache's H2 client sends one after every response whose body took
    // more than half the stream window, which RFC 9113 (6.9) allows; Download's 128 KiB pages then
    // broke its connection at ~130 pages/s. Nothing in a benchmark is hostile, so no client is
    // rate-limited: the same server for every client.
    h2.setRateControlFactory(
        new RateControl.Factory() {
          @Override
          public RateControl newRateControl(EndPoint endPoint) {
            return RateControl.NO_RATE_CONTROL;
          }
        });
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(h1.getProtocol());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
    ServerConnector connector = new ServerConnector(server, 1, 1, ssl, alpn, h2, h1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setAcceptQueueSize(1024);
    connector.setIdleTimeout(600_000);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            if (path.startsWith(PAGE_PATH)) {
              return page(path.substring(PAGE_PATH.length()), request, response, callback);
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
            if (HttpMethod.HEAD.is(request.getMethod())) {
              response.write(true, null, callback);
            } else {
              response.write(true, ByteBuffer.wrap(BODY), callback);
            }
            return true;
          }
        });
    for (int size : Pages.SIZES.values()) {
      for (String coding : CODINGS) {
        Pages.encoded(size, coding); // encode before serving: no request pays for it
      }
    }
    return server;
  }

  /**
   * {@code /page/<size>.<coding>}: the {@link Pages} page of that size in that coding (gzip or br),
   * whatever the request's Accept-Encoding, so that every client downloads the same bytes.
   */
  private static boolean page(String name, Request request, Response response, Callback callback) {
    int dot = name.lastIndexOf('.');
    Integer size = dot < 0 ? null : Pages.SIZES.get(name.substring(0, dot));
    String coding = dot < 0 ? "" : name.substring(dot + 1);
    if (size == null || !CODINGS.contains(coding)) {
      response.setStatus(404);
      response.write(true, null, callback);
      return true;
    }
    byte[] body = Pages.encoded(size, coding);
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, coding);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    if (HttpMethod.HEAD.is(request.getMethod())) {
      response.write(true, null, callback);
    } else {
      response.write(true, ByteBuffer.wrap(body), callback);
    }
    return true;
  }
}
