package dev.guise.tls.bouncycastle.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.junit.jupiter.api.Test;

/**
 * The JDK-backed record AEAD against the GCM specification and against BouncyCastle's own GCM (the
 * cipher it replaces) on random records. TLS end to end, every AES-GCM suite forced by a real
 * server: {@code HandshakeTest}.
 */
class HybridTlsCryptoTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void theJdkHasAesGcm() {
    assertTrue(HybridTlsCrypto.jdkGcmAvailable());
  }

  @Test
  void sealsTheSpecTestCase4() throws Exception {
    // McGrew-Viega appendix B, test case 4 (AES-128, 96-bit IV, 20 bytes of additional data).
    JcaGcmCipher gcm = new JcaGcmCipher(true);
    byte[] key = HEX.parseHex("feffe9928665731c6d6a8f9467308308");
    gcm.setKey(key, 0, key.length);
    gcm.init(HEX.parseHex("cafebabefacedbaddecaf888"), 16);
    byte[] p =
        HEX.parseHex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    byte[] sealed = new byte[gcm.getOutputSize(p.length)];
    int n =
        gcm.doFinal(
            HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), p, 0, p.length, sealed, 0);
    assertEquals(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
            + "5bc94fbc3221a5db94fae95ae7121a47",
        HEX.formatHex(sealed, 0, n));
  }

  @Test
  void matchesBouncyCastlesGcmAndOpensWhatItSeals() throws Exception {
    SplittableRandom random = new SplittableRandom(20);
    for (int keySize : new int[] {16, 32}) {
      byte[] key = bytes(random, keySize);
      JcaGcmCipher seal = new JcaGcmCipher(true);
      JcaGcmCipher open = new JcaGcmCipher(false);
      seal.setKey(key, 0, key.length);
      open.setKey(key, 0, key.length);
      for (int length : new int[] {0, 1, 17, 300, 16_384, 16_401}) {
        byte[] nonce = bytes(random, 12);
        byte[] aad = bytes(random, 5);
        byte[] plain = bytes(random, length);
        // Offsets as the record layer uses them: sealed in place after a 5-byte header.
        byte[] record = new byte[5 + length + 16];
        System.arraycopy(plain, 0, record, 5, length);
        seal.init(nonce, 16);
        int sealedLength = seal.doFinal(aad, record, 5, length, record, 5);
        assertEquals(length + 16, sealedLength);

        GCMBlockCipher bc = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        bc.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] expected = new byte[bc.getOutputSize(length)];
        int m = bc.processBytes(plain, 0, length, expected, 0);
        bc.doFinal(expected, m);
        byte[] sealedBytes = new byte[sealedLength];
        System.arraycopy(record, 5, sealedBytes, 0, sealedLength);
        assertArrayEquals(expected, sealedBytes, "key " + keySize + ", length " + length);

        open.init(nonce, 16);
        byte[] opened = new byte[length];
        assertEquals(length, open.doFinal(aad, sealedBytes, 0, sealedLength, opened, 0));
        assertArrayEquals(plain, opened);
      }
    }
  }

  @Test
  void aForgedRecordIsABadRecordMac() throws Exception {
    byte[] key = new byte[16];
    JcaGcmCipher seal = new JcaGcmCipher(true);
    JcaGcmCipher open = new JcaGcmCipher(false);
    seal.setKey(key, 0, 16);
    open.setKey(key, 0, 16);
    byte[] nonce = new byte[12];
    byte[] sealed = new byte[32 + 16];
    seal.init(nonce, 16);
    seal.doFinal(new byte[5], new byte[32], 0, 32, sealed, 0);
    sealed[3] ^= 1;
    open.init(nonce, 16);
    TlsFatalAlert alert =
        assertThrows(
            TlsFatalAlert.class,
            () -> open.doFinal(new byte[5], sealed, 0, sealed.length, new byte[32], 0));
    assertEquals(AlertDescription.bad_record_mac, alert.getAlertDescription());
  }

  private static byte[] bytes(SplittableRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
