package dev.guise.tls.bouncycastle.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.guise.testkit.tls.IssuedCertificate;
import dev.guise.testkit.tls.KeyType;
import dev.guise.testkit.tls.TestCertificateAuthority;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsKemConfig;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.Test;

/**
 * Conscrypt's X25519 under BouncyCastle's TLS agrees with BouncyCastle's own math, byte for byte,
 * and turns bad shares into alerts; its ECDSA P-256 verification gives BouncyCastle's verdicts.
 * Handshakes with them against real servers (BoringSSL with X25519MLKEM768 alone, OpenSSL, the
 * JDK): {@code BoringSslPeerTest}, {@code HandshakeTest}; the same without Conscrypt: the build's
 * second run of those tests.
 */
class NativeCryptoTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static NativeCrypto native_() {
    return NativeCrypto.find().orElseThrow(() -> new AssertionError("Conscrypt not found"));
  }

  private static HybridTlsCrypto crypto() {
    return new HybridTlsCrypto(RANDOM, null, native_());
  }

  @Test
  void theEnginesCryptoUsesConscryptWhenItIsOnThePath() {
    assertTrue(
        new HybridTlsCrypto(RANDOM, null).nativeCrypto()
            || "false".equals(System.getProperty(NativeCrypto.SWITCH)));
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

  @Test
  void anEchGreaseKeyIsAFreshX25519PublicKey() {
    NativeCrypto crypto = native_();
    byte[] first = crypto.x25519PublicKey();
    byte[] second = crypto.x25519PublicKey();
    assertEquals(32, first.length);
    assertFalse(Arrays.equals(first, second));
    for (byte[] key : List.of(first, second)) {
      assertEquals(0, key[31] & 0x80, "an encoded u-coordinate has its top bit clear");
      byte[] ours = new byte[32];
      X25519.generatePrivateKey(RANDOM, ours);
      // A point of small order would give an all-zero secret, which calculateAgreement refuses.
      assertTrue(X25519.calculateAgreement(ours, 0, key, 0, new byte[32], 0));
    }
  }

  @Test
  void p256CertificateVerifySignaturesGetBouncyCastlesVerdicts() throws Exception {
    IssuedCertificate leaf =
        TestCertificateAuthority.create("native-crypto-test").issue("example.test");
    byte[] encoding = leaf.leaf().getEncoded();
    TlsCertificate ours = crypto().createCertificate(encoding);
    TlsCertificate bouncyCastles = new BcTlsCrypto(RANDOM).createCertificate(encoding);

    byte[] content = new byte[64 + 33 + 1 + 32]; // the TLS 1.3 CertificateVerify input's size
    RANDOM.nextBytes(content);
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(leaf.privateKey());
    signer.update(content);
    byte[] good = signer.sign();
    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 1;
    byte[] otherContent = content.clone();
    otherContent[0] ^= 1;

    int scheme = SignatureScheme.ecdsa_secp256r1_sha256;
    assertFalse(ours.createVerifier(scheme).getClass().getSimpleName().startsWith("Bc"));
    for (TlsCertificate certificate : List.of(ours, bouncyCastles)) {
      assertTrue(verify(certificate.createVerifier(scheme), content, good));
      assertFalse(verify(certificate.createVerifier(scheme), content, flipped));
      assertFalse(verify(certificate.createVerifier(scheme), otherContent, good));
      assertFalse(verify(certificate.createVerifier(scheme), content, new byte[] {0x30, 1, 2}));
    }
  }

  @Test
  void otherKeysAndSchemesStayWithBouncyCastle() throws Exception {
    IssuedCertificate rsa =
        TestCertificateAuthority.create("native-crypto-test")
            .leaf("example.test")
            .keyType(KeyType.RSA_2048)
            .issue();
    TlsCertificate rsaCertificate = crypto().createCertificate(rsa.leaf().getEncoded());
    assertEquals(
        "BcTls13Verifier",
        rsaCertificate.createVerifier(SignatureScheme.rsa_pkcs1_sha256).getClass().getSimpleName());

    IssuedCertificate p256 =
        TestCertificateAuthority.create("native-crypto-test").issue("example.test");
    TlsCertificate p256Certificate = crypto().createCertificate(p256.leaf().getEncoded());
    assertEquals(
        "BcTls13Verifier",
        p256Certificate
            .createVerifier(SignatureScheme.ecdsa_secp384r1_sha384)
            .getClass()
            .getSimpleName());
  }

  private static boolean verify(Tls13Verifier verifier, byte[] content, byte[] signature)
      throws IOException {
    verifier.getOutputStream().write(content, 0, content.length);
    return verifier.verifySignature(signature);
  }
}
