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
 */
public record TlsConnectRequest(
    TlsEndpoint endpoint,
    String profile,
    List<String> alpn,
    TrustPolicy trust,
    Duration handshakeTimeout,
    String sessionScope) {

  /** The scope of connections that go straight to the server, through no proxy. */
  public static final String DIRECT = "direct";

  /** A request for a direct connection ({@link #DIRECT} scope). */
  public TlsConnectRequest(
      TlsEndpoint endpoint,
      String profile,
      List<String> alpn,
      TrustPolicy trust,
      Duration handshakeTimeout) {
    this(endpoint, profile, alpn, trust, handshakeTimeout, DIRECT);
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
