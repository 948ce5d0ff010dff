package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's lightweight TLS crypto for the handshake (key exchange, ML-KEM on every JDK,
 * signatures, HKDF: it needs no security provider registered and is faster there than the JCA),
 * with the records' AES-GCM done by the JDK ({@link JcaGcmCipher}), whose intrinsics are several
 * times faster than BouncyCastle's Java GCM on bulk data. It also keeps no GHASH table on the heap:
 * the JDK's GHASH state per direction is a few hundred bytes.
 *
 * <p>ChaCha20-Poly1305 and the rest stay BouncyCastle's. The hello it helps to build is unchanged:
 * what it offers is decided by the profile, and which ciphers exist does not change.
 *
 * <p>Thread-safe as {@link BcTlsCrypto} is: each cipher it creates is new and owned by one
 * connection.
 */
public final class HybridTlsCrypto extends BcTlsCrypto {
  public HybridTlsCrypto(SecureRandom random) {
    super(random);
  }

  /** Whether the JDK here has AES-GCM (every JDK 21 does; a stripped runtime might not). */
  public static boolean jdkGcmAvailable() {
    try {
      JcaGcmCipher.newCipher();
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Called once per AES-GCM connection for TLS 1.2 and 1.3 alike, for both directions. */
  @Override
  protected TlsAEADCipher createCipher_AES_GCM(
      TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) throws IOException {
    try {
      return new TlsAEADCipher(
          cryptoParams,
          new JcaGcmCipher(true),
          new JcaGcmCipher(false),
          cipherKeySize,
          macSize,
          TlsAEADCipher.AEAD_GCM,
          null);
    } catch (GeneralSecurityException e) {
      throw new IOException("the JDK's AES/GCM/NoPadding is not available", e);
    }
  }
}
