package dev.guise.tls.bouncycastle.internal;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS 1.3 session ticket the client may offer once: what the server's NewSessionTicket said and
 * the resumption PSK derived from it, with the facts of the session it came from.
 *
 * <p>The PSK and the ticket are secrets (whoever holds them can resume the session), so {@link
 * #toString()} names neither.
 *
 * @param identity the opaque ticket, sent back as the PSK identity
 * @param psk HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce)
 * @param prfAlgorithm BouncyCastle's PRF algorithm of the session's cipher suite
 * @param cryptoHashAlgorithm BouncyCastle's hash of that PRF
 * @param ageAdd the server's ticket_age_add
 * @param receivedMillis when the ticket arrived (the cache's clock)
 * @param expiresMillis when the ticket stops being offered
 * @param serverChain the verified chain of the full handshake that issued it (a resumed handshake
 *     carries no certificate; the connection reports the session's)
 */
record ResumptionTicket(
    byte[] identity,
    byte[] psk,
    int prfAlgorithm,
    int cryptoHashAlgorithm,
    long ageAdd,
    long receivedMillis,
    long expiresMillis,
    List<X509Certificate> serverChain) {

  ResumptionTicket {
    serverChain = List.copyOf(serverChain);
  }

  /** RFC 8446 4.2.11.1: the ticket's age in milliseconds plus ticket_age_add, modulo 2^32. */
  long obfuscatedAge(long nowMillis) {
    return (Math.max(0, nowMillis - receivedMillis) + ageAdd) & 0xffffffffL;
  }

  int size() {
    return identity.length + psk.length;
  }

  @Override
  public String toString() {
    return "ResumptionTicket[" + identity.length + " bytes, expires " + expiresMillis + "]";
  }
}
