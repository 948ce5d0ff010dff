package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's lightweight TLS crypto for the handshake (key exchange, ML-KEM on every JDK,
 * signatures: it needs no security provider registered and is faster there than the JCA; its ECDSA
 * P-256 verification took 70 us against the JDK's 400 to 500 us on the benchmark machine), with the
 * JDK doing what its intrinsics do several times faster:
 *
 * <ul>
 *   <li>the records' AES-GCM ({@link JcaGcmCipher}), which also keeps no GHASH table on the heap:
 *       the JDK's GHASH state per direction is a few hundred bytes;
 *   <li>SHA-256, SHA-384 and SHA-512 ({@link JcaDigest}): the transcript hash, HKDF and the HMACs
 *       of the key schedule and of the PSK binder, and the digests of signatures.
 * </ul>
 *
 * <p>With Conscrypt on the path, the client's X25519 and the check of a server's ECDSA P-256
 * CertificateVerify are BoringSSL's through Conscrypt's JCA provider ({@link NativeCrypto}): X25519
 * two to three times as fast as BouncyCastle's, the P-256 check about one and a half times.
 *
 * <p>ChaCha20-Poly1305 and the rest stay BouncyCastle's. The hello it helps to build is unchanged:
 * what it offers is decided by the profile, and which ciphers exist does not change.
 *
 * <p>Thread-safe as {@link BcTlsCrypto} is: each cipher it creates is new and owned by one
 * connection. An instance with a {@link OneX25519Key} belongs to one handshake.
 */
public final class HybridTlsCrypto extends BcTlsCrypto {
  private final OneX25519Key oneX25519Key; // null: a key pair per X25519 share
  private final NativeCrypto nativeCrypto; // null: BouncyCastle's X25519 and signatures

  /**
   * A crypto with Conscrypt's math when it is on the path ({@link NativeCrypto}).
   *
   * @param oneX25519Key for a crypto of one handshake whose hello sends one X25519 key in two
   *     shares; {@code null} for a key pair per share (a crypto connections can share)
   */
  public HybridTlsCrypto(SecureRandom random, OneX25519Key oneX25519Key) {
    this(random, oneX25519Key, NativeCrypto.find().orElse(null));
  }

  /**
   * @param nativeCrypto Conscrypt's X25519 and ECDSA P-256 verification, or {@code null} for
   *     BouncyCastle's
   */
  public HybridTlsCrypto(
      SecureRandom random, OneX25519Key oneX25519Key, NativeCrypto nativeCrypto) {
    super(random);
    this.oneX25519Key = oneX25519Key;
    this.nativeCrypto = nativeCrypto;
  }

  /** Whether this crypto's X25519 and P-256 verification are Conscrypt's (tests). */
  public boolean nativeCrypto() {
    return nativeCrypto != null;
  }

  @Override
  public TlsECDomain createECDomain(TlsECConfig ecConfig) {
    TlsECDomain domain =
        nativeCrypto != null && ecConfig.getNamedGroup() == NamedGroup.x25519
            ? () -> nativeCrypto.x25519(this)
            : super.createECDomain(ecConfig);
    return OneX25519Key.domain(oneX25519Key, ecConfig, domain);
  }

  @Override
  public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
    return nativeCrypto != null && type == CertificateType.X509
        ? new NativeVerifiedCertificate(this, encoding, nativeCrypto)
        : super.createCertificate(type, encoding);
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

  @Override
  public Digest createDigest(int cryptoHashAlgorithm) {
    JcaDigest.Kind kind = jdkKind(cryptoHashAlgorithm);
    if (kind != null) {
      Optional<JcaDigest> digest = JcaDigest.of(kind);
      if (digest.isPresent()) {
        return digest.get();
      }
    }
    return super.createDigest(cryptoHashAlgorithm);
  }

  @Override
  public Digest cloneDigest(int cryptoHashAlgorithm, Digest digest) {
    if (digest instanceof JcaDigest jdk) {
      return (Digest) jdk.copy();
    }
    return super.cloneDigest(cryptoHashAlgorithm, digest);
  }

  private static JcaDigest.Kind jdkKind(int cryptoHashAlgorithm) {
    return switch (cryptoHashAlgorithm) {
      case CryptoHashAlgorithm.sha256 -> JcaDigest.Kind.SHA256;
      case CryptoHashAlgorithm.sha384 -> JcaDigest.Kind.SHA384;
      case CryptoHashAlgorithm.sha512 -> JcaDigest.Kind.SHA512;
      default -> null;
    };
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
