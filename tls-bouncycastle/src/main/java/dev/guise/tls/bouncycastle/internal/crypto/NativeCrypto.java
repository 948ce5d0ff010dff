package dev.guise.tls.bouncycastle.internal.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.conscrypt.Conscrypt;

/**
 * BoringSSL's math through Conscrypt's JCA provider, when Conscrypt is on the path, for the parts
 * of a handshake where it is faster than BouncyCastle's (benchmark machine, µs per operation,
 * BouncyCastle against Conscrypt):
 *
 * <ul>
 *   <li>the client's X25519 ({@link #x25519}): a key pair 29-45 against 13-17, an agreement about
 *       85 against 30. Chrome's hello makes two key pairs and one agreement;
 *   <li>the X25519 public key that is the {@code enc} of an ECH GREASE extension ({@link
 *       #x25519PublicKey()}): one more key pair per Chrome hello;
 *   <li>the server's CertificateVerify signed with ECDSA P-256 ({@link #ecdsaP256Verifier}), the
 *       usual signature of a site's certificate: 82-105 against 57-63, the key decoded per
 *       verification.
 * </ul>
 *
 * <p>The bytes on the wire are the same either way: 32-byte public keys, the same secret from them,
 * the same verdict on a signature. ML-KEM stays BouncyCastle's: Conscrypt 2.9.0 makes ML-KEM-768
 * key pairs about 2.5 times as fast, but its {@code KEM} service cannot be instantiated here
 * ("class configured for KEM cannot be found"), so nothing could decapsulate with those keys.
 *
 * <p>Without Conscrypt, or with {@code -Dguise.bouncycastle.nativeCrypto=false}, {@link #find()} is
 * empty and BouncyCastle's own code does the math. Each agreement and verifier is owned by one
 * handshake; the provider is shared and thread-safe, and every JCA object is made per use.
 */
public final class NativeCrypto {
  /** The system property that switches this off ({@code false}). */
  public static final String SWITCH = "guise.bouncycastle.nativeCrypto";

  /** The DER of an X25519 SubjectPublicKeyInfo before its 32 raw bytes (RFC 8410). */
  private static final byte[] X25519_SPKI = HexFormat.of().parseHex("302a300506032b656e032100");

  private static final int X25519_KEY = 32;

  private final Provider provider;

  private NativeCrypto(Provider provider) {
    this.provider = provider;
  }

  /** Conscrypt's, found once; empty without it (or when switched off). */
  public static Optional<NativeCrypto> find() {
    return Found.CRYPTO;
  }

  /** Looked up once, by the first crypto made (the engine's shared one, when its class loads). */
  private static final class Found {
    static final Optional<NativeCrypto> CRYPTO = lookUp();

    private static Optional<NativeCrypto> lookUp() {
      if ("false".equals(System.getProperty(SWITCH))) {
        return Optional.empty();
      }
      try {
        if (!Conscrypt.isAvailable()) {
          return Optional.empty();
        }
        NativeCrypto c = new NativeCrypto(Conscrypt.newProvider());
        c.selfCheck();
        return Optional.of(c);
      } catch (LinkageError | GeneralSecurityException | RuntimeException e) {
        // Not on the path (NoClassDefFoundError), its native library missing, or an algorithm
        // this Conscrypt lacks: BouncyCastle's math then, as without it.
        return Optional.empty();
      }
    }
  }

  /**
   * X25519 exists, encodes as expected and agrees with itself, and P-256 signatures verify: fail
   * here, not in a handshake.
   */
  private void selfCheck() throws GeneralSecurityException {
    KeyPair a = newPair();
    KeyPair b = newPair();
    raw(a.getPublic());
    if (!Arrays.equals(agree(a, b.getPublic()), agree(b, a.getPublic()))) {
      throw new GeneralSecurityException("X25519 disagrees with itself");
    }
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC", provider);
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair signer = ec.generateKeyPair();
    byte[] message = {1, 2, 3};
    Signature sign = Signature.getInstance("SHA256withECDSA", provider);
    sign.initSign(signer.getPrivate());
    sign.update(message);
    byte[] signature = sign.sign();
    Signature verify = Signature.getInstance("SHA256withECDSA", provider);
    verify.initVerify(
        KeyFactory.getInstance("EC", provider)
            .generatePublic(new X509EncodedKeySpec(signer.getPublic().getEncoded())));
    verify.update(message);
    if (!verify.verify(signature)) {
      throw new GeneralSecurityException("ECDSA P-256 does not verify its own signature");
    }
  }

  /** A client's X25519 agreement. */
  TlsAgreement x25519(TlsCrypto crypto) {
    return new X25519(crypto);
  }

  /**
   * The public key of a new X25519 key pair whose private key is dropped: what a GREASE ECH
   * extension sends as its {@code enc} (random bytes would be told apart by their top bit).
   */
  public byte[] x25519PublicKey() {
    try {
      return raw(newPair().getPublic());
    } catch (GeneralSecurityException e) {
      // The self-check made the same key pair; failing now is a broken provider, not input.
      throw new IllegalStateException("X25519 key pair", e);
    }
  }

  /**
   * A verifier of a TLS 1.3 {@code ecdsa_secp256r1_sha256} signature by {@code key}, or {@code
   * null} when {@code key} is not a P-256 key (BouncyCastle's verifier then decides).
   */
  Tls13Verifier ecdsaP256Verifier(SubjectPublicKeyInfo key) throws IOException {
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(key.getAlgorithm().getAlgorithm())
        || !SECObjectIdentifiers.secp256r1.equals(key.getAlgorithm().getParameters())) {
      return null;
    }
    try {
      PublicKey publicKey =
          KeyFactory.getInstance("EC", provider)
              .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
      Signature signature = Signature.getInstance("SHA256withECDSA", provider);
      signature.initVerify(publicKey);
      return new EcdsaVerifier(signature);
    } catch (GeneralSecurityException e) {
      // A point not on the curve, or an encoding BoringSSL refuses: a bad certificate.
      throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server's P-256 key", e);
    }
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

  /**
   * The signed content (the CertificateVerify header and the transcript hash) goes straight into
   * the JCA signature, which hashes it with SHA-256.
   */
  private static final class EcdsaVerifier extends OutputStream implements Tls13Verifier {
    private final Signature signature;

    EcdsaVerifier(Signature signature) {
      this.signature = signature;
    }

    @Override
    public OutputStream getOutputStream() {
      return this;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        signature.update(b, off, len);
      } catch (SignatureException e) {
        throw new IOException("ECDSA verification not initialised", e);
      }
    }

    @Override
    public boolean verifySignature(byte[] bytes) {
      try {
        return signature.verify(bytes);
      } catch (SignatureException e) {
        // Not a DER ECDSA signature: a signature that does not verify, as BouncyCastle's says.
        return false;
      }
    }
  }
}
