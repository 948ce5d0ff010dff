package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.KeyAgreement;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.conscrypt.Conscrypt;

/**
 * The client's X25519 through Conscrypt's JCA provider (BoringSSL's code), when Conscrypt is on the
 * path: per handshake of Chrome's hello (two X25519 key pairs and one agreement) 58 µs against
 * BouncyCastle's 144 µs on the benchmark machine, where warm-up spends a quarter of the client's
 * CPU on X25519. The bytes on the wire are the same either way: 32-byte public keys, and the same
 * secret from them.
 *
 * <p>ML-KEM stays BouncyCastle's: Conscrypt 2.9.0 makes ML-KEM-768 key pairs about 2.5 times as
 * fast, but its {@code KEM} service cannot be instantiated here ("class configured for KEM cannot
 * be found"), so nothing could decapsulate with those keys.
 *
 * <p>Without Conscrypt, or with {@code -Dguise.bouncycastle.nativeKeyExchange=false}, {@link
 * #find()} is empty and BouncyCastle's own code does the math. Each agreement is owned by one
 * handshake; the provider is shared and thread-safe, and every JCA object is made per use.
 */
public final class NativeKeyExchange {
  /** The DER of an X25519 SubjectPublicKeyInfo before its 32 raw bytes (RFC 8410). */
  private static final byte[] X25519_SPKI = HexFormat.of().parseHex("302a300506032b656e032100");

  private static final int X25519_KEY = 32;

  private final Provider provider;

  private NativeKeyExchange(Provider provider) {
    this.provider = provider;
  }

  /** Conscrypt's, found once; empty without it (or when switched off). */
  public static Optional<NativeKeyExchange> find() {
    return Found.KEY_EXCHANGE;
  }

  /** Looked up once, by the first crypto made (the engine's shared one, when its class loads). */
  private static final class Found {
    static final Optional<NativeKeyExchange> KEY_EXCHANGE = lookUp();

    private static Optional<NativeKeyExchange> lookUp() {
      if ("false".equals(System.getProperty("guise.bouncycastle.nativeKeyExchange"))) {
        return Optional.empty();
      }
      try {
        if (!Conscrypt.isAvailable()) {
          return Optional.empty();
        }
        NativeKeyExchange k = new NativeKeyExchange(Conscrypt.newProvider());
        k.selfCheck();
        return Optional.of(k);
      } catch (LinkageError | GeneralSecurityException | RuntimeException e) {
        // Not on the path (NoClassDefFoundError), its native library missing, or an algorithm
        // this Conscrypt lacks: BouncyCastle's math then, as without it.
        return Optional.empty();
      }
    }
  }

  /** X25519 exists, encodes as expected and agrees with itself: fail here, not in a handshake. */
  private void selfCheck() throws GeneralSecurityException {
    KeyPair a = newPair();
    KeyPair b = newPair();
    raw(a.getPublic());
    if (!Arrays.equals(agree(a, b.getPublic()), agree(b, a.getPublic()))) {
      throw new GeneralSecurityException("X25519 disagrees with itself");
    }
  }

  /** A client's X25519 agreement. */
  TlsAgreement x25519(TlsCrypto crypto) {
    return new X25519(crypto);
  }

  private KeyPair newPair() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance("XDH", provider).generateKeyPair();
  }

  private byte[] agree(KeyPair ours, PublicKey theirs) throws GeneralSecurityException {
    KeyAgreement agreement = KeyAgreement.getInstance("XDH", provider);
    agreement.init(ours.getPrivate());
    agreement.doPhase(theirs, true);
    return agreement.generateSecret();
  }

  /** The 32 raw bytes at the end of {@code key}'s X.509 encoding, whose start is checked. */
  private static byte[] raw(PublicKey key) throws GeneralSecurityException {
    byte[] spki = key.getEncoded();
    int start = X25519_SPKI.length;
    if (spki == null
        || spki.length != start + X25519_KEY
        || !Arrays.equals(spki, 0, start, X25519_SPKI, 0, start)) {
      throw new GeneralSecurityException("unexpected encoding of an X25519 key");
    }
    return Arrays.copyOfRange(spki, start, spki.length);
  }

  private final class X25519 implements TlsAgreement {
    private final TlsCrypto crypto;
    private KeyPair pair;
    private PublicKey peer;

    X25519(TlsCrypto crypto) {
      this.crypto = crypto;
    }

    @Override
    public byte[] generateEphemeral() throws IOException {
      try {
        pair = newPair();
        return raw(pair.getPublic());
      } catch (GeneralSecurityException e) {
        throw new TlsFatalAlert(AlertDescription.internal_error, "X25519 key pair", e);
      }
    }

    @Override
    public void receivePeerValue(byte[] peerValue) throws IOException {
      if (peerValue.length != X25519_KEY) {
        throw new TlsFatalAlert(AlertDescription.illegal_parameter, "X25519 share length");
      }
      byte[] spki = Arrays.copyOf(X25519_SPKI, X25519_SPKI.length + X25519_KEY);
      System.arraycopy(peerValue, 0, spki, X25519_SPKI.length, X25519_KEY);
      try {
        peer = KeyFactory.getInstance("XDH", provider).generatePublic(new X509EncodedKeySpec(spki));
      } catch (GeneralSecurityException e) {
        throw new TlsFatalAlert(AlertDescription.illegal_parameter, "X25519 share", e);
      }
    }

    @Override
    public TlsSecret calculateSecret() throws IOException {
      byte[] secret;
      try {
        secret = agree(pair, peer);
      } catch (GeneralSecurityException | IllegalStateException e) {
        // BoringSSL refuses a peer key of small order (an all-zero secret), as RFC 7748 allows.
        throw new TlsFatalAlert(AlertDescription.handshake_failure, "X25519 agreement", e);
      }
      pair = null;
      try {
        return crypto.createSecret(secret);
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }
}
