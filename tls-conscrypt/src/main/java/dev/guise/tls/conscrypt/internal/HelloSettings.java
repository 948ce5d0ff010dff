package dev.guise.tls.conscrypt.internal;

import dev.guise.api.Fidelity;
import dev.guise.api.FingerprintOffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine sets on a Conscrypt SSLEngine to present one profile, and what it reports about
 * it.
 *
 * @param name the profile's canonical name
 * @param aliases other names selecting it
 * @param fidelity how close it is to the browser it is named after
 * @param ja4 the JA4 of the fresh ClientHello these settings produce (verified by the tests)
 * @param note what differs from the browser
 * @param cipherSuites the cipher suites to enable, in order (TLS 1.3 suites are fixed by BoringSSL
 *     and always first); empty for Conscrypt's default list
 * @param namedGroups the groups to offer by Conscrypt name, in order; empty for Conscrypt's default
 * @param sessionTickets whether to send the (TLS 1.2) session_ticket extension
 * @param alpn the ALPN protocols offered when the request names none
 */
public record HelloSettings(
    String name,
    List<String> aliases,
    Fidelity fidelity,
    String ja4,
    String note,
    List<String> cipherSuites,
    List<String> namedGroups,
    boolean sessionTickets,
    List<String> alpn) {

  public HelloSettings {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(fidelity, "fidelity");
    Objects.requireNonNull(ja4, "ja4");
    Objects.requireNonNull(note, "note");
    cipherSuites = List.copyOf(cipherSuites);
    namedGroups = List.copyOf(namedGroups);
    alpn = List.copyOf(alpn);
  }

  /** The offer the engine advertises for this profile. */
  public FingerprintOffer offer() {
    return new FingerprintOffer(name, aliases, fidelity, Optional.of(ja4), note);
  }
}
