package dev.guise.tls.bouncycastle.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsKemConfig;
import org.junit.jupiter.api.Test;

/**
 * Conscrypt's X25519 under BouncyCastle's TLS agrees with BouncyCastle's own math, byte for byte,
 * and turns bad shares into alerts. Handshakes with them against real servers (BoringSSL with
 * X25519MLKEM768 alone, OpenSSL, the JDK): {@code BoringSslPeerTest}, {@code HandshakeTest}; the
 * same without Conscrypt: the build's second run of those tests.
 */
class NativeKeyExchangeTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static NativeKeyExchange native_() {
    return NativeKeyExchange.find().orElseThrow(() -> new AssertionError("Conscrypt not found"));
  }

  private static HybridTlsCrypto crypto() {
    return new HybridTlsCrypto(RANDOM, null, native_());
  }

  @Test
  void theEnginesCryptoUsesConscryptWhenItIsOnThePath() {
    assertTrue(
        new HybridTlsCrypto(RANDOM, null).nativeKeyExchange()
            || "false".equals(System.getProperty("guise.bouncycastle.nativeKeyExchange")));
  }

  @Test
  void x25519AgreesWithBouncyCastlesMath() throws Exception {
    HybridTlsCrypto crypto = crypto();
    for (int i = 0; i < 20; i++) {
      TlsAgreement ours = crypto.createECDomain(new TlsECConfig(NamedGroup.x25519)).createECDH();
      byte[] ourPublic = ours.generateEphemeral();
      assertEquals(32, ourPublic.length);

      byte[] peerPrivate = new byte[32];
      X25519.generatePrivateKey(RANDOM, peerPrivate);
      byte[] peerPublic = new byte[32];
      X25519.generatePublicKey(peerPrivate, 0, peerPublic, 0);
      byte[] expected = new byte[32];
      assertTrue(X25519.calculateAgreement(peerPrivate, 0, ourPublic, 0, expected, 0));

      ours.receivePeerValue(peerPublic);
      assertArrayEquals(expected, ours.calculateSecret().extract());
    }
  }

  @Test
  void badSharesAreAlerts() throws Exception {
    HybridTlsCrypto crypto = crypto();
    TlsAgreement x = crypto.createECDomain(new TlsECConfig(NamedGroup.x25519)).createECDH();
    x.generateEphemeral();
    TlsFatalAlert shortShare =
        assertThrows(TlsFatalAlert.class, () -> x.receivePeerValue(new byte[31]));
    assertEquals(AlertDescription.illegal_parameter, shortShare.getAlertDescription());
    x.receivePeerValue(new byte[32]); // u = 0: a point of small order, the secret would be zero
    TlsFatalAlert zero = assertThrows(TlsFatalAlert.class, x::calculateSecret);
    assertEquals(AlertDescription.handshake_failure, zero.getAlertDescription());
  }

  @Test
  void otherGroupsAndMlKemStayBouncyCastles() {
    HybridTlsCrypto crypto = crypto();
    assertEquals(
        "BcTlsECDomain",
        crypto.createECDomain(new TlsECConfig(NamedGroup.secp256r1)).getClass().getSimpleName());
    assertEquals(
        "BcTlsMLKemDomain",
        crypto
            .createKemDomain(new TlsKemConfig(NamedGroup.MLKEM768, false))
            .getClass()
            .getSimpleName());
  }
}
