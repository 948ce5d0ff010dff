package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link FlatTableGcmMultiplier} against BouncyCastle's two reference multipliers, the GHASH
 * intermediate values and the AES-128 test cases 1-6 of McGrew and Viega, "The Galois/Counter Mode
 * of Operation (GCM)", appendix B (the test vectors NIST SP 800-38D points to).
 */
class FlatTableGcmMultiplierTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] multiply(GCMMultiplier multiplier, byte[] h, byte[] x) {
    multiplier.init(h.clone());
    byte[] product = x.clone();
    multiplier.multiplyH(product);
    return product;
  }

  @Test
  void agreesWithBouncyCastleOnSeededRandomKeysAndBlocks() {
    SplittableRandom random = new SplittableRandom(0x6C0FFEEL);
    FlatTableGcmMultiplier flat = new FlatTableGcmMultiplier(); // reused: init must rebuild fully
    GCMMultiplier basic = new BasicGCMMultiplier();
    GCMMultiplier tables = new Tables4kGCMMultiplier();
    byte[] h = new byte[16];
    byte[] x = new byte[16];
    for (int key = 0; key < 500; key++) {
      random.nextBytes(h);
      flat.init(h.clone());
      basic.init(h.clone());
      tables.init(h.clone());
      for (int block = 0; block < 40; block++) {
        random.nextBytes(x);
        byte[] viaFlat = x.clone();
        byte[] viaBasic = x.clone();
        byte[] viaTables = x.clone();
        flat.multiplyH(viaFlat);
        basic.multiplyH(viaBasic);
        tables.multiplyH(viaTables);
        assertArrayEquals(
            viaBasic, viaFlat, () -> "H=" + HEX.formatHex(h) + " X=" + HEX.formatHex(x));
        assertArrayEquals(
            viaTables, viaFlat, () -> "H=" + HEX.formatHex(h) + " X=" + HEX.formatHex(x));
      }
    }
  }

  @Test
  void agreesOnEverySingleBitKeyTimesEverySingleBitBlock() {
    // x^i · x^j for all i, j < 128: every table entry's bit and every reduction path, one at a
    // time.
    for (int i = 0; i < 128; i++) {
      byte[] h = new byte[16];
      h[i >>> 3] = (byte) (0x80 >>> (i & 7));
      FlatTableGcmMultiplier flat = new FlatTableGcmMultiplier();
      flat.init(h.clone());
      BasicGCMMultiplier basic = new BasicGCMMultiplier();
      basic.init(h.clone());
      for (int j = 0; j < 128; j++) {
        byte[] x = new byte[16];
        x[j >>> 3] = (byte) (0x80 >>> (j & 7));
        byte[] viaFlat = x.clone();
        byte[] viaBasic = x.clone();
        flat.multiplyH(viaFlat);
        basic.multiplyH(viaBasic);
        int fi = i;
        int fj = j;
        assertArrayEquals(viaBasic, viaFlat, () -> "x^" + fi + " * x^" + fj);
      }
    }
  }

  @Test
  void allOnesAndZeroBlocks() {
    byte[] ones = new byte[16];
    Arrays.fill(ones, (byte) 0xFF);
    byte[] zero = new byte[16];
    assertArrayEquals(zero, multiply(new FlatTableGcmMultiplier(), ones, zero));
    assertArrayEquals(zero, multiply(new FlatTableGcmMultiplier(), zero, ones));
    assertArrayEquals(
        multiply(new BasicGCMMultiplier(), ones, ones),
        multiply(new FlatTableGcmMultiplier(), ones, ones));
  }

  /**
   * Single products X·H read off the appendix B GHASH intermediates (X_i = (X_{i-1} ^ block)·H).
   */
  @ParameterizedTest
  @CsvSource({
    // Test case 2: X1 = C1·H, then GHASH = (X1 ^ len(A)||len(C))·H
    "66e94bd4ef8a2c3b884cfa59ca342b2e, 0388dace60b6a392f328c2b971b2fe78,"
        + " 5e2ec746917062882c85b0685353deb7",
    "66e94bd4ef8a2c3b884cfa59ca342b2e, 5e2ec746917062882c85b0685353de37,"
        + " f38cbb1ad69223dcc3457ae5b6b0f885",
    // Test case 3: X1 = C1·H
    "b83b533708bf535d0aa6e52980d53b78, 42831ec2217774244b7221b784d0d49c,"
        + " 59ed3f2bb1a0aaa07c9f56c6a504647b",
  })
  void specGhashIntermediates(String h, String x, String product) {
    assertEquals(
        product,
        HEX.formatHex(multiply(new FlatTableGcmMultiplier(), HEX.parseHex(h), HEX.parseHex(x))));
  }

  /** Appendix B, AES-128 test cases 1-6: key, plaintext, additional data, IV, ciphertext, tag. */
  @ParameterizedTest(name = "test case {index}")
  @CsvSource({
    "00000000000000000000000000000000, '', '', 000000000000000000000000, '',"
        + " 58e2fccefa7e3061367f1d57a4e7455a",
    "00000000000000000000000000000000, 00000000000000000000000000000000, '',"
        + " 000000000000000000000000, 0388dace60b6a392f328c2b971b2fe78,"
        + " ab6e47d42cec13bdf53a67b21257bddf",
    "feffe9928665731c6d6a8f9467308308,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255,"
        + " '', cafebabefacedbaddecaf888,"
        + " 42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985,"
        + " 4d5c2af327cd64a62cf35abd2ba6fab4",
    "feffe9928665731c6d6a8f9467308308,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
        + " feedfacedeadbeeffeedfacedeadbeefabaddad2, cafebabefacedbaddecaf888,"
        + " 42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091,"
        + " 5bc94fbc3221a5db94fae95ae7121a47",
    // Test case 5: a 64-bit IV, so J0 itself comes from GHASH
    "feffe9928665731c6d6a8f9467308308,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
        + " feedfacedeadbeeffeedfacedeadbeefabaddad2, cafebabefacedbad,"
        + " 61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598,"
        + " 3612d2e79e3b0785561be14aaca2fccb",
    // Test case 6: a 480-bit IV
    "feffe9928665731c6d6a8f9467308308,"
        + " d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39,"
        + " feedfacedeadbeeffeedfacedeadbeefabaddad2,"
        + " 9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0e2429a6b5254"
        + "16aedbf5a0de6a57a637b39b,"
        + " 8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5,"
        + " 619cc5aefffe0bfa462af43c1699d050",
  })
  void specAes128TestCases(
      String key, String plaintext, String aad, String iv, String ciphertext, String tag)
      throws InvalidCipherTextException {
    byte[] k = HEX.parseHex(key);
    byte[] p = HEX.parseHex(plaintext);
    byte[] a = HEX.parseHex(aad);
    byte[] n = HEX.parseHex(iv);

    GCMModeCipher encrypt =
        GCMBlockCipher.newInstance(AESEngine.newInstance(), new FlatTableGcmMultiplier());
    encrypt.init(true, new AEADParameters(new KeyParameter(k), 128, n, a));
    byte[] sealed = new byte[encrypt.getOutputSize(p.length)];
    int written = encrypt.processBytes(p, 0, p.length, sealed, 0);
    written += encrypt.doFinal(sealed, written);
    assertEquals(ciphertext + tag, HEX.formatHex(sealed, 0, written));

    GCMModeCipher decrypt =
        GCMBlockCipher.newInstance(AESEngine.newInstance(), new FlatTableGcmMultiplier());
    decrypt.init(false, new AEADParameters(new KeyParameter(k), 128, n, a));
    byte[] opened = new byte[decrypt.getOutputSize(sealed.length)];
    int read = decrypt.processBytes(sealed, 0, sealed.length, opened, 0);
    read += decrypt.doFinal(opened, read);
    assertEquals(plaintext, HEX.formatHex(opened, 0, read));

    // A flipped tag bit must be caught: the tag really is checked through this multiplier.
    sealed[sealed.length - 1] ^= 1;
    GCMModeCipher tampered =
        GCMBlockCipher.newInstance(AESEngine.newInstance(), new FlatTableGcmMultiplier());
    tampered.init(false, new AEADParameters(new KeyParameter(k), 128, n, a));
    byte[] sink = new byte[tampered.getOutputSize(sealed.length)];
    int partial = tampered.processBytes(sealed, 0, sealed.length, sink, 0);
    assertThrows(InvalidCipherTextException.class, () -> tampered.doFinal(sink, partial));
  }

  @Test
  void rejectsAKeyThatIsNotSixteenBytes() {
    assertThrows(
        IllegalArgumentException.class, () -> new FlatTableGcmMultiplier().init(new byte[15]));
  }
}
