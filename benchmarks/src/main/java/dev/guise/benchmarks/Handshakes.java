package dev.guise.benchmarks;

import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.benchmarks.server.ServerProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full handshake per operation: a new TCP connection to the Jetty server, TLS 1.3 with
 * certificate chain and host name verification, then close. The server sends no session tickets, so
 * nothing is resumed. Guise engines through their public SPI ({@code TlsEngine.connect}); the peer
 * is a plain JDK {@code SSLSocket} (the TLS under OkHttp, Apache, Jetty and the JDK client),
 * offering ALPN h2/http1.1 like the others.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {
      "-Xms1g",
      "-Xmx1g",
      "--enable-native-access=ALL-UNNAMED",
      "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"
    })
public class Handshakes {
  @Param({"guise-bouncycastle-chrome156", "guise-conscrypt", "guise-jdk", "jdk-tls"})
  public String subject;

  private ServerProcess server;
  private TlsEngine engine;
  private TlsConnectRequest request;
  private SSLContext jdk;
  private InetSocketAddress address;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = ServerProcess.shared("jetty");
    address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), server.port());
    TrustPolicy trust = TrustPolicy.onlyAnchors(List.of(server.ca()));
    TlsEndpoint endpoint = new TlsEndpoint("localhost", address.getAddress(), server.port());
    switch (subject) {
      case "guise-bouncycastle-chrome156" -> {
        engine = Providers.tlsEngine("bouncycastle");
        request =
            new TlsConnectRequest(endpoint, "chrome-156", List.of(), trust, Duration.ofSeconds(10));
      }
      case "guise-conscrypt" -> {
        engine = Providers.tlsEngine("conscrypt");
        request =
            new TlsConnectRequest(endpoint, "chrome", List.of(), trust, Duration.ofSeconds(10));
      }
      case "guise-jdk" -> {
        engine = Providers.tlsEngine("jdk");
        request =
            new TlsConnectRequest(
                endpoint, "jdk-default", List.of(), trust, Duration.ofSeconds(10));
      }
      case "jdk-tls" -> jdk = server.clientSslContext();
      default -> throw new IllegalArgumentException(subject);
    }
    String version = handshake(); // fail fast if the pair cannot talk
    if (!version.equals("TLSv1.3")) {
      throw new IllegalStateException(subject + " negotiated " + version + ", not TLSv1.3");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.close();
  }

  @Benchmark
  public String handshake() throws Exception {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address, 10_000);
    if (engine != null) {
      try (TlsConnection c = engine.connect(socket, request)) {
        return c.negotiated().protocol();
      }
    }
    SSLSocket tls =
        (SSLSocket)
            jdk.getSocketFactory().createSocket(socket, "localhost", address.getPort(), true);
    try (tls) {
      SSLParameters p = tls.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      tls.setSSLParameters(p);
      tls.setSoTimeout(10_000);
      tls.startHandshake();
      return tls.getSession().getProtocol();
    }
  }
}
