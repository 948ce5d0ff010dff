package dev.guise.tls.bouncycastle.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsHash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The JDK's SHA-2 behind BouncyCastle's digest interface gives BouncyCastle's own digests' results:
 * plain, across resets, copied mid-stream (the transcript hash is cloned at each handshake step),
 * and under BouncyCastle's HMAC, which keeps its padded key states as copies. A handshake over it
 * against real servers, binders and key schedule included: {@code HandshakeTest}, {@code
 * ResumptionTest}.
 */
class JcaDigestTest {
  private static final HybridTlsCrypto CRYPTO = new HybridTlsCrypto(new SecureRandom(), null);

  private static Digest bouncyCastle(JcaDigest.Kind kind) {
    return switch (kind) {
      case SHA256 -> new SHA256Digest();
      case SHA384 -> new SHA384Digest();
      case SHA512 -> new SHA512Digest();
    };
  }

  private static int tlsId(JcaDigest.Kind kind) {
    return switch (kind) {
      case SHA256 -> CryptoHashAlgorithm.sha256;
      case SHA384 -> CryptoHashAlgorithm.sha384;
      case SHA512 -> CryptoHashAlgorithm.sha512;
    };
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static byte[] finish(Digest d) {
    byte[] out = new byte[d.getDigestSize()];
    assertEquals(out.length, d.doFinal(out, 0));
    return out;
  }

  @ParameterizedTest
  @EnumSource(JcaDigest.Kind.class)
  void hashesAsBouncyCastleDoesAcrossResets(JcaDigest.Kind kind) {
    SplittableRandom random = new SplittableRandom(kind.ordinal());
    Digest jdk = CRYPTO.createDigest(tlsId(kind));
    assertInstanceOf(JcaDigest.class, jdk);
    Digest bc = bouncyCastle(kind);
    assertEquals(bc.getDigestSize(), jdk.getDigestSize());
    assertEquals(bc.getAlgorithmName(), jdk.getAlgorithmName());
    for (int length : new int[] {0, 1, 55, 64, 127, 128, 129, 1_000, 20_000}) {
      byte[] data = bytes(random, length);
      jdk.update(data, 0, length);
      bc.update(data, 0, length);
      jdk.update((byte) 7);
      bc.update((byte) 7);
      assertArrayEquals(finish(bc), finish(jdk), "length " + length); // doFinal resets both
    }
    jdk.update(new byte[] {1, 2, 3}, 0, 3);
    jdk.reset();
    assertArrayEquals(finish(bouncyCastle(kind)), finish(jdk), "reset forgets the input");
  }

  @ParameterizedTest
  @EnumSource(JcaDigest.Kind.class)
  void aCopyGoesOnIndependently(JcaDigest.Kind kind) {
    SplittableRandom random = new SplittableRandom(10 + kind.ordinal());
    byte[] head = bytes(random, 300);
    byte[] tailA = bytes(random, 40);
    byte[] tailB = bytes(random, 70);
    TlsHash running = CRYPTO.createHash(tlsId(kind));
    running.update(head, 0, head.length);
    TlsHash copy = running.cloneHash(); // BouncyCastle clones through cloneDigest
    running.update(tailA, 0, tailA.length);
    copy.update(tailB, 0, tailB.length);
    Digest expectA = bouncyCastle(kind);
    expectA.update(head, 0, head.length);
    expectA.update(tailA, 0, tailA.length);
    Digest expectB = bouncyCastle(kind);
    expectB.update(head, 0, head.length);
    expectB.update(tailB, 0, tailB.length);
    assertArrayEquals(finish(expectA), running.calculateHash());
    assertArrayEquals(finish(expectB), copy.calculateHash());
  }

  @ParameterizedTest
  @EnumSource(JcaDigest.Kind.class)
  void bouncyCastlesHmacOverItMatchesItsOwn(JcaDigest.Kind kind) {
    SplittableRandom random = new SplittableRandom(20 + kind.ordinal());
    // Keys shorter than, as long as and longer than a block (hashed first).
    for (int keyLength : new int[] {kind.size, kind.blockLength, kind.blockLength + 1}) {
      byte[] key = bytes(random, keyLength);
      HMac jdk = new HMac(CRYPTO.createDigest(tlsId(kind)));
      HMac bc = new HMac(bouncyCastle(kind));
      jdk.init(new KeyParameter(key));
      bc.init(new KeyParameter(key));
      for (int round = 0; round < 3; round++) { // the padded states are restored after each MAC
        byte[] data = bytes(random, 10 + round * 100);
        jdk.update(data, 0, data.length);
        bc.update(data, 0, data.length);
        byte[] a = new byte[jdk.getMacSize()];
        byte[] b = new byte[bc.getMacSize()];
        jdk.doFinal(a, 0);
        bc.doFinal(b, 0);
        assertArrayEquals(b, a, "key " + keyLength + ", round " + round);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(JcaDigest.Kind.class)
  void refusesAnotherFunctionsState(JcaDigest.Kind kind) {
    JcaDigest.Kind other =
        kind == JcaDigest.Kind.SHA256 ? JcaDigest.Kind.SHA384 : JcaDigest.Kind.SHA256;
    JcaDigest d = JcaDigest.of(kind).orElseThrow();
    assertThrows(IllegalArgumentException.class, () -> d.reset(JcaDigest.of(other).orElseThrow()));
  }
}
