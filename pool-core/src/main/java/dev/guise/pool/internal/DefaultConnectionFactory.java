package dev.guise.pool.internal;

import dev.guise.api.ClassifiedIOException;
import dev.guise.api.FailureKind;
import dev.guise.api.FingerprintOffer;
import dev.guise.api.PoolAction;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import dev.guise.api.TlsEndpoint;
import dev.guise.api.spi.Providers;
import dev.guise.api.spi.TlsEngine;
import dev.guise.pool.config.PoolConfig;
import dev.guise.pool.internal.exchange.HttpConnection;
import dev.guise.pool.internal.proxy.TunnelTarget;
import dev.guise.pool.internal.proxy.Tunnels;
import dev.guise.pool.proxy.Proxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Opens connections the way the pool's configuration says: TCP to the pinned IP within the connect
 * timeout, TLS with the configured engine presenting the chosen profile, then HTTP/1.1 or HTTP/2 by
 * ALPN with the profile's wire behaviour.
 */
public final class DefaultConnectionFactory implements ConnectionFactory {
  private final PoolConfig config;
  private final TlsEngine engine;
  private final Tunnels tunnels;
  private final AtomicLong tunnelCount = new AtomicLong();

  /**
   * @throws IllegalArgumentException when the engine is unknown or does not offer every configured
   *     profile; the message names the engines that do
   */
  public DefaultConnectionFactory(PoolConfig config) {
    this.config = config;
    this.engine = Providers.tlsEngine(config.engine());
    this.tunnels = new Tunnels(config.trust());
    for (String profile : config.profiles().keySet()) {
      if (engine.offer(profile).isEmpty()) {
        throw new IllegalArgumentException(unsupported(engine, profile));
      }
    }
  }

  static String unsupported(TlsEngine engine, String profile) {
    List<String> able =
        Providers.tlsEngines().stream()
            .filter(e -> e.unavailableReason().isEmpty())
            .filter(e -> e.offer(profile).isPresent())
            .map(
                e ->
                    e.name()
                        + " ("
                        + e.offer(profile)
                            .map(FingerprintOffer::fidelity)
                            .orElseThrow()
                            .name()
                            .toLowerCase(Locale.ROOT)
                        + ")")
            .collect(Collectors.toList());
    return "TLS engine '"
        + engine.name()
        + "' does not offer profile '"
        + profile
        + "'"
        + engine.refusal(profile).map(why -> " (" + why + ")").orElse("")
        + "; "
        + (able.isEmpty()
            ? "no installed engine does"
            : "engines that do: " + String.join(", ", able))
        + ". It offers: "
        + engine.offers().stream().map(FingerprintOffer::profile).toList();
  }

  /** The engine connections are opened with. */
  public TlsEngine engine() {
    return engine;
  }

  /**
   * Through the route's proxy, a tunnel to the route's IP (or, unpinned, its host name) and then
   * the same TLS handshake as over a direct socket; without one, {@link #open(TlsEndpoint, String,
   * long)}.
   */
  @Override
  public HttpConnection open(Route route, String profile, long deadlineNanos) throws IOException {
    if (route.proxy() == null) {
      return open(
          route.endpoint(), profile, deadlineNanos, scoped(route, TlsConnectRequest.DIRECT));
    }
    TlsEndpoint endpoint = route.endpoint();
    Socket socket =
        tunnels.open(
            route.proxy(),
            new TunnelTarget(endpoint.host(), route.ip(), endpoint.port()),
            profile,
            deadlineNanos);
    return handshake(
        socket, endpoint, profile, deadlineNanos, scoped(route, sessionScope(route.proxy())));
  }

  @Override
  public HttpConnection open(TlsEndpoint endpoint, String profile, long deadlineNanos)
      throws IOException {
    return open(endpoint, profile, deadlineNanos, TlsConnectRequest.DIRECT);
  }

  private HttpConnection open(
      TlsEndpoint endpoint, String profile, long deadlineNanos, String scope) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(
          new InetSocketAddress(endpoint.ip(), endpoint.port()), millisLeft(deadlineNanos));
    } catch (SocketTimeoutException e) {
      socket.close();
      throw new ClassifiedIOException(
          FailureKind.CONNECT_TIMEOUT,
          true,
          PoolAction.PENALISE_IP,
          "connect to " + endpoint + " timed out",
          e);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return handshake(socket, endpoint, profile, deadlineNanos, scope);
  }

  /**
   * The session scope of a connection of {@code route}: the exit's scope, and for an identity's
   * route the identity too, so that the engine never offers one identity's ticket for another's
   * connection (a ticket resumed by another identity links the two for the server, as a shared
   * connection would). The pool's shared connections keep the exit's scope alone.
   */
  private static String scoped(Route route, String exitScope) {
    return route.identity() == null
        ? exitScope
        : "identity " + route.identity().length() + ":" + route.identity() + " " + exitScope;
  }

  /**
   * The session scope of a connection through {@code proxy}: the proxy as it prints (its user name
   * included, which rotating gateways use to choose exits; never the password). A proxy that gives
   * each tunnel a new exit gets a scope per connection, so no session is ever resumed through it.
   */
  private String sessionScope(Proxy proxy) {
    String scope = "proxy " + proxy;
    return proxy.newTunnelPerRequest() ? scope + " #" + tunnelCount.incrementAndGet() : scope;
  }

  private HttpConnection handshake(
      Socket socket, TlsEndpoint endpoint, String profile, long deadlineNanos, String scope)
      throws IOException {
    Duration handshake;
    try {
      handshake = Duration.ofMillis(millisLeft(deadlineNanos));
    } catch (ClassifiedIOException e) {
      socket.close();
      throw e;
    }
    TlsConnection tls =
        engine.connect(
            socket,
            new TlsConnectRequest(
                endpoint,
                profile,
                config.alpn(),
                config.trust(),
                handshake,
                scope,
                config.tlsResumption()));
    return HttpConnections.open(tls, endpoint, config.readerThreads());
  }

  private static int millisLeft(long deadlineNanos) throws ClassifiedIOException {
    long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (ms <= 0) {
      throw new ClassifiedIOException(
          FailureKind.DEADLINE_EXCEEDED,
          false,
          PoolAction.KEEP,
          "no time left to open a connection",
          null);
    }
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }
}
