package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * One X25519 key pair for the two X25519 shares of a hello, as Firefox (NSS) sends them: its {@code
 * X25519MLKEM768} share ends with the same 32-byte public key as its {@code X25519} share.
 * BouncyCastle asks its crypto for a new X25519 agreement per share (the hybrid's half first, in
 * supported_groups order); the first agreement made here is handed to the second request as well,
 * and later ones (a HelloRetryRequest's share) are new again.
 *
 * <p>One instance per handshake, used by that handshake's thread only. Whichever share the server
 * picks, one agreement is completed; the key pair is never used for two secrets.
 */
public final class OneX25519Key {
  private Shared first; // the hello's first X25519 agreement, until the second request took it
  private boolean handedTwice;

  /**
   * What a crypto's {@code createECDomain} returns: {@code domain} itself, or for X25519 with a
   * handshake's {@code oneKey}, a domain whose first two agreements are one.
   *
   * @param oneKey the handshake's, or {@code null} for a key pair per share
   */
  public static TlsECDomain domain(OneX25519Key oneKey, TlsECConfig config, TlsECDomain domain) {
    return oneKey != null && config.getNamedGroup() == NamedGroup.x25519
        ? () -> oneKey.next(domain)
        : domain;
  }

  private TlsAgreement next(TlsECDomain domain) {
    if (handedTwice) {
      return domain.createECDH();
    }
    if (first == null) {
      first = new Shared(domain.createECDH());
      return first;
    }
    Shared again = first;
    first = null;
    handedTwice = true;
    return again;
  }

  /** An agreement whose public key, once generated, is the one every share of it sends. */
  private static final class Shared implements TlsAgreement {
    private final TlsAgreement agreement;
    private byte[] publicKey;

    Shared(TlsAgreement agreement) {
      this.agreement = agreement;
    }

    @Override
    public byte[] generateEphemeral() throws IOException {
      if (publicKey == null) {
        publicKey = agreement.generateEphemeral();
      }
      return publicKey.clone();
    }

    @Override
    public void receivePeerValue(byte[] peerValue) throws IOException {
      agreement.receivePeerValue(peerValue);
    }

    @Override
    public TlsSecret calculateSecret() throws IOException {
      return agreement.calculateSecret();
    }
  }
}
