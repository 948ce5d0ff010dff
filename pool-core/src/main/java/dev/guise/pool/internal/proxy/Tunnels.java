package dev.guise.pool.internal.proxy;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.TrustPolicy;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.pool.proxy.Proxy;
import dev.guise.pool.proxy.ProxyKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens tunnels: a socket through a proxy to a target, over which the site's TLS handshake then
 * runs unchanged (the engine writes the same ClientHello, byte for byte, as over a direct socket).
 * Every step is bounded by the caller's deadline; on failure the socket is closed and the failure
 * is classified ({@link ProxyFailures}). Nothing is ever opened directly to the target: a failure
 * is a failure.
 *
 * <p>HTTP proxies' {@code 407}: the first tunnel through a proxy goes without credentials, as a
 * browser's first try does (so its head is the captured one); a {@code 407} is answered once, on a
 * new connection, with {@code Proxy-Authorization}. A proxy that took the credentials is
 * remembered, and later tunnels send them at once, as a browser's auth cache does. A second {@code
 * 407} is {@code PROXY_AUTH_FAILED}: never a loop.
 *
 * <p>HTTPS proxies: TLS to the proxy with the {@code jdk} engine (always present: pool-core's
 * runtime dependency), verified against the pool's trust policy and the proxy's host name like any
 * server; then CONNECT inside it. The proxy is not the site the fingerprint is for, and the JDK's
 * TLS keeps the outer leg simple and the inner one untouched.
 */
public final class Tunnels {
  private final TrustPolicy trust;
  private final Set<Proxy> authenticated = ConcurrentHashMap.newKeySet();
  private volatile TlsEngine proxyTls;

  public Tunnels(TrustPolicy trust) {
    this.trust = trust;
  }

  /**
   * A connected socket through {@code proxy} to {@code target}, ready for the site's TLS.
   *
   * @param profile the profile the connection presents, whose browser's CONNECT head is sent
   * @throws ClassifiedIOException a proxy failure kind, or DEADLINE_EXCEEDED
   */
  public Socket open(Proxy proxy, TunnelTarget target, String profile, long deadlineNanos)
      throws IOException {
    if (target.ip() == null && !proxy.kind().resolvesNames()) {
      throw new IllegalStateException("a socks5 proxy needs a resolved target");
    }
    boolean sendCredentials = proxy.credentials().isPresent() && authenticated.contains(proxy);
    Socket socket = connect(proxy, deadlineNanos);
    try {
      if (proxy.kind() == ProxyKind.SOCKS5 || proxy.kind() == ProxyKind.SOCKS5H) {
        Socks5.connect(socket, proxy, target, deadlineNanos);
        return socket;
      }
      int status =
          HttpConnect.request(socket, proxy, target, profile, sendCredentials, deadlineNanos);
      if (status == 407) {
        socket.close();
        if (sendCredentials || proxy.credentials().isEmpty()) {
          authenticated.remove(proxy);
          throw ProxyFailures.authFailed(
              proxy.toString(),
              sendCredentials ? "407 to the credentials" : "407 and no credentials are configured");
        }
        socket = connect(proxy, deadlineNanos);
        status = HttpConnect.request(socket, proxy, target, profile, true, deadlineNanos);
        if (status == 407) {
          throw ProxyFailures.authFailed(proxy.toString(), "407 to the credentials");
        }
        if (status / 100 == 2) {
          authenticated.add(proxy);
        }
      }
      if (status / 100 != 2) {
        throw ProxyFailures.connectRejected(proxy.toString(), status, "to " + target.authority());
      }
      return socket;
    } catch (ClassifiedIOException | RuntimeException e) {
      closeQuietly(socket);
      throw e;
    } catch (IOException e) {
      // A reset or broken pipe while the proxy answers CONNECT or SOCKS: the proxy broke the
      // exchange, not the site. Unclassified, it would read as the site's CONNECTION_RESET.
      closeQuietly(socket);
      throw ProxyFailures.broken(proxy.toString(), e);
    }
  }

  /** TCP to the proxy (and TLS for an HTTPS proxy), within the deadline. */
  private Socket connect(Proxy proxy, long deadlineNanos) throws IOException {
    String name = proxy.toString();
    InetAddress address;
    try {
      // The proxy's own name is resolved here: it is where Guise sends its traffic, not the site.
      address = InetAddress.getByName(proxy.host());
    } catch (UnknownHostException e) {
      throw ProxyFailures.unreachable(name, e);
    }
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address, proxy.port()), millisLeft(deadlineNanos));
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw ProxyFailures.timeout(name, "connecting", e);
    } catch (ClassifiedIOException e) {
      closeQuietly(socket);
      throw e;
    } catch (IOException e) {
      closeQuietly(socket);
      throw ProxyFailures.unreachable(name, e);
    }
    if (proxy.kind() != ProxyKind.HTTPS) {
      return socket;
    }
    TlsConnection tls;
    try {
      tls =
          jdk()
              .connect(
                  socket,
                  new TlsConnectRequest(
                      new TlsEndpoint(proxy.host(), address, proxy.port()),
                      "jdk-default",
                      List.of("http/1.1"),
                      trust,
                      Duration.ofMillis(millisLeft(deadlineNanos))));
    } catch (ClassifiedIOException e) {
      closeQuietly(socket);
      throw ProxyFailures.ownTls(name, e.failure());
    }
    return new TlsSocket(tls);
  }

  private TlsEngine jdk() {
    TlsEngine e = proxyTls;
    if (e == null) {
      e = Providers.tlsEngine("jdk");
      proxyTls = e;
    }
    return e;
  }

  private static int millisLeft(long deadlineNanos) throws ClassifiedIOException {
    long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new ClassifiedIOException(
          FailureKind.DEADLINE_EXCEEDED,
          false,
          PoolAction.KEEP,
          "no time left to open a tunnel",
          null);
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing a failed tunnel; nothing left to do
    }
  }
}
