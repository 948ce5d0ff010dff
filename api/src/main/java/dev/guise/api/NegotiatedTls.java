package dev.guise.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a completed handshake agreed on.
 *
 * @param protocol {@code TLSv1.3} or {@code TLSv1.2}
 * @param cipherSuite the IANA name, for example {@code TLS_AES_128_GCM_SHA256}
 * @param alpn the selected application protocol ({@code h2}, {@code http/1.1}), if any
 * @param namedGroup the key exchange group (for example {@code X25519MLKEM768}), if the engine
 *     knows
 * @param peerCertificates the server's chain, leaf first, as verified
 * @param profile the fingerprint profile the engine presented (its canonical name, not an alias)
 * @param fidelity how faithfully that profile was presented
 */
public record NegotiatedTls(
    String protocol,
    String cipherSuite,
    Optional<String> alpn,
    Optional<String> namedGroup,
    List<X509Certificate> peerCertificates,
    String profile,
    Fidelity fidelity) {

  public NegotiatedTls {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
    Objects.requireNonNull(alpn, "alpn");
    Objects.requireNonNull(namedGroup, "namedGroup");
    peerCertificates = List.copyOf(Objects.requireNonNull(peerCertificates, "peerCertificates"));
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(fidelity, "fidelity");
  }

  /** The protocol to speak over this connection, from ALPN; HTTP/1.1 when none was negotiated. */
  public HttpProtocol httpProtocol() {
    return alpn.map(HttpProtocol::fromAlpn).orElse(HttpProtocol.HTTP_1_1);
  }
}
