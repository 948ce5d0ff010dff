package dev.guise.tls.bouncycastle.internal;

import dev.guise.tls.bouncycastle.internal.crypto.OneX25519Key;
import java.security.SecureRandom;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's lightweight TLS crypto with AES-GCM hashing through {@link
 * FlatTableGcmMultiplier}, which retains about 4 KiB per direction of an AES-GCM connection where
 * BouncyCastle's default multiplier retains about 9 KiB, at the same speed (issue #8: an idle
 * pooled connection's heap). Everything else, ChaCha20-Poly1305 included, is {@link BcTlsCrypto}'s.
 *
 * <p>Thread-safe as {@link BcTlsCrypto} is: each cipher it creates is new and owned by one
 * connection. An instance with a {@link OneX25519Key} belongs to one handshake.
 */
final class CompactGcmTlsCrypto extends BcTlsCrypto {
  private final OneX25519Key oneX25519Key; // null: a key pair per X25519 share

  /** As {@link dev.guise.tls.bouncycastle.internal.crypto.HybridTlsCrypto}'s constructor. */
  CompactGcmTlsCrypto(SecureRandom random, OneX25519Key oneX25519Key) {
    super(random);
    this.oneX25519Key = oneX25519Key;
  }

  @Override
  public TlsECDomain createECDomain(TlsECConfig ecConfig) {
    return OneX25519Key.domain(oneX25519Key, ecConfig, super.createECDomain(ecConfig));
  }

  /** Called twice per AES-GCM connection (one cipher per direction), for TLS 1.2 and 1.3 alike. */
  @Override
  protected AEADBlockCipher createAEADBlockCipher_AES_GCM() {
    return GCMBlockCipher.newInstance(createAESEngine(), new FlatTableGcmMultiplier());
  }
}
