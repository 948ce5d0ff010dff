package dev.guise.tls.bouncycastle.internal.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Optional;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.util.Memoable;

/**
 * A SHA-2 digest of the JDK's ({@code SUN} provider) behind BouncyCastle's {@code Digest}, for the
 * handshake's transcript hash, HKDF and HMAC: HotSpot compiles the JDK's SHA-256 to the CPU's SHA
 * extensions and SHA-384 to its vector units, several times faster than BouncyCastle's Java digests
 * on the few kilobytes a handshake hashes (measured on the benchmark machine: SHA-256 of 100 bytes
 * 126 against 606 ns, SHA-384 200 against 526 ns). The output is the same function's, so nothing on
 * the wire changes.
 *
 * <p>{@link Memoable}, so that BouncyCastle's HMAC keeps its padded key states as copies instead of
 * hashing them again, and so that {@code cloneDigest} can copy a running transcript hash.
 *
 * <p>Not thread-safe, as BouncyCastle's digests are not.
 */
final class JcaDigest implements ExtendedDigest, Memoable {
  private final Kind kind;
  private MessageDigest digest;

  /** The SHA-2 functions a TLS handshake uses, with their JDK names and block sizes. */
  enum Kind {
    SHA256("SHA-256", 32, 64),
    SHA384("SHA-384", 48, 128),
    SHA512("SHA-512", 64, 128);

    final String algorithm;
    final int size;
    final int blockLength;

    // A fresh digest to clone: cloning skips the provider lookup getInstance makes each time.
    private final MessageDigest prototype;

    Kind(String algorithm, int size, int blockLength) {
      this.algorithm = algorithm;
      this.size = size;
      this.blockLength = blockLength;
      this.prototype = sunDigest(algorithm).orElse(null);
    }

    MessageDigest newDigest() {
      return copyOf(prototype);
    }
  }

  private JcaDigest(Kind kind, MessageDigest digest) {
    this.kind = kind;
    this.digest = digest;
  }

  /** A new digest of {@code kind}, when the JDK here has it (a stripped runtime might not). */
  static Optional<JcaDigest> of(Kind kind) {
    return kind.prototype == null
        ? Optional.empty()
        : Optional.of(new JcaDigest(kind, kind.newDigest()));
  }

  private static Optional<MessageDigest> sunDigest(String algorithm) {
    try {
      // Named so that a BouncyCastle provider registered ahead of SUN cannot slip its own in.
      MessageDigest d = MessageDigest.getInstance(algorithm, "SUN");
      copyOf(d); // the SUN digests are cloneable; a runtime where they are not is not used
      return Optional.of(d);
    } catch (NoSuchAlgorithmException | NoSuchProviderException | IllegalStateException e) {
      return Optional.empty();
    }
  }

  private static MessageDigest copyOf(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(d.getAlgorithm() + " cannot be copied", e);
    }
  }

  @Override
  public String getAlgorithmName() {
    return kind.algorithm;
  }

  @Override
  public int getDigestSize() {
    return kind.size;
  }

  @Override
  public int getByteLength() {
    return kind.blockLength;
  }

  @Override
  public void update(byte in) {
    digest.update(in);
  }

  @Override
  public void update(byte[] in, int inOff, int len) {
    digest.update(in, inOff, len);
  }

  @Override
  public int doFinal(byte[] out, int outOff) {
    try {
      return digest.digest(out, outOff, kind.size); // and resets, as BouncyCastle's doFinal does
    } catch (DigestException e) {
      throw new IllegalArgumentException("no room for the digest at " + outOff, e);
    }
  }

  @Override
  public void reset() {
    digest.reset();
  }

  @Override
  public Memoable copy() {
    return new JcaDigest(kind, copyOf(digest));
  }

  @Override
  public void reset(Memoable other) {
    JcaDigest from = (JcaDigest) other;
    if (from.kind != kind) {
      throw new IllegalArgumentException(from.kind + " state given to a " + kind + " digest");
    }
    digest = copyOf(from.digest);
  }
}
