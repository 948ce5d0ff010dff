package dev.guise.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link dev.guise.api.spi.TlsEngine} is asked to open.
 *
 * @param endpoint host (for SNI and verification), pinned IP and port
 * @param profile the fingerprint to present, by name or alias ({@code chrome-156}, {@code chrome})
 * @param alpn the application protocols to offer, most preferred first; empty for the profile's own
 *     list. An engine that cannot offer exactly these says so with an error; it never silently
 *     offers others.
 * @param trust which certificates to accept
 * @param handshakeTimeout the most the handshake may take, from the first byte written to the last
 *     byte read; the engine fails with a read timeout past it
 * @param sessionScope the network path the connection goes out by: {@link #DIRECT} or one per proxy
 *     exit. An engine that keeps TLS sessions to resume them keeps them per scope and never offers
 *     a session (a ticket, a PSK) in another scope: a session resumed from another exit links the
 *     two exits for the server, and some sites block that.
 * @param resumption whether the engine may resume a TLS session (offer a ticket it holds for this
 *     profile, scope, host and port, and keep the tickets the server sends), as the profile's
 *     browser does; on by default. Off: every handshake is a full one and no ticket is kept.
 */
public record TlsConnectRequest(
    TlsEndpoint endpoint,
    String profile,
    List<String> alpn,
    TrustPolicy trust,
    Duration handshakeTimeout,
    String sessionScope,
    boolean resumption) {

  /** The scope of connections that go straight to the server, through no proxy. */
  public static final String DIRECT = "direct";

  /** A request for a direct connection ({@link #DIRECT} scope). */
  public TlsConnectRequest(
      TlsEndpoint endpoint,
      String profile,
      List<String> alpn,
      TrustPolicy trust,
      Duration handshakeTimeout) {
    this(endpoint, profile, alpn, trust, handshakeTimeout, DIRECT, true);
  }

  /** A request in {@code sessionScope}, with resumption on. */
  public TlsConnectRequest(
      TlsEndpoint endpoint,
      String profile,
      List<String> alpn,
      TrustPolicy trust,
      Duration handshakeTimeout,
      String sessionScope) {
    this(endpoint, profile, alpn, trust, handshakeTimeout, sessionScope, true);
  }

  /** This request with resumption turned on or off. */
  public TlsConnectRequest withResumption(boolean on) {
    return new TlsConnectRequest(
        endpoint, profile, alpn, trust, handshakeTimeout, sessionScope, on);
  }

  public TlsConnectRequest {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(profile, "profile");
    alpn = List.copyOf(Objects.requireNonNull(alpn, "alpn"));
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    Objects.requireNonNull(sessionScope, "sessionScope");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
  }
}
