package dev.guise.api.spi;

import dev.guise.api.FingerprintOffer;
import dev.guise.api.TlsConnectRequest;
import dev.guise.api.TlsConnection;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

/**
 * A TLS engine: opens TLS connections over sockets the pool has connected, presenting a named
 * browser fingerprint.
 *
 * <p>Found with {@link java.util.ServiceLoader}; {@link Providers#tlsEngine(String)} picks one by
 * {@link #name()}. Implementations must have a public no-argument constructor (or a public static
 * {@code provider()} method on the module path), must be thread-safe, and must not do expensive
 * work before {@link #connect} is first called: discovery instantiates every provider.
 *
 * <p>Security: an engine verifies the server's certificate chain and the host name of {@link
 * dev.guise.api.TlsEndpoint#host()} (never the IP the socket is connected to) as {@link
 * dev.guise.api.TrustPolicy} says, and reports a rejection as a {@link
 * dev.guise.api.ClassifiedIOException} of kind {@link dev.guise.api.FailureKind#CERTIFICATE}.
 */
public interface TlsEngine {

  /** The stable name configuration uses to pick this engine, such as {@code bouncycastle}. */
  String name();

  /** Every fingerprint this engine can present, with its fidelity. Never empty. */
  List<FingerprintOffer> offers();

  /** The offer answering to {@code profile} (a name or an alias), if this engine has one. */
  default Optional<FingerprintOffer> offer(String profile) {
    for (FingerprintOffer offer : offers()) {
      if (offer.answersTo(profile)) {
        return Optional.of(offer);
      }
    }
    return Optional.empty();
  }

  /**
   * Why this engine offers nothing for {@code profile} although the profile exists: its hello has
   * something the engine cannot send (an extension, named), so it is left out of {@link #offers()}.
   * Empty when the engine offers the profile or knows no such profile. Configuration errors quote
   * it, so that a user learns what to change rather than only that the profile is missing.
   */
  default Optional<String> refusal(String profile) {
    return Optional.empty();
  }

  /**
   * Why this engine cannot be used on this machine (a native library that failed to load, a missing
   * security provider), or empty when it can. Discovery calls this so that an unusable engine is a
   * clear error when it is picked, not a crash at its first connection.
   */
  default Optional<String> unavailableReason() {
    return Optional.empty();
  }

  /**
   * Performs a TLS handshake over {@code socket} and returns the connection.
   *
   * <p>Blocks for at most {@code request.handshakeTimeout()}. The socket must already be connected
   * to {@code request.endpoint()}; on success the returned connection owns it, on failure this
   * method closes it. Either way the caller must not use the socket afterwards.
   *
   * @throws dev.guise.api.ClassifiedIOException with kind {@code CERTIFICATE} when the server's
   *     certificate is rejected, {@code TLS_HANDSHAKE} when the handshake fails otherwise, {@code
   *     READ_TIMEOUT} when it outlasts its timeout (the {@link java.net.SocketTimeoutException} as
   *     its cause), and {@code INVALID_REQUEST} when this engine does not offer {@code
   *     request.profile()}
   * @throws IOException for other I/O failures (the pool's classifier maps them)
   */
  TlsConnection connect(Socket socket, TlsConnectRequest request) throws IOException;
}
