package dev.guise.tls.bouncycastle.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.guise.tls.bouncycastle.internal.crypto.HybridTlsCrypto;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class CompactGcmTlsCryptoTest {
  @Test
  void theEngineUsesTheJdksGcmWhereThereIsOne() {
    // The compact multiplier is the fallback for a runtime without AES/GCM/NoPadding.
    assertInstanceOf(HybridTlsCrypto.class, BcConnector.crypto());
  }

  @Test
  void itsAesGcmCipherSealsTheSpecTestCase4() throws Exception {
    // McGrew-Viega appendix B, test case 4 (AES-128, 96-bit IV, 20 bytes of additional data).
    HexFormat hex = HexFormat.of();
    AEADBlockCipher gcm =
        new CompactGcmTlsCrypto(new SecureRandom(), null).createAEADBlockCipher_AES_GCM();
    byte[] p =
        hex.parseHex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    gcm.init(
        true,
        new AEADParameters(
            new KeyParameter(hex.parseHex("feffe9928665731c6d6a8f9467308308")),
            128,
            hex.parseHex("cafebabefacedbaddecaf888"),
            hex.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2")));
    byte[] sealed = new byte[gcm.getOutputSize(p.length)];
    int n = gcm.processBytes(p, 0, p.length, sealed, 0);
    n += gcm.doFinal(sealed, n);
    assertEquals(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
            + "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
            + "5bc94fbc3221a5db94fae95ae7121a47",
        hex.formatHex(sealed, 0, n));
  }
}
