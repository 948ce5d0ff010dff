package dev.guise.testkit;

import dev.guise.testkit.internal.FingerprintJson;
import dev.guise.testkit.internal.ServerConfig;
import dev.guise.testkit.internal.ServerRuntime;
import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A loopback HTTPS server for tests that records what each client sent: the exact ClientHello (JA3,
 * JA3N, JA4, JA4_r), and for HTTP/2 every frame (SETTINGS, WINDOW_UPDATE, PRIORITY, HEADERS in wire
 * order, the Akamai fingerprint), for HTTP/1.1 the request line and header lines. It listens on
 * many loopback addresses at once, all on one port (on Linux all of 127.0.0.0/8 is local), speaks
 * HTTP/1.1 and HTTP/2 (chosen by ALPN), and injects {@linkplain Faults faults}.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder().loopbackAddresses(3).build().start()) {
 *   HttpClient client = HttpClient.newBuilder().sslContext(server.clientSslContext()).build();
 *   URI uri = server.uri(server.addresses().get(1), "/fingerprint");
 *   client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
 *   ConnectionRecord seen = server.connections().get(0);
 * }
 * }</pre>
 *
 * <p><b>Certificate.</b> Unless one is given, the server gets a certificate from its own {@link
 * TestCertificateAuthority} for its host names and every listening address as an IP SAN, so clients
 * verify it normally (trust {@link #certificateAuthority()} or use {@link #clientSslContext()});
 * tests never turn verification off. For wrong-host, expired or self-signed variants pass {@link
 * Builder#certificate(IssuedCertificate)}.
 *
 * <p><b>Default routes</b> are those of {@link RequestHandler#defaults()}. {@code /fingerprint}
 * answers this JSON (every key always present; {@code null} where unknown):
 *
 * <pre>{@code
 * {"ip": client ip, "port": client port, "server_ip", "server_port", "connection_id",
 *  "http_version": "h2" | "http/1.1", "method", "path",
 *  "tls": {"version", "cipher", "alpn", "sni", "ja3", "ja3_hash", "ja3n", "ja3n_hash",
 *          "ja4", "ja4_r", "ja4_o", "ja4_ro", "ciphers": [int], "extensions": [int],
 *          "supported_groups": [int], "signature_algorithms": [int], "supported_versions": [int],
 *          "alpn_offered": [string], "client_hello_hex"},
 *  "http2": {"akamai_fingerprint", "settings": [{"id", "value"}], "window_update": int | null,
 *            "priority": [{"stream_id", "exclusive", "depends_on", "weight"}],
 *            "first_headers": {"stream_id", "flags", "priority": {...} | null},
 *            "stream_id", "headers": [[name, value]], "frames": [{"type", "flags", "stream_id",
 *            "length", "detail"}]}          (HTTP/2 only; headers are this request's)
 *  "http1": {"request_line", "headers": [[name, value]]}   (HTTP/1.1 only)}
 * }</pre>
 *
 * (the {@code tls} fields from {@code sni} to {@code alpn_offered} are absent when the ClientHello
 * could not be parsed). {@code server_ip} and {@code server_port} are the local address the
 * connection arrived on. {@link #fingerprintJson(ConnectionRecord)} gives the same document for any
 * recorded connection.
 *
 * <p><b>ALPN.</b> The protocol is the first of the server's {@linkplain Builder#alpn(String...)
 * protocols} that the client offered. A client offering protocols of which the server speaks none
 * is refused with a fatal {@code no_application_protocol} alert (RFC 7301); a client offering no
 * ALPN at all gets HTTP/1.1 if the server speaks it and is refused with the same alert otherwise (a
 * server configured for {@code h2} only never falls back to HTTP/1.1). Either refusal is recorded
 * as the connection's {@link ConnectionRecord#failure() failure}, after its ClientHello.
 *
 * <p><b>Lifecycle.</b> {@link #start()} binds every address; {@link #down()} and {@link #up()} take
 * the whole server away and back on the same addresses and port (counted as {@link
 * Fault.Kind#DOWN}); {@link #close()} closes every socket and joins every thread the server
 * started, within a few seconds. Connection records and counters survive down/up.
 *
 * <p>Thread-safe. Every thread the server starts is a virtual thread.
 */
public final class TestServer implements AutoCloseable {
  /** How many distinct addresses {@link #loopbackAddresses(int)} can produce. */
  public static final int MAX_LOOPBACK_ADDRESSES = 250 * 250;

  /** How many connections' records a server keeps unless told otherwise: the latest 10,000. */
  public static final int DEFAULT_RECORDED_CONNECTIONS = 10_000;

  private final ServerRuntime runtime;
  private final TestCertificateAuthority authority;
  private final IssuedCertificate certificate;
  private final List<String> hostNames;

  private TestServer(
      ServerRuntime runtime,
      TestCertificateAuthority authority,
      IssuedCertificate certificate,
      List<String> hostNames) {
    this.runtime = runtime;
    this.authority = authority;
    this.certificate = certificate;
    this.hostNames = hostNames;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@code count} distinct IPv4 loopback addresses: 127.0.1.1 ... 127.0.1.250, 127.0.2.1 ..., i.e.
   * address i is {@code 127.0.(1 + i / 250).(1 + i % 250)}. Avoids 127.0.0.x, which other local
   * services like to use.
   */
  public static List<InetAddress> loopbackAddresses(int count) {
    if (count < 1 || count > MAX_LOOPBACK_ADDRESSES) {
      throw new IllegalArgumentException("count must be 1.." + MAX_LOOPBACK_ADDRESSES);
    }
    List<InetAddress> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] ip = {127, 0, (byte) (1 + i / 250), (byte) (1 + i % 250)};
      try {
        out.add(InetAddress.getByAddress(ip));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // cannot happen for a 4-byte address
      }
    }
    return out;
  }

  /** Binds every address on one port and starts serving. Returns this. */
  public TestServer start() throws IOException {
    runtime.start();
    return this;
  }

  /** The server goes away: listeners unbound (connects are refused), connections closed. */
  public void down() {
    runtime.down();
  }

  /** Comes back after {@link #down()} on the same addresses and port. */
  public void up() throws IOException {
    runtime.up();
  }

  /** {@link #down()} then {@link #up()}. */
  public void restart() throws IOException {
    runtime.down();
    runtime.up();
  }

  /** Whether the server is started and not down. */
  public boolean isUp() {
    return runtime.isUp();
  }

  /** Closes every listener and connection and joins the server's threads (at most ~5 s). */
  public void stop() {
    runtime.stop();
  }

  @Override
  public void close() {
    stop();
  }

  /** The one port every address listens on (after {@link #start()}). */
  public int port() {
    return runtime.port();
  }

  /** The listening addresses, in the order given. */
  public List<InetAddress> addresses() {
    return runtime.config().addresses();
  }

  /** The host names in the default certificate (the first is the primary). */
  public List<String> hostNames() {
    return hostNames;
  }

  /** {@code https://<address>:<port><path>}; IPv6 literals bracketed. */
  public URI uri(InetAddress address, String path) {
    String host = address.getHostAddress();
    if (address instanceof Inet6Address) {
      int zone = host.indexOf('%');
      host = "[" + (zone < 0 ? host : host.substring(0, zone)) + "]";
    }
    String absolute = path.startsWith("/") ? path : "/" + path;
    return URI.create("https://" + host + ":" + port() + absolute);
  }

  /** {@link #uri(InetAddress, String)} for the first address. */
  public URI uri(String path) {
    return uri(addresses().get(0), path);
  }

  /** The authority that signed the server certificate. */
  public TestCertificateAuthority certificateAuthority() {
    return authority;
  }

  /** The certificate the server presents. */
  public IssuedCertificate certificate() {
    return certificate;
  }

  /** A new client TLS context that trusts only {@link #certificateAuthority()}; verification on. */
  public SSLContext clientSslContext() {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("testkit-ca", authority.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a client SSLContext", e);
    }
  }

  /** The fault plan, changeable while the server runs. */
  public Faults faults() {
    return runtime.faults();
  }

  /**
   * The records of the latest connections accepted, oldest first: every one so far, up to {@link
   * Builder#recordedConnections} ({@value #DEFAULT_RECORDED_CONNECTIONS} unless configured). They
   * survive down/up.
   */
  public List<ConnectionRecord> connections() {
    return runtime.connections();
  }

  /**
   * The {@code /fingerprint} JSON document (shape above) for a recorded connection, without making
   * a request: what the server saw of that client, including the address it arrived on ({@code
   * server_ip}, {@code server_port}). The request fields ({@code method}, {@code path}, HTTP/2
   * {@code stream_id} and {@code headers}) describe the connection's latest recorded request and
   * are {@code null} (headers empty) before it has one; {@code http_version} is {@code null} when
   * no protocol was agreed, and then the document has an {@code http1} part with nulls. A snapshot:
   * call again for what arrived since.
   */
  public static String fingerprintJson(ConnectionRecord connection) {
    return FingerprintJson.fingerprint(Objects.requireNonNull(connection, "connection"));
  }

  /** The connections accepted on {@code address}. */
  public List<ConnectionRecord> connections(InetAddress address) {
    return runtime.connections().stream()
        .filter(c -> c.localAddress().getAddress().equals(address))
        .toList();
  }

  /** Connections accepted on every address. */
  public long connectionsAccepted() {
    return runtime.connectionsAccepted();
  }

  /** Connections accepted on {@code address}. */
  public long connectionsAccepted(InetAddress address) {
    return runtime.connectionsAccepted(address);
  }

  /** Requests received (whether answered normally or with a fault) on every address. */
  public long requestsReceived() {
    return runtime.requestsReceived();
  }

  /** Requests received on {@code address}. */
  public long requestsReceived(InetAddress address) {
    return runtime.requestsReceived(address);
  }

  /** Connections currently open. */
  public int openConnections() {
    return runtime.openConnections();
  }

  /** Threads the server started that are still alive (0 after {@link #close()}). */
  public int liveThreads() {
    return runtime.liveThreads();
  }

  /**
   * Configures a {@link TestServer}. Defaults: one address (127.0.1.1), a free port, host name
   * {@code localhost}, a fresh certificate authority, ALPN {@code h2, http/1.1}, the default
   * routes, HTTP/2 settings MAX_CONCURRENT_STREAMS 100 / INITIAL_WINDOW_SIZE 65535 / MAX_FRAME_SIZE
   * 16384, 64 KiB heads, 16 MiB bodies, 10 s handshake timeout, 2 min read timeout. Not
   * thread-safe.
   */
  public static final class Builder {
    private List<InetAddress> addresses = TestServer.loopbackAddresses(1);
    private int port;
    private List<String> hostNames = List.of("localhost");
    private TestCertificateAuthority authority;
    private IssuedCertificate certificate;
    private List<String> alpn = List.of("h2", "http/1.1");
    private RequestHandler handler = RequestHandler.defaults();
    private final List<int[]> http2Settings = new ArrayList<>();
    private int maxHeaderBytes = 64 * 1024;
    private int maxBodyBytes = 16 * 1024 * 1024;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofMinutes(2);
    private int recordedConnections = DEFAULT_RECORDED_CONNECTIONS;

    private Builder() {
      http2Settings.add(new int[] {3, 100});
      http2Settings.add(new int[] {4, 65_535});
      http2Settings.add(new int[] {5, 16_384});
    }

    /** Listen on exactly these addresses (loopback addresses only, by project rule). */
    public Builder addresses(List<InetAddress> addresses) {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("at least one address");
      }
      for (InetAddress a : addresses) {
        if (!a.isLoopbackAddress()) {
          throw new IllegalArgumentException("not a loopback address: " + a);
        }
      }
      this.addresses = List.copyOf(addresses);
      return this;
    }

    /** Listen on {@link TestServer#loopbackAddresses(int) count} loopback addresses. */
    public Builder loopbackAddresses(int count) {
      return addresses(TestServer.loopbackAddresses(count));
    }

    /** A fixed port (0, the default, picks one free on every address). */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** DNS names for the default certificate (the addresses are always added as IP SANs). */
    public Builder hostNames(String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("at least one name");
      }
      this.hostNames = List.of(names);
      return this;
    }

    /** The authority issuing the default certificate (default: a fresh one). */
    public Builder certificateAuthority(TestCertificateAuthority authority) {
      this.authority = Objects.requireNonNull(authority);
      return this;
    }

    /** Present this certificate instead of issuing one (expired, wrong host, self-signed ...). */
    public Builder certificate(IssuedCertificate certificate) {
      this.certificate = Objects.requireNonNull(certificate);
      return this;
    }

    /**
     * The ALPN protocols offered, in preference order: {@code "h2"}, {@code "http/1.1"}. Without
     * {@code "http/1.1"} clients that do not offer {@code h2} (or no ALPN at all) are refused.
     */
    public Builder alpn(String... protocols) {
      for (String p : protocols) {
        if (!p.equals("h2") && !p.equals("http/1.1")) {
          throw new IllegalArgumentException("unsupported protocol: " + p);
        }
      }
      if (protocols.length == 0) {
        throw new IllegalArgumentException("at least one protocol");
      }
      this.alpn = List.of(protocols);
      return this;
    }

    public Builder handler(RequestHandler handler) {
      this.handler = Objects.requireNonNull(handler);
      return this;
    }

    /** Sets (or replaces) one server HTTP/2 SETTINGS parameter; order of first setting kept. */
    public Builder http2Setting(int id, int value) {
      for (int[] s : http2Settings) {
        if (s[0] == id) {
          s[1] = value;
          return this;
        }
      }
      http2Settings.add(new int[] {id, value});
      return this;
    }

    public Builder maxConcurrentStreams(int n) {
      return http2Setting(3, n);
    }

    public Builder initialWindowSize(int n) {
      return http2Setting(4, n);
    }

    public Builder maxHeaderBytes(int n) {
      this.maxHeaderBytes = n;
      return this;
    }

    public Builder maxBodyBytes(int n) {
      this.maxBodyBytes = n;
      return this;
    }

    public Builder handshakeTimeout(Duration d) {
      this.handshakeTimeout = d;
      return this;
    }

    /** How long a connection may stay silent before the server drops it. */
    public Builder readTimeout(Duration d) {
      this.readTimeout = d;
      return this;
    }

    /**
     * How many connections' records {@link TestServer#connections()} keeps: the latest {@code max}
     * (default {@value TestServer#DEFAULT_RECORDED_CONNECTIONS}), so a server that runs long holds
     * bounded memory. The counts ({@link TestServer#connectionsAccepted()}, {@link
     * TestServer#requestsReceived}) cover every connection.
     */
    public Builder recordedConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("at least one recorded connection: " + max);
      }
      this.recordedConnections = max;
      return this;
    }

    /** Builds the server (not started). Issuing the certificate takes a few milliseconds. */
    public TestServer build() {
      TestCertificateAuthority ca =
          authority != null ? authority : TestCertificateAuthority.create("Guise Testkit Root");
      IssuedCertificate cert = certificate;
      if (cert == null) {
        List<String> names = new ArrayList<>(hostNames);
        for (InetAddress a : addresses) {
          names.add(a.getHostAddress());
        }
        cert = ca.issue(names.toArray(String[]::new));
      }
      ServerConfig config =
          new ServerConfig(
              addresses,
              port,
              cert.serverSslContext(),
              alpn,
              handler,
              http2Settings,
              maxHeaderBytes,
              maxBodyBytes,
              handshakeTimeout,
              readTimeout,
              recordedConnections);
      return new TestServer(new ServerRuntime(config), ca, cert, hostNames);
    }
  }
}
